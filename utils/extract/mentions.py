"""Noun phrases that mention a source: person, organisation, group, role; appositions.

``analyse_np`` classifies a phrase found next to a reporting verb and splits it into name and
role, so coreference and the rule stages agree on what a phrase is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from utils.extract.lexicon import word_set, words
from utils.extract.names import (
    COMMON_CAPS,
    GROUP_REFERENCES,
    NP_PREPOSITIONS,
    ORG_DESCRIPTORS,
    POSSESSIVE_RE,
    PRONOUNS,
    ROLE_WORDS,
    RUN_CONNECTORS,
    TITLE_WORDS,
    is_acronym,
    is_org_word,
    is_title,
    join_words,
    looks_like_person,
    name_token,
    split_head,
    strip_leading_titles,
    trailing_run,
    words_of,
)
from utils.extract.vocab import ADVERBS, ARTICLES, ING_NOUNS, POSSESSIVES, PREPOSITIONS, RELATIVE_WORDS


@dataclass(frozen=True)
class NounPhrase:
    """A speaker noun phrase split into its canonical name and its role description."""

    name: str  # canonical speaker (person or organisation name, or the unnamed phrase as written)
    role: str  # descriptive words before the name ("State Department official"), may be ""
    kind: str  # "person" | "short" (one-word name) | "org" | "group" | "pronoun"


_BRACKETED_GIVEN_NAME = re.compile(r"(?<=[A-Za-z.])\s+\(([A-Z][a-z]+)\)\s+(?=[A-Z])")


def _clean_phrase(text: str) -> str:
    """Trim spaces and surrounding punctuation; drop a quoted nickname ("Robert “Bob” Kagan").

    Each pattern runs only when its mark is in the phrase: most phrases have neither, and a
    pattern that opens with spaces is tried at every position."""
    if "“" in text or '"' in text or "‘" in text:
        text = _NICKNAME_IN_NAME.sub(" ", text)
    if "(" in text:
        text = _BRACKETED_GIVEN_NAME.sub(r" \1 ", text)  # "Coach (Frank) Vogel"
    return text.strip(" \t\n,;:—–-()[]\"“”‘’'.")


_LEADING_THE = re.compile(r"(the|The)\s+")


def drop_article(text: str, keep_capital_the: bool) -> str:
    """Drop a leading "the" (and "The" unless it belongs to a name such as "The Korea Times")."""
    match = _LEADING_THE.match(text)
    if not match:
        return text
    if match.group(1) == "The" and keep_capital_the:
        return text
    return text[match.end() :]


_QUANTIFIERS = words("quantifiers")
_PLURAL_GROUP = re.compile(r"(?:ans|ians|ers|ists|ites|ese|ards|ees)$")


def _tail_person(tail: list[str]) -> list[str] | None:
    """A personal name closing a prepositional tail: "to Ukraine Kurt Volker" -> Kurt Volker."""
    start, end = trailing_run(tail)
    while start < end and tail[start] in RUN_CONNECTORS:
        start += 1
    run = tail[start:end]
    if end != len(tail) or len(run) < 3:
        return None
    _titles, name = strip_leading_titles(run)
    if len(name) < len(run) and looks_like_person(join_words(name)):
        return name
    return None


_ROLES_AND_TITLES = ROLE_WORDS | TITLE_WORDS  # made once, not per call


_CONTRACTION = re.compile(r"[’'](?:ve|m|d|ll|re|s)$")


_NAME_CONNECTORS = frozenset({"of", "for", "and", "&", "the", "on", "de"})


def _one_org_name(core: list[str]) -> bool:
    """Is a capitalised phrase with "and" one organisation's name ("Chinese Center for Disease
    Control and Prevention"), not a joint speaker? An organisation word must come before the "and".
    The cheap tests on the capitals come first: most phrases fail them."""
    if not (
        len(core) >= 3
        and core[0][:1].isupper()
        and core[-1][:1].isupper()
        and all(w[:1].isupper() or w.lower() in _NAME_CONNECTORS for w in core)
    ):
        return False
    joint = next((i for i, w in enumerate(core) if w.lower() in {"and", "&"}), 0)
    return any(is_org_word(w) for w in core[:joint]) and not any(is_title(w) for w in core)


def analyse_np(text: str, sentence_initial: bool = False) -> NounPhrase:
    """Classify a speaker noun phrase and extract the canonical name.

    Why: the subject of a reporting verb mixes roles and names ("veteran industry analyst Ken
    Doctor", "the Russian and Syrian defense ministries", "a senior defense official"). Named
    people keep only their name; organisations keep their name without a lower-case "the";
    unnamed sources and groups are kept as written, as the annotation guide asks.
    """
    # One cache key however the caller passes the flag; and the flag only decides whether a leading
    # "The" is dropped, so without a "The" the phrase is the same at a sentence's start: one key.
    return _analyse_np(text, bool(sentence_initial) and "The" in text)


@lru_cache(maxsize=8192)
def _analyse_np(text: str, sentence_initial: bool) -> NounPhrase:
    """``analyse_np``, cached: ``lru_cache`` keys ``f(x)`` and ``f(x, sentence_initial=False)`` apart."""
    phrase = _clean_phrase(text)
    words = words_of(phrase)
    relative = next(
        (i for i in range(2, len(words)) if words[i - 1] == "," and words[i] in RELATIVE_WORDS), 0
    )
    if relative:  # "the New York businessman, who campaigned Monday in …": the clause names nobody
        return analyse_np(join_words(words[: relative - 1]), sentence_initial)
    if not words:
        return NounPhrase("", "", "group")
    if len(words) == 1 and _CONTRACTION.sub("", words[0].lower()) in PRONOUNS:
        return NounPhrase(_CONTRACTION.sub("", words[0].lower()), "", "pronoun")
    start, end = trailing_run(words)
    if 0 < start < end == len(words) and words[start - 1].lower() in _ROLES_AND_TITLES:
        named = analyse_np(join_words(words[start:end]), sentence_initial=False)
        if named.kind == "person":  # "… the resignation of his defense minister Kim Yong-hyun"
            prep = max((i for i in range(start) if words[i].lower() in NP_PREPOSITIONS), default=-1)
            role = [w for w in words[prep + 1 : start] if w.lower() not in POSSESSIVES]
            return NounPhrase(named.name, tidy_role(" ".join(role)), "person")
    if 0 < start < end == len(words) and _unrelated_before(words[start - 1]):
        named = analyse_np(join_words(words[start:end]), sentence_initial=False)
        if named.kind in {"person", "short"}:
            return named  # "from the time Yoon" -> Yoon
    if _one_org_name(words[1:] if words[0].lower() == "the" else words):
        return _org(phrase, words, 0, len(words), sentence_initial)
    head, tail = split_head(words)
    if tail:
        person = _tail_person(tail)
        if person is not None:
            role = " ".join(words[: len(words) - len(person)])
            return NounPhrase(join_words(person), tidy_role(role), "person")
    if tail:  # else the head is all the words, whose run is known
        start, end = trailing_run(head)
    if end != len(head) or end == start or POSSESSIVE_RE.search(head[end - 1]):
        return _group(phrase, sentence_initial)
    run = head[start:end]
    if all(w.lower() in COMMON_CAPS for w in run) or (start > 0 and all(is_title(w) for w in run)):
        return _group(phrase, sentence_initial)  # "one neo-bank CEO": a role, no name
    if start >= 2 and head[start - 1] in {"and", "&"} and name_token(head[start - 2]):
        return _group(phrase, sentence_initial)  # a joint speaker: "Biden and Trump"
    if head[0].lower() in _INDEFINITE and start <= 1 and len(head) > 1:
        return _group(phrase, sentence_initial)  # "an Iowa Republican": a description, not a name
    if start == 0 and _plural_role(run[0]):
        return _group(phrase, sentence_initial)  # "Officials in Ohio", "Residents of Ohio"
    titles, name = strip_leading_titles(run)
    if len(name) == 1 and not head[:start] and len(titles) == 1 and titles[0].lower() in ORG_DESCRIPTORS:
        return NounPhrase(name[0], titles[0].lower(), "org")  # "Developer Valve", "Automaker Nissan"
    titles = [
        w for w in titles if not (w[0].isupper() and w.lower() in COMMON_CAPS) or w.lower() in _QUANTIFIERS
    ]
    role = tidy_role(" ".join(head[:start] + titles))
    if any(w.lower() in _QUANTIFIERS for w in titles + head[:start]) or (
        len(name) == 1 and _PLURAL_GROUP.search(name[0]) and not is_acronym(name[0])
    ):
        return _group(phrase, sentence_initial)
    if any(is_org_word(w) or "&" in w or any(c.isdigit() for c in w) for w in name) or (
        (len(name) == 1 and is_acronym(name[0].rstrip("."))) or name[-1].lower() in ORG_TAILS
    ):
        return _org(phrase, head, start, end, sentence_initial)
    institution = _institution(tail)
    if institution and len(name) > 1:  # "Jane Roe of Harvard", "Jane Roe at the Brookings Institution"
        role = ", ".join(p for p in (role, institution) if p)
    return NounPhrase(join_words(name), role, "person" if len(name) > 1 else "short")


#: "an Iowa Republican", "another Nevada Democrat": a capitalised run after these describes someone.
_INDEFINITE = frozenset({"a", "an", "another"})
#: Prepositions after a personal name that introduce where the person works ("Jane Roe of Harvard").
_INSTITUTION_LINKS = frozenset({"of", "at", "from", "with"})


def _plural_role(word: str) -> bool:
    """ "Officials", "Residents": a role word in the plural, capitalised as a sentence opens."""
    low = word.lower()
    return low.endswith("s") and (low[:-1] in ROLE_WORDS or (low.endswith("es") and low[:-2] in ROLE_WORDS))


def _institution(tail: list[str]) -> str:
    """The institution of a prepositional tail made of one capitalised name: "of Harvard", "at the
    Brookings Institution" -> "Harvard", "Brookings Institution"; anything longer is no affiliation."""
    if len(tail) < 2 or tail[0] not in _INSTITUTION_LINKS:
        return ""
    rest = tail[2:] if tail[1] == "the" else tail[1:]
    start, end = trailing_run(rest)
    if not rest or start != 0 or end != len(rest):
        return ""
    return join_words(rest)


#: Endings of nouns for people ("analyst", "reporter", "spokeswoman"): such a word relates to a name.
_AGENT_SUFFIXES = tuple(sorted(word_set("agent-suffixes")))


def _unrelated_before(word: str) -> bool:
    """Is the lower-case word before a final name unrelated to it ("from the time Yoon")?"""
    low = word.lower()
    return (
        word.islower()
        and word.isalpha()
        and low not in ROLE_WORDS
        and low not in TITLE_WORDS
        and low not in NP_PREPOSITIONS
        and low not in {"and", "or", "&", "the", "a", "an"}
        and not low.endswith(_AGENT_SUFFIXES)
    )


def agent_noun(word: str) -> bool:
    """Does ``word`` end like a noun for a person ("philosopher", "retiree", "millionaire")? Why:
    the role lists cannot hold every occupation, and news style puts any of them before a name."""
    return (
        len(word) > 4
        and word.endswith(_ROLE_NOUN_ENDINGS)
        and not word.endswith(_NOT_AGENT_ENDINGS)  # "however", "whenever"
        and word not in _NOT_AGENT_NOUNS
    )


_ROLE_NOUN_ENDINGS = tuple(sorted(word_set("role-noun-endings")))
_NOT_AGENT_ENDINGS = tuple(sorted(word_set("not-agent-endings")))
_NOT_AGENT_NOUNS = word_set("not-agent-nouns")


def _group(phrase: str, sentence_initial: bool) -> NounPhrase:
    return NounPhrase(drop_article(phrase, keep_capital_the=not sentence_initial), "", "group")


def _org(phrase: str, head: list[str], start: int, end: int, sentence_initial: bool) -> NounPhrase:
    """Organisation names keep a mid-sentence "The" ("The Korea Times"), lose a lower-case one."""
    org = drop_article(join_words(head), keep_capital_the=not sentence_initial)
    org_words = words_of(org)
    if org_words and all(name_token(w) or w.lower() in {"of", "and", "&", "for", "the"} for w in org_words):
        return NounPhrase(org, "", "org")
    run = head[start:end]
    while len(run) > 1 and run[0].lower() in COMMON_CAPS:
        run = run[1:]
    return NounPhrase(join_words(run), tidy_role(" ".join(head[:start])), "org")


_SPACES = re.compile(r"\s+")
_SPACE_BEFORE_MARK = re.compile(r"\s+([,.;:’'])")
_LEADING_WHAT = re.compile(r"^what\s+", re.IGNORECASE)
_LEADING_DETERMINER = re.compile(r"^(?:a|an|another|the|its|his|her|their)\s+", re.IGNORECASE)


@lru_cache(maxsize=8192)
def tidy_role(role: str) -> str:
    """Short role text: no leading article or "what", no trailing comma, single spaces."""
    role = _SPACES.sub(" ", role).strip(" ,")
    role = _SPACE_BEFORE_MARK.sub(r"\1", role)
    role = _LEADING_WHAT.sub("", role)  # "in what host X described"
    return _LEADING_DETERMINER.sub("", role)


#: The first word after "who is" and any adverbs ("also considering …"): case-sensitive, so "King".
_FIRST_AFTER_ADVERBS = re.compile(rf"(?:(?:{'|'.join(sorted(ADVERBS))})\s+)*(\w+)\s")
_TITLE_OR_NOUN_ING = words("keep-ing") | ING_NOUNS  # "acting director", "King of Spain"


def _activity_start(role: str) -> bool:
    """Does ``role`` open with a progressive ("still running …")? That says what the person does
    now, not a role; a participle of a title ("acting director", "managing editor") or a noun in
    -ing ("King") opens a role."""
    match = _FIRST_AFTER_ADVERBS.match(role)
    word = match.group(1) if match else ""
    return word.endswith("ing") and word.islower() and word not in _TITLE_OR_NOUN_ING


#: ", formerly an adviser at Google": an adverb that makes the role a past one.
_PAST_START = re.compile(rf"(?:{'|'.join(sorted(word_set('apposition-adverbs-past')))})\s+(?=\S)")


def former(role: str) -> str:
    """ "adviser at Google" -> "former adviser at Google": a past role shown as current would misstate
    who speaks; one "former" is enough."""
    return f"former {role}" if role and not role.lower().startswith("former") else role


#: "who is the …", "who was then serving as the …": a relative clause that only says what the
#: person is; the role after it is the affiliation.
_ROLE_TIME_ADVERBS = word_set("apposition-adverbs-current") | word_set("apposition-adverbs-past")
WHO_IS = re.compile(
    rf"(?:who|which)\s+(?:is|was|serves as|served as|works as|worked as)\s+"
    rf"(?:(?:{'|'.join(sorted(_ROLE_TIME_ADVERBS))})\s+)?"
    r"(?:(?:serving|working) as\s+)?(.*)"
)


#: ", of Yale", ", at Harvard": prepositions that open an affiliation after a name.
_AFFILIATION_LINKS = word_set("affiliation-links")
_PORTRAIT_NOUNS = word_set("portrait-nouns")
_PORTRAIT_HINT = re.compile(rf"\b(?:{'|'.join(sorted(_PORTRAIT_NOUNS))})\b", re.IGNORECASE)


def _portrait(head: str) -> bool:
    """ "a tall man with a beard", "a stocky character": a phrase headed (before any preposition)
    by a word for any person portrays the speaker; it says no role, and as an affiliation it hid
    the role the article gave before."""
    if _PORTRAIT_HINT.search(head) is None:  # cheap test first
        return False
    found = [w.lower() for w in words_of(head)]
    found = found[: next((i for i, w in enumerate(found) if w in NP_PREPOSITIONS), len(found))]
    return bool(found) and found[-1] in _PORTRAIT_NOUNS


#: A negated relative clause opening an apposition: "who hadn’t sung …", "who never ran …".
_NEGATED_CLAUSE = re.compile(r"(?:who|which)\s+(?:\w+n[’']t|(?:\w+\s+)?(?:not|never))\s", re.IGNORECASE)


def affiliation_from_apposition(text: str) -> str:
    """Turn an apposition into a short affiliation.

    "a retired major general in the Australian Army who closely tracks Ukraine" ->
    "retired major general in the Australian Army": drop the article and any relative clause,
    because the journalist-facing table wants the role, not the biography.
    """
    role = _clean_phrase(text)
    first = role.split(maxsplit=1)[0].lower() if role else ""
    if first in PREPOSITIONS and first not in _AFFILIATION_LINKS:
        return ""  # ", via USA Today,": where the words came from, not who says them
    past = _PAST_START.match(role)
    if past is not None:  # "formerly an adviser at Google" -> "former adviser at Google"
        return former(affiliation_from_apposition(role[past.end() :]))
    match = WHO_IS.match(role) or re.match(
        r"who\s+\w+(?:\s+[\w.’'-]+){0,4}?\s+as\s+(.*)",
        role,  # "who follows Amazon as a managing director"
    )
    if match:
        role = match.group(1)
        if _activity_start(role):
            return ""  # "who is also considering …": what the person does now, not a role
    elif _NEGATED_CLAUSE.match(role):
        return ""  # "who hadn’t sung in years": what the person did not do says no role
    head = re.split(r"\s+(?:who|which|whose|that|where)\s+|,\s+", role, maxsplit=1)[0]
    if _portrait(head):
        return ""
    if tidy_role(head).lower() in ORG_HEADS and head != role:
        # "the group that owns most of her music": a bare "group" says nothing, its clause does
        return tidy_role(role.split(", ", 1)[0])
    return tidy_role(head)


FINITE = words("finite")


#: A segment opening with one is a clause or an adverbial, not an apposition.
_NON_APPOSITION_OPENERS = word_set("non-apposition-openers")


_ARTICLES_POSSESSIVES = ARTICLES | POSSESSIVES  # made once, not per call
#: ", another deportee,", ", one of the organisers,": words besides articles that open an apposition.
_APPOSITION_DETERMINERS = word_set("apposition-determiners")


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
    if first in NP_PREPOSITIONS or first in _NON_APPOSITION_OPENERS:
        return False
    lowered = [w.lower() for w in words]
    main = lowered[: next((i for i, w in enumerate(lowered) if w in RELATIVE_WORDS), len(lowered))]
    if any(w in FINITE for w in main):
        return False  # a clause; a verb inside a relative clause ("… who did not work on it") is fine
    if first in _ARTICLES_POSSESSIVES or first in _APPOSITION_DETERMINERS:
        return True
    if words[0][0].isdigit() and len(words) <= 2:
        return True
    # the last part of a compound counts ("co-director of …", "vice-chancellor")
    return any(w.lower().rsplit("-", 1)[-1] in _ROLES_AND_TITLES for w in words[:5])


#: ", however,", ", in turn,": words that open a short adverbial between a subject and its verb.
_SHORT_ADVERBIALS = word_set("short-adverbials")


def is_adverbial(text: str) -> bool:
    """Short comma-delimited adverbials that sit between a subject and its verb (", by contrast,")."""
    words = words_of(_clean_phrase(text))
    if not words or len(words) > 4:
        return False
    first = words[0].lower()
    return (
        first in NP_PREPOSITIONS or (len(words) == 1 and first.endswith("ly")) or first in _SHORT_ADVERBIALS
    )


#: Last words that make a capitalised name a firm ("Kotak Institutional Equities"); extraction only.
ORG_TAILS = words("org-tails")

_NICKNAME_IN_NAME = re.compile(r"\s+[“\"‘][A-Z][\w.’'\-]*(?:\s[A-Z][\w.’'\-]*)?[”\"’]\s+")


#: Head nouns of a description that make the described name an organisation.
ORG_HEADS = GROUP_REFERENCES | words("org-heads")
_DESCRIPTION_STOP = words("description-stop")


def describes_org(description: str) -> bool:
    """Is ``description`` ("the group that owns her music", "a private equity firm") about an organisation?"""
    words = []
    for word in words_of(description):
        low = word.lower()
        if low in _DESCRIPTION_STOP or (not word.isalpha() and "-" not in word):
            break
        words.append(low)
    return bool(words) and words[-1] in ORG_HEADS and words[0] in _ARTICLES_POSSESSIVES
