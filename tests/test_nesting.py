"""Nested statements: which rows sit inside another statement of the same speaker."""

from __future__ import annotations

import pandas as pd
import pytest

from utils import nesting


def _table(rows: list[tuple[str, str, int, int]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["id", "speaker", "start", "end"])


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([("a", "X", 0, 10), ("b", "X", 2, 5)], {"b": "a"}),  # a quote inside a paraphrase
        ([("a", "X", 0, 10), ("b", "Y", 2, 5)], {}),  # another speaker's words are not nested
        ([("a", "X", 0, 10), ("b", "X", 5, 15)], {}),  # overlapping is not containment
        ([("a", "X", 0, 20), ("b", "X", 2, 15), ("c", "X", 3, 5)], {"b": "a", "c": "b"}),  # nearest parent
        ([("a", "X", 0, 10), ("b", "X", 0, 10)], {"b": "a"}),  # the same span: the later row nests
        ([("b", "X", 2, 5), ("a", "X", 0, 10)], {"b": "a"}),  # whatever the row order
        ([("a", "X", 0, 10), ("b", "X", 10, 20)], {}),  # adjacent statements
    ],
)
def test_parent_ids(rows, expected) -> None:
    assert nesting.parent_ids(_table(rows)).to_dict() == expected


def test_bundled_article_nests_four_fragments(kursk_analysis) -> None:
    """Read from data/curated/kursk-2025-01.statements.csv: s08 in s07, s27 in s26, s31 in s30, s35 in s34."""
    table = kursk_analysis.table
    assert nesting.parent_ids(table).to_dict() == {"s08": "s07", "s27": "s26", "s31": "s30", "s35": "s34"}
    claims = nesting.claims(table)
    assert len(claims) == 33 and (claims["speaker"] == "Robert Kagan").sum() == 4


def test_grouped_order_puts_children_under_their_parent() -> None:
    table = _table([("b", "X", 2, 5), ("c", "Y", 30, 40), ("a", "X", 0, 10), ("d", "X", 3, 4)])
    ordered = nesting.grouped_order(table)
    assert ordered["id"].tolist() == ["c", "a", "b", "d"]
    assert ordered["parent"].tolist() == ["", "", "a", "b"]
    assert ordered["depth"].tolist() == [0, 0, 1, 2]
