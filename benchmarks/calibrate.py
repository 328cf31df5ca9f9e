"""How well the rows' ``confidence`` holds: reliability, ECE, Brier and AUC, before and after the row check.

A row is right when it matches a gold row (``opinions evaluate``'s one-to-one matching) and its
speaker is right. A row's ``confidence`` is the row check's probability that it is right
(``utils/extract/rowcheck.py``, rebuilt by ``benchmarks/train_rowcheck.py --write``), made from
the speaker chooser's probability for the speaker it kept (``utils/extract/chooser.py``: the
confidence before the row check, printed beside it) and general features of the row. Sets:

1. our own annotations (the dev set and tests/gold/corpus except FINAL4), each article's rows
   decided by a chooser and a row check trained without that article (five folds grouped by
   article): the honest figure for articles like ours;
2. with ``--final``: FINAL4 (tests/gold/corpus) and FINAL5 (tests/gold/final5), shipped models
   (trained without them). Scored once at the end of a work: nobody tunes on them;
3. PolNeAR's ``check`` part, shipped models: another corpus with other conventions, so its shares
   are lower for reasons beyond confidence; printed for all rows and without our quoted-fragment
   rows (a direct row inside one of our paraphrases, which PolNeAR's conventions never make).

Each reliability table bins rows by confidence and shows, per bin, the rows, their mean confidence
and the share that was right; then the expected calibration error (ECE), the Brier score beside a
constant's, and the AUC (how often a right row is ranked above a wrong one). A summary table ends.

Usage: python benchmarks/calibrate.py [--shared ../shared] [--final]
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import train_chooser  # noqa: E402  (sibling scripts, not a package)
import train_rowcheck  # noqa: E402
from train_chooser import Article, Outcome  # noqa: E402

from utils.articles import load_article  # noqa: E402
from utils.extract.chooser import load_model  # noqa: E402
from utils.extract.rowcheck import inside_paraphrase, load_rowcheck  # noqa: E402

BINS = (0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0001)
FINAL5 = ROOT / "tests" / "gold" / "final5"


def figures(right: list[bool], confidence: list[float]) -> tuple[float, float, float]:
    """(ECE over ``BINS``, Brier score, AUC) of confidences for rows that are right or not."""
    pairs = list(zip(confidence, right, strict=True))
    ece = 0.0
    for lo, hi in itertools.pairwise(BINS):
        inside = [(c, ok) for c, ok in pairs if lo <= c < hi]
        if inside:
            mean = sum(c for c, _ok in inside) / len(inside)
            ece += len(inside) / len(pairs) * abs(mean - sum(ok for _c, ok in inside) / len(inside))
    brier = sum((c - ok) ** 2 for c, ok in pairs) / len(pairs)
    return ece, brier, train_chooser.auc(right, confidence)


def reliability(name: str, right: list[bool], confidence: list[float]) -> str:
    """One reliability table: rows, mean confidence and share right per confidence bin, and the ECE."""
    pairs = list(zip(confidence, right, strict=True))
    out = [f"{name} ({len(pairs)} rows)", f"  {'confidence':<12} {'rows':>6} {'mean conf':>10} {'right':>7}"]
    for lo, hi in itertools.pairwise(BINS):
        inside = [(c, ok) for c, ok in pairs if lo <= c < hi]
        if inside:
            mean = sum(c for c, _ok in inside) / len(inside)
            share = sum(ok for _c, ok in inside) / len(inside)
            out.append(f"  {f'{lo:.2f}-{min(hi, 1):.2f}':<12} {len(inside):>6} {mean:>10.3f} {share:>7.3f}")
    ece, brier, auc = figures(right, confidence)
    base = sum(right) / len(pairs)
    out.append(
        f"  expected calibration error {ece:.3f}; Brier {brier:.3f} (one constant: {base * (1 - base):.3f});"
        f" ranks a right row above a wrong one {auc:.3f} of the time"
    )
    return "\n".join(out)


def summary_line(name: str, articles: list[Article], before: dict, after: dict) -> str:
    """One set: rows, share right, and ECE / Brier / AUC of the chooser's probability and the row check's."""
    right, old = train_chooser.right_rows(articles, before)
    _right, new = train_chooser.right_rows(articles, after)
    cells = " ".join(f"{x:>6.3f}" for x in (*figures(right, old), *figures(right, new)))
    return f"  {name:<34} {len(right):>5} {sum(right) / len(right):>6.3f} {cells}"


def without_fragments(articles: list[Article]) -> list[Article]:
    """The articles without direct rows inside one of their paraphrase rows (quoted fragments)."""
    out = []
    for a in articles:
        rows = [r.choice.statement for r in a.rows]
        kept = [r for r in a.rows if not inside_paraphrase(r.choice.statement, rows)]
        out.append(train_chooser.labelled_rows(a, kept))
    return out


def final_articles(shared: Path) -> dict[str, list[Article]]:
    """FINAL4 (tests/gold/corpus's ``final4`` split) and FINAL5 (tests/gold/final5)."""
    splits = pd.read_csv(train_chooser.GOLD / "splits.csv", dtype=str)
    final4 = [stem for stem, split in zip(splits["stem"], splits["split"], strict=True) if split == "final4"]
    final5 = sorted(p.name.removesuffix(".gold.csv") for p in FINAL5.glob("*.gold.csv"))
    return {
        name: [
            train_chooser.labelled(
                stem,
                name,
                load_article(shared / "corpus" / f"{stem}.txt").text,
                train_chooser.read_gold(folder / f"{stem}.gold.csv"),
            )
            for stem in stems
        ]
        for name, folder, stems in (("FINAL4", train_chooser.GOLD, final4), ("FINAL5", FINAL5, final5))
    }


def shipped(articles: list[Article]) -> tuple[dict[str, Outcome], dict[str, Outcome]]:
    """The shipped chooser's outcomes, and the same choices with the shipped row check's confidence."""
    model = load_model()
    before = train_chooser.applied(articles, model, model.margin)
    return before, train_rowcheck.confidences(articles, before, load_rowcheck())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--shared", default=str(ROOT.parent / "shared"))
    parser.add_argument(
        "--final", action="store_true", help="also score FINAL4 and FINAL5 (once, at the end)"
    )
    args = parser.parse_args(argv)
    shared = Path(args.shared)
    if not (shared / "devset").is_dir() or not (shared / "corpus").is_dir():
        print(f"{shared}: no devset/ and corpus/ here (the shared data sits in ../shared)", file=sys.stderr)
        return 2
    ours = train_chooser.training_articles(shared)
    before = train_rowcheck.crossed_chooser(ours)
    c = float(train_rowcheck.shipped_settings().get("C", 1.0))
    sets = [
        ("ours, cross-validated by article", ours, before, train_rowcheck.cross_validated(ours, before, c))
    ]
    if args.final:
        sets += [(name, group, *shipped(group)) for name, group in final_articles(shared).items()]
    if (shared / "polnear-train").is_dir():
        check = train_chooser.polnear_articles(shared)
        sets.append(("PolNeAR check, all rows", check, *shipped(check)))
        plain = without_fragments(check)
        sets.append(("PolNeAR check, no quoted fragments", plain, *shipped(plain)))
    for name, group, old, new in sets:
        print(reliability(f"{name}: the chooser's probability", *train_chooser.right_rows(group, old)))
        print(reliability(f"{name}: the row check (confidence)", *train_chooser.right_rows(group, new)))
    print(
        f"\n  {'set':<34} {'rows':>5} {'right':>6}  chooser: ECE  Brier    AUC  row check: ECE  Brier    AUC"
    )
    for name, group, old, new in sets:
        print(summary_line(name, group, old, new))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
