"""The statement row has one home: every table that holds statements has every field of ``Statement``.

The first test is the promise end to end: a copy of the library whose ``Statement`` has three
more fields (text, a number, and a provenance field) runs every command that writes a statement
table, and each table carries the new fields (the provenance one where rows are found and reviewed,
not in the analysis table people read). A curated table written before the fields existed
still reads, the new fields taking their defaults. The other tests hold the declared tables and
the converters to each other.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import KURSK, ROOT
from utils.extract.records import Statement

STORY = (
    "Bridge vote\n\n“We waited long enough,” Mayor Ana Lopez said on Tuesday. "
    "Lopez said the bridge would open in May.\n"
)
NEW_FIELDS = (
    '    note: str = "n"\n'
    "    weight: float = 0.5\n"
    '    trace: str = _dc.field(default="t", metadata={"provenance": True})\n'
)

# Runs in the copy: every command that writes statements, then the header of what it wrote.
CHILD = r"""
import json, os, sys
from pathlib import Path

import pandas as pd

import utils
assert Path(utils.__file__).parent == Path(sys.argv[1]), utils.__file__
from utils import annotations as an
from utils.cli import main
from utils.curation import extract_table

data, out = Path(os.environ["EXPERT_OPINIONS_DATA"]), Path(sys.argv[2])
story = data / "articles" / "bridge.txt"
seen, codes = {}, {}


def run(name, *argv):
    codes[name] = main(list(argv))


def header(path):
    return path.read_text(encoding="utf-8-sig").splitlines()[0].split(",")


seen["extract_table"] = list(extract_table(story.read_text(encoding="utf-8")).columns)
run("extract csv", "extract", str(story), "-o", str(out / "x.csv"))
seen["extract csv"] = header(out / "x.csv")
run("extract json", "extract", str(story), "--format", "json", "-o", str(out / "x.json"))
seen["extract json"] = list(json.loads((out / "x.json").read_text(encoding="utf-8"))[0])
run("curate", "curate", "bridge")
seen["curate"] = header(data / "curated" / "bridge.statements.csv")
run("table", "table", "bridge", "-o", str(out / "t.csv"))
seen["table"] = header(out / "t.csv")
run("table of an older curated table", "table", sys.argv[3], "-o", str(out / "k.csv"))
seen["table of an older curated table"] = header(out / "k.csv")
store = an.open_store("bridge", "ann")
an.mark_reviewed(store, store.statements["id"].iloc[0])
an.add_statement(store, 0, 11)
store.close()
added = pd.read_csv(data / "annotations" / "bridge" / "ann.statements.csv", dtype=str, encoding="utf-8-sig")
seen["annotations"] = list(added.columns)
seen["added statement's note"] = [added["note"].iloc[-1]] if "note" in added else []
run("accept", "accept", "bridge", "--from", "ann")
seen["accept"] = header(data / "curated" / "bridge.statements.csv")
(out / "in").mkdir()
(out / "in" / "bridge.txt").write_text(story.read_text(encoding="utf-8"), encoding="utf-8")
run("corpus", "corpus", str(out / "in"), "-o", str(out / "c.parquet"), "--workers", "1")
corpus = pd.read_parquet(out / "c.parquet")
seen["corpus"] = list(corpus.columns)
seen["corpus weight type"] = [str(corpus["weight"].dtype)] if "weight" in corpus else []
print(json.dumps({"seen": seen, "codes": codes}))
"""
# Provenance is kept where rows are reviewed (it orders the review): the machine's tables, the
# curated and annotated ones; the analysis table people read (opinions table) leaves it out.
MACHINE = ("extract_table", "extract csv", "extract json", "corpus", "curate", "annotations", "accept")
PEOPLE = ("table", "table of an older curated table")


@pytest.fixture(scope="module")
def extended(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, list[str] | int]]:
    """What every command wrote, run on a copy of the library whose Statement has NEW_FIELDS."""
    root = tmp_path_factory.mktemp("extended")
    shutil.copytree(ROOT / "utils", root / "utils", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "data", root / "data")
    (root / "data" / "articles" / "bridge.txt").write_text(STORY, encoding="utf-8")
    records = root / "utils" / "extract" / "records.py"
    lines = records.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("    confidence: float"))
    lines.insert(at + 1, NEW_FIELDS)
    future = next(i for i, line in enumerate(lines) if line.startswith("from __future__"))
    lines.insert(future + 1, "import dataclasses as _dc\n")
    records.write_text("".join(lines), encoding="utf-8")
    (root / "out").mkdir()
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(root), "EXPERT_OPINIONS_DATA": str(root / "data")}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(root / "utils"), str(root / "out"), KURSK],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.splitlines()[-1])


def test_every_command_ran(extended) -> None:
    assert {name: code for name, code in extended["codes"].items() if code} == {}


@pytest.mark.parametrize("output", [*MACHINE, *PEOPLE])
def test_a_new_field_reaches_every_statement_table(extended, output: str) -> None:
    columns = extended["seen"][output]
    assert {"note", "weight"} <= set(columns), columns
    assert ("trace" in columns) == (output in MACHINE), columns


def test_new_fields_keep_their_type_and_default(extended) -> None:
    assert extended["seen"]["corpus weight type"] == ["float64"]
    assert extended["seen"]["added statement's note"] == ["n"]  # a statement a person adds: the default


# --- the declared tables and the converters -------------------------------------------------------

FIELDS = [f.name for f in dataclasses.fields(Statement)]
PROVENANCE = [f.name for f in dataclasses.fields(Statement) if f.metadata.get("provenance")]


def test_provenance_fields_are_marked_on_the_dataclass() -> None:
    assert PROVENANCE == ["rule", "confidence"]


def test_every_field_is_in_every_table() -> None:
    from utils.statements import TABLES

    for name, table in TABLES.items():
        kept = FIELDS if table.provenance else [f for f in FIELDS if f not in PROVENANCE]
        assert [c for c in table.columns if c in FIELDS] == kept, name
        assert list(table.schema.columns) == table.columns, name


def test_a_field_added_to_a_copy_of_the_dataclass_is_in_every_table() -> None:
    from utils.statements import TABLES, statement_tables, to_frame

    @dataclasses.dataclass(frozen=True)
    class Longer(Statement):
        note: str = "n"
        score: int = 3
        trace: str = dataclasses.field(default="t", metadata={"provenance": True})

    tables = statement_tables(Longer)
    assert tables.keys() == TABLES.keys()
    for name, table in tables.items():
        assert "note" in table.columns and table.dtypes["score"] == "int64", name
        assert ("trace" in table.columns) == table.provenance, name
        assert list(to_frame([], table).columns) == table.columns, name


def test_the_converter_refuses_a_row_that_is_not_the_table() -> None:
    from utils.statements import TABLES, statement_row, to_frame

    statement = Statement("Ana Lopez", "mayor", "direct", "We waited,", 10, 20, "said", "left/name", 0.9)
    row = statement_row(statement, TABLES["statement"], id="a1", reviewed_by="")
    assert list(to_frame([row], TABLES["statement"]).columns) == TABLES["statement"].columns
    with pytest.raises(ValueError, match="reviewed_by"):
        statement_row(statement, TABLES["statement"], id="a1")
    with pytest.raises(ValueError, match="colour"):
        statement_row(statement, TABLES["statement"], id="a1", reviewed_by="", colour="red")
    with pytest.raises(ValueError, match="cue"):
        to_frame([{k: v for k, v in row.items() if k != "cue"}], TABLES["statement"])


def _header(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8-sig").splitlines()[0].split(",")


def test_each_writer_writes_its_declared_columns(data_copy: Path, tmp_path: Path) -> None:
    from utils import annotations as an
    from utils.cli import main
    from utils.corpus import read_corpus
    from utils.statements import TABLES, extract_table

    story = data_copy / "articles" / "bridge.txt"
    story.write_text(STORY, encoding="utf-8")
    assert list(extract_table(STORY).columns) == TABLES["statement"].columns
    assert main(["extract", str(story), "-o", str(tmp_path / "x.csv")]) == 0
    assert _header(tmp_path / "x.csv") == TABLES["extracted"].columns
    assert main(["curate", "bridge"]) == 0
    assert _header(data_copy / "curated" / "bridge.statements.csv") == TABLES["curated"].columns
    store = an.open_store("bridge", "ann")
    an.mark_reviewed(store, "s01")
    store.close()
    assert _header(an.annotation_path("bridge", "ann", "statements")) == TABLES["annotated"].columns
    (tmp_path / "in").mkdir()
    shutil.copy(story, tmp_path / "in" / "bridge.txt")
    assert main(["corpus", str(tmp_path / "in"), "-o", str(tmp_path / "c.parquet"), "--workers", "1"]) == 0
    corpus = read_corpus(tmp_path / "c.parquet")
    assert list(corpus.columns) == TABLES["corpus"].columns
    assert {c: str(t) for c, t in corpus.dtypes.items() if c in ("start", "confidence")} == {
        "start": "int64",
        "confidence": "float64",
    }


def test_the_analysis_table_is_the_declared_one(kursk_analysis) -> None:
    from utils.stance import stance_columns
    from utils.statements import TABLES

    columns = TABLES["analysis"].columns
    topics = stance_columns(kursk_analysis.topics)
    assert list(kursk_analysis.table.columns) == [*columns[:-1], *topics, columns[-1]]


def test_empty_tables_have_their_columns_and_types() -> None:
    from utils.statements import TABLES, extract_table

    frame = extract_table("Nothing here\n\nThe bridge opened on Tuesday.\n")
    assert frame.empty and list(frame.columns) == TABLES["statement"].columns
    assert pd.api.types.is_integer_dtype(frame["start"]) and pd.api.types.is_float_dtype(frame["confidence"])
