"""Words of names: honorifics, titles, first names, gender, canonical speaker keys.

These answer questions about a single name (is it a person, what is its key, which gender do
pronouns need) without looking at the article; :mod:`utils.extract.mentions` builds on them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from utils.extract.lexicon import abbreviations, expansions, tagged, words
from utils.extract.vocab import ARTICLES_DEMONSTRATIVES

# --- lexicons ---------------------------------------------------------------------------------


#: Honorifics and abbreviated ranks; stripped from names and never part of the canonical speaker.
HONORIFICS = words("honorifics")

#: Title words that may precede a name inside a capitalised run ("Prime Minister Habib Essid").
TITLE_WORDS = words("title-words") | HONORIFICS

#: Words that make a capitalised run an organisation or a place rather than a person.
ORG_WORDS = words("org-words")

#: Nouns that head a role description ("a senior fellow at ...", "head of the ...").
ROLE_WORDS = words("role-words")
#: Nouns that say what an organisation is ("developer", "automaker"): "Developer Valve" is Valve.
ORG_DESCRIPTORS = words("org-heads") | words("salient-heads") | words("group-references")

#: Capitalised words that start sentences but never names ("Yet Sondland said" -> "Sondland").
COMMON_CAPS = words("common-caps")

#: Common given names (a positive signal only: many real names are not listed).
FIRST_NAMES = tagged("first-names", "signal")

#: Given names that are (almost always) women's: "she" prefers these, "he" skips them.
FEMALE_NAMES = tagged("first-names", "female")
MALE_NAMES = tagged("first-names", "male")
GIVEN_NAMES = FIRST_NAMES | FEMALE_NAMES

#: Words in a name, title or role that tell a person's gender.
FEMALE_WORDS = words("female-words")
_MALE_WORDS = words("male-words")


_UNISEX_NAMES = tagged("first-names", "unisex")


@lru_cache(maxsize=8192)
def person_gender(name: str, role: str = "") -> str:
    """ "f", "m" or "" (unknown) from the given name, then honorifics and role words. A name of
    one word after its honorifics and titles is a surname ("Mrs. Clinton", "Graham"), so it is not
    read as a given name: news writes people by surname, and many surnames are given names too."""
    words = [w.lower().strip(".,") for w in name.split()]
    named = [w for w in words if w not in HONORIFICS and w not in TITLE_WORDS]
    first = named[0] if len(named) > 1 else ""
    if first in FEMALE_NAMES:
        return "f"
    if first in MALE_NAMES:
        return "m"
    for w in words + [w.lower().strip(".,") for w in role.split()]:
        if w in FEMALE_WORDS:
            return "f"
        if w in _MALE_WORDS:
            return "m"
    return ""


#: Countries and regions: a leading place name belongs to the role ("Britain Liu Xiaming").
PLACES = words("places")

#: Two- and three-word place names that look like personal names ("South Carolina", "New York").
PLACE_NAMES = words("place-names")

PRONOUNS = words("pronouns")
PERSON_PRONOUNS = words("person-pronouns")
PLURAL_PRONOUNS = words("plural-pronouns")

#: Lower-case words allowed inside a personal name ("Ludwig van Beethoven", "Ali bin Hassan").
NAME_PARTICLES = words("name-particles")

#: A phrase opened by one describes, and a speaker key drops it ("the Pentagon" -> "pentagon").
_DETERMINERS = ARTICLES_DEMONSTRATIVES
_ABBREV = abbreviations("name")
WEEKDAYS_MONTHS = tagged("calendar", "weekday", "month")


def after_preposition(text: str, pos: int) -> bool:
    """Is the word at ``pos`` the object of a preposition ("the offices of Omar")?"""
    before = text[max(0, pos - 12) : pos].split()
    return bool(before) and before[-1].lower() in NP_PREPOSITIONS


TITLE_ABBREVIATIONS = expansions("title-abbreviations")

SUFFIXES = words("suffixes")
NP_PREPOSITIONS = tagged("prepositions", "in-names")
#: Prepositions that may stand inside a capitalised name ("Bank of America"); the others end it
#: ("Researchers at Harvard", "Amnesty International in London").
_INSIDE_A_NAME = tagged("prepositions", "inside-a-name")
GROUP_REFERENCES = words("group-references")
#: Documents that "say" things on behalf of whoever issued them ("the statement read").
DOCUMENT_NOUNS = words("document-nouns")
#: Heads of anonymous individual sources; "the source" may refer back to "an insider".
SOURCE_NOUNS = words("source-nouns")

_WORD_RE = re.compile(r"[^\W_]+(?:[’'\-.&][^\W_]+)*\.?|[^\w\s]", re.UNICODE)
POSSESSIVE_RE = re.compile(r"[’']s?$")


# --- small predicates -------------------------------------------------------------------------


def _bare(word: str) -> str:
    """Lower-case a token and drop a trailing period, so "Lt." and "lt" compare equal."""
    return word.lower().rstrip(".")


_ALNUM_RE = re.compile(r"[^\W_]")


def has_alnum(word: str) -> bool:
    """Does ``word`` hold a letter or digit (not only punctuation)? A regex: this runs on every word."""
    return _ALNUM_RE.search(word) is not None


def is_capitalised(word: str) -> bool:
    """True for tokens that can belong to a proper-name run ("Sondland", "U.S.", "McClatchy")."""
    return bool(word) and (word[0].isupper() or (word[0].isdigit() and any(c.isalpha() for c in word)))


def is_title(word: str) -> bool:
    """True for a rank, office or honorific that is not part of the canonical name."""
    return _bare(word) in TITLE_WORDS


def is_org_word(word: str) -> bool:
    """True for words that mark an organisation or place ("Council", "Times", "Market")."""
    return _bare(word) in ORG_WORDS


_SURNAME_PREFIX = re.compile(r"^(?:Mc|Mac|O[’']|D[’']|De|Di|La|Le|Van)")


@lru_cache(maxsize=8192)
def is_acronym(word: str) -> bool:
    """All-caps tokens (NASA, SNC, U.S.) and camel-case brands (SpaceX) are not personal names.

    Surname prefixes ("McCarthy", "MacArthur", "O’Brien", "DeSantis") are not camel case.
    """
    letters = [c for c in word if c.isalpha()]
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        return True
    if "-" in word or len(word) <= 2:
        return False
    rest = _SURNAME_PREFIX.sub("", word)
    return any(c.isupper() for c in rest[1:])


@lru_cache(maxsize=8192)
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


def names_a_work(name: str) -> bool:
    """A capitalised phrase that joins words with a lower-case one, with no personal name before
    it ("Web of Angels", "Thousands of Tunisians"): a title or a count, not a person, although
    "Bernie Sanders of Vermont" is one."""
    words = name.split()
    k = next((i for i, w in enumerate(words) if w.islower() and w not in NAME_PARTICLES), None)
    return k is not None and not looks_like_person(" ".join(words[:k]))


_NICKNAMES = {short: frozenset(long.split()) for short, long in expansions("nicknames").items()}


def familiar_form(short: str, name: str) -> bool:
    """Is the given name ``short`` a familiar form of ``name`` ("josh"/"joshua", "sandy"/"sandra",
    "bob"/"robert")? Both lower case."""
    stem = short[:-2] if short.endswith("ie") else short[:-1] if short.endswith("y") else short
    if short == name:
        return False
    prefix = len(short) >= 3 and name.startswith(short)
    diminutive = stem != short and len(stem) >= 3 and name.startswith(stem)
    return prefix or diminutive or name in _NICKNAMES.get(short, ())


def same_person_names(a: list[str], b: list[str]) -> bool:
    """Do two full names (speaker-key words) name one person: the same surname, given names equal
    or one a familiar form of the other, and middle names that agree or are missing in one
    ("Donald Trump" / "Donald J. Trump", "Josh Apte" / "Joshua Apte")? A generational suffix
    ("Jr.") on one side only makes two people."""
    if len(a) < 2 or len(b) < 2 or a == b or a[-1] != b[-1] or (a[-1] in SUFFIXES) != (b[-1] in SUFFIXES):
        return False
    first = a[0] == b[0] or familiar_form(a[0], b[0]) or familiar_form(b[0], a[0])
    middle_a, middle_b = a[1:-1], b[1:-1]
    middle = (
        not middle_a
        or not middle_b
        or (
            len(middle_a) == len(middle_b)
            and all(x[0] == y[0] for x, y in zip(middle_a, middle_b, strict=True))
        )
    )
    return first and middle and (a[0] != b[0] or middle_a != middle_b)


def shortened_name(short: list[str], full: list[str]) -> bool:
    """Is ``short`` (speaker-key words, two or more) a shorter form of the longer name ``full``:
    its leading words ("Te Kaurinui" for "Te Kaurinui Robert Parata": a given name of two words,
    or given and middle names) or its surname with a lower-case particle ("De Miranda" for "Luis
    de Miranda", capitalised at the start of a sentence)? Why: news style writes a person's full
    name once and then either form, and each must not become a second speaker. What is left
    over must not be only a generational suffix: "Ron Dale" is not "Ron Dale Jr."."""
    if len(short) < 2 or len(full) <= len(short):
        return False
    if full[: len(short)] == short:
        return not all(w in SUFFIXES for w in full[len(short) :])
    return short[0] in NAME_PARTICLES and full[-len(short) :] == short


_NOT_KEY_CHARS = re.compile(r"[^\w\s\-]")


@lru_cache(maxsize=8192)
def speaker_key(name: str) -> str:
    """Lower-case grouping key for the same person across articles.

    Strips honorifics and titles ("Dr.", "President"), possessives ("Ryan's"), punctuation and
    extra spaces, so "Mr. Jeffrey Frankel" and "jeffrey  frankel" share the key "jeffrey frankel".
    Organisation names keep their words ("the Pentagon" -> "pentagon").
    """
    words = [POSSESSIVE_RE.sub("", w) for w in name.split()]
    words = [w for w in words if w and has_alnum(w)]
    while len(words) > 1 and (is_title(words[0]) or words[0].lower() in _DETERMINERS):
        words = words[1:]
    cleaned = (_NOT_KEY_CHARS.sub("", w.lower()) for w in words)
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
    if "." not in text:  # most phrases: no word can end with a period, nothing to decide
        return tuple(_WORD_RE.findall(text))
    out = []
    for word in _WORD_RE.findall(text):
        if word.endswith(".") and len(word) > 1:
            stem = word[:-1]
            if not (len(stem) == 1 or "." in stem or stem.lower() in HONORIFICS or stem.lower() in _ABBREV):
                out.extend([stem, "."])
                continue
        out.append(word)
    return tuple(out)


RUN_CONNECTORS = words("run-connectors")
_AFFIX_ROLE = re.compile(
    r"-(?:based|owned|backed|led|run|funded|controlled|born|linked|affiliated|ranked|seeded|old|area)$", re.I
)


@lru_cache(maxsize=16384)
def name_token(word: str) -> bool:
    """Can ``word`` be part of a proper-name run (not a "-based"-style modifier)?"""
    return is_capitalised(word) and not _AFFIX_ROLE.search(word)


def trailing_run(words: list[str]) -> tuple[int, int]:
    """Bounds of the last run of capitalised words (plus name particles) in ``words``."""
    end = len(words)
    while end > 0 and not name_token(words[end - 1]):
        end -= 1
    start = end
    while start > 0 and (
        name_token(words[start - 1])
        or (
            (words[start - 1].lower() in NAME_PARTICLES or words[start - 1] in RUN_CONNECTORS)
            and start - 1 > 0
            and (name_token(words[start - 2]) or words[start - 2] in RUN_CONNECTORS)
        )
    ):
        start -= 1
    return start, end


def strip_leading_titles(run: list[str]) -> tuple[list[str], list[str]]:
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
    if len(name) == 2 and _leading_role(*name):
        return run[: cut + 1], name[1:]  # "Developer Valve", "Realtor Roe": a role and one name
    if len(name) >= 3 and name[0].lower() not in FIRST_NAMES:
        for i in range(1, len(name) - 1):
            if name[i].lower() in FIRST_NAMES:
                return run[: cut + i], name[i:]
    return run[:cut], name


#: Agent nouns of a role, an occupation or a kind of organisation that may be written, capitalised,
#: right before a single name ("Realtor Roe", "Developer Valve"); not modifiers or nouns that open
#: names themselves ("General Motors", "Business Insider", "Principal Financial").
_ROLE_LEADS = frozenset(
    w
    for w in ROLE_WORDS | words("occupations") | ORG_DESCRIPTORS
    if w.endswith(("er", "or", "ist", "ian", "ant", "man", "woman", "person"))
)


def _leading_role(word: str, name: str) -> bool:
    """Is ``word`` a role written before the single name ``name`` ("Realtor Roe"), not a given name?"""
    low = word.lower()
    return low in _ROLE_LEADS and low not in FIRST_NAMES and low not in FEMALE_NAMES and not is_org_word(name)


def _personal_name(run: list[str]) -> bool:
    """A run that names a person, not a title ("Jane Roe", not "Deputy Director").

    Titles before the name do not count ("Representative Peter T. King" names Peter T. King), nor a
    title word after a given name: it is a surname ("Peter King", not "King of Spain").
    """
    name = strip_leading_titles(run)[1]
    if not looks_like_person(join_words(name)):
        return False
    return name[0].lower() in GIVEN_NAMES or not any(is_title(w) or w.lower() in ROLE_WORDS for w in name)


def split_head(words: list[str]) -> tuple[list[str], list[str]]:
    """Cut a noun phrase before its first prepositional modifier.

    "the leader of Ennahda" -> head "the leader"; "Penelope Abernathy of the University" ->
    "Penelope Abernathy". A preposition that may stand inside a capitalised name ("Secretary of
    State Antony Blinken", "University of North Carolina") does not cut there, unless a
    personal name comes before it ("Jane Roe of Harvard"); others ("Officials in Ohio",
    "Amnesty International in London") always do: a place is where, not who.
    """
    for i in range(1, len(words) - 1):
        word = words[i]
        if word.lower() not in NP_PREPOSITIONS or not word.islower():
            continue
        inside = name_token(words[i - 1]) and name_token(words[i + 1]) and word in _INSIDE_A_NAME
        if inside and (word != "of" or not _personal_name(words[trailing_run(words[:i])[0] : i])):
            continue  # "Bank of America", "Deputy Director of …", but "Jane Roe of Harvard" is Jane Roe
        if (
            name_token(words[i - 1])
            and words[i + 1] == "the"
            and i + 2 < len(words)
            and name_token(words[i + 2])
            and not looks_like_person(join_words(words[trailing_run(words[:i])[0] : i]))
        ):
            continue  # "Institute for the Study of War", but "Ann Lind of the University of X" splits
        return words[:i], words[i:]
    return words, []


_DETACHED = re.compile(r"\s+(?=[.,’'])")  # removed, not replaced by a group: a plain sub is cheaper


def join_words(words: list[str]) -> str:
    """Join name tokens with spaces, re-attaching hyphen/period-joined pieces as printed."""
    return _DETACHED.sub("", " ".join(words)).replace(" - ", "-")


#: "Robert “Bob” Kagan": a nickname in quotation marks between the given name and the surname.
NICKNAME_RE = re.compile(
    r"([A-Z][\w’'\-]+(?:\s+[A-Z][\w’'\-]+)?)\s+[“\"]([A-Z][\w’'\-]+)[”\"]\s+([A-Z][\w’'\-]+)"
)
#: A lone capitalised word, maybe possessive, not followed by another ("Frankel", "Obama's"). The
#: capital comes first and the look back after it: a pattern that opens with its capital lets the
#: regex engine jump from capital to capital instead of trying the look back at every character.
SHORT_NAME_RE = re.compile(r"([A-Z](?<![\w’'][A-Z])[a-z][\w\-]*)([’']s)?(?![\w])(?!\s+[A-Z])")
_NAME_RUN_RE = re.compile(
    r"[A-Z][\w’'.\-]*(?:\s+(?:[A-Z][\w’'.\-]*|(?:de|van|von|bin|al|da|di|le|la|del|der)\b))+"
)


def name_runs(text: str) -> Iterator[tuple[int, int, list[str]]]:
    """Runs of capitalised words that may be a personal name, with the offsets of their piece.

    A run is cut after an owner's possessive ("Cruz's South Carolina", "North Carolina’s Ada
    Fisher": what follows is a name only when it opens with a given name) and after a place used
    as a modifier ("Los Angeles-area Sanders").
    """
    for match in _NAME_RUN_RE.finditer(text):
        start, whole = match.start(), match.group(0)
        if "-" not in whole and "s " not in whole:  # nothing to cut: the common case, cached words
            yield start, match.end(), words_of(whole)
            continue
        for k, piece in enumerate(re.split(r"(?<=[’']s)\s+", whole)):
            run = list(_words(piece))
            cut = next((i for i, w in enumerate(run) if w[:1].isupper() and not name_token(w)), -1)
            run = run[cut + 1 :]
            if len(run) > 1 and (k == 0 or run[0].lower() in GIVEN_NAMES):
                yield start, start + len(piece), run
            start += len(piece) + 1
            while start < match.end() and text[start].isspace():
                start += 1


#: Occupations used as epithets for a person already named ("said the actor", "the star added").
EPITHET_NOUNS = words("epithet-nouns")

#: Marks that a capitalised run may be an organisation (checked before the costlier analyse_np).
ORG_HINT_RE = re.compile(
    r"[&\d]|\b[A-Z]{2,}|[a-z][A-Z]|(?i:\b(?:equities|securities|investments|advis[eo]rs|ventures|brokerage"
    r"|assets?|brotherhood|movement)\b)"
)
ORG_RUN_RE = re.compile(r"[A-Z][\w&’'.\-]*(?:(?:\s+|\s+(?:&|of|for|and|de)\s+)[A-Z][\w&’'.\-]*)*")

#: Two people referred to together ("Both men", "the two women", "the pair").
PAIR_RE = re.compile(
    r"(?:both|the two|the pair of)\s+(?:men|women|brothers|sisters|officers|hostages)|the pair"
)

#: "Sanders himself acknowledged": an intensifier after a name, not part of it.
REFLEXIVE_RE = re.compile(r"\s+(?:himself|herself|themselves|itself)\s*$", re.IGNORECASE)
_PREPOSITIONS = tagged("prepositions")
_DESCRIPTION_STOP = words("description-stop")
_ORG_HEADS = words("org-heads")


def role_headed(description: str) -> bool:
    """Is the head of ``description`` (its last word before a preposition or clause) a person's
    role ("a commissioner on the …", "a Ukraine specialist at …"), not a firm's ("a broker")?"""
    head = ""
    for word in words_of(description):
        low = word.lower()
        if low in _PREPOSITIONS or low in _DESCRIPTION_STOP or not (word.isalpha() or "-" in word):
            break
        head = low
    return (head in ROLE_WORDS or head in EPITHET_NOUNS) and head not in _ORG_HEADS


def inside_sentence(text: str, pos: int) -> bool:
    """Does the word at ``pos`` stand inside a sentence (not after a full stop, a line break or an
    opening quotation mark; "Mr. Biden" and "Joseph R. Biden" are inside)?"""
    before = text[max(0, pos - 12) : pos].rstrip(" \t")
    if not before or before[-1] in '\n“"‘(':
        return False
    if before[-1] not in ".!?:":
        return True
    last = before[:-1].split()[-1:] or [""]
    return last[0].lower() in HONORIFICS or (len(last[0]) == 1 and last[0].isupper())
