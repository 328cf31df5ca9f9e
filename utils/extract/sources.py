"""Source resolution per cue: the ``Skeleton`` of speaker side, speaker phrase and content.

For each cue the speaker is found on the left, the right, elided ("…, saying"), in a relative
clause or after "by"; this stage does not resolve the phrase to a person (coreference does).
"""

from __future__ import annotations

from dataclasses import dataclass

from utils.extract.complements import looks_like_clause, object_then_infinitive, past_form, right_content
from utils.extract.cues import comma_token, is_cue
from utils.extract.lexicon import word_set, words
from utils.extract.mentions import analyse_np
from utils.extract.phrases import (
    np_left,
    np_left_plain,
    np_right,
    np_word,
    skip_intro,
    skip_left,
    span_text,
    time_tail,
    verbish,
)
from utils.extract.rules import Pattern
from utils.extract.text import Token, word_at
from utils.extract.vocab import (
    ADVERBS,
    AUX,
    BE,
    CLAUSE_STOP,
    CONTROL_VERBS,
    COORD,
    DETERMINER_LIKE,
    INFINITIVE_CUES,
    ING_NOUNS,
    INTRO_WORDS,
    IRREGULAR_PAST,
    LABEL_VERBS,
    LEADING_CONJUNCTIONS,
    PREPOSITIONS,
    REFUSALS,
    RELATIVE_WORDS,
    SAY_VERBS,
    STANCE_ADJECTIVES,
    STANCE_NOUNS,
    SUBJECT_PRONOUNS,
    SUBORDINATORS,
    TIME_WORDS,
)


@dataclass
class Skeleton:
    """Where a cue's speaker sits, before contents are assigned."""

    cue_index: int
    cue: str
    region: tuple[int, int]  # tokens taken by the attribution itself
    speaker_np: tuple[int, int] | None
    apposition: str
    side: str  # "left" (X said), "right" (said X), "elided" (", saying"), "according"
    cuts_before: bool = False  # a later cue of this kind ends an earlier cue's content
    relative: bool = False  # "who said ...": reports only to its right
    points_left: bool = False  # set by plan_contents: the cue reports the text before it
    absorbed: bool = False  # "she said she did X, and thinks Y": part of an earlier report
    right: tuple[int, int] = (0, 0)  # right content span (may be empty)
    left: tuple[int, int] = (0, 0)  # left content span (may be empty)
    strong: bool = False
    rule: Pattern | None = None  # the pattern that placed the speaker (the first half of a row's ``rule``)


_IMPERSONAL = words("impersonal-adjectives")
#: Nouns that "suggest" or "indicate" without being a source ("evidence suggesting that …").
_SPEAKERLESS_NOUNS = words("speakerless-nouns")


_REFUSALS_IMPERSONAL = REFUSALS | _IMPERSONAL  # made once, not per call


def find_skeleton(
    text: str, toks: list[Token], i: int, subject: tuple[tuple[int, int], str] | None
) -> Skeleton | None:
    """Locate the speaker of cue ``i`` and the tokens the attribution occupies.

    The patterns are tried in order: "according to X"; the cue's own position (negated,
    infinitive, a listener made to speak); an elided speaker (", saying", "and said"); a relative
    clause ("who said"); a phrase on the left ("Ryan said"); and otherwise a phrase on the right
    ("said Ryan").
    """
    low = toks[i].low
    if low.endswith("ing") and word_at(toks, i - 1) in _SPEAKERLESS_NOUNS:
        return None  # "conspiracy theories suggesting he was murdered": nobody is speaking
    if low in {"according", "per"}:
        return _according(text, toks, i)
    j = _left_of_cue(toks, i)
    prev = word_at(toks, j)
    participle = low.endswith("ing")
    if prev == "to" and (low not in INFINITIVE_CUES or word_at(toks, j - 1) in _REFUSALS_IMPERSONAL):
        return None  # "declined to say", "it is too early to tell"
    if prev == "to" and j > 1:
        listener = np_left_plain(toks, j - 1)
        if listener and listener[0] > 0 and toks[listener[0] - 1].low in CONTROL_VERBS:
            return Skeleton(i, low, (listener[0], i + 1), listener, "", "left", rule=Pattern.LISTENER)
    if any(t.low in {"not", "never"} or t.low.endswith(("n’t", "n't")) for t in toks[max(j, 0) : i]):
        return None  # "did not say", "wouldn’t comment"
    if (
        prev in COORD
        or prev == "to"
        or (
            participle
            and (j < 0 or toks[j].kind != "w" or prev in PREPOSITIONS or _mid_subordinator(toks, i, j))
        )
    ):
        return _elided(text, toks, i, j, subject)
    if prev in RELATIVE_WORDS and j > 0:
        return _relative(text, toks, i, j)
    if j >= 0 and toks[j].kind == "w":
        return _left_phrase(text, toks, i, j, subject)
    return (
        _left_after_punctuation(text, toks, i, j)
        or _left_over_aside(text, toks, i, j)
        or _right_phrase(text, toks, i, j, subject)
    )


def _mid_subordinator(toks: list[Token], i: int, j: int) -> bool:
    """ "…, while saying that …", "while claiming they don't need to": a conjunction inside the
    sentence before a participle that reports a clause leaves it the main clause's subject. At the
    start ("While saying that X, Roe …") the content would have to stop at the main clause, which the
    content planner does not do; "while threatening to kill", "while encouraging suppliers to be
    cleaner", "such as suggesting a lane change" report no clause: no row for any of them."""
    if j <= 0 or toks[j].low not in SUBORDINATORS_NOT_AS:
        return False
    if word_at(toks, i + 1) == "that":
        return True
    return looks_like_clause(toks, i + 1, len(toks)) and not object_then_infinitive(toks, i, len(toks))


#: "such as suggesting …" is an example, not a report; "As Gupta noted, …" reports the main clause.
SUBORDINATORS_NOT_AS = SUBORDINATORS - {"as"}


def _according(text: str, toks: list[Token], i: int) -> Skeleton | None:
    """ "according to X", "per X": the source follows."""
    at = i + 2 if toks[i].low == "according" else i + 1
    if word_at(toks, at) in _NOT_SOURCES and not toks[at].text.isupper():
        return None  # "priced according to how expensive they were", "according to plan"
    found = np_right(text, toks, at, keep_rest=i == _skip_intro_according(toks), source=True)
    if found is None:
        return None
    span, appos, end = found
    span, appos = _by_agent(text, toks, span, appos)
    span = (span[0], time_tail(toks, *span))  # "according to a poll released Thursday"
    return Skeleton(
        i, "according to", (i, end), span, appos, "according", cuts_before=True, rule=Pattern.ACCORDING
    )


def _left_of_cue(toks: list[Token], i: int) -> int:
    """The token before cue ``i`` once auxiliaries, adverbs and stance frames are skipped."""
    low = toks[i].low
    j = skip_left(toks, i - 1)
    if low.endswith("ing") and word_at(toks, j) in BE:
        j = skip_left(toks, j - 1)  # "The Democrats are alleging that …"
    if low in STANCE_NOUNS and word_at(toks, i + 1) == "that" and word_at(toks, i - 1) == "the":
        j = skip_left(toks, i - 4)  # "Experts are of the view that …"
    elif low in STANCE_ADJECTIVES:
        j = skip_left(toks, j - 1) if word_at(toks, j) in BE else j
    return j


def _elided(
    text: str, toks: list[Token], i: int, j: int, subject: tuple[tuple[int, int], str] | None
) -> Skeleton:
    """ "…, saying", "and said", "to say": the speaker is the clause's subject."""
    prev = word_at(toks, j)
    participle = toks[i].low.endswith("ing")
    start = j - 1 if prev in COORD and word_at(toks, j - 1) == "," else j
    span, appos = subject if subject else (None, "")
    reported = any(is_cue(toks, m) and toks[m].low in SAY_VERBS for m in range(j))
    if prev in COORD or (participle and prev == "," and not reported):
        local = _clause_subject(text, toks, j)  # "…, after Swift scolded X, accusing Y"
        span, appos = local if local else (span, appos)
    cuts = prev in COORD or (participle and prev == ",")
    return Skeleton(
        i, toks[i].low, (max(start, 0), i + 1), span, appos, "elided", cuts_before=cuts, rule=Pattern.ELIDED
    )


def _relative(text: str, toks: list[Token], i: int, j: int) -> Skeleton | None:
    """ "X, who said …", "which Bezos said": the antecedent is the speaker."""
    prev = word_at(toks, j)
    ante = j - 1
    ante = ante - 1 if toks[ante].text == "," else ante
    found_left = np_left(text, toks, ante) if ante >= 0 else None
    if found_left is None:
        return None
    span = found_left[0]
    while span[1] - span[0] > 1 and toks[span[0]].low in PREPOSITIONS:
        span = (span[0] + 1, span[1])  # "that of the committee members, who …": the members
    if prev == "which":  # "a lawsuit with ZeniMax Media, which accuses": the nearest named phrase
        cut = max(
            (m for m in range(span[0], span[1] - 1) if toks[m].low in PREPOSITIONS - {"of"}), default=-1
        )
        if cut >= 0 and toks[cut + 1].text[:1].isupper():
            span = (cut + 1, span[1])
    return Skeleton(
        i, toks[i].low, (j, i + 1), span, found_left[1], "left", relative=True, rule=Pattern.RELATIVE
    )


def _left_phrase(
    text: str, toks: list[Token], i: int, j: int, subject: tuple[tuple[int, int], str] | None
) -> Skeleton | None:
    """ "Ryan said", "Ryan, a retired general, said": the phrase ending at word ``j``."""
    if toks[j].low in DETERMINER_LIKE or toks[j].low in PREPOSITIONS:
        return None
    found_left = np_left(text, toks, j)
    if found_left is None:
        return None
    kind = analyse_np(span_text(text, toks, *found_left[0])).kind
    a0 = found_left[0][0]
    if a0 > 0 and toks[a0 - 1].low in {"what", "whatever"} and toks[i].low not in LABEL_VERBS:
        return None  # "what she truly believes remains a mystery": the cue's object is "what"
    in_pp = toks[a0].low in PREPOSITIONS or (a0 > 0 and toks[a0 - 1].low in PREPOSITIONS - {"with"})
    if toks[i].low.endswith("ing") and subject and (kind == "group" or in_pp):
        # "Swift posted on Twitter accusing X": the phrase before the participle is an adjunct
        return Skeleton(i, toks[i].low, (i, i + 1), subject[0], subject[1], "elided", rule=Pattern.PARTICIPLE)
    head = _subject_head(toks, i, found_left[2]) if kind not in {"person", "short", "org"} else None
    if head is not None and not toks[i].low.endswith("ing"):
        return Skeleton(i, toks[i].low, (head[0], i + 1), head, "", "left", rule=Pattern.LEFT_LONG_SUBJECT)
    if kind == "group" and _object_position(toks, found_left[2]):
        return None  # "they had 18 times the number of cells previously reported"
    return Skeleton(
        i, toks[i].low, (found_left[2], i + 1), found_left[0], found_left[1], "left", rule=Pattern.LEFT
    )


#: "Anyone who has closed a deal will tell you …": nobody in particular.
_INDEFINITE_PRONOUNS = word_set("indefinite-pronouns")


_COORD_LEADING = COORD | LEADING_CONJUNCTIONS  # made once, not per call
_PREPOSITIONS_INTRO = PREPOSITIONS | INTRO_WORDS  # made once, not per call


def _subject_head(toks: list[Token], i: int, a0: int) -> tuple[int, int] | None:
    """ "a White House official who spoke anonymously to discuss strategy said", "Democrats trying
    to regain the Senate say": the head of a subject that a relative clause, a participle or an
    infinitive runs on from, when the phrase found next to the cue (at ``a0``) is only its tail.
    ``i`` is the cue, or the start of an aside before it."""
    k = skip_intro(toks)
    if k >= a0:  # "But research to be released …": a lower-case subject after a conjunction
        k = next((m for m, t in enumerate(toks) if t.low not in _COORD_LEADING), a0)
    if not k < a0 < i or toks[k].low in _PREPOSITIONS_INTRO or toks[a0].low in SUBJECT_PRONOUNS:
        return None  # a pronoun is a subject of its own ("what it calls …")
    if any(t.kind != "w" and t.text not in {"’", "'", "-"} for t in toks[k:i]):
        return None  # no plain run of words from the clause's start to the cue
    if any(t.text[0].islower() and (t.low in SAY_VERBS or t.low in LABEL_VERBS) for t in toks[k:i]):
        return None  # another report on the way ("He told reporters the men who …")
    m = k
    while m < a0 and np_word(toks, m) and not verbish(toks, m) and not _runs_on(toks, m):
        m += 1
    if m == k or m >= a0 or not _runs_on(toks, m) or toks[k].low in SUBJECT_PRONOUNS:
        return None
    if toks[m - 1].low in DETERMINER_LIKE:
        return None  # "The ongoing battle": an adjective in -ing, not a participle running on
    if m - k == 1 and toks[k].low in _INDEFINITE_PRONOUNS:
        return None  # "Anyone who has closed a deal will tell you …": nobody in particular
    return (k, m)


def _runs_on(toks: list[Token], m: int) -> bool:
    """Does a relative clause, a participle or an infinitive start at ``m`` ("who", "trying", "to be")?"""
    tok = toks[m]
    if tok.low in RELATIVE_WORDS:
        return True
    if tok.low == "to":
        nxt = toks[m + 1] if m + 1 < len(toks) else None
        verb = nxt is not None and nxt.kind == "w" and nxt.text[0].islower()
        plural = verb and nxt.low.endswith("s") and not nxt.low.endswith("ss")  # "to bondholders"
        return verb and not plural and nxt.low not in DETERMINER_LIKE
    if _past_participle_phrase(toks, m):
        return True
    return tok.low.endswith("ing") and tok.text[0].islower() and tok.low not in ING_NOUNS


def _past_participle_phrase(toks: list[Token], m: int) -> bool:
    """ "People briefed on the talks say", "Voters interviewed at the rally said": a lower-case past
    participle right after the head and before its preposition modifies the head; the clause's
    finite verb is the cue further on. "Oil dropped after sources told": a word that can open a
    clause ("after", "since") makes the "-ed" word finite and the phrase after it the cue's subject."""
    tok = toks[m]
    if m == 0 or not past_form(tok):
        return False
    nxt = word_at(toks, m + 1)
    after_noun = toks[m - 1].kind == "w" and np_word(toks, m - 1)
    return nxt in PREPOSITIONS and nxt not in SUBORDINATORS and after_noun


def _left_after_punctuation(text: str, toks: list[Token], i: int, j: int) -> Skeleton | None:
    """A phrase before a comma, or before a dashed aside ("Andy Beshear — whose father … — promised")."""
    found_left = None
    if j >= 0 and toks[j].text == ",":
        found_left = np_left(text, toks, j)
    elif j >= 2 and toks[j].text in {"—", "–"}:
        d = next((m for m in range(j - 1, max(-1, j - 40), -1) if toks[m].text == toks[j].text), -1)
        if d > 0 and toks[d - 1].kind == "w" and toks[d - 1].text[0].isupper():
            found_left = np_left(text, toks, d - 1)
    if found_left is None:
        return None
    return Skeleton(i, toks[i].low, (found_left[2], i + 1), *found_left[:2], "left", rule=Pattern.LEFT_ASIDE)


def _aside_open(toks: list[Token], end: int) -> int:
    """The token before an aside that ends at ``end``: "(R-Texas)", ", who has endorsed Clinton,"
    or ", in a statement on Thursday,"; -1 when ``end`` closes no aside."""
    closer = toks[end]
    if closer.text == ")":
        m = end - 1
        while m > 0 and end - m < 30 and toks[m].text not in {"(", ")"}:
            m -= 1
        return m - 1 if m > 0 and m < end - 1 and toks[m].text == "(" else -1
    width = _dash(toks, end)
    if width:  # "The justice — who has been in a scuffle — said"
        m = end - width
        while m > 0 and end - m < 40 and toks[m].kind != "q" and toks[m].text not in {";", ":", "."}:
            opening = _dash(toks, m)
            if opening:
                return m - opening if m - opening < end - width else -1
            m -= 1
        return -1
    if not comma_token(closer):
        return -1
    quoted_comma = closer.kind == "q"  # the comma inside a closing mark ("“…,”")
    m = end - 1
    while m > 0 and end - m < 40:
        tok = toks[m]
        if tok.text == ")":
            m = _aside_open(toks, m)  # a bracket inside the aside ("(D-Mo.), who …,")
            continue
        if tok.text == ",":
            return m - 1 if m < end - 1 else -1
        if tok.text in {";", ":", ".", "—", "–", "("} or (tok.kind == "q" and m < end - 1 and quoted_comma):
            return -1
        m -= 1
    return -1


def _dash(toks: list[Token], k: int) -> int:
    """Tokens the dash ending at ``k`` takes: "—" or "–" (1), "--" (2), a spaced "-" (1); 0 if none."""
    tok = toks[k]
    if tok.text in {"—", "–"}:
        return 1
    if tok.text != "-" or k == 0 or k + 1 >= len(toks):
        return 0
    if toks[k - 1].text == "-" and toks[k - 1].end == tok.start:
        return 2
    return int(toks[k - 1].end < tok.start and tok.end < toks[k + 1].start)


def _left_over_aside(text: str, toks: list[Token], i: int, j: int) -> Skeleton | None:
    """ "McConnell (R-Ky.) said that …", "Priebus, in the wake of a poll, told Fox News that …":
    an aside (brackets, or commas around words that are no apposition) between the subject that
    opens the clause and its cue; the cue's complement is the content, not its speaker."""
    if j < 1:
        return None
    end, asides = j, 0
    while asides < 3 and end >= 1 and toks[end].kind != "w":
        end = _aside_open(toks, end)
        asides += 1
        if end < 0:
            return None
    if toks[end].kind != "w":
        return None
    if toks[end].low in {"who", "which"} and end > 0:
        relative = _relative(text, toks, i, end)  # "…, who, on a press call Friday, criticized X"
        if relative is not None:
            relative.rule = Pattern.RELATIVE_PAST_ASIDE
        return relative
    short_bracket = toks[j].text == ")" and j - end <= 7  # "(R-Texas)", "(a Democrat)"
    if not short_bracket and not _clause_follows(text, toks, i):
        return None
    found_left = np_left(text, toks, end)
    if found_left is None:
        return None
    span = found_left[0]
    a0 = found_left[2]
    if not short_bracket and not _opens_clause(toks, a0):
        head = _subject_head(toks, end + 1, a0)  # "some voters who have listened to X, on TV, said"
        if head is None:
            return None
        return Skeleton(i, toks[i].low, (head[0], i + 1), head, "", "left", rule=Pattern.LEFT_LONG_SUBJECT)
    return Skeleton(i, toks[i].low, (a0, i + 1), span, found_left[1], "left", rule=Pattern.LEFT_PAST_ASIDE)


_CLAUSE_OPENING = words("clause-opening")


_ADVERBS_COORD = ADVERBS | COORD  # made once, not per call
_BEFORE_A_CLAUSE = SUBORDINATORS | _CLAUSE_OPENING | COORD | {"where"}  # made once, not per call


def _opens_clause(toks: list[Token], a: int) -> bool:
    """Does the phrase at ``a`` open a clause (after introductory words, a conjunction, "where")?"""
    if a == skip_intro(toks) or all(t.low in _ADVERBS_COORD for t in toks[:a]):
        return True  # "Even Laura Diaz, …, said"
    return toks[a - 1].low in _BEFORE_A_CLAUSE


def _clause_follows(text: str, toks: list[Token], i: int) -> bool:
    """Is the complement of cue ``i`` a content clause ("said he would", "told Fox News that")
    rather than an inverted speaker ("…, said Ryan.", "…, said Ryan, a …")?"""
    start, strong = right_content(toks, i, len(toks))
    if strong or looks_like_clause(toks, start, len(toks)):
        return True
    found = np_right(text, toks, i + 1)
    if found is None:
        return True
    end = found[2]
    return end < len(toks) and (toks[end].kind == "q" or toks[end].kind == "w")


def _right_phrase(
    text: str, toks: list[Token], i: int, j: int, subject: tuple[tuple[int, int], str] | None
) -> Skeleton | None:
    """ "said Ryan, a …": the phrase after the cue; failing that, a list of predicates."""
    found = np_right(text, toks, i + 1)
    if found is None:
        if j >= 0 and toks[j].text == "," and subject and toks[i].low.endswith("ed"):
            # "he asked about X, called Omar a “terrorist” and said": a list of predicates
            span, appos = subject
            low = toks[i].low
            return Skeleton(
                i, low, (j, i + 1), span, appos, "elided", cuts_before=True, rule=Pattern.PREDICATES
            )
        return None
    span, appos, end = found
    start, strong = right_content(toks, i, len(toks))
    name = start < len(toks) and toks[start].text[0].isupper() and toks[start].low in AUX  # "said Will Ames"
    if _finite_after(toks, end) or strong or (looks_like_clause(toks, start, len(toks)) and not name):
        # "X, a strategist whose agency made the ads, said its main goal was …", "X, appearing on
        # TV, said Obama failed …": the phrase after the cue is the content's subject, so the
        # speaker is the sentence's subject before the cue
        if subject is None or subject[0][1] > i or subject[0][0] != skip_intro(toks):
            return None
        region = (subject[0][0], i + 1)
        return Skeleton(
            i, toks[i].low, region, subject[0], subject[1], "left", rule=Pattern.SUBJECT_BEFORE_CLAUSE
        )
    return Skeleton(i, toks[i].low, (i, end), span, appos, "right", cuts_before=True, rule=Pattern.RIGHT)


def _finite_after(toks: list[Token], end: int) -> bool:
    """Does a finite verb follow the phrase ending before ``end`` ("said its main goal was")?"""
    if end >= len(toks) or toks[end].kind != "w" or not toks[end].text[0].islower():
        return False
    low = toks[end].low
    return low in BE or low in AUX or low in IRREGULAR_PAST or verbish(toks, end)


_NOT_SOURCES = words("not-sources")


def _skip_intro_according(toks: list[Token]) -> int:
    """Position an opening "According to" would have (after a leading conjunction)."""
    k = 0
    while k < len(toks) and toks[k].low in LEADING_CONJUNCTIONS:
        k += 1
    return k


_QUANTIFIER_WORDS = words("quantifiers")
#: Lower-case words that may stand before a subject (not a verb whose object the phrase would be).
_BEFORE_A_SUBJECT = (
    COORD | INTRO_WORDS | CLAUSE_STOP | TIME_WORDS | PREPOSITIONS | ADVERBS | _QUANTIFIER_WORDS
)


def _object_position(toks: list[Token], start: int) -> bool:
    """Does a noun phrase starting at ``start`` follow a verb, i.e. is it an object, not a subject?"""
    if start <= 0:
        return False
    before = toks[start - 1]
    if before.kind != "w" or not before.text[0].islower():
        return False
    low = before.low
    return low not in _BEFORE_A_SUBJECT and not low.endswith("ly")


_CLAUSE_OPENING_AND = _CLAUSE_OPENING | {"and", "yet"}  # made once, not per call


def _clause_subject(text: str, toks: list[Token], conj: int) -> tuple[tuple[int, int], str] | None:
    """Subject of the clause a coordinated cue continues: "…, while the police deny X and say Y"."""
    b = conj - 1
    while b >= 0 and not (toks[b].text in {",", ";", "—"} or toks[b].low in _CLAUSE_OPENING):
        b -= 1
    if b < 0:
        return None
    k = b + 1
    while k < conj and toks[k].low in _CLAUSE_OPENING_AND:
        k += 1
    first = toks[k] if k < conj else None
    past = first is not None and (first.low.endswith("ed") or first.low in IRREGULAR_PAST)
    if first is None or (past and first.text[0].islower()):
        return None  # "…, compared her to X, telling her …": a predicate, the clause has no subject here
    m = k
    while m < conj and np_word(toks, m) and not verbish(toks, m) and toks[m].low not in CLAUSE_STOP:
        m += 1
    if m == k or m >= conj or not (toks[m].kind == "w" and toks[m].text[0].islower()):
        return None
    if analyse_np(span_text(text, toks, k, m)).kind == "group" and m - k == 1 and toks[k].text[0].islower():
        return None
    return (k, m), ""


def _by_agent(text: str, toks: list[Token], span: tuple[int, int], appos: str) -> tuple[tuple[int, int], str]:
    """ "according to a 2018 survey by Jane Doe" -> the author is the source, not the survey."""
    a, b = span
    for k in range(a, b):
        nxt = k + 2 if k + 2 < b and toks[k + 1].low == "the" else k + 1
        if toks[k].low in {"by", "from"} and nxt < b and toks[nxt].text[0].isupper():
            return (nxt, b), appos
    return span, appos
