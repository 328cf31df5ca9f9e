"""The sentence stage: cues, sources and contents of one sentence joined into rows."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from operator import attrgetter

from utils.extract.contents import colon_after_cue, content_pieces, plan_contents
from utils.extract.cues import find_cues
from utils.extract.discourse import (
    backward_reference,
    list_intro,
    note_content_org,
    note_subject,
    observe,
    orphans,
)
from utils.extract.lexicon import words
from utils.extract.marks import Quote
from utils.extract.mentions import analyse_np
from utils.extract.names import DOCUMENT_NOUNS, GIVEN_NAMES
from utils.extract.output import cue_text, emit_direct, emit_paraphrase
from utils.extract.phrases import main_subject
from utils.extract.records import Who, via
from utils.extract.rules import Pattern, Step, rule_name
from utils.extract.sources import Skeleton, find_skeleton
from utils.extract.state import ArticleState
from utils.extract.text import Sentence, Token
from utils.extract.vocab import COORD

# --- sentence processing ----------------------------------------------------------------------


@dataclass
class Attributions:
    """What the reports of one sentence found: quotations claimed by a speaker, the speakers with
    content (for the orphan rules) and the last speaker resolved (for an elided one)."""

    claims: list[tuple[int, int, Quote, Who]] = field(default_factory=list)  # (size, order, quote, who)
    voices: list[Who] = field(default_factory=list)
    last_who: Who | None = None


_LOW = attrgetter("low")  # a token's lower-case text, read in C by ``map`` (every sentence asks)


def process_sentence(state: ArticleState, sent: Sentence) -> None:
    """Find the attributions of one sentence, emit their statements, then handle orphan quotes."""
    text, toks = state.text, sent.toks
    for q in sent.quotes:
        if q.speaker and not q.done:  # continued multi-paragraph quote
            carried = q.who or Who(q.speaker, q.affiliation, q.cue, rule=q.rule)
            emit_direct(state, q, via(carried, Pattern.CONTINUED_QUOTE))
    cues = find_cues(toks)
    observe(state, sent)
    subject = main_subject(text, toks)
    speech = bool(cues) or not DOCUMENT_NOUNS.isdisjoint(map(_LOW, toks))  # "X issued a statement"
    subject_who = note_subject(state, toks, subject, with_cue=speech)
    backward_reference(state, sent)
    sks = [sk for sk in (find_skeleton(text, toks, i, subject) for i in cues) if sk]
    plan_contents(toks, sks)
    found = _attribute(state, sent, sks)
    had_direct = _award_quotes(state, found.claims)
    orphans(state, sent, bool(sks), subject_who, found.voices)
    colon = bool(sks) and any(colon_after_cue(toks, sk) for sk in sks)
    list_intro(state, sent, subject, found.last_who if colon else None)
    _remember(state, sent, had_direct, subject_who)


def _attribute(state: ArticleState, sent: Sentence, sks: list[Skeleton]) -> Attributions:
    """Resolve each report's speaker, emit its paraphrase and collect the quotations it claims."""
    toks = sent.toks
    found = Attributions()
    spoken: list[tuple[int, int, str]] = []  # paraphrase spans by speaker, to skip nested repeats
    outer: list[tuple[int, int, Who]] = []  # right contents already attributed in this sentence
    for order, sk in enumerate(sks):
        if sk.absorbed:
            continue
        who = _inner_pronoun(toks, sk, outer) or _resolve(state, toks, sk, sent.para)
        last = found.last_who
        if who is None and sk.side == "elided" and sk.speaker_np is None and last is not None:
            rule = rule_name(sk.rule, Step.PREVIOUS_SPEAKER)
            who = replace(last, cue=cue_text(toks, sk), rule=rule)
        if who is None:
            continue
        found.last_who = who
        pieces, paraphrase = content_pieces(toks, sk)
        if pieces:
            note_content_org(state, toks, pieces[-1])
        if sk.side in {"left", "elided"} and sk.right[1] > sk.right[0]:
            outer.append((sk.right[0], sk.right[1], who))
        for a, b in pieces:
            found.claims.extend((b - a, order, t.quote, who) for t in toks[a:b] if t.kind == "q" and t.quote)
        if paraphrase and pieces:
            a, b = pieces[0][0], pieces[-1][1]
            if not any(sa <= a and b <= sb and who.speaker == sp for sa, sb, sp in spoken):
                emit_paraphrase(state, toks, pieces, who)
                spoken.append((a, b, who.speaker))
        if pieces:
            state.memory.para_last[sent.para] = who
            found.voices.append(who)
    return found


def _award_quotes(state: ArticleState, claims: list[tuple[int, int, Quote, Who]]) -> bool:
    """Emit each claimed quotation once; whether any was emitted.

    The narrowest report wins a quotation, but a person beats an institution ("Pompeo said
    Washington had concluded it was “…”" quotes Pompeo).
    """
    if not claims:
        return False
    had_direct = False
    for _size, _order, quote, who in sorted(claims, key=lambda c: (c[3].kind != "person", c[0], c[1])):
        if not quote.done:
            emit_direct(state, quote, who)
            had_direct = True
    return had_direct


def _remember(state: ArticleState, sent: Sentence, had_direct: bool, subject: Who | None) -> None:
    """Keep this sentence, its named person subject, and its paragraph's speaker when it quoted,
    for the next sentence."""
    state.memory.prev_sentence = sent
    state.memory.prev_subject = subject if subject is not None and subject.kind == "person" else None
    if had_direct or any(q.done for q in sent.quotes):
        last = state.memory.para_last.get(sent.para)
        if last is not None:
            state.memory.prev_direct = (sent.para, sent.end, last)
    else:
        state.memory.prev_direct = None


_PRONOUN_KINDS = {"he": "person", "she": "person", "it": "org", "they": "group"}


def _inner_pronoun(toks: list[Token], sk: Skeleton, outer: list[tuple[int, int, Who]]) -> Who | None:
    """ "Russia's ministry said it viewed …": a pronoun subject inside a report is its speaker."""
    if sk.speaker_np is None or sk.speaker_np[1] - sk.speaker_np[0] != 1:
        return None
    word = toks[sk.speaker_np[0]].low
    if word not in _PRONOUN_KINDS:
        return None
    for a, b, who in reversed(outer):
        singular = not who.speaker.endswith("s")
        fits = who.kind == _PRONOUN_KINDS[word] or (word == "they" and who.kind == "org")
        fits = fits or (word == "it" and who.kind == "group" and singular)
        if a <= sk.speaker_np[0] < b and fits:
            rule = rule_name(sk.rule, Step.INNER_PRONOUN)
            word = toks[sk.speaker_np[0]]
            return Who(
                who.speaker, who.affiliation, cue_text(toks, sk), who.kind, rule, word.text, word.start
            )
    return None


_AUTHOR_PRONOUNS = words("author-pronouns")
_QUANTIFIED_PRONOUN = re.compile(
    r"(?i)^(?:many|some|most|all|both|several|none|each|few)\s+of\s+(them|those|us)$"
)


def _unclosed_apposition(text: str, toks: list[Token], a: int, b: int) -> int | None:
    """Where the person's name starts when a sentence opens "<name>, <role> said" and the
    apposition's closing comma is missing ("Dana Holt, the spokeswoman for the Ohio Green Party
    said"), else None. Why: the cue's subject is then the role, which names no one ("the
    spokeswoman for …" went unnamed, "president and CEO of …" to the organisation). Only a
    lower-case role after a name that opens the sentence with a title or a known given name, so a
    place or a date before the comma ("New York, the mayor said") is left alone."""
    if a < 3 or toks[a - 1].text != "," or not toks[a].text[0].islower():
        return None
    if any(t.text == "," for t in toks[a:b]):
        return None
    start = 0
    while start < a - 1 and (toks[start].kind == "p" or toks[start].low in COORD):
        start += 1
    name = toks[start : a - 1]
    if not 2 <= len(name) <= 4 or any(t.kind != "w" or not t.text[0].isupper() for t in name):
        return None
    np = analyse_np(text[toks[start].start : toks[a - 2].end], sentence_initial=True)
    if np.kind != "person" or not (np.role or np.name.split()[0].lower() in GIVEN_NAMES):
        return None
    return start


def _resolve(state: ArticleState, toks: list[Token], sk: Skeleton, para: int) -> Who | None:
    """Canonical speaker of a skeleton; records it as the most recent speaker."""
    if sk.speaker_np is None:
        return None
    a, b = sk.speaker_np
    phrase = state.text[toks[a].start : toks[b - 1].end]
    apposition = sk.apposition
    named = _unclosed_apposition(state.text, toks, a, b)
    if named is not None:
        a, apposition = named, phrase  # "Dana Holt, the spokeswoman for X said": Dana Holt
        phrase = state.text[toks[a].start : toks[sk.speaker_np[0] - 2].end]
    if a > 0 and toks[a - 1].low == "both" and b - a == 1:
        phrase = f"both {phrase}"  # "Both men claimed": the pair, resolved by the book
    match = _QUANTIFIED_PRONOUN.match(phrase)
    if match:
        phrase = "they"
    if phrase.lower() in _AUTHOR_PRONOUNS:
        return None  # "We're told", "I asked him": the writer, not a source
    initial = all(t.low in COORD or t.kind == "p" for t in toks[:a])
    floor = state.para_starts[max(0, para - 2)] if 0 < para <= len(state.para_starts) else 0
    speaker, affiliation, kind, step = state.book.resolve(
        phrase,
        apposition,
        sentence_initial=initial,
        floor=floor,
        before=toks[a].start,
        since=toks[0].start,
    )
    if not speaker:
        return None
    if kind == "person" and speaker not in state.memory.spoken and apposition:
        state.memory.introduced[para] = Who(speaker, affiliation, "", kind)  # a newly introduced source
    state.memory.spoken.add(speaker)
    lead = state.memory.introduced.get(para - 1)
    opens_paragraph = toks[0].start == state.para_starts[para] if para < len(state.para_starts) else False
    if phrase.lower() in {"he", "she"} and opens_paragraph and lead is not None and lead.speaker != speaker:
        # "“…,” he said" after a new source's paragraph
        speaker, affiliation, step = lead.speaker, lead.affiliation, Step.PARAGRAPH_LEAD
    state.book.note(toks[a].start, speaker, kind)
    if kind == "org":
        state.book.last_org_speaker = (toks[a].start, speaker)
    return Who(
        speaker, affiliation, cue_text(toks, sk), kind, rule_name(sk.rule, step), phrase, toks[a].start
    )
