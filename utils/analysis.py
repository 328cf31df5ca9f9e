"""The one tidy analysis table every notebook, figure and report reads.

One row per statement: who (speaker, affiliation, role), what (kind, text, offsets,
cue), who reviewed it (``reviewed_by``, empty for nobody) and so where it stands
(``source``: curated once a person reviewed it, extracted until then, also in a table
`opinions curate` seeded), sentiment scores, certainty, and a ``stance_<topic>`` column
per topic with ``stance_source`` saying whether the labels are people's (curated) or
suggestions (automatic).

People's labels and the machine's suggestions share those columns, so every view tells
them apart through the helpers here: :func:`stance_by` names who gave each row's labels,
:func:`stance_counts` counts the two apart, and :attr:`Analysis.suggestions` keeps, for
every suggestion, how sure the learner was and the words it went by
(:func:`suggestion_words` says it in words).
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from utils.agreement import Agreement as PeopleAgreement
from utils.agreement import article_agreement
from utils.annotations import annotation_path, annotators
from utils.articles import Article, resolve_article
from utils.curation import Curation, load_curation, speaker_roles
from utils.schema import NOT_ADDRESSED, REVIEWED_BY, STANCE_LABELS
from utils.sentiment import add_sentiment
from utils.stance import (
    ADDRESSED,
    STANCE_SCORES,
    Agreement,
    add_certainty,
    agreement,
    confusion,
    curated_wide,
    stance_columns,
    suggested_wide,
)
from utils.statements import ANALYSIS
from utils.suggest import LearnerAgreement, StanceLearner, Suggestion, labelled_pairs, statement_pairs

PEOPLE, SUGGESTED = "people", "suggested"  # who gave a row's stance labels, as every view names it
_NEGATED = re.compile(r"\wn[’']t\b", re.IGNORECASE)  # "isn’t", "can't": what the lexicons miss un-normalised
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]")
SUGGESTION_COLUMNS = ["id", "topic", "label", "confidence", "evidence"]
COUNT_KEYS = ["speaker", "topic", "by", "label"]  # stance_counts: one row per these, and its count
APART_COLUMNS = [
    "speaker",
    "proposition",
    "labels by",
    "statements",
    "score",
]  # speaker_stance_apart, around the labels
LABEL_COLUMNS = ["id", "speaker", "proposition", "label", "rationale"]  # labels_table


def no_suggestions() -> pd.DataFrame:
    """An empty :attr:`Analysis.suggestions` table."""
    return pd.DataFrame(columns=SUGGESTION_COLUMNS)


@dataclass(frozen=True)
class Analysis:
    """An article's analysis table with the inputs it was built from.

    ``agreement`` compares the keyword relevance suggestions with people's labels; it is
    None when nobody has labelled any statement of this article. :attr:`learner` measures
    the learned direction suggestions the same way, out of sample. ``suggestions`` holds,
    per statement without people's labels and per topic, what the machine suggests, how
    sure it is (``confidence``: the learner's probability, NaN for a keyword match) and its
    ``evidence`` (the words it went by); the table's stance columns show the same labels.
    """

    curation: Curation
    table: pd.DataFrame
    agreement: Agreement | None
    suggestions: pd.DataFrame = field(default_factory=no_suggestions)

    @functools.cached_property
    def learner(self) -> LearnerAgreement | None:
        """Cross-validated agreement of learned suggestions with people's labels (None: no labels).

        Computed on first use (a few seconds): only pages that quote it pay for it.
        """
        if self.agreement is None:
            return None
        pairs = labelled_pairs(
            self.curation.statements, self.curation.stance, self.topics, self.curation.article.text
        )
        return StanceLearner(self.topics).fit(pairs).agreement()

    @functools.cached_property
    def between_people(self) -> PeopleAgreement | None:
        """Agreement between the people who tagged this article in the workbench (None: fewer than two)."""
        article_id = self.article.article_id
        tagged = [n for n in annotators(article_id) if annotation_path(article_id, n, "stance").is_file()]
        return article_agreement(article_id, tagged) if len(tagged) >= 2 else None

    @property
    def article(self) -> Article:
        return self.curation.article

    @property
    def topics(self) -> pd.DataFrame:
        return self.curation.topics

    def suggestion(self, statement_id: str, topic: str) -> Suggested | None:
        """What the machine suggests for one statement and topic; None where people labelled it."""
        found = self._suggested.get((statement_id, topic))
        return Suggested(found.label, found.confidence, found.evidence) if found is not None else None

    @functools.cached_property
    def _suggested(self) -> dict[tuple[str, str], object]:
        return {(row.id, row.topic): row for row in self.suggestions.itertuples(index=False)}


@dataclass(frozen=True)
class Suggested:
    """One machine suggestion as every view shows it: the label, how sure, and the words behind it."""

    label: str
    confidence: float
    evidence: tuple[str, ...]

    @property
    def shown(self) -> bool:
        """Worth showing beside a statement: it says the topic is addressed, with the words behind it
        (a "not addressed" is the default reading of a statement, and in every card would drown the rest)."""
        return bool(self.evidence) and self.label != NOT_ADDRESSED

    def words(self) -> str:
        """:func:`suggestion_words` for this suggestion."""
        return suggestion_words(self.label, self.confidence, self.evidence)


def suggestion_words(label: str, confidence: float, evidence: tuple[str, ...]) -> str:
    """A suggestion in words, with how sure and from what: the same sentence in every view.

    "favor, 72% sure, from “will win”, “victory”"; "addressed, no direction, mentions “troops”";
    "not addressed, none of the topic's keywords". Relevance learned from people's labels says how
    sure it is: "not addressed, 81% sure, though it mentions “troops (in its paragraph)”".
    """
    quoted = ", ".join(f"“{word}”" for word in evidence)
    sure = "unmeasured" if math.isnan(confidence) else f"{confidence:.0%} sure"
    if label in STANCE_LABELS:
        return f"{label}, {sure}" + (f", from {quoted}" if quoted else "")
    learned = "" if math.isnan(confidence) else f"{sure}, "
    if label == ADDRESSED:
        why = f"mentions {quoted}" if quoted else "the topic has no keywords, so every statement counts"
        return f"addressed, no direction, {learned}{why}"
    if quoted:
        return f"{label}, {learned}though it mentions {quoted}"
    return f"{label}, {learned}none of the topic's keywords"


def analyse(article: Article) -> Analysis:
    """Build the analysis of one article from its curated tables (or from extraction if there are none)."""
    return build_analysis(load_curation(article))


def analyse_ref(ref: str) -> Analysis:
    """:func:`analyse` for an article given by bundled id or file path."""
    return analyse(resolve_article(ref))


def build_analysis(curation: Curation) -> Analysis:
    """The analysis of a curation: the tidy table (see the module docstring), the agreement of the
    keyword suggestions with people's labels, and every suggestion with its confidence and evidence."""
    statements = curation.statements.reset_index(drop=True)
    roles = speaker_roles(curation)
    table = statements.assign(
        article_id=curation.article.article_id,
        role=statements["speaker"].map(roles).fillna("other"),
        source=np.where(reviewed(statements), "curated", "extracted"),
    )
    table = add_certainty(add_sentiment(table))
    stance, suggestions, measured = _stance(curation)
    table = table.join(stance, on="id")
    *columns, last = ANALYSIS.columns  # the stance columns come before the last, stance_source
    columns = [*columns, *stance_columns(curation.topics), last]
    return Analysis(curation, table[columns], measured, suggestions)


def _stance(curation: Curation) -> tuple[pd.DataFrame, pd.DataFrame, Agreement | None]:
    """People's labels where they gave them, suggestions elsewhere (also as a long table with
    confidence and evidence), plus the keywords' agreement with people.

    Suggestions are what the workbench offers (:meth:`utils.suggest.StanceLearner.suggest`):
    keyword relevance ("addressed" or "not addressed"), and where people labelled some
    statements of the article, a direction learned from their labels when the learner is
    confident and some of the statement's own words point to it.
    """
    ids = curation.statements["id"]
    curated = curated_wide(ids, curation.stance, curation.topics)
    keywords = suggested_wide(curation.statements, curation.topics)
    suggestions = _suggestions(curation, curation.statements[~ids.isin(curated.index)])
    merged = keywords.copy()
    for row in suggestions.itertuples(index=False):
        merged.at[row.id, f"stance_{row.topic}"] = row.label
    merged.loc[curated.index, curated.columns] = curated
    merged["stance_source"] = ["curated" if i in curated.index else "automatic" for i in merged.index]
    measured = agreement(curated, keywords) if len(curated) else None
    return merged, suggestions, measured


def _suggestions(curation: Curation, statements: pd.DataFrame) -> pd.DataFrame:
    """The machine's suggestion for each of ``statements`` (those without people's labels) and topic."""
    if statements.empty:
        return no_suggestions()
    article = curation.article.text
    learner = StanceLearner(curation.topics).fit(
        labelled_pairs(curation.statements, curation.stance, curation.topics, article)
    )
    pairs = statement_pairs(statements, article).merge(curation.topics[["topic"]], how="cross")
    offers = learner.suggest_pairs(pairs.drop(columns="id"))
    rows = [_suggestion_row(i, offer) for i, offer in zip(pairs["id"], offers, strict=True)]
    return pd.DataFrame(rows, columns=SUGGESTION_COLUMNS)


def _suggestion_row(statement_id: str, offer: Suggestion) -> tuple:
    if offer.label is not None:
        return (statement_id, offer.topic, offer.label, float(offer.confidence), tuple(offer.evidence))
    label = ADDRESSED if offer.relevant else NOT_ADDRESSED
    if offer.relevance is None:  # relevance from the keywords alone: how sure is not measured
        return (statement_id, offer.topic, label, float("nan"), tuple(offer.matched))
    sure = offer.relevance if offer.relevant else 1 - offer.relevance
    return (statement_id, offer.topic, label, sure, tuple(offer.matched))


def speaker_overview(table: pd.DataFrame) -> pd.DataFrame:
    """Per speaker: role, affiliation, statements by kind, mean sentiment and certainty; most quoted first."""
    grouped = table.groupby("speaker", sort=False)
    overview = pd.DataFrame(
        {
            "role": grouped["role"].first(),
            "affiliation": grouped["affiliation"].first(),
            "statements": grouped.size(),
            "direct": grouped["kind"].apply(lambda k: int((k == "direct").sum())),
            "paraphrase": grouped["kind"].apply(lambda k: int((k == "paraphrase").sum())),
            "tb_polarity": grouped["tb_polarity"].mean().round(3),
            "vader_compound": grouped["vader_compound"].mean().round(3),
            "certainty": grouped["certainty"].mean().round(3),
        }
    )
    return overview.sort_values("statements", ascending=False, kind="stable").reset_index()


def workbook_sheets(analysis: Analysis) -> list[tuple[str, pd.DataFrame]]:
    """The analysis as spreadsheet sheets: all statements, then one sheet per topic, named by its
    proposition (two topics with one proposition still get a sheet each; names are made unique when
    the workbook is written).

    People's labels and the machine's suggestions never share a column here: the statements
    sheet has ``stance_<topic>`` (people's label, empty where nobody labelled) beside
    ``suggested_<topic>`` (the suggestion in words, with how sure and from what), and keeps
    ``stance_source``; each topic's sheet has "label by people" and "machine suggestion" columns.
    """
    table = analysis.table
    people = stance_by(table) == PEOPLE
    statements = table.copy()  # every column of the analysis table stays; stance_source says whose row
    topic_sheets = []
    for topic, column in zip(
        analysis.topics.itertuples(index=False), stance_columns(analysis.topics), strict=True
    ):
        label = table[column].where(people, "")
        hint = pd.Series(
            [_hint(analysis, i, topic.topic) for i in table["id"]], index=table.index, dtype=object
        )
        statements[column] = label
        statements.insert(statements.columns.get_loc(column) + 1, f"suggested_{topic.topic}", hint)
        shown = table[["id", "speaker", "kind", "text", REVIEWED_BY]]
        topic_sheets.append(
            (topic.proposition, shown.assign(**{"label by people": label, "machine suggestion": hint}))
        )
    return [("statements", statements), *topic_sheets]


def _hint(analysis: Analysis, statement_id: str, topic: str) -> str:
    found = analysis.suggestion(statement_id, topic)
    return found.words() if found is not None else ""


def stance_by(table: pd.DataFrame) -> pd.Series:
    """Per row, who gave its stance labels: :data:`PEOPLE` or :data:`SUGGESTED` (the machine)."""
    return table["stance_source"].map({"curated": PEOPLE}).fillna(SUGGESTED)


def stance_counts(table: pd.DataFrame, topics: pd.DataFrame) -> pd.DataFrame:
    """How many rows of ``table`` address each topic, per speaker, label and who gave it.

    Long format: ``speaker``, ``topic``, ``by`` (people or suggested), ``label`` and ``statements``;
    "not addressed" is not counted. Every count in a text or figure comes from here, so people's
    labels and suggestions are never added together.
    """
    by = stance_by(table)
    frames = []
    for topic, column in zip(topics["topic"], stance_columns(topics), strict=True):
        shown = table[column] != NOT_ADDRESSED
        frames.append(
            pd.DataFrame(dict(zip(COUNT_KEYS, (table["speaker"], topic, by, table[column]), strict=True)))[
                shown
            ]
        )
    if not frames:
        return pd.DataFrame(columns=[*COUNT_KEYS, "statements"])
    counts = pd.concat(frames).groupby(COUNT_KEYS, sort=False).size()
    order = {label: n for n, label in enumerate([*STANCE_LABELS, ADDRESSED])}
    counts = counts.rename("statements").reset_index()
    return counts.sort_values(
        ["by", "label"], key=lambda c: c.map(order) if c.name == "label" else c, kind="stable"
    ).reset_index(drop=True)


def counted(counts: dict[str, int]) -> str:
    """Labels counted in words: "2 favor, 1 against, 3 with no direction" (addressed, no direction given)."""
    return ", ".join(
        f"{n} with no direction" if label == ADDRESSED else f"{n} {label}" for label, n in counts.items()
    )


def directed_suggestions(analysis: Analysis) -> int:
    """How many suggestions give a direction (favor, against, …), learned from people's labels."""
    return int(analysis.suggestions["label"].isin(STANCE_LABELS).sum())


def speaker_stance_apart(table: pd.DataFrame, topics: pd.DataFrame) -> pd.DataFrame:
    """Per speaker, topic and who gave the labels: statements addressing it, each label's count and the
    mean stance score (+1 favor, −1 against; empty without a direction). People's labels and the
    machine's suggestions are separate rows, never summed."""
    counts = stance_counts(table, topics)
    if counts.empty:
        return pd.DataFrame(columns=APART_COLUMNS)
    wide = counts.pivot_table(
        index=COUNT_KEYS[:-1], columns="label", values="statements", fill_value=0, sort=False
    )
    labels = [label for label in [*STANCE_LABELS, ADDRESSED] if label in wide.columns]
    wide = wide[labels].astype(int)
    directed = wide[[label for label in labels if label in STANCE_SCORES]]
    scores = (directed * pd.Series(STANCE_SCORES)[directed.columns]).sum(axis=1) / directed.sum(axis=1)
    out = wide.rename(columns={ADDRESSED: "no direction"}).assign(
        statements=wide.sum(axis=1), score=scores.round(3)
    )
    out = out.reset_index().rename(columns={"by": "labels by"})
    out.insert(
        1, "proposition", out.pop("topic").map(dict(zip(topics["topic"], topics["proposition"], strict=True)))
    )
    return out[[*APART_COLUMNS[:-1], *out.columns[3:-2], APART_COLUMNS[-1]]]


def labels_table(analysis: Analysis) -> pd.DataFrame:
    """People's stance labels with their reasons: id, speaker, proposition, label, rationale (none: empty)."""
    stance = analysis.curation.stance.merge(analysis.table[["id", "speaker"]], on="id")
    return stance.merge(analysis.topics, on="topic")[LABEL_COLUMNS]


def suggestion_check(analysis: Analysis) -> pd.DataFrame:
    """How the keyword suggestions fall against people's labels (pairs counted by people × suggestion);
    empty when nobody labelled a statement, so there is nothing to check them against."""
    if analysis.agreement is None:
        return pd.DataFrame()
    statements = analysis.curation.statements
    people = curated_wide(statements["id"], analysis.curation.stance, analysis.topics)
    counts = confusion(people, suggested_wide(statements, analysis.topics))
    counts.columns = [f"suggested {label}" for label in counts.columns]
    return counts.rename_axis("people's label").reset_index()  # the labels as a column: tables drop the index


def negation_samples(analysis: Analysis, limit: int = 3) -> list[str]:
    """Up to ``limit`` sentences of this article with a negation written with an apostrophe ("isn’t",
    "can't"), its statements first: the examples that show why text is normalised before scoring."""
    found: list[str] = []
    for sentence in [*analysis.table["text"], *_SENTENCE.findall(analysis.article.text)]:
        text = " ".join(sentence.split())
        if _NEGATED.search(text) and not any(seen in text or text in seen for seen in found):
            found.append(text)
    return found[:limit]


def reviewed(table: pd.DataFrame) -> pd.Series:
    """Per row, whether a person reviewed the statement (``reviewed_by`` names them; "" is nobody)."""
    return table[REVIEWED_BY].fillna("").astype(str).str.strip() != ""


def provenance(table: pd.DataFrame) -> str:
    """Exactly how much of the table people reviewed: "N of M statements reviewed by people"."""
    return f"{int(reviewed(table).sum())} of {len(table)} statements reviewed by people"


def origin(table: pd.DataFrame) -> str:
    """Where the statements come from, in words that match how much people reviewed.

    "curated" is said only when people reviewed every statement: a table that `opinions curate`
    seeded and nobody reviewed is still "found automatically".
    """
    checked = int(reviewed(table).sum())
    if len(table) and checked == len(table):
        return "curated by people"
    return "found automatically, partly reviewed" if checked else "found automatically"


def people_labelled(table: pd.DataFrame) -> int:
    """How many statements carry stance labels given by people."""
    return int((stance_by(table) == PEOPLE).sum())


def experts(table: pd.DataFrame) -> list[str]:
    """The expert speakers, in order of first appearance in the article."""
    return list(dict.fromkeys(table.loc[table["role"] == "expert", "speaker"]))
