"""The tidy analysis table: the bundled article's, and how people's labels and suggestions are kept apart."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from tests.conftest import EXPERTS, KURSK
from tests.partly_reviewed import LABELLED, REVIEWED, TOTAL, write_partly_reviewed
from utils import schema
from utils.analysis import (
    PEOPLE,
    SUGGESTED,
    Suggested,
    analyse_ref,
    experts,
    labels_table,
    negation_samples,
    origin,
    speaker_overview,
    speaker_stance_apart,
    stance_by,
    stance_counts,
    suggestion_check,
    suggestion_words,
    workbook_sheets,
)
from utils.schema import STANCE_LABELS
from utils.stance import stance_columns
from utils.statements import ANALYSIS
from utils.suggest import RELEVANT_AT


def test_one_row_per_statement_with_documented_columns(kursk_analysis) -> None:
    table = kursk_analysis.table
    assert len(table) == 37 and table["id"].is_unique
    topics = stance_columns(kursk_analysis.topics)
    assert list(table.columns) == [*ANALYSIS.columns[:-1], *topics, "stance_source"]
    assert set(table["source"]) == {"curated"} and set(table["stance_source"]) == {"curated"}
    assert table[["tb_polarity", "vader_compound", "certainty"]].abs().le(1).all().all()
    labels = set(table[topics].to_numpy().ravel())
    assert labels <= {*schema.STANCE_LABELS, schema.NOT_ADDRESSED}


def test_the_five_experts(kursk_analysis) -> None:
    assert sorted(experts(kursk_analysis.table)) == sorted(EXPERTS)
    overview = speaker_overview(kursk_analysis.table).set_index("speaker")
    assert overview.loc["Robert Kagan", "statements"] == 6 and overview.loc["Rafael Loss", "direct"] == 3


def test_kagan_gloom_scores_positive_in_the_lexicon(kursk_analysis) -> None:
    """The case the report must make visible: a grim forecast in gentle words."""
    row = kursk_analysis.table.set_index("id").loc["s28"]
    assert row["speaker"] == "Robert Kagan" and row["stance_war_outlook"] == "against"
    assert row["vader_compound"] > 0.5 and row["tb_polarity"] > 0


def test_agreement_is_measured_on_all_labelled_pairs(kursk_analysis) -> None:
    measured = kursk_analysis.agreement
    assert measured is not None and measured.pairs == 37 * 4
    assert 0 <= measured.accuracy <= 1 and -1 <= measured.kappa <= 1


# --- People's labels and the machine's suggestions, counted apart (issue 18, part 1) ---


@pytest.fixture
def partly(data_copy):
    """The partly reviewed article (tests/partly_reviewed.py): 20 of 37 reviewed, 16 labelled."""
    return analyse_ref(write_partly_reviewed(data_copy))


def test_source_says_curated_only_for_rows_people_reviewed(partly) -> None:
    table = partly.table
    assert (table["source"] == "curated").sum() == REVIEWED
    assert (table.loc[table["reviewed_by"] == "", "source"] == "extracted").all()
    assert (table["stance_source"] == "curated").sum() == LABELLED
    assert origin(table) == "found automatically, partly reviewed"


@pytest.mark.parametrize(
    ("reviewers", "said"),
    [
        ([], "found automatically"),
        (["", ""], "found automatically"),  # a table `opinions curate` seeded: nobody reviewed it
        (["ana", ""], "found automatically, partly reviewed"),
        (["ana", " "], "found automatically, partly reviewed"),  # blank is nobody
        (["ana", "bo"], "curated by people"),
    ],
)
def test_origin_says_curated_only_when_people_reviewed_every_statement(reviewers, said) -> None:
    assert origin(pd.DataFrame({"reviewed_by": reviewers}, dtype=str)) == said


def _labels(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    """speaker, label on topic t, stance_source."""
    return pd.DataFrame(rows, columns=["speaker", "stance_t", "stance_source"])


TOPIC = pd.DataFrame({"topic": ["t"], "proposition": ["P"], "keywords": [""]})


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # people's favor and the machine's favor for one speaker: two rows, never 2 favor
        (
            [("A", "favor", "curated"), ("A", "favor", "automatic")],
            [("A", "people", "favor", 1), ("A", "suggested", "favor", 1)],
        ),
        # "not addressed" is not counted, "addressed" (no direction) is, as the machine's
        (
            [("A", "not addressed", "curated"), ("A", "addressed", "automatic"), ("B", "against", "curated")],
            [("B", "people", "against", 1), ("A", "suggested", "addressed", 1)],
        ),
        (
            [("A", "against", "automatic"), ("A", "against", "automatic"), ("A", "favor", "curated")],
            [("A", "people", "favor", 1), ("A", "suggested", "against", 2)],
        ),
        ([("A", "not addressed", "automatic")], []),
    ],
)
def test_stance_counts_keep_people_and_suggestions_apart(rows, expected) -> None:
    counts = stance_counts(_labels(rows), TOPIC)
    assert [
        tuple(r) for r in counts[["speaker", "by", "label", "statements"]].itertuples(index=False)
    ] == expected
    assert set(stance_by(_labels(rows))) <= {PEOPLE, SUGGESTED}


def test_speaker_stance_apart_never_adds_people_and_machine(partly) -> None:
    apart = speaker_stance_apart(partly.table, partly.topics)
    assert set(apart["labels by"]) == {PEOPLE, SUGGESTED}
    kagan = apart[apart["speaker"] == "Robert Kagan"]
    assert set(kagan["labels by"]) == {SUGGESTED}  # s26-s31: nobody labelled them
    people = apart[apart["labels by"] == PEOPLE]["statements"].sum()
    table = partly.table[partly.table["stance_source"] == "curated"]
    addressed = sum(int((table[c] != "not addressed").sum()) for c in stance_columns(partly.topics))
    assert people == addressed  # every statement–topic pair people called addressed, counted once


def test_every_suggestion_has_its_label_confidence_and_evidence(partly) -> None:
    table, suggestions = partly.table.set_index("id"), partly.suggestions
    automatic = set(table.index[table["stance_source"] == "automatic"])
    assert set(suggestions["id"]) == automatic  # suggestions only where people gave no label
    assert len(suggestions) == len(automatic) * len(partly.topics)
    for row in suggestions.itertuples(index=False):
        assert table.loc[row.id, f"stance_{row.topic}"] == row.label  # the table shows the same label
        if row.label in STANCE_LABELS:
            assert 0 < row.confidence <= 1 and row.evidence  # how sure, and from which words
        else:  # relevance alone: unmeasured by keywords, or how sure the relevance learned from labels is,
            # below RELEVANT_AT only where the statement's own keywords made it addressed
            own = row.label == "addressed" and row.evidence and "(in " not in row.evidence[0]
            assert math.isnan(row.confidence) or RELEVANT_AT <= row.confidence <= 1 or own
            assert 0 < row.confidence <= 1 or math.isnan(row.confidence)
    relevance_only = suggestions[~suggestions["label"].isin(STANCE_LABELS)]
    assert relevance_only["confidence"].notna().all()  # 16 labelled statements: relevance is learned here
    assert partly.suggestion("s01", "kursk_value") is None  # people labelled s01
    assert partly.suggestion("s30", "war_outlook") is not None


@pytest.mark.parametrize(
    ("label", "confidence", "evidence", "words"),
    [
        ("favor", 0.724, ("will win", "victory"), "favor, 72% sure, from “will win”, “victory”"),
        ("against", 0.6, (), "against, 60% sure"),
        ("addressed", math.nan, ("troops",), "addressed, no direction, mentions “troops”"),
        (
            "addressed",
            math.nan,
            (),
            "addressed, no direction, the topic has no keywords, so every statement counts",
        ),
        ("not addressed", math.nan, (), "not addressed, none of the topic's keywords"),
        ("favor", math.nan, (), "favor, unmeasured"),
        # relevance learned from people's labels: how sure, and the keywords read around the statement
        (
            "addressed",
            0.64,
            ("troops (in its paragraph)",),
            "addressed, no direction, 64% sure, mentions “troops (in its paragraph)”",
        ),
        ("not addressed", 0.81, ("troops",), "not addressed, 81% sure, though it mentions “troops”"),
        ("not addressed", 0.9, (), "not addressed, 90% sure, none of the topic's keywords"),
    ],
)
def test_a_suggestion_in_words_says_how_sure_and_from_what(label, confidence, evidence, words) -> None:
    assert suggestion_words(label, confidence, evidence) == words


@pytest.mark.parametrize(
    ("label", "evidence", "shown"),
    [
        ("favor", ("victory",), True),
        ("addressed", ("troops",), True),
        ("addressed", (), False),  # the topic has no keywords: every statement would carry it
        ("not addressed", ("troops (in its paragraph)",), False),  # the default reading, not worth a box
        ("not addressed", (), False),
    ],
)
def test_a_suggestion_is_shown_beside_a_statement_when_it_says_the_topic_is_addressed(label, evidence, shown):
    assert Suggested(label, 0.8, evidence).shown == shown


def test_the_spreadsheet_keeps_labels_and_suggestions_in_separate_columns(partly) -> None:
    sheets = dict(workbook_sheets(partly))
    statements = sheets["statements"].set_index("id")
    assert set(statements.columns) >= set(partly.table.columns) - {"id"}  # no column lost (id: the index)
    for topic in partly.topics["topic"]:
        people, machine = statements[f"stance_{topic}"], statements[f"suggested_{topic}"]
        assert not ((people != "") & (machine != "")).any()  # never both in one row
        labelled = partly.table.set_index("id")["stance_source"] == "curated"
        assert (people[labelled] != "").all() and (people[~labelled] == "").all()
    sheet = sheets["Ukraine's overall war outlook is favourable"].set_index("id")
    assert list(sheet.columns[-2:]) == ["label by people", "machine suggestion"]
    assert sheet.loc["s06", "label by people"] == "favor" and sheet.loc["s06", "machine suggestion"] == ""
    hint = partly.suggestion("s30", "war_outlook")
    assert (
        sheet.loc["s30", "label by people"] == "" and sheet.loc["s30", "machine suggestion"] == hint.words()
    )
    assert hint.words().startswith(hint.label)


def test_notebook_helpers_say_there_is_nothing_rather_than_show_nothing(tmp_path, data_copy) -> None:
    story = tmp_path / "story.txt"
    story.write_text(
        "Bridge vote\n\n“The bridge isn’t finished,” Mayor Ana Lopez said. Critics say it won't open.\n",
        encoding="utf-8",
    )
    analysis = analyse_ref(str(story))
    assert labels_table(analysis).empty and suggestion_check(analysis).empty  # no labels yet: nothing to show
    check = suggestion_check(analyse_ref(KURSK))
    assert list(check.columns[:2]) == ["people's label", "suggested favor"] and "not addressed" in set(
        check.iloc[:, 0]
    )
    assert int(check.iloc[:, 1:].to_numpy().sum()) == 37 * 4  # every pair people labelled, counted once
    assert negation_samples(analysis) == [
        "The bridge isn’t finished,",
        "it won't open",
    ]  # its statements first
    kursk = negation_samples(analyse_ref(KURSK))
    assert kursk and all(sample in analyse_ref(KURSK).article.text for sample in kursk)


def test_the_workbook_on_disk_keeps_people_s_labels_and_suggestions_apart(partly, tmp_path) -> None:
    """Written as `opinions table --format xlsx` writes it: each sheet says whose label a column holds."""
    from openpyxl import load_workbook

    from utils.spreadsheet import write_table

    path = write_table(tmp_path / "partly.xlsx", partly.table, sheets=workbook_sheets(partly))
    book = load_workbook(path, read_only=True)
    header = [cell.value for cell in next(book["statements"].iter_rows(max_row=1))]
    assert "stance_source" in header
    assert header.index("suggested_war_outlook") == header.index("stance_war_outlook") + 1
    rows = list(book[book.sheetnames[-1]].iter_rows(values_only=True))
    assert rows[0][-2:] == ("label by people", "machine suggestion")
    assert all(not (person and machine) for *_, person, machine in rows[1:])
    assert sum(bool(machine) for *_, _, machine in rows[1:]) == TOTAL - LABELLED
