"""How well ``opinions about`` finds what addresses a proposition: precision@20 and recall per proposition.

Usage: python benchmarks/about_eval.py [--polnear DIR] [--split dev|heldout|both] [--repeats N]

The set is ``tests/gold/propositions`` (PolNeAR statements x 5 propositions of the 2016 campaign,
labelled by reading; see its README). For each split, its statements become a corpus-like Parquet
dataset in a temporary folder (article_id, text, offsets, the article's date and outlet; no person
ids), and each proposition is searched three ways:

* keywords: ``find_about(dataset, "", topic)`` with the topic's keywords from ``topics.csv``;
* words: the proposition's own words as the query (what a user without keywords would type);
* learned: after 50 / 100 / 200 labels (addressed or not, drawn at random from the same split's
  statements, ``--repeats`` seeds), ``find_about(..., labels=...)``, scored on the statements not
  drawn, beside the keyword ranking scored on the same statements.

precision@20: the share of the first 20 statements that address the proposition; recall: the
share of the statements that address it that the ranking lists at all. ``used`` is the share of
draws where the learned relevance was trusted (enough labels of both kinds); elsewhere the
keyword order stands. ``dev`` is for development; ``heldout`` is never tuned on: its figures are
printed, not chosen from. Without the PolNeAR folder: one line on standard error, exit code 2.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from propositions import GOLD, POLNEAR, SPLITS, build, load_topics  # noqa: E402

from utils.about import Topic, find_about  # noqa: E402
from utils.errors import InputError  # noqa: E402
from utils.schema import NOT_ADDRESSED  # noqa: E402

SIZES = (50, 100, 200)
AT = 20
KEY = ["article_id", "start", "end"]


def statements_dataset(pairs: pd.DataFrame, folder: Path, gold: Path = GOLD) -> tuple[Path, pd.DataFrame]:
    """The split's statements as a corpus-like Parquet dataset; and one row per statement and topic
    with ``addressed``."""
    articles = pd.read_csv(gold / "articles.csv", dtype=str)
    statements = (
        pairs.drop_duplicates(["article", "start", "end"])[["article", "start", "end", "text"]]
        .rename(columns={"article": "article_id"})
        .merge(articles.rename(columns={"article": "article_id"})[["article_id", "outlet", "date"]])
        .assign(person_id="", person="", speaker="", title="", url="", id=lambda f: f["start"].astype(str))
    )
    folder.mkdir(parents=True, exist_ok=True)
    statements.to_parquet(folder / "part-00000.parquet", index=False)
    truth = pairs.rename(columns={"article": "article_id"}).assign(addressed=pairs["label"] != NOT_ADDRESSED)
    return folder, truth[[*KEY, "topic", "text", "addressed"]]


def figures(ranking: pd.DataFrame, truth: pd.DataFrame) -> tuple[float, float]:
    """precision@20 and recall of a ranking (rows with ``KEY``) against ``truth`` (``KEY`` + addressed)."""
    addressed = set(map(tuple, truth.loc[truth["addressed"], KEY].to_numpy()))
    listed = [k for k in map(tuple, ranking[KEY].to_numpy()) if k in set(map(tuple, truth[KEY].to_numpy()))]
    precision = sum(k in addressed for k in listed[:AT]) / AT
    recall = len(addressed & set(listed)) / len(addressed) if addressed else float("nan")
    return precision, recall


def rank(dataset: Path, query: str, topic: Topic | None, labels: pd.DataFrame | None = None) -> pd.DataFrame:
    table = find_about(dataset, query, topic=topic, labels=labels, limit=None)
    return table.assign(start=table["start"].astype(int), end=table["end"].astype(int))


def evaluate_split(split: str, pairs: pd.DataFrame, topics: pd.DataFrame, repeats: int) -> pd.DataFrame:
    """One row per proposition and method: precision@20, recall, and for learned the share used."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="about-eval-") as tmp:
        dataset, truth = statements_dataset(pairs, Path(tmp) / "dataset")
        for t in topics.itertuples(index=False):
            topic = Topic(t.topic, t.proposition, t.keywords)
            mine = truth[truth["topic"] == t.topic].reset_index(drop=True)
            keyword = rank(dataset, "", topic)
            rows.append(_row(split, t.topic, "keywords", "all", *figures(keyword, mine)))
            rows.append(
                _row(split, t.topic, "words", "all", *figures(rank(dataset, t.proposition, None), mine))
            )
            for size in SIZES:
                rows += _learned(split, dataset, topic, mine, keyword, size, repeats)
    return pd.DataFrame(rows)


def _learned(split, dataset, topic, mine, keyword, size, repeats) -> list[dict]:
    """Keyword and learned figures on the statements not drawn, averaged over ``repeats`` draws."""
    if size > len(mine) - AT:
        return []
    draws = []
    for seed in range(repeats):
        drawn = np.random.default_rng(seed).choice(len(mine), size, replace=False)
        labels = mine.iloc[drawn]
        rest = mine.drop(index=mine.index[drawn])
        learned = rank(dataset, "", topic, labels[["text", "addressed"]])
        used = not learned.empty and learned["why"].str.startswith("learned").any()
        draws.append((*figures(keyword, rest), *figures(learned, rest), used))
    k_p, k_r, l_p, l_r, used = np.nanmean(np.array(draws, dtype=float), axis=0)
    return [
        _row(split, topic.topic, "keywords (rest)", size, k_p, k_r),
        _row(split, topic.topic, "learned (rest)", size, l_p, l_r, used),
    ]


def _row(split, topic, method, labels, precision, recall, used=float("nan")) -> dict:
    return {
        "split": split,
        "topic": topic,
        "method": method,
        "labels": labels,
        "p@20": precision,
        "recall": recall,
        "used": used,
    }


def report(results: pd.DataFrame) -> str:
    """Per split: each proposition's figures, then the means over propositions."""
    blocks = []
    for split, part in results.groupby("split", sort=False):
        order = part.drop_duplicates(["method", "labels"])[["method", "labels"]]
        wide = part.pivot_table(
            index=["method", "labels"], columns="topic", values=["p@20", "recall"], sort=False
        )
        mean = part.groupby(["method", "labels"], sort=False)[["p@20", "recall", "used"]].mean()
        table = pd.concat([wide["p@20"].add_prefix("P@20 "), wide["recall"].add_prefix("R ")], axis=1)
        table = table.join(mean.rename(columns={"p@20": "mean P@20", "recall": "mean R", "used": "used"}))
        table = table.loc[list(map(tuple, order.to_numpy()))]
        blocks.append(f"== {split} ==\n" + table.to_string(float_format=lambda v: f"{v:.2f}", na_rep="-"))
    return "\n\n".join(blocks)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--polnear", type=Path, default=POLNEAR, help="the PolNeAR train folder")
    parser.add_argument("--split", choices=[*SPLITS, "both"], default="both")
    parser.add_argument("--repeats", type=int, default=10, help="random draws of labels per size")
    args = parser.parse_args(argv)
    splits = SPLITS if args.split == "both" else (args.split,)
    try:
        pairs = {split: build(args.polnear, split) for split in splits}
    except InputError as exc:
        print(f"about_eval: error: {exc.message}", file=sys.stderr)
        return 2
    topics = load_topics()
    results = pd.concat(
        [evaluate_split(s, pairs[s], topics, args.repeats) for s in splits], ignore_index=True
    )
    print(
        f"opinions about on tests/gold/propositions: precision@{AT} and recall per proposition; "
        f"learned: means over {args.repeats} random draws of labels, scored on the statements not drawn"
    )
    print(report(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
