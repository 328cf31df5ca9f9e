"""How well the rows' ``confidence`` holds: reliability tables of the speaker chooser's probability.

A row's ``confidence`` is the probability the speaker chooser (``utils/extract/chooser.py``) gives
its chosen speaker: that the row is right (it matches a gold row, ``opinions evaluate``'s
one-to-one matching) and its speaker is right. ``benchmarks/train_chooser.py --write`` fits the
model; this prints how well its probabilities hold:

1. on our own annotations (the dev set and tests/gold/corpus except FINAL4), each article's rows
   decided by a model trained without that article (five folds grouped by article): the honest
   figure for articles like ours;
2. on PolNeAR's ``check`` part, with the shipped model (another corpus with other conventions, so
   its shares are lower for reasons beyond confidence).

Each table bins rows by confidence and shows, per bin, the rows, their mean confidence and the share
that was right; then the expected calibration error, the Brier score beside a constant's, and the
AUC (how often a right row is ranked above a wrong one).

Usage: python benchmarks/calibrate.py [--shared ../shared]
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import train_chooser  # noqa: E402  (a sibling script, not a package)

from utils.extract.chooser import load_model  # noqa: E402

BINS = (0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0001)


def reliability(name: str, right: list[bool], confidence: list[float]) -> str:
    """One reliability table: rows, mean confidence and share right per confidence bin, and the ECE."""
    pairs = list(zip(confidence, right, strict=True))
    out = [f"{name} ({len(pairs)} rows)", f"  {'confidence':<12} {'rows':>6} {'mean conf':>10} {'right':>7}"]
    ece = 0.0
    for lo, hi in itertools.pairwise(BINS):
        inside = [(c, ok) for c, ok in pairs if lo <= c < hi]
        if not inside:
            continue
        mean = sum(c for c, _ok in inside) / len(inside)
        share = sum(ok for _c, ok in inside) / len(inside)
        ece += len(inside) / len(pairs) * abs(mean - share)
        out.append(f"  {f'{lo:.2f}-{min(hi, 1):.2f}':<12} {len(inside):>6} {mean:>10.3f} {share:>7.3f}")
    brier = sum((c - ok) ** 2 for c, ok in pairs) / len(pairs)
    base = sum(right) / len(pairs)
    out.append(
        f"  expected calibration error {ece:.3f}; Brier {brier:.3f} (one constant: {base * (1 - base):.3f});"
        f" ranks a right row above a wrong one {train_chooser.auc(right, confidence):.3f} of the time"
    )
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--shared", default=str(ROOT.parent / "shared"))
    args = parser.parse_args(argv)
    shared = Path(args.shared)
    if not (shared / "devset").is_dir() or not (shared / "corpus").is_dir():
        print(f"{shared}: no devset/ and corpus/ here (the shared data sits in ../shared)", file=sys.stderr)
        return 2
    model = load_model()
    ours = train_chooser.training_articles(shared)
    c = float(train_chooser.shipped_settings().get("C", 1.0))
    crossed = train_chooser.cross_validated(ours, c, model.margin)
    print(
        reliability(
            "our annotations, each article by a model trained without it",
            *train_chooser.right_rows(ours, crossed),
        )
    )
    if (shared / "polnear-train").is_dir():
        check = train_chooser.polnear_articles(shared)
        shipped = train_chooser.applied(check, model, model.margin)
        print(
            reliability(
                "PolNeAR check part, shipped model (other conventions)",
                *train_chooser.right_rows(check, shipped),
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
