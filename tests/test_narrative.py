"""Notebook prose and tables generated from the data: right for any article, escaped, readable."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.conftest import EXPERTS
from utils.display import escape_markdown, table_html
from utils.narrative import comparison_line, names, people_line, plural, statements_line

HOSTILE = "<img src=x onerror=alert(1)> **bold** [link](javascript:alert(1))"


@pytest.mark.parametrize(
    ("items", "limit", "expected"),
    [
        ([], 8, ""),
        (["Ann Lee"], 8, "Ann Lee"),
        (["Ann Lee", "Bo Chen"], 8, "Ann Lee and Bo Chen"),
        (["A", "B", "C"], 8, "A, B and C"),
        (["A", "B", "C", "D"], 2, "A, B and 2 others"),
        (["A", "B", "C"], 2, "A, B and 1 other"),
    ],
)
def test_names_are_listed_as_prose(items, limit, expected) -> None:
    assert names(items, limit) == expected


@pytest.mark.parametrize(
    ("count", "word", "expected"),
    [(0, "topic", "0 topics"), (1, "topic", "1 topic"), (2, "topic", "2 topics")],
)
def test_plural(count, word, expected) -> None:
    assert plural(count, word) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<img src=x>", "&lt;img src=x&gt;"),
        ("**bold**", r"\*\*bold\*\*"),
        ("[a](b)", r"\[a\]\(b\)"),
        ("# heading", r"\# heading"),
        ("Kagan & Loss", "Kagan &amp; Loss"),
    ],
)
def test_markdown_escaping(text, expected) -> None:
    assert escape_markdown(text) == expected


def test_tables_escape_every_cell_and_header() -> None:
    frame = pd.DataFrame({"speaker": [HOSTILE], HOSTILE: [0.123456], "text": ["a & b"]})
    out = table_html(frame, caption=HOSTILE)
    assert "<img" not in out and "&lt;img src=x onerror=alert(1)&gt;" in out
    assert "a &amp; b" in out and "0.12" in out and "0.123" not in out


def test_table_html_is_stable_between_runs_and_distinct_between_tables() -> None:
    one, two = pd.DataFrame({"a": [1]}), pd.DataFrame({"a": [2]})
    assert table_html(one) == table_html(one)
    assert table_html(one).split('id="', 1)[1][:14] != table_html(two).split('id="', 1)[1][:14]


def test_table_html_takes_frames_with_repeated_index() -> None:
    frame = pd.DataFrame({"a": [1, 2]}, index=[0, 0])
    assert table_html(frame).count("<tr>") == 3  # header and two rows


def test_bundled_article_sentences(kursk_analysis) -> None:
    # 37 statements from 12 speakers, 21 direct and 16 paraphrase: the curated table (data/README.md).
    assert statements_line(kursk_analysis).startswith(
        "37 attributed statements from 12 speakers (21 direct quotes, 16 paraphrases): "
        "37 of 37 statements reviewed by people."
    )
    experts_part = people_line(kursk_analysis.table).split(".", 1)[0]
    assert experts_part.startswith("The experts compared are ")
    assert all(name in experts_part for name in EXPERTS) and experts_part.count(",") == len(EXPERTS) - 2


def _table(rows: list[tuple[str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["speaker", "role"])


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([("Ann Lee", "expert")], "The experts compared are Ann Lee."),
        (
            [("Ann Lee", "expert"), ("Bo Chen", "official"), ("Bo Chen", "official")],
            "The experts compared are Ann Lee. Also quoted: 1 official (Bo Chen).",
        ),
        (
            [("Bo Chen", "official"), ("Cy Dee", "other"), ("Ed Fox", "other")],
            "Also quoted: 1 official (Bo Chen) and 2 other sources (Cy Dee and Ed Fox).",
        ),
        ([(HOSTILE, "expert")], "The experts compared are &lt;img"),
    ],
)
def test_people_line_follows_the_roles(rows, expected) -> None:
    assert expected in people_line(_table(rows))


def test_people_line_says_when_there_are_no_experts() -> None:
    assert people_line(_table([("Bo Chen", "official")])).startswith("No speaker here is marked as an expert")


def test_comparison_says_plainly_when_there_is_nothing_to_compare() -> None:
    assert "nothing to compare" in comparison_line(False, "delhi-air-2019")
    assert "nothing to compare" not in comparison_line(True, "kursk-2025-01")
