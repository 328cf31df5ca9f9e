"""Train the row check (``utils/extract/rowcheck.json``): a row's ``confidence``, on our own annotations.

Usage: python benchmarks/train_rowcheck.py [--write] [--shared ../shared]

Training data: the rows of ``train_chooser.py`` (the dev set and tests/gold/corpus except FINAL4;
never FINAL5 nor PolNeAR). A row is right when it matches a gold row (``opinions evaluate``'s
one-to-one matching) and its speaker is right. One of the features is the speaker chooser's
probability, and a model fitted to probabilities the chooser gives rows it was trained on would
trust them too much: here each article's chooser probabilities come from a chooser trained
without it (five folds grouped by article, the shipped chooser's settings), as on a new article.

Printed: for each regularisation in a grid, the AUC of the cross-validated confidence (folds
grouped by article) for right against wrong rows, beside the chooser's probability alone; then
the features and their weights on all rows. ``--write`` writes the model fitted on all rows.
Rerun it after ``train_chooser.py --write`` (that command does, when it writes).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from utils.extract.rowcheck import SHIPPED, RowCheck, row_features
from utils.files import write_text_atomic

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import train_chooser  # noqa: E402  (a sibling script, not a package)
from train_chooser import FOLDS, Article, Outcome  # noqa: E402

GRID_C = (0.03, 0.1, 0.3, 1.0)
COMMAND = "python benchmarks/train_rowcheck.py --write"


def shipped_settings() -> dict[str, object]:
    """What the shipped model file says about how it was trained (its C, rows, articles)."""
    return json.loads(SHIPPED.read_text(encoding="utf-8"))


def examples(article: Article, outcome: Outcome) -> tuple[list[dict[str, float]], list[bool]]:
    """Each row's features as the extractor makes them, with the chooser's decision in ``outcome``
    (its choice and that choice's probability), and whether the row is right."""
    rows = [r.choice.statement for r in article.rows]
    features, right = [], []
    for row, k, p in zip(article.rows, outcome.chosen, outcome.confidence, strict=True):
        probabilities = list(row.choice.probabilities)
        probabilities[k] = p
        features.append(row_features(replace(row.choice, chosen=k, probabilities=probabilities), rows))
        right.append(bool(row.labels[k]))
    return features, right


def fit(features: list[dict[str, float]], right: list[bool], c: float) -> RowCheck:
    """A logistic regression with an L2 penalty of ``||w||² / (2c)`` (scikit-learn's)."""
    vectors = DictVectorizer()
    matrix = vectors.fit_transform(features)
    model = LogisticRegression(C=c, max_iter=5000).fit(matrix, right)
    weights = dict(zip(vectors.feature_names_, (float(w) for w in model.coef_[0]), strict=True))
    return RowCheck(weights, float(model.intercept_[0]))


def confidences(articles: list[Article], chooser: dict[str, Outcome], model: RowCheck) -> dict[str, Outcome]:
    """The chooser's choices with the row check's confidence."""
    out = {}
    for a in articles:
        features, _right = examples(a, chooser[a.name])
        out[a.name] = Outcome(chooser[a.name].chosen, [round(model.probability(f), 3) for f in features])
    return out


def cross_validated(articles: list[Article], chooser: dict[str, Outcome], c: float) -> dict[str, Outcome]:
    """Each article's confidences from a row check trained without it (grouped folds)."""
    out: dict[str, Outcome] = {}
    groups = np.arange(len(articles))
    for train, test in GroupKFold(n_splits=FOLDS).split(groups, groups=groups):
        features, right = training_rows([articles[k] for k in train], chooser)
        out |= confidences([articles[k] for k in test], chooser, fit(features, right, c))
    return out


def training_rows(
    articles: list[Article], chooser: dict[str, Outcome]
) -> tuple[list[dict[str, float]], list[bool]]:
    features: list[dict[str, float]] = []
    right: list[bool] = []
    for a in articles:
        f, r = examples(a, chooser[a.name])
        features += f
        right += r
    return features, right


def crossed_chooser(articles: list[Article]) -> dict[str, Outcome]:
    """The shipped chooser's settings, each article decided by a chooser trained without it."""
    settings = train_chooser.shipped_settings()  # read afresh: train_chooser.py may just have written it
    c, margin = float(settings.get("C", 1.0)), float(settings.get("margin", 0.0))  # type: ignore[arg-type]
    return train_chooser.cross_validated(articles, c, margin)


def train(articles: list[Article], write: bool) -> RowCheck:
    """Choose the regularisation by cross-validated AUC, print the figures, fit on all rows and
    (``write``) write the model file."""
    chooser = crossed_chooser(articles)
    right, before = train_chooser.right_rows(articles, chooser)
    print(
        f"{len(right)} rows ({sum(right)} right);"
        f" the chooser's probability alone: AUC {train_chooser.auc(right, before):.3f}"
    )
    best = None
    for c in GRID_C:
        score = train_chooser.auc(*train_chooser.right_rows(articles, cross_validated(articles, chooser, c)))
        print(f"  C {c:<5} row check, cross-validated by article: AUC {score:.3f}")
        if best is None or round(score, 3) > best[0]:
            best = (round(score, 3), c)
    assert best is not None
    c = best[1]
    model = fit(*training_rows(articles, chooser), c)
    print(f"chosen: C {c}; bias {model.bias:+.3f}; weights (all rows):")
    for feature, weight in sorted(model.weights.items(), key=lambda kv: -abs(kv[1])):
        print(f"  {weight:+.3f}  {feature}")
    if write:
        about = {
            "about": "The row check's logistic model (utils/extract/rowcheck.py); do not edit by hand.",
            "command": COMMAND,
            "trained_on": "dev set, tests/gold/corpus except final4; never tests/gold/final5 nor PolNeAR",
            "articles": len(articles),
            "rows": len(right),
            "C": c,
        }
        write_text_atomic(SHIPPED, model.as_json(about))
        print(f"wrote {SHIPPED.relative_to(ROOT)}")
    return model


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--write", action="store_true", help=f"write {SHIPPED.relative_to(ROOT)}")
    parser.add_argument("--shared", default=str(ROOT.parent / "shared"))
    args = parser.parse_args(argv)
    shared = Path(args.shared)
    if not (shared / "devset").is_dir() or not (shared / "corpus").is_dir():
        print(f"{shared}: no devset/ and corpus/ here (the shared data sits in ../shared)", file=sys.stderr)
        return 2
    train(train_chooser.training_articles(shared), args.write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
