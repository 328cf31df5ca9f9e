"""People's decisions about a coverage's people registry, one person at a time: the people view's Python side.

``open_people_review(dataset, annotator)`` opens a corpus dataset (what ``opinions corpus -o``
wrote) with its registry (:func:`utils.people.registry.build_registry`), most quoted first, and
the decisions table of the articles folder it was made from (``people.decisions.csv``,
:mod:`utils.people.decisions`). Each decision is recorded there with the annotator as ``by``
(:func:`~utils.people.decisions.record_decision`, which keeps the previous table) and applied to
the dataset at once, so every later reader sees it.

Undo takes back the annotator's last decision (:func:`~utils.people.decisions.undo_decision`)
and puts the dataset back: before each decision is applied, who the speakers it changes were
is written to the annotator's journal, ``data/annotations/people/<dataset key>/<annotator>.undo.csv``
(``decision, article_id, speaker, person_id, person, kind``; a decision that changed no row has
one row with only its ``decision``), and undo restores them, then applies every decision that
remains. A decision made elsewhere (no journal rows) leaves the table, and the dataset keeps its
effect until the next ``opinions corpus`` run, which the notice says. One session at a time
makes decisions about a dataset (a lock in the same folder); another opens read-only.
"""

from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from utils import schema
from utils.errors import InputError
from utils.people.apply import dataset_identities, decisions_of, rewrite_identities, tool_dataset
from utils.people.cluster import Identity
from utils.people.decisions import (
    ACTIONS,
    Decision,
    apply_decisions,
    read_decisions,
    record_decision,
    undo_decision,
)
from utils.people.names import fold
from utils.people.registry import build_registry, statements_by
from utils.people.roles import SOURCE_TYPES
from utils.sessions import SessionLock, session_folder
from utils.spreadsheet import write_table

STATEMENTS_SHOWN = 4  # statements of a person shown in context, from different articles first
LIKELY_SHOWN = 8  # people offered as maybe the same
SEARCH_SHOWN = 12
SIMILAR = 0.8  # difflib ratio of two folded names for them to be offered as maybe one person
JOURNAL_COLUMNS = ["decision", "article_id", "speaker", "person_id", "person", "kind"]
JOURNAL_SCHEMA = pa.DataFrameSchema({c: pa.Column(str) for c in JOURNAL_COLUMNS})
SHOWN_DECISIONS = 5  # decisions about the person listed in the view, latest first


def decision_key(decision: Decision) -> str:
    """Which decision a journal row belongs to: a hash of the whole row (its time included)."""
    row = "\x1f".join([decision.action, decision.person_id, decision.value, decision.by, decision.time])
    return hashlib.sha256(row.encode("utf-8")).hexdigest()[:16]


def surname(name: str) -> str:
    """The last word of a folded name ("Hillary R. Clinton" -> "clinton"); '' for an empty name."""
    words = [w.strip(".,'") for w in fold(name).split()]
    words = [w for w in words if w]
    return words[-1] if words else ""


def _words(*texts: str) -> list[str]:
    return [w for text in texts for w in fold(text).replace(";", " ").split()]


@dataclass
class PeopleReview:
    """A coverage's registry and people's decisions about it; every decision recorded and applied at once."""

    dataset: Path
    annotator: str
    decisions_file: Path
    registry: pd.DataFrame = field(default_factory=pd.DataFrame)
    decisions: list[Decision] = field(default_factory=list)
    read_only: bool = False
    message: str = ""
    lock: SessionLock | None = None

    def __post_init__(self) -> None:
        self.lock = SessionLock(self.folder / "decisions.lock", "people's decisions about this dataset")
        self.message = self.lock.held_elsewhere()
        self.read_only = bool(self.message)
        self.refresh()

    @property
    def folder(self) -> Path:
        return session_folder("people", self.dataset)

    @property
    def journal_path(self) -> Path:
        return self.folder / f"{self.annotator}.undo.csv"

    def refresh(self) -> None:
        """Read the decisions table and rebuild the registry (source types people set included)."""
        self.decisions = read_decisions(self.decisions_file)
        types = {d.person_id: d.value for d in self.decisions if d.action == "type"}
        self.registry = build_registry(self.dataset, types=types).set_index("person_id", drop=False)

    def order(self) -> list[str]:
        """Person ids, most quoted first (the registry's order)."""
        return list(self.registry["person_id"])

    def person(self, person_id: str) -> dict[str, object]:
        if person_id not in self.registry.index:
            raise InputError(self.dataset, f"has no person {person_id!r}", "choose one from the list")
        return self.registry.loc[person_id].to_dict()

    # --- decisions

    def decide(self, action: str, person_id: str, value: str = "") -> str:
        """Record one decision by the annotator, apply it to the dataset, and say what it did."""
        decision = self._checked(action, person_id, " ".join(str(value).split()))
        self._writable()
        before = dataset_identities(self.dataset)
        record_decision(self.decisions_file, decision)
        after = apply_decisions(before, read_decisions(self.decisions_file)).identities
        changed = {k: i for k, i in after.items() if i != before[k]}
        self._journal_add(decision, {k: before[k] for k in changed})
        rows = rewrite_identities(self.dataset, changed)
        self.refresh()
        what = f"{action} {person_id}" + (f" {decision.value}" if decision.value else "")
        return f"{what}: recorded in {self.decisions_file.name}; {rows} statement(s) changed person"

    def undo(self) -> tuple[Decision, str]:
        """Take back the annotator's last decision and put the dataset back as it was before it; the
        decision taken back, and what was done."""
        self._writable()
        decision = undo_decision(self.decisions_file, self.annotator)
        if decision is None:
            raise InputError(None, f"{self.annotator} has no decision about this coverage to undo", "")
        journal = self._journal()
        mine = journal[journal["decision"] == decision_key(decision)]
        current = dataset_identities(self.dataset)
        restored = {
            (r.article_id, r.speaker): Identity(r.person_id, r.person, r.kind)
            for r in mine.itertuples(index=False)
            if r.article_id and (r.article_id, r.speaker) in current
        }
        after = apply_decisions({**current, **restored}, read_decisions(self.decisions_file)).identities
        rows = rewrite_identities(self.dataset, {k: i for k, i in after.items() if i != current[k]})
        self._journal_write(journal[journal["decision"] != decision_key(decision)])
        self.refresh()
        undone = f"undone: {decision.action} {decision.person_id} {decision.value}".rstrip()
        if mine.empty and decision.action != "type":
            kept = "made outside this view: the dataset keeps it until the next opinions corpus run"
            return decision, f"{undone} ({kept})"
        return decision, f"{undone}; {rows} statement(s) changed person back"

    def _checked(self, action: str, person_id: str, value: str) -> Decision:
        """The decision, or a one-line error before anything is written."""
        if action not in ACTIONS:
            raise InputError(None, f"unknown decision {action!r}", "use " + ", ".join(ACTIONS))
        self.person(person_id)
        if action == "merge" and (value == person_id or value not in self.registry.index):
            raise InputError(
                self.dataset, f"cannot merge {value!r} into {person_id}", "choose another person"
            )
        if action == "split" and value not in self.split_choices(person_id):
            raise InputError(None, f"{value!r} is neither a name form nor an article of {person_id}", "")
        if action == "type" and value not in SOURCE_TYPES:
            raise InputError(None, f"{value!r} is not a source type", "use one of " + ", ".join(SOURCE_TYPES))
        if action == "rename" and not value:
            raise InputError(None, "the new name must not be empty", "type a name")
        now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return Decision(
            action, person_id, value if action != "not-a-person" else "", by=self.annotator, time=now
        )

    def _writable(self) -> None:
        if self.read_only:
            raise InputError(self.lock.path, f"this session is read-only ({self.message})", "")
        self.lock.take()

    def _journal(self) -> pd.DataFrame:
        if not self.journal_path.is_file():
            return pd.DataFrame(columns=JOURNAL_COLUMNS, dtype="str")
        return schema.read_table(self.journal_path, JOURNAL_SCHEMA, "people view journal")[JOURNAL_COLUMNS]

    def _journal_add(self, decision: Decision, before: dict[tuple[str, str], Identity]) -> None:
        key = decision_key(decision)
        rows = [[key, a, s, i.person_id, i.person, i.kind] for (a, s), i in before.items()] or [
            [key, "", "", "", "", ""]
        ]
        added = pd.DataFrame(rows, columns=JOURNAL_COLUMNS, dtype="str")
        self._journal_write(pd.concat([self._journal(), added], ignore_index=True))

    def _journal_write(self, journal: pd.DataFrame) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        write_table(self.journal_path, journal[JOURNAL_COLUMNS].astype(str))

    # --- what the view shows of a person

    def counts(self, person_id: str) -> dict[str, int]:
        """Decisions by this annotator (about this person too) and by everyone."""
        about = [
            d for d in self.decisions if person_id in (d.person_id, d.value if d.action == "merge" else "")
        ]
        return {
            "mine": sum(d.by == self.annotator for d in self.decisions),
            "mine_here": sum(d.by == self.annotator for d in about),
            "everyone": len(self.decisions),
            "here": len(about),
        }

    def decisions_about(self, person_id: str) -> list[dict[str, str]]:
        """The latest decisions about this person (or folding someone into them)."""
        about = [
            d for d in self.decisions if person_id in (d.person_id, d.value if d.action == "merge" else "")
        ]
        return [d.__dict__ for d in reversed(about[-SHOWN_DECISIONS:])]

    def statements(self, person_id: str) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
        """A few statements in context (one per article first), and every article of the person with
        its statements counted (what a split by article offers)."""
        rows = statements_by(self.dataset, person_id).fillna("")
        firsts = rows.drop_duplicates("article_id")
        shown = pd.concat([firsts, rows.drop(firsts.index)]).head(STATEMENTS_SHOWN)
        columns = ["article_id", "id", "title", "outlet", "date", "speaker", "affiliation", "text", "context"]
        articles = rows.groupby("article_id", sort=False).agg(
            title=("title", "first"),
            date=("date", "first"),
            outlet=("outlet", "first"),
            statements=("id", "size"),
        )
        return shown[columns].astype(str).to_dict("records"), articles.reset_index().to_dict("records")

    def split_choices(self, person_id: str) -> list[str]:
        """What a split may name: the person's name forms, then their articles."""
        aliases = [a for a in str(self.person(person_id)["aliases"]).split("; ") if a]
        articles = list(dict.fromkeys(statements_by(self.dataset, person_id)["article_id"]))
        return [*aliases, *articles]

    def likely_same(self, person_id: str) -> list[dict[str, object]]:
        """People who may be the same: the same surname (people), then a similar name, most quoted first."""
        me = self.person(person_id)
        others = self.registry[
            (self.registry["person_id"] != person_id) & (self.registry["kind"] == me["kind"])
        ]
        mine = {surname(n) for n in [str(me["person"]), *str(me["aliases"]).split("; ")]} - {""}
        found: dict[str, str] = {}
        if me["kind"] == "person":
            for row in others.itertuples(index=False):
                if mine & {surname(n) for n in [row.person, *str(row.aliases).split("; ")]}:
                    found[row.person_id] = "same surname"
        names = {fold(str(p)): pid for pid, p in zip(others["person_id"], others["person"], strict=True)}
        for name in difflib.get_close_matches(
            fold(str(me["person"])), list(names), n=LIKELY_SHOWN, cutoff=SIMILAR
        ):
            found.setdefault(names[name], "similar name")
        ranked = sorted(
            found, key=lambda pid: (found[pid] != "same surname", -int(self.registry.at[pid, "statements"]))
        )
        return [self._brief(pid, found[pid]) for pid in ranked[:LIKELY_SHOWN]]

    def search(self, query: str) -> list[dict[str, object]]:
        """People whose name, name forms or id have words starting with every word typed; the name
        typed in full first, then the most quoted."""
        typed = _words(query)
        if not typed:
            return []
        hits = []
        for row in self.registry.itertuples(index=False):
            own = _words(row.person, row.aliases, row.person_id.replace("-", " "))
            if all(any(w.startswith(t) for w in own) for t in typed):
                hits.append((fold(row.person) != " ".join(typed), -row.statements, row.person_id))
        return [self._brief(pid, "") for *_, pid in sorted(hits)[:SEARCH_SHOWN]]

    def _brief(self, person_id: str, why: str) -> dict[str, object]:
        row = self.registry.loc[person_id]
        span = f"{row['first_date']} to {row['last_date']}" if row["first_date"] else "no dates"
        return {
            "person_id": person_id,
            "person": row["person"],
            "aliases": row["aliases"],
            "note": f"{row['statements']} statement(s) in {row['articles']} article(s), {span}; "
            f"{row['source_type']}; {row['roles'] or 'no role given'}",
            "why": why,
        }


def open_people_review(
    dataset: str | Path, annotator: str, decisions: str | Path | None = None
) -> PeopleReview:
    """The people view's state over a corpus dataset; ``decisions``: the decisions table (default: the
    one of the articles folder the dataset was made from). Opening writes nothing."""
    path = tool_dataset(dataset)
    table = Path(decisions) if decisions else decisions_of(path)
    if table is None:
        raise InputError(
            path,
            "does not say which articles folder it was made from, so there is nowhere to keep decisions",
            "give the decisions table (people.decisions.csv beside the articles)",
        )
    return PeopleReview(path, annotator, table)
