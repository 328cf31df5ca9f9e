"""Where a few people stand on a set of propositions across a coverage, and how that moves in time.

:func:`gather` reads the statements of the people compared from a corpus dataset (DuckDB over
its Parquet files, one person at a time: :mod:`utils.people.registry`) and joins what is known
about their stance:

* people's labels and machine suggestions from a long stance table ``article_id, id, topic,
  proposition, label, source`` (``source`` is ``people`` or ``suggestion``);
* the statements that mention a proposition's keywords (a topics table: ``topic, proposition,
  keywords``), as suggestions without a direction (label ``addressed``, shown as "mentions").

People stay in charge: a suggestion counts only for a statement people have not labelled on that
proposition, and a statement people called "not addressed" counts for nothing there. The
result, :class:`Positions`, holds tidy tables the comparison page, the notebook and the prose
are made from: the marks (one row per label or suggestion counted), the changes of stance
between dates (:func:`find_changes`), tone and certainty per period (:func:`tone_by_period`),
and the re-quotes that involve the people (:func:`requote_groups`).

Dates may be days, months or years (ISO 8601: ``2016-03-02``, ``2016-03``, ``2016``); figures
bin them on one shared :class:`Axis` by day, week, month, quarter or year, whichever keeps
the axis under about :data:`STEPS` periods, so a page stays small for thousands of statements.
"""

from __future__ import annotations

import calendar
import itertools
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from utils.errors import InputError
from utils.people.registry import build_registry, find_person, statements_by
from utils.schema import NOT_ADDRESSED
from utils.stance import ADDRESSED, matched_keywords

PEOPLE, SUGGESTION = "people", "suggestion"
DIRECTIONS = ("favor", "against", "mixed", "neutral")
STANCE_COLUMNS = ["article_id", "id", "topic", "proposition", "label", "source"]
TOPIC_COLUMNS = ["topic", "proposition", "keywords"]
REQUOTE_COLUMNS = ["group", "article_id", "outlet", "date", "speaker", "person_id", "text", "start", "end"]
STEPS = 24  # an axis has at most about this many periods
_UNITS = (("day", 1), ("week", 7), ("month", 31), ("quarter", 92))
_TEXT_COLUMNS = ("title", "outlet", "url", "date", "affiliation", "cue", "kind", "reviewed_by")
_WORD = re.compile(r"\w+(?:['’]\w+)*")


def tuples(frame: pd.DataFrame, columns: tuple[str, ...]) -> list[tuple]:
    """The rows of ``frame``'s ``columns`` as plain tuples (pandas' own row access is slow for thousands)."""
    return list(zip(*(frame[c].tolist() for c in columns), strict=True))


def date_range(text: object) -> tuple[date, date] | None:
    """The days an ISO date covers: '2016-03-02' one day, '2016-03' a month, '2016' a year; else None."""
    value = str(text or "").strip()[:10]
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            return day, day
        if len(value) == 7 and value[4] == "-":
            year, month = int(value[:4]), int(value[5:])
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        if len(value) == 4 and value.isdigit():
            return date(int(value), 1, 1), date(int(value), 12, 31)
    except ValueError:
        return None
    return None


@dataclass(frozen=True)
class Axis:
    """The shared date axis: its first and last day and the period statements are binned by."""

    first: date
    last: date
    unit: str  # day, week, month, quarter or year

    @classmethod
    def over(cls, days: list[date]) -> Axis:
        first, last = min(days), max(days)
        span = (last - first).days
        return cls(first, last, next((u for u, n in _UNITS if span / n <= STEPS), "year"))

    def period(self, day: date) -> date:
        """The first day of the period ``day`` falls in."""
        if self.unit == "week":
            return day - timedelta(days=day.weekday())
        if self.unit == "month":
            return day.replace(day=1)
        if self.unit == "quarter":
            return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
        if self.unit == "year":
            return day.replace(month=1, day=1)
        return day

    def name(self, start: date) -> str:
        """The period that begins on ``start``, as readers say it."""
        names = {
            "week": f"week of {start.isoformat()}",
            "month": start.strftime("%B %Y"),
            "quarter": f"{start.year} Q{(start.month - 1) // 3 + 1}",
            "year": str(start.year),
        }
        return names.get(self.unit, start.isoformat())

    def x(self, day: date) -> float:
        """Position of a day along the axis, 0 to 1 (the middle when the axis is one day)."""
        span = (self.last - self.first).days
        return 0.5 if span == 0 else min(max((day - self.first).days / span, 0.0), 1.0)


@dataclass
class Positions:
    """What is known of the people's stance, and the tables behind every view of it.

    ``people``: the registry rows of the people, in the order asked, with ``who`` (1, 2, ...);
    ``propositions``: in the order shown (P1, P2, ...); ``statements``: every statement of the
    people with ``who``, ``anchor``, ``day``, ``day_end`` and ``period``; ``marks``: one row per
    label or suggestion counted (``who, anchor, topic, proposition, label, source, day,
    day_end, period``); ``changes``: see :func:`find_changes`; ``tone``: see
    :func:`tone_by_period`; ``requotes``: see :func:`requote_groups` (None: no re-quote table
    was given); ``axis``: None when no statement has a date.
    """

    people: pd.DataFrame
    propositions: list[str]
    statements: pd.DataFrame
    marks: pd.DataFrame
    changes: pd.DataFrame
    tone: pd.DataFrame
    requotes: pd.DataFrame | None
    axis: Axis | None

    @property
    def nothing(self) -> list[str]:
        """The people none of whose statements is on any proposition."""
        found = set(self.marks["who"])
        return [p for w, p in zip(self.people["who"], self.people["person"], strict=True) if w not in found]

    def grid(self) -> pd.DataFrame:
        """One row per person and proposition: statements behind the cell, counts per source and label."""
        counts = Counter(tuples(self.marks, ("who", "proposition", "source", "label")))
        behind = self.marks.groupby(["who", "proposition"])["anchor"].nunique().to_dict()
        kinds = [(PEOPLE, label, f"people {label}") for label in DIRECTIONS]
        kinds += [(SUGGESTION, label, f"suggested {label}") for label in DIRECTIONS]
        kinds.append((SUGGESTION, ADDRESSED, "suggested mentions"))
        records = [
            [person, proposition, behind.get((who, proposition), 0)]
            + [counts[(who, proposition, source, label)] for source, label, _ in kinds]
            for who, person in zip(self.people["who"], self.people["person"], strict=True)
            for proposition in self.propositions
        ]
        return pd.DataFrame(records, columns=["person", "proposition", "statements", *(n for *_, n in kinds)])

    def change_list(self) -> pd.DataFrame:
        """The changes of stance as people read them: who, on what, from what to what, the two statements."""
        rows = self.statements.set_index("anchor")
        person = dict(zip(self.people["who"], self.people["person"], strict=True))
        return pd.DataFrame(
            {
                "person": [person[w] for w in self.changes["who"]],
                "proposition": self.changes["proposition"],
                "change": self.changes["before_label"] + " → " + self.changes["after_label"],
                "kind": self.changes["kind"],
                "from": self.changes["suggested"].map({False: "people's labels", True: "a suggestion"}),
                "before": rows.loc[self.changes["before"], "date"].to_numpy(),
                "statement before": rows.loc[self.changes["before"], "text"].to_numpy(),
                "after": rows.loc[self.changes["after"], "date"].to_numpy(),
                "statement after": rows.loc[self.changes["after"], "text"].to_numpy(),
            }
        )


def gather(
    dataset: str | Path,
    people: list[str],
    topics: pd.DataFrame | None = None,
    stance: pd.DataFrame | None = None,
    requotes: pd.DataFrame | None = None,
) -> Positions:
    """The positions of ``people`` (ids or names, each naming one person) in a corpus dataset."""
    found = resolve_people(dataset, people)
    rows = _statements(dataset, found)
    dated = [d for d in rows["day"] if d is not None]
    axis = Axis.over(dated) if dated else None
    rows["period"] = [axis.period(d) if axis and d is not None else None for d in rows["day"]]
    marks = _marks(rows, _table(topics, TOPIC_COLUMNS, "topics"), _table(stance, STANCE_COLUMNS, "stance"))
    registry = build_registry(dataset, only=[pid for pid, _ in found]).set_index("person_id")
    registry = registry.loc[[pid for pid, _ in found]].reset_index()
    registry.insert(0, "who", range(1, len(found) + 1))
    return Positions(
        people=registry,
        propositions=_propositions(topics, stance, marks),
        statements=rows,
        marks=marks,
        changes=find_changes(marks, rows),
        tone=tone_by_period(rows),
        requotes=None if requotes is None else requote_groups(requotes, set(registry["person_id"])),
        axis=axis,
    )


def most_quoted(dataset: str | Path, n: int = 4) -> list[str]:
    """The ids of the ``n`` people quoted most (experts first when there are two or more): whom to compare
    when nobody was named."""
    registry = build_registry(dataset)
    people = registry[registry["kind"] == "person"]
    experts = people[people["source_type"] == "expert"]
    return list((experts if len(experts) >= 2 else people)["person_id"][:n])


def resolve_people(dataset: str | Path, people: list[str]) -> list[tuple[str, str]]:
    """(person_id, person) per query; a query naming nobody or several people is the registry's one line."""
    if not people:
        raise InputError(dataset, "no person to compare was given", "name two or more people (ids or names)")
    found: dict[str, tuple[str, str]] = {}
    for query in people:
        person_id, person = find_person(dataset, query)
        if person_id in found:
            raise InputError(
                dataset,
                f"{query!r} and {found[person_id][0]!r} are the same person ({person_id})",
                "name each person once",
            )
        found[person_id] = (query, person)
    return [(pid, person) for pid, (_query, person) in found.items()]


def _statements(dataset: str | Path, found: list[tuple[str, str]]) -> pd.DataFrame:
    """Every statement of the people, in date order per person, with who said it, an anchor and its days."""
    parts = []
    for who, (person_id, _person) in enumerate(found, start=1):
        rows = statements_by(dataset, person_id).reset_index(drop=True)
        rows.insert(0, "anchor", [f"s{who}-{i}" for i in range(1, len(rows) + 1)])
        rows.insert(0, "who", who)
        parts.append(rows)
    rows = pd.concat(parts, ignore_index=True)
    for column in _TEXT_COLUMNS:
        rows[column] = rows[column].fillna("").astype(str) if column in rows.columns else ""
    ranges = [date_range(d) for d in rows["date"]]
    rows["day"] = pd.Series([r[0] if r else None for r in ranges], dtype=object)
    rows["day_end"] = pd.Series([r[1] if r else None for r in ranges], dtype=object)
    return rows


def _table(table: pd.DataFrame | None, columns: list[str], what: str) -> pd.DataFrame:
    """The columns a caller's table must have, as text; a missing column is one line."""
    if table is None:
        return pd.DataFrame(columns=columns, dtype=object)
    absent = [c for c in columns if c not in table.columns and not (what == "topics" and c == "keywords")]
    if absent:
        raise InputError(
            None,
            f"the {what} table has no column(s) {', '.join(absent)}",
            f"give the columns {', '.join(columns)}",
        )
    table = table.reindex(columns=columns).fillna("")
    return table.astype(str).astype(object)


def _marks(rows: pd.DataFrame, topics: pd.DataFrame, stance: pd.DataFrame) -> pd.DataFrame:
    """The labels and suggestions that count, in the order of the statements."""
    _check_values(stance)
    keyed = rows[["article_id", "id", "anchor", "who"]].astype({"article_id": object, "id": object})
    given = stance.merge(keyed, on=["article_id", "id"], how="inner")[
        ["who", "anchor", "topic", "proposition", "label", "source"]
    ]
    given = pd.concat([given, _mentions(rows, topics, given)], ignore_index=True)
    keys = list(zip(given["anchor"], given["proposition"], strict=True))
    sources, labels = given["source"].tolist(), given["label"].tolist()
    by_people = {k for k, s in zip(keys, sources, strict=True) if s == PEOPLE}
    keep = [
        label != NOT_ADDRESSED and (source == PEOPLE or k not in by_people)
        for k, source, label in zip(keys, sources, labels, strict=True)
    ]
    counted = given[pd.Series(keep, index=given.index, dtype=bool)].drop_duplicates(
        ["anchor", "proposition", "label", "source"]
    )
    position = dict(zip(rows["anchor"], range(len(rows)), strict=True))
    counted = counted.iloc[counted["anchor"].map(position).argsort(kind="stable")].reset_index(drop=True)
    days = rows.set_index("anchor")[["day", "day_end", "period"]]
    return counted.join(days, on="anchor")


def _check_values(stance: pd.DataFrame) -> None:
    sources = set(stance["source"]) - {PEOPLE, SUGGESTION}
    labels = set(stance["label"]) - {*DIRECTIONS, NOT_ADDRESSED, ADDRESSED}
    if sources:
        raise InputError(None, f"stance source {sorted(sources)[0]!r} is unknown", "use people or suggestion")
    if labels:
        raise InputError(
            None,
            f"stance label {sorted(labels)[0]!r} is unknown",
            "use favor, against, mixed, neutral or not addressed (addressed: a suggestion without direction)",
        )


def _mentions(rows: pd.DataFrame, topics: pd.DataFrame, given: pd.DataFrame) -> pd.DataFrame:
    """Statements that mention a topic's keywords and carry no label or suggestion on it yet."""
    seen = set(zip(given["anchor"], given["proposition"], strict=True))
    statements = list(
        zip(rows["who"].tolist(), rows["anchor"].tolist(), rows["text"].astype(str).tolist(), strict=True)
    )
    found = [
        (who, anchor, topic.topic, topic.proposition, ADDRESSED, SUGGESTION)
        for topic in topics.itertuples(index=False)
        if topic.keywords.strip()
        for who, anchor, text in statements
        if (anchor, topic.proposition) not in seen and matched_keywords(text, topic.keywords)
    ]
    return pd.DataFrame(found, columns=given.columns, dtype=object)


def _propositions(topics: pd.DataFrame | None, stance: pd.DataFrame | None, marks: pd.DataFrame) -> list[str]:
    """The topics table's propositions in its order, then the others the marks name, in the stance table's."""
    listed = [] if topics is None or not len(topics) else [str(p) for p in topics["proposition"]]
    named = set(marks["proposition"])
    given = [] if stance is None or not len(stance) else [p for p in stance["proposition"] if p in named]
    return list(dict.fromkeys([*listed, *given, *marks["proposition"]]))


CHANGE_COLUMNS = ["who", "proposition", "kind", "suggested", "before", "after"]
CHANGE_COLUMNS += ["before_label", "after_label", "before_source", "after_source"]


@dataclass(frozen=True)
class _Mark:
    anchor: str
    label: str
    source: str
    rank: tuple[bool, int]


def find_changes(marks: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """Where a person's stance on a proposition changed between two dates.

    The labels are grouped by the date they carry; two consecutive dates whose label sets
    share nothing are a change (favor <-> against a ``reversal``, any other a ``shift``). A
    date that is only a month or a year is compared only with dates it cannot overlap. People's
    labels are read first; then once more with the suggestions for the statements people did not
    label, and the changes that rest on a suggestion are added, marked ``suggested``. Each
    change names one statement on each side (people's before suggestions, then the earliest).
    """
    order = dict(zip(rows["anchor"], range(len(rows)), strict=True))
    days: dict[tuple[int, str], dict[tuple[date, date], list[_Mark]]] = {}
    columns = ("who", "proposition", "day", "day_end", "anchor", "label", "source")
    for who, proposition, day, end, anchor, label, source in tuples(marks, columns):
        if label in DIRECTIONS and day is not None:
            mark = _Mark(anchor, label, source, (source != PEOPLE, order[anchor]))
            days.setdefault((who, proposition), {}).setdefault((day, end), []).append(mark)
    records = []
    for (who, proposition), by_day in days.items():
        dated = sorted(by_day.items())
        people = [(d, ms) for d, ms in ((d, [m for m in ms if m.source == PEOPLE]) for d, ms in dated) if ms]
        found = [(False, c) for c in _changes_in(people)]
        found += [(True, c) for c in _changes_in(dated) if c[3]]
        for suggested, (kind, before, after, _) in found:
            sides = (before.anchor, after.anchor, before.label, after.label, before.source, after.source)
            records.append((who, proposition, kind, suggested, *sides))
    return pd.DataFrame(records, columns=CHANGE_COLUMNS).astype({"suggested": bool})


def _changes_in(days: list[tuple[tuple[date, date], list[_Mark]]]) -> list[tuple[str, _Mark, _Mark, bool]]:
    """(kind, a mark before, a mark after, whether either date has a suggestion) per change."""
    changes = []
    for ((_, end), one), ((start, _), two) in itertools.pairwise(days):
        before, after = {m.label for m in one}, {m.label for m in two}
        if end >= start or before & after:
            continue
        reversal = ("favor" in before and "against" in after) or ("against" in before and "favor" in after)
        suggested = any(m.source != PEOPLE for m in (*one, *two))
        first = min(one, key=lambda m: m.rank), min(two, key=lambda m: m.rank)
        changes.append(("reversal" if reversal else "shift", *first, suggested))
    return changes


def tone_by_period(rows: pd.DataFrame) -> pd.DataFrame:
    """Per person and period: statements, mean VADER, TextBlob and certainty, hedges and boosters counted."""
    dated = rows[rows["period"].notna()]
    frame = pd.DataFrame(
        {
            "who": dated["who"],
            "period": dated["period"],
            "anchor": dated["anchor"],
            **{
                name: pd.to_numeric(dated[column], errors="coerce") if column in dated else float("nan")
                for name, column in (
                    ("vader", "vader_compound"),
                    ("textblob", "tb_polarity"),
                    ("certainty", "certainty"),
                )
            },
            **{
                name: [len(cues(v)) for v in dated[name]] if name in dated else 0
                for name in ("hedges", "boosters")
            },
        }
    )
    table = frame.groupby(["who", "period"], sort=True).agg(
        statements=("anchor", "size"),
        vader=("vader", "mean"),
        textblob=("textblob", "mean"),
        certainty=("certainty", "mean"),
        hedges=("hedges", "sum"),
        boosters=("boosters", "sum"),
    )
    return table.reset_index()


def cues(value: object) -> list[str]:
    """The cue words of a ``hedges`` or ``boosters`` cell ('may; might')."""
    return [c.strip() for c in str(value or "").split(";") if c.strip()]


def word_spans(text: object) -> list[tuple[int, int, str]]:
    """(start, end, word) for each word of ``text``, the word lower case with apostrophes unified."""
    return [(m.start(), m.end(), m.group().lower().replace("’", "'")) for m in _WORD.finditer(str(text))]


def words(text: object) -> list[str]:
    """The words two wordings of one quote are compared by (see :func:`word_spans`)."""
    return [word for _, _, word in word_spans(text)]


def requote_groups(requotes: pd.DataFrame, person_ids: set[str]) -> pd.DataFrame:
    """The re-quote groups with an occurrence by one of ``person_ids``, and how each occurrence differs.

    ``requotes`` has one row per occurrence (:data:`REQUOTE_COLUMNS`, optionally ``differs``,
    ``title`` and ``url``). Each occurrence is compared with its group's usual wording (the one
    most occurrences share) and usual speaker: ``wording_differs``, ``speaker_differs``.
    """
    table = _table(requotes, REQUOTE_COLUMNS, "re-quotes")
    for column in ("differs", "title", "url"):
        table[column] = requotes[column].fillna("").astype(str).tolist() if column in requotes else ""
    table = table[table["group"].isin(set(table.loc[table["person_id"].isin(person_ids), "group"]))]
    table = table.assign(wording=[tuple(words(t)) for t in table["text"]]).reset_index(drop=True)
    usual_words = table.groupby("group", sort=False)["wording"].agg(lambda w: Counter(w).most_common(1)[0][0])
    usual_speaker = table.groupby("group", sort=False)["person_id"].agg(
        lambda p: Counter(p).most_common(1)[0][0]
    )
    table["usual"] = [usual_words[g] for g in table["group"]]
    table["wording_differs"] = [w != u for w, u in zip(table["wording"], table["usual"], strict=True)]
    table["speaker_differs"] = [
        p != usual_speaker[g] for p, g in zip(table["person_id"], table["group"], strict=True)
    ]
    return table
