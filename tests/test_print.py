"""Print and PDF: every statement on paper, no controls or topic ids; a clear word without a browser."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import chromium_or_skip
from utils import report
from utils.errors import InputError

STATEMENT_IDS = [f"s{n:02d}" for n in range(1, 38)]  # data/curated/kursk-2025-01.statements.csv: s01..s37
TOPIC_IDS = ["kursk_value", "hold_kursk", "kursk_leverage", "war_outlook"]


def pdf_text(path: Path) -> str:
    """The PDF's text through pypdf, else poppler's pdftotext; the test cannot read a PDF without one."""
    try:
        from pypdf import PdfReader
    except ImportError:
        tool = shutil.which("pdftotext")
        if tool is None:
            pytest.skip("reading PDF text needs pypdf (a dev dependency) or poppler-utils' pdftotext")
        return subprocess.run([tool, str(path), "-"], capture_output=True, text=True, check=True).stdout
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


@pytest.fixture(scope="module")
def printed(rendered_report: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    chromium_or_skip()
    return report.print_pdf(rendered_report, tmp_path_factory.mktemp("pdf") / "report.pdf")


def test_pdf_is_a4_pages(printed: Path) -> None:
    data = printed.read_bytes()
    assert data.startswith(b"%PDF-")
    pages = re.findall(rb"/Type /Page\b", data)
    boxes = set(re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", data))
    assert 5 <= len(pages) <= 40
    assert boxes and all(abs(float(w) - 595.3) < 1 and abs(float(h) - 841.9) < 1.5 for w, h in boxes)  # A4


def test_pdf_holds_every_statement_and_no_topic_id(printed: Path) -> None:
    text = pdf_text(printed)
    assert [i for i in STATEMENT_IDS if not re.search(rf"\b{i}\b", text)] == []
    assert [t for t in TOPIC_IDS if t in text] == []


def test_print_layout_shows_all_rows_and_hides_controls(browser, rendered_report: Path) -> None:
    page = browser.new_page(viewport={"width": 794, "height": 1123})  # A4 at 96 dpi
    page.goto(rendered_report.as_uri())
    page.wait_for_selector("#eo-statements tbody tr", timeout=20_000)
    page.emulate_media(media="print")
    rows = page.locator("table.eo-print-table tbody tr")
    assert rows.count() == 37 and rows.first.is_visible()
    printed_ids = rows.evaluate_all("rows => rows.map(r => r.cells[0].textContent)")
    assert sorted(printed_ids) == STATEMENT_IDS
    for control in (".dt-container", ".dt-paging", ".dt-search", ".dtsp-panesContainer", ".eo-clear-filter"):
        assert not page.locator(control).first.is_visible(), control
    assert page.evaluate("document.documentElement.scrollWidth") <= 794  # every column on the page
    text = page.inner_text("body")
    assert [t for t in TOPIC_IDS if t in text] == []
    assert "within s26" in page.locator("table.eo-print-table tr.eo-child").nth(1).inner_text()
    page.close()


def test_no_browser_says_what_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(report, "chromium_path", lambda: None)
    with pytest.raises(InputError) as raised:
        report.print_pdf(tmp_path / "report.html", tmp_path / "report.pdf")
    message = raised.value.message
    assert "no Chromium browser found" in message and "apt-get install chromium" in message
    assert "\n" not in message and not (tmp_path / "report.pdf").exists()
