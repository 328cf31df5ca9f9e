"""Noun-phrase spans on tokens: the subject left of a cue, the source right of it.

The rules are lexical (no parser): a phrase stops at verbs, clause words and time adverbials,
and appositions (", a retired general,") are kept apart from the name.
"""

from __future__ import annotations

import re

from utils.extract.lexicon import tagged, word_set, words
from utils.extract.mentions import analyse_np, is_adverbial, looks_like_role
from utils.extract.names import ROLE_WORDS
from utils.extract.text import Token, text_at, word_at
from utils.extract.vocab import (
    ADVERBS,
    ARTICLES,
    AUX,
    BE,
    CLAUSE_OPENERS,
    CLAUSE_STOP,
    COORD,
    DETERMINER_LIKE,
    DETERMINERS,
    INTRO_WORDS,
    IRREGULAR_PAST,
    LABEL_VERBS,
    LEADING_CONJUNCTIONS,
    LY_NOUNS,
    NOUNISH,
    PREPOSITIONS,
    RELATIVE_WORDS,
    SAY_VERBS,
    SUBJECT_PRONOUNS,
    TIME_INTRO,
    TIME_OPENERS,
    TIME_WORDS,
)

_CUE_COMPOUNDS = words("cue-compounds")


def noun_compound(toks: list[Token], k: int) -> bool:
    """ "think tank", "report card": a reporting verb's form that opens a two-word noun."""
    return f"{toks[k].low} {word_at(toks, k + 1)}" in _CUE_COMPOUNDS or (
        k > 0 and f"{toks[k - 1].low} {toks[k].low}" in _CUE_COMPOUNDS
    )


def ly_adverb(tok: Token) -> bool:
    """ "publicly", "repeatedly": a lower-case -ly word that is not one of the -ly nouns."""
    return tok.low.endswith("ly") and tok.text[:1].islower() and tok.low not in LY_NOUNS


# --- noun phrases -----------------------------------------------------------------------------


def _bracketed_name(toks: list[Token], k: int) -> bool:
    """Is token ``k`` part of a bracketed given name between capitalised words ("Coach (Frank) Vogel")?"""
    for a in (k, k - 1, k - 2):
        if a > 0 and a + 3 < len(toks) and toks[a].text == "(" and toks[a + 2].text == ")":
            inner, before, after = toks[a + 1], toks[a - 1], toks[a + 3]
            if inner.text.istitle() and before.text[:1].isupper() and after.text[:1].isupper():
                return inner.kind == "w" and after.kind == "w"
    return False


#: A capitalised word inside a sentence is a name ("Will Moy"), except these function words.
_CAPITALISED_FUNCTION_WORDS = word_set("capitalised-function-words")


_LY_NOT_ADVERBS = LY_NOUNS | {"early", "only"}  # made once, not per call
_MONTHS = tagged("calendar", "month")
_GIVEN_NAMES = tagged("first-names")  # every listed given name: "Carly", "Kelly", "Emily"


def np_word(toks: list[Token], k: int) -> bool:
    """Can token ``k`` sit inside a speaker noun phrase?"""
    tok = toks[k]
    if tok.kind == "q":
        return False
    bracket = tok.text == "(" or (k > 0 and toks[k - 1].text == "(") or (k > 1 and toks[k - 2].text == "(")
    if bracket and _bracketed_name(toks, k):  # cheap test first: only a bracket there can make it one
        return True  # "Coach (Frank) Vogel"
    if tok.kind == "p":
        if tok.text in {"“", "”", '"'} and 0 < k < len(toks) - 1:
            return toks[k - 1].text[:1].isupper() and toks[k + 1].text[:1].isupper()  # a nickname
        return tok.text in {"-", "&", "’", "'", "/", "."} and k > 0
    low = tok.low
    if k > 0 and tok.text[0].isupper() and (low not in _CAPITALISED_FUNCTION_WORDS or _acronym(tok.text)):
        return True  # "Will Moy", "May", "Early", "the WHO": capitalised inside a sentence = a name
    if low in BE or low in AUX or low in ADVERBS or low in {"to", "not"}:
        return False
    if tok.text[0].islower() and (low in SAY_VERBS or low in LABEL_VERBS):
        return noun_compound(toks, k) or (low in NOUNISH and word_at(toks, k + 1) not in CLAUSE_OPENERS)
    if low in CLAUSE_STOP and low != "and":
        return False
    if low.endswith("ly") and low not in _LY_NOT_ADVERBS and not _ly_name(toks, k):
        return _counted(toks, k + 1)  # "nearly four years", "roughly 40 people" stay one phrase
    if tok.text[0].islower() and low in _MONTHS:
        return True  # months are written with a capital: "the march", "a protest march" are nouns
    return low not in TIME_WORDS or (tok.text[0].isupper() and low not in {"may", "march"})


def _acronym(word: str) -> bool:
    """ "WHO", "NATO": a capitalised function word that is all capitals is a name."""
    return len(word) > 1 and word.isupper()


NUMBER_WORDS = words("number-words")


def _counted(toks: list[Token], k: int) -> bool:
    """Is token ``k`` a number ("40", "four")?"""
    tok = toks[k] if k < len(toks) else None
    return tok is not None and tok.kind == "w" and (tok.text[0].isdigit() or tok.low in NUMBER_WORDS)


_VERBS_AFTER_A_NAME = SAY_VERBS | LABEL_VERBS | AUX | BE  # made once, not per call


def _ly_name(toks: list[Token], k: int) -> bool:
    """ "Kelly said", "Jolly has said": a capitalised -ly word opening a sentence before a verb is a
    name ("Finally, …" and "Clearly the …" are adverbs: a comma or a noun phrase follows them).
    "Carly Fiorina endorsed …": a known given name before a capitalised word is a name too."""
    if k != 0 or not toks[k].text[0].isupper():
        return False
    nxt = word_at(toks, k + 1)
    given = toks[k].low in _GIVEN_NAMES and k + 1 < len(toks) and toks[k + 1].text[:1].isupper()
    return given or nxt in _VERBS_AFTER_A_NAME


def verbish(toks: list[Token], k: int) -> bool:
    """A lower-case -ed word right after an auxiliary, pronoun or name is a verb ("has accepted")."""
    tok = toks[k]
    if tok.kind != "w" or not tok.text[0].islower() or "-" in tok.text:
        return False  # "self-described", "so-called": a compound adjective, never the verb
    prev = toks[k - 1] if k > 0 else None
    if tok.low in IRREGULAR_PAST and prev is not None and prev.kind == "w" and prev.text[0].isupper():
        return True  # "Swift took to social media"
    if not tok.low.endswith("ed") or prev is None or prev.kind != "w":
        return False
    if ly_adverb(prev):
        return True  # "publicly scolded"
    if prev.low in AUX or prev.low in BE or prev.low in SUBJECT_PRONOUNS:
        return True
    if prev.text[0].isupper():
        return prev.low not in DETERMINERS  # "Trump accepted", not "The detailed plan"
    before = toks[k - 2].low if k > 1 else ""
    return prev.text[0].islower() and before in DETERMINERS


def _joins_nouns(tok: Token) -> bool:
    """May "and" after this token join two nouns ("officers and", "Zelensky and", "minister and")?"""
    if tok.kind != "w":
        return False
    low = tok.low
    return tok.text[0].isupper() or (low.endswith("s") and not low.endswith("ss")) or low in ROLE_WORDS


def time_tail(toks: list[Token], a: int, b: int) -> int:
    """End of the phrase [a, b) without a closing day ("Voters in five states Tuesday", "a report
    published Wednesday", "a poll released Thursday night"): the time belongs to a verb."""
    k = b - 1
    if k > a and toks[k].low in _DAY_PARTS and word_at(toks, k - 1) in _DAYS:
        k -= 1
    if k <= a or toks[k].low not in _DAYS or toks[k - 1].text[0].isupper():
        return b  # "Super Tuesday" is a name
    k -= 1
    if (
        k > a
        and toks[k].kind == "w"
        and toks[k].text[0].islower()
        and (toks[k].low.endswith("ed") or toks[k].low in IRREGULAR_PAST)
    ):
        k -= 1  # "a report published Wednesday": the participle goes with the day
    return k + 1 if toks[k].kind == "w" and toks[k].low not in PREPOSITIONS else b


_DAYS = tagged("calendar", "weekday", "relative")
_DAY_PARTS = tagged("calendar", "day-part")


#: Object pronouns: like a subject pronoun, one ends a noun phrase read leftwards ("told them the …").
_OBJECT_PRONOUNS = word_set("object-pronouns")
#: Words that open a noun phrase read leftwards without belonging to it ("and", "both", "but").
_LEADING_NOUN_PHRASE_WORDS = word_set("leading-noun-phrase-words")


_TIME_INTRO_LAST = TIME_INTRO | {"last", "this"}  # made once, not per call
_NOT_RELATIVE_VERBS = DETERMINER_LIKE | SUBJECT_PRONOUNS  # made once, not per call
_PREPOSITIONS_AND = PREPOSITIONS | {"and", "&"}  # made once, not per call
_PERSONAL_PRONOUNS = SUBJECT_PRONOUNS | _OBJECT_PRONOUNS  # made once, not per call


def np_left_plain(toks: list[Token], j: int, limit: int = 16) -> tuple[int, int] | None:
    """Noun phrase ending at token ``j`` (inclusive), scanning left; None if empty."""
    if toks[j].kind == "w" and toks[j].low in SUBJECT_PRONOUNS:
        return (j, j + 1)
    j = time_tail(toks, max(0, j - limit), j + 1) - 1
    k = j
    while k >= 0 and j - k < limit and np_word(toks, k) and not verbish(toks, k):
        if toks[k].low == "and" and (k == 0 or not _joins_nouns(toks[k - 1]) or not np_word(toks, k - 1)):
            break
        if toks[k].low in TIME_WORDS and word_at(toks, k - 1) in _TIME_INTRO_LAST:
            break
        if k < j and toks[k].low in _PERSONAL_PRONOUNS and not toks[k].text[1:].isupper():
            break  # a pronoun ends the phrase; "US" or "IT" in capitals is a name ("the US military")
        if toks[k].low in ARTICLES and k > 0 and toks[k - 1].low not in _PREPOSITIONS_AND:
            k -= 1  # a determiner opens the noun phrase ("the original story the White House is telling")
            break
        k -= 1
    while (
        k >= 1
        and toks[k].text == ","
        and toks[k - 1].kind == "w"
        and toks[k - 1].low in ROLE_WORDS
        and toks[k + 1].low in ROLE_WORDS
    ):
        k -= 2  # "chairman, CEO and president Craig Menear": a list of roles before the name
        while k >= 0 and toks[k].kind == "w" and toks[k].text[0].islower() and toks[k].low not in CLAUSE_STOP:
            k -= 1
    subject_relative = 0 < k < j and toks[k + 1].kind == "w" and toks[k + 1].text[0].islower()
    subject_relative = subject_relative and toks[k + 1].low not in _NOT_RELATIVE_VERBS
    if subject_relative and toks[k].low in {"who", "that"} and toks[k - 1].kind == "w" and j - k < limit:
        antecedent = np_left_plain(toks, k - 1, limit)  # "The staff member who reported the call"
        if antecedent is not None:
            return antecedent[0], j + 1
    a = k + 1
    while a <= j and (
        toks[a].low in _LEADING_NOUN_PHRASE_WORDS
        or toks[a].kind == "p"
        or (
            (a == 0 or toks[a - 1].kind != "w")
            and (toks[a].low in PREPOSITIONS or toks[a].low in INTRO_WORDS)
            and a < j
        )
    ):
        a += 1
    return (a, j + 1) if a <= j else None


def _role_or_name(segment: str) -> bool:
    """An apposition: a role description, a relative clause, or the name itself ("X, NAME,")."""
    segment = re.sub(r"^(?:and|&)\s+", "", segment)  # "…, a fellow at X, and co-author of the study,"
    words = segment.split()
    if words and words[0].lower() in RELATIVE_WORDS - {"that"}:  # without "that", as before: it changes rows
        return True
    if looks_like_role(segment) or analyse_np(segment).kind in {"person", "short"}:
        return True
    return (
        bool(words)
        and all(w[:1].isupper() or w in {"of", "and", "&", "for"} for w in words)
        and (
            analyse_np(segment).kind == "org"  # "The company that runs the show, Dick Clark Productions,"
        )
    )


def _segment_back(toks: list[Token], end: int) -> int:
    """Index of the separator (comma, quote, dash, sentence start = -1) before token ``end``."""
    c = end - 1
    while c >= 0 and not (toks[c].kind == "q" or toks[c].text in {",", "—", "–", ";", ":", "(", ")"}):
        c -= 1
    return c


def span_text(text: str, toks: list[Token], a: int, b: int) -> str:
    return text[toks[a].start : toks[b - 1].end] if b > a else ""


_COORD_INTRO = COORD | INTRO_WORDS  # made once, not per call


def np_left(text: str, toks: list[Token], j: int) -> tuple[tuple[int, int], str, int] | None:
    """Speaker phrase ending at ``j``, through appositions: "Ryan, a retired general, said".

    Returns (speaker span, apposition text, first token of the whole phrase).
    """
    if toks[j].text != ",":
        span = np_left_plain(toks, j)
        return (span, "", span[0]) if span else None
    segments = []
    end = j
    for _ in range(4):
        c = _segment_back(toks, end)
        if c < 0 or toks[c].text != "," or c + 1 >= end:
            break
        segment = span_text(text, toks, c + 1, end)
        if is_adverbial(segment):
            end = c
            continue
        if not _role_or_name(segment):
            break
        segments.append((c + 1, end))
        end = c
    if end < 1 or (not segments and end == j):
        return None
    for idx, (sa, _sb) in enumerate(segments[:-1]):
        cand = segments[idx + 1]
        group = toks[cand[0]].low in ARTICLES and analyse_np(span_text(text, toks, *cand)).kind == "group"
        if toks[sa].low == "who" and group:
            return cand, "", cand[0]  # "…, the source, who said X, told Reuters"
    span = np_left_plain(toks, end - 1)
    if span is None or (not segments and _mid_clause(toks, span[0])):
        return None  # "… have seen impacts, too, said X": an adverb aside after an object
    if segments and span[0] > 0 and toks[span[0] - 1].low in PREPOSITIONS:
        # "In Kentucky, the Democratic candidate, Andy Beshear, promised": the PP is no subject
        span, segments = segments[-1], segments[:-1]
    elif segments and span[1] - span[0] == 1 and toks[span[0]].low in INTRO_WORDS:
        # "Moreover, Jeffrey D. Sachs, director of …, noted": the sentence adverb is no subject
        span, segments = segments[-1], segments[:-1]
    a = span[0]
    if segments and a >= 3 and toks[a - 2].low in RELATIVE_WORDS and toks[a - 1].text.islower():
        antecedent = np_left_plain(toks, a - 3)  # "The company that runs the AMAs, NAME, said"
        if antecedent is not None and toks[antecedent[0]].low in ARTICLES:
            span = (antecedent[0], span[1])
    relative = bool(segments) and toks[segments[-1][0]].low in {"which", "who"}
    if relative and _mid_clause(toks, span[0]):
        return None  # "… reveal a pattern of killings, which have …, said Amnesty": an object
    chosen, appos = _prefer_named(text, toks, span, segments)
    return chosen, appos, span[0]


def _mid_clause(toks: list[Token], a: int) -> bool:
    """Does a word that opens no subject ("have", "seen") come right before the phrase at ``a``?
    "Roe, too, said" has its subject open the clause; "… have seen impacts, too, said Roe" does not,
    and there the phrase before the adverb aside is an object inside the reported clause."""
    before = toks[a - 1] if a > 0 else None
    return before is not None and before.kind == "w" and before.low not in _COORD_INTRO


def _prefer_named(
    text: str, toks: list[Token], span: tuple[int, int], segments: list[tuple[int, int]]
) -> tuple[tuple[int, int], str]:
    """Pick the named part of "descriptor, NAME," or "NAME, descriptor," as the speaker.

    Without appositions the span is the speaker whatever it is: the phrase is not analysed (most
    sentence subjects have none, and an analysis is a cache miss for every new phrase)."""
    if not segments:
        return span, ""
    head = analyse_np(span_text(text, toks, *span))
    described = toks[span[0]].low in ARTICLES and span[1] - span[0] > 1 and toks[span[0] + 1].text.islower()
    if head.kind == "group" or described:
        for seg in reversed(segments):
            seg_np = analyse_np(span_text(text, toks, *seg))
            if seg_np.kind in {"person", "short"} or (described and seg_np.kind == "org"):
                return seg, span_text(text, toks, *span)
    roles = [
        seg
        for seg in reversed(segments)
        if not span_text(text, toks, *seg).startswith(("which", "who")) and not toks[seg[0]].text[0].isdigit()
    ]
    closest = roles[0] if roles else segments[-1]
    return span, span_text(text, toks, *closest)


_CREDENTIALS = words("credentials")
#: "described it as …", "called him …": an object after the cue, not an inverted speaker.
_OBJECT_WORDS = word_set("object-words")
#: ", of Yale", ", at Harvard": an affiliation after a name.
_AFFILIATION_LINKS = word_set("affiliation-links")
_KEEP_ING = words("keep-ing")


def np_right(
    text: str, toks: list[Token], k: int, keep_rest: bool = False, source: bool = False
) -> tuple[tuple[int, int], str, int] | None:
    """Speaker phrase after an inverted cue ("said Hill, who ..."): (span, apposition, end).

    With ``keep_rest`` (sentence-initial "According to X, ...") an apposition is only taken
    when another comma closes it, so the reported clause is not swallowed.
    """
    n = len(toks)
    while k < n and toks[k].low in ADVERBS:
        k += 1
    if k < n and toks[k].low in _OBJECT_WORDS and (k + 1 >= n or not toks[k + 1].text[0].isupper()):
        return None  # "described it as …": an object, not an inverted speaker
    if k < n and toks[k].low in PREPOSITIONS:
        return None  # "said in a statement": no speaker here
    m = _right_extent(toks, k, source)
    if m <= k:
        return None
    name_end = m
    party = party_bracket(toks, m)
    if party:
        m = party  # "said Howard Dean (D), a Clinton supporter": the party is not the name
    elif m + 2 < n and toks[m].text == "(" and toks[m + 2].text == ")":
        m += 3  # "the Centre for Disease Control (CDC)"
        name_end = m
    segments, end = _right_appositions(text, toks, m, keep_rest)
    span, appos = (k, name_end), ""
    described = [seg for seg in segments if not _credential(toks, *seg) and not _age(toks, *seg)]
    if described:  # "Jane Roe, MD, president of …", "Jo Roe, 24, from …": the role, not degree or age
        first = described[0]
        head = analyse_np(span_text(text, toks, k, m))
        seg_np = analyse_np(span_text(text, toks, *first))
        if head.kind == "group" and seg_np.kind in {"person", "short"}:
            span, appos = first, span_text(text, toks, k, m)
        else:
            appos = span_text(text, toks, *first)
    return span, appos, end


_PARTY = re.compile(r"^[DRI](?:-[A-Z][A-Za-z.]*)?$")


def _age(toks: list[Token], a: int, b: int) -> bool:
    """Is ``toks[a:b]`` an age (", 24,")? It tells how old, not what the person does."""
    return b == a + 1 and toks[a].text.isdigit()


def _credential(toks: list[Token], a: int, b: int) -> bool:
    """Is ``toks[a:b]`` one degree ("MD", "Ph.D.")? It belongs to the name: a reader learns
    nothing of the person's role from it."""
    return b == a + 1 and toks[a].text.rstrip(".").lower() in _CREDENTIALS


def party_bracket(toks: list[Token], m: int) -> int:
    """The index after a party-and-state bracket at ``m`` ("(D)", "(R-Ohio)", "(D-N.Y.)"), else 0."""
    if m >= len(toks) or toks[m].text != "(":
        return 0
    close = next((c for c in range(m + 1, min(len(toks), m + 5)) if toks[c].text == ")"), 0)
    inner = "".join(t.text for t in toks[m + 1 : close]) if close else ""
    return close + 1 if inner and _PARTY.match(inner) else 0


def _right_extent(toks: list[Token], k: int, source: bool) -> int:
    """End of the noun phrase starting at ``k`` (``k`` itself when there is none)."""
    n = len(toks)
    m = k
    named = False
    while (
        m < n
        and m - k < 16
        and toks[m].text != "."
        and (
            np_word(toks, m)
            or (source and toks[m].low in NOUNISH)
            or (m > k and ly_adverb(toks[m]) and word_at(toks, m + 1).endswith("ed"))  # "newly appointed"
        )
    ):
        tok = toks[m]
        low = tok.low
        if m > k and low in ARTICLES and toks[m - 1].text[:1].isupper():
            return k  # "called Omar a “terrorist”": an object and its complement
        if named and low in PREPOSITIONS and low != "of":
            break  # "said Jane Roe at Yale": the name ends (on past a capital: FINAL5 -4 affiliations)
        if low in TIME_WORDS and m > k and tok.text[0].isupper() and toks[m - 1].low in TIME_OPENERS:
            return m - 1
        participle = low.endswith("ing") and tok.text[0].islower() and low not in _KEEP_ING
        if participle and m > k and toks[m - 1].low not in ARTICLES:  # "a publishing executive"
            break
        named = named or (tok.text[0].isupper() and m > k and toks[m - 1].text[0].isupper())
        m += 1
    return m


def _right_appositions(
    text: str, toks: list[Token], m: int, keep_rest: bool
) -> tuple[list[tuple[int, int]], int]:
    """Comma-separated roles or names after the phrase ending at ``m``, and where they end."""
    n = len(toks)
    segments: list[tuple[int, int]] = []
    end = m
    if keep_rest and end < n and toks[end].text != ",":
        comma = next((c for c in range(end, min(n, end + 6)) if toks[c].text == ","), -1)
        if comma > 0 and all(np_word(toks, c) for c in range(end, comma)):
            end = comma  # "According to the CDC in the US, …"
    while end < n and toks[end].text == "," and len(segments) < 3:
        c = end + 1
        while c < n and toks[c].kind != "q" and toks[c].text not in {",", ".", ";", ":", "—"}:
            c += 1
        segment = span_text(text, toks, end + 1, c)
        affiliation = _affiliation_link(toks, end + 1)
        credential = _credential(toks, end + 1, c)
        if not segment or not (_role_or_name(segment) or affiliation or credential):
            break
        if keep_rest and (c >= n or toks[c].text != ","):
            break
        segments.append((end + 1, c))
        end = c
    return segments, end


def _affiliation_link(toks: list[Token], a: int) -> bool:
    """ ", of McMaster University", ", at Yale": a link word, then a capitalised name (the token's
    own text), so the segment describes the speaker, not the content."""
    return word_at(toks, a) in _AFFILIATION_LINKS and text_at(toks, a + 1)[:1].isupper()


def _dateline_end(toks: list[Token]) -> int:
    """ "WASHINGTON (AP) —", "MYRTLE BEACH, S.C. -": the index after a dateline's dash, else 0.

    A dateline is upper-case words, then perhaps a comma or a bracket with a state, date or agency.
    """
    if not toks or toks[0].kind != "w" or not toks[0].text.isupper() or not toks[0].text.isalpha():
        return 0
    tail = False  # after the place: ", Dec. 8", "(AP)"
    for m in range(1, min(len(toks), 14)):
        tok = toks[m]
        if tok.text in {"—", "–", "-", "--"}:
            return m + 1
        tail = tail or tok.text in {",", "("}
        place_word = tok.text.isupper() or (tail and not tok.text.islower())
        if tok.kind == "q" or (tok.kind == "w" and not place_word):
            return 0
    return 0


def skip_intro(toks: list[Token]) -> int:
    """Index of the first token after a dateline, leading conjunction, time phrase or introductory clause."""
    n = len(toks)
    k = _dateline_end(toks)
    while k < n and (toks[k].low in LEADING_CONJUNCTIONS or (k and toks[k].text == ",")):
        k += 1  # "Then, last week, X said": conjunctions and their commas
    if k + 1 < n and toks[k].low in TIME_OPENERS and toks[k + 1].low in TIME_WORDS:
        k += 2
        if k < n and toks[k].text == ",":
            k += 1
        return k
    if k >= n or toks[k].kind == "q":
        return k
    first = toks[k]
    # An -ing word opens a participial clause only before a lower-case word, not before a comma, a
    # number, a quotation or a capitalised word ("Sterling Heights police said").
    participle = (
        first.low.endswith("ing") and first.low not in FIRST_NAMES_ING and text_at(toks, k + 1)[:1].islower()
    )
    if (
        first.low in INTRO_WORDS
        or first.low in PREPOSITIONS
        or first.low in TIME_WORDS
        or first.text[0].islower()
        or participle  # "Talking about his successes, he said"
    ):
        comma = next(
            (c for c in range(k, min(n, k + 16)) if toks[c].text == "," or toks[c].text.endswith(",”")),
            -1,
        )
        return comma + 1 if comma >= 0 else n
    return k


FIRST_NAMES_ING = words("first-names-ing")
_NON_SUBJECTS = words("non-subjects")


#: A third-person -s form ("draws", "says"), not "class", "bonus" or "basis".
_S_VERB = re.compile(r"[^isu]s$")


def _verb_before_article(toks: list[Token], k: int, m: int) -> bool:
    """ "The author draws a parallel …": a lower-case -s word after a definite noun and before an
    article is the verb, which ends the subject opened at ``k`` (a plural noun is not followed by
    "a" or "the": "the author draws" is no compound). Why: the subject ran on to the next verb, so
    an elided speaker (", suggesting …") was "author draws a parallel between …"."""
    tok, prev = toks[m], toks[m - 1]
    if m + 1 >= len(toks) or toks[m + 1].low not in ARTICLES or toks[k].low not in ARTICLES:
        return False
    word = tok.low
    return (
        m - k >= 2
        and tok.kind == "w"
        and tok.text[0].islower()
        and _S_VERB.search(word) is not None
        and prev.kind == "w"
        and prev.text[0].islower()
        and prev.low not in ARTICLES
    )


def main_subject(text: str, toks: list[Token]) -> tuple[tuple[int, int], str] | None:
    """The subject of the sentence's main clause: skip "But", intro phrases, then the noun phrase."""
    n = len(toks)
    k = skip_intro(toks)
    if k >= n or toks[k].kind == "q" or toks[k].low in _NON_SUBJECTS:
        return None
    m = k
    while m < n and m - k < 16 and np_word(toks, m) and toks[m].text != "." and not verbish(toks, m):
        if m > k and (toks[m].low in SUBJECT_PRONOUNS or _verb_before_article(toks, k, m)):
            break
        m += 1
        if toks[m - 1].low in SUBJECT_PRONOUNS:
            break
    if m == k:
        return None
    segments = []
    end = m
    while end < n and toks[end].text == "," and len(segments) < 3:
        c = end + 1
        while c < n and toks[c].kind != "q" and toks[c].text not in {",", ".", ";", ":", "—"}:
            c += 1
        segment = span_text(text, toks, end + 1, c)
        if c >= n or toks[c].text != ",":
            break
        if is_adverbial(segment):
            end = c
            continue
        if not _role_or_name(segment):
            break
        segments.append((end + 1, c))
        end = c
    return _prefer_named(text, toks, (k, m), segments[::-1])


# --- words between a source and its cue --------------------------------------------------------


def skip_left(toks: list[Token], j: int) -> int:
    """Skip auxiliaries, adverbs and time phrases left of a cue ("has also said", "on Tuesday")."""
    while j >= 0:
        low = toks[j].low
        if low in AUX or low in ADVERBS or ly_adverb(toks[j]):
            j -= 1
        elif low in TIME_WORDS or (toks[j].kind == "w" and toks[j].text[0].isdigit()):
            k = j - 1
            while k >= 0 and (toks[k].low in TIME_WORDS or toks[k].text[0].isdigit() or toks[k].text == "."):
                k -= 1
            if k >= 0 and toks[k].low in _TIME_INTRO_LAST:
                j = k - 1
            else:
                return j
        else:
            return j
    return j


def skip_right(toks: list[Token], k: int) -> int:
    """Skip adverbs and short time phrases right of a cue ("said Thursday", "said last year")."""
    n = len(toks)
    while k < n:
        low = toks[k].low
        if low in ADVERBS or low in TIME_WORDS or ly_adverb(toks[k]):
            k += 1
        elif low in TIME_OPENERS and word_at(toks, k + 1) in TIME_WORDS:
            k += 2
        elif toks[k].kind == "w" and toks[k].text[0].isdigit() and k > 0 and toks[k - 1].low in TIME_WORDS:
            k += 1
        else:
            return k
    return k
