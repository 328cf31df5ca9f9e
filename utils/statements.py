"""The statement row's one home: every table of statements is derived from the extractor's ``Statement``.

``Statement`` (:mod:`utils.extract.records`) is the row the extractor returns. Its fields, in
order, are the columns of every table that holds statements, typed by their annotations (``str``
text, ``int`` whole numbers, ``float`` numbers). A field marked ``metadata={"provenance": True}``
(``rule``, ``confidence``) says why the machine found a row and how sure it is: the machine's
tables keep it, and so do the curated and annotated tables, where it orders the review (least
certain first) and tells a machine's row from one a person added (empty ``rule``); the analysis
table, which people read, does not. A field with a default may be missing from a table people
keep (one written before the field existed): it reads as its default.

The named tables, each the fields plus the columns its use adds (:data:`TABLES`):

* ``extracted``: the fields (``opinions extract``);
* ``statement``: ``id``, the fields, ``reviewed_by`` (:func:`extract_table`);
* ``curated``: ``id``, the fields, ``reviewed_by`` (``data/curated/<id>.statements.csv``);
* ``annotated``: ``curated`` plus ``annotator`` and ``time`` (a person's store, :mod:`utils.annotations`);
* ``analysis``: ``article_id``, ``id``, the fields without provenance, ``reviewed_by``, role, source,
  scores, certainty, ``stance_source`` (:mod:`utils.analysis` adds a ``stance_<topic>`` column per
  topic before the last);
* ``corpus``: article and file, their metadata and where the date came from, ``id``, the fields
  with ``person_id`` and ``person`` after ``speaker``, ``reviewed_by``, the paragraph around the
  statement (``context``), scores and certainty (:mod:`utils.corpus`).

Column names, types, the pandera schema and the converters (:func:`statement_row`, one statement
to a row; :func:`to_frame`, rows to a typed table) all come from here, so adding a column to every
table is one field on ``Statement`` plus its line in ``data/README.md``.
"""

from __future__ import annotations

import dataclasses
import functools
import typing
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa

from utils import schema
from utils.quotes import Statement, extract_statements

_DTYPES = {str: "str", int: "int64", float: "float64"}
_REQUIRED = object()  # a column without a default: a file must have it


@dataclass(frozen=True)
class Column:
    """One column of a statement table: its name, type, default in files that lack it, provenance."""

    name: str
    dtype: str = "str"
    default: object = _REQUIRED
    provenance: bool = False


@dataclass(frozen=True)
class StatementTable:
    """A named table of statements: its columns in order, with their types and its pandera schema."""

    name: str
    what: str  # how messages name it ("curated statements")
    spec: tuple[Column, ...]

    @property
    def columns(self) -> list[str]:
        return [c.name for c in self.spec]

    @property
    def dtypes(self) -> dict[str, str]:
        return {c.name: c.dtype for c in self.spec}

    @property
    def provenance(self) -> bool:
        """Whether the table keeps the machine's provenance fields (``rule``, ``confidence``)."""
        return any(c.provenance for c in self.spec)

    @functools.cached_property
    def schema(self) -> pa.DataFrameSchema:
        """The pandera schema; ``id`` is unique in a table of one article's statements."""
        unique = "id" if "article_id" not in self.columns else None
        optional = {c.name: str(c.default) for c in self.spec if c.default is not _REQUIRED}
        return pa.DataFrameSchema(
            {c.name: schema.column(c.name, c.dtype, unique=c.name == unique) for c in self.spec},
            metadata={"optional": optional},
        )


def field_columns(cls: type = Statement) -> list[Column]:
    """The columns the fields of ``cls`` give: names in order, types from their annotations."""
    hints = typing.get_type_hints(cls)
    return [
        Column(
            f.name,
            _DTYPES[hints[f.name]],
            f.default if f.default is not dataclasses.MISSING else _REQUIRED,
            bool(f.metadata.get("provenance")),
        )
        for f in dataclasses.fields(cls)
    ]


def _added(*names: str, default: object = _REQUIRED) -> list[Column]:
    """Columns a table adds to the fields: numbers where :data:`utils.schema.NUMBER_COLUMNS` says so."""
    return [Column(name, schema.NUMBER_COLUMNS.get(name, "str"), default) for name in names]


def _after(columns: list[Column], name: str, added: list[Column]) -> list[Column]:
    at = [c.name for c in columns].index(name) + 1
    return [*columns[:at], *added, *columns[at:]]


def statement_tables(cls: type = Statement) -> dict[str, StatementTable]:
    """Every named table of statements (see the module docstring), for the fields of ``cls``."""
    fields = field_columns(cls)
    people = [c for c in fields if not c.provenance]
    reviewed = _added(schema.REVIEWED_BY, default="")  # a curated table without it: nobody reviewed its rows
    curated = [*_added("id"), *fields, *reviewed]  # provenance kept: it orders the review
    shown = [*_added("id"), *people, *reviewed]
    measures = _added(*schema.SCORE_COLUMNS, *schema.CERTAINTY_COLUMNS)
    specs = {
        "extracted": ("extracted statements", fields),
        "statement": ("extracted statements", [*_added("id"), *fields, *reviewed]),
        "curated": ("curated statements", curated),
        "annotated": ("annotated statements", [*curated, *_added("annotator", "time")]),
        "analysis": (
            "analysis table",
            [*_added("article_id"), *shown, *_added("role", "source"), *measures, *_added("stance_source")],
        ),
        "corpus": (
            "corpus table",
            [
                *_added("article_id", "file", *schema.META_COLUMNS, "date_source", "id"),
                *_after(fields, "speaker", _added("person_id", "person")),
                *reviewed,
                *_added("context"),
                *measures,
            ],
        ),
    }
    return {name: StatementTable(name, what, tuple(spec)) for name, (what, spec) in specs.items()}


TABLES = statement_tables()
EXTRACTED, STATEMENT, CURATED = TABLES["extracted"], TABLES["statement"], TABLES["curated"]
ANNOTATED, ANALYSIS, CORPUS = TABLES["annotated"], TABLES["analysis"], TABLES["corpus"]


# --- the converters ------------------------------------------------------------------------------


def statement_row(statement: Statement, table: StatementTable, **values: object) -> dict[str, object]:
    """One statement as a row of ``table``: the fields the table keeps, ``values`` for its other columns.

    A column left without a value, or a value for a column the table does not have, is a
    ``ValueError``: no table silently loses or invents a column.
    """
    extra = values.keys() - set(table.columns)
    missing = [c for c in table.columns if c not in values and not hasattr(statement, c)]
    if extra or missing:
        raise ValueError(
            f"a row of the {table.name} table needs values for {missing} and has no column(s) {sorted(extra)}"
        )
    return {c: values[c] if c in values else getattr(statement, c) for c in table.columns}


def to_frame(rows: Sequence[Mapping[str, object]], table: StatementTable) -> pd.DataFrame:
    """Rows as a table with exactly ``table``'s columns, in order and typed (also when there are none)."""
    expected = set(table.columns)
    for row in rows:
        if row.keys() != expected:
            missing, extra = sorted(expected - row.keys()), sorted(row.keys() - expected)
            raise ValueError(f"a row of the {table.name} table lacks {missing} or has extra {extra}")
    return pd.DataFrame(list(rows), columns=table.columns).astype(table.dtypes)


def statements_frame(found: Iterable[Statement]) -> pd.DataFrame:
    """Extracted statements as the validated ``statement`` table, numbered a1, a2, ... and unreviewed."""
    rows = [statement_row(s, STATEMENT, id=f"a{i}", reviewed_by="") for i, s in enumerate(found, start=1)]
    return schema.validate(to_frame(rows, STATEMENT), STATEMENT.schema, STATEMENT.what)


def extract_table(text: str) -> pd.DataFrame:
    """The statements found in ``text``, as a table: the Python entry point to the extractor.

    One row per statement in article order, ids ``a1``, ``a2``, ..., with every extracted column
    (speaker, affiliation, kind, text, start, end, cue, rule, confidence) and ``reviewed_by``
    empty. A paragraph the extractor had to skip is an :class:`~utils.quotes.ExtractionWarning`.
    """
    return statements_frame(extract_statements(text))
