"""Content resolution: which span of the sentence each cue reports.

Several cues in one sentence divide it between them (nested reports give one row per source),
and the content is cut at the boundaries of the reported clause.
"""

from __future__ import annotations

from utils.extract.complements import (
    QUANTITY_OPENERS,
    finite_verb,
    looks_like_clause,
    object_then_infinitive,
    past_form,
    right_content,
)
from utils.extract.cues import comma_token, stance_cue
from utils.extract.lexicon import lemma_forms, verb_forms, word_set, words
from utils.extract.phrases import NUMBER_WORDS, ly_adverb, skip_right
from utils.extract.sources import SUBORDINATORS_NOT_AS, Skeleton
from utils.extract.text import Token, word_at
from utils.extract.vocab import (
    ADVERBS,
    ARTICLES,
    ASK_VERBS,
    AUX,
    BE,
    CALL_FORMS,
    CLAUSE_SUBJECTS,
    COORD,
    DETERMINERS,
    FINITE_HINTS,
    IRREGULAR_PAST,
    LABEL_VERBS,
    LEADING_CONJUNCTIONS,
    NON_CONTENT,
    OBJECT_VERBS,
    PREPOSITIONS,
    QUESTION_WORDS,
    QUOTE_ONLY_VERBS,
    SAY_VERBS,
    STANCE_ADJECTIVES,
    STANCE_NOUNS,
    SUBJECT_PRONOUNS,
    SUBORDINATORS,
    TIME_WORDS,
    TRAILING_VERBS,
    WEAK_VERBS,
)


def piece_is_quotes(toks: list[Token], a: int, b: int) -> bool:
    """True when tokens [a, b) are quotations plus punctuation only (and at least one quote)."""
    has_quote = False
    for tok in toks[a:b]:
        if tok.kind == "q":
            has_quote = True
        elif tok.low not in NON_CONTENT:
            return False
    return has_quote


def _has_content(toks: list[Token], a: int, b: int) -> bool:
    return any(t.kind == "q" or t.low not in NON_CONTENT for t in toks[a:b])


#: ", but …", ", while …": a conjunction after a comma ends a content clause …
_CUT_CONJUNCTIONS = word_set("cut-conjunctions")
#: … but ", as well as", ", as long as" do not.
_AS_QUANTITIES = word_set("as-quantities")
#: A determiner after "and" + past tense opens the verb's object ("and returned the money"); "that"
#: is left out: "and predicted that …" goes on reporting.
_OBJECT_DETERMINERS = DETERMINERS - {"that"}


def _cut_end(toks: list[Token], a: int, b: int) -> int:
    """End of a content clause: stop at ", but", ";", ", as", ", while", ", though"."""
    infinitive = toks[a].low == "to"
    for k in range(a + 1, b):
        tok = toks[k]
        if (
            not infinitive
            and tok.low == "and"
            and any(t.low == "to" for t in toks[a : min(k, a + 5)])
            and word_at(toks, k + 1).endswith("ed")
            and word_at(toks, k + 2) in _OBJECT_DETERMINERS
        ):
            return k  # "asked the company to unwind X and returned the money": the asker's next act
        if (
            infinitive
            and tok.low == "and"
            and word_at(toks, k + 1).endswith("ed")
            and toks[k + 1].text.islower()
        ):
            return k  # "promised to protect X and hammered Y": the subject's next predicate
        outer_cue = k + 1 < b and toks[k + 1].low in SAY_VERBS and toks[k + 1].text.islower()
        if tok.text == "," and outer_cue and word_at(toks, k + 2) not in {"to", "by"}:
            return k  # "the source, who said he had spoken to them, told Reuters"
        if tok.text == ";":
            return k
        if tok.text == "," and word_at(toks, k + 1) == "and" and _bare_predicate(toks, k + 2):
            return k  # "insists the GOP must be a party of ideas, and has championed …": the speaker's act
        if tok.text in {"—", "–"} and word_at(toks, k + 1) == "but":
            return k  # "… in their release — but it’s impossible to know": the writer's comment
        if comma_token(tok) and k + 1 < b and toks[k + 1].low in _CUT_CONJUNCTIONS:
            if toks[k + 1].low == "as" and word_at(toks, k + 2) in _AS_QUANTITIES:
                continue
            if toks[k + 1].low == "but" and _second_that_clause(toks, k + 2):
                continue  # "said A, but that he would not B": one verb, two coordinated clauses
            return k if tok.text == "," else k + 1  # a comma inside a closing quote stays with it
    return b


_SUBJECT_OPENERS = CLAUSE_SUBJECTS | DETERMINERS  # made once, not per call
_PERFECT = frozenset({"has", "have", "had"})  # the perfect's auxiliary, a closed class


def _bare_predicate(toks: list[Token], m: int) -> bool:
    """After ", and": a perfect with no subject of its own ("has championed", "has also pushed")
    goes on the main clause (the speaker's next act), not the reported one. A simple past stays
    ("were quarantined, and displayed no symptoms": the same subject inside the content)."""
    if word_at(toks, m) not in _PERFECT:
        return False
    m += 1
    while m < len(toks) and toks[m].kind == "w" and toks[m].low in ADVERBS:
        m += 1
    if m >= len(toks) or toks[m].kind != "w" or not toks[m].text[0].islower():
        return False
    return toks[m].low.endswith("ed") or toks[m].low in IRREGULAR_PAST


def _second_that_clause(toks: list[Token], k: int) -> bool:
    """Is ``k`` a complementiser "that" opening a clause with its own subject ("but that he …",
    "but that the payments …")? "but that may be hard" is the writer's own clause."""
    if word_at(toks, k) != "that" or k + 1 >= len(toks):
        return False
    nxt = toks[k + 1]
    subject = nxt.low in _SUBJECT_OPENERS
    return subject or (nxt.kind == "w" and nxt.text[0].isupper())


def plan_contents(toks: list[Token], sks: list[Skeleton]) -> None:
    """Give each skeleton its right/left content spans.

    Pass 1 finds where each cue's own clause would start on the right. Pass 2 ends each right
    content at the next attribution that reports leftwards or starts a new coordinated clause,
    then gives leftward-reporting cues the text before them (nested reports keep the whole
    inner report: "Sondland said X, Morrison testified" gives Morrison "Sondland said X").
    Most sentences report nothing: they return at once.
    """
    if not sks:
        return
    raw = [_right_start(toks, sk) for sk in sks]
    for sk, start in zip(sks, raw, strict=True):
        sk.points_left = _points_left(toks, sk, start)
    _absorb_coordinated(toks, sks, raw)
    _absorb_conditions(toks, sks, raw)
    weak = [_weak_object(toks, sk, start) for sk, start in zip(sks, raw, strict=True)]
    for idx, sk in enumerate(sks):
        limit = _next_report(toks, sks, idx, raw[idx], weak)
        sk.right = (raw[idx], _right_end(toks, sk, raw[idx], limit))
    for idx, sk in enumerate(sks):
        sk.left = (_left_start(toks, sks, idx), sk.region[0])


def _right_start(toks: list[Token], sk: Skeleton) -> int:
    """Where the cue's own clause would start on its right, before any later cue is considered.

    A cue whose source follows it ("…, said the mayor, …", "according to X") reports from the end
    of the source; a cue after its speaker from its complement, marked strong where the start is
    sure ("said that …", "urged voters, “…”"), so that later steps need no clause to trust it.
    """
    n = len(toks)
    if sk.side not in {"left", "elided"}:
        start = sk.region[1]
        while start < n and toks[start].text in {",", ":"}:
            start += 1
        return start
    start, sk.strong = right_content(toks, sk.cue_index, n)
    comma = _as_clause_comma(toks, sk)
    if comma > 0:
        start, sk.strong = comma + 1, True  # "As Gupta noted at the time, CLAUSE"
    return start


def _weak_object(toks: list[Token], sk: Skeleton, start: int) -> bool:
    """ "announced a plan": a weak verb whose right side is no clause reports nothing there, so it
    does not end an earlier cue's content unless it reports leftwards."""
    return (
        sk.side == "left"
        and not sk.strong
        and sk.cue in WEAK_VERBS
        and not looks_like_clause(toks, start, len(toks))
    )


def _next_report(toks: list[Token], sks: list[Skeleton], idx: int, start: int, weak: list[bool]) -> int:
    """Where a later attribution takes over from cue ``idx``'s right content: one that reports
    leftwards or opens a new coordinated clause ("X said A, and Y told Z B"), else the sentence end.
    An absorbed cue is part of this content, and a weak one reports nothing of its own."""
    for k in range(idx + 1, len(sks)):
        later = sks[k]
        if (weak[k] and not later.points_left) or later.absorbed:
            continue
        if later.region[0] >= start and (later.points_left or _starts_new_clause(toks, later)):
            return later.region[0]
    return len(toks)


def _right_end(toks: list[Token], sk: Skeleton, start: int, limit: int) -> int:
    """The end of the right content before ``limit``: cut at the reported clause's own boundary,
    then at the comma closing an opening subordinate or relative clause the cue stands in."""
    end = _cut_end(toks, start, limit) if start < limit else start
    end = _opening_clause_end(toks, sk, start, end)
    return _relative_clause_end(toks, sk, start, end)


#: A content opening with one goes on about its speaker ("she said she did …, and thinks …").
_PERSON_SUBJECTS = CLAUSE_SUBJECTS - {"it"}


def _absorb_coordinated(toks: list[Token], sks: list[Skeleton], raw: list[int]) -> None:
    """ "She said she did not want to judge it, and thinks it could work": one report, not two.

    A coordinated reporting verb continues the reported clause when an earlier say-verb's content
    opens with a pronoun subject (the same person goes on thinking/saying). Label verbs ("and
    slammed the hearings as a “disgrace”") and requests ("claimed that they were treated well and
    asked their governments to help") stay separate acts of the main speaker.
    """
    for k, later in enumerate(sks):
        if later.side != "elided" or not later.cuts_before or later.cue not in SAY_VERBS:
            continue
        if later.cue in _BIDS and object_then_infinitive(toks, later.cue_index, len(toks)):
            continue
        if word_at(toks, later.region[0]) not in COORD and word_at(toks, later.region[0] + 1) not in COORD:
            continue
        for idx in range(k):
            earlier = sks[idx]
            opens = word_at(toks, raw[idx]) in _PERSON_SUBJECTS
            if (
                earlier.cue in SAY_VERBS
                and earlier.side in {"left", "elided"}
                and opens
                and raw[idx] < later.region[0]
            ):
                later.absorbed = True
                break


#: "said it depends on whether he believes X": a report under one belongs to the report before.
_CONDITION_WORDS = word_set("condition-words")


def _absorb_conditions(toks: list[Token], sks: list[Skeleton], raw: list[int]) -> None:
    """ "said it depends on whether he believes X"; "only if a doctor concludes X": a verb of saying
    or thinking under "whether"/"if" inside an earlier report is part of that report, not a new one."""
    for k, later in enumerate(sks):
        a = later.region[0]
        if k == 0 or later.side != "left" or word_at(toks, a - 1) not in _CONDITION_WORDS:
            continue
        if any(raw[m] < a and sks[m].side in {"left", "right", "elided"} for m in range(k)):
            later.absorbed = True


def _opening_clause_end(toks: list[Token], sk: Skeleton, start: int, end: int) -> int:
    """ "Before the examiner concluded that A, B …": a report inside an opening subordinate clause
    ends at the comma that closes the clause."""
    if _opening_subordinator(toks, sk) < 0:
        return end
    for k in range(start, end):
        if toks[k].kind == "q":
            return end
        if toks[k].text == ",":
            rest = [t for t in toks[k + 1 : end] if t.kind == "w"]
            return k if len(rest) >= 3 else end
    return end


def _opening_subordinator(toks: list[Token], sk: Skeleton) -> int:
    """The subordinator opening a clause the cue stands in that a main clause must follow, or -1.

    The clause opens the sentence ("Before the examiner concluded"), perhaps after conjunctions or
    a short time phrase ("And while he said", "Three years after Republicans vowed"), or a clause
    coordinated after a comma ("…, and while he said he'd hold a hearing, it's unlikely …"); a
    participle may follow the subordinator at once ("Since announcing that …, Biden has"). A bare
    ", while X said …" in mid-sentence may run to the end: no main clause has to follow it.
    """
    if sk.side == "left":
        a = sk.region[0]
    elif sk.side == "elided" and sk.cue_index > 0 and toks[sk.cue_index - 1].low in SUBORDINATORS_NOT_AS:
        a = sk.cue_index
    else:
        return -1
    j = a - 1
    while j >= 0 and toks[j].low not in SUBORDINATORS_NOT_AS:
        if toks[j].text == "," or toks[j].kind == "q":
            return -1
        j -= 1
    if j < 0:
        return -1
    k = j - 1
    while k >= 0 and toks[k].low in LEADING_CONJUNCTIONS:
        k -= 1
    if k < 0 or (k < j - 1 and toks[k].text == "," and toks[k + 1].low in COORD):
        return j
    return j if j <= 3 and toks[j].low in _TIME_LINKS and _time_phrase(toks, 0, j) else -1


#: "Three years after Republicans vowed …": subordinators a span of time may stand before.
_TIME_LINKS = frozenset({"after", "before", "since", "until"})


def _time_phrase(toks: list[Token], a: int, b: int) -> bool:
    """Are tokens [a, b) a short span of time ("Three years", "Two days", "Months", "Shortly")?"""
    if a >= b or not all(t.kind == "w" for t in toks[a:b]):
        return False
    last = toks[b - 1].low
    return last in TIME_WORDS or (b - a == 1 and ly_adverb(toks[a]))


def _relative_clause_end(toks: list[Token], sk: Skeleton, start: int, end: int) -> int:
    """ "Prime, which Bezos said had surpassed 100 million members, grew": a report inside a
    relative clause set off by commas ends at the comma after which the main clause's verb goes on."""
    a = sk.region[0]
    if sk.side != "left" or a < 2 or toks[a - 1].low not in {"which", "who"} or toks[a - 2].text != ",":
        return end
    for k in range(start, end - 1):
        if toks[k].kind == "q":
            return end
        if toks[k].text == "," and finite_verb(toks, k + 1):
            return k
    return end


def _as_clause_comma(toks: list[Token], sk: Skeleton) -> int:
    """In "As X noted (at the time), CLAUSE", the comma that opens the reported main clause."""
    a = sk.region[0]
    if sk.side != "left" or a < 1 or toks[a - 1].low != "as" or (a > 1 and toks[a - 2].kind == "q"):
        return -1
    for m in range(sk.cue_index + 1, min(len(toks), sk.cue_index + 8)):
        if toks[m].text == ",":
            return m
        if toks[m].kind != "w" or toks[m].low in BE or toks[m].low in AUX:
            return -1
    return -1


def _points_left(toks: list[Token], sk: Skeleton, right_start: int) -> bool:
    """Does this cue report the text before it ("…,” he said"; "X, officials said")?"""
    if sk.side == "right":
        return sk.region[0] > 0  # "Said Comey, “…”": a cue opening the sentence reports what follows
    if sk.side == "according":
        return sk.region[0] > 0 and _has_content(toks, 0, sk.region[0])
    if sk.side == "elided" or sk.relative:
        return False
    end = len(toks)
    if not _has_content(toks, right_start, end):
        return True
    first = toks[right_start]
    if first.low not in PREPOSITIONS and first.low not in _ADJUNCT_STARTS:
        return False
    if sk.strong and first.low == "to":
        return False  # "…, he vows to impose a tax": the infinitive is the complement
    before = toks[: sk.region[0]]
    if (
        toks[0].low in SUBORDINATORS
        and not any(t.kind == "q" for t in before)
        and [t.text for t in before].count(",") == 1
        and before[-1].text == ","
    ):
        return False  # "As the charges were unsealed, Hawk Sawyer testified before …": an adjunct
    k = sk.region[0] - 1
    if k >= 0 and toks[k].text == ",":
        return True  # "…, Cook said while visiting the conference"; "…, Cook told Benioff, which …"
    while k >= 0 and toks[k].kind == "p":
        k -= 1
    return k >= 0 and toks[k].kind == "q"  # "“…,” Clarke said of the plan in a call"


#: Words that open an adjunct, not a reported clause ("said while visiting", "told X, which ...").
_ADJUNCT_STARTS = words("adjunct-starts")
_CLAUSE_LINKS = PREPOSITIONS | _ADJUNCT_STARTS  # made once, not per call


def _starts_new_clause(toks: list[Token], later: Skeleton) -> bool:
    """A coordinated or comma-separated attribution ("…, and Y told Z …") ends earlier content."""
    if later.side == "elided":
        return later.cuts_before
    a = later.region[0]
    return later.side == "left" and a > 0 and (toks[a - 1].text in {",", ";"} or toks[a - 1].low in COORD)


def _left_start(toks: list[Token], sks: list[Skeleton], idx: int) -> int:
    """First token of the text left of attribution ``idx`` that it may report."""
    a = sks[idx].region[0]
    start = 0
    dashes = [k for k in range(a) if toks[k].text in {"—", "–"}]
    for k in range(a - 1, -1, -1):
        if toks[k].text in {":", ";"}:
            start = k + 1
            break
    if len(dashes) % 2 == 1 and dashes[-1] + 1 > start:
        start = dashes[-1] + 1
    for pidx in range(idx - 1, -1, -1):
        prev = sks[pidx]
        if prev.region[1] > a:
            continue
        nested = (
            prev.side in {"left", "elided"}
            and prev.right[1] > prev.right[0]
            and prev.right[1] >= a - 1
            and not (
                piece_is_quotes(toks, *prev.right)
                and _adjacent_quote(toks, (0, prev.region[0]), prev.region[0])
            )
        )
        trailing = sks[idx].side == "according" and prev.side in {"left", "right"} and not prev.relative
        trailing = trailing and not any(t.kind == "q" for t in toks[: prev.region[0]])
        if trailing and not _has_content(toks, prev.region[1], a) and not _has_content(toks, *prev.right):
            return min(start, prev.left[0])  # "A, the ministry said, according to Reuters": all of it
        if nested and _as_clause_comma(toks, prev) > 0:
            return max(start, prev.right[0])  # "As X noted, A, according to Y": Y reports A
        if nested:  # "X said A, Y reported": Y reports the whole of "X said A"
            return (
                min(start, prev.left[0])  # computed already: lefts are filled in order
                if prev.side == "left"
                else min(start, prev.region[0])
            )
        return max(start, prev.right[1] if prev.right[1] <= a else prev.region[1], prev.region[1])
    return start


#: "described how …": a question word after "describe" makes a content clause.
_DESCRIBE_WH_WORDS = word_set("describe-wh-words")


def content_pieces(toks: list[Token], sk: Skeleton) -> tuple[list[tuple[int, int]], bool]:
    """The token spans this cue reports, and whether they make a paraphrase row."""
    cue = toks[sk.cue_index].low
    directive_call = cue in CALL_FORMS and word_at(toks, sk.cue_index + 1) in {"to", "on"}
    if directive_call and sk.side in {"left", "elided"}:
        return [sk.right], _has_content(toks, *sk.right)
    if _labels(toks, sk, cue):
        return _label_pieces(toks, sk)
    left, right = sk.left, sk.right
    opening = _opening_adjunct(toks, *left) and not _comma_after_cue(toks, sk)
    has_left, has_right = (
        _has_content(toks, *left) and not _only_intro(toks, *left) and not opening,
        _has_content(toks, *right),
    )
    left_quotes = has_left and piece_is_quotes(toks, *left)
    right_quotes = has_right and piece_is_quotes(toks, *right)
    para_ok = _paraphrase_cue(cue, sk, toks)
    intro_only = has_right and ((sk.side == "left" and _only_intro(toks, *left)) or opening)
    if _reports_left(sk, has_left, has_right) and not intro_only:
        if not has_left:
            return [], False
        if left_quotes:
            return ([left, right] if right_quotes else [left]), False
        if sk.side == "left" and colon_after_cue(toks, sk):
            return [], False  # "Obama also said:" introduces what follows
        para_ok = para_ok and (sk.side == "according" or cue in TRAILING_VERBS)
        tail = sk.region[1] < len(toks) and toks[sk.region[1]].text == ","
        participle = has_right and toks[right[0]].low.endswith("ing") and toks[right[0]].text[0].islower()
        if has_right and not right_quotes and sk.side in {"right", "according"} and tail and not participle:
            return [left, right], para_ok  # "X, The Korea Times reported, Y" (not "…, adding to …")
        goes_on = has_right and not right_quotes and _clause_goes_on(toks, *right)
        if goes_on and _parenthetical(toks, sk, has_left, left_quotes):
            return [left, right], para_ok  # "X, scientists think, with Y": the clause goes on
        return [left], para_ok
    if not has_right:
        return [], False
    if left_quotes and _adjacent_quote(toks, left, sk.region[0]):
        return ([left, right] if right_quotes else [left]), False
    if right_quotes:  # "said that “…”" is a content clause too; "said, “…”" only a quotation
        return [right], para_ok and right[0] > 0 and toks[right[0] - 1].low == "that"
    if _parenthetical(toks, sk, has_left, left_quotes):
        return [left, right], para_ok
    return [right], para_ok and _clause_ok(toks, sk, cue)


def _labels(toks: list[Token], sk: Skeleton, cue: str) -> bool:
    """ "called it “immaterial”", "dubbed it": a verb that only names reports its label, not a
    clause. A verb of saying as well, a stance noun ("of the view that") and "described how …"
    report as speech does, and "according to" always does."""
    if sk.side == "according" or cue not in LABEL_VERBS or cue in SAY_VERBS:
        return False
    stance_noun = cue in STANCE_NOUNS and stance_cue(toks, sk.cue_index)
    return not stance_noun and not _describes_how(toks, sk, cue)


def _describes_how(toks: list[Token], sk: Skeleton, cue: str) -> bool:
    """ "has described how her daughter was …": "describe" before a question word reports a clause."""
    return cue.startswith("describ") and word_at(toks, sk.cue_index + 1) in _DESCRIBE_WH_WORDS


_INTRO_ONLY = words("intro-only")


def _only_intro(toks: list[Token], a: int, b: int) -> bool:
    """ "Then, last week," / "In Kentucky," before a subject and its cue is an adjunct, not content."""
    if all(
        t.kind == "p" or (t.kind == "w" and (t.low in _INTRO_ONLY or t.low in TIME_WORDS)) for t in toks[a:b]
    ):
        return True
    word_toks = [t for t in toks[a:b] if t.kind != "p"]
    inner = [t for t in toks[a : b - 1] if t.text in {",", ";", ":", "—"} or t.kind == "q"]
    return (
        bool(word_toks)
        and len(word_toks) <= 6
        and word_toks[0].low in PREPOSITIONS
        and not inner
        and (all(t.low in PREPOSITIONS or t.low in ARTICLES or t.text[0].isupper() for t in word_toks))
    )


def _opening_adjunct(toks: list[Token], a: int, b: int) -> bool:
    """ "On Wednesday night," / "Earlier in 2012," / "In other words," / "But midday Saturday,": the
    sentence's opening adjunct, up to its comma, with no finite verb, is where the report happens,
    not what it says (a trailing cue after a whole clause, "The bridge will close, X said", keeps it,
    and so does a cue set off by commas: "For days after a storm, officials say, they …")."""
    if a != 0 or b - a > 9 or b < 2 or toks[b - 1].text != ",":
        return False
    inner = toks[a : b - 1]
    if any(t.kind != "w" or t.low in FINITE_HINTS or t.low in IRREGULAR_PAST or past_form(t) for t in inner):
        return False
    word_toks = [t for t in inner if t.low not in LEADING_CONJUNCTIONS]
    if not word_toks:
        return False
    first = word_toks[0]
    if first.low in PREPOSITIONS or first.low in TIME_WORDS or _year(first):
        return True  # "On Wednesday night,", "Friday morning,", "2012,"
    # "Earlier in 2012,", "This week," (but "This system," is a subject)
    return first.low in _INTRO_ONLY and any(t.low in TIME_WORDS or _year(t) for t in word_toks)


def _year(tok: Token) -> bool:
    """ "2012": a four-digit year, a time like "Friday" ("17 manufacturers" is a count, not a time)."""
    return len(tok.text) == 4 and tok.text.isdigit() and tok.text[:2] in {"19", "20"}


def _reports_left(sk: Skeleton, has_left: bool, has_right: bool) -> bool:
    """Inverted ("…,” said X"), trailing ("X, officials said") and "…, according to X" cues."""
    if sk.side == "right":
        return sk.points_left  # set by plan_contents
    if sk.side == "according":
        return has_left
    return sk.side == "left" and not sk.relative and (sk.points_left or not has_right)


def _parenthetical(toks: list[Token], sk: Skeleton, has_left: bool, left_quotes: bool) -> bool:
    """ "X, he said, Y": the attribution is wrapped in commas inside the reported clause."""
    a = sk.region[0]
    return (
        sk.side == "left"
        and has_left
        and not left_quotes
        and a > 0
        and toks[a - 1].text == ","
        and _comma_after_cue(toks, sk)
    )


def _clause_goes_on(toks: list[Token], a: int, b: int) -> bool:
    """ "X, scientists think, because it is warm" / ", with warmer oceans moving prey …": after a
    cue set off by commas, a subordinator or "with" opening a clause (or a noun and its participle)
    goes on with the reported clause; "…, officials said, in a statement" is the cue's own adjunct."""
    if b - a < 3 or toks[a].low not in _CLAUSE_LINKS:
        return False
    if looks_like_clause(toks, a + 1, b):
        return True
    return toks[a].low == "with" and any(
        t.low.endswith("ing") and t.text[0].islower() for t in toks[a + 2 : min(b, a + 6)]
    )


def _adjacent_quote(toks: list[Token], left: tuple[int, int], region_start: int) -> bool:
    """Is the last content token before the speaker a quotation ("“A,” he said, “B.”")?"""
    k = region_start - 1
    while k >= left[0] and toks[k].kind == "p":
        k -= 1
    return k >= left[0] and toks[k].kind == "q"


def colon_after_cue(toks: list[Token], sk: Skeleton) -> bool:
    """ "Obama also said:": a colon right after the cue (and its time adverbs) introduces what follows."""
    k = skip_right(toks, sk.cue_index + 1)
    return k < len(toks) and toks[k].text == ":"


def _comma_after_cue(toks: list[Token], sk: Skeleton) -> bool:
    """ "X, he said, Y": a comma right after the cue (and its time adverbs)."""
    k = skip_right(toks, sk.cue_index + 1)
    return k < len(toks) and toks[k].text == "," and k < sk.right[0]


_CONTINUE = lemma_forms("continue")


def _paraphrase_cue(cue: str, sk: Skeleton, toks: list[Token]) -> bool:
    """Only speech verbs, stance adjectives and "according to" make paraphrase rows.

    "asked"/"wonders" report a question, so they need a wh-clause ("wonders when ...").
    """
    if sk.side == "according":
        return True
    if cue in _CONTINUE or cue in QUOTE_ONLY_VERBS:
        return False
    if cue in ASK_VERBS:
        wh = word_at(toks, sk.right[0]) in QUESTION_WORDS  # an asking verb reports a question only
        return wh or _asked_to(toks, sk)
    if _describes_how(toks, sk, cue):
        return True
    return cue in SAY_VERBS or cue in STANCE_ADJECTIVES or cue in STANCE_NOUNS


#: Verbs whose object and infinitive make a request ("asked X to help", "told X to leave").
_BIDS = verb_forms("bid")


def _asked_to(toks: list[Token], sk: Skeleton) -> bool:
    """ "asked their governments to help": a verb of bidding with an object and an infinitive."""
    return toks[sk.cue_index].low in _BIDS and object_then_infinitive(toks, *sk.right)


#: Verbs that report only with "that" ("the study found that …"), not with a clause after an object.
_THAT_ONLY = verb_forms("that-only")


def _counted(toks: list[Token], k: int) -> bool:
    """A number at ``k`` ("40", "half", "two"): after "about" or "over" it makes a quantity."""
    low = word_at(toks, k)
    return low[:1].isdigit() or low in NUMBER_WORDS or low == "half"


def _clause_ok(toks: list[Token], sk: Skeleton, cue: str) -> bool:
    """Weak verbs ("reported", "announced") need "that" or a clause, not a noun phrase."""
    if sk.side not in {"left", "elided"} or sk.strong or cue in STANCE_ADJECTIVES or cue in STANCE_NOUNS:
        return True
    if _asked_to(toks, sk):
        return True
    if cue in _THAT_ONLY:
        return False  # "found themselves blindsided": only "found that …" reports a finding
    if cue in WEAK_VERBS:
        if word_at(toks, sk.right[0]) in {"if", "whether"} and cue not in ASK_VERBS:
            return False  # "noted if and how often respondents used it": a record, not a statement
        return looks_like_clause(toks, *sk.right)
    first = toks[sk.right[0]] if sk.right[0] < len(toks) else None
    if first is None:
        return False
    if first.low in PREPOSITIONS:  # "said about 40 people died", not "said about the plan"
        return first.low in QUANTITY_OPENERS and (
            _counted(toks, sk.right[0] + 1) or looks_like_clause(toks, *sk.right)
        )
    if cue in OBJECT_VERBS and first.kind == "w" and first.low not in SUBJECT_PRONOUNS:
        return looks_like_clause(toks, *sk.right)  # "is telling doesn't paint the full picture"
    return True


def _label_pieces(toks: list[Token], sk: Skeleton) -> tuple[list[tuple[int, int]], bool]:
    """ "called it “immaterial”", "“new Gannett,” as Reed dubbed it", "described it as a risk"."""
    a, b = sk.right
    if any(t.kind == "q" for t in toks[a:b]):
        return [(a, b)], False
    start = sk.region[0]
    if start >= 2 and toks[start - 1].low == "as":
        k = start - 2
        while k >= 0 and toks[k].kind == "p":
            k -= 1
        if k >= 0 and toks[k].kind == "q":
            return [(k, k + 1)], False
    cue = toks[sk.cue_index].low
    if cue.startswith(("describ", "characteriz")) and any(t.low == "as" for t in toks[a:b]):
        return [(a, b)], True
    return [], False


def trim_piece(toks: list[Token], a: int, b: int) -> tuple[int, int]:
    """Drop leading "that"/commas and trailing punctuation outside quotation marks."""
    while a < b and (toks[a].low in {",", ":", "—", "–", ";"} or (toks[a].low == "that" and a + 1 < b)):
        a += 1
    while b > a and toks[b - 1].kind == "p":
        if toks[b - 1].text == ")" and any(t.text == "(" for t in toks[a : b - 1]):
            break
        b -= 1
    return a, b
