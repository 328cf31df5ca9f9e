"""The rendered report in a real browser (Debian's Chromium driven by Playwright).

In CI these always run (.ci/run installs Chromium); elsewhere they skip, saying why,
when no Chromium is installed. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ROOT

expect = pytest.importorskip("playwright.sync_api").expect

ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture
def opened(browser, rendered_report: Path):
    """The report open in a fresh page, with its console errors and network requests recorded."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: problems.append(f"{m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(rendered_report.as_uri())
    page.wait_for_selector("#eo-statements tbody tr", timeout=20_000)
    yield page, problems, requests
    page.close()


def _visible_rows(page) -> list[str]:
    return page.locator("#eo-statements tbody tr").all_inner_texts()


def test_loads_without_errors_or_network(opened) -> None:
    page, problems, requests = opened
    assert problems == []
    remote = [url for url in requests if not url.startswith(("file:", "data:", "blob:"))]
    assert remote == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)


def test_search_box_filters_the_table(opened) -> None:
    page, _, _ = opened
    assert "of 37 entries" in page.locator(".dt-info").inner_text()
    page.locator(".dt-search input").fill("Kagan")
    expect(page.locator("#eo-statements tbody tr")).to_have_count(6)
    rows = _visible_rows(page)
    assert len(rows) == 6 and all("Robert Kagan" in row for row in rows)


def test_one_highlight_per_statement_with_details_on_focus(opened) -> None:
    page, _, _ = opened
    marks = page.locator("mark.eo-hl")
    assert marks.count() == 37
    page.locator("#stmt-s28").focus()
    tip = page.locator("#eo-tip")
    assert tip.is_visible()
    assert (
        "Robert Kagan" in tip.inner_text()
        and "Ukraine's overall war outlook is…: against" in tip.inner_text()
    )


def test_clicking_a_highlight_finds_it_in_the_table(opened) -> None:
    page, _, _ = opened
    page.locator("#stmt-s16").click()
    expect(page.locator("#eo-statements tbody tr")).to_have_count(1)
    assert "Mick Ryan" in _visible_rows(page)[0]


def test_readable_at_phone_width(browser, rendered_report: Path) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    page.goto(rendered_report.as_uri())
    page.wait_for_selector("#eo-statements tbody tr", timeout=20_000)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1  # nothing pushes the page sideways
    boxes = [
        page.locator(sel).first.bounding_box()
        for sel in ("img.eo-fig-narrow", ".eo-card", ".eo-article", ".eo-methods")
    ]
    assert all(box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390 for box in boxes), boxes
    assert figure_text_sizes(page, "eo-fig-narrow") and min(figure_text_sizes(page, "eo-fig-narrow")) >= 10
    page.close()


FIGURE_TEXT = """cls => [...document.querySelectorAll('img.eo-fig-wide, img.eo-fig-narrow')]
  .filter(i => getComputedStyle(i).display !== 'none')
  .map(i => [i.className,
    Number(i.dataset.fontPx) * i.getBoundingClientRect().width / Number(i.getAttribute('width'))])"""


def figure_text_sizes(page, shown: str) -> list[float]:
    """How tall, in CSS pixels, the smallest text of each figure on screen is as shown; only ``shown``
    figures (the class of the width drawn for this screen) may be on screen."""
    sizes = page.evaluate(FIGURE_TEXT, shown)
    assert sizes and {cls for cls, _ in sizes} == {shown}, sizes
    return [size for _, size in sizes]


def test_table_fits_a_laptop_screen(opened) -> None:
    """At 1,280 px: no sideways scrolling, and every column (its header and cells) inside the window."""
    page, problems, _ = opened
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    table = page.locator("#eo-statements")
    assert table.evaluate("t => t.scrollWidth <= t.closest('.dt-container').clientWidth")
    headers = page.locator("#eo-statements thead th")
    rights = headers.evaluate_all("hs => hs.map(h => h.getBoundingClientRect().right)")
    assert len(rights) == 12 and max(rights) <= 1280
    assert page.locator("#eo-statements thead th").all_inner_texts()[:4] == [
        "id",
        "speaker",
        "kind",
        "statement",
    ]
    clipped = table.evaluate(
        "t => [...t.querySelectorAll('tbody td')].filter(c => c.scrollWidth > c.clientWidth + 1).length"
    )
    assert clipped == 0 and problems == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#eo-statements").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "after-1280.png"), full_page=True)
    page.screenshot(path=str(ARTIFACTS / "after-1280-table.png"))


def test_table_rows_become_cards_on_a_phone(browser, rendered_report: Path) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    page.goto(rendered_report.as_uri())
    page.wait_for_selector("#eo-statements tbody tr[data-dressed]", timeout=20_000)
    assert not page.locator("#eo-statements thead").is_visible()
    rows = page.locator("#eo-statements tbody tr")
    boxes = rows.evaluate_all(
        "rs => rs.map(r => [getComputedStyle(r).display, r.getBoundingClientRect().left,"
        " r.getBoundingClientRect().right])"
    )
    assert all(display == "block" and left >= 0 and right <= 390 for display, left, right in boxes), boxes
    statement = page.locator("#eo-statements tbody tr").first.locator("td.eo-statement-cell")
    assert statement.evaluate("c => c.scrollWidth <= c.clientWidth + 1 && c.clientWidth > 300")
    labels = rows.first.locator("td").evaluate_all(
        "cs => cs.map(c => getComputedStyle(c, '::before').content)"
    )
    assert '"speaker"' in labels and '"statement"' in labels  # each value says which column it is
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "after-390.png"), full_page=True)
    page.locator("#eo-statements").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "after-390-table.png"))
    page.close()


def test_a_clear_filter_button_after_clicking_a_highlight(opened) -> None:
    page, _, _ = opened
    clear = page.locator(".eo-clear-filter")
    assert not clear.is_visible()
    page.locator("#stmt-s16").click()
    expect(page.locator("#eo-statements tbody tr")).to_have_count(1)
    assert clear.is_visible() and "s16" in clear.inner_text()
    clear.click()
    expect(page.locator("#eo-statements tbody tr")).to_have_count(25)
    assert not clear.is_visible() and page.locator(".dt-search input").input_value() == ""
    assert "of 37 entries" in page.locator(".dt-info").inner_text()


TOPIC_IDS = ["kursk_value", "hold_kursk", "kursk_leverage", "war_outlook"]


def test_readers_see_propositions_never_topic_ids(opened) -> None:
    page, _, _ = opened
    page.locator(".dtsp-showAll").click()  # open the filter panes
    page.wait_for_timeout(300)
    visible = page.inner_text("body")
    alts = " ".join(page.locator("img").evaluate_all("images => images.map(i => i.alt)"))
    titles = " ".join(page.locator("[title]").evaluate_all("es => es.map(e => e.title)"))
    assert [t for t in TOPIC_IDS if t in visible or t in alts or t in titles] == []
    assert "Holding Kursk strengthens Ukraine's…" in page.locator("#eo-statements thead").inner_text()
    header = page.locator("#eo-statements thead th", has_text="Holding Kursk strengthens")
    assert header.get_attribute("title") == "Holding Kursk strengthens Ukraine's hand in negotiations"
    placeholders = page.locator(".dtsp-panesContainer input").evaluate_all("es => es.map(e => e.placeholder)")
    assert "Holding Kursk strengthens Ukraine's…" in placeholders  # each pane is titled by its column
    assert [t for t in TOPIC_IDS if t in " ".join(placeholders)] == []


def test_nested_statements_sit_under_their_parent(opened) -> None:
    page, _, _ = opened
    page.locator(".dt-length select").select_option("-1")  # all rows on one page
    expect(page.locator("#eo-statements tbody tr")).to_have_count(37)
    ids = page.locator("#eo-statements tbody tr td.eo-link-cell").all_inner_texts()
    assert ids[ids.index("s26") + 1] == "s27" and ids[ids.index("s07") + 1] == "s08"
    child = page.locator("#eo-statements tbody tr.eo-child")
    assert child.count() == 4  # s08, s27, s31, s35
    assert "within s26" in child.nth(1).inner_text()
    nested = page.locator(".eo-card li:has(> ol.eo-nested)")
    assert nested.count() == 3  # experts' cards: s26, s30 (Kagan), s34 (Bierman) show their inner quote
    kagan = page.locator(".eo-card", has_text="Robert Kagan").first
    assert "4 claims (6 statements)" in kagan.locator("h4").inner_text()
    assert page.locator("mark#stmt-s26 mark#stmt-s27").count() == 1  # the article nests them too


INJECTION = (
    '<img src=x onerror="alert(1)"><script>alert(2)</script><a id="eo-js" href="javascript:alert(3)">x</a>'
)


@pytest.mark.parametrize(("policy", "dialogs"), [(True, []), (False, ["1", "2", "3"])])
def test_policy_stops_markup_that_escaped_its_escaping(
    browser, rendered_report: Path, tmp_path, policy, dialogs
):
    """Markup slipped into the page runs nothing under the report's CSP (and would without it)."""
    page_text = rendered_report.read_text(encoding="utf-8")
    if not policy:
        page_text = page_text.replace('http-equiv="Content-Security-Policy"', 'name="no-policy"')
    copy = tmp_path / "injected.html"
    copy.write_text(
        page_text.replace("<h4>Statements</h4>", "<h4>Statements</h4>" + INJECTION), encoding="utf-8"
    )
    page = browser.new_page()
    seen: list[str] = []
    page.on("dialog", lambda d: (seen.append(d.message), d.dismiss()))
    page.goto(copy.as_uri())
    page.wait_for_selector("#eo-statements tbody tr", timeout=20_000)
    page.locator("#eo-js").click()
    page.wait_for_timeout(300)
    assert sorted(seen) == dialogs
    assert "of 37 entries" in page.locator(".dt-info").inner_text()  # the report's own scripts still run
    page.close()


def test_table_links_jump_to_the_highlight(opened) -> None:
    page, problems, _ = opened
    link = page.locator("td.eo-link-cell a").first
    assert link.get_attribute("href") == "#stmt-s01" and link.inner_text() == "s01"
    link.click()
    expect(page.locator("#stmt-s01")).to_be_focused()
    assert (
        page.locator("#eo-tip").is_visible() and "Volodymyr Zelensky" in page.locator("#eo-tip").inner_text()
    )
    assert problems == []


# --- An article people reviewed only in part: labels and suggestions apart, figures readable (issue 18) ---


@pytest.fixture(scope="module")
def partly(tmp_path_factory: pytest.TempPathFactory):
    """The partly reviewed article (tests/partly_reviewed.py): its report and analysis, own data folder."""
    import shutil

    from tests.partly_reviewed import write_partly_reviewed
    from utils.analysis import analyse_ref
    from utils.report import render_report

    base = tmp_path_factory.mktemp("partly")
    data = base / "data"
    shutil.copytree(ROOT / "data", data)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("EXPERT_OPINIONS_DATA", str(data))
        ref = write_partly_reviewed(data)
        yield render_report(ref, base / "reports"), analyse_ref(ref)


def _open(browser, path: Path, width: int):
    page = browser.new_page(viewport={"width": width, "height": 900}, device_scale_factor=1)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(path.as_uri())
    page.wait_for_selector("#eo-statements tbody tr[data-dressed]", timeout=20_000)
    return page, problems


def _hints_in_cards(analysis) -> int:
    """Suggestions the experts' cards must show: those with words to check, on unlabelled statements."""
    from utils.analysis import experts

    rows = analysis.table[analysis.table["speaker"].isin(experts(analysis.table))]
    found = [analysis.suggestion(i, t) for i in rows["id"] for t in analysis.topics["topic"]]
    return sum(1 for hint in found if hint is not None and hint.shown)


def test_partly_reviewed_labels_and_suggestions_never_look_alike(browser, partly) -> None:
    path, analysis = partly
    page, problems = _open(browser, path, 1280)
    banner = page.locator(".eo-banner").inner_text()
    assert "Partly reviewed." in banner and "20 of 37 statements were reviewed by people" in banner
    assert "16 of 37 statements carry stance labels given by people" in banner
    assert "curated" not in page.locator(".eo-lede").inner_text()

    # cards: people's labels filled, suggestions outlined and dashed, with how sure and from what
    tag = page.locator(".eo-card .eo-tag").first.evaluate("e => getComputedStyle(e).backgroundColor")
    hint = page.locator(".eo-card .eo-suggestion").first
    style = hint.evaluate("e => [getComputedStyle(e).backgroundColor, getComputedStyle(e).borderTopStyle]")
    assert tag != style[0] and style == ["rgb(255, 255, 255)", "dashed"]
    assert page.locator(".eo-card .eo-suggestion").count() == _hints_in_cards(analysis) > 0
    assert "SUGGESTED" in hint.inner_text() and (
        "% sure" in hint.inner_text() or "mentions" in hint.inner_text()
    )
    mixed = page.locator(".eo-card li:has(> .eo-tag):has(> .eo-suggestion)")
    assert mixed.count() == 0  # a statement shows people's labels or suggestions, never both alike

    # table: every topic cell of an unlabelled row says "suggested:" and is hatched; people's are plain
    page.locator(".dt-length select").select_option("-1")
    expect(page.locator("#eo-statements tbody tr")).to_have_count(37)
    cells = page.locator("#eo-statements tbody td.eo-topic-cell").evaluate_all(
        "cs => cs.map(c => [c.closest('tr').querySelector('td.eo-link-cell').textContent, c.textContent,"
        " c.classList.contains('eo-suggested'), getComputedStyle(c).fontStyle])"
    )
    automatic = set(analysis.table.loc[analysis.table["stance_source"] == "automatic", "id"])
    assert len(cells) == 37 * 4
    for ident, text, suggested, font in cells:
        assert suggested == text.startswith("suggested: ") == (ident in automatic), (ident, text)
        assert (font == "italic") == suggested
    hatched = page.locator("#eo-statements td.eo-suggested:not(.eo-na)").first
    assert "repeating-linear-gradient" in hatched.evaluate("c => getComputedStyle(c).backgroundImage")

    # tooltip of an unreviewed, unlabelled statement
    page.locator("#stmt-s30").focus()
    tip = page.locator("#eo-tip").inner_text()
    assert "not reviewed" in tip and "suggested by the machine, not reviewed:" in tip

    # figures: the wide ones, two panels apart, readable as shown
    alts = page.locator("img.eo-fig-wide").evaluate_all("is => is.map(i => i.alt)")
    assert "Labelled by people:" in alts[0] and "Suggested by the machine, not reviewed:" in alts[0]
    assert min(figure_text_sizes(page, "eo-fig-wide")) >= 10
    assert problems == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator(".dt-length select").select_option("25")
    page.screenshot(path=str(ARTIFACTS / "partly-reviewed-1280.png"), full_page=True)
    page.locator("img.eo-fig-wide").first.screenshot(path=str(ARTIFACTS / "partly-reviewed-1280-stance.png"))
    page.locator(".eo-card", has_text="Robert Kagan").first.screenshot(
        path=str(ARTIFACTS / "partly-reviewed-1280-card.png")
    )
    page.locator("#eo-statements").screenshot(path=str(ARTIFACTS / "partly-reviewed-1280-table.png"))
    page.close()


def test_partly_reviewed_on_a_phone_gets_figures_redrawn_not_shrunk(browser, partly) -> None:
    path, _ = partly
    page, problems = _open(browser, path, 390)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1
    sizes = figure_text_sizes(page, "eo-fig-narrow")  # the narrow drawings, and only those, on screen
    assert len(sizes) == 4 and min(sizes) >= 10, sizes
    boxes = page.locator("img.eo-fig-narrow").evaluate_all(
        "is => is.map(i => [i.getBoundingClientRect().left, i.getBoundingClientRect().right])"
    )
    assert all(left >= 0 and right <= 390 for left, right in boxes), boxes
    hints = page.locator(".eo-card .eo-suggestion").evaluate_all(
        "hs => hs.map(h => h.getBoundingClientRect().right"
        " <= h.closest('.eo-card').getBoundingClientRect().right)"
    )
    assert hints and all(hints)  # suggestions wrap inside their card
    rows = page.locator("#eo-statements tbody tr td.eo-suggested:not(.eo-na)")
    assert rows.count() > 0 and rows.first.is_visible()  # on a phone, suggestions stay marked in the cards
    text = page.locator("pre.eo-article-text")
    assert text.evaluate("p => getComputedStyle(p).wordBreak") == "normal"  # no word is cut in two
    assert problems == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "partly-reviewed-390.png"), full_page=True)
    for n, name in enumerate(("stance", "sentiment", "certainty", "counts")):
        page.locator("img.eo-fig-narrow").nth(n).screenshot(
            path=str(ARTIFACTS / f"partly-reviewed-390-{name}.png")
        )
    page.locator(".eo-card", has_text="Robert Kagan").first.screenshot(
        path=str(ARTIFACTS / "partly-reviewed-390-card.png")
    )
    page.close()


def test_partly_reviewed_in_print_keeps_suggestions_boxed(browser, partly) -> None:
    path, analysis = partly
    page, _ = _open(browser, path, 1280)
    page.emulate_media(media="print")
    assert page.locator("table.eo-print-table").is_visible()
    boxes = page.locator("table.eo-print-table .eo-suggestion")
    pairs = analysis.suggestions[["id", "topic"]].itertuples(index=False)
    expected = sum(analysis.suggestion(*pair).shown for pair in pairs)
    assert boxes.count() == expected > 0
    assert boxes.first.evaluate("b => getComputedStyle(b).borderTopStyle") == "dashed"
    assert page.locator("img.eo-fig-wide").first.is_visible()  # print keeps the wide drawings
    ARTIFACTS.mkdir(exist_ok=True)
    page.pdf(path=str(ARTIFACTS / "partly-reviewed.pdf"), format="A4", print_background=True)
    page.locator("table.eo-print-table").screenshot(path=str(ARTIFACTS / "partly-reviewed-print-table.png"))
    page.close()
