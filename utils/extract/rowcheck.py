"""How likely a row is right: the row's ``confidence``, from a small second model.

The speaker chooser's probability (:mod:`utils.extract.chooser`) knows about the speaker; many
wrong rows are wrong because the row itself is off — not an attribution people would note, a span
cut wrong, a quoted fragment that is a title or a scare quote — which the chooser sees only through
its "none of them" score. This model takes the chooser's probability as one feature beside general
features of the row (:func:`row_features`: its kind and length, whether it is a quoted fragment
inside another row's paraphrase or overlapping another row, whether its cue word introduces a
row near it too, the step that resolved the speaker, how far the speaker's words are from the
content, the kind of speaker kept, how many words its name has and whether it has an affiliation)
and gives the probability that the row is a real attribution with the right span and the right
speaker, by a logistic regression.

The weights are a data file beside this module (``rowcheck.json``), written by
``python benchmarks/train_rowcheck.py --write`` from our own annotations only, applied here in
plain Python (no scikit-learn or numpy at extraction time).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from utils.extract.records import Statement, Who
from utils.extract.rules import split_rule

SHIPPED = Path(__file__).with_name("rowcheck.json")

#: Probabilities are kept off 0 and 1 before their log-odds are taken (a feature must stay finite).
_EDGE = 1e-4

#: Rows starting this many characters apart or fewer are near (about a sentence or two).
_NEAR = 300


class Speaker(Protocol):
    """A candidate speaker as the chooser describes it (``chooser.Candidate``)."""

    @property
    def kind(self) -> str: ...
    @property
    def affiliation(self) -> str: ...


class Decided(Protocol):
    """What the row check reads of the chooser's decision on a row (``chooser.RowChoice``: this
    module sits below the chooser, which calls it)."""

    statement: Statement
    who: Who
    candidates: Sequence[Speaker]
    probabilities: Sequence[float]
    chosen: int

    @property
    def affiliation(self) -> str: ...


@dataclass(frozen=True)
class RowCheck:
    """A logistic regression: ``P(right) = 1 / (1 + exp(-(bias + Σ weight · feature)))``; a
    feature the file does not name weighs 0."""

    weights: Mapping[str, float]
    bias: float = 0.0

    def probability(self, features: Mapping[str, float]) -> float:
        weights = self.weights  # a list, not a generator, for sum: the same additions, fewer frames
        z = self.bias + sum([weights.get(name, 0.0) * value for name, value in features.items()])
        return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))

    def as_json(self, about: Mapping[str, object]) -> str:
        """The file this model is kept in (weights sorted by name, so a diff shows what moved)."""
        body = {
            **about,
            "bias": round(self.bias, 6),
            "weights": {k: round(v, 6) for k, v in sorted(self.weights.items()) if v},
        }
        return json.dumps(body, indent=1, ensure_ascii=False) + "\n"


def rowcheck_from_json(data: Mapping[str, object]) -> RowCheck:
    """A model from its parsed file; a wrong shape raises ``ValueError`` naming the field."""
    weights = data.get("weights")
    if not isinstance(weights, dict):
        raise ValueError("a row check model needs a 'weights' object")
    try:
        return RowCheck({str(k): float(v) for k, v in weights.items()}, float(data.get("bias", 0.0)))  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        raise ValueError(f"a row check model holds a value that is not a number: {exc}") from exc


@lru_cache(maxsize=4)
def load_rowcheck(path: Path = SHIPPED) -> RowCheck:
    """The shipped model, read once."""
    return rowcheck_from_json(json.loads(path.read_text(encoding="utf-8")))


def row_confidence(choice: Decided, rows: Sequence[Statement], model: RowCheck | None = None) -> float:
    """The row's ``confidence``: the probability that it is right (rounded as the tables keep it).
    ``rows`` are all the article's rows (a quoted fragment is told by the paraphrase around it)."""
    return round((model or load_rowcheck()).probability(row_features(choice, rows)), 3)


def row_features(choice: Decided, rows: Sequence[Statement]) -> dict[str, float]:
    """General features of one row and of the chooser's decision on it (a feature that is 0 is left
    out). Each says something the chooser's probability does not: a short quote is often a title or
    a scare quote; a quoted fragment inside a paraphrase is a row some conventions do not make; an
    unnamed or pronoun speaker, a one-word name, or one with no affiliation, is more often wrong; so
    is a row whose speaker's words (the name or pronoun the rules resolved) are far from the content
    (characters, log-scaled, by kind, and squared: the risk grows faster than the log)."""
    st = choice.statement
    p = min(max(choice.probabilities[choice.chosen], _EDGE), 1 - _EDGE)
    chosen = choice.candidates[choice.chosen]
    words = len(st.text.split())
    f = {"chooser": math.log(p / (1 - p)) / 4, f"{st.kind}&words": math.log1p(words) / 5}
    if words <= 3:
        f[f"{st.kind}&short"] = 1.0
    if inside_paraphrase(st, rows):
        f["direct&fragment"] = 1.0
    f[f"step:{_step(choice.who.rule)}"] = 1.0
    f[f"speaker:{chosen.kind or 'unknown'}"] = 1.0
    if not choice.affiliation:
        f["no-affiliation"] = 1.0
    f["speaker:words"] = min(len(chosen.name.split()), 4) / 4
    if choice.who.at >= 0:
        distance = math.log1p(min(abs(choice.who.at - st.start), abs(choice.who.at - st.end))) / 8
        f[f"{st.kind}&speaker-distance"] = distance
        f[f"{st.kind}&speaker-distance^2"] = distance * distance
    overlaps, shares_cue = _neighbours(st, rows)
    if overlaps:
        f["overlaps"] = 1.0
    if shares_cue:
        f["shares-cue"] = 1.0
    return f


def _neighbours(st: Statement, rows: Sequence[Statement]) -> tuple[bool, bool]:
    """(Does another row's span overlap this one's? Does a row starting within ``_NEAR`` characters
    have the same cue word?) Rows that overlap are often one of them cut wrong or a row another
    convention does not make; a row in a run of rows with one cue word (one cue introducing two
    contents, a speaker quoted on) is more often a real attribution. Another row is one with another
    span or kind (an exact duplicate, one span found by two rules, does not count)."""
    overlaps = shares_cue = False
    start, end, kind, cue = st.start, st.end, st.kind, st.cue  # read once: this runs rows² times
    for o in rows:
        if o.start == start and o.end == end and o.kind == kind:
            continue
        if not overlaps and o.start < end and start < o.end:
            overlaps = True
        if not shares_cue and o.cue == cue and -_NEAR < o.start - start < _NEAR:
            shares_cue = True
        if overlaps and shares_cue:
            break  # nothing more to learn from the other rows
    return overlaps, shares_cue


def inside_paraphrase(st: Statement, rows: Sequence[Statement]) -> bool:
    """Is a direct row a quoted fragment inside a paraphrase row?"""
    if st.kind != "direct":
        return False
    start, end = st.start, st.end  # read once: this runs rows² times
    return any(o.start <= start and end <= o.end and o.kind == "paraphrase" for o in rows)


@lru_cache(maxsize=512)
def _step(rule: str) -> str:
    """The step of a rule ("left/pronoun" -> "pronoun"): how the rules resolved the speaker."""
    try:
        _pattern, step = split_rule(rule)
    except ValueError:
        return "unknown"
    return step.value if step is not None else "none"
