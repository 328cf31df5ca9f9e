"""Throughput and memory of the statement extractor over a folder of article texts.

Usage: python benchmarks/extract_bench.py [CORPUS_DIR] [--against REV] [--rounds N] [--dev DEVSET_DIR]

CORPUS_DIR defaults to ../shared/corpus relative to the repository root. Only the extraction is
timed (files are read first), in **CPU seconds of the process** (``time.process_time``), not wall
time: the machine is shared, and CPU time is what one article costs whatever else runs. Each
measurement is one pass over the corpus in a fresh process (a first pass: the caches of the
extractor start empty, as for a user's corpus; a tiny article is extracted first so that the word
lists are loaded once); the same articles are then extracted a second time in that process, which
shows what the extractor's caches of phrases save when a corpus repeats its names (the figure the
earlier benchmark reported: the fastest of three passes). Peak memory is the process's maximum
resident set size.

``--against REV`` also measures the extractor of git revision REV (exported with ``git archive``
into a temporary folder) in the same run, alternating the two for ``--rounds`` rounds, and prints
both, best and median, so old and new are compared on the same machine at the same time. With
``--dev`` the dev-set evaluation table is printed as well (a quick development loop).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"
WARM_UP = "Title\n\nJane Roe, a lawyer, said the plan was good.\n"


def peak_rss_mb() -> float:
    """Peak resident set size of this process in MB (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def one_pass(corpus: Path) -> dict[str, float]:
    """Extract every ``*.txt`` article of ``corpus`` once in this process, timing CPU seconds."""
    from utils.quotes import extract_statements

    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(corpus.glob("*.txt"))]
    extract_statements(WARM_UP)
    started = time.process_time()
    statements = sum(len(extract_statements(text)) for text in texts)
    seconds = time.process_time() - started
    started = time.process_time()
    for text in texts:  # the same articles again: what the extractor's caches of phrases save
        extract_statements(text)
    again = time.process_time() - started
    return {
        "articles": len(texts),
        "statements": statements,
        "seconds": seconds,
        "articles_per_s": len(texts) / seconds if seconds > 0 else float("inf"),
        "again_per_s": len(texts) / again if again > 0 else float("inf"),
        "peak_mb": peak_rss_mb(),
    }


def measure(root: Path, corpus: Path) -> dict[str, float]:
    """One pass in a fresh process whose ``utils`` is the one under ``root``."""
    paths = (str(root), str(REPO / "benchmarks"))
    code = (
        f"import sys, json, pathlib; sys.path[:0] = {list(paths)!r}; import extract_bench;"
        f" print(json.dumps(extract_bench.one_pass(pathlib.Path({str(corpus)!r}))))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def export(rev: str, folder: Path) -> Path:
    """The tree of git revision ``rev`` written to ``folder`` (``git archive``)."""
    archive = subprocess.run(["git", "-C", str(REPO), "archive", rev], capture_output=True, check=True).stdout
    tar = folder / "tree.tar"
    tar.write_bytes(archive)
    with tarfile.open(tar) as handle:
        handle.extractall(folder / "tree", filter="data")
    return folder / "tree"


def summary(name: str, runs: list[dict[str, float]]) -> str:
    rates = [r["articles_per_s"] for r in runs]
    again = [r["again_per_s"] for r in runs]
    first = runs[0]
    return (
        f"{name:<12} {int(first['articles'])} articles, {int(first['statements'])} statements: "
        f"first pass best {max(rates):.1f}, median {statistics.median(rates):.1f} articles per CPU second; "
        f"second pass (caches warm) best {max(again):.1f}, median {statistics.median(again):.1f} "
        f"({len(runs)} processes); peak memory {max(r['peak_mb'] for r in runs):.1f} MB"
    )


def dev_report(devset: Path) -> str:
    """The dev-set evaluation table (micro and per article) for the current extractor."""
    import pandas as pd

    from utils.evaluate import evaluate_pairs, format_evaluation, load_devset
    from utils.quotes import extract_statements

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
    parser.add_argument("--against", metavar="REV", help="also time the extractor of this git revision")
    parser.add_argument("--rounds", type=int, default=3, help="passes of each extractor (3)")
    parser.add_argument("--dev", type=Path, default=None, help="also print the dev-set evaluation")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"corpus folder not found: {args.corpus}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        trees = {"this tree": REPO}
        if args.against:
            try:
                trees = {args.against: export(args.against, Path(tmp)), "this tree": REPO}
            except subprocess.CalledProcessError:
                print(f"{args.against}: not a git revision of {REPO}", file=sys.stderr)
                return 2
        runs: dict[str, list[dict[str, float]]] = {name: [] for name in trees}
        for _round in range(max(1, args.rounds)):
            for name, root in trees.items():
                runs[name].append(measure(root, args.corpus))
    for name, found in runs.items():
        print(summary(name, found))
    if args.dev is not None:
        sys.path.insert(0, str(REPO))
        print(dev_report(args.dev))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
