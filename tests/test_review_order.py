"""The workbench's order: article order, or least certain first once rows have a confidence."""

from __future__ import annotations

import pandas as pd
import pytest

from utils.articles import Article
from utils.curation import load_curation
from utils.workbench import review_order

ROWS = pd.DataFrame({"id": ["a1", "a2", "a3", "a4"], "start": [0, 10, 20, 30], "end": [5, 15, 25, 35]})


@pytest.mark.parametrize(
    ("confidence", "by", "order"),
    [
        ({"a1": 0.9, "a2": 0.4, "a3": 0.7, "a4": 0.4}, "article", ["a1", "a2", "a3", "a4"]),
        (
            {"a1": 0.9, "a2": 0.4, "a3": 0.7, "a4": 0.4},
            "uncertain",
            ["a2", "a4", "a3", "a1"],
        ),  # ties: article order
        ({}, "uncertain", ["a1", "a2", "a3", "a4"]),  # nothing known: article order
        ({"a3": 0.2}, "uncertain", ["a3", "a1", "a2", "a4"]),  # rows added by people come after
    ],
)
def test_review_order(confidence, by, order):
    assert review_order(ROWS, confidence, by) == order


def test_an_article_nobody_curated_offers_its_rows_least_certain_first(tmp_path):
    text = (
        "Test headline\n\nAna Lopez, the city engineer, said the bridge was unsafe.\n\n"
        "“We will close it in May,” she said. Officials said the budget was tight.\n"
    )
    statements = load_curation(Article("bridge", "Test headline", text, tmp_path / "bridge.txt")).statements
    confidence = dict(zip(statements["id"], statements["confidence"], strict=True))
    order = review_order(statements, confidence, "uncertain")
    assert sorted(order) == sorted(statements["id"]) and len(order) >= 3
    assert [confidence[i] for i in order] == sorted(confidence.values())
    assert len(set(confidence.values())) > 1 and order != list(statements["id"])  # the order did change
