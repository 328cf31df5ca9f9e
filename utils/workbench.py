"""The review-and-tag workbench: a keyboard-driven widget (anywidget) over one person's annotation store.

The front end (``resources/workbench.js``) only renders and sends actions; every edit is
made here, through :mod:`utils.annotations`, which saves it at once. Each action carries a
sequence number that the new state echoes (``ack``), so the front end knows when the kernel
stopped answering. Stance suggestions come from :class:`utils.suggest.StanceLearner`,
refitted on the person's own labels: the keyword relevance with its matched words, and a
direction only when the learner offers one, with its evidence and how sure it is; they are
never pre-selected, never counted as labels, and each label records what was shown
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

from utils import adjudication as ad
from utils import annotations as an
from utils.articles import bundled_article, paragraphs
from utils.errors import InputError
from utils.extract.lexicon import words as lexicon_words
from utils.files import shown_path
from utils.people.cluster import names_in_text
from utils.people.names import PERSON, analyse_speaker
from utils.schema import NOT_ADDRESSED, STANCE_LABELS
from utils.suggest import CONTEXTS, StanceLearner, statement_pairs

READING_ORDER = ["start", "end", "id"]  # statements as the article has them

RESOURCES = Path(__file__).resolve().parent / "resources"
SHOWN_COLUMNS = [
    "id",
    "speaker",
    "affiliation",
    "kind",
    "text",
    "start",
    "end",
    "cue",
    "rule",
    "confidence",
    "reviewed_by",
]
LEARNED_FROM = ["text", "topic", "label", "speaker", "person", *CONTEXTS]  # what a label teaches the learner
AGREEMENT_EVERY = 5  # labels between two cross-validations of the learner (each is several model fits)
MENTIONS_KEPT = 40  # offsets of a name's mentions sent to the front end (to rank names by nearness)
TITLE_WORDS = lexicon_words("title-words")  # "President", "Minister": a title before a name


def machine_confidence(statements: pd.DataFrame) -> dict[str, float]:
    """How sure the extractor was of each row it found; rows people added (no ``rule``) are left out."""
    found = statements[statements["rule"].astype(str) != ""]
    return dict(zip(found["id"], pd.to_numeric(found["confidence"], errors="coerce"), strict=True))


def review_order(statements: pd.DataFrame, confidence: dict[str, float], by: str) -> list[str]:
    """Statement ids in article order, or least certain first when a confidence is known."""
    ordered = statements.sort_values(READING_ORDER, kind="stable")
    if by == "uncertain" and confidence:
        keys = ordered["id"].map(lambda i: confidence.get(i, float("inf")))
        ordered = ordered.assign(_c=keys).sort_values("_c", kind="stable")
    return list(ordered["id"])


def next_unreviewed(order: list[str], reviewed: set[str], anchor: str, current: str) -> str:
    """The first statement nobody reviewed, in ``order`` from where the person was reading (``anchor``,
    itself included) round to the start; ``current`` when every other one is reviewed.

    After adding a missed statement (or moving one), ``anchor`` is still the statement they were
    reading, so no unreviewed statement between the two is skipped.
    """
    at = order.index(anchor) if anchor in order else 0
    ahead = order[at:] + order[:at]
    return next((i for i in ahead if i not in reviewed and i != current), current)


def name_candidates(text: str, statements: pd.DataFrame) -> list[dict[str, object]]:
    """The people a speaker fix may pick: the article's speakers (with their rows and known affiliation),
    then the other full names the article mentions, each with where it is mentioned."""
    counts = statements["speaker"].value_counts()
    speakers = list(dict.fromkeys(statements.sort_values(READING_ORDER)["speaker"]))
    runs = [n.split(". ")[-1].strip(" .,;:") for n in names_in_text(text)]  # "Kursk. Serhiy Grabsky"
    found = [_after_title(run) or run for run in runs]  # speakers are named without titles
    mentioned = [n for n in dict.fromkeys(found) if n and n not in counts]
    out = []
    for name in [*speakers, *mentioned]:
        rows = int(counts.get(name, 0))
        out.append(
            {
                "name": name,
                "rows": rows,
                "affiliation": an.known_affiliation(statements, name) or "",
                "at": _mentions(text, name, statements),
            }
        )
    return out


def _after_title(run: str) -> str:
    """The words after the last title word: "Russian President Vladimir Putin" -> "Vladimir Putin"."""
    words = run.split()
    at = max((i for i, w in enumerate(words[:-1]) if w.casefold() in TITLE_WORDS), default=-1)
    return " ".join(words[at + 1 :]) if at >= 0 else ""


def _mentions(text: str, name: str, statements: pd.DataFrame) -> list[int]:
    """Where the name occurs (a person's surname alone too), and where its rows start: to rank names
    by nearness to the statement being fixed."""
    kind, core = analyse_speaker(name)
    words = core.split() if kind == PERSON else []
    pattern = re.escape(words[-1]) if words else re.escape(name)
    found = [m.start() for m in re.finditer(rf"\b{pattern}\b", text)][:MENTIONS_KEPT]
    rows = statements.loc[statements["speaker"] == name, "start"].astype(int)
    return sorted({*found, *rows})[:MENTIONS_KEPT]


def affiliation_candidates(statements: pd.DataFrame) -> list[dict[str, object]]:
    """Every affiliation the article's rows give, with whose it is (the affiliation form's choices)."""
    given = statements[statements["affiliation"].str.strip() != ""]
    grouped = given.groupby("affiliation", sort=False)["speaker"].agg(lambda s: sorted(set(s)))
    return [{"value": value, "speakers": speakers} for value, speakers in grouped.items()]


class Suggestions:
    """The stance learner behind a view, refitted on the person's labels when they move to another
    statement, what it offers for a statement and topic, and its cross-validated agreement.

    Not refitted while they label the current statement: its suggestions should not echo the
    labels just given, and refitting on every key would slow the keys down. A topic edit refits.
    """

    def __init__(self, learner: type[StanceLearner] | None = StanceLearner) -> None:
        self._class = learner
        self._learner: StanceLearner | None = None
        self._key: object = None
        self._fitted_for: object = None
        self._agreement: dict[str, object] | None = None
        self.shown: dict[tuple[str, str], str] = {}  # (statement, topic) -> what was suggested

    def fitted(
        self, topics: pd.DataFrame, labelled: Callable[[], pd.DataFrame], at: str
    ) -> StanceLearner | None:
        """The learner for the statement ``at``; ``labelled`` gives the labels (text, topic, label, and the
        statement's speaker and contexts when known)."""
        if self._class is None:
            return None
        table = _content_key(topics)
        if self._learner is not None and self._fitted_for == (at, table):
            return self._learner
        labels = labelled()
        labels = labels[[c for c in LEARNED_FROM if c in labels]]
        key = (_content_key(labels), table)
        if key != self._key:
            if self._learner is None or self._key is None or self._key[1] != table:
                self._learner = self._class(topics)  # a new one only for new topics: it keeps its tone cache
            self._learner.fit(labels)
            self._key = key
        self._fitted_for = (at, table)
        return self._learner

    def offer(self, learner: StanceLearner, at: str, pair: dict[str, str], topic: str) -> dict[str, object]:
        """What the learner suggests for a statement (its text, speaker, contexts) and a topic, remembered."""
        offer = learner.suggest(topic=topic, **pair)
        self.shown[(at, topic)] = offer.label or (NOT_ADDRESSED if not offer.relevant else "addressed")
        return {
            "relevant": offer.relevant,
            "matched": list(offer.matched),
            "label": offer.label,
            "confidence": offer.confidence,
            "evidence": list(offer.evidence),
            "relevance": offer.relevance,
            "around": list(offer.around),
        }

    def agreement(self, learner: StanceLearner | None) -> dict[str, object] | None:
        """The learner's agreement with the person, redone every AGREEMENT_EVERY labels; ``labels`` is
        how many it learns from now, ``measured_on`` how many the agreement was measured on."""
        if learner is None:
            return None
        count = len(learner.labelled)
        if self._agreement is None or abs(count - self._agreement["measured_on"]) >= AGREEMENT_EVERY:
            result = learner.agreement()
            self._agreement = {
                "measured_on": result.labels,
                "kappa": result.kappa,
                "prior_kappa": result.prior_kappa,
                "accuracy": result.accuracy,
                "coverage": result.coverage,
            }
        return {**self._agreement, "labels": count}


class KeyedView(anywidget.AnyWidget):
    """The front end (``workbench.js``) and its messages: each action names a method, carries a number
    the new state echoes (``ack``), and an action it cannot do is a one-line error, never a traceback."""

    _esm = RESOURCES / "workbench.js"
    _css = RESOURCES / "workbench.css"
    article = traitlets.Dict().tag(sync=True)
    state = traitlets.Dict().tag(sync=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._ack = 0
        self._notice = ""
        self.on_msg(self._on_message)

    def _actions(self) -> dict[str, Callable[[dict[str, Any]], None]]:
        raise NotImplementedError

    def _refresh(self, error: str = "") -> None:
        raise NotImplementedError

    def _on_message(self, _widget: object, content: dict[str, Any], _buffers: object) -> None:
        error, self._notice = "", ""
        try:
            self._ack = int(content.get("seq", self._ack))
            self._actions()[content["action"]](content)
        except InputError as exc:
            error = exc.message
        except (KeyError, TypeError, ValueError) as exc:
            error = (
                f"the workbench sent an action it cannot do ({type(exc).__name__}: {exc}); reload the page"
            )
        self._refresh(error)


class Workbench(KeyedView):
    """One statement at a time: review its attribution and span, then tag its stance per topic."""

    def __init__(self, store: an.Store, learner: type[StanceLearner] | None = StanceLearner, **kwargs):
        super().__init__(**kwargs)
        self.store = store
        self._suggestions = Suggestions(learner)
        self._sort = "article"
        order = self.order()
        unreviewed = set(store.statements.loc[store.statements["reviewed_by"] == "", "id"])
        self._current = next((i for i in order if i in unreviewed), order[0] if order else "")
        self._anchor = self._current  # the statement the person was reading (see next_unreviewed)
        self.article = {
            "id": store.article_id,
            "title": store.article.title,
            "text": store.article.text,
            "paragraphs": paragraphs(store.article.text),
        }
        self._refresh()

    # --- actions from the front end

    def _actions(self) -> dict[str, Callable[[dict[str, Any]], None]]:
        s = self.store
        return {
            "hello": lambda m: None,  # the front end's first message: its answer says the kernel is there
            "goto": lambda m: self._goto(str(m["id"])),
            "review": lambda m: (an.mark_reviewed(s, str(m["id"])), self._advance()),
            "attribution": self._attribution,
            "kind": lambda m: an.toggle_kind(s, str(m["id"])),
            "move": lambda m: an.move_edge(
                s, str(m["id"]), str(m["edge"]), int(m["step"]), str(m.get("by", "word"))
            ),
            "span": lambda m: an.set_span(s, str(m["id"]), int(m["start"]), int(m["end"])),
            "delete": lambda m: self._delete(str(m["id"])),
            "split": lambda m: self._show(an.split_statement(s, str(m["id"]), int(m["at"]))),
            "add": lambda m: self._show(an.add_statement(s, int(m["start"]), int(m["end"]))),
            "label": lambda m: self._label(str(m["id"]), str(m["topic"]), str(m["label"])),
            "rationale": lambda m: an.set_rationale(s, str(m["id"]), str(m["topic"]), str(m["text"])),
            "topic": lambda m: an.set_topic(
                s, str(m["topic"]), str(m["proposition"]), str(m.get("keywords", ""))
            ),
            "undo": lambda m: self._undo(),
            "sort": lambda m: self._set_sort(str(m["by"])),
        }

    def _goto(self, statement_id: str) -> None:
        if statement_id in set(self.store.statements["id"]):
            self._current = self._anchor = statement_id

    def _show(self, statement_id: str) -> None:
        """Show a statement just made (added, or split off) without moving where the person reads."""
        self._current = statement_id

    def _advance(self) -> None:
        """On to the next statement nobody reviewed (see :func:`next_unreviewed`)."""
        reviewed = set(self.store.statements.loc[self.store.statements["reviewed_by"] != "", "id"])
        following = next_unreviewed(self.order(), reviewed, self._anchor, self._current)
        if following == self._current:
            self._notice = (self._notice + "; " if self._notice else "") + (
                f"all {len(self.store.statements)} statements reviewed"
            )
        self._current = self._anchor = following

    def _attribution(self, m: dict[str, Any]) -> None:
        """The speaker form: speaker and affiliation, this row or every row of the person, then on or stay."""
        speaker = m.get("speaker")
        affiliation = m.get("affiliation")
        self._notice = an.set_attribution(
            self.store,
            str(m["id"]),
            None if speaker is None else str(speaker),
            None if affiliation is None else str(affiliation),
            bool(m.get("every", False)),
        )
        if m.get("next", False):
            self._advance()

    def _delete(self, statement_id: str) -> None:
        order = self.order()
        position = order.index(statement_id) if statement_id in order else 0
        an.delete_statement(self.store, statement_id)
        rest = self.order()
        self._current = self._anchor = rest[min(position, len(rest) - 1)] if rest else ""
        self._notice = f"deleted {statement_id}"

    def _label(self, statement_id: str, topic: str, label: str) -> None:
        shown = self._suggestions.shown.get((statement_id, topic), "")
        an.set_label(self.store, statement_id, topic, label, shown)

    def _undo(self) -> None:
        if not self.store.undo():
            raise InputError(None, "nothing to undo", "")
        self._notice = "undone"
        if self._current not in set(self.store.statements["id"]):
            self._current = self._anchor if self._anchor in set(self.store.statements["id"]) else ""

    def _set_sort(self, by: str) -> None:
        if by not in ("article", "uncertain"):
            raise InputError(None, f"unknown order {by!r}", "use article or uncertain")
        self._sort = by

    def summary(self) -> str:
        """One line: progress and where the work is kept."""
        return self.store.summary()

    def __repr__(self) -> str:  # what a notebook shows where no kernel runs the widget
        return f"review workbench for {self.store.article_id} (run the cell to use it)"

    # --- what the front end shows

    def order(self) -> list[str]:
        return review_order(self.store.statements, machine_confidence(self.store.statements), self._sort)

    def _refresh(self, error: str = "") -> None:
        s = self.store
        order = self.order()
        if self._current not in set(s.statements["id"]):
            self._current = order[0] if order else ""
        labels = s.stance[s.stance["id"] == self._current]
        self.state = {
            "annotator": s.annotator,
            "read_only": s.read_only,
            "message": s.message,
            "notice": self._notice,
            "error": error,
            "ack": self._ack,
            "reviewed": s.reviewed(),
            "total": len(s.statements),
            "current": self._current,
            "order": order,
            "sort": self._sort,
            "can_sort": bool(machine_confidence(s.statements)),
            "statements": s.statements[SHOWN_COLUMNS].to_dict("records"),
            "topics": s.topics.to_dict("records"),
            "labels": {r.topic: {"label": r.label, "rationale": r.rationale} for r in labels.itertuples()},
            "counts": self._counts(),
            "suggestions": self._suggestions_now(),
            "learner": self._suggestions.agreement(self._fitted()),
            "people": name_candidates(s.article.text, s.statements),
            "affiliations": affiliation_candidates(s.statements),
            "files": str(an.annotations_dir(s.article_id)),
        }
        if not s.read_only:
            s.message = ""  # an outside-edit notice is shown once

    def _counts(self) -> dict[str, int]:
        """People's stance labels, counted apart from anything the machine suggests."""
        stance = self.store.stance
        return {"labelled_statements": int(stance["id"].nunique()), "label_pairs": len(stance)}

    def _fitted(self) -> StanceLearner | None:
        s = self.store

        def labelled() -> pd.DataFrame:
            return s.stance.merge(statement_pairs(s.statements, s.article.text), on="id")

        return self._suggestions.fitted(s.topics, labelled, self._current)

    def _suggestions_now(self) -> dict[str, dict[str, object]]:
        learner = self._fitted()
        rows = self.store.statements[self.store.statements["id"] == self._current]
        if learner is None or rows.empty:
            return {}
        pair = statement_pairs(rows, self.store.article.text).iloc[0].drop("id").to_dict()
        return {
            t: self._suggestions.offer(learner, self._current, pair, t) for t in self.store.topics["topic"]
        }


def open_workbench(article_id: str, annotator: str | None = None) -> Workbench:
    """The workbench on a person's store of an article (their saved work, or the statements to review)."""
    return Workbench(an.open_store(article_id, annotator or None))


class Adjudicator(KeyedView):
    """Where several people disagree, one disagreement at a time: pick a version or a label, drop, or edit.

    The same front end as :class:`Workbench`, in its ``adjudicate`` mode; every decision is saved
    at once (:mod:`utils.adjudication`), and ``opinions accept --from A --from B`` takes the result.
    """

    def __init__(self, adjudication: ad.Adjudication, **kwargs):
        super().__init__(**kwargs)
        self.adjudication = adjudication
        pending = adjudication.pending()
        items = adjudication.items()
        self._index = items.index(pending[0]) if pending else 0
        text = bundled_article(adjudication.article_id)
        self._text = text.text
        self.article = {
            "id": text.article_id,
            "title": text.title,
            "text": text.text,
            "paragraphs": paragraphs(text.text),
        }
        self._refresh()

    def __repr__(self) -> str:  # what a notebook shows where no kernel runs the widget
        return f"adjudication view for {self.adjudication.article_id} (run the cell to use it)"

    def summary(self) -> str:
        """One line: how many disagreements are settled, and where the decisions are kept."""
        a = self.adjudication
        left = len(a.pending())
        return (
            f"{a.adjudicator} settling {', '.join(a.names)} on {a.article_id}: "
            f"{len(a.items()) - left} of {len(a.items())} disagreements settled; kept in {shown_path(a.path)}"
        )

    def _item(self) -> ad.Unit | ad.LabelUnit:
        items = self.adjudication.items()
        if not items:
            raise InputError(None, "there is nothing to settle", "")
        return items[min(self._index, len(items) - 1)]

    def _unit(self) -> ad.Unit:
        item = self._item()
        if not isinstance(item, ad.Unit):
            raise InputError(None, "this disagreement is about a label: press 1-4 or 0", "")
        return item

    def _actions(self) -> dict[str, Callable[[dict[str, Any]], None]]:
        return {
            "hello": lambda m: None,
            "goto": lambda m: self._goto(int(m["index"])),
            "pick": lambda m: self._pick(int(m["person"])),
            "drop": lambda m: self._decide(self._unit(), ad.DROP, advance=True),
            "label": lambda m: self._label(str(m["label"])),
            "attribution": self._attribution,
            "kind": lambda m: self._edit(kind_toggled=True),
            "move": lambda m: self._edit(move=(str(m["edge"]), int(m["step"]), str(m.get("by", "word")))),
            "span": lambda m: self._edit(span=an.snapped(self._text, int(m["start"]), int(m["end"]))),
            "undo": lambda m: self._undo(),
        }

    def _goto(self, index: int) -> None:
        self._index = min(max(index, 0), max(len(self.adjudication.items()) - 1, 0))

    def _advance(self) -> None:
        items, pending = self.adjudication.items(), self.adjudication.pending()
        later = [x for x in pending if items.index(x) > self._index] or pending
        if later:
            self._index = items.index(later[0])
        else:
            names = " --from ".join(self.adjudication.names)
            self._notice = (
                f"all {len(items)} disagreements settled: opinions accept {self.adjudication.article_id} "
                f"--from {names} makes the result the curated tables"
            )

    def _decide(self, item: ad.Unit | ad.LabelUnit, choice: str, advance: bool, **values: object) -> None:
        self.adjudication.decide(item, choice, **values)
        what = {ad.DROP: "dropped", "edited": "edited", "label": f"label {values.get('label')}"}
        self._notice = f"{ad.describe(item)}: " + what.get(choice, f"{choice}'s version")
        if advance:
            self._advance()

    def _pick(self, person: int) -> None:
        item = self._item()
        names = self.adjudication.names
        if not 1 <= person <= len(names):
            raise InputError(None, f"there is no person {person}", f"press 1 to {len(names)}")
        name = names[person - 1]
        if isinstance(item, ad.LabelUnit):
            raise InputError(None, "this disagreement is about a label: press the label's key", "")
        if name not in item.versions:
            raise InputError(None, f"{name} did not review this statement", "pick a person who did")
        version = item.versions[name]
        if version is None:
            self._decide(item, ad.DROP, advance=True)
        else:
            self._decide(item, name, advance=True, **version)

    def _label(self, label: str) -> None:
        item = self._item()
        if not isinstance(item, ad.LabelUnit):
            raise InputError(None, "this disagreement is about the statement: pick a version (1-9)", "")
        if label not in (*STANCE_LABELS, NOT_ADDRESSED):
            raise InputError(None, f"unknown stance label {label!r}", "")
        reasons = [r for n, r in item.rationales.items() if r and item.labels[n] == label]
        rationale = reasons[0] if reasons else f"settled by {self.adjudication.adjudicator}"
        self._decide(item, "label", advance=True, label=label, rationale=rationale)

    def _current_row(self) -> dict[str, object]:
        unit = self._unit()
        row = self.adjudication.row(unit)
        return dict(row if row is not None else unit.first)

    def _edit(self, kind_toggled: bool = False, move: tuple | None = None, span: tuple | None = None) -> None:
        row = self._current_row()
        start, end = int(row["start"]), int(row["end"])
        if kind_toggled:
            row["kind"] = "paraphrase" if row["kind"] == "direct" else "direct"
        if move:
            start, end = an.moved_span(self._text, start, end, *move)
        if span:
            start, end = span
            if start >= end:
                raise InputError(None, "the selection is empty", "select the statement's words")
        text = an.statement_text(self._text, start, end, row["kind"], row["cue"], row["speaker"])
        self._decide(
            self._unit(), "edited", advance=False, **{**row, "start": start, "end": end, "text": text}
        )

    def _attribution(self, m: dict[str, Any]) -> None:
        row = self._current_row()
        rows = self._rows()
        if m.get("speaker") is not None:
            name = " ".join(str(m["speaker"]).split())
            if not name:
                raise InputError(None, "the speaker name must not be empty", "type a speaker name")
            known = an.known_affiliation(rows[rows["speaker"] != row["speaker"]], name)
            row["affiliation"] = row["affiliation"] if known is None else known
            row["speaker"] = name
        if m.get("affiliation") is not None:
            row["affiliation"] = " ".join(str(m["affiliation"]).split())
        self._decide(self._unit(), "edited", advance=bool(m.get("next", False)), **row)

    def _undo(self) -> None:
        if not self.adjudication.undo():
            raise InputError(None, "nothing to undo", "")
        self._notice = "undone"

    def _rows(self) -> pd.DataFrame:
        """The statements as they stand (agreed, decided, or first versions), for the speaker form."""
        a = self.adjudication
        rows = [a.row(u) for u in a.merged.units]
        return pd.DataFrame([r for r in rows if r is not None], columns=ad.KEPT)

    def _refresh(self, error: str = "") -> None:
        a = self.adjudication
        items = a.items()
        pending = a.pending()
        self.state = {
            "mode": "adjudicate",
            "annotator": a.adjudicator,
            "names": a.names,
            "ack": self._ack,
            "error": error,
            "notice": self._notice,
            "total": len(items),
            "settled": len(items) - len(pending),
            "current": self._index,
            "items": [{"label": ad.describe(x), "settled": x not in pending} for x in items],
            "item": self._shown(items[self._index]) if items else None,
            "people": name_candidates(self._text, self._rows().assign(id="")),
            "affiliations": affiliation_candidates(self._rows()),
            "files": str(ad.adjudication_dir(a.article_id)),
        }

    def _shown(self, item: ad.Unit | ad.LabelUnit) -> dict[str, object]:
        a = self.adjudication
        decided = a.decision(item)
        if isinstance(item, ad.LabelUnit):
            unit = next(u for u in a.merged.units if u.key == item.key)
            row = a.row(unit) or unit.first
            topic = a.merged.topics.set_index("topic").loc[item.topic]
            return {
                "type": "label",
                "id": item.shown_id,
                "topic": item.topic,
                "proposition": topic["proposition"],
                "statement": {**row, "id": item.shown_id},
                "labels": [
                    {"name": n, "label": v, "rationale": item.rationales.get(n, "")}
                    for n, v in item.labels.items()
                ],
                "decided": decided["label"] if decided else "",
            }
        row = a.row(item)
        return {
            "type": "statement",
            "id": item.shown_id,
            "versions": [
                {"name": n, "judged": n in item.versions, "row": item.versions.get(n)} for n in a.names
            ],
            "statement": {**(row or item.first), "id": item.shown_id, "reviewed_by": ""},
            "dropped": row is None,
            "decided": decided["choice"] if decided else "",
        }


def open_adjudication(
    article_id: str, names: list[str] | None = None, adjudicator: str | None = None
) -> Adjudicator:
    """The adjudication view on the article's disagreements (between everyone who annotated it by default)."""
    return Adjudicator(ad.open_adjudication(article_id, names, adjudicator or None))


def _content_key(table: pd.DataFrame) -> tuple[object, ...]:
    """What tells two tables' contents apart (columns, then each row's hash), to know when to refit."""
    return (*table.columns, *pd.util.hash_pandas_object(table, index=False).tolist())
