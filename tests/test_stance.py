"""Certainty cues, stance suggestions and their agreement measures, on small hand-checked cases."""

from __future__ import annotations

import pandas as pd
import pytest

from utils.schema import NOT_ADDRESSED
from utils.stance import (
    agreement,
    certainty,
    cohen_kappa,
    confusion,
    curated_wide,
    speaker_stance,
    suggest,
)


@pytest.mark.parametrize(
    ("text", "hedges", "boosters", "label", "score"),
    [
        ("I think it will probably work.", ("i think", "probably"), ("will",), "hedged", -0.333),
        ("It will always hold.", (), ("will", "always"), "certain", 1.0),
        ("In May the talks may resume.", ("may",), (), "hedged", -1.0),
        ("I’m not sure they won’t.", ("not sure",), ("won't",), "balanced", 0.0),
        ("The bridge opened on Tuesday.", (), (), "unmarked", 0.0),
        ("He was unsure if Ukraine could hold it.", ("unsure", "could"), (), "hedged", -1.0),
        ("They’re going to do whatever they can.", (), ("'re going to",), "certain", 1.0),
        ("The strongest possible deal, to make sure.", (), (), "unmarked", 0.0),
    ],
)
def test_certainty_cues(text, hedges, boosters, label, score) -> None:
    found = certainty(text)
    assert found.hedges == hedges and found.boosters == boosters
    assert found.label == label and found.score == pytest.approx(score)


def test_cohen_kappa_by_hand() -> None:
    # observed 3/4; chance 0.5*0.25 + 0.5*0.75 = 0.5; kappa = (0.75 - 0.5) / (1 - 0.5)
    assert cohen_kappa(["x", "x", "y", "y"], ["x", "y", "y", "y"]) == pytest.approx(0.5)
    assert cohen_kappa(["x", "y"], ["x", "y"]) == pytest.approx(1.0)
    assert cohen_kappa(["x", "y"], ["y", "x"]) == pytest.approx(-1.0)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("The bridge is a wonderful success.", "favor"),
        ("The bridge is a disaster.", "against"),
        ("The bridge is good but the toll is terrible.", "mixed"),
        ("The bridge opens in May.", "neutral"),
        ("The weather is awful.", NOT_ADDRESSED),
    ],
)
def test_suggestion(text: str, label: str) -> None:
    assert suggest(text, "bridge;toll") == label


def test_topic_without_keywords_is_always_addressed() -> None:
    assert suggest("The weather is awful.", "") == "against"


def test_curated_wide_and_agreement() -> None:
    topics = pd.DataFrame({"topic": ["a", "b"], "proposition": ["A", "B"], "keywords": ["", ""]})
    stance = pd.DataFrame(
        {"id": ["s1", "s2"], "topic": ["a", "b"], "label": ["favor", "against"], "rationale": ["r", "r"]}
    )
    wide = curated_wide(pd.Series(["s1", "s2", "s3"]), stance, topics)
    assert list(wide.index) == ["s1", "s2"]  # s3 has no label at all: unlabelled, not "not addressed"
    assert wide.loc["s1"].tolist() == ["favor", NOT_ADDRESSED]
    suggested = pd.DataFrame(
        {"stance_a": ["favor", "neutral"], "stance_b": [NOT_ADDRESSED, "against"]},
        index=pd.Index(["s1", "s2"], name="id"),
    )
    measured = agreement(wide, suggested)
    assert measured.pairs == 4 and measured.accuracy == pytest.approx(0.75)
    assert measured.addressed_pairs == 2 and measured.addressed_accuracy == pytest.approx(1.0)
    assert measured.relevance_accuracy == pytest.approx(0.75)
    table = confusion(wide, suggested)
    assert table.loc["favor", "favor"] == 1 and table.loc["against", "against"] == 1
    assert table.loc[NOT_ADDRESSED, "neutral"] == 1 and table.to_numpy().sum() == 4


def test_speaker_stance_scores() -> None:
    table = pd.DataFrame(
        {"speaker": ["A", "A", "A", "B"], "stance_t": ["favor", "against", "favor", NOT_ADDRESSED]}
    )
    topics = pd.DataFrame({"topic": ["t"], "proposition": ["T"], "keywords": [""]})
    result = speaker_stance(table, topics)
    assert result["speaker"].tolist() == ["A"]  # B never addresses the topic
    row = result.iloc[0]
    assert row["statements"] == 3 and row["favor"] == 2 and row["against"] == 1
    assert row["score"] == pytest.approx(round(1 / 3, 3))
