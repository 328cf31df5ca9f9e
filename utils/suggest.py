"""Stance suggestions that learn from the person's own labels, and the measure of whether to trust them.

Relevance (does a statement address a topic) comes first from the topic's keywords in the
statement, and the matched words are shown. Once the person gave :data:`RELEVANCE_LABELS`
labels of each kind (addressed, not addressed), a logistic regression learned from them reads
the keywords in the statement and in its :data:`CONTEXTS`, its paragraph and the paragraphs
either side (per topic), and a statement also addresses the topic from a probability of
:data:`RELEVANT_AT`: news statements often name their topic only around them ("He would have
loved Stalin"). A keyword in the statement itself always counts: the model adds statements, it
never overrules their own keywords. On the 2016 propositions dev part (``tests/gold/propositions``)
the keywords in the statement find 63% of the addressed pairs at 70% precision; with its paragraph
78% at 51%, with the paragraphs either side 95% at 41%, and the learned mix beats each alone. Allowed
to veto a statement's own keywords, the model (shrunk toward the 14% base rate) kept 42% / 54% / 57%
of the addressed pairs at 100 / 200 / 400 labels on bare sentences, where it reads nothing the
keywords do not, and fell below the keywords alone (kappa 0.28 / 0.36 / 0.37 against 0.38 / 0.41 / 0.41).
A statement the model adds is called addressed from a probability of 0.25, not 0.4: a statement
wrongly called "not addressed" is always a wrong suggestion, one wrongly called addressed only when
a direction is shown on it. The model is learned from 5 labels of each kind, not 10: at 50 labels
(about 7 addressed pairs on the dev part) it was never learned before.

Direction (favor / against / neutral / mixed) is never read from sentiment. It comes from
the labels the person gave the same speaker on that topic (:func:`speaker_key`: the registry's
id in a coverage, else surname and given name), shown with how many, when one direction is at
least :data:`MEMORY_THRESHOLD` likely; else from a logistic regression learned from the person's
labels over word 1-2 grams of the statement, words in a negation's scope marked
(:func:`negation_scoped`; shared by all topics and again per topic, so one model learns across
topics while each proposition keeps its own words) and the topic itself, offered only when the
model is at least :data:`THRESHOLD` sure and with the n-grams that pushed most toward it. A
suggestion is never pre-selected, and the caller records whether it was shown.

Measured by the curves of :func:`stance_check`
(5 repeats unless said) on the 2016 propositions' dev part (``tests/gold/propositions``) and the in-domain
set (``tests/gold/stance``), kappa (coverage) at 50 / 100 / 200 / 400 labels:

* dev, with speaker and paragraphs (10 repeats): 0.38 / 0.46 / 0.53 / 0.58 (0.88-0.90; the prior on
  the same pairs: 0.34 / 0.42 / 0.46 / 0.48), against 0.38 / 0.46 / 0.50 / 0.52 (0.88-0.93) before the
  labels around a statement and the doubt; with 5 repeats, 0.41 / 0.48 / 0.51 / 0.53 before, against
  0.36 / 0.46 / 0.50 / 0.53 (0.92-0.95) with relevance learned from 10 labels of each kind and called
  from 0.4, and 0.36 / 0.39 / 0.47 / 0.52 when the learned relevance could overrule the statement's
  keywords;
* dev, with speaker and paragraphs, direction only (no "not addressed" labels, so no relevance model,
  no doubt): 0.36 / 0.45 / 0.51 (0.63 / 0.68 / 0.77);
* dev, bare sentences (no speaker, no paragraph), all pairs: 0.35 / 0.38 / 0.41 / 0.41 (0.92-0.95),
  the prior 0.32 / 0.36 / 0.42 / 0.40: level with it from 200 labels (the directions shown are
  about as often right as "always your most common label"), against 0.35 / 0.28 / 0.36 / 0.37;
* dev, bare sentences, direction only (the addressed pairs, no keywords, no speaker): 0.23 / 0.22 /
  0.28 (0.48 / 0.49 / 0.52), against 0.12 / 0.20 / 0.26 (0.44 / 0.42 / 0.41) before negation marks;
* in-domain, all pairs: 0.56 / 0.63 / 0.65 (0.78-0.88); direction only: 0.35 / 0.40 (0.54 / 0.66),
  against 0.32 / 0.41 (0.49 / 0.60) before negation marks.

Tried on bare dev sentences, all pairs (10 repeats), and not kept: choosing learned relevance only
when it beat the keywords in cross-validation (still below the prior: it vetoes when it is kept),
:data:`RELEVANT_AT` 0.3 (the same), "not addressed" as a fifth class of the direction model for
keyword matches (worse: 0.35 / 0.35 / 0.33 against the prior's 0.36 / 0.36 / 0.37 at 100 / 200 /
400 labels), and the person's majority direction on the topic, with its count, where neither the
speaker nor the model settles it (direction only, 5 repeats: 0.25 / 0.25 / 0.28 on 0.55-0.58 of the
pairs; but all pairs still 0.01 under the prior at 200 and 400 labels: it is the prior, per topic).

Tried for relevance (dev with paragraphs and bare, in-domain, 10 repeats) and not kept: the
statement's own word 1-2 grams per topic in the relevance model (on bare sentences they rank the
addressed pairs that have no keyword barely above chance, AUC 0.57, and never reach a call; with
paragraphs no gain); topic words widened without labels, the words that mostly occur beside a
topic's keywords in the coverage being analysed, as weaker keywords read by the model (no change
beyond 0.004 on any curve: in one set's few hundred statements they are names and chance words);
which keyword matched, as features (no change); a threshold per number of labels (0.2 helps at 100
labels, 0.25-0.3 from 200, all within 0.01 of 0.25); and withholding the direction on a statement
whose own keyword the model doubts (below 0.3 or 0.5: +0.01 to +0.03 with paragraphs from 200
labels, but 0.01-0.04 worse on bare sentences, where the model knows only how many keywords matched).

Tried with the labels around a statement and the doubt, and not kept (dev, 5 repeats): a fixed doubt
instead of the cross-validated one (0.5: 0.35 / 0.49 / 0.55 / 0.61 with context, 0.05 lost at 50
labels; 0.3: 0.39 / 0.49 / 0.54 / 0.59), the doubt on bare sentences even where cross-validation chose
it (0.35 / 0.38 / 0.39 / 0.39 against 0.35 / 0.38 / 0.41 / 0.41; a required gain of 0.03 instead of
0.01 did not save it). Also not kept: the n-grams of the statement's paragraph around it in the
direction model (weight 1; shown marked "around it"). On dev it lifted direction only with context to
0.37 / 0.47 / 0.58 on 0.76-0.84 of the pairs and all pairs to 0.42 / 0.48 / 0.55 / 0.60 (10 repeats),
but the paragraph around a quote holds its attribution ("said Maria Lopez, the county clerk"), so it
learned speakers' names and roles, and showed "lopez (around it)" as evidence, joining two people the
speaker memory keeps apart (tests/test_coverage_review.py caught it); on the heldout part, scored once
with it in, direction only fell to 0.25 / 0.38 / 0.50 / 0.56 (0.76-0.84) from 0.31 / 0.42 / 0.54 / 0.56
(0.60-0.81), while all pairs with context reached 0.33 / 0.40 / 0.47 / 0.54 (0.87-0.90) from 0.31 /
0.40 / 0.43 / 0.45. Weighted 0.5 or 0.25 it did less on dev (0.38 / 0.47 / 0.53, 0.37 / 0.46 / 0.51).

Tried on the direction-only dev part and in-domain set (kappa of the most confident 60%) and
not kept: NB-SVM log-count ratios and binary counts (worse: 0.05-0.13 on dev), character
n-grams beside the words (no gain), the tone features (VADER, TextBlob, certainty cues, a
contrast word) at any scale, a lexicon of VADER valences signed by whether the proposition's
words are near (worse), no class weights (worse), C = 1, 30 or 100 (no gain at equal
coverage), static embeddings (WordLlama, an earlier session). :data:`THRESHOLD` 0.5 rather
than 0.6: at 0.6 the same model shows 0.29 / 0.34 / 0.38 on a third of the dev pairs; 0.5
shows half or more of them and still beats the old model at 0.6 on both kappa and coverage.
The speaker memory keeps 0.6, so a tie is never shown. :data:`MIN_LABELS` is 4 direction
labels: on news where most statement-proposition pairs address nothing (the dev part: 14%
addressed), 50 labels hold about 7 directions. Falling back to the most common direction when
neither the speaker nor the model settles it would show a label with no evidence, so it is
not done.

Tried on bare dev sentences, direction only (5 repeats; 260 addressed pairs, so 60 test pairs at 200
labels and about 0.03 of noise), against 0.23 / 0.22 / 0.28 (0.48 / 0.49 / 0.52) at 50 / 100 / 200
labels, and not kept: the proposition's own words as features, shared across topics and per topic
(a statement word with the first 5 letters of a proposition word or keyword, marked negated in a
negation's scope or behind un-/in-/dis-/non-, "unfit" for "fit": 0.21 / 0.22 / 0.28, no change; few
dev statements repeat the proposition, negated or not); self-training on the pairs being suggested
(the model's guesses from 0.7 added at weight 0.5 and the model refitted once: 0.21 / 0.21 / 0.27;
from 0.6 at weight 1: 0.18 / 0.20 / 0.23 on 0.58-0.61, its errors reinforced); the nearest labelled
statements (cosine over the model's tf-idf 1-2 grams, 5 or 10 neighbours weighted by similarity)
with the model, shown only when both agree (0.25 / 0.25 / 0.29 on 0.44 / 0.47 / 0.49: a little kappa
for coverage, no better than a higher :data:`THRESHOLD`, and further from the 60% goal), or the
neighbours' agreement letting the model show from 0.4 (0.19 / 0.20 / 0.18 on 0.57-0.72). Read at 200
labels, the wrong directions are semantic ("criticizing him as unfit" labelled favor of Trump's
fitness; "We will build a great wall" shown neutral on a harder line on immigration): n-gram
features of 200 labels do not reach them.

Richer representations, tried on the same bare dev sentences beside the n-grams and not kept (the
bar was +0.05 kappa at 200 labels): WordLlama 0.4.0.post1 (MIT, its author's 256-dimension static
embeddings in the wheel; offline only with ``cache_dir`` set to the package and downloads off), at
weights 0.3 to 2, shared or per topic, and as relevance features: all pairs 0.34 / 0.40 / 0.43 /
0.43 against 0.35 / 0.38 / 0.41 / 0.41, level with the prior on the same pairs. As an upper bound
outside the project, MiniLM sentence embeddings (a third-party PyPI re-upload, so not eligible):
+0.02 at 200 labels on all pairs, +0.04 on direction only. PyPI holds no sentence encoder published
with its weights by its authors (model2vec and sentence-transformers download models at run time).

How far to trust the suggestions is measured, never assumed: :meth:`StanceLearner.agreement`
(cross-validated on the person's labels, against the prior "always your most common
label") and :func:`stance_check` (a learning curve on any labelled set).
"""

from __future__ import annotations

import functools
import itertools
import re
import warnings
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder

from utils.articles import paragraphs
from utils.people.names import ORGANISATION, PERSON, analyse_speaker, organisation_key, parse_person
from utils.schema import NOT_ADDRESSED
from utils.sentiment import normalise_for_scoring
from utils.stance import (
    ADDRESSED,
    cohen_kappa,
    curated_wide,
    keyword_list,
    matched_keywords,
    relevance,
)

THRESHOLD = 0.5  # the direction model's probability from which it offers a direction
MEMORY_THRESHOLD = 0.6  # and the speaker memory's: a majority, never a tie (1 of 2 is 0.5)
MIN_LABELS = 4  # direction labels (of two directions at least) before a model is fitted
RELEVANCE_LABELS = 5  # labels of each kind (addressed, not addressed) before relevance is learned
RELEVANT_AT = 0.25  # learned probability of "addressed" from which a statement is taken to address a topic
CONTEXTS = ("paragraph", "nearby")  # optional columns of a pair: its paragraph, and that with its neighbours
NEIGHBOURHOODS = ("paragraph", "nearby", "speaker")  # where other statements' labels speak to relevance
AROUND = {"paragraph": "in its paragraph", "nearby": "in the paragraphs beside", "speaker": "by its speaker"}
DOUBTS = (0.0, 0.3, 0.5)  # candidate learned relevance under which no direction is shown
DOUBT_FOLDS = 3
DOUBT_GAIN = 0.01  # cross-validated kappa a doubt must gain over none to be used
DOUBT_EVERY = 20  # labels a refitted learner gains before it chooses its doubt again
MIN_COVERAGE = 0.6  # the share of pairs a doubt must leave shown (issue 18: shown on 60% of pairs or more)
WHERE = {"paragraph": "in its paragraph", "nearby": "in the paragraphs around it"}  # shown beside a keyword
REGULARISATION = 10.0  # LogisticRegression's C: weak regularisation suits a few hundred short texts
FOLDS = 5
EVIDENCE = 5
_APOSTROPHES = re.compile("[\u2018\u2019\u02bc`]")
_WORDS = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_TOKENS = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[.,;:!?()\"\u201c\u201d]")
_NEGATED = "not_"  # the mark of a word in a negation's scope
_TOPIC_MARK = "\x1f"
WORD_LISTS = Path(__file__).resolve().parent / "suggest_words"


@dataclass(frozen=True)
class Suggestion:
    """What the learner offers for one statement and topic; ``label`` is None when it offers no direction."""

    topic: str
    relevant: bool
    matched: tuple[str, ...]
    label: str | None
    confidence: float
    evidence: tuple[str, ...]
    relevance: float | None = None  # the learned probability that the statement addresses the topic
    around: tuple[str, ...] = ()  # what the person's labels of statements around it say (relevance evidence)

    @property
    def shown(self) -> bool:
        """Whether there is a direction to show (what the caller records next to the person's label)."""
        return self.label is not None


@dataclass(frozen=True)
class LearnerAgreement:
    """Cross-validated agreement of the shown suggestions with the person, next to the prior's.

    ``kappa``, ``accuracy`` and ``prior_kappa`` are over the held-out pairs where a
    suggestion was shown (keyword says "not addressed", or a confident direction); the
    prior answers the same pairs with "not addressed" where the keywords say so and the
    person's most common direction elsewhere. ``coverage`` is the share shown.
    """

    labels: int
    kappa: float | None
    prior_kappa: float | None
    accuracy: float | None
    coverage: float | None


def normalise(text: str) -> str:
    """Lower case with curly apostrophes straightened, so "don’t" and "don't" are one word."""
    return _APOSTROPHES.sub("'", str(text)).lower()


@functools.cache
def negators() -> frozenset[str]:
    """The words that open a negation scope (``utils/suggest_words/negators.txt``)."""
    lines = (WORD_LISTS / "negators.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def negation_scoped(text: str) -> list[str]:
    """The words of ``text``, those after a negator and before the next punctuation mark marked negated.

    "is not a good leader" and "is a good leader" then differ in more than one word: on
    the 2016 propositions (dev, direction only) this lifted kappa at 60% coverage from
    0.16 / 0.18 / 0.21 to 0.18 / 0.19 / 0.26 at 50 / 100 / 200 labels. "n't" is spelled "not" first.
    """
    words, negated = [], False
    for token in _TOKENS.findall(normalise(normalise_for_scoring(str(text)))):
        if not token[0].isalnum():
            negated = False
            continue
        words.append(f"{_NEGATED}{token}" if negated else token)
        negated = negated or token in negators()
    return words


def _grams(text: str) -> list[str]:
    words = negation_scoped(text)
    return words + [f"{a} {b}" for a, b in itertools.pairwise(words)]


def readable(gram: str) -> str:
    """An n-gram as shown in the evidence, its words unmarked; "(negated)" when the negator is not in it
    ("not_good" -> "good (negated)", "not not_good" -> "not good")."""
    words = gram.split()
    plain = " ".join(w.removeprefix(_NEGATED) for w in words)
    marked = any(w.startswith(_NEGATED) for w in words) and not set(words) & negators()
    return f"{plain} (negated)" if marked else plain


def _analyse(document: str) -> list[str]:
    """Features of one "topic<mark>text" document: its 1-2 grams, and the same grams tagged with the topic."""
    topic, text = document.split(_TOPIC_MARK, 1)
    grams = _grams(text)
    return grams + [f"{topic}{_TOPIC_MARK}{g}" for g in grams]


def statement_contexts(
    article: str, start: int, end: int, spans: list[list[int]] | None = None
) -> dict[str, str]:
    """The statement's paragraph, and that paragraph with the ones either side (see :data:`CONTEXTS`).

    A statement often names its topic only through its paragraph ("He would have loved
    Stalin"), so relevance reads the topic's keywords there too. ``spans``: the article's
    :func:`~utils.articles.paragraphs`, when the caller places many statements in one article.
    """
    spans = paragraphs(article) if spans is None else spans
    at = next((i for i, (first, last) in enumerate(spans) if first <= start < last), None)
    if at is None:
        return dict.fromkeys(CONTEXTS, article[start:end])
    before, after = spans[max(at - 1, 0)], spans[min(at + 1, len(spans) - 1)]
    return {
        "paragraph": article[spans[at][0] : max(spans[at][1], end)],
        "nearby": article[before[0] : max(after[1], end)],
    }


def with_contexts(pairs: pd.DataFrame) -> pd.DataFrame:
    """``pairs`` with a ``speaker`` and a ``person`` (a registry id; "" when unknown) and every one of
    :data:`CONTEXTS`; a context not given is the next narrower one, the narrowest being the statement."""
    frame = pairs.copy()
    for column in ("speaker", "person"):
        frame[column] = frame[column].fillna("").astype(str) if column in frame else ""
    narrower = frame["text"].astype(str)
    for column in CONTEXTS:
        given = frame[column].fillna("").astype(str) if column in frame else pd.Series("", index=frame.index)
        frame[column] = given.where(given != "", narrower)
        narrower = frame[column]
    return frame


def speaker_key(speaker: str, person: str = "") -> str:
    """Who spoke: the registry's id when there is one, else the speaker's surname and given name
    ("person:trump|donald"; "person:trump|" for "Trump") or organisation; "" for a description that
    names nobody ("officials"), whose labels say nothing about the next statement."""
    if person:
        return f"id:{person}"
    kind, core = analyse_speaker(str(speaker))
    if kind == PERSON and (name := parse_person(core)):
        return f"person:{name.surname}|{name.first if not name.initial_only else ''}"
    return f"organisation:{organisation_key(core)}" if kind == ORGANISATION else ""


def same_speaker(key: str, other: str) -> bool:
    """Whether two speaker keys may name one speaker: the same key, or one surname with the given name
    missing on one side ("Trump" and "Donald Trump"; not "Ivanka Trump" and "Donald Trump")."""
    if key == other or not (key.startswith("person:") and other.startswith("person:")):
        return key == other
    (surname, given), (other_surname, other_given) = key.split("|"), other.split("|")
    return surname == other_surname and not (given and other_given)


class StanceLearner:
    """Relevance and direction learned from one person's labels, across topics.

    Relevance: the topic's keywords in the statement, and once there are
    :data:`RELEVANCE_LABELS` labels of each kind, a model over the keywords in the statement
    and its wider contexts. Direction: the speaker's own labels on the topic, else the n-gram
    model when it is sure.
    """

    def __init__(
        self,
        topics: pd.DataFrame,
        min_labels: int = MIN_LABELS,
        threshold: float | None = None,
        doubts: tuple[float, ...] = DOUBTS,
    ):
        keywords = topics["keywords"].fillna("") if "keywords" in topics else ""
        self.topics = topics.assign(keywords=keywords).set_index("topic")
        self.min_labels = min_labels
        self.threshold = THRESHOLD if threshold is None else threshold
        self.doubts = doubts
        self.doubt = 0.0  # learned relevance under which no direction is shown (chosen by cross-validation)
        self._doubt_chosen_at: int | None = None  # how many labels the doubt was last chosen from
        self.model: Pipeline | None = None
        self.relevance_model: LogisticRegression | None = None
        self.memory: dict[tuple[str, str], Counter[str]] = {}  # (speaker key, topic) -> the person's labels
        self.names: dict[str, dict[str, None]] = {}  # speaker key -> the names the labelled statements give
        self.labelled = with_contexts(pd.DataFrame(columns=["text", "topic", "label"]))
        self._matches: dict[tuple[str, str], tuple[str, ...]] = {}
        self._neighbours: dict[tuple[str, str, str], list[tuple[str, bool]]] = {}
        self._beside_cache: dict[tuple[str, str], list[str]] = {}
        self._push_cache: tuple[list[str], np.ndarray] | None = None

    def fit(self, labelled: pd.DataFrame) -> StanceLearner:
        """Learn from ``labelled`` (text, topic, label; speaker, person and :data:`CONTEXTS` when known).

        Fewer than ``min_labels`` direction labels, or only one direction, leaves no direction
        model; fewer than :data:`RELEVANCE_LABELS` of each kind leaves relevance to the keywords.
        """
        self.labelled = with_contexts(labelled)[["text", "topic", "label", "speaker", "person", *CONTEXTS]]
        self.labelled = self.labelled.reset_index(drop=True)
        directed = self.labelled[self.labelled["label"] != NOT_ADDRESSED]
        self.model, self._push_cache = None, None
        if len(directed) >= self.min_labels and directed["label"].nunique() >= 2:
            self.model = self._pipeline().fit(self._frame(directed), directed["label"])
        addressed = (self.labelled["label"] != NOT_ADDRESSED).to_numpy()
        self._neighbours, self._beside_cache = _neighbourhoods(self.labelled), {}
        self.relevance_model = None
        if min(addressed.sum(), (~addressed).sum()) >= RELEVANCE_LABELS:
            features = self._relevance_features(self.labelled)
            self.relevance_model = LogisticRegression(max_iter=2000).fit(features, addressed)
        self.doubt = self._doubt_now()
        self.memory, self.names = {}, {}
        for speaker, person, topic, label in directed[["speaker", "person", "topic", "label"]].itertuples(
            False
        ):
            if key := speaker_key(speaker, person):
                self.memory.setdefault((key, topic), Counter())[label] += 1
                self.names.setdefault(key, {})[speaker] = None
        return self

    def suggest(self, text: str, topic: str, **known: str) -> Suggestion:
        """What the learner offers for one statement: ``known`` gives its speaker, person and
        :data:`CONTEXTS` where they are known."""
        return self.suggest_pairs(pd.DataFrame([{"text": text, "topic": topic, **known}]))[0]

    def suggest_pairs(self, pairs: pd.DataFrame) -> list[Suggestion]:
        """Per pair: relevance with the keywords read, and a direction only where one is well founded.

        A keyword in the statement itself always makes it relevant; the learned model only adds
        statements whose topic is named around them. Letting it also overrule the statement's own
        keywords cost recall (63% -> 42% at 100 labels on bare dev sentences, shrunk toward the
        base rate) and put learned relevance below the keywords alone (see the module docstring).
        """
        pairs = with_contexts(pairs).reset_index(drop=True)
        if pairs.empty:
            return []
        matched = [self._read(row) for row in pairs.itertuples(index=False)]
        likely = None
        if self.relevance_model is None:
            relevant = [
                bool(m[0]) or not keyword_list(self._keywords(t))
                for m, t in zip(matched, pairs["topic"], strict=True)
            ]
        else:
            likely = self.relevance_model.predict_proba(self._relevance_features(pairs))[:, 1]
            relevant = [bool(m[0]) or bool(p >= RELEVANT_AT) for m, p in zip(matched, likely, strict=True)]
        at = [i for i, r in enumerate(relevant) if r]
        directions = dict(zip(at, self._directions(pairs.iloc[at]) if at else [], strict=True))
        if likely is not None and self.doubt:
            directions = {i: d for i, d in directions.items() if likely[i] >= self.doubt}
        told = [()] * len(pairs) if likely is None else [_told_evidence(row) for row in self._told(pairs)]
        return [
            Suggestion(
                topic,
                relevant[i],
                _evidence_words(matched[i]),
                *directions.get(i, (None, 0.0, ())),
                None if likely is None else round(float(likely[i]), 3),
                told[i],
            )
            for i, topic in enumerate(pairs["topic"])
        ]

    def _read(self, pair) -> tuple[tuple[str, ...], ...]:
        """The topic's keywords found in the statement and in each of its contexts, narrowest first."""
        keywords = self._keywords(pair.topic)
        found = []
        for text in (pair.text, *(getattr(pair, c) for c in CONTEXTS)):
            if (text, pair.topic) not in self._matches:
                self._matches[(text, pair.topic)] = matched_keywords(text, keywords)
            found.append(self._matches[(text, pair.topic)])
        return tuple(found)

    def _relevance_features(self, pairs: pd.DataFrame) -> np.ndarray:
        """Per pair: keyword counts (log) in the statement and its contexts, and those again per topic;
        then how many other labelled statements around it (:func:`_around`) address the topic and not."""
        counts = np.log1p([[len(m) for m in self._read(row)] for row in pairs.itertuples(index=False)])
        topics = list(self.topics.index)
        own = np.array([[t == topic for topic in topics] for t in pairs["topic"]], dtype=float)
        per_topic = (own[:, :, None] * counts[:, None, :]).reshape(len(pairs), -1)
        return np.hstack([counts, own, per_topic, np.log1p(self._told(pairs))])

    def _told(self, pairs: pd.DataFrame) -> np.ndarray:
        """Per pair and :data:`NEIGHBOURHOODS`: other labelled statements on its topic, and not on it."""
        rows = [_around(self._neighbours, row, self._beside(row)) for row in pairs.itertuples(index=False)]
        return np.array(rows, dtype=float).reshape(len(pairs), 2 * len(NEIGHBOURHOODS))

    def _reads_around(self) -> bool:
        """Whether the labelled statements come with a paragraph or a speaker: on bare sentences the
        relevance model reads only the statement's keywords, and withholding on its doubt lost 0.01-0.04
        (dev, 200 and 400 labels) even when cross-validation chose it."""
        labelled = self.labelled
        return len(self.doubts) > 1 and bool(
            (labelled["paragraph"] != labelled["text"]).any() or (labelled["speaker"] != "").any()
        )

    def _doubt_now(self) -> float:
        """The doubt for this fit: chosen again only once :data:`DOUBT_EVERY` labels came or went.

        Its cross-validation costs most of a fit (0.1 s of 0.13 s at 200 labels, 0.7 s of 0.9 s at
        400), and the workbench refits its learner each time the person moves on after labelling.
        """
        if self.relevance_model is None or not self._reads_around():
            self._doubt_chosen_at = None
            return 0.0
        count = len(self.labelled)
        if self._doubt_chosen_at is None or abs(count - self._doubt_chosen_at) >= DOUBT_EVERY:
            self.doubt, self._doubt_chosen_at = self._chosen_doubt(), count
        return self.doubt

    def _chosen_doubt(self) -> float:
        """The least of :attr:`doubts` under which withholding directions pays, by grouped cross-validation
        on the person's labels: kappa on the shown pairs at least :data:`DOUBT_GAIN` above showing them all.

        A direction shown on a statement that does not address the topic is always wrong; where
        the context's keywords and the neighbours' labels tell the relevance model much, its doubt
        finds those, and where it reads only the statement's keywords (bare sentences) it does not.
        """
        labelled = self.labelled
        groups = labelled["text"].map(normalise)
        if groups.nunique() < DOUBT_FOLDS:
            return 0.0
        outcomes = []
        for train, test in GroupKFold(n_splits=DOUBT_FOLDS).split(labelled, groups=groups):
            learner = StanceLearner(self.topics.reset_index(), self.min_labels, self.threshold, doubts=())
            learner._matches = self._matches
            offers = learner.fit(labelled.iloc[train]).suggest_pairs(labelled.iloc[test])
            outcomes += [
                (
                    person,
                    o.label if o.relevant else NOT_ADDRESSED,
                    1.0 if o.relevance is None else o.relevance,
                )
                for person, o in zip(labelled["label"].iloc[test], offers, strict=True)
            ]
        kappas = {doubt: _kappa_withheld(outcomes, doubt) for doubt in self.doubts}
        best = max(kappas, key=lambda d: (kappas[d], -d))
        return best if kappas[best] >= kappas[self.doubts[0]] + DOUBT_GAIN else self.doubts[0]

    def _beside(self, pair) -> list[str]:
        """The labelled paragraphs in the pair's nearby context other than its own (its neighbours)."""
        if pair.paragraph == pair.text:
            return []
        if (pair.nearby, pair.paragraph) not in self._beside_cache:
            places = {place for kind, place, _ in self._neighbours if kind == "paragraph"}
            found = [p for p in places if p != pair.paragraph and p in pair.nearby]
            self._beside_cache[(pair.nearby, pair.paragraph)] = found
        return self._beside_cache[(pair.nearby, pair.paragraph)]

    def _directions(self, pairs: pd.DataFrame) -> list[tuple[str | None, float, tuple[str, ...]]]:
        """Per pair: the speaker's own labels on the topic when they settle it, else the model's."""
        found = [
            self._remembered(speaker_key(s, p), t) for s, p, t in pairs[["speaker", "person", "topic"]].values
        ]
        unsettled = [i for i, f in enumerate(found) if f is None]
        if self.model is not None and unsettled:
            for i, direction in zip(unsettled, self._modelled(pairs.iloc[unsettled]), strict=True):
                found[i] = direction
        return [f or (None, 0.0, ()) for f in found]

    def _remembered(self, key: str, topic: str) -> tuple[str, float, tuple[str, ...]] | None:
        """The direction the person gave most often to this speaker on this topic, when it is at least
        :attr:`threshold` and :data:`MEMORY_THRESHOLD` likely (as if one more label agreed and one did
        not: one label alone is 0.67, a tie 0.5).

        "Trump" takes the labels of "Donald Trump", but nobody's when "Donald Trump" and "Ivanka
        Trump" were both labelled: a bare surname is then ambiguous.
        """
        keys = [k for k, t in self.memory if t == topic and key and same_speaker(key, k)]
        if len({k.split("|")[-1] for k in keys if "|" in k} - {""}) > 1:
            return None
        counts = sum((self.memory[(k, topic)] for k in keys), Counter())
        if not counts:
            return None
        label, times = counts.most_common(1)[0]
        total = sum(counts.values())
        confidence = round((times + 1) / (total + 2), 3)
        if confidence < max(self.threshold, MEMORY_THRESHOLD):
            return None
        said = " / ".join(dict.fromkeys(name for k in keys for name in self.names[k]))
        return label, confidence, (f"you labelled {said} {label} on this topic {times} of {total} times",)

    def _modelled(self, pairs: pd.DataFrame) -> list[tuple[str | None, float, tuple[str, ...]]]:
        """Per pair: the model's most probable direction, its probability and evidence, or (None, 0.0, ()).

        A direction is offered only at or above the threshold and only when some of the
        statement's own n-grams pushed toward it: a label nobody can check is not shown.
        """
        assert self.model is not None
        frame = self._frame(pairs)
        probabilities = self.model.predict_proba(frame)
        grams = self.model.named_steps["features"].named_transformers_["grams"].transform(frame["document"])
        found = []
        for row, p in enumerate(probabilities):
            best = int(p.argmax())
            evidence = self._evidence(grams[row], best) if p[best] >= self.threshold else ()
            found.append(
                (str(self.model.classes_[best]), round(float(p[best]), 3), evidence)
                if evidence
                else (None, 0.0, ())
            )
        return found

    def agreement(self) -> LearnerAgreement:
        """Agreement with the labels given to :meth:`fit`, by grouped k-fold cross-validation.

        A statement's pairs are held out together, so the model never sees the text it is
        judged on. None when there are too few labels for a model in every fold.
        """
        labelled = self.labelled
        groups = labelled["text"].map(normalise)
        folds = min(FOLDS, groups.nunique())
        if folds < 2 or (labelled["label"] != NOT_ADDRESSED).sum() * (folds - 1) / folds < self.min_labels:
            return LearnerAgreement(len(labelled), None, None, None, None)
        outcomes = [
            self._held_out(labelled.iloc[train], labelled.iloc[test])
            for train, test in GroupKFold(n_splits=folds).split(labelled, groups=groups)
        ]
        return _summarise(len(labelled), pd.concat(outcomes, ignore_index=True))

    def _held_out(self, train: pd.DataFrame, test: pd.DataFrame) -> pd.DataFrame:
        """For each test pair: the person's label, the shown suggestion (None: nothing shown), the prior's.

        The prior is what a person gets with no learning: the keywords in the statement say
        whether it is addressed, and then always their most common direction.
        """
        learner = StanceLearner(self.topics.reset_index(), self.min_labels, self.threshold)
        learner._matches = self._matches
        learner.fit(train)
        directed = train.loc[train["label"] != NOT_ADDRESSED, "label"]
        common = directed.value_counts().index[0] if len(directed) else NOT_ADDRESSED
        test = test.reset_index(drop=True)
        offers = learner.suggest_pairs(test)
        shown = [o.label if o.relevant else NOT_ADDRESSED for o in offers]
        keywords = [self._keywords(p) for p in test["topic"]]
        prior = [
            common if relevance(t, k) == ADDRESSED else NOT_ADDRESSED
            for t, k in zip(test["text"], keywords, strict=True)
        ]
        return pd.DataFrame({"person": test["label"], "shown": shown, "prior": prior})

    def _keywords(self, topic: str) -> str:
        return str(self.topics.at[topic, "keywords"]) if topic in self.topics.index else ""

    def _pipeline(self) -> Pipeline:
        features = ColumnTransformer(
            [
                ("grams", TfidfVectorizer(analyzer=_analyse, sublinear_tf=True), "document"),
                ("topic", OneHotEncoder(handle_unknown="ignore"), ["topic"]),
            ]
        )
        classifier = LogisticRegression(C=REGULARISATION, class_weight="balanced", max_iter=2000)
        return Pipeline([("features", features), ("classifier", classifier)])

    def _frame(self, pairs: pd.DataFrame) -> pd.DataFrame:
        """The model's input: the topic and the topic-tagged document.

        No tone features (VADER, TextBlob, certainty cues, a contrast word, the keyword
        count): scaled to unit variance beside the n-grams' small weights, they drowned
        them with few labels (kappa at 60% coverage on the propositions' dev part, direction
        only: 0.22 / 0.19 / 0.27 without them against 0.16 / 0.18 / 0.21 at 50 / 100 / 200).
        """
        frame = pd.DataFrame({"topic": pairs["topic"].astype(str).to_numpy()})
        frame["document"] = [
            f"{t}{_TOPIC_MARK}{x}" for t, x in zip(frame["topic"], pairs["text"], strict=True)
        ]
        return frame

    def _evidence(self, row, best: int) -> tuple[str, ...]:
        """The statement's n-grams (not only stop words) that pushed most toward class ``best``."""
        names, toward = self._pushes()
        pushes = sorted(((row[0, i] * toward[best, i], names[i]) for i in row.indices), reverse=True)
        shown = (readable(name) for push, name in pushes if push > 0)
        telling = (name for name in shown if not set(name.split()) <= ENGLISH_STOP_WORDS | {"(negated)"})
        return tuple(dict.fromkeys(telling))[:EVIDENCE]

    def _pushes(self) -> tuple[list[str], np.ndarray]:
        """N-gram names (topic tag dropped) and, per class, how much each n-gram favours it over the rest."""
        if self._push_cache is None:
            assert self.model is not None
            vectorizer = self.model.named_steps["features"].named_transformers_["grams"]
            names = [n.split(_TOPIC_MARK)[-1] for n in vectorizer.get_feature_names_out()]
            coef = self.model.named_steps["classifier"].coef_[:, : len(names)]
            toward = np.vstack([-coef[0], coef[0]]) if coef.shape[0] == 1 else coef - coef.mean(axis=0)
            self._push_cache = (names, toward)
        return self._push_cache


def _kappa_withheld(outcomes: list[tuple[str, str | None, float]], doubt: float) -> float:
    """Kappa over the shown pairs when directions are withheld below ``doubt``; -1 when that leaves no
    direction, or less than :data:`MIN_COVERAGE` of the pairs, shown (what is left is not worth showing)."""
    shown = [
        (person, guess)
        for person, guess, likely in outcomes
        if guess is not None and (guess == NOT_ADDRESSED or likely >= doubt)
    ]
    if all(g == NOT_ADDRESSED for _, g in shown) or len(shown) < MIN_COVERAGE * len(outcomes):
        return -1.0
    return cohen_kappa([p for p, _ in shown], [g for _, g in shown])


def _neighbourhoods(labelled: pd.DataFrame) -> dict[tuple[str, str, str], list[tuple[str, bool]]]:
    """The labelled statements by where they are, (kind, place, topic) -> [(text, addressed)]: their
    paragraph (when it is known) and their speaker (when one is named)."""
    found: dict[tuple[str, str, str], list[tuple[str, bool]]] = {}
    for text, topic, label, speaker, person, paragraph in labelled[
        ["text", "topic", "label", "speaker", "person", "paragraph"]
    ].itertuples(index=False):
        entry = (normalise(text), label != NOT_ADDRESSED)
        if paragraph != text:
            found.setdefault(("paragraph", paragraph, topic), []).append(entry)
        if key := speaker_key(speaker, person):
            found.setdefault(("speaker", key, topic), []).append(entry)
    return found


def _around(neighbours: dict, pair, beside: list[str]) -> list[int]:
    """How many other labelled statements address the pair's topic, and how many do not, in each of
    :data:`NEIGHBOURHOODS`: its paragraph, the paragraphs ``beside`` it, its speaker's statements.

    A statement's neighbours and its speaker's other statements often speak to the same topic,
    and their labels are the person's own judgement of it.
    """
    text, topic = normalise(pair.text), pair.topic
    known = pair.paragraph != pair.text
    key = speaker_key(pair.speaker, pair.person)
    groups = (
        neighbours.get(("paragraph", pair.paragraph, topic), []) if known else [],
        [e for p in beside for e in neighbours.get(("paragraph", p, topic), [])],
        neighbours.get(("speaker", key, topic), []) if key else [],
    )
    return [n for group in groups for n in _addressed_or_not(group, text)]


def _addressed_or_not(group: list[tuple[str, bool]], text: str) -> tuple[int, int]:
    """Statements of ``group`` other than ``text`` that address the topic, and that do not."""
    others = [addressed for other, addressed in group if other != text]
    return sum(others), len(others) - sum(others)


def _told_evidence(counts: np.ndarray) -> tuple[str, ...]:
    """The person's labels around a statement as the relevance model read them, in words
    ("you labelled 2 of 3 statements in its paragraph as addressing it")."""
    found = []
    for kind, (yes, no) in zip(NEIGHBOURHOODS, counts.reshape(-1, 2).astype(int), strict=True):
        if yes + no:
            found.append(f"you labelled {yes} of {yes + no} statements {AROUND[kind]} as addressing it")
    return tuple(found)


def _evidence_words(found: tuple[tuple[str, ...], ...]) -> tuple[str, ...]:
    """The keywords to show for a pair: the statement's own, else those of its nearest context that
    has any, marked with where they were read."""
    if found[0]:
        return found[0]
    for context, words in zip(CONTEXTS, found[1:], strict=True):
        if words:
            return tuple(f"{w} ({WHERE[context]})" for w in words)
    return ()


def _summarise(labels: int, outcomes: pd.DataFrame) -> LearnerAgreement:
    shown = outcomes[outcomes["shown"].notna()]
    if not len(outcomes) or not len(shown):
        return LearnerAgreement(labels, None, None, None, round(len(shown) / max(len(outcomes), 1), 3))
    person, guess, prior = (list(shown[c].astype(str)) for c in ("person", "shown", "prior"))
    return LearnerAgreement(
        labels=labels,
        kappa=cohen_kappa(person, guess),
        prior_kappa=cohen_kappa(person, prior),
        accuracy=round(float((shown["person"] == shown["shown"]).mean()), 3),
        coverage=round(len(shown) / len(outcomes), 3),
    )


def topics_of(labels: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A topics table for a ``text,proposition,label[,keywords]`` set, and the set with a ``topic`` column."""
    propositions = list(dict.fromkeys(labels["proposition"]))
    ids = {p: f"p{i}" for i, p in enumerate(propositions)}
    keywords = labels.get("keywords", pd.Series("", index=labels.index)).fillna("").astype(str)
    first = keywords.groupby(labels["proposition"]).agg(lambda k: next((x for x in k if x.strip()), ""))
    topics = pd.DataFrame(
        {
            "topic": [ids[p] for p in propositions],
            "proposition": propositions,
            "keywords": [first[p] for p in propositions],
        }
    )
    return topics, labels.assign(topic=labels["proposition"].map(ids))


def test_part(rows: int) -> int:
    """How many labels every curve point holds out at least: a fifth of the set, and never fewer than 10."""
    return max(10, rows // 5)


def stance_check(
    labels: pd.DataFrame, sizes=(50, 100, 200, 400), repeats: int = 5, seed: int = 0
) -> list[dict]:
    """A learning curve: for each size, train on that many labels and score the suggestions on the rest.

    Splits are by statement (all pairs of one text fall on the same side), drawn at random
    ``repeats`` times from a fixed seed; the figures are means over the repeats. Sizes
    that leave less than :func:`test_part` for testing are skipped with a warning.
    """
    topics, labels = topics_of(labels.reset_index(drop=True))
    texts = labels["text"].map(normalise)
    unique = texts.drop_duplicates().to_numpy()
    counts = texts.value_counts()
    learner = StanceLearner(topics)
    curve = []
    for size in sizes:
        if size > len(labels) - test_part(len(labels)):
            warnings.warn(
                f"stance-check: {size} training labels skipped: only {len(labels)} labels, "
                f"and at least {test_part(len(labels))} are kept for testing",
                stacklevel=2,
            )
            continue
        runs = []
        for repeat in range(repeats):
            order = np.random.default_rng(seed + repeat).permutation(unique)
            taken = order[: int(np.searchsorted(counts[order].cumsum().to_numpy(), size, side="left")) + 1]
            train = texts.isin(set(taken))
            outcome = learner._held_out(labels[train], labels[~train])
            runs.append(_summarise(int(train.sum()), outcome))
        curve.append({"labels": size, **_means(runs)})
    return curve


def _means(runs: list[LearnerAgreement]) -> dict[str, float | None]:
    def mean(values: list[float | None]) -> float | None:
        present = [v for v in values if v is not None and not np.isnan(v)]
        return round(float(np.mean(present)), 3) if present else None

    return {
        key: mean([getattr(r, key) for r in runs]) for key in ("kappa", "prior_kappa", "accuracy", "coverage")
    }


def statement_pairs(statements: pd.DataFrame, article: str = "") -> pd.DataFrame:
    """Per statement: id, text, speaker and, read from the article it was cut from, its :data:`CONTEXTS`
    (none without the article, or for a statement whose offsets do not point at its text)."""
    frame = pd.DataFrame({"id": statements["id"], "text": statements["text"].astype(str)})
    frame["speaker"] = statements["speaker"].fillna("").astype(str) if "speaker" in statements else ""
    found: list[dict[str, str]] = [{}] * len(frame)
    if article and {"start", "end"} <= set(statements):
        start, end = (
            pd.to_numeric(statements[c], errors="coerce").fillna(-1).astype(int) for c in ("start", "end")
        )
        offsets = zip(frame["text"], start, end, strict=True)
        spans = paragraphs(article)
        found = [
            statement_contexts(article, a, b, spans) if article[a:b] == text else {} for text, a, b in offsets
        ]
    for column in CONTEXTS:
        frame[column] = [c.get(column, "") for c in found]
    return frame.reset_index(drop=True)


def labelled_pairs(
    statements: pd.DataFrame, stance: pd.DataFrame, topics: pd.DataFrame, article: str = ""
) -> pd.DataFrame:
    """People's labels as id, text, topic, label rows (with the statement's speaker and contexts):
    every topic of each labelled statement."""
    wide = curated_wide(statements["id"], stance, topics)
    pairs = wide.stack().rename("label").reset_index()
    pairs.columns = ["id", "topic", "label"]
    pairs["topic"] = pairs["topic"].str.removeprefix("stance_")
    return pairs.merge(statement_pairs(statements, article), on="id", how="left")
