"""The review-and-tag workbench: a keyboard-driven widget (anywidget) over one person's annotation store.

The front end (``resources/workbench.js``) only renders and sends actions; every edit is
made here, through :mod:`utils.annotations`, which saves it at once. Stance suggestions
come from :class:`utils.suggest.StanceLearner`, refitted on the person's own labels: the
keyword relevance with its matched words, and a direction only when the learner offers
one; they are never pre-selected, and each label records what was shown
(``suggestion_shown``). Keys and layout: ``data/README.md`` (Annotations).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anywidget
import pandas as pd
import traitlets

from utils import annotations as an
from utils.curation import load_curation
from utils.errors import InputError
from utils.schema import NOT_ADDRESSED
from utils.suggest import StanceLearner

READING_ORDER = ["start", "end", "id"]  # statements as the article has them

RESOURCES = Path(__file__).resolve().parent / "resources"
SHOWN_COLUMNS = ["id", "speaker", "affiliation", "kind", "text", "start", "end", "cue", "reviewed_by"]
AGREEMENT_EVERY = 5  # labels between two cross-validations of the learner (each is several model fits)
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def paragraphs(text: str) -> list[list[int]]:
    """Start and end offsets of the article's paragraphs (blank-line separated)."""
    spans, start = [], 0
    for gap in _PARAGRAPH_BREAK.finditer(text):
        if gap.start() > start:
            spans.append([start, gap.start()])
        start = gap.end()
    if start < len(text):
        spans.append([start, len(text)])
    return spans


def review_order(statements: pd.DataFrame, confidence: dict[str, float], by: str) -> list[str]:
    """Statement ids in article order, or least certain first when a confidence is known."""
    ordered = statements.sort_values(READING_ORDER, kind="stable")
    if by == "uncertain" and confidence:
        keys = ordered["id"].map(lambda i: confidence.get(i, float("inf")))
        ordered = ordered.assign(_c=keys).sort_values("_c", kind="stable")
    return list(ordered["id"])


class Workbench(anywidget.AnyWidget):
    """One statement at a time: review its attribution and span, then tag its stance per topic."""

    _esm = RESOURCES / "workbench.js"
    _css = RESOURCES / "workbench.css"
    article = traitlets.Dict().tag(sync=True)
    state = traitlets.Dict().tag(sync=True)

    def __init__(self, store: an.Store, learner: type[StanceLearner] | None = StanceLearner, **kwargs):
        super().__init__(**kwargs)
        self.store = store
        self._learner_class = learner
        self._learner: StanceLearner | None = None
        self._learner_key: object = None
        self._fitted_for: object = None
        self._agreement_cache: dict[str, object] | None = None
        self._shown: dict[tuple[str, str], str] = {}
        statements = load_curation(store.article).statements
        self._confidence = (
            dict(zip(statements["id"], pd.to_numeric(statements["confidence"], errors="coerce"), strict=True))
            if "confidence" in statements.columns
            else {}
        )
        self._sort = "article"
        order = review_order(store.statements, self._confidence, self._sort)
        unreviewed = store.statements.loc[store.statements["reviewed_by"] == "", "id"]
        self._current = next((i for i in order if i in set(unreviewed)), order[0] if order else "")
        self.article = {
            "id": store.article_id,
            "title": store.article.title,
            "text": store.article.text,
            "paragraphs": paragraphs(store.article.text),
        }
        self.on_msg(self._on_message)
        self._refresh()

    # --- actions from the front end

    def _actions(self) -> dict[str, Callable[[dict[str, Any]], None]]:
        s = self.store
        return {
            "goto": lambda m: self._goto(str(m["id"])),
            "review": lambda m: (an.mark_reviewed(s, str(m["id"])), self._step(str(m["id"]), 1)),
            "speaker": lambda m: an.set_speaker(s, str(m["id"]), str(m["name"]), bool(m.get("every", True))),
            "affiliation": lambda m: an.set_affiliation(
                s, str(m["id"]), str(m["value"]), bool(m.get("every", False))
            ),
            "kind": lambda m: an.toggle_kind(s, str(m["id"])),
            "move": lambda m: an.move_edge(s, str(m["id"]), str(m["edge"]), int(m["step"])),
            "delete": lambda m: self._delete(str(m["id"])),
            "split": lambda m: an.split_statement(s, str(m["id"]), int(m["at"])),
            "add": lambda m: self._goto(an.add_statement(s, int(m["start"]), int(m["end"]))),
            "label": lambda m: self._label(str(m["id"]), str(m["topic"]), str(m["label"])),
            "rationale": lambda m: an.set_rationale(s, str(m["id"]), str(m["topic"]), str(m["text"])),
            "topic": lambda m: an.set_topic(
                s, str(m["topic"]), str(m["proposition"]), str(m.get("keywords", ""))
            ),
            "undo": lambda m: self._undo(),
            "sort": lambda m: self._set_sort(str(m["by"])),
        }

    def _on_message(self, _widget: object, content: dict[str, Any], _buffers: object) -> None:
        error = ""
        try:
            self._actions()[content["action"]](content)
        except InputError as exc:
            error = exc.message
        except (KeyError, TypeError, ValueError) as exc:
            error = (
                f"the workbench sent an action it cannot do ({type(exc).__name__}: {exc}); reload the page"
            )
        self._refresh(error)

    def _goto(self, statement_id: str) -> None:
        if statement_id in set(self.store.statements["id"]):
            self._current = statement_id

    def _step(self, statement_id: str, step: int) -> None:
        order = self.order()
        if statement_id in order:
            self._current = order[min(max(order.index(statement_id) + step, 0), len(order) - 1)]

    def _delete(self, statement_id: str) -> None:
        order = self.order()
        position = order.index(statement_id) if statement_id in order else 0
        an.delete_statement(self.store, statement_id)
        rest = self.order()
        self._current = rest[min(position, len(rest) - 1)] if rest else ""

    def _label(self, statement_id: str, topic: str, label: str) -> None:
        an.set_label(self.store, statement_id, topic, label, self._shown.get((statement_id, topic), ""))

    def _undo(self) -> None:
        if not self.store.undo():
            raise InputError(None, "nothing to undo", "")
        if self._current not in set(self.store.statements["id"]):
            self._current = self.order()[0] if len(self.store.statements) else ""

    def _set_sort(self, by: str) -> None:
        if by not in ("article", "uncertain"):
            raise InputError(None, f"unknown order {by!r}", "use article or uncertain")
        self._sort = by

    # --- what the front end shows

    def order(self) -> list[str]:
        return review_order(self.store.statements, self._confidence, self._sort)

    def _refresh(self, error: str = "") -> None:
        s = self.store
        if self._current not in set(s.statements["id"]):
            order = self.order()
            self._current = order[0] if order else ""
        labels = s.stance[s.stance["id"] == self._current]
        self.state = {
            "annotator": s.annotator,
            "read_only": s.read_only,
            "message": s.message,
            "error": error,
            "reviewed": s.reviewed(),
            "total": len(s.statements),
            "current": self._current,
            "order": self.order(),
            "sort": self._sort,
            "can_sort": bool(self._confidence),
            "statements": s.statements[SHOWN_COLUMNS].to_dict("records"),
            "topics": s.topics.to_dict("records"),
            "labels": {r.topic: {"label": r.label, "rationale": r.rationale} for r in labels.itertuples()},
            "suggestions": self._suggestions(),
            "learner": self._agreement(),
            "people": self._people(),
            "files": str(an.annotations_dir(s.article_id)),
        }
        if not s.read_only:
            s.message = ""  # an outside-edit notice is shown once

    def _people(self) -> list[dict[str, object]]:
        rows = self.store.statements
        first = rows.drop_duplicates("speaker")
        counts = rows["speaker"].value_counts()
        return [
            {"name": r.speaker, "affiliation": r.affiliation, "rows": int(counts[r.speaker])}
            for r in first.sort_values("speaker").itertuples()
        ]

    def _fitted(self) -> StanceLearner | None:
        """The learner, refitted on the person's labels when they move to another statement.

        Not while they label the current one: its suggestions should not echo the labels
        just given, and refitting on every key would slow the keys down. A topic edit refits.
        """
        if self._learner_class is None:
            return None
        s = self.store
        topics = s.topics.to_csv()
        if self._learner is not None and self._fitted_for == (self._current, topics):
            return self._learner
        key = (s.stance[["id", "topic", "label"]].to_csv(), topics, s.statements["text"].to_csv())
        if key != self._learner_key:
            texts = dict(zip(s.statements["id"], s.statements["text"], strict=True))
            labelled = s.stance[s.stance["id"].isin(texts)].assign(text=lambda f: f["id"].map(texts))
            self._learner = self._learner_class(s.topics).fit(labelled[["text", "topic", "label"]])
            self._learner_key = key
        self._fitted_for = (self._current, topics)
        return self._learner

    def _suggestions(self) -> dict[str, dict[str, object]]:
        learner = self._fitted()
        rows = self.store.statements[self.store.statements["id"] == self._current]
        if learner is None or rows.empty:
            return {}
        text, out = rows["text"].iloc[0], {}
        for topic in self.store.topics["topic"]:
            offer = learner.suggest(text, topic)
            shown = offer.label or (NOT_ADDRESSED if not offer.relevant else "addressed")
            self._shown[(self._current, topic)] = shown
            out[topic] = {
                "relevant": offer.relevant,
                "matched": list(offer.matched),
                "label": offer.label,
                "confidence": offer.confidence,
                "evidence": list(offer.evidence),
            }
        return out

    def _agreement(self) -> dict[str, object] | None:
        """The learner's cross-validated agreement with the person, redone every AGREEMENT_EVERY labels."""
        learner = self._fitted()
        if learner is None:
            return None
        count = len(learner.labelled)
        if self._agreement_cache is None or abs(count - self._agreement_cache["labels"]) >= AGREEMENT_EVERY:
            result = learner.agreement()
            self._agreement_cache = {
                "labels": result.labels,
                "kappa": result.kappa,
                "prior_kappa": result.prior_kappa,
                "accuracy": result.accuracy,
                "coverage": result.coverage,
            }
        return self._agreement_cache


def open_workbench(article_id: str, annotator: str | None = None) -> Workbench:
    """The workbench on a person's store of an article (their saved work, or the statements to review)."""
    return Workbench(an.open_store(article_id, annotator or None))
