"""Every row says why and how sure: the ``rule`` and ``confidence`` of extracted rows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from utils.articles import load_article
from utils.extract.confidence import ANY, Calibration, load_calibration
from utils.statements import extract_table

KURSK = Path(__file__).resolve().parents[1] / "data" / "articles" / "kursk-2025-01.txt"

SMALL = Calibration(
    {("direct", "left/name"): 0.9, ("direct", "left"): 0.8, ("direct", ANY): 0.7, ("paraphrase", ANY): 0.6},
    0.5,
)


@pytest.mark.parametrize(
    ("kind", "rule", "expected"),
    [
        ("direct", "left/name", 0.9),  # the rule itself
        ("direct", "left/pronoun", 0.8),  # an unseen step borrows its pattern's share
        ("direct", "right/name", 0.7),  # an unseen pattern borrows its kind's
        ("paraphrase", "left/name", 0.6),
        ("other", "left/name", 0.5),  # nothing known: the default
    ],
)
def test_a_rule_seldom_seen_borrows_from_its_pattern_then_its_kind(kind, rule, expected):
    assert SMALL.of(kind, rule) == expected


def test_the_shipped_table_holds_probabilities_for_every_kind():
    table = load_calibration()
    assert all(0.0 <= share <= 1.0 for share in table.shares.values())
    assert {("direct", ANY), ("paraphrase", ANY), (ANY, ANY)} <= set(table.shares)


def test_extracted_rows_carry_a_rule_and_a_confidence():
    rows = extract_table(load_article(KURSK).text)
    assert len(rows) > 20
    assert rows["rule"].str.fullmatch(r"[a-z-]+/[a-z-]+").all(), rows["rule"].tolist()
    assert rows["confidence"].between(0.0, 1.0).all()
    assert rows["confidence"].nunique() > 1  # rules differ in how often they are right


def test_every_rule_of_the_bundled_article_is_in_the_table():
    """The table was measured with these rules: none of them falls back to the kind's share."""
    table = load_calibration()
    rows = extract_table(load_article(KURSK).text)
    missing = {
        (kind, rule)
        for kind, rule in zip(rows["kind"], rows["rule"], strict=True)
        if (kind, rule) not in table.shares and (kind, re.sub(r"/.*", "", rule)) not in table.shares
    }
    assert not missing
