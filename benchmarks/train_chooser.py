"""Train the speaker chooser (``utils/extract/chooser.json``) on our own annotations, and measure it.

Usage: python benchmarks/train_chooser.py [--write] [--shared ../shared] [--polnear]

Training data: the dev set and our corpus tables (tests/gold/corpus) except FINAL4, and never the
FINAL5 tables (tests/gold/final5) nor PolNeAR (no licence: nothing derived from it ships). Every
article is extracted once, keeping each row's candidates and their features
(:func:`utils.extract.pipeline.extract` with a ``trace``); a row is matched to a gold row as
``opinions evaluate`` matches them, and a candidate is labelled right when the row matched and the
candidate is the gold row's speaker (``utils.evaluate.speaker_right``), so the model's probability
is that of a right row with a right speaker (one feature of the row check, a row's ``confidence``).

Printed, by five-fold cross-validation grouped by article (no article is scored by a model that saw
it): attributed F1 by set for the rules' choice and for the chooser's, the share of rows the chooser
changed and how many of those it fixed or broke, and the AUC of that probability for right against
wrong rows; then the regularisation and margin chosen, and the features with the largest weights.
``--polnear`` also scores the model trained on all our rows on PolNeAR's ``check`` part (speech
acts): a corpus with other conventions, never trained on, never read. ``--write`` writes the model
trained on all our rows to ``utils/extract/chooser.json``, then refits the row check on it
(``train_rowcheck.py --write``: a row's ``confidence``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GroupKFold

from utils.articles import load_article
from utils.evaluate import evaluate_pairs, score_article, speaker_right
from utils.extract import pipeline
from utils.extract.chooser import SHIPPED, Model, RowChoice
from utils.files import write_text_atomic
from utils.speaker_model import fit_logit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from polnear_eval import set_aside, split_of  # noqa: E402  (a sibling script, not a package)

GOLD = ROOT / "tests" / "gold" / "corpus"
NOT_TRAINED_ON = ("final4",)  # scored once at the end of a work, like FINAL5 (kept elsewhere)
COLUMNS = ["speaker", "affiliation", "kind", "text", "start", "end"]
GRID_C = (0.3, 1.0, 3.0)
GRID_MARGIN = (0.0, 0.1, 0.2)
FOLDS = 5
COMMAND = "python benchmarks/train_chooser.py --write"


@dataclass
class Row:
    """One extracted row of one article, with its candidates' features and their labels."""

    article: str
    split: str
    choice: RowChoice
    labels: list[bool]  # per candidate: right speaker of a matched row
    gold: int  # the matched gold row, -1 if none


@dataclass
class Article:
    name: str
    split: str
    gold: pd.DataFrame
    rows: list[Row]


def shipped_settings() -> dict[str, object]:
    """What the shipped model file says about how it was trained (its C, rows, articles)."""
    return json.loads(SHIPPED.read_text(encoding="utf-8"))


def read_gold(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def traced(text: str) -> list[RowChoice]:
    """Every row of the article with its candidates (exact duplicates dropped, as the extractor does)."""
    trace: list[RowChoice] = []
    pipeline.extract(text, trace=trace)
    seen, out = set(), []
    for choice in trace:
        st = choice.statement
        key = (st.start, st.end, st.kind, st.speaker)
        if key not in seen and st.text.strip():
            seen.add(key)
            out.append(choice)
    return sorted(out, key=lambda c: (c.statement.start, c.statement.end))


def frame(choices: list[RowChoice], speakers: list[str] | None = None) -> pd.DataFrame:
    rows = []
    for k, choice in enumerate(choices):
        st = choice.statement
        speaker = speakers[k] if speakers is not None else st.speaker
        rows.append([speaker, st.affiliation, st.kind, st.text, st.start, st.end])
    return pd.DataFrame(rows, columns=COLUMNS)


def labelled(name: str, split: str, text: str, gold: pd.DataFrame) -> Article:
    choices = traced(text)
    matched = {pi: gi for gi, pi, _f1 in score_article(gold, frame(choices)).pairs}
    rows = []
    for pi, choice in enumerate(choices):
        gi = matched.get(pi, -1)
        g = gold.iloc[gi] if gi >= 0 else None
        labels = [
            g is not None and speaker_right(g["speaker"], g["affiliation"], c.name) for c in choice.candidates
        ]
        rows.append(Row(name, split, choice, labels, gi))
    return Article(name, split, gold, rows)


def training_articles(shared: Path) -> list[Article]:
    out = []
    for gold in sorted((shared / "devset").glob("*.gold.csv")):
        name = gold.name.removesuffix(".gold.csv")
        out.append(labelled(name, "dev", load_article(gold.with_name(f"{name}.txt")).text, read_gold(gold)))
    splits = pd.read_csv(GOLD / "splits.csv", dtype=str)
    for stem, split in zip(splits["stem"], splits["split"], strict=True):
        if split in NOT_TRAINED_ON:
            continue
        text = load_article(shared / "corpus" / f"{stem}.txt").text
        out.append(labelled(stem, split, text, read_gold(GOLD / f"{stem}.gold.csv")))
    return out


def polnear_articles(shared: Path) -> list[Article]:
    """PolNeAR's ``check`` part, rows outside the task set aside as ``polnear_eval`` does (scored only)."""
    folder, out = shared / "polnear-train", []
    for gold in sorted(folder.glob("*.gold.csv")):
        name = gold.name.removesuffix(".gold.csv")
        if split_of(name) != "check":
            continue
        other = folder / f"{name}.other.csv"
        others = read_gold(other) if other.is_file() else pd.DataFrame()
        article = labelled(name, "polnear-check", load_article(folder / f"{name}.txt").text, read_gold(gold))
        if not others.empty:
            kept = set_aside(frame([r.choice for r in article.rows]), others)
            keys = set(zip(kept["start"], kept["end"], kept["kind"], strict=True))
            rows = [
                r
                for r in article.rows
                if (r.choice.statement.start, r.choice.statement.end, r.choice.statement.kind) in keys
            ]
            article = labelled_rows(article, rows)
        out.append(article)
    return out


def labelled_rows(article: Article, rows: list[Row]) -> Article:
    """The article with only ``rows``, matched to the gold again (matching is one-to-one)."""
    choices = [r.choice for r in rows]
    matched = {pi: gi for gi, pi, _f1 in score_article(article.gold, frame(choices)).pairs}
    out = []
    for pi, row in enumerate(rows):
        gi = matched.get(pi, -1)
        g = article.gold.iloc[gi] if gi >= 0 else None
        labels = [
            g is not None and speaker_right(g["speaker"], g["affiliation"], c.name)
            for c in row.choice.candidates
        ]
        out.append(Row(row.article, row.split, row.choice, labels, gi))
    return Article(article.name, article.split, article.gold, out)


# --- fitting and applying -----------------------------------------------------------------------


def fit(rows: list[Row], c: float) -> Model:
    """The chooser's conditional logit fitted to ``rows`` (``utils.speaker_model.fit_logit``, the
    fit a user's model uses too), with an L2 penalty of ``||w||² / (2c)``."""
    return Model(fit_logit([(r.choice.row, r.choice.features, r.labels) for r in rows], c))


def decide(row: Row, model: Model, margin: float) -> tuple[int, float]:
    """(chosen candidate, its probability), as :func:`utils.extract.chooser.choose` decides."""
    features = [dict(f) for f in row.choice.features]
    chosen, p = replace(model, margin=margin).decide(
        row.choice.row, features, [c.name for c in row.choice.candidates]
    )
    return chosen, p[chosen]


@dataclass
class Outcome:
    """What a model did on a set of rows: its choices and confidences."""

    chosen: list[int]
    confidence: list[float]


def cross_validated(articles: list[Article], c: float, margin: float) -> dict[str, Outcome]:
    """Each article's rows decided by a model trained without it (grouped folds)."""
    out: dict[str, Outcome] = {}
    groups = np.arange(len(articles))
    for train, test in GroupKFold(n_splits=FOLDS).split(groups, groups=groups):
        model = fit([r for k in train for r in articles[k].rows], c)
        for k in test:
            decided = [decide(r, model, margin) for r in articles[k].rows]
            out[articles[k].name] = Outcome([d[0] for d in decided], [d[1] for d in decided])
    return out


def applied(articles: list[Article], model: Model, margin: float) -> dict[str, Outcome]:
    out = {}
    for a in articles:
        decided = [decide(r, model, margin) for r in a.rows]
        out[a.name] = Outcome([d[0] for d in decided], [d[1] for d in decided])
    return out


# --- figures ------------------------------------------------------------------------------------


def attributed(articles: list[Article], outcomes: dict[str, Outcome] | None) -> dict[str, float]:
    """Micro attributed F1 and affiliation of the rows with the rules' (None) or the chosen speakers."""
    items = []
    for a in articles:
        choices = [r.choice for r in a.rows]
        speakers = None
        if outcomes is not None:
            speakers = [
                r.choice.candidates[k].name for r, k in zip(a.rows, outcomes[a.name].chosen, strict=True)
            ]
        pred = frame(choices, speakers)
        if outcomes is not None:
            pred["affiliation"] = [
                r.choice.statement.affiliation if k == 0 else r.choice.candidates[k].affiliation
                for r, k in zip(a.rows, outcomes[a.name].chosen, strict=True)
            ]
        items.append((a.name, a.gold, pred))
    micro = evaluate_pairs(items).micro
    return {
        "span": micro["span_f1"],
        "attributed": micro["attributed_f1"],
        "affiliation": micro["affiliation"],
    }


def right_rows(articles: list[Article], outcomes: dict[str, Outcome]) -> tuple[list[bool], list[float]]:
    right, confidence = [], []
    for a in articles:
        outcome = outcomes[a.name]
        for row, k, p in zip(a.rows, outcome.chosen, outcome.confidence, strict=True):
            right.append(row.labels[k])
            confidence.append(p)
    return right, confidence


def auc(right: list[bool], confidence: list[float]) -> float:
    return float(roc_auc_score(right, confidence)) if 0 < sum(right) < len(right) else float("nan")


def changes(articles: list[Article], outcomes: dict[str, Outcome]) -> Counter:
    count: Counter = Counter()
    for a in articles:
        for row, k in zip(a.rows, outcomes[a.name].chosen, strict=True):
            count["rows"] += 1
            if k:
                count["changed"] += 1
                count["fixed"] += row.labels[k] and not row.labels[0]
                count["broken"] += row.labels[0] and not row.labels[k]
    return count


def report(name: str, articles: list[Article], outcomes: dict[str, Outcome]) -> str:
    by_split: dict[str, list[Article]] = defaultdict(list)
    for a in articles:
        by_split[a.split].append(a)
    lines = [
        f"{name}",
        f"  {'set':<14} {'articles':>8} {'rows':>5} {'attr F1 rules':>14} {'chooser':>8} {'aff rules':>10}"
        f" {'chooser':>8} {'AUC':>6}",
    ]
    for split, group in [*sorted(by_split.items()), ("all", articles)]:
        before, after = attributed(group, None), attributed(group, outcomes)
        rows = sum(len(a.rows) for a in group)
        right, confidence = right_rows(group, outcomes)
        lines.append(
            f"  {split:<14} {len(group):>8} {rows:>5}"
            f" {before['attributed']:>14.3f} {after['attributed']:>8.3f}"
            f" {before['affiliation']:>10.3f} {after['affiliation']:>8.3f} {auc(right, confidence):>6.3f}"
        )
    count = changes(articles, outcomes)
    right, confidence = right_rows(articles, outcomes)
    lines.append(
        f"  changed {count['changed']} of {count['rows']} rows' speakers:"
        f" {count['fixed']} fixed, {count['broken']} broken"
    )
    lines.append(
        f"  confidence: AUC {auc(right, confidence):.3f} for right against wrong rows ({sum(right)} right, "
        f"{len(right) - sum(right)} wrong)"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--write", action="store_true", help=f"write {SHIPPED.relative_to(ROOT)}")
    parser.add_argument("--shared", default=str(ROOT.parent / "shared"))
    parser.add_argument("--polnear", action="store_true", help="also score PolNeAR's check part")
    args = parser.parse_args(argv)
    shared = Path(args.shared)
    if not (shared / "devset").is_dir() or not (shared / "corpus").is_dir():
        print(f"{shared}: no devset/ and corpus/ here (the shared data sits in ../shared)", file=sys.stderr)
        return 2
    articles = training_articles(shared)
    rows = [r for a in articles for r in a.rows]
    print(f"{len(articles)} articles, {len(rows)} rows, {sum(len(r.labels) for r in rows)} candidates")
    best = None
    for c in GRID_C:
        for margin in GRID_MARGIN:
            outcomes = cross_validated(articles, c, margin)
            score = attributed(articles, outcomes)["attributed"]
            right, confidence = right_rows(articles, outcomes)
            print(
                f"  C {c:<5} margin {margin:<4} attributed F1 {score:.4f}  AUC {auc(right, confidence):.3f}"
            )
            key = (round(score, 3), round(auc(right, confidence), 3))  # attributed F1 first, then AUC
            if best is None or key > best[0]:
                best = (key, c, margin)
    assert best is not None
    _score, c, margin = best
    print(f"chosen: C {c}, margin {margin}\n")
    print(report("cross-validated by article (5 folds)", articles, cross_validated(articles, c, margin)))
    model = fit(rows, c)
    model = Model(model.weights, margin)
    top = sorted(model.weights.items(), key=lambda kv: -abs(kv[1]))[:25]
    print("\nlargest weights (all rows):")
    for feature, weight in top:
        print(f"  {weight:+.3f}  {feature}")
    if args.polnear:
        check = polnear_articles(shared)
        print()
        print(
            report(
                "PolNeAR check part (speech acts; other conventions; never trained on)",
                check,
                applied(check, model, margin),
            )
        )
    if args.write:
        about = {
            "about": "The speaker chooser's logistic model (utils/extract/chooser.py); do not edit by hand.",
            "command": COMMAND,
            "trained_on": "dev set, tests/gold/corpus except final4; never tests/gold/final5 nor PolNeAR",
            "articles": len(articles),
            "rows": len(rows),
            "C": c,
        }
        write_text_atomic(SHIPPED, model.as_json(about))
        print(f"\nwrote {SHIPPED.relative_to(ROOT)}")
        import train_rowcheck  # the row check weighs this chooser's probabilities: refit it too

        print()
        train_rowcheck.train(articles, write=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
