"""Corpus runs: the same table however it is scheduled, bad articles skipped and reported."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import ROOT, shared_or_skip
from utils.corpus import read_corpus, run_corpus, write_dataset
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


def test_one_person_one_id_across_articles(serial) -> None:
    """Robert Kagan, written "Robert “Bob” Kagan" and "Bob Kagan", is one person with one id in
    our article and in any other of the folder that names him in full (the bundled Kursk article
    does, when ../shared is absent); the bare "Kagan" of an article that never names him in full
    keeps an id of its own: a surname alone is never joined across articles."""
    table = read_corpus(serial.out)
    one = table[table["file"] == "kagan-one.txt"]
    assert set(one["person_id"]) == {"p-robert-kagan"} and set(one["person"]) == {"Robert Kagan"}
    named = table[table["speaker"].str.contains(r"\w+ Kagan\b")]
    assert set(named["person_id"]) == {"p-robert-kagan"}
    two = table[table["file"] == "kagan-two.txt"]
    assert len(set(two["person_id"])) == 1 and "p-robert-kagan" not in set(two["person_id"])
    assert set(two["person_id"]).pop().startswith("p-kagan-")


def test_every_corpus_row_says_why_and_how_sure(serial) -> None:
    table = read_corpus(serial.out)
    kagan = table[table["file"] == "kagan-one.txt"].reset_index(drop=True)
    # "said Robert “Bob” Kagan", then "Bob Kagan added"
    assert list(kagan["rule"]) == ["right/name", "left/alias"]
    # a machine's row names its rule; a row people curated may have none (data/README.md)
    machine = table["rule"].str.fullmatch(r"[a-z-]+/[a-z-]+")
    curated = (table["rule"] == "") & (table["reviewed_by"] != "")
    assert (machine | curated).all()
    assert table["confidence"].between(0, 1).all() and table["confidence"].dtype == "float64"


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

    count = duckdb.sql(f"select count(*) from read_parquet('{serial.out}/part-*.parquet')").fetchall()[0][0]
    assert count == serial.statements


def test_rewriting_a_dataset_replaces_it_whole(tmp_path: Path) -> None:
    out = tmp_path / "out.parquet"
    write_dataset(pd.DataFrame({"a": [1, 2]}), out)
    write_dataset(pd.DataFrame({"a": [3]}), out)
    assert read_corpus(out)["a"].tolist() == [3]
    assert out.stat().st_mode & 0o055 == 0o055 & ~_umask()  # readable by others unless the umask says no
    assert [p.name for p in tmp_path.iterdir() if not p.name.endswith(".retired")] == ["out.parquet"]
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(InputError, match="is a file, not a Parquet dataset folder"):
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
    chosen = sorted(folder.glob("*.txt"))[:5]
    for path in chosen:
        shutil.copy(path, sample / path.name)
    manifest = pd.read_csv(folder / "MANIFEST.csv", dtype=str, keep_default_na=False)
    manifest[manifest["file"].isin([p.name for p in chosen])].to_csv(sample / "MANIFEST.csv", index=False)
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
    assert summary.startswith(f"corpus: {len(list(corpus_folder.iterdir()))} articles (")
    assert "2 failed" in summary and str(tmp_path / "cli.parquet") in summary


def _small_folder(folder: Path, good: int = 1) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(good):
        (folder / f"good-{i}.txt").write_text(NICKNAMED, encoding="utf-8")
    return folder


def test_entries_that_are_no_regular_files_are_named_failures(tmp_path: Path) -> None:
    folder = _small_folder(tmp_path / "in")
    os.mkfifo(folder / "pipe.txt")
    (folder / "loop.txt").symlink_to("loop.txt")
    (folder / "dangling.html").symlink_to("nowhere.html")
    summary = run_corpus(folder, tmp_path / "out.parquet", workers=1, progress=False)
    failed = {Path(f).name: m for f, m in summary.failures}
    assert set(failed) == {"pipe.txt", "loop.txt", "dangling.html"} and summary.articles == 4
    assert "not a regular file" in failed["pipe.txt"] and "link to nothing" in failed["dangling.html"]
    assert all(name in summary.line() for name in failed)
    listed = pd.read_csv(summary.out / "_failures.csv")
    assert sorted(listed["file"].map(lambda f: Path(f).name)) == sorted(failed)


def test_many_failures_are_all_in_the_failures_file(tmp_path: Path) -> None:
    folder = _small_folder(tmp_path / "in")
    for i in range(12):
        (folder / f"empty-{i:02d}.txt").write_text("", encoding="utf-8")
    summary = run_corpus(folder, tmp_path / "out.parquet", workers=1, progress=False)
    line = summary.line()
    assert "12 failed (empty-00.txt: is empty" in line and "empty-11.txt" not in line
    assert f"all 12 in {summary.out / '_failures.csv'}" in line
    listed = pd.read_csv(summary.out / "_failures.csv")
    assert len(listed) == 12 and set(listed["what"]) == {"article"}
    assert read_corpus(summary.out)["file"].unique().tolist() == ["good-0.txt"]  # failures are not data


def test_up_to_ten_failures_are_all_named_on_the_line(tmp_path: Path) -> None:
    folder = _small_folder(tmp_path / "in")
    for i in range(10):
        (folder / f"empty-{i}.txt").write_text("", encoding="utf-8")
    line = run_corpus(folder, tmp_path / "out.parquet", workers=1, progress=False).line()
    assert all(f"empty-{i}.txt: is empty" in line for i in range(10)) and "_failures.csv" not in line


def test_a_paragraph_the_extractor_fails_on_is_recorded_and_the_rest_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from utils import corpus_rows, quotes

    def failing_first_paragraph(text: str) -> quotes.Extraction:
        found = quotes.extract(text)
        start = text.index("\n\n") + 2
        end = text.index("\n", start)
        return quotes.Extraction(found.statements, [quotes.ParagraphFailure(start, end, "IndexError: boom")])

    monkeypatch.setattr(corpus_rows, "extract", failing_first_paragraph)
    folder = _small_folder(tmp_path / "in")
    summary = run_corpus(folder, tmp_path / "out.parquet", workers=1, progress=False)
    assert summary.failures == [] and summary.statements > 0
    assert len(summary.skipped) == 1 and "IndexError: boom" in summary.skipped[0][1]
    assert "0 failed, 1 paragraphs skipped (good-0.txt: paragraph at characters" in summary.line()
    listed = pd.read_csv(summary.out / "_failures.csv")
    assert listed["what"].tolist() == ["paragraph"]


@pytest.mark.parametrize(
    ("scheduler", "workers", "fragment"),
    [
        (None, 0, "--workers 0: must be between 1 and"),
        (None, -3, "must be between 1 and"),
        (None, 4 * (os.cpu_count() or 1) + 1, "must be between 1 and"),
        ("local", 0, "must be between 1 and"),
        ("foo", 1, "--scheduler foo: is not a Dask scheduler address"),
        ("127.0.0.1:8786", 1, "is not a Dask scheduler address"),
        ("http://127.0.0.1:8786", 1, "is not a Dask scheduler address"),
        ("tcp://127.0.0.1:99999", 1, "is not a Dask scheduler address"),
        ("tcp://127.0.0.1", 1, "is not a Dask scheduler address"),
    ],
)
def test_run_arguments_are_checked_before_anything_runs(
    tmp_path: Path, scheduler: str | None, workers: int, fragment: str
) -> None:
    folder = _small_folder(tmp_path / "in")
    with pytest.raises(InputError) as info:
        run_corpus(folder, tmp_path / "out.parquet", scheduler=scheduler, workers=workers, progress=False)
    assert fragment in info.value.message and not (tmp_path / "out.parquet").exists()


def test_a_cluster_address_is_not_bound_by_the_local_worker_limit(tmp_path: Path) -> None:
    from utils.corpus import check_run_arguments

    check_run_arguments("tcp://10.0.0.5:8786", 1000)  # the cluster decides how many workers it has


def test_a_server_that_is_not_dask_is_refused_quickly(tmp_path: Path) -> None:
    import http.server
    import threading
    import time

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    started = time.perf_counter()
    try:
        with pytest.raises(InputError, match=r"no Dask scheduler answers there|is not a Dask scheduler"):
            run_corpus(
                _small_folder(tmp_path / "in"),
                tmp_path / "out.parquet",
                scheduler=f"tcp://127.0.0.1:{server.server_address[1]}",
                progress=False,
            )
    finally:
        server.shutdown()
    assert time.perf_counter() - started < 20  # Dask's own client waits far longer on such a server


@pytest.mark.parametrize("signal_name", ["SIGINT", "SIGTERM"])
def test_killing_a_run_leaves_no_worker_behind(tmp_path: Path, signal_name: str) -> None:
    """Sixty long articles on two worker processes, stopped after a few seconds."""
    import signal
    import time

    import psutil

    folder, out = _long_articles(tmp_path)
    run = _corpus_run(folder, out)
    parent = psutil.Process(run.pid)
    deadline = time.monotonic() + 60
    workers: list[psutil.Process] = []
    while time.monotonic() < deadline and len(workers) < 2 and run.poll() is None:
        workers = parent.children(recursive=True)
        time.sleep(0.1)
    time.sleep(1.5)  # the workers are extracting by now
    workers = parent.children(recursive=True)
    assert len(workers) >= 2 and run.poll() is None, "the run ended before it could be killed"
    run.send_signal(getattr(signal, signal_name))
    sent = time.monotonic()
    err = run.communicate(timeout=60)[1]
    stopped = time.monotonic() - sent
    # Left alone, workers finish their batch (about 20 s here) and Ctrl-C waits for them.
    _, alive = psutil.wait_procs(workers, timeout=3)
    assert alive == [] and stopped < 5, (alive, stopped)
    assert run.returncode == {"SIGINT": 130, "SIGTERM": 143}[signal_name]
    assert (
        err.strip()
        .splitlines()[-1]
        .startswith(f"opinions: {'interrupted' if signal_name == 'SIGINT' else 'terminated'}")
    )
    assert not out.exists() and [p.name for p in tmp_path.iterdir()] == ["in"]  # no staging left


def test_an_interruption_as_the_workers_start_is_one_line(tmp_path: Path) -> None:
    """Ctrl-C the moment the first worker process appears (the pool still starting): no
    half-started worker prints a traceback, the run says it was interrupted and exits 130."""
    import signal
    import time

    import psutil

    folder, out = _long_articles(tmp_path)
    run = _corpus_run(folder, out)
    parent = psutil.Process(run.pid)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not parent.children() and run.poll() is None:
        time.sleep(0.005)
    run.send_signal(signal.SIGINT)
    err = run.communicate(timeout=60)[1]
    assert run.returncode == 130 and "Traceback" not in err, err
    assert err.strip().splitlines()[-1].startswith("opinions: interrupted")


def _long_articles(tmp_path: Path) -> tuple[Path, Path]:
    """Sixty copies of the bundled article, each twenty times over: minutes of work for two workers."""
    body = (ROOT / "data" / "articles" / "kursk-2025-01.txt").read_text(encoding="utf-8").split("\n", 1)[1]
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(60):
        (folder / f"a{i:02d}.txt").write_text(f"Story {i}\n" + body * 20, encoding="utf-8")
    return folder, tmp_path / "out.parquet"


def _corpus_run(folder: Path, out: Path):
    """The run as from a terminal: Ctrl-C at its default even where this test runs with it ignored
    (a job a shell started in the background, as CI runners do, inherits SIGINT ignored)."""
    import signal
    import subprocess
    import sys

    return subprocess.Popen(
        [sys.executable, "-m", "utils.cli", "corpus", str(folder), "-o", str(out), "--workers", "2"],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
