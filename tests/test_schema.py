"""Curated tables that break the schema give one line naming file, row, column and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from utils import schema
from utils.errors import TableError
from utils.statements import CURATED, TABLES

HEADER = "id,speaker,affiliation,kind,text,start,end,cue"
GOOD_ROW = 's01,Ana Lopez,mayor,direct,"We waited,",10,20,said'


def _read(tmp_path: Path, content: str, table: str = "statements"):
    path = tmp_path / f"x.{table}.csv"
    path.write_text(content, encoding="utf-8")
    chosen = {
        "statements": CURATED.schema,
        "stance": schema.STANCE_SCHEMA,
        "topics": schema.TOPIC_SCHEMA,
    }[table]
    return path, lambda: schema.read_table(path, chosen, table)


def test_valid_table_is_typed(tmp_path: Path) -> None:
    _, read = _read(tmp_path, f"{HEADER}\n{GOOD_ROW}\n")
    frame = read()
    assert frame.loc[0, "start"] == 10 and frame.loc[0, "text"] == "We waited,"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            f"{HEADER}\n{GOOD_ROW.replace('direct', 'quote')}\n",
            "row 2 (id s01), column kind: 'quote' must be one of",
        ),
        (f"{HEADER}\n{GOOD_ROW}\n{GOOD_ROW}\n", "row 3 (id s01), column id: 's01' is a duplicate"),
        (
            f"{HEADER}\n{GOOD_ROW.replace(',10,', ',ten,')}\n",
            "row 2 (id s01), column start: 'ten' must be a whole number",
        ),
        (f"{HEADER}\n{GOOD_ROW.replace(',10,', ',-4,')}\n", "column start: '-4' must be 0 or more"),
        (f"{HEADER}\n{GOOD_ROW.replace('Ana Lopez', ' ')}\n", "column speaker: ' ' must not be empty"),
        (HEADER.replace(",cue", "") + "\n" + GOOD_ROW.rsplit(",", 1)[0] + "\n", "missing column(s) cue"),
        (
            HEADER.replace(",", ";") + "\n" + GOOD_ROW.replace(",", ";") + "\n",
            "uses semicolons between columns",
        ),
        (HEADER.replace(",", "\t") + "\n", "uses tabs between columns"),
        ("", "is empty"),
        (f'{HEADER}\ns01,"Ana,mayor\n', "is not valid CSV"),
        # half-edited files: a cell added or lost, a quote never closed, a stray quote, a doubled column
        (f"{HEADER}\n{GOOD_ROW},extra\n", "row 2 has 9 cells but the header has 8"),
        (f"{HEADER}\n{GOOD_ROW}\n{GOOD_ROW.rsplit(',', 1)[0].replace('s01', 's02')}\n", "row 3 has 7 cells"),
        (f'{HEADER}\n{GOOD_ROW}\ns02,"Ana Lopez,mayor,direct,x,1,2,said\n', "is not valid CSV at row 3"),
        (f'{HEADER}\ns01,"Ana" Lopez,mayor,direct,x,1,2,said\n', "is not valid CSV at row 2"),
        (f"{HEADER},id\n{GOOD_ROW},s01\n", "the header names column(s) id twice"),
    ],
)
def test_bad_statement_tables(tmp_path: Path, content: str, expected: str) -> None:
    path, read = _read(tmp_path, content)
    with pytest.raises(TableError) as info:
        read()
    message = str(info.value)
    assert message.startswith(f"{path}: ") and expected in message and "\n" not in message
    assert " — " in message  # every message ends with what to do


def test_unknown_stance_label(tmp_path: Path) -> None:
    _, read = _read(tmp_path, "id,topic,label,rationale\ns01,war,support,because\n", "stance")
    with pytest.raises(TableError, match=r"row 2 .*column label: 'support' must be one of: favor, against"):
        read()


def test_stance_pairs_are_unique(tmp_path: Path) -> None:
    _, read = _read(tmp_path, "id,topic,label,rationale\ns01,war,favor,a\ns01,war,against,b\n", "stance")
    with pytest.raises(TableError, match="repeats an earlier row"):
        read()


def test_topic_ids_and_optional_keywords(tmp_path: Path) -> None:
    _, read = _read(tmp_path, "topic,proposition\nwar_outlook,Ukraine is doing well\n", "topics")
    assert read().loc[0, "keywords"] == ""
    _, read = _read(tmp_path, "topic,proposition\nWar Outlook,Ukraine is doing well\n", "topics")
    with pytest.raises(TableError, match="must be a short id in lower case"):
        read()


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(f"{HEADER}\ns01,Jos\xe9,,direct,a,1,2,said\n".encode("latin-1"))
    with pytest.raises(TableError, match="is not UTF-8"):
        schema.read_table(path, CURATED.schema, "statements")


def test_data_readme_documents_every_column() -> None:
    readme = (Path(__file__).resolve().parents[1] / "data" / "README.md").read_text(encoding="utf-8")
    columns = {
        *(column for table in TABLES.values() for column in table.columns),
        *schema.TOPIC_COLUMNS,
        *schema.STANCE_COLUMNS,
        *schema.SPEAKER_COLUMNS,
        "stance_<topic>",
    }
    missing = [c for c in sorted(columns) if f"`{c}`" not in readme]
    assert not missing, f"data/README.md does not document: {missing}"


def test_neutralised_cells_read_back_as_the_person_sees_them(tmp_path: Path) -> None:
    row = "s01,'=Ana,'@mayor,direct,\"'-5 percent, or so\",10,20,''+said"
    _, read = _read(tmp_path, f"{HEADER}\n{row}\n")
    frame = read()
    assert frame.loc[0, ["speaker", "affiliation", "text", "cue"]].tolist() == [
        "=Ana",
        "@mayor",
        "-5 percent, or so",
        "'+said",
    ]


def test_carriage_returns_and_blank_lines(tmp_path: Path) -> None:
    _, read = _read(tmp_path, f"{HEADER}\r\n{GOOD_ROW}\r\n\r\n")
    assert len(read()) == 1


@pytest.mark.parametrize("kind", ["fifo", "loop", "folder"])
def test_a_table_that_is_not_a_regular_file(tmp_path: Path, kind: str) -> None:
    import os

    path = tmp_path / "x.statements.csv"
    {"fifo": os.mkfifo, "loop": lambda p: p.symlink_to(p.name), "folder": os.mkdir}[kind](path)
    expected = {"fifo": "named pipe", "loop": "symbolic link loop", "folder": "is a folder"}[kind]
    with pytest.raises(TableError, match=expected):
        schema.read_table(path, CURATED.schema, "statements")


@pytest.mark.parametrize(
    ("table_schema", "header", "cell", "read_as"),
    [
        (schema.STANCE_SCHEMA, "id,topic,label,rationale", "s01,war,favour,why", "favor"),
        (schema.STANCE_SCHEMA, "id,topic,label,rationale", "s01,war,Favor ,why", "favor"),
        (schema.STANCE_SCHEMA, "id,topic,label,rationale", "s01,war,Not Addressed,why", "not addressed"),
        (schema.STANCE_SCHEMA, "id,topic,label,rationale", "s01,war,not_addressed,why", "not addressed"),
        (schema.SPEAKER_SCHEMA, "speaker,role", "Ann Lee,Expert", "expert"),
        (schema.SPEAKER_SCHEMA, "speaker,role", "Ann Lee,OFFICIAL", "official"),
    ],
)
def test_vocabulary_is_read_as_people_type_it(tmp_path: Path, table_schema, header, cell, read_as) -> None:
    path = tmp_path / "table.csv"
    path.write_text(f"{header}\n{cell}\n", encoding="utf-8")
    column = "label" if "label" in header else "role"
    assert schema.read_table(path, table_schema, "table")[column].tolist() == [read_as]


def test_a_misspelt_label_is_still_an_error(tmp_path: Path) -> None:
    path = tmp_path / "stance.csv"
    path.write_text("id,topic,label,rationale\ns01,war,favr,why\n", encoding="utf-8")
    with pytest.raises(TableError, match=r"row 2 \(id s01\), column label: 'favr' must be one of"):
        schema.read_table(path, schema.STANCE_SCHEMA, "stance labels")
