"""``opinions about`` timings at 10^4, 10^5 and 10^6 statements, with and without --person and --since.

Usage: python benchmarks/about_bench.py [--sizes 10000 100000 1000000] [--repeats 3]

The statements are synthetic: the texts of the statements in ``tests/gold/corpus/*.gold.csv`` (our
own annotations of the corpus articles, about 1,600 texts on every subject) and of the bundled
article's curated table, replicated round-robin, each with its row number appended so that no
two texts are the same (Parquet and DuckDB would otherwise store and scan each text once). Every
statement gets one of 2,000 people, one of 9 outlets, and a date from 2015 to 2024 (one in ten
without), in Parquet parts of 100,000 rows in a temporary folder.

Searches: a narrow query ("kursk offensive"), a common word ("people", in 4% of the texts), four
common words (in 15%), and the bundled article's topic ``kursk_value`` (12 keywords); each alone,
for one person (by id), and since 2020-01-01.
Times are the best of ``--repeats`` calls of :func:`utils.about.find_about` in this process (the
first call, with its imports, is shown apart): wall-clock seconds, and processor seconds (all
threads: DuckDB uses two), which the neighbours of a shared machine change far less. The
machine's load average is printed beside them.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from utils.about import find_about, load_topic  # noqa: E402

SIZES = (10_000, 100_000, 1_000_000)
PART = 100_000
PEOPLE = 2_000
TOPICS = REPO / "data" / "curated" / "kursk-2025-01.topics.csv"


def texts() -> list[str]:
    """Every statement text of our own gold tables and of the bundled article's curated table."""
    tables = [*sorted((REPO / "tests" / "gold" / "corpus").glob("*.gold.csv"))]
    tables.append(REPO / "data" / "curated" / "kursk-2025-01.statements.csv")
    found = pd.concat([pd.read_csv(t, dtype=str, keep_default_na=False)["text"] for t in tables])
    return found[found.str.strip() != ""].drop_duplicates().tolist()


def make_dataset(folder: Path, size: int, pool: list[str]) -> Path:
    """``size`` synthetic statements in Parquet parts (see the module docstring)."""
    folder.mkdir(parents=True, exist_ok=True)
    for first in range(0, size, PART):
        i = pd.RangeIndex(first, min(first + PART, size))
        day = pd.Timestamp("2015-01-01") + pd.to_timedelta(i % 3650, unit="D")
        part = pd.DataFrame(
            {
                "article_id": [f"a{n // 20}" for n in i],
                "id": [f"s{n % 20}" for n in i],
                "text": [f"{pool[n % len(pool)]} [{n}]" for n in i],
                "person_id": [f"p-{n % PEOPLE}" for n in i],
                "person": [f"Person {n % PEOPLE}" for n in i],
                "speaker": [f"Person {n % PEOPLE}" for n in i],
                "outlet": [f"outlet {n % 9}" for n in i],
                "date": ["" if n % 10 == 0 else d for n, d in zip(i, day.strftime("%Y-%m-%d"), strict=True)],
                "title": "",
                "url": "",
                "start": i % 5000,
                "end": i % 5000 + 100,
            }
        )
        part.to_parquet(folder / f"part-{first // PART:05d}.parquet", index=False)
    return folder


def best_of(repeats: int, **search) -> tuple[float, float, int]:
    """The best wall-clock and processor times of ``repeats`` searches, and how many statements matched."""
    wall, cpu = [], []
    for _ in range(repeats):
        started, used = time.perf_counter(), time.process_time()
        table = find_about(**search)
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - used)
    return min(wall), min(cpu), table.attrs["found"].matching


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    pool = texts()
    topic = load_topic(TOPICS, "kursk_value")
    searches = [
        ("'kursk offensive'", "kursk offensive", None),
        ("'people'", "people", None),
        ("'more people like time'", "more people like time", None),
        ("topic kursk_value", "", topic),
    ]
    filters = [
        ("all", {}),
        ("--person p-7", {"person": "p-7"}),
        ("--since 2020-01-01", {"since": "2020-01-01"}),
    ]
    print(f"{len(pool)} distinct texts replicated; best of {args.repeats}; load average {os.getloadavg()}")
    print(f"{'statements':>10}  {'search':<24} {'filter':<20} {'wall s':>7} {'cpu s':>6} {'matching':>9}")
    with tempfile.TemporaryDirectory(prefix="about-bench-") as tmp:
        for size in args.sizes:
            dataset = make_dataset(Path(tmp) / f"d{size}", size, pool)
            started = time.perf_counter()
            find_about(dataset, "kursk offensive")
            print(f"{size:>10,}  first call in this process (imports): {time.perf_counter() - started:.2f} s")
            for name, query, chosen in searches:
                for label, extra in filters:
                    search = dict(dataset=dataset, query=query, topic=chosen, **extra)
                    wall, cpu, matching = best_of(args.repeats, **search)
                    print(f"{size:>10,}  {name:<24} {label:<20} {wall:>7.3f} {cpu:>6.3f} {matching:>9,}")
            sys.stdout.flush()
    print(f"load average at the end {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
