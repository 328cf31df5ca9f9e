"""Certainty cues, keyword relevance and the suggestions' agreement measures, on small hand-checked cases."""

from __future__ import annotations

import pandas as pd
import pytest

from utils.schema import NOT_ADDRESSED
from utils.stance import (
    ADDRESSED,
    agreement,
    certainty,
    cohen_kappa,
    confusion,
    curated_wide,
    matched_keywords,
    relevance,
    speaker_stance,
    suggested_wide,
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
    ("text", "matched", "label"),
    [
        # Direction is never read from sentiment: praise and scorn alike are only "addressed".
        ("The bridge is a wonderful success.", ("bridge",), ADDRESSED),
        ("The bridge is a disaster.", ("bridge",), ADDRESSED),
        ("The bridge is good but the tolls are terrible.", ("bridge", "toll"), ADDRESSED),
        ("Negotiations on the TOLL resume.", ("toll", "negotiat"), ADDRESSED),
        ("The bridge’s deck is fine.", ("bridge",), ADDRESSED),
        ("The weather is awful.", (), NOT_ADDRESSED),
        ("Atoll beaches are closed.", (), NOT_ADDRESSED),  # keywords match at a word start only
    ],
)
def test_relevance_from_keywords(text: str, matched: tuple[str, ...], label: str) -> None:
    assert matched_keywords(text, "bridge; toll;;negotiat") == matched
    assert relevance(text, "bridge; toll;;negotiat") == label


def test_topic_without_keywords_is_always_addressed() -> None:
    assert relevance("The weather is awful.", "") == ADDRESSED


def test_suggested_wide_marks_relevance_only() -> None:
    statements = pd.DataFrame({"id": ["s1", "s2"], "text": ["The bridge is a triumph.", "Rain again."]})
    topics = pd.DataFrame({"topic": ["bridge"], "proposition": ["The bridge helps"], "keywords": ["bridge"]})
    wide = suggested_wide(statements, topics)
    assert wide["stance_bridge"].tolist() == [ADDRESSED, NOT_ADDRESSED]


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
    # relevance people T,F,F,T vs suggestion T,F,T,T: observed 3/4, chance .5*.75 + .5*.25 = .5, (.75-.5)/.5
    assert measured.relevance_kappa == pytest.approx(0.5) and measured.directed_pairs == 3
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


def test_speaker_stance_counts_addressed_without_direction() -> None:
    table = pd.DataFrame({"speaker": ["A", "A", "C"], "stance_t": [ADDRESSED, "against", ADDRESSED]})
    topics = pd.DataFrame({"topic": ["t"], "proposition": ["T"], "keywords": [""]})
    result = speaker_stance(table, topics).set_index("speaker")
    assert result.loc["A", "statements"] == 2 and result.loc["A", "score"] == pytest.approx(-1.0)
    assert result.loc["C", "statements"] == 1 and pd.isna(result.loc["C", "score"])


def test_stance_check_says_what_it_is_doing_before_each_fit(tmp_path, capsys) -> None:
    """Minutes of fitting on a large table: a line on standard error before each size, so the
    person knows it is working; the curve itself goes to standard output."""
    from utils.cli import main

    rows = [f"we must build the bridge now {i},The bridge should be built,favor" for i in range(70)]
    rows += [f"the bridge is a waste of money {i},The bridge should be built,against" for i in range(70)]
    labels = tmp_path / "labels.csv"
    labels.write_text("text,proposition,label\n" + "\n".join(rows) + "\n", encoding="utf-8")
    assert main(["stance-check", str(labels)]) == 0
    out, err = capsys.readouterr()
    assert "stance-check: learning from 50 labels, testing on the rest" in err
    assert "stance-check: learning from 100 labels, testing on the rest" in err
    assert "learning from" not in out and "kappa" in out
