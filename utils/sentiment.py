"""Sentiment scores per statement: TextBlob polarity and subjectivity, VADER compound.

Both are word lexicons, not readers: they score the words, not the forecast. A grim
prediction worded gently ("will not lose in a nice, negotiated way ...") can score
positive. The report therefore shows sentiment beside the human stance labels rather
than in place of them.

Both libraries also mis-read negations in typographic form: "isn’t" (curly apostrophe)
is not seen as a negation at all, and TextBlob misses "isn't" even when straight. So
text is normalised first: curly apostrophes straightened and "n't" spelled "not".
"""

from __future__ import annotations

import functools
import re

import pandas as pd
from textblob import TextBlob
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from utils.schema import SCORE_COLUMNS

_APOSTROPHES = re.compile(r"[\u2019\u2018\u02bc\u2032\u00b4`]")
_IRREGULAR_NEGATIONS = {
    "can't": "can not",
    "cannot": "can not",
    "won't": "will not",
    "shan't": "shall not",
    "ain't": "is not",
}
_NEGATION = re.compile(r"\b(\w+)n't\b", re.IGNORECASE)
_IRREGULAR = re.compile(r"\b(" + "|".join(re.escape(k) for k in _IRREGULAR_NEGATIONS) + r")\b", re.IGNORECASE)


def normalise_for_scoring(text: str) -> str:
    """Straighten apostrophes and spell out "n't" / "cannot" so both lexicons see the negation."""
    text = _APOSTROPHES.sub("'", text)
    text = _IRREGULAR.sub(lambda m: _match_case(_IRREGULAR_NEGATIONS[m.group(1).lower()], m.group(1)), text)
    return _NEGATION.sub(lambda m: f"{m.group(1)} not", text)


def _match_case(replacement: str, original: str) -> str:
    return replacement.capitalize() if original[:1].isupper() else replacement


@functools.cache
def _vader() -> SentimentIntensityAnalyzer:
    """One analyser per process: building it parses the lexicon file."""
    return SentimentIntensityAnalyzer()


def score_text(text: str) -> dict[str, float]:
    """The three sentiment scores of one text, after normalisation."""
    clean = normalise_for_scoring(text)
    blob = TextBlob(clean).sentiment
    return {
        "tb_polarity": round(float(blob.polarity), 4),
        "tb_subjectivity": round(float(blob.subjectivity), 4),
        "vader_compound": round(float(_vader().polarity_scores(clean)["compound"]), 4),
    }


def word_valences(text: str) -> list[float]:
    """VADER's lexicon valence of each word (0 when unknown): shows why a text scores as it does."""
    lexicon = _vader().lexicon
    return [lexicon.get(w, 0.0) for w in re.findall(r"[a-z']+", normalise_for_scoring(text).lower())]


def add_sentiment(statements: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``statements`` with the three score columns added."""
    scores = pd.DataFrame(
        [score_text(t) for t in statements["text"]],
        columns=SCORE_COLUMNS,
        index=statements.index,
        dtype="float64",
    )
    return pd.concat([statements, scores], axis=1)


def speaker_sentiment(table: pd.DataFrame) -> pd.DataFrame:
    """Mean scores and statement counts per speaker, most quoted first."""
    grouped = table.groupby("speaker", sort=False)
    summary = grouped[SCORE_COLUMNS].mean().round(3)
    summary.insert(0, "statements", grouped.size())
    return summary.sort_values("statements", ascending=False, kind="stable").reset_index()


def negation_examples(samples: list[str]) -> pd.DataFrame:
    """Raw and normalised scores side by side: shows why text is normalised before scoring."""
    rows = []
    for sample in samples:
        fixed = score_text(sample)
        rows.append(
            {
                "text": sample,
                "TextBlob raw": round(float(TextBlob(sample).sentiment.polarity), 2),
                "VADER raw": round(float(_vader().polarity_scores(sample)["compound"]), 2),
                "normalised": normalise_for_scoring(sample),
                "TextBlob": round(fixed["tb_polarity"], 2),
                "VADER": round(fixed["vader_compound"], 2),
            }
        )
    return pd.DataFrame(rows)
