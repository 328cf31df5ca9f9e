"""The speaker chooser: a small trained model picks each row's speaker among its candidates.

The rules find the cues, the contents and the speaker phrase, and they resolve the phrase to a
speaker (the row's ``rule``). Resolution is where they fail on unseen articles ("he" for the wrong
man, "the company" left unnamed while the company was named two sentences before), so a row is
not simply given the rules' answer: every person, organisation and group named or resolved near it
(in its paragraph and the two before, and the latest three speakers) is a candidate, described by
general features — distance, paragraph and sentence boundaries, salience and recency, gender and
number agreement with a pronoun, whether a description fits the candidate, where the rules found
the speaker and what they chose. A conditional logit gives each candidate the probability that it
is the right speaker of a right row (the rest is "none of them": the row itself may be wrong); the
row takes the most probable one (the rules' choice unless another is more probable by ``margin``)
and that probability, with the row's own features, makes the row's ``confidence``
(:mod:`utils.extract.rowcheck`).

The model is a data file beside this module (``chooser.json``: one weight per feature), written
by ``python benchmarks/train_chooser.py --write`` from our own annotations only; it
is applied here in plain Python, so extraction needs neither scikit-learn nor numpy. A user's own
model (:mod:`utils.speaker_model`) is the same file format, learnt further from that user's
accepted reviews; features named ``user:*`` are only ever non-zero with such a model.
"""

from __future__ import annotations

import json
import math
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from utils.extract.names import (
    GROUP_REFERENCES,
    NP_PREPOSITIONS,
    ORG_DESCRIPTORS,
    ROLE_WORDS,
    TITLE_WORDS,
    speaker_key,
    words_of,
)
from utils.extract.records import Statement, Who
from utils.extract.rowcheck import row_confidence
from utils.extract.rules import Pattern, Step, rule_name, split_rule
from utils.extract.state import ArticleState
from utils.extract.vocab import (
    ASK_VERBS,
    DEFINITE,
    DETERMINERS,
    DIRECTIVE_VERBS,
    LABEL_VERBS,
    NOUNISH,
    POSSESSIVES,
    QUOTE_ONLY_VERBS,
    RELATIVE_WORDS,
    SAY_VERBS,
    WEAK_VERBS,
)

SHIPPED = Path(__file__).with_name("chooser.json")

#: Paragraphs before a row's own in which a name counts as a candidate.
WINDOW_PARAGRAPHS = 2
#: The latest distinct speakers of earlier rows that are candidates however far back they spoke.
RECENT_SPEAKERS = 3
#: At most this many candidates per row, the most recently named first (the rules' one always kept).
MAX_CANDIDATES = 12

_PRONOUN_TYPES = {
    "he": "he",
    "him": "he",
    "she": "she",
    "her": "she",
    "it": "it",
    "they": "they",
    "them": "they",
}
#: Words after a description's head noun ("the leader of …", "a group that …").
_AFTER_HEAD = NP_PREPOSITIONS | RELATIVE_WORDS
_ORG_HEADS = ORG_DESCRIPTORS | GROUP_REFERENCES
_PERSON_HEADS = ROLE_WORDS | TITLE_WORDS
#: Step groups: how the rules resolved the phrase (``rules.Step``), for the features ``rule&…``.
_STEP_GROUPS = {
    Step.NAME: "name",
    Step.SHORT_NAME: "name",
    Step.ALIAS: "name",
    Step.SURNAME: "name",
    Step.OWNER_NAME: "name",
    Step.LATER_NAME: "name",
    Step.ORG: "org",
    Step.ACRONYM: "org",
    Step.ORG_GUESS: "guess",
    Step.PRONOUN: "pronoun",
    Step.PRONOUN_SPEAKER: "pronoun",
    Step.PRONOUN_UNRESOLVED: "unresolved",
    Step.EPITHET: "description",
    Step.TITLE: "description",
    Step.APPOSITION_OF: "description",
    Step.SALIENT_ORG: "description",
    Step.LAST_ORG: "description",
    Step.SAME_GROUP: "description",
    Step.SOURCE_NOUN: "description",
    Step.UNNAMED: "unnamed",
    Step.NAMED_LATER: "description",
}


# --- the model --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Model:
    """A conditional logit over a row's candidates and "none of them": each candidate scores
    ``Σ weight · feature``, "none" scores the same over the row's own features (where the rules
    found the speaker, the row's kind and length), and a softmax makes them probabilities. A
    candidate's probability is that the row is right with that speaker; unknown features weigh 0."""

    weights: Mapping[str, float]
    margin: float = 0.0  # how much more probable another candidate must be than the rules' choice
    known: Mapping[str, float] = field(default_factory=dict)  # user:known speaker key -> strength

    def score(self, features: Mapping[str, float]) -> float:
        weights, z = self.weights, 0.0
        for name, value in features.items():
            weight = weights.get(name)
            if weight is not None:
                z += weight * value
        return z

    def probabilities(self, row: Mapping[str, float], candidates: list[dict[str, float]]) -> list[float]:
        """The probability of each candidate (the rest, to 1, is "none of them")."""
        scores = [self.score(row)]
        scores += [self.score(f) for f in candidates]
        top = max(scores)
        exp = [math.exp(z - top) for z in scores]
        total = sum(exp)
        return [e / total for e in exp[1:]]

    def decide(
        self, row: Mapping[str, float], candidates: list[dict[str, float]], names: list[str]
    ) -> tuple[int, list[float]]:
        """The candidate a row takes (the rules' one, index 0, unless another is more probable by
        ``margin``) and every candidate's probability; a speaker the user keeps confirming gets the
        feature ``user:known`` first (added to ``candidates``' dictionaries)."""
        if self.known:
            for name, f in zip(names, candidates, strict=True):
                strength = self.known.get(speaker_key(name), 0.0)
                if strength:
                    f["user:known"] = strength
        p = self.probabilities(row, candidates)
        best = max(range(len(p)), key=p.__getitem__)
        return (best if p[best] > p[0] + self.margin else 0), p

    def as_json(self, about: Mapping[str, object]) -> str:
        """The file this model is kept in (weights sorted by name, so a diff shows what moved)."""
        body = {
            **about,
            "margin": self.margin,
            "weights": {k: round(v, 6) for k, v in sorted(self.weights.items()) if v},
            "known": {k: round(v, 6) for k, v in sorted(self.known.items())},
        }
        return json.dumps(body, indent=1, ensure_ascii=False) + "\n"


def model_from_json(data: Mapping[str, object]) -> Model:
    """A model from its parsed file; a wrong shape raises ``ValueError`` naming the field."""
    weights, known = data.get("weights"), data.get("known", {})
    if not isinstance(weights, dict) or not isinstance(known, dict):
        raise ValueError("a speaker chooser model needs a 'weights' object (and 'known', if any)")
    try:
        return Model(
            {str(k): float(v) for k, v in weights.items()},
            float(data.get("margin", 0.0)),  # type: ignore[arg-type]
            {str(k): float(v) for k, v in known.items()},
        )
    except (TypeError, ValueError) as exc:
        raise ValueError(f"a speaker chooser model holds a value that is not a number: {exc}") from exc


@lru_cache(maxsize=8)
def load_model(path: Path = SHIPPED, stamp: float = 0.0) -> Model:
    """Read a model file (``stamp``, its modification time, makes a rewritten file read again)."""
    return model_from_json(json.loads(path.read_text(encoding="utf-8")))


# --- candidates and their features ------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    name: str
    affiliation: str
    kind: str  # "person" | "org" | "group" | "pronoun"


@dataclass
class RowChoice:
    """One row, its candidates with their features and probabilities, and which one it took."""

    statement: Statement
    who: Who
    candidates: list[Candidate]
    row: dict[str, float]  # the row's own features ("none of the candidates" scores on these)
    features: list[dict[str, float]]  # per candidate
    probabilities: list[float]
    rule_index: int  # the rules' choice
    chosen: int = 0

    @property
    def switched(self) -> bool:
        return self.chosen != self.rule_index

    @property
    def affiliation(self) -> str:
        """The affiliation the row shows: the rules' own, read from the row's context, unless the
        model took another candidate, whose known affiliation then goes with it."""
        return self.candidates[self.chosen].affiliation if self.switched else self.statement.affiliation


@dataclass
class _Index:
    """Where each candidate is named or resolved in the article, from the speaker book and the rows."""

    offsets: dict[str, list[int]]
    kinds: dict[str, str]
    order: list[tuple[int, str]]  # every (offset, name), sorted
    subjects: dict[str, list[int]]  # person -> offsets where it was a sentence subject or a speaker
    _named: dict[str, bool] = field(default_factory=dict)
    windows: dict[int, dict[str, None]] = field(default_factory=dict)  # paragraph -> names near, latest first
    _candidates: dict[str, Candidate] = field(default_factory=dict)
    _bases: dict[tuple[str, str], tuple[dict[str, float], bool]] = field(default_factory=dict)
    _genders: dict[str, str] = field(default_factory=dict)
    others: dict[tuple[int, str, tuple[str, ...]], list[Candidate]] = field(default_factory=dict)

    def candidate(self, state: ArticleState, name: str) -> Candidate:
        """``name`` as a candidate, with its kind and what the article says it is (made once)."""
        found = self._candidates.get(name)
        if found is None:
            kind = self.kinds.get(name, "")
            found = self._candidates[name] = Candidate(name, _affiliation(state, name, kind), kind)
        return found

    def named(self, name: str) -> bool:
        """Is ``name`` a name (a capitalised word in it), not a description ("the company")?"""
        if name not in self._named:
            self._named[name] = any(w[:1].isupper() for w in words_of(name))
        return self._named[name]

    def base(self, cand: Candidate) -> tuple[dict[str, float], bool]:
        """The features a candidate has in every row (its kind, whether it is named) and whether it
        is named: made once per name and kind, copied per row (a candidate is one of many rows')."""
        key = (cand.name, cand.kind)
        found = self._bases.get(key)
        if found is None:
            kind = cand.kind or "unknown"
            named = self.named(cand.name)
            f: dict[str, float] = {_KIND_FEATURES.get(kind) or f"kind:{kind}": 1.0}
            if named:
                f["named"] = 1.0
            found = self._bases[key] = (f, named)
        return found

    def gender(self, state: ArticleState, name: str) -> str:
        """The person's gender as the speaker book tells it ("m", "f" or ""), read once per name:
        the book no longer changes while the rows are chosen."""
        found = self._genders.get(name)
        if found is None:
            found = self._genders[name] = state.book.gender(name)
        return found


def choose(state: ArticleState, model: Model, trace: list[RowChoice] | None = None) -> list[Statement]:
    """The rows with the speaker the model prefers and how likely each is right (``confidence``)."""
    statements, whos = state.rows.statements, state.rows.whos
    if not statements:
        return []
    index = _index(state)
    out = []
    earlier = _Earlier()
    for statement, who in zip(statements, whos, strict=True):
        choice = _named_later(state, _rank(state, index, statement, who, earlier, model))
        if trace is not None:
            trace.append(choice)
        chosen, st, affiliation = choice.candidates[choice.chosen], choice.statement, choice.affiliation
        confidence = row_confidence(choice, statements)
        out.append(
            Statement(
                chosen.name, affiliation, st.kind, st.text, st.start, st.end, st.cue, st.rule, confidence
            )
        )
        earlier.add(chosen.name)
    return out


def _named_later(state: ArticleState, choice: RowChoice) -> RowChoice:
    """``choice`` with its unnamed speaker replaced by the one person the article later names with
    that role ("China’s ambassador accused …" … "China’s ambassador Liu Xiaming"). Why here: the
    name may come paragraphs after the row, out of the rules' reach. The row says so (its rule's step
    becomes ``named-later``) and the trace holds the person taken, so the row check and training
    see what the row actually says."""
    if not choice.affiliation.startswith("(unnamed) "):
        return choice
    later = state.book.named_later(choice.affiliation)
    if later is None:
        return choice
    person = Candidate(later.name, later.affiliation, "person")
    candidates = [person if k == choice.chosen else c for k, c in enumerate(choice.candidates)]
    pattern = _rule_parts(choice.statement.rule)[0]
    rule = rule_name(pattern, Step.NAMED_LATER) if pattern else choice.statement.rule
    st = replace(choice.statement, speaker=person.name, affiliation=person.affiliation, rule=rule)
    who = replace(choice.who, speaker=person.name, affiliation=person.affiliation, kind="person", rule=rule)
    return replace(choice, statement=st, who=who, candidates=candidates)


def _rank(
    state: ArticleState, index: _Index, statement: Statement, who: Who, earlier: _Earlier, model: Model
) -> RowChoice:
    candidates = _candidates(state, index, statement, who, earlier)
    row = _row_features(statement, who, len(candidates))
    context = _context(state, statement, who, earlier)
    features = [_features(state, index, context, c, k) for k, c in enumerate(candidates)]
    chosen, probabilities = model.decide(row, features, [c.name for c in candidates])
    return RowChoice(statement, who, candidates, row, features, probabilities, 0, chosen)


def _index(state: ArticleState) -> _Index:
    book = state.book
    offsets: dict[str, list[int]] = {}
    kinds: dict[str, str] = {}
    subjects: dict[str, list[int]] = {}

    def add(pos: int, name: str, kind: str) -> None:
        if pos >= 0 and name:
            offsets.setdefault(name, []).append(pos)
            kinds.setdefault(name, kind)

    for name, found in book.mention_offsets.items():
        for pos in found:
            add(pos, name, "person")
    for pos, name in book.person_notes:
        add(pos, name, "person")
        subjects.setdefault(name, []).append(pos)
    for spelled, found in book.org_offsets.items():
        entity = book.by_key.get(speaker_key(spelled))
        name, kind = (entity.name, entity.kind) if entity is not None else (spelled, "org")
        for pos in found:
            add(pos, name, kind)
    for who in state.rows.whos:
        if who.kind != "pronoun":
            add(who.at, who.speaker, who.kind)
    for found in offsets.values():
        found.sort()
    order = sorted((pos, name) for name, found in offsets.items() for pos in found)
    return _Index(offsets, kinds, order, subjects)


def _candidates(
    state: ArticleState, index: _Index, statement: Statement, who: Who, earlier: _Earlier
) -> list[Candidate]:
    """The rules' choice first, then names met in the window and the latest speakers."""
    para = _paragraph(state, statement.start)
    names = index.windows.get(para)
    if names is None:
        lo = state.para_starts[max(0, para - WINDOW_PARAGRAPHS)] if state.para_starts else 0
        hi = _paragraph_end(state, para)
        window = index.order[bisect_left(index.order, (lo, "")) : bisect_left(index.order, (hi, ""))]
        names = index.windows[para] = dict.fromkeys(name for _pos, name in reversed(window))
    recent = tuple(earlier.recent[:RECENT_SPEAKERS])
    key = (para, statement.speaker, recent)
    others = index.others.get(key)
    if others is None:  # rows of one paragraph mostly share their speaker and the latest speakers
        others = index.others[key] = _others(state, index, names, statement.speaker, recent)
    return [Candidate(statement.speaker, statement.affiliation, who.kind), *others]


def _others(
    state: ArticleState, index: _Index, names: dict[str, None], speaker: str, recent: tuple[str, ...]
) -> list[Candidate]:
    """The candidates besides the rules' choice ``speaker``: the window's names, then the latest
    speakers not among them, at most ``MAX_CANDIDATES`` - 1."""
    out: list[Candidate] = []
    for group in (names, [n for n in recent if n not in names]):
        for name in group:
            if len(out) >= MAX_CANDIDATES - 1:
                return out
            if name != speaker:
                out.append(index.candidate(state, name))
    return out


def _affiliation(state: ArticleState, name: str, kind: str) -> str:
    book = state.book
    entity = book.by_key.get(("group:" if kind == "group" else "") + speaker_key(name))
    if entity is not None:
        return entity.affiliation or entity.title
    return book.org_notes.get(name) if kind == "org" else ""


def _paragraph(state: ArticleState, pos: int) -> int:
    return max(0, bisect_right(state.para_starts, pos) - 1)


def _paragraph_end(state: ArticleState, para: int) -> int:
    return state.para_starts[para + 1] if para + 1 < len(state.para_starts) else len(state.text)


def _sentence_start(state: ArticleState, pos: int) -> int:
    k = bisect_right(state.sentence_starts, pos) - 1
    return state.sentence_starts[k] if k >= 0 else 0


def _phrase_type(phrase: str) -> str:
    """ "he", "she", "it", "they"; "description" ("the company"); "name"; "" (no phrase)."""
    words = words_of(phrase)
    if not words:
        return ""
    low = words[0].lower()
    if len(words) == 1 and low in _PRONOUN_TYPES:
        return _PRONOUN_TYPES[low]
    if low in DETERMINERS or words[-1][:1].islower():
        return "description"
    return "name"


def _head(phrase: str) -> str:
    words = [w.lower() for w in words_of(phrase) if w[:1].isalpha()]
    for k, word in enumerate(words):
        if k and word in _AFTER_HEAD:
            return words[k - 1]
    return words[-1] if words else ""


def _row_features(statement: Statement, who: Who, candidates: int) -> dict[str, float]:
    """What says a row may be wrong whoever speaks it: where the rules found the speaker and how
    they resolved it, the kind of cue, the row's kind, length and shape, how many candidates."""
    kind, text = statement.kind, statement.text
    words = text.split()
    f = dict(_row_constants(who.rule, kind, statement.cue.split(" ", 1)[0].lower()))
    f[f"none&{kind}&words"] = math.log1p(len(words)) / 5
    if len(words) <= 3:
        f[f"none&{kind}&short"] = 1.0
    if candidates > 1:
        f["none&candidates"] = math.log(candidates)
    if text.rstrip(" ”\"’'").endswith("?"):
        f["none&question"] = 1.0
    if all(w[:1].isupper() for w in words if w[:1].isalpha()):
        f["none&capitalised"] = 1.0
    if kind == "paraphrase" and any(m in text for m in _QUOTE_MARKS):
        f["none&quoted-inside"] = 1.0
    return f


@lru_cache(maxsize=2048)
def _row_constants(rule: str, kind: str, cue: str) -> tuple[tuple[str, float], ...]:
    """The row features that depend only on its rule, kind and cue word (read once per triple)."""
    pattern, step = _rule_parts(rule)
    found = ["none", f"none&pat:{pattern}", f"none&step:{step}", f"none&{kind}"]
    found += [f"none&cue:{name}" for name, verbs in _CUE_CLASSES if cue in verbs]
    if not cue:
        found.append("none&cue:none")
    return tuple((name, 1.0) for name in found)


_QUOTE_MARKS = ("“", "”", '"', "‘")
#: Classes of the reporting verb (``utils/lexicons/verbs.tsv``), for how sure a row is.
_CUE_CLASSES = (
    ("say", SAY_VERBS),
    ("weak", WEAK_VERBS),
    ("label", LABEL_VERBS),
    ("quote-only", QUOTE_ONLY_VERBS),
    ("ask", ASK_VERBS),
    ("directive", DIRECTIVE_VERBS),
    ("nounish", NOUNISH),
    ("according", frozenset({"according", "per"})),
)


@dataclass
class _Earlier:
    """The speakers of the rows before, kept as they come: rows per speaker, latest first."""

    rows: Counter[str] = field(default_factory=Counter)
    recent: list[str] = field(default_factory=list)  # distinct speakers, the latest first

    def add(self, name: str) -> None:
        self.rows[name] += 1
        if self.recent and self.recent[0] == name:
            return
        if name in self.recent:
            self.recent.remove(name)
        self.recent.insert(0, name)


@dataclass  # not frozen: a frozen dataclass's __init__ pays an object.__setattr__ call per field
class _Context:
    """What the features of every candidate of one row share, computed once per row."""

    statement: Statement
    site: int  # where the resolved phrase starts (the row's start when there was none)
    para: int
    para_end: int
    sentence: int  # start of the sentence of ``site``
    step_feature: str  # "rule&step:<group>": how the rules resolved the phrase (``_STEP_GROUPS``)
    continued: bool  # the rules carried the speaker from elsewhere (not next to this row's cue)
    phrase: str  # "he", "she", "it", "they", "description", "name" or ""
    head: str  # of a description
    definite: bool  # a description opened by "the", "this", a possessive
    phrase_words: frozenset[str]  # words of more than three letters of a description
    said: frozenset[str]  # speaker keys of the capitalised words of a name
    spoke: Counter[str]  # speakers of the rows before, by number of rows (shared, read only)
    last_speaker: str


_DEFINITE_OR_POSSESSIVE = DEFINITE | POSSESSIVES  # made once, not per call


def _context(state: ArticleState, statement: Statement, who: Who, earlier: _Earlier) -> _Context:
    step_feature, continued = _rule_context(who.rule)
    site = who.at if who.at >= 0 else statement.start
    para = _paragraph(state, site)
    phrase, head, definite, phrase_words, said = _phrase_parts(who.phrase)
    return _Context(
        statement,
        site,
        para,
        _paragraph_end(state, para),
        _sentence_start(state, site),
        step_feature,
        continued,
        phrase,
        head,
        definite,
        phrase_words,
        said,
        earlier.rows,
        earlier.recent[0] if earlier.recent else "",
    )


@lru_cache(maxsize=512)
def _rule_context(rule: str) -> tuple[str, bool]:
    """The feature naming how the rules resolved the phrase (``_STEP_GROUPS``), and whether they
    carried the speaker from elsewhere: both read from the rule alone, so once per rule."""
    pattern, step = _rule_parts(rule)
    return f"rule&step:{_STEP_GROUPS.get(step, 'carried')}", pattern not in _CUE_PATTERNS  # type: ignore[call-overload]


@lru_cache(maxsize=4096)
def _phrase_parts(phrase: str) -> tuple[str, str, bool, frozenset[str], frozenset[str]]:
    """What a row's context reads of the resolved phrase (``_Context``: its type, head, whether
    definite, its long words, the keys of its capitalised words), made once per phrase: a corpus
    resolves the same "he", "the company" and surnames row after row."""
    kind = _phrase_type(phrase)
    words = words_of(phrase) if kind in {"description", "name"} else []
    return (
        kind,
        _head(phrase) if kind == "description" else "",
        bool(words) and words[0].lower() in _DEFINITE_OR_POSSESSIVE,
        frozenset(w.lower() for w in words if len(w) > 3) if kind == "description" else frozenset(),
        frozenset(speaker_key(w) for w in words if w[:1].isupper()) if kind == "name" else frozenset(),
    )


def _features(
    state: ArticleState, index: _Index, context: _Context, cand: Candidate, k: int
) -> dict[str, float]:
    """The general features of one candidate of one row (names in the module docstring); a feature
    that is 0 is left out (it weighs nothing), so the dictionaries stay small."""
    base, named = index.base(cand)
    f = base.copy()
    if k == 0:
        f["rule"] = 1.0
        f[context.step_feature] = 1.0
        if context.continued:
            f["rule&continued"] = 1.0
    if context.phrase:
        _agreement(state, index, context, cand, named, f)
    _distances(state, index, context, cand, f)
    spoke = context.spoke.get(cand.name)
    if spoke:
        f["spoke"] = math.log1p(spoke)
    if context.last_speaker == cand.name:
        f["last-speaker"] = 1.0
    return f


_KIND_FEATURES = {kind: f"kind:{kind}" for kind in ("person", "org", "group", "pronoun", "unknown")}


#: Patterns that find the speaker next to the row's own cue (the others carry one from elsewhere).
_CUE_PATTERNS = frozenset(
    p.value
    for p in (
        Pattern.LEFT,
        Pattern.LEFT_ASIDE,
        Pattern.LEFT_PAST_ASIDE,
        Pattern.LEFT_LONG_SUBJECT,
        Pattern.SUBJECT_BEFORE_CLAUSE,
        Pattern.RIGHT,
        Pattern.ACCORDING,
        Pattern.ELIDED,
        Pattern.PARTICIPLE,
        Pattern.PREDICATES,
        Pattern.RELATIVE,
        Pattern.RELATIVE_PAST_ASIDE,
        Pattern.LISTENER,
    )
)


@lru_cache(maxsize=512)
def _rule_parts(rule: str) -> tuple[str, str]:
    try:
        pattern, step = split_rule(rule)
    except ValueError:
        return "", ""
    return pattern.value, step.value if step is not None else ""


def _agreement(
    state: ArticleState, index: _Index, context: _Context, cand: Candidate, named: bool, f: dict[str, float]
) -> None:
    """Does the resolved phrase fit the candidate: gender and number of a pronoun, the head noun of a
    description, the words of a name?"""
    phrase, kind = context.phrase, cand.kind or "unknown"
    f[f"phrase:{phrase}&{kind}"] = 1.0
    if phrase in {"he", "she"} and kind == "person":
        gender = index.gender(state, cand.name)
        if gender:
            f["gender:match" if gender == ("m" if phrase == "he" else "f") else "gender:clash"] = 1.0
    elif phrase == "description":
        head, article = context.head, "definite" if context.definite else "indefinite"
        noun = "org-noun" if head in _ORG_HEADS else "role-noun" if head in _PERSON_HEADS else "other-noun"
        if noun != "other-noun":
            f[f"description:{noun}&{kind}"] = 1.0
        f[f"description:{noun}&{article}&{'named' if named else 'unnamed'}"] = 1.0
        if head and context.phrase_words & _described_words(cand.name, cand.affiliation):
            f["description:shares-word"] = 1.0
    elif phrase == "name" and context.said and context.said <= _key_words(cand.name):
        f["name:words-in-name"] = 1.0


@lru_cache(maxsize=4096)
def _key_words(name: str) -> frozenset[str]:
    """The words of a candidate's speaker key, made once per name, not once per row it is a
    candidate of."""
    return frozenset(speaker_key(name).split())


@lru_cache(maxsize=4096)
def _described_words(name: str, affiliation: str) -> frozenset[str]:
    """The words of more than three letters of a candidate's name and affiliation (lower case),
    made once per candidate, not once per row it is a candidate of."""
    return frozenset(w.lower() for w in words_of(f"{name} {affiliation}") if len(w) > 3)


def _distances(
    state: ArticleState, index: _Index, context: _Context, cand: Candidate, f: dict[str, float]
) -> None:
    """Where the candidate was named around the row: before the resolved phrase, after it in the
    paragraph, inside the row; how often before; whether it was a sentence subject there."""
    found = index.offsets.get(cand.name, ())
    site, start, end = context.site, context.statement.start, context.statement.end
    k = bisect_left(found, site)
    if k == 0:
        f["before:none"] = 1.0
    else:
        last = found[k - 1]
        f["before:distance"] = math.log1p(site - last) / 8
        back = context.para - max(0, bisect_right(state.para_starts, last) - 1)  # _paragraph, inlined
        if last >= context.sentence:
            f["before:same-sentence"] = 1.0
        if back == 0:
            f["before:same-paragraph"] = 1.0
        else:
            f["before:paragraphs-back"] = min(back, 4) / 4
        f["before:mentions"] = math.log1p(k)
    after = bisect_left(found, max(site, start) + 1)
    if after < len(found) and found[after] < context.para_end and not start <= found[after] < end:
        f["after:same-paragraph"] = 1.0
    inside = bisect_left(found, start)
    if inside < len(found) and found[inside] < end:
        f["inside-row"] = 1.0
    noted = index.subjects.get(cand.name)
    if noted:
        j = bisect_left(noted, site)
        if j > 0 and _paragraph(state, noted[j - 1]) == context.para:
            f["subject:same-paragraph"] = 1.0
