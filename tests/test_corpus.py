"""Corpus runs: the same table however it is scheduled, bad articles skipped and reported."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import ROOT, shared_or_skip
from utils.corpus import (
    read_corpus,
    resolve_speaker_keys,
    run_corpus,
    statements_of,
    top_speakers,
    write_dataset,
)
from utils.errors import InputError


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current

NICKNAMED = (
    "Think tanks weigh in\n\n"
    "“Ukraine is running out of time,” said Robert “Bob” Kagan, a senior fellow at the Brookings "
    "Institution.\n\n"
    "“Support must come now,” Bob Kagan added.\n"
)
SURNAME_ONLY = (
    "Another view\n\nKagan said the war would end badly, and “nobody will be spared,” Kagan said.\n"
)


@pytest.fixture(scope="module")
def corpus_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Thirty shared-corpus articles (or the bundled one), two of our own, and two broken files."""
    folder = tmp_path_factory.mktemp("corpus")
    shared = ROOT.parent / "shared" / "corpus"
    sources = (
        sorted(shared.glob("*.txt"))[:30]
        if shared.is_dir()
        else list((ROOT / "data" / "articles").glob("*.txt"))
    )
    for path in sources:
        shutil.copy(path, folder / path.name)
    (folder / "kagan-one.txt").write_text(NICKNAMED, encoding="utf-8")
    (folder / "kagan-two.txt").write_text(SURNAME_ONLY, encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "broken.html").write_bytes(b"\x00\x01PK\x03\x04 not a page")
    return folder


@pytest.fixture(scope="module")
def serial(corpus_folder: Path, tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("serial") / "corpus.parquet"
    return run_corpus(corpus_folder, out, workers=1, progress=False)


def test_broken_files_are_skipped_and_reported(serial, corpus_folder: Path) -> None:
    failed = {Path(f).name: message for f, message in serial.failures}
    assert set(failed) == {"empty.txt", "broken.html"}
    assert "is empty" in failed["empty.txt"] and "binary" in failed["broken.html"]
    assert serial.articles == len(list(corpus_folder.iterdir()))
    assert "2 failed (broken.html: looks like a binary file" in serial.line()
    table = read_corpus(serial.out)
    assert len(table) == serial.statements > 0 and set(table["file"]) >= {"kagan-one.txt", "kagan-two.txt"}


def test_one_person_one_key_across_articles(serial) -> None:
    table = read_corpus(serial.out)
    kagan = table[table["file"].str.startswith("kagan-")]
    assert set(kagan["speaker_key"]) == {"robert kagan"}
    assert len(statements_of(table, "robert kagan")) == len(kagan) >= 4
    assert top_speakers(kagan).loc[0, "articles"] == 2


def test_speaker_key_rules() -> None:
    keys = pd.Series(["robert kagan", "kagan", "bob kagan", "smith", "ann smith", "joe smith", "pentagon"])
    resolved = resolve_speaker_keys(keys, {"bob kagan": "robert kagan"})
    assert resolved.tolist() == [
        "robert kagan",
        "robert kagan",
        "robert kagan",
        "smith",
        "ann smith",
        "joe smith",
        "pentagon",
    ]  # "smith" is ambiguous, so it stays


def test_dask_local_cluster_gives_the_same_table(serial, corpus_folder: Path, tmp_path: Path) -> None:
    cluster = run_corpus(
        corpus_folder, tmp_path / "cluster.parquet", scheduler="local", workers=2, progress=False
    )
    pd.testing.assert_frame_equal(read_corpus(cluster.out), read_corpus(serial.out))
    assert cluster.failures == serial.failures


def test_local_processes_give_the_same_table(serial, corpus_folder: Path, tmp_path: Path) -> None:
    parallel = run_corpus(corpus_folder, tmp_path / "parallel.parquet", workers=2, progress=False)
    pd.testing.assert_frame_equal(read_corpus(parallel.out), read_corpus(serial.out))


def test_duckdb_reads_the_dataset(serial) -> None:
    import duckdb

    count = duckdb.sql(f"select count(*) from read_parquet('{serial.out}/*.parquet')").fetchall()[0][0]
    assert count == serial.statements


def test_rewriting_a_dataset_replaces_it_whole(tmp_path: Path) -> None:
    out = tmp_path / "out.parquet"
    write_dataset(pd.DataFrame({"a": [1, 2]}), out)
    write_dataset(pd.DataFrame({"a": [3]}), out)
    assert read_corpus(out)["a"].tolist() == [3]
    assert out.stat().st_mode & 0o055 == 0o055 & ~_umask()  # readable by others unless the umask says no
    assert [p.name for p in tmp_path.iterdir()] == ["out.parquet"]
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(InputError, match="not a Parquet dataset folder"):
        write_dataset(pd.DataFrame({"a": [1]}), tmp_path / "notes.txt")
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_missing_or_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such folder"):
        run_corpus(tmp_path / "nope", tmp_path / "out.parquet", progress=False)
    with pytest.raises(InputError, match=r"holds no \.txt or \.html articles"):
        run_corpus(tmp_path, tmp_path / "out.parquet", progress=False)


def test_shared_corpus_manifest_fills_outlets(tmp_path: Path) -> None:
    folder = shared_or_skip("corpus")
    sample = tmp_path / "sample"
    sample.mkdir()
    for path in sorted(folder.glob("*.txt"))[:5]:
        shutil.copy(path, sample / path.name)
    shutil.copy(folder / "MANIFEST.csv", sample / "MANIFEST.csv")
    table = read_corpus(run_corpus(sample, tmp_path / "out.parquet", workers=1, progress=False).out)
    assert (table["outlet"] != "").all() and (table["title"] != "").all()


def test_running_dask_cluster_by_address(serial, corpus_folder: Path, tmp_path: Path) -> None:
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster:
        remote = run_corpus(
            corpus_folder, tmp_path / "remote.parquet", scheduler=cluster.scheduler_address, progress=False
        )
    pd.testing.assert_frame_equal(read_corpus(remote.out), read_corpus(serial.out))


def test_unreachable_scheduler_is_a_one_line_error(corpus_folder: Path, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no Dask scheduler answers there"):
        run_corpus(corpus_folder, tmp_path / "x.parquet", scheduler="tcp://127.0.0.1:9", progress=False)


def test_command_line_prints_progress_and_summary(corpus_folder: Path, tmp_path: Path, capsys) -> None:
    from utils.cli import main

    code = main(["corpus", str(corpus_folder), "-o", str(tmp_path / "cli.parquet"), "--workers", "1"])
    err = capsys.readouterr().err
    assert code == 0 and "article/s]" in err  # the progress bar
    summary = err.strip().splitlines()[-1]
    assert summary.startswith(f"corpus: {len(list(corpus_folder.iterdir()))} articles, ")
    assert "2 failed" in summary and str(tmp_path / "cli.parquet") in summary
