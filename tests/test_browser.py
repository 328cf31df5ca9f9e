"""The rendered report in a real browser (Debian's Chromium driven by Playwright).

In CI these always run (.ci/run installs Chromium); elsewhere they skip, saying why,
when no Chromium is installed. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT, chromium_or_skip

ARTIFACTS = ROOT / "test-artifacts"
FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    executable = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=FLAGS)
        yield launched
        launched.close()


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
    page.wait_for_function("document.querySelectorAll('#eo-statements tbody tr').length === 6")
    rows = _visible_rows(page)
    assert len(rows) == 6 and all("Robert Kagan" in row for row in rows)


def test_one_highlight_per_statement_with_details_on_focus(opened) -> None:
    page, _, _ = opened
    marks = page.locator("mark.eo-hl")
    assert marks.count() == 37
    page.locator("#stmt-s28").focus()
    tip = page.locator("#eo-tip")
    assert tip.is_visible()
    assert "Robert Kagan" in tip.inner_text() and "war_outlook: against" in tip.inner_text()


def test_clicking_a_highlight_finds_it_in_the_table(opened) -> None:
    page, _, _ = opened
    page.locator("#stmt-s16").click()
    page.wait_for_function("document.querySelectorAll('#eo-statements tbody tr').length === 1")
    assert "Mick Ryan" in _visible_rows(page)[0]


def test_readable_at_phone_width(browser, rendered_report: Path) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    page.goto(rendered_report.as_uri())
    page.wait_for_selector("#eo-statements tbody tr", timeout=20_000)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1  # nothing pushes the page sideways; the wide table scrolls inside its box
    boxes = [
        page.locator(sel).first.bounding_box() for sel in ("img", ".eo-card", ".eo-article", ".eo-methods")
    ]
    assert all(box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390 for box in boxes), boxes
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report-phone.png"), full_page=True)
    page.close()


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
    assert link.get_attribute("href") == "#stmt-s01" and link.inner_text() == "show"
    link.click()
    page.wait_for_function("document.activeElement && document.activeElement.id === 'stmt-s01'")
    assert (
        page.locator("#eo-tip").is_visible() and "Volodymyr Zelensky" in page.locator("#eo-tip").inner_text()
    )
    assert problems == []
