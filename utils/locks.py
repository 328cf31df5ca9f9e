"""Lock files: one session at a time writes a person's files.

A lock is a small regular file holding one JSON object: ``pid``, ``host``, ``token`` (which
session) and ``time``. It appears in one step with its content already in it: the content is
written to a temporary file beside it, which is then hard-linked to the lock's name, and a
link fails when the name is taken, so two sessions never both create it. A full disk fails
while the temporary file is written, before any lock exists: no empty lock is ever left.
(On a file system without hard links the lock is created exclusively and then written; a
write that fails removes it again.)

A lock is **stale**, and is taken over, when its process is gone (this host, pid not
running) or when it cannot be a lock this tool wrote: empty, unreadable, over
:data:`~utils.files.MAX_LOCK_BYTES`, not JSON, or a pid that is no process id (0, negative,
huge, not a whole number). A running process on this host, or any process on another host
(which cannot be asked), **holds** it. Anything but a regular file at the lock's path (a
FIFO, a folder, a socket, a device, a symbolic link) is refused with a one-line
:class:`~utils.errors.InputError`: it is never opened, so nothing waits on it, and never
removed, since the tool did not make it. Breaking a stale lock (check that it is still the
file judged, then remove it) happens under a short-lived guard, ``.NAME.breaking``, so that two
sessions breaking one stale lock at once never remove the lock one of them has just taken.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import socket
import stat
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from utils.errors import InputError
from utils.files import MAX_LOCK_BYTES, file_kind, pid_alive, read_regular, scratch_beside

MAX_PID = 2**31 - 1  # no system gives a process a larger id; os.kill cannot even ask about one
FIELDS = ("pid", "host", "token", "time")  # what a lock file holds
_NO_LINKS = (errno.EPERM, errno.EMLINK, errno.EOPNOTSUPP, errno.ENOSYS)
GUARD_ATTEMPTS, GUARD_WAIT = 50, 0.01  # the guard is held for a read and an unlink: wait up to half a second


@dataclass(frozen=True)
class Holder:
    """Who holds a lock; ``pid`` is None when the file cannot be a lock this tool wrote."""

    pid: int | None
    host: str = ""
    token: str = ""
    time: str = ""
    stamp: tuple[int, ...] = ()  # which file was read (inode, size, time, content): see _remove_if_same

    def describe(self) -> str:
        if self.pid is None:
            return "a lock file this tool cannot read"
        return f"process {self.pid} on {self.host} since {self.time or 'an unknown time'}"

    def is_this_process(self) -> bool:
        return self.pid == os.getpid() and self.host == socket.gethostname()


def is_stale(holder: Holder) -> bool:
    """True when nobody can be holding the lock (see the module docstring)."""
    if holder.pid is None:
        return True
    return holder.host == socket.gethostname() and not pid_alive(holder.pid)


def read_lock(path: str | Path) -> Holder | None:
    """The lock's holder; None when there is no lock; a one-line error for a non-regular entry."""
    path = Path(path)
    try:
        info = os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    _check_entry(path, info.st_mode)
    if info.st_size > MAX_LOCK_BYTES:
        return Holder(None, stamp=_stamp(info, b""))
    try:
        data = read_regular(path, MAX_LOCK_BYTES, "lock")
    except InputError:
        try:
            _check_entry(path, os.lstat(path).st_mode)  # swapped for a FIFO meanwhile: refuse that
        except FileNotFoundError:
            return None
        return Holder(None, stamp=_stamp(info, b""))  # unreadable (permissions, I/O error)
    return _parse(data, _stamp(info, data))


def _stamp(info: os.stat_result, data: bytes) -> tuple[int, ...]:
    """What tells one lock file from another, even one that got the same inode number."""
    return (info.st_ino, info.st_size, info.st_mtime_ns, hash(data))


def _check_entry(path: Path, mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    kind = "a symbolic link" if stat.S_ISLNK(mode) else "a folder" if stat.S_ISDIR(mode) else file_kind(mode)
    raise InputError(
        path,
        f"is {kind} where a lock file belongs, so nobody can take the lock",
        "remove it (it was not made by this tool), then try again",
    )


def _parse(data: bytes, stamp: tuple[int, ...]) -> Holder:
    garbled = Holder(None, stamp=stamp)
    try:
        body = json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError):  # not UTF-8, not JSON, an integer too long to convert
        return garbled
    if not isinstance(body, dict):
        return garbled
    pid, host, token, when = (body.get(k) for k in FIELDS)
    if type(pid) is not int or not 0 < pid <= MAX_PID:
        return garbled
    if not isinstance(host, str) or not isinstance(token, str) or not host or not token:
        return garbled
    return Holder(pid, host, token, when if isinstance(when, str) else "", stamp)


def acquire(path: str | Path, token: str, *, take_from_this_process: bool = False) -> Holder | None:
    """Take the lock for session ``token``: None when it is ours now, else the live holder.

    A stale lock is replaced. ``take_from_this_process`` also takes a lock held by another
    session of this same process (a notebook cell run again opens a new session).
    """
    path = Path(path)
    for _attempt in range(3):  # a lock released or broken by another session meanwhile: look again
        if _create(path, token):
            return None
        holder = read_lock(path)
        if holder is None:
            continue
        if holder.token == token:
            return None
        if not (is_stale(holder) or (take_from_this_process and holder.is_this_process())):
            return holder
        _remove_if_same(path, holder.stamp)
    return read_lock(path) or Holder(None)


def release(path: str | Path, token: str) -> bool:
    """Remove the lock if session ``token`` holds it; True if it did."""
    path = Path(path)
    try:
        holder = read_lock(path)
    except InputError:  # something else took the lock's place: not ours to remove
        return False
    if holder is None or holder.token != token:
        return False
    path.unlink(missing_ok=True)  # ours: nobody else removes a lock that is not stale
    return True


def _create(path: Path, token: str) -> bool:
    """Create the lock with its content in one step; False when the name is taken."""
    body = json.dumps(
        {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "token": token,
            "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
    )
    with scratch_beside(path) as tmp:
        tmp.write_text(body + "\n", encoding="utf-8")
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False
        except OSError as exc:
            if exc.errno not in _NO_LINKS:
                raise
            return _create_exclusive(path, body)
    return True


def _create_exclusive(path: Path, body: str) -> bool:
    """Where hard links are not supported: create exclusively, then write; a failed write removes it."""
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_CLOEXEC", 0), 0o644)
    except FileExistsError:
        return False
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(body + "\n")
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return True


def _remove_if_same(path: Path, stamp: tuple[int, ...]) -> None:
    """Remove the lock only if it is still the file that was judged stale.

    The check and the removal happen under a guard (``.NAME.breaking``, made like a lock), so
    that no other session removes or replaces the judged file in between: a lock is only ever
    removed by whoever holds the guard (or by its own session), and a new one is only created
    where there is none. Without the guard, a session that judged an old lock could remove the
    lock another session had just taken. When the guard is busy, nothing is removed: the caller
    looks again.
    """
    guard = path.with_name(f".{path.name}.breaking")
    if not _take_guard(guard):
        return
    try:
        current = read_lock(path)
        if current is not None and current.stamp == stamp:
            path.unlink(missing_ok=True)
    finally:
        guard.unlink(missing_ok=True)


def _take_guard(guard: Path) -> bool:
    """Take the guard that breaking a lock needs; a guard left by a session that died is removed."""
    for _attempt in range(GUARD_ATTEMPTS):
        if _create(guard, uuid.uuid4().hex):
            return True
        with contextlib.suppress(InputError):
            holder = read_lock(guard)
            if holder is not None and is_stale(holder):
                guard.unlink(missing_ok=True)
                continue
        time.sleep(GUARD_WAIT)
    return False
