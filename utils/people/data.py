"""The registry's word lists and tables, read from the plain files beside this module.

Why files: which head nouns make a named organisation, and which role words make an expert, an
official or a politician, are judgements people should read and change without reading code.
Each file says what it is for in its first comment line; every loader is cached.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _lines(name: str) -> list[str]:
    text = (HERE / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@cache
def load_words(name: str) -> frozenset[str]:
    """The word list ``utils/people/<name>.txt``."""
    return frozenset(_lines(f"{name}.txt"))


@cache
def load_table(name: str) -> tuple[dict[str, str], ...]:
    """The rows of the tab-separated ``utils/people/<name>.tsv`` (a header line first)."""
    return tuple(csv.DictReader(_lines(f"{name}.tsv"), delimiter="\t"))
