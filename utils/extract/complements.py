"""What a cue takes: the content clause after "that", a listener object, an infinitive.

These decide where the reported content starts right of a cue and whether a complement looks
like a clause rather than a plain noun phrase ("reported a loss").
"""

from __future__ import annotations

import re

from utils.extract.lexicon import word_set, words
from utils.extract.phrases import skip_right, verbish
from utils.extract.text import Token, word_at
from utils.extract.vocab import (
    ADVERBS,
    ARTICLES,
    ASK_VERBS,
    AUX,
    BE,
    CALL_FORMS,
    CLAUSE_STOP,
    CLAUSE_SUBJECTS,
    COMMISSIVE_VERBS,
    COORD,
    DETERMINER_LIKE,
    DIRECTIVE_VERBS,
    FINITE_HINTS,
    GERUND_VERBS,
    ING_NOUNS,
    IRREGULAR_PAST,
    LABEL_VERBS,
    OBJECT_VERBS,
    PARTICLES,
    POSSESSIVES,
    PREPOSITIONS,
    QUESTION_WORDS,
    RELATIVE_WORDS,
    SAY_VERBS,
    SINGULAR_S_ENDINGS,
    SUBJECT_PRONOUNS,
    SUBORDINATORS,
    TIME_WORDS,
    WEAK_VERBS,
)

#: "acknowledged to supervisors that", "wrote in a post that": a weak verb's "that" after a short phrase.
_WEAK_CUE_ADJUNCTS = word_set("weak-cue-adjuncts")
#: "said in a letter to X that": an adjunct after the cue, so a "to" in it opens no directive.
_CUE_ADJUNCTS = word_set("cue-adjuncts")
#: "said it submitted a proposal that …": a subject before "that" means the clause began earlier
#: ("you" and "there" are left out as they always were: adding "you" changes rows).
_EARLIER_SUBJECTS = CLAUSE_SUBJECTS - {"you", "there"}
#: A pronoun subject opens a content clause; "it" may be an object, so the next word decides.
_SUBJECTS_BUT_IT = CLAUSE_SUBJECTS - {"it"}
#: "reported at least 40 …", "said nearly half …": a quantity, not a prepositional phrase.
QUANTITY_OPENERS = word_set("quantity-openers")
#: "has said for weeks he would …", "argued over the past year the plan …": a span of time.
_DURATION_OPENERS = word_set("duration-openers")
#: "said whether …", "explained how …": words that open a content clause.
_CLAUSE_WH_WORDS = word_set("clause-wh-words")

#: "came", "went", "took": simple pasts that are never participles, so finite after any noun.
_PAST_ONLY = word_set("past-only")

_CONTRACTED = re.compile(r"(?:he|she|it|they|we|i|you|there|that)[’'](?:s|re|m|d|ll|ve)$")


def _find_that(toks: list[Token], k: int, cue: str) -> int:
    """Index just after a complementiser "that" within a short adverbial window, else -1.

    Weak verbs ("declared martial law, a concern that ...") only take a "that" right after the
    verb and its time adverbs; only listener verbs ("told investors of X, the Y, on Oct. 31
    that") may cross commas.
    """
    if cue in WEAK_VERBS and cue not in OBJECT_VERBS:
        m = skip_right(toks, k)
        if word_at(toks, m) in _WEAK_CUE_ADJUNCTS:  # "acknowledged to supervisors that"
            for j in range(m + 1, min(len(toks), m + 7)):
                if toks[j].low == "that" and j > m + 1:
                    return -1 if _relative_that(toks, j) else j + 1
                if toks[j].kind != "w" or toks[j].low in BE or toks[j].low in AUX or verbish(toks, j):
                    break
        return m + 1 if word_at(toks, m) == "that" else -1
    adjunct = word_at(toks, k) in _CUE_ADJUNCTS  # "said in a letter to X that"
    for m in range(k, min(len(toks), k + 18)):
        tok = toks[m]
        if tok.low == "that" and tok.kind == "w":
            return m + 1
        if tok.text == "," and cue not in OBJECT_VERBS:
            return -1
        if (
            tok.low == "to"
            and not adjunct
            and m + 1 < len(toks)
            and toks[m + 1].text[:1].islower()
            and word_at(toks, m + 1) != "the"
        ):
            return -1  # "warned people to stay away from products that ...": a directive
        if tok.low in _EARLIER_SUBJECTS or verbish(toks, m) or _CONTRACTED.match(tok.low):
            return -1  # "said it submitted a proposal that …": the clause began earlier
        month = tok.text == "May" and m > k  # "in a May 2 letter"
        if tok.kind == "q" or (tok.low in FINITE_HINTS and not month) or tok.text in ".;:":
            return -1  # a finite verb ("was", "wasn’t"): the clause began before any "that" ahead
        cue_form = (
            tok.kind == "w" and tok.text[0].islower() and (tok.low in SAY_VERBS or tok.low in LABEL_VERBS)
        )
        if cue_form and not _noun_after_determiner(toks, m, k):
            return -1  # "said she reported that …": another cue, whose clause that is
    return -1


def _relative_that(toks: list[Token], j: int) -> bool:
    """ "announced at a plant that makes cars": a "that" right before a verb is the adjunct's own
    relative pronoun; a complementiser has a subject after it ("noted at the time that it …")."""
    nxt = toks[j + 1] if j + 1 < len(toks) else None
    if nxt is None or nxt.kind != "w" or not nxt.text[0].islower():
        return False
    return nxt.low in FINITE_HINTS or nxt.low in IRREGULAR_PAST or nxt.low.endswith(("ed", "es"))


def _noun_after_determiner(toks: list[Token], m: int, k: int) -> bool:
    """ "in her opening remarks", "in its report": a cue's form after a determiner (and perhaps an
    adjective) inside the adjunct that starts at ``k`` is a noun, not a second cue."""
    before = [t for t in toks[max(k, m - 2) : m] if t.kind == "w"]
    return any(t.low in _NOUN_DETERMINERS for t in before)


_NOUN_DETERMINERS = ARTICLES | POSSESSIVES  # made once, not per call


def object_then_infinitive(toks: list[Token], k: int, end: int) -> bool:
    """A short object, then "to" and a verb ("told the man to remove …", "asked their governments
    to help"): after a verb of bidding, the object and its infinitive are the request (a directive),
    whatever words the object has; one test for the cue's right side and for the content planner."""
    for m in range(k + 1, min(end - 1, k + 6)):
        tok = toks[m]
        if tok.kind != "w" or tok.low in BE or tok.low in AUX or tok.low in SUBJECT_PRONOUNS:
            return False
        if tok.low == "to":
            nxt = toks[m + 1]
            return nxt.kind == "w" and nxt.text[0].islower() and nxt.low not in DETERMINER_LIKE
        if tok.low in PREPOSITIONS and tok.low != "of":
            return False
    return False


def _skip_object(toks: list[Token], k: int) -> int:
    """Skip the listener of "told reporters", "told The Hollywood Reporter", "told Ryan"."""
    n = len(toks)
    if k >= n or toks[k].kind != "w":
        return k
    if toks[k].low in {"the"} and k + 1 < n and toks[k + 1].text[0].isupper():
        k += 1
    if toks[k].text[0].isupper():
        while k < n and toks[k].kind == "w" and (toks[k].text[0].isupper() or toks[k].low == "of"):
            k += 1
        return k
    for m in range(k, min(n, k + 5)):
        if (
            toks[m].low in SUBJECT_PRONOUNS
            or _CONTRACTED.match(toks[m].low)
            or (toks[m].low in ARTICLES and m > k)
        ):
            return m
        if toks[m].kind != "w":
            return m
    return k + 1


def looks_like_clause(toks: list[Token], a: int, b: int) -> bool:
    """A content clause needs a finite verb soon, or a pronoun subject, or a quotation."""
    if a >= b:
        return False
    first = toks[a]
    if first.kind == "q" or first.low in _SUBJECTS_BUT_IT:
        return True
    if first.low == "it" and a + 1 < b and finite_verb(toks, a + 1):
        return True  # "reported it sold $30 billion": "it" opens the clause, not an object
    if _CONTRACTED.match(first.low) or _possessed_subject(toks, a, b):
        return True  # "he’ll work full-time", "his firm worked closely with …"
    quantity = first.low in QUANTITY_OPENERS  # "reported at least …", "said nearly 40 …"
    if (first.low in PREPOSITIONS and not quantity) or (
        first.low.endswith("ing") and first.text[0].islower()
    ):
        return False
    if first.low in _CLAUSE_WH_WORDS:
        return True
    for k in range(a, min(b, a + 14)):
        tok = toks[k]
        if tok.text in {",", ";", ":", "—"}:
            return False
        if tok.low == "that" and k > a and first.low in ARTICLES:
            return False  # "stressed the need … that …": a noun phrase with its own clause
        if tok.low in FINITE_HINTS:
            return True
        if tok.low in SUBORDINATORS:
            return False  # "claimed victory as the House concluded": the verb is not the clause's
        if k > a and first.low not in {"a", "an"} and _past_after_noun(toks, k):
            return True  # "at least 5,000 people entered the building"
        if k > a and tok.low in _PAST_ONLY and _after_a_subject(toks, a, k):
            return True  # "reported the email came hours after …": never a participle
        if k > a + 1 and _present_after_noun(toks, k):
            return True  # "no evidence supports anything other than suicide"
        if k > a + 1 and first.low in ARTICLES and _past_before_object(toks, k):
            return True  # "claiming the quarantine violated her rights"
    return False


def _after_a_subject(toks: list[Token], a: int, k: int) -> bool:
    """Does the phrase from ``a`` read as the subject of the lower-case verb at ``k``? Not when a
    relative word comes first ("told a man who saw his doctor", "said one source who identified X
    but spoke …": a relative clause inside the object or the inverted speaker) or a conjunction
    comes right before it."""
    prev = toks[k - 1]
    if not toks[k].text[0].islower() or prev.kind != "w" or prev.low in COORD:
        return False
    return not any(t.low in RELATIVE_WORDS for t in toks[a:k])


def finite_verb(toks: list[Token], k: int) -> bool:
    """A lower-case finite verb at ``k``: a form of "be", an auxiliary, a past tense."""
    tok = toks[k]
    if tok.kind != "w" or not tok.text[0].islower():
        return False
    return tok.low in BE or tok.low in AUX or tok.low in IRREGULAR_PAST or tok.low.endswith("ed")


def past_form(tok: Token) -> bool:
    """A lower-case word in -ed: a verb (past or participle), so the words around it make a clause
    or a participial phrase, not a noun phrase or an adjunct."""
    return tok.text[0].islower() and tok.low.endswith("ed")


def _possessed_subject(toks: list[Token], a: int, b: int) -> bool:
    """ "his firm worked", "her group never worked": a possessive, a noun (and perhaps an adverb),
    then a lower-case verb in -ed: a clause with its own subject."""
    if toks[a].low not in POSSESSIVES or a + 2 >= b:
        return False
    k = a + 2 if toks[a + 1].kind == "w" and toks[a + 1].text[0].islower() else -1
    if k > 0 and (toks[k].low in ADVERBS or toks[k].low.endswith("ly")) and k + 1 < b:
        k += 1
    return k >= 0 and toks[k].kind == "w" and past_form(toks[k])


_OBJECT_STARTS = words("object-starts")


def _present_after_noun(toks: list[Token], k: int) -> bool:
    """A lower-case -s verb between a noun and an object ("evidence supports the claim")."""
    tok, prev = toks[k], toks[k - 1]
    if tok.kind != "w" or not tok.text[0].islower() or not tok.low.endswith("s"):
        return False
    if tok.low.endswith(SINGULAR_S_ENDINGS) or tok.low in CLAUSE_STOP:
        return False
    if prev.kind != "w" or prev.low in DETERMINER_LIKE or prev.low.endswith("s") or prev.low in ADVERBS:
        return False
    return word_at(toks, k + 1) in _OBJECT_STARTS


def _past_before_object(toks: list[Token], k: int) -> bool:
    """A lower-case -ed word between a noun and an object ("the quarantine violated her rights"):
    a participle modifying the noun is followed by its agent or an adjunct, not by an object."""
    tok, prev = toks[k], toks[k - 1]
    if tok.kind != "w" or not past_form(tok) or prev.kind != "w" or not prev.text[0].islower():
        return False
    if prev.low in DETERMINER_LIKE or prev.low in ADVERBS or prev.low.endswith("ly"):
        return False
    if prev.low in RELATIVE_WORDS or prev.low in COORD:
        return False  # "the man who led the team", "… and described the": another clause's verb
    timed = word_at(toks, k + 2) in TIME_WORDS  # "the plan approved the week before": an adjunct
    return word_at(toks, k + 1) in _OBJECT_STARTS and not timed


def _past_after_noun(toks: list[Token], k: int) -> bool:
    """A lower-case -ed word right after a plural noun or a name reads as a finite verb."""
    tok, prev = toks[k], toks[k - 1]
    if tok.kind != "w" or not past_form(tok) or prev.kind != "w":
        return False
    plural = (prev.low.endswith("s") and not prev.low.endswith("ss")) or prev.low in _IRREGULAR_PLURALS
    return prev.text[0].isupper() or plural


_IRREGULAR_PLURALS = words("irregular-plurals")


def _verb_complement(toks: list[Token], low: str, k: int, end: int) -> bool:
    """An infinitive after a commissive ("vowed to keep trying") or a gerund after "denied"."""
    nxt = toks[k] if k < end else None
    after = toks[k + 1] if k + 1 < end else None
    if nxt is None or after is None or nxt.kind != "w" or after.kind != "w":
        return False
    if low in COMMISSIVE_VERBS and nxt.low == "to":
        return after.low not in {"the", "a"} and after.text.islower()
    gerund = nxt.low.endswith("ing") and nxt.low not in ING_NOUNS and nxt.text.islower()
    return low in GERUND_VERBS and gerund


def _pronoun_after_adjunct(toks: list[Token], k: int, end: int) -> int:
    """ "in a statement Thursday night they …", "in both listings he was …": a short adjunct with no
    verb or comma, then a subject pronoun that opens the content; its index, or -1."""
    if k >= end or toks[k].low not in _ADJUNCT_BEFORE_PRONOUN:
        return -1
    for m in range(k + 1, min(end, k + 9)):
        tok = toks[m]
        if tok.kind != "w" or tok.low in BE or tok.low in AUX or verbish(toks, m):
            return -1
        if m > k + 1 and tok.low in CLAUSE_SUBJECTS:
            nxt = toks[m + 1] if m + 1 < end else None
            return m if nxt is not None and nxt.kind == "w" and nxt.text[0].islower() else -1
    return -1


def _clause_after_duration(toks: list[Token], k: int, end: int) -> int:
    """ "has said for weeks he would …", "has argued for months the budget cannot …": a span of
    time ("for", "over", then a few lowercase words ending in a unit of time) and a clause right
    after it, which is the content although no "that" opens it; its index, or -1."""
    if k >= end or toks[k].low not in _DURATION_OPENERS:
        return -1
    for m in range(k + 1, min(end - 1, k + 5)):
        tok = toks[m]
        if tok.kind != "w" or not (tok.text.islower() or tok.text.isdigit()) or verbish(toks, m):
            return -1
        if tok.low in TIME_WORDS:
            return m + 1 if looks_like_clause(toks, m + 1, end) else -1
    return -1


#: The words of an indirect question after an asking verb's listener ("asked the students if …").
_WH_WORDS = QUESTION_WORDS | {"which"}
_ADJUNCT_BEFORE_PRONOUN = word_set("adjunct-before-pronoun")


def _question_after_listener(toks: list[Token], low: str, k: int, end: int) -> int:
    """ "asked the students if …", "asking Clinton pointedly whether …": the index of the question
    word after a short listener (words only, no verb) of an asking verb; -1 when there is none."""
    if low not in ASK_VERBS or k >= end or toks[k].low in _WH_WORDS:
        return -1
    for m in range(k, min(end, k + 7)):
        tok = toks[m]
        if tok.low in _WH_WORDS and m > k:
            return m
        if tok.kind != "w" or tok.low in BE or tok.low in AUX or tok.low in PREPOSITIONS or verbish(toks, m):
            return -1
    return -1


def right_content(toks: list[Token], i: int, end: int) -> tuple[int, int]:
    """Start of the content clause right of cue ``i`` (after object, adverbs, "that")."""
    low = toks[i].low
    k = i + 1
    if low in {"according", "per"}:
        return k, k
    particle = PARTICLES.get(low)
    if particle is not None and particle.skipped and word_at(toks, k) == particle.word:
        k += 1  # "pointed out that …"
    if low in DIRECTIVE_VERBS:
        m = _skip_object(toks, k)
        if m + 1 < end and toks[m].text in {",", ":"} and toks[m + 1].kind == "q":
            return m + 1, 1  # "urged voters, “Look what I have done.”"
        return k, 1
    if low in CALL_FORMS and word_at(toks, k) in {"to", "on"}:
        return k + 1, 1  # "has called to threaten …", "called on Yoon to resign"
    if _verb_complement(toks, low, k, end):
        return k, 1  # "vowed to keep trying", "denied being unfair to her"
    question = _question_after_listener(toks, low, k, end)
    if question > 0:
        return question, 1  # "asked Sanders how he was feeling": the indirect question
    that = _find_that(toks, k, low)
    if that >= 0:
        return that, 1
    if low in OBJECT_VERBS:
        if object_then_infinitive(toks, k, end):
            return k, 1  # "warned people to stay away", "told the man to remove …": the directive
        k = _skip_object(toks, k)
    if not (k < end and toks[k].low in QUANTITY_OPENERS and word_at(toks, k + 1)[:1].isdigit()):
        k = skip_right(toks, k)  # "said nearly 40 …": the adverb belongs to the number
    while k < end and toks[k].low in {",", ":", "quote"}:
        k += 1
    pronoun = max(_pronoun_after_adjunct(toks, k, end), _clause_after_duration(toks, k, end))
    if pronoun > 0:
        return pronoun, 1  # "said in a statement Thursday night they pulled the listing"
    if k < end and toks[k].low in PREPOSITIONS:
        # "said in a statement, “…”" / "said in a statement that …": skip the adverbial only then
        comma = next((c for c in range(k, min(end, k + 10)) if toks[c].text in {",", ":"}), -1)
        if comma >= 0 and comma + 1 < end and (toks[comma + 1].kind == "q" or toks[comma + 1].low == "that"):
            k = comma + 1
    return k, 0
