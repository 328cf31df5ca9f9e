"""Emitting rows: a direct quotation or paraphrase pieces become ``Statement`` rows.

Inner quotations of a named third party inside an emitted quote get their own rows here.
"""

from __future__ import annotations

import re
from itertools import islice

from utils.extract.contents import content_pieces, plan_contents, trim_piece
from utils.extract.cues import find_cues
from utils.extract.descriptions import shown_affiliation
from utils.extract.marks import Quote
from utils.extract.mentions import analyse_np
from utils.extract.phrases import main_subject
from utils.extract.records import Statement, Who
from utils.extract.rules import Pattern, rule_name
from utils.extract.sources import Skeleton, find_skeleton
from utils.extract.state import ArticleState
from utils.extract.text import Token, limit_sentence, tokenize, word_at
from utils.extract.vocab import AUX, BE, OBJECT_VERBS, PARTICLES, PRINTED_LISTENERS


def cue_text(toks: list[Token], sk: Skeleton) -> str:
    """The reporting phrase as printed: "said", "according to", "told reporters"."""
    if sk.side == "according":
        return "according to"
    i = sk.cue_index
    word = toks[i].low
    if word in OBJECT_VERBS and word_at(toks, i + 1) in PRINTED_LISTENERS:
        return f"{word} {toks[i + 1].low}"
    particle = PARTICLES.get(word)
    return f"{word} {particle.word}" if particle is not None and particle.printed else word


# --- emission ---------------------------------------------------------------------------------

_AUX_START = BE | AUX  # modal verbs are auxiliaries


def emit_direct(state: ArticleState, quote: Quote, who: Who, nested: bool = True) -> None:
    """Emit a direct row for ``quote`` (and rows for inner quotes of named third parties)."""
    quote.done = True
    quote.speaker, quote.affiliation, quote.cue, quote.rule = who.speaker, who.affiliation, who.cue, who.rule
    quote.who = who
    body = state.text[quote.start : quote.end]
    affiliation = shown_affiliation(who.affiliation)
    state.rows.statements.append(
        Statement(who.speaker, affiliation, "direct", body, quote.start, quote.end, who.cue, who.rule)
    )
    state.rows.whos.append(who)
    state.rows.directs.append((content_words(body), who))
    if nested and quote.inner:
        _inner_quotes(state, quote)


def emit_paraphrase(state: ArticleState, toks: list[Token], pieces: list[tuple[int, int]], who: Who) -> None:
    """Join the verbatim pieces ("X, Forte said, Y" -> "X, Y") and emit a paraphrase row."""
    spans = []
    for a, b in pieces:
        a, b = trim_piece(toks, a, b)
        if b > a:
            spans.append((a, b))
    if not spans:
        return
    text = state.text
    parts = [text[toks[a].start : toks[b - 1].end] for a, b in spans]
    joined = parts[0]
    for (a, _b), part in zip(spans[1:], parts[1:], strict=False):
        joined += (" " if toks[a].low in _AUX_START else ", ") + part
    if len(list(islice(_WORD_RE.finditer(joined), 3))) < 3:  # fewer than three words: no statement
        return
    last = spans[-1][1] - 1
    if toks[last].text == "?" or (last + 1 < len(toks) and toks[last + 1].text == "?"):
        return  # a question in the narration ("What did the prosecutors say?")
    start, end = toks[spans[0][0]].start, toks[spans[-1][1] - 1].end
    affiliation = shown_affiliation(who.affiliation)
    state.rows.statements.append(
        Statement(who.speaker, affiliation, "paraphrase", joined, start, end, who.cue, who.rule)
    )
    state.rows.whos.append(who)


_WORD_RE = re.compile(r"\w+")
#: A word of more than three letters: a run of ``\w`` is matched whole or not at all, so this finds
#: what ``\w+`` finds, less the short words, without making them.
_LONG_WORD_RE = re.compile(r"\w{4,}")


def content_words(text: str) -> set[str]:
    """The words of more than three letters of a text, lower case (what a quotation is about)."""
    return set(_LONG_WORD_RE.findall(text.lower()))


# --- inner quotations -------------------------------------------------------------------------


def _inner_quotes(state: ArticleState, outer: Quote) -> None:
    """Inner ‘…’ quotes get their own row when the outer quote attributes them to a named speaker.

    Reported speech inside a quote without inner marks gets no row, and pronoun speakers inside a
    quote refer to the quote's own context, so only named speakers count here. A very long quote
    is read in pieces of bounded narration, like a long sentence (see :func:`limit_sentence`).
    """
    for a, b, inner in limit_sentence(state.text, outer.start, outer.end, outer.inner):
        _inner_piece(state, tokenize(state.text, a, b, inner))


def _inner_piece(state: ArticleState, toks: list[Token]) -> None:
    """Attribute the inner quotes of one piece of an outer quote (see :func:`_inner_quotes`)."""
    subject = main_subject(state.text, toks)
    sks = [sk for sk in (find_skeleton(state.text, toks, i, subject) for i in find_cues(toks)) if sk]
    plan_contents(toks, sks)
    for sk in sks:
        if sk.speaker_np is None:
            continue
        a, b = sk.speaker_np
        phrase = state.text[toks[a].start : toks[b - 1].end]
        np = analyse_np(phrase)
        if np.kind not in {"person", "short", "org", "group"}:
            continue
        speaker, affiliation, kind, step = state.book.resolve(phrase, sk.apposition)
        rule = rule_name(Pattern.INNER_QUOTE, step)
        who = Who(speaker, affiliation, cue_text(toks, sk), kind, rule, phrase, toks[a].start)
        pieces, _para = content_pieces(toks, sk)
        for pa, pb in pieces:
            for tok in toks[pa:pb]:
                if tok.kind == "q" and tok.quote is not None and not tok.quote.done:
                    emit_direct(state, tok.quote, who, nested=False)
