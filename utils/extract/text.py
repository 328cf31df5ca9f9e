"""Paragraphs, sentences and tokens: the units every later stage works on.

Sentences are never split inside a quotation nor before a short attribution (``” he said``),
and tokens carry the quotation they stand for, so a quotation is one token to the rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from utils.extract.lexicon import abbreviations
from utils.extract.marks import Quote, inside_quote
from utils.extract.vocab import ABBREVIATIONS, LABEL_VERBS, SAY_VERBS, SENTENCE_STARTERS

#: A token, the spaces before it and a period right after it (everything that is not a space is in
#: some token, so the spaces are all that lies between two; ``findall`` of the triples is faster than
#: a match object per token, and only a token with a period needs a second look). The commonest
#: token, a word opening with a small letter (which no earlier branch can match), is tried first.
#: No possessive quantifiers (``*+``) on groups: Python 3.11.2, Debian 12's, matches some of them
#: wrongly (the tokens and names came out different from 3.11.7's).
_TOKEN_RE = re.compile(
    r"""(\s*)(
    [a-z]\w*(?:[’'\-.&/]\w+)*            # most words: the general word branch below, tried first
    |(?:[A-Z]\.){2,}(?:-\w+)*             # U.S., D.A., U.S.-South
    |\$?\d+(?:[.,:]\d+)*%?               # numbers, money, times
    |\w+(?:[’'\-.&/]\w+)*                # words, including he’s, Dong-hoon, Polygraph.info
    |[^\w\s]                             # one punctuation mark
    )(\.?)""",
    re.VERBOSE,
)
#: Abbreviations that keep their period as part of the token ("Mr.", "Lt.", "Nov.").
_DOTTED = frozenset(a.capitalize() for a in abbreviations("dotted"))
_INITIAL_NEXT = re.compile(r"\.\s+[A-Z]")
#: The end of a sentence: final punctuation, closing marks, then a sentence start or the end. A match
#: starts only at the first mark of a run and never gives back what it took (possessive), so a long
#: run of "?!." followed by no sentence start costs its length once, not its length squared. The
#: pattern opens with a mark (the look back comes after it) so the regex engine skips from mark to
#: mark instead of trying the look back at every character.
_BOUNDARY_RE = re.compile(r"[.!?…](?<![.!?…][.!?…])[.!?…]*+[”\"’')\]]*+(?:(?=\s+[“\"‘'`(\[A-Z0-9$])|\s*$)")
_PARA_RE = re.compile(r"[^\n]+")


class Token:
    """One token of a sentence: a word ("w"), a punctuation mark ("p") or a whole quotation ("q").

    A plain class with slots, not a dataclass: sentences are tokenized by the hundred thousand, and
    its one ``__init__`` fills ``low`` (the lower-cased text) without a second call."""

    __slots__ = ("end", "kind", "low", "quote", "start", "text")

    def __init__(
        self, kind: str, text: str, start: int, end: int, quote: Quote | None = None, low: str = ""
    ) -> None:
        self.kind = kind  # one store per slot: cheaper than a tuple assignment
        self.text = text
        self.start = start
        self.end = end
        self.quote = quote
        self.low = low or text.lower()

    def __repr__(self) -> str:
        return f"Token({self.kind!r}, {self.text!r}, {self.start}, {self.end})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Token):
            return NotImplemented
        return (self.kind, self.text, self.start, self.end, self.quote) == (
            other.kind,
            other.text,
            other.start,
            other.end,
            other.quote,
        )

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dataclass it replaces


@dataclass
class Sentence:
    start: int
    end: int
    para: int
    toks: list[Token]
    quotes: list[Quote]


# --- paragraphs, quotations, sentences --------------------------------------------------------


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Body paragraphs as (start, end) offsets, stripped; the title line is left out.

    The title is the first non-empty line when it is followed by a blank line and more text,
    which is the dev-set/corpus format. A text without blank lines is all body.
    """
    spans = []
    for match in _PARA_RE.finditer(text):
        start, end = match.span()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append((start, end))
    if len(spans) > 1 and re.search(r"\n[ \t\r]*\n", text[spans[0][1] : spans[1][0]]):
        spans = spans[1:]
    return spans


#: The word before a final period. A match can only start where such a word does (the look back),
#: so the engine does not try, and fail, at every letter of the words before it.
_WORD_BEFORE_DOT = re.compile(r"(?<![\w.’'])([\w.’']+)\.$")
_INITIALS = re.compile(r"(?:[A-Z]\.)+[A-Z]")
_NEXT_WORD = re.compile(r"\s+(\S+)")


def _is_abbreviation(text: str, dot: int) -> bool:
    """True when the period at ``dot`` ends an abbreviation or an initial, not a sentence."""
    match = _WORD_BEFORE_DOT.search(text[max(0, dot - 30) : dot + 1])
    if not match:
        return False
    word = match.group(1)
    if word.lower().rstrip(".") in ABBREVIATIONS:
        return True
    if len(word) == 1 and word.isupper():
        return True
    if _INITIALS.fullmatch(word):
        follower = _NEXT_WORD.match(text[dot + 1 : dot + 40])
        return not (follower and follower.group(1) in SENTENCE_STARTERS)
    return False


def split_sentences(text: str, lo: int, hi: int, quotes: list[Quote], para: int) -> list[Sentence]:
    """Split a paragraph into sentences; quotations are never split and keep their attribution."""
    cuts = [lo]
    starts = [q.outer_start for q in quotes]
    closing_ends = {q.outer_end for q in quotes if q.close_mark >= 0}
    all_ends = {q.outer_end for q in quotes}
    for match in _BOUNDARY_RE.finditer(text, lo, hi):
        end = match.end()
        while end > match.start() and text[end - 1].isspace():
            end -= 1
        punct_at = match.start() + len(match.group(0).rstrip().rstrip("”\"’')]")) - 1
        if inside_quote(punct_at, quotes, starts) and end not in all_ends:
            continue
        if end >= hi or inside_quote(end, quotes, starts):
            continue
        if text[punct_at] == "." and _is_abbreviation(text, punct_at):
            continue
        if end in closing_ends and _starts_attribution(text, end, hi):
            continue
        cuts.append(end)
    cuts.append(hi)
    out = []
    first = 0
    for a, b in pairwise(cuts):
        while a < b and text[a].isspace():
            a += 1
        if b > a:
            while first < len(quotes) and quotes[first].outer_end <= a:
                first += 1
            last = first  # by index, not by slicing the rest: a paragraph may hold 100,000 quotes
            while last < len(quotes) and quotes[last].outer_start < b:
                last += 1
            inside = quotes[first:last]
            for pa, pb, pquotes in limit_sentence(text, a, b, inside):
                out.append(Sentence(pa, pb, para, tokenize(text, pa, pb, pquotes), pquotes))
    return out


_MAX_NARRATION = 3000  # characters outside quotations; longer "sentences" (lists, junk) are cut


def limit_sentence(text: str, a: int, b: int, quotes: list[Quote]) -> list[tuple[int, int, list[Quote]]]:
    """Cut an over-long sentence into pieces of at most a few thousand characters of narration.

    Why: the per-sentence analysis compares cues pairwise; real sentences are short, but
    scraped text can contain a paragraph of thousands of words with no full stop. Only the
    narration counts: a quotation is one token however long it is, so a 10,000-character quote
    stays in one piece with its attribution, and a cut is never made inside a quotation (it
    falls at a space in the narration when there is one).
    """
    if b - a <= _MAX_NARRATION:
        return [(a, b, quotes)]
    out: list[tuple[int, int, list[Quote]]] = []
    start, used, pos, first = a, 0, a, 0  # quotes[first:] are not in a piece yet (they are sorted)
    for index, quote in enumerate([*quotes, None]):
        gap_end = b if quote is None else min(max(quote.outer_start, pos), b)
        while gap_end - pos > _MAX_NARRATION - used:  # this stretch of narration overflows the piece
            limit = pos + _MAX_NARRATION - used
            space = text.rfind(" ", max(pos, start + 1), limit)
            cut = space if space > start else max(limit, start + 1)
            out.append((start, cut, quotes[first:index]))
            start, used, pos, first = cut, 0, cut, index
        used += gap_end - pos
        pos = gap_end if quote is None else max(pos, min(quote.outer_end, b))
    if start < b:
        out.append((start, b, quotes[first:]))
    return out


def _starts_attribution(text: str, pos: int, hi: int) -> bool:
    """Is the text after a closing quote a short attribution ("Smith said.") and not a new sentence?

    Only a short clause (at most six words up to the next punctuation) with a reporting verb
    counts, so "… ISIS.” Lamrani further described the idea …" still starts a new sentence.
    """
    rest = re.split(r"[.,;:!?“\"‘]", text[pos : min(hi, pos + 120)], maxsplit=1)[0]
    words = rest.split()
    return 0 < len(words) <= 6 and any(w in SAY_VERBS or w in LABEL_VERBS for w in words)


def tokenize(text: str, lo: int, hi: int, quotes: list[Quote]) -> list[Token]:
    """Tokens of a sentence with each quotation collapsed into one "q" token."""
    if not quotes:  # most sentences
        return _word_tokens(text, lo, hi)
    toks: list[Token] = []
    pos = lo
    for q in sorted(quotes, key=lambda q: q.outer_start):
        qs, qe = max(q.outer_start, lo), min(q.outer_end, hi)
        toks.extend(_word_tokens(text, pos, qs))
        toks.append(Token("q", text[qs:qe], qs, qe, q))
        pos = max(pos, qe)
    toks.extend(_word_tokens(text, pos, hi))
    return toks


def _word_tokens(text: str, lo: int, hi: int) -> list[Token]:
    """Word and punctuation tokens; abbreviations and initials keep their period ("Lt.", "F.").

    Tokens are made by the hundred thousand, so each is made here without ``Token.__init__`` (the
    class call and its frame cost more than the six stores, one per slot: a tuple assignment would
    build and unpack a tuple)."""
    out: list[Token] = []
    append, new_token, token = out.append, object.__new__, Token
    end = lo
    for space, word, period in _TOKEN_RE.findall(text, lo, hi):
        start = end + len(space)
        end = start + len(word)
        first = word[0]
        kind = "w" if first.isalnum() or first == "$" else "p"
        if period and (
            word in _DOTTED or (len(word) == 1 and word.isupper() and _INITIAL_NEXT.match(text, end))
        ):
            word, end, period = word + ".", end + 1, ""  # the period belongs to the token
        tok = new_token(token)
        tok.kind = kind
        tok.text = word
        tok.start = start
        tok.end = end
        tok.quote = None
        tok.low = word.lower()
        append(tok)
        if period:  # the period ends the sentence or the number: a token of its own
            append(Token("p", ".", end, end + 1, None, "."))
            end += 1
    return out


# --- token access -----------------------------------------------------------------------------


def word_at(toks: list[Token], i: int) -> str:
    """Lower-case text of token ``i`` or "" when out of range."""
    return toks[i].low if 0 <= i < len(toks) else ""


def text_at(toks: list[Token], i: int) -> str:
    """Text of token ``i`` as printed, or "" when out of range: for tests of case, which
    ``word_at`` (lower case) cannot answer."""
    return toks[i].text if 0 <= i < len(toks) else ""
