"""Where the review sessions over a corpus keep their files, and one writer at a time.

A session over a corpus dataset (the people view, the topic queue) keeps its files in
``data/annotations/<kind>/<key>/``, the key made of the paths it works on
(:func:`session_key`), so two different datasets or topic tables never share a folder.

The people view and the topic queue each keep their files under a lock (:mod:`utils.locks`):
opening writes nothing; the first change takes the lock; another live session (another kernel,
another machine) then opens read-only and says who holds it. A lock left by a process that no
longer runs is taken over, and so is one held by an older session of this same kernel (a
notebook cell run again).
"""

from __future__ import annotations

import atexit
import hashlib
import os
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from utils import locks
from utils.articles import data_dir
from utils.errors import InputError
from utils.names import ascii_fold

KEY_HASH = 12  # hex digits of the paths' SHA-256 in a session key
READABLE = 40  # characters of each path's name kept readable in it


def session_key(*paths: str | Path) -> str:
    """A folder name for a session over these paths: their names, readable, and a hash of the
    resolved paths, so two different datasets (or topic tables) with the same name never share one.

    ``/data/ds`` and ``topics.csv`` -> ``ds.topics-1a2b3c4d5e6f``. Moving a dataset gives it
    another key: the labels stay with the path they were made on.
    """
    resolved = [Path(p).resolve() for p in paths]
    digest = hashlib.sha256(b"\0".join(os.fsencode(p) for p in resolved)).hexdigest()[:KEY_HASH]
    names = [re.sub(r"[^A-Za-z0-9]+", "-", ascii_fold(p.stem)).strip("-")[:READABLE] for p in resolved]
    return ".".join(n or "x" for n in names) + f"-{digest}"


def session_folder(kind: str, *paths: str | Path) -> Path:
    """``data/annotations/<kind>/<session key>/`` (``kind``: ``people`` or ``collections``)."""
    return data_dir() / "annotations" / kind / session_key(*paths)


@dataclass
class SessionLock:
    """The lock at ``path`` for one session; ``what`` names what it guards, for messages
    ("ann's labels of this collection")."""

    path: Path
    what: str
    token: str = field(default_factory=lambda: uuid.uuid4().hex)
    held: bool = False

    def held_elsewhere(self) -> str:
        """Why this session must stay read-only (another live session holds the lock), or ''."""
        holder = locks.read_lock(self.path)
        if holder is None or locks.is_stale(holder) or holder.is_this_process():
            return ""
        return f"{self.what} are open in {holder.describe()}"

    def take(self) -> None:
        """Hold the lock before a write, or raise a one-line error naming who holds it."""
        if self.held:
            holder = locks.read_lock(self.path)
            if holder is not None and holder.token == self.token:
                return
            self.held = False
            self._refuse(holder)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        holder = locks.acquire(self.path, self.token, take_from_this_process=True)
        if holder is not None:
            self._refuse(holder)
        self.held = True
        atexit.register(self.release)

    def release(self) -> None:
        if self.held:
            locks.release(self.path, self.token)
            self.held = False

    def _refuse(self, holder: locks.Holder | None) -> None:
        who = holder.describe() if holder else "another session"
        raise InputError(
            self.path,
            f"{self.what} are open in {who}; this session is read-only and the change was not saved",
            "close the other session (or delete this lock file if that session is gone), then reopen",
        )
