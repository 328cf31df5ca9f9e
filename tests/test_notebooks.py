"""The notebooks stay thin, parameterised and committed with their outputs."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from tests.conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
MACHINE_PATH = re.compile(
    r"(?<![\w.~])/(?:home|root|tmp|work|Users|var)/"
)  # meaningless on a reader's machine


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_thin_parameterised_and_executed(path) -> None:
    notebook = nbformat.read(path, as_version=4)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    tagged = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and tagged[0] is code[0], "the first code cell is papermill's parameters cell"
    for cell in code:
        assert "def " not in cell.source and "class " not in cell.source, "logic belongs in utils/"
        assert len(cell.source.splitlines()) <= 15, "a notebook cell is a few calls, not a program"
        assert not cell.source.rstrip().endswith(";"), "use _ = ... instead of a trailing ;"
    assert all(c.execution_count for c in code), "run `make notebooks` and commit the outputs"
    assert not any(o.output_type == "error" for c in code for o in c.outputs)
    shown = "".join(
        str(o.get("text", "")) + str(o.get("data", {}).get("text/plain", "")) for c in code for o in c.outputs
    )
    assert not MACHINE_PATH.search(shown), (
        "an output shows a folder of the machine that ran it: print shown_path()"
    )


def test_there_is_a_notebook_per_step() -> None:
    names = [p.name for p in NOTEBOOKS]
    assert names[:5] == [
        "01_who_said_what.ipynb",
        "02_stance.ipynb",
        "03_sentiment.ipynb",
        "04_experts_side_by_side.ipynb",
        "05_report.ipynb",
    ]


# --- On an article nobody labelled, the notebooks say so instead of showing empty tables (issue 18) ---

STORY = (
    "Bridge vote\n\n“The bridge isn’t finished and we waited long enough,” Mayor Ana Lopez said.\n\n"
    "Engineer Bo Chen said the costs had doubled. “It won’t open before spring,” Chen said.\n"
)


def _run(name: str, article: str, out: Path) -> tuple[str, list[str]]:
    """Run one notebook with papermill on ``article``; its outputs' text, and every HTML table in them."""
    import papermill

    papermill.execute_notebook(
        str(ROOT / "notebooks" / name),
        str(out / name),
        parameters={"article": article},
        cwd=str(ROOT / "notebooks"),
        progress_bar=False,
        kernel_name="python3",
    )
    outputs = [o for c in nbformat.read(out / name, as_version=4).cells for o in c.get("outputs", [])]
    texts = [str(o.get("data", {}).get(kind, "")) for o in outputs for kind in ("text/html", "text/markdown")]
    text = "\n".join(texts)
    return text, re.findall(r"<table\b.*?</table>", text, re.S)


@pytest.fixture
def unlabelled(tmp_path, data_copy) -> Path:
    story = tmp_path / "bridge.txt"
    story.write_text(STORY, encoding="utf-8")
    return story


def test_stance_notebook_says_no_labels_yet_instead_of_empty_tables(unlabelled, tmp_path) -> None:
    text, tables = _run("02_stance.ipynb", str(unlabelled), tmp_path)
    assert "**No labels yet:** nobody has labelled a statement" in text
    assert "**No labels yet**, so there is nothing to check the suggestions against." in text
    assert "no labels by people yet; the machine suggests" in text
    assert all("<td" in table for table in tables)  # no table without rows
    assert not any("not addressed" in table and ">people<" in table for table in tables)  # no zero confusion


def test_sentiment_notebook_takes_its_examples_from_the_article(unlabelled, tmp_path) -> None:
    text, tables = _run("03_sentiment.ipynb", str(unlabelled), tmp_path)
    assert (
        "The deal isn’t good for Ukraine" not in text and "Kyiv" not in text
    )  # nothing from the Kursk article
    negation = next(t for t in tables if "normalised" in t)
    assert "The bridge isn’t finished and we waited long enough," in negation and "won’t open" in negation
    assert "no statement has a direction (favor or against) yet" in text
    assert all("<td" in table for table in tables)


def test_bundled_sentiment_notebook_shows_the_bundled_article_s_own_sentences() -> None:
    notebook = nbformat.read(ROOT / "notebooks" / "03_sentiment.ipynb", as_version=4)
    text = " ".join(
        str(o.get("data", {}).get("text/html", "")) for c in notebook.cells for o in c.get("outputs", [])
    )
    assert "doesn’t have to give up" in text and "The deal isn’t good for Ukraine" not in text


def test_comparison_notebook_on_a_seeded_table_says_there_is_nothing_to_compare_yet(
    tmp_path, data_copy
) -> None:
    from utils.articles import resolve_article
    from utils.curation import seed_curation

    (data_copy / "articles" / "bridge-vote.txt").write_text(STORY, encoding="utf-8")
    seed_curation(resolve_article("bridge-vote"))
    text, tables = _run("06_extraction_vs_curation.ipynb", "bridge-vote", tmp_path)
    assert "There is nothing to compare yet:" in text and "1.000" not in text
    assert all("<td" in table for table in tables)
