"""The workbench driven in a real JupyterLab (headless, on 127.0.0.1) with Debian's Chromium.

The server runs on a temporary copy of the data (EXPERT_OPINIONS_DATA), so the repository's
data/annotations is never touched; it is killed, with its kernels, at the end. Screenshots go to
test-artifacts/.
"""

from __future__ import annotations

import re
import secrets
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import KURSK, ROOT, chromium_or_skip
from tests.labdriver import (
    command,
    copy_notebook,
    current_id,
    free_port,
    jupyterlab,
    lab_env,
    open_lab_page,
    press,
    read_store,
    run_all,
    running,
    select_words,
    wait_focused,
)
from utils.annotations import default_annotator
from utils.report import BROWSER_ARGS

ARTIFACTS = ROOT / "test-artifacts"
NOTEBOOK = "notebooks/08_review_and_tag.ipynb"
SECOND = "notebooks/08_second_session.ipynb"
# A sentence the curated table does not list as a statement: added by selecting it.
MISSED = "the costs are building up on him"
HOSTILE = '<img src=x onerror="window.__pwned=1">reserve colonel'
OPINIONS = "import sys; from utils.cli import main; sys.exit(main(sys.argv[1:]))"


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    """JupyterLab on a throw-away copy of the project's data and the workbench notebook."""
    chromium_or_skip()
    home = tmp_path_factory.mktemp("lab")
    shutil.copytree(ROOT / "data", home / "data", ignore=shutil.ignore_patterns("annotations"))
    copy_notebook(ROOT / NOTEBOOK, home / NOTEBOOK)
    copy_notebook(ROOT / NOTEBOOK, home / SECOND)  # the same workbench in another kernel
    with jupyterlab(home) as server:
        yield server


@pytest.fixture(scope="module")
def browser(lab) -> Iterator[object]:
    executable = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=BROWSER_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def page(lab, browser) -> Iterator[object]:
    page = open_lab_page(browser, f"{lab['url']}/lab/tree/{NOTEBOOK}?token={lab['token']}")
    yield page
    page.close()


def progress(page) -> str:
    return page.locator(".eo-wb .eo-progress").inner_text()


def rows(lab) -> pd.DataFrame:
    return read_store(Path(lab["home"]), KURSK, default_annotator()).set_index("id")


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator(".eo-wb").screenshot(path=str(ARTIFACTS / name))


def test_review_and_repair_in_jupyterlab_and_a_dead_kernel_is_said(lab, page) -> None:
    article = (Path(lab["home"]) / "data" / "articles" / f"{KURSK}.txt").read_text(encoding="utf-8")
    run_all(page)
    workbench = page.locator(".eo-wb")
    assert workbench.get_attribute("data-lm-suppress-shortcuts") is not None
    cells = page.locator(".jp-Notebook .jp-Cell").count()
    assert progress(page) == "0 of 37 reviewed by people" and current_id(page) == "s01"
    # a workbench that has just appeared has the keyboard: no click needed
    wait_focused(page)

    # 1. Accept s01: reviewed, and on to s02. JupyterLab's own "a" (insert a cell) must not fire.
    press(page, "a")
    assert progress(page) == "1 of 37 reviewed by people" and current_id(page) == "s02"
    assert page.locator(".jp-Notebook .jp-Cell").count() == cells

    # 2. Span ends by clause (Alt) and by word, and a span from a selection, each saved at once.
    press(page, "Alt+{")  # the end, one clause earlier: from after "territory," to before its comma
    assert rows(lab).loc["s02", "text"].endswith("on Russian territory")
    press(page, "Alt+{")
    assert rows(lab).loc["s02", "text"].endswith("As of this Monday")
    press(page, "}")  # one word later: the comma that follows
    assert rows(lab).loc["s02", "text"].endswith("As of this Monday,")
    select_words(page, "Russia had to pull almost 60,000 troops")
    press(page, "e")
    saved = rows(lab).loc["s02"]
    assert saved["text"] == "Russia had to pull almost 60,000 troops"
    assert article[int(saved["start"]) : int(saved["end"])] == saved["text"]
    press(page, "a")
    assert current_id(page) == "s03"

    # 3. A speaker fix changes this row only, unless every row of the person is chosen: the form
    #    shows how many rows that is before it applies, and the notice says what it did.
    press(page, "s", expect_change=False)
    help_line = page.locator(".eo-attribution-form .eo-form-help").inner_text()
    assert "Shift+Enter: all 4 rows of “Serhiy Grabsky”" in help_line
    page.locator(".eo-speaker-input").fill("Serhiy Hrabskyi")
    press(page, "Shift+Enter")
    notice = page.locator(".eo-wb .eo-notice").inner_text()
    assert notice.startswith(
        "4 rows of Serhiy Grabsky (s03, s04, s05, s06): speaker Serhiy Grabsky → Serhiy Hrabskyi"
    )
    assert progress(page) == "3 of 37 reviewed by people" and current_id(page) == "s04"  # on to the next
    press(page, "k")
    assert current_id(page) == "s03"

    # 3b. An affiliation typed as markup stays text (f: the same form, on the affiliation; Ctrl+Enter stays).
    press(page, "f", expect_change=False)
    page.locator(".eo-affiliation-input").fill(HOSTILE)
    press(page, "Control+Enter")
    assert page.locator(".eo-wb .eo-affiliation .eo-value").inner_text() == HOSTILE
    assert page.locator(".eo-wb img").count() == 0 and page.evaluate("window.__pwned") is None
    assert current_id(page) == "s03"

    # 4. Tag two topics by keys: 1 = favor for the first topic, 2 = against for the next.
    press(page, "1")
    press(page, "2")
    chosen = page.locator(".eo-topic .eo-label.eo-chosen")
    assert [chosen.nth(i).get_attribute("data-label") for i in range(chosen.count())] == ["favor", "against"]
    assert (
        page.locator(".eo-wb .eo-people-count")
        .inner_text()
        .startswith("stance labels by people: 1 statement(s), 2 statement-topic pair(s)")
    )
    shot(page, "workbench.png")

    # 5. Add a missed statement by selecting its words; fix its speaker by typing three letters:
    #    the name's known affiliation comes with it (shown before Enter), and the next "a" is s04,
    #    the statement after the one being read, not the one after the added statement.
    select_words(page, MISSED)
    press(page, "n")
    assert progress(page) == "4 of 38 reviewed by people"
    assert page.locator(".eo-wb .eo-text").inner_text() == MISSED
    press(page, "s", expect_change=False)
    page.keyboard.type("rya")
    page.wait_for_selector(".eo-name-candidates .eo-highlight")
    assert page.locator(".eo-name-candidates .eo-highlight .eo-candidate-text").inner_text() == "Mick Ryan"
    ryan = rows(lab).query("speaker == 'Mick Ryan'")["affiliation"].iloc[0]
    assert page.locator(".eo-affiliation-input").input_value() == ryan
    shot(page, "workbench-speaker-form.png")
    press(page, "Enter")
    added = rows(lab).loc["s38"]
    assert [added["speaker"], added["affiliation"], added["text"]] == ["Mick Ryan", ryan, MISSED]
    assert int(added["start"]) == article.index(MISSED) and added["rule"] == ""
    assert current_id(page) == "s04"

    # 6. The machine's suggestions and provenance look like the machine's, never like a label.
    machine = page.locator(".eo-wb .eo-card .eo-machine")
    assert machine.count() == 0  # s04 came from a curated table without provenance columns
    assert page.locator(".eo-suggestion .eo-machine-chip").count() == 4
    styles = page.evaluate(
        """() => { const s = getComputedStyle(document.querySelector('.eo-suggestion'));
                   const l = getComputedStyle(document.querySelector('.eo-label'));
                   return [s.borderStyle, s.fontStyle, l.borderStyle]; }"""
    )
    assert styles == ["dashed", "italic", "solid"]

    # 7. Restart the kernel without clearing: the old widget says at once that it is dead and takes no keys.
    stored = Path(lab["home"]) / "data" / "annotations" / KURSK / f"{default_annotator()}.statements.csv"
    before = stored.read_bytes()
    command(page, "kernelmenu:restart")
    page.locator(".jp-Dialog .jp-mod-accept").click()
    page.wait_for_selector(".eo-wb.eo-dead .eo-gone", timeout=10_000)
    page.locator(".eo-wb .eo-head").click()
    page.keyboard.press("a")
    page.wait_for_timeout(500)
    assert "not connected to a running kernel" in page.locator(".eo-wb .eo-gone").inner_text()
    assert page.locator(".jp-Notebook .jp-Cell").count() == cells  # the key did not reach JupyterLab either
    shot(page, "workbench-kernel-gone.png")
    run_all(page)
    assert progress(page) == "4 of 38 reviewed by people"
    assert stored.read_bytes() == before
    assert (
        page.locator(".jp-OutputArea-output pre")
        .last.inner_text()
        .startswith(f"{default_annotator()} on {KURSK}: 4 of 38 statements reviewed, 1 with stance labels")
    )
    assert current_id(page) == "s04"  # the first unreviewed
    wait_focused(page)
    press(page, "a")  # the restarted kernel takes over the dead one's lock and keeps saving
    assert progress(page) == "5 of 38 reviewed by people" and not page.locator(".eo-wb .eo-error").count()

    # 8. The files on disk say the same.
    name = default_annotator()
    saved = rows(lab)
    assert list(saved.loc[["s01", "s02", "s03", "s04", "s38"], "reviewed_by"]) == [name] * 5
    assert saved.loc["s05", "reviewed_by"] == ""
    assert (saved["speaker"] == "Serhiy Hrabskyi").sum() == 4
    assert saved.loc["s03", "affiliation"] == HOSTILE != saved.loc["s04", "affiliation"]
    stance = read_store(Path(lab["home"]), KURSK, name, "stance")
    assert stance[["id", "topic", "label"]].values.tolist() == [
        ["s03", "kursk_value", "favor"],
        ["s03", "hold_kursk", "against"],
    ]
    shown = {"", "addressed", "not addressed", "favor", "against", "neutral", "mixed"}
    assert set(stance["suggestion_shown"]) <= shown
    assert all(t.endswith("Z") for t in stance["time"])
    assert not (ROOT / "data" / "annotations").exists()
    local = (lab["url"], "data:", "blob:")
    remote = [u for u in page.requests if not u.startswith(local)]
    assert remote == []


def test_a_second_session_is_read_only_and_cannot_overwrite(lab, page, browser) -> None:
    if not page.locator(".eo-wb:not(.eo-dead)").count():
        run_all(page)
    page.locator(".eo-wb .eo-head").click()
    press(page, "a")  # the first session holds the lock now
    folder = Path(lab["home"]) / "data" / "annotations" / KURSK
    saved = (folder / f"{default_annotator()}.statements.csv").read_bytes()
    # a workspace of its own, so the first notebook (and its widget) is not restored in this tab
    second = f"{lab['url']}/lab/workspaces/second/tree/{SECOND}?reset&token={lab['token']}"
    other = open_lab_page(browser, second)
    try:
        run_all(other)
        locked = other.locator(".eo-wb .eo-locked")
        expected = f"read-only: {default_annotator()}'s annotations are open in process"
        assert locked.inner_text().startswith(expected)
        other.locator(".eo-wb .eo-head").click()
        press(other, "a")
        assert "read-only" in other.locator(".eo-wb .eo-error").last.inner_text()
        assert (folder / f"{default_annotator()}.statements.csv").read_bytes() == saved
    finally:
        other.close()


def test_opinions_review_opens_with_the_workbench_running_and_focused(browser, tmp_path: Path) -> None:
    """`opinions review` runs the notebook in JupyterLab's kernel before the page opens: no cell to run,
    no click; the first key already reviews."""
    home = tmp_path
    shutil.copytree(ROOT / "data", home / "data", ignore=shutil.ignore_patterns("annotations"))
    annotator = f"labtest{secrets.token_hex(3)}"
    port = free_port()
    log = home / "review.log"
    command_line = [sys.executable, "-c", OPINIONS, "review", KURSK, "--annotator", annotator]
    command_line += ["--port", str(port), "--no-browser"]
    notebook = ROOT / "reports" / "review" / f"review-{KURSK}-{annotator}.ipynb"
    try:
        with running(command_line, lab_env(home), log):
            deadline = time.monotonic() + 180
            while "workbench running" not in log.read_text():
                assert time.monotonic() < deadline, log.read_text()[-2000:]
                time.sleep(0.5)
            said = log.read_text()
            link = re.search(r"workbench running: \S+ as \S+ in (\S+)", said).group(1)
            page = open_lab_page(browser, link, app=False)  # a person's JupyterLab: nothing exposed
            try:
                page.wait_for_selector(".eo-wb[data-ready]:not(.eo-dead) .eo-progress", timeout=90_000)
                wait_focused(page)
                assert progress(page) == "0 of 37 reviewed by people"
                press(page, "a")  # no click: the workbench has the keyboard
                assert progress(page) == "1 of 37 reviewed by people"
                # still in the first seconds, while the view keeps the keyboard from JupyterLab: a form
                # of its own keeps what is typed (it was pulled back to the view's root, key by key)
                press(page, "s", expect_change=False)
                page.wait_for_timeout(500)  # time for the view to pull the keyboard back, were it to
                page.keyboard.type("rya")
                page.wait_for_timeout(300)
                assert page.locator(".eo-wb .eo-speaker-input").input_value() == "rya"
                page.keyboard.press("Escape")
                saved = read_store(home, KURSK, annotator).set_index("id")
                assert saved.loc["s01", "reviewed_by"] == annotator
                shot(page, "workbench-opened-by-opinions-review.png")
            finally:
                page.close()
    finally:
        notebook.unlink(missing_ok=True)


def test_adjudication_view_settles_two_peoples_disagreements(lab, browser, monkeypatch) -> None:
    """ann and ben disagree on a label, a speaker and an added statement: the view goes through them
    one by one (label key, a person's version, drop) and accept takes the result with every name."""
    import nbformat

    from utils import annotations as an

    home = Path(lab["home"])
    monkeypatch.setenv("EXPERT_OPINIONS_DATA", str(home / "data"))
    ann, ben = an.open_store(KURSK, "ann"), an.open_store(KURSK, "ben")
    an.set_attribution(ann, "s03", "Serhiy Hrabskyi")
    an.mark_reviewed(ben, "s03")
    an.add_statement(ann, 2720, 2752)
    an.set_label(ann, "s01", "kursk_value", "favor")
    an.set_label(ben, "s01", "kursk_value", "mixed")
    ann.close(), ben.close()
    notebook = nbformat.read(ROOT / NOTEBOOK, as_version=4)
    notebook.metadata.pop("widgets", None)
    notebook.cells[2].source = (
        "from utils.workbench import open_adjudication\n\n"
        "bench = open_adjudication(article, ['ann', 'ben'], 'judge')\nbench"
    )
    nbformat.write(notebook, home / "notebooks" / "08_adjudicate.ipynb")
    tree = "lab/workspaces/adjudicate/tree/notebooks/08_adjudicate.ipynb"
    page = open_lab_page(browser, f"{lab['url']}/{tree}?reset&token={lab['token']}")
    try:
        run_all(page)
        assert progress(page) == "0 of 3 disagreements settled"
        wait_focused(page)
        versions = page.locator(".eo-wb .eo-version")
        assert (
            versions.nth(0).inner_text().startswith("ann\nfavor") or "favor" in versions.nth(0).inner_text()
        )
        press(page, "4")  # the label: mixed
        assert progress(page) == "1 of 3 disagreements settled"
        assert page.locator(".eo-wb .eo-id").inner_text() == "s03"
        texts = [versions.nth(i).inner_text() for i in range(versions.count())]
        assert texts[0].startswith("1 ann") and "Serhiy Hrabskyi" in texts[0]
        assert texts[1].startswith("2 ben") and "Serhiy Grabsky" in texts[1]
        shot(page, "workbench-adjudication.png")
        press(page, "2")  # ben's version of s03
        assert page.locator(".eo-wb .eo-id").inner_text() == "s38"
        press(page, "x")  # the statement only ann added: dropped
        assert progress(page) == "3 of 3 disagreements settled"
        assert (
            "opinions accept kursk-2025-01 --from ann --from ben"
            in page.locator(".eo-wb .eo-notice").inner_text()
        )
    finally:
        page.close()
    done = subprocess.run(
        [sys.executable, "-c", OPINIONS, "accept", KURSK, "--from", "ann", "--from", "ben"],
        env=lab_env(home),
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    curated = pd.read_csv(
        home / "data" / "curated" / f"{KURSK}.statements.csv",
        dtype=str,
        keep_default_na=False,
        encoding="utf-8-sig",
    ).set_index("id")
    assert curated.loc["s03", ["speaker", "reviewed_by"]].tolist() == ["Serhiy Grabsky", "ann; ben; judge"]
    assert "s38" not in curated.index
