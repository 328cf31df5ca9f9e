"""Quotation marks: which marks open and close a quotation, per paragraph.

Curly, straight and AP-style marks, quotations reopened on each paragraph of a long quote,
inner single quotes; nicknames and quoted titles are recognised here so that they never become
quotations.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from utils.extract.lexicon import words
from utils.extract.records import Who
from utils.extract.vocab import ARTICLES, POSSESSIVES

#: AP-style ’’ / '' also close a quote. Every alternative a single mark, not a class: then the regex
#: engine knows the characters a match opens with and skips straight to them.
_DOUBLE_MARKS = re.compile(r"’’|''|‘‘|``|“|”|\"")
_SINGLE_MARKS = re.compile(r"[‘’']")

# --- data structures --------------------------------------------------------------------------


@dataclass
class Quote:
    """A quotation: content [start, end) and the mark positions (-1 when missing)."""

    start: int
    end: int
    open_mark: int
    close_mark: int
    para: int = 0
    open_len: int = 1
    close_len: int = 1
    speaker: str = ""
    affiliation: str = ""
    cue: str = ""
    rule: str = ""
    inner: list[Quote] = field(default_factory=list)
    done: bool = False  # already emitted as a direct row
    who: Who | None = None  # the speaker it was emitted with (a quote continued next paragraph keeps it)

    @property
    def outer_start(self) -> int:
        return self.open_mark if self.open_mark >= 0 else self.start

    @property
    def outer_end(self) -> int:
        return self.close_mark + self.close_len if self.close_mark >= 0 else self.end


def _mark_role(text: str, i: int, j: int, lo: int, hi: int) -> str:
    """Classify a double mark ``text[i:j]`` as "open", "close" or "either" from its neighbours."""
    mark = text[i:j]
    prev = text[i - 1] if i > lo else " "
    nxt = text[j] if j < hi else " "
    if mark in {"“", "‘‘", "``"}:
        return "close" if (nxt.isspace() or j >= hi) and not prev.isspace() and i > lo else "open"
    if mark in {"”", "’’"}:
        return "open" if (prev.isspace() or prev == ":" or i == lo) and nxt.isalnum() else "close"
    left_open = prev.isspace() or prev in "([{—–-/:‘"
    right_open = nxt.isspace() or nxt in ".,;:!?)]}—–-’"
    if left_open and not right_open:
        return "open"
    if right_open and not left_open:
        return "close"
    return "either"


def find_quotes(text: str, lo: int, hi: int, para: int) -> list[Quote]:
    """Pair quotation marks inside one paragraph; an unclosed quote runs to the paragraph end."""
    quotes: list[Quote] = []
    open_at, open_len = -1, 1
    marks = False  # any double mark at all (most paragraphs have none: no second search for them)
    for match in _DOUBLE_MARKS.finditer(text, lo, hi):
        marks = True
        i, j = match.span()
        role = _mark_role(text, i, j, lo, hi)
        if open_at < 0:
            if role != "close":
                open_at, open_len = i, j - i
            continue
        if role == "open" and text[i] in "“‘`" and text[open_at] in "“‘`":
            open_at, open_len = i, j - i  # a stray opening mark: restart at the later one
            continue
        if role in {"close", "either"}:
            quotes.append(_make_quote(text, open_at, i, para, open_len=open_len, close_len=j - i))
            open_at = -1
    if open_at >= 0 and hi - open_at > open_len:
        quotes.append(_make_quote(text, open_at, -1, para, hi, open_len=open_len))
    quotes = [
        q
        for q in quotes
        if not _is_nickname(text, q)
        and not _is_title(text, q)
        and not _is_name_modifier(text, q)
        and not _is_named_work(text, q)
    ]
    quotes = _drop_title_lists(text, quotes)
    if not quotes and not marks:
        quotes = _single_quotes(text, lo, hi, para, primary=True)
    for q in quotes:
        q.inner = _single_quotes(text, q.start, q.end, para, primary=False)
    return [q for q in quotes if q.end > q.start]


_NICKNAME_RE = re.compile(r"[A-Z][\w.’'\-]*(?: [A-Z][\w.’'\-]*)?")


def _is_nickname(text: str, q: Quote) -> bool:
    """Robert “Bob” Smith: a quoted nickname between two name words is part of the name."""
    if q.close_mark < 0 or not _NICKNAME_RE.fullmatch(text[q.start : q.end]):
        return False
    before = text[max(0, q.outer_start - 40) : q.outer_start]
    after = text[q.outer_end : q.outer_end + 40]
    return bool(re.search(r"[A-Z][\w.’'\-]* $", before)) and bool(re.match(r" [A-Z]", after))


SMALL_WORDS = words("small-words")
_ACRONYM_ONLY = re.compile(r"[A-Z]{2,6}[.,]?")
_QUOTED_WORD = re.compile(r"[^\W_][\w’'\-]*")
_CLAUSE_MARK = re.compile(r"[.,!?]")
_LOWER_WORD_NEXT = re.compile(r"\s+([a-z][a-z\-]+)")
_LIST_GAP = re.compile(r"[\s,;]*(?:and|or)?\s*")


def _is_title(text: str, q: Quote) -> bool:
    """“Listen To The Music”: four or more words in title case name a work, not speech; so does
    a lone acronym (an episode of “DWTS.”)."""
    if _ACRONYM_ONLY.fullmatch(text[q.start : q.end]):
        return True
    words = _QUOTED_WORD.findall(text[q.start : q.end])
    if len(words) < 4:
        return False
    return all(w[0].isupper() or w[0].isdigit() or (k > 0 and w in SMALL_WORDS) for k, w in enumerate(words))


_NOT_NOUNS_AFTER = words("not-nouns-after")
_MODIFIERS = "|".join(sorted(ARTICLES | POSSESSIVES))  # "the", "his": the quoted name modifies a noun
_MODIFIER_BEFORE = re.compile(rf"(?:\b(?:{_MODIFIERS})|[’']s)\s*$", re.IGNORECASE)

_WORK_NOUNS = "|".join(sorted(words("work-nouns")))
#: "his book “…”", "their weekly podcast “…”", "a paper titled “…”": a possessive or an article, at
#: most two words, then a noun naming a work; or "titled" / "entitled" right before the mark. No
#: comma between: "In the long term, “…” he said" quotes him.
_WORK_BEFORE = re.compile(
    rf"(?:\b(?:{_MODIFIERS})\s+(?:[\w\-]+\s+){{0,2}}(?:{_WORK_NOUNS})|\b(?:en)?titled)\s*$",
    re.IGNORECASE,
)


def _is_named_work(text: str, q: Quote) -> bool:
    """“Musicophilia” after "his book", “software engineering” after "the term": the quotation names
    a work or a coined term, it quotes nobody."""
    return bool(_WORK_BEFORE.search(text[max(0, q.outer_start - 60) : q.outer_start]))


_NOT_A_NOUN_AFTER = SMALL_WORDS | _NOT_NOUNS_AFTER  # made once, not per call


def _is_name_modifier(text: str, q: Quote) -> bool:
    """Mugabe's “Blue House” compound, the “Bad Blood” singer: a quoted name before a noun."""
    if q.close_mark < 0:
        return False
    words = _QUOTED_WORD.findall(text[q.start : q.end])
    if not 1 <= len(words) <= 4 or not all(w[0].isupper() or w in SMALL_WORDS for w in words):
        return False
    if not words[0][0].isupper() or _CLAUSE_MARK.search(text[q.start : q.end]):
        return False
    after = _LOWER_WORD_NEXT.match(text[q.outer_end : q.outer_end + 40])
    if after is None or after.group(1) in _NOT_A_NOUN_AFTER:
        return False
    return bool(_MODIFIER_BEFORE.search(text[max(0, q.outer_start - 30) : q.outer_start]))


def _drop_title_lists(text: str, quotes: list[Quote]) -> list[Quote]:
    """Three or more quotations in a row separated only by commas/"and" are a list of titles."""
    runs: list[list[Quote]] = []
    for q in quotes:
        if runs and runs[-1][-1].close_mark >= 0:
            gap = text[runs[-1][-1].outer_end : q.outer_start]
            if _LIST_GAP.fullmatch(gap):
                runs[-1].append(q)
                continue
        runs.append([q])
    return [q for run in runs if len(run) < 3 for q in run]


def _make_quote(
    text: str, open_mark: int, close_mark: int, para: int, hi: int = -1, open_len: int = 1, close_len: int = 1
) -> Quote:
    """Build a quote with its content trimmed of surrounding spaces."""
    start = open_mark + open_len
    end = close_mark if close_mark >= 0 else hi
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Quote(start, end, open_mark, close_mark, para, open_len, close_len)


def _single_quotes(text: str, lo: int, hi: int, para: int, primary: bool) -> list[Quote]:
    """Pair single marks (‘…’ or '…'), telling closing quotes from apostrophes by the next char."""
    quotes = []
    open_at = -1
    for match in _SINGLE_MARKS.finditer(text, lo, hi):
        i = match.start()
        prev = text[i - 1] if i > lo else " "
        nxt = text[i + 1] if i + 1 < hi else " "
        can_open = (prev.isspace() or prev in '(“"[—–-:,') and not nxt.isspace() and not nxt.isdigit()
        can_close = not prev.isspace() and not (nxt.isalnum())
        if (text[i] == "‘" and open_at < 0 and can_open) or (open_at < 0 and can_open and text[i] == "'"):
            open_at = i
        elif open_at >= 0 and can_close:
            if not primary or len(text[open_at:i].split()) >= 3:
                quotes.append(_make_quote(text, open_at, i, para))
            open_at = -1
    return quotes


def inside_quote(pos: int, quotes: list[Quote], starts: list[int] | None = None) -> Quote | None:
    """The quotation strictly containing ``pos`` (quotes are sorted and do not overlap)."""
    if starts is None:
        starts = [q.outer_start for q in quotes]
    k = bisect_left(starts, pos) - 1
    if k >= 0 and quotes[k].outer_start < pos < quotes[k].outer_end:
        return quotes[k]
    return None
