"""The command line with good and bad input: one-line errors, exit code 2, curated work untouched."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import KURSK, ROOT
from utils.cli import main

KURSK_TXT = ROOT / "data" / "articles" / f"{KURSK}.txt"

STORY = (
    "Bridge vote\n\n“We waited long enough,” Mayor Ana Lopez said on Tuesday. "
    "Critics said the cost was too high.\n"
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(err: str, *fragments: str) -> None:
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("opinions: error: "), err
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])


def test_extract_csv_and_json(capsys, tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text(STORY, encoding="utf-8")
    code, out, _ = run(capsys, "extract", str(path))
    rows = list(csv.DictReader(out.splitlines()))
    columns = ["speaker", "affiliation", "kind", "text", "start", "end", "cue", "rule", "confidence"]
    assert code == 0 and list(rows[0]) == columns
    quote = next(r for r in rows if r["kind"] == "direct")
    assert quote["speaker"] == "Ana Lopez" and STORY[int(quote["start"]) : int(quote["end"])] == quote["text"]
    assert "/" in quote["rule"] and 0 <= float(quote["confidence"]) <= 1
    code, out, _ = run(capsys, "extract", str(path), "--format", "json")
    first = json.loads(out)[0]
    assert code == 0 and first["speaker"] == "Ana Lopez" and isinstance(first["confidence"], float)


@pytest.mark.parametrize(
    ("content", "fragment"),
    [(b"", "is empty"), (b"\x00\x01\x02binary\x00", "looks like a binary file")],
)
def test_extract_unusable_files(capsys, tmp_path: Path, content: bytes, fragment: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    code, _, err = run(capsys, "extract", str(path))
    assert code == 2
    assert_one_line_error(err, str(path), fragment)


def test_extract_missing_file_and_folder(capsys, tmp_path: Path) -> None:
    code, _, err = run(capsys, "extract", str(tmp_path / "missing.txt"))
    assert code == 2
    assert_one_line_error(err, "missing.txt", "no such file")
    code, _, err = run(capsys, "extract", str(tmp_path))
    assert code == 2
    assert_one_line_error(err, "is a folder")


def test_fallback_encoding_and_html_as_text_are_read_with_a_warning(capsys, tmp_path: Path) -> None:
    path = tmp_path / "cp1252.txt"
    path.write_bytes(STORY.encode("cp1252"))
    code, out, err = run(capsys, "extract", str(path))
    assert code == 0 and "Ana Lopez" in out
    assert err.count("\n") == 1 and "warning" in err and "cp1252" in err
    page = tmp_path / "page.txt"
    body = "".join(f"<p>{p}</p>" for p in STORY.split("\n\n")[1:]) + "<p>" + "More words here. " * 10 + "</p>"
    page.write_text(f"<!DOCTYPE html><html><body><article>{body}</article></body></html>", encoding="utf-8")
    code, out, err = run(capsys, "extract", str(page))
    assert code == 0 and "Ana Lopez" in out and "HTML" in err and "Traceback" not in err


@pytest.mark.parametrize(
    "text",
    [
        "Quiet day\n\nNothing happened in the town today.\n",
        "Odd marks\n\n“Unclosed quote, said Bob. And “another” one ” with ” strays “ everywhere\n",
        'Odd marks\n\n"Straight and unbalanced, he said. \' single \' " "\n',
    ],
)
def test_extract_never_fails_on_odd_text(capsys, tmp_path: Path, text: str) -> None:
    path = tmp_path / "odd.txt"
    path.write_text(text, encoding="utf-8")
    code, out, err = run(capsys, "extract", str(path))
    assert code == 0 and err == "" and out.startswith("speaker,affiliation,kind,text,start,end,cue")


def test_extract_a_five_megabyte_article(capsys, tmp_path: Path) -> None:
    body = (ROOT / "data" / "articles" / f"{KURSK}.txt").read_text(encoding="utf-8").split("\n", 1)[1]
    path = tmp_path / "long.txt"
    path.write_text("A very long article\n" + body * (5_000_000 // len(body)), encoding="utf-8")
    code, out, _ = run(capsys, "extract", str(path), "-o", str(tmp_path / "out.csv"))
    assert code == 0 and out == ""
    assert (tmp_path / "out.csv").stat().st_size > 1_000_000


def _corrupt(data: Path, table: str, transform) -> Path:
    path = data / "curated" / f"{KURSK}.{table}.csv"
    path.write_text(transform(path.read_text(encoding="utf-8")), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("table", "transform", "fragment"),
    [
        ("statements", lambda t: t.replace(",cue,", ",", 1), "missing column(s) cue"),
        ("statements", lambda t: t.replace(",direct,", ",quote,", 1), "column kind: 'quote'"),
        (
            "statements",
            lambda t: t.replace("s02,", "s01,", 1),
            "row 3 (id s01), column id: 's01' is a duplicate",
        ),
        ("statements", lambda t: t.replace(",1002,1069,", ",1002,99999,", 1), "lie outside the article"),
        ("statements", lambda t: t.replace(",1002,1069,", ",1003,1070,", 1), "does not match the article"),
        ("statements", lambda t: t.replace(",", ";"), "uses semicolons between columns"),
        ("stance", lambda t: t.replace(",favor,", ",support,", 1), "column label: 'support'"),
        ("topics", lambda t: t + '"unclosed,topic\n', "is not valid CSV"),
        ("topics", lambda t: "topic proposition\n", "missing column(s) topic, proposition"),
    ],
)
def test_bad_curated_tables(capsys, data_copy: Path, table: str, transform, fragment: str) -> None:
    path = _corrupt(data_copy, table, transform)
    code, out, err = run(capsys, "table", KURSK)
    assert code == 2 and out == ""
    assert_one_line_error(err, str(path), fragment)


def test_table_writes_the_analysis(capsys, tmp_path: Path) -> None:
    out_file = tmp_path / "kursk.csv"
    code, _, err = run(capsys, "table", KURSK, "-o", str(out_file))
    rows = list(csv.DictReader(out_file.read_text(encoding="utf-8").splitlines()))
    assert code == 0 and len(rows) == 37 and "stance_war_outlook" in rows[0]
    assert err.strip() == f"wrote {out_file}"


def test_curate_refuses_to_overwrite(capsys, data_copy: Path) -> None:
    statements = data_copy / "curated" / f"{KURSK}.statements.csv"
    before = statements.read_bytes()
    code, _, err = run(capsys, "curate", KURSK)
    assert code == 2 and statements.read_bytes() == before
    assert_one_line_error(err, str(statements), "already exists")


def test_unknown_article_and_bad_arguments(capsys) -> None:
    code, _, err = run(capsys, "table", "no-such-article")
    assert code == 2
    assert_one_line_error(err, "no-such-article", KURSK)
    for argv in (["extract"], ["frobnicate"], ["extract", "x.txt", "--format", "xml"]):
        with pytest.raises(SystemExit) as info:
            main(argv)
        err = capsys.readouterr().err
        assert info.value.code == 2 and len(err.splitlines()) == 1 and "--help)" in err


def test_evaluate_reports_per_article_and_micro(capsys, tmp_path: Path) -> None:
    gold = tmp_path / "bridge.gold.csv"
    gold.write_text(
        'speaker,affiliation,kind,text\nAna Lopez,mayor,direct,"We waited long enough,"\n', encoding="utf-8"
    )
    (tmp_path / "bridge.txt").write_text(STORY, encoding="utf-8")
    code, out, _ = run(capsys, "evaluate", str(tmp_path))
    assert code == 0 and "bridge" in out and "MICRO" in out
    gold.write_text("speaker,kind\nAna Lopez,direct\n", encoding="utf-8")
    code, _, err = run(capsys, "evaluate", str(gold), str(gold))
    assert code == 2
    assert_one_line_error(err, "missing column(s) text")


def test_real_process_prints_no_traceback(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "utils.cli", "extract", str(tmp_path / "nope.txt")],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_report_never_overwrites_its_own_article(capsys, tmp_path: Path) -> None:
    page = tmp_path / "story.html"
    body = "<p>“We waited long enough for this,” Mayor Ana Lopez said on Tuesday evening in town.</p>" * 3
    page.write_text(f"<html><body><article>{body}</article></body></html>", encoding="utf-8")
    before = page.read_bytes()
    code, _, err = run(capsys, "report", str(page), "-o", str(tmp_path))
    assert code == 2 and page.read_bytes() == before
    assert_one_line_error(err, "is an input of this command")


def test_outputs_never_replace_inputs_or_curated_tables(capsys, data_copy: Path, tmp_path: Path) -> None:
    curated = data_copy / "curated" / f"{KURSK}.statements.csv"
    before = curated.read_bytes()
    article = data_copy / "articles" / f"{KURSK}.txt"
    for argv in (
        ["extract", str(article), "-o", str(curated)],
        ["table", KURSK, "-o", str(curated)],
        ["extract", str(article), "-o", str(article)],
    ):
        code, _, err = run(capsys, *argv)
        assert code == 2 and err.count("\n") == 1
        assert "would overwrite it" in err or "the program never writes there" in err
    assert curated.read_bytes() == before and article.read_text(encoding="utf-8").startswith("Ukraine")


HOSTILE = "Odd figures\n\n“-5 percent is what we expect,” said Ana Lopez, a bank economist.\n"


def test_csv_cells_are_safe_for_spreadsheets_unless_raw(capsys, tmp_path: Path) -> None:
    path = tmp_path / "odd.txt"
    path.write_text(HOSTILE, encoding="utf-8")
    code, out, _ = run(capsys, "extract", str(path))
    rows = list(csv.DictReader(out.splitlines()))
    assert code == 0 and rows[0]["text"] == "'-5 percent is what we expect,"
    assert int(rows[0]["start"]) == HOSTILE.index("-5")  # numbers are numbers, never quoted
    code, out, _ = run(capsys, "extract", str(path), "--raw-csv")
    assert code == 0 and next(csv.DictReader(out.splitlines()))["text"] == "-5 percent is what we expect,"
    code, out, _ = run(capsys, "table", str(path))
    table = list(csv.DictReader(out.splitlines()))
    assert table[0]["text"].startswith("'-5 percent") and float(table[0]["tb_polarity"]) <= 1
    assert not any(cell.startswith(("=", "+", "@")) for row in table for cell in row.values() if cell)


def test_outputs_are_checked_before_the_inputs_are_even_read(capsys, data_copy: Path) -> None:
    """A wrong -o costs nothing: the error is about it, although the curated table is broken too."""
    statements = data_copy / "curated" / f"{KURSK}.statements.csv"
    statements.write_text("not,a,table\n1,2\n", encoding="utf-8")
    code, _, err = run(capsys, "table", KURSK, "-o", str(data_copy / "curated" / "x.csv"))
    assert code == 2
    assert_one_line_error(err, "the program never writes there")


def test_evaluate_writes_its_figures_where_allowed(capsys, tmp_path: Path) -> None:
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "bridge.gold.csv").write_text(
        'speaker,affiliation,kind,text\nAna Lopez,mayor,direct,"We waited long enough,"\n', encoding="utf-8"
    )
    (gold / "bridge.txt").write_text(STORY, encoding="utf-8")
    out = tmp_path / "figures" / "scores.json"
    code, stdout, _ = run(capsys, "evaluate", str(gold), "--json", str(out))
    assert code == 0 and "MICRO" in stdout and json.loads(out.read_text())["micro"]["n_gold"] == 1.0


def test_version(capsys) -> None:
    from utils import __version__

    with pytest.raises(SystemExit) as stopped:
        main(["--version"])
    assert stopped.value.code == 0 and capsys.readouterr().out.strip() == f"opinions {__version__}"


@pytest.mark.parametrize(
    ("typed", "hint"),
    [
        ("reprot", "did you mean report?"),
        ("stance-chek", "did you mean stance-check?"),
        ("agrement", "did you mean agreement?"),
        ("zzz", None),
    ],
)
def test_a_mistyped_command_gets_a_suggestion(capsys, typed: str, hint: str | None) -> None:
    with pytest.raises(SystemExit) as stopped:
        main([typed])
    err = capsys.readouterr().err
    assert stopped.value.code == 2 and len(err.splitlines()) == 1
    assert (hint in err) if hint else ("did you mean" not in err)


@pytest.mark.parametrize("command", ["review", "accept", "agreement", "stance-check"])
def test_review_commands_are_registered(command: str) -> None:
    from utils.cli import build_parser

    assert f"    {command}" in build_parser().format_help()


def test_starting_the_command_line_loads_no_heavy_library() -> None:
    # The review commands' bodies need scikit-learn and nbformat; they load only when such a command runs.
    probe = "import sys; from utils.cli import build_parser; build_parser(); "
    probe += "print(sorted(m for m in ('sklearn', 'nbformat', 'pandas') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("argv", "bom"),
    [
        (["table", KURSK, "-o", "{t}/out.csv"], True),  # a file a spreadsheet opens: UTF-8 marked
        (["table", KURSK, "-o", "{t}/out.csv", "--raw-csv"], False),  # raw: exactly the cells, no mark
        (["extract", "{story}", "-o", "{t}/out.csv"], True),
        (["extract", "{story}", "-o", "{t}/out.json", "--format", "json"], False),  # JSON never has one
    ],
)
def test_csv_files_carry_the_utf8_mark_spreadsheets_need(capsys, tmp_path: Path, argv, bom: bool) -> None:
    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    argv = [a.format(t=tmp_path, story=story) for a in argv]
    assert main(argv) == 0
    data = Path(argv[argv.index("-o") + 1]).read_bytes()
    assert data.startswith("\ufeff".encode()) == bom


def test_table_as_a_workbook_with_a_sheet_per_topic(capsys, tmp_path: Path, data_copy: Path) -> None:
    from openpyxl import load_workbook

    path = data_copy / "curated" / f"{KURSK}.statements.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("Ukrainian President", "=HYPERLINK(1)", 1), encoding="utf-8"
    )
    out = tmp_path / "kursk.xlsx"
    assert main(["table", KURSK, "-o", str(out)]) == 0
    book = load_workbook(out)
    topics = pd.read_csv(data_copy / "curated" / f"{KURSK}.topics.csv")
    assert book.sheetnames[0] == "statements" and len(book.sheetnames) == 1 + len(topics)
    assert all(len(name) <= 31 for name in book.sheetnames)
    assert book["statements"].max_row == 38  # header + the 37 statements
    cells = [c for row in book["statements"].iter_rows() for c in row if isinstance(c.value, str)]
    assert all(c.data_type == "s" for c in cells)  # text, never a formula
    assert "=HYPERLINK(1)" in [c.value for c in cells]


@pytest.mark.parametrize(
    ("name", "taken", "expected"),
    [
        ("statements", [], "statements"),
        ("Is [this]: a/b? *yes*", [], "Is this a b yes"),
        ("A proposition far longer than Excel allows for a sheet", [], "A proposition far longer than E"),
        ("Same", ["same"], "Same (2)"),
        ("", [], "sheet"),
        ("statements", ["statements"], "statements (2)"),
        ("History", [], "History (2)"),  # Excel keeps the name for itself
        ("history", ["History (2)"], "history (3)"),
        ("'Quoted'", [], "Quoted"),  # a name may not start or end with an apostrophe
        ("It ends in a quote'", [], "It ends in a quote"),
        ("a" * 30 + "'b", [], "a" * 30),  # cut at 31 characters, it would end in one
        ("a" * 29 + "'b", ["a" * 29 + "'b"], "a" * 27 + " (2)"),
        ("x\x1by\x00z", [], "x y z"),
        ("'''", [], "sheet"),
    ],
)
def test_sheet_names_excel_accepts(name: str, taken: list[str], expected: str) -> None:
    from utils.spreadsheet import sheet_name

    assert sheet_name(name, taken) == expected


def _read_back(path: Path) -> pd.DataFrame:
    """A table file as the program wrote it, read with the library a person would use."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    if suffix == ".json":
        return pd.DataFrame(json.loads(path.read_text(encoding="utf-8")))
    if suffix == ".xlsx":
        return pd.read_excel(path, sheet_name=0, dtype=str, keep_default_na=False)
    return pd.read_parquet(path)


# What each format's file starts with: a file named .parquet must hold Parquet, not CSV text.
MAGIC = {".csv": "\ufeff".encode(), ".json": b"[", ".parquet": b"PAR1", ".xlsx": b"PK\x03\x04"}


@pytest.mark.parametrize("suffix", list(MAGIC))
@pytest.mark.parametrize("command", ["extract", "table"])
def test_the_output_suffix_picks_the_format(capsys, tmp_path: Path, data_copy: Path, command, suffix) -> None:
    from utils.statements import ANALYSIS, EXTRACTED

    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    source = str(story) if command == "extract" else KURSK
    out = tmp_path / f"out{suffix.upper() if suffix == '.csv' else suffix}"  # the suffix in any case
    assert run(capsys, command, source, "-o", str(out))[0] == 0
    assert out.read_bytes().startswith(MAGIC[suffix])
    table = _read_back(out)
    declared = EXTRACTED.columns if command == "extract" else ANALYSIS.columns
    assert set(declared) <= set(table.columns)
    _, printed, _ = run(capsys, command, source, "--format", "json")
    assert len(table) == len(json.loads(printed)) > 0
    assert table["text"].astype(str).tolist() == [row["text"] for row in json.loads(printed)]


def test_parquet_keeps_the_column_types(capsys, tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    assert run(capsys, "extract", str(story), "-o", str(tmp_path / "x.parquet"))[0] == 0
    table = pd.read_parquet(tmp_path / "x.parquet")
    assert str(table["start"].dtype) == "int64" and str(table["confidence"].dtype) == "float64"


def test_table_prints_json_on_standard_output(capsys, data_copy: Path) -> None:
    code, out, _ = run(capsys, "table", KURSK, "--format", "json")
    rows = json.loads(out)
    assert code == 0 and len(rows) == 37 and rows[0]["id"] == "s01" and "stance_source" in rows[0]


def test_standard_output_formats_are_the_writers() -> None:
    from utils.cli import STDOUT_FORMATS
    from utils.spreadsheet import FORMATS
    from utils.spreadsheet import STDOUT_FORMATS as WRITTEN

    assert STDOUT_FORMATS == WRITTEN and set(WRITTEN) <= set(FORMATS.values())


def test_a_workbook_keeps_every_topic_and_every_character(capsys, tmp_path: Path, data_copy: Path) -> None:
    """Topics named alike, or like the statements sheet, or like Excel's reserved sheet, each keep a sheet;
    a control character in a cell is shown as its picture, never an internal error."""
    from openpyxl import load_workbook

    propositions = ["statements", "Same", "Same", "History", "It ends in a quote'"]
    ids = ["kursk_value", "hold_kursk", "kursk_leverage", "war_outlook", "extra"]
    topics = pd.DataFrame({"topic": ids, "proposition": propositions, "keywords": ""})
    topics.to_csv(data_copy / "curated" / f"{KURSK}.topics.csv", index=False)
    curated = data_copy / "curated" / f"{KURSK}.statements.csv"
    curated.write_text(
        curated.read_text(encoding="utf-8").replace("Ukrainian President", "Ukrainian\x1b President", 1),
        encoding="utf-8",
    )
    out = tmp_path / "kursk.xlsx"
    assert run(capsys, "table", KURSK, "-o", str(out))[0] == 0
    book = load_workbook(out)
    names = book.sheetnames
    assert len(names) == 1 + len(propositions) and len({n.lower() for n in names}) == len(names)
    assert "history" not in {n.lower() for n in names} and not any(n.endswith("'") for n in names)
    assert all(book[name].max_row == 38 for name in names)  # header + 37 statements on every sheet
    cells = [c.value for row in book["statements"].iter_rows() for c in row if isinstance(c.value, str)]
    assert "Ukrainian\u241b President" in cells


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("a\x1bb", "a\u241bb"),
        ("\x00\x08\x0b\x0c\x1f", "\u2400\u2408\u240b\u240c\u241f"),
        ("tab\tnew\nline\r", "tab\tnew\nline\r"),  # a workbook holds these
        ("\ufffe and \uffff", "\ufffd and \ufffd"),  # not characters at all (pandas refuses surrogates)
        ("x" * 40_000, "x" * 32_766 + "…"),
    ],
)
def test_workbook_cells_hold_what_a_workbook_can(tmp_path: Path, text: str, shown: str) -> None:
    from openpyxl import load_workbook

    from utils.spreadsheet import write_table

    write_table(tmp_path / "x.xlsx", pd.DataFrame({"text": [text], "=col": ["=1+1"]}))
    sheet = load_workbook(tmp_path / "x.xlsx")["statements"]
    assert sheet["A2"].value == shown and sheet["B2"].value == "=1+1" and sheet["B2"].data_type == "s"


def test_extracting_one_article_needs_neither_pandas_nor_pandera(tmp_path) -> None:
    """``opinions extract`` of one article starts fast: CSV and JSON come from plain rows."""
    import subprocess
    import sys

    code = (
        "import sys, io, contextlib\n"
        "from utils.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert main(['extract', {str(KURSK_TXT)!r}, '--format', 'json']) == 0\n"
        f"    assert main(['extract', {str(KURSK_TXT)!r}, '-o', {str(tmp_path / 'x.csv')!r}]) == 0\n"
        "print(sorted(m for m in ('pandas', 'pandera', 'sklearn') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize(("fmt", "raw"), [("csv", False), ("csv", True), ("json", False)])
def test_plain_rows_and_the_table_write_the_same_bytes(fmt: str, raw: bool) -> None:
    from utils.articles import load_article
    from utils.quotes import Statement, extract_statements
    from utils.spreadsheet import Rows, rows_text, table_text
    from utils.statements import EXTRACTED, statements_frame

    found = extract_statements(load_article(KURSK_TXT).text)
    frame = statements_frame(found)[EXTRACTED.columns]
    assert rows_text(Rows.of(Statement, found), fmt, raw) == table_text(frame, fmt, raw)
