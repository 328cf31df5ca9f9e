"""The one guarded printer: every command's output to standard output, and its notes to standard error.

Standard output is the user's to fix when it fails: closed (``>&-``), full (``> /dev/full``) or a
pipe whose reader stopped (``| head``). Each becomes a one-line :class:`~utils.errors.InputError`
instead of a traceback. Notes on standard error (progress, "wrote FILE") never fail a command. A
command that changes files checks standard output before it starts, and if printing fails after the
change, it says the change was made (:func:`write_done`).
"""

from __future__ import annotations

import contextlib
import os
import sys

from utils.errors import InputError
from utils.files import user_os_error

STDOUT = "standard output"
_FIX = "let the output go to a terminal, a file or a pipe that stays open (or write a file with -o)"


def check_stdout() -> None:
    """Refuse to start work whose result would have nowhere to go (standard output closed)."""
    if sys.stdout is None:
        raise InputError(STDOUT, "is closed, so there is nowhere to write the result", _FIX)


def write_stdout(text: str) -> None:
    """Write and flush; a closed pipe or a full device is the user's to fix, said in one line."""
    check_stdout()
    try:
        _write_all(text)
    except BrokenPipeError:
        _silence_stdout()
        raise InputError(
            STDOUT, "was closed before all output was written (its reader stopped, e.g. head)", _FIX
        ) from None
    except OSError as exc:
        _silence_stdout()
        raise (user_os_error(exc, STDOUT) or exc) from None


def write_done(text: str, done: str) -> None:
    """Print what a command did after it changed files: if standard output fails only now, the one-line
    error says that ``done`` ("the curated tables were replaced") happened, so nobody redoes it."""
    try:
        write_stdout(text)
    except InputError as exc:
        raise InputError(
            STDOUT, f"{exc.problem}, after {done}", "nothing to redo: only this listing was not printed"
        ) from None


def note(text: str) -> None:
    """One line on standard error (progress, "wrote FILE"); a closed or broken standard error is ignored."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        sys.stderr.write(text.rstrip("\n") + "\n")
        sys.stderr.flush()


def _write_all(text: str) -> None:
    """Write every byte: a pipe whose reader left mid-write takes part of a buffered write and
    reports success, so the file descriptor is written in a loop until all is taken or it fails."""
    try:
        fd = sys.stdout.fileno()
    except (OSError, ValueError, AttributeError):  # captured output (tests, notebooks): no descriptor
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    sys.stdout.flush()
    data = memoryview(_encoded(text, sys.stdout.encoding or "utf-8"))
    while data:
        data = data[os.write(fd, data) :]


def _encoded(text: str, encoding: str) -> bytes:
    """``text`` in the output's encoding: a file name's undecodable bytes go out as they came in,
    a character the encoding lacks as a backslash escape."""
    try:
        return text.encode(encoding, "surrogateescape")
    except UnicodeEncodeError:
        return text.encode(encoding, "backslashreplace")


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so Python's flush at exit cannot fail a second time."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
