"""Reporting cues: which tokens report speech or a stance, and which only look like it.

Verb classes come from the verb table; nouns ("fears that"), passives, "according to", stance
adjectives and naming verbs ("called X “Y”") are decided here.
"""

from __future__ import annotations

import re

from utils.extract.complements import looks_like_clause
from utils.extract.lexicon import lemma_forms, tagged, verb_forms, verb_rows, word_set, words
from utils.extract.names import DOCUMENT_NOUNS, NAME_PARTICLES, ORG_DESCRIPTORS, ORG_WORDS, ROLE_WORDS
from utils.extract.phrases import NUMBER_WORDS, ly_adverb, noun_compound
from utils.extract.text import Token, word_at
from utils.extract.vocab import (
    ADVERBS,
    ARTICLES_DEMONSTRATIVES,
    AS_VERBS,
    AUX,
    BE,
    CLAUSE_OPENERS,
    DETERMINER_LIKE,
    FINITE_HINTS,
    IRREGULAR_PAST,
    LABEL_VERBS,
    NOUNISH,
    PARTICLES,
    PREPOSITIONS,
    SAY_VERBS,
    SINGULAR_S_ENDINGS,
    STANCE_ADJECTIVES,
    STANCE_NOUNS,
    SUBJECT_PRONOUNS,
)

_NAMING_VERBS = verb_forms("naming")


#: "adding to them" is speech, "adding to a mounting series of problems" is not.
_LISTENERS = tagged("listeners", "add-to")
_ADD = lemma_forms("add")
_READ = lemma_forms("read")


_POSSESSIVE_S = re.compile(r"[’']s$")
#: "he’s said", "she’s telling": a person pronoun with a contracted "has" or "is", not a possessive.
_CONTRACTED_SUBJECTS = frozenset(f"{w}{mark}s" for w in ("he", "she") for mark in "’'")
#: The marks that end a sentence ("…, de Miranda notes.").
_SENTENCE_END = frozenset({".", "!", "?"})


def is_cue(toks: list[Token], i: int) -> bool:
    """Is token ``i`` a reporting verb used as a verb (not a noun, adjective or passive)?"""
    tok = toks[i]
    low = tok.low
    if tok.kind != "w" or not (tok.text[0].islower() or _opens_inversion(toks, i)):
        return False
    if (low not in SAY_VERBS and low not in LABEL_VERBS) or noun_compound(toks, i):
        return False  # "a think tank": a noun
    k = i - 1
    while k >= 0 and (toks[k].low in ADVERBS or ly_adverb(toks[k])):
        k -= 1
    prev, nxt = word_at(toks, k), word_at(toks, i + 1)
    if _relative_that(toks, i, k):
        return _frame_fits(toks, i, k) and not _is_passive(toks, i)
    if low in NOUNISH and not _nounish_verb(toks, i, k) and not _as_source(toks, k):
        return False
    if low in NOUNISH and k >= 0 and (prev in NUMBER_WORDS or toks[k].text[0].isdigit()):
        return False  # "primaries in five states Tuesday", "10 claims": a counted noun
    gerund = low.endswith("ing") and prev in PREPOSITIONS  # "for telling others"
    if prev in DETERMINER_LIKE and not (prev == "to" and k == i - 1) and not gerund:
        return False
    possessive = k >= 0 and toks[k].kind == "w" and _POSSESSIVE_S.search(toks[k].text)
    if possessive and toks[k].low not in _CONTRACTED_SUBJECTS:
        return False  # "Trump’s call", "the ministry’s claim"; not "he’s said" ("he has said")
    if low == "said" and ((prev == "that" and nxt == ",") or prev == "being"):
        return False  # "That said, ...", "That being said, ..."
    if low == "told" and prev == "all" and nxt == ",":
        return False  # "All told, …": in all
    return _frame_fits(toks, i, k) and not _is_passive(toks, i)


#: The past and -s forms of the verb table ("said", "claims"): after "that" no noun takes them.
_FINITE_FORMS = frozenset(
    form
    for lemma, forms, _tags in verb_rows()
    for form in forms
    if form != lemma and not form.endswith("ing")
)


def _relative_that(toks: list[Token], i: int, k: int) -> bool:
    """ "a blog post that said customers …", "a magazine that claimed the vote …": "that" after a noun
    phrase and before a past or -s form is the relative clause's subject, not a demonstrative
    ("that claim"). The noun phrase must open with a determiner or a preposition and hold no verb
    ("found that added costs …", "they report that …": the complementiser and an adjective); a
    form that is also a noun ("that claims", "that feared") and "That said, …" are left out."""
    low = toks[i].low
    if word_at(toks, k) != "that" or low in NOUNISH or word_at(toks, i + 1) == ",":
        return False
    if low not in _FINITE_FORMS:
        return False
    head = toks[k - 1] if k >= 1 else None
    if head is None or head.kind != "w" or not _speaking_head(head):
        return False  # "an assault that threatened to …", "testimony that concluded …"
    for m in range(k - 1, max(-1, k - 6), -1):
        tok = toks[m]
        if tok.kind != "w":
            return False
        if m < k - 1 and tok.low in DETERMINER_LIKE:
            return True
        if _verb_like(tok):
            return False
    return False


#: Nouns that can speak or carry words: documents, organisations, roles and occupations.
_SPEAKING_HEADS = DOCUMENT_NOUNS | ORG_WORDS | ORG_DESCRIPTORS | ROLE_WORDS | words("occupations")


def _speaking_head(tok: Token) -> bool:
    """Can this noun say something ("a post", "the magazine", "retailers", "Reuters")?"""
    return tok.text[0].isupper() or tok.low in _SPEAKING_HEADS or tok.low.removesuffix("s") in _SPEAKING_HEADS


def _verb_like(tok: Token) -> bool:
    """Can this word be a verb before "that" (a complementiser follows verbs, a relative nouns)?"""
    low = tok.low
    said = (low in SAY_VERBS or low in LABEL_VERBS) and low not in DOCUMENT_NOUNS
    finite = low in IRREGULAR_PAST or low in BE or low in AUX or low.endswith("ed")
    return said or finite or low in STANCE_ADJECTIVES


def _opens_inversion(toks: list[Token], i: int) -> bool:
    """ "Said the mayor: “…”": a verb of saying opening the sentence, a short lower-case phrase
    (an article and a role), then a comma or colon and the quotation, is the cue of an inverted
    report. Not before a capital ("Said Comey, “…”"): the article's name runs would read the verb
    as part of the name and make "Said Comey" the speaker."""
    if i != 0 or toks[i].low not in SAY_VERBS or len(toks) < 2 or not toks[1].text[:1].islower():
        return False
    for m in range(i + 1, min(len(toks) - 1, i + 8)):
        if toks[m].text in {",", ":"}:
            return m > i + 1 and toks[m + 1].kind == "q"
        if toks[m].kind != "w":
            return False
    return False


def _frame_fits(toks: list[Token], i: int, k: int) -> bool:
    """Does the verb at ``i`` have the words its reporting sense needs ("pointed out", "weighed in",
    "referred to", "sees X as", "the statement read")? ``k`` is the word before it, adverbs skipped."""
    low = toks[i].low
    prev, nxt = word_at(toks, k), word_at(toks, i + 1)
    if nxt == "by" and low.endswith("ed"):
        return False  # "the $20 reportedly demanded by Ferro"
    particle = PARTICLES.get(low)
    if particle is not None and nxt != particle.word:
        return False  # "pointed at", "weighed 80 kilos"
    if low in _READ:  # "the statement read" (a document speaks), not "a sign reads"
        near = {toks[m].low for m in range(max(0, i - 2), min(len(toks), i + 3)) if m != i}
        if not near & DOCUMENT_NOUNS:
            return False
    if low in _ADD and nxt == "to" and word_at(toks, i + 2) not in _LISTENERS:
        return False  # "adding to a mounting series of problems": increase, not speech
    if low in {"call", "calls"} and not (
        prev in SUBJECT_PRONOUNS or prev == "to" or (k >= 0 and toks[k].text[0].isupper())
    ):
        return False
    if low in AS_VERBS and "as" not in {word_at(toks, m) for m in range(i + 1, i + 8)}:
        return False
    # "a script called “Wild Rose”": a name, not a statement
    return not (low in _NAMING_VERBS and i + 1 < len(toks) and toks[i + 1].kind == "q")


def _as_source(toks: list[Token], k: int) -> bool:
    """ "As Emily Feng reports for NPR, …": a named source after "As" makes "reports" a verb."""
    m = k
    while m >= 0 and toks[m].kind == "w" and toks[m].text[0].isupper() and toks[m].low != "as" and k - m < 5:
        m -= 1
    return m < k and m >= 0 and toks[m].low == "as" and (m == 0 or toks[m - 1].kind == "p")


def _nounish_verb(toks: list[Token], i: int, k: int) -> bool:
    """ "the company claims its prices ..." is a verb; "raised fears that", "Syrian claims are" are nouns.

    "he vows to …" and the plain forms ("allies fear the …", "observers note the …") are verbs only
    after a subject they agree with: a pronoun, a quantifier, a name or a noun of the right number.
    """
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    after = toks[i + 2] if i + 2 < len(toks) else None
    verb_after = after is not None and (
        after.kind == "q" or (after.text[0].islower() and after.low not in DETERMINER_LIKE)
    )
    infinitive = nxt is not None and nxt.low == "to" and verb_after
    particle = PARTICLES.get(toks[i].low)
    if particle is not None and word_at(toks, i + 1) == particle.word and word_at(toks, i + 2) == "that":
        return _agrees(toks, i, k)  # "De Miranda points out that …": "that" after the particle
    if (nxt is None or nxt.text in _SENTENCE_END) and _closing_subject(toks, k):
        return _agrees(toks, i, k)  # "…, de Miranda notes.": the report closes the sentence
    quoted = nxt is not None and nxt.text in {",", ":"} and i + 2 < len(toks) and toks[i + 2].kind == "q"
    if quoted and _source_word(toks, k):
        return _agrees(toks, i, k)  # "Emery states, “…”", "the report notes: “…”"
    if nxt is not None and nxt.low in FINITE_HINTS and _relative_subject(toks, k):
        return _agrees(toks, i, k)  # "which Nissan claims is a 20% improvement": the predicate follows
    if nxt is None or not (nxt.low in CLAUSE_OPENERS or nxt.text[0].isupper() or infinitive):
        return False
    if k >= 0 and (toks[k].kind == "q" or toks[k].text == ",") and nxt.text[0].isupper():
        return True  # "“…,” comments Robin Biesbroek"
    if k < 0 or toks[k].kind != "w":
        return False
    prev = toks[k].low
    if prev.endswith(("ed", "ing")) or prev in BE or prev in AUX:
        return False
    return _agrees(toks, i, k) if infinitive or not toks[i].low.endswith("s") else True


def _relative_subject(toks: list[Token], k: int) -> bool:
    """Is word ``k`` the subject of a relative clause opened by "which" ("which Nissan", "which he")? It
    reports a predicate of the antecedent: "which Nissan claims is …" has no noun "claims"."""
    if k < 1 or toks[k].kind != "w":
        return False
    m = k
    if toks[k].low in SUBJECT_PRONOUNS:
        m = k - 1
    else:
        while m >= 0 and k - m < 4 and toks[m].kind == "w" and toks[m].text[0].isupper():
            m -= 1
    return m >= 0 and m < k and toks[m].low == "which"


def comma_token(tok: Token) -> bool:
    """A comma, or a quotation whose last word carries the comma inside its closing mark ("“…,”"):
    either way a comma ends the phrase before it, which the cue, speaker and content tests read."""
    return tok.text == "," or (tok.kind == "q" and tok.text.rstrip("”\"’'").endswith(","))


def _closing_subject(toks: list[Token], k: int) -> bool:
    """Is the phrase ending at ``k`` a short subject right after a comma or a quotation closed by
    one ("…, de Miranda", "“…,” she", "…, the report")? Then a present form in -s after it that
    ends the sentence is a verb closing a report, where "read from her notes." or "rejected the
    insurance claims." are nouns: a comma never stands between a noun and the words that modify it."""
    m = k
    while m >= 0 and k - m < 4 and toks[m].kind == "w":
        m -= 1
    if m < 0 or m == k or not comma_token(toks[m]):
        return False  # "…, she notes." or "“…,” she notes."
    subject = toks[m + 1 : k + 1]
    if len(subject) == 1 and subject[0].low in SUBJECT_PRONOUNS:
        return True
    if subject[0].low in ARTICLES_DEMONSTRATIVES:
        return len(subject) <= 3 and all(t.text[0].islower() for t in subject)
    return subject[-1].text[0].isupper() and all(
        t.text[0].isupper() or t.low in NAME_PARTICLES for t in subject
    )


def _source_word(toks: list[Token], k: int) -> bool:
    """Can word ``k`` end a source's name ("Emery", "she", "the report") before a quotation? A plain
    noun ("the new claims, “…”") cannot: the quotation would be its apposition."""
    if k < 0 or toks[k].kind != "w":
        return False
    if toks[k].low in SUBJECT_PRONOUNS or toks[k].text[0].isupper():
        return True
    return toks[k].low in DOCUMENT_NOUNS and word_at(toks, k - 1) in ARTICLES_DEMONSTRATIVES


_SINGULAR_SUBJECTS = word_set("singular-subjects")
_PLURAL_SUBJECTS = word_set("plural-subjects") | words("quantifiers")


def _agrees(toks: list[Token], i: int, k: int) -> bool:
    """Is word ``k`` a subject that the present-tense form at ``i`` agrees with ("he vows",
    "Democrats fear", "the company promises"), not a noun it modifies ("campaign promises")?"""
    prev = toks[k]
    low = prev.low
    plural = low.endswith("s") and not low.endswith(SINGULAR_S_ENDINGS) and low not in ADVERBS
    if not toks[i].low.endswith("s"):
        return low in _PLURAL_SUBJECTS or plural
    if low in _SINGULAR_SUBJECTS:
        return True
    return not plural and (prev.text[0].isupper() or word_at(toks, k - 1) in ARTICLES_DEMONSTRATIVES)


def _is_passive(toks: list[Token], i: int) -> bool:
    """ "was announced", "are believed to", "has been accused": agentless, so no speaker."""
    k = i - 1
    while k >= 0 and toks[k].low in ADVERBS:
        k -= 1
    if k >= 0 and toks[k].low in BE:
        return not toks[i].low.endswith("ing")  # "are alleging" is active, "was announced" passive
    if toks[i].low.endswith("ed") and k >= 0 and toks[k].low in {"then", "and", ",", "also"}:
        for m in range(i + 1, min(len(toks), i + 10)):  # "has been studied, then recommended … by X"
            if toks[m].low == "by":
                return True
            if toks[m].low in BE or toks[m].low in AUX or toks[m].text in {".", ";", ","}:
                break
    return False


def stance_cue(toks: list[Token], i: int) -> bool:
    """ "are adamant that", "is convinced that", "are of the view that": a stance with a content clause.
    An adjective may take its clause without "that" ("is concerned the laws would …"), not a noun
    phrase or a preposition ("is concerned about the laws", "are worried about the number of
    militants who may have …": "about" opens no quantity here)."""
    that = word_at(toks, i + 1) == "that"
    if toks[i].low in STANCE_NOUNS:
        view = word_at(toks, i - 1) == "the" and word_at(toks, i - 2) == "of" and word_at(toks, i - 3) in BE
        return that and view
    if toks[i].low not in STANCE_ADJECTIVES or word_at(toks, i - 1) not in BE:
        return False
    if that:
        return True
    return word_at(toks, i + 1) not in PREPOSITIONS and looks_like_clause(toks, i + 1, len(toks))


#: Every word one of the tests below can take for a cue: a cheap first test for every token.
_CUE_WORDS = SAY_VERBS | LABEL_VERBS | STANCE_NOUNS | STANCE_ADJECTIVES | {"according", "per"}


def find_cues(toks: list[Token]) -> list[int]:
    """The reporting cues of a sentence, by token index. Every sentence is searched and few words
    can be cues, so the words are first filtered by the word list in one comprehension."""
    cues = []
    for i in [i for i, tok in enumerate(toks) if tok.low in _CUE_WORDS]:
        tok = toks[i]
        if tok.kind != "w":
            continue
        according = (tok.low == "according" and word_at(toks, i + 1) == "to") or _per_cue(toks, i)
        if according or is_cue(toks, i) or stance_cue(toks, i):
            cues.append(i)
    return cues


def _per_cue(toks: list[Token], i: int) -> bool:
    """ "Yersinia pestis, per the WHO, is …" / "…, per Feng.": "per" naming a source, not a rate."""
    if toks[i].text != "per" or (i > 0 and toks[i - 1].text != ","):
        return False
    k = i + 2 if word_at(toks, i + 1) == "the" else i + 1
    return k < len(toks) and toks[k].kind == "w" and toks[k].text[0].isupper()
