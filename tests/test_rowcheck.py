"""A row's ``confidence``: the row check's probability that the row is right (utils/extract/rowcheck.py)."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest

from utils.articles import load_article
from utils.extract import pipeline
from utils.extract.chooser import RowChoice
from utils.extract.rowcheck import SHIPPED, RowCheck, load_rowcheck, row_features, rowcheck_from_json

KURSK = Path(__file__).resolve().parents[1] / "data" / "articles" / "kursk-2025-01.txt"
FRAGMENT = 'Jane Roe, a lawyer, said the plan was a "total disaster" for the town.'
PRONOUN = '"We will fight on until the end of this year," she said.'


def traced(*paragraphs: str) -> list[RowChoice]:
    trace: list[RowChoice] = []
    pipeline.extract("Test headline\n\n" + "\n\n".join(paragraphs) + "\n", trace=trace)
    return trace


# --- the model: a logistic regression -----------------------------------------------------------


@pytest.mark.parametrize(
    ("weights", "bias", "features", "probability"),
    [
        ({}, 0.0, {}, 0.5),
        ({"a": math.log(3.0)}, 0.0, {"a": 1.0}, 0.75),  # odds 3:1
        ({"a": math.log(3.0)}, -math.log(3.0), {"a": 1.0}, 0.5),  # the bias cancels it
        ({"a": 1.0}, 0.0, {"a": -math.log(4.0)}, 0.2),  # odds 1:4
        ({"a": 1.0}, 0.0, {"never-seen": 5.0}, 0.5),  # an unknown feature weighs nothing
        ({"a": 1.0}, 0.0, {"a": -1000.0}, 0.0),  # no overflow far out
    ],
)
def test_probability_is_the_logistic_of_bias_plus_weighted_features(weights, bias, features, probability):
    assert RowCheck(weights, bias).probability(features) == pytest.approx(probability)


@pytest.mark.parametrize(
    "data",
    [{}, {"weights": []}, {"weights": {"chooser": "much"}}, {"weights": {}, "bias": None}],
    ids=["no weights", "weights not an object", "a weight not a number", "a bias not a number"],
)
def test_a_row_check_file_of_the_wrong_shape_is_refused(data):
    with pytest.raises(ValueError):
        rowcheck_from_json(data)


def test_the_shipped_row_check_is_a_small_json_file_of_finite_weights():
    data = json.loads(SHIPPED.read_text(encoding="utf-8"))
    assert data["command"] == "python benchmarks/train_rowcheck.py --write"
    assert "final5" in data["trained_on"] and "PolNeAR" in data["trained_on"]  # says what it never saw
    model = load_rowcheck()
    assert 5 <= len(model.weights) <= 100
    assert all(math.isfinite(w) for w in (model.bias, *model.weights.values()))
    assert model.weights["chooser"] > 0  # a more probable speaker is a more probably right row


def test_every_weight_is_a_feature_the_row_check_makes():
    """A weight whose feature is never made would be dead: the families come from a real article
    and from a made-up one whose speaker has no affiliation."""
    made = set()
    for trace in (traced(load_article(KURSK).text), traced("Jane Roe spoke on Monday.", PRONOUN)):
        rows = [c.statement for c in trace]
        made |= {name for c in trace for name in row_features(c, rows)}
    families = {re.sub(r"[:&].*", "", name) for name in made}
    assert [w for w in load_rowcheck().weights if re.sub(r"[:&].*", "", w) not in families] == []


# --- the features of a row ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("paragraphs", "row", "present", "absent"),
    [
        # the paraphrase: a named person with an affiliation, no short or fragment mark
        # (it overlaps the quoted words inside it, and "said" introduces both)
        (
            (FRAGMENT,),
            0,
            {"paraphrase&words", "step:name", "speaker:person", "overlaps", "shares-cue"},
            {"no-affiliation", "paraphrase&short"},
        ),
        # the quoted words inside it: a short direct row inside a paraphrase
        (
            (FRAGMENT,),
            1,
            {"direct&fragment", "direct&short", "step:name", "overlaps", "shares-cue"},
            {"no-affiliation"},
        ),
        # a quote of its own, its speaker resolved from "she": a pronoun step, no affiliation known,
        # the only row (nothing overlaps it, no other row has its cue)
        (
            ("Jane Roe spoke on Monday.", PRONOUN),
            0,
            {"step:pronoun", "no-affiliation", "direct&speaker-distance"},
            {"direct&fragment", "direct&short", "overlaps", "shares-cue"},
        ),
        # a paraphrase and, in the next sentence, a quote with the same cue word
        (
            ('Jane Roe said the plan had failed. "It was a mistake," she said.',),
            1,
            {"shares-cue", "direct&speaker-distance"},
            {"overlaps", "paraphrase&speaker-distance"},
        ),
    ],
    ids=["paraphrase", "quoted fragment", "pronoun speaker", "same cue word near"],
)
def test_row_features(paragraphs, row, present, absent):
    trace = traced(*paragraphs)
    features = row_features(trace[row], [c.statement for c in trace])
    assert present <= set(features) and not absent & set(features), features
    assert features["chooser"] == pytest.approx(
        math.log(
            trace[row].probabilities[trace[row].chosen] / (1 - trace[row].probabilities[trace[row].chosen])
        )
        / 4
    )


def test_a_certain_chooser_gives_a_finite_feature():
    (choice,) = traced(PRONOUN)
    certain = RowChoice(
        choice.statement, choice.who, choice.candidates, choice.row, choice.features, [1.0], 0, 0
    )
    assert math.isfinite(row_features(certain, [choice.statement])["chooser"])


@pytest.mark.parametrize(
    ("paragraph", "row", "characters"),
    [
        # the closing quote mark and a space lie between the quote's end and "Jane Roe"
        ('"We will fight on," Jane Roe said.', 0, 2),
        # "Jane Roe, a lawyer, said " (25 characters) before the paraphrase
        (FRAGMENT, 0, 25),
        # ... and 16 more up to the quoted words inside it
        (FRAGMENT, 1, 41),
    ],
)
def test_the_speaker_distance_is_the_log_of_the_characters_between_speaker_and_content(
    paragraph, row, characters
):
    trace = traced(paragraph)
    features = row_features(trace[row], [c.statement for c in trace])
    kind = trace[row].statement.kind
    assert features[f"{kind}&speaker-distance"] == pytest.approx(math.log1p(characters) / 8)
    assert features[f"{kind}&speaker-distance^2"] == pytest.approx((math.log1p(characters) / 8) ** 2)


def test_the_speaker_name_words_are_counted_up_to_four():
    (choice,) = traced('"We will fight on," Jane Roe said.')
    assert row_features(choice, [choice.statement])["speaker:words"] == 0.5  # two words of four


def test_an_exact_duplicate_row_is_not_another_row():
    """One span found by two rules is one row (the extractor drops the copy): it does not overlap
    itself nor share its own cue."""
    (choice,) = traced(PRONOUN)
    features = row_features(choice, [choice.statement, choice.statement])
    assert "overlaps" not in features and "shares-cue" not in features
