"""Sentences about an article's analysis, generated from the data so the notebooks fit any article.

A notebook's prose that names the bundled article's experts is wrong for every other article; these
functions say the same things from the table itself: who is quoted, what the topics are, where the
labels come from, what the comparison shows. They return Markdown whose article-given parts
(titles, names, propositions) are escaped, because an article can carry markup.
"""

from __future__ import annotations

import pandas as pd

from utils import schema
from utils.agreement import figure
from utils.analysis import PEOPLE as BY_PEOPLE
from utils.analysis import Analysis, counted, directed_suggestions, experts, provenance, stance_counts
from utils.curation import Curation
from utils.display import escape_markdown


def names(items: list[str], limit: int = 8) -> str:
    """'A', 'A and B', 'A, B and C'; past ``limit`` names, 'and N others'. Each name escaped."""
    shown = [escape_markdown(i) for i in items[:limit]]
    if len(items) > limit:
        shown.append(plural(len(items) - limit, "other"))
    if len(shown) <= 1:
        return "".join(shown)
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def plural(count: int, word: str, many: str = "") -> str:
    """'1 statement', '3 statements' (``many`` for irregular plurals)."""
    return f"{count} {word if count == 1 else many or word + 's'}"


def article_line(analysis: Analysis) -> str:
    """Title, outlet, date and length of the article."""
    article = analysis.article
    about = ", ".join(escape_markdown(article.meta[k]) for k in ("outlet", "date") if article.meta.get(k))
    return (
        f"**{escape_markdown(article.title)}**" + (f" ({about})" if about else "") + f". "
        f"{len(article.text):,} characters."
    )


def statements_line(analysis: Analysis) -> str:
    """How many statements, of which kinds, from how many speakers, and who made the table."""
    table = analysis.table
    kinds = table["kind"].value_counts()
    unreviewed = (table[schema.REVIEWED_BY].str.strip() == "").any()
    caution = "; read unreviewed ones as leads, not findings" if unreviewed else ""
    return (
        f"{plural(len(table), 'attributed statement')} from {plural(table['speaker'].nunique(), 'speaker')} "
        f"({plural(int(kinds.get('direct', 0)), 'direct quote')}, "
        f"{plural(int(kinds.get('paraphrase', 0)), 'paraphrase')}): {provenance(table)}{caution}."
    )


def people_line(table: pd.DataFrame) -> str:
    """Who the experts are and who else is quoted, by role."""
    compared = experts(table)
    by_role = {
        role: list(dict.fromkeys(table.loc[table["role"] == role, "speaker"]))
        for role in ("official", "other")
    }
    others = [
        f"{plural(len(people), label)} ({names(people, 4)})"
        for label, people in (("official", by_role["official"]), ("other source", by_role["other"]))
        if people
    ]
    also = f" Also quoted: {' and '.join(others)}." if others else ""
    if not compared:
        return (
            "No speaker here is marked as an expert (roles come from the speakers table where people set "
            "them, otherwise from the affiliation), so the expert comparisons have nobody to show." + also
        )
    return f"The experts compared are {names(compared)}." + also


def topics_line(analysis: Analysis) -> str:
    """The topics as propositions, and whose labels the stance columns hold."""
    topics, table = analysis.topics, analysis.table
    listed = "; ".join(f"*{escape_markdown(p)}*" for p in topics["proposition"])
    people = int((table["stance_source"] == "curated").sum())
    source = (
        "every statement's labels are people's"
        if people == len(table)
        else f"{people} of {len(table)} statements carry people's labels; the others show automatic "
        "suggestions, which are not findings"
    )
    return f"{plural(len(topics), 'topic')}: {listed}. Here {source}."


def stance_summary(table: pd.DataFrame, topics: pd.DataFrame) -> str:
    """One sentence per topic: how many statements address it and how they lean, people's labels and
    the machine's suggestions counted apart (:func:`utils.analysis.stance_counts`)."""
    counts = stance_counts(table, topics)
    labelled = table["stance_source"] == "curated"
    lines = []
    for topic in topics.itertuples(index=False):
        mine = counts[counts["topic"] == topic.topic]
        people, machine = (
            mine[mine["by"] == BY_PEOPLE],
            mine[mine["by"] != BY_PEOPLE],
        )
        said = _lean(people, "statement")
        if labelled.all():
            text = f"{said} address it"
        elif labelled.any():
            text = f"people labelled {said} as addressing it; the machine suggests {_lean(machine, 'other')}"
        else:
            text = f"no labels by people yet; the machine suggests {_lean(machine, 'statement')} address it"
        lines.append(f"- *{escape_markdown(topic.proposition)}*: {text}.")
    return "\n".join(lines)


def _lean(counts: pd.DataFrame, word: str) -> str:
    """'3 statements (2 favor, 1 against)' from rows of :func:`utils.analysis.stance_counts`."""
    by_label = counts.groupby("label", sort=False)["statements"].sum()
    total = plural(int(by_label.sum()), word)
    return f"{total} ({counted(by_label.to_dict())})" if len(by_label) else total


def agreement_line(analysis: Analysis) -> str:
    """The automatic suggestions measured against people's labels, in words (or why they cannot be)."""
    measured = analysis.agreement
    if measured is None:
        return (
            "Nobody has labelled a statement of this article yet, so how well the automatic suggestions "
            "agree with people cannot be measured here."
        )
    text = (
        "A statement is suggested as addressing a topic when it mentions one of the topic's keywords. "
        f"On the {measured.pairs} statement–topic pairs people labelled, that is right "
        f"{measured.relevance_accuracy:.0%} of the time (Cohen's κ {measured.relevance_kappa:.2f}). "
    )
    learned = analysis.learner
    directed = directed_suggestions(analysis)
    if (learned is None or learned.kappa is None) and directed:
        return text + (
            f"{plural(directed, 'direction')} (favor, against, …) are suggested from these labels, but there "
            "are too few labels to check on held-out ones how often such directions are right: treat them "
            "as unmeasured."
        )
    if learned is None or learned.kappa is None:
        return text + "There are too few labels yet to learn a direction (favor, against, …) from them."
    return text + (
        "Directions are learned from people's labels and shown only when the model is confident: "
        f"checked on labels it did not learn from, they agree with people with κ {learned.kappa:.2f} on "
        f"the {learned.coverage:.0%} of pairs where a suggestion is shown, against κ "
        f"{learned.prior_kappa:.2f} for always answering the most common label."
    )


def people_agreement_line(analysis: Analysis) -> str:
    """How far the people who tagged the article agree (``opinions agreement``), or that it is unmeasured."""
    measured = analysis.between_people
    if measured is None:
        return (
            "Fewer than two people have tagged this article in the workbench, so agreement between people is "
            "not measured yet (`opinions agreement` measures it once a second person has)."
        )

    return (
        f"{names(measured.annotators)} tagged this article. On the {measured.pairs} statement–topic pairs "
        f"they all labelled, {measured.coefficient} is {figure(measured.kappa)}: "
        f"{figure(measured.relevance_kappa)} on whether a topic is addressed, "
        f"{figure(measured.direction_kappa)} on the direction of the {measured.direction_pairs} pairs "
        "they all call addressed; "
        f"{plural(len(measured.disagreements), 'disagreement')} to settle."
    )


def contradictions_line(clashes: pd.DataFrame, proposition: str, directed: int | None = None) -> str:
    """How many statements' lexicon scores point the other way from their stance label on one topic.

    ``directed``: how many statements have a direction (favor or against) on it; with none there is
    nothing a score could contradict, and the sentence says so instead of "no contradiction".
    """
    if clashes.empty and directed == 0:
        return (
            f"On *{escape_markdown(proposition)}* no statement has a direction (favor or against) yet, "
            "neither from people nor suggested, so the lexicon cannot be set against stance here."
        )
    if clashes.empty:
        return (
            f"On *{escape_markdown(proposition)}* no statement's lexicon score contradicts its stance label."
        )
    speakers = list(dict.fromkeys(clashes["speaker"]))
    suggested = clashes.loc[clashes["stance_source"] == "automatic", "id"].nunique()
    label = (
        "stance label"
        if not suggested
        else "suggested label"
        if suggested == clashes["id"].nunique()
        else f"label ({suggested} of them suggested by the machine, not labelled by people)"
    )
    return (
        f"On *{escape_markdown(proposition)}*, {plural(clashes['id'].nunique(), 'statement')} by "
        f"{names(speakers)} score the other way from their {label}: the lexicon reads the words, "
        "not the argument."
    )


def comparison_line(curation: Curation) -> str:
    """Notebook 06's opening: what is compared with what, or plainly that nothing can be.

    A curated table that `opinions curate` seeded and nobody reviewed is the extractor's own output:
    it is said so, and the scores are called flattering while only part of it is reviewed.
    """
    curated, article_id = curation.curated, curation.article.article_id
    checked = int((curation.statements[schema.REVIEWED_BY].fillna("").str.strip() != "").sum())
    total = len(curation.statements)
    if curated and not checked:
        return (
            f"**There is nothing to compare yet:** the curated table of {escape_markdown(article_id)} was "
            "seeded from the extractor (`opinions curate`) and nobody has reviewed a statement of it, so "
            "the extractor would only be compared with itself. Review it in the workbench (notebook 8, "
            "`opinions accept` keeps the result), then run this notebook again."
        )
    if curated and checked < total:
        return (
            f"{checked} of {total} statements of the curated table were reviewed by people; the others "
            "are still as the extractor found them and agree with it by construction, so these scores "
            "flatter the extractor until every statement is reviewed."
        )
    if curated:
        return (
            "This article has a curated statements table, so the extractor's output is compared with "
            "what a careful reader listed."
        )
    return (
        f"**There is nothing to compare:** the article {escape_markdown(article_id)} has no curated "
        "statements table, so the extractor would only be compared with itself (and score a meaningless "
        "1.000). Curate it first (`opinions curate` seeds the table), then run this notebook again."
    )
