"""The people view and the topic queue driven in a real JupyterLab (headless, on 127.0.0.1) with Chromium.

One server for both, on a throw-away copy of the data (EXPERT_OPINIONS_DATA) and the bridge coverage
(tests/bridge_coverage.py) as a corpus dataset; notebook 10 opens each view. Every key is checked on
disk (the labels table, the decisions table, the dataset), then undo, then a kernel restart: the old
widget says it is dead, and the view run again resumes from the files. Screenshots go to
test-artifacts/.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from tests.bridge_coverage import bridge_dataset
from tests.conftest import ROOT, chromium_or_skip
from tests.labdriver import command, copy_notebook, jupyterlab, open_lab_page, press, run_all, wait_focused
from utils.corpus import read_corpus
from utils.report import BROWSER_ARGS
from utils.schema import STANCE_LABELS
from utils.sessions import session_key

ARTIFACTS = ROOT / "test-artifacts"
NOTEBOOK = ROOT / "notebooks" / "10_coverage_review.ipynb"
LIVE = ".eo-wb[data-ready]:not(.eo-dead) .eo-head"


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    """JupyterLab on a copy of the data, the bridge dataset and notebook 10 set for each view."""
    import nbformat

    chromium_or_skip()
    home = tmp_path_factory.mktemp("coverage-lab")
    shutil.copytree(ROOT / "data", home / "data", ignore=shutil.ignore_patterns("annotations"))
    dataset, topics = bridge_dataset(home)
    for name, people in (("queue", False), ("people", True)):
        path = home / "notebooks" / f"{name}.ipynb"
        copy_notebook(NOTEBOOK, path)
        notebook = nbformat.read(path, as_version=4)
        notebook.cells[1].source = (
            f"dataset = {str(dataset)!r}\narticles = ''\ntopics = {str(topics)!r}\ntopic = ''\n"
            f"people = {people}\nannotator = 'ann'\n"
        )
        nbformat.write(notebook, path)
    with jupyterlab(home) as server:
        yield {**server, "dataset": dataset, "topics": topics}


@pytest.fixture(scope="module")
def browser(lab) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_or_skip(), args=BROWSER_ARGS)
        yield browser
        browser.close()


def open_view(lab, browser, name: str):
    url = f"{lab['url']}/lab/workspaces/{name}/tree/notebooks/{name}.ipynb?reset&token={lab['token']}"
    page = open_lab_page(browser, url)
    run_all(page, LIVE)
    wait_focused(page)
    return page


def restart_and_rerun(page) -> None:
    """Restart the kernel: the old widget says at once it is dead and takes no key; then run again."""
    command(page, "kernelmenu:restart")
    page.locator(".jp-Dialog .jp-mod-accept").click()
    page.wait_for_selector(".eo-wb.eo-dead .eo-gone", timeout=10_000)
    page.locator(".eo-wb .eo-head").click()
    page.keyboard.press("1")
    page.wait_for_timeout(300)
    assert "not connected to a running kernel" in page.locator(".eo-wb .eo-gone").inner_text()
    run_all(page, LIVE)
    wait_focused(page)


def text(page, selector: str) -> str:
    return page.locator(f".eo-wb {selector}").first.inner_text()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator(".eo-wb").screenshot(path=str(ARTIFACTS / name))


def no_markup_ran(page) -> None:
    assert page.locator(".eo-wb img").count() == 0 and page.evaluate("window.__pwned") is None


# --- the topic queue ----------------------------------------------------------------------------


def labels(lab) -> pd.DataFrame:
    folder = Path(lab["home"]) / "data" / "annotations" / "collections"
    path = folder / session_key(lab["dataset"], lab["topics"]) / "ann.stance.csv"
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def shown(page) -> tuple[str, str]:
    """The current statement's article and id, as the card shows them."""
    article, statement = text(page, ".eo-card .eo-id").split(" · ")
    return article, statement


def test_the_topic_queue_tags_by_keys_saves_each_label_undoes_and_resumes(lab, browser) -> None:
    page = open_view(lab, browser, "queue")
    try:
        assert text(page, ".eo-proposition") == "The river bridge should be built"
        assert text(page, ".eo-progress") == "0 of 8 tagged"
        first = shown(page)
        assert first[0] in text(page, ".eo-queue-list .eo-here")
        paragraph = text(page, ".eo-item .eo-context")
        assert text(page, ".eo-item mark.eo-current") in paragraph  # the statement, in its paragraph

        press(page, "1")  # favor, and on to the next untagged
        second = shown(page)
        assert second != first and text(page, ".eo-progress") == "1 of 8 tagged"
        assert labels(lab)[["article_id", "id", "label"]].values.tolist() == [[*first, "favor"]]
        press(page, "2")
        assert labels(lab)["label"].tolist() == ["favor", "against"]

        press(page, "u")  # the label just given is taken back, and its statement shown again
        assert shown(page) == second and text(page, ".eo-progress") == "1 of 8 tagged"
        assert labels(lab)["label"].tolist() == ["favor"]
        assert page.locator(".eo-wb .eo-label.eo-chosen").count() == 0
        press(page, "0")
        assert labels(lab)[["id", "label"]].values.tolist()[1] == [second[1], "not addressed"]

        press(page, "k")
        assert shown(page) == second
        assert page.locator(".eo-wb .eo-label.eo-chosen").get_attribute("data-label") == "not addressed"
        press(page, "r", expect_change=False)
        page.locator(".eo-rationale-input").fill("about the costs, not the bridge")
        press(page, "Enter")
        assert labels(lab)["rationale"].tolist() == ["", "about the costs, not the bridge"]
        assert text(page, ".eo-rationale") == "why (yours): about the costs, not the bridge"

        # What the machine offers is in its own style, never a label.
        styles = page.evaluate(
            """() => [...document.querySelectorAll('.eo-wb .eo-machine')].map(e => {
                 const s = getComputedStyle(e); return [s.borderStyle, s.fontStyle]; })"""
        )
        assert styles and all(s == ["dashed", "italic"] for s in styles)
        assert "keywords: bridge" in text(page, ".eo-found")
        assert set(labels(lab)["suggestion_shown"]) <= {"addressed", "not addressed", ""}
        shot(page, "queue.png")

        for _ in range(8):  # every statement's title and paragraph stay text, the hostile one too
            no_markup_ran(page)
            if "onerror" in text(page, ".eo-source-title"):
                break
            press(page, "j")
        assert text(page, ".eo-source-title").startswith("<img src=x")

        restart_and_rerun(page)
        assert text(page, ".eo-progress") == "2 of 8 tagged"
        assert shown(page) not in (first, second)  # the first statement nobody tagged
        press(page, "3")  # the restarted kernel takes over the dead one's lock and saves
        assert text(page, ".eo-progress") == "3 of 8 tagged"
        assert labels(lab)["label"].tolist() == ["favor", "not addressed", "neutral"]

        for key in "212":  # four labels of two directions: the queue has learned, and suggests
            press(page, key)
        suggestion = page.locator(".eo-wb .eo-suggestion")
        offered = suggestion.get_attribute("data-suggested")  # from the model, or the speaker's own labels
        assert offered in STANCE_LABELS and "because of: " in suggestion.inner_text()
        assert page.locator(".eo-wb .eo-label.eo-chosen").count() == 0  # shown, never given
        assert text(page, ".eo-progress") == "6 of 8 tagged"
        shot(page, "queue-suggestion.png")
        press(page, "4")
        assert labels(lab)[["label", "suggestion_shown"]].values.tolist()[-1] == ["mixed", offered]
        assert not page.locator(".eo-wb .eo-error").count()
        summary = page.locator(".jp-OutputArea-output pre").last.inner_text()
        assert summary.startswith("ann on build_bridge: 2 of 8 statements tagged; kept in ")
    finally:
        page.close()


# --- the people view ----------------------------------------------------------------------------


def decisions(lab) -> list[list[str]]:
    path = Path(lab["home"]) / "coverage" / "people.decisions.csv"
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return table[["action", "person_id", "value", "by"]].values.tolist()


def person_of(lab, article: str, statement: str) -> str:
    table = read_corpus(lab["dataset"]).set_index(["article_id", "id"])
    return table.loc[(article, statement), "person_id"]


def find(page, typed: str) -> None:
    """/ and a few letters: the first person found is shown."""
    press(page, "/", expect_change=False)
    page.keyboard.type(typed)
    page.wait_for_function(  # the answer to this search, not an earlier one
        "t => { const h = document.querySelector('.eo-wb .eo-chooser .eo-highlight');"
        " return h && h.textContent.toLowerCase().includes(t); }",
        arg=typed,
    )
    press(page, "Enter")


def test_the_people_view_decides_by_keys_applies_each_decision_and_undoes_it(lab, browser) -> None:
    original = read_corpus(lab["dataset"])
    page = open_view(lab, browser, "people")
    try:
        assert text(page, ".eo-position") == "person 1 of 6, most quoted first"
        assert text(page, ".eo-person-name") == "Tom Baker"  # three statements
        assert page.locator(".eo-wb .eo-said-one").count() == 3  # one per article
        no_markup_ran(page)  # a title that is markup stays text
        assert "<img src=x" in page.locator(".eo-wb .eo-said").inner_text()

        find(page, "mario")
        assert text(page, ".eo-person-name") == "Mario Lopez"
        press(page, "m", expect_change=False)  # likely the same: one surname
        assert text(page, ".eo-chooser .eo-highlight").startswith("Maria Lopez (p-maria-lopez)")
        assert "same surname" in text(page, ".eo-chooser .eo-highlight")
        shot(page, "people-merge.png")
        press(page, "Enter")
        assert decisions(lab) == [["merge", "p-mario-lopez", "p-maria-lopez", "ann"]]
        assert person_of(lab, "a1", "a1") == "p-mario-lopez"  # Maria's statement is Mario's now
        assert text(page, ".eo-people-count") == "decisions by you: 1 (about this person: 1)"
        assert "3 statement(s)" in text(page, ".eo-quoted")

        press(page, "t", expect_change=False)
        page.keyboard.type("exp")
        press(page, "Enter")
        assert decisions(lab)[-1] == ["type", "p-mario-lopez", "expert", "ann"]
        assert text(page, ".eo-source-type .eo-value") == "expert — set by people"
        press(page, "u")
        assert len(decisions(lab)) == 1 and text(page, ".eo-source-type .eo-value").startswith("official")

        restart_and_rerun(page)
        # Mario Lopez now has Maria's statement too: three, like Tom Baker; ties go by id.
        assert text(page, ".eo-position") == "person 1 of 5, most quoted first"
        assert text(page, ".eo-person-name") == "Mario Lopez"
        assert text(page, ".eo-people-count") == "decisions by you: 1 (about this person: 1)"
        press(page, "j")
        assert text(page, ".eo-person-name") == "Tom Baker"
        press(page, "u")  # after a restart too: the journal on disk puts the dataset back
        assert text(page, ".eo-person-name") == "Mario Lopez"
        assert text(page, ".eo-position") == "person 3 of 6, most quoted first"  # after Tom Baker and Bo Chen
        assert decisions(lab) == []
        pd.testing.assert_frame_equal(read_corpus(lab["dataset"]), original)

        find(page, "bo")
        press(page, "x", expect_change=False)  # split off a name form
        page.keyboard.type("engin")
        assert text(page, ".eo-chooser .eo-highlight").startswith("“Engineer Bo Chen”")
        press(page, "Enter")
        assert decisions(lab) == [["split", "p-bo-chen", "Engineer Bo Chen", "ann"]]
        assert (
            person_of(lab, "a1", "a3").startswith("p-bo-chen~") and person_of(lab, "a3", "a2") == "p-bo-chen"
        )

        press(page, "r", expect_change=False)
        page.keyboard.press("Control+a")
        page.keyboard.type("Bo Chen (engineer)")
        press(page, "Enter")
        assert text(page, ".eo-person-name") == "Bo Chen (engineer)"
        assert read_corpus(lab["dataset"]).set_index(["article_id", "id"]).loc[("a3", "a2"), "person"] == (
            "Bo Chen (engineer)"
        )

        press(page, "n")  # not a person: gone from the registry, and on to the next
        assert text(page, ".eo-person-name") != "Bo Chen (engineer)"
        assert person_of(lab, "a3", "a2") == ""
        shot(page, "people.png")
        press(page, "u")
        assert (
            text(page, ".eo-person-name") == "Bo Chen (engineer)"
            and person_of(lab, "a3", "a2") == "p-bo-chen"
        )
        assert [d[0] for d in decisions(lab)] == ["split", "rename"]
        assert not page.locator(".eo-wb .eo-error").count()
    finally:
        page.close()
