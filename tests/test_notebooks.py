"""The notebooks stay thin, parameterised and committed with their outputs."""

from __future__ import annotations

import nbformat
import pytest

from tests.conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))


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


def test_there_is_a_notebook_per_step() -> None:
    names = [p.name for p in NOTEBOOKS]
    assert names[:5] == [
        "01_who_said_what.ipynb",
        "02_stance.ipynb",
        "03_sentiment.ipynb",
        "04_experts_side_by_side.ipynb",
        "05_report.ipynb",
    ]
