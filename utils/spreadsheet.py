"""CSV that is safe to open in a spreadsheet, and that reads back exactly as it was written.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some,
a tab or carriage return) as a formula, so a quote such as ``=HYPERLINK("http://x")``
from a hostile article would act when the table is opened (CSV injection). As OWASP
recommends, every text cell starting with one of those characters is written with a
single quote in front: the spreadsheet shows it as text. Numbers are not text and stay
as they are (a score of ``-0.42`` is written ``-0.42``).

The project reads its own CSVs back (the curated tables ``opinions curate`` seeds, gold
and predicted tables), so the rule is reversible. The writer puts one quote before a
cell that starts with any run of quotes followed by a trigger character, and the reader
(:func:`restore`) takes one such quote off: ``-5 percent`` is written ``'-5 percent``
and read as ``-5 percent``; ``'=x`` is written ``''=x`` and read as ``'=x``. Every
string survives a write and a read unchanged.

CSV files (not standard output) start with a byte-order mark, which is how spreadsheet programs
recognise UTF-8: without it an Excel round trip turns curly quotes into mojibake. The project's
readers skip it. Excel workbooks (:func:`write_xlsx`) store every text cell as text, so no cell is
ever a formula there either.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd

from utils.files import atomic_path

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
MAX_SHEET_NAME = 31  # Excel's limit
_SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
_NEEDS_QUOTE = re.compile(r"'*[=+\-@\t\r]")


def neutralise(cell: str) -> str:
    """``cell`` as a spreadsheet shows it but never runs it (a leading quote where needed)."""
    return f"'{cell}" if _NEEDS_QUOTE.match(cell) else cell


def restore(cell: str) -> str:
    """The inverse of :func:`neutralise`: drop the one quote it added."""
    return cell[1:] if cell.startswith("'") and _NEEDS_QUOTE.match(cell, 1) else cell


def csv_file_text(frame: pd.DataFrame, raw: bool = False) -> str:
    """:func:`to_csv` for a file a spreadsheet may open: with the UTF-8 byte-order mark unless ``raw``."""
    return to_csv(frame, raw) if raw else BOM + to_csv(frame, raw)


def write_xlsx(sheets: dict[str, pd.DataFrame], path: Path) -> Path:
    """Write one workbook, a sheet per table (names made safe for Excel, unique), atomically.

    Text cells are typed as text, so ``=HYPERLINK(…)`` from an article stays words; numbers stay numbers.
    """
    from openpyxl import Workbook  # imported here: only workbook outputs need it

    book = Workbook()
    book.remove(book.active)
    for name, frame in sheets.items():
        sheet = book.create_sheet(sheet_name(name, book.sheetnames))
        sheet.append([str(c) for c in frame.columns])
        for row in frame.itertuples(index=False):
            sheet.append([_xlsx_value(v) for v in row])
        for cells in sheet.iter_rows():
            for cell in cells:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # openpyxl would store a leading '=' as a formula
    with atomic_path(path) as tmp:
        book.save(tmp)
    return Path(path)


def sheet_name(name: str, taken: list[str]) -> str:
    """A sheet name Excel accepts (no []:*?/\\, at most 31 characters) and not yet in ``taken``."""
    base = " ".join(_SHEET_UNSAFE.sub(" ", name).split()).strip("'") or "sheet"
    candidate, number = base[:MAX_SHEET_NAME], 2
    while candidate.lower() in {t.lower() for t in taken}:
        suffix = f" ({number})"
        candidate, number = base[: MAX_SHEET_NAME - len(suffix)] + suffix, number + 1
    return candidate


def _xlsx_value(value: object) -> object:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def to_csv(frame: pd.DataFrame, raw: bool = False) -> str:
    """``frame`` as CSV text (one ``\\n`` per row); text cells neutralised unless ``raw``, numbers never.

    A cell holding a carriage return is always quoted: a bare CR would end the row in a
    spreadsheet and start a new one (a way round the leading quote). Python's CSV writer
    quotes only the characters of its line terminator, so rows are written with ``\\r\\n``
    and each row's terminator is then shortened to ``\\n``.
    """
    columns = [_cells(frame[column], raw) for column in frame.columns]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    ends = []
    for row in (list(map(str, frame.columns)), *zip(*columns, strict=True)):
        writer.writerow(row)
        ends.append(buffer.tell())
    text, pieces, start = buffer.getvalue(), [], 0
    for end in ends:
        pieces.append(text[start : end - 2] + "\n")
        start = end
    return "".join(pieces)


def _cells(column: pd.Series, raw: bool) -> list[object]:
    """A column's cells for the writer: missing values empty, text neutralised unless ``raw``."""
    numeric = pd.api.types.is_numeric_dtype(column)
    return [_cell(value, raw or numeric) for value in column.tolist()]


def _cell(value: object, raw: bool) -> object:
    if isinstance(value, str):
        return value if raw else neutralise(value)
    return "" if value is None or pd.isna(value) else value
