"""The comparison page: a few experts side by side on a set of propositions, across a coverage.

``build_comparison(dataset, people, topics, stance, requotes)`` gathers where the people stand
(:func:`utils.positions.gather`) and writes one self-contained HTML page, as safe as the
dossier (:mod:`utils.htmlpage`: every string escaped, a strict Content-Security-Policy, no
script, links only to http(s) addresses):

* a people x propositions grid: favor / against / mixed / neutral counts, people's labels
  (solid) and machine suggestions (dashed) counted apart, the number of statements behind
  each cell, each cell a link to the list of its statements;
* the people's timelines on one shared date axis, a row per proposition, and their tone
  (VADER, TextBlob) and certainty (hedges and boosters) over time: lexicon readings beside the
  stance, never as the stance;
* a flag where a person's stance on a proposition changed between dates, the two statements
  side by side: people's labels first, the changes that rest on a suggestion apart and marked;
* the re-quotes involving the people, when a re-quote table is given, with the words and the
  speaker that differ from the rest of the group marked;
* an explicit "Nothing found" section for a person with no statement on any proposition (and
  no grid at all when there is nothing to compare on), never an empty grid that looks like a
  result.

Every mark of every figure leads to the statements of its period, every cell to its own
statements, and every statement is on the page.
"""

from __future__ import annotations

import difflib
import itertools
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from markupsafe import Markup

from utils import __version__
from utils.htmlpage import RESOURCES, in_context, missing, page, short, source_line
from utils.htmlpage import STYLE as BASE_STYLE
from utils.positions import (
    ADDRESSED,
    DIRECTIONS,
    PEOPLE,
    Axis,
    Positions,
    cues,
    date_range,
    gather,
    tuples,
    word_spans,
)
from utils.svgplot import Dot, Lane, lanes, time_dots

MAX_CHANGES = 3  # changes shown per person and proposition; the others are counted
MAX_GROUPS = 60  # re-quote groups shown; the others are counted
STYLE = BASE_STYLE + (RESOURCES / "compare.css").read_text(encoding="utf-8")
_LEVEL = {"favor": 1.0, "mixed": 0.33, ADDRESSED: 0.0, "neutral": -0.33, "against": -1.0}
_BY = {PEOPLE: "people's labels"}  # any other source: machine suggestions
_CONTENTS = (
    ("grid", "Where they stand"),
    ("changes", "Changes"),
    ("timelines", "Over time"),
    ("tone", "Tone"),
    ("certainty", "Certainty"),
    ("requotes", "Re-quotes"),
    ("statements", "Every statement"),
)


@dataclass(frozen=True)
class Comparison:
    """The page and the positions it shows (the tables behind it, for notebooks and tests)."""

    html: str
    positions: Positions


def build_comparison(
    dataset: str | Path,
    people: list[str],
    topics: pd.DataFrame | None,
    stance: pd.DataFrame | None,
    requotes: pd.DataFrame | None = None,
) -> Comparison:
    """The comparison page of ``people`` (ids or names, each naming one person) in a corpus dataset."""
    positions = gather(dataset, people, topics, stance, requotes)
    return Comparison(render(positions), positions)


def render(positions: Positions) -> str:
    """The page (see the module doc)."""
    view = _View(positions)
    body = [
        _header(view),
        _section("grid", "Where they stand", _grid(view)),
        _nothing(view),
        _section("changes", "Changes of stance", _changes(view)),
        _section("timelines", "Over time", _timelines(view)),
        _section("tone", "Tone over time", _tone(view)),
        _section("certainty", "Certainty over time", _certainty(view)),
        _section("requotes", "Re-quotes", _requotes(view)),
        _section("cells", "The statements behind each cell", _cell_lists(view)),
        _section("statements", "Every statement", _statement_lists(view)),
        _footer(view),
    ]
    return page("Comparison: " + ", ".join(positions.people["person"]), Markup("").join(body), STYLE)


class _View:
    """The positions as plain Python lookups, read once, so a page of thousands of statements is quick."""

    def __init__(self, positions: Positions) -> None:
        self.positions = positions
        self.axis: Axis | None = positions.axis
        self.people = list(positions.people.itertuples(index=False))
        self.name = {p.who: p.person for p in self.people}
        self.number = {p: i + 1 for i, p in enumerate(positions.propositions)}
        self.rows = {r.anchor: r for r in positions.statements.itertuples(index=False)}
        self.by_person: dict[int, list] = {p.who: [] for p in self.people}
        for row in self.rows.values():
            self.by_person[row.who].append(row)
        columns = ("who", "anchor", "proposition", "label", "source", "period")
        self.marks = [dict(zip(columns, m, strict=True)) for m in tuples(positions.marks, columns)]
        dated = {(r.day, r.day_end): r.date for r in self.rows.values() if r.day is not None}
        self.one_date = next(iter(dated.values())) if len(dated) == 1 else ""  # nothing moves in time
        self.cells: dict[tuple[int, str], list[dict]] = {}
        for mark in self.marks:
            self.cells.setdefault((mark["who"], mark["proposition"]), []).append(mark)

    def of(self, who: int) -> list:
        """The statements of one person, in date order (undated last)."""
        return self.by_person[who]


def _section(anchor: str, title: str, content: Markup) -> Markup:
    return Markup('<section id="{}"><h2>{}</h2>{}</section>').format(anchor, title, content)


def _note(text: str, *args: object) -> Markup:
    return Markup('<p class="note">' + text + "</p>").format(*args)


def _span(dates: list[str]) -> str:
    dated = sorted(d for d in dates if date_range(d))
    if not dated:
        return ""
    return dated[0] if dated[0] == dated[-1] else f"{dated[0]} to {dated[-1]}"


def _header(view: _View) -> Markup:
    roster = Markup("").join(
        Markup(
            '<tr><td data-label="Person"><a href="#p{}">{}</a>, {} <code>{}</code></td>'
            '<td data-label="Statements">{} in {} article(s), {} outlet(s); {}</td>'
            '<td data-label="Dates" class="dates">{}</td><td data-label="Also written">{}</td></tr>'
        ).format(
            p.who,
            p.person,
            p.source_type,
            p.person_id,
            int(p.statements),
            int(p.articles),
            int(p.outlets),
            _reviewed(view.of(p.who)),
            _span([r.date for r in view.of(p.who)]) or "no dates",
            "; ".join(a for a in p.aliases.split("; ") if a and a != p.person) or "—",
        )
        for p in view.people
    )
    span = _span([r.date for r in view.rows.values()])
    return Markup(
        "<header><h1>{}</h1><p>{} statement(s) by {} people{}; {} proposition(s).</p>"
        '<nav class="toc">{}</nav><table class="roster"><thead><tr><th>Person, source type</th>'
        "<th>Statements</th><th>Dates</th><th>Also written</th></tr></thead><tbody>{}</tbody></table>"
        "</header>"
    ).format(
        "Comparison: " + ", ".join(view.name.values()),
        len(view.rows),
        len(view.people),
        f", {span}" if span else "",
        len(view.number),
        Markup(" ").join(Markup('<a href="#{}">{}</a>').format(a, t) for a, t in _CONTENTS),
        roster,
    )


def _reviewed(rows: list) -> str:
    done = sum(1 for r in rows if r.reviewed_by)
    if not done:
        return "none reviewed by people"
    return "all reviewed by people" if done == len(rows) else f"{done} reviewed by people"


LEGEND = (
    "Solid chips count <strong>people's labels</strong>; dashed chips count <strong>machine suggestions"
    "</strong> for statements people have not labelled on that proposition: leads, not findings. "
    "<em>mentions</em>: the statement uses the proposition's keywords, no direction suggested. A cell's "
    "first line leads to its statements."
)


def _grid(view: _View) -> Markup:
    if not view.number:
        return _note(
            "<strong>No propositions to compare on.</strong> Give a topics table (<code>--topics FILE</code>:"
            " topic, proposition, keywords) or label statements in the workbench; until then nobody's stance "
            "can be compared, so no grid is drawn."
        )
    if not view.marks:
        return _note(
            "<strong>Nothing found:</strong> no statement of these people is labelled, suggested or mentions "
            'the keywords of any proposition, so no grid is drawn. See <a href="#nothing">Nothing found</a>.'
        )
    changes = view.positions.changes
    flagged = set(tuples(changes[~changes["suggested"]], ("who", "proposition")))
    head = Markup("").join(Markup("<th>P{}: {}</th>").format(n, p) for p, n in view.number.items())
    body = Markup("").join(
        Markup('<tr><th scope="row"><a href="#p{}">{}</a></th>{}</tr>').format(
            p.who, p.person, _row_cells(view, p.who, view.cells, flagged)
        )
        for p in view.people
    )
    return Markup(
        '{}<table class="grid"><thead><tr><th>Person</th>{}</tr></thead><tbody>{}</tbody></table>'
    ).format(_note(LEGEND), head, body)


def _row_cells(view: _View, who: int, cells: dict, flagged: set) -> Markup:
    if not any((who, p) in cells for p in view.number):
        return Markup(
            '<td class="none" colspan="{}">Nothing found on these propositions (see '
            '<a href="#nothing">Nothing found</a>).</td>'
        ).format(len(view.number))
    return Markup("").join(
        _cell(who, number, proposition, cells.get((who, proposition), []), (who, proposition) in flagged)
        for proposition, number in view.number.items()
    )


def _cell(who: int, number: int, proposition: str, marks: list[dict], flagged: bool) -> Markup:
    label = Markup("P{}: {}").format(number, short(proposition, 60))
    if not marks:
        return Markup('<td class="none" data-label="{}">no statement</td>').format(label)
    flag = (
        Markup(' <a class="flag" href="#x{}-{}">⚑ stance changed</a>').format(who, number) if flagged else ""
    )
    statements = len({m["anchor"] for m in marks})
    return Markup('<td data-label="{}"><a href="#c{}-{}">{} statement(s)</a>{}<br>{}</td>').format(
        label, who, number, statements, flag, _chips(marks)
    )


def _chips(marks: list[dict]) -> Markup:
    counts = Counter((m["source"] == PEOPLE, m["label"]) for m in marks)
    chips = [
        Markup('<span class="chip {}">{} {}</span>').format(label, label, counts[(True, label)])
        for label in DIRECTIONS
        if counts[(True, label)]
    ]
    chips += [
        Markup('<span class="chip suggested {}">suggested {} {}</span>').format(
            label, "mentions" if label == ADDRESSED else label, counts[(False, label)]
        )
        for label in (*DIRECTIONS, ADDRESSED)
        if counts[(False, label)]
    ]
    return Markup("").join(chips)


def _nothing(view: _View) -> Markup:
    nothing = view.positions.nothing
    if not nothing:
        return Markup("")
    why = (
        "none of their statements is labelled by people, has a machine suggestion, or mentions the "
        f"keywords of any of the {len(view.number)} proposition(s)"
        if view.number
        else "no propositions were given, so there was nothing to look for"
    )
    listed = Markup("").join(
        Markup(
            '<li><a href="#p{}">{}</a>: {} statement(s) in the coverage, none on these propositions.</li>'
        ).format(p.who, p.person, int(p.statements))
        for p in view.people
        if p.person in nothing
    )
    return Markup(
        '<section id="nothing"><h2>Nothing found</h2><p><strong>Nothing found for {}:</strong> {}. Their '
        "statements are still listed below, with their tone and certainty.</p><ul>{}</ul></section>"
    ).format(", ".join(nothing), why, listed)


def _changes(view: _View) -> Markup:
    changes = view.positions.changes
    if not view.marks:
        return _note("No labels or suggestions, so no change of stance can be seen.")
    parts = []
    for suggested, heading in ((False, "From people's labels"), (True, "Resting on machine suggestions")):
        chosen = changes[changes["suggested"] == suggested]
        if suggested and chosen.empty:
            continue
        parts.append(Markup("<h3>{}</h3>").format(heading))
        if chosen.empty:
            parts.append(
                _note(
                    "No change: nobody's labels on a proposition differ between two dates (a change needs "
                    "labelled statements on two dates that cannot overlap, with no label in common)."
                )
            )
        elif suggested:
            parts.append(
                _note(
                    "One side or both of each of these is a machine suggestion, not a finding: label the "
                    "statements to confirm the change or dismiss it."
                )
            )
        for (who, proposition), group in chosen.groupby(["who", "proposition"], sort=False):
            number = view.number[proposition]
            for k, change in enumerate(group.head(MAX_CHANGES).itertuples(index=False)):
                anchor = f"x{who}-{number}" if k == 0 and not suggested else ""
                parts.append(_change(view, change, number, anchor))
            if len(group) > MAX_CHANGES:
                parts.append(
                    _note(
                        '{} more change(s) of {} on P{}: see <a href="#timelines">the timelines</a>.',
                        len(group) - MAX_CHANGES,
                        view.name[who],
                        number,
                    )
                )
    return Markup("").join(parts)


def _change(view: _View, change, number: int, anchor: str) -> Markup:
    sides = Markup("").join(
        _side(view.rows[a], label, source)
        for a, label, source in (
            (change.before, change.before_label, change.before_source),
            (change.after, change.after_label, change.after_source),
        )
    )
    return Markup(
        '<article class="change"{}><h4>{} on P{}: {}, {} → {}</h4><p class="note">{}</p><div class="pair">{}'
        "</div></article>"
    ).format(
        Markup(' id="{}"').format(anchor) if anchor else "",
        view.name[change.who],
        number,
        change.kind,
        change.before_label,
        change.after_label,
        change.proposition,
        sides,
    )


def _side(row, label: str, source: str) -> Markup:
    chip = (
        Markup('<span class="chip {}">{} (people)</span>').format(label, label)
        if source == PEOPLE
        else Markup('<span class="chip suggested {}">{} (suggested)</span>').format(label, label)
    )
    return Markup(
        "<figure><figcaption>{}</figcaption><blockquote>{}</blockquote>"
        '<p>{} <a href="#{}">the statement</a></p></figure>'
    ).format(source_line(row, rel=False), row.text, chip, row.anchor)


def _timelines(view: _View) -> Markup:
    axis = view.axis
    if axis is None or view.one_date:
        return _undrawn(view)
    per_period = Counter((r.who, r.period) for r in view.rows.values() if r.period is not None)
    most = max(per_period.values())
    stance = Counter(
        (m["who"], m["proposition"], m["period"], m["source"], m["label"])
        for m in view.marks
        if m["period"] is not None
    )
    top = max(stance.values(), default=1)
    parts = [
        _note(
            "A row per proposition, on one date axis for everyone ({} to {}, by {}). Filled dots: people's "
            "labels; rings: machine suggestions; favor high, against low, mentions in the middle; larger "
            "dots, more statements. Each dot leads to the statements of its {}.",
            axis.first.isoformat(),
            axis.last.isoformat(),
            axis.unit,
            axis.unit,
        )
    ]
    for person in view.people:
        mine = [
            Dot(
                axis.x(period),
                0.0,
                f"#t{who}-{period}",
                f"{axis.name(period)}: {n} statement(s)",
                "dot",
                _size(n, most, 4),
            )
            for (who, period), n in sorted(per_period.items())
            if who == person.who
        ]
        rows = [Lane(f"All statements ({len(view.of(person.who))})", mine)]
        rows += [
            Lane(f"P{number}: {proposition}", _stance_dots(axis, stance, person.who, proposition, top))
            for proposition, number in view.number.items()
        ]
        figure = lanes(rows, f"Timeline of {person.person}", axis.first.isoformat(), axis.last.isoformat())
        parts.append(Markup("<h3>{}</h3>{}").format(person.person, Markup(figure)))
    undated = sum(1 for r in view.rows.values() if r.period is None)
    if undated:
        parts.append(_note("{} undated statement(s) are listed below but not drawn.", undated))
    return Markup("").join(parts)


def _undrawn(view: _View) -> Markup:
    if view.one_date:
        return _note(
            "Every dated statement carries the same date ({}), so nothing can be followed over time.",
            view.one_date,
        )
    return _note("No statement has a date, so nothing can be drawn over time.")


def _size(n: int, most: int, grow: float) -> float:
    return round(2.5 + grow * (n / most) ** 0.5, 1)


def _stance_dots(axis: Axis, stance: Counter, who: int, proposition: str, top: int) -> list[Dot]:
    dots = []
    for (w, p, period, source, label), n in sorted(
        stance.items(), key=lambda kv: (kv[0][2], kv[0][3], kv[0][4])
    ):
        if (w, p) != (who, proposition):
            continue
        what = "mentions" if label == ADDRESSED else label
        dots.append(
            Dot(
                axis.x(period),
                _LEVEL[label],
                f"#t{who}-{period}",
                f"{axis.name(period)}: {n} {what}, {_BY.get(source, 'machine suggestions')}",
                label if source == PEOPLE else f"hollow {label}",
                _size(n, top, 3),
            )
        )
    return dots


def _tone(view: _View) -> Markup:
    if view.axis is None or view.one_date:
        return _undrawn(view)
    note = _note(
        "Mean per {}: filled dots VADER compound, rings TextBlob polarity. Lexicons read the words, not the "
        "argument: tone beside the stance, never the stance.",
        view.axis.unit,
    )
    return note + _period_figures(view, "Tone", ("negative", "positive"), _tone_dots)


def _tone_dots(r) -> list[tuple[float, str, str]]:
    return [
        (value, f"{name} {value:+.2f}, mean of {r.statements} statement(s)", css)
        for value, name, css in ((r.vader, "VADER", "vader"), (r.textblob, "TextBlob", "textblob"))
    ]


def _certainty(view: _View) -> Markup:
    if view.axis is None or view.one_date:
        return _cue_table(view) + _undrawn(view)
    note = _note(
        "Mean certainty per {}: (boosters − hedges) / (boosters + hedges), from −1 (only hedges) to +1 "
        "(only boosters).",
        view.axis.unit,
    )
    return (
        _cue_table(view) + note + _period_figures(view, "Certainty", ("hedged", "certain"), _certainty_dots)
    )


def _certainty_dots(r) -> list[tuple[float, str, str]]:
    cues = f"{r.hedges} hedge(s) and {r.boosters} booster(s)"
    tip = f"certainty {r.certainty:+.2f}, {cues} in {r.statements} statement(s)"
    return [(r.certainty, tip, "neg" if r.certainty < 0 else "dot")]


def _period_figures(view: _View, what: str, ends: tuple[str, str], series) -> Markup:
    """A figure per person of the per-period values ``series`` gives for a row of the tone table."""
    axis, tone = view.axis, view.positions.tone
    parts = []
    for person in view.people:
        dots = [
            Dot(
                0.02 + 0.96 * axis.x(r.period),
                float(value),
                f"#t{person.who}-{r.period}",
                f"{axis.name(r.period)}: {tip}",
                css,
            )
            for r in tone[tone["who"] == person.who].itertuples(index=False)
            for value, tip, css in series(r)
            if not missing(value)
        ]
        svg = time_dots(
            dots, f"{what} of {person.person}", axis.first.isoformat(), axis.last.isoformat(), ends
        )
        parts.append(
            Markup("<h3>{}</h3>{}").format(
                person.person, Markup(svg) if dots else _note("No dated statement has a score.")
            )
        )
    return Markup("").join(parts)


def _cue_table(view: _View) -> Markup:
    body = []
    for person in view.people:
        rows = view.of(person.who)
        hedges = Counter(c for r in rows for c in cues(getattr(r, "hedges", "")))
        boosters = Counter(c for r in rows for c in cues(getattr(r, "boosters", "")))
        hedged = sum(1 for r in rows if getattr(r, "epistemic", "") == "hedged")
        body.append(
            Markup(
                '<tr><th scope="row">{}</th><td data-label="Hedges">{}</td><td data-label="Boosters">{}</td>'
                '<td data-label="Hedged statements">{} of {}</td></tr>'
            ).format(person.person, _top(hedges), _top(boosters), hedged, len(rows))
        )
    return Markup(
        '<table class="roster"><thead><tr><th>Person</th><th>Hedges (most used)</th><th>Boosters (most used)'
        "</th><th>Hedged statements</th></tr></thead><tbody>{}</tbody></table>"
    ).format(Markup("").join(body))


def _top(counts: Counter, limit: int = 5) -> str:
    if not counts:
        return "none"
    return f"{sum(counts.values())}: " + ", ".join(f"{word} ({n})" for word, n in counts.most_common(limit))


def _requotes(view: _View) -> Markup:
    table = view.positions.requotes
    if table is None:
        return _note("Re-quotes were not searched for this page (no re-quote table was given).")
    if table.empty:
        return _note(
            "No re-quote involves these people: none of their statements was found in another article."
        )
    groups = sorted(
        table.groupby("group", sort=False),
        key=lambda g: (
            -int(g[1]["wording_differs"].any() or g[1]["speaker_differs"].any()),
            -len(g[1]),
            str(g[0]),
        ),
    )
    parts = [
        _note(
            "The same words in several articles. Each occurrence is compared with the wording most of them "
            "share: <del>words it lacks</del>, <ins>words it adds</ins>; a speaker other than the usual one "
            "is marked."
        )
    ]
    parts += [_group(view, group) for _, group in groups[:MAX_GROUPS]]
    if len(groups) > MAX_GROUPS:
        parts.append(_note("{} more re-quote group(s) are not shown.", len(groups) - MAX_GROUPS))
    return Markup("").join(parts)


def _group(view: _View, group: pd.DataFrame) -> Markup:
    usual = group["usual"].iloc[0]
    where = {(r.article_id, str(r.start)): r.anchor for r in view.rows.values()}
    items = []
    for row in group.sort_values(["date", "outlet"]).itertuples(index=False):
        speaker = (
            Markup('<span class="differs">{} (another speaker)</span>').format(row.speaker)
            if row.speaker_differs
            else Markup("{}").format(row.speaker)
        )
        anchor = where.get((row.article_id, str(row.start)))
        items.append(
            Markup('<li><p class="meta">{} · {} · {}{}{}</p><blockquote>{}</blockquote></li>').format(
                row.date or "no date",
                row.outlet or "no outlet",
                speaker,
                Markup(" · differs: {}").format(row.differs) if row.differs else "",
                Markup(' · <a href="#{}">the statement</a>').format(anchor) if anchor else "",
                _diff(row.text, usual) if row.wording_differs else Markup("{}").format(row.text),
            )
        )
    return Markup(
        '<article class="requote"><h3>{} occurrences: “{}”</h3><ol class="occurrences">{}</ol></article>'
    ).format(len(group), short(_usual_text(group), 80), Markup("").join(items))


def _usual_text(group: pd.DataFrame) -> str:
    """The group's usual wording as one of its occurrences writes it."""
    return str(group.loc[~group["wording_differs"], "text"].iloc[0])  # the usual wording is one of them


def _diff(text: str, usual: tuple[str, ...]) -> Markup:
    """The occurrence as written: its own extra words marked, the usual words it lacks struck."""
    text = str(text)
    spans = word_spans(text)
    matcher = difflib.SequenceMatcher(a=list(usual), b=[word for *_, word in spans], autojunk=False)
    out, at = [], 0
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        lacks = Markup("<del>{}</del>").format(" ".join(usual[a1:a2]))
        if op == "delete":
            out.append(Markup(" ") + lacks)
            continue
        start, end = spans[b1][0], spans[b2 - 1][1]
        out.append(Markup("{}").format(text[at:start]))
        if op == "replace":
            out.append(lacks + Markup(" "))
        piece = Markup("{}").format(text[start:end])
        out.append(piece if op == "equal" else Markup("<ins>{}</ins>").format(piece))
        at = end
    out.append(Markup("{}").format(text[at:]))
    return Markup("").join(out)


def _cell_lists(view: _View) -> Markup:
    if not view.marks:
        return _note("No cell has statements.")
    parts = []
    for (who, proposition), marks in view.cells.items():
        number = view.number[proposition]
        groups = []
        for (source, label), these in itertools.groupby(
            sorted(marks, key=lambda m: (m["source"] != PEOPLE, _ORDER[m["label"]])),
            key=lambda m: (m["source"], m["label"]),
        ):
            anchors = [m["anchor"] for m in these]
            links = Markup(" ").join(
                Markup('<a href="#{}">{}</a>').format(a, view.rows[a].date or "no date") for a in anchors
            )
            what = "mentions, no direction" if label == ADDRESSED else label
            groups.append(
                Markup('<h4>{} ({}): {}</h4><p class="dates">{}</p>').format(
                    what, _BY.get(source, "machine suggestions"), len(anchors), links
                )
            )
        parts.append(
            Markup('<section id="c{}-{}"><h3>{} on P{}</h3><p class="note">{}</p>{}</section>').format(
                who, number, view.name[who], number, proposition, Markup("").join(groups)
            )
        )
    return Markup("").join(parts)


_ORDER = {label: i for i, label in enumerate((*DIRECTIONS, ADDRESSED))}


def _statement_lists(view: _View) -> Markup:
    axis = view.axis
    badges = _badges(view)
    parts = [
        _note(
            "By person, then by {}, then by article. Statements reviewed by people say so; the others were "
            "found automatically.",
            axis.unit if axis else "date",
        )
    ]
    for person in view.people:
        periods = []
        for period, rows in _grouped(view.of(person.who), lambda r: r.period).items():
            articles = Markup("").join(
                Markup('<li class="src">{}</li>{}').format(
                    source_line(items[0], rel=False),
                    Markup("").join(_statement(r, badges.get(r.anchor, "")) for r in items),
                )
                for items in _grouped(rows, lambda r: r.article_id).values()
            )
            periods.append(
                Markup('<section id="t{}-{}"><h4>{}</h4><ul class="said">{}</ul></section>').format(
                    person.who,
                    period or "undated",
                    axis.name(period) if axis and period is not None else "No date",
                    articles,
                )
            )
        parts.append(
            Markup('<section id="p{}"><h3>{}</h3>{}</section>').format(
                person.who, person.person, Markup("").join(periods)
            )
        )
    return Markup("").join(parts)


def _grouped(rows: list, key) -> dict:
    """Rows by ``key``, in the order each key first appears."""
    found: dict = {}
    for row in rows:
        found.setdefault(key(row), []).append(row)
    return found


def _badges(view: _View) -> dict[str, Markup]:
    """Per statement: a chip per people's label, one dashed chip for its suggestions, one for its mentions."""
    found: dict[str, list[dict]] = {}
    for mark in view.marks:
        found.setdefault(mark["anchor"], []).append(mark)
    return {anchor: _statement_chips(view, marks) for anchor, marks in found.items()}


def _statement_chips(view: _View, marks: list[dict]) -> Markup:
    chips = [
        Markup('<span class="chip {}">P{} {}</span>').format(
            m["label"], view.number[m["proposition"]], m["label"]
        )
        for m in marks
        if m["source"] == PEOPLE
    ]
    suggested = [
        f"P{view.number[m['proposition']]} {m['label']}"
        for m in marks
        if m["source"] != PEOPLE and m["label"] != ADDRESSED
    ]
    mentions = [
        f"P{view.number[m['proposition']]}"
        for m in marks
        if m["source"] != PEOPLE and m["label"] == ADDRESSED
    ]
    if suggested:
        chips.append(Markup('<span class="chip suggested">suggested: {}</span>').format(", ".join(suggested)))
    if mentions:
        chips.append(
            Markup('<span class="chip suggested addressed">mentions {}</span>').format(", ".join(mentions))
        )
    return Markup("").join(chips)


def _statement(row, badges: Markup | str) -> Markup:
    return Markup('<li class="{}" id="{}">{} <span class="meta">({} · {}{})</span>{} {}</li>').format(
        row.kind,
        row.anchor,
        in_context(row) if getattr(row, "context", "") else Markup("{}").format(row.text),
        row.kind,
        f"“{row.cue}”" if row.cue else "no cue",
        Markup(" · as {}").format(row.affiliation) if row.affiliation else "",
        Markup(' <span class="badge people">reviewed by {}</span>').format(row.reviewed_by)
        if row.reviewed_by
        else "",
        badges,
    )


def _footer(view: _View) -> Markup:
    return Markup(
        '<footer class="note"><p>Made by expert-opinions {} from {} statement(s). Speakers and spans found '
        "automatically can be wrong; statements reviewed by people say so. Machine suggestions are leads, "
        "not findings. Tone and certainty are lexicon readings, shown beside stance, never as stance.</p>"
        "</footer>"
    ).format(__version__, len(view.rows))
