"""A coverage as a corpus dataset: dated rows, one id per person, people's decisions and reviewed work.

Each source of a date is tried in its order (manifest, sidecar, page, address, file name); a bad
manifest or decisions table stops the run in one line before any work; people's decisions are
applied on every run and never rewritten by it; articles people reviewed give their curated rows.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import ROOT
from utils.cli import main
from utils.corpus import STANCE_FILE, read_corpus, run_corpus
from utils.errors import InputError, TableError
from utils.people.decisions import Decision, read_decisions, record_decision

STORY = '{title}\n\n"We will count every vote," said {name}, the county clerk.\n\nThe count went on.\n'
PAGE = (
    "<html><head><title>Vote count delayed</title>"
    '<meta property="article:published_time" content="2016-10-05T10:00:00Z">'
    '<meta property="og:site_name" content="The Daily Page"></head><body><article><h1>Vote count delayed</h1>'
    "<p>The count of the votes was delayed again on Monday, officials said, and the result may come late.</p>"
    '<p>"We are doing everything we can to count every vote," said Maria Lopez, the county clerk, at a '
    "briefing in the afternoon.</p><p>Critics said the delay undermined trust in the process and called "
    "for more staff to be hired quickly.</p></article></body></html>"
)


def _write(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(text, encoding="utf-8")


@pytest.fixture
def coverage(tmp_path: Path) -> Path:
    """Six articles, one per source of a date, and one with none."""
    folder = tmp_path / "coverage"
    folder.mkdir()
    for name in ("listed", "sidecar", "address", "2016-10-07-named", "undated"):
        _write(folder, f"{name}.txt", STORY.format(title=name, name="Maria Lopez"))
    _write(folder, "page.html", PAGE)
    _write(folder, "sidecar.json", '{"date": "October 4, 2016", "outlet": "Sidecar News"}')
    _write(
        folder,
        "MANIFEST.csv",
        "file,title,outlet,date,url\n"
        "listed.txt,Listed,The Manifest,2016-10-03,\n"
        "address.txt,,Web,,https://news.example/2016/10/06/story\n",
    )
    return folder


def test_every_row_carries_its_date_from_the_first_source_that_gives_one(coverage: Path, tmp_path) -> None:
    summary = run_corpus(coverage, tmp_path / "out", workers=1, progress=False)
    table = read_corpus(summary.out).drop_duplicates("file").set_index("file")
    expected = {
        "listed.txt": ("2016-10-03", "manifest", "The Manifest"),
        "sidecar.txt": ("2016-10-04", "sidecar", "Sidecar News"),
        "page.html": ("2016-10-05", "page", "The Daily Page"),
        "address.txt": ("2016-10-06", "address", "Web"),
        "2016-10-07-named.txt": ("2016-10-07", "file name", ""),
        "undated.txt": ("", "", ""),
    }
    found = {f: tuple(table.loc[f, ["date", "date_source", "outlet"]]) for f in expected}
    assert found == expected
    assert "(1 without a date)" in summary.line()


def test_a_bad_date_is_a_warning_naming_the_file_and_the_next_source_is_used(
    coverage, tmp_path, capsys
) -> None:
    _write(coverage, "MANIFEST.csv", "file,date\nsidecar.txt,01/02/2016\n")
    summary = run_corpus(coverage, tmp_path / "out", workers=1, progress=True)
    table = read_corpus(summary.out)
    assert set(table.loc[table["file"] == "sidecar.txt", "date"]) == {"2016-10-04"}
    err = capsys.readouterr().err
    assert "MANIFEST.csv: the manifest's date '01/02/2016' could be read two ways" in err
    listed = pd.read_csv(summary.out / "_failures.csv", dtype=str)
    assert listed["what"].tolist() == ["metadata"]


@pytest.mark.parametrize(
    ("manifest", "problem"),
    [
        ("title,date\nX,2016-10-03\n", "missing column(s) file"),
        ("file,date\nlisted.txt,2016-10-03\nlisted.txt,2016-10-04\n", "is a duplicate"),
        ("file,date\nlisted.txt,2016-10-03\nlsted.txt,2016-10-04\n", "lists 'lsted.txt', not an article of"),
        ("file,date\n,2016-10-03\n", "must name an article file"),
    ],
)
def test_a_broken_manifest_stops_the_run_in_one_line(coverage, tmp_path, capsys, manifest, problem) -> None:
    _write(coverage, "MANIFEST.csv", manifest)
    code = main(["corpus", str(coverage), "-o", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2 and problem in err and "MANIFEST.csv" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_people_s_decisions_are_applied_on_every_run_and_never_rewritten(coverage, tmp_path) -> None:
    decisions = coverage / "people.decisions.csv"
    record_decision(decisions, Decision("rename", "p-maria-lopez", "María López (county clerk)", by="ann"))
    record_decision(decisions, Decision("type", "p-maria-lopez", "official", by="ann"))
    before = decisions.read_bytes()
    for run in ("one", "two"):
        table = read_corpus(run_corpus(coverage, tmp_path / run, workers=1, progress=False).out)
        named = table[table["person_id"] != ""]  # "officials said" names nobody
        assert set(named["person"]) == {"María López (county clerk)"} and len(named) == 6
    assert decisions.read_bytes() == before
    assert [d.action for d in read_decisions(decisions)] == ["rename", "type"]


def test_a_broken_decisions_table_stops_the_run_before_any_work(coverage, tmp_path) -> None:
    decisions = coverage / "people.decisions.csv"
    decisions.write_text("action,person_id,value\nfuse,p-maria-lopez,p-x\n", encoding="utf-8")
    with pytest.raises(TableError, match="must be one of: merge"):
        run_corpus(coverage, tmp_path / "out", workers=1, progress=False)
    assert not (tmp_path / "out").exists()
    assert decisions.read_text(encoding="utf-8") == "action,person_id,value\nfuse,p-maria-lopez,p-x\n"


def test_reviewed_work_replaces_the_machine_s_rows(tmp_path) -> None:
    """A corpus over the bundled articles gives the Kursk article's 37 reviewed statements and the
    people's stance labels, not what the extractor would find."""
    folder = tmp_path / "articles"
    shutil.copytree(ROOT / "data" / "articles", folder)
    summary = run_corpus(folder, tmp_path / "out", workers=1, progress=False)
    table = read_corpus(summary.out)
    kursk = table[table["article_id"] == "kursk-2025-01"]
    curated = pd.read_csv(ROOT / "data" / "curated" / "kursk-2025-01.statements.csv", dtype=str)
    assert len(kursk) == 37 == len(curated) and (kursk["reviewed_by"] != "").all()
    assert sorted(kursk["id"]) == sorted(curated["id"])
    assert "(37 reviewed by people)" in summary.line()
    stance = pd.read_parquet(summary.out / STANCE_FILE)
    labels = pd.read_csv(ROOT / "data" / "curated" / "kursk-2025-01.stance.csv", dtype=str)
    topics = pd.read_csv(ROOT / "data" / "curated" / "kursk-2025-01.topics.csv", dtype=str)
    # every labelled statement on each topic: the label people gave, or "not addressed" by them
    assert len(stance) == labels["id"].nunique() * len(topics) and set(stance["source"]) == {"people"}
    given = stance.merge(labels, on=["id", "topic"], suffixes=("", "_given"))
    assert len(given) == len(labels) and (given["label"] == given["label_given"]).all()
    assert (
        set(stance["label"]) - set(labels["label"]) <= {"not addressed"}
        and (stance["proposition"] != "").all()
    )


def test_each_row_keeps_the_paragraph_it_stands_in(coverage, tmp_path) -> None:
    table = read_corpus(run_corpus(coverage, tmp_path / "out", workers=1, progress=False).out)
    quotes = table[table["kind"] == "direct"]  # a paraphrase may join pieces, so only quotes are verbatim
    assert len(quotes) == 6
    assert all(text in context for text, context in zip(quotes["text"], quotes["context"], strict=True))


def test_a_corpus_dataset_is_not_read_with_its_side_tables(tmp_path) -> None:
    """pandas, pyarrow and DuckDB read the statements; ``_stance.parquet`` and ``_failures.csv`` are apart."""
    folder = tmp_path / "articles"
    shutil.copytree(ROOT / "data" / "articles", folder)
    out = run_corpus(folder, tmp_path / "out", workers=1, progress=False).out
    assert (out / STANCE_FILE).is_file() and len(read_corpus(out)) == 37
    from utils.people.registry import build_registry

    assert build_registry(out)["statements"].sum() <= 37


def test_an_unknown_person_is_one_line(tmp_path) -> None:
    folder = tmp_path / "articles"
    shutil.copytree(ROOT / "data" / "articles", folder)
    out = run_corpus(folder, tmp_path / "out", workers=1, progress=False).out
    from utils.people.registry import find_person

    with pytest.raises(InputError, match="nobody called 'Nobody Here'"):
        find_person(out, "Nobody Here")


# --- the people and dossier commands ------------------------------------------------------------


@pytest.fixture
def dataset(coverage: Path, tmp_path: Path) -> Path:
    _write(coverage, "other.txt", STORY.format(title="other", name="Mario Lopez"))
    return run_corpus(coverage, tmp_path / "ds", workers=1, progress=False).out


def test_people_lists_the_registry_and_writes_it(dataset, tmp_path, capsys) -> None:
    assert main(["people", str(dataset)]) == 0
    out = capsys.readouterr().out
    assert "Maria Lopez  (p-maria-lopez; official: clerk" in out
    assert main(["people", str(dataset), "-o", str(tmp_path / "people.xlsx")]) == 0
    assert (tmp_path / "people.xlsx").is_file()
    assert main(["people", str(dataset), "-o", str(tmp_path / "people.txt")]) == 2


def test_a_decision_is_recorded_applied_at_once_and_kept_by_the_next_run(dataset, coverage, tmp_path, capsys):
    assert main(["people", str(dataset), "--merge", "p-maria-lopez", "p-mario-lopez"]) == 0
    assert "applied to" in capsys.readouterr().err
    assert set(read_corpus(dataset)["person_id"]) - {""} == {"p-maria-lopez"}
    assert [d.action for d in read_decisions(coverage / "people.decisions.csv")] == ["merge"]
    again = read_corpus(run_corpus(coverage, tmp_path / "again", workers=1, progress=False).out)
    assert set(again["person_id"]) - {""} == {"p-maria-lopez"}
    assert main(["people", str(dataset), "--type", "p-maria-lopez", "official"]) == 0
    assert list((coverage / ".people-history").glob("*.csv"))  # the previous table kept


@pytest.mark.parametrize(
    ("argv", "problem"),
    [
        (["--type", "p-maria-lopez", "wizard"], "'wizard' is not a source type"),
        (["--merge", "p-maria-lopez", "p-maria-lopez"], "merges p-maria-lopez with itself"),
        (["--rename", "Maria", "X"], "must be a person id"),
    ],
)
def test_a_bad_decision_is_refused_and_nothing_changes(dataset, coverage, capsys, argv, problem) -> None:
    before = read_corpus(dataset)
    assert main(["people", str(dataset), *argv]) == 2
    assert problem in capsys.readouterr().err
    pd.testing.assert_frame_equal(read_corpus(dataset), before)
    assert not (coverage / "people.decisions.csv").exists()


def test_a_dossier_names_one_person_or_lists_the_candidates(dataset, tmp_path, capsys) -> None:
    assert main(["dossier", str(dataset), "Maria Lopez", "-o", str(tmp_path / "d")]) == 0
    assert (tmp_path / "d" / "p-maria-lopez.html").is_file()
    assert main(["people", str(dataset), "--rename", "p-mario-lopez", "Maria Lopez"]) == 0
    capsys.readouterr()
    assert main(["dossier", str(dataset), "Maria Lopez", "-o", str(tmp_path / "d")]) == 2
    err = capsys.readouterr().err
    assert "'Maria Lopez' is more than one person" in err and "p-mario-lopez (" in err
    assert main(["dossier", str(dataset), "Nobody Here", "-o", str(tmp_path / "d")]) == 2


def test_decisions_need_a_dataset_this_tool_wrote(dataset, tmp_path, capsys) -> None:
    single = tmp_path / "one.parquet"
    read_corpus(dataset).to_parquet(single)
    assert (
        main(
            [
                "people",
                str(single),
                "--decisions",
                str(tmp_path / "d.csv"),
                "--type",
                "p-maria-lopez",
                "expert",
            ]
        )
        == 2
    )
    assert "is not a corpus dataset this tool wrote" in capsys.readouterr().err
