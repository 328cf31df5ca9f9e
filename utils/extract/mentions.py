"""Noun phrases that mention a source: person, organisation, group, role; appositions.

``analyse_np`` classifies a phrase found next to a reporting verb and splits it into name and
role, so coreference and the rule stages agree on what a phrase is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from utils.extract.lexicon import tagged, verb_rows, words
from utils.extract.names import (
    COMMON_CAPS,
    GROUP_REFERENCES,
    NP_PREPOSITIONS,
    POSSESSIVE_RE,
    PRONOUNS,
    ROLE_WORDS,
    RUN_CONNECTORS,
    TITLE_WORDS,
    is_acronym,
    is_capitalised,
    is_org_word,
    is_title,
    join_words,
    looks_like_person,
    name_token,
    speaker_key,
    split_head,
    strip_leading_titles,
    trailing_run,
    words_of,
)


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


def drop_article(text: str, keep_capital_the: bool) -> str:
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
    start, end = trailing_run(words)
    if 0 < start < end == len(words) and words[start - 1].lower() in ROLE_WORDS | TITLE_WORDS:
        named = analyse_np(join_words(words[start:end]), sentence_initial=False)
        if named.kind == "person":  # "… the resignation of his defense minister Kim Yong-hyun"
            prep = max((i for i in range(start) if words[i].lower() in NP_PREPOSITIONS), default=-1)
            role = [w for w in words[prep + 1 : start] if w.lower() not in {"his", "her", "its", "their"}]
            return NounPhrase(named.name, tidy_role(" ".join(role)), "person")
    if 0 < start < end == len(words) and _unrelated_before(words[start - 1]):
        named = analyse_np(join_words(words[start:end]), sentence_initial=False)
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
    head, tail = split_head(words)
    if tail:
        person = _tail_person(tail)
        if person is not None:
            role = " ".join(words[: len(words) - len(person)])
            return NounPhrase(join_words(person), tidy_role(role), "person")
    start, end = trailing_run(head)
    if end != len(head) or end == start or POSSESSIVE_RE.search(head[end - 1]):
        return _group(phrase, sentence_initial)
    run = head[start:end]
    if all(w.lower() in COMMON_CAPS for w in run) or (start > 0 and all(is_title(w) for w in run)):
        return _group(phrase, sentence_initial)  # "one neo-bank CEO": a role, no name
    if start >= 2 and head[start - 1] in {"and", "&"} and name_token(head[start - 2]):
        return _group(phrase, sentence_initial)  # a joint speaker: "Biden and Trump"
    titles, name = strip_leading_titles(run)
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
    return NounPhrase(join_words(name), role, "person" if len(name) > 1 else "short")


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
        and not low.endswith(("ist", "er", "or", "ian", "ant", "ent", "man", "woman"))
    )


def _group(phrase: str, sentence_initial: bool) -> NounPhrase:
    return NounPhrase(drop_article(phrase, keep_capital_the=not sentence_initial), "", "group")


def _org(phrase: str, head: list[str], start: int, end: int, sentence_initial: bool) -> NounPhrase:
    """Organisation names keep a mid-sentence "The" ("The Korea Times"), lose a lower-case one."""
    org = drop_article(join_words(head), keep_capital_the=not sentence_initial)
    org_words = words_of(org)
    if org_words and all(
        is_capitalised(w) or w.lower() in {"of", "and", "&", "for", "the"} for w in org_words
    ):
        return NounPhrase(org, "", "org")
    run = head[start:end]
    while len(run) > 1 and run[0].lower() in COMMON_CAPS:
        run = run[1:]
    return NounPhrase(join_words(run), tidy_role(" ".join(head[:start])), "org")


def tidy_role(role: str) -> str:
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
    head = re.split(r"\s+(?:who|which|whose|that|where)\s+|,\s+", role, maxsplit=1)[0]
    if tidy_role(head).lower() in _ORG_HEADS and head != role:
        # "the group that owns most of her music": a bare "group" says nothing, its clause does
        return tidy_role(role.split(", ", 1)[0])
    return tidy_role(head)


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
    if first in NP_PREPOSITIONS or first in {"and", "or", "but", "as", "which", "that", "when", "while"}:
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
        first in NP_PREPOSITIONS
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


#: Last words that make a capitalised name a firm ("Kotak Institutional Equities"); extraction only.
ORG_TAILS = words("org-tails")

_NICKNAME_IN_NAME = re.compile(r"\s+[“\"‘][A-Z][\w.’'\-]*(?:\s[A-Z][\w.’'\-]*)?[”\"’]\s+")


#: Head nouns of a description that make the described name an organisation.
_ORG_HEADS = GROUP_REFERENCES | words("org-heads")
_DESCRIPTION_STOP = words("description-stop")


def describes_org(description: str) -> bool:
    """Is ``description`` ("the group that owns her music", "a private equity firm") about an organisation?"""
    words = []
    for word in words_of(description):
        low = word.lower()
        if low in _DESCRIPTION_STOP or (not word.isalpha() and "-" not in word):
            break
        words.append(low)
    return bool(words) and words[-1] in _ORG_HEADS and words[0] in {"the", "a", "an", "its", "their"}


# --- descriptions met in the narration ---------------------------------------------------------

#: Heads of a role written before a name ("talent manager", "US Secretary of State", "singer").
_ROLE_HEADS = ROLE_WORDS | TITLE_WORDS | words("epithet-nouns") | words("occupations")
#: Forms of address that say nothing about a role ("Mr.", "Ms."); ranks such as "Dr." or "Sen." do.
_ADDRESS_ONLY = words("address-forms")
_ROLE_MODIFIERS = words("role-modifiers")
#: Lower-case words that end a role read backwards from a name: function words and verbs.
_FUNCTION_LISTS = "determiner-like pronouns finite be aux adverbs subordinators irregular-past wh-words"
_NOT_IN_ROLE = (
    frozenset().union(
        *(words(name) for name in _FUNCTION_LISTS.split()), tagged("prepositions"), tagged("calendar")
    )
    | frozenset(form for lemma, forms, _tags in verb_rows() for form in forms if form != lemma)
    | {"or", "but", "nor", "not"}
) - _ROLE_HEADS
_VERB_FORMS = frozenset(form for _lemma, forms, _tags in verb_rows() for form in forms)
#: "Ann Lee of the University of Lund", "… from the Mercia police": the institution after a name.
_INSTITUTION_AFTER = re.compile(
    r"\s+(?:of|from)\s+(?:the\s+)?([A-Z][\w&’'.\-]*(?:\s+(?:(?:of|for|and|&|on)\s+)?(?:the\s+)?[A-Z][\w&’'.\-]*)*"
    r"(?:\s+(?:police|department|university|hospital|institute|council))?)(?![\w’'])"
)
_WH = words("wh-words")
_LIST_OPENERS = frozenset({"a", "an", "the", "his", "her", "its", "their", "our", "my", "your"})
_BEFORE_A_VERB = words("aux") | words("subject-pronouns") | {"to"}
_ABBREVIATED = words("honorifics")  # "… after Mr." ends a segment at the abbreviation's period
_PARTY_STATE = re.compile(r"[RDI]-[A-Z][A-Za-z.]*")  # "Sen. Ben Sasse, R-Neb.": party and state


def _role_head(word: str) -> bool:
    """Is ``word`` a role or title ("physician", "Gov.", "co-CEO": the last part of a compound)?"""
    bare = word.lower().rstrip(".")
    return bare in _ROLE_HEADS or bare.rsplit("-", 1)[-1] in _ROLE_HEADS


def address_only(text: str) -> bool:
    """Is ``text`` only forms of address ("Mr.", "Mrs.")? They tell a gender, not a role."""
    return bool(text.strip()) and all(w.lower().rstrip(".") in _ADDRESS_ONLY for w in words_of(text))


def _no_role(text: str) -> bool:
    """Only modifiers of a role ("former", "then", "senior and"): no role at all."""
    return all(w.lower().rstrip(".") in _ROLE_MODIFIERS | {"and", ",", "&"} for w in words_of(text))


def role_before_name(before: str) -> str:
    """The role the narration writes right before a name: "… by US Secretary of State" -> "US
    Secretary of State"; "… with Salesforce founder and co-CEO" -> "Salesforce founder and co-CEO";
    "… from his longtime physician Dr." -> "longtime physician Dr.".

    Why: news style introduces most people once, in the narration, with the role in front of the
    name; a quote comes later under the bare surname. Read backwards from the name, the role is a
    run of capitalised words, role words and modifiers, ended by punctuation, a function word or a
    verb; it must hold a role or title word, after which only "of" and capitalised words may
    follow ("Secretary of State"). Forms of address alone ("Mr.") are no role.
    """
    last = before[-40:].split()[-1:]
    if not last or not (_role_head(last[0]) or (last[0][:1].isupper() and " of " in before[-60:])):
        return ""  # cheap test first: no role or title word right before the name
    toks = words_of(before[-160:])
    kept: list[str] = []
    for k in range(len(toks) - 1, -1, -1):
        word, low = toks[k], toks[k].lower().rstrip(".")
        if not any(c.isalnum() for c in word) or (word.endswith(".") and word[:-1].islower()):
            break  # punctuation, or the end of an earlier sentence ("said.")
        if low in _ADDRESS_ONLY:
            break  # "the challenges Mr. Obama has faced": a form of address ends the role
        if _role_head(word) or word[:1].isdigit():
            pass
        elif word[:1].isupper():
            if low in COMMON_CAPS or (low in _NOT_IN_ROLE and not is_acronym(word.rstrip("."))):
                break  # "The", "But", "In" at a sentence start
        elif low in {"and", "&"}:
            if not kept or k == 0 or not _role_head(toks[k - 1]):
                break  # "founder and co-CEO", but not "astronaut Tom Stafford and retired executive"
        elif low == "of":
            if not kept or not kept[0][:1].isupper() or k == 0 or not _role_head(toks[k - 1]):
                break  # "Secretary of State", but not "critical of Gov."
        elif (
            low in _NOT_IN_ROLE
            or low.endswith("ly")
            or (low.endswith(("ed", "ing")) and "-" not in low)
            or (k > 0 and (toks[k - 1].lower() in _BEFORE_A_VERB or toks[k - 1].lower().endswith("ly")))
            # a verb: "threatening to kill Rep.", "Do you support Dr.", "will certainly force Sen."
        ):
            break
        kept.insert(0, word)
    while kept and kept[0].lower() in {"and", "&", "of"}:
        kept.pop(0)
    heads = [i for i, w in enumerate(kept) if _role_head(w)]
    if not heads or _no_role(" ".join(kept)):
        return ""
    tail = kept[heads[-1] + 1 :]
    if tail and not (tail[0] == "of" and len(tail) > 1 and all(w[:1].isupper() for w in tail[1:])):
        return ""  # the word before the name is no role ("… General William Barr put")
    return tidy_role(" ".join(kept))


def apposition_after_name(after: str) -> str:
    """The apposition the narration gives right after a name: ", a pulmonologist at the Aberdeen
    Royal Infirmary, took a look" -> "pulmonologist at the Aberdeen Royal Infirmary"; ", R-Neb.,"
    -> "R-Neb."; ", Washington State Department of Health public information officer," (a role
    word at its end) is one too. An age (", 31,") or a clause is not. An institution joined by "of"
    or "from" ("… of the University of North Carolina", "… from the Mercia police") is one too."""
    if not re.match(r"\s*,|\s+(?:of|from)\s", after):
        return ""
    institution = _INSTITUTION_AFTER.match(after)
    if institution is not None:
        # not past a sentence end ("Times. All") or a possessive; "U.S." and "Co." keep their period
        run = re.split(r"(?<=[a-z]{2})\.\s+|[’']s\b", institution.group(1))[0]
        run = re.sub(r"(?<=[A-Za-z]{3})\.$", "", run)
        if len(run.split()) > 1 or any(is_org_word(w) or is_acronym(w) for w in run.split()):
            return run
    match = re.match(r"\s*,\s*([^,;:()“”\"]+?)\s*(?:[,;:()]|\.\s|\.?$)", after)
    if match is None:
        return ""
    segment = match.group(1)
    if _PARTY_STATE.fullmatch(segment):
        return segment
    seg_words = words_of(segment)
    if not seg_words or seg_words[0][:1].isdigit() or seg_words[0].lower() in {"who", "whose", "which"}:
        return ""
    main = next((seg_words[:i] for i, w in enumerate(seg_words) if i and w.lower() in _WH), seg_words)
    ends_in_role = (
        _role_head(seg_words[-1]) and seg_words[-1].lower().rstrip(".") not in _ADDRESS_ONLY | _ABBREVIATED
    )
    if not (
        looks_like_role(" ".join(main))
        or (ends_in_role and len(seg_words) <= 10 and seg_words[0][:1].isupper())
    ):
        return ""
    if _no_role(segment) or seg_words[-1].lower().rstrip(".") in _ABBREVIATED:
        return ""  # only "former", or cut at a title's period (", pulled Rep. King aside")
    if not _has_role(" ".join(main)) and not any(w[:1].isupper() for w in main[1:]):
        return ""  # "a petite woman with …": a portrait, not a role or an institution
    lowered = {w.lower() for w in seg_words}
    if match.group(0).rstrip()[-1:] not in {",", ";", ":", ")"} and {"and", "or"} & lowered:
        return ""  # "… between Swift, her former label and two politicians looks …": a list
    following = words_of(re.split(r"[,;.]", after[match.end() :], maxsplit=1)[0])
    if following and following[0].lower() in _LIST_OPENERS and {"and", "or"} & {w.lower() for w in following}:
        return ""  # "Lorenz, his secretary, his programmer and his students": a list
    if {w.lower() for w in main} & _FINITE or {seg_words[0].lower(), seg_words[-1].lower()} & _VERB_FORMS:
        return ""  # a clause, or an inverted cue (", say officials.", ", officials said.")
    role = affiliation_from_apposition(segment)
    org = re.match(
        r"\s*([A-Z][\w&’'.\-]*(?:\s+[A-Z][\w&’'.\-]*)*)\s*(?:[,;]|\.\s|\.?$)", after[match.end() :]
    )
    run = org.group(1).split() if org else []
    if rank_only(segment) and (len(run) > 1 or any(is_org_word(w) or is_acronym(w.rstrip(".")) for w in run)):
        return f"{role}, {' '.join(run).rstrip('.')}"  # "Sanjiv Bhasin, Director, IIFL Securities."
    inner = re.match(r"(?:the|a|an)\s+([^,;:()“”\"]+?)\s*,", after[match.end() :].lstrip())
    if inner and seg_words[-1][:1].isupper() and match.group(0).rstrip().endswith(","):
        inner_words = [w.lower() for w in words_of(inner.group(1))]
        if not set(inner_words) & _FINITE and inner_words[-1] not in _VERB_FORMS:
            return f"{role}, {tidy_role(inner.group(1))}"  # "… for Inherent Resolve, the U.S. operation …,"
    return role


_COPULA = re.compile(r"\s+(?:is|was)\s+(?:also\s+)?(?:a|an|the)\s+([^,;:()“”\"]+?)\s*(?:[,;:)]|\.\s|\.?$)")


def copular_role(after: str) -> str:
    """ "Hege is the CEO of DH, …" -> "CEO of DH": a role said with "is"/"was" right after a name.
    The phrase's head (before its first preposition) must be a role or occupation, so "is the
    reason" or "was a surprise" say nothing."""
    match = _COPULA.match(after)
    if match is None:
        return ""
    phrase = match.group(1)
    found = words_of(phrase)
    head = next((found[:i] for i, w in enumerate(found) if w in NP_PREPOSITIONS or w in _WH), found)
    if not head or not _role_head(head[-1]) or {w.lower() for w in found} & _FINITE:
        return ""
    return affiliation_from_apposition(phrase)


def narration_description(text: str, start: int, end: int, titles: str = "", appositive: bool = True) -> str:
    """Role before the name at ``text[start:end]`` (and its ``titles``) and apposition (or "is the
    …" role) after it, joined as the dev set writes them ("Cmdr., spokesperson for Inherent
    Resolve"); read from a bounded window around the name, for speed."""
    before = text[max(0, start - 200) : start] + (f"{titles} " if titles else "")
    after = text[end : end + 400] if appositive else ""
    copular = copular_role(after) if after.startswith((" is ", " was ")) else ""
    parts = [role_before_name(before), apposition_after_name(after) or copular]
    return ", ".join(dict.fromkeys(p for p in parts if p))


def _role_tokens(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.lower()) if w not in {"the", "a", "an", "of", "s"}}


def rank_only(affiliation: str) -> bool:
    """Is ``affiliation`` only ranks and role words ("Lt. Col.", "President", "CEO", "Dr.")?"""
    found = words_of(affiliation)
    return bool(found) and all(_role_head(w) or w in {",", "."} for w in found)


_RELATIVE = re.compile(r"(?:who|whose|which|that)\b", re.IGNORECASE)


_VAGUE_ROLES = words("vague-roles")


def _head_role(text: str) -> str:
    """The role word heading a description, before its first preposition ("executive" in "Walt
    Disney Co. executive", "chairman" in "Disney's chairman of …"); "" if none."""
    found = words_of(text)
    head = next((found[:i] for i, w in enumerate(found) if w in NP_PREPOSITIONS or w in _WH), found)
    roles = [w.lower().rstrip(".") for w in head if _role_head(w)]
    return roles[-1] if roles else ""


def _has_role(text: str) -> bool:
    return any(_role_head(w) for w in words_of(text))


def merge_affiliation(old: str, new: str) -> str:
    """The affiliation kept when a person or organisation is described once more.

    The first real description stays: it is the article's introduction. A later one is taken when
    nothing is known yet, when it repeats the kept one and says more ("leader of the PPP" -> "leader
    of the ruling People Power Party (PPP)", "Speaker" -> "Indiana House Speaker"), when the kept
    one is only a rank ("Lt. Col." -> "Lt. Col., career Army officer", the dev set's form), or when
    the kept one says what the person did and the new one what the person is ("Ambassador, the
    most anticipated witness" -> "… his ambassador to the European Union"), or when the kept role
    is a vague one and the new one names a precise role ("Disney executive" -> "Disney's chairman of
    direct-to-consumer").
    """
    old, new = old.strip(), new.strip()
    if not new or new == old or _no_role(new):
        return old
    if not old:
        return new
    # a later description loses its biography ("Steelers captain, who lobbied for …")
    new = ", ".join(p for p in new.split(", ") if not _RELATIVE.match(p))
    if not new or _no_role(new):
        return old
    if address_only(old):
        return new
    if _role_tokens(old) <= _role_tokens(new):
        return new
    if rank_only(new):
        return old
    parts = old.split(", ")
    ranks = [p for p in parts if rank_only(p)]
    described = ", ".join(p for p in parts if p not in ranks)
    vague = _head_role(described) in _VAGUE_ROLES and _head_role(new) not in _VAGUE_ROLES | {""}
    if parts == ranks or (
        (not _has_role(described) or vague) and _has_role(new) and not _RELATIVE.match(new)
    ):
        kept = [p for p in ranks if not _role_tokens(p) <= _role_tokens(new)]
        return ", ".join([*kept, new])
    return old


_GENERIC_ORG_HEADS = words("generic-org-heads")
_OWNED = re.compile(r"[A-Z][\w&.]*-(?:owned|based|backed|run|led)$")


def _org_head_phrase(found: list[str]) -> str:
    """ "private equity firm", "former record label", "Amazon-owned": a description of an
    organisation read back from its end: lower-case modifiers ending in an organisation noun."""
    if not found or _OWNED.match(found[-1]):
        return found[-1] if found else ""
    if found[-1].lower() not in _ORG_HEADS:
        return ""
    start = len(found) - 1
    while start > max(0, len(found) - 5) and (found[start - 1].islower() or _OWNED.match(found[start - 1])):
        if found[start - 1] in _LIST_OPENERS or found[start - 1] in _NOT_IN_ROLE:
            break
        start -= 1
    return " ".join(found[start:])


def org_description(before: str, after: str) -> str:
    """:func:`_org_description`, but a bare "company" or "group" ("The group, X, …") says nothing."""
    last = before[-30:].split()[-1:]
    if not after.startswith(",") and not (last and (last[0].islower() or last[0].endswith(("d", ",")))):
        return ""  # cheap test first: no apposition, no lower-case word or "-owned" right before
    described = _org_description(before, after)
    return "" if described.lower() in _GENERIC_ORG_HEADS else described


def _org_description(before: str, after: str) -> str:
    """What the narration says an organisation is, around its name: "the private equity firm Alden
    Capital" and "Amazon-owned Whole Foods" (before), "her former record label, Big Machine Records"
    (a description, then the name), "Fortress Investment Group, a private equity firm that …" (an
    apposition whose head is an organisation noun)."""
    tail = before[-80:]
    found = words_of(tail)
    if tail.rstrip().endswith(",") and not tail.rstrip().endswith(", ,"):
        segment = words_of(re.split(r"[,.;:!?]", tail.rstrip()[:-1])[-1])
        k = max((i for i, w in enumerate(segment) if w.lower() in _LIST_OPENERS), default=-1)
        described = _org_head_phrase(segment[k + 1 :]) if k >= 0 else ""
        if described and len(segment) - k - 1 == len(described.split()):
            return described
        found = []
    described = _org_head_phrase(found) if found and before[-1:].isspace() else ""
    if not described:
        match = re.match(r"\s*,\s*(?:a|an|the)\s+([^,;:()“”\"]+?)\s*(?:[,;:()]|\.\s|\.?$)", after)
        if match is not None:
            head = re.split(r"\s+(?:who|which|whose|that|where|of|in|with|for|at|based)\s+", match.group(1))[
                0
            ]
            described = _org_head_phrase(words_of(head)) and affiliation_from_apposition(match.group(1))
    return described


@dataclass
class OrgNotes:
    """What the narration said organisations are, by name, until one of them speaks."""

    notes: dict[str, str] = field(default_factory=dict)

    def add(self, name: str, description: str) -> None:
        if description:
            key = speaker_key(name)
            self.notes[key] = merge_affiliation(self.notes.get(key, ""), description)

    def get(self, name: str) -> str:
        """The note on ``name`` ("Whole Foods" also finds "Whole Foods Market")."""
        key = speaker_key(name)
        return self.notes.get(key) or next((d for k, d in self.notes.items() if k.startswith(f"{key} ")), "")
