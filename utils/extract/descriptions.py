"""Descriptions of people and organisations met in the narration, and which one a row keeps.

News style introduces a source once, in the narration, with a role before the name ("US
Secretary of State X"), an apposition after it ("X, a Yale historian, …"), an institution ("… of
the University of Lund") or a sentence of its own ("The former star, 42, was …"); the quote comes
later under the bare surname. These functions read such descriptions from a bounded window of
text; ``merge_affiliation`` says which of two descriptions of one entity is kept, and ``OrgNotes``
keeps what organisations are until they speak. :mod:`utils.extract.coreference` applies them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache

from utils.extract.lexicon import tagged, verb_rows, word_set, words
from utils.extract.mentions import (
    FINITE,
    ORG_HEADS,
    WHO_IS,
    affiliation_from_apposition,
    agent_noun,
    former,
    looks_like_role,
    tidy_role,
)
from utils.extract.names import (
    COMMON_CAPS,
    NP_PREPOSITIONS,
    ROLE_WORDS,
    TITLE_WORDS,
    has_alnum,
    is_acronym,
    is_org_word,
    looks_like_person,
    speaker_key,
    words_of,
)
from utils.extract.records import Statement
from utils.extract.vocab import DETERMINER_LIKE, DETERMINERS, POSSESSIVES, PREPOSITIONS, RELATIVE_WORDS

#: Heads of a role written before a name ("talent manager", "US Secretary of State", "singer").
_ROLE_HEADS = ROLE_WORDS | TITLE_WORDS | words("epithet-nouns") | words("occupations")
#: Forms of address that say nothing about a role ("Mr.", "Ms."); ranks such as "Dr." or "Sen." do.
_ADDRESS_ONLY = words("address-forms")
_ROLE_MODIFIERS = words("role-modifiers")
#: Lower-case words that end a role read backwards from a name: function words and verbs.
_FUNCTION_LISTS = "pronouns finite be aux adverbs subordinators irregular-past wh-words"
_NOT_IN_ROLE = (
    frozenset().union(
        *(words(name) for name in _FUNCTION_LISTS.split()),
        DETERMINER_LIKE,
        tagged("prepositions"),
        tagged("calendar"),
    )
    | frozenset(form for lemma, forms, _tags in verb_rows() for form in forms if form != lemma)
    | word_set("role-stop-words")
) - _ROLE_HEADS
_VERB_FORMS = frozenset(form for _lemma, forms, _tags in verb_rows() for form in forms)
#: Words for relatives ("son", "wife"): a role only with whose relative ("Ford’s sister").
_KIN = words("female-words") | words("male-words")
_NOT_AGENT = _NOT_IN_ROLE | _VERB_FORMS | _KIN  # see _role_noun
#: "Ann Lee of the University of Lund", "… from the Mercia police": the institution after a name.
_INSTITUTION_AFTER = re.compile(
    r"\s+(?:of|from)\s+(?:the\s+)?([A-Z][\w&’'.\-]*(?:\s+(?:(?:of|for|and|&|on)\s+)?(?:the\s+)?[A-Z][\w&’'.\-]*)*"
    r"(?:\s+(?:police|department|university|hospital|institute|council))?)(?![\w’'])"
)
_WH = words("wh-words")
_BEFORE_A_VERB = words("aux") | words("subject-pronouns") | {"to"}
_ABBREVIATED = words("honorifics")  # "… after Mr." ends a segment at the abbreviation's period
_PARTY_STATE = re.compile(r"[RDI]-[A-Z][A-Za-z.]*")  # "Sen. Ben Sasse, R-Neb.": party and state


@lru_cache(maxsize=8192)
def _role_head(word: str) -> bool:
    """Is ``word`` a role or title ("physician", "Gov.", "co-CEO": the last part of a compound)?"""
    bare = word.lower().rstrip(".")
    return bare in _ROLE_HEADS or bare.rsplit("-", 1)[-1] in _ROLE_HEADS


@lru_cache(maxsize=8192)
def _role_noun(word: str) -> bool:
    """A role word, or a lower-case noun for a person ("philosopher", "retiree") that no list
    holds: read only right before a name, where news style writes roles of any kind. A verb
    that ends so ("wonder") is none, nor a word for a relative ("daughter"): it tells whose
    relative the person is, and the other person named with it misleads coreference. Cached,
    like ``_role_head``: it reads only the word, and every name's context asks it again."""
    return _role_head(word) or (word.islower() and agent_noun(word) and word not in _NOT_AGENT)


_WEAK_ENDINGS = tuple(sorted(word_set("weak-role-noun-endings")))


def _thing_after_preposition(before: str) -> bool:
    """Is the last word of ``before`` an unlisted noun in -er, -or or -ee that a preposition governs
    ("In a paper", "after dinner", "on the committee")? Many things end so too, and there it names
    a thing; a role before a name follows a comma, a verb or a modifier ("retired welder")."""
    toks = words_of(before[-60:])
    if not toks or _role_head(toks[-1]) or not toks[-1].endswith(_WEAK_ENDINGS):
        return False
    k = len(toks) - 2
    if k >= 0 and toks[k].lower() in DETERMINERS:
        k -= 1
    return k >= 0 and toks[k].lower() in PREPOSITIONS


def address_only(text: str) -> bool:
    """Is ``text`` only forms of address ("Mr.", "Mrs.")? They tell a gender, not a role."""
    return bool(text.strip()) and all(w.lower().rstrip(".") in _ADDRESS_ONLY for w in words_of(text))


_UNSHOWN = words("unshown-titles")


def shown_affiliation(affiliation: str) -> str:
    """The affiliation as a row shows it: without forms of address and "Dr." as a part of their own
    or closing a part ("Dr., surgeon" -> "surgeon", "longtime physician Dr." -> "longtime
    physician", "Mrs." -> ""). They say how the article addresses someone, not what she does;
    the book keeps them (they tell a gender). "Mr. Netanyahu's adviser" keeps its "Mr.": it
    names someone else."""
    if not affiliation or not any(w.lower().rstrip(".,") in _UNSHOWN for w in affiliation.split()):
        return affiliation  # cheap test first
    parts = []
    for part in affiliation.split(", "):
        words = part.split()
        while words and words[-1].lower().rstrip(".,") in _UNSHOWN:
            words.pop()
        if words:
            parts.append(" ".join(words))
    return ", ".join(parts)


_ROLE_MODIFIERS_AND_JOINS = _ROLE_MODIFIERS | {"and", ",", "&"}  # made once, not per call


def _no_role(text: str) -> bool:
    """Only modifiers of a role ("former", "then", "senior and"): no role at all."""
    return all(w.lower().rstrip(".") in _ROLE_MODIFIERS_AND_JOINS for w in words_of(text))


def _bare_preposition(text: str) -> bool:
    """ "with" (from "…, with Audi suggesting that …"): a preposition read as a rank says nothing."""
    found = words_of(text)
    return len(found) == 1 and found[0].lower() in PREPOSITIONS


#: Prepositions that tie a role to a named place or body: "Secretary of State", "ambassador to Britain".
_ROLE_LINKS = word_set("role-links")
_ROLE_LINK = re.compile(f" (?:{'|'.join(sorted(_ROLE_LINKS))}) ")
_LINKS_AND_JOINS = _ROLE_LINKS | {"and", "&"}  # made once, not per call


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
    if not last or not (_role_noun(last[0]) or (last[0][:1].isupper() and _ROLE_LINK.search(before[-60:]))):
        return ""  # cheap test first: no role or title word right before the name
    if _thing_after_preposition(before):
        return ""  # "In a paper Jane Roe …": a thing, not a role
    return _role_of_run(_role_run(words_of(before[-160:])))


def _role_run(toks: list[str]) -> list[str]:
    """The words before a name that may form its role, read backwards from the name until one
    cannot be in a role (:func:`_ends_role`), without the links and joins it then opens with."""
    kept: list[str] = []
    for k in range(len(toks) - 1, -1, -1):
        if _ends_role(toks, k, kept):
            break
        kept.insert(0, toks[k])
    while kept and kept[0].lower() in _LINKS_AND_JOINS:
        kept.pop(0)
    return kept


def _ends_role(toks: list[str], k: int, kept: list[str]) -> bool:
    """Does ``toks[k]`` end a role read backwards (``kept``: the role's words after it)? Role
    words, numbers and capitalised words go on; punctuation, a form of address, a function word
    or a verb end it; "and" and a link ("of", "to") go on only between role words."""
    word, low = toks[k], toks[k].lower().rstrip(".")
    if not has_alnum(word) or (word.endswith(".") and word[:-1].islower()):
        return True  # punctuation, or the end of an earlier sentence ("said.")
    if low in _ADDRESS_ONLY:
        return True  # "the challenges Mr. Obama has faced": a form of address ends the role
    if _role_head(word) or word[:1].isdigit():
        return False
    if word[:1].isupper():  # "The", "But", "In" at a sentence start (so no capitalised link goes on)
        return low in COMMON_CAPS or (low in _NOT_IN_ROLE and not is_acronym(word.rstrip(".")))
    if low in {"and", "&"}:  # "founder and co-CEO", but not "astronaut Tom Stafford and retired executive"
        return not kept or k == 0 or not _role_noun(toks[k - 1])
    if low in _ROLE_LINKS:  # "Secretary of State", "ambassador to Britain", but not "critical of Gov."
        return not kept or not kept[0][:1].isupper() or k == 0 or not _role_head(toks[k - 1])
    return (
        low in _NOT_IN_ROLE
        or low.endswith("ly")
        or (low.endswith(("ed", "ing")) and "-" not in low)
        or (k > 0 and (toks[k - 1].lower() in _BEFORE_A_VERB or toks[k - 1].lower().endswith("ly")))
        # a verb: "threatening to kill Rep.", "Do you support Dr.", "will certainly force Sen."
    )


def _role_of_run(kept: list[str]) -> str:
    """The role in a run of words before a name: it must hold a role word, after whose last one
    only a link and capitalised words ("Secretary of State") may follow; a link before a
    capitalised role word cuts the run there ("aide to President X": X is the President). The
    links are compared as written: the run holds none capitalised (:func:`_ends_role`)."""
    heads = [i for i, w in enumerate(kept) if _role_noun(w)]
    if not heads or _no_role(" ".join(kept)):
        return ""
    links = [i for i in range(heads[-1]) if kept[i] in _ROLE_LINKS]
    if links and kept[heads[-1]][:1].isupper():
        kept = kept[links[-1] + 1 :]  # the aide is someone else
        heads = [i for i, w in enumerate(kept) if _role_noun(w)]
    tail = kept[heads[-1] + 1 :]
    if tail and not (tail[0] in _ROLE_LINKS and len(tail) > 1 and all(w[:1].isupper() for w in tail[1:])):
        return ""  # the word before the name is no role ("… General William Barr put")
    return tidy_role(" ".join(kept))


_NOT_ROLE_HEADS = _ADDRESS_ONLY | _ABBREVIATED  # made once, not per call
#: A period that ends a sentence, not one inside an initialism ("U.S. Games", "D.C. police").
_STOP = r"(?<!\b[A-Z])\."


#: ", Nissan Sales & Regional Operations at Nissan North America Inc.": a name (capitalised words
#: and joining words) closing the apposition, where the role before it works.
_ORG_AFTER_ROLE = re.compile(
    r"\s*([A-Z][\w&’'.\-]*(?:\s+(?:(?:of|at|for|and|&|the)\s+)*[A-Z][\w&’'.\-]*)*)\s*(?:[,;]|\.\s|\.?$)"
)
_PAST_ADVERBS = word_set("apposition-adverbs-past")
_APPOSITION_ADVERBS = word_set("apposition-adverbs-current") | _PAST_ADVERBS
_TIME_ADVERBS = re.compile(rf"^(?:(?:{'|'.join(sorted(_APPOSITION_ADVERBS))})\s+)+(?=\S)")
_APPOSITION_START = re.compile(r"\s*,|\s+(?:of|from)\s")
_PARTY_BRACKET = re.compile(rf"\s*\(({_PARTY_STATE.pattern})\)")  # " (R-Neb.)"


def apposition_after_name(after: str) -> str:
    """The apposition the narration gives right after a name: ", a pulmonologist at the Aberdeen
    Royal Infirmary, took a look" -> "pulmonologist at the Aberdeen Royal Infirmary"; ", R-Neb.,"
    (or " (R-Neb.)") -> "R-Neb."; ", Washington State Department of Health public information
    officer," (a role word at its end) is one too. An age (", 31,") or a clause is not. An
    institution joined by "of" or "from" ("… of the University of North Carolina", "… from the
    Mercia police") is one too."""
    party = _PARTY_BRACKET.match(after)
    if party is not None:  # "Rep. Jo Roe (D-Minn.), chair of …": the party as ", D-Minn.," is
        return ", ".join(p for p in (party.group(1), apposition_after_name(after[party.end() :])) if p)
    if not _APPOSITION_START.match(after):
        return ""
    alias = _known_as(after) if " known as " in after else ""
    if alias:
        return alias
    institution = _institution_after(after)
    if institution:
        return institution
    match = re.match(rf"\s*,\s*([^,;:()“”\"]+?)\s*(?:[,;:()]|{_STOP}\s|\.?$)", after)
    if match is None:
        return ""
    segment = _TIME_ADVERBS.sub("", match.group(1))  # ", now a physical oceanographer at …,"
    if _PARTY_STATE.fullmatch(segment):
        return segment
    seg_words = words_of(segment)
    if seg_words and seg_words[0].lower() in RELATIVE_WORDS:
        return _relative_role(segment)
    if not seg_words or seg_words[0][:1].isdigit():
        return ""
    main = next((seg_words[:i] for i, w in enumerate(seg_words) if i and w.lower() in _WH), seg_words)
    if not _names_a_role(segment, seg_words, main) or _list_or_clause(seg_words, main, match, after):
        return ""
    return _role_and_org(segment, seg_words, match, after)


#: ", a Spanish physician who is better known as “DoctorX” on the forums,": a role, then the
#: quoted name the person goes by (and where).
_KNOWN_AS = re.compile(
    r"\s*,\s*([^,;:()“”\"]+?)\s+who\s+(?:is|was)\s+(?:(?:also|better|best|widely)\s+)?known\s+as\s+"
    r"([“\"][^”\"]{1,40}[”\"](?:\s+(?:on|in|at|among)\s+[^,;:()“”\"]+?)?)\s*(?:[,;:()]|\.\s|\.?$)"
)


def _known_as(after: str) -> str:
    """ ", a Spanish physician who is better known as “DoctorX” on the deep web," -> "Spanish
    physician, known as “DoctorX” on the deep web" (the role alone where the narration's
    quotations are blanked): the alias identifies the person as the role does. Why apart: the
    quotation marks around the alias ended the plain apposition early, so the role was lost and a
    later portrait became the affiliation."""
    match = _KNOWN_AS.match(after)
    if match is None or not _has_role(match.group(1)):
        return ""
    role, alias = affiliation_from_apposition(match.group(1)), match.group(2).rstrip(".")
    return f"{role}, known as {alias}" if alias[1:].lstrip()[:1] not in {"”", '"'} else role


def _institution_after(after: str) -> str:
    """ "… of the University of North Carolina", "… from the Mercia police": the institution
    joined to a name by "of" or "from" ("" unless it has two words, an organisation word or an
    acronym: "of Texas" may be a place)."""
    institution = _INSTITUTION_AFTER.match(after)
    if institution is None:
        return ""
    # not past a sentence end ("Times. All") or a possessive; "U.S." and "Co." keep their period
    run = re.split(r"(?<=[a-z]{2})\.\s+|[’']s\b", institution.group(1))[0]
    run = re.sub(r"(?<=[A-Za-z]{3})\.$", "", run)
    return run if len(run.split()) > 1 or any(is_org_word(w) or is_acronym(w) for w in run.split()) else ""


def _names_a_role(segment: str, seg_words: list[str], main: list[str]) -> bool:
    """Does an apposition's ``segment`` (``main``: its words before a wh-word) say what someone
    is: a role, or capitalised words ending in a role word, and more than modifiers or a title cut
    at its period? Why: an apposition also gives an age, a portrait or a place."""
    ends_in_role = _role_head(seg_words[-1]) and seg_words[-1].lower().rstrip(".") not in _NOT_ROLE_HEADS
    if not (
        looks_like_role(" ".join(main))
        or (ends_in_role and len(seg_words) <= 10 and seg_words[0][:1].isupper())
    ):
        return False
    if _no_role(segment) or seg_words[-1].lower().rstrip(".") in _ABBREVIATED:
        return False  # only "former", or cut at a title's period (", pulled Rep. King aside")
    # "a petite woman with …": a portrait, not a role or an institution
    return _has_role(" ".join(main)) or any(w[:1].isupper() for w in main[1:])


def _list_or_clause(seg_words: list[str], main: list[str], match: re.Match[str], after: str) -> bool:
    """Is the comma-bounded segment ``match`` one item of a list, a clause or an inverted cue
    rather than an apposition? Each reads like a role between commas."""
    lowered = {w.lower() for w in seg_words}
    if match.group(0).rstrip()[-1:] not in {",", ";", ":", ")"} and {"and", "or"} & lowered:
        return True  # "… between Swift, her former label and two politicians looks …": a list
    following = words_of(re.split(r"[,;.]", after[match.end() :], maxsplit=1)[0])
    if following and following[0].lower() in DETERMINERS and {"and", "or"} & {w.lower() for w in following}:
        return True  # "Lorenz, his secretary, his programmer and his students": a list
    # a clause, or an inverted cue (", say officials.", ", officials said.")
    return bool(
        {w.lower() for w in main} & FINITE or {seg_words[0].lower(), seg_words[-1].lower()} & _VERB_FORMS
    )


def _role_and_org(segment: str, seg_words: list[str], match: re.Match[str], after: str) -> str:
    """The role an apposition gives, with the organisation or operation the next comma-bounded
    part names when the role reads as unfinished without it (a rank, a role word, or capitalised
    words before "the …,"). Why: news style writes the employer as a part of its own."""
    role = affiliation_from_apposition(segment)
    org = _ORG_AFTER_ROLE.match(after, match.end())
    run = org.group(1).split() if org else []
    named_org = len(run) > 1 or any(is_org_word(w) or is_acronym(w.rstrip(".")) for w in run)
    if named_org and (rank_only(segment) or _role_head(seg_words[-1])):
        return f"{role}, {' '.join(run).rstrip('.')}"  # "Sanjiv Bhasin, Director, IIFL Securities."
    inner = re.match(r"(?:the|a|an)\s+([^,;:()“”\"]+?)\s*,", after[match.end() :].lstrip())
    if inner and seg_words[-1][:1].isupper() and match.group(0).rstrip().endswith(","):
        inner_words = [w.lower() for w in words_of(inner.group(1))]
        if not set(inner_words) & FINITE and inner_words[-1] not in _VERB_FORMS:
            return f"{role}, {tidy_role(inner.group(1))}"  # "… for Inherent Resolve, the U.S. operation …,"
    return role


def _relative_role(segment: str) -> str:
    """ ", who is the White House Ukraine expert," -> "White House Ukraine expert": a relative
    clause that only says what the person is gives that role; any other clause (", who hadn’t sung
    in years,") is biography, not a role."""
    if not WHO_IS.match(segment):
        return ""
    role = affiliation_from_apposition(segment)
    return role if _head_role(role) else ""


_COPULA = re.compile(
    rf"\s+(?:is|was)\s+(?:also\s+)?(?:a|an|the)\s+([^,;:()“”\"]+?)\s*(?:[,;:)]|{_STOP}\s|\.?$)"
)


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
    if not head or not _role_head(head[-1]) or {w.lower() for w in found} & FINITE:
        return ""
    return affiliation_from_apposition(phrase)


#: "She’s the director of …", "He was a nurse at …": a sentence opening with a pronoun and a copula.
_PRONOUN_COPULA = re.compile(r"\s*(He|She)(?:’s|'s|\s+is|\s+was)(?=\s)")


def pronoun_role(sentence: str) -> tuple[str, str]:
    """ "She’s the director of the Center …" -> ("she", "director of the Center …"): the role a
    sentence gives the person in focus with "He is"/"She’s" ("", "" if none). Why: health and
    science stories name the expert in the cue ("… says Katie Allen, MD.") and describe them in
    the next sentence; the head must still be a role ("He is the reason …" gives none)."""
    match = _PRONOUN_COPULA.match(sentence)
    role = copular_role(" is" + sentence[match.end() :]) if match else ""
    return (match.group(1).lower(), role) if role else ("", "")


_CLAUSE_MARKS = re.compile(r"[,;:.!?—–()“”\"]")


#: "Steenburgen’s": a name in the possessive, which makes a relation ("Steenburgen’s son").
_OWNER = re.compile(r"[A-Z][\w.\-]*[’']s")


def description_before_name(before: str, closed: bool = False) -> str:
    """ "In Kentucky, the Democratic candidate, Andy Beshear, …" -> "Democratic candidate": a
    definite or indefinite description in apposition before the name, opening its clause and
    headed by a role word; "Steenburgen’s son, …" -> "Steenburgen’s son": with a possessive, a
    word for a relative heads one too. A verb or function word inside ("He criticized the
    president, Smith said") makes it none. When a comma also closes the name (``closed``: "were
    told the newest presidential hopeful, Deval Patrick, would …"), the description may follow a
    verb inside its clause: it is read from the clause's last determiner."""
    if not before.endswith(", "):
        return ""
    segment = _CLAUSE_MARKS.split(before[:-2])[-1].strip()
    found = words_of(segment)
    if closed:
        last = max((i for i, w in enumerate(found) if w.lower() in DETERMINERS), default=0)
        found = found[last:]
        segment = " ".join(found)
    owner = bool(found) and (found[0].lower() in POSSESSIVES or _OWNER.fullmatch(found[0]) is not None)
    if not 1 < len(found) <= 7 or not (owner or found[0].lower() in DETERMINERS):
        return ""
    head = found[-1]
    if not head.islower() or head in _ADDRESS_ONLY or not (_role_head(head) or (owner and head in _KIN)):
        return ""
    if any(w.lower() in _NOT_IN_ROLE or w.lower() in _VERB_FORMS for w in found[1:]):
        return ""
    return tidy_role(segment)


#: A role that ends "of the <noun>" ("ranking member of the subcommittee").
_OF_THE_NOUN = re.compile(r"\bof the ([a-z][a-z-]+)$")


def fuller_body(role: str, before: str, earlier: str = "") -> str:
    """ "ranking member of the subcommittee" after "… a hearing of the House appropriations
    subcommittee that funds NASA, Rep. X" -> "ranking member of the House appropriations
    subcommittee": "the <noun>" in a role refers back to the fuller name of that body the
    sentence has just written (modifiers before the same noun), else the one the ``earlier``
    paragraphs wrote last. Why: the bare noun drops which body it is, and the article said it a
    few words or paragraphs earlier."""
    match = _OF_THE_NOUN.search(role)
    if match is None:
        return role
    noun = match.group(1)
    pattern = re.compile(rf"\bthe ((?:[\w&’'-]+ ){{1,4}}){noun}\b")
    written = list(pattern.finditer(before)) or list(pattern.finditer(earlier))
    if not written:
        return role
    modifiers = written[-1].group(1).split()
    while modifiers and (modifiers[0].lower() in _NOT_IN_ROLE or modifiers[0].lower() in _VERB_FORMS):
        modifiers.pop(0)  # "the hearing of the House …": the last "the" before the noun opens it
    if not modifiers or any(w.lower() in _NOT_IN_ROLE or w.lower() in _VERB_FORMS for w in modifiers):
        return role
    return f"{role[: match.start(1)]}{' '.join(modifiers)} {noun}"


_SENTENCE_ENDS = frozenset('.!?”"')


def _singular_role(word: str) -> str:
    """ "Singer-guitarists" -> "Singer-guitarist", "co-founders" -> "co-founder": a role noun in
    the plural, as one; "" for any other word."""
    if not word.endswith("s"):
        return ""
    for singular in (word[:-1], word[:-2] if word.endswith("es") else ""):
        if singular and _role_noun(singular.lower()):
            return singular
    return ""


_JOINED_NEXT = re.compile(r"\s*(?:,|and\s|&\s)\s*(?:and\s+)?[A-Z]")


def shared_role(before: str, after: str) -> str:
    """ "Singer-guitarists Tom Johnston and " -> "Singer-guitarist": a role in the plural before
    names joined by "and" is the role of each (read for either name: the first must have another
    joined ``after`` it, so "Clinton leads Trump" gives Trump no role)."""
    if not before.rstrip().endswith(("and", "&")) and not _JOINED_NEXT.match(after):
        return ""  # cheap test first: most names are joined to no other
    toks = before[-160:].split()
    if not toks or (toks[-1] not in {"and", "&"} and not _JOINED_NEXT.match(after)):
        return ""
    if toks[-1] in {"and", "&"}:
        toks.pop()
        names = 0
        while toks and names < 4 and toks[-1][:1].isupper() and not _singular_role(toks[-1]):
            toks.pop()
            names += 1
        if not names:
            return ""
    singular = _singular_role(toks[-1]) if toks else ""
    if len(toks) == 1 or (len(toks) > 1 and toks[-2][-1:] in _SENTENCE_ENDS):
        singular = singular.lower()  # "Singer-guitarists …" opening a sentence
    return role_before_name(" ".join([*toks[:-1], singular]) + " ") if singular else ""


_CURRENT = re.compile(r"\s*,\s*(?:now|currently)\s")
_PAST = re.compile(rf"\s*,\s*(?:{'|'.join(sorted(_PAST_ADVERBS))})\s")


def _now(after: str, apposition: str) -> str:
    """ ", now a physical oceanographer at …" -> "now physical oceanographer at …": the article says
    this is what the person is today, so it replaces an earlier description (``merge_affiliation``).
    ", formerly an adviser at Google" -> "former adviser at Google": a past role shown as current
    would misstate who speaks."""
    if apposition and _CURRENT.match(after):
        return f"now {apposition}"
    return former(apposition) if _PAST.match(after) else apposition


_NAMED = re.compile(r"\s(?:named|called)\s+$")


def _relation_before_role(before: str, role: str) -> str:
    """ "Steenburgen’s son, filmmaker X" -> "Steenburgen’s son": a description in apposition
    before the role that precedes the name says more of the same person."""
    if not role:
        return ""  # cheap test first: most names have no role before them
    lead = before.rstrip()
    if not lead.endswith(role):
        return ""
    return description_before_name(lead[: -len(role)])


def narration_description(
    text: str,
    start: int,
    end: int,
    titles: str = "",
    appositive: bool = True,
    article: str = "",
    at: int = 0,
) -> str:
    """Role before the name at ``text[start:end]`` (and its ``titles``) and apposition (or "is the
    …" role) after it, joined as the dev set writes them ("Cmdr., spokesperson for Inherent
    Resolve"); read from a bounded window around the name, for speed. ``article`` is the whole
    text, ``text`` sits in it at ``at``: an alias after "known as" is read from it (``text`` has its
    quotations blanked), and the full name of "the subcommittee" in a role from its paragraphs
    before ``text``."""
    before = text[max(0, start - 200) : start] + (f"{titles} " if titles else "")
    after = text[end : end + 400] if appositive else ""
    copular = copular_role(after) if after.startswith((" is ", " was ")) else ""
    named = _NAMED.search(before, len(before) - 12)
    if named is not None:  # "a meteorologist named Edward Lorenz": the role before "named"
        before = before[: named.start()] + " "
    role = role_before_name(before) or shared_role(before, text[end : end + 40])
    known = _known_as(article[at + end : at + end + 400]) if article and " known as " in after else ""
    body = _now(after, known or apposition_after_name(after) or copular)
    earlier = article[max(0, at - 8000) : at] if article and _OF_THE_NOUN.search(body) else ""
    parts = [
        role or description_before_name(before, text[end : end + 1] == ","),
        _relation_before_role(before, role),
        fuller_body(body, before, earlier),
    ]
    return ", ".join(dict.fromkeys(p for p in parts if p))


#: Words that say nothing when two descriptions are compared ("the leader of the PPP").
_ROLE_FILLERS = word_set("role-filler-words")


def _role_tokens(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.lower()) if w not in _ROLE_FILLERS}


def rank_only(affiliation: str) -> bool:
    """Is ``affiliation`` only ranks and role words ("Lt. Col.", "President", "CEO", "Dr.")?"""
    found = words_of(affiliation)
    return bool(found) and all(_role_head(w) or w in {",", "."} for w in found)


_RELATIVE = re.compile(r"(?:who|whose|which|that)\b", re.IGNORECASE)
_NOW_PART = re.compile(r"(?:^|, )now ")


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


_VAGUE_OR_NO_ROLE = _VAGUE_ROLES | {""}  # made once, not per call


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
    if not new or new == old or _no_role(new) or _bare_preposition(new):
        return old
    if not old:
        return new
    # a later description loses its biography ("Steelers captain, who lobbied for …")
    new = ", ".join(p for p in new.split(", ") if not _RELATIVE.match(p))
    if not new or _no_role(new):
        return old
    if address_only(old) or _NOW_PART.search(new):
        return new  # nothing said, or what the person is now ("…, now physical oceanographer at …")
    if _role_tokens(old) <= _role_tokens(new):
        return new
    if rank_only(new):
        return old
    parts = old.split(", ")
    ranks = [p for p in parts if rank_only(p)]
    described = ", ".join(p for p in parts if p not in ranks)
    vague = _head_role(described) in _VAGUE_ROLES and _head_role(new) not in _VAGUE_OR_NO_ROLE
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
    if found[-1].lower() not in ORG_HEADS:
        return ""
    start = len(found) - 1
    while start > max(0, len(found) - 5) and (found[start - 1].islower() or _OWNED.match(found[start - 1])):
        if found[start - 1] in DETERMINERS or found[start - 1] in _NOT_IN_ROLE:
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
        k = max((i for i, w in enumerate(segment) if w.lower() in DETERMINERS), default=-1)
        described = _org_head_phrase(segment[k + 1 :]) if k >= 0 else ""
        if described and len(segment) - k - 1 == len(described.split()):
            return described
        found = []
    described = _org_head_phrase(found) if found and before[-1:].isspace() else ""
    if not described:
        match = re.match(rf"\s*,\s*(?:a|an|the)\s+([^,;:()“”\"]+?)\s*(?:[,;:()]|{_STOP}\s|\.?$)", after)
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


# --- descriptions that are not next to a name --------------------------------------------------

#: Heads of a definite description that renames the person in focus ("the former … star").
_EPITHET_HEADS = words("epithet-nouns") | words("occupations")
_SUBJECT_DESCRIPTION = re.compile(
    r"\s*The\s+((?:[^\s,;:()]+\s+){0,5}?([a-z][a-z-]+))(?:,\s+\d{1,3},|\s+(?:was|is|has|had|became)\s)"
)


def subject_description(sentence: str) -> str:
    """ "The former “Dawson’s Creek” star, 42, was voted off …" -> "former “Dawson’s Creek”
    star": a sentence opened by a definite description headed by an occupation or epithet, then
    an age or a verb, renames the person in focus (news style varies the name this way), so it
    describes that person. Function words or verbs inside ("The man who …") make it no role."""
    match = _SUBJECT_DESCRIPTION.match(sentence)
    if match is None or match.group(2) not in _EPITHET_HEADS:
        return ""
    found = words_of(match.group(1))
    if any(w.lower() in _NOT_IN_ROLE or w.lower() in _VERB_FORMS for w in found[:-1]):
        return ""
    return tidy_role(match.group(1))


_RANK_BEFORE = re.compile(r"(?:\b(an?)\s+)?\b([A-Z][a-z]+\.?)\s+$")


def _may_be_ranked(window: str) -> bool:
    """Can ``_RANK_BEFORE`` match at the end of ``window``: it ends in a space and its last word has
    a capital letter (the rank word lies inside that last word)? Cheap test first: most names follow
    a small word ("said Trump") and the regex would try every one of the 40 places before them."""
    if not window[-1:].isspace():
        return False
    last = window.rsplit(None, 1)[-1:]
    return bool(last) and last[0].lower() != last[0]


def rank_in_text(text: str, name: str) -> str:
    """The rank written right before ``name`` anywhere in ``text``, quotations included: "…
    that “President Trump’s actions were wrong …”" -> "President". Only title words are ranks
    (not an occupation in a headline's capitals, "Star"); forms of address ("Mr.") and modifiers
    ("former") are none, the role read back from the rank is kept ("former Florida Gov."), and "a
    President X" is a hypothesis; a word between rank and name ("President Bill Clinton" for
    "Clinton") makes it someone else's."""
    if not name[:1].isupper():
        return ""
    at = text.find(name)
    while at >= 0:
        window_start, end = max(0, at - 40), at + len(name)
        at = text.find(name, at + 1)
        if end < len(text) and (text[end].isalnum() or text[end] == "-"):
            continue  # "Trumpet", "Lee-Smith"
        if not _may_be_ranked(text[window_start : end - len(name)]):
            continue
        match = _RANK_BEFORE.search(text, window_start, end - len(name))
        if match is None:
            continue
        before, rank = match.group(1), match.group(2)
        low = rank.lower().rstrip(".")
        if (
            low in TITLE_WORDS
            and (not rank.endswith(".") or low in _ABBREVIATED)  # not "… Principal. Hillary"
            and not address_only(rank)
            and not _no_role(rank)
            and not before  # "the prospects of a President X": not (yet) one
        ):
            role = role_before_name(text[max(0, match.start(2) - 160) : match.end(2)]).split()
            if 1 < len(role) <= 4 and not any(re.search(r"[a-z][A-Z]", w) for w in role):
                return " ".join(role)  # "Ohio Gov.", "former Florida Gov."; not a caption's run-on
            return rank
    return ""


_COMPANY_ROLE = re.compile(r"(?:the\s+)?company(?:(?P<s>[’']s)\s+|\s+)(?P<role>.+)", re.IGNORECASE)


def company_role(description: str, org: str) -> str:
    """ "company’s chief operating officer" -> "chief operating officer of Tyvak"; "company CEO" ->
    "PG&E CEO": a role whose institution is only "the company" names the organisation the
    narration named last (``org``), so the table says where the person works. Unchanged without
    an organisation or when the role does not open with "company"."""
    match = _COMPANY_ROLE.fullmatch(description.strip())
    if match is None or not org or not _has_role(match.group("role")):
        return description
    return f"{match.group('role')} of {org}" if match.group("s") else f"{org} {match.group('role')}"


_ACRONYM = re.compile(r"\b[A-Z][A-Z&]{1,5}\b")


_DEFINED_ACRONYM = re.compile(r"\(([A-Z][A-Z&]{1,5})\)")


def defined_acronyms(text: str) -> dict[str, int]:
    """Where the article first writes each acronym in brackets ("(PPP)"): read once per article,
    so that spelling out the descriptions of a long article does not search it again each time."""
    found: dict[str, int] = {}
    for match in _DEFINED_ACRONYM.finditer(text):
        found.setdefault(match.group(1), match.start())
    return found


def spell_acronyms(description: str, text: str, defined: dict[str, int] | None = None) -> str:
    """ "leader of the PPP" -> "leader of the People Power Party (PPP)": an acronym the article
    defines ("… the People Power Party (PPP) …": the initials of the capitalised words before the
    bracket, read back, spell it) is written out in an affiliation, since a reader of the table
    does not have the article's earlier paragraph. ``defined`` is :func:`defined_acronyms` of
    ``text``, when the caller keeps it."""
    defined = defined_acronyms(text) if defined is None else defined
    for acronym in dict.fromkeys(_ACRONYM.findall(description)):
        at = defined.get(acronym, -1)  # cheap test first: the article defines it
        letters = acronym.replace("&", "")
        if at < 0 or f"({acronym}" in description or len(letters) < 2:
            continue
        before, kept = text[max(0, at - 120) : at].split(), []
        while before and len(kept) < 8:
            word = before.pop()
            if not word[:1].isupper() and word not in {"of", "for", "and", "&", "on"}:
                break
            kept.insert(0, word)
            if kept[0][:1].isupper() and letters in {_initials(kept, True), _initials(kept, False)}:
                full = f"{' '.join(kept)} ({acronym})"
                description = re.sub(rf"\b{re.escape(acronym)}\b", full, description, count=1)
                break
    return description


def _initials(found: list[str], capitals_only: bool) -> str:
    return "".join(w[0].upper() for w in found if w[:1].isupper() or not capitals_only)


def carry_affiliations(
    statements: list[Statement], described: Callable[[str], str], text: str = ""
) -> list[Statement]:
    """Rows without an affiliation get what the article says their speaker is (``described``:
    speaker -> description, "" if none), else the apposition after the speaker's name anywhere
    in ``text``. Why: a row takes the description known when its cue was read, but articles
    often quote a person first and introduce them later ("… ,” Stafford said. … former astronaut
    Tom Stafford …"), and the table describes one person one way; a one-word handle
    ("PlutoPete, a vendor from …") or a surname quoted before the full name is never looked up."""
    out = []
    looked_up: dict[str, str] = {}
    kinds: dict[str, str] | None = None
    for statement in statements:
        found = "" if statement.affiliation else shown_affiliation(described(statement.speaker))
        if not found and not statement.affiliation and text:
            if statement.speaker not in looked_up:
                looked_up[statement.speaker] = shown_affiliation(apposition_in_text(text, statement.speaker))
            found = looked_up[statement.speaker]
            if not found and not looks_like_person(statement.speaker):
                if kinds is None:  # read once, and only when an organisation has nothing yet
                    kinds = firm_kinds(text, {s.speaker for s in statements})
                found = kinds.get(statement.speaker, "")
        out.append(replace(statement, affiliation=found) if found else statement)
    return out


#: "the automaker", "The German carmaker’s": a description, in the narration, of what kind of firm
#: the organisation just named is (not followed by a name: "the automaker Volkswagen" is a name).
_FIRM_KINDS = word_set("kind-of-firm-heads")
_KIND_OF_FIRM = re.compile(
    rf"\b[Tt]he\s+((?:[A-Za-z][a-z]+(?:-[a-z]+)?\s+)?(?:{'|'.join(sorted(_FIRM_KINDS))}))\b"
    r"(?![\w-]|\s+[A-Z])"
)
_OTHER_FIRM = word_set("other-firm-modifiers")  # "the rival automaker", "the other carmaker"
_KIND_REACH = 250  # characters back from "the automaker" to the speaker it describes


def firm_kinds(text: str, speakers: set[str]) -> dict[str, str]:
    """Speaker -> what kind of firm the narration calls it: "Volkswagen’s first electric car is
    due next year, but the automaker …" -> {"Volkswagen": "automaker"}; the first such description
    per speaker, given to the speaker named last before it in the same paragraph, or the one
    before when it opens its paragraph (only speakers count, so a product named in between is
    skipped). Why: a firm is often named bare and then
    described only by such a back reference, which is what it is in the table."""
    kinds: dict[str, str] = {}
    for match in _KIND_OF_FIRM.finditer(text):
        described = match.group(1)
        if described.split()[0].lower() in _OTHER_FIRM:
            continue  # "the rival automaker": not the one just named
        paragraph = text.rfind("\n", 0, match.start()) + 1
        if not text[paragraph : match.start()].strip():  # opening its paragraph: the one before counts
            paragraph = text[:paragraph].rstrip().rfind("\n") + 1
        floor = max(match.start() - _KIND_REACH, paragraph)
        named = max(((text.rfind(s, floor, match.start()), s) for s in speakers if s), default=(-1, ""))
        if named[0] >= 0 and not looks_like_person(named[1]):
            kinds.setdefault(named[1], described)
    return kinds


#: How many "<name>," a row without an affiliation looks at: an introduction comes early.
_LOOKUPS = 3


def apposition_in_text(text: str, name: str) -> str:
    """The first apposition written after ``name`` followed by a comma in ``text`` ("" if none),
    outside quotations. Only a name (capitalised words) is looked up: a description or an
    unnamed source says what it is already. Plain string search: a regex per name cost more."""
    if not name[:1].isupper() or not all(w[:1].isupper() for w in name.split()):
        return ""
    at, key = 0, f"{name},"
    for _ in range(_LOOKUPS):
        at = text.find(key, at)
        if at < 0:
            return ""
        start, at = at, at + len(name)
        if start and (text[start - 1].isalnum() or text[start - 1] in "’'-"):
            continue  # inside a longer word or name
        found = apposition_after_name(text[at : at + 200])
        if found and text.count("“", 0, start) <= text.count("”", 0, start):
            return found  # not inside a quotation
    return ""
