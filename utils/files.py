"""Reading and writing files safely.

Outputs are written atomically (a temporary file in the same folder, then one rename), so
an interrupted run never leaves a half-written table or report behind, and the previous
version stays intact until the new one is complete. A replaced file keeps its
permissions. Temporary names carry the writer's process id
(``.NAME.<pid>.<random>.part``, ``.NAME.<pid>.<random>.staging``); a run that was killed
before it could remove its own is cleaned up by the next write beside the same target.

A folder output (a Parquet dataset) is built in a staging folder and swapped with the old
one in a single step (``renameat2(RENAME_EXCHANGE)`` on Linux), so readers always find a
complete dataset at its path; where the system cannot swap, the old folder is renamed
away just before the new one is renamed in (a moment of a few microseconds without it).
The replaced folder is kept beside it for :data:`RETIRED_GRACE` seconds as a hidden
``.NAME.<pid>.<random>.retired`` folder, so a reader that was listing it is not cut short;
the next write beside it removes it. Each such folder holds a small mark, :data:`DATASET_MARK`,
listing the files it wrote: only a folder with that mark, and nothing else in it, is ever replaced.

Several files that belong together (an article's curated tables) are replaced as one step
with :func:`replace_together`: all new versions are written first, then renamed in, and the
renames are undone if one fails.

Every file the project reads goes through :func:`read_regular`: a regular file (never a FIFO,
device or socket, which could block), under a size limit for its kind (:data:`MAX_ARTICLE_BYTES`,
:data:`MAX_TABLE_BYTES`, :data:`MAX_SIDECAR_BYTES`, :data:`MAX_LOCK_BYTES`).

Curated files are only ever created, never replaced. Every way a write can fail because
of the user's machine (full disk, read-only folder, no permission) becomes a one-line
:class:`~utils.errors.InputError` naming the file.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import glob
import json
import os
import shutil
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from utils.errors import InputError

DATASET_MARK = "_opinions_dataset.json"
_LEFTOVER_SUFFIXES = (".part", ".staging")
RETIRED_GRACE = 10.0  # seconds a replaced dataset folder is kept for readers that were listing it
# errno -> (what is wrong, what to do) for failures the user's machine causes, not the program.
_USER_ERRNOS = {
    errno.ENOSPC: ("no space left on the device", "free some space or write somewhere else"),
    errno.EDQUOT: ("disk quota exceeded", "free some space or write somewhere else"),
    errno.EFBIG: ("file too large for this file system", "write somewhere else"),
    errno.EROFS: ("is on a read-only file system", "write somewhere else"),
    errno.EACCES: ("permission denied", "check its permissions, or use another path"),
    errno.EPERM: ("operation not permitted", "check its permissions, or use another path"),
    errno.ELOOP: ("is a symbolic link loop", "point the link at a real file"),
    errno.ENOTDIR: ("a part of the path is a file, not a folder", "check the path"),
    errno.EISDIR: ("is a folder, not a file", "give a file name"),
    errno.ENAMETOOLONG: ("the name is too long", "choose a shorter path"),
    errno.ENOENT: ("no such file or folder", "check the path"),
    errno.EIO: ("input/output error on the device", "check the disk, or use another path"),
    errno.ENXIO: ("is a device that is not there", "give a regular file"),
}


PROJECT = Path(__file__).resolve().parents[1]


def shown_path(path: str | Path) -> str:
    """``path`` as a message shows it: relative to the project when inside it, else as given.

    Notebooks are committed with their outputs; an absolute path there would show the folder of
    whoever ran them last, which means nothing on the reader's machine.
    """
    try:
        return Path(path).resolve().relative_to(PROJECT).as_posix()
    except ValueError:
        return str(path)


def user_os_error(exc: OSError, path: str | Path | None = None) -> InputError | None:
    """The one-line error for an OS failure the user can fix (full disk, permissions...), else None."""
    known = _USER_ERRNOS.get(exc.errno or 0)
    if known is None:
        return None
    where = path if path is not None else exc.filename
    return InputError(where, *known)


def make_shareable(path: Path, mode: int = 0o666) -> None:
    """Give a temporary file (or folder, mode 0o777) the permissions a normal new one would get.

    mkstemp and mkdtemp make them private; outputs are meant to be shared.
    """
    current = os.umask(0)
    os.umask(current)
    path.chmod(mode & ~current)


def regular_file(path: str | Path, what: str) -> Path:
    """``path`` if it is a regular file that can be opened; otherwise a one-line :class:`InputError`.

    A FIFO or device would block or stream forever, a symlink loop has no file behind it:
    all are refused before anything reads them. ``what`` names the file for the message.
    """
    path = Path(path)
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError(path, "is a symbolic link loop", "point the link at a real file") from None
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            raise InputError(path, f"not found ({what})", "check the path") from None
        raise user_os_error(exc, path) or exc from None
    if stat.S_ISDIR(mode):
        raise InputError(path, f"is a folder, not a {what}", "give the file's path")
    if not stat.S_ISREG(mode):
        raise InputError(path, f"is {file_kind(mode)}, not a regular file", f"give a {what} saved as a file")
    return path


# Size limits by kind of file read: far above any real one, low enough that memory stays safe.
MAX_ARTICLE_BYTES = 50_000_000
MAX_TABLE_BYTES = 100_000_000  # a CSV table: curated, gold, annotation, manifest, predictions
MAX_SIDECAR_BYTES = 1_000_000  # metadata is a few lines; a bigger sidecar is not metadata
MAX_LOCK_BYTES = 4_096  # a lock holds one short JSON line


def read_regular(
    path: str | Path,
    limit: int,
    what: str,
    error: type[InputError] = InputError,
    not_found: type[InputError] | None = None,
) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes; else a one-line ``error``.

    The one reader every file goes through. The file is checked before it is opened and again
    once open (it may have been swapped meanwhile), and it is opened non-blocking, so a FIFO,
    device or socket is refused and never waited on. ``what`` names the kind of file in the
    message ("article", "gold statements table"); ``not_found`` is the error class for a path
    with nothing behind it (default ``error``).
    """
    path = Path(path)
    try:
        info = path.stat()
    except OSError as exc:
        missing = exc.errno in (errno.ENOENT, errno.ENOTDIR) and not path.is_symlink()
        raise _read_error(path, exc, what, (not_found or error) if missing else error) from None
    _check_regular(path, info, limit, what, error)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise _read_error(path, exc, what, error) from None
    with os.fdopen(fd, "rb") as handle:
        _check_regular(path, os.fstat(handle.fileno()), limit, what, error)
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise _read_error(path, exc, what, error) from None
    if len(data) > limit:  # it grew after the check
        raise _too_large(path, len(data), limit, what, error)
    return data


def _check_regular(path: Path, info: os.stat_result, limit: int, what: str, error: type[InputError]) -> None:
    """Refuse folders, FIFOs, devices and sockets, and files over ``limit`` bytes."""
    if stat.S_ISDIR(info.st_mode):
        raise error(path, "is a folder, not a file", f"give the {what} file itself")
    if not stat.S_ISREG(info.st_mode):
        raise error(path, f"is {file_kind(info.st_mode)}, not a regular file", _save_as_file(what))
    if info.st_size > limit:
        raise _too_large(path, info.st_size, limit, what, error)


def _too_large(path: Path, size: int, limit: int, what: str, error: type[InputError]) -> InputError:
    fix = "split it into separate articles" if what == "article" else "check that it is the right file"
    return error(path, f"is {_megabytes(size)}, over the {_megabytes(limit)} limit for {_a(what)} file", fix)


def _save_as_file(what: str) -> str:
    return f"save the {what} to a file and give that"


def _megabytes(size: int) -> str:
    if size < 1_000_000:
        return f"{size:,} bytes"
    return f"{size / 1e6:.1f} MB" if size % 1_000_000 else f"{size // 1_000_000} MB"


def _a(what: str) -> str:
    return f"an {what}" if what[:1] in "aeiou" else f"a {what}"


def _read_error(path: Path, exc: OSError, what: str, error: type[InputError]) -> InputError:
    """One line for an operating-system error while reading ``path``."""
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        if path.is_symlink():
            return error(path, "is a broken symbolic link", f"point it at {_a(what)} file")
        return error(path, "no such file", "check the path")
    if exc.errno == errno.ELOOP:
        return error(path, "is a symbolic link loop", "point the link at a real file")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return error(path, "cannot be read (permission denied)", "check its permissions")
    if exc.errno == errno.ENXIO:  # a socket or a device with nothing behind it
        return error(path, "is a socket or device, not a regular file", _save_as_file(what))
    return error(path, f"cannot be read ({exc.strerror or type(exc).__name__})", "check the file")


def file_kind(mode: int) -> str:
    """What a non-regular file is, in words (for one-line errors)."""
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device"


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` runs; where this cannot be asked safely (not POSIX), assume it does."""
    if pid == os.getpid() or os.name != "posix":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_leftovers(target: Path) -> None:
    """Remove ``.NAME.<pid>.*.part`` / ``.staging`` beside ``target`` left by writers that were killed."""
    prefix = f".{target.name}."
    for leftover in target.parent.glob(f"{glob.escape(prefix)}*"):
        # <pid>.<random or 'old'>.<part|staging>: the random part of a temporary name has no dots
        parts = leftover.name[len(prefix) :].split(".")
        ours = len(parts) == 3 and parts[0].isdigit() and f".{parts[2]}" in (*_LEFTOVER_SUFFIXES, ".retired")
        if not ours:
            continue
        if parts[2] == "retired":
            with contextlib.suppress(OSError):
                if time.time() - leftover.stat().st_mtime < RETIRED_GRACE:
                    continue  # a reader may still be listing the folder it holds
        elif pid_alive(int(parts[0])):
            continue
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)


def _prepare_folder(target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    sweep_leftovers(target)


@contextlib.contextmanager
def _temp_beside(target: Path) -> Iterator[Path]:
    """Yield a fresh temporary path in ``target``'s folder and always remove it afterwards."""
    _prepare_folder(target)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".part", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    make_shareable(tmp)
    try:
        yield tmp
    finally:
        tmp.unlink(missing_ok=True)


def _keep_mode(new: Path, old: Path) -> None:
    """Give ``new`` the permission bits of the file or folder it replaces (if there is one)."""
    with contextlib.suppress(FileNotFoundError):
        new.chmod(stat.S_IMODE(old.stat().st_mode))


def _real_target(target: Path) -> Path:
    """A symlink to a file is written through (the link stays); anything else is the path itself."""
    return target.resolve() if target.is_symlink() else target


@contextlib.contextmanager
def _user_errors(target: Path) -> Iterator[None]:
    """Turn a full disk, a read-only folder or a missing permission into a one-line InputError."""
    try:
        yield
    except OSError as exc:
        failure = user_os_error(exc, exc.filename or target)
        if failure is None:
            raise
        raise failure from None


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path; on success it replaces ``target`` in one rename, keeping its permissions."""
    target = _real_target(Path(target))
    with _user_errors(target), _temp_beside(target) as tmp:
        yield tmp
        _keep_mode(tmp, target)
        os.replace(tmp, target)


@contextlib.contextmanager
def scratch_beside(target: str | Path) -> Iterator[Path]:
    """A scratch file next to ``target`` that never replaces it: removed afterwards, swept after a kill."""
    target = Path(target)
    with _user_errors(target), _temp_beside(target) as tmp:
        yield tmp


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
    with _user_errors(target), _temp_beside(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
        try:
            os.link(tmp, target)
        except FileExistsError:
            raise _exists(target) from None
    return target


def replace_together(texts: Mapping[str | Path, str]) -> list[Path]:
    """Write several files (path -> UTF-8 text) as one step: afterwards all are new, or all as before.

    Every new version is first written in full beside its target, so a full disk fails before
    anything is replaced; each existing target is kept (a hard link, or a copy where links are
    not supported); only then are the new versions renamed into place, each in one rename. If
    a rename fails, the targets already replaced get their previous version back (a target
    that did not exist is removed again) and the failure is one line. Should even that fail,
    the previous version is left beside the target as ``NAME.<time>.previous`` and the message
    says so. Returns the paths written.
    """
    targets = [_real_target(Path(t)) for t in texts]
    if len(set(targets)) != len(targets):
        raise ValueError("replace_together: the same file is named twice")
    with contextlib.ExitStack() as stack:
        staged = []
        for target, text in zip(targets, texts.values(), strict=True):
            with _user_errors(target):
                tmp = stack.enter_context(_temp_beside(target))
                tmp.write_text(text, encoding="utf-8")
                _keep_mode(tmp, target)
            staged.append(tmp)
        kept = []
        for target in targets:
            with _user_errors(target):
                kept.append(_keep_previous(target, stack))
        done: list[int] = []
        try:
            for number, (tmp, target) in enumerate(zip(staged, targets, strict=True)):
                os.replace(tmp, target)
                done.append(number)
        except OSError as exc:
            _put_back([(targets[n], kept[n]) for n in reversed(done)])
            raise user_os_error(exc, exc.filename or targets[len(done)]) or exc from None
    return targets


def _keep_previous(target: Path, stack: contextlib.ExitStack) -> Path | None:
    """A second name for ``target``'s current version (removed when the step ends), None if it has none."""
    if not target.is_file():
        return None
    keep = stack.enter_context(_temp_beside(target))
    keep.unlink()
    try:
        os.link(target, keep)
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EMLINK, errno.EOPNOTSUPP, errno.ENOSYS, errno.EXDEV):
            raise
        shutil.copy2(target, keep)
    return keep


def _put_back(replaced: list[tuple[Path, Path | None]]) -> None:
    """Undo renames already made; a version that cannot be put back is saved as NAME.<time>.previous."""
    stranded = []
    for target, previous in replaced:
        try:
            if previous is None:
                target.unlink(missing_ok=True)
            else:
                os.replace(previous, target)
        except OSError:
            if previous is not None:
                safe = target.with_name(f"{target.name}.{time.strftime('%Y%m%dT%H%M%S')}.previous")
                with contextlib.suppress(OSError):
                    os.link(previous, safe)
                    stranded.append(f"{target} (previous version in {safe.name})")
    if stranded:
        raise InputError(
            None,
            "a write failed and these files could not be put back: " + "; ".join(stranded),
            "restore them from those copies by hand",
        )


def check_new_file(target: str | Path) -> None:
    """Refuse early (before any work) a file :func:`write_new_file` would refuse at the end."""
    if os.path.lexists(target):
        raise _exists(Path(target))


def _exists(target: Path) -> InputError:
    return InputError(
        target,
        "already exists and may hold curated work, so it was not overwritten",
        "edit it, or move it away first to start again",
    )


def is_tool_folder(folder: Path) -> bool:
    """Whether ``folder`` is a folder this tool wrote (it holds :data:`DATASET_MARK`)."""
    return (folder / DATASET_MARK).is_file()


def foreign_files(folder: Path) -> list[str]:
    """Names in a marked folder that the tool did not write there (a person's own files)."""
    try:
        listed = set(json.loads((folder / DATASET_MARK).read_text(encoding="utf-8"))["files"])
    except (OSError, ValueError, KeyError, TypeError):
        listed = set()
    return sorted(p.name for p in folder.iterdir() if p.name not in listed | {DATASET_MARK})


def write_folder_atomic(target: str | Path, fill: Callable[[Path], None], about: dict[str, object]) -> Path:
    """Build a folder with ``fill(staging)`` and put it at ``target`` in one step; return ``target``.

    The folder gets :data:`DATASET_MARK` (``about`` plus the list of files written) so a
    later run knows it may replace it. The caller checks first that ``target`` is free or
    such a folder (see ``utils.outputs``).
    """
    target = Path(target)
    with _user_errors(target):
        _prepare_folder(target)
        staging = Path(
            tempfile.mkdtemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".staging", dir=target.parent)
        )
        try:
            fill(staging)
            files = sorted(p.name for p in staging.iterdir())
            (staging / DATASET_MARK).write_text(
                json.dumps({"written_by": "expert-opinions", **about, "files": files}, indent=1) + "\n",
                encoding="utf-8",
            )
            make_shareable(staging, 0o777)
            _keep_mode(staging, target)
            _retire(_swap_in(staging, target) or (staging if staging.exists() else None), target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)  # not swapped in: a half-built folder
    return target


def _retire(old: Path | None, target: Path) -> None:
    """Keep the replaced folder a while as ``.NAME.<pid>.<random>.retired`` instead of deleting it at
    once: a reader that began listing it just before the swap would otherwise find its files gone
    (pandas reads a dataset by listing its folder, then opening each file). The next write beside it
    removes retired folders older than :data:`RETIRED_GRACE` seconds."""
    if old is None:
        return
    retired = Path(
        tempfile.mkdtemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".retired", dir=target.parent)
    )
    os.rename(old, retired / "old")


def _swap_in(staging: Path, target: Path) -> Path | None:
    """Put ``staging`` at ``target``; returns a path holding the old folder that is still to delete."""
    if not target.exists():
        os.rename(staging, target)
        return None
    if _exchange(staging, target):
        return None  # the old folder is now at ``staging``
    old = target.with_name(f".{target.name}.{os.getpid()}.old.staging")
    os.rename(target, old)
    os.rename(staging, target)
    return old


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2``); False where the system or file system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))
