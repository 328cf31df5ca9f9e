"""Writing safely: atomic replacement that keeps permissions, no leftovers after a kill, datasets
swapped in one step, outputs refused where they would destroy work, CSV cells safe in spreadsheets."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import threading
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from utils import files, schema, spreadsheet
from utils.corpus import write_dataset
from utils.errors import InputError
from utils.outputs import check_dataset_output, check_file_output


def failing_disk(code: int):
    """A ``Path.write_text`` failing as a full, read-only or foreign disk would (root cannot make it so)."""

    def write_text(self: Path, text: str, **_: object) -> int:
        raise OSError(code, os.strerror(code))

    return write_text


def dead_pid() -> int:
    """The id of a process that has ended (and been reaped)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


# --- atomic files -------------------------------------------------------------------------------


def test_replacing_a_file_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "table.csv"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    files.write_text_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "new" and target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["table.csv"]


def test_a_symlink_to_a_file_is_written_through(tmp_path: Path) -> None:
    real = tmp_path / "real.csv"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(real.name)
    files.write_text_atomic(link, "new")
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "new"


def test_leftovers_of_killed_writers_are_swept_and_live_ones_kept(tmp_path: Path) -> None:
    target = tmp_path / "table.csv"
    dead, alive = dead_pid(), os.getppid()
    stale = tmp_path / f".table.csv.{dead}.abc123.part"
    busy = tmp_path / f".table.csv.{alive}.xyz789.part"
    stale_folder = tmp_path / f".table.csv.{dead}.q1w2.staging"
    other = tmp_path / f".table.csv.5.{dead}.abc.part"  # a leftover of "table.csv.5", not ours to judge
    for path in (stale, busy, other):
        path.write_text("half", encoding="utf-8")
    stale_folder.mkdir()
    (stale_folder / "part-00000.parquet").write_bytes(b"half")
    files.write_text_atomic(target, "new")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["table.csv", busy.name, other.name])


def test_a_killed_write_leaves_nothing_the_next_run_does_not_remove(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    code = (
        "import os, sys; from utils import files\n"
        f"with files.atomic_path({str(target)!r}) as tmp:\n"
        "    tmp.write_text('half'); os.kill(os.getpid(), 9)\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[1], check=False)
    assert [p.name.endswith(".part") for p in tmp_path.iterdir()] == [True]  # the kill left one
    files.write_text_atomic(target, "whole")
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        (errno.ENOSPC, "no space left on the device"),
        (errno.EDQUOT, "disk quota exceeded"),
        (errno.EROFS, "read-only file system"),
        (errno.EACCES, "permission denied"),
    ],
)
def test_a_failing_disk_is_a_one_line_error_and_the_old_file_stays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, fragment: str
) -> None:
    target = tmp_path / "table.csv"
    target.write_text("old", encoding="utf-8")
    monkeypatch.setattr(Path, "write_text", failing_disk(code))
    with pytest.raises(InputError) as info:
        files.write_text_atomic(target, "new")
    monkeypatch.undo()
    assert fragment in info.value.message and str(target) in info.value.message
    assert target.read_text(encoding="utf-8") == "old" and [p.name for p in tmp_path.iterdir()] == [
        "table.csv"
    ]


def test_a_real_full_disk_when_a_tmpfs_can_be_mounted(tmp_path: Path) -> None:
    """With root and mount (as in CI) a 64 kB tmpfs gives a real ENOSPC; elsewhere the monkeypatched
    cases above stand for it, and this checks the same message from a simulated device instead."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    mounted = (
        os.geteuid() == 0
        and subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)], capture_output=True
        ).returncode
        == 0
    )
    try:
        target = mount / "big.csv"
        if mounted:
            with pytest.raises(InputError, match="no space left on the device"):
                files.write_text_atomic(target, "x" * 1_000_000)
            assert list(mount.iterdir()) == []
        else:
            error = files.user_os_error(OSError(errno.ENOSPC, "No space left on device"), target)
            assert error is not None and "no space left on the device" in error.message
    finally:
        if mounted:
            subprocess.run(["umount", str(mount)], check=True)


def test_write_new_file_never_replaces(tmp_path: Path) -> None:
    target = tmp_path / "x.statements.csv"
    files.write_new_file(target, "first")
    with pytest.raises(InputError, match="already exists"):
        files.write_new_file(target, "second")
    assert target.read_text(encoding="utf-8") == "first"


# --- datasets -------------------------------------------------------------------------------------


def test_a_dataset_is_replaced_without_a_moment_of_absence(tmp_path: Path) -> None:
    out = tmp_path / "out.parquet"
    write_dataset(pd.DataFrame({"a": [0] * 1000}), out)
    failures: list[str] = []
    done = threading.Event()

    def read_all_the_time() -> None:
        while not done.is_set():
            try:
                table = pd.read_parquet(out)
                if len(table) != 1000 or table["a"].nunique() != 1:
                    failures.append(f"mixed or partial table: {len(table)} rows")
            except Exception as exc:  # any failure to read is what must never happen
                failures.append(repr(exc))

    reader = threading.Thread(target=read_all_the_time)
    reader.start()
    try:
        for version in range(1, 31):
            write_dataset(pd.DataFrame({"a": [version] * 1000}), out)
    finally:
        done.set()
        reader.join()
    assert failures == []
    assert pd.read_parquet(out)["a"].unique().tolist() == [30]
    # the replaced folders wait a few seconds as hidden .retired folders, then go with the next write
    assert {p.name for p in tmp_path.iterdir() if not p.name.endswith(".retired")} == {"out.parquet"}


def test_a_replaced_dataset_is_kept_a_while_then_removed_by_the_next_write(tmp_path, monkeypatch) -> None:
    out = tmp_path / "out.parquet"
    write_dataset(pd.DataFrame({"a": [1]}), out)
    write_dataset(pd.DataFrame({"a": [2]}), out)
    retired = [p for p in tmp_path.iterdir() if p.name.endswith(".retired")]
    assert len(retired) == 1 and pd.read_parquet(retired[0] / "old")["a"].tolist() == [1]
    monkeypatch.setattr(files, "RETIRED_GRACE", 0.0)
    write_dataset(pd.DataFrame({"a": [3]}), out)
    left = sorted(p.name for p in tmp_path.iterdir())
    assert len(left) == 2 and left[1] == "out.parquet" and left[0].endswith(".retired")  # only the newest


def test_where_folders_cannot_be_swapped_the_old_one_is_renamed_away(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "_exchange", lambda a, b: False)
    out = tmp_path / "out.parquet"
    write_dataset(pd.DataFrame({"a": [1]}), out)
    write_dataset(pd.DataFrame({"a": [2]}), out)
    assert pd.read_parquet(out)["a"].tolist() == [2]
    assert [p.name for p in tmp_path.iterdir() if not p.name.endswith(".retired")] == [out.name]


def test_a_dataset_replaced_keeps_the_folder_permissions(tmp_path: Path) -> None:
    out = tmp_path / "out.parquet"
    write_dataset(pd.DataFrame({"a": [1]}), out)
    out.chmod(0o750)
    write_dataset(pd.DataFrame({"a": [2]}), out)
    assert out.stat().st_mode & 0o777 == 0o750


def test_a_dataset_is_marked_and_lists_its_files(tmp_path: Path) -> None:
    out = write_dataset(
        pd.DataFrame({"a": [1]}), tmp_path / "out.parquet", failures=[("x.txt", "article", "e")]
    )
    assert files.is_tool_folder(out) and files.foreign_files(out) == []
    assert sorted(p.name for p in out.iterdir()) == [
        "_failures.csv",
        files.DATASET_MARK,
        "part-00000.parquet",
    ]
    assert pd.read_csv(out / "_failures.csv").to_dict("records") == [
        {"file": "x.txt", "what": "article", "problem": "e"}
    ]


@pytest.mark.parametrize(
    ("make", "fragment"),
    [
        (lambda p: p.mkdir() or (p / "part-0.parquet").write_bytes(b"PAR1"), "did not write"),
        (lambda p: p.write_text("notes", encoding="utf-8"), "is a file, not a Parquet dataset"),
        (lambda p: p.symlink_to(p.parent), "is a symbolic link"),
    ],
)
def test_folders_the_tool_did_not_write_are_never_replaced(tmp_path: Path, make, fragment: str) -> None:
    out = tmp_path / "out.parquet"
    make(out)
    before = sorted(p.name for p in out.iterdir()) if out.is_dir() and not out.is_symlink() else None
    with pytest.raises(InputError, match=fragment):
        write_dataset(pd.DataFrame({"a": [1]}), out)
    if before is not None:
        assert sorted(p.name for p in out.iterdir()) == before


def test_a_dataset_holding_someone_elses_file_is_not_replaced(tmp_path: Path) -> None:
    out = write_dataset(pd.DataFrame({"a": [1]}), tmp_path / "out.parquet")
    (out / "my-notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(InputError, match=r"holds files this tool did not write \(my-notes.txt\)"):
        write_dataset(pd.DataFrame({"a": [2]}), out)
    assert (out / "my-notes.txt").read_text(encoding="utf-8") == "mine"


def test_an_empty_folder_may_become_a_dataset(tmp_path: Path) -> None:
    out = tmp_path / "new"
    out.mkdir()
    assert check_dataset_output(out) == out.resolve()
    assert pd.read_parquet(write_dataset(pd.DataFrame({"a": [1]}), out))["a"].tolist() == [1]


def test_a_dataset_never_replaces_its_input_folder(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    for out in (articles, tmp_path):
        with pytest.raises(InputError, match="holds the input folder"):
            check_dataset_output(out, [articles])


# --- where a file output may go -------------------------------------------------------------------


def _setup(tmp_path: Path, data_copy: Path) -> dict[str, Path]:
    article = tmp_path / "story.txt"
    article.write_text("Title\n\nText.\n", encoding="utf-8")
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    (tmp_path / "to-fifo.csv").symlink_to(fifo)
    (tmp_path / "loop.csv").symlink_to("loop.csv")
    (tmp_path / "dangling.csv").symlink_to("nowhere/x.csv")
    (tmp_path / "plain.txt").write_text("x", encoding="utf-8")
    (tmp_path / "to-curated.csv").symlink_to(data_copy / "curated" / "kursk-2025-01.statements.csv")
    os.link(article, tmp_path / "hard-link.txt")
    (tmp_path / "gold").mkdir()
    return {"article": article}


@pytest.mark.parametrize(
    ("target", "fragment"),
    [
        ("story.txt", "is an input of this command"),
        ("hard-link.txt", "is an input of this command"),
        ("story.json", "is the metadata file (sidecar) of the input story.txt"),
        ("{data}/curated/kursk-2025-01.statements.csv", "where every file is a curated table"),
        ("{data}/curated/new.csv", "where every file is a curated table"),
        ("{data}/annotations/ann/x.statements.csv", "where every file is an annotation file"),
        ("{data}/articles/kursk-2025-01.json", "a bundled article or its metadata"),
        ("to-curated.csv", "where every file is a curated table"),
        ("x.gold.csv", "is a gold table"),
        ("gold/scores.json", "is inside the gold folder"),
        (".", "is a folder, but this command writes one file"),
        ("new-folder/", "ends in '/'"),
        ("pipe.csv", "is a named pipe (FIFO), not a regular file"),
        ("to-fifo.csv", "is a named pipe (FIFO), not a regular file"),
        ("/dev/null", "is a device, not a regular file"),
        ("loop.csv", "is a symbolic link loop"),
        ("dangling.csv", "which does not exist"),
        ("plain.txt/out.csv", "plain.txt is a file, not a folder"),
    ],
)
def test_file_outputs_that_are_refused(tmp_path: Path, data_copy: Path, target: str, fragment: str) -> None:
    paths = _setup(tmp_path, data_copy)
    where = target.replace("{data}", str(data_copy))
    where = where if Path(where).is_absolute() else f"{tmp_path}/{where}"
    with pytest.raises(InputError) as info:
        check_file_output(where, [paths["article"]], [tmp_path / "gold"])
    assert fragment in info.value.message and "\n" not in info.value.message


def test_file_outputs_that_are_fine(tmp_path: Path, data_copy: Path) -> None:
    paths = _setup(tmp_path, data_copy)
    for target in ("out.csv", "new/deeper/out.csv", "story.csv", "plain.txt"):
        assert check_file_output(tmp_path / target, [paths["article"]]) == (tmp_path / target).resolve()


def test_an_unwritable_folder_is_refused_before_any_work(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(os, "access", lambda path, mode: False)  # as a non-root user sees a 0o555 folder
    with pytest.raises(InputError, match="is read-only or not writable by you"):
        check_file_output(tmp_path / "out.csv")


# --- spreadsheet-safe cells -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1 555", "'+1 555"),
        ("-5 percent", "'-5 percent"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("'=already quoted", "''=already quoted"),
        ("'quoted text", "'quoted text"),
        ("plain", "plain"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_cells_are_neutralised_as_owasp_recommends(cell: str, written: str) -> None:
    assert spreadsheet.neutralise(cell) == written and spreadsheet.restore(written) == cell


def test_numbers_stay_numbers_and_raw_leaves_text_alone() -> None:
    frame = pd.DataFrame({"text": ["-5 percent", "fine"], "score": [-0.42, 0.5], "start": [3, 9]})
    safe = spreadsheet.to_csv(frame)
    assert safe.splitlines() == ["text,score,start", "'-5 percent,-0.42,3", "fine,0.5,9"]
    assert spreadsheet.to_csv(frame, raw=True).splitlines()[1] == "-5 percent,-0.42,3"


CELLS = st.text(alphabet=st.sampled_from("'=+-@\t\r ax,\"\n"), max_size=8)


@settings(deadline=None)
@given(st.lists(CELLS, min_size=1, max_size=5))
def test_every_string_reads_back_as_written(tmp_path_factory, cells: list[str]) -> None:
    topics = [f"t{i}" for i in range(len(cells))]
    frame = pd.DataFrame({"topic": topics, "proposition": cells, "keywords": ""})
    path = tmp_path_factory.mktemp("roundtrip") / "x.topics.csv"
    path.write_text(spreadsheet.to_csv(frame), encoding="utf-8")
    try:
        back = schema.read_table(path, schema.TOPIC_SCHEMA, "topics")
    except InputError as exc:  # an empty or blank proposition is refused by the schema, not lost
        assert "must not be empty" in exc.message
        assert any(not c.strip() for c in cells)
        return
    assert back["proposition"].tolist() == cells


# --- the one reader ------------------------------------------------------------------------------


def finishes(action, seconds: float = 10.0) -> object:
    """Run ``action`` in a thread; fail (instead of hanging the suite) if it has not returned in time."""
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(action())
        except Exception as exc:  # handed to the test
            outcome.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert outcome, f"still waiting after {seconds} s"
    return outcome[0]


def _socket(path: Path) -> None:
    import socket

    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.close()


@pytest.mark.parametrize(
    ("make", "fragment"),
    [
        (lambda p: os.mkfifo(p), "is a named pipe (FIFO), not a regular file — save the table to a file"),
        (_socket, "is a socket, not a regular file"),
        (lambda p: p.mkdir(), "is a folder, not a file — give the table file itself"),
        (lambda p: p.symlink_to(p), "is a symbolic link loop"),
        (lambda p: p.symlink_to(p.with_name("nowhere")), "is a broken symbolic link"),
        (lambda p: p.with_suffix(".x").write_bytes(b"x"), "no such file"),
        (lambda p: p.write_bytes(b"x" * 1001), "is 1,001 bytes, over the 1,000 bytes limit for a table file"),
    ],
    ids=["fifo", "socket", "folder", "loop", "broken link", "missing", "too large"],
)
def test_read_regular_refuses_what_is_not_a_small_regular_file(tmp_path: Path, make, fragment: str) -> None:
    path = tmp_path / "t.csv"
    make(path)
    failure = finishes(lambda: files.read_regular(path, 1000, "table"))
    assert isinstance(failure, InputError) and fragment in failure.message, failure
    assert "\n" not in failure.message


def test_read_regular_reads_a_regular_file_and_a_link_to_one(tmp_path: Path) -> None:
    (tmp_path / "t.csv").write_bytes(b"a,b\n1,2\n")
    (tmp_path / "link.csv").symlink_to("t.csv")
    assert files.read_regular(tmp_path / "link.csv", 8, "table") == b"a,b\n1,2\n"


def test_a_device_is_never_read() -> None:
    failure = finishes(lambda: files.read_regular("/dev/zero", files.MAX_ARTICLE_BYTES, "article"))
    assert isinstance(failure, InputError) and "is a device, not a regular file" in failure.message


def test_a_fifo_swapped_in_after_the_check_is_refused_without_waiting(tmp_path: Path, monkeypatch) -> None:
    fifo = tmp_path / "t.csv"
    os.mkfifo(fifo)
    regular = os.stat(__file__)
    real_stat = Path.stat
    monkeypatch.setattr(Path, "stat", lambda self, **kw: regular if self == fifo else real_stat(self, **kw))
    failure = finishes(lambda: files.read_regular(fifo, files.MAX_TABLE_BYTES, "table"))
    assert isinstance(failure, InputError) and "named pipe" in failure.message


def test_a_file_that_grows_after_the_check_is_refused(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(b"x" * 100)
    small = os.stat(path)
    monkeypatch.setattr(files.os, "fstat", lambda fd: os.stat_result((*small[:6], 10, *small[7:])))
    monkeypatch.setattr(Path, "stat", lambda self, **kw: os.stat_result((*small[:6], 10, *small[7:])))
    with pytest.raises(InputError, match="over the"):
        files.read_regular(path, 50, "table")


def test_the_error_class_is_the_callers(tmp_path: Path) -> None:
    from utils.errors import ArticleError, ArticleNotFoundError

    with pytest.raises(ArticleNotFoundError):
        files.read_regular(tmp_path / "gone.txt", 10, "article", ArticleError, not_found=ArticleNotFoundError)
    os.mkfifo(tmp_path / "p.txt")
    with pytest.raises(ArticleError):
        files.read_regular(tmp_path / "p.txt", 10, "article", ArticleError, not_found=ArticleNotFoundError)


def test_permission_denied_is_one_line(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(b"x")
    real_open = os.open

    def denied(file, flags, *args, **kwargs):  # root may read anything, so the refusal is simulated
        if Path(file) == path:
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real_open(file, flags, *args, **kwargs)

    monkeypatch.setattr(files.os, "open", denied)
    with pytest.raises(InputError, match=r"cannot be read \(permission denied\)"):
        files.read_regular(path, 10, "table")


# --- several files as one step ---------------------------------------------------------------------


def three_tables(tmp_path: Path) -> dict[Path, str]:
    """Two tables that exist (one read-only to others) and one that does not yet."""
    old = {tmp_path / "a.statements.csv": "old a", tmp_path / "a.stance.csv": "old b"}
    for path, text in old.items():
        path.write_text(text, encoding="utf-8")
    (tmp_path / "a.stance.csv").chmod(0o600)
    return {**{p: f"new {p.name}" for p in old}, tmp_path / "a.topics.csv": "new topics"}


def contents(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())}


def test_replace_together_writes_every_file_and_keeps_permissions(tmp_path: Path) -> None:
    texts = three_tables(tmp_path)
    assert files.replace_together(texts) == list(texts)
    assert contents(tmp_path) == {p.name: t for p, t in texts.items()}
    assert (tmp_path / "a.stance.csv").stat().st_mode & 0o777 == 0o600


def failing_on(call: int, code: int, real):
    """A stand-in for ``real`` that fails as the disk would on its ``call``-th use (1-based)."""
    calls = []

    def fake(*args, **kwargs):
        calls.append(args)
        if len(calls) == call:
            raise OSError(code, os.strerror(code))
        return real(*args, **kwargs)

    return fake


@pytest.mark.parametrize("call", [1, 2, 3])
def test_a_full_disk_while_staging_replaces_nothing(tmp_path: Path, monkeypatch, call: int) -> None:
    texts = three_tables(tmp_path)
    before = contents(tmp_path)
    monkeypatch.setattr(Path, "write_text", failing_on(call, errno.ENOSPC, Path.write_text))
    with pytest.raises(InputError, match="no space left on the device") as info:
        files.replace_together(texts)
    monkeypatch.undo()
    assert contents(tmp_path) == before and "\n" not in info.value.message  # no file changed, nothing left


@pytest.mark.parametrize(
    ("call", "code"), [(1, errno.ENOSPC), (2, errno.ENOSPC), (3, errno.EIO), (3, errno.EACCES)]
)
def test_a_rename_that_fails_puts_back_the_files_already_replaced(
    tmp_path: Path, monkeypatch, call: int, code: int
) -> None:
    texts = three_tables(tmp_path)
    before = contents(tmp_path)
    monkeypatch.setattr(files.os, "replace", failing_on(call, code, os.replace))
    with pytest.raises(InputError):
        files.replace_together(texts)
    monkeypatch.undo()
    assert contents(tmp_path) == before  # the new a.topics.csv is gone again, the others are as they were
    assert (tmp_path / "a.stance.csv").stat().st_mode & 0o777 == 0o600


def test_without_hard_links_the_previous_versions_are_copies(tmp_path: Path, monkeypatch) -> None:
    texts = three_tables(tmp_path)
    before = contents(tmp_path)

    def no_links(*args: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(files.os, "link", no_links)
    monkeypatch.setattr(files.os, "replace", failing_on(3, errno.ENOSPC, os.replace))
    with pytest.raises(InputError, match="no space left"):
        files.replace_together(texts)
    monkeypatch.undo()
    assert contents(tmp_path) == before


def test_a_version_that_cannot_be_put_back_is_kept_and_named(tmp_path: Path, monkeypatch) -> None:
    texts = three_tables(tmp_path)
    real = os.replace
    calls: list[object] = []

    def flaky(src, dst):  # the 2nd rename fails, and so does putting back the 1st
        calls.append(dst)
        if len(calls) in (2, 3):
            raise OSError(errno.EIO, "Input/output error")
        return real(src, dst)

    monkeypatch.setattr(files.os, "replace", flaky)
    with pytest.raises(
        InputError, match=r"could not be put back: .*a.statements.csv \(previous version in"
    ) as info:
        files.replace_together(texts)
    monkeypatch.undo()
    kept = [p for p in tmp_path.iterdir() if p.name.endswith(".previous")]
    assert (
        len(kept) == 1
        and kept[0].read_text(encoding="utf-8") == "old a"
        and kept[0].name in info.value.message
    )
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_replace_together_on_a_real_full_disk_when_a_tmpfs_can_be_mounted(tmp_path: Path) -> None:
    mount = tmp_path / "tiny"
    mount.mkdir()
    if (
        os.geteuid() != 0
        or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)], capture_output=True
        ).returncode
    ):
        pytest.skip("needs root and mount (CI has both); the monkeypatched cases above stand for it")
    try:
        (mount / "a.csv").write_text("old a", encoding="utf-8")
        with pytest.raises(InputError, match="no space left on the device"):
            files.replace_together({mount / "a.csv": "small", mount / "b.csv": "x" * 1_000_000})
        assert contents(mount) == {"a.csv": "old a"}
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def test_the_same_file_twice_is_a_programming_error(tmp_path: Path) -> None:
    (tmp_path / "real.csv").write_text("x", encoding="utf-8")
    (tmp_path / "link.csv").symlink_to("real.csv")
    with pytest.raises(ValueError, match="named twice"):
        files.replace_together({tmp_path / "real.csv": "a", tmp_path / "link.csv": "b"})


@pytest.mark.parametrize("beside", ["bridge.txt", "bridge.html", "bridge.htm", "bridge.json"])
def test_the_article_beside_a_gold_table_is_never_an_output(tmp_path: Path, beside: str) -> None:
    gold = tmp_path / "bridge.gold.csv"
    gold.write_text("speaker,affiliation,kind,text\n", encoding="utf-8")
    (tmp_path / "bridge.txt").write_text("T\n\nBody.\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"is the article .* that the gold table bridge\.gold\.csv scores"):
        check_file_output(tmp_path / beside, [gold])
    assert check_file_output(tmp_path / "scores.json", [gold]) == (tmp_path / "scores.json").resolve()


@pytest.mark.parametrize(
    ("inside", "shown"),
    [
        ("data/annotations/kursk-2025-01", "data/annotations/kursk-2025-01"),
        ("notebooks/../data/annotations", "data/annotations"),
        ("", "."),
    ],
)
def test_messages_show_paths_inside_the_project_relative_to_it(inside: str, shown: str) -> None:
    """Committed notebook outputs must not carry the folder of whoever ran them last."""
    assert files.shown_path(files.PROJECT / inside) == shown


def test_messages_show_paths_outside_the_project_as_given(tmp_path: Path) -> None:
    assert files.shown_path(tmp_path / "labels.csv") == str(tmp_path / "labels.csv")
