"""Emitting rows: a direct quotation or paraphrase pieces become ``Statement`` rows.

Inner quotations of a named third party inside an emitted quote get their own rows here.
"""

from __future__ import annotations

import re

from utils.extract.contents import _content_pieces, _plan, _trim_piece
from utils.extract.cues import _find_cues
from utils.extract.marks import _Quote
from utils.extract.mentions import analyse_np
from utils.extract.phrases import _main_subject
from utils.extract.records import Statement, _Who
from utils.extract.sources import _Skeleton, _skeleton
from utils.extract.state import ArticleState
from utils.extract.text import _limit_sentence, _Tok, _tokenize, _word
from utils.extract.vocab import _AUX, _BE, OBJECT_VERBS


def _cue_text(toks: list[_Tok], sk: _Skeleton) -> str:
    """The reporting phrase as printed: "said", "according to", "told reporters"."""
    if sk.side == "according":
        return "according to"
    i = sk.cue_index
    word = toks[i].low
    if word in OBJECT_VERBS and _word(toks, i + 1) in {
        "reporters",
        "journalists",
        "lawmakers",
        "investigators",
    }:
        return f"{word} {toks[i + 1].low}"
    if word in {"point", "points", "pointed"}:
        return f"{word} out"
    if word in {"weighs", "weighed"}:
        return f"{word} in"
    return word


# --- emission ---------------------------------------------------------------------------------

_AUX_START = _BE | _AUX  # modal verbs are auxiliaries


def _emit_direct(state: ArticleState, quote: _Quote, who: _Who, nested: bool = True) -> None:
    """Emit a direct row for ``quote`` (and rows for inner quotes of named third parties)."""
    quote.done = True
    quote.speaker, quote.affiliation, quote.cue = who.speaker, who.affiliation, who.cue
    body = state.text[quote.start : quote.end]
    state.rows.statements.append(
        Statement(who.speaker, who.affiliation, "direct", body, quote.start, quote.end, who.cue)
    )
    state.rows.directs.append((_content_words(body), who))
    if nested and quote.inner:
        _inner_quotes(state, quote)


def _emit_paraphrase(state: ArticleState, toks: list[_Tok], pieces: list[tuple[int, int]], who: _Who) -> None:
    """Join the verbatim pieces ("X, Forte said, Y" -> "X, Y") and emit a paraphrase row."""
    spans = []
    for a, b in pieces:
        a, b = _trim_piece(toks, a, b)
        if b > a:
            spans.append((a, b))
    if not spans:
        return
    text = state.text
    parts = [text[toks[a].start : toks[b - 1].end] for a, b in spans]
    joined = parts[0]
    for (a, _b), part in zip(spans[1:], parts[1:], strict=False):
        joined += (" " if toks[a].low in _AUX_START else ", ") + part
    if len(re.findall(r"\w+", joined)) < 3:
        return
    last = spans[-1][1] - 1
    if toks[last].text == "?" or (last + 1 < len(toks) and toks[last + 1].text == "?"):
        return  # a question in the narration ("What did the prosecutors say?")
    start, end = toks[spans[0][0]].start, toks[spans[-1][1] - 1].end
    state.rows.statements.append(
        Statement(who.speaker, who.affiliation, "paraphrase", joined, start, end, who.cue)
    )


def _content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.lower()) if len(w) > 3}


# --- inner quotations -------------------------------------------------------------------------


def _inner_quotes(state: ArticleState, outer: _Quote) -> None:
    """Inner ‘…’ quotes get their own row when the outer quote attributes them to a named speaker.

    Reported speech inside a quote without inner marks gets no row, and pronoun speakers inside a
    quote refer to the quote's own context, so only named speakers count here. A very long quote
    is read in pieces of bounded narration, like a long sentence (see :func:`_limit_sentence`).
    """
    for a, b, inner in _limit_sentence(state.text, outer.start, outer.end, outer.inner):
        _inner_piece(state, _tokenize(state.text, a, b, inner))


def _inner_piece(state: ArticleState, toks: list[_Tok]) -> None:
    """Attribute the inner quotes of one piece of an outer quote (see :func:`_inner_quotes`)."""
    subject = _main_subject(state.text, toks)
    sks = [sk for sk in (_skeleton(state.text, toks, i, subject) for i in _find_cues(toks)) if sk]
    _plan(state.text, toks, sks)
    for sk in sks:
        if sk.speaker_np is None:
            continue
        a, b = sk.speaker_np
        phrase = state.text[toks[a].start : toks[b - 1].end]
        np = analyse_np(phrase)
        if np.kind not in {"person", "short", "org", "group"}:
            continue
        speaker, affiliation, _kind = state.book.resolve(phrase, sk.apposition)
        who = _Who(speaker, affiliation, _cue_text(toks, sk))
        pieces, _para = _content_pieces(toks, sk)
        for pa, pb in pieces:
            for tok in toks[pa:pb]:
                if tok.kind == "q" and tok.quote is not None and not tok.quote.done:
                    _emit_direct(state, tok.quote, who, nested=False)
