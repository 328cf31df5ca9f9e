"""Sentiment scores: typographic negations are normalised before both lexicons score them."""

from __future__ import annotations

import pandas as pd
import pytest
from textblob import TextBlob
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from utils.sentiment import add_sentiment, normalise_for_scoring, score_text, speaker_sentiment


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("It isn’t good", "It is not good"),
        ("It isn't good", "It is not good"),
        ("They can’t win", "They can not win"),
        ("We cannot win", "We can not win"),
        ("Won’t work", "Will not work"),
        ("It doesn’t hold", "It does not hold"),
        ("Ukraine’s army", "Ukraine's army"),
    ],
)
def test_normalisation(raw: str, normalised: str) -> None:
    assert normalise_for_scoring(raw) == normalised


def test_curly_negation_is_scored_as_a_negation() -> None:
    curly = "The deal isn’t good for Ukraine."
    # The libraries on their own read it as praise (the reason for normalising) ...
    assert TextBlob(curly).sentiment.polarity > 0
    assert SentimentIntensityAnalyzer().polarity_scores(curly)["compound"] > 0
    # ... after normalisation both see the negation, exactly as with the plain spelling.
    scores = score_text(curly)
    assert scores["tb_polarity"] < 0 and scores["vader_compound"] < 0
    assert scores == score_text("The deal is not good for Ukraine.")


def test_scores_are_in_range_and_added_per_row() -> None:
    table = pd.DataFrame({"speaker": ["A", "A", "B"], "text": ["great news", "terrible loss", "a table"]})
    scored = add_sentiment(table)
    assert list(scored.columns[-3:]) == ["tb_polarity", "tb_subjectivity", "vader_compound"]
    assert scored.loc[0, "vader_compound"] > 0.5 and scored.loc[1, "vader_compound"] < -0.5
    assert scored.loc[2, "vader_compound"] == 0
    assert scored[["tb_polarity", "vader_compound"]].abs().le(1).all().all()
    summary = speaker_sentiment(scored).set_index("speaker")
    assert summary.loc["A", "statements"] == 2
    expected = round((scored.loc[0, "vader_compound"] + scored.loc[1, "vader_compound"]) / 2, 3)
    assert summary.loc["A", "vader_compound"] == pytest.approx(expected)
