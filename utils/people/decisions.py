"""People's decisions about the registry: merge two ids, split one, rename, set a source type.

The machine's clustering (:mod:`utils.people.cluster`) is a proposal; these decisions are what
people own. They live in ``people.decisions.csv`` in the coverage's articles folder, beside
``MANIFEST.csv`` (see data/README.md, "People decisions"), one decision per row, applied in
file order on every later run and by every reader of a corpus dataset. The tool never
overwrites the file: a decision made through ``opinions people --merge/--split/...`` or the
workbench's people view is appended with :func:`record_decision` (and taken back, by the person who
made it, with :func:`undo_decision`), and the previous version is kept under ``.people-history/`` in
the same folder.

Columns: ``action`` (merge, split, rename, type, not-a-person), ``person_id`` (the id the
decision is about), ``value`` (merge: the id folded into ``person_id``; split: a name form or an
article id whose rows become a person of their own; rename: the name to show; type: a source
type), ``note``, ``by`` and ``time``. Applying a decision is idempotent, so applying the whole
table again to a dataset that already went through it changes nothing.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from utils import schema, spreadsheet
from utils.errors import TableError
from utils.people.cluster import Identity
from utils.people.roles import SOURCE_TYPES

DECISIONS_FILE = "people.decisions.csv"
HISTORY_FOLDER = ".people-history"
ACTIONS = ("merge", "split", "rename", "type", "not-a-person")
COLUMNS = ["action", "person_id", "value", "note", "by", "time"]
_NEEDS_VALUE = ("merge", "split", "rename", "type")
DECISIONS_SCHEMA = pa.DataFrameSchema(
    {
        "action": pa.Column(str, pa.Check.isin(ACTIONS, error="must be one of: " + ", ".join(ACTIONS))),
        "person_id": pa.Column(
            str, pa.Check.str_matches(r"^[po]-\S+$", error="must be a person id such as p-hillary-clinton")
        ),
        "value": pa.Column(str),
        "note": pa.Column(str, required=False),
        "by": pa.Column(str, required=False),
        "time": pa.Column(str, required=False),
    },
    metadata={"optional": {"note": "", "by": "", "time": ""}},
)


@dataclass(frozen=True)
class Decision:
    """One row of the decisions table."""

    action: str
    person_id: str
    value: str = ""
    note: str = ""
    by: str = ""
    time: str = ""


@dataclass(frozen=True)
class Applied:
    """Identities after the decisions, the source types people set, and decisions that found no id."""

    identities: dict[tuple[str, str], Identity]
    types: dict[str, str]
    unused: tuple[Decision, ...]


def read_decisions(path: str | Path) -> list[Decision]:
    """The decisions in ``path`` (none if the file does not exist), checked row by row."""
    path = Path(path)
    if not path.exists() and not path.is_symlink():
        return []
    frame = schema.read_table(path, DECISIONS_SCHEMA, "people decisions")
    decisions = [Decision(**{c: str(row[c]) for c in COLUMNS}) for row in frame.to_dict("records")]
    for number, decision in enumerate(decisions, start=2):
        _check(decision, path, number)
    return decisions


def _check(decision: Decision, path: Path, number: int) -> None:
    if decision.action in _NEEDS_VALUE and not decision.value.strip():
        raise TableError(
            path, f"row {number}: a {decision.action} needs a value", _VALUE_HELP[decision.action]
        )
    if decision.action == "type" and decision.value not in SOURCE_TYPES:
        raise TableError(
            path,
            f"row {number}: {decision.value!r} is not a source type",
            "use one of: " + ", ".join(SOURCE_TYPES),
        )
    if decision.action == "merge" and decision.value == decision.person_id:
        raise TableError(
            path, f"row {number}: merges {decision.person_id} with itself", "name two different ids"
        )


_VALUE_HELP = {
    "merge": "put the id to fold into person_id in the value column",
    "split": "put the name form or the article id whose rows are someone else in the value column",
    "rename": "put the name to show in the value column",
    "type": "put one of " + ", ".join(SOURCE_TYPES) + " in the value column",
}


def apply_decisions(identities: Mapping[tuple[str, str], Identity], decisions: list[Decision]) -> Applied:
    """The identities of (article_id, speaker) pairs after every decision, in order."""
    current = dict(identities)
    types: dict[str, str] = {}
    unused = []
    for decision in decisions:
        ids = {identity.person_id for identity in current.values()}
        if decision.person_id not in ids and not (decision.action == "merge" and decision.value in ids):
            unused.append(decision)
            continue
        current = _APPLY[decision.action](current, decision, types)
    return Applied(current, types, tuple(unused))


def _merge(current: dict, decision: Decision, types: dict) -> dict:
    keep = next((i for i in current.values() if i.person_id == decision.person_id), None)
    if keep is None:  # the kept id is gone (already merged elsewhere): nothing to fold into
        return current
    return {k: replace(keep) if i.person_id == decision.value else i for k, i in current.items()}


def _split(current: dict, decision: Decision, types: dict) -> dict:
    new_id = f"{decision.person_id}~{hashlib.sha256(decision.value.encode()).hexdigest()[:6]}"
    out = {}
    for (article, speaker), identity in current.items():
        moved = identity.person_id == decision.person_id and decision.value in (article, speaker)
        out[(article, speaker)] = Identity(new_id, speaker, identity.kind) if moved else identity
    return out


def _rename(current: dict, decision: Decision, types: dict) -> dict:
    return {
        k: replace(i, person=decision.value) if i.person_id == decision.person_id else i
        for k, i in current.items()
    }


def _type(current: dict, decision: Decision, types: dict) -> dict:
    types[decision.person_id] = decision.value
    return current


def _not_a_person(current: dict, decision: Decision, types: dict) -> dict:
    return {
        k: Identity("", "", "nobody") if i.person_id == decision.person_id else i for k, i in current.items()
    }


_APPLY = {"merge": _merge, "split": _split, "rename": _rename, "type": _type, "not-a-person": _not_a_person}


def decisions_frame(decisions: list[Decision]) -> pd.DataFrame:
    """The decisions as the table people own (every column as text)."""
    rows = [[getattr(d, c) for c in COLUMNS] for d in decisions]
    return pd.DataFrame(rows, columns=COLUMNS, dtype="str")


def decisions_path(articles_folder: str | Path) -> Path:
    """Where a coverage's decisions live: beside its MANIFEST.csv, in the articles folder."""
    return Path(articles_folder) / DECISIONS_FILE


def record_decision(path: str | Path, decision: Decision) -> Path:
    """Append one decision; the previous table is first kept under ``.people-history/``.

    The one way the tool writes the table: it is read and checked first (a broken table is
    reported, never replaced), and written atomically, spreadsheet-safe.
    """
    path = Path(path)
    decisions = read_decisions(path)
    _check(decision, path, len(decisions) + 2)
    stamped = replace(decision, time=decision.time or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    return _write(path, [*decisions, stamped])


def undo_decision(path: str | Path, by: str) -> Decision | None:
    """Take back the last decision ``by`` made: it leaves the table, which is kept first under
    ``.people-history/`` as :func:`record_decision` keeps it. None (and nothing written) when the
    table holds no decision of theirs. Other people's decisions, before and after it, stay."""
    path = Path(path)
    decisions = read_decisions(path)
    theirs = [i for i, d in enumerate(decisions) if d.by == by]
    if not theirs:
        return None
    _write(path, decisions[: theirs[-1]] + decisions[theirs[-1] + 1 :])
    return decisions[theirs[-1]]


def _write(path: Path, decisions: list[Decision]) -> Path:
    """The whole table, checked before anything is written, after keeping the previous version."""
    table = schema.validate(decisions_frame(decisions), DECISIONS_SCHEMA, path)
    if path.exists():
        history = path.parent / HISTORY_FOLDER
        history.mkdir(exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        shutil.copy2(path, history / f"{path.stem}.{stamp}.csv")
    return spreadsheet.write_table(path, table)
