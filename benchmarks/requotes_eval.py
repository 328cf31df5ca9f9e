"""Re-quotes across PolNeAR train: a finder's groups scored against the gold list made by reading.

A re-quote is one utterance (the same words of the same real-world speech act) reported in
several articles, sometimes shortened, reworded or given to another speaker. The gold list
(``tests/gold/requotes``, see its README) names every span of every article of
``../shared/polnear-train`` that reports each of its utterances, as article ids and offsets.

A finder is a function ``find(quotes) -> groups``: ``quotes`` is a table with the columns
``article, start, end, text, speaker`` (one row per quote), and each returned group is an
iterable of index labels of ``quotes`` that the finder thinks report one utterance. The table
holds the direct-quote rows (``kind == direct``) of every ``<article>.gold.csv`` (``--pool all``,
the default, for realism) or of the gold's articles only (``--pool gold``), plus one row for each
gold span that no direct row covers (PolNeAR marks some quoted words as part of a paraphrase),
so that every gold occurrence can be found.

Scoring is pairwise: "these two quotes, in two different articles, report the same utterance".
A pool row *belongs to* a gold occurrence when their spans overlap by at least half of the
shorter one; the occurrences of one group in one article count as one. Each predicted pair
(two rows of one predicted group, in different articles, each of at least ``MIN_TOKENS`` words;
shorter scare-quotes such as "extremely careless" are out of scope on both sides) is then:

* **true** when both rows belong to occurrences of the same gold group (counted once per gold
  pair of articles);
* **false** when it links the two sides of a hard negative (same words, different statements);
* **false** when one row belongs to a gold group and the other does not belong to that group:
  the gold lists *all* the occurrences of each of its utterances, so such a link is wrong
  wherever the other row is, in the gold's articles or outside them;
* **unjudged** otherwise (neither row is in the gold or its negatives: the gold is a sample of
  the re-quotes of the corpus, not all of them). Unjudged pairs are counted and printed, never
  scored.

Precision is true / (true + false) over the judged pairs, recall is the share of the gold pairs
found. Also printed: recall by the kind of variation of a pair (``same``, ``wording``,
``speaker``, ``both``, from the variants of the two occurrences), and how many hard negatives a
finder links. Two baselines are printed so a finder can be compared: normalised exact match, and
word-shingle containment joined into connected groups.

Usage: python benchmarks/requotes_eval.py [FOLDER] [--gold DIR] [--pool all|gold]
       [--finder MODULE:FUNCTION] [--json OUT]
"""

from __future__ import annotations

import argparse
import importlib
import itertools
import json
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
DEFAULT_FOLDER = REPO.parent / "shared" / "polnear-train"
DEFAULT_GOLD = REPO / "tests" / "gold" / "requotes"

MIN_TOKENS = 4  # shorter quotes are scare-quotes of a phrase, out of scope for pairs
QUOTE_COLUMNS = ["article", "start", "end", "text", "speaker"]
GROUP_COLUMNS = ["group", "article", "start", "end", "variant"]
NEGATIVE_COLUMNS = ["article_a", "start_a", "end_a", "article_b", "start_b", "end_b", "why"]
VARIANTS = ("same", "wording", "speaker", "both")

Finder = Callable[[pd.DataFrame], Iterable[Iterable[Hashable]]]

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "ʼ": "'"})
_WORD = re.compile(r"\w+(?:'\w+)*")


class GoldError(ValueError):
    """A gold or data file that cannot be used; the message is the one line the user sees."""


def tokens(text: str) -> list[str]:
    """Lower-case words, apostrophes unified, punctuation and quotation marks dropped."""
    return _WORD.findall(str(text).translate(_APOSTROPHES).lower())


def normalised(text: str) -> str:
    """The words of ``text`` joined by single spaces: equal strings are the `same` variant."""
    return " ".join(tokens(text))


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """True when two spans share at least half of the shorter one (and at least one character)."""
    shared = min(a[1], b[1]) - max(a[0], b[0])
    return shared > 0 and shared >= 0.5 * min(a[1] - a[0], b[1] - b[0])


# ---------------------------------------------------------------- reading the gold and the pool


def _read_table(path: Path, columns: list[str], offsets: list[str], what: str) -> pd.DataFrame:
    if not path.is_file():
        raise GoldError(
            f"{path}: no such file ({what}); give --gold the folder of groups.csv and negatives.csv"
        )
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise GoldError(f"{path}: missing column(s) {', '.join(missing)}; expected {', '.join(columns)}")
    for column in offsets:
        bad = ~table[column].str.fullmatch(r"\d+")
        if bad.any():
            row = int(bad.idxmax()) + 2
            raise GoldError(f"{path}: line {row}: {column} is not a character offset")
        table[column] = table[column].astype(int)
    return table[columns]


def load_gold(gold_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``groups.csv`` and ``negatives.csv`` of a gold folder, checked; GoldError if unusable."""
    groups = _read_table(gold_dir / "groups.csv", GROUP_COLUMNS, ["start", "end"], "re-quote groups")
    negatives = _read_table(
        gold_dir / "negatives.csv", NEGATIVE_COLUMNS, ["start_a", "end_a", "start_b", "end_b"], "negatives"
    )
    bad = groups[~groups["variant"].isin(VARIANTS)]
    if not bad.empty:
        line = bad.index[0] + 2
        raise GoldError(
            f"{gold_dir / 'groups.csv'}: line {line}: variant must be one of {', '.join(VARIANTS)}"
        )
    empty = groups[groups["start"] >= groups["end"]]
    if not empty.empty:
        raise GoldError(f"{gold_dir / 'groups.csv'}: line {empty.index[0] + 2}: start must be before end")
    single = groups.groupby("group")["article"].nunique()
    if (single < 2).any():
        raise GoldError(f"{gold_dir / 'groups.csv'}: group {single.idxmin()} is in fewer than two articles")
    return groups, negatives


def article_slugs(folder: Path) -> list[str]:
    """The articles of a PolNeAR-format folder (those with both a .txt and a .gold.csv)."""
    return sorted(
        p.name.removesuffix(".gold.csv")
        for p in folder.glob("*.gold.csv")
        if p.with_name(p.name.removesuffix(".gold.csv") + ".txt").is_file()
    )


def _article_rows(folder: Path, slug: str) -> pd.DataFrame:
    rows = pd.read_csv(folder / f"{slug}.gold.csv", dtype=str, keep_default_na=False)
    rows = rows[["speaker", "kind", "text", "start", "end"]].copy()
    rows[["start", "end"]] = rows[["start", "end"]].astype(int)
    rows.insert(0, "article", slug)
    return rows


def quote_pool(folder: Path, slugs: Iterable[str], gold: pd.DataFrame) -> pd.DataFrame:
    """Direct-quote rows of ``slugs`` plus a row for every gold span no direct row covers.

    Columns ``article, start, end, text, speaker, added`` (``added`` marks the rows made from
    gold spans: their speaker is that of the PolNeAR row containing them, if any).
    """
    slugs = sorted(set(slugs) | set(gold["article"]))
    missing = [s for s in slugs if not (folder / f"{s}.txt").is_file()]
    if missing:
        raise GoldError(f"{folder}: {missing[0]}.txt is missing (the gold names it)")
    frames, added = [], []
    for slug in slugs:
        rows = _article_rows(folder, slug)
        direct = rows[rows["kind"] == "direct"]
        frames.append(direct[QUOTE_COLUMNS])
        spans = gold[gold["article"] == slug]
        if spans.empty:
            continue
        text = (folder / f"{slug}.txt").read_text(encoding="utf-8")
        covered = list(zip(direct["start"], direct["end"], strict=True))
        for start, end in zip(spans["start"], spans["end"], strict=True):
            if end > len(text):
                raise GoldError(
                    f"{slug}: gold span {start}-{end} runs past the end of the text ({len(text)})"
                )
            if any(overlaps((start, end), span) for span in covered):
                continue
            around = rows[(rows["start"] <= start) & (rows["end"] >= end)]
            speaker = around["speaker"].iloc[0] if not around.empty else ""
            added.append(
                {"article": slug, "start": start, "end": end, "text": text[start:end], "speaker": speaker}
            )
            covered.append((start, end))
    pool = pd.concat([*frames, pd.DataFrame(added, columns=QUOTE_COLUMNS)], ignore_index=True)
    pool["added"] = [False] * (len(pool) - len(added)) + [True] * len(added)
    return pool


# ---------------------------------------------------------------- judging predicted pairs


def _members(pool: pd.DataFrame, spans: pd.DataFrame, key: Callable[[pd.Series], Hashable]) -> dict:
    """Pool index -> set of keys of the spans it belongs to (overlap of half the shorter)."""
    by_article: dict[str, list[tuple[int, int, Hashable]]] = defaultdict(list)
    for _, span in spans.iterrows():
        by_article[span["article"]].append((span["start"], span["end"], key(span)))
    found: dict[Hashable, set] = defaultdict(set)
    for index, article, start, end in zip(
        pool.index, pool["article"], pool["start"], pool["end"], strict=True
    ):
        for s, e, k in by_article.get(article, ()):
            if overlaps((start, end), (s, e)):
                found[index].add(k)
    return found


def _negative_ends(negatives: pd.DataFrame) -> pd.DataFrame:
    """Both ends of every negative as spans keyed (negative number, side)."""
    ends = []
    for n, row in enumerate(negatives.itertuples(index=False)):
        ends.append({"article": row.article_a, "start": row.start_a, "end": row.end_a, "key": (n, "a")})
        ends.append({"article": row.article_b, "start": row.start_b, "end": row.end_b, "key": (n, "b")})
    return pd.DataFrame(ends, columns=["article", "start", "end", "key"])


def pair_kind(variants: Iterable[str]) -> str:
    """The variation of a gold pair from the variants of its two occurrences' rows."""
    found = set(variants)
    speaker = bool(found & {"speaker", "both"})
    wording = bool(found & {"wording", "both"})
    return "both" if speaker and wording else "speaker" if speaker else "wording" if wording else "same"


def gold_pairs(groups: pd.DataFrame) -> dict[tuple[str, str, str], str]:
    """Every (group, article, article) pair of the gold, articles sorted, with its kind."""
    pairs = {}
    for group, rows in groups.groupby("group"):
        variants = rows.groupby("article")["variant"].apply(list)
        for a, b in itertools.combinations(sorted(variants.index), 2):
            pairs[(group, a, b)] = pair_kind(variants[a] + variants[b])
    return pairs


@dataclass
class Score:
    """Pairwise figures of one finder."""

    predicted: int  # predicted pairs in scope (different articles, both rows long enough)
    true: int
    false: int
    unjudged: int
    gold: int
    negatives_linked: int
    negatives: int
    recall_by_kind: dict[str, tuple[int, int]]

    @property
    def precision(self) -> float:
        judged = self.true + self.false
        return self.true / judged if judged else float("nan")

    @property
    def recall(self) -> float:
        return self.true / self.gold if self.gold else float("nan")


def predicted_pairs(
    groups: Iterable[Iterable[Hashable]], pool: pd.DataFrame
) -> set[tuple[Hashable, Hashable]]:
    """Pairs of pool labels that one predicted group links, in different articles, both in scope."""
    long_enough = {
        i for i, text in zip(pool.index, pool["text"], strict=True) if len(tokens(text)) >= MIN_TOKENS
    }
    pairs = set()
    for group in groups:
        members = sorted(set(group), key=str)
        unknown = [m for m in members if m not in pool.index]
        if unknown:
            raise ValueError(f"the finder returned {unknown[0]!r}, which is not an index label of the quotes")
        for a, b in itertools.combinations(members, 2):
            if a in long_enough and b in long_enough and pool.at[a, "article"] != pool.at[b, "article"]:
                pairs.add((a, b))
    return pairs


def score(
    groups: Iterable[Iterable[Hashable]], pool: pd.DataFrame, gold: pd.DataFrame, negatives: pd.DataFrame
) -> Score:
    """Judge every predicted pair (see the module docstring) and count."""
    units = _members(pool, gold, lambda span: (span["group"], span["article"]))
    ends = _members(pool, _negative_ends(negatives), lambda span: span["key"])
    expected = gold_pairs(gold)
    found, false, negatives_hit, unjudged = set(), set(), set(), 0
    pairs = predicted_pairs(groups, pool)
    for a, b in pairs:
        ua, ub = units.get(a, set()), units.get(b, set())
        same = {(g, *sorted((x, y))) for g, x in ua for h, y in ub if g == h and x != y}
        if same:
            found |= same
            continue
        hit = {n for n, side in ends.get(a, ()) for m, other in ends.get(b, ()) if n == m and side != other}
        if hit:
            negatives_hit |= hit
            false.add(("negative", min(hit)))
        elif ua or ub:
            false.add(tuple(sorted((frozenset(ua) or ("row", a), frozenset(ub) or ("row", b)), key=str)))
        else:
            unjudged += 1
    by_kind = {
        kind: (
            sum(1 for p in found if expected.get(p) == kind),
            sum(1 for k in expected.values() if k == kind),
        )
        for kind in VARIANTS
    }
    return Score(
        predicted=len(pairs),
        true=len(found & expected.keys()),
        false=len(false),
        unjudged=unjudged,
        gold=len(expected),
        negatives_linked=len(negatives_hit),
        negatives=len(negatives),
        recall_by_kind=by_kind,
    )


# ---------------------------------------------------------------- baselines


def exact_finder(quotes: pd.DataFrame) -> list[list[Hashable]]:
    """Quotes whose words are identical after normalisation (case, punctuation, quotation marks)."""
    keys = quotes["text"].map(normalised)
    groups = quotes.index.to_series().groupby(keys.values).apply(list)
    return [members for key, members in groups.items() if key and len(members) > 1]


def shingles(text: str, n: int) -> set[tuple[str, ...]]:
    """Word n-grams of ``text`` (the whole text as one shingle when it is shorter than n)."""
    words = tokens(text)
    if len(words) < n:
        return {tuple(words)} if words else set()
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def shingle_finder(
    quotes: pd.DataFrame, n: int = 3, threshold: float = 0.5, max_df: int = 50
) -> list[list[Hashable]]:
    """Quotes linked when their shared word n-grams cover ``threshold`` of the shorter one's,
    joined into connected groups. Shingles in more than ``max_df`` quotes are too common to link."""
    sets = {i: shingles(text, n) for i, text in zip(quotes.index, quotes["text"], strict=True)}
    index: dict[tuple[str, ...], list[Hashable]] = defaultdict(list)
    for i, found in sets.items():
        for shingle in found:
            index[shingle].append(i)
    parent = {i: i for i in sets}

    def root(i: Hashable) -> Hashable:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    shared: Counter = Counter()
    for members in index.values():
        if 1 < len(members) <= max_df:
            shared.update(itertools.combinations(members, 2))
    for (a, b), count in shared.items():
        if count >= threshold * min(len(sets[a]), len(sets[b])):
            parent[root(a)] = root(b)
    groups: dict[Hashable, list[Hashable]] = defaultdict(list)
    for i in sets:
        groups[root(i)].append(i)
    return [members for members in groups.values() if len(members) > 1]


BASELINES: dict[str, Finder] = {"exact match": exact_finder, "shingles 3/0.5": shingle_finder}


# ---------------------------------------------------------------- command line


def load_finder(spec: str) -> Finder:
    """``module:function`` -> the function; GoldError (one line) if it cannot be found."""
    module, _, name = spec.partition(":")
    try:
        finder = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError, ValueError) as exc:
        raise GoldError(f"--finder {spec}: cannot load it ({exc}); give MODULE:FUNCTION") from None
    return finder


HEADER = "finder            pairs  true false unjudged precision  recall negatives"


def format_score(name: str, result: Score) -> str:
    def share(x: float) -> str:
        return "  n/a" if x != x else f"{x:.3f}"

    counts = f"{result.predicted:>6} {result.true:>5} {result.false:>5} {result.unjudged:>8}"
    shares = f"{share(result.precision):>9} {share(result.recall):>7}"
    return f"{name:<16} {counts} {shares} {result.negatives_linked:>4}/{result.negatives}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("folder", nargs="?", default=str(DEFAULT_FOLDER), help="PolNeAR train folder")
    parser.add_argument("--gold", default=str(DEFAULT_GOLD), help="folder with groups.csv and negatives.csv")
    parser.add_argument(
        "--pool", choices=("all", "gold"), default="all", help="quotes of all articles or the gold's"
    )
    parser.add_argument(
        "--finder", action="append", default=[], help="MODULE:FUNCTION to score beside the baselines"
    )
    parser.add_argument("--json", dest="json_out", help="also write the figures here")
    args = parser.parse_args(argv)
    folder = Path(args.folder)
    try:
        if not folder.is_dir() or not article_slugs(folder):
            raise GoldError(
                f"{folder}: no PolNeAR articles here; give the polnear-train folder (it sits in ../shared)"
            )
        groups, negatives = load_gold(Path(args.gold))
        finders = dict(BASELINES) | {spec: load_finder(spec) for spec in args.finder}
        slugs = article_slugs(folder) if args.pool == "all" else groups["article"].unique()
        pool = quote_pool(folder, slugs, groups)
    except GoldError as exc:
        print(exc, file=sys.stderr)
        return 2
    occurrences = len(groups.drop_duplicates(["group", "article"]))
    print(
        f"Re-quote gold: {groups['group'].nunique()} groups, {occurrences}"
        f" occurrences in {groups['article'].nunique()} articles, {len(gold_pairs(groups))} gold pairs;"
        f" {len(negatives)} hard negatives"
    )
    print(
        f"Pool: {int((~pool['added']).sum())} direct quotes of {len(slugs)} articles"
        f" + {int(pool['added'].sum())} gold spans no direct row covers; pairs need {MIN_TOKENS}+ words each"
    )
    print(f"\n{HEADER}")
    figures = {}
    for name, finder in finders.items():
        result = score(finder(pool[QUOTE_COLUMNS]), pool, groups, negatives)
        print(format_score(name, result))
        figures[name] = asdict(result) | {"precision": result.precision, "recall": result.recall}
    print("\nrecall by kind of gold pair (found/all):")
    for name, fig in figures.items():
        kinds = "  ".join(f"{k} {f}/{n}" for k, (f, n) in fig["recall_by_kind"].items())
        print(f"  {name:<16} {kinds}")
    if args.json_out:
        from utils.files import write_text_atomic

        write_text_atomic(args.json_out, json.dumps(figures, indent=2, default=str) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
