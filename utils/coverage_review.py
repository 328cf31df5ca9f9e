"""The workbench's views over a whole coverage: the people view and the topic queue.

Both are the article workbench's front end (``resources/workbench.js``) in another mode, with its
message loop (:class:`utils.workbench.KeyedView`: numbered actions, answers echoed, one-line
errors), keys, dead-kernel notice and machine style. Every change is made and saved here:

* :class:`PeopleView` (``people`` mode): one person of a corpus dataset's registry at a time, most
  quoted first or found by a search, with their name forms, roles, source type and why, and a
  few statements in context; merge, split, rename, source type, not a person, each recorded and
  applied to the dataset at once (:mod:`utils.people_review`), with undo.
* :class:`QueueView` (``queue`` mode): the statements of many articles for one proposition of a
  collection's topics table, most relevant first, each in its paragraph with its article's title,
  outlet and date; the article workbench's label keys; labels saved at once per annotator and
  collection (:mod:`utils.topic_queue`); suggestions learned from them, as suggestions.

Keys and files: ``data/README.md`` (The people view; The topic queue).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from utils.annotations import check_annotator, default_annotator
from utils.errors import InputError
from utils.files import shown_path
from utils.people.roles import SOURCE_TYPES
from utils.people_review import PeopleReview, open_people_review
from utils.suggest import StanceLearner
from utils.topic_queue import TopicQueue, item_key, open_topic_queue
from utils.workbench import KeyedView, Suggestions, next_unreviewed

ITEM_FIELDS = [
    "article_id",
    "id",
    "title",
    "outlet",
    "date",
    "url",
    "speaker",
    "person",
    "affiliation",
    "kind",
]
ITEM_FIELDS += ["text", "matched", "why"]
NEARBY_AFTER = 6  # the queue lists one statement before the current one and five after it (as workbench.js)


def paragraph_parts(context: str, text: str) -> list[str]:
    """The paragraph cut around the statement: [before, statement, after], or [paragraph] when the
    statement's words are not in it as they stand (a paraphrase cut differently)."""
    at = context.find(text) if text else -1
    if at < 0:
        return [context]
    return [context[:at], text, context[at + len(text) :]]


class PeopleView(KeyedView):
    """One person of the registry at a time: who they are, and people's decisions about them by keys."""

    def __init__(self, review: PeopleReview, person: str = "", **kwargs):
        super().__init__(**kwargs)
        self.review = review
        order = review.order()
        self._current = person if person in order else (order[0] if order else "")
        self._search: list[dict[str, object]] = []
        self.article = {"title": f"people of {review.dataset.name}"}
        self._refresh()

    def __repr__(self) -> str:
        return f"people view of {self.review.dataset} (run the cell to use it)"

    def summary(self) -> str:
        """One line: how many people, how many decisions (yours apart), where they are kept."""
        r = self.review
        mine = sum(d.by == r.annotator for d in r.decisions)
        state = f" (read-only: {r.message})" if r.read_only else ""
        return (
            f"{r.annotator} on the people of {r.dataset}: {len(r.registry)} people and organisations; "
            f"{mine} decision(s) by {r.annotator}, {len(r.decisions)} by everyone; "
            f"kept in {shown_path(r.decisions_file)}{state}"
        )

    def _actions(self) -> dict[str, Callable[[dict[str, Any]], None]]:
        return {
            "hello": lambda m: None,
            "goto": lambda m: self._goto(str(m["id"])),
            "step": lambda m: self._step(int(m["by"])),
            "search": lambda m: self._find(str(m["query"])),
            "decide": lambda m: self._decide(str(m["decision"]), str(m["id"]), str(m.get("value", ""))),
            "undo": lambda m: self._undo(),
        }

    def _goto(self, person_id: str) -> None:
        self.review.person(person_id)  # a one-line error for an id that is gone
        self._current, self._search = person_id, []

    def _step(self, by: int) -> None:
        order = self.review.order()
        if order:
            at = order.index(self._current) if self._current in order else 0
            self._current = order[min(max(at + by, 0), len(order) - 1)]

    def _find(self, query: str) -> None:
        self._search = self.review.search(query)

    def _decide(self, action: str, person_id: str, value: str) -> None:
        before = self.review.order()
        self._notice = self.review.decide(action, person_id, value)
        after = self.review.order()
        if person_id not in after and after:  # not a person: on to whoever came next
            at = before.index(person_id) if person_id in before else 0
            later = [p for p in before[at:] if p in after]
            self._current = later[0] if later else after[-1]

    def _undo(self) -> None:
        decision, self._notice = self.review.undo()
        if decision.person_id in self.review.order():
            self._current = decision.person_id

    def _refresh(self, error: str = "") -> None:
        r = self.review
        order = r.order()
        if self._current not in order:
            self._current = order[0] if order else ""
        self.state = {
            "mode": "people",
            "annotator": r.annotator,
            "read_only": r.read_only,
            "message": r.message,
            "notice": self._notice,
            "error": error,
            "ack": self._ack,
            "position": order.index(self._current) + 1 if self._current else 0,
            "total": len(order),
            "person": self._card(self._current) if self._current else None,
            "search": self._search,
            "types": list(SOURCE_TYPES),
            "files": str(r.decisions_file),
            "journal": str(r.journal_path),
        }
        if not r.read_only:
            r.message = ""

    def _card(self, person_id: str) -> dict[str, object]:
        r = self.review
        statements, articles = r.statements(person_id)
        for row in statements:
            row["parts"] = paragraph_parts(str(row.pop("context")), str(row["text"]))
        return {
            **{k: _plain(v) for k, v in r.person(person_id).items()},
            "aliases_list": [a for a in str(r.person(person_id)["aliases"]).split("; ") if a],
            "statements_shown": statements,
            "articles_list": [{k: _plain(v) for k, v in a.items()} for a in articles],
            "likely": r.likely_same(person_id),
            "decisions": r.decisions_about(person_id),
            "counts": r.counts(person_id),
        }


def _plain(value: object) -> object:
    """A registry cell as JSON takes it (numpy integers as int)."""
    return int(value) if hasattr(value, "item") and isinstance(value.item(), int) else value


class QueueView(KeyedView):
    """One proposition, many articles: tag each statement by the article workbench's label keys."""

    def __init__(self, queue: TopicQueue, learner: type[StanceLearner] | None = StanceLearner, **kwargs):
        super().__init__(**kwargs)
        self.queue = queue
        self._suggestions = Suggestions(learner)
        order, tagged = queue.order(), queue.tagged()
        self._current = next((k for k in order if k not in tagged), order[0] if order else "")
        self._anchor = self._current
        self.article = {"title": queue.topic.proposition}
        self._refresh()

    def __repr__(self) -> str:
        return f"topic queue for {self.queue.topic.topic} (run the cell to use it)"

    def summary(self) -> str:
        """One line: progress on this topic, and where the labels are kept."""
        q = self.queue
        stale = (
            f"; {q.stale()} label(s) of statements the dataset no longer has as labelled" if q.stale() else ""
        )
        state = f" (read-only: {q.store.message})" if q.store.read_only else ""
        return (
            f"{q.store.annotator} on {q.topic.topic}: {len(q.tagged())} of {len(q.items)} statements tagged"
            f"{stale}; kept in {shown_path(q.store.path)}{state}"
        )

    def _actions(self) -> dict[str, Callable[[dict[str, Any]], None]]:
        return {
            "hello": lambda m: None,
            "goto": lambda m: self._goto(str(m["key"])),
            "label": lambda m: self._label(str(m["key"]), str(m["label"])),
            "rationale": lambda m: self._rationale(str(m["key"]), str(m["text"])),
            "undo": lambda m: self._undo(),
        }

    def _goto(self, key: str) -> None:
        self.queue.item(key)
        self._current = self._anchor = key

    def _label(self, key: str, label: str) -> None:
        q = self.queue
        shown = self._suggestions.shown.get((key, q.topic.topic), "")
        q.store.set_label(q.item(key), q.topic, label, shown)
        if q.maybe_rerank():
            self._notice = f"ranked again with your labels: {q.note}"
        following = next_unreviewed(q.order(), q.tagged(), self._anchor, key)
        if following == key:
            self._notice = f"all {len(q.items)} statements in the queue are tagged"
        self._current = self._anchor = following

    def _rationale(self, key: str, text: str) -> None:
        article_id, statement_id = self.queue.item(key)["article_id"], self.queue.item(key)["id"]
        self.queue.store.set_rationale(str(article_id), str(statement_id), self.queue.topic.topic, text)

    def _undo(self) -> None:
        """Take back the last change, and show the statement it was about."""
        store = self.queue.store
        before = _rows(store.labels)
        if not store.undo():
            raise InputError(None, "nothing to undo in this session", "")
        touched = before ^ _rows(store.labels)
        keys = [item_key(a, i) for a, i, *_ in touched if item_key(a, i) in self.queue.items.index]
        if keys:
            self._current = self._anchor = keys[0]
        self.queue.maybe_rerank()
        self._notice = "undone"

    def _learner(self) -> StanceLearner | None:
        store = self.queue.store
        return self._suggestions.fitted(store.topics, lambda: self.queue.learning_pairs(), self._current)

    def _refresh(self, error: str = "") -> None:
        q, store = self.queue, self.queue.store
        order = q.order()
        if self._current not in order:
            self._current = order[0] if order else ""
        item = q.item(self._current) if self._current else None
        learner = self._learner() if item else None
        self.state = {
            "mode": "queue",
            "annotator": store.annotator,
            "read_only": store.read_only,
            "message": store.message,
            "notice": self._notice,
            "error": error,
            "ack": self._ack,
            "topic": {
                "topic": q.topic.topic,
                "proposition": q.topic.proposition,
                "keywords": q.topic.keywords,
            },
            "tagged": len(q.tagged()),
            "total": len(order),
            "matching": q.matching,
            "stale": q.stale(),
            "ranking": q.note,
            "current": self._current,
            "order": order,
            "nearby": self._nearby(order),
            "tagged_keys": sorted(q.tagged()),
            "item": self._item(item) if item else None,
            "label": q.label_of(self._current) if item else None,
            "suggestion": self._suggestions.offer(
                learner, self._current, q.pair(self._current), q.topic.topic
            )
            if learner is not None and item
            else None,
            "learner": self._suggestions.agreement(learner),
            "counts": {"topic": len(q.mine()), "collection": len(store.labels)},
            "files": str(store.path),
        }
        if not store.read_only:
            store.message = ""

    def _nearby(self, order: list[str]) -> dict[str, str]:
        """Who is quoted, and where, in the statements listed around the current one."""
        at = order.index(self._current) if self._current in order else 0
        shown = self.queue.items.loc[order[max(at - 1, 0) : at + NEARBY_AFTER]].fillna("").astype(str)
        who = shown["person"].where(shown["person"] != "", shown["speaker"])
        return {
            key: " · ".join(v for v in (name, outlet) if v)
            for key, name, outlet in zip(shown["key"], who, shown["outlet"], strict=True)
        }

    @staticmethod
    def _item(item: dict[str, object]) -> dict[str, object]:
        shown = {k: "" if pd.isna(item.get(k)) else str(item.get(k, "")) for k in ITEM_FIELDS}
        score = item.get("score")
        shown["score"] = None if score is None or pd.isna(score) else float(score)
        shown["found"] = bool(item.get("found"))
        shown["parts"] = paragraph_parts(str(item.get("context") or ""), shown["text"])
        return shown


def _rows(labels: pd.DataFrame) -> set[tuple[str, ...]]:
    return set(labels.itertuples(index=False, name=None))


def _annotator(annotator: str | None) -> str:
    return check_annotator(annotator) if annotator else default_annotator()


def open_people_view(
    dataset: str | Path, annotator: str | None = None, person: str = "", decisions: str | Path | None = None
) -> PeopleView:
    """The people view over a corpus dataset (most quoted first, or ``person``); opening writes nothing."""
    return PeopleView(open_people_review(dataset, _annotator(annotator), decisions), person)


def open_queue(
    dataset: str | Path, topics: str | Path, topic: str, annotator: str | None = None
) -> QueueView:
    """The queue of one topic of a collection (a dataset and its topics table); opening writes nothing."""
    return QueueView(open_topic_queue(dataset, topics, topic, _annotator(annotator)))
