"""The topic queue: one proposition of a collection's topics table, tagged statement by statement.

A *collection* is a corpus dataset (what ``opinions corpus -o`` wrote) and a topics table for it
(``--topics FILE``: ``topic, proposition, keywords``, as an article's topics.csv). Its labels
live in ``data/annotations/collections/<collection key>/`` (:func:`utils.sessions.session_key`
of the two paths, so two different datasets or topic tables never share labels):

* ``<annotator>.stance.csv`` — :data:`LABEL_COLUMNS`, one row per statement and topic a person
  labelled: the statement (``article_id``, ``id``), the ``topic`` and its ``proposition`` as
  shown, the ``label``, an optional ``rationale``, ``suggestion_shown`` (what the machine
  suggested when the label was given, as in the workbench), the statement's ``text`` as
  labelled (a statement whose text changed in a later corpus run no longer carries the label),
  ``annotator`` and ``time``;
* ``collection.json`` — the dataset's and the topics table's paths, written with the first label;
* ``<annotator>.lock`` — while a session writes.

The queue (:class:`TopicQueue`) holds the statements :func:`utils.about.find_about` finds for
the proposition (its keywords, or its own words when it has none), most relevant first, and
the ones already labelled; it is ranked again every :data:`RERANK_EVERY` labels once the learned
relevance can be used. :func:`collection_labels` gives every person's labels as the long stance
table the comparison and the dossier read (``source`` = ``people``).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from utils import schema
from utils.about import MIN_LABELS, Learner, Topic, find_about
from utils.annotations import check_annotator, now
from utils.errors import InputError
from utils.files import MAX_TABLE_BYTES, read_regular, shown_path, write_text_atomic
from utils.names import split_annotation_file
from utils.people.apply import dataset_stance
from utils.people.registry import _connect, parquet_source
from utils.schema import NOT_ADDRESSED, STANCE_LABELS, TOPIC_SCHEMA
from utils.sessions import SessionLock, session_folder
from utils.spreadsheet import write_table

LABEL_COLUMNS = [
    "article_id",
    "id",
    "topic",
    "proposition",
    "label",
    "rationale",
    "suggestion_shown",
    "text",
    "annotator",
    "time",
]
LABEL_SCHEMA = pa.DataFrameSchema(
    {
        **{c: pa.Column(str) for c in LABEL_COLUMNS},
        "label": pa.Column(
            str,
            pa.Check.isin(
                (*STANCE_LABELS, NOT_ADDRESSED), error="must be one of: " + ", ".join(STANCE_LABELS)
            ),
        ),
    },
    unique=["article_id", "id", "topic"],
)
STANCE_COLUMNS = [
    "article_id",
    "id",
    "topic",
    "proposition",
    "label",
    "source",
    "rationale",
    "annotator",
    "text",
]
# What the queue shows of a labelled statement the ranking no longer lists (find_about's columns)
LABELLED_COLUMNS = ["person_id", "person", "date", "outlet", "title", "speaker", "text", "url"]
# What the stance learner reads of a statement besides its text: the dataset's column -> the learner's name
LEARNING = {"speaker": "speaker", "person_id": "person", "context": "paragraph"}
ITEM_COLUMNS = ["affiliation", "kind", "context"]  # besides find_about's, what the queue shows of a statement
QUEUE_LIMIT = 2000  # statements queued, most relevant first; the header says how many more match
RERANK_EVERY = 10  # labels between two rankings once the learned relevance may be used
UNDO_DEPTH = 200
KEY_SEPARATOR = "\x1f"
PEOPLE = "people"


def collection_folder(dataset: str | Path, topics: str | Path) -> Path:
    """``data/annotations/collections/<key of the dataset and topics paths>/``."""
    return session_folder("collections", dataset, topics)


def item_key(article_id: str, statement_id: str) -> str:
    return f"{article_id}{KEY_SEPARATOR}{statement_id}"


def read_topics(topics: str | Path) -> pd.DataFrame:
    """A collection's topics table, checked (a one-line error naming the file)."""
    return schema.read_table(topics, TOPIC_SCHEMA, "topics")[schema.TOPIC_COLUMNS].astype(str)


def _fingerprint(path: Path) -> str | None:
    """A hash of the file (None if absent): how an edit made elsewhere is noticed."""
    if not os.path.lexists(path):
        return None
    return hashlib.sha256(read_regular(path, MAX_TABLE_BYTES, "labels table")).hexdigest()


def _read_labels(path: Path) -> pd.DataFrame:
    if not path.is_file():
        return pd.DataFrame(columns=LABEL_COLUMNS, dtype="str")
    return schema.read_table(path, LABEL_SCHEMA, "collection labels")[LABEL_COLUMNS].astype(str)


@dataclass
class CollectionStore:
    """One person's labels of a collection, in memory and on disk, always in step (as the article
    workbench's store: every change saved at once, a lock on the first write, undo, outside edits
    reloaded)."""

    dataset: Path
    topics_path: Path
    topics: pd.DataFrame
    annotator: str
    labels: pd.DataFrame
    read_only: bool = False
    message: str = ""
    lock: SessionLock | None = None
    _seen: str | None = None
    _undo: list[pd.DataFrame] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.lock = SessionLock(
            self.folder / f"{self.annotator}.lock", f"{self.annotator}'s labels of this collection"
        )
        self.message = self.lock.held_elsewhere()
        self.read_only = bool(self.message)
        self._seen = _fingerprint(self.path)

    @property
    def folder(self) -> Path:
        return collection_folder(self.dataset, self.topics_path)

    @property
    def path(self) -> Path:
        return self.folder / f"{self.annotator}.stance.csv"

    def topic(self, topic: str) -> Topic:
        row = self.topics[self.topics["topic"] == topic]
        if row.empty:
            known = ", ".join(self.topics["topic"]) or "none"
            raise InputError(
                self.topics_path, f"has no topic {topic!r} (its topics: {known})", "give one of them"
            )
        return Topic(*row.iloc[0][schema.TOPIC_COLUMNS])

    def change(self, apply: Callable[[pd.DataFrame], pd.DataFrame]) -> None:
        """Apply one edit to the labels and save it at once (after reloading an outside edit)."""
        if self.read_only:
            raise InputError(self.lock.path, f"this session is read-only ({self.message})", "")
        self._reload_if_edited()
        changed = apply(self.labels.copy())[LABEL_COLUMNS].astype(str).reset_index(drop=True)
        self.lock.take()
        self._write(changed)
        self._undo.append(self.labels)
        del self._undo[:-UNDO_DEPTH]
        self.labels = changed

    def undo(self) -> bool:
        """Go back one change (False when there is nothing to undo in this session)."""
        if self.read_only or not self._undo:
            return False
        self._reload_if_edited()
        if not self._undo:
            return False
        self.lock.take()
        before = self._undo.pop()
        self._write(before)
        self.labels = before
        return True

    def _write(self, labels: pd.DataFrame) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        about = self.folder / "collection.json"
        if not about.is_file():
            where = {"dataset": str(self.dataset.resolve()), "topics": str(self.topics_path.resolve())}
            write_text_atomic(about, json.dumps(where, ensure_ascii=False, indent=1) + "\n")
        write_table(self.path, labels)
        self._seen = _fingerprint(self.path)

    def _reload_if_edited(self) -> None:
        if _fingerprint(self.path) == self._seen:
            return
        self.labels = _read_labels(self.path)
        self._seen = _fingerprint(self.path)
        self._undo.clear()
        self.message = (
            f"{self.path.name} changed outside the queue; reloaded it and applied your change to it"
        )

    def set_label(
        self, item: dict[str, object], topic: Topic, label: str, suggestion_shown: str = ""
    ) -> None:
        """Record a label for a statement (a queue item: article_id, id, text) and topic."""
        if label not in (*STANCE_LABELS, NOT_ADDRESSED):
            raise InputError(
                None, f"unknown stance label {label!r}", "use favor, against, neutral, mixed or not addressed"
            )
        values = {
            "article_id": str(item["article_id"]),
            "id": str(item["id"]),
            "topic": topic.topic,
            "proposition": topic.proposition,
            "label": label,
            "suggestion_shown": suggestion_shown,
            "text": str(item["text"]),
            "annotator": self.annotator,
            "time": now(),
        }

        def apply(labels: pd.DataFrame) -> pd.DataFrame:
            hit = _hit(labels, values["article_id"], values["id"], topic.topic)
            if hit.any():
                for column, value in values.items():
                    labels.loc[hit, column] = value
                return labels
            return pd.concat([labels, pd.DataFrame([{**values, "rationale": ""}])], ignore_index=True)

        self.change(apply)

    def set_rationale(self, article_id: str, statement_id: str, topic: str, rationale: str) -> None:
        """The person's one-line reason for a label they gave."""
        text = " ".join(str(rationale).split())

        def apply(labels: pd.DataFrame) -> pd.DataFrame:
            hit = _hit(labels, article_id, statement_id, topic)
            if not hit.any():
                raise InputError(None, "give a label first, then its rationale", "press 1-4 or 0")
            labels.loc[hit, ["rationale", "time"]] = [text, now()]
            return labels

        self.change(apply)

    def summary(self, topic: str | None = None) -> str:
        """One line: how many labels, and where they are kept."""
        mine = self.labels if topic is None else self.labels[self.labels["topic"] == topic]
        state = f" (read-only: {self.message})" if self.read_only else ""
        kept = shown_path(self.path)
        return f"{self.annotator}: {len(mine)} label(s) in this collection; kept in {kept}{state}"


def _hit(labels: pd.DataFrame, article_id: str, statement_id: str, topic: str) -> pd.Series:
    return (labels["article_id"] == article_id) & (labels["id"] == statement_id) & (labels["topic"] == topic)


def open_collection(dataset: str | Path, topics: str | Path, annotator: str) -> CollectionStore:
    """A person's labels of a collection (their saved work, or none yet); opening writes nothing."""
    dataset, topics = Path(dataset), Path(topics)
    parquet_source(dataset)  # a one-line error when it is not a dataset
    table = read_topics(topics)
    name = check_annotator(annotator)
    labels = _read_labels(collection_folder(dataset, topics) / f"{name}.stance.csv")
    return CollectionStore(dataset, topics, table, name, labels)


# ---------------------------------------------------------------- the queue


@dataclass
class TopicQueue:
    """The statements to tag for one topic, most relevant first, and the person's labels of them."""

    store: CollectionStore
    topic: Topic
    items: pd.DataFrame = field(default_factory=pd.DataFrame)
    matching: int = 0
    ranked_at: int = -1  # labels of the topic when it was last ranked
    note: str = ""  # how the ranking was made (find_about's word on the learned relevance)
    _facts: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)  # statement -> LEARNING's

    def __post_init__(self) -> None:
        self.rank()

    def mine(self) -> pd.DataFrame:
        """The person's labels of this topic."""
        labels = self.store.labels
        return labels[labels["topic"] == self.topic.topic]

    def rank(self) -> None:
        """Rank the statements again (find_about, with the labels so far), keeping the labelled ones."""
        mine = self.mine()
        query = "" if self.topic.keywords.strip() else self.topic.proposition
        labels = mine[["text", "topic", "label"]] if len(mine) else None
        found = find_about(self.store.dataset, query, topic=self.topic, labels=labels, limit=QUEUE_LIMIT)
        self.matching = found.attrs["found"].matching
        self.note = found.attrs["found"].learned
        labelled = _labelled_rows(
            self.store.dataset, mine, set(zip(found["article_id"], found["id"], strict=True))
        )
        items = pd.concat([found.assign(found=True), labelled.assign(found=False)], ignore_index=True)
        self.items = _with_context(self.store.dataset, items).set_index("key", drop=False)
        self.ranked_at = len(mine)

    def maybe_rerank(self) -> bool:
        """Rank again when the learned relevance may be used and enough labels came since; before it
        may be used, only the note of what it still needs is brought up to date (no ranking)."""
        mine = self.mine()
        if len(mine) >= MIN_LABELS and abs(len(mine) - self.ranked_at) >= RERANK_EVERY:
            self.rank()
            return True
        if len(mine) < MIN_LABELS:
            self.note = Learner.fit(mine[["text", "topic", "label"]], [], self.topic).note
        return False

    def order(self) -> list[str]:
        return list(self.items["key"])

    def tagged(self) -> set[str]:
        """Keys of the queued statements the person labelled (with the text they labelled)."""
        mine = self.mine()
        texts = dict(zip(self.items["key"], self.items["text"], strict=True))
        return {
            k
            for k, text in zip(map(item_key, mine["article_id"], mine["id"]), mine["text"], strict=True)
            if texts.get(k) == text
        }

    def stale(self) -> int:
        """Labels of this topic whose statement the dataset no longer has as it was labelled."""
        return len(self.mine()) - len(self.tagged())

    def item(self, key: str) -> dict[str, object]:
        if key not in self.items.index:
            raise InputError(None, "that statement is not in the queue", "reload the queue")
        return self.items.loc[key].to_dict()

    def pair(self, key: str) -> dict[str, str]:
        """What the stance learner reads of a queued statement: its text, speaker, person and paragraph."""
        item = self.item(key)
        return {"text": str(item["text"]), **_learned(item.get(c, "") for c in LEARNING)}

    def learning_pairs(self) -> pd.DataFrame:
        """The person's labels of the collection (every topic), with what the learner reads of each
        statement, looked up once in the dataset (the queue lists only this topic's statements)."""
        labels = self.store.labels
        keys = set(zip(labels["article_id"], labels["id"], strict=True)) - set(self._facts)
        if keys:
            wanted = pd.DataFrame(sorted(keys), columns=["article_id", "id"])
            found = _lookup(self.store.dataset, wanted, list(LEARNING))
            for row in found[["article_id", "id", *LEARNING]].itertuples(index=False):
                self._facts[(row[0], row[1])] = tuple(row[2:])
        facts = [
            _learned(self._facts.get(k, ())) for k in zip(labels["article_id"], labels["id"], strict=True)
        ]
        return labels.assign(**{c: [f.get(c, "") for f in facts] for c in LEARNING.values()})

    def label_of(self, key: str) -> dict[str, str] | None:
        article_id, statement_id = key.split(KEY_SEPARATOR, 1)
        hit = self.mine()[(self.mine()["article_id"] == article_id) & (self.mine()["id"] == statement_id)]
        return None if hit.empty else {"label": hit["label"].iloc[0], "rationale": hit["rationale"].iloc[0]}


def _learned(values) -> dict[str, str]:
    """:data:`LEARNING`'s values of a statement under the names the stance learner reads."""
    return {n: str(v) for n, v in zip(LEARNING.values(), values, strict=False) if v}


def _labelled_rows(dataset: Path, mine: pd.DataFrame, found: set[tuple[str, str]]) -> pd.DataFrame:
    """The statements the person labelled that the ranking does not list (so they stay in the queue)."""
    missing = mine[[(a, i) not in found for a, i in zip(mine["article_id"], mine["id"], strict=True)]]
    if missing.empty:
        return pd.DataFrame()
    return _lookup(
        dataset,
        missing[["article_id", "id"]],
        LABELLED_COLUMNS,
    )


def _with_context(dataset: Path, items: pd.DataFrame) -> pd.DataFrame:
    """The queue's items with their paragraph (``context``), affiliation and kind, and a ``key``."""
    if items.empty:
        return pd.DataFrame(columns=["key", "article_id", "id", "text", "found", *ITEM_COLUMNS])
    extra = _lookup(dataset, items[["article_id", "id"]], ITEM_COLUMNS)
    items = items.drop(columns=[c for c in ITEM_COLUMNS if c in items.columns]).merge(
        extra, on=["article_id", "id"], how="left"
    )
    items[ITEM_COLUMNS] = items[ITEM_COLUMNS].fillna("")
    items["context"] = items["context"].where(items["context"] != "", items["text"])
    return items.assign(key=list(map(item_key, items["article_id"], items["id"])))


def _lookup(dataset: Path, keys: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """These columns (text; '' where the dataset lacks one) of the statements at ``keys`` (article_id, id)."""
    source = parquet_source(dataset)
    with _connect() as con:
        present = {row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()}
        chosen = ", ".join(
            f'coalesce(CAST(d."{c}" AS VARCHAR), \'\') AS "{c}"' if c in present else f"'' AS \"{c}\""
            for c in columns
        )
        con.register("wanted", keys.astype(str).drop_duplicates())
        return con.execute(
            f"""SELECT CAST(d.article_id AS VARCHAR) AS article_id, CAST(d.id AS VARCHAR) AS id, {chosen}
                FROM {source} d JOIN wanted w
                ON CAST(d.article_id AS VARCHAR) = w.article_id AND CAST(d.id AS VARCHAR) = w.id"""
        ).df()


def open_topic_queue(dataset: str | Path, topics: str | Path, topic: str, annotator: str) -> TopicQueue:
    """The queue of one topic of a collection (``topic`` '': the table's first) for a person; opening
    writes nothing."""
    store = open_collection(dataset, topics, annotator)
    if not topic and store.topics.empty:
        raise InputError(topics, "has no topics", "add a row: topic,proposition,keywords")
    return TopicQueue(store, store.topic(topic or store.topics["topic"].iloc[0]))


# ---------------------------------------------------------------- everyone's labels, for the readers


def collections_of(dataset: str | Path) -> list[tuple[Path, Path]]:
    """(folder, topics table) of every collection made over this dataset (its ``collection.json``)."""
    root = session_folder("collections", dataset).parent
    wanted = str(Path(dataset).resolve())
    found = []
    for about in sorted(root.glob("*/collection.json")) if root.is_dir() else []:
        try:
            where = json.loads(read_regular(about, MAX_TABLE_BYTES, "collection description"))
        except (ValueError, InputError):
            continue
        if isinstance(where, dict) and where.get("dataset") == wanted:
            found.append((about.parent, Path(str(where.get("topics", "")))))
    return found


def collection_labels(dataset: str | Path, topics: str | Path | None = None) -> pd.DataFrame:
    """Every person's labels of a collection (``topics`` given) or of every collection over the dataset,
    as the long stance table the comparison and the dossier read: :data:`STANCE_COLUMNS`, ``source``
    = ``people``.

    One row per statement, topic and label: people who gave the same label are one row (``annotator``
    lists them), people who disagree give one row each. A label whose statement the dataset no
    longer has with the text that was labelled is left out; ``frame.attrs["stale"]`` counts them.
    The proposition is the topics table's where it has the topic, else the one shown when labelling.
    """
    if topics is not None:
        folders = [(collection_folder(dataset, topics), Path(topics))]
    else:
        folders = collections_of(dataset)
    frames = [_folder_labels(folder, table) for folder, table in folders]
    labels = (
        pd.concat([f for f in frames if len(f)], ignore_index=True) if any(len(f) for f in frames) else None
    )
    if labels is None:
        empty = pd.DataFrame(columns=STANCE_COLUMNS, dtype="str")
        empty.attrs["stale"] = 0
        return empty
    current = _lookup(Path(dataset), labels[["article_id", "id"]], ["text"]).rename(columns={"text": "now"})
    labels = labels.merge(current, on=["article_id", "id"], how="left")
    fresh = labels[labels["now"] == labels["text"]]
    grouped = fresh.groupby(["article_id", "id", "topic", "label"], sort=False, as_index=False).agg(
        proposition=("proposition", "first"),
        rationale=("rationale", lambda r: "; ".join(x for x in dict.fromkeys(r) if x)),
        annotator=("annotator", lambda a: "; ".join(dict.fromkeys(a))),
        text=("text", "first"),
    )
    out = grouped.assign(source=PEOPLE)[STANCE_COLUMNS].reset_index(drop=True)
    out.attrs["stale"] = len(labels) - len(fresh)
    return out


def people_stance(dataset: str | Path, topics: str | Path | None = None) -> pd.DataFrame | None:
    """People's labels of a dataset's statements: the reviewed articles' (``_stance.parquet``) and the
    collections' (:func:`collection_labels` of ``topics``, or of every collection over the dataset);
    None when there are none. What ``opinions compare`` and ``opinions dossier`` show as people's."""
    frames = [dataset_stance(dataset), collection_labels(dataset, topics)]
    given = [f for f in frames if f is not None and len(f)]
    return pd.concat(given, ignore_index=True) if given else None


def _folder_labels(folder: Path, topics: Path) -> pd.DataFrame:
    """Every annotator's labels in one collection folder, propositions from its topics table when it
    can be read."""
    files = [p for p in sorted(folder.glob("*.stance.csv")) if split_annotation_file(p.name, ("stance",))]
    frames = [_read_labels(p) for p in files]
    if not any(len(f) for f in frames):
        return pd.DataFrame(columns=LABEL_COLUMNS, dtype="str")
    labels = pd.concat(frames, ignore_index=True)
    if topics.is_file():
        wording = dict(zip(*read_topics(topics)[["topic", "proposition"]].T.values, strict=True))
        labels["proposition"] = [
            wording.get(t, p) for t, p in zip(labels["topic"], labels["proposition"], strict=True)
        ]
    return labels
