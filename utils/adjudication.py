"""Several people reviewed the same article: where they disagree, one person settles it; accept takes it.

Every person's store (:mod:`utils.annotations`) is read as it is on disk. Statements are lined
up by id (the rows everyone started from) or, for rows people added, by their span; a person's
version counts as a judgement when they reviewed the row, deleted it, or added it (a row one
person added is a row the others did not). Stance labels are lined up by statement and topic,
among the people who labelled that statement (its topics without a row: *not addressed*). Where
the judgements differ there is a disagreement; where they agree, that is the result, reviewed by
every one of them.

The person settling (the adjudicator) picks one version or label, drops a statement, or edits
it; each decision is kept in ``data/annotations/<article>/adjudication/decisions.csv`` (written
through the one table writer, atomically, with a lock and undo, like a store) together with a
fingerprint of the versions it settled: if someone changes their work afterwards, that
disagreement is open again. :func:`result` builds the tables ``opinions accept`` writes, with
``reviewed_by`` naming everyone who reviewed each statement (the adjudicator too when they
decided it), and refuses while a disagreement is open.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from utils import locks, schema
from utils.annotations import (
    TABLES,
    TOPIC_COLUMNS,
    Merged,
    annotation_path,
    annotations_dir,
    annotators,
    check_annotator,
    default_annotator,
    now,
    read_annotation,
)
from utils.articles import bundled_article
from utils.curation import load_curation
from utils.errors import InputError
from utils.spreadsheet import write_table
from utils.statements import CURATED

JUDGED = ["speaker", "affiliation", "kind", "start", "end", "text"]  # what people can disagree on
KEPT = [*JUDGED, "cue", "rule", "confidence"]
NAMES_SEPARATOR = "; "  # reviewed_by lists every reviewer: "ann; ben"
DECISION_COLUMNS = ["key", "topic", "choice", *KEPT, "label", "rationale", "versions", "decided_by", "time"]
DROP = "drop"
READING_ORDER = ["start", "end", "id"]


def adjudication_dir(article_id: str) -> Path:
    return annotations_dir(article_id) / "adjudication"


@dataclass(frozen=True)
class Unit:
    """One statement as the people left it: ``versions`` maps each person with a judgement to their row
    (the KEPT fields) or None (they dropped it, or never added it); ``first`` is the row to start from."""

    key: str
    versions: dict[str, dict[str, object] | None]
    first: dict[str, object]
    ids: dict[str, str]  # each person's id of the row
    reviewers: list[str]

    @property
    def agreed(self) -> bool:
        judged = [None if v is None else tuple(v[c] for c in JUDGED) for v in self.versions.values()]
        return len(set(judged)) <= 1

    @property
    def start(self) -> int:
        return int(self.first["start"])

    @property
    def shown_id(self) -> str:
        """The id people see: the row's own, or (a row someone added) the first adder's."""
        return self.key if not self.key.startswith("+") else next(iter(self.ids.values()))


@dataclass(frozen=True)
class LabelUnit:
    """One statement and topic: each person's label (among those who labelled the statement)."""

    key: str
    topic: str
    labels: dict[str, str]
    rationales: dict[str, str]
    shown_id: str

    @property
    def agreed(self) -> bool:
        return len(set(self.labels.values())) <= 1


def fingerprint(versions: object) -> str:
    """What a decision settled: when the versions change, the decision no longer holds."""
    return hashlib.sha256(json.dumps(versions, sort_keys=True, default=str).encode()).hexdigest()[:16]


@dataclass
class Merge:
    """Everyone's work on an article, lined up: statement and label units, and the topics."""

    article_id: str
    names: list[str]
    units: list[Unit]
    labels: list[LabelUnit]
    topics: pd.DataFrame

    def disagreements(self) -> list[Unit | LabelUnit]:
        """Statements, then each statement's labels, in reading order."""
        order = {u.key: i for i, u in enumerate(self.units)}
        items: list[Unit | LabelUnit] = [u for u in self.units if not u.agreed]
        items += [x for x in self.labels if not x.agreed]
        return sorted(
            items, key=lambda x: (order.get(x.key, 0), isinstance(x, LabelUnit), getattr(x, "topic", ""))
        )


def merge(article_id: str, names: list[str]) -> Merge:
    """Line up the named people's statements and labels (see the module docstring)."""
    article = bundled_article(article_id)
    base = set(load_curation(article).statements["id"])
    tables = {n: {t: read_annotation(_path(article_id, n, t), t) for t in TABLES} for n in names}
    rows: dict[str, dict[str, tuple[str, dict]]] = {}  # key -> name -> (their id, row)
    for name in names:
        for row in tables[name]["statements"].to_dict("records"):
            key = row["id"] if row["id"] in base else f"+{row['start']}-{row['end']}"
            rows.setdefault(key, {})[name] = (row["id"], row)
    units = []
    for key, held in rows.items():
        versions = {}
        for name in names:
            if name in held:
                row = held[name][1]
                if row["reviewed_by"]:
                    versions[name] = {c: _plain(row[c]) for c in KEPT}
            else:
                versions[name] = None  # deleted it, or did not add it: a judgement either way
        first = next(held[n][1] for n in names if n in held)
        reviewers = [n for n in names if versions.get(n) is not None]
        ids = {n: held[n][0] for n in names if n in held}
        units.append(Unit(key, versions, {c: _plain(first[c]) for c in KEPT}, ids, reviewers))
    units.sort(key=lambda u: (u.start, u.key))
    return Merge(article_id, names, units, _label_units(names, tables, units), _topics(names, tables))


def _path(article_id: str, name: str, table: str) -> Path:
    path = annotation_path(article_id, name, table)
    if not path.is_file():
        raise InputError(path, f"is missing ({name}'s {table})", "open the workbench once to recreate it")
    return path


def _plain(value: object) -> object:
    return value.item() if hasattr(value, "item") else value


def _label_units(names: list[str], tables: dict, units: list[Unit]) -> list[LabelUnit]:
    key_of = {(n, sid): u.key for u in units for n, sid in u.ids.items()}
    shown = {u.key: u.shown_id for u in units}
    topics = {t for n in names for t in tables[n]["topics"]["topic"]}
    found: dict[tuple[str, str], LabelUnit] = {}
    for name in names:
        stance = tables[name]["stance"]
        for sid in dict.fromkeys(stance["id"]):
            key = key_of.get((name, sid))
            if key is None:
                continue
            given = stance[stance["id"] == sid].set_index("topic")
            for topic in sorted(topics):
                unit = found.setdefault((key, topic), LabelUnit(key, topic, {}, {}, shown[key]))
                unit.labels[name] = (
                    given.loc[topic, "label"] if topic in given.index else schema.NOT_ADDRESSED
                )
                unit.rationales[name] = given.loc[topic, "rationale"] if topic in given.index else ""
    return list(found.values())


def _topics(names: list[str], tables: dict) -> pd.DataFrame:
    """The first person's topics, then topics only others added."""
    frames = [tables[n]["topics"][TOPIC_COLUMNS] for n in names]
    return pd.concat(frames, ignore_index=True).drop_duplicates("topic").reset_index(drop=True).astype(str)


# ---------------------------------------------------------------- the decisions


@dataclass
class Adjudication:
    """The disagreements between ``names`` and what ``adjudicator`` decided; every decision saved at once."""

    article_id: str
    names: list[str]
    adjudicator: str
    merged: Merge
    decisions: pd.DataFrame
    token: str = field(default_factory=lambda: uuid.uuid4().hex)
    _undo: list[pd.DataFrame] = field(default_factory=list)
    _locked: bool = False

    @property
    def path(self) -> Path:
        return adjudication_dir(self.article_id) / "decisions.csv"

    def items(self) -> list[Unit | LabelUnit]:
        return self.merged.disagreements()

    def decision(self, item: Unit | LabelUnit) -> dict[str, object] | None:
        """What was decided for a disagreement, if it still holds (the versions are as they were)."""
        topic = getattr(item, "topic", "")
        hit = self.decisions[(self.decisions["key"] == item.key) & (self.decisions["topic"] == topic)]
        if hit.empty or hit["versions"].iloc[0] != _versions(item):
            return None
        return hit.iloc[0].to_dict()

    def pending(self) -> list[Unit | LabelUnit]:
        return [x for x in self.items() if self.decision(x) is None]

    def decide(self, item: Unit | LabelUnit, choice: str, **values: object) -> None:
        """Record a decision: a person's name (their version or label), ``drop``, ``edited`` or ``label``."""
        topic = getattr(item, "topic", "")
        row = {c: "" for c in DECISION_COLUMNS}
        row.update({k: "" if v is None else str(v) for k, v in values.items()})
        row |= {"key": item.key, "topic": topic, "choice": choice, "versions": _versions(item)}
        row |= {"decided_by": self.adjudicator, "time": now()}
        kept = self.decisions[~((self.decisions["key"] == item.key) & (self.decisions["topic"] == topic))]
        self._save(pd.concat([kept, pd.DataFrame([row], columns=DECISION_COLUMNS)], ignore_index=True))

    def undo(self) -> bool:
        if not self._undo:
            return False
        self._save(self._undo.pop(), remember=False)
        return True

    def _save(self, frame: pd.DataFrame, remember: bool = True) -> None:
        self._lock()
        write_table(self.path, frame[DECISION_COLUMNS].astype(str))
        if remember:
            self._undo.append(self.decisions)
        self.decisions = frame.reset_index(drop=True)

    def _lock(self) -> None:
        if self._locked:
            return
        path = adjudication_dir(self.article_id) / "decisions.lock"
        path.parent.mkdir(parents=True, exist_ok=True)
        holder = locks.acquire(path, self.token, take_from_this_process=True)
        if holder is not None:
            raise InputError(
                path, f"the adjudication is open in {holder.describe()}", "close that session first"
            )
        self._locked = True
        atexit.register(lambda: locks.release(path, self.token))

    def row(self, unit: Unit) -> dict[str, object] | None:
        """The statement as it stands: decided, agreed, or (undecided) the first version; None: dropped."""
        decided = self.decision(unit) if not unit.agreed else None
        if decided is not None:
            if decided["choice"] == DROP:
                return None
            return {c: _typed(c, decided[c]) for c in KEPT}
        if unit.agreed:
            judged = [v for v in unit.versions.values()]
            if judged and judged[0] is None:
                return None
            return dict(judged[0]) if judged else dict(unit.first)
        present = [v for v in unit.versions.values() if v is not None]
        return dict(present[0]) if present else dict(unit.first)

    def label(self, unit: LabelUnit) -> tuple[str, str]:
        """The label as it stands, with its rationale (decided, agreed, or the first person's)."""
        decided = self.decision(unit) if not unit.agreed else None
        if decided is not None:
            return str(decided["label"]), str(decided["rationale"])
        label = next(iter(unit.labels.values()))
        reasons = [r for n, r in unit.rationales.items() if r and unit.labels[n] == label]
        who = [n for n, v in unit.labels.items() if v == label]
        return label, reasons[0] if reasons else f"labelled by {', '.join(who)}; no reason given"


def _typed(column: str, value: object) -> object:
    if column in ("start", "end"):
        return int(value)
    if column == "confidence":
        return float(value or 0.0)
    return str(value)


def _versions(item: Unit | LabelUnit) -> str:
    return fingerprint(item.versions if isinstance(item, Unit) else item.labels)


def open_adjudication(
    article_id: str, names: list[str] | None = None, adjudicator: str | None = None
) -> Adjudication:
    """The disagreements between the named people (default: everyone who annotated the article)."""
    found = annotators(article_id)
    chosen = list(dict.fromkeys(names or found))
    for name in chosen:
        if name not in found:
            raise InputError(
                annotations_dir(article_id), f"no annotations by {name!r}", f"use one of: {', '.join(found)}"
            )
    if len(chosen) < 2:
        raise InputError(
            annotations_dir(article_id),
            f"only {len(chosen)} person annotated it ({', '.join(chosen) or 'nobody'}): nothing to settle",
            "accept their work with opinions accept",
        )
    who = check_annotator(adjudicator or default_annotator())
    path = adjudication_dir(article_id) / "decisions.csv"
    decisions = (
        schema.read_table(path, _DECISIONS_SCHEMA, "adjudication decisions")[DECISION_COLUMNS]
        if path.is_file()
        else pd.DataFrame(columns=DECISION_COLUMNS, dtype=str)
    )
    return Adjudication(article_id, chosen, who, merge(article_id, chosen), decisions)


_DECISIONS_SCHEMA = schema.pa.DataFrameSchema({c: schema.pa.Column(str) for c in DECISION_COLUMNS})


# ---------------------------------------------------------------- the result accept takes


def result(adjudication: Adjudication) -> Merged:
    """The curated tables: agreed and decided statements and labels; refuses while any is open."""
    open_items = adjudication.pending()
    if open_items:
        raise InputError(
            annotations_dir(adjudication.article_id),
            f"{len(open_items)} disagreement(s) between {', '.join(adjudication.names)} not settled: "
            + "; ".join(describe(x) for x in open_items[:6])
            + (" …" if len(open_items) > 6 else ""),
            "settle them in the adjudication view (opinions review ARTICLE --adjudicate), "
            "or accept with --from one name",
        )
    rows, id_of, used = [], {}, set()
    for unit in adjudication.merged.units:
        row = adjudication.row(unit)
        if row is None:
            continue
        sid = unit.key if not unit.key.startswith("+") else _free_id(unit, used)
        used.add(sid)
        id_of[unit.key] = sid
        decided = adjudication.decision(unit) if not unit.agreed else None
        reviewers = list(unit.reviewers) + ([str(decided["decided_by"])] if decided else [])
        reviewed = NAMES_SEPARATOR.join(dict.fromkeys(reviewers))
        rows.append({"id": sid, **row, schema.REVIEWED_BY: reviewed})
    statements = pd.DataFrame(rows, columns=CURATED.columns).astype(CURATED.dtypes)
    statements = statements.sort_values(READING_ORDER, kind="stable").reset_index(drop=True)
    labels = []
    for unit in adjudication.merged.labels:
        if unit.key in id_of:
            label, rationale = adjudication.label(unit)
            labels.append(
                {"id": id_of[unit.key], "topic": unit.topic, "label": label, "rationale": rationale}
            )
    stance = pd.DataFrame(labels, columns=schema.STANCE_COLUMNS).astype(str)
    return Merged(statements, stance, adjudication.merged.topics, adjudication_dir(adjudication.article_id))


def _free_id(unit: Unit, used: set[str]) -> str:
    for sid in unit.ids.values():
        if sid not in used:
            return sid
    number = max((int(s[1:]) for s in used if s[1:].isdigit()), default=0) + 1
    return f"s{number:02d}"


def describe(item: Unit | LabelUnit) -> str:
    """One disagreement for a message: 's05 (speaker)' or 's01/kursk_value (ann: favor, ben: mixed)'."""
    if isinstance(item, LabelUnit):
        return (
            f"{item.shown_id}/{item.topic} (" + ", ".join(f"{n}: {v}" for n, v in item.labels.items()) + ")"
        )
    present = [v for v in item.versions.values() if v is not None]
    if len(present) < len(item.versions):
        kept = [n for n, v in item.versions.items() if v]
        others = [n for n in item.versions if n not in kept]
        return f"{item.shown_id} (kept by {', '.join(kept)}, not by {', '.join(others)})"
    fields = [c for c in JUDGED if len({str(v[c]) for v in present}) > 1]
    return f"{item.shown_id} ({', '.join(fields)})"


def merged_for_accept(article_id: str, names: list[str]) -> Merged:
    """What ``opinions accept --from A --from B`` writes: the people's agreed work and the decisions."""
    return result(open_adjudication(article_id, names))
