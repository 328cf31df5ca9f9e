"""Learning from people's corrections: the user's speaker model after N reviewed articles of a coverage.

Usage: python benchmarks/learning_curve.py [SHARED] [--outlets a,b] [--test 30] [--sizes 0,5,10,20,40]

A user reviews the articles of one outlet's coverage one after another; every accepted review is
folded into the user's own model (``utils.speaker_model``: the shipped weights moved by the
examples, and the speakers the user keeps confirming). The question is whether the next articles of
the same coverage come out better. Here the "reviews" are PolNeAR's annotations (``SHARED/
polnear-train``, its ``find`` part only: the ``check`` part stays unread): for each of its seven
outlets, articles in date order, the last ``--test`` are scored and the first N are the reviewed
ones, for each N of ``--sizes``. PolNeAR has no licence: nothing measured here ships (the user's
model lives in a scratch folder and is thrown away), and its conventions differ from ours, which is
what a user's own conventions would do too.

Printed per N: the attributed F1 of the scored articles (speech acts, rows outside the task set
aside as ``benchmarks/polnear_eval.py`` does) with the shipped model and with the user's model, the
rows whose speaker changed (fixed / broken), and the AUC of ``confidence`` for right against wrong
rows; per outlet and over all outlets.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

import pandas as pd

from utils.articles import load_article
from utils.evaluate import token_f1
from utils.extract import pipeline
from utils.extract.chooser import Model, RowChoice, load_model
from utils.speaker_model import Reviewed, examples_from_trace, fit_user_model

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from polnear_eval import set_aside, split_of  # noqa: E402  (sibling scripts, not a package)
from train_chooser import Article, Outcome, Row, attributed, auc, changes, labelled_rows, right_rows  # noqa: E402


def read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False) if path.is_file() else pd.DataFrame()


def traced(text: str) -> list[RowChoice]:
    trace: list[RowChoice] = []
    pipeline.extract(text, model=load_model(), trace=trace)
    seen, out = set(), []
    for choice in sorted(trace, key=lambda c: (c.statement.start, c.statement.end)):
        st = choice.statement
        if (st.start, st.end, st.kind, st.speaker) not in seen and st.text.strip():
            seen.add((st.start, st.end, st.kind, st.speaker))
            out.append(choice)
    return out


def outlet_articles(
    folder: Path, outlet: str
) -> list[tuple[str, list[RowChoice], pd.DataFrame, pd.DataFrame]]:
    """(name, rows with candidates, gold, rows outside the task) of an outlet's ``find`` articles, by date."""
    out = []
    for gold in sorted(folder.glob(f"{outlet}_*.gold.csv")):
        name = gold.name.removesuffix(".gold.csv")
        if split_of(name) == "find":
            text = load_article(folder / f"{name}.txt").text
            out.append((name, traced(text), read(gold), read(folder / f"{name}.other.csv")))
    return out


def reviewed(gold: pd.DataFrame) -> list[Reviewed]:
    """A gold table as a person's accepted review: every row reviewed."""
    return [
        Reviewed(k, int(s), int(e), sp)
        for k, s, e, sp in zip(gold["kind"], gold["start"], gold["end"], gold["speaker"], strict=True)
        if sp.strip() and s.strip() and e.strip()
    ]


def in_task(choices: list[RowChoice], others: pd.DataFrame) -> list[RowChoice]:
    """The rows that are not attributions outside our task (PolNeAR's ``other`` table): a reviewer
    of this coverage would not have judged them."""
    if others.empty:
        return choices
    return [c for c in choices if not any(token_f1(c.statement.text, o) >= 0.5 for o in others["text"])]


def scored(name: str, choices: list[RowChoice], gold: pd.DataFrame, others: pd.DataFrame) -> Article:
    """The article's rows, those outside the task set aside, matched to the gold (train_chooser's Article)."""
    rows = [Row(name, "test", c, [False] * len(c.candidates), -1) for c in choices]
    if not others.empty:
        frame = pd.DataFrame(
            [[c.statement.kind, c.statement.text, c.statement.start, c.statement.end] for c in choices],
            columns=["kind", "text", "start", "end"],
        )
        kept = set_aside(frame, others)
        keys = set(zip(kept["start"], kept["end"], kept["kind"], strict=True))
        rows = [
            r
            for r in rows
            if (r.choice.statement.start, r.choice.statement.end, r.choice.statement.kind) in keys
        ]
    return labelled_rows(Article(name, "test", gold, []), rows)


def decided(articles: list[Article], model: Model) -> dict[str, Outcome]:
    out = {}
    for a in articles:
        chosen, confidence = [], []
        for r in a.rows:
            k, p = model.decide(
                r.choice.row, [dict(f) for f in r.choice.features], [c.name for c in r.choice.candidates]
            )
            chosen.append(k)
            confidence.append(p[k])
        out[a.name] = Outcome(chosen, confidence)
    return out


def line(label: str, n: int, tests: list[Article], outcomes: dict[str, Outcome]) -> str:
    """One line of the curve: attributed F1 with the shipped and the user's model, changes, AUC."""
    count = changes(tests, outcomes)
    right, confidence = right_rows(tests, outcomes)
    before, after = attributed(tests, None)["attributed"], attributed(tests, outcomes)["attributed"]
    return (
        f"{label:<13} {n:>3} {before:>16.3f} {after:>11.3f} {count['changed']:>8} {count['fixed']:>6}"
        f" {count['broken']:>7} {auc(right, confidence):>6.3f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("shared", nargs="?", default=str(ROOT.parent / "shared"))
    parser.add_argument(
        "--outlets", default="breitbart,huff-post,nyt,politico,usa-today,wash-post,west-journal"
    )
    parser.add_argument("--test", type=int, default=30, help="articles of each outlet scored (the last ones)")
    parser.add_argument("--sizes", default="0,5,10,20,40", help="reviewed articles per outlet")
    args = parser.parse_args(argv)
    folder = Path(args.shared) / "polnear-train"
    if not folder.is_dir():
        print(f"{folder}: no PolNeAR train here (it sits in ../shared)", file=sys.stderr)
        return 2
    sizes = [int(n) for n in args.sizes.split(",")]
    shipped = load_model()
    totals: dict[int, dict[str, list]] = defaultdict(lambda: {"tests": [], "outcomes": {}})
    print(
        f"{'outlet':<13} {'N':>3} {'attr F1 shipped':>16} {'user model':>11} {'changed':>8} {'fixed':>6}",
        end="",
    )
    print(f" {'broken':>7} {'AUC':>6}")
    for outlet in args.outlets.split(","):
        found = outlet_articles(folder, outlet)
        pool, tests = found[: -args.test], [scored(*item) for item in found[-args.test :]]
        for n in sizes:
            if n > len(pool):
                continue
            examples = {name: examples_from_trace(in_task(c, o), reviewed(g)) for name, c, g, o in pool[:n]}
            outcomes = decided(tests, fit_user_model(examples, shipped) if n else shipped)
            print(line(outlet, n, tests, outcomes))
            totals[n]["tests"] += tests
            totals[n]["outcomes"].update(outcomes)
    print()
    for n in sizes:
        if totals[n]["tests"]:
            print(line("all outlets", n, totals[n]["tests"], totals[n]["outcomes"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
