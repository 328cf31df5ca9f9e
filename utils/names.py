"""Names that become file names (article ids, annotator names), made so two different names never merge.

A name that is already safe as it is keeps it unchanged, so the ids and files people already
have stay the same. Any other name keeps a readable ASCII form of itself (accents
transliterated, every other run of characters a hyphen) and gets :data:`TAG_LENGTH` hex digits
of the SHA-256 of the name: ``Story`` / ``story``, ``café`` / ``cafe``, ``a (1)`` / ``a-1``,
``josé`` / ``josè`` and any two all-CJK names all come out different. A safe name that
already ends in a hyphen and eight hex digits is tagged too, so a tagged name never equals a
plain one. The only names treated as one are canonically equivalent spellings (the NFC and
NFD forms of "é" that macOS and Linux store differently): they are the same name to a reader.
File names that are not UTF-8 (surrogate-escaped by Python) are hashed byte for byte.

Annotator names live in ``<annotator>.<table>.csv`` and may contain dots (``jane.doe``): they
are split from the table with :func:`split_annotation_file`, on the known table suffix, never
at the first dot.
"""

from __future__ import annotations

import getpass
import hashlib
import os
import re
import unicodedata

TAG_LENGTH = 8
MAX_ANNOTATOR = 64
_TAGGED = re.compile(rf"-[0-9a-f]{{{TAG_LENGTH}}}\Z")
_EDGES = re.compile(r"\A[^A-Za-z0-9]+|[^A-Za-z0-9]+\Z")
# Letters, digits and single inner '.', '_' or '-' runs: safe in a file name on every system.
_ANNOTATOR = re.compile(rf"[A-Za-z0-9](?:[A-Za-z0-9_-]|\.(?!\.)){{0,{MAX_ANNOTATOR - 1}}}(?<!\.)")
# Windows refuses these as the part of a file name before its first dot.
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


def tag(name: str) -> str:
    """Eight hex digits of the SHA-256 of the NFC name (its file-system bytes when not UTF-8)."""
    nfc = unicodedata.normalize("NFC", name)
    return hashlib.sha256(nfc.encode("utf-8", "surrogatepass")).hexdigest()[:TAG_LENGTH]


def ascii_fold(name: str) -> str:
    """``name`` with accents and compatibility forms folded to ASCII where they can be ("ﬁ" -> "fi")."""
    nfkd = unicodedata.normalize("NFKD", unicodedata.normalize("NFC", name))
    return "".join(c for c in nfkd if not unicodedata.combining(c))


def distinct_name(name: str, *, lower: bool, keep: str, max_length: int, fallback: str) -> str:
    """``name`` itself if it is safe as it is, else its readable ASCII form plus :func:`tag` (module doc).

    ``keep`` lists the punctuation a safe name may hold besides letters, digits and '-';
    ``lower`` makes upper-case letters unsafe (article ids are lower-case); ``fallback`` is the
    readable part when nothing readable is left ("新闻" -> "article-1a2b3c4d").
    """
    folded = ascii_fold(name).lower() if lower else ascii_fold(name)
    letters = "a-z0-9" if lower else "A-Za-z0-9"
    readable = _EDGES.sub("", re.sub(rf"[^{letters}{re.escape(keep)}]+", "-", folded))
    readable = re.sub(r"([._-])[._-]+", r"\1", readable)  # no '..' or '-.-': one separator at a time
    plain = (
        bool(readable)
        and readable == name
        and len(readable) <= max_length
        and not _TAGGED.search(readable)
        and readable.split(".")[0].lower() not in _RESERVED
    )
    if plain:
        return readable
    stem = _EDGES.sub("", (readable or fallback)[: max_length - TAG_LENGTH - 1]) or fallback
    if stem.split(".")[0].lower() in _RESERVED:  # "nul.doe" -> "nul-doe-<tag>": no device name before a dot
        stem = stem.replace(".", "-", 1)
    return f"{stem}-{tag(name)}"


def annotator_name(user: str) -> str:
    """A safe annotator name for ``user`` (an OS or typed name); different users never share one.

    ``jane.doe`` and ``ana_lopez`` stay as they are; ``josé`` -> ``jose-<tag>``, ``josè`` ->
    another tag, ``山田`` -> ``annotator-<tag>``.
    """
    return distinct_name(user, lower=False, keep="._", max_length=MAX_ANNOTATOR, fallback="annotator")


def default_annotator() -> str:
    """The annotator name of the person running this: :func:`annotator_name` of the OS user."""
    try:
        user = getpass.getuser()
    except (OSError, KeyError):  # no USER variable and no passwd entry (some containers)
        user = ""
    return annotator_name(user)


def is_annotator_name(value: object) -> bool:
    """Letters, digits and single inner '.', '_', '-'; at most 64; not a Windows device name."""
    return (
        isinstance(value, str)
        and _ANNOTATOR.fullmatch(value) is not None
        and value.split(".")[0].lower() not in _RESERVED
    )


def split_annotation_file(file_name: str, tables: tuple[str, ...]) -> tuple[str, str] | None:
    """``(annotator, table)`` of ``<annotator>.<table>.csv``, or None for any other file name.

    The table is the known suffix at the end, so an annotator name keeps all its dots:
    ``jane.doe.stance.csv`` -> ``("jane.doe", "stance")``.
    """
    for table in sorted(tables, key=len, reverse=True):
        suffix = f".{table}.csv"
        if file_name.endswith(suffix) and len(file_name) > len(suffix):
            return file_name[: -len(suffix)], table
    return None


def printable(name: str | os.PathLike[str]) -> str:
    """A file name or path as text that can be written anywhere (UTF-8 tables, pages, JSON).

    A name whose bytes are not UTF-8 reaches Python surrogate-escaped and cannot be encoded;
    here those bytes are shown as ``\\xNN`` ("caf\\xe9.txt"), everything else unchanged.
    """
    return os.fsencode(name).decode("utf-8", "backslashreplace")
