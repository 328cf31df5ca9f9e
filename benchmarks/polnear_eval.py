"""Extraction scored on PolNeAR's train split, the way its README (``../shared/polnear-train``) says.

PolNeAR's conventions differ from ours in known ways, so this is a figure for finding systematic
errors at scale, not a target in itself. Per article:

* predictions that match a row of ``<article>.other.csv`` (attributions outside our task) are set
  aside before scoring against ``<article>.gold.csv`` (the "speech acts" figure);
* for the "our conventions" figure, gold rows with ``np_content=1`` (bare noun-phrase contents)
  or no source are also dropped, and predictions matching them are set aside too;
* "ours, no fragment rows" also sets aside our extra direct row for a quoted fragment inside one
  of our paraphrases (the dev set makes that row, PolNeAR does not: its README says such
  predictions "look spurious here"); printed beside the other two, never instead of them.

Matching is ``opinions evaluate``'s (one-to-one, token F1 >= 0.5, surname rule for speakers). Also
printed: speaker accuracy on matched rows by how PolNeAR's speaker was obtained (``resolved``), and
the affiliation figure of ``utils.evaluate`` (PolNeAR's gold has no affiliations, so it is printed
only for gold tables that have them).

The articles are split once, by a hash of their name, into ``find`` (about four in five: read their
errors to find systematic ones) and ``check`` (never read: a figure for rules made from ``find``).
``--split`` scores one part; the default scores all.

Usage: python benchmarks/polnear_eval.py [FOLDER] [--split find|check] [--limit N] [--json OUT]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from pathlib import Path

import pandas as pd

from utils.articles import load_article
from utils.curation import extract_table
from utils.evaluate import (
    affiliation_counts,
    affiliation_right,
    evaluate_pairs,
    score_article,
    speaker_right,
    token_f1,
)

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "polnear-train"


def split_of(slug: str) -> str:
    """ "check" for about one article in five (fixed by the name's hash), else "find"."""
    return "check" if int(hashlib.sha1(slug.encode()).hexdigest(), 16) % 5 == 0 else "find"


def set_aside(pred: pd.DataFrame, others: pd.DataFrame) -> pd.DataFrame:
    """Predictions left after removing those that match (token F1 >= 0.5) one of ``others``' texts."""
    if others.empty or pred.empty:
        return pred.reset_index(drop=True)
    keep = [
        i
        for i, text in enumerate(pred["text"])
        if not any(token_f1(text, other) >= 0.5 for other in others["text"])
    ]
    return pred.iloc[keep].reset_index(drop=True)


def read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False) if path.is_file() else pd.DataFrame()


def without_fragments(pred: pd.DataFrame) -> pd.DataFrame:
    """Predictions without direct rows that lie inside a predicted paraphrase (quoted fragments)."""
    paraphrases = pred[pred["kind"] == "paraphrase"]
    inside = [
        kind == "direct" and bool(((paraphrases["start"] <= a) & (paraphrases["end"] >= b)).any())
        for kind, a, b in zip(pred["kind"], pred["start"], pred["end"], strict=True)
    ]
    return pred.loc[[not x for x in inside]].reset_index(drop=True)


def article_items(folder: Path, slug: str) -> dict[str, tuple[pd.DataFrame, pd.DataFrame]]:
    """(gold, predicted) for the three figures of one article."""
    gold = read(folder / f"{slug}.gold.csv")
    other = read(folder / f"{slug}.other.csv")
    pred = extract_table(load_article(folder / f"{slug}.txt").text)
    speech = set_aside(pred, other)
    ours_mask = (gold.get("np_content", "") != "1") & (gold["speaker"].str.strip() != "")
    ours_pred = set_aside(speech, gold[~ours_mask])
    return {
        "speech acts": (gold, speech),
        "our conventions": (gold[ours_mask].reset_index(drop=True), ours_pred),
        "ours, no fragments": (gold[ours_mask].reset_index(drop=True), without_fragments(ours_pred)),
    }


def matched_details(gold: pd.DataFrame, pred: pd.DataFrame, counts: Counter) -> None:
    """Count speaker accuracy by ``resolved`` and affiliation accuracy over matched pairs."""
    for gi, pi, _f1 in score_article(gold, pred).pairs:
        g, p = gold.iloc[gi], pred.iloc[pi]
        ok = speaker_right(g["speaker"], g["affiliation"], p["speaker"])
        how = g.get("resolved", "") or "none"
        counts[f"speaker_n:{how}"] += 1
        counts[f"speaker_ok:{how}"] += ok
        if ok and affiliation_counts(g["affiliation"]):
            counts["affiliation_n"] += 1
            counts["affiliation_ok"] += affiliation_right(g["affiliation"], p["affiliation"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("folder", nargs="?", default=str(DEFAULT))
    parser.add_argument("--split", choices=("find", "check"), help="score only this part (default: all)")
    parser.add_argument("--limit", type=int, default=0, help="score only the first N articles")
    parser.add_argument("--json", dest="json_out", help="also write the figures here")
    args = parser.parse_args(argv)
    folder = Path(args.folder)
    slugs = sorted(p.name.removesuffix(".gold.csv") for p in folder.glob("*.gold.csv"))
    if not slugs:
        print(f"{folder}: no <article>.gold.csv files (PolNeAR train sits in ../shared)", file=sys.stderr)
        return 2
    if args.split:
        slugs = [s for s in slugs if split_of(s) == args.split]
    slugs = slugs[: args.limit] if args.limit else slugs
    items: dict[str, list] = {"speech acts": [], "our conventions": [], "ours, no fragments": []}
    counts: Counter = Counter()
    for slug in slugs:
        for name, (gold, pred) in article_items(folder, slug).items():
            items[name].append((slug, gold, pred))
            if name == "speech acts":
                matched_details(gold, pred, counts)
    figures = {}
    print(f"PolNeAR train, {len(slugs)} articles" + (f" ({args.split} part)" if args.split else ""))
    print(f"{'figure':<18} {'gold':>6} {'pred':>6} {'span F1':>8} {'attr F1':>8} {'full F1':>8}")
    for name, triples in items.items():
        micro = evaluate_pairs(triples).micro
        figures[name] = {k: micro[k] for k in ("n_gold", "n_pred", "span_f1", "attributed_f1", "full_f1")}
        print(
            f"{name:<18} {int(micro['n_gold']):>6} {int(micro['n_pred']):>6} {micro['span_f1']:>8.3f} "
            f"{micro['attributed_f1']:>8.3f} {micro['full_f1']:>8.3f}"
        )
    print("\nspeaker right on matched rows, by how PolNeAR's speaker was obtained:")
    for how in sorted(k.split(":", 1)[1] for k in counts if k.startswith("speaker_n:")):
        n, ok = counts[f"speaker_n:{how}"], counts[f"speaker_ok:{how}"]
        print(f"  {how:<14} {ok:>5}/{n:<5} {ok / n:.3f}")
        figures[f"speaker_{how}"] = ok / n
    if counts["affiliation_n"]:
        share = counts["affiliation_ok"] / counts["affiliation_n"]
        figures["affiliation"] = share
        print(
            f"\naffiliation right on {counts['affiliation_ok']}/{counts['affiliation_n']} "
            f"correctly attributed rows with one: {share:.3f}"
        )
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
