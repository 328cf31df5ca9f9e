"""Exception types for bad input.

Every error a user can cause is an :class:`InputError`: it carries one line that names
the file, says what is wrong and what to do, so the CLI can print it and exit 2
instead of showing a traceback. Specific subclasses let library callers react to
one kind of problem.
"""

from __future__ import annotations

import os
from pathlib import Path


class InputError(Exception):
    """A problem with something the user supplied (file, table, argument)."""

    def __init__(self, path: str | Path | None, problem: str, fix: str = "") -> None:
        # a file name whose bytes are not UTF-8 is shown with them as \xNN, so the line can be printed
        self.path = os.fsencode(path).decode("utf-8", "backslashreplace") if path is not None else None
        self.problem = problem
        self.fix = fix
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """The one-line message: where, what is wrong, what to do."""
        where = f"{self.path}: " if self.path else ""
        fix = f" — {self.fix}" if self.fix else ""
        return f"{where}{self.problem}{fix}"


class ArticleError(InputError):
    """An article file that cannot be read as text (missing, empty, binary, ...)."""


class TableError(InputError):
    """A statements, stance or topics table that breaks its schema."""


class ArticleNotFoundError(InputError):
    """An article id or path that names nothing we have."""
