"""The ``opinions about`` command: who is quoted about a proposition, across a corpus dataset.

``opinions about DATASET "QUERY" [--topic T --topics FILE] [--person P] [--since D] [-o OUT | --json]``

It ranks the statements of a corpus dataset that address a proposition (:func:`utils.about.find_about`;
with ``--topic``, in the order learned from people's labels of it in the topic queue once there are
enough, :func:`utils.topic_queue.collection_labels`) and shows them: a readable list on standard
output, a CSV file (``-o OUT.csv``; ``-o OUT.json`` for JSON), or JSON on standard output
(``--json``). What was searched, and how many statements a ``--since`` left out for having no date,
is said on standard error beside a table, and in the JSON.
Nothing found is said in one line, and no file is written. Bad input (an unknown topic or person,
a topics table with a bad column, a date that is not one) is an :class:`~utils.errors.InputError`:
one line, exit code 2.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pandas as pd

from utils.about import describe, find_about, load_topic
from utils.console import check_stdout, write_stdout
from utils.console import note as console_note
from utils.errors import InputError
from utils.spreadsheet import write_table
from utils.topic_queue import collection_labels

LIMIT = 100  # statements shown or written unless --limit says otherwise
OUTPUT_SUFFIXES = (".csv", ".json")


def run_about(args: argparse.Namespace) -> None:
    """Check the inputs and the output path, search, and show or write what was found."""
    if args.topic and not args.topics:
        raise InputError(None, f"--topic {args.topic} needs the topics table it is in", "add --topics FILE")
    if args.topics and not args.topic:
        raise InputError(args.topics, "is given without --topic", "add --topic T, one of its topics")
    limit = getattr(args, "limit", None) or LIMIT
    if limit < 1:
        raise InputError(None, f"--limit {limit} shows nothing", "give 1 or more")
    out = _checked_output(args)
    if out is None:
        check_stdout()
    topic = load_topic(args.topics, args.topic) if args.topic else None
    labels = collection_labels(args.dataset, args.topics) if topic else None  # the topic queue's
    table = find_about(
        args.dataset,
        args.query,
        topic=topic,
        person=args.person,
        since=args.since,
        labels=labels if labels is not None and len(labels) else None,
        limit=limit,
    )
    emit(table, describe(table, args.dataset), out, args.json)


def _checked_output(args: argparse.Namespace) -> Path | None:
    """The output file, checked before any work (never an input, a curated file, a folder)."""
    if not args.out:
        return None
    from utils.outputs import check_file_output

    if Path(args.out).suffix.lower() not in OUTPUT_SUFFIXES:
        raise InputError(args.out, "is neither .csv nor .json", "name the output OUT.csv or OUT.json")
    sources = [Path(args.dataset), *([Path(args.topics)] if args.topics else [])]
    return check_file_output(args.out, sources)


def emit(table: pd.DataFrame, note: str, out: Path | None, as_json: bool) -> None:
    """Print the result (the guarded printer) or write it (the one table writer; .csv or .json)."""
    if table.empty:
        write_stdout(to_json(table, note) if as_json else note + "\n")
        return
    if out is None:
        write_stdout(to_json(table, note) if as_json else listing(table))
        console_note(note)
        return
    write_table(out, table)
    console_note(f"wrote {out}: {note}")


def to_json(table: pd.DataFrame, note: str) -> str:
    """``{"note": ..., "found": n, "rows": [...]}``; ``found`` 0 and no rows when nothing was found."""
    rows = table.astype(object).where(table.notna(), None).to_dict(orient="records")
    return json.dumps({"note": note, "found": len(rows), "rows": rows}, ensure_ascii=False, indent=1) + "\n"


def listing(table: pd.DataFrame) -> str:
    """A readable list: score, date, outlet, who, the statement, what matched and why.

    Characters a terminal would act on (escape sequences, other control characters) are shown
    escaped, so a hostile statement stays text.
    """
    lines = []
    for row in table.itertuples(index=False):
        who = row.person or row.speaker or "(nobody named)"
        head = f"{row.score:>7.3f}  {row.date or 'no date':<10}  {row.outlet or '-'}  {who}"
        lines += [
            _plain(head),
            "    " + _plain(row.text),
            "    " + _plain(f"matched: {row.matched}; {row.why}"),
        ]
    return "\n".join(lines) + "\n"


def _plain(text: str) -> str:
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in str(text))
