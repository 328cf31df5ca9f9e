"""Sentences about an article's analysis, generated from the data so the notebooks fit any article.

A notebook's prose that names the bundled article's experts is wrong for every other article; these
functions say the same things from the table itself: who is quoted, what the topics are, where the
labels come from, what the comparison shows. They return Markdown whose article-given parts
(titles, names, propositions) are escaped, because an article can carry markup.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from utils import schema
from utils.agreement import figure
from utils.analysis import PEOPLE as BY_PEOPLE
from utils.analysis import Analysis, counted, directed_suggestions, experts, provenance, stance_counts
from utils.articles import articles_dir
from utils.curation import Curation
from utils.display import escape_markdown
from utils.positions import PEOPLE, Positions, date_range
from utils.suggest import RELEVANCE_LABELS


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
        "A statement is first suggested as addressing a topic when it mentions one of the topic's keywords. "
        f"On the {measured.pairs} statement–topic pairs people labelled, that is right "
        f"{measured.relevance_accuracy:.0%} of the time (Cohen's κ {measured.relevance_kappa:.2f}). "
        f"Once people have given {RELEVANCE_LABELS} labels of each kind (addressed or not), a model learned "
        "from their labels over the keywords in the statement, its paragraph and the paragraphs either side, "
        "and over how they labelled the statements around it and the same speaker's, adds the statements "
        "that name the topic only around them; a keyword in the statement always counts. A direction is "
        "not shown where that model doubts the statement addresses the topic, when checking on their own "
        "labels says holding it back pays. "
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
        "A direction (favor, against, …) is suggested from the labels people gave the same speaker on the "
        "topic, or else learned from the words of the statements they labelled when the model is confident. "
        f"Checked on labels they did not learn from, the suggestions agree with people with κ "
        f"{learned.kappa:.2f} on the {learned.coverage:.0%} of pairs where one is shown, against κ "
        f"{learned.prior_kappa:.2f} for the keywords and always the most common label."
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


def comparison_prose(positions: Positions) -> str:
    """What a comparison of people shows (notebook 09), in Markdown from its tables, so it fits any corpus."""
    lines = [_compared_line(positions), _propositions_line(positions), _leaning_lines(positions)]
    lines += [changes_line(positions), _tone_line(positions), _requotes_line(positions)]
    return "\n\n".join(line for line in lines if line)


def coverage_source_line(folder: str | Path, dataset: str | Path, by_default: bool) -> str:
    """Which articles a comparison reads and how much of them people reviewed; said plainly when the
    notebook fell back on the bundled articles because the shared corpus is not beside the project."""
    table = pd.read_parquet(dataset)
    reviewed = int((table.get("reviewed_by", pd.Series("", index=table.index)).fillna("") != "").sum())
    bundled = Path(folder).resolve() == articles_dir().resolve()
    where = (
        "the bundled articles (data/articles)"
        if bundled
        else f"the articles in {escape_markdown(_shown(folder))}"
    )
    why = "The shared corpus is not beside the project, so this" if bundled and by_default else "This"
    labels = "; their stance labels come from data/curated" if bundled and reviewed else ""
    articles = plural(table["article_id"].nunique(), "article")
    return (
        f"{why} comparison reads {where}: {articles}, {plural(len(table), 'statement')}, "
        f"{reviewed or 'none'} of them reviewed by people{labels}."
    )


def _shown(folder: str | Path) -> str:
    """A folder beside the project as the notebooks reach it (../shared/corpus), not as this machine does."""
    beside = articles_dir().resolve().parents[2]
    try:
        return "../" + Path(folder).resolve().relative_to(beside).as_posix()
    except ValueError:
        return str(folder)


def _compared_line(positions: Positions) -> str:
    people, rows = positions.people, positions.statements
    counts = ", ".join(
        f"{escape_markdown(p)} ({plural(int(n), 'statement')})"
        for p, n in zip(people["person"], people["statements"], strict=True)
    )
    dated = sorted(d for d in rows["date"] if date_range(d))
    when = (
        f"dated {dated[0]}" + (f" to {dated[-1]}" if dated[-1] != dated[0] else "")
        if dated
        else "none of them dated, so nothing can be shown over time"
    )
    undated = len(rows) - len(dated)
    also = f"; {plural(undated, 'statement')} without a date" if dated and undated else ""
    return f"Compared: {counts}, from {plural(rows['article_id'].nunique(), 'article')}, {when}{also}."


def _propositions_line(positions: Positions) -> str:
    if not positions.propositions:
        return (
            "**No propositions yet:** give a topics table or label statements in the workbench; until then "
            "nobody's stance can be compared, only when they spoke and in what tone."
        )
    marks = positions.marks
    by_people, suggested = int((marks["source"] == PEOPLE).sum()), int((marks["source"] != PEOPLE).sum())
    listed = "; ".join(f"P{i} *{escape_markdown(p)}*" for i, p in enumerate(positions.propositions, start=1))
    if not by_people:
        labels = "**No labels yet:** nobody has labelled these people's statements on them" + (
            f"; the {plural(suggested, 'machine suggestion')} below are leads, not findings"
            if suggested
            else ""
        )
    else:
        labels = f"{plural(by_people, 'label')} by people" + (
            f", and {plural(suggested, 'machine suggestion')} counted apart (leads, not findings)"
            if suggested
            else ""
        )
    nothing = positions.nothing
    found = (
        f" **Nothing found** for {names(nothing)}: no statement of theirs is on any of them."
        if nothing
        else ""
    )
    return f"{plural(len(positions.propositions), 'proposition')}: {listed}. {labels}.{found}"


def _leaning_lines(positions: Positions) -> str:
    """One line per proposition people labelled: how each person's labels fall."""
    marks = positions.marks[positions.marks["source"] == PEOPLE]
    person = dict(zip(positions.people["who"], positions.people["person"], strict=True))
    lines = []
    for number, proposition in enumerate(positions.propositions, start=1):
        these = marks[marks["proposition"] == proposition]
        leans = [
            f"{escape_markdown(person[who])} "
            + ", ".join(f"{n} {label}" for label, n in group["label"].value_counts().items())
            for who, group in these.groupby("who", sort=True)
        ]
        if leans:
            lines.append(f"- P{number}, by people's labels: " + "; ".join(leans) + ".")
    return "\n".join(lines)


def empty_grid_line(positions: Positions) -> str:
    """Why a comparison has no grid to show, said plainly instead of an empty table."""
    if not positions.propositions:
        return "No propositions yet, so there is no grid: give a topics table or label statements first."
    return (
        f"Nothing found: no statement of {names(list(positions.people['person']))} is labelled, suggested "
        "or mentions a proposition's keywords, so there is no grid."
    )


def changes_line(positions: Positions) -> str:
    """Whether people's labels show a change of stance between dates (and how many rest on suggestions)."""
    if positions.marks.empty:
        return "No labels or suggestions, so no change of stance can be seen."
    changes = positions.changes
    person = dict(zip(positions.people["who"], positions.people["person"], strict=True))
    confirmed = changes[~changes["suggested"]]
    labelled = positions.marks[positions.marks["source"] == PEOPLE]
    if labelled.empty:
        text = "Without people's labels, no change of stance can be confirmed."
    elif labelled["day"].nunique() < 2:
        text = "People's labels are all on statements of one date, so no change over time can be seen."
    elif confirmed.empty:
        text = "People's labels show no change of stance between dates."
    else:
        reversals = int((confirmed["kind"] == "reversal").sum())
        who = [person[w] for w in dict.fromkeys(confirmed["who"])]
        text = (
            f"People's labels show {plural(len(confirmed), 'change')} of stance between dates "
            f"({plural(reversals, 'reversal')}, favor to against or back), by {names(who)}."
        )
    suggested = int(changes["suggested"].sum())
    if suggested:
        text += (
            f" {plural(suggested, 'more change')} rest on machine suggestions and need people's labels first."
        )
    return text


def _tone_line(positions: Positions) -> str:
    rows = positions.statements
    person = dict(zip(positions.people["who"], positions.people["person"], strict=True))
    parts = []
    for column, what in (
        ("vader_compound", "Mean tone (VADER)"),
        ("certainty", "Mean certainty (boosters − hedges)"),
    ):
        means = (
            pd.to_numeric(rows[column], errors="coerce").groupby(rows["who"]).mean().dropna()
            if column in rows
            else []
        )
        if len(means):
            parts.append(
                f"{what}: " + ", ".join(f"{escape_markdown(person[w])} {v:+.2f}" for w, v in means.items())
            )
    if not parts:
        return ""
    return ". ".join(parts) + ". Lexicon readings of the words, beside the stance, never the stance."


def _requotes_line(positions: Positions) -> str:
    table = positions.requotes
    if table is None:
        return "Re-quotes were not searched here."
    if table.empty:
        return "None of their statements was found re-quoted in another article."
    groups = table.groupby("group")
    differing = sum(1 for _, g in groups if g["wording_differs"].any() or g["speaker_differs"].any())
    return (
        f"{plural(groups.ngroups, 'quote')} of theirs appear in several articles; in {differing} of them the "
        "wording or the speaker differs between articles."
    )


def coverage_prose(summary: dict[str, object], registry: pd.DataFrame, top: int = 5) -> str:
    """Who a coverage quotes (notebook 07), in Markdown from its counts, so it fits any corpus."""
    if not summary["statements"]:
        return "**Nothing found**: no article of this corpus has an attributed statement."
    span = (
        f"from {summary['first_date']} to {summary['last_date']}"
        if summary["first_date"]
        else "with no dates (add a MANIFEST.csv with a date column, or sidecars)"
    )
    undated = summary["articles"] - summary["dated"]
    dates = f" ({plural(undated, 'article')} without a date)" if undated and summary["first_date"] else ""
    reviewed = (
        f"{summary['reviewed']} of them reviewed by people"
        if summary["reviewed"]
        else "all found automatically, none reviewed by people yet"
    )
    outlets = plural(summary["outlets"], "outlet")
    where = f"{plural(summary['articles'], 'article')} with statements, from {outlets}"
    lines = [
        f"{where}, {span}{dates}: {plural(summary['statements'], 'statement')}, {reviewed}; "
        f"{summary['named']} of them name their speaker."
    ]
    if len(registry):
        kinds = registry["source_type"].value_counts()
        mix = ", ".join(plural(int(n), kind.replace("other", "other speaker")) for kind, n in kinds.items())
        most = registry.head(top)
        names = "; ".join(
            f"{escape_markdown(r.person)} ({r.source_type}, {plural(int(r.statements), 'statement')} in "
            f"{plural(int(r.articles), 'article')})"
            for r in most.itertuples(index=False)
        )
        lines.append(f"{plural(len(registry), 'person', 'people and organisations')} are quoted: {mix}.")
        lines.append(f"The most quoted: {names}.")
    return "\n\n".join(lines)


def dossier_line(dossier, page: str) -> str:
    """One line about a dossier the notebook wrote."""
    return (
        f"**{escape_markdown(dossier.person)}** (`{dossier.person_id}`): "
        f"{plural(dossier.statements, 'statement')}; the dossier is reports/{escape_markdown(page)}."
    )


def second_person(registry: pd.DataFrame, first: str) -> str:
    """Whom to set beside ``first`` when nobody is named: the most quoted expert or official, else the
    most quoted other person."""
    people = registry[(registry["kind"] == "person") & (registry["person_id"] != first)]
    preferred = people[people["source_type"].isin(["expert", "official"])]
    chosen = preferred if len(preferred) else people
    return chosen["person_id"].iloc[0] if len(chosen) else first
