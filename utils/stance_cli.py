"""The ``opinions stance-check LABELS.csv [--json]`` command: how far to trust learned stance suggestions.

It reads any labelled set (columns ``text,proposition,label``, optionally ``keywords``, and
the statement's ``speaker``, ``paragraph`` and ``nearby`` paragraphs, which the learner reads
as the workbench does) and prints the learning curve of :func:`utils.suggest.stance_check`. Bad input ends in
one :class:`~utils.errors.TableError` line; the CLI turns it into exit code 2.
"""

from __future__ import annotations

import argparse
import io
import itertools
import json
from pathlib import Path

import pandas as pd

from utils.console import check_stdout, note, write_stdout
from utils.errors import TableError
from utils.files import MAX_TABLE_BYTES, read_regular
from utils.schema import NOT_ADDRESSED, SPELLINGS, STANCE_LABELS
from utils.suggest import stance_check, test_part

REQUIRED = ("text", "proposition", "label")
LABELS = (*STANCE_LABELS, NOT_ADDRESSED)
MAX_ROWS = 100_000  # pairs: the curve refits a model per size and repeat, minutes already at this size
SIZES = (50, 100, 200, 400)
_FIGURES = ("kappa", "prior_kappa", "accuracy", "coverage")


def run_stance_check(args: argparse.Namespace) -> None:
    """Read the labels, measure the curve, print it as a table or as JSON."""
    check_stdout()  # before minutes of fitting
    labels = read_labels(args.labels)
    curve = []
    for size in SIZES:  # one size at a time, so a long run says where it is
        note(f"stance-check: learning from {size} labels, testing on the rest …")
        curve += stance_check(labels, sizes=(size,))
    write_stdout(
        (json.dumps({"curve": curve}, indent=1) if args.json else format_curve(curve, len(labels))) + "\n"
    )


def read_labels(path: str | Path) -> pd.DataFrame:
    """The labelled set, or a one-line error naming the file, the problem and the fix."""
    path = Path(path)
    data = read_regular(path, MAX_TABLE_BYTES, "labelled set", error=TableError)
    try:
        table = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except pd.errors.EmptyDataError:
        raise TableError(path, "the file is empty", "add a header text,proposition,label and rows") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        problem = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise TableError(path, f"not a readable CSV ({problem})", "save it as UTF-8 CSV") from None
    missing = [c for c in REQUIRED if c not in table.columns]
    if missing:
        raise TableError(
            path, f"missing column(s) {', '.join(missing)}", "the header needs text,proposition,label"
        )
    if len(table) > MAX_ROWS:
        raise TableError(
            path,
            f"{len(table):,} labelled rows; stance-check takes at most {MAX_ROWS:,}",
            "check a random sample of the pairs",
        )
    table["label"] = table["label"].str.strip().str.lower().replace(SPELLINGS)
    unknown = ~table["label"].isin(LABELS)
    if unknown.any():
        row = int(unknown.to_numpy().nonzero()[0][0])
        raise TableError(
            path,
            f"row {row + 2}: label {table['label'].iloc[row][:40]!r} is not a stance label",
            "use one of: " + ", ".join(LABELS),
        )
    blank = table[list(REQUIRED)].apply(lambda c: c.str.strip() == "")
    if blank.to_numpy().any():
        row, column = next((r, c) for r, c in zip(*blank.to_numpy().nonzero(), strict=True))
        raise TableError(path, f"row {row + 2}: empty {REQUIRED[column]}", "fill it in or delete the row")
    needed = next(n for n in itertools.count(SIZES[0]) if n - test_part(n) >= SIZES[0])
    if len(table) < needed:
        raise TableError(
            path,
            f"only {len(table)} labelled rows; stance-check needs at least {needed} "
            f"({SIZES[0]} to learn from, the rest to test on)",
            "label more statement-proposition pairs",
        )
    if table["label"].nunique() < 2:
        raise TableError(path, "every row has the same label", "a check needs at least two different labels")
    return table


def format_curve(curve: list[dict], rows: int) -> str:
    """A small table: one line per training size, the suggestions' figures next to the prior's."""
    lines = [
        f"stance-check on {rows} labels (means over repeated random splits, held-out rest)",
        f"{'labels':>6}  {'kappa':>6}  {'prior κ':>7}  {'accuracy':>8}  {'coverage':>8}",
    ]
    for point in curve:
        cells = [_cell(point[key]) for key in _FIGURES]
        lines.append(f"{point['labels']:>6}  {cells[0]:>6}  {cells[1]:>7}  {cells[2]:>8}  {cells[3]:>8}")
    lines.append(
        "kappa, accuracy: shown suggestions vs the labels; prior κ: 'always your most common label' "
        "on the same pairs; coverage: share of pairs with a suggestion shown"
    )
    return "\n".join(lines)


def _cell(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"
