"""Confidence calibration: write ``utils/extract/calibration.tsv`` and print its reliability.

A predicted row is *right* when it matches a gold row (``opinions evaluate``'s one-to-one matching)
and its speaker is right. Two kinds of our annotations are used, because the rules were tuned on
most of them (there the extractor is right on 99% of rows, on untouched articles on about 80%):

1. **Which rules are weaker** is measured on the tuned articles (the dev set and the corpus splits
   other than ``final3``/``final4``, see tests/gold/corpus/splits.csv): per kind, the share of right
   rows of every rule (``<pattern>/<step>``), pattern and kind, each shrunk towards its parent's
   (``PRIOR`` pseudo-rows), so a rule seen twice gets little more than its pattern's share.
2. **How right rows are on unseen text** is measured on the untouched splits (no rule was made from
   them): a logistic map ``confidence = sigmoid(a · logit(share) + b)`` (Platt scaling, two numbers)
   is fitted on their rows, so a stated 0.8 means about 80% right on articles like those.

The reliability table bins rows by the confidence they were given and shows, per bin, the rows,
their mean confidence and the share that was right; then the expected calibration error, the Brier
score beside a constant's, and the AUC (how well confidence separates right rows from wrong ones).
It is printed for the untouched splits, each article's confidence computed from a map fitted without
that article (leave-one-article-out, so the table is honest), for the tuned articles (in-sample), and
for PolNeAR's ``check`` part (another corpus with other conventions, so its shares are lower for
reasons beyond confidence).

Usage: python benchmarks/calibrate.py [--write] [--shared ../shared]
"""

from __future__ import annotations

import argparse
import itertools
import math
import sys
from collections import Counter
from pathlib import Path

import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from utils.articles import load_article
from utils.curation import extract_table
from utils.evaluate import score_article, speaker_right
from utils.extract.confidence import ANY, TABLE, Calibration, load_calibration
from utils.files import write_text_atomic

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from polnear_eval import set_aside, split_of  # noqa: E402  (a sibling script, not a package)

GOLD = ROOT / "tests" / "gold" / "corpus"
HELD_OUT = ("final3", "final4")
PRIOR = 4.0  # pseudo-rows of the parent's share added to every share
EDGE = 0.005  # shares are kept inside [EDGE, 1 - EDGE] before the logit
BINS = (0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0001)


def read_gold(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


#: An article to score: its text, its gold table, and rows outside the task to set aside (PolNeAR).
Item = tuple[str, pd.DataFrame, pd.DataFrame]


def articles(shared: Path) -> dict[str, list[Item]]:
    """The articles of each set: calibration, held-out, PolNeAR check."""
    sets: dict[str, list[Item]] = {"tuned": [], "untouched": [], "polnear-check": []}
    none = pd.DataFrame()
    for gold in sorted((shared / "devset").glob("*.gold.csv")):
        text = gold.with_name(gold.name.removesuffix(".gold.csv") + ".txt")
        sets["tuned"].append((load_article(text).text, read_gold(gold), none))
    splits = pd.read_csv(GOLD / "splits.csv", dtype=str)
    for stem, split in zip(splits["stem"], splits["split"], strict=True):
        text = load_article(shared / "corpus" / f"{stem}.txt").text
        name = "untouched" if split in HELD_OUT else "tuned"
        sets[name].append((text, read_gold(GOLD / f"{stem}.gold.csv"), none))
    polnear = shared / "polnear-train"
    for gold in sorted(polnear.glob("*.gold.csv")):
        slug = gold.name.removesuffix(".gold.csv")
        if split_of(slug) == "check":
            other = polnear / f"{slug}.other.csv"
            others = read_gold(other) if other.is_file() else none
            sets["polnear-check"].append(
                (load_article(polnear / f"{slug}.txt").text, read_gold(gold), others)
            )
    return sets


def outcomes(text: str, gold: pd.DataFrame, others: pd.DataFrame) -> list[tuple[str, str, float, bool]]:
    """(kind, rule, confidence, right) for every predicted row of one article not set aside."""
    pred = set_aside(extract_table(text), others)
    right = [False] * len(pred)
    for gi, pi, _f1 in score_article(gold, pred).pairs:
        g = gold.iloc[gi]
        right[pi] = speaker_right(g["speaker"], g["affiliation"], pred.iloc[pi]["speaker"])
    return list(zip(pred["kind"], pred["rule"], pred["confidence"], right, strict=True))


def logit(share: float) -> float:
    share = min(max(share, EDGE), 1 - EDGE)
    return math.log(share / (1 - share))


def fit_scale(rows: list[tuple[str, str, float, bool]], table: Calibration) -> tuple[float, float]:
    """(a, b) of ``sigmoid(a · logit(share) + b)`` fitted to whether ``rows`` were right."""
    x = [[logit(table.of(kind, rule))] for kind, rule, _c, _ok in rows]
    y = [ok for *_rest, ok in rows]
    model = LogisticRegression(C=1.0).fit(x, y)
    return float(model.coef_[0][0]), float(model.intercept_[0])


def scaled(share: float, scale: tuple[float, float]) -> float:
    a, b = scale
    return 1 / (1 + math.exp(-(a * logit(share) + b)))


def shares(rows: list[tuple[str, str, float, bool]]) -> list[dict[str, object]]:
    """The table's lines: per kind, the kind, each pattern and each rule, shrunk towards the parent."""
    count: Counter = Counter()
    good: Counter = Counter()
    for kind, rule, _conf, ok in rows:
        for key in ((ANY, ANY), (kind, ANY), (kind, rule.partition("/")[0]), (kind, rule)):
            count[key] += 1
            good[key] += ok
    overall = good[(ANY, ANY)] / max(count[(ANY, ANY)], 1)
    value = {(ANY, ANY): overall}
    lines = [
        {"kind": ANY, "rule": ANY, "rows": count[(ANY, ANY)], "right": good[(ANY, ANY)], "share": overall}
    ]
    for key in sorted(count, key=lambda k: (k[0], k[1].count("/"), k[1] != ANY, k[1])):
        if key == (ANY, ANY):
            continue
        kind, rule = key
        parent = (
            (ANY, ANY) if rule == ANY else (kind, ANY) if "/" not in rule else (kind, rule.partition("/")[0])
        )
        value[key] = (good[key] + PRIOR * value[parent]) / (count[key] + PRIOR)
        lines.append(
            {"kind": kind, "rule": rule, "rows": count[key], "right": good[key], "share": value[key]}
        )
    return lines


def as_table(lines: list[dict[str, object]]) -> Calibration:
    """The lines' shares as a lookup (before scaling)."""
    return Calibration({(str(ln["kind"]), str(ln["rule"])): float(ln["share"]) for ln in lines}, 0.5)


def write_table(lines: list[dict[str, object]], scale: tuple[float, float], path: Path = TABLE) -> None:
    """Write the table atomically (``write_text_atomic``: a temporary file renamed over the old one)."""
    head = (
        "# Written by benchmarks/calibrate.py --write (its docstring says how); do not edit by hand.\n"
        "# rows, right, share: rows of the rule on the tuned annotations, how many were right, and the\n"
        f"# shrunk share; confidence = sigmoid({scale[0]:.3f} * logit(share) {scale[1]:+.3f}), fitted\n"
        "# on the untouched annotations.\n"
    )
    body = "kind\trule\trows\tright\tshare\tconfidence\n" + "".join(
        f"{ln['kind']}\t{ln['rule']}\t{ln['rows']}\t{ln['right']}\t{float(ln['share']):.3f}"
        f"\t{scaled(float(ln['share']), scale):.3f}\n"
        for ln in lines
    )
    write_text_atomic(path, head + body)


def reliability(name: str, rows: list[tuple[str, str, float, bool]]) -> str:
    """One reliability table: rows, mean confidence and share right per confidence bin, and the ECE."""
    out = [f"{name} ({len(rows)} rows)", f"  {'confidence':<12} {'rows':>6} {'mean conf':>10} {'right':>7}"]
    ece = 0.0
    for lo, hi in itertools.pairwise(BINS):
        inside = [(c, ok) for _k, _r, c, ok in rows if lo <= c < hi]
        if not inside:
            continue
        mean = sum(c for c, _ok in inside) / len(inside)
        share = sum(ok for _c, ok in inside) / len(inside)
        ece += len(inside) / len(rows) * abs(mean - share)
        out.append(f"  {f'{lo:.2f}-{min(hi, 1):.2f}':<12} {len(inside):>6} {mean:>10.3f} {share:>7.3f}")
    right = [ok for *_rest, ok in rows]
    brier = sum((c - ok) ** 2 for _k, _r, c, ok in rows) / len(rows)
    base = sum(right) / len(rows)
    auc = roc_auc_score(right, [c for _k, _r, c, _ok in rows]) if 0 < base < 1 else float("nan")
    out.append(
        f"  expected calibration error {ece:.3f}; Brier {brier:.3f} (one constant: {base * (1 - base):.3f});"
        f" ranks a right row above a wrong one {auc:.2f} of the time"
    )
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--write", action="store_true", help="rewrite utils/extract/calibration.tsv first")
    parser.add_argument("--shared", default=str(ROOT.parent / "shared"))
    args = parser.parse_args(argv)
    shared = Path(args.shared)
    if not (shared / "devset").is_dir() or not (shared / "corpus").is_dir():
        print(f"{shared}: no devset/ and corpus/ here (the shared data sits in ../shared)", file=sys.stderr)
        return 2
    sets = articles(shared)
    tuned = [o for item in sets["tuned"] for o in outcomes(*item)]
    lines = shares(tuned)
    table = as_table(lines)
    untouched = [outcomes(*item) for item in sets["untouched"]]
    if args.write:
        scale = fit_scale([o for rows in untouched for o in rows], table)
        write_table(lines, scale)
        load_calibration.cache_clear()
        where = TABLE.relative_to(ROOT)
        print(f"wrote {where}: shares from {len(tuned)} tuned rows, scale {scale[0]:.3f}, {scale[1]:.3f}")
    crossed = []
    for k, rows in enumerate(untouched):
        others = [o for m, rest in enumerate(untouched) if m != k for o in rest]
        scale = fit_scale(others, table)
        crossed += [(kind, rule, scaled(table.of(kind, rule), scale), ok) for kind, rule, _c, ok in rows]
    print(reliability("untouched annotations, leave-one-article-out", crossed))
    shipped = load_calibration()
    tuned = [(kind, rule, shipped.of(kind, rule), ok) for kind, rule, _c, ok in tuned]
    print(reliability("tuned annotations, shipped table (in-sample)", tuned))
    polnear = [o for item in sets["polnear-check"] for o in outcomes(*item)]
    print(reliability("PolNeAR check part, shipped table (other conventions)", polnear))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
