"""The 2016-campaign propositions set: PolNeAR statements x 5 propositions, labelled by reading.

``tests/gold/propositions`` keeps only article ids, offsets and labels (PolNeAR has no
licence, so none of its text is stored); this module rebuilds the table with the
statements' text, read from ``../shared/polnear-train/<article>.txt`` by their offsets
at run time:

    article, start, end, split, text, topic, proposition, keywords, label

``split`` is ``dev`` (about a third of the articles: look at these) or ``heldout`` (never
tuned on: report figures on these); the rule is in the set's README.

Usage:
    python benchmarks/propositions.py                          counts per split, topic and label
    python benchmarks/propositions.py --stance-check heldout   ``opinions stance-check`` on that part
    python benchmarks/propositions.py --stance-check dev --bare   the same on the sentences alone

``--stance-check`` writes the part as a ``text,proposition,label,keywords`` CSV into a
temporary folder (never into the repository), runs ``opinions stance-check`` on it and
prints its curve; ``--bare`` leaves out the speaker and paragraph columns, as a public stance set of
sentences would have them. Without the PolNeAR folder: one line on standard error, exit code 2.
"""

from __future__ import annotations

import argparse
import functools
import sys
import tempfile
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from utils.articles import paragraphs, read_bytes  # noqa: E402
from utils.errors import InputError  # noqa: E402
from utils.files import write_text_atomic  # noqa: E402
from utils.schema import NOT_ADDRESSED, STANCE_LABELS, TOPIC_SCHEMA, read_table  # noqa: E402
from utils.spreadsheet import csv_file_text  # noqa: E402
from utils.suggest import CONTEXTS, statement_contexts  # noqa: E402

GOLD = REPO / "tests" / "gold" / "propositions"
POLNEAR = REPO.parent / "shared" / "polnear-train"
SPLITS = ("dev", "heldout")
LABELS = (*STANCE_LABELS, NOT_ADDRESSED)
COLUMNS = ["article", "start", "end", "split", "text", "topic", "proposition", "keywords", "label"]
LEARNED_FROM = ["speaker", *CONTEXTS]  # what the workbench's learner reads of a statement besides its text
STANCE_CHECK_COLUMNS = ["text", "proposition", "label", "keywords", *LEARNED_FROM]
BARE_COLUMNS = STANCE_CHECK_COLUMNS[:4]  # a stance set of sentences: no speaker, no paragraph

_OFFSET = pa.Column(int, pa.Check.ge(0, error="must be 0 or more"), coerce=True)
LABEL_SCHEMA = pa.DataFrameSchema(
    {
        "article": pa.Column(
            str, pa.Check.str_matches(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", error="must be an id")
        ),
        "start": _OFFSET,
        "end": _OFFSET,
        "topic": pa.Column(str, pa.Check.str_matches(r"^[a-z][a-z0-9_]*$", error="must be a topic id")),
        "label": pa.Column(str, pa.Check.isin(LABELS, error="must be one of: " + ", ".join(LABELS))),
        "split": pa.Column(str, pa.Check.isin(SPLITS, error="must be dev or heldout")),
    },
    checks=pa.Check(lambda f: f["start"] < f["end"], error="start must be before end"),
    unique=["article", "start", "end", "topic"],
)


def load_topics(gold: Path = GOLD) -> pd.DataFrame:
    """The five propositions (``topic,proposition,keywords``), checked like an article's topics table."""
    return read_table(gold / "topics.csv", TOPIC_SCHEMA, "propositions")


def load_labels(gold: Path = GOLD) -> pd.DataFrame:
    """The labels (``article,start,end,topic,label,split``): one row per statement and proposition."""
    return read_table(gold / "labels.csv", LABEL_SCHEMA, "proposition labels")


def polnear_folder(folder: Path = POLNEAR) -> Path:
    """The PolNeAR folder, or a one-line error saying where it should be."""
    if not (folder / "README.md").is_file():
        raise InputError(
            folder,
            "the PolNeAR train split is not here, so the statements' text cannot be read",
            "place it at ../shared/polnear-train beside the repository, or pass --polnear DIR",
        )
    return folder


def article_text(folder: Path, article: str) -> str:
    """The article as PolNeAR ships it, undecoded newlines and all: the offsets point into this text."""
    data = read_bytes(folder / f"{article}.txt")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(
            folder / f"{article}.txt", "is not UTF-8 text", "restore the original file"
        ) from None


def build(folder: Path = POLNEAR, split: str | None = None, gold: Path = GOLD) -> pd.DataFrame:
    """The labelled pairs with their text and proposition, one split (``dev``/``heldout``) or both."""
    folder = polnear_folder(folder)
    topics = load_topics(gold)
    labels = load_labels(gold)
    unknown = sorted(set(labels["topic"]) - set(topics["topic"]))
    if unknown:
        raise InputError(
            gold / "labels.csv", f"unknown topic(s) {', '.join(unknown)}", "add them to topics.csv"
        )
    if split is not None:
        labels = labels[labels["split"] == split]
    texts = {article: article_text(folder, article) for article in labels["article"].unique()}
    where = list(zip(labels["article"], labels["start"], labels["end"], strict=True))
    spans = {article: paragraphs(text) for article, text in texts.items()}
    contexts = [statement_contexts(texts[a], s, e, spans[a]) for a, s, e in where]
    frame = labels.assign(
        text=[texts[a][s:e] for a, s, e in where],
        speaker=[speakers(folder, a).get((s, e), "") for a, s, e in where],
        **{c: [found[c] for found in contexts] for c in CONTEXTS},
    ).merge(topics, on="topic", how="left")
    return frame[COLUMNS + LEARNED_FROM].reset_index(drop=True)


@functools.cache
def speakers(folder: Path, article: str) -> dict[tuple[int, int], str]:
    """The speaker PolNeAR gives each statement of an article, by its offsets."""
    gold = pd.read_csv(
        folder / f"{article}.gold.csv", dtype=str, keep_default_na=False
    )  # speakers may be empty
    return {(int(s), int(e)): p for s, e, p in zip(gold["start"], gold["end"], gold["speaker"], strict=True)}


def write_stance_check(frame: pd.DataFrame, folder: Path, name: str, bare: bool = False) -> Path:
    """The pairs as a ``text,proposition,label,keywords`` CSV for ``opinions stance-check``, with the
    speaker and paragraphs the learner reads unless ``bare`` (the sentences alone)."""
    columns = BARE_COLUMNS if bare else STANCE_CHECK_COLUMNS
    return write_text_atomic(Path(folder) / f"{name}.stance.csv", csv_file_text(frame[columns]))


def counts(frame: pd.DataFrame) -> pd.DataFrame:
    """Pairs per split, topic and label, with the addressed share, as the README reports them."""
    table = pd.crosstab([frame["split"], frame["topic"]], frame["label"]).reindex(
        columns=list(LABELS), fill_value=0
    )
    table["pairs"] = table.sum(axis=1)
    table["addressed"] = (1 - table[NOT_ADDRESSED] / table["pairs"]).round(3)
    return table


def run_stance_check(frame: pd.DataFrame, name: str, bare: bool = False) -> int:
    """Write the part into a temporary folder and run ``opinions stance-check`` on it; its exit code."""
    from utils.cli import main as opinions

    with tempfile.TemporaryDirectory(prefix="propositions-") as tmp:
        path = write_stance_check(frame, Path(tmp), name, bare)
        statements = len(frame.drop_duplicates(["article", "start", "end"]))
        print(f"{name}: {frame['article'].nunique()} articles, {statements} statements")
        return opinions(["stance-check", str(path)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--polnear", type=Path, default=POLNEAR, help="the PolNeAR train folder (../shared/...)"
    )
    parser.add_argument(
        "--stance-check",
        choices=[*SPLITS, "all"],
        help="run opinions stance-check on this part and print its curve",
    )
    parser.add_argument(
        "--bare",
        action="store_true",
        help="with --stance-check: the sentences alone (no speaker, no paragraph)",
    )
    args = parser.parse_args(argv)
    part = None if args.stance_check in (None, "all") else args.stance_check
    try:
        frame = build(args.polnear, part)
    except InputError as exc:
        print(f"propositions: error: {exc.message}", file=sys.stderr)
        return 2
    if args.stance_check:
        bare = "-bare" if args.bare else ""
        return run_stance_check(frame, f"propositions-{args.stance_check}{bare}", args.bare)
    statements = frame.drop_duplicates(["article", "start", "end"])
    print(f"{frame['article'].nunique()} articles, {len(statements)} statements, {len(frame)} pairs")
    print(
        statements.groupby("split")
        .agg(articles=("article", "nunique"), statements=("text", "size"))
        .to_string()
    )
    print(counts(frame).to_string())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
