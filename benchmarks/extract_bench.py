"""Throughput and memory of the statement extractor over a folder of article texts.

Usage: python benchmarks/extract_bench.py [CORPUS_DIR] [--dev DEVSET_DIR]

CORPUS_DIR defaults to ../shared/corpus relative to the repository root. Only the extraction is
timed (files are read first); peak memory is the process's maximum resident set size. With
``--dev`` the dev-set evaluation table is printed as well (a quick development loop).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from utils.quotes import extract_statements  # noqa: E402

DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"


def peak_rss_mb() -> float:
    """Peak resident set size of this process in MB (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def run(corpus: Path, repeats: int = 3) -> dict[str, float]:
    """Extract statements from every ``*.txt`` article in ``corpus``, timing extraction only.

    One article is extracted first, untimed, so word lists and compiled patterns are loaded once
    (a one-off cost, not a per-article one); then the whole corpus is extracted ``repeats`` times
    and the fastest pass counts (the others are slowed by whatever else the machine is doing).
    """
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(corpus.glob("*.txt"))]
    if texts:
        extract_statements(texts[0])
    elapsed = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        statements = sum(len(extract_statements(text)) for text in texts)
        elapsed = min(elapsed, time.perf_counter() - started)
    return {
        "articles": len(texts),
        "statements": statements,
        "seconds": elapsed,
        "articles_per_s": len(texts) / elapsed if elapsed > 0 else float("inf"),
        "peak_mb": peak_rss_mb(),
    }


def dev_report(devset: Path) -> str:
    """The dev-set evaluation table (micro and per article) for the current extractor."""
    import pandas as pd

    from utils.evaluate import evaluate_pairs, format_evaluation, load_devset

    items = []
    for slug, text, gold in load_devset(devset):
        pred = pd.DataFrame(
            [vars(s) for s in extract_statements(text)], columns=["speaker", "affiliation", "kind", "text"]
        )
        items.append((slug, gold, pred))
    return format_evaluation(evaluate_pairs(items))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--dev", type=Path, default=None, help="also print the dev-set evaluation")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"corpus folder not found: {args.corpus}", file=sys.stderr)
        return 2
    result = run(args.corpus)
    print(
        f"{result['articles']} articles, {result['statements']} statements in {result['seconds']:.2f} s: "
        f"{result['articles_per_s']:.1f} articles/s; peak memory {result['peak_mb']:.1f} MB"
    )
    if args.dev is not None:
        print(dev_report(args.dev))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
