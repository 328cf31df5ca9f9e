"""The ``opinions compare DATASET PERSON PERSON... [--topics FILE] -o DIR`` command: one comparison page.

DATASET is what ``opinions corpus -o`` wrote (or any Parquet file or folder with its columns);
each PERSON is an id or a name the registry knows (``opinions people``): a name nobody has, or
that several people share, is the registry's one-line error and exit code 2. ``--topics`` is a
topics table for the whole collection (``topic,proposition,keywords``, checked like an
article's); the statements that mention a topic's keywords are shown as suggestions without a
direction. People's labels come from the curated tables of the dataset's articles
(:func:`utils.positions.curated_labels`), each with its own article's topics.

The page goes into DIR as ``compare-<person ids>.html``. The path and standard output are
checked before any work (:func:`utils.outputs.check_file_output`: never onto an input, a curated
file or a folder) and the page written atomically, in :func:`write_page`, the one place this
command writes; the summary line goes through the guarded printer (:mod:`utils.console`).
"""

from __future__ import annotations

import argparse
import hashlib
import os
from pathlib import Path

import pandas as pd

from utils.analysis import analyse_ref
from utils.compare import Comparison, build_comparison
from utils.console import check_stdout, write_done
from utils.corpus import read_corpus, run_corpus, write_dataset
from utils.curation import curated_path
from utils.errors import InputError
from utils.files import write_text_atomic
from utils.outputs import check_file_output
from utils.people.identify import identify
from utils.positions import PEOPLE, curated_labels, resolve_people
from utils.schema import META_COLUMNS, TOPIC_SCHEMA, read_table
from utils.speakers import speaker_key

MAX_NAME = 120  # characters of person ids in the file name; longer lists are cut and get a hash


def run_compare(args: argparse.Namespace) -> None:
    """Check the arguments and the output path, build the page, write it, say what it holds."""
    if len(args.people) < 2:
        raise InputError(
            None, "compare needs two or more people", "name them: opinions compare DATASET A B ..."
        )
    topics = read_table(args.topics, TOPIC_SCHEMA, "topics") if args.topics else None
    ids = [person_id for person_id, _ in resolve_people(args.dataset, args.people)]
    target = output_path(args.out, ids, [Path(args.dataset), args.topics])
    check_stdout()
    comparison = build_comparison(args.dataset, ids, topics, curated_labels(args.dataset))
    path = write_page(target, comparison.html)
    write_done(summary(comparison, path) + "\n", f"{path} was written")


def output_path(folder: str | Path, ids: list[str], sources: list[Path | str | None]) -> Path:
    """Where the page of these people goes in ``folder``, refused (one line) if it would land on anything
    people made or on an input."""
    return check_file_output(Path(folder) / page_name(ids), sources=sources)


def save(comparison: Comparison, folder: str | Path) -> Path:
    """Write a comparison page into ``folder`` (for notebooks; the command checks the path before working)."""
    ids = list(comparison.positions.people["person_id"])
    return write_page(output_path(folder, ids, []), comparison.html)


def page_name(ids: list[str]) -> str:
    """``compare-<id>_<id>....html``; a long list is cut and given a short hash, so names stay distinct."""
    joined = "_".join(ids)
    if len(joined) > MAX_NAME:
        joined = joined[:MAX_NAME] + "-" + hashlib.sha256(joined.encode("utf-8")).hexdigest()[:8]
    return f"compare-{joined}.html"


def write_page(target: Path, html: str) -> Path:
    """The command's one write: atomic, onto a path :func:`check_file_output` accepted."""
    return write_text_atomic(target, html)


def summary(comparison: Comparison, path: Path) -> str:
    """One line: who, on how many propositions, what labels, what changed, where the page is."""
    positions = comparison.positions
    marks = positions.marks
    labels = int((marks["source"] == PEOPLE).sum())
    parts = [
        f"compare: {len(positions.people)} people, {len(positions.statements)} statements",
        f"{len(positions.propositions)} propositions",
        f"{labels} people's labels, {len(marks) - labels} suggestions",
        f"{int((~positions.changes['suggested']).sum())} changes of stance",
    ]
    if positions.nothing:  # names are the corpus's, and a terminal is no place for its control characters
        parts.append(f"nothing found for {len(positions.nothing)} of them (see the page)")
    size = len(comparison.html.encode("utf-8")) / 1e6
    return "; ".join(parts) + f" -> {path} ({size:.2f} MB)"


def coverage_dataset(folder: str | Path, out: str | Path) -> Path:
    """``opinions corpus FOLDER -o OUT`` for notebook 09: every row with its person, reviewed work kept.

    Until the corpus command itself identifies people and takes the statements people reviewed
    (issue 17), this adds both to what it wrote: an article with curated statements contributes
    those (with ``reviewed_by``), and every row gets ``person_id`` and ``person`` from the people
    registry's clustering. A dataset that already has them is left as the command wrote it.
    """
    written = run_corpus(folder, out, workers=2, progress=False).out
    table = read_corpus(written)
    if "person_id" in table.columns:
        return written
    table = pd.concat(
        [_reviewed(rows) for _, rows in table.groupby("article_id", sort=False)], ignore_index=True
    )
    table["reviewed_by"] = table["reviewed_by"].fillna("") if "reviewed_by" in table else ""
    pairs = list(zip(table["article_id"], table["speaker"], strict=True))
    identities = identify((a, s, s) for a, s in pairs).identities
    table["person_id"] = [identities[pair].person_id for pair in pairs]
    table["person"] = [identities[pair].person for pair in pairs]
    return write_dataset(table, written)


def _reviewed(rows: pd.DataFrame) -> pd.DataFrame:
    """An article's rows: its curated statements (scored as the analysis scores them) if people made any."""
    article_id = rows["article_id"].iloc[0]
    if not os.path.lexists(curated_path(article_id, "statements")):
        return rows
    reviewed = analyse_ref(article_id).table
    about = {c: rows[c].iloc[0] for c in ("file", *META_COLUMNS)}
    reviewed = reviewed.assign(**about, speaker_key=[speaker_key(s) for s in reviewed["speaker"]], rule="")
    return reviewed[[c for c in (*rows.columns, "reviewed_by") if c in reviewed.columns]]
