"""The ``opinions stance-check LABELS.csv [--json]`` command: how far to trust learned stance suggestions.

It reads any labelled set (columns ``text,proposition,label``, optionally ``keywords``)
and prints the learning curve of :func:`utils.suggest.stance_check`. Bad input ends in
one :class:`~utils.errors.TableError` line; the CLI turns it into exit code 2.
"""

from __future__ import annotations

import argparse
import itertools
import json
from pathlib import Path

import pandas as pd

from utils.console import check_stdout, write_stdout
from utils.errors import TableError
from utils.suggest import stance_check, test_part

REQUIRED = ("text", "proposition", "label")
SIZES = (50, 100, 200, 400)
_FIGURES = ("kappa", "prior_kappa", "accuracy", "coverage")


def run_stance_check(args: argparse.Namespace) -> None:
    """Read the labels, measure the curve, print it as a table or as JSON."""
    check_stdout()  # before minutes of fitting
    labels = read_labels(args.labels)
    curve = stance_check(labels, sizes=SIZES)
    write_stdout(
        (json.dumps({"curve": curve}, indent=1) if args.json else format_curve(curve, len(labels))) + "\n"
    )


def read_labels(path: str | Path) -> pd.DataFrame:
    """The labelled set, or a one-line error naming the file, the problem and the fix."""
    path = Path(path)
    if not path.is_file():
        raise TableError(path, "no such file", "give the path of a CSV with text,proposition,label columns")
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
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
