"""The one tidy analysis table every notebook, figure and report reads.

One row per statement: who (speaker, affiliation, role), what (kind, text, offsets,
cue), where it came from (curated or extracted) and who reviewed it (``reviewed_by``,
empty for nobody), sentiment scores, certainty, and a
``stance_<topic>`` column per topic with ``stance_source`` saying whether the labels
are people's (curated) or suggestions (automatic).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import pandas as pd

from utils.agreement import Agreement as PeopleAgreement
from utils.agreement import article_agreement
from utils.annotations import annotation_path, annotators
from utils.articles import Article, resolve_article
from utils.curation import Curation, load_curation, speaker_roles
from utils.schema import REVIEWED_BY
from utils.sentiment import add_sentiment
from utils.stance import Agreement, add_certainty, agreement, curated_wide, stance_columns, suggested_wide
from utils.statements import ANALYSIS
from utils.suggest import LearnerAgreement, StanceLearner, labelled_pairs, learned_wide


@dataclass(frozen=True)
class Analysis:
    """An article's analysis table with the inputs it was built from.

    ``agreement`` compares the keyword relevance suggestions with people's labels; it is
    None when nobody has labelled any statement of this article. :attr:`learner` measures
    the learned direction suggestions the same way, out of sample.
    """

    curation: Curation
    table: pd.DataFrame
    agreement: Agreement | None

    @functools.cached_property
    def learner(self) -> LearnerAgreement | None:
        """Cross-validated agreement of learned suggestions with people's labels (None: no labels).

        Computed on first use (a few seconds): only pages that quote it pay for it.
        """
        if self.agreement is None:
            return None
        pairs = labelled_pairs(self.curation.statements, self.curation.stance, self.topics)
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


def analyse(article: Article) -> Analysis:
    """Build the analysis of one article from its curated tables (or from extraction if there are none)."""
    curation = load_curation(article)
    table, agreement_ = build_table(curation)
    return Analysis(curation, table, agreement_)


def analyse_ref(ref: str) -> Analysis:
    """:func:`analyse` for an article given by bundled id or file path."""
    return analyse(resolve_article(ref))


def build_table(curation: Curation) -> tuple[pd.DataFrame, Agreement | None]:
    """The tidy table (see the module docstring) and the suggestion-vs-curated agreement."""
    statements = curation.statements.reset_index(drop=True)
    roles = speaker_roles(curation)
    table = statements.assign(
        article_id=curation.article.article_id,
        role=statements["speaker"].map(roles).fillna("other"),
        source="curated" if curation.curated else "extracted",
    )
    table = add_certainty(add_sentiment(table))
    stance, measured = _stance(curation)
    table = table.join(stance, on="id")
    *columns, last = ANALYSIS.columns  # the stance columns come before the last, stance_source
    columns = [*columns, *stance_columns(curation.topics), last]
    return table[columns], measured


def _stance(curation: Curation) -> tuple[pd.DataFrame, Agreement | None]:
    """People's labels where they gave them, suggestions elsewhere, plus the keywords' agreement.

    Suggestions are keyword relevance ("addressed" or "not addressed"); where people labelled
    some statements of the article, a direction learned from their labels is added when the
    learner is confident (:func:`utils.suggest.learned_wide`).
    """
    ids = curation.statements["id"]
    curated = curated_wide(ids, curation.stance, curation.topics)
    keywords = suggested_wide(curation.statements, curation.topics)
    unlabelled = ~ids.isin(curated.index)
    suggested = (
        learned_wide(curation.statements, curation.topics, curation.stance)
        if len(curated) and unlabelled.any()
        else keywords
    )
    merged = suggested.copy()
    merged.loc[curated.index, curated.columns] = curated
    merged["stance_source"] = ["curated" if i in curated.index else "automatic" for i in merged.index]
    measured = agreement(curated, keywords) if len(curated) else None
    return merged, measured


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
    the workbook is written)."""
    table = analysis.table
    sheets = [("statements", table)]
    for topic, column in zip(
        analysis.topics.itertuples(index=False), stance_columns(analysis.topics), strict=True
    ):
        shown = table[["id", "speaker", "kind", "text", REVIEWED_BY]]
        sheets.append(
            (topic.proposition, shown.assign(stance=table[column], stance_by=table["stance_source"]))
        )
    return sheets


def reviewed(table: pd.DataFrame) -> pd.Series:
    """Per row, whether a person reviewed the statement (``reviewed_by`` names them; "" is nobody)."""
    return table[REVIEWED_BY].fillna("").astype(str).str.strip() != ""


def provenance(table: pd.DataFrame) -> str:
    """Exactly how much of the table people reviewed: "N of M statements reviewed by people"."""
    return f"{int(reviewed(table).sum())} of {len(table)} statements reviewed by people"


def experts(table: pd.DataFrame) -> list[str]:
    """The expert speakers, in order of first appearance in the article."""
    return list(dict.fromkeys(table.loc[table["role"] == "expert", "speaker"]))
