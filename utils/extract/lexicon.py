"""The extractor's word lists, read from the plain files in ``utils/lexicons/`` (see its README).

Why files: the lists are data that linguists and reviewers should be able to read and change
without reading code, and a test (``tests/test_lexicons.py``) checks them for duplicates,
overlaps and unused files. Every loader is cached, so each file is read once per process.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

LEXICONS = Path(__file__).resolve().parent.parent / "lexicons"


def _lines(name: str) -> list[str]:
    """The entries of ``name``: one per line; ``#`` comment lines and blank lines are skipped."""
    text = (LEXICONS / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def table(name: str) -> list[dict[str, str]]:
    """The rows of a tab-separated file with a header line."""
    return list(csv.DictReader(_lines(name), delimiter="\t"))


@cache
def words(name: str) -> frozenset[str]:
    """The word list ``utils/lexicons/<name>.txt``."""
    return frozenset(_lines(f"{name}.txt"))


@cache
def verb_rows() -> tuple[tuple[str, tuple[str, ...], dict[str, frozenset[str]]], ...]:
    """``verbs.tsv`` as (lemma, forms, {class or complement: the forms it applies to})."""
    rows = []
    for row in table("verbs.tsv"):
        forms = tuple(row["forms"].split())
        tags: dict[str, frozenset[str]] = {}
        for cell in (row["classes"], row["takes"]):
            for tag in cell.split():
                if tag == "-":
                    continue
                name, _, only = tag.partition("=")
                tags[name] = frozenset(only.split(",")) if only else frozenset(forms)
        rows.append((row["lemma"], forms, tags))
    return tuple(rows)


@cache
def verb_forms(tag: str) -> frozenset[str]:
    """Every verb form with class (or complement) ``tag`` in ``verbs.tsv``: "speech", "object", ..."""
    return frozenset(form for _lemma, _forms, tags in verb_rows() for form in tags.get(tag, ()))


@cache
def _word_sets() -> dict[str, frozenset[str]]:
    return {row["set"]: frozenset(row["words"].split()) for row in table("word-sets.tsv")}


def word_set(name: str) -> frozenset[str]:
    """The set ``name`` of ``word-sets.tsv``: a small closed class read by one rule or a few."""
    try:
        return _word_sets()[name]
    except KeyError:
        raise KeyError(f"word-sets.tsv has no set {name!r}") from None


@cache
def lemma_forms(lemma: str) -> frozenset[str]:
    """Every form of ``lemma``'s row in ``verbs.tsv`` ("call": call, called, calling, calls)."""
    for name, forms, _tags in verb_rows():
        if name == lemma:
            return frozenset(forms)
    raise KeyError(f"verbs.tsv has no row for the lemma {lemma!r}")


@dataclass(frozen=True)
class Particle:
    """The particle a phrasal verb needs right after it (a row of ``phrasal-verbs.tsv``)."""

    word: str  # "out" in "pointed out"
    skipped: bool  # the reported content starts after it
    printed: bool  # the cue column prints it with the verb ("pointed out")


@cache
def particles() -> dict[str, Particle]:
    """``phrasal-verbs.tsv`` by verb form: each form of the row's lemma needs its particle."""
    found = {}
    for row in table("phrasal-verbs.tsv"):
        printed = set(row["printed"].split(",")) - {"-"}
        for form in lemma_forms(row["lemma"]):
            found[form] = Particle(row["particle"], row["skipped"] == "yes", form in printed)
    return found


@cache
def abbreviations(column: str) -> frozenset[str]:
    """Abbreviations (lower case, no period) marked "yes" in ``column`` of ``abbreviations.tsv``."""
    return frozenset(row["abbreviation"] for row in table("abbreviations.tsv") if row[column] == "yes")


@cache
def expansions(name: str) -> dict[str, str]:
    """A two-column table ``<name>.tsv`` as {short: long} ("gov" -> "governor")."""
    return {row["short"]: row["long"] for row in table(f"{name}.tsv")}


@cache
def tagged(name: str, *tags: str) -> frozenset[str]:
    """Entries of ``<name>.tsv`` (columns ``entry``, ``tags``) with any of ``tags``; all if none given."""
    rows = table(f"{name}.tsv")
    return frozenset(row["entry"] for row in rows if not tags or set(row["tags"].split()) & set(tags))
