"""The one writer of tables: the output's suffix picks the format, and spreadsheet safety is applied here.

Every table the project writes to a file goes through :func:`write_table` (atomically, through
:mod:`utils.files`): ``.csv``, ``.xlsx``, ``.json`` or ``.parquet``, chosen by the file name's
suffix (any other suffix is a one-line error). Standard output takes CSV or JSON
(:func:`table_text`). The curated tables ``opinions curate`` creates (never replaces) and a corpus
dataset's failure list use the same CSV text (:func:`csv_file_text`, :func:`to_csv`).

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
ever a formula there either; characters a workbook cannot hold (control characters) are shown as
their visible Unicode pictures (U+241B for ESC), and every sheet gets a unique name Excel accepts.
JSON and Parquet hold the cells unchanged: no program runs them.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from utils.errors import InputError
from utils.files import atomic_path, replace_together, write_text_atomic

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
FORMATS = {".csv": "csv", ".xlsx": "xlsx", ".json": "json", ".parquet": "parquet"}
STDOUT_FORMATS = ("csv", "json")  # text; a workbook or Parquet needs a file name
MAX_SHEET_NAME = 31  # Excel's limit
MAX_XLSX_CELL = 32_767  # characters Excel keeps in a cell
_SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\\x00-\x1f\x7f]")
_RESERVED_SHEETS = ("history",)  # Excel keeps this name for itself
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NEEDS_QUOTE = re.compile(r"'*[=+\-@\t\r]")
Sheets = Sequence[tuple[str, "pd.DataFrame"]]

if TYPE_CHECKING:  # pandas is imported where a frame is handled: writing plain rows needs none of it
    import pandas as pd


@dataclass(frozen=True)
class Rows:
    """A table as plain rows, for the paths that must start fast (``opinions extract`` of one article):
    column names, the rows, and which columns hold numbers (never neutralised)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]
    numeric: frozenset[str] = frozenset()

    @classmethod
    def of(cls, kind: type, items: Iterable[object]) -> Rows:
        """The instances of dataclass ``kind`` as rows, one column per field, in field order."""
        fields = dataclasses.fields(kind)
        numbers = {f.name for f in fields if f.type in (int, float, "int", "float")}
        rows = tuple(tuple(getattr(item, f.name) for f in fields) for item in items)
        return cls(tuple(f.name for f in fields), rows, frozenset(numbers))


def rows_text(table: Rows, fmt: str, raw: bool = False) -> str:
    """Plain rows as CSV (spreadsheet-safe unless ``raw``, no byte-order mark) or JSON, exactly as
    :func:`table_text` writes the same table from a frame."""
    if fmt == "csv":
        numeric = [c in table.numeric for c in table.columns]
        cells = ([_cell(v, raw or n) for v, n in zip(row, numeric, strict=True)] for row in table.rows)
        return _csv_text(table.columns, cells)
    records = [
        {c: None if _missing(v) else v for c, v in zip(table.columns, row, strict=True)} for row in table.rows
    ]
    return json.dumps(records, ensure_ascii=False, indent=1) + "\n"


def write_rows(path: str | Path, table: Rows, fmt: str, raw: bool = False) -> Path:
    """Plain rows to a CSV (with the byte-order mark unless ``raw``) or JSON file, atomically."""
    if fmt not in STDOUT_FORMATS:
        raise ValueError(f"plain rows are written as CSV or JSON, not {fmt}")
    text = rows_text(table, fmt, raw)
    return write_text_atomic(path, BOM + text if fmt == "csv" and not raw else text)


def file_format(path: str | Path) -> str:
    """The format a file name's suffix names (csv, xlsx, json, parquet); a one-line error for any other."""
    found = FORMATS.get(Path(path).suffix.lower())
    if found is None:
        raise InputError(
            path,
            "has no table suffix, so its format is unknown",
            "end the file name in " + ", ".join(FORMATS),
        )
    return found


def write_table(
    path: str | Path, frame: pd.DataFrame, raw: bool = False, sheets: Sheets = (), fmt: str = ""
) -> Path:
    """Write ``frame`` to ``path`` atomically in the format its suffix names (:func:`file_format`).

    CSV is spreadsheet-safe with a byte-order mark unless ``raw``; a workbook holds ``sheets``
    ((name, table) pairs, every one kept) when given, else one sheet of ``frame``. ``fmt``
    overrides the suffix (the name a user typed, when ``path`` is where its symbolic link points).
    """
    writer = _WRITERS[fmt or file_format(path)]
    return Path(writer(Path(path), frame, raw, sheets or [("statements", frame)]))


def write_tables(tables: Mapping[str | Path, pd.DataFrame]) -> list[Path]:
    """Several CSV tables as one step (:func:`utils.files.replace_together`): afterwards every file is
    new or every file is as before, spreadsheet-safe with a byte-order mark each."""
    for path in tables:
        if file_format(path) != "csv":
            raise InputError(path, "is not a .csv name", "tables written together are CSV files")
    return replace_together({path: csv_file_text(frame) for path, frame in tables.items()})


def table_text(frame: pd.DataFrame, fmt: str, raw: bool = False) -> str:
    """``frame`` as text for standard output: CSV (spreadsheet-safe unless ``raw``, no byte-order mark)
    or JSON (a list of rows)."""
    return to_csv(frame, raw) if fmt == "csv" else json_text(frame)


def json_text(frame: pd.DataFrame) -> str:
    """The rows as a JSON list of objects, one key per column; a missing value is ``null``."""
    if frame.isna().any().any():
        frame = frame.astype(object).where(frame.notna(), None)
    return json.dumps(frame.to_dict(orient="records"), ensure_ascii=False, indent=1) + "\n"


def write_json(path: str | Path, value: object) -> Path:
    """Figures (not a table) as a JSON file, atomically."""
    return write_text_atomic(path, json.dumps(value, indent=2) + "\n")


def _write_parquet(path: Path, frame: pd.DataFrame) -> Path:
    import pyarrow as pa  # imported here: only Parquet outputs need it
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame, preserve_index=False)
    with atomic_path(path) as tmp:
        pq.write_table(table, tmp)
    return path


_WRITERS = {
    "csv": lambda path, frame, raw, sheets: write_text_atomic(path, csv_file_text(frame, raw)),
    "json": lambda path, frame, raw, sheets: write_text_atomic(path, json_text(frame)),
    "xlsx": lambda path, frame, raw, sheets: write_xlsx(sheets, path),
    "parquet": lambda path, frame, raw, sheets: _write_parquet(path, frame),
}


def neutralise(cell: str) -> str:
    """``cell`` as a spreadsheet shows it but never runs it (a leading quote where needed)."""
    return f"'{cell}" if _NEEDS_QUOTE.match(cell) else cell


def restore(cell: str) -> str:
    """The inverse of :func:`neutralise`: drop the one quote it added."""
    return cell[1:] if cell.startswith("'") and _NEEDS_QUOTE.match(cell, 1) else cell


def csv_file_text(frame: pd.DataFrame, raw: bool = False) -> str:
    """:func:`to_csv` for a file a spreadsheet may open: with the UTF-8 byte-order mark unless ``raw``."""
    return to_csv(frame, raw) if raw else BOM + to_csv(frame, raw)


def write_xlsx(sheets: Sheets, path: str | Path) -> Path:
    """Write one workbook, a sheet per (name, table) pair, every one kept, atomically.

    Names are made valid and unique (:func:`sheet_name`); text cells are typed as text, so
    ``=HYPERLINK(…)`` from an article stays words; numbers stay numbers.
    """
    from openpyxl import Workbook  # imported here: only workbook outputs need it

    book = Workbook()
    book.remove(book.active)
    for name, frame in sheets:
        sheet = book.create_sheet(sheet_name(name, book.sheetnames))
        sheet.append([xlsx_text(str(c)) for c in frame.columns])
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
    """A sheet name Excel accepts and not yet in ``taken`` (compared as Excel does, ignoring case).

    No ``[]:*?/\\`` or control characters, at most 31 characters, not starting or ending with an
    apostrophe, not Excel's reserved "History"; a name in use gets " (2)", " (3)", ...
    """
    base = " ".join(_SHEET_UNSAFE.sub(" ", name).split()).strip("'").strip() or "sheet"
    used = {t.lower() for t in taken} | set(_RESERVED_SHEETS)
    candidate, number = _fit(base, ""), 2
    while candidate.lower() in used:
        candidate, number = _fit(base, f" ({number})"), number + 1
    return candidate


def _fit(base: str, suffix: str) -> str:
    """``base`` cut so that it and ``suffix`` fit a sheet name, never ending in an apostrophe or space."""
    return base[: MAX_SHEET_NAME - len(suffix)].rstrip("' ") + suffix


def xlsx_text(text: str) -> str:
    """Text a workbook can hold: control characters as their visible pictures (ESC as U+241B), other
    characters XML forbids as U+FFFD, and cut (marked "…") at Excel's 32,767 characters."""
    text = _NOT_IN_XML.sub(_picture, text)
    return text if len(text) <= MAX_XLSX_CELL else text[: MAX_XLSX_CELL - 1] + "…"


def _picture(found: re.Match[str]) -> str:
    code = ord(found.group())
    return chr(0x2400 + code) if code < 0x20 else "\ufffd"


def _missing(value: object) -> bool:
    """None, NaN, or pandas' own missing values (NA, NaT); pandas is only asked about its own types."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if type(value).__module__.split(".")[0] in ("pandas", "numpy"):
        import pandas as pd

        return bool(pd.isna(value))
    return False


def _xlsx_value(value: object) -> object:
    if not isinstance(value, str) and _missing(value):
        return None
    if isinstance(value, str):
        return xlsx_text(value)
    return value.item() if hasattr(value, "item") else value


def to_csv(frame: pd.DataFrame, raw: bool = False) -> str:
    """``frame`` as CSV text (one ``\\n`` per row); text cells neutralised unless ``raw``, numbers never."""
    columns = [_cells(frame[column], raw) for column in frame.columns]
    return _csv_text(list(map(str, frame.columns)), zip(*columns, strict=True))


def _csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """The CSV text of a header and rows of cells ready to write.

    A cell holding a carriage return is always quoted: a bare CR would end the row in a
    spreadsheet and start a new one (a way round the leading quote). Python's CSV writer
    quotes only the characters of its line terminator, so rows are written with ``\\r\\n``
    and each row's terminator is then shortened to ``\\n``.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    ends = []
    for row in (list(header), *rows):
        writer.writerow(row)
        ends.append(buffer.tell())
    text, pieces, start = buffer.getvalue(), [], 0
    for end in ends:
        pieces.append(text[start : end - 2] + "\n")
        start = end
    return "".join(pieces)


def _cells(column: pd.Series, raw: bool) -> list[object]:
    """A column's cells for the writer: missing values empty, text neutralised unless ``raw``."""
    import pandas as pd

    numeric = pd.api.types.is_numeric_dtype(column)
    return [_cell(value, raw or numeric) for value in column.tolist()]


def _cell(value: object, raw: bool) -> object:
    if isinstance(value, str):
        return value if raw else neutralise(value)
    return "" if _missing(value) else value
