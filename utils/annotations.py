"""Each person's review and stance work, stored so that nothing is lost, and accepted into the curated tables.

One store per article and annotator in ``data/annotations/<article>/``:
``<annotator>.statements.csv`` (the curated statement columns plus ``reviewed_by``,
``annotator`` and ``time``), ``<annotator>.stance.csv`` (the curated stance columns plus
``suggestion_shown``, ``annotator`` and ``time``) and ``<annotator>.topics.csv`` (the
article's topics as this person edited them). Every change is written at once,
atomically and spreadsheet-safe (:func:`utils.spreadsheet.write_table`; cells read back as
typed). A lock file (PID, host, token) keeps two sessions from overwriting each
other; a file edited outside (in a spreadsheet) is reloaded, never overwritten. The
curated tables change only through :func:`accept`, which keeps the previous version
under ``data/curated/history/``. Layout and rules: ``data/README.md`` (Annotations).
"""

from __future__ import annotations

import atexit
import hashlib
import os
import re
import shutil
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from utils import locks, schema
from utils.articles import Article, bundled_article, data_dir
from utils.curation import check_offsets, check_stance_refs, curated_dir, curated_path, load_curation
from utils.errors import InputError
from utils.extract.vocab import RELATIVE_WORDS, SUBJECT_PRONOUNS
from utils.files import MAX_TABLE_BYTES, read_regular, shown_path
from utils.names import default_annotator as os_annotator
from utils.names import is_annotator_name, split_annotation_file
from utils.people.names import fold
from utils.quotes import Statement
from utils.spreadsheet import write_tables
from utils.statements import ANNOTATED, CURATED, statement_row, to_frame

_SLUG = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$")
TABLES = ("statements", "stance", "topics")
STATEMENT_COLUMNS = ANNOTATED.columns
STANCE_COLUMNS = [*schema.STANCE_COLUMNS, "suggestion_shown", "annotator", "time"]
TOPIC_COLUMNS = list(schema.TOPIC_COLUMNS)
_COLUMNS = {"statements": STATEMENT_COLUMNS, "stance": STANCE_COLUMNS, "topics": TOPIC_COLUMNS}
# A person may leave the rationale empty while tagging; accept() fills it in.
STANCE_SCHEMA = schema.STANCE_SCHEMA.update_column("rationale", checks=[]).add_columns(
    {name: pa.Column(str) for name in ("suggestion_shown", "annotator", "time")}
)
_SCHEMAS = {"statements": ANNOTATED.schema, "stance": STANCE_SCHEMA, "topics": schema.TOPIC_SCHEMA}
_TYPES = {"statements": ANNOTATED.dtypes, "stance": "str", "topics": "str"}
_WHAT = {"statements": "annotated statements", "stance": "annotated stance", "topics": "annotated topics"}
UNDO_DEPTH = 200


def check_slug(value: str, what: str) -> str:
    """An annotator name or article id that becomes part of a file name: letters, digits, - _ . only."""
    if not isinstance(value, str) or not _SLUG.match(value):
        raise InputError(
            None,
            f"{what} {value!r} cannot be used as a file name",
            "use letters, digits, '-', '_' or '.' (not starting with a dot; at most 100 characters)",
        )
    return value


def check_annotator(value: str) -> str:
    """An annotator name that becomes part of a file name (:func:`utils.names.is_annotator_name`)."""
    if not is_annotator_name(value):
        raise InputError(
            None,
            f"annotator name {value!r} cannot be used as a file name",
            "use letters and digits, with single '.', '_' or '-' inside (at most 64 characters)",
        )
    return value


def default_annotator() -> str:
    """The OS user's annotator name: different users never share one (:mod:`utils.names`)."""
    return check_annotator(os_annotator())


def now() -> str:
    """The current time, ISO 8601 in UTC to the second."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def annotations_dir(article_id: str) -> Path:
    """Folder of every person's annotations of one article."""
    return data_dir() / "annotations" / check_slug(article_id, "article id")


def annotation_path(article_id: str, annotator: str, table: str) -> Path:
    """Path of one person's table (statements, stance or topics) of an article."""
    return annotations_dir(article_id) / f"{check_annotator(annotator)}.{table}.csv"


def annotators(article_id: str) -> list[str]:
    """Names of the people with a statements or stance file for the article, sorted."""
    found = (split_annotation_file(p.name, TABLES) for p in annotations_dir(article_id).glob("*.csv"))
    return sorted({f[0] for f in found if f and is_annotator_name(f[0])})


def read_annotation(path: Path, table: str) -> pd.DataFrame:
    """One annotation table, validated (a one-line TableError on the first bad cell)."""
    frame = schema.read_table(path, _SCHEMAS[table], _WHAT[table])
    return frame[_COLUMNS[table]].reset_index(drop=True)


def _fingerprint(path: Path) -> tuple[int, int, str] | None:
    """mtime, size and hash of a file (None if absent): how we notice an edit made elsewhere."""
    if not os.path.lexists(path):
        return None
    data = read_regular(path, MAX_TABLE_BYTES, "annotation table")
    return path.stat().st_mtime_ns, len(data), hashlib.sha256(data).hexdigest()


def _typed(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """The table's columns in order and typed (text as str, offsets as int64): the same after a reload."""
    return frame[_COLUMNS[table]].astype(_TYPES[table]).reset_index(drop=True)


# ---------------------------------------------------------------- the lock


def lock_path(article_id: str, annotator: str) -> Path:
    return annotations_dir(article_id) / f"{check_annotator(annotator)}.lock"


# ---------------------------------------------------------------- the store


@dataclass
class Snapshot:
    statements: pd.DataFrame
    stance: pd.DataFrame
    topics: pd.DataFrame


@dataclass
class Store:
    """One person's annotations of one article, in memory and on disk, always in step.

    Open it with :func:`open_store`. Every change goes through :meth:`change`: it checks
    the files were not edited elsewhere (reloading them if they were, then applying the
    change to what was reloaded), takes the lock on the first write, writes the tables
    atomically and keeps an undo step. ``read_only`` is set, with ``message`` saying why,
    when another live session holds the lock.
    """

    article: Article
    annotator: str
    statements: pd.DataFrame
    stance: pd.DataFrame
    topics: pd.DataFrame
    read_only: bool = False
    message: str = ""
    token: str = field(default_factory=lambda: uuid.uuid4().hex)
    _seen: dict[str, tuple[int, int, str] | None] = field(default_factory=dict)
    _undo: list[Snapshot] = field(default_factory=list)
    _locked: bool = False

    @property
    def article_id(self) -> str:
        return self.article.article_id

    def path(self, table: str) -> Path:
        return annotation_path(self.article_id, self.annotator, table)

    @property
    def lock_file(self) -> Path:
        return lock_path(self.article_id, self.annotator)

    def snapshot(self) -> Snapshot:
        return Snapshot(self.statements.copy(), self.stance.copy(), self.topics.copy())

    def reviewed(self) -> int:
        return int((self.statements["reviewed_by"] != "").sum())

    def summary(self) -> str:
        """One line: progress and where the work is kept."""
        labelled = self.stance["id"].nunique() if len(self.stance) else 0
        state = " (read-only: " + self.message + ")" if self.read_only else ""
        kept = shown_path(annotations_dir(self.article_id))
        return (
            f"{self.annotator} on {self.article_id}: {self.reviewed()} of {len(self.statements)} statements "
            f"reviewed, {labelled} with stance labels; kept in {kept}{state}"
        )

    # --- changes

    def change(self, apply: Callable[[Store], None]) -> None:
        """Apply one edit and save it; the edit is a function so it can be re-applied after a reload."""
        if self.read_only:
            raise InputError(self.lock_file, f"this session is read-only ({self.message})", "")
        self._reload_if_edited()
        before = self.snapshot()
        try:
            apply(self)
            for table in TABLES:
                setattr(self, table, _typed(getattr(self, table), table))
            self._take_lock()
            self._write()
        except Exception:  # memory stays what is on disk: the change was not made
            self.statements, self.stance, self.topics = before.statements, before.stance, before.topics
            raise
        self._undo.append(before)
        del self._undo[:-UNDO_DEPTH]

    def undo(self) -> bool:
        """Go back one change (False when there is nothing to undo)."""
        if not self._undo or self.read_only:
            return False
        self._reload_if_edited()
        if not self._undo:
            return False
        last = self._undo.pop()
        self.statements, self.stance, self.topics = last.statements, last.stance, last.topics
        self._take_lock()
        self._write()
        return True

    def _reload_if_edited(self) -> None:
        edited = [t for t in TABLES if _fingerprint(self.path(t)) != self._seen.get(t)]
        if not edited:
            return
        _load_into(self)
        self._undo.clear()
        self.message = (
            f"{', '.join(self.path(t).name for t in edited)} changed outside the workbench; "
            "reloaded it and applied your change to the reloaded version"
        )

    def _take_lock(self) -> None:
        path = self.lock_file
        if self._locked:
            holder = locks.read_lock(path)
            if holder is not None and holder.token == self.token:
                return
            self._locked = False
            self._refuse(holder)
        path.parent.mkdir(parents=True, exist_ok=True)
        # A dead session's lock, or an older store in this same kernel (a re-run cell), is taken over.
        holder = locks.acquire(path, self.token, take_from_this_process=True)
        if holder is not None:
            self._refuse(holder)
        self._locked = True
        atexit.register(self.close)

    def _refuse(self, holder: locks.Holder | None) -> None:
        who = holder.describe() if holder else "another session"
        self.read_only = True
        self.message = f"{self.annotator}'s annotations are open in {who}"
        raise InputError(
            self.lock_file,
            f"{self.message}; this session is read-only and the change was not saved",
            "close the other session (or delete this lock file if that session is gone), then reopen",
        )

    def _write(self) -> None:
        """The three tables as one step (all new or all as before), spreadsheet-safe."""
        write_tables({self.path(t): getattr(self, t)[_COLUMNS[t]] for t in TABLES})
        for table in TABLES:
            self._seen[table] = _fingerprint(self.path(table))

    def close(self) -> None:
        """Release the lock if this store holds it."""
        if self._locked:
            locks.release(self.lock_file, self.token)
            self._locked = False


def open_store(article_id: str, annotator: str | None = None) -> Store:
    """A person's store: their saved work if there is any, else the curated (or extracted) statements.

    Opening writes nothing; the first change creates the files and takes the lock. If
    another live session holds the lock, the store opens read-only and says so.
    """
    check_slug(article_id, "article id")
    name = check_annotator(annotator or default_annotator())
    article = bundled_article(article_id)
    empty = pd.DataFrame(columns=STANCE_COLUMNS, dtype="str")
    store = Store(article, name, to_frame([], ANNOTATED), empty, pd.DataFrame())
    _load_into(store)
    holder = locks.read_lock(store.lock_file)
    if holder is not None and not locks.is_stale(holder) and not holder.is_this_process():
        store.read_only = True
        store.message = f"{name}'s annotations are open in {holder.describe()}"
    return store


def _load_into(store: Store) -> None:
    """Fill the store from its files (or from the curated tables for a new annotator)."""
    curation = None
    for table in TABLES:
        path = store.path(table)
        if path.is_file():
            frame = read_annotation(path, table)
        else:
            curation = curation or load_curation(store.article)
            frame = _initial(curation, table, store.annotator)
        setattr(store, table, _typed(frame, table))
        store._seen[table] = _fingerprint(path)


def _initial(curation, table: str, annotator: str) -> pd.DataFrame:
    """A new annotator starts from the statements under review, no stance labels, the article's topics."""
    if table == "statements":
        # this person has reviewed nothing yet
        return curation.statements[CURATED.columns].assign(reviewed_by="", annotator=annotator, time="")
    if table == "stance":
        return pd.DataFrame(columns=STANCE_COLUMNS, dtype="str")
    return curation.topics[TOPIC_COLUMNS].astype("str").copy()


# ---------------------------------------------------------------- edits (each one saved at once)

_WORD = re.compile(r"\w[\w’'-]*")
_TRAILING = ",.;:!?…"
TEXT_FIELDS = ["kind", "cue", "speaker"]  # besides the span, what a statement's text depends on
ASIDE_WORDS = 6  # words besides the cue in an attribution cut out of a paraphrase ("according to …")
_TOPIC_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_ORDER_KEYS = ["start", "end", "id"]


def _row(store: Store, statement_id: str) -> int:
    hits = store.statements.index[store.statements["id"] == statement_id]
    if not len(hits):
        raise InputError(store.path("statements"), f"no statement {statement_id!r}", "reload the workbench")
    return int(hits[0])


def _one_line(value: str, what: str, required: bool = True) -> str:
    text = " ".join(str(value).split())
    if required and not text:
        raise InputError(None, f"the {what} must not be empty", f"type a {what}")
    return text


def _touch(store: Store, row: int, reviewed: bool = True) -> None:
    store.statements.loc[row, "time"] = now()
    if reviewed:
        store.statements.loc[row, "reviewed_by"] = store.annotator


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(_ORDER_KEYS, kind="stable").reset_index(drop=True)


def mark_reviewed(store: Store, statement_id: str) -> None:
    """The person has checked this statement as it stands."""
    store.change(lambda s: _touch(s, _row(s, statement_id)))


def known_affiliation(statements: pd.DataFrame, speaker: str, leave_out: Iterable[int] = ()) -> str | None:
    """The affiliation the article's other rows give ``speaker`` (the most frequent non-empty one, or ''
    when they give none); None when no other row has that speaker. ``leave_out``: rows not to count."""
    rows = statements.drop(index=list(leave_out), errors="ignore")
    same = rows[rows["speaker"].map(fold) == fold(speaker)]
    if same.empty:
        return None
    given = same.loc[same["affiliation"].str.strip() != "", "affiliation"]
    return str(given.value_counts(sort=True).index[0]) if len(given) else ""


def set_attribution(
    store: Store,
    statement_id: str,
    speaker: str | None = None,
    affiliation: str | None = None,
    every_row: bool = False,
) -> str:
    """Change who said a statement (and their affiliation); returns a line saying what changed.

    This row only, unless ``every_row``: then every row with this row's speaker changes too
    (merging an alias such as "Josh Apte" into "Joshua Apte"). A speaker the article's other rows
    already name brings the affiliation they give (empty too), unless ``affiliation`` is given; a
    name new to the article keeps the row's affiliation (a spelling fix). The statement is marked
    reviewed; the other rows changed with it are not.
    """
    name = None if speaker is None else _one_line(speaker, "speaker name")
    value = None if affiliation is None else _one_line(affiliation, "affiliation", required=False)
    said: list[str] = []

    def apply(s: Store) -> None:
        row = _row(s, statement_id)
        old = s.statements.loc[row, ["speaker", "affiliation"]].tolist()
        rows = list(s.statements.index[s.statements["speaker"] == old[0]]) if every_row else [row]
        new_name = name if name is not None else old[0]
        new_value = value
        if new_value is None and new_name != old[0]:
            known = known_affiliation(s.statements, new_name, rows)
            new_value = old[1] if known is None else known
        for other in rows:
            s.statements.loc[other, "speaker"] = new_name
            if new_value is not None:
                s.statements.loc[other, "affiliation"] = new_value
            _touch(s, other, reviewed=other == row)
        said.append(_attribution_line(s, rows, old, new_name, new_value, brought=value is None))

    store.change(apply)
    return said[-1]


def _attribution_line(
    s: Store, rows: list[int], old: list[str], name: str, value: str | None, brought: bool
) -> str:
    """'s03: speaker A → B, affiliation 'x' (from B's other rows)' or '4 rows of A (s03, …): …'."""
    changes = []
    if name != old[0]:
        changes.append(f"speaker {old[0]} → {name}")
    if value is not None and value != old[1]:
        where = f" (from {name}'s other rows)" if brought else ""
        changes.append(f"affiliation {old[1] or '(none)'!r} → {value or '(none)'!r}{where}")
    ids = list(s.statements.loc[rows, "id"])
    listed = ", ".join(ids[:8]) + (", …" if len(ids) > 8 else "")
    who = ids[0] if len(ids) == 1 else f"{len(ids)} rows of {old[0]} ({listed})"
    return f"{who}: {', '.join(changes) or 'unchanged'}"


def toggle_kind(store: Store, statement_id: str) -> None:
    """direct <-> paraphrase; the text follows the span (see :func:`statement_text`)."""

    def apply(s: Store) -> None:
        row = _row(s, statement_id)
        direct = s.statements.loc[row, "kind"] == "direct"
        s.statements.loc[row, "kind"] = "paraphrase" if direct else "direct"
        _set_span(s, row, *s.statements.loc[row, ["start", "end"]])

    store.change(apply)


# --- spans: their ends move by word or by clause, or are set from a selection

_CLAUSE_MARKS = ",;:.!?…)–—"  # a clause ends before one of these
_OPENING = "“\"‘'(–—"  # ... and one starts after one of these (or after a clause mark)
_OPENING_QUOTES = '“"‘'
_CLOSING_QUOTES = '”"’'


def word_spans(text: str) -> list[tuple[int, int]]:
    """Start and end of every word of the article: the steps a span's ends move by."""
    return [m.span() for m in _WORD.finditer(text)]


def span_stops(text: str, edge: str, by: str) -> list[int]:
    """Where a span's ``edge`` ('start' or 'end') may stop, moving ``by`` 'word' or 'clause'.

    By word: every word's start; every word's end with the punctuation right after it. By
    clause: a start after a clause mark, an opening quotation mark or a paragraph break, and an
    end before a clause mark (the clause without its comma or period) or before a closing
    quotation mark (a quote's words with the punctuation inside the marks), or at a paragraph's end.
    """
    words = word_spans(text)
    if by == "word":
        return [w[0] for w in words] if edge == "start" else [_with_punctuation(text, w[1]) for w in words]
    if edge == "start":
        return [a for a, _ in words if a == 0 or _opens_clause(text, a)]
    return sorted({e for e in range(1, len(text) + 1) if _closes_clause(text, e)})


def _opens_clause(text: str, at: int) -> bool:
    before = text[:at].rstrip(" \t")
    return not before or before[-1] in _CLAUSE_MARKS + _OPENING + "\n"


def _closes_clause(text: str, at: int) -> bool:
    if text[at - 1].isspace():
        return False
    after = text[at : at + 1]
    if not after or after == "\n":
        return True
    if (
        after in _CLOSING_QUOTES
    ):  # not an apostrophe ("can’t", "whales’ prey"), not right after an opening mark
        if after == "’" and "‘" not in text[text.rfind("\n", 0, at) + 1 : at]:
            return False
        return not text[at + 1 : at + 2].isalpha() and text[at - 1] not in _OPENING
    return after in _CLAUSE_MARKS and text[at - 1] not in _CLAUSE_MARKS


def moved_span(text: str, start: int, end: int, edge: str, step: int, by: str = "word") -> tuple[int, int]:
    """The span with one end moved to the next stop (``step`` -1 or +1) of :func:`span_stops`."""
    if edge not in ("start", "end") or by not in ("word", "clause") or step not in (-1, 1):
        raise ValueError(f"cannot move the {edge} by {step} {by}")
    at = start if edge == "start" else end
    stops = span_stops(text, edge, by)
    options = [p for p in stops if p > at] if step > 0 else [p for p in stops if p < at]
    if not options:
        raise InputError(None, "the span cannot move further that way", "")
    at = options[0] if step > 0 else options[-1]
    start, end = (at, end) if edge == "start" else (start, at)
    if not start < end:
        raise InputError(None, "that would leave the statement empty", "delete it with x instead")
    return start, end


def _with_punctuation(text: str, end: int) -> int:
    while end < len(text) and text[end] in _TRAILING:
        end += 1
    return end


def snapped(text: str, start: int, end: int) -> tuple[int, int]:
    """A selection widened to whole words and trimmed of spaces (a drag that stops mid-word counts)."""
    start, end = _trimmed(text, max(0, int(start)), min(len(text), int(end)))
    while 0 < start < end and _WORD.match(text[start - 1]) and _WORD.match(text[start]):
        start -= 1
    while start < end < len(text) and _WORD.match(text[end - 1]) and _WORD.match(text[end]):
        end += 1
    return start, end


def statement_text(text: str, start: int, end: int, kind: str, cue: str = "", speaker: str = "") -> str:
    """A statement's text for its span: a direct quote's exact words; a paraphrase's clause with its
    own attribution cut out when it sits inside, between commas ("Climate change is to blame too,
    scientists think, with …" gives "… to blame too, with …"), as the annotation conventions ask.

    The aside must hold the row's cue and, besides it, at most six words, one of them a word of
    the speaker's name or a subject pronoun ("he", "they"): ", the company said," and ", according
    to whale rescue group Project Jonah," are cut, ", which said it would appeal," (a relative
    clause) is not.
    """
    span = text[start:end]
    if kind == "direct" or not cue.strip():
        return span
    who = {w.casefold() for w in _WORD.findall(speaker)} | SUBJECT_PRONOUNS
    for aside in re.finditer(r",([^,.;:!?“”\"]+)(?=,)", span):
        words = [w.casefold() for w in _WORD.findall(aside.group(1))]
        cue_words = [w.casefold() for w in _WORD.findall(cue)]
        rest = _without(words, cue_words)
        opens = words[0] if words else ""
        if rest is not None and len(rest) <= ASIDE_WORDS and who & set(rest) and opens not in RELATIVE_WORDS:
            return span[: aside.start()] + span[aside.end() :]
    return span


def _without(words: list[str], part: list[str]) -> list[str] | None:
    """``words`` with the run ``part`` taken out once, or None when the run is not there."""
    for i in range(len(words) - len(part) + 1):
        if words[i : i + len(part)] == part:
            return words[:i] + words[i + len(part) :]
    return None


def _set_span(s: Store, row: int, start: int, end: int) -> None:
    kind, cue, speaker = s.statements.loc[row, TEXT_FIELDS]
    s.statements.loc[row, ["start", "end"]] = [int(start), int(end)]
    s.statements.loc[row, "text"] = statement_text(s.article.text, int(start), int(end), kind, cue, speaker)
    _touch(s, row)


def move_edge(store: Store, statement_id: str, edge: str, step: int, by: str = "word") -> None:
    """Move the start or end of a statement's span by one word or one clause; its text follows."""

    def apply(s: Store) -> None:
        row = _row(s, statement_id)
        start, end = s.statements.loc[row, ["start", "end"]]
        _set_span(s, row, *moved_span(s.article.text, start, end, edge, step, by))
        s.statements = _sorted(s.statements)

    store.change(apply)


def set_span(store: Store, statement_id: str, start: int, end: int) -> None:
    """Make a selection in the article the statement's span (widened to whole words)."""
    start, end = snapped(store.article.text, start, end)
    if start >= end:
        raise InputError(None, "the selection is empty", "select the statement's words in the article")

    def apply(s: Store) -> None:
        _set_span(s, _row(s, statement_id), start, end)
        s.statements = _sorted(s.statements)

    store.change(apply)


def delete_statement(store: Store, statement_id: str) -> None:
    """Remove a statement that is not one (and its stance labels)."""

    def apply(s: Store) -> None:
        s.statements = s.statements.drop(index=_row(s, statement_id)).reset_index(drop=True)
        s.stance = s.stance[s.stance["id"] != statement_id].reset_index(drop=True)

    store.change(apply)


def _next_id(statements: pd.DataFrame) -> str:
    numbers = [int(m.group(1)) for m in statements["id"].map(re.compile(r"^s(\d+)$").match) if m]
    return f"s{max(numbers, default=0) + 1:02d}"


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def split_statement(store: Store, statement_id: str, at: int) -> str:
    """Split a statement where a selected word starts; the second part gets a new id (returned)."""
    new_id: list[str] = []

    def apply(s: Store) -> None:
        row = _row(s, statement_id)
        start, end = (int(v) for v in s.statements.loc[row, ["start", "end"]])
        first, second = _trimmed(s.article.text, start, at), _trimmed(s.article.text, at, end)
        if not (start < at < end and first[0] < first[1] and second[0] < second[1]):
            raise InputError(
                None, "select a word inside the statement (not its first word) to split there", ""
            )
        copy = s.statements.loc[row].copy()
        copy["id"] = _next_id(s.statements)
        for target, (a, b) in ((row, first), (None, second)):
            values = copy if target is None else s.statements.loc[target]
            values = values.copy()
            values["start"], values["end"] = a, b
            values["text"] = statement_text(
                s.article.text, a, b, values["kind"], values["cue"], values["speaker"]
            )
            values["time"], values["reviewed_by"] = now(), s.annotator
            if target is None:
                s.statements = pd.concat([s.statements, values.to_frame().T], ignore_index=True)
            else:
                s.statements.loc[target] = values
        s.statements = _sorted(s.statements.astype({"start": "int64", "end": "int64"}))
        new_id.append(copy["id"])

    store.change(apply)
    return new_id[-1]


def add_statement(store: Store, start: int, end: int, speaker: str = "", kind: str = "") -> str:
    """Add a missed statement from a selection in the article (offsets from the selection, never typed).

    The selection is widened to whole words; quotation marks selected with it are left out. The
    speaker defaults to the nearest earlier statement's, with its affiliation (change them with the
    speaker key); the kind is direct when the words sit inside quotation marks. Returns the new id.
    """
    text = store.article.text
    start, end = snapped(text, start, end)
    if end - start > 2 and text[start] in _OPENING_QUOTES and text[end - 1] in _CLOSING_QUOTES:
        start, end = start + 1, end - 1
    if start >= end:
        raise InputError(None, "the selection is empty", "select the statement's words in the article")
    new_id: list[str] = []

    def apply(s: Store) -> None:
        before = s.statements[s.statements["start"] <= start]
        near = before.iloc[-1] if len(before) else (s.statements.iloc[0] if len(s.statements) else None)
        quoted = text[max(0, start - 1) : start] in _OPENING_QUOTES and text[end : end + 1] in _CLOSING_QUOTES
        added = Statement(
            speaker=_one_line(speaker, "speaker")
            if speaker
            else (near["speaker"] if near is not None else "?"),
            affiliation="" if speaker or near is None else near["affiliation"],
            kind=kind or ("direct" if quoted and start > 0 and end < len(text) else "paraphrase"),
            text=text[start:end],
            start=start,
            end=end,
            cue="",
        )  # a statement a person found: every other field takes its default
        row = statement_row(
            added,
            ANNOTATED,
            id=_next_id(s.statements),
            reviewed_by=s.annotator,
            annotator=s.annotator,
            time=now(),
        )
        s.statements = _sorted(pd.concat([s.statements, to_frame([row], ANNOTATED)], ignore_index=True))
        new_id.append(row["id"])

    store.change(apply)
    return new_id[-1]


def set_label(store: Store, statement_id: str, topic: str, label: str, suggestion_shown: str = "") -> None:
    """Record a person's stance label; ``suggestion_shown``: the machine's suggested label they saw, or ''."""
    if label not in (*schema.STANCE_LABELS, schema.NOT_ADDRESSED):
        raise InputError(
            None, f"unknown stance label {label!r}", "use favor, against, neutral, mixed or not addressed"
        )

    def apply(s: Store) -> None:
        _row(s, statement_id)
        if topic not in set(s.topics["topic"]):
            raise InputError(s.path("topics"), f"no topic {topic!r}", "add the topic first")
        _upsert_stance(s, statement_id, topic, label=label, suggestion_shown=suggestion_shown)

    store.change(apply)


def set_rationale(store: Store, statement_id: str, topic: str, rationale: str) -> None:
    """The person's one-line reason for a label they gave."""
    text = _one_line(rationale, "rationale", required=False)

    def apply(s: Store) -> None:
        hit = (s.stance["id"] == statement_id) & (s.stance["topic"] == topic)
        if not hit.any():
            raise InputError(None, "give a label first, then its rationale", "press 1-4 or 0")
        _upsert_stance(s, statement_id, topic, rationale=text)

    store.change(apply)


def _upsert_stance(s: Store, statement_id: str, topic: str, **values: str) -> None:
    hit = (s.stance["id"] == statement_id) & (s.stance["topic"] == topic)
    values = {**values, "annotator": s.annotator, "time": now()}
    if hit.any():
        for column, value in values.items():
            s.stance.loc[hit, column] = value
        return
    row = {"id": statement_id, "topic": topic, "label": "", "rationale": "", "suggestion_shown": "", **values}
    s.stance = pd.concat([s.stance, pd.DataFrame([row], columns=STANCE_COLUMNS)], ignore_index=True)


def set_topic(store: Store, topic: str, proposition: str, keywords: str = "") -> None:
    """Add a stance topic or edit its proposition and keywords."""
    topic = topic.strip()
    if not _TOPIC_ID.match(topic):
        raise InputError(
            None, f"topic id {topic!r} must be lower case letters, digits and _", "e.g. hold_kursk"
        )
    proposition = _one_line(proposition, "proposition")
    keywords = ";".join(k.strip() for k in str(keywords).split(";") if k.strip())

    def apply(s: Store) -> None:
        hit = s.topics["topic"] == topic
        if hit.any():
            s.topics.loc[hit, ["proposition", "keywords"]] = [proposition, keywords]
        else:
            row = pd.DataFrame([{"topic": topic, "proposition": proposition, "keywords": keywords}])
            s.topics = pd.concat([s.topics, row], ignore_index=True)

    store.change(apply)


# ---------------------------------------------------------------- accept: annotations -> curated tables


def _change_lines(added: list[str], removed: list[str], changed: list[str], labels: list[str]) -> list[str]:
    """Lines for people: one per kind of change."""

    def line(what: str, items: list[str]) -> str:
        shown = ", ".join(items[:12]) + (f", … ({len(items)})" if len(items) > 12 else "")
        return f"{what}: {shown or 'none'}"

    return [
        line("statements added", added),
        line("statements removed", removed),
        line("statements changed", changed),
        line("stance labels changed", labels),
    ]


@dataclass(frozen=True)
class Acceptance:
    """Accepting, prepared: the new curated tables (validated) and what they change. Nothing written yet."""

    article_id: str
    tables: dict[str, pd.DataFrame]
    added: list[str]
    removed: list[str]
    changed: list[str]
    labels_changed: list[str]

    def changes(self) -> str:
        return "\n".join(_change_lines(self.added, self.removed, self.changed, self.labels_changed))


@dataclass(frozen=True)
class AcceptResult:
    """What ``accept`` wrote, where it kept the previous version, and what changed."""

    written: list[Path]
    history: Path | None
    added: list[str]
    removed: list[str]
    changed: list[str]
    labels_changed: list[str]

    def files(self) -> str:
        """Where the previous tables were kept, and the tables written."""
        kept = [f"previous curated tables kept in {self.history}"] if self.history else []
        return "\n".join([*kept, *(f"wrote {p}" for p in self.written)])

    def summary(self) -> str:
        """Lines for people: one per kind of change, then the files."""
        changes = _change_lines(self.added, self.removed, self.changed, self.labels_changed)
        return "\n".join([*changes, self.files()])


@dataclass(frozen=True)
class Merged:
    """Several people's work made one (:func:`utils.adjudication.merged_for_accept`): curated-table
    statements (``reviewed_by`` lists every reviewer), stance labels and topics; ``source`` for messages."""

    statements: pd.DataFrame
    stance: pd.DataFrame
    topics: pd.DataFrame
    source: Path


def accept(article_id: str, names: list[str] | None = None, merged: Merged | None = None) -> AcceptResult:
    """Validate a person's annotations (or several people's, ``merged``) and make them the curated tables.

    One person: their statements (with ``reviewed_by``), topics and labels. Several: the tables
    :mod:`utils.adjudication` made of their agreed work and the decisions settling where they
    disagreed (``opinions accept --from A --from B`` builds it; it refuses while a disagreement is
    open). Curated labels of statements nobody relabelled are kept. Existing curated tables are
    first copied to ``data/curated/history/<article>/<UTC time>/``.
    """
    return write_acceptance(prepare_accept(article_id, names, merged))


def prepare_accept(
    article_id: str, names: list[str] | None = None, merged: Merged | None = None
) -> Acceptance:
    """Everything :func:`accept` checks and computes, writing nothing (see there for the rules)."""
    article = bundled_article(check_slug(article_id, "article id"))
    names = _chosen(article_id, names)
    if merged is None and len(names) > 1:
        raise InputError(
            annotations_dir(article_id),
            f"{', '.join(names)} each reviewed it: their work must be merged first",
            "run opinions accept with the same --from names (it merges them), or give one --from",
        )
    if merged is None:
        own = _read_all(article_id, names[0])
        source = annotation_path(article_id, names[0], "statements")
        merged = Merged(own["statements"], _own_stance(own["stance"], names[0]), own["topics"], source)
    statements = _curated_statements(merged.statements, merged.source)
    check_offsets(statements, article.text, merged.source)
    topics = schema.validate(merged.topics[TOPIC_COLUMNS], schema.TOPIC_SCHEMA, "annotated topics")
    stance = _with_kept_labels(article_id, merged.stance[schema.STANCE_COLUMNS], statements, topics)
    stance = schema.validate(stance, schema.STANCE_SCHEMA, "accepted stance labels")
    check_stance_refs(stance, statements, topics, merged.source)
    before_statements = _old_table(curated_path(article_id, "statements"), CURATED.schema)
    before_stance = _old_table(curated_path(article_id, "stance"), schema.STANCE_SCHEMA)
    added, removed, changed = _statement_changes(before_statements, statements)
    return Acceptance(
        article_id,
        {"statements": statements, "topics": topics, "stance": stance},
        added,
        removed,
        changed,
        _label_changes(before_stance, stance),
    )


def write_acceptance(plan: Acceptance) -> AcceptResult:
    """Keep the current curated tables in the history folder, then write the accepted ones.

    Every table goes through the one table writer (:func:`utils.spreadsheet.write_table`):
    atomic, neutralised for spreadsheets, with the byte-order mark.
    """
    old = {t: curated_path(plan.article_id, t) for t in plan.tables}
    existing = [p for p in (*old.values(), curated_path(plan.article_id, "speakers")) if p.is_file()]
    history = None
    if existing:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        history = curated_dir() / "history" / plan.article_id / stamp
        history.mkdir(parents=True, exist_ok=False)
        for path in existing:
            shutil.copy2(path, history / path.name)
    written = write_tables({old[t]: frame for t, frame in plan.tables.items()})  # all three, or none
    return AcceptResult(written, history, plan.added, plan.removed, plan.changed, plan.labels_changed)


def _chosen(article_id: str, names: list[str] | None) -> list[str]:
    found = annotators(article_id)
    if not names:
        if len(found) == 1:
            return found
        problem = (
            f"several people annotated it ({', '.join(found)})" if found else "nobody has annotated it yet"
        )
        fix = "choose with --from NAME (more than one --from merges them)" if found else "review it first"
        raise InputError(annotations_dir(article_id), problem, fix)
    for name in names:
        check_annotator(name)
        if name not in found:
            raise InputError(
                annotations_dir(article_id),
                f"no annotations by {name!r}",
                f"use one of: {', '.join(found) or 'nobody yet'}",
            )
    return list(dict.fromkeys(names))


def _read_all(article_id: str, name: str) -> dict[str, pd.DataFrame]:
    out = {}
    for table in TABLES:
        path = annotation_path(article_id, name, table)
        if not path.is_file():
            raise InputError(path, f"is missing ({name}'s {table})", "open the workbench once to recreate it")
        out[table] = read_annotation(path, table)
    return out


def _curated_statements(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    statements = schema.validate(frame[CURATED.columns].copy(), CURATED.schema, path)
    return _sorted(statements.astype(CURATED.dtypes))


def _own_stance(stance: pd.DataFrame, name: str) -> pd.DataFrame:
    """A person's labels as curated rows; an empty rationale says who labelled it (and that no reason
    was given)."""
    empty = stance["rationale"].str.strip() == ""
    why = stance["rationale"].where(~empty, f"labelled by {name}; no reason given")
    stance = stance.assign(rationale=why)
    return stance[schema.STANCE_COLUMNS].astype("str")


def _with_kept_labels(
    article_id: str, stance: pd.DataFrame, statements: pd.DataFrame, topics: pd.DataFrame
) -> pd.DataFrame:
    """Curated labels of statements none of the chosen people labelled stay (if statement, topic remain)."""
    path = curated_path(article_id, "stance")
    if not path.is_file():
        return stance
    old = schema.read_table(path, schema.STANCE_SCHEMA, "curated stance")[schema.STANCE_COLUMNS]
    keep = (
        ~old["id"].isin(set(stance["id"]))
        & old["id"].isin(set(statements["id"]))
        & old["topic"].isin(set(topics["topic"]))
    )
    return pd.concat([stance, old[keep]], ignore_index=True).astype("str")


def _old_table(path: Path, table_schema: pa.DataFrameSchema) -> pd.DataFrame | None:
    return schema.read_table(path, table_schema, "curated") if path.is_file() else None


def _statement_changes(old: pd.DataFrame | None, new: pd.DataFrame) -> tuple[list[str], list[str], list[str]]:
    if old is None:
        return list(new["id"]), [], []
    before = {r["id"]: r for r in old.astype(str).to_dict("records")}
    after = {r["id"]: r for r in new.astype(str).to_dict("records")}
    changed = []
    for sid in after.keys() & before.keys():
        fields = [
            c for c in CURATED.columns if c != schema.REVIEWED_BY and before[sid].get(c) != after[sid].get(c)
        ]
        if fields:
            changed.append(f"{sid} ({', '.join(fields)})")
    return sorted(after.keys() - before.keys()), sorted(before.keys() - after.keys()), sorted(changed)


def _label_changes(old: pd.DataFrame | None, new: pd.DataFrame) -> list[str]:
    def labels(frame: pd.DataFrame | None) -> dict[tuple[str, str], str]:
        if frame is None:
            return {}
        return {(r.id, r.topic): r.label for r in frame.itertuples(index=False)}

    before, after = labels(old), labels(new)
    out = []
    for key in sorted(before.keys() | after.keys()):
        a, b = before.get(key, schema.NOT_ADDRESSED), after.get(key, schema.NOT_ADDRESSED)
        if a != b:
            out.append(f"{key[0]}/{key[1]}: {a} -> {b}")
    return out
