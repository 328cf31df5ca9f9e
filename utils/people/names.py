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

from utils.extract.lexicon import expansions, tagged, words
from utils.people.data import load_table, load_words
from utils.speakers import analyse_np

PERSON, ORGANISATION, NOBODY = "person", "organisation", "nobody"
_HONORIFICS = words("honorifics")
_TITLES = words("title-words")
_ADDRESS = words("address-forms")
_PARTICLES = words("name-particles")
_SUFFIXES = words("suffixes")
_DETERMINERS = tagged("determiners", "article", "demonstrative")
_NICKNAMES = expansions("nicknames")
_INDEFINITE = words("quantifiers") | words("number-words") | {"a", "an", "another", "one"}
_DROPPED_FIRST = {"the", "her", "his", "their", "its", "our", "my", "your", "even", "only", "also", "just"}
_GROUP_WORDS = load_words("group-words")
_PRONOUNS = words("pronouns")
_ORG_HEADS = load_words("organisation-heads")
_DESCRIPTORS = load_words("descriptor-words")
_ADDRESSING = words("honorifics") | words("address-forms") | words("title-words")
_ROLE_WORDS = words("role-words")
_OCCUPATIONS = words("occupations")
_CALENDAR = tagged("calendar", "weekday", "month")
_STATES = frozenset(row["state"] for row in load_table("us-states"))
_STATES_ONLY = frozenset(row["state"] for row in load_table("us-states") if row["also_name"] == "no")
_PLACES = words("places")
_PLACE_NAMES = words("place-names")
_FIRST_NAMES = tagged("first-names", "signal")
_NAME_GLUE = {"of", "and", "for", "the", "de", "du", "del", "la", "le", "von", "van", "&", "on", "at"}
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
    return analyse_speaker(speaker)[0]


def core_name(speaker: str) -> str:
    """The words of a speaker that name someone: "Democrat Hillary Clinton" -> "Hillary Clinton"."""
    return analyse_speaker(speaker)[1]


@lru_cache(maxsize=1 << 18)
def analyse_speaker(speaker: str) -> tuple[str, str]:
    """(kind, the words that name someone) for a speaker as the extractor wrote it.

    The rules, in order: a possessive pronoun or "the" in front is dropped ("Her campaign" is
    "campaign"); several people joined by "and" are nobody (a statement has one speaker); a
    quantifier or article in front makes a description ("a source", "some officials"), except
    "neither"/"either" before a name; words that describe rather than name ("Democrat",
    "Senate", "billionaire businessman") are dropped before a name; a person is what the
    extractor's noun-phrase analysis reads as one, with no weekday or month in it; a single
    capitalised word is a surname (an acronym is an organisation, a plural such as "Democrats"
    nobody); several words are an organisation only when written as a name (every word but
    "of", "and", "for"... capitalised: "Human Rights Watch", not "report in a New Hampshire paper"),
    or as a name followed by an organisation's head noun ("Trump campaign").
    """
    text = _POSSESSIVE.sub("", fold_display(speaker)).strip(" ,;:")
    words = text.split()
    definite = bool(words) and words[0].lower() == "the"
    while words and words[0].lower() in _DROPPED_FIRST:
        words = words[1:]
    if not words or _several(" ".join(words)):
        return NOBODY, ""
    if words[0].lower() in _INDEFINITE:
        if words[0].lower() not in ("neither", "either") or len(words) < 2 or not words[1][:1].isupper():
            return NOBODY, ""
        words = words[1:]
    words = _without_descriptions(words)
    core = " ".join(words)
    np = analyse_np(core)
    if np.kind == "person" and parse_person(np.name) and not _calendar(np.name) and not _place(np.name):
        return PERSON, np.name
    named = [w for w in words if any(c.isalpha() for c in w)]
    if not named or _calendar(core):
        return NOBODY, ""
    if len(named) == 1:
        return (ORGANISATION, named[0]) if definite and named[0][:1].isupper() else _one_word(named[0])
    if _written_as_name(named) and _bare(_head(named)) not in _GROUP_WORDS:
        return ORGANISATION, core
    if _written_as_name(named[:-1]) and _bare(named[-1]) in _ORG_HEADS and named[0][:1].isupper():
        return ORGANISATION, core  # "Trump campaign", "Obama administration"
    return NOBODY, ""


def _without_descriptions(words: list[str]) -> list[str]:
    """Titles and forms of address before a capitalised word ("Mrs. Clinton", "Sen. Sanders") and
    describing words before a full name ("Democrat Hillary Clinton") are not part of the name."""
    while len(words) > 1 and _bare(words[0]) in _ADDRESSING and words[1][:1].isupper():
        words = words[1:]
    while (
        len(words) > 2
        and _describes(words[0])
        and words[1][:1].isupper()
        and analyse_np(" ".join(words[1:])).kind == "person"
    ):
        words = words[1:]
    return words


def _one_word(word: str) -> tuple[str, str]:
    if _bare(word) in _PRONOUNS:
        return NOBODY, ""  # "She", "He" at a sentence's start: the extractor left a pronoun unresolved
    if _is_acronym(word):
        return ORGANISATION, word
    if not word[:1].isupper() or _bare(word) in _GROUP_WORDS or _calendar(word):
        return NOBODY, ""
    return PERSON, word


def _several(text: str) -> bool:
    """ "Jeb Bush and Chris Christie", "Clinton and the State Department": more than one speaker."""
    parts = re.split(r"\s+(?:and|&)\s+", text)
    if len(parts) < 2:
        return False
    return any(p.split()[0].lower() == "the" for p in parts[1:]) or any(
        len(p.split()) > 1 and analyse_np(p).kind == "person" for p in parts
    )


def _describes(word: str) -> bool:
    low = _bare(word)
    return low in _DESCRIPTORS or low in _TITLES or low in _ROLE_WORDS or low in _OCCUPATIONS


def names_many(description: str) -> bool:
    """A description whose head is a plural for many people ("officials", "senior aides")."""
    words = fold(description).split()
    return bool(words) and _bare(_head(words)) in _GROUP_WORDS


def _head(words: list[str]) -> str:
    """The head noun of a phrase: the word before "of" or "for" ("Friends of ..."), else the last."""
    for i, word in enumerate(words[1:], start=1):
        if word.lower() in ("of", "for"):
            return words[i - 1]
    return words[-1]


def _written_as_name(words: list[str]) -> bool:
    """Every word capitalised, but for the small words names keep in lower case."""
    return all(w[:1].isupper() or w[:1].isdigit() or w.lower() in _NAME_GLUE for w in words)


def _place(name: str) -> bool:
    """A name with a place in it ("New Hampshire", "Terry Iowa", "Minnesota Democratic") is no
    person's; a place word after a known given name is a surname ("George Washington")."""
    words = [_bare(w) for w in name.split()]
    if " ".join(words) in _STATES or any(w in _STATES_ONLY or w in _DESCRIPTORS for w in words[1:]):
        return True
    if words and words[0] in _FIRST_NAMES:
        return False
    pairs = {" ".join(words[i : i + 2]) for i in range(len(words) - 1)}
    return bool(pairs & (_PLACE_NAMES | _STATES)) or any(w in _PLACES or w in _DESCRIPTORS for w in words)


def _calendar(name: str) -> bool:
    return any(_bare(w) in _CALENDAR for w in name.split())


def _bare(word: str) -> str:
    return word.lower().strip(".,'")


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
    return "".join(w[0] for w in key.split() if w not in _PARTICLES and w not in _NAME_GLUE)
