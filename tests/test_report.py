"""The rendered HTML report: self-contained, complete, and never half-written."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import EXPERTS, KURSK, ROOT
from utils import report


def test_highlight_nests_and_keeps_one_element_per_span() -> None:
    text = "ab <c> d e f g"
    spans = [(0, 14, "<mark a>"), (3, 6, "<mark b>"), (5, 12, "<mark c>"), (13, 14, "<mark d>")]
    page = report.highlight(text, spans)
    assert page == "<mark a>ab <mark b>&lt;c<mark c>&gt;</mark></mark> d e f <mark d>g</mark></mark>"
    assert page.count("<mark") == page.count("</mark>") == 4


def test_highlight_spans_in_any_order_and_out_of_range() -> None:
    page = report.highlight("hello", [(3, 99, "<m2>"), (0, 2, "<m1>"), (7, 9, "<m3>")])
    assert page == "<m1>he</mark>l<m2>lo</mark><m3></mark>"


def test_report_notebook_has_a_parameters_cell() -> None:
    import nbformat

    notebook = nbformat.read(report.REPORT_NOTEBOOK, as_version=4)
    tagged = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and tagged[0].source.startswith("article = ")


def test_report_contains_experts_figures_and_no_network_loads(rendered_report: Path) -> None:
    page = rendered_report.read_text(encoding="utf-8")
    for name in EXPERTS:
        assert name in page
    images = re.findall(r"<img [^>]+>", page)
    alts = [re.search(r'alt="([^"]*)"', tag) for tag in images]
    assert len(images) == 4 and all('src="data:image/png;base64,' in tag for tag in images)
    assert all(alt and len(alt.group(1)) > 40 and "no description" not in alt.group(1) for alt in alts)
    loads = re.findall(r'<(?:script|link|img|iframe)[^>]+(?:src|href)="(https?:)?//', page)
    assert loads == []
    assert "injectModule(" in page and "window._itables_" in page  # the table library is embedded
    assert page.count('class="eo-hl ') == 37
    assert "Cohen's κ" in page and "Kagan" in page.split("Methods and caveats")[-1]
    assert "<title>Who said what: Ukraine doubles down on Kursk" in page
    assert "analyse_ref(article)" not in page  # code is hidden


def test_interrupted_report_run_leaves_previous_report_intact(tmp_path: Path) -> None:
    previous = tmp_path / f"{KURSK}.html"
    previous.write_text("<html>the previous report</html>", encoding="utf-8")
    run = subprocess.Popen(
        [sys.executable, "-m", "utils.cli", "report", KURSK, "-o", str(tmp_path)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    time.sleep(3)  # the kernel is running the notebook by now (a full run takes about 8 s)
    run.kill()
    run.wait()
    assert previous.read_text(encoding="utf-8") == "<html>the previous report</html>"
    assert [p.name for p in tmp_path.iterdir()] == [previous.name]


def test_failure_while_writing_keeps_previous_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from utils import files

    target = tmp_path / "table.csv"
    target.write_text("old", encoding="utf-8")

    def broken_write(self: Path, text: str, **_: object) -> int:
        self.write_bytes(text[:3].encode())
        raise KeyboardInterrupt

    monkeypatch.setattr(Path, "write_text", broken_write)
    with pytest.raises(KeyboardInterrupt):
        files.write_text_atomic(target, "new content")
    monkeypatch.undo()
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["table.csv"]


def test_headline_marks_automatic_analyses(kursk_analysis, tmp_path: Path, data_copy: Path) -> None:
    from utils.analysis import analyse_ref

    assert "eo-banner" not in report.headline(kursk_analysis)
    story = tmp_path / "story.txt"
    story.write_text("Bridge vote\n\n“We waited long enough,” Mayor Ana Lopez said.\n", encoding="utf-8")
    automatic = report.headline(analyse_ref(str(story)))
    assert "Automatic analysis." in automatic and "found by the extractor" in automatic
    assert "found automatically (not yet checked by a person)" in automatic


def test_methods_quote_the_published_extraction_figures(tmp_path: Path, data_copy: Path) -> None:
    import json

    from utils.analysis import analyse_ref

    (data_copy / "evaluation" / "unseen.json").write_text(
        json.dumps(
            {"articles": 7, "micro": {"span_f1": 0.912, "attributed_f1": 0.801, "recall_direct": 0.97}}
        ),
        encoding="utf-8",
    )
    story = tmp_path / "story.txt"
    story.write_text("Bridge vote\n\n“We waited long enough,” Mayor Ana Lopez said.\n", encoding="utf-8")
    methods = report.methods_html(analyse_ref(str(story)))
    assert "on 7 news articles it had not been developed on" in methods
    assert "span F1 0.91" in methods and "attributed F1 0.80" in methods
    assert "development set its rules were built on" in methods
    assert "were found automatically" in methods and "not been developed on" not in report.methods_html(
        analyse_ref(KURSK)
    )
