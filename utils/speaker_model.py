"""The user's own speaker chooser: what people's accepted reviews teach the extractor.

The extractor ships a speaker chooser trained on our annotations (:mod:`utils.extract.chooser`).
Every accepted review is more training data: when ``opinions accept`` replaces an article's curated
tables, :func:`learn` compares the reviewed rows with what the machine found, turns each machine
row into an example (its candidates and their features, labelled with the speaker the reviewer
kept, or none when the row was removed) and fits the user's model again on all the examples kept
so far. That model starts from the shipped weights and moves only as far as the examples pull it
(an L2 penalty towards the shipped weights), and it learns the speakers the user keeps confirming
in a coverage (a weight for ``user:known``, with how often each speaker was confirmed in other
articles): the next article of the same coverage is read with it.

Files, under the data folder (never shipped, never read from anyone else's checkout):
``models/speaker-examples.json`` (the examples, by article; an article accepted again replaces its
examples) and ``models/speaker-chooser.json`` (the model, the shipped file's format). Deleting
the folder goes back to the shipped model. Extraction (:func:`utils.quotes.extract`) uses
:func:`current`; this module imports neither pandas nor numpy unless it fits.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from utils.articles import bundled_article, data_dir
from utils.console import note
from utils.errors import InputError
from utils.extract import pipeline
from utils.extract.chooser import SHIPPED, Model, RowChoice, load_model
from utils.extract.names import speaker_key
from utils.files import write_text_atomic

#: How far the user's examples may pull the weights from the shipped ones: the L2 penalty is
#: ``||w - shipped||² / (2 · PULL)``. Chosen on our own annotations (a model trained on four fifths
#: of them, then a user's reviews of 5 or 12 articles of the last fifth, the rest of it scored:
#: 0.1 kept the AUC best; 0.3 and 1.0 moved it down at 12 articles), never on PolNeAR.
PULL = 0.1
#: The same for what only a user's reviews can teach (``user:*`` features, 0 in the shipped model).
PULL_USER = 1.0
#: Overlap (share of the shorter span) from which a machine row is the reviewed row it overlaps.
OVERLAP = 0.5


def models_dir() -> Path:
    return data_dir() / "models"


def model_path() -> Path:
    return _model_file(data_dir())


@lru_cache(maxsize=8)
def _model_file(data: Path) -> Path:
    """The model file of a data folder. Cached by folder: :func:`current` asks on every extraction,
    and joining paths costs more than looking at the file (which is still looked at every time, so a
    model another process writes is read by the next extraction)."""
    return data / "models" / "speaker-chooser.json"


def examples_path() -> Path:
    return models_dir() / "speaker-examples.json"


def current() -> Model | None:
    """The user's model, or None when there is none (extraction then uses the shipped one)."""
    path = model_path()
    if not path.is_file():
        return None
    try:
        return load_model(path, path.stat().st_mtime)
    except (OSError, ValueError) as exc:  # json.JSONDecodeError is a ValueError
        raise InputError(
            path, f"is not a speaker chooser model ({exc})", "delete it to go back to the shipped model"
        ) from exc


# --- examples from one review ---------------------------------------------------------------------


@dataclass(frozen=True)
class Reviewed:
    """A row as a person accepted it: where it is and who speaks (only reviewed rows count)."""

    kind: str
    start: int
    end: int
    speaker: str


def same_speaker(kept: str, candidate: str) -> bool:
    """Is ``candidate`` the speaker a reviewer kept: the words of one name are all in the other
    ("Trump" and "Donald Trump", "Sanders" and "Bernie Sanders", "the campaign" and "the Clinton
    campaign"), titles and articles aside (``speaker_key``)."""
    a, b = set(speaker_key(kept).split()), set(speaker_key(candidate).split())
    return bool(a) and bool(b) and (a <= b or b <= a)


def _match(start: int, end: int, reviewed: Sequence[Reviewed]) -> Reviewed | None:
    """The reviewed row this machine row overlaps most (at least ``OVERLAP`` of the shorter span);
    the kind may differ (a reviewer who turned a paraphrase into a quote kept its speaker)."""
    best, best_share = None, OVERLAP
    for row in reviewed:
        overlap = min(end, row.end) - max(start, row.start)
        shorter = min(end - start, row.end - row.start)
        if overlap > 0 and shorter > 0 and overlap / shorter >= best_share:
            best, best_share = row, overlap / shorter
    return best


def examples_from_review(text: str, reviewed: Sequence[Reviewed]) -> list[dict[str, object]]:
    """One example per machine row of ``text``: its features, its candidates' names and features,
    and the speaker the reviewer kept for it ("" when the reviewer removed the row)."""
    trace: list[RowChoice] = []
    pipeline.extract(text, model=load_model(), trace=trace)
    return examples_from_trace(trace, reviewed)


def examples_from_trace(trace: Sequence[RowChoice], reviewed: Sequence[Reviewed]) -> list[dict[str, object]]:
    """The examples of :func:`examples_from_review`, from rows already extracted with their candidates."""
    out = []
    for choice in trace:
        st = choice.statement
        kept = _match(st.start, st.end, reviewed)
        out.append(
            {
                "row": choice.row,
                "names": [c.name for c in choice.candidates],
                "features": choice.features,
                "speaker": kept.speaker if kept else "",
            }
        )
    return out


# --- fitting ----------------------------------------------------------------------------------------


def known_strength(count: int) -> float:
    """The ``user:known`` feature of a speaker confirmed ``count`` times in other articles."""
    return math.log1p(count)


def training_rows(
    examples: Mapping[str, list[dict[str, object]]],
) -> list[tuple[dict[str, float], list[dict[str, float]], list[bool]]]:
    """The examples as (row features, candidate features, labels), each candidate with how often its
    speaker was kept in the *other* articles (so an article does not vouch for itself)."""
    counts = {article: _kept(rows) for article, rows in examples.items()}
    total: Counter[str] = sum(counts.values(), Counter())
    out = []
    for article, rows in examples.items():
        others = total - counts[article]
        for ex in rows:
            names, speaker = list(ex["names"]), str(ex["speaker"])  # type: ignore[call-overload]
            features = []
            for name, f in zip(names, ex["features"], strict=True):  # type: ignore[call-overload]
                f = dict(f)
                strength = known_strength(others[speaker_key(name)])
                if strength:
                    f["user:known"] = strength
                features.append(f)
            labels = [bool(speaker) and same_speaker(speaker, name) for name in names]
            out.append((dict(ex["row"]), features, labels))  # type: ignore[call-overload]
    return out


def _kept(rows: Iterable[dict[str, object]]) -> Counter[str]:
    return Counter(speaker_key(str(ex["speaker"])) for ex in rows if ex["speaker"])


def fit_logit(
    rows: Sequence[tuple[Mapping[str, float], Sequence[Mapping[str, float]], Sequence[bool]]],
    c: float,
    prior: Mapping[str, float] | None = None,
    c_user: float | None = None,
) -> dict[str, float]:
    """Weights of the chooser's conditional logit (:class:`utils.extract.chooser.Model`) for
    ``rows``: per row a softmax over "none" (the row's features) and its candidates; the likelihood
    is that of the right candidates, or of "none" when none is right; an L2 penalty of
    ``||w - prior||² / (2c)`` keeps the weights near ``prior`` (zero when none), with ``c_user``
    instead of ``c`` for the ``user:*`` features when given. L-BFGS."""
    import numpy as np
    from scipy.optimize import minimize
    from scipy.sparse import csr_matrix

    names = sorted({n for row, cands, _y in rows for f in (row, *cands) for n in f} | set(prior or {}))
    column = {n: k for k, n in enumerate(names)}
    data, cols, indptr, target, sizes = [], [], [0], [], []
    for row, cands, labels in rows:
        for f in (row, *cands):
            for name, value in f.items():
                cols.append(column[name])
                data.append(value)
            indptr.append(len(cols))
        target += [not any(labels), *labels]
        sizes.append(1 + len(cands))
    x = csr_matrix((data, cols, indptr), shape=(len(indptr) - 1, len(names)))
    y = np.array(target, dtype=float)
    starts = np.cumsum([0, *sizes])[:-1]
    segment = np.repeat(np.arange(len(sizes)), sizes)
    w0 = np.array([float((prior or {}).get(n, 0.0)) for n in names])
    scale = np.array([c_user if c_user is not None and n.startswith("user:") else c for n in names])

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = x @ w
        e = np.exp(z - np.maximum.reduceat(z, starts)[segment])
        total, right = np.add.reduceat(e, starts), np.add.reduceat(e * y, starts)
        p, q = e / total[segment], e * y / right[segment]
        d = w - w0
        return float(np.sum(np.log(total) - np.log(right)) + 0.5 * d @ (d / scale)), x.T @ (p - q) + d / scale

    result = minimize(loss, w0.copy(), jac=True, method="L-BFGS-B", options={"maxiter": 500})
    return dict(zip(names, result.x.tolist(), strict=True))


def fit_user_model(examples: Mapping[str, list[dict[str, object]]], shipped: Model) -> Model:
    """The user's model: the shipped weights moved by the examples, and the speakers they kept."""
    weights = fit_logit(training_rows(examples), PULL, shipped.weights, PULL_USER)
    total = sum((_kept(rows) for rows in examples.values()), Counter())
    known = {key: known_strength(n) for key, n in total.items()}
    return Model(weights, shipped.margin, known)


# --- the files --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Learnt:
    """What one review taught: rows of the article, the rows kept with a speaker, articles so far."""

    rows: int
    kept: int
    articles: int
    path: Path

    def summary(self, article_id: str) -> str:
        return (
            f"the speaker model learnt from {self.kept} reviewed rows of {article_id} "
            f"({self.articles} article{'s' * (self.articles != 1)} so far): {self.path}"
        )


def read_examples() -> dict[str, list[dict[str, object]]]:
    path = examples_path()
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(
            path, f"cannot be read ({exc})", "delete it: accepted reviews are learnt again"
        ) from exc
    if not isinstance(data, dict) or not isinstance(data.get("articles"), dict):
        raise InputError(path, "holds no 'articles' object", "delete it: accepted reviews are learnt again")
    return data["articles"]


def learn(article_id: str, text: str, reviewed: Sequence[Reviewed]) -> Learnt | None:
    """Fold one accepted review into the user's model (None: no row was reviewed, nothing learnt)."""
    if not reviewed:
        return None
    examples = read_examples()
    examples[article_id] = examples_from_review(text, reviewed)
    shipped = load_model(SHIPPED)
    model = fit_user_model(examples, shipped)
    about = {
        "about": "The user's own speaker chooser (utils/speaker_model.py): the shipped weights moved by "
        "this user's accepted reviews. Local: never shipped. Delete it to go back to the shipped model.",
        "articles": len(examples),
        "rows": sum(len(rows) for rows in examples.values()),
    }
    write_text_atomic(examples_path(), json.dumps({"articles": examples}, ensure_ascii=False) + "\n")
    write_text_atomic(model_path(), model.as_json(about))
    kept = sum(1 for ex in examples[article_id] if ex["speaker"])
    return Learnt(len(examples[article_id]), kept, len(examples), model_path())


#: The columns of an accepted statements table that say where a row is, who speaks and who reviewed it.
_REVIEW_COLUMNS = ("kind", "start", "end", "speaker", "reviewed_by")


def reviewed_rows(statements: object) -> list[Reviewed]:
    """The rows of an accepted statements table (``opinions accept``) that somebody reviewed."""
    records = statements.to_dict("records")  # type: ignore[attr-defined]  # a DataFrame, duck-typed
    return [
        Reviewed(str(r["kind"]), int(r["start"]), int(r["end"]), str(r["speaker"]))
        for r in ({c: row.get(c, "") for c in _REVIEW_COLUMNS} for row in records)
        if str(r["reviewed_by"] or "").strip() and str(r["speaker"] or "").strip()
    ]


def learn_from_acceptance(article_id: str, statements: object) -> Learnt | None:
    """The call ``opinions accept`` makes once the curated tables are written: the reviewed rows
    teach the user's model (one line on standard error says what it learnt). The accepted tables are
    already safe; a model that cannot be written is said in that line, not raised."""
    reviewed = reviewed_rows(statements)
    try:
        learnt = learn(article_id, bundled_article(article_id).text, reviewed)
    except InputError as exc:
        note(f"the speaker model learnt nothing from {article_id}: {exc}")
        return None
    note(
        learnt.summary(article_id)
        if learnt
        else f"the speaker model learnt nothing from {article_id}: no row was reviewed"
    )
    return learnt
