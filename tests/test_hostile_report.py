"""Safe to share: a report built from hostile articles never runs their scripts.

Three reports are rendered once for this module, together covering every place a payload
from tests/hostile/payloads.txt can enter: a curated article (quotes, speakers,
affiliations, statement ids, stance rationales, topic propositions and keywords, the roles
file, the title line and the sidecar title/outlet/date/source), an uncurated .txt given as
a path (title line, quotes, affiliations) and a saved web page whose text carries them.
Each is opened in Chromium and must show every payload as text, open no dialog, hold no
injected element, log no error (a CSP violation is one) and keep a working table.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.hostile.corpus import PAYLOADS, statement_ids, write_curated, write_html_page, write_text_article

expect = pytest.importorskip("playwright.sync_api").expect

REPORTS = ["curated", "text", "html"]

INJECTED = (Path(__file__).parent / "hostile" / "injected.js").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """The three hostile reports (path and analysis), rendered with a private data folder."""
    from utils.analysis import analyse_ref
    from utils.report import render_report

    base = tmp_path_factory.mktemp("hostile")
    data = base / "data"
    shutil.copytree(ROOT / "data", data)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("EXPERT_OPINIONS_DATA", str(data))
        refs = {
            "curated": write_curated(data),
            "text": str(write_text_article(base)),
            "html": str(write_html_page(base)),
        }
        out = base / "reports"
        yield {name: (render_report(ref, out), analyse_ref(ref)) for name, ref in refs.items()}


@pytest.fixture(scope="module")
def pages(browser, hostile) -> Iterator[dict]:
    """Each hostile report open once, recording dialogs, console errors and requests from the start."""
    opened = {}
    for name, (path, analysis) in hostile.items():
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        events: dict[str, list[str]] = {"dialogs": [], "errors": [], "requests": []}
        page.on("dialog", lambda d, e=events: (e["dialogs"].append(d.message), d.dismiss()))
        page.on("console", lambda m, e=events: e["errors"].append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda x, e=events: e["errors"].append(str(x)))
        page.on("request", lambda r, e=events: e["requests"].append(r.url))
        page.goto(path.as_uri())
        page.wait_for_selector("#eo-statements tbody tr", timeout=20_000)
        opened[name] = (page, analysis, events)
    yield opened
    for page, _, _ in opened.values():
        page.close()


@pytest.fixture(params=REPORTS)
def opened(request, pages):
    """One hostile report, its table search cleared; events count from when the page was opened."""
    page, analysis, events = pages[request.param]
    page.locator(".dt-search input").fill("")
    expect(page.locator(".dt-info")).to_contain_text(f"of {len(analysis.table)} entries")
    return page, analysis, events


def test_payload_corpus_is_rich() -> None:
    assert len(PAYLOADS) >= 25 and len(set(PAYLOADS)) == len(PAYLOADS)
    assert "<img src=x onerror=alert(1)>" in PAYLOADS and any("\u2028" in p for p in PAYLOADS)
    ids = statement_ids()
    assert len(set(ids)) == len(ids) and not any(" " in i for i in ids)
    assert "<img/src=x/onerror=alert(1)>" in ids


def test_nothing_runs_even_when_everything_is_touched(opened) -> None:
    page, _, events = opened
    marks = page.locator("mark.eo-hl")
    for i in range(marks.count()):
        marks.nth(i).hover()
        marks.nth(i).focus()
    page.locator(".dt-search input").fill("alert")
    page.wait_for_timeout(300)
    assert events["dialogs"] == []
    assert events["errors"] == []  # a blocked inline handler or script would be a CSP error here
    assert [u for u in events["requests"] if not u.startswith(("file:", "data:", "blob:"))] == []


def test_no_injected_element_or_attribute(opened) -> None:
    page, _, _ = opened
    found = page.evaluate(INJECTED)
    assert found["handlers"] == [] and found["images"] == [] and found["elements"] == []
    assert found["javascript_links"] == []
    assert found["scripts"] == 5  # the table library (2), the report's script, the table's (2)
    assert found["hiding_styles"] == 0 and found["body_height"] > 1000


def test_article_and_title_are_shown_as_text(opened) -> None:
    page, analysis, _ = opened
    assert page.locator(".eo-article").text_content() == analysis.article.text
    assert page.locator(".eo-lede b").first.text_content() == analysis.article.title
    assert page.title() == f"Who said what: {analysis.article.title}"
    legend = page.locator(".eo-key").all_text_contents()
    assert legend == list(dict.fromkeys(analysis.table["speaker"]))
    alts = " ".join(page.locator("img").evaluate_all("images => images.map(i => i.alt)"))
    assert all(speaker in alts for speaker in analysis.table["speaker"])  # figure descriptions, as text


def test_every_payload_appears_as_text(opened) -> None:
    page, analysis, _ = opened
    text = page.locator(".eo-article").text_content()
    kept = [p for p in PAYLOADS if p in analysis.article.text]  # a web page's text extraction alters a few
    assert len(kept) >= len(PAYLOADS) - 3
    assert [p for p in kept if p not in text] == []
    assert page.locator("mark.eo-hl").count() == len(analysis.table)


def test_tooltip_shows_speaker_and_affiliation_as_text(opened) -> None:
    page, analysis, _ = opened
    for i in (0, 5, len(analysis.table) - 1):
        row = analysis.table.iloc[i]
        # focus and read in one go: scrolling may bring another highlight under the mouse
        first = (
            page.locator("mark.eo-hl")
            .nth(i)
            .evaluate("m => { m.focus(); return document.querySelector('#eo-tip div').textContent; }")
        )
        expected = f"{row['speaker']} ({row['affiliation']})" if row["affiliation"] else row["speaker"]
        assert first == expected  # the whole line, whatever characters the names hold
        assert page.locator("#eo-tip *:not(div)").count() == 0


def test_table_loads_and_search_works(opened) -> None:
    page, analysis, _ = opened
    assert f"of {len(analysis.table)} entries" in page.locator(".dt-info").inner_text()
    page.locator(".dt-search input").fill("onerror")
    searched = ["id", "speaker", "text"]  # the searchable text cells (details are not searched)
    expected = int(analysis.table[searched].apply(lambda r: "onerror" in " ".join(r), axis=1).sum())
    expect(page.locator("#eo-statements tbody tr")).to_have_count(min(expected, 25))
    rows = page.locator("#eo-statements tbody tr").all_inner_texts()
    assert expected > 0 and all("onerror" in row for row in rows)


def test_statement_cards_show_payloads_as_text(opened) -> None:
    page, analysis, _ = opened
    cards = page.locator(".eo-card li")
    assert cards.count() > 0
    shown = " ".join(cards.all_text_contents())
    compared = analysis.table[analysis.table["role"] == "expert"]
    assert all(text in shown for text in compared["text"])


def test_hostile_id_links_both_ways(browser, hostile) -> None:
    """A statement id of `</script><script>alert(1)</script>` links table to article and back."""
    path, analysis = hostile["curated"]
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(path.as_uri())
    page.wait_for_selector("#eo-statements tbody tr", timeout=20_000)
    hostile_id = "</script><script>alert(1)</script>"
    assert hostile_id in set(analysis.table["id"])
    page.locator(f"td.eo-link-cell a[data-id='{hostile_id}']").click()
    expect(page.locator("mark.eo-hl:focus")).to_have_count(1)
    assert page.evaluate("document.activeElement.dataset.id") == hostile_id
    page.keyboard.press("Enter")
    expect(page.locator("#eo-statements tbody tr")).to_have_count(1)
    assert page.locator("#eo-statements tbody tr td").first.text_content() == hostile_id
    assert dialogs == []
    page.close()


def test_filter_panes_show_hostile_names_as_text(browser, hostile) -> None:
    """The panes build `<span title="NAME">`: a name with a quote and a style stays one title, no overlay."""
    from tests.hostile.corpus import OVERLAYS

    path, analysis = hostile["curated"]
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(path.as_uri())
    page.wait_for_selector("#eo-statements tbody tr", timeout=20_000)
    page.locator(".dtsp-showAll").click()  # open the filter panes
    expect(page.locator(".dtsp-searchPane span.dtsp-name").first).to_be_visible()
    names = page.locator(".dtsp-searchPane span.dtsp-name").evaluate_all(
        "es => es.map(e => ({title: e.title, text: e.textContent, attributes: e.getAttributeNames()}))"
    )
    covering = page.evaluate(
        "() => [...document.querySelectorAll('*')].filter(e => getComputedStyle(e).position == 'fixed'"
        " && e.getBoundingClientRect().width > innerWidth / 2).map(e => e.outerHTML.slice(0, 80))"
    )
    assert covering == []
    assert all(n["attributes"] == ["title", "class"] and n["title"] == n["text"] for n in names)
    speakers = {n["text"] for n in names}
    assert [s for s in analysis.table["speaker"] if any(o in s for o in OVERLAYS)] and set(
        analysis.table["speaker"]
    ) <= speakers
    middle = page.evaluate("document.elementFromPoint(innerWidth / 2, innerHeight / 2).className")
    assert "dtsp-name" not in str(middle)
    page.close()
