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
import getpass
import hashlib
import json
import os
import re
import shutil
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from utils import schema
from utils.articles import Article, data_dir, resolve_article
from utils.curation import check_offsets, check_stance_refs, curated_dir, curated_path, load_curation
from utils.errors import InputError
from utils.files import pid_alive
from utils.quotes import Statement
from utils.spreadsheet import write_table
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


def default_annotator() -> str:
    """The OS user name, made safe as a file name."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", getpass.getuser()).strip(".-") or "annotator"
    return check_slug(name, "annotator name")


def now() -> str:
    """The current time, ISO 8601 in UTC to the second."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def annotations_dir(article_id: str) -> Path:
    """Folder of every person's annotations of one article."""
    return data_dir() / "annotations" / check_slug(article_id, "article id")


def annotation_path(article_id: str, annotator: str, table: str) -> Path:
    """Path of one person's table (statements, stance or topics) of an article."""
    return annotations_dir(article_id) / f"{check_slug(annotator, 'annotator name')}.{table}.csv"


def annotators(article_id: str) -> list[str]:
    """Names of the people with a statements or stance file for the article, sorted."""
    folder = annotations_dir(article_id)
    names = {p.name.split(".")[0] for p in folder.glob("*.csv") if p.name.count(".") >= 2}
    return sorted(n for n in names if _SLUG.match(n))


def read_annotation(path: Path, table: str) -> pd.DataFrame:
    """One annotation table, validated (a one-line TableError on the first bad cell)."""
    frame = schema.read_table(path, _SCHEMAS[table], _WHAT[table])
    return frame[_COLUMNS[table]].reset_index(drop=True)


def _fingerprint(path: Path) -> tuple[int, int, str] | None:
    """mtime, size and hash of a file (None if absent): how we notice an edit made elsewhere."""
    try:
        stat = path.stat()
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None
    return stat.st_mtime_ns, stat.st_size, digest


def _typed(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """The table's columns in order and typed (text as str, offsets as int64): the same after a reload."""
    return frame[_COLUMNS[table]].astype(_TYPES[table]).reset_index(drop=True)


# ---------------------------------------------------------------- the lock


@dataclass(frozen=True)
class LockInfo:
    """Who holds a store's lock."""

    pid: int
    host: str
    token: str
    time: str

    def describe(self) -> str:
        return f"process {self.pid} on {self.host} since {self.time}"


def lock_path(article_id: str, annotator: str) -> Path:
    return annotations_dir(article_id) / f"{check_slug(annotator, 'annotator name')}.lock"


def read_lock(path: Path) -> LockInfo | None:
    """The lock's holder, or None when there is no (readable) lock file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return LockInfo(int(data["pid"]), str(data["host"]), str(data["token"]), str(data.get("time", "")))
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError, OSError):
        return LockInfo(-1, "?", "", "")  # unreadable: treated as held by someone unknown


def _stale(info: LockInfo) -> bool:
    """A lock of a process on this host that no longer runs (a crashed or restarted kernel)."""
    return info.host == socket.gethostname() and info.pid > 0 and not pid_alive(info.pid)


def _create_lock(path: Path, token: str) -> bool:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        return False
    body = {"pid": os.getpid(), "host": socket.gethostname(), "token": token, "time": now()}
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(body, handle)
    return True


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
        return (
            f"{self.annotator} on {self.article_id}: {self.reviewed()} of {len(self.statements)} statements "
            f"reviewed, {labelled} with stance labels; kept in {annotations_dir(self.article_id)}{state}"
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
            holder = read_lock(path)
            if holder is not None and holder.token == self.token:
                return
            self._locked = False
            self._refuse(holder)
        if _create_lock(path, self.token):
            self._locked = True
            atexit.register(self.close)
            return
        holder = read_lock(path)
        if holder is not None and (
            _stale(holder) or (holder.pid == os.getpid() and holder.host == socket.gethostname())
        ):
            # A dead session's lock, or an older store in this same kernel (a re-run cell): take it over.
            path.unlink(missing_ok=True)
            if _create_lock(path, self.token):
                self._locked = True
                atexit.register(self.close)
                return
        self._refuse(read_lock(path))

    def _refuse(self, holder: LockInfo | None) -> None:
        who = holder.describe() if holder else "another session"
        self.read_only = True
        self.message = f"{self.annotator}'s annotations are open in {who}"
        raise InputError(
            self.lock_file,
            f"{self.message}; this session is read-only and the change was not saved",
            "close the other session (or delete this lock file if that session is gone), then reopen",
        )

    def _write(self) -> None:
        for table in TABLES:
            path = self.path(table)
            write_table(path, getattr(self, table)[_COLUMNS[table]])  # atomic, spreadsheet-safe
            self._seen[table] = _fingerprint(path)

    def close(self) -> None:
        """Release the lock if this store holds it."""
        if self._locked:
            holder = read_lock(self.lock_file)
            if holder is not None and holder.token == self.token:
                self.lock_file.unlink(missing_ok=True)
            self._locked = False


def open_store(article_id: str, annotator: str | None = None) -> Store:
    """A person's store: their saved work if there is any, else the curated (or extracted) statements.

    Opening writes nothing; the first change creates the files and takes the lock. If
    another live session holds the lock, the store opens read-only and says so.
    """
    check_slug(article_id, "article id")
    name = check_slug(annotator or default_annotator(), "annotator name")
    article = resolve_article(article_id)
    empty = pd.DataFrame(columns=STANCE_COLUMNS, dtype="str")
    store = Store(article, name, to_frame([], ANNOTATED), empty, pd.DataFrame())
    _load_into(store)
    holder = read_lock(store.lock_file)
    if holder is not None and not _stale(holder) and holder.pid != os.getpid():
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


def set_speaker(store: Store, statement_id: str, speaker: str, every_row: bool = True) -> int:
    """Give a statement another speaker; with ``every_row`` every statement by the old name too (merging
    an alias such as "Josh Apte" into "Joshua Apte"). Returns how many rows changed."""
    name = _one_line(speaker, "speaker name")
    changed = []

    def apply(s: Store) -> None:
        row = _row(s, statement_id)
        old = s.statements.loc[row, "speaker"]
        rows = s.statements.index[s.statements["speaker"] == old] if every_row else [row]
        for other in rows:
            s.statements.loc[other, "speaker"] = name
            _touch(s, other, reviewed=other == row)
        changed.append(len(rows))

    store.change(apply)
    return changed[-1]


def set_affiliation(store: Store, statement_id: str, affiliation: str, every_row: bool = False) -> None:
    """Change a statement's affiliation (with ``every_row``: of every statement by the same speaker)."""
    value = _one_line(affiliation, "affiliation", required=False)

    def apply(s: Store) -> None:
        row = _row(s, statement_id)
        speaker = s.statements.loc[row, "speaker"]
        rows = s.statements.index[s.statements["speaker"] == speaker] if every_row else [row]
        for other in rows:
            s.statements.loc[other, "affiliation"] = value
            _touch(s, other, reviewed=other == row)

    store.change(apply)


def toggle_kind(store: Store, statement_id: str) -> None:
    """direct <-> paraphrase; a direct quote's text becomes exactly its span."""

    def apply(s: Store) -> None:
        row = _row(s, statement_id)
        direct = s.statements.loc[row, "kind"] == "direct"
        s.statements.loc[row, "kind"] = "paraphrase" if direct else "direct"
        if not direct:
            start, end = s.statements.loc[row, ["start", "end"]]
            s.statements.loc[row, "text"] = s.article.text[start:end]
        _touch(s, row)

    store.change(apply)


def word_spans(text: str) -> list[tuple[int, int]]:
    """Start and end of every word of the article: the steps a span's ends move by."""
    return [m.span() for m in _WORD.finditer(text)]


def moved_span(text: str, start: int, end: int, edge: str, step: int) -> tuple[int, int]:
    """The span with one end moved by one word (``edge`` 'start' or 'end', ``step`` -1 or +1)."""
    words = word_spans(text)
    if edge == "start":
        starts = [w[0] for w in words]
        options = [p for p in starts if p > start] if step > 0 else [p for p in starts if p < start]
        if not options:
            raise InputError(None, "the span cannot move further", "")
        start = options[0] if step > 0 else options[-1]
    else:
        inside = [w for w in words if w[1] <= end]
        if step > 0:
            later = [w for w in words if w[0] >= end]
            if not later:
                raise InputError(None, "the span cannot move further", "")
            end = _with_punctuation(text, later[0][1])
        else:
            if len(inside) < 2:
                raise InputError(None, "the span cannot shrink further", "")
            end = _with_punctuation(text, inside[-2][1])
    if not start < end:
        raise InputError(None, "that would leave the statement empty", "delete it with x instead")
    return start, end


def _with_punctuation(text: str, end: int) -> int:
    while end < len(text) and text[end] in _TRAILING:
        end += 1
    return end


def move_edge(store: Store, statement_id: str, edge: str, step: int) -> None:
    """Move the start or end of a statement's span by one word; its text becomes the new span."""

    def apply(s: Store) -> None:
        row = _row(s, statement_id)
        start, end = moved_span(s.article.text, *s.statements.loc[row, ["start", "end"]], edge, step)
        s.statements.loc[row, ["start", "end"]] = [start, end]
        s.statements.loc[row, "text"] = s.article.text[start:end]
        _touch(s, row)
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
            values["start"], values["end"], values["text"] = a, b, s.article.text[a:b]
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

    The speaker defaults to the nearest earlier statement's (change it with the speaker key); the kind
    is direct when the selection sits inside quotation marks. Returns the new id.
    """
    text = store.article.text
    start, end = _trimmed(text, max(0, int(start)), min(len(text), int(end)))
    if start >= end:
        raise InputError(None, "the selection is empty", "select the statement's words in the article")
    new_id: list[str] = []

    def apply(s: Store) -> None:
        before = s.statements[s.statements["start"] <= start]
        near = before.iloc[-1] if len(before) else (s.statements.iloc[0] if len(s.statements) else None)
        quoted = text[max(0, start - 1) : start] in '“"' and text[end : end + 1] in '”"'
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


def accept(article_id: str, names: list[str] | None = None) -> AcceptResult:
    """Validate the chosen people's annotations and make them the article's curated tables.

    Rule with several people (``names`` in order): statements and topics come from the first;
    a stance label is taken when everyone who labelled that statement and topic agrees, and
    the command refuses, listing the disagreeing pairs, when they do not. Existing curated
    tables are first copied to ``data/curated/history/<article>/<UTC time>/``.
    """
    return write_acceptance(prepare_accept(article_id, names))


def prepare_accept(article_id: str, names: list[str] | None = None) -> Acceptance:
    """Everything :func:`accept` checks and computes, writing nothing (see there for the rules)."""
    article = resolve_article(check_slug(article_id, "article id"))
    names = _chosen(article_id, names)
    tables = {name: _read_all(article_id, name) for name in names}
    first = tables[names[0]]
    statements = _curated_statements(first["statements"], annotation_path(article_id, names[0], "statements"))
    check_offsets(statements, article.text, annotation_path(article_id, names[0], "statements"))
    topics = schema.validate(first["topics"][TOPIC_COLUMNS], schema.TOPIC_SCHEMA, "annotated topics")
    stance = _merged_stance(article_id, names, tables, set(statements["id"]))
    stance = _with_kept_labels(article_id, stance, statements, topics)
    stance = schema.validate(stance, schema.STANCE_SCHEMA, "merged stance labels")
    check_stance_refs(stance, statements, topics, annotation_path(article_id, names[0], "stance"))
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
    # TODO(lead): one all-or-nothing replacement of the three tables (utils.files), instead of one by one.
    written = [write_table(old[t], frame) for t, frame in plan.tables.items()]
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
        check_slug(name, "annotator name")
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


def _merged_stance(
    article_id: str, names: list[str], tables: dict[str, dict[str, pd.DataFrame]], ids: set[str]
) -> pd.DataFrame:
    """Labels everyone agrees on; refuse on the first disagreements, naming them."""
    rows = pd.concat(
        [tables[n]["stance"].assign(who=n) for n in names], ignore_index=True
    )  # every person's labels, in the order the names were given
    unknown = sorted(set(rows["id"]) - ids)
    if unknown:
        raise InputError(
            annotations_dir(article_id),
            f"stance labels name statements {names[0]}'s table lacks ({', '.join(unknown[:8])})",
            f"accept with --from one name, or label the same statements as {names[0]}",
        )
    merged, disagreements = [], []
    for (sid, topic), group in rows.groupby(["id", "topic"], sort=False):
        if group["label"].nunique() > 1:
            disagreements.append(
                f"{sid}/{topic} (" + ", ".join(f"{r.who}: {r.label}" for r in group.itertuples()) + ")"
            )
            continue
        reasons = [r for r in group["rationale"] if r]
        merged.append(
            {
                "id": sid,
                "topic": topic,
                "label": group["label"].iloc[0],
                "rationale": reasons[0]
                if reasons
                else f"labelled by {', '.join(group['who'])}; no reason given",
            }
        )
    if disagreements:
        raise InputError(
            annotations_dir(article_id),
            f"{len(disagreements)} label(s) disagree: {'; '.join(disagreements[:6])}"
            + (" …" if len(disagreements) > 6 else ""),
            "settle them in the workbench, or accept with --from one name",
        )
    return pd.DataFrame(merged, columns=schema.STANCE_COLUMNS).astype("str")


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
