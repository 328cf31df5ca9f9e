"""What a speaker string names: a person (with the parts of the name), an organisation, or nobody.

The extractor gives each statement a speaker as the article wrote it, after resolving pronouns
and short forms inside that article ("he" -> "Hillary Clinton"). Across a coverage the same
person appears as "Hillary Clinton", "Hillary Rodham Clinton", "Mrs. Clinton", "HILLARY
CLINTON" or "Clinton’s"; these functions reduce each form to comparable parts, so that the
clustering (:mod:`utils.people.cluster`) can decide which forms are one person and which
only share a surname. Everything is folded the same way: Unicode compatibility forms,
invisible and direction characters removed, accents dropped, case folded.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from utils.extract.lexicon import expansions, words
from utils.people.data import load_words
from utils.speakers import analyse_np

PERSON, ORGANISATION, NOBODY = "person", "organisation", "nobody"
_HONORIFICS = words("honorifics")
_TITLES = words("title-words")
_ADDRESS = words("address-forms")
_PARTICLES = words("name-particles")
_SUFFIXES = words("suffixes")
_DETERMINERS = words("determiners")
_NICKNAMES = expansions("nicknames")
_INDEFINITE = words("quantifiers") | words("number-words") | {"a", "an", "another", "one"}
_ORG_HEADS = words("group-references") | load_words("organisation-heads")
_TOKEN = re.compile(r"[^\W\d_]+(?:['\-][^\W\d_]+)*\.?|\d+", re.UNICODE)
_POSSESSIVE = re.compile(r"['’]s?$")


@dataclass(frozen=True)
class PersonName:
    """A person's name in folded parts: "Hillary Rodham Clinton" -> hillary, (rodham,), clinton."""

    given: str  # "" when only a surname was written
    middles: tuple[str, ...]
    surname: str
    suffix: str = ""  # "jr", "sr", "iii": a different person from the one without it

    @property
    def first(self) -> str:
        """The given name, or the one name a familiar form always stands for ("bill" -> "william")."""
        long = _NICKNAMES.get(self.given, "").split()
        return long[0] if len(long) == 1 else self.given

    @property
    def first_choices(self) -> tuple[str, ...]:
        """The names a familiar form may stand for ("al" -> albert, alan, alfred); the first if one."""
        return tuple(_NICKNAMES.get(self.given, "").split()) or (self.first,)

    @property
    def bare(self) -> bool:
        """Only a surname ("Clinton"): it names someone only inside its own article."""
        return not self.given

    @property
    def initial_only(self) -> bool:
        """The given name is an initial ("H. Clinton")."""
        return len(self.given) == 1


@lru_cache(maxsize=1 << 18)
def fold(text: str) -> str:
    """Compatibility forms; no invisible or direction characters, no accents; straight apostrophes; folded."""
    text = unicodedata.normalize("NFKC", text).replace("’", "'").replace("‘", "'")
    decomposed = unicodedata.normalize("NFKD", text)
    kept = (c for c in decomposed if not unicodedata.combining(c) and unicodedata.category(c) != "Cf")
    return " ".join("".join(kept).casefold().split())


def speaker_kind(speaker: str) -> str:
    """``person``, ``organisation`` or ``nobody`` (a description that names no one: "officials")."""
    return _speaker_kind(fold_display(speaker))


@lru_cache(maxsize=65536)
def _speaker_kind(speaker: str) -> str:
    tokens = [t for t in _TOKEN.findall(speaker) if any(c.isalpha() for c in t)]
    while len(tokens) > 1 and tokens[0].lower() == "the":
        tokens = tokens[1:]
    if not tokens or tokens[0].lower() in _INDEFINITE:
        return NOBODY  # "a Trump campaign spokesman", "some officials": nobody in particular
    np = analyse_np(_POSSESSIVE.sub("", speaker))
    if np.kind == "person" and parse_person(np.name) is not None:
        return PERSON
    named = [t for t in _TOKEN.findall(np.name) if any(c.isalpha() for c in t)]
    if np.kind == "short" and len(named) == 1 and not _is_acronym(named[0]):
        return PERSON if speaker.split()[0].lower() != "the" else ORGANISATION
    head = _POSSESSIVE.sub("", tokens[-1])
    if head[:1].isupper() or (head.lower() in _ORG_HEADS and any(t[:1].isupper() for t in tokens)):
        return ORGANISATION
    return NOBODY


@lru_cache(maxsize=1 << 18)
def fold_display(text: str) -> str:
    """``text`` with compatibility forms and invisible characters removed, case and accents kept."""
    text = unicodedata.normalize("NFKC", text)
    return " ".join("".join(c for c in text if unicodedata.category(c) != "Cf").split())


def _is_acronym(token: str) -> bool:
    """ "NATO", "CNN", "U.S.": capitals only, so an organisation and never a surname."""
    letters = token.replace(".", "")
    return len(letters) > 1 and letters.isupper()


@lru_cache(maxsize=65536)
def parse_person(speaker: str) -> PersonName | None:
    """The parts of a person's name, titles, forms of address and possessives dropped; None if no name."""
    tokens = [_POSSESSIVE.sub("", t) for t in _TOKEN.findall(fold(speaker))]
    tokens = [t for t in tokens if t and t != "."]
    while tokens and _is_title(tokens[0]) and len(tokens) > 1:
        tokens = tokens[1:]
    suffix = ""
    if len(tokens) > 1 and tokens[-1].rstrip(".") in _SUFFIXES:
        suffix = tokens.pop().rstrip(".")
    parts = _split_initials(tokens)
    if not parts or not parts[-1].isalpha() or len(parts[-1]) < 2:
        return None
    surname_start = len(parts) - 1
    while surname_start > 0 and parts[surname_start - 1] in _PARTICLES:
        surname_start -= 1
    if surname_start == 0 and len(parts) == 2:
        surname_start = 1  # "Van Morrison": a particle alone before a surname is a given name
    surname = " ".join(parts[surname_start:])
    given, middles = (parts[0], tuple(parts[1:surname_start])) if surname_start else ("", ())
    return PersonName(given, middles, surname, suffix)


def _is_title(token: str) -> bool:
    bare = token.rstrip(".")
    return bare in _HONORIFICS or bare in _TITLES or bare in _ADDRESS or bare in _DETERMINERS


def _split_initials(tokens: list[str]) -> list[str]:
    """ "h.w." -> "h", "w"; "rodham" stays; periods after initials dropped."""
    parts: list[str] = []
    for token in tokens:
        pieces = [p for p in token.split(".") if p]
        parts.extend(pieces if len(pieces) > 1 and all(len(p) == 1 for p in pieces) else [token.rstrip(".")])
    return [p for p in parts if p]


def organisation_key(speaker: str) -> str:
    """One key for the forms of an organisation's name: "the Clinton campaign" = "Clinton's campaign"."""
    tokens = [_POSSESSIVE.sub("", t).rstrip(".") for t in _TOKEN.findall(fold(speaker))]
    tokens = [t for t in tokens if t]
    while len(tokens) > 1 and tokens[0] in _DETERMINERS:
        tokens = tokens[1:]
    return " ".join(tokens)


def initials(key: str) -> str:
    """ "federal bureau of investigation" -> "fbi": how an acronym is checked against a long name."""
    return "".join(w[0] for w in key.split() if w not in _PARTICLES and w not in {"of", "and", "for", "the"})
