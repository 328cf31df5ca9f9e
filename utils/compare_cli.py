"""The ``opinions compare DATASET PERSON PERSON... [--topics FILE] -o DIR`` command: one comparison page.

DATASET is what ``opinions corpus -o`` wrote (or any Parquet file or folder with its columns);
each PERSON is an id or a name the registry knows (``opinions people``): a name nobody has, or
that several people share, is the registry's one-line error and exit code 2. ``--topics`` is a
topics table for the whole collection (``topic,proposition,keywords``, checked like an
article's); the statements that mention a topic's keywords are shown as suggestions without a
direction. People's labels are those the dataset carries (``_stance.parquet``: the curated
tables of the articles people reviewed, each with its own article's topics) and those given in the
topic queue for this collection (:func:`utils.topic_queue.people_stance`). Re-quotes of the
people's words in other articles are searched over the whole dataset
(:func:`utils.requotes.dataset_requotes`).

The page goes into DIR as ``compare-<person ids>.html``. The path and standard output are
checked before any work (:func:`utils.outputs.check_file_output`: never onto an input, a curated
file or a folder) and the page written atomically, in :func:`write_page`, the one place this
command writes; the summary line goes through the guarded printer (:mod:`utils.console`).
"""

from __future__ import annotations

import argparse
import hashlib
from pathlib import Path

from utils.compare import Comparison, build_comparison
from utils.console import check_stdout, write_done
from utils.errors import InputError
from utils.files import write_text_atomic
from utils.outputs import check_file_output
from utils.positions import PEOPLE, resolve_people
from utils.requotes import dataset_requotes
from utils.schema import TOPIC_SCHEMA, read_table
from utils.topic_queue import people_stance

MAX_NAME = 120  # characters of person ids in the file name; longer lists are cut and get a hash


def run_compare(args: argparse.Namespace) -> None:
    """Check the arguments and the output path, build the page, write it, say what it holds."""
    if len(args.people) < 2:
        raise InputError(
            None, "compare needs two or more people", "name them: opinions compare DATASET A B ..."
        )
    if args.topics:
        read_table(args.topics, TOPIC_SCHEMA, "topics")  # a bad table is one line before any work
    ids = [person_id for person_id, _ in resolve_people(args.dataset, args.people)]
    target = output_path(args.out, ids, [Path(args.dataset), args.topics])
    check_stdout()
    comparison = comparison_of(args.dataset, ids, args.topics)
    path = write_page(target, comparison.html)
    write_done(summary(comparison, path) + "\n", f"{path} was written")


def comparison_of(dataset: str | Path, people: list[str], topics: str | Path | None = None) -> Comparison:
    """The comparison of ``people`` (ids or names) in a dataset, as the command and notebook 09 show
    it: people's labels from the reviewed articles and from the topic queue of the collection
    ``topics`` (a topics table's path), and their words re-quoted anywhere in the dataset."""
    table = read_table(topics, TOPIC_SCHEMA, "topics") if topics else None
    ids = [person_id for person_id, _ in resolve_people(dataset, people)]
    stance = people_stance(dataset, topics)
    return build_comparison(dataset, ids, table, stance, dataset_requotes(dataset, ids))


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
    if positions.requotes is not None:
        parts.append(f"re-quoted in other articles: {positions.requotes['group'].nunique()}")
    if positions.nothing:  # names are the corpus's, and a terminal is no place for its control characters
        parts.append(f"nothing found for {len(positions.nothing)} of them (see the page)")
    size = len(comparison.html.encode("utf-8")) / 1e6
    return "; ".join(parts) + f" -> {path} ({size:.2f} MB)"
