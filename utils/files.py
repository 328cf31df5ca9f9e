"""Writing files safely.

Outputs are written atomically (temporary file in the same folder, then rename), so an
interrupted run never leaves a half-written table or report behind, and the previous
version stays intact until the new one is complete. Curated files are only ever
created, never replaced.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from utils.errors import InputError


def make_shareable(path: Path, mode: int = 0o666) -> None:
    """Give a temporary file (or folder, mode 0o777) the permissions a normal new one would get.

    mkstemp and mkdtemp make them private; outputs are meant to be shared.
    """
    current = os.umask(0)
    os.umask(current)
    path.chmod(mode & ~current)


@contextlib.contextmanager
def _temp_beside(target: Path) -> Iterator[Path]:
    """Yield a fresh temporary path in ``target``'s folder and always remove it afterwards."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    make_shareable(tmp)
    try:
        yield tmp
    finally:
        tmp.unlink(missing_ok=True)


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path; on success it replaces ``target`` in one rename."""
    target = Path(target)
    with _temp_beside(target) as tmp:
        yield tmp
        os.replace(tmp, target)


def write_text_atomic(target: str | Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``target`` atomically and return the target path."""
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(target)


def write_new_file(target: str | Path, text: str) -> Path:
    """Create ``target`` with ``text``; refuse if it exists, because it may hold curated work.

    The complete file is hard-linked into place, which fails if the name is taken, so
    not even a concurrent writer can make us overwrite a curator's file.
    """
    target = Path(target)
    with _temp_beside(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
        try:
            os.link(tmp, target)
        except FileExistsError:
            raise InputError(
                target,
                "already exists and may hold curated work, so it was not overwritten",
                "edit it, or move it away first to start again",
            ) from None
    return target
