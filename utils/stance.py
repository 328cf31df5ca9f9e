"""Stance: the curated labels, an automatic certainty measure, and keyword relevance.

Two different things are called stance here:

* **Topic stance** (favor / against / neutral / mixed per topic) is a human judgement,
  read from the curated stance table. For statements nobody has labelled, the only
  automatic claim made here is *relevance*: the statement mentions one of the topic's
  keywords ("addressed": mentions the topic, direction not suggested). A direction is
  never read from sentiment: VADER's sign agreed with people no better than "always
  favor". Directions learned from people's own labels live in :mod:`utils.suggest`.
* **Epistemic stance** (how sure the speaker sounds) is counted automatically from a
  documented cue list of hedges ("likely", "might", "I think") and boosters ("will",
  "always", "clearly"), in the spirit of Hyland's hedges and boosters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from utils.schema import CERTAINTY_COLUMNS, NOT_ADDRESSED, STANCE_LABELS

# The cue lists, in full: what the certainty measure counts. Multi-word cues win over
# their parts ("not sure" is a hedge, "sure" a booster). "may" counts only in lower case,
# so the month does not.
HEDGES = (
    "not sure",
    "not certain",
    "not clear",
    "i think",
    "we think",
    "i believe",
    "we believe",
    "i suspect",
    "i guess",
    "in my view",
    "in my opinion",
    "it seems",
    "tend to",
    "tends to",
    "likely",
    "unlikely",
    "probably",
    "possibly",
    "perhaps",
    "maybe",
    "apparently",
    "presumably",
    "potentially",
    "arguably",
    "seemingly",
    "roughly",
    "somewhat",
    "relatively",
    "might",
    "could",
    "would",
    "unsure",
    "uncertain",
    "unclear",
    "it is possible",
    "possible that",
    "seem",
    "seems",
    "seemed",
    "appear",
    "appears",
    "appeared",
    "suggest",
    "suggests",
    "suggested",
    "estimate",
    "estimates",
    "assume",
    "doubt",
    "doubts",
    "speculate",
)
BOOSTERS = (
    "of course",
    "no doubt",
    "without doubt",
    "in fact",
    "there is no question",
    "is going to",
    "are going to",
    "am going to",
    "'re going to",
    "'s going to",
    "'m going to",
    "will",
    "won't",
    "always",
    "never",
    "clearly",
    "certainly",
    "definitely",
    "undoubtedly",
    "surely",
    "must",
    "obviously",
    "indeed",
    "absolutely",
    "inevitably",
    "necessarily",
    "evidently",
    "undeniably",
    "i'm sure",
    "i am sure",
    "we're sure",
    "we are sure",
    "sure that",
    "i know",
    "we know",
    "shows",
    "demonstrates",
)
_CASE_SENSITIVE = ("may",)
STANCE_SCORES = {"favor": 1.0, "against": -1.0, "neutral": 0.0, "mixed": 0.0}
# An automatic value only, never a person's label: the statement mentions the topic's
# keywords, and no direction is suggested. (To move to utils/schema.py with the labels.)
ADDRESSED = "addressed"


def _cue_pattern() -> re.Pattern[str]:
    def alternatives(cues: tuple[str, ...]) -> str:
        return "|".join(re.escape(c) for c in sorted(cues, key=len, reverse=True))

    case_sensitive = "|".join(f"(?-i:{c})" for c in _CASE_SENSITIVE)
    hedge = rf"(?P<hedge>{alternatives(HEDGES)}|{case_sensitive})"
    booster = rf"(?P<booster>{alternatives(BOOSTERS)})"
    return re.compile(rf"\b(?:{hedge}|{booster})\b", re.IGNORECASE)


_CUES = _cue_pattern()


@dataclass(frozen=True)
class Certainty:
    """Hedges and boosters found in one statement, and what they add up to."""

    hedges: tuple[str, ...]
    boosters: tuple[str, ...]

    @property
    def score(self) -> float:
        """From -1 (only hedges) to +1 (only boosters); 0 when balanced or unmarked."""
        total = len(self.hedges) + len(self.boosters)
        return round((len(self.boosters) - len(self.hedges)) / total, 3) if total else 0.0

    @property
    def label(self) -> str:
        """hedged, certain, balanced (as many of each) or unmarked (no cue at all)."""
        if len(self.hedges) > len(self.boosters):
            return "hedged"
        if len(self.boosters) > len(self.hedges):
            return "certain"
        return "balanced" if self.hedges else "unmarked"


def certainty(text: str) -> Certainty:
    """Count the epistemic cues in ``text`` (apostrophes straightened first, so "won’t" counts)."""
    hedges, boosters = [], []
    for match in _CUES.finditer(text.replace("\u2019", "'")):
        (hedges if match.group("hedge") else boosters).append(match.group(0).lower())
    return Certainty(tuple(hedges), tuple(boosters))


def certainty_fields(text: str) -> dict[str, object]:
    """The certainty columns of one statement: cue words (';'-joined), score and label."""
    found = certainty(text)
    return {
        "hedges": "; ".join(found.hedges),
        "boosters": "; ".join(found.boosters),
        "certainty": found.score,
        "epistemic": found.label,
    }


def add_certainty(statements: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``statements`` with the certainty columns of :func:`certainty_fields` added."""
    fields = pd.DataFrame(
        [certainty_fields(t) for t in statements["text"]], index=statements.index, columns=CERTAINTY_COLUMNS
    )
    return pd.concat([statements, fields.astype({"certainty": "float64"})], axis=1)


def stance_columns(topics: pd.DataFrame) -> list[str]:
    """Names of the per-topic stance columns of the analysis table."""
    return [f"stance_{t}" for t in topics["topic"]]


def curated_wide(statement_ids: pd.Series, stance: pd.DataFrame, topics: pd.DataFrame) -> pd.DataFrame:
    """The curated labels as one row per labelled statement and a ``stance_<topic>`` column per topic.

    A statement with at least one row in the stance table counts as labelled: its other
    topics are "not addressed". Statements with no row at all are left out (unlabelled).
    """
    labelled = pd.Index([i for i in statement_ids if i in set(stance["id"])], name="id")
    wide = pd.DataFrame(NOT_ADDRESSED, index=labelled, columns=stance_columns(topics))
    for row in stance.itertuples(index=False):
        wide.loc[row.id, f"stance_{row.topic}"] = row.label
    return wide


def keyword_list(keywords: str) -> list[str]:
    """The topic's keywords: ';'-separated word beginnings, lower-cased, empty ones dropped."""
    return [k.strip().lower() for k in str(keywords).split(";") if k.strip()]


def matched_keywords(text: str, keywords: str) -> tuple[str, ...]:
    """The topic keywords ``text`` mentions (matching at a word start: "negotiat" in "negotiations")."""
    lowered = text.replace("\u2019", "'").lower()
    return tuple(w for w in keyword_list(keywords) if re.search(rf"\b{re.escape(w)}", lowered))


def relevance(text: str, keywords: str) -> str:
    """:data:`ADDRESSED` when ``text`` mentions a keyword (or the topic has none), else "not addressed"."""
    if keyword_list(keywords) and not matched_keywords(text, keywords):
        return NOT_ADDRESSED
    return ADDRESSED


def suggested_wide(statements: pd.DataFrame, topics: pd.DataFrame) -> pd.DataFrame:
    """Automatic relevance for every statement and topic, shaped like :func:`curated_wide`.

    Values are :data:`ADDRESSED` or "not addressed": no direction is suggested here.
    """
    data = {
        f"stance_{t.topic}": [relevance(text, t.keywords) for text in statements["text"]]
        for t in topics.itertuples(index=False)
    }
    return pd.DataFrame(data, index=pd.Index(statements["id"], name="id"))


@dataclass(frozen=True)
class Agreement:
    """How well the automatic suggestions agree with the people, over statement-topic pairs.

    ``accuracy`` and ``kappa`` compare labels as they are, so :data:`ADDRESSED` (no
    direction) never equals a person's direction; ``addressed_accuracy`` is the share of
    pairs people call addressed whose direction the suggestion got right (0 when it
    suggests none). ``relevance_*`` compare addressed-or-not only; ``directed_pairs``
    counts the pairs where the suggestion gave a direction at all.
    """

    pairs: int
    accuracy: float
    kappa: float
    addressed_pairs: int
    addressed_accuracy: float
    relevance_accuracy: float
    relevance_kappa: float
    directed_pairs: int


def agreement(curated: pd.DataFrame, suggested: pd.DataFrame) -> Agreement:
    """Accuracy and Cohen's kappa of suggestions against curated labels (same shape, same ids)."""
    truth = curated.to_numpy().ravel()
    guess = suggested.loc[curated.index, curated.columns].to_numpy().ravel()
    addressed = truth != NOT_ADDRESSED
    relevant = [str(g != NOT_ADDRESSED) for g in guess]
    return Agreement(
        pairs=len(truth),
        accuracy=round(float((truth == guess).mean()), 3) if len(truth) else float("nan"),
        kappa=cohen_kappa(list(truth), list(guess)),
        addressed_pairs=int(addressed.sum()),
        addressed_accuracy=round(float((truth[addressed] == guess[addressed]).mean()), 3)
        if addressed.any()
        else float("nan"),
        relevance_accuracy=round(float(((truth != NOT_ADDRESSED) == (guess != NOT_ADDRESSED)).mean()), 3)
        if len(truth)
        else float("nan"),
        relevance_kappa=cohen_kappa([str(a) for a in addressed], relevant),
        directed_pairs=int(sum(g in STANCE_LABELS for g in guess)),
    )


def confusion(curated: pd.DataFrame, suggested: pd.DataFrame) -> pd.DataFrame:
    """How suggestions fall against people's labels: statement-topic pairs counted by (people, suggestion)."""
    labels = [*STANCE_LABELS, NOT_ADDRESSED]
    truth = pd.Series(curated.to_numpy().ravel(), name="people")
    guess = pd.Series(suggested.loc[curated.index, curated.columns].to_numpy().ravel(), name="suggestion")
    return pd.crosstab(truth, guess).reindex(index=labels, columns=[*labels, ADDRESSED], fill_value=0)


def cohen_kappa(a: list[str], b: list[str]) -> float:
    """Cohen's kappa: agreement beyond what the two label distributions give by chance."""
    if not a:
        return float("nan")
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / len(a)
    labels = set(a) | set(b)
    expected = sum((a.count(label) / len(a)) * (b.count(label) / len(b)) for label in labels)
    return 1.0 if expected == 1 else round((observed - expected) / (1 - expected), 3)


def speaker_stance(table: pd.DataFrame, topics: pd.DataFrame) -> pd.DataFrame:
    """Per speaker and topic: statements addressing it, mean stance score (+1 favor, -1 against) and labels.

    Statements marked :data:`ADDRESSED` (no direction) count as addressing the topic but
    not in the score, which is empty (NaN) when no statement has a direction. Long format
    (one row per speaker and addressed topic), ready for a heatmap.
    """
    rows = []
    for topic in topics.itertuples(index=False):
        column = f"stance_{topic.topic}"
        addressed = table[table[column] != NOT_ADDRESSED]
        for speaker, group in addressed.groupby("speaker", sort=False):
            counts = group[column].value_counts()
            rows.append(
                {
                    "speaker": speaker,
                    "topic": topic.topic,
                    "proposition": topic.proposition,
                    "statements": len(group),
                    "score": round(group[column].map(STANCE_SCORES).mean(), 3),
                    **{label: int(counts.get(label, 0)) for label in STANCE_LABELS},
                }
            )
    return pd.DataFrame(
        rows, columns=["speaker", "topic", "proposition", "statements", "score", *STANCE_LABELS]
    )
