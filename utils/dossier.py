"""A dossier per person: one self-contained HTML page of everything a person said across a coverage.

Who the person is (aliases, roles, source type and why), when and where they were quoted
(a dated timeline, every statement in its sentence, with outlet, title and link), their tone
and certainty over time, their stance per topic where people labelled it (people's labels and
machine suggestions drawn differently and counted apart), and who is quoted beside them. Every
bar and dot links to the statements behind it.

As safe as the report: every string from the corpus is escaped where it is inserted (names,
titles, quotes, outlets, addresses), an address is a link only when it is http(s), and the
page runs no script at all: its Content-Security-Policy allows only its own stylesheet, by hash.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
from markupsafe import Markup

from utils import __version__
from utils.htmlpage import in_context, missing, page, short, source_line
from utils.people.registry import build_registry, co_quoted, find_person, statements_by
from utils.svgplot import Bar, Dot, bar_chart, time_dots

NO_DATE = "no date"
MAX_CO_QUOTED = 12
#: A stance label of a statement: who labelled it is ``source`` (``people`` or ``suggestion``).
STANCE_COLUMNS = ["article_id", "id", "topic", "proposition", "label", "source"]
PLACED = ["anchor", "date"]  # where a statement is on the page and in time


@dataclass(frozen=True)
class Dossier:
    """The page and what it is about."""

    person_id: str
    person: str
    statements: int
    html: str


def build_dossier(dataset: str | Path, query: str, stance: pd.DataFrame | None = None) -> Dossier:
    """The dossier of the person ``query`` names (an id or a name) in a corpus dataset.

    ``stance`` (optional): labels per statement and topic, columns ``article_id, id, topic,
    proposition, label, source`` with source ``people`` or ``suggestion``.
    """
    person_id, person = find_person(dataset, query)
    rows = statements_by(dataset, person_id).reset_index(drop=True)
    rows["anchor"] = [f"s-{i}" for i in range(1, len(rows) + 1)]
    record = build_registry(dataset, only=[person_id]).iloc[0]
    labels = _stance_of(rows, stance)
    body = [
        _header(record, rows),
        _section("Statements over time", _per_month_figure(rows)),
        _section("Tone and certainty over time", _tone_figures(rows)),
        _section("Stance per topic", _stance_figures(rows, labels)),
        _section("Quoted alongside", _co_quoted(dataset, person_id, rows)),
        _section("Every statement", _timeline(rows, labels)),
        _footer(rows),
    ]
    return Dossier(person_id, person, len(rows), page(f"Dossier: {person}", Markup("").join(body)))


def _section(title: str, content: Markup) -> Markup:
    return Markup("<section><h2>{}</h2>{}</section>").format(title, content)


def _header(record: pd.Series, rows: pd.DataFrame) -> Markup:
    span = _date_span(rows)
    reviewed = _reviewed_count(rows)
    return Markup(
        '<header><h1>{name}</h1><p class="who">{kind} · <code>{pid}</code></p>'
        "<p>{n} statement(s) in {a} article(s) from {o} outlet(s){span}. {reviewed}</p>"
        "<dl><dt>Source type</dt><dd>{kind} ({why})</dd><dt>Also written</dt><dd>{aliases}</dd>"
        "<dt>Roles given</dt><dd>{roles}</dd></dl></header>"
    ).format(
        name=record["person"],
        kind=record["source_type"],
        pid=record["person_id"],
        n=int(record["statements"]),
        a=int(record["articles"]),
        o=int(record["outlets"]),
        span=f", {span}" if span else "",
        reviewed=reviewed,
        why=record["source_type_why"],
        aliases=record["aliases"] or "—",
        roles=record["roles"] or "none given",
    )


def _reviewed_count(rows: pd.DataFrame) -> str:
    """ "12 of 40 reviewed by people; the rest found automatically." (the words match the state)"""
    if "reviewed_by" not in rows.columns:
        return "All found automatically; none reviewed by people."
    done = int((rows["reviewed_by"].fillna("") != "").sum())
    if done == len(rows):
        return f"All {done} reviewed by people."
    return f"{done} of {len(rows)} reviewed by people; the rest found automatically."


def _date_span(rows: pd.DataFrame) -> str:
    dated = sorted(d for d in rows["date"].fillna("") if d)
    if not dated:
        return ""
    return dated[0] if dated[0] == dated[-1] else f"{dated[0]} to {dated[-1]}"


def _month(day: str) -> str:
    return day[:7] if day else NO_DATE


def _per_month_figure(rows: pd.DataFrame) -> Markup:
    months = rows["date"].fillna("").map(_month)
    counts = months.value_counts()
    order = sorted(m for m in counts.index if m != NO_DATE) + ([NO_DATE] if NO_DATE in counts.index else [])
    bars = [
        Bar(
            _month_name(m),
            int(counts[m]),
            f"#m-{m.replace(' ', '-')}",
            f"{_month_name(m)}: {counts[m]} statement(s)",
        )
        for m in order
    ]
    return Markup(bar_chart(bars, "Statements per month"))


def _month_name(month: str) -> str:
    if month == NO_DATE:
        return "no date"
    return date(int(month[:4]), int(month[5:7]), 1).strftime("%B %Y")


def _position(day: str, first: date, last: date) -> float:
    span = (last - first).days or 1
    return (date.fromisoformat(day) - first).days / span


def _dated(rows: pd.DataFrame) -> tuple[pd.DataFrame, date, date]:
    dated = rows[rows["date"].fillna("").str.len() == 10]
    if dated.empty:
        return dated, date.today(), date.today()
    return dated, date.fromisoformat(dated["date"].min()), date.fromisoformat(dated["date"].max())


def _tone_figures(rows: pd.DataFrame) -> Markup:
    dated, first, last = _dated(rows)
    if dated.empty:
        return Markup('<p class="note">No statement has a date, so nothing can be drawn over time.</p>')
    parts = []
    for column, title, ends in (
        (
            "vader_compound",
            "Tone (VADER compound; a lexicon's reading, never the stance)",
            ("negative", "positive"),
        ),
        ("certainty", "Certainty (boosters minus hedges)", ("hedged", "certain")),
    ):
        if column not in dated.columns:
            continue
        points = [
            Dot(
                _position(row.date, first, last),
                float(getattr(row, column)),
                f"#{row.anchor}",
                f"{row.date} · {row.outlet or 'no outlet'}: {short(row.text)} ({getattr(row, column):+.2f})",
                "neg" if getattr(row, column) < 0 else "dot",
            )
            for row in dated.itertuples(index=False)
            if not missing(getattr(row, column))
        ]
        figure = time_dots(points, title, first.isoformat(), last.isoformat(), ends) if points else ""
        unscored = len(dated) - len(points)
        note = f" {unscored} statement(s) without a score are not drawn." if unscored else ""
        parts.append(
            Markup("<h3>{}</h3>{}<p class='note'>{}</p>").format(title, Markup(figure), note.strip())
        )
    undated = len(rows) - len(dated)
    if undated:
        parts.append(
            Markup('<p class="note">{} undated statement(s) are listed below but not drawn.</p>').format(
                undated
            )
        )
    return Markup("").join(parts)


def _stance_of(rows: pd.DataFrame, stance: pd.DataFrame | None) -> pd.DataFrame:
    """Stance labels of this person's statements, with each statement's anchor and date."""
    if stance is None or stance.empty:
        return pd.DataFrame(columns=[*STANCE_COLUMNS, *PLACED])
    keyed = rows[["article_id", "id", *PLACED]]
    return stance[STANCE_COLUMNS].merge(keyed, on=["article_id", "id"], how="inner")


def _stance_figures(rows: pd.DataFrame, labels: pd.DataFrame) -> Markup:
    addressed = labels[labels["label"] != "not addressed"]
    if addressed.empty:
        return Markup(
            '<p class="note">No stance labels yet for this person\'s statements: label them in the '
            "workbench (people's labels), or add topics to get suggestions.</p>"
        )
    dated, first, last = _dated(rows)
    parts = []
    for (_topic, proposition), group in addressed.groupby(["topic", "proposition"], sort=True):
        people = group[group["source"] == "people"]
        machine = group[group["source"] != "people"]
        counts = Markup("{} label(s) by people, {} suggestion(s) by the machine").format(
            len(people), len(machine)
        )
        points = [
            Dot(
                _position(r.date, first, last),
                _STANCE_Y[r.label],
                f"#{r.anchor}",
                f"{r.date}: {r.label} ({'people' if r.source == 'people' else 'machine suggestion'})",
                r.label if r.source == "people" else f"hollow {r.label}",
            )
            for r in group.itertuples(index=False)
            if isinstance(r.date, str) and len(r.date) == 10
        ]
        figure = (
            time_dots(points, proposition, first.isoformat(), last.isoformat(), ("against", "favor"))
            if points and not dated.empty
            else ""
        )
        parts.append(
            Markup(
                "<h3>{}</h3><p class='note'>{}. Filled: people's labels; hollow: machine suggestions.</p>{}"
            ).format(proposition, counts, Markup(figure))
        )
    return Markup("").join(parts)


_STANCE_Y = {"favor": 1.0, "mixed": 0.0, "neutral": 0.0, "against": -1.0}


def _co_quoted(dataset: str | Path, person_id: str, rows: pd.DataFrame) -> Markup:
    others = co_quoted(dataset, person_id, MAX_CO_QUOTED)
    if others.empty:
        return Markup('<p class="note">Nobody else is quoted in the same articles.</p>')
    bars = [
        Bar(r.person, int(r.articles), f"#with-{r.person_id}", f"{r.person}: {r.articles} shared article(s)")
        for r in others.itertuples(index=False)
    ]
    anchors = rows.groupby("article_id")["anchor"].first().to_dict()
    details = []
    for r in others.itertuples(index=False):
        links = Markup(", ").join(
            Markup('<a href="#{}">{}</a>').format(anchors[a], a)
            for a in r.article_ids.split(" ")
            if a in anchors
        )
        details.append(
            Markup('<li id="with-{}">{} ({}): {}</li>').format(r.person_id, r.person, r.articles, links)
        )
    return Markup("<p>Shared articles, most first.</p>{}<ul>{}</ul>").format(
        Markup(bar_chart(bars, "People quoted in the same articles")), Markup("").join(details)
    )


def _timeline(rows: pd.DataFrame, labels: pd.DataFrame) -> Markup:
    by_statement = labels.groupby("anchor") if not labels.empty else None
    parts = []
    for month, group in rows.groupby(rows["date"].fillna("").map(_month), sort=False):
        items = Markup("").join(
            _statement(row, _labels_for(by_statement, row.anchor)) for row in group.itertuples(index=False)
        )
        parts.append(
            Markup('<section id="m-{}"><h3>{}</h3>{}</section>').format(
                month.replace(" ", "-"), _month_name(month), items
            )
        )
    return Markup("").join(parts)


def _labels_for(grouped, anchor: str) -> pd.DataFrame | None:
    if grouped is None or anchor not in grouped.groups:
        return None
    return grouped.get_group(anchor)


def _statement(row, labels: pd.DataFrame | None) -> Markup:
    source = source_line(row)
    badges = Markup("")
    if labels is not None:
        for label in labels.itertuples(index=False):
            css, who = ("people", "people") if label.source == "people" else ("machine", "suggested")
            badges += Markup('<span class="badge {}" title="{}">{}: {} ({})</span>').format(
                css, label.proposition, label.topic, label.label, who
            )
    reviewed = getattr(row, "reviewed_by", "") or ""
    state = (
        Markup('<span class="badge people">reviewed by {}</span>').format(reviewed)
        if reviewed
        else Markup('<span class="badge machine">found automatically</span>')
    )
    return Markup(
        '<article class="statement {kind}" id="{anchor}"><p class="meta">{source}</p>'
        '<blockquote>{context}</blockquote><p class="meta">{kind} · {cue}{affiliation} {state}{badges}</p>'
        "</article>"
    ).format(
        kind=row.kind,
        anchor=row.anchor,
        source=source,
        context=in_context(row),
        cue=f"“{row.cue}”" if row.cue else "no cue",
        affiliation=Markup(" · as {}").format(row.affiliation) if row.affiliation else "",
        state=state,
        badges=badges,
    )


def _footer(rows: pd.DataFrame) -> Markup:
    return Markup(
        '<footer class="note"><p>Made by expert-opinions {} from {} statement(s). Speakers and spans found '
        "automatically can be wrong; statements reviewed by people say so. Tone and certainty are lexicon "
        "readings, shown beside stance, never as stance.</p></footer>"
    ).format(__version__, len(rows))
