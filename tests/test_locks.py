"""Lock files: created with their content in one step, stale ones taken over, odd entries refused."""

from __future__ import annotations

import errno
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.test_files import dead_pid, failing_disk, finishes
from utils import files, locks
from utils.errors import InputError

HOST = socket.gethostname()


def body(pid: object, host: object = HOST, token: object = "theirs") -> str:
    return json.dumps({"pid": pid, "host": host, "token": token, "time": "2025-01-01T00:00:00Z"})


def live_pid() -> int:
    """A process of this host that runs for the whole test (this test's parent: pytest's launcher)."""
    return os.getppid()


# What lies at the lock's path before a session asks for it, and whether that session gets it.
TAKEN = [
    ("nothing there", None),
    ("a dead process's lock", lambda p: p.write_text(body(dead_pid()))),
    ("an empty lock (a full disk under the old code)", lambda p: p.write_text("")),
    ("half a JSON object", lambda p: p.write_text('{"pid": 12')),
    ("not JSON at all", lambda p: p.write_bytes(b"\xff\xfe garbage")),
    ("a JSON list", lambda p: p.write_text("[1, 2]")),
    ("a huge pid", lambda p: p.write_text(body(10**30))),
    ("a 5,000-digit pid", lambda p: p.write_text('{"pid": 1' + "0" * 5000 + "}")),
    ("pid zero", lambda p: p.write_text(body(0))),
    ("a negative pid", lambda p: p.write_text(body(-5))),
    ("pid true", lambda p: p.write_text(body(True))),
    ("a fractional pid", lambda p: p.write_text(body(12.5))),
    ("a pid as text", lambda p: p.write_text(body(str(live_pid())))),
    ("no host", lambda p: p.write_text(json.dumps({"pid": live_pid(), "token": "x"}))),
    ("no token", lambda p: p.write_text(json.dumps({"pid": live_pid(), "host": HOST}))),
    ("nested too deeply", lambda p: p.write_text("[" * 2000 + "]" * 2000)),
    ("over the size of a lock", lambda p: p.write_text(body(live_pid()) + " " * files.MAX_LOCK_BYTES)),
]
HELD = [
    ("a live process of this host", lambda p: p.write_text(body(live_pid())), "process"),
    ("a process on another host", lambda p: p.write_text(body(1, host="elsewhere")), "on elsewhere"),
]
REFUSED = [
    ("a FIFO", lambda p: os.mkfifo(p), "is a named pipe (FIFO) where a lock file belongs"),
    ("a folder", lambda p: p.mkdir(), "is a folder where a lock file belongs"),
    ("a symbolic link", lambda p: p.symlink_to(p.with_name("elsewhere")), "is a symbolic link where"),
    ("a socket", lambda p: _bind(p), "is a socket where a lock file belongs"),
]


def _bind(path: Path) -> None:
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.close()


@pytest.mark.parametrize(("before", "make"), TAKEN, ids=[name for name, _ in TAKEN])
def test_a_free_or_stale_lock_is_taken(tmp_path: Path, before: str, make: Callable | None) -> None:
    lock = tmp_path / "me.lock"
    if make:
        make(lock)
    assert locks.acquire(lock, "mine") is None
    held = locks.read_lock(lock)
    assert held is not None and held.token == "mine" and held.pid == os.getpid() and held.host == HOST
    assert sorted(p.name for p in tmp_path.iterdir()) == ["me.lock"]  # nothing left beside it


@pytest.mark.parametrize(("before", "make", "who"), HELD, ids=[name for name, *_ in HELD])
def test_a_live_lock_is_not_taken(tmp_path: Path, before: str, make: Callable, who: str) -> None:
    lock = tmp_path / "me.lock"
    make(lock)
    content = lock.read_bytes()
    holder = locks.acquire(lock, "mine")
    assert holder is not None and who in holder.describe()
    assert lock.read_bytes() == content


@pytest.mark.parametrize(("before", "make", "fragment"), REFUSED, ids=[name for name, *_ in REFUSED])
def test_anything_but_a_regular_file_is_refused_without_waiting(
    tmp_path: Path, before: str, make: Callable, fragment: str
) -> None:
    lock = tmp_path / "me.lock"
    make(lock)
    for attempt in (lambda: locks.acquire(lock, "mine"), lambda: locks.read_lock(lock)):
        failure = finishes(attempt)
        assert isinstance(failure, InputError) and fragment in failure.message, failure
        assert "\n" not in failure.message and str(lock) in failure.message
    assert os.path.lexists(lock)  # not ours: never removed
    assert finishes(lambda: locks.release(lock, "mine")) is False


def test_the_same_session_holds_it_again_and_only_it_releases_it(tmp_path: Path) -> None:
    lock = tmp_path / "me.lock"
    assert locks.acquire(lock, "mine") is None and locks.acquire(lock, "mine") is None
    assert locks.release(lock, "someone else") is False and lock.exists()
    assert locks.release(lock, "mine") is True and not lock.exists()
    assert locks.release(lock, "mine") is False


def test_another_session_of_this_process_takes_it_only_when_asked(tmp_path: Path) -> None:
    lock = tmp_path / "me.lock"
    assert locks.acquire(lock, "first cell run") is None
    holder = locks.acquire(lock, "second cell run")
    assert holder is not None and holder.is_this_process() and holder.token == "first cell run"
    assert locks.acquire(lock, "second cell run", take_from_this_process=True) is None
    assert locks.read_lock(lock).token == "second cell run"


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EDQUOT, errno.EROFS])
def test_a_full_disk_leaves_no_lock_at_all(tmp_path: Path, monkeypatch, code: int) -> None:
    lock = tmp_path / "me.lock"
    monkeypatch.setattr(Path, "write_text", failing_disk(code))
    with pytest.raises(InputError) as info:
        locks.acquire(lock, "mine")
    monkeypatch.undo()
    assert str(lock) in info.value.message and "\n" not in info.value.message
    assert list(tmp_path.iterdir()) == []  # no empty lock: this person is not read-only for ever
    assert locks.acquire(lock, "mine") is None  # once there is space, the lock is simply taken


def test_without_hard_links_the_lock_is_created_exclusively(tmp_path: Path, monkeypatch) -> None:
    def no_links(*args: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(locks.os, "link", no_links)
    lock = tmp_path / "me.lock"
    assert locks.acquire(lock, "mine") is None
    assert locks.read_lock(lock).token == "mine"
    assert locks.acquire(lock, "other").token == "mine"


def test_a_stale_lock_replaced_meanwhile_by_a_live_one_is_left_alone(tmp_path: Path) -> None:
    """Two sessions break the same stale lock: the slower one must not remove the faster one's new lock."""
    lock = tmp_path / "me.lock"
    lock.write_text(body(dead_pid()))
    stale = locks.read_lock(lock)
    lock.unlink()
    assert locks.acquire(lock, "faster") is None
    locks._remove_if_same(lock, stale.stamp)  # what the slower session does next
    assert locks.read_lock(lock).token == "faster"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["me.lock"]


CONTEND = """
import sys, time
from pathlib import Path
from utils import locks
start, tried = float(sys.argv[2]), Path(sys.argv[4])
time.sleep(max(0.0, start - time.time()))  # every process tries at the same moment
won = locks.acquire(Path(sys.argv[1]), sys.argv[3]) is None
(tried / sys.argv[3]).touch()
while len(list(tried.iterdir())) < int(sys.argv[5]) and time.time() < start + 60:
    time.sleep(0.01)  # the winner stays alive until all have tried: a dead winner's lock is stale
print(won)
"""


def test_of_many_processes_at_once_exactly_one_gets_the_lock(tmp_path: Path) -> None:
    lock = tmp_path / "locks" / "me.lock"
    lock.parent.mkdir()
    lock.write_text("")  # a stale (empty) lock, so every process also tries to break it
    tried = tmp_path / "tried"
    tried.mkdir()
    start = str(time.time() + 3)
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", CONTEND, str(lock), start, f"session {n}", str(tried), "8"],
            cwd=Path(__file__).resolve().parents[1],
            stdout=subprocess.PIPE,
            text=True,
        )
        for n in range(8)
    ]
    won = [run.communicate(timeout=60)[0].strip() for run in runs]
    assert won.count("True") == 1 and won.count("False") == 7, won
    assert sorted(p.name for p in lock.parent.iterdir()) == ["me.lock"]


def test_a_lock_of_a_process_that_was_killed_is_taken_over(tmp_path: Path) -> None:
    lock = tmp_path / "me.lock"
    code = (
        "import os, sys; from pathlib import Path; from utils import locks\n"
        f"locks.acquire(Path({str(lock)!r}), 'killed'); os.kill(os.getpid(), 9)\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[1], check=False)
    assert locks.read_lock(lock).token == "killed"
    assert locks.acquire(lock, "mine") is None


def test_a_guard_left_by_a_session_that_died_while_breaking_a_lock_is_taken_over(tmp_path: Path) -> None:
    lock = tmp_path / "me.lock"
    lock.write_text("")  # stale
    (tmp_path / ".me.lock.breaking").write_text(body(dead_pid()))
    assert locks.acquire(lock, "me") is None and locks.read_lock(lock).token == "me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["me.lock"]


def test_a_live_guard_leaves_the_stale_lock_to_the_session_breaking_it(tmp_path: Path) -> None:
    lock = tmp_path / "me.lock"
    lock.write_text("")  # stale, and another session (this process) is breaking it
    (tmp_path / ".me.lock.breaking").write_text(body(os.getpid()))
    assert locks.acquire(lock, "me") == locks.Holder(None, stamp=locks.read_lock(lock).stamp)
    assert lock.read_text() == ""
