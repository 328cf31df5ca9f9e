"""Corpus-run benchmark: articles per second and peak memory per worker at 10,000 articles.

Usage: python benchmarks/corpus_bench.py [CORPUS_DIR] [--articles N] [--ways serial pool cluster]

The corpus (default ../shared/corpus, 156 articles) is replicated in a temporary folder
to N articles (default 10,000), then run three ways, each in a fresh process: one
process, Dask's local pool with two processes, and a two-worker Dask LocalCluster.
Memory is the peak resident set size of each process, sampled every 0.1 s; for the
parallel runs it is the largest worker's. Issue 17's scale goal (100,000 articles on 2 cores
in <= 10 minutes): ``--articles 100000 --ways pool``; the speed-up column is against the first run.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
CONFIGS = {  # --ways name: (label, run_corpus arguments)
    "serial": ("1 process", "workers=1"),
    "pool": ("2 processes (Dask local pool)", "workers=2"),
    "cluster": ("Dask LocalCluster, 2 workers", "workers=2, scheduler='local'"),
}


def replicate(source: Path, target: Path, total: int) -> int:
    """Copy the corpus's articles round-robin under new names until there are ``total`` of them."""
    articles = sorted(p for p in source.iterdir() if p.suffix in (".txt", ".html"))
    for i in range(total):
        original = articles[i % len(articles)]
        shutil.copy(original, target / f"{original.stem}--{i:05d}{original.suffix}")
    return total


def run(label: str, arguments: str, folder: Path, out: Path) -> dict[str, float]:
    """Run one configuration in a fresh Python process and sample its process tree's memory."""
    code = (
        f"from utils.corpus import run_corpus; "
        f"s = run_corpus({str(folder)!r}, {str(out)!r}, {arguments}, progress=False); "
        f"print(s.articles, s.statements, len(s.failures))"
    )
    peaks: dict[int, float] = {}
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    done = threading.Event()

    def sample() -> None:
        root = psutil.Process(process.pid)
        while not done.is_set():
            try:
                for proc in [root, *root.children(recursive=True)]:
                    peaks[proc.pid] = max(peaks.get(proc.pid, 0.0), proc.memory_info().rss / 1e6)
            except psutil.Error:
                pass
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = process.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if process.returncode:
        raise SystemExit(f"{label}: the run failed (exit {process.returncode})")
    articles, statements, failures = (int(x) for x in output.split())
    workers = {pid: mb for pid, mb in peaks.items() if pid != process.pid} or peaks
    return {
        "seconds": seconds,
        "articles": articles,
        "statements": statements,
        "failures": failures,
        "rate": articles / seconds,
        "worker_mb": max(workers.values()),
        "main_mb": peaks[process.pid],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument(
        "--ways", nargs="+", choices=list(CONFIGS), default=list(CONFIGS), help="the runs to time (all)"
    )
    args = parser.parse_args()
    source = Path(args.corpus)
    if not source.is_dir():
        raise SystemExit(
            f"corpus_bench: {source}: no such folder — give the corpus folder as the first argument"
        )
    with tempfile.TemporaryDirectory(prefix="corpus-bench-") as tmp:
        folder = Path(tmp) / "articles"
        folder.mkdir()
        total = replicate(source, folder, args.articles)
        print(
            f"{total} articles replicated from {source} in a temporary folder; 2 cores here: "
            f"{psutil.cpu_count()} logical CPUs",
            flush=True,
        )
        print(
            f"{'configuration':<32} {'seconds':>8} {'articles/s':>11} {'speed-up':>9} {'peak MB/worker':>15}"
        )
        baseline = None
        for label, arguments in (CONFIGS[way] for way in args.ways):
            figures = run(label, arguments, folder, Path(tmp) / f"out-{len(label)}.parquet")
            baseline = baseline or figures["rate"]
            print(
                f"{label:<32} {figures['seconds']:>8.1f} {figures['rate']:>11.1f} "
                f"{figures['rate'] / baseline:>8.2f}x {figures['worker_mb']:>15.0f}"
                f"   ({figures['statements']} statements, {figures['failures']} failed, "
                f"main process {figures['main_mb']:.0f} MB)",
                flush=True,
            )


if __name__ == "__main__":
    main()
