"""Notebook prose and tables generated from the data: right for any article, escaped, readable."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.conftest import EXPERTS
from tests.partly_reviewed import write_partly_reviewed
from utils.analysis import analyse_ref, directed_suggestions, stance_counts
from utils.articles import Article
from utils.curation import Curation
from utils.display import escape_markdown, table_html
from utils.narrative import (
    agreement_line,
    comparison_line,
    contradictions_line,
    names,
    people_line,
    plural,
    stance_summary,
    statements_line,
)

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


def _curation(curated: bool, reviewers: list[str]) -> Curation:
    statements = pd.DataFrame({"id": [f"s{n}" for n in range(len(reviewers))], "reviewed_by": reviewers})
    return Curation(
        Article("delhi-air-2019", "t", "x"),
        statements,
        pd.DataFrame(),
        pd.DataFrame(),
        pd.DataFrame(),
        curated,
    )


@pytest.mark.parametrize(
    ("curated", "reviewers", "said"),
    [
        (False, ["", ""], "**There is nothing to compare:** the article delhi\\-air\\-2019 has no curated"),
        (
            True,
            ["", ""],
            "**There is nothing to compare yet:** the curated table of delhi\\-air\\-2019 was seeded",
        ),
        (True, ["ana", ""], "1 of 2 statements of the curated table were reviewed by people"),
        (True, ["ana", "bo"], "compared with what a careful reader listed"),
    ],
)
def test_comparison_says_plainly_when_there_is_nothing_to_compare(curated, reviewers, said) -> None:
    assert said in comparison_line(_curation(curated, reviewers))


@pytest.fixture
def partly(data_copy):
    return analyse_ref(write_partly_reviewed(data_copy))


def test_stance_summary_counts_people_and_suggestions_apart(partly, kursk_analysis) -> None:
    lines = stance_summary(partly.table, partly.topics).splitlines()
    assert len(lines) == 4 and all(
        "people labelled" in line and "the machine suggests" in line for line in lines
    )
    counts = stance_counts(partly.table, partly.topics)
    for line, topic in zip(lines, partly.topics["topic"], strict=True):
        mine = counts[counts["topic"] == topic]
        people, machine = (
            int(mine.loc[mine["by"] == by, "statements"].sum()) for by in ("people", "suggested")
        )
        assert f"people labelled {plural(people, 'statement')}" in line
        assert f"the machine suggests {plural(machine, 'other')}" in line
    bundled = stance_summary(kursk_analysis.table, kursk_analysis.topics)
    assert "suggest" not in bundled and "people labelled" not in bundled  # every label is people's: no split


def test_stance_summary_of_an_unlabelled_article_says_no_labels_yet(tmp_path, data_copy) -> None:
    story = tmp_path / "story.txt"
    story.write_text("Bridge vote\n\n“We waited long enough,” Mayor Ana Lopez said.\n", encoding="utf-8")
    analysis = analyse_ref(str(story))
    assert stance_summary(analysis.table, analysis.topics) == (
        "- *The situation the speaker describes is favourable*: no labels by people yet; "
        "the machine suggests 1 statement (1 with no direction) address it."
    )
    assert "cannot be measured here" in agreement_line(analysis)


def test_agreement_never_says_too_few_labels_while_directions_are_shown(partly, monkeypatch) -> None:
    """The issue's contradiction: directions shown in the report, notebook 02 saying too few labels."""
    from utils.suggest import LearnerAgreement

    unmeasured = LearnerAgreement(labels=12, kappa=None, prior_kappa=None, accuracy=None, coverage=None)
    monkeypatch.setitem(partly.__dict__, "learner", unmeasured)
    directed = directed_suggestions(partly)
    assert directed > 0
    line = agreement_line(partly)
    assert f"{plural(directed, 'direction')} (favor, against, …) are suggested" in line
    assert "treat them as unmeasured" in line and "too few labels yet to learn" not in line


@pytest.mark.parametrize(
    ("stance_source", "directed", "said"),
    [
        ([], 0, "no statement has a direction (favor or against) yet"),
        ([], 3, "no statement's lexicon score contradicts its stance label"),
        (["curated", "curated"], 2, "2 statements by A score the other way from their stance label:"),
        (["automatic", "automatic"], 2, "from their suggested label:"),
        (
            ["curated", "automatic"],
            2,
            "from their label (1 of them suggested by the machine, not labelled by people)",
        ),
    ],
)
def test_contradictions_say_whose_label_the_scores_contradict(stance_source, directed, said) -> None:
    clashes = pd.DataFrame(
        {"id": [f"s{n}" for n in range(len(stance_source))], "speaker": "A", "stance_source": stance_source}
    )
    assert said in contradictions_line(clashes, "P", directed)
