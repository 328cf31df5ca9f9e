"""The tables that flow through the project, and their validation where data enters.

The columns are documented for people in ``data/README.md`` (a test keeps the two in
step). Files are read with every column as text, then checked with pandera; the first
problem becomes one line naming the file, the row, the column, what is wrong and what
to do, raised as :class:`~utils.errors.TableError`. A cell that the writer neutralised for
spreadsheets (``'-5 percent``, see :mod:`utils.spreadsheet`) reads back as it was.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from utils.errors import InputError, TableError
from utils.files import regular_file, user_os_error
from utils.spreadsheet import restore

KINDS = ("direct", "paraphrase")
STANCE_LABELS = ("favor", "against", "neutral", "mixed")
NOT_ADDRESSED = "not addressed"
ROLES = ("expert", "official", "other")
REVIEWED_BY = "reviewed_by"  # who reviewed a statement (an annotator's name; "" for nobody)

# The tables of statements (curated, extracted, annotated, analysis, corpus) are declared once, from
# the extractor's row, in utils/statements.py; these are the other tables and the columns they add.
TOPIC_COLUMNS = ["topic", "proposition", "keywords"]
STANCE_COLUMNS = ["id", "topic", "label", "rationale"]
SPEAKER_COLUMNS = ["speaker", "role"]
SCORE_COLUMNS = ["tb_polarity", "tb_subjectivity", "vader_compound"]
CERTAINTY_COLUMNS = ["hedges", "boosters", "certainty", "epistemic"]
META_COLUMNS = ["title", "outlet", "date", "url"]
# Columns that are numbers wherever they appear; every other column added to statements is text.
NUMBER_COLUMNS = {**dict.fromkeys(SCORE_COLUMNS, "float64"), "certainty": "float64"}

_NONEMPTY = pa.Check(lambda s: s.str.strip().str.len() > 0, error="must not be empty")
_NOT_NEGATIVE = pa.Check.ge(0, error="must be 0 or more")
# What a valid cell of a statement column is, wherever the column appears (a column not listed
# is checked by its type only).
CELL_CHECKS = {
    "id": [_NONEMPTY, pa.Check.str_matches(r"^\S+$", error="must not contain spaces")],
    "speaker": [_NONEMPTY],
    "kind": [pa.Check.isin(KINDS, error="must be one of: direct, paraphrase")],
    "text": [_NONEMPTY],
    "start": [_NOT_NEGATIVE],
    "end": [_NOT_NEGATIVE],
}
_TYPES = {"str": str, "int64": int, "float64": float}


def column(name: str, dtype: str = "str", unique: bool = False) -> pa.Column:
    """The pandera column for ``name``: of type ``dtype`` (numbers are read from a file's text), with
    its :data:`CELL_CHECKS`."""
    return pa.Column(_TYPES[dtype], checks=CELL_CHECKS.get(name, []), coerce=dtype != "str", unique=unique)


def _text(*checks: pa.Check, unique: bool = False) -> pa.Column:
    return pa.Column(str, checks=list(checks), unique=unique)


# Gold and predicted tables for evaluation (the dev set's layout): offsets are not needed.
GOLD_SCHEMA = pa.DataFrameSchema(
    {name: column(name) for name in ("speaker", "affiliation", "kind", "text")},
    metadata={"optional": {"affiliation": ""}},
)
TOPIC_SCHEMA = pa.DataFrameSchema(
    {
        "topic": _text(
            pa.Check.str_matches(
                r"^[a-z][a-z0-9_]*$", error="must be a short id in lower case (letters, digits, _)"
            ),
            unique=True,
        ),
        "proposition": _text(_NONEMPTY),
        "keywords": _text(),
    },
    metadata={"optional": {"keywords": ""}},
)
STANCE_SCHEMA = pa.DataFrameSchema(
    {
        "id": _text(_NONEMPTY),
        "topic": _text(_NONEMPTY),
        "label": _text(
            pa.Check.isin(
                (*STANCE_LABELS, NOT_ADDRESSED),
                error="must be one of: " + ", ".join((*STANCE_LABELS, NOT_ADDRESSED)),
            )
        ),
        "rationale": _text(_NONEMPTY),
    },
    unique=["id", "topic"],
)
SPEAKER_SCHEMA = pa.DataFrameSchema(
    {
        "speaker": _text(_NONEMPTY, unique=True),
        "role": _text(pa.Check.isin(ROLES, error="must be one of: " + ", ".join(ROLES))),
    }
)

_CHECK_WORDS = {
    "field_uniqueness": "is a duplicate; each value must be unique",
    "multiple_fields_uniqueness": "repeats an earlier row with the same values; each pair must be unique",
    "coerce_dtype('int64')": "must be a whole number",
    "coerce_dtype('float64')": "must be a number",
}


def read_table(path: str | Path, schema: pa.DataFrameSchema, what: str) -> pd.DataFrame:
    """Read a CSV table, check its header and rows against ``schema``, and return it.

    ``what`` names the table for messages ("curated statements", "stance labels").
    A column the schema knows but the file lacks is added, with its default, only when
    ``schema.metadata['optional']`` gives one (column name -> default, as text).
    """
    path = Path(path)
    raw = _read_raw(path, what)
    _check_delimiter(path, raw)
    header, body = _parse_csv(path, raw)
    optional = (schema.metadata or {}).get("optional", {})
    _check_header(path, [*header, *optional], list(schema.columns), what)
    _check_row_lengths(path, header, body)
    frame = pd.DataFrame(body, columns=header, dtype="str")
    if len(frame):
        frame = frame.apply(lambda column: column.map(restore))
    for name, default in optional.items():
        if name not in frame.columns:
            frame[name] = default
    return validate(_spelled_as_defined(frame), schema, path)


# Vocabulary columns are read as people type them: any case, surrounding spaces, British spelling.
_VOCABULARY_COLUMNS = ("kind", "label", "role")
_SPELLINGS = {"favour": "favor", "not-addressed": NOT_ADDRESSED, "not_addressed": NOT_ADDRESSED}


def _spelled_as_defined(frame: pd.DataFrame) -> pd.DataFrame:
    """``Favour`` -> ``favor``, ``Expert`` -> ``expert``: unambiguous variants of the defined values."""
    for column in _VOCABULARY_COLUMNS:
        if column in frame.columns:
            cleaned = frame[column].str.strip().str.lower()
            frame[column] = cleaned.replace(_SPELLINGS)
    return frame


def validate(frame: pd.DataFrame, schema: pa.DataFrameSchema, source: str | Path) -> pd.DataFrame:
    """Validate ``frame`` against ``schema``; raise a one-line :class:`TableError` on the first problem."""
    try:
        return schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        raise TableError(
            source,
            _describe(exc.failure_cases, frame, schema),
            "fix that cell (and check the rest of the file) and run again",
        ) from None


def _read_raw(path: Path, what: str) -> str:
    try:
        regular_file(path, f"{what} file")
    except InputError as exc:
        raise TableError(exc.path, exc.problem, exc.fix) from None
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:  # the CSV reader handles line ends
            raw = handle.read()
    except UnicodeDecodeError:
        raise TableError(path, "is not UTF-8 text", "save it as CSV UTF-8 from your spreadsheet") from None
    except OSError as exc:
        raise user_os_error(exc, path) or exc from None
    if not raw.strip():
        raise TableError(path, f"is empty; a {what} table needs a header row", "restore the file")
    return raw


def _check_delimiter(path: Path, raw: str) -> None:
    """Spreadsheets in some locales save with ';' or tabs: say so instead of reporting odd columns."""
    header = raw.split("\n", 1)[0]
    if "," in header:
        return
    for sep, name in ((";", "semicolons"), ("\t", "tabs"), ("|", "bars")):
        if sep in header:
            raise TableError(
                path, f"uses {name} between columns, not commas", "save it as comma-separated CSV (CSV UTF-8)"
            )


def _parse_csv(path: Path, raw: str) -> tuple[list[str], list[list[str]]]:
    """The header and the rows as text; a quoted cell never closed or a stray quote fails here.

    Rows are numbered as a spreadsheet shows them (a quoted cell may span lines).
    """
    rows: list[list[str]] = []
    reader = csv.reader(io.StringIO(raw, newline=""), strict=True)
    try:
        rows.extend(row for row in reader if row)
    except csv.Error as exc:
        raise TableError(
            path,
            f"is not valid CSV at row {len(rows) + 1} (line {reader.line_num}: {exc})",
            "check quoting: a cell with commas or quotes must be inside double quotes, "
            'with inner quotes doubled ("")',
        ) from None
    header, body = rows[0], rows[1:]
    doubled = sorted({c for c in header if header.count(c) > 1})
    if doubled:
        raise TableError(path, f"the header names column(s) {', '.join(doubled)} twice", "keep one of each")
    return header, body


def _check_row_lengths(path: Path, header: list[str], body: list[list[str]]) -> None:
    """A half-edited row (a cell added or lost) is named by its row number."""
    for number, row in enumerate(body, start=2):
        if len(row) != len(header):
            raise TableError(
                path,
                f"is not valid CSV: row {number} has {len(row)} cells but the header has {len(header)}",
                "check that row: a cell with commas must be inside double quotes",
            )


def _check_header(path: Path, header: list[str], expected: list[str], what: str) -> None:
    missing = [c for c in expected if c not in header]
    if missing:
        raise TableError(
            path,
            f"missing column(s) {', '.join(missing)} in the {what} table",
            f"the header must be: {','.join(expected)}",
        )


def _describe(cases: pd.DataFrame, frame: pd.DataFrame, schema: pa.DataFrameSchema) -> str:
    """Turn pandera's failure cases into one sentence about the first bad cell."""
    order = {name: i for i, name in enumerate(schema.columns)}
    cases = cases[~cases.apply(lambda case: _first_of_duplicates(case, frame), axis=1)]
    cases = cases.assign(
        _row=pd.to_numeric(cases["index"], errors="coerce").fillna(-1),
        _col=cases["column"].map(order).fillna(len(order)),
    ).sort_values(["_row", "_col"], kind="stable")
    located = cases[cases["_row"] >= 0]
    first = (located if len(located) else cases).iloc[0]
    check = _CHECK_WORDS.get(str(first["check"]), str(first["check"]))
    more = len(cases["index"].dropna().unique()) - 1
    tail = f" ({more} more row(s) with problems)" if more > 0 else ""
    if first["_row"] < 0:
        column = f"column {first['column']}: " if isinstance(first["column"], str) else ""
        return f"{column}{check}{tail}"
    row = int(first["_row"])
    # Numbered as a spreadsheet shows it: the header is row 1, the first statement row 2.
    where = f"row {row + 2}" + (f" (id {frame.iloc[row]['id']})" if "id" in frame.columns else "")
    value = str(first["failure_case"])
    shown = f" {value[:40]!r}" if value else " (empty)"
    return f"{where}, column {first['column']}:{shown} {check}{tail}"


def _first_of_duplicates(case: pd.Series, frame: pd.DataFrame) -> bool:
    """True for the first occurrence of a duplicated value: the later copies are the ones to report."""
    if case["check"] != "field_uniqueness" or pd.isna(case["index"]):
        return False
    column = frame[case["column"]]
    return not column.duplicated().iloc[int(case["index"])]
