"""Speaker logic for the statement extractor: names, titles, appositions and coreference.

Everything here is rule-based and offline. A news article introduces a source once with a full
name and a role ("Mick Ryan, a retired major general in the Australian Army") and later refers to
the same person by surname, honorific or pronoun. The functions below turn the noun phrase found
next to a reporting verb into a canonical speaker name plus a short affiliation, and
``SpeakerBook`` keeps the per-article memory that resolves "Ryan", "Mr. Ryan" and "he".

This module must not import ``utils.quotes`` (quotes builds on speakers, not the reverse).
"""

from __future__ import annotations

import heapq
import re
from bisect import bisect_left, insort
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice

from utils.extract.lexicon import abbreviations, expansions, words

# --- lexicons ---------------------------------------------------------------------------------


#: Honorifics and abbreviated ranks; stripped from names and never part of the canonical speaker.
HONORIFICS = words("honorifics")

#: Title words that may precede a name inside a capitalised run ("Prime Minister Habib Essid").
TITLE_WORDS = words("title-words") | HONORIFICS

#: Words that make a capitalised run an organisation or a place rather than a person.
ORG_WORDS = words("org-words")

#: Nouns that head a role description ("a senior fellow at ...", "head of the ...").
ROLE_WORDS = words("role-words")

#: Capitalised words that start sentences but never names ("Yet Sondland said" -> "Sondland").
COMMON_CAPS = words("common-caps")

#: Common given names (a positive signal only: many real names are not listed).
FIRST_NAMES = words("first-names")

#: Given names that are (almost always) women's: "she" prefers these, "he" skips them.
FEMALE_NAMES = words("female-names")

#: Words in a name, title or role that tell a person's gender.
_FEMALE_WORDS = words("female-words")
_MALE_WORDS = words("male-words")


_UNISEX_NAMES = words("unisex-names")


def person_gender(name: str, role: str = "") -> str:
    """ "f", "m" or "" (unknown) from the given name, then honorifics and role words."""
    words = [w.lower().strip(".,") for w in name.split()]
    first = next((w for w in words if w not in HONORIFICS and w not in TITLE_WORDS), "")
    if first in FEMALE_NAMES:
        return "f"
    if first in FIRST_NAMES and first not in _UNISEX_NAMES:
        return "m"
    for w in words + [w.lower().strip(".,") for w in role.split()]:
        if w in _FEMALE_WORDS:
            return "f"
        if w in _MALE_WORDS:
            return "m"
    return ""


#: Countries and regions: a leading place name belongs to the role ("Britain Liu Xiaming").
PLACES = words("places")

#: Two- and three-word place names that look like personal names ("South Carolina", "New York").
PLACE_NAMES = words("place-names")

PRONOUNS = words("pronouns")
_PERSON_PRONOUNS = words("person-pronouns")
_PLURAL_PRONOUNS = words("plural-pronouns")

#: Lower-case words allowed inside a personal name ("Ludwig van Beethoven", "Ali bin Hassan").
NAME_PARTICLES = words("name-particles")

_DETERMINERS = words("determiners")
_ABBREV = abbreviations("name")
_WEEKDAYS_MONTHS = words("weekdays-months")


def _after_preposition(text: str, pos: int) -> bool:
    """Is the word at ``pos`` the object of a preposition ("the offices of Omar")?"""
    before = text[max(0, pos - 12) : pos].split()
    return bool(before) and before[-1].lower() in _NP_PREPOSITIONS


_TITLE_ABBREVIATIONS = expansions("title-abbreviations")

_SUFFIXES = words("suffixes")
_NP_PREPOSITIONS = words("np-prepositions")
_GROUP_REFERENCES = words("group-references")
#: Documents that "say" things on behalf of whoever issued them ("the statement read").
DOCUMENT_NOUNS = words("document-nouns")
#: Heads of anonymous individual sources; "the source" may refer back to "an insider".
_SOURCE_NOUNS = words("source-nouns")

_WORD_RE = re.compile(r"[^\W_]+(?:[’'\-.&][^\W_]+)*\.?|[^\w\s]", re.UNICODE)
_POSSESSIVE_RE = re.compile(r"[’']s?$")


# --- small predicates -------------------------------------------------------------------------


def _bare(word: str) -> str:
    """Lower-case a token and drop a trailing period, so "Lt." and "lt" compare equal."""
    return word.lower().rstrip(".")


def is_capitalised(word: str) -> bool:
    """True for tokens that can belong to a proper-name run ("Sondland", "U.S.", "McClatchy")."""
    return bool(word) and (word[0].isupper() or (word[0].isdigit() and any(c.isalpha() for c in word)))


def is_title(word: str) -> bool:
    """True for a rank, office or honorific that is not part of the canonical name."""
    return _bare(word) in TITLE_WORDS


def is_org_word(word: str) -> bool:
    """True for words that mark an organisation or place ("Council", "Times", "Market")."""
    return _bare(word) in ORG_WORDS


def is_acronym(word: str) -> bool:
    """All-caps tokens (NASA, SNC, U.S.) and camel-case brands (SpaceX) are not personal names.

    Surname prefixes ("McCarthy", "MacArthur", "O’Brien", "DeSantis") are not camel case.
    """
    letters = [c for c in word if c.isalpha()]
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        return True
    if "-" in word or len(word) <= 2:
        return False
    rest = re.sub(r"^(?:Mc|Mac|O[’']|D[’']|De|Di|La|Le|Van)", "", word)
    return any(c.isupper() for c in rest[1:])


def looks_like_person(name: str) -> bool:
    """Heuristic: 2-4 capitalised words (particles allowed), no org words, no acronyms, no digits.

    Used both to decide whether a canonical speaker is a person (pronoun "he"/"she" resolution,
    surname matching) and by the evaluation to choose the named-speaker rule.
    """
    words = name.split()
    if not 2 <= len(words) <= 4:
        return False
    first = words[0].lower()
    if first in _DETERMINERS or (first.endswith("ing") and first not in FIRST_NAMES):
        return False
    for word in words:
        if word.lower() in NAME_PARTICLES:
            continue
        if not word[0].isupper() or any(c.isdigit() for c in word):
            return False
        if is_org_word(word) or is_acronym(word.rstrip(".")):
            return False
    return True


@lru_cache(maxsize=8192)
def speaker_key(name: str) -> str:
    """Lower-case grouping key for the same person across articles.

    Strips honorifics and titles ("Dr.", "President"), possessives ("Ryan's"), punctuation and
    extra spaces, so "Mr. Jeffrey Frankel" and "jeffrey  frankel" share the key "jeffrey frankel".
    Organisation names keep their words ("the Pentagon" -> "pentagon").
    """
    words = [_POSSESSIVE_RE.sub("", w) for w in name.split()]
    words = [w for w in words if w and any(c.isalnum() for c in w)]
    while len(words) > 1 and (is_title(words[0]) or words[0].lower() in _DETERMINERS):
        words = words[1:]
    cleaned = (re.sub(r"[^\w\s\-]", "", w.lower()) for w in words)
    return " ".join(w.strip("-") for w in cleaned if w.strip("-"))


# --- noun-phrase analysis ---------------------------------------------------------------------


def words_of(text: str) -> list[str]:
    """Split a phrase into word and punctuation tokens (a fresh list; see ``_words``)."""
    return list(_words(text))


@lru_cache(maxsize=8192)
def _words(text: str) -> tuple[str, ...]:
    """Split a phrase into word and punctuation tokens (keeps "U.S.", "Dong-hoon", "he’s").

    A final period stays only on initials and abbreviations ("F.", "Lt.", "U.S."), so the
    sentence period in "said Fiona Hill." does not stick to the name.
    """
    out = []
    for word in _WORD_RE.findall(text):
        if word.endswith(".") and len(word) > 1:
            stem = word[:-1]
            if not (len(stem) == 1 or "." in stem or stem.lower() in HONORIFICS or stem.lower() in _ABBREV):
                out.extend([stem, "."])
                continue
        out.append(word)
    return tuple(out)


_RUN_CONNECTORS = words("run-connectors")
_AFFIX_ROLE = re.compile(
    r"-(?:based|owned|backed|led|run|funded|controlled|born|linked|affiliated|ranked|seeded|old)$", re.I
)


def _name_token(word: str) -> bool:
    """Can ``word`` be part of a proper-name run (not a "-based"-style modifier)?"""
    return is_capitalised(word) and not _AFFIX_ROLE.search(word)


def _trailing_run(words: list[str]) -> tuple[int, int]:
    """Bounds of the last run of capitalised words (plus name particles) in ``words``."""
    end = len(words)
    while end > 0 and not _name_token(words[end - 1]):
        end -= 1
    start = end
    while start > 0 and (
        _name_token(words[start - 1])
        or (
            (words[start - 1].lower() in NAME_PARTICLES or words[start - 1] in _RUN_CONNECTORS)
            and start - 1 > 0
            and (_name_token(words[start - 2]) or words[start - 2] in _RUN_CONNECTORS)
        )
    ):
        start -= 1
    return start, end


def _strip_leading_titles(run: list[str]) -> tuple[list[str], list[str]]:
    """Split a capitalised run into (title part, name part) at the last title word.

    "Tunisian Prime Minister Habib Essid" -> (["Tunisian", "Prime", "Minister"], ["Habib", "Essid"]).
    "Secretary of State Antony Blinken" keeps "of State" in the title part. A long run with a
    known given name inside ("Ukraine Kurt Volker") starts the name at that given name.
    """
    cut = 0
    while cut < len(run) - 2 and run[cut].lower() in PLACES:
        cut += 1  # "Britain Liu Xiaming", "Ukraine Kurt Volker"
    for i, word in enumerate(run[:-1]):
        if i < cut:
            continue
        if is_title(word) or (word.lower() == "of" and i > 0 and is_title(run[i - 1])):
            cut = i + 1
        elif cut == i and i > 0 and run[i - 1].lower() == "of":
            cut = i + 1  # the object of "Secretary of State"
            while len(run) - cut > 2 and run[cut].lower() not in FIRST_NAMES and is_capitalised(run[cut]):
                cut += 1  # "Director of Public Prosecution Eva-Marie Persson"
    while cut < len(run) - 1 and run[cut].lower() in COMMON_CAPS:
        cut += 1
    name = run[cut:]
    if len(name) >= 3 and name[0].lower() not in FIRST_NAMES:
        for i in range(1, len(name) - 1):
            if name[i].lower() in FIRST_NAMES:
                return run[: cut + i], name[i:]
    return run[:cut], name


def _split_head(words: list[str]) -> tuple[list[str], list[str]]:
    """Cut a noun phrase before its first prepositional modifier.

    "the leader of Ennahda" -> head "the leader"; "Penelope Abernathy of the University" ->
    "Penelope Abernathy". A preposition inside a capitalised name ("Secretary of State Antony
    Blinken", "University of North Carolina") does not cut.
    """
    for i in range(1, len(words) - 1):
        word = words[i]
        if word.lower() not in _NP_PREPOSITIONS or not word.islower():
            continue
        if _name_token(words[i - 1]) and _name_token(words[i + 1]):
            continue
        if (
            _name_token(words[i - 1])
            and words[i + 1] == "the"
            and i + 2 < len(words)
            and _name_token(words[i + 2])
            and not looks_like_person(_join(words[_trailing_run(words[:i])[0] : i]))
        ):
            continue  # "Institute for the Study of War", but "Ann Lind of the University of X" splits
        return words[:i], words[i:]
    return words, []


@dataclass(frozen=True)
class NounPhrase:
    """A speaker noun phrase split into its canonical name and its role description."""

    name: str  # canonical speaker (person or organisation name, or the unnamed phrase as written)
    role: str  # descriptive words before the name ("State Department official"), may be ""
    kind: str  # "person" | "short" (one-word name) | "org" | "group" | "pronoun"


def _clean_phrase(text: str) -> str:
    """Trim spaces and surrounding punctuation; drop a quoted nickname ("Robert “Bob” Kagan")."""
    text = _NICKNAME_IN_NAME.sub(" ", text)
    text = re.sub(r"(?<=[A-Za-z.])\s+\(([A-Z][a-z]+)\)\s+(?=[A-Z])", r" \1 ", text)  # "Coach (Frank) Vogel"
    return text.strip(" \t\n,;:—–-()[]\"“”‘’'.")


def _drop_article(text: str, keep_capital_the: bool) -> str:
    """Drop a leading "the" (and "The" unless it belongs to a name such as "The Korea Times")."""
    match = re.match(r"(the|The)\s+", text)
    if not match:
        return text
    if match.group(1) == "The" and keep_capital_the:
        return text
    return text[match.end() :]


_QUANTIFIERS = words("quantifiers")
_PLURAL_GROUP = re.compile(r"(?:ans|ians|ers|ists|ites|ese|ards|ees)$")


def _tail_person(tail: list[str]) -> list[str] | None:
    """A personal name closing a prepositional tail: "to Ukraine Kurt Volker" -> Kurt Volker."""
    start, end = _trailing_run(tail)
    while start < end and tail[start] in _RUN_CONNECTORS:
        start += 1
    run = tail[start:end]
    if end != len(tail) or len(run) < 3:
        return None
    _titles, name = _strip_leading_titles(run)
    if len(name) < len(run) and looks_like_person(_join(name)):
        return name
    return None


@lru_cache(maxsize=8192)
@lru_cache(maxsize=8192)
def analyse_np(text: str, sentence_initial: bool = False) -> NounPhrase:
    """Classify a speaker noun phrase and extract the canonical name.

    Why: the subject of a reporting verb mixes roles and names ("veteran industry analyst Ken
    Doctor", "the Russian and Syrian defense ministries", "a senior defense official"). Named
    people keep only their name; organisations keep their name without a lower-case "the";
    unnamed sources and groups are kept as written, as the annotation guide asks.
    """
    phrase = _clean_phrase(text)
    words = words_of(phrase)
    if not words:
        return NounPhrase("", "", "group")
    if len(words) == 1 and re.sub(r"[’'](?:ve|m|d|ll|re|s)$", "", words[0].lower()) in PRONOUNS:
        return NounPhrase(re.sub(r"[’'](?:ve|m|d|ll|re|s)$", "", words[0].lower()), "", "pronoun")
    start, end = _trailing_run(words)
    if 0 < start < end == len(words) and words[start - 1].lower() in ROLE_WORDS | TITLE_WORDS:
        named = analyse_np(_join(words[start:end]), sentence_initial=False)
        if named.kind == "person":  # "… the resignation of his defense minister Kim Yong-hyun"
            prep = max((i for i in range(start) if words[i].lower() in _NP_PREPOSITIONS), default=-1)
            role = [w for w in words[prep + 1 : start] if w.lower() not in {"his", "her", "its", "their"}]
            return NounPhrase(named.name, _tidy_role(" ".join(role)), "person")
    if 0 < start < end == len(words) and _unrelated_before(words[start - 1]):
        named = analyse_np(_join(words[start:end]), sentence_initial=False)
        if named.kind in {"person", "short"}:
            return named  # "from the time Yoon" -> Yoon
    core = words[1:] if words[0].lower() == "the" else words
    connectors = {"of", "for", "and", "&", "the", "on", "de"}
    joint = next((i for i, w in enumerate(core) if w.lower() in {"and", "&"}), 0)
    if (
        len(core) >= 3
        and core[0][:1].isupper()
        and core[-1][:1].isupper()
        and all(w[:1].isupper() or w.lower() in connectors for w in core)
        and any(is_org_word(w) for w in core[:joint])
        and not any(is_title(w) for w in core)
    ):  # "the Chinese Center for Disease Control and Prevention": one name, not a joint speaker
        return _org(phrase, words, 0, len(words), sentence_initial)
    head, tail = _split_head(words)
    if tail:
        person = _tail_person(tail)
        if person is not None:
            role = " ".join(words[: len(words) - len(person)])
            return NounPhrase(_join(person), _tidy_role(role), "person")
    start, end = _trailing_run(head)
    if end != len(head) or end == start or _POSSESSIVE_RE.search(head[end - 1]):
        return _group(phrase, sentence_initial)
    run = head[start:end]
    if all(w.lower() in COMMON_CAPS for w in run) or (start > 0 and all(is_title(w) for w in run)):
        return _group(phrase, sentence_initial)  # "one neo-bank CEO": a role, no name
    if start >= 2 and head[start - 1] in {"and", "&"} and _name_token(head[start - 2]):
        return _group(phrase, sentence_initial)  # a joint speaker: "Biden and Trump"
    titles, name = _strip_leading_titles(run)
    titles = [
        w for w in titles if not (w[0].isupper() and w.lower() in COMMON_CAPS) or w.lower() in _QUANTIFIERS
    ]
    role = _tidy_role(" ".join(head[:start] + titles))
    if any(w.lower() in _QUANTIFIERS for w in titles + head[:start]) or (
        len(name) == 1 and _PLURAL_GROUP.search(name[0]) and not is_acronym(name[0])
    ):
        return _group(phrase, sentence_initial)
    if any(is_org_word(w) or "&" in w or any(c.isdigit() for c in w) for w in name) or (
        (len(name) == 1 and is_acronym(name[0].rstrip("."))) or name[-1].lower() in ORG_TAILS
    ):
        return _org(phrase, head, start, end, sentence_initial)
    return NounPhrase(_join(name), role, "person" if len(name) > 1 else "short")


def _unrelated_before(word: str) -> bool:
    """Is the lower-case word before a final name unrelated to it ("from the time Yoon")?"""
    low = word.lower()
    return (
        word.islower()
        and word.isalpha()
        and low not in ROLE_WORDS
        and low not in TITLE_WORDS
        and low not in _NP_PREPOSITIONS
        and low not in {"and", "or", "&", "the", "a", "an"}
        and not low.endswith(("ist", "er", "or", "ian", "ant", "ent", "man", "woman"))
    )


def _group(phrase: str, sentence_initial: bool) -> NounPhrase:
    return NounPhrase(_drop_article(phrase, keep_capital_the=not sentence_initial), "", "group")


def _org(phrase: str, head: list[str], start: int, end: int, sentence_initial: bool) -> NounPhrase:
    """Organisation names keep a mid-sentence "The" ("The Korea Times"), lose a lower-case one."""
    org = _drop_article(_join(head), keep_capital_the=not sentence_initial)
    org_words = words_of(org)
    if org_words and all(
        is_capitalised(w) or w.lower() in {"of", "and", "&", "for", "the"} for w in org_words
    ):
        return NounPhrase(org, "", "org")
    run = head[start:end]
    while len(run) > 1 and run[0].lower() in COMMON_CAPS:
        run = run[1:]
    return NounPhrase(_join(run), _tidy_role(" ".join(head[:start])), "org")


def _join(words: list[str]) -> str:
    """Join name tokens with spaces, re-attaching hyphen/period-joined pieces as printed."""
    return re.sub(r"\s+([.,’'])", r"\1", " ".join(words)).replace(" - ", "-")


def _tidy_role(role: str) -> str:
    """Short role text: no leading article, no trailing comma, single spaces."""
    role = re.sub(r"\s+", " ", role).strip(" ,")
    role = re.sub(r"\s+([,.;:’'])", r"\1", role)
    return re.sub(r"^(?:a|an|the|its|his|her|their)\s+", "", role, flags=re.IGNORECASE)


def affiliation_from_apposition(text: str) -> str:
    """Turn an apposition into a short affiliation.

    "a retired major general in the Australian Army who closely tracks Ukraine" ->
    "retired major general in the Australian Army": drop the article and any relative clause,
    because the journalist-facing table wants the role, not the biography.
    """
    role = _clean_phrase(text)
    match = re.match(r"(?:who|which)\s+(?:is|was|serves as|works as)\s+(.*)", role) or re.match(
        r"who\s+\w+(?:\s+[\w.’'-]+){0,4}?\s+as\s+(.*)",
        role,  # "who follows Amazon as a managing director"
    )
    if match:
        role = match.group(1)
    role = re.split(r"\s+(?:who|which|whose|that|where)\s+|,\s+", role, maxsplit=1)[0]
    return _tidy_role(role)


_FINITE = words("finite")


def looks_like_role(text: str) -> bool:
    """True when a comma-delimited segment reads like an apposition, not a clause or adverbial.

    Appositions start with an article or possessive ("a retired general", "the PPP leader"), an
    age ("63"), a relative pronoun ("who follows Amazon"), a title or role word ("CEO of
    Take-Two", "senior fellow at ...", "head of ...").
    """
    words = words_of(_clean_phrase(text))
    if not words or len(words) > 30:
        return False
    first = words[0].lower()
    if first in {"who", "whose"}:
        return True
    if first in _NP_PREPOSITIONS or first in {"and", "or", "but", "as", "which", "that", "when", "while"}:
        return False
    lowered = [w.lower() for w in words]
    main = lowered[: next((i for i, w in enumerate(lowered) if w in {"who", "which", "that"}), len(lowered))]
    if any(w in _FINITE for w in main):
        return False  # a clause; a verb inside a relative clause ("… who did not work on it") is fine
    if first in {"a", "an", "the", "his", "her", "its", "their", "our", "one"}:
        return True
    if words[0][0].isdigit() and len(words) <= 2:
        return True
    return any(w.lower() in ROLE_WORDS or w.lower() in TITLE_WORDS for w in words[:5])


def is_adverbial(text: str) -> bool:
    """Short comma-delimited adverbials that sit between a subject and its verb (", by contrast,")."""
    words = words_of(_clean_phrase(text))
    if not words or len(words) > 4:
        return False
    first = words[0].lower()
    return (
        first in _NP_PREPOSITIONS
        or (len(words) == 1 and first.endswith("ly"))
        or first
        in {
            "however",
            "meanwhile",
            "too",
            "though",
            "also",
            "instead",
            "in",
        }
    )


# --- per-article memory -----------------------------------------------------------------------


@dataclass
class _Entity:
    name: str
    kind: str  # "person" | "org" | "group"
    affiliation: str = ""
    head: str = ""  # head noun of an unnamed group ("official", "source")
    title: str = ""  # a rank seen before the name in the narration ("Gov."), not yet a role


def _group_head(phrase: str) -> str:
    head, _tail = _split_head(words_of(phrase))
    words = [w for w in head if any(c.isalpha() for c in w)]
    return words[-1].lower() if words else ""


@dataclass
class SpeakerBook:
    """Per-article memory of who has been named, so later short forms resolve to full names.

    Why a book: news style introduces a source once ("Jeffrey Frankel, a Harvard economist") and
    then uses "Frankel", "Mr. Frankel" or "he". Resolution is by surname/first-name match against
    names seen so far, and by recency for pronouns (the most recent person subject or speaker,
    else the most recent person named in the narration).
    """

    entities: list[_Entity] = field(default_factory=list)
    by_key: dict[str, _Entity] = field(default_factory=dict)
    by_last: dict[str, list[_Entity]] = field(default_factory=dict)  # surname -> entities, oldest first
    by_first: dict[str, list[_Entity]] = field(default_factory=dict)
    last_person: tuple[int, str] = (-1, "")
    person_notes: list[tuple[int, str]] = field(default_factory=list)  # (offset, person) as subject
    mentions: list[tuple[int, str]] = field(default_factory=list)  # (offset, person) in narration
    introductions: list[tuple[int, str]] = field(default_factory=list)  # first full mention of a person
    mention_offsets: dict[str, list[int]] = field(default_factory=dict)  # person -> sorted mention offsets
    org_offsets: dict[str, list[int]] = field(default_factory=dict)  # organisation -> offsets named
    last_unknown: tuple[int, str] = (-1, "")
    last_group: tuple[int, str] = (-1, "")
    last_org: tuple[int, str] = (-1, "")
    article: str = ""  # the whole text, to find the full name of a first name used before it

    # registration --------------------------------------------------------------------------

    def register(self, name: str, kind: str, affiliation: str = "") -> _Entity:
        """Remember a canonical entity (first affiliation wins, later ones fill a gap)."""
        key = ("group:" if kind == "group" else "") + speaker_key(name)
        entity = self.by_key.get(key)
        if entity is None:
            entity = _Entity(name, kind, affiliation, _group_head(name) if kind == "group" else "")
            self.by_key[key] = entity
            self.entities.append(entity)
            words = speaker_key(name).split()
            while len(words) > 2 and words[-1] in _SUFFIXES:
                words = words[:-1]  # "Patrick W. Carlineo Jr." is found as "Carlineo"
            if kind != "group" and len(words) > 1:
                self.by_last.setdefault(words[-1], []).append(entity)
                self.by_first.setdefault(words[0], []).append(entity)
        elif affiliation and not entity.affiliation:
            entity.affiliation = affiliation
        return entity

    def observe_names(self, text: str, offset: int = 0) -> None:
        """Register full personal names found in the text (so "Trump" later maps to "Donald Trump").

        Only runs of 2-4 capitalised words that survive title stripping and look like a person
        are kept; this errs on the side of missing a name rather than inventing one. Each name
        also counts as a mention for pronoun resolution (possessives excepted).
        """
        for match in _NICKNAME_RE.finditer(text):
            first, nick, last = match.groups()
            full = _join(_strip_leading_titles(words_of(first + " " + last))[1])
            if looks_like_person(full):
                entity = self.register(full, "person")
                self.by_key.setdefault(speaker_key(f"{nick} {last}"), entity)
        for match in _NAME_RUN_RE.finditer(text):
            run = words_of(match.group(0))
            possessive = bool(run) and bool(_POSSESSIVE_RE.search(run[-1])) and run[-1][-2:] in {"’s", "'s"}
            if possessive:
                run[-1] = _POSSESSIVE_RE.sub("", run[-1])
            titles, name = _strip_leading_titles([w for w in run if w != "."])
            if any(w.lower().rstrip(".") in _WEEKDAYS_MONTHS for w in name):
                continue
            candidate = _join(name)
            if (
                looks_like_person(candidate)
                and not self._known_org_prefix(candidate)
                and name[-1].lower() not in ORG_TAILS
                and candidate.lower() not in PLACE_NAMES
            ):
                if speaker_key(candidate) not in self.by_key:
                    insort(self.introductions, (offset + match.start(), candidate))
                entity = self.register(candidate, "person")
                if not entity.title:  # "Gov. Eric Holcomb": remember the rank for "the governor"
                    entity.title = " ".join(w for w in titles if is_title(w))
                if not possessive and not _after_preposition(text, match.start()):
                    self._add_mention(offset + match.start(), entity.name)

    def observe_short_mentions(self, text: str, offset: int = 0) -> None:
        """Count "Mr Obama", "Frankel" as mentions of an already known person (not possessives)."""
        for match in _SHORT_RE.finditer(text):
            word = match.group(1)
            if word.lower() in COMMON_CAPS or match.group(2) or _after_preposition(text, match.start()):
                continue
            before = text[max(0, match.start() - 20) : match.start()].split()
            if before and before[-1][:1].isupper() and not is_title(before[-1]):
                continue  # part of a longer capitalised run ("Health Sciences")
            entity = self.full_name(word)
            if entity is not None and entity.kind == "person":
                self._add_mention(offset + match.start(), entity.name)

    def observe_orgs(self, text: str, offset: int = 0) -> None:
        """Count the organisations named in the narration ("Pacific Gas & Electric Co.", "PG&E"), so
        "the utility" or "the company" can go to the one the article is about."""
        for match in _ORG_RUN_RE.finditer(text):
            words = match.group(0).split()
            skip = 0
            while skip < len(words) - 1 and words[skip].lower() in _RUN_OPENERS:
                skip += 1
            phrase = " ".join(words[skip:]).rstrip(".,")
            if phrase.endswith(("’s", "'s")):
                phrase = phrase[:-2]
            if not phrase or phrase.lower() in PLACE_NAMES or phrase.lower() in COMMON_CAPS:
                continue
            if not _ORG_HINT_RE.search(phrase) and not any(is_org_word(w) for w in phrase.split()):
                continue  # cheap test first: no organisation word, acronym, "&", digit or inner capital
            if analyse_np(phrase).kind != "org":
                continue
            at_start = not text[: match.start()].strip() or text[: match.start()].rstrip()[-1] in ".!?:"
            if at_start and " " not in phrase and not re.search(r"[A-Z&]", phrase[1:]):
                continue  # "Health authorities said": a capitalised first word is not a name
            name = phrase
            if is_acronym(phrase.replace("&", "")):  # "PG&E" after "Pacific Gas & Electric Co."
                letters = re.sub(r"[^A-Z]", "", phrase)
                for known in self.org_offsets:
                    initials = "".join(w[0] for w in known.split() if w[:1].isupper())
                    if len(letters) >= 2 and letters in initials and len(known.split()) > 1:
                        name = known
                        break
            self._add_org_mention(offset + match.start(), name)

    def _add_org_mention(self, pos: int, name: str) -> None:
        key = next((k for k in self.org_offsets if speaker_key(k) == speaker_key(name)), name)
        insort(self.org_offsets.setdefault(key, []), pos)

    def salient_org(self, description: str, before: int = -1) -> str:
        """The organisation a definite description ("the commission", "the production company")
        points to: the latest one whose name shares a word with it ("Utilities Commission", "Dick
        Clark Productions"; bare "company"/"group" are too common in names to count), else the
        most often named one so far, if named twice (ties: the latest)."""
        words = [w.lower() for w in words_of(description) if w.lower() not in {"the", "that", "this"}]
        cues = {_stem(w) for w in words if w not in _GENERIC_ORG_HEADS}
        best, best_rank = "", (0, -1)
        for name, offsets in self.org_offsets.items():
            k = len(offsets) if before < 0 else bisect_left(offsets, before)
            if k == 0:
                continue
            shared = bool(cues & {_stem(w.lower().rstrip(".")) for w in name.split()})
            rank = (1 << 30 if shared else k, offsets[k - 1])
            if rank > best_rank and (shared or k >= 2):  # named once only: not what the article is about
                best, best_rank = name, rank
        return best

    def _add_mention(self, pos: int, name: str) -> None:
        insort(self.mentions, (pos, name))
        insort(self.mention_offsets.setdefault(name, []), pos)

    def latest_mention(self, before: int) -> tuple[int, str]:
        """The last person named in the narration before offset ``before`` (-1: anywhere)."""
        if not self.mentions:
            return (-1, "")
        if before < 0:
            return self.mentions[-1]
        k = bisect_left(self.mentions, (before, ""))
        return self.mentions[k - 1] if k > 0 else (-1, "")

    def _known_org_prefix(self, candidate: str) -> bool:
        key = speaker_key(candidate)
        return any(e.kind == "org" and speaker_key(e.name).startswith(key) for e in self.entities)

    def note(self, pos: int, name: str, kind: str, maybe_person: bool = True) -> None:
        """Record that ``name`` was just used as a subject/speaker at offset ``pos`` (recency)."""
        if kind == "person":
            self.last_person = (pos, name)
            insort(self.person_notes, (pos, name))
        elif kind == "org":
            self.last_org = (pos, name)
            self._add_org_mention(pos, name)
            if pos >= self.last_group[0]:
                self.last_group = (pos, name)
            if (
                maybe_person
                and " " not in name
                and name[:1].isupper()
                and not is_acronym(name)
                and not is_org_word(name)
                and not name.endswith("ing")
            ):
                self.last_unknown = (pos, name)  # "Trump" with no first name seen: maybe a person
        elif kind == "group":
            self.last_group = (pos, name)

    # resolution ----------------------------------------------------------------------------

    def full_name(self, short: str) -> _Entity | None:
        """Find the person or organisation a surname, first name or honorific form refers to."""
        words = [w for w in words_of(short) if any(c.isalnum() for c in w)]
        while len(words) > 1 and (is_title(words[0]) or words[0].lower() in COMMON_CAPS):
            words = words[1:]
        if not words:
            return None
        target = speaker_key(" ".join(words))
        if target in self.by_key:
            return self.by_key[target]
        if len(words) == 1 and len(words[0]) >= 3 and words[0].isupper() and is_acronym(words[0]):
            found = self._expanded_acronym(words[0])
            if found is not None:
                return found
        tw = target.split()
        if not tw:
            return None
        for index, edge in ((self.by_last, -1), (self.by_first, 0)):
            for entity in reversed(index.get(tw[edge], ())):
                ew = speaker_key(entity.name).split()
                while len(ew) > 2 and ew[-1] in _SUFFIXES:
                    ew = ew[:-1]
                if len(tw) < len(ew) and (ew[-len(tw) :] == tw if edge else ew[: len(tw)] == tw):
                    return entity
        return None

    def resolve_pronoun(
        self, pronoun: str, floor: int = -1, before: int = -1, since: int = -1
    ) -> tuple[str, str] | None:
        """Most recent person for he/she, most recent group or organisation for they/it.

        ``floor`` is the offset before which a speaker counts as stale; then a more recent plain
        mention of a person in the narration wins. A person introduced in the same sentence
        (offsets from ``since``) before the pronoun wins over older speakers.
        """
        pronoun = pronoun.lower()
        if pronoun in _PERSON_PRONOUNS:
            pos, name = self.last_person
            if since >= 0:  # the last person introduced at offsets since <= o < before
                intros = self.introductions
                low = bisect_left(intros, (since, ""))
                high = bisect_left(intros, (before, "")) if before >= 0 else len(intros)
                if high > low and intros[high - 1][0] > pos:
                    return intros[high - 1][1], "person"
            mention = self.latest_mention(before)
            if (not name or pos < floor) and mention[0] > pos:
                pos, name = mention
            if self.last_unknown[0] > pos:
                pos, name = self.last_unknown
            if name:
                name = self._gender_match(name, "f" if pronoun in {"she", "her"} else "m", before)
            return (name, "person") if name else None
        if pronoun in _PLURAL_PRONOUNS:
            return (self.last_group[1], "group") if self.last_group[1] else None
        if pronoun == "it":
            return (self.last_org[1], "org") if self.last_org[1] else None
        return None

    def gender(self, name: str) -> str:
        entity = self.by_key.get(speaker_key(name))
        return person_gender(name, f"{entity.title} {entity.affiliation}" if entity else "")

    def _gender_match(self, name: str, want: str, before: int) -> str:
        """Keep ``name`` for he/she unless its gender is known to be the other one, or "she" has a
        recent person known to be a woman while ``name`` is unknown ("Braun … she described")."""
        have = self.gender(name)
        if have == want:
            return name
        if want == "f" and not have:
            return next((p for p in islice(self._recent_people(before), 3) if self.gender(p) == "f"), name)
        if have:
            return next((p for p in self._recent_people(before) if self.gender(p) in {want, ""}), name)
        return name

    def _recent_people_mentioned(self, before: int) -> Iterator[str]:
        """People named in the narration before ``before``, most recent first, once each."""
        seen: set[str] = set()
        for _pos, person in _backwards(self.mentions, before):
            if person not in seen:
                seen.add(person)
                yield person

    def _recent_people(self, before: int) -> Iterator[str]:
        """People noted or mentioned before offset ``before`` (-1: anywhere), most recent first, once
        each; lazy, so a long article costs only the steps taken back from ``before``."""
        streams = [_backwards(seq, before) for seq in (self.person_notes, self.mentions)]
        seen: set[str] = set()
        for _pos, person in heapq.merge(*streams, reverse=True):
            if person not in seen:
                seen.add(person)
                yield person

    def resolve(
        self,
        text: str,
        apposition: str = "",
        sentence_initial: bool = False,
        floor: int = -1,
        before: int = -1,
        since: int = -1,
    ) -> tuple[str, str, str]:
        """Canonical (speaker, affiliation, kind) for the noun phrase ``text`` next to a cue.

        kind is "person", "org", "group" or "pronoun" (an unresolved pronoun keeps its surface).
        """
        np = analyse_np(text, sentence_initial=sentence_initial)
        affiliation = affiliation_from_apposition(apposition) if apposition else ""
        if np.kind == "pronoun":
            found = self.resolve_pronoun(np.name, floor, before, since)
            if found is None:
                return np.name, "", "pronoun"
            entity = self.full_name(found[0]) if found[1] != "group" else None
            return found[0], (entity.affiliation or entity.title) if entity else "", found[1]
        last = np.name.split()[-1] if np.name else ""
        if np.kind in {"person", "short"} and len(last) >= 3 and last.isupper():
            found = self._expanded_acronym(last)  # "the Chinese CDC"
            if found is not None:
                return found.name, found.affiliation, found.kind
            if np.kind == "person" and last.lower() not in _SUFFIXES and is_acronym(last):
                return self._resolve_org(NounPhrase(np.name, np.role, "org"), affiliation)  # "Chinese CDC"
        if np.kind in {"person", "short"} and _describes_org(apposition or np.role):
            # "The group that owns her music, Big Machine, says": a name described as a company
            entity = self.full_name(np.name)
            if (
                entity is not None
                and entity.kind == "person"
                and speaker_key(entity.name) == speaker_key(np.name)
            ):
                self._forget_person(entity)
            return self._resolve_org(NounPhrase(np.name, np.role, "org"), affiliation)
        if np.kind in {"person", "short"}:
            return self._resolve_person(np, affiliation)
        if np.kind == "org":
            return self._resolve_org(np, affiliation)
        if _PAIR_RE.fullmatch(" ".join(text.lower().split())):  # "Both men claimed …": the last two named
            pair = list(islice(self._recent_people_mentioned(before), 2))
            if len(pair) == 2:
                first = {name: pos for pos, name in reversed(self.mentions) if name in pair}
                return " and ".join(sorted(pair, key=lambda name: first.get(name, 0))), "", "group"
        definite = bool(re.match(r"(?:the|that|this)\s", text.strip(), re.IGNORECASE))
        return self._resolve_group(np, affiliation, before, definite)

    def _expanded_acronym(self, acronym: str) -> _Entity | None:
        """ "CDC" for "Chinese Center for Disease Control and Prevention": the acronym's letters are
        the initials of consecutive capitalised words of a known organisation (a leading adjective
        of nationality may be skipped)."""
        letters = acronym.rstrip(".").replace(".", "").upper()
        for entity in reversed(self.entities):
            if entity.kind == "person" or len(entity.name.split()) < 2:
                continue
            initials = "".join(w[0] for w in entity.name.split() if w[:1].isupper())
            if len(initials) >= len(letters) and letters in initials:
                return entity
        return None

    def _later_full_name(self, first: str) -> _Entity | None:
        """ "her mother, Fiona, said" … later "Fiona Parry": a known given name completed by the text."""
        if first.lower() not in FIRST_NAMES and first.lower() not in FEMALE_NAMES:
            return None
        match = re.search(rf"\b{re.escape(first)}\s+([A-Z][a-z][\w’'\-]*)\b", self.article)
        if match is None:
            return None
        full = f"{first} {match.group(1)}"
        if (
            not looks_like_person(full)
            or full.lower() in PLACE_NAMES
            or match.group(1).lower() in COMMON_CAPS
        ):
            return None
        return self.register(full, "person")

    def _forget_person(self, entity: _Entity) -> None:
        """A capitalised pair taken for a person turned out to be an organisation ("Big Machine")."""
        entity.kind = "org"
        for index in (self.by_last, self.by_first):
            for key, found in list(index.items()):
                index[key] = [e for e in found if e is not entity]
        self.mentions = [m for m in self.mentions if m[1] != entity.name]
        self.mention_offsets.pop(entity.name, None)
        self.introductions = [m for m in self.introductions if m[1] != entity.name]
        self.person_notes = [m for m in self.person_notes if m[1] != entity.name]

    def _titled_person(self, title: str, before: int) -> _Entity | None:
        """The most recently mentioned person whose role includes ``title`` ("the governor")."""
        best, best_pos = None, -2
        for entity in self.entities:
            role = f"{entity.title} {entity.affiliation}".lower().split()
            words = {_TITLE_ABBREVIATIONS.get(w.rstrip("."), w) for w in role}
            if entity.kind == "person" and title in words:
                offsets = self.mention_offsets.get(entity.name, [])
                k = len(offsets) if before < 0 else bisect_left(offsets, before)
                recency = offsets[k - 1] if k > 0 else -1
                if recency >= best_pos:
                    best, best_pos = entity, recency
        return best

    def _resolve_person(self, np: NounPhrase, affiliation: str) -> tuple[str, str, str]:
        # "Cmdr. Sean Robertson, a spokesperson for X" -> "Cmdr., spokesperson for X"
        parts = [p for p in (np.role, affiliation) if p and not p.lower().startswith("another ")]
        role = ", ".join(dict.fromkeys(parts))
        entity = self.full_name(np.name)
        if entity is None and np.kind == "short":
            entity = self._later_full_name(np.name)
        if entity is not None:
            if role and not entity.affiliation:
                entity.affiliation = role
            return entity.name, entity.affiliation or entity.title, entity.kind
        if np.kind == "short" and not role and np.name.lower() not in FIRST_NAMES:
            # A lone capitalised word nobody introduced: most likely an organisation ("Pentagon").
            entity = self.register(np.name, "org")
            return entity.name, entity.affiliation, "org"
        entity = self.register(np.name, "person", role)
        return entity.name, entity.affiliation, entity.kind

    def _resolve_org(self, np: NounPhrase, affiliation: str) -> tuple[str, str, str]:
        entity = self.full_name(np.name)
        if entity is None:
            for candidate in reversed(self.entities):
                if candidate.kind == "org" and speaker_key(candidate.name).startswith(
                    speaker_key(np.name) + " "
                ):
                    entity = candidate
                    break
        if entity is None:
            entity = self.register(np.name, "org", affiliation or np.role)
        elif (affiliation or np.role) and not entity.affiliation:
            entity.affiliation = affiliation or np.role
        return entity.name, entity.affiliation, entity.kind

    def _resolve_group(
        self, np: NounPhrase, affiliation: str, before: int = -1, definite: bool = False
    ) -> tuple[str, str, str]:
        """Unnamed sources: "the official" refers back to "a senior defense official" if seen;
        "the company" / "the statement" refer to the organisation in focus."""
        words = np.name.split()
        if not words:
            return "", "", "group"
        head = _group_head(np.name)
        definite = definite or words[0].lower() in {"the", "that", "this"} or len(words) == 1
        if (
            definite
            and len(words) <= 3
            and head in EPITHET_NOUNS
            and not any(e.kind == "group" and e.head == head for e in self.entities)
        ):
            found = self.resolve_pronoun("she" if head in _FEMALE_WORDS else "he", before=before)
            if found is not None:  # "said the actor", "the singer added": the person in focus
                entity = self.full_name(found[0])
                return found[0], (entity.affiliation or entity.title) if entity else "", "person"
        if definite and re.fullmatch(r"\d+-year-old", head):
            found = self.resolve_pronoun("he", before=before)  # "the 56-year-old said"
            if found is not None:
                entity = self.full_name(found[0])
                return found[0], (entity.affiliation or entity.title) if entity else "", "person"
        if definite and len(words) <= 3:
            if head in TITLE_WORDS or head in ROLE_WORDS:
                titled = self._titled_person(head, before)
                if titled is not None:
                    return titled.name, titled.affiliation, "person"
            generic = not any(w[:1].isupper() for w in words if w.lower() not in {"the", "that", "this"})
            if generic and head in _SALIENT_HEADS:
                found_org = self.salient_org(np.name, before)
                entity = self.full_name(found_org) if found_org else None
                if entity is not None:
                    return entity.name, entity.affiliation or entity.title, "org"
                if found_org:
                    return found_org, "", "org"
            if generic and (head in _GROUP_REFERENCES or head in DOCUMENT_NOUNS) and self.last_org[1]:
                entity = self.full_name(self.last_org[1])
                return self.last_org[1], (entity.affiliation or entity.title) if entity else "", "org"
            for entity in reversed(self.entities):
                if entity.kind == "group" and entity.head == head and entity.name != np.name:
                    return entity.name, entity.affiliation, "group"
            if head in _SOURCE_NOUNS:
                for entity in reversed(self.entities):
                    if entity.kind == "group" and entity.head in _SOURCE_NOUNS and entity.name != np.name:
                        return entity.name, entity.affiliation, "group"
        description = affiliation or _drop_article(np.name, keep_capital_the=False)
        entity = self.register(np.name, "group", "(unnamed) " + _tidy_role(description))
        return entity.name, entity.affiliation, "group"


def _backwards(seq: list[tuple[int, str]], before: int) -> Iterator[tuple[int, str]]:
    """Items of the sorted ``seq`` at offsets below ``before`` (-1: all), last first."""
    end = len(seq) if before < 0 else bisect_left(seq, (before, ""))
    for k in range(end - 1, -1, -1):
        yield seq[k]


#: Occupations used as epithets for a person already named ("said the actor", "the star added").
EPITHET_NOUNS = words("epithet-nouns")

#: Head nouns of a description that make the described name an organisation.
_ORG_HEADS = _GROUP_REFERENCES | words("org-heads")
_DESCRIPTION_STOP = words("description-stop")


def _describes_org(description: str) -> bool:
    """Is ``description`` ("the group that owns her music", "a private equity firm") about an organisation?"""
    words = []
    for word in words_of(description):
        low = word.lower()
        if low in _DESCRIPTION_STOP or (not word.isalpha() and "-" not in word):
            break
        words.append(low)
    return bool(words) and words[-1] in _ORG_HEADS and words[0] in {"the", "a", "an", "its", "their"}


#: Last words that make a capitalised name a firm ("Kotak Institutional Equities"); extraction only.
ORG_TAILS = words("org-tails")


#: Marks that a capitalised run may be an organisation (checked before the costlier analyse_np).
_ORG_HINT_RE = re.compile(
    r"[&\d]|\b[A-Z]{2,}|[a-z][A-Z]|(?i:\b(?:equities|securities|investments|advis[eo]rs|ventures|brokerage"
    r"|assets?|brotherhood|movement)\b)"
)
_ORG_RUN_RE = re.compile(r"[A-Z][\w&’'.\-]*(?:(?:\s+|\s+(?:&|of|for|and|de)\s+)[A-Z][\w&’'.\-]*)*")


def _stem(word: str) -> str:
    return word[:-1] if word.endswith("s") and len(word) > 3 else word


#: Two people referred to together ("Both men", "the two women", "the pair").
_PAIR_RE = re.compile(
    r"(?:both|the two|the pair of)\s+(?:men|women|brothers|sisters|officers|hostages)|the pair"
)

#: Heads of a definite description that refers back to a named organisation ("the utility said").
_SALIENT_HEADS = words("salient-heads")

#: Heads too common in firm names ("X Company") to pick the organisation by name.
_GENERIC_ORG_HEADS = words("generic-org-heads")
_RUN_OPENERS = words("run-openers")

_NICKNAME_IN_NAME = re.compile(r"\s+[“\"‘][A-Z][\w.’'\-]*(?:\s[A-Z][\w.’'\-]*)?[”\"’]\s+")
_NICKNAME_RE = re.compile(
    r"([A-Z][\w’'\-]+(?:\s+[A-Z][\w’'\-]+)?)\s+[“\"]([A-Z][\w’'\-]+)[”\"]\s+([A-Z][\w’'\-]+)"
)
_SHORT_RE = re.compile(r"(?<![\w’'])([A-Z][a-z][\w\-]*)([’']s)?(?![\w])(?!\s+[A-Z])")
_NAME_RUN_RE = re.compile(
    r"[A-Z][\w’'.\-]*(?:\s+(?:[A-Z][\w’'.\-]*|(?:de|van|von|bin|al|da|di|le|la|del|der)\b))+"
)
