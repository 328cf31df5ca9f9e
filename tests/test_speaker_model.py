"""The user's own speaker model (utils.speaker_model): accepted reviews teach later extractions."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from conftest import KURSK

from utils import speaker_model
from utils.errors import InputError
from utils.quotes import extract_statements
from utils.speaker_model import Reviewed, learn, learn_from_acceptance, reviewed_rows, same_speaker


@pytest.mark.parametrize(
    ("kept", "candidate", "same"),
    [
        ("Donald Trump", "Donald Trump", True),
        ("Trump", "Donald Trump", True),  # a reviewer may keep the short form
        ("Bernie Sanders", "Sanders", True),
        ("Mr. Frankel", "Jeffrey Frankel", True),  # titles are not words of a name
        ("the Clinton campaign", "Clinton campaign", True),
        ("Tom Poe", "Jane Roe", False),
        ("Tom Poe", "Tom Lee", False),
        ("", "Jane Roe", False),
    ],
)
def test_the_speaker_a_reviewer_kept_is_found_among_the_candidates(kept, candidate, same):
    assert same_speaker(kept, candidate) is same


def test_only_reviewed_rows_with_a_speaker_are_learnt_from():
    table = pd.DataFrame(
        {
            "kind": ["direct", "paraphrase", "direct"],
            "start": [10, 40, 90],
            "end": [30, 80, 120],
            "speaker": ["Jane Roe", "Tom Poe", ""],
            "reviewed_by": ["ana", "", "ana"],
        }
    )
    assert reviewed_rows(table) == [Reviewed("direct", 10, 30, "Jane Roe")]


def article(lead: str) -> str:
    meeting = f"{lead}, a lawyer, met Tom Poe, a banker, on Monday."
    return f"Test headline\n\n{meeting}\n\n{lead.split()[-1]} said the deal was off.\n"


LEADS = ["Jane Roe", "Ann Lee", "Kim Orr"]


def test_without_reviews_the_shipped_model_is_used(data_copy):
    assert speaker_model.current() is None
    assert [s.speaker for s in extract_statements(article("Jane Roe"))] == ["Jane Roe"]


def test_a_review_writes_the_users_model_and_its_examples_under_the_data_folder(data_copy):
    text = article("Jane Roe")
    (row,) = extract_statements(text)
    learnt = learn("a1", text, [Reviewed(row.kind, row.start, row.end, "Jane Roe")])
    assert learnt is not None and (learnt.rows, learnt.kept, learnt.articles) == (1, 1, 1)
    assert speaker_model.model_path() == data_copy / "models" / "speaker-chooser.json"
    model = json.loads(speaker_model.model_path().read_text(encoding="utf-8"))
    assert model["known"] == {"jane roe": pytest.approx(0.693147, abs=1e-5)}
    assert speaker_model.current() is not None
    learn("a1", text, [Reviewed(row.kind, row.start, row.end, "Jane Roe")])  # accepted again: replaced
    assert list(speaker_model.read_examples()) == ["a1"]


def test_reviews_that_keep_another_speaker_teach_later_extractions_of_the_coverage(data_copy):
    """In this coverage the reviewer keeps giving the banker's words to him: after a few articles
    the user's model reads the next one that way; the shipped model never does."""
    speakers = []
    for k in range(6):
        text = article(LEADS[k % 3])
        (row,) = extract_statements(text)
        speakers.append(row.speaker)
        learn(f"a{k}", text, [Reviewed(row.kind, row.start, row.end, "Tom Poe")])
    assert speakers[:3] == LEADS  # the rules' choice at first
    assert [s.speaker for s in extract_statements(article("Liz Dunn"))] == ["Tom Poe"]


def test_a_review_with_no_reviewed_row_teaches_nothing(data_copy):
    assert learn("a1", article("Jane Roe"), []) is None
    assert not speaker_model.model_path().exists()


def test_a_model_file_that_is_not_a_model_is_a_one_line_error(data_copy):
    speaker_model.models_dir().mkdir()
    speaker_model.model_path().write_text('{"weights": "no"}', encoding="utf-8")
    with pytest.raises(InputError, match=r"speaker-chooser\.json.*delete it"):
        extract_statements(article("Jane Roe"))


def test_accepting_a_reviewed_article_teaches_the_model(data_copy, capsys):
    statements = pd.read_csv(data_copy / "curated" / f"{KURSK}.statements.csv", encoding="utf-8-sig")
    statements["reviewed_by"] = "ana"
    learnt = learn_from_acceptance(KURSK, statements)
    assert learnt is not None and learnt.kept > 20
    assert "the speaker model learnt from" in capsys.readouterr().err
    unreviewed = statements.assign(reviewed_by="")
    assert learn_from_acceptance(KURSK, unreviewed) is None
