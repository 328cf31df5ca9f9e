"""Paired before/after scoring of one set of gold tables: the extractor of a git revision against this tree.

Usage: python benchmarks/paired_eval.py GOLD [--articles FOLDER] --against REV [--splits NAME,...]

GOLD is a folder of ``<slug>.gold.csv`` tables (``tests/gold/corpus``, ``tests/gold/final5`` …), the
articles ``<slug>.txt`` sit in ``--articles`` (default ``../shared/corpus``); with ``--splits`` only the
tables ``GOLD/splits.csv`` puts in those splits are scored. Both extractors run in their own process
(the old one from a ``git archive`` of REV) with the shipped speaker chooser (no user's model), and
both are scored by ``utils.evaluate`` of this tree, so the only difference is the extractor.

Printed: micro span, attributed and full F1, recall by kind and the affiliation figure, before and
after; then the paired change: articles better, worse and unchanged by attributed F1, and rows fixed
(a gold row matched with the right speaker after and not before) and broken (the other way round).

Sets scored once at the end of a work (FINAL4, FINAL5) are scored with this, once: nobody tunes on
them, so the paired change is the honest estimate of what the work did on unseen articles.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))
from extract_bench import export  # noqa: E402  (a sibling script, not a package)

from utils.evaluate import LEVELS, evaluate_pairs, score_article, speaker_right  # noqa: E402

COLUMNS = ["speaker", "affiliation", "kind", "text", "start", "end"]


def extracted(root: Path, texts: dict[str, str], folder: Path) -> dict[str, pd.DataFrame]:
    """Each article's rows as the extractor under ``root`` finds them (in a fresh process)."""
    payload = folder / f"in-{abs(hash(str(root)))}.json"
    result = folder / f"out-{abs(hash(str(root)))}.json"
    payload.write_text(json.dumps(texts), encoding="utf-8")
    code = (
        f"import sys, json, dataclasses; sys.path.insert(0, {str(root)!r});"
        "from utils.quotes import extract_statements;"
        f"texts = json.load(open({str(payload)!r}, encoding='utf-8'));"
        "out = {k: [dataclasses.asdict(s) for s in extract_statements(t)] for k, t in texts.items()};"
        f"json.dump(out, open({str(result)!r}, 'w', encoding='utf-8'))"
    )
    env = {k: v for k, v in os.environ.items() if k != "EXPERT_OPINIONS_DATA"}
    env["EXPERT_OPINIONS_DATA"] = str(folder / "no-user-data")  # the shipped chooser, never a user's
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=folder)
    rows = json.loads(result.read_text(encoding="utf-8"))
    return {
        slug: pd.DataFrame(found, columns=[*COLUMNS, "cue", "rule", "confidence"])
        for slug, found in rows.items()
    }


def right_gold_rows(gold: pd.DataFrame, pred: pd.DataFrame) -> set[int]:
    """Gold rows matched by a predicted row with the right speaker."""
    return {
        gi
        for gi, pi, _f1 in score_article(gold, pred).pairs
        if speaker_right(gold.iloc[gi]["speaker"], gold.iloc[gi]["affiliation"], pred.iloc[pi]["speaker"])
    }


def figures(name: str, micro: dict[str, float]) -> str:
    levels = "  ".join(f"{level} F1 {micro[f'{level}_f1']:.3f}" for level in LEVELS)
    return (
        f"{name:<8} {int(micro['n_gold'])} gold, {int(micro['n_pred'])} predicted: {levels}; recall direct "
        f"{micro['recall_direct']:.3f}, paraphrase {micro['recall_paraphrase']:.3f}; affiliation right "
        f"{int(micro['affiliation_ok'])}/{int(micro['affiliation_n'])} = {micro['affiliation']:.3f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("gold", type=Path)
    parser.add_argument("--articles", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--against", required=True, metavar="REV", help="the git revision scored as 'before'")
    parser.add_argument("--splits", help="only the tables of these splits of GOLD/splits.csv")
    args = parser.parse_args(argv)
    tables = sorted(args.gold.glob("*.gold.csv"))
    if args.splits:
        splits = pd.read_csv(args.gold / "splits.csv", dtype=str)
        keep = set(splits.loc[splits["split"].isin(args.splits.split(",")), "stem"])
        tables = [t for t in tables if t.name.removesuffix(".gold.csv") in keep]
    if not tables:
        print(f"{args.gold}: no <slug>.gold.csv to score", file=sys.stderr)
        return 2
    golds = {
        t.name.removesuffix(".gold.csv"): pd.read_csv(t, dtype=str, keep_default_na=False) for t in tables
    }
    texts = {slug: (args.articles / f"{slug}.txt").read_text(encoding="utf-8") for slug in golds}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        before = extracted(export(args.against, folder), texts, folder)
        after = extracted(REPO, texts, folder)
    print(f"{args.gold} ({len(golds)} articles), {args.against} against this tree")
    for name, pred in (("before", before), ("after", after)):
        print(figures(name, evaluate_pairs((slug, golds[slug], pred[slug]) for slug in golds).micro))
    better = worse = same = fixed = broken = 0
    for slug, gold in golds.items():
        old, new = score_article(gold, before[slug]), score_article(gold, after[slug])
        delta = new.f1("attributed") - old.f1("attributed")
        better, worse, same = better + (delta > 1e-9), worse + (delta < -1e-9), same + (abs(delta) <= 1e-9)
        was, now = right_gold_rows(gold, before[slug]), right_gold_rows(gold, after[slug])
        fixed, broken = fixed + len(now - was), broken + len(was - now)
    print(
        f"paired: attributed F1 better on {better} articles, worse on {worse}, unchanged on {same}; "
        f"{fixed} gold rows fixed, {broken} broken"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
