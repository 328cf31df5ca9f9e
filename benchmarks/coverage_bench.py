"""Coverage benchmark: the people registry and its questions at 10^4, 10^5 and 10^6 statements.

Usage: python benchmarks/coverage_bench.py [--sizes 10000 100000 1000000] [--keep DIR]

A synthetic coverage is made for each size: about eleven statements per article, speakers
drawn (Zipf-like: a few people are quoted everywhere, most once or twice) from a pool of
made-up names, written as real articles write them (full name, with a title, with a middle
initial, the bare surname after the full name, a familiar first name), 40 outlets, dates
over a year. Then, each timed in this process: identifying every speaker (per-article
resolution and the corpus-wide clustering), writing the Parquet dataset, building the
registry with DuckDB, and the three questions: one person's statements, who is quoted about
a word, and finding a person by name. Peak memory is this process's maximum resident set.
Goals (issue 17): registry for 10^6 statements <= 60 s and <= 2 GB; each question <= 1 s.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from utils.people.cluster import describe, resolve_in_article  # noqa: E402
from utils.people.identify import identify  # noqa: E402
from utils.people.registry import build_registry, find_person, quoted_about, statements_by  # noqa: E402

GIVEN = (
    "Anna",
    "Ben",
    "Carla",
    "David",
    "Elena",
    "Frank",
    "Grace",
    "Henry",
    "Irene",
    "James",
    "Karen",
    "Louis",
    "Maria",
    "Nathan",
    "Olga",
    "Peter",
)
FAMILIAR = {"James": "Jim", "Peter": "Pete", "Henry": "Hank", "David": "Dave"}
SYLLABLES = (
    "bar",
    "ker",
    "lin",
    "son",
    "dor",
    "mat",
    "vel",
    "ric",
    "hol",
    "tan",
    "fen",
    "gar",
    "mor",
    "pel",
    "sut",
    "wix",
)
WORDS = (
    "the",
    "war",
    "economy",
    "tariffs",
    "election",
    "border",
    "health",
    "wall",
    "climate",
    "court",
    "vote",
    "tax",
    "trade",
)


def pool(size: int, rng: random.Random) -> list[tuple[str, str, str]]:
    """(given, middle initial, surname) for ``size`` made-up people; surnames are shared now and then."""
    surnames = sorted({"".join(rng.choices(SYLLABLES, k=3)).capitalize() for _ in range(size)})
    return [(rng.choice(GIVEN), rng.choice("ABCDEFGHJKLMNPRSTW"), rng.choice(surnames)) for _ in range(size)]


def written(person: tuple[str, str, str], form: float) -> str:
    given, middle, surname = person
    if form < 0.6:
        return f"{given} {surname}"
    if form < 0.7:
        return f"Dr. {given} {surname}"
    if form < 0.8:
        return f"{given} {middle}. {surname}"
    if form < 0.9 and given in FAMILIAR:
        return f"{FAMILIAR[given]} {surname}"
    return surname  # the bare surname: the article named the person in full elsewhere


def coverage(statements: int, rng: random.Random) -> pd.DataFrame:
    """A made-up corpus table with the columns the registry reads."""
    people = pool(max(statements // 15, 50), rng)
    weights = [1 / (rank + 1) for rank in range(len(people))]
    rows, article, start = [], 0, date(2016, 1, 1)
    while len(rows) < statements:
        article += 1
        quoted = rng.choices(people, weights, k=rng.randint(2, 6))
        day = (start + timedelta(days=rng.randrange(366))).isoformat()
        outlet = f"Outlet {article % 40}"
        for person in quoted:
            rows.append((f"art-{article}", day, outlet, f"{person[0]} {person[2]}", person, "full"))
            for _ in range(rng.randint(0, 3)):
                rows.append((f"art-{article}", day, outlet, written(person, rng.random()), person, ""))
    frame = pd.DataFrame(
        rows[:statements], columns=["article_id", "date", "outlet", "speaker", "who", "form"]
    )
    frame["affiliation"] = rng.choices(["senator", "professor of economics", "spokesman", ""], k=len(frame))
    frame["text"] = [" ".join(rng.choices(WORDS, k=12)) for _ in range(len(frame))]
    frame["start"] = range(len(frame))
    return frame.drop(columns=["who", "form"])


def timed(label: str, work):
    started = time.perf_counter()
    result = work()
    print(f"  {label:<42} {time.perf_counter() - started:7.2f} s", flush=True)
    return result


def per_article(frame: pd.DataFrame) -> tuple[list[tuple[str, str, str]], dict]:
    """What the corpus workers do for each article: resolve its speakers, describe each name once."""
    rows, described = [], {}
    for article, speakers in frame.groupby("article_id", sort=False)["speaker"]:
        resolved = resolve_in_article(speakers)
        rows.extend((article, s, resolved[s]) for s in dict.fromkeys(speakers))
        described.update((name, describe(name)) for name in resolved.values() if name not in described)
    return rows, described


def cluster(frame: pd.DataFrame, rows: list, described: dict) -> pd.DataFrame:
    """The step that sees the whole coverage: one id per person, then the ids on every row."""
    applied = identify(rows, [], described)
    keys = zip(frame["article_id"], frame["speaker"], strict=True)
    identities = [applied.identities[k] for k in keys]
    return frame.assign(person_id=[i.person_id for i in identities], person=[i.person for i in identities])


def run(size: int, folder: Path) -> None:
    rng = random.Random(size)
    frame = coverage(size, rng)
    print(f"{size:,} statements, {frame['article_id'].nunique():,} articles", flush=True)
    rows, described = timed("per article (the workers' part, 1 process)", lambda: per_article(frame))  # noqa: F821
    frame = timed("registry: one id per person over the coverage", lambda: cluster(frame, rows, described))  # noqa: F821
    dataset = folder / f"corpus-{size}"
    dataset.mkdir()
    timed("write the Parquet dataset", lambda: frame.to_parquet(dataset / "part-00000.parquet"))  # noqa: F821
    ranked = frame.loc[frame["person_id"] != "", "person_id"].value_counts()
    busiest, typical = ranked.index[0], ranked.index[min(99, len(ranked) - 1)]
    name = frame.loc[frame["person_id"] == busiest, "person"].iloc[0]
    del frame
    registry = timed("registry (DuckDB over Parquet)", lambda: build_registry(dataset))
    found = timed(f"statements by the busiest ({ranked.iloc[0]:,})", lambda: statements_by(dataset, busiest))
    timed(f"statements by the 100th ({ranked[typical]:,})", lambda: statements_by(dataset, typical))
    timed("who is quoted about 'tariffs'", lambda: quoted_about(dataset, "tariffs"))
    timed(f"find a person by name ({name})", lambda: find_person(dataset, name))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  {len(registry):,} people in the registry; {len(found):,} statements by the busiest")
    print(f"  peak memory of this process so far: {peak:,.0f} MB", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--keep", type=Path, help="keep the datasets in this folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        for size in args.sizes:
            run(size, folder)


if __name__ == "__main__":
    main()
