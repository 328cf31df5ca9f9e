"""Re-quote finder (utils.requotes.find_requotes) time and memory at 10^4, 10^5 and 10^6 statements.

The statements are synthetic, made from a seed so every run sees the same table: words drawn
from a Zipf-shaped vocabulary (so common 3-grams exist, as in news), quotes of 4 to 60 words,
ten statements an article, dates over two years, 20 outlets, speakers drawn Zipf-wise from
5,000. On top of that:

* **re-quotes**: 8% of the statements repeat an earlier one a few days to weeks later, cut at
  another point, with a word changed, or (one in ten) given to another speaker;
* **slogans**: 1% are one of 40 short catch-phrases said by anyone on any day (they must
  not become one giant group);
* **stock phrases**: 5% carry one of 200 six-word phrases inside otherwise different quotes.

Each size is made in one process and measured in another, which reads it from Parquet as a
corpus would be read, so the peak memory (ru_maxrss) is that of the table and the finder.
Printed per size: seconds (wall clock) for building the quotes, finding groups and describing them, and the
CPU seconds of the three (the wall clock grows when other work shares the machine); peak memory;
groups found and the quotes in the largest (a chain of loose links would show as one huge
group); the share of planted re-quote pairs found (recall) and of found pairs that join
statements planted apart ("apart": an upper bound of the false share; at 3 x 10^5 statements
five in six were a slogan said again by the same speaker within a month, which the rule takes
as one occasion: the most quoted synthetic speaker says a quarter of everything).

Then, as ``opinions compare`` searches them: :func:`utils.requotes.dataset_requotes` for two
people over the table as a dataset, in a process of its own (seconds, peak MB): the two most
quoted speakers (the worst case: together about a third of everything) and two quoted a few
hundred times per million ("P20, P50").

Usage: python benchmarks/requotes_bench.py [--sizes 10000 100000 1000000] [--seed 7]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from utils import requotes  # noqa: E402

HEADER = (
    "statements  quotes s  groups s  describe s  (cpu s)  peak MB   groups largest"
    "  planted pairs  recall  apart   compare P1,P2 s / MB   P20,P50 s / MB"
)
PAIRS = (["P1", "P2"], ["P20", "P50"])  # whom opinions compare is asked about, most quoted first
PER_ARTICLE = 10
VOCABULARY = 50_000
SPEAKERS = 5_000
OUTLETS = 20
REQUOTE_SHARE, SLOGAN_SHARE, STOCK_SHARE = 0.08, 0.01, 0.05
SLOGANS, STOCK_PHRASES = 40, 200


def synthetic(n: int, seed: int = 7) -> tuple[pd.DataFrame, np.ndarray]:
    """A statements table of ``n`` rows with the corpus columns, and the planted utterance of
    every row (rows planted together report one utterance; slogans and stock phrases are not)."""
    rng = np.random.default_rng(seed)
    words = [f"w{i}" for i in range(VOCABULARY)]
    weights = 1.0 / np.arange(1, VOCABULARY + 1) ** 1.05
    weights /= weights.sum()
    lengths = np.clip(rng.lognormal(2.8, 0.6, n).astype(int), 4, 60)
    drawn = rng.choice(VOCABULARY, size=int(lengths.sum()), p=weights)
    bounds = np.concatenate(([0], np.cumsum(lengths)))
    texts = [[words[w] for w in drawn[bounds[i] : bounds[i + 1]].tolist()] for i in range(n)]
    article = np.arange(n) // PER_ARTICLE
    day = rng.integers(0, 730, n // PER_ARTICLE + 1)[article]
    outlet = rng.integers(0, OUTLETS, n // PER_ARTICLE + 1)[article]
    speaker = np.minimum(rng.zipf(1.3, n), SPEAKERS)
    utterance = np.arange(n)
    slogans = [[words[w] for w in rng.integers(0, 2000, rng.integers(4, 6))] for _ in range(SLOGANS)]
    stock = [[words[w] for w in rng.integers(0, 5000, 6)] for _ in range(STOCK_PHRASES)]
    for i in np.flatnonzero(rng.random(n) < STOCK_SHARE):
        at = rng.integers(0, len(texts[i]) + 1)
        texts[i][at:at] = stock[rng.integers(STOCK_PHRASES)]
    for i in np.flatnonzero(rng.random(n) < SLOGAN_SHARE):
        texts[i] = list(slogans[rng.integers(SLOGANS)])
        utterance[i] = -1 - i  # never planted together
    for i in np.flatnonzero(rng.random(n) < REQUOTE_SHARE):
        source = rng.integers(0, max(i, 1))
        if utterance[source] < 0 or article[source] == article[i]:
            continue
        texts[i] = _variant(texts[source], rng, words)
        utterance[i] = utterance[source]
        day[i] = day[source] + rng.integers(0, 30)
        if rng.random() > 0.1:
            speaker[i] = speaker[source]
    table = pd.DataFrame(
        {
            "article_id": [f"a{a}" for a in article],
            "outlet": [f"outlet {o}" for o in outlet],
            "date": (pd.Timestamp("2024-01-01") + pd.to_timedelta(day, unit="D")).strftime("%Y-%m-%d"),
            "speaker": [f"Speaker Number{s}" for s in speaker],
            "person_id": [f"P{s}" for s in speaker],
            "kind": "direct",
            "text": [" ".join(t) for t in texts],
        }
    )
    table["start"] = 0
    table["end"] = table["text"].str.len()
    return table, utterance


def _variant(text: list[str], rng: np.random.Generator, words: list[str]) -> list[str]:
    """A re-quote: cut at the start or end (keeping at least two thirds), maybe one word changed."""
    keep = max(4, int(len(text) * rng.uniform(0.67, 1.0)))
    start = rng.integers(0, len(text) - keep + 1)
    out = list(text[start : start + keep])
    if rng.random() < 0.5 and len(out) >= 8:
        out[rng.integers(len(out))] = words[rng.integers(VOCABULARY)]
    return out


def _pairs(labels: np.ndarray, rows: np.ndarray) -> set[tuple[int, int]]:
    """Pairs of rows (row numbers) that share a label, in different articles by construction."""
    found = set()
    for members in pd.Series(rows).groupby(labels).apply(list):
        found.update((a, b) for i, a in enumerate(members) for b in members[i + 1 :])
    return found


def make(n: int, seed: int, path: Path) -> None:
    """Write the synthetic table to a Parquet file, the planted utterance as column ``planted``."""
    table, utterance = synthetic(n, seed)
    table.assign(planted=utterance).to_parquet(path, index=False)


def measure(path: Path) -> dict[str, float]:
    """Read a synthetic table and run the finder on it; timings, memory, and planted pairs found."""
    table = pd.read_parquet(path)
    utterance = table.pop("planted").to_numpy()
    n = len(table)
    t0, c0 = time.perf_counter(), time.process_time()
    items = requotes.quote_items(table)
    t1 = time.perf_counter()
    groups = requotes.group_items(items)
    t2 = time.perf_counter()
    found = requotes.describe_groups(items, groups)
    t3, c3 = time.perf_counter(), time.process_time()
    rows = items["statement"].to_numpy()
    planted = _pairs(utterance[rows], rows)
    planted = {p for p in planted if table.at[p[0], "article_id"] != table.at[p[1], "article_id"]}
    kept = groups >= 0
    predicted = _pairs(groups[kept], rows[kept])
    predicted = {p for p in predicted if table.at[p[0], "article_id"] != table.at[p[1], "article_id"]}
    right = sum(1 for a, b in predicted if utterance[a] == utterance[b])
    return {
        "statements": n,
        "quotes_s": t1 - t0,
        "groups_s": t2 - t1,
        "describe_s": t3 - t2,
        "cpu_s": c3 - c0,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "groups": int(found["group"].nunique()),
        "largest": int(found.groupby("group").size().max()) if len(found) else 0,
        "planted_pairs": len(planted),
        "recall": right / len(planted) if planted else float("nan"),
        "apart": (len(predicted) - right) / len(predicted) if predicted else 0.0,
    }


def compare(path: Path, people: list[str]) -> dict[str, float]:
    """Time the re-quote search of ``opinions compare`` for ``people`` over the table as a dataset."""
    started = time.perf_counter()
    found = requotes.dataset_requotes(path, people)
    return {
        "seconds": time.perf_counter() - started,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "groups": int(found["group"].nunique()),
    }


def _child(arguments: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, __file__, *arguments], capture_output=True, text=True, check=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--make", nargs=2, help=argparse.SUPPRESS)  # N PATH: write one table
    parser.add_argument("--one", help=argparse.SUPPRESS)  # PATH: measure one table, print JSON
    parser.add_argument("--compare", nargs="+", help=argparse.SUPPRESS)  # PATH PERSON...: time a search
    args = parser.parse_args(argv)
    if args.make:
        make(int(args.make[0]), args.seed, Path(args.make[1]))
        return 0
    if args.one:
        print(json.dumps(measure(Path(args.one))))
        return 0
    if args.compare:
        print(json.dumps(compare(Path(args.compare[0]), args.compare[1:])))
        return 0
    print(HEADER)
    for n in args.sizes:
        with tempfile.TemporaryDirectory(prefix="requotes-bench-") as folder:
            path = Path(folder) / f"statements-{n}.parquet"
            made = _child(["--make", str(n), str(path), "--seed", str(args.seed)])
            runs = [made] if made.returncode else [_child(["--one", str(path)])]
            runs += [_child(["--compare", str(path), *people]) for people in PAIRS if not made.returncode]
        failed = [run for run in runs if run.returncode]
        if failed:
            print(f"{n:>10}  failed: {failed[0].stderr.strip().splitlines()[-1:]}", file=sys.stderr)
            return 1
        r, *searches = (json.loads(run.stdout) for run in runs)
        print(
            f"{r['statements']:>10} {r['quotes_s']:>9.1f} {r['groups_s']:>9.1f} {r['describe_s']:>11.1f}"
            f" {r['cpu_s']:>8.1f} {r['peak_mb']:>8.0f} {r['groups']:>8} {r['largest']:>7}"
            f" {r['planted_pairs']:>14} {r['recall']:>7.3f} {r['apart']:>6.3f}"
            + "".join(f" {c['seconds']:>12.1f} / {c['peak_mb']:<6.0f}" for c in searches)
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
