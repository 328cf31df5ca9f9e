"""Rule-based extraction of attributed statements (direct quotes and paraphrases) from news text.

Offline and CPU-only: no tagger, no parser, no model; regular expressions, word lexicons and a
few syntax heuristics. The pipeline is

1. paragraphs (one per line; the first line is the title when a blank line follows it);
2. quotation spans per paragraph: curly, straight and AP-style ``’’`` marks, mixed pairs,
   unbalanced marks tolerated, quotes that reopen on each paragraph of a multi-paragraph quote,
   inner ‘…’ quotes; nicknames (Robert “Bob” Kagan) and titles (“Listen To The Music”, lists of
   quoted titles) are not quotations;
3. sentences, never split inside a quotation nor before a short attribution (``” he said``);
4. per sentence, reporting cues from verb lexicons (say-verbs, weak verbs that need a clause,
   listener verbs such as "told reporters", label verbs such as "called X “Y”", stance
   adjectives, "according to"), each with its speaker and content:
   speaker on the left ("Ryan said", "Ryan, a retired general, said"), on the right ("said Ryan,
   a ..."), elided ("…, saying", "and said", "As Gupta noted, …"), in a relative clause ("who
   said", "which Bezos said had …"); content on the right (clause after "that"/the listener), on
   the left ("…, officials said"), or both ("X, he said, Y" is joined to "X Y");
   nested reports give one row per source ("A said B, C reported");
5. continuation rules for quotations without a cue of their own: further quotes of a paragraph's
   speaker, a quote-only paragraph after a quoted speaker, a quoted phrase continuing the
   previous sentence's quote, a quote after "X summed it up:", quoted subheads matched to the
   quote they repeat, lists announced by "X said:" / "Analysts offered three theories:".

What is left out on purpose: narration, scare quotes and labels, agentless passives, "reportedly",
questions, and first-person narration ("we're told"). Speakers are resolved by
:mod:`utils.speakers`. A failure of the rules is isolated to its paragraph: :func:`extract` returns
the other paragraphs' statements and the failed paragraphs as :class:`ParagraphFailure` entries;
:func:`extract_statements` also warns once per failed paragraph (:class:`ExtractionWarning`).
"""

from __future__ import annotations

import re
import warnings
from bisect import bisect_left
from dataclasses import dataclass, field
from itertools import pairwise

from utils.extract.lexicon import abbreviations, verb_forms, words
from utils.speakers import (
    DOCUMENT_NOUNS,
    FIRST_NAMES,
    ROLE_WORDS,
    SpeakerBook,
    analyse_np,
    is_adverbial,
    looks_like_role,
)

__all__ = [
    "Extraction",
    "ExtractionWarning",
    "ParagraphFailure",
    "Statement",
    "describe_failure",
    "extract",
    "extract_statements",
]


@dataclass(frozen=True)
class Statement:
    """One attributed statement; offsets index the text given to :func:`extract_statements`."""

    speaker: str
    affiliation: str
    kind: str  # "direct" | "paraphrase"
    text: str
    start: int
    end: int
    cue: str


# --- lexicons ---------------------------------------------------------------------------------


#: Verbs whose complement is a content clause; these make paraphrase rows.
SAY_VERBS = verb_forms("speech")

#: Verbs of shouting and singing: they attribute quotations but never make paraphrase rows.
QUOTE_ONLY_VERBS = verb_forms("quote-only")

#: Verbs that take an object before the clause ("told reporters that ...").
OBJECT_VERBS = verb_forms("object")

#: Verbs that license a quoted fragment in their complement but make no paraphrase row.
LABEL_VERBS = verb_forms("label")

#: Weak verbs: they often take a plain noun phrase ("reported a loss"), so they need "that" or a
#: clause-looking complement before a paraphrase row is made.
WEAK_VERBS = verb_forms("weak")

#: Verbs that can report a preceding clause without quotation marks ("…, officials said").
TRAILING_VERBS = verb_forms("trailing")

#: Noun-like forms that are only cues when "that" follows ("fears that ...").
NOUNISH = verb_forms("nounish")
#: Ask-verbs report a question: a row only for "asked whether/if/why/how/what ...".
ASK_VERBS = verb_forms("ask")

#: Verbs whose complement starts right after the verb ("accused X of Y", "urged X to Y").
DIRECTIVE_VERBS = verb_forms("directive")

PARTICIPLES = frozenset(w for w in SAY_VERBS | LABEL_VERBS if w.endswith("ing"))

#: Adjectives that make "are adamant that ..." a stance report.
STANCE_ADJECTIVES = words("stance-adjectives")
#: "are of the view that", "is of the opinion that": a stance with a content clause.
STANCE_NOUNS = words("stance-nouns")

#: Verbs of commitment whose infinitive is the statement ("vowed to keep trying").
COMMISSIVE_VERBS = verb_forms("commissive")
#: Verbs whose gerund complement is the statement ("denied being unfair", "admitted taking").
GERUND_VERBS = verb_forms("gerund")
_ING_NOUNS = words("ing-nouns")

_BE = words("be")
_AUX = words("aux")
_ADVERBS = words("adverbs")
#: Common irregular past tenses: after a name they are verbs, so a noun phrase stops there.
_IRREGULAR_PAST = words("irregular-past")
_TIME_WORDS = words("time-words")
_TIME_INTRO = words("time-intro")
_CLAUSE_STOP = words("clause-stop")
_PREPOSITIONS = words("prepositions")
_SUBJECT_PRONOUNS = words("subject-pronouns")
_FINITE_HINTS = _BE | _AUX | words("negative-contractions")
_INTRO_WORDS = words("intro-words")
_CUT_MARKERS = re.compile(r"\s*(?:,\s*but\b|;|,\s*as\b|,\s*though\b|,\s*although\b)")
_ABBREVIATIONS = abbreviations("sentence")
_SENTENCE_STARTERS = words("sentence-starters")

_TOKEN_RE = re.compile(
    r"""(?:[A-Z]\.){2,}(?:-\w+)*          # U.S., D.A., U.S.-South
    |\$?\d+(?:[.,:]\d+)*%?               # numbers, money, times
    |\w+(?:[’'\-.&/]\w+)*                # words, including he’s, Dong-hoon, Polygraph.info
    |[^\w\s]                             # one punctuation mark
    """,
    re.VERBOSE,
)
#: Abbreviations that keep their period as part of the token ("Mr.", "Lt.", "Nov.").
_DOTTED = frozenset(a.capitalize() for a in abbreviations("dotted"))
_INITIAL_NEXT = re.compile(r"\.\s+[A-Z]")
_DOUBLE_MARKS = re.compile(r"’’|''|‘‘|``|[“”\"]")  # AP-style ’’ / '' also close a quote
_SINGLE_MARKS = re.compile(r"[‘’']")
_BOUNDARY_RE = re.compile(r"[.!?…]+[”\"’')\]]*(?=\s+[“\"‘'`(\[A-Z0-9$])|[.!?…]+[”\"’')\]]*\s*$")
_PARA_RE = re.compile(r"[^\n]+")

# --- data structures --------------------------------------------------------------------------


@dataclass
class _Quote:
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
    inner: list[_Quote] = field(default_factory=list)
    done: bool = False  # already emitted as a direct row

    @property
    def outer_start(self) -> int:
        return self.open_mark if self.open_mark >= 0 else self.start

    @property
    def outer_end(self) -> int:
        return self.close_mark + self.close_len if self.close_mark >= 0 else self.end


@dataclass(slots=True)
class _Tok:
    kind: str  # "w" word, "p" punctuation, "q" quotation
    text: str
    start: int
    end: int
    quote: _Quote | None = None
    low: str = ""  # lower-cased text, filled in on creation

    def __post_init__(self) -> None:
        self.low = self.text.lower()


@dataclass
class _Sentence:
    start: int
    end: int
    para: int
    toks: list[_Tok]
    quotes: list[_Quote]


@dataclass(frozen=True)
class _Who:
    """A resolved speaker with the cue that introduced it."""

    speaker: str
    affiliation: str
    cue: str
    kind: str = "person"


@dataclass
class _State:
    """Per-article extraction state: output, speaker memory, recent speakers for continuations."""

    text: str
    book: SpeakerBook = field(default_factory=SpeakerBook)
    out: list[Statement] = field(default_factory=list)
    para_last: dict[int, _Who] = field(default_factory=dict)  # paragraph -> last speaker in it
    prev_direct: tuple[int, int, _Who] | None = None  # (paragraph, sentence end, who)
    pending: list[_Quote] = field(default_factory=list)  # quote-only sentences awaiting a speaker
    para_starts: list[int] = field(default_factory=list)
    prev_sentence: _Sentence | None = None
    headings: list[tuple[_Quote, _Who | None]] = field(default_factory=list)  # quoted subheads
    list_who: _Who | None = None  # "Analysts offered three theories:" -> the next paragraphs
    list_style: bool | None = None  # whether list items end with a period
    introduced: dict[int, _Who] = field(default_factory=dict)  # paragraph -> source introduced there
    spoken: set[str] = field(default_factory=set)
    directs: list[tuple[set[str], _Who]] = field(default_factory=list)  # words of quotes emitted


# --- public entry point -----------------------------------------------------------------------


class ExtractionWarning(UserWarning):
    """A paragraph could not be analysed and was skipped; the rest of the article was extracted."""


@dataclass(frozen=True)
class ParagraphFailure:
    """A paragraph the rules failed on: its character range and the error ("Type: message")."""

    start: int
    end: int
    error: str


@dataclass(frozen=True)
class Extraction:
    """Statements found in a text, and the paragraphs that failed and were left out."""

    statements: list[Statement]
    failures: list[ParagraphFailure]


class _ParagraphFailed(Exception):
    """Raised by the article loop when the rules fail inside paragraph ``index`` (-1: the title)."""

    def __init__(self, index: int, start: int, end: int, error: BaseException) -> None:
        super().__init__(index)
        self.index, self.start, self.end = index, start, end
        self.error = _one_line_error(error)


_MAX_ERROR = 200  # characters of an error message kept in a failure


def _one_line_error(exc: BaseException) -> str:
    """ "IndexError: list index out of range" on one line, however long or multi-line the message."""
    message = " ".join(str(exc).split())
    if len(message) > _MAX_ERROR:
        message = message[: _MAX_ERROR - 1] + "…"
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def extract(text: str) -> Extraction:
    """Extract attributed statements in article order, isolating failures to their paragraph.

    Why a paragraph is the unit: a sentence is not one (a quote's speaker is often named in the
    next sentence, and quote-only sentences wait for the paragraph's end), while a paragraph is
    what a reader can find and check in the article. When the rules fail inside a paragraph,
    the whole article is extracted again without it, so speaker memory and continuation state
    are exactly as if the paragraph were absent. A snapshot of the state before each paragraph
    would have to copy the speaker book and open quotations every time; a re-run costs nothing
    until something fails, then one pass per failed paragraph.
    """
    if not isinstance(text, str):
        raise TypeError(f"extract() needs the article text as str, not {type(text).__name__}")
    if not text.strip():
        return Extraction([], [])
    paragraphs = _paragraphs(text)
    failed: dict[int, ParagraphFailure] = {}
    while True:
        try:
            statements = _extract(text, paragraphs, frozenset(failed))
        except _ParagraphFailed as failure:
            if failure.index in failed:  # cannot happen: a skipped paragraph is never run
                raise RuntimeError(f"paragraph {failure.index} failed twice") from failure
            failed[failure.index] = ParagraphFailure(failure.start, failure.end, failure.error)
            continue
        return Extraction(statements, [failed[k] for k in sorted(failed)])


def extract_statements(text: str) -> list[Statement]:
    """Extract attributed statements in article order; one :class:`ExtractionWarning` per failed paragraph.

    The warning names the paragraph (character range and first words) and the error, so the
    command line shows it on one line and nothing is lost silently; :func:`extract` gives the
    failures as data.
    """
    result = extract(text)
    for failure in result.failures:
        warnings.warn(describe_failure(text, failure), ExtractionWarning, stacklevel=2)
    return result.statements


def describe_failure(text: str, failure: ParagraphFailure) -> str:
    """One line: which paragraph was skipped (range, first words) and why."""
    opening = text[failure.start : min(failure.end, failure.start + 400)]
    words = " ".join("".join(c if c.isprintable() else " " for c in opening).split())
    head = " ".join(words.split(" ")[:8])
    if len(head) > 60:
        head = head[:59] + "…"
    elif len(head) < len(words) or failure.end > failure.start + 400:
        head += " …"
    return (
        f"paragraph at characters {failure.start}-{failure.end} (“{head}”) was skipped: {failure.error}"
        " — its statements are missing; the rest of the article was extracted"
    )


def _extract(text: str, paragraphs: list[tuple[int, int]], skip: frozenset[int]) -> list[Statement]:
    """One pass over the article; paragraphs in ``skip`` are left out; a failure raises _ParagraphFailed."""
    state = _State(text)
    state.book.article = text
    state.para_starts = [start for start, _end in paragraphs]
    if paragraphs and paragraphs[0][0] > 0 and -1 not in skip:
        title_end = len(text[: paragraphs[0][0]].rstrip())
        try:
            state.book.observe_orgs(text[: paragraphs[0][0]], 0)  # the title names what the article is about
        except Exception as exc:
            raise _ParagraphFailed(-1, 0, title_end, exc) from exc
    open_quote: _Quote | None = None
    for index, (pstart, pend) in enumerate(paragraphs):
        if index in skip:
            open_quote = None
            continue
        try:
            open_quote = _paragraph(state, index, pstart, pend, open_quote)
        except Exception as exc:
            raise _ParagraphFailed(index, pstart, pend, exc) from exc
    _finish_article(state, paragraphs)
    return _dedupe(state.out)


def _paragraph(state: _State, index: int, pstart: int, pend: int, open_quote: _Quote | None) -> _Quote | None:
    """Extract one paragraph; returns its quotation left open at the end (it may continue), if any."""
    text = state.text
    quotes = _find_quotes(text, pstart, pend, index)
    continued = open_quote is not None and bool(quotes) and quotes[0].open_mark == pstart
    if continued and open_quote is not None and open_quote.speaker:
        quotes[0].speaker, quotes[0].affiliation, quotes[0].cue = (
            open_quote.speaker,
            open_quote.affiliation,
            open_quote.cue,
        )
    sentences = _sentences(text, pstart, pend, quotes, index)
    if state.list_who is not None and _list_item(state, sentences, quotes, (pstart, pend)):
        return None
    for sentence in sentences:
        _process_sentence(state, sentence)
    _finish_paragraph(state, quotes, index)
    return quotes[-1] if quotes and quotes[-1].close_mark < 0 else None


def _dedupe(statements: list[Statement]) -> list[Statement]:
    """Keep article order and drop exact duplicates (one span found by two rules)."""
    seen: set[tuple[int, int, str, str]] = set()
    out = []
    for st in sorted(statements, key=lambda s: (s.start, s.end)):
        key = (st.start, st.end, st.kind, st.speaker)
        if key not in seen and st.text.strip():
            seen.add(key)
            out.append(st)
    return out


# --- paragraphs, quotations, sentences --------------------------------------------------------


def _paragraphs(text: str) -> list[tuple[int, int]]:
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


def _find_quotes(text: str, lo: int, hi: int, para: int) -> list[_Quote]:
    """Pair quotation marks inside one paragraph; an unclosed quote runs to the paragraph end."""
    quotes: list[_Quote] = []
    open_at, open_len = -1, 1
    for match in _DOUBLE_MARKS.finditer(text, lo, hi):
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
        if not _is_nickname(text, q) and not _is_title(text, q) and not _is_name_modifier(text, q)
    ]
    quotes = _drop_title_lists(text, quotes)
    if not quotes and not _DOUBLE_MARKS.search(text, lo, hi):
        quotes = _single_quotes(text, lo, hi, para, primary=True)
    for q in quotes:
        q.inner = _single_quotes(text, q.start, q.end, para, primary=False)
    return [q for q in quotes if q.end > q.start]


_NICKNAME_RE = re.compile(r"[A-Z][\w.’'\-]*(?: [A-Z][\w.’'\-]*)?")


def _is_nickname(text: str, q: _Quote) -> bool:
    """Robert “Bob” Smith: a quoted nickname between two name words is part of the name."""
    if q.close_mark < 0 or not _NICKNAME_RE.fullmatch(text[q.start : q.end]):
        return False
    before = text[max(0, q.outer_start - 40) : q.outer_start]
    after = text[q.outer_end : q.outer_end + 40]
    return bool(re.search(r"[A-Z][\w.’'\-]* $", before)) and bool(re.match(r" [A-Z]", after))


_SMALL_WORDS = words("small-words")


def _is_title(text: str, q: _Quote) -> bool:
    """“Listen To The Music”: four or more words in title case name a work, not speech; so does
    a lone acronym (an episode of “DWTS.”)."""
    if re.fullmatch(r"[A-Z]{2,6}[.,]?", text[q.start : q.end]):
        return True
    words = re.findall(r"[^\W_][\w’'\-]*", text[q.start : q.end])
    if len(words) < 4:
        return False
    return all(w[0].isupper() or w[0].isdigit() or (k > 0 and w in _SMALL_WORDS) for k, w in enumerate(words))


_NOT_NOUNS_AFTER = words("not-nouns-after")
_MODIFIER_BEFORE = re.compile(r"(?:\b(?:the|a|an|his|her|its|their|our|my|your)|[’']s)\s*$", re.IGNORECASE)


def _is_name_modifier(text: str, q: _Quote) -> bool:
    """Mugabe's “Blue House” compound, the “Bad Blood” singer: a quoted name before a noun."""
    if q.close_mark < 0:
        return False
    words = re.findall(r"[^\W_][\w’'\-]*", text[q.start : q.end])
    if not 1 <= len(words) <= 4 or not all(w[0].isupper() or w in _SMALL_WORDS for w in words):
        return False
    if not words[0][0].isupper() or re.search(r"[.,!?]", text[q.start : q.end]):
        return False
    after = re.match(r"\s+([a-z][a-z\-]+)", text[q.outer_end : q.outer_end + 40])
    if after is None or after.group(1) in _SMALL_WORDS | _NOT_NOUNS_AFTER:
        return False
    return bool(_MODIFIER_BEFORE.search(text[max(0, q.outer_start - 30) : q.outer_start]))


def _drop_title_lists(text: str, quotes: list[_Quote]) -> list[_Quote]:
    """Three or more quotations in a row separated only by commas/"and" are a list of titles."""
    runs: list[list[_Quote]] = []
    for q in quotes:
        if runs and runs[-1][-1].close_mark >= 0:
            gap = text[runs[-1][-1].outer_end : q.outer_start]
            if re.fullmatch(r"[\s,;]*(?:and|or)?\s*", gap):
                runs[-1].append(q)
                continue
        runs.append([q])
    return [q for run in runs if len(run) < 3 for q in run]


def _make_quote(
    text: str, open_mark: int, close_mark: int, para: int, hi: int = -1, open_len: int = 1, close_len: int = 1
) -> _Quote:
    """Build a quote with its content trimmed of surrounding spaces."""
    start = open_mark + open_len
    end = close_mark if close_mark >= 0 else hi
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return _Quote(start, end, open_mark, close_mark, para, open_len, close_len)


def _single_quotes(text: str, lo: int, hi: int, para: int, primary: bool) -> list[_Quote]:
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


def _is_abbreviation(text: str, dot: int) -> bool:
    """True when the period at ``dot`` ends an abbreviation or an initial, not a sentence."""
    match = re.search(r"([\w.’']+)\.$", text[max(0, dot - 30) : dot + 1])
    if not match:
        return False
    word = match.group(1)
    if word.lower().rstrip(".") in _ABBREVIATIONS:
        return True
    if len(word) == 1 and word.isupper():
        return True
    if re.fullmatch(r"(?:[A-Z]\.)+[A-Z]", word):
        follower = re.match(r"\s+(\S+)", text[dot + 1 : dot + 40])
        return not (follower and follower.group(1) in _SENTENCE_STARTERS)
    return False


def _inside_quote(pos: int, quotes: list[_Quote], starts: list[int] | None = None) -> _Quote | None:
    """The quotation strictly containing ``pos`` (quotes are sorted and do not overlap)."""
    if starts is None:
        starts = [q.outer_start for q in quotes]
    k = bisect_left(starts, pos) - 1
    if k >= 0 and quotes[k].outer_start < pos < quotes[k].outer_end:
        return quotes[k]
    return None


def _sentences(text: str, lo: int, hi: int, quotes: list[_Quote], para: int) -> list[_Sentence]:
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
        if _inside_quote(punct_at, quotes, starts) and end not in all_ends:
            continue
        if end >= hi or _inside_quote(end, quotes, starts):
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
            for pa, pb, pquotes in _limit_sentence(text, a, b, inside):
                out.append(_Sentence(pa, pb, para, _tokenize(text, pa, pb, pquotes), pquotes))
    return out


_MAX_NARRATION = 3000  # characters outside quotations; longer "sentences" (lists, junk) are cut


def _limit_sentence(text: str, a: int, b: int, quotes: list[_Quote]) -> list[tuple[int, int, list[_Quote]]]:
    """Cut an over-long sentence into pieces of at most a few thousand characters of narration.

    Why: the per-sentence analysis compares cues pairwise; real sentences are short, but
    scraped text can contain a paragraph of thousands of words with no full stop. Only the
    narration counts: a quotation is one token however long it is, so a 10,000-character quote
    stays in one piece with its attribution, and a cut is never made inside a quotation (it
    falls at a space in the narration when there is one).
    """
    if b - a <= _MAX_NARRATION:
        return [(a, b, quotes)]
    out: list[tuple[int, int, list[_Quote]]] = []
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


def _tokenize(text: str, lo: int, hi: int, quotes: list[_Quote]) -> list[_Tok]:
    """Tokens of a sentence with each quotation collapsed into one "q" token."""
    toks: list[_Tok] = []
    pos = lo
    for q in sorted(quotes, key=lambda q: q.outer_start):
        qs, qe = max(q.outer_start, lo), min(q.outer_end, hi)
        toks.extend(_word_tokens(text, pos, qs))
        toks.append(_Tok("q", text[qs:qe], qs, qe, q))
        pos = max(pos, qe)
    toks.extend(_word_tokens(text, pos, hi))
    return toks


def _word_tokens(text: str, lo: int, hi: int) -> list[_Tok]:
    """Word and punctuation tokens; abbreviations and initials keep their period ("Lt.", "F.")."""
    out: list[_Tok] = []
    skip_to = -1
    for match in _TOKEN_RE.finditer(text, lo, hi):
        start, end = match.span()
        if start < skip_to:
            continue
        word = match.group(0)
        if (
            end < hi
            and text[end] == "."
            and (word in _DOTTED or (len(word) == 1 and word.isupper() and _INITIAL_NEXT.match(text, end)))
        ):
            end += 1
            word += "."
            skip_to = end
        kind = "w" if word[0].isalnum() or word[0] == "$" else "p"
        out.append(_Tok(kind, word, start, end))
    return out


# --- cue detection ----------------------------------------------------------------------------


def _word(toks: list[_Tok], i: int) -> str:
    """Lower-case text of token ``i`` or "" when out of range."""
    return toks[i].low if 0 <= i < len(toks) else ""


_NAMING_VERBS = verb_forms("naming")
_DETERMINER_LIKE = words("determiner-like")


#: Lower-case words in -ly that are not adverbs ("the family said", "a US ally warned").
_LY_NOUNS = words("ly-nouns")


_LISTENERS = words("listeners")


def _ly_adverb(tok: _Tok) -> bool:
    """ "publicly", "repeatedly": a lower-case -ly word that is not one of the -ly nouns."""
    return tok.low.endswith("ly") and tok.text[:1].islower() and tok.low not in _LY_NOUNS


def _is_cue(toks: list[_Tok], i: int) -> bool:
    """Is token ``i`` a reporting verb used as a verb (not a noun, adjective or passive)?"""
    tok = toks[i]
    low = tok.low
    if tok.kind != "w" or not tok.text[0].islower():
        return False
    if low not in SAY_VERBS and low not in LABEL_VERBS:
        return False
    k = i - 1
    while k >= 0 and (toks[k].low in _ADVERBS or _ly_adverb(toks[k])):
        k -= 1
    prev, nxt = _word(toks, k), _word(toks, i + 1)
    if low in NOUNISH and not _nounish_verb(toks, i, k) and not _as_source(toks, k):
        return False
    gerund = low.endswith("ing") and prev in _PREPOSITIONS  # "for telling others"
    if prev in _DETERMINER_LIKE and not (prev == "to" and k == i - 1) and not gerund:
        return False
    if k >= 0 and toks[k].kind == "w" and re.search(r"[’']s$", toks[k].text):
        return False  # "Trump’s call", "the ministry’s claim"
    if low == "said" and ((prev == "that" and nxt == ",") or prev == "being"):
        return False  # "That said, ...", "That being said, ..."
    if nxt == "by" and low.endswith("ed"):
        return False  # "the $20 reportedly demanded by Ferro"
    if low in {"weighs", "weighed"} and nxt != "in":
        return False
    if low in {"read", "reads"}:  # "the statement read" (a document speaks), not "a sign reads"
        near = {toks[m].low for m in range(max(0, i - 2), min(len(toks), i + 3)) if m != i}
        if not near & DOCUMENT_NOUNS:
            return False
    if low in {"point", "points", "pointed"} and nxt != "out":
        return False
    if low in {"add", "adds", "added", "adding"} and nxt == "to" and _word(toks, i + 2) not in _LISTENERS:
        return False  # "adding to a mounting series of problems": increase, not speech
    if low in {"call", "calls"} and not (
        prev in _SUBJECT_PRONOUNS or prev == "to" or (k >= 0 and toks[k].text[0].isupper())
    ):
        return False
    if low in {"refer", "refers", "referred", "referring"} and nxt != "to":
        return False
    as_verbs = {"see", "sees", "consider", "view", "views", "viewed", "introduces", "introduced"}
    if low in as_verbs and "as" not in {_word(toks, m) for m in range(i + 1, i + 8)}:
        return False
    if low in _NAMING_VERBS and i + 1 < len(toks) and toks[i + 1].kind == "q":
        return False  # "a script called “Wild Rose”": a name, not a statement
    return not _is_passive(toks, i)


def _as_source(toks: list[_Tok], k: int) -> bool:
    """ "As Emily Feng reports for NPR, …": a named source after "As" makes "reports" a verb."""
    m = k
    while m >= 0 and toks[m].kind == "w" and toks[m].text[0].isupper() and toks[m].low != "as" and k - m < 5:
        m -= 1
    return m < k and m >= 0 and toks[m].low == "as" and (m == 0 or toks[m - 1].kind == "p")


_CLAUSE_OPENERS = words("clause-openers")


def _nounish_verb(toks: list[_Tok], i: int, k: int) -> bool:
    """ "the company claims its prices ..." is a verb; "raised fears that", "Syrian claims are" are nouns."""
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    if nxt is None or not (nxt.low in _CLAUSE_OPENERS or nxt.text[0].isupper()):
        return False
    if k >= 0 and (toks[k].kind == "q" or toks[k].text == ",") and nxt.text[0].isupper():
        return True  # "“…,” comments Robin Biesbroek"
    if k < 0 or toks[k].kind != "w":
        return False
    prev = toks[k].low
    return not (prev.endswith(("ed", "ing")) or prev in _BE or prev in _AUX)


def _is_passive(toks: list[_Tok], i: int) -> bool:
    """ "was announced", "are believed to", "has been accused": agentless, so no speaker."""
    k = i - 1
    while k >= 0 and toks[k].low in _ADVERBS:
        k -= 1
    if k >= 0 and toks[k].low in _BE:
        return not toks[i].low.endswith("ing")  # "are alleging" is active, "was announced" passive
    if toks[i].low.endswith("ed") and k >= 0 and toks[k].low in {"then", "and", ",", "also"}:
        for m in range(i + 1, min(len(toks), i + 10)):  # "has been studied, then recommended … by X"
            if toks[m].low == "by":
                return True
            if toks[m].low in _BE or toks[m].low in _AUX or toks[m].text in {".", ";", ","}:
                break
    return False


def _stance_cue(toks: list[_Tok], i: int) -> bool:
    """ "are adamant that", "is convinced that", "are of the view that": a stance with a content clause."""
    if _word(toks, i + 1) != "that":
        return False
    if toks[i].low in STANCE_NOUNS:
        return _word(toks, i - 1) == "the" and _word(toks, i - 2) == "of" and _word(toks, i - 3) in _BE
    return toks[i].low in STANCE_ADJECTIVES and _word(toks, i - 1) in _BE


def _find_cues(toks: list[_Tok]) -> list[int]:
    cues = []
    for i, tok in enumerate(toks):
        if tok.kind != "w":
            continue
        according = (tok.low == "according" and _word(toks, i + 1) == "to") or _per_cue(toks, i)
        if according or _is_cue(toks, i) or _stance_cue(toks, i):
            cues.append(i)
    return cues


# --- noun phrases -----------------------------------------------------------------------------


def _bracketed_name(toks: list[_Tok], k: int) -> bool:
    """Is token ``k`` part of a bracketed given name between capitalised words ("Coach (Frank) Vogel")?"""
    for a in (k, k - 1, k - 2):
        if a > 0 and a + 3 < len(toks) and toks[a].text == "(" and toks[a + 2].text == ")":
            inner, before, after = toks[a + 1], toks[a - 1], toks[a + 3]
            if inner.text.istitle() and before.text[:1].isupper() and after.text[:1].isupper():
                return inner.kind == "w" and after.kind == "w"
    return False


def _np_word(toks: list[_Tok], k: int) -> bool:
    """Can token ``k`` sit inside a speaker noun phrase?"""
    tok = toks[k]
    if tok.kind == "q":
        return False
    if _bracketed_name(toks, k):
        return True  # "Coach (Frank) Vogel"
    if tok.kind == "p":
        if tok.text in {"“", "”", '"'} and 0 < k < len(toks) - 1:
            return toks[k - 1].text[:1].isupper() and toks[k + 1].text[:1].isupper()  # a nickname
        return tok.text in {"-", "&", "’", "'", "/", "."} and k > 0
    low = tok.low
    acronym = len(tok.text) > 1 and tok.text.isupper()  # "the WHO"
    if (
        tok.text[0].isupper()
        and k > 0
        and (acronym or low not in {"but", "and", "that", "which", "who", "when", "while"})
    ):
        return True  # "Will Moy", "May", "Early": capitalised inside a sentence = a name
    if low in _BE or low in _AUX or low in _ADVERBS or low in {"to", "not"}:
        return False
    if tok.text[0].islower() and (low in SAY_VERBS or low in LABEL_VERBS):
        return low in NOUNISH and _word(toks, k + 1) not in _CLAUSE_OPENERS
    if low in _CLAUSE_STOP and low != "and":
        return False
    if low.endswith("ly") and low not in _LY_NOUNS | {"early", "only"}:
        return False
    return low not in _TIME_WORDS or (tok.text[0].isupper() and low not in {"may", "march"})


def _verbish(toks: list[_Tok], k: int) -> bool:
    """A lower-case -ed word right after an auxiliary, pronoun or name is a verb ("has accepted")."""
    tok = toks[k]
    if tok.kind != "w" or not tok.text[0].islower():
        return False
    prev = toks[k - 1] if k > 0 else None
    if tok.low in _IRREGULAR_PAST and prev is not None and prev.kind == "w" and prev.text[0].isupper():
        return True  # "Swift took to social media"
    if not tok.low.endswith("ed") or prev is None or prev.kind != "w":
        return False
    if _ly_adverb(prev):
        return True  # "publicly scolded"
    if prev.low in _AUX or prev.low in _BE or prev.low in _SUBJECT_PRONOUNS or prev.text[0].isupper():
        return True
    before = toks[k - 2].low if k > 1 else ""
    return prev.text[0].islower() and before in {
        "the",
        "a",
        "an",
        "this",
        "that",
        "its",
        "his",
        "her",
        "their",
    }


def _joins_nouns(tok: _Tok) -> bool:
    """May "and" after this token join two nouns ("officers and", "Zelensky and", "minister and")?"""
    if tok.kind != "w":
        return False
    low = tok.low
    return tok.text[0].isupper() or (low.endswith("s") and not low.endswith("ss")) or low in ROLE_WORDS


def _np_left_plain(toks: list[_Tok], j: int, limit: int = 16) -> tuple[int, int] | None:
    """Noun phrase ending at token ``j`` (inclusive), scanning left; None if empty."""
    if toks[j].kind == "w" and toks[j].low in _SUBJECT_PRONOUNS | {"i", "we", "you"}:
        return (j, j + 1)
    k = j
    while k >= 0 and j - k < limit and _np_word(toks, k) and not _verbish(toks, k):
        if toks[k].low == "and" and (k == 0 or not _joins_nouns(toks[k - 1]) or not _np_word(toks, k - 1)):
            break
        if toks[k].low in _TIME_WORDS and _word(toks, k - 1) in _TIME_INTRO | {"last", "this"}:
            break
        if k < j and toks[k].low in _SUBJECT_PRONOUNS | {"him", "them", "us", "me"}:
            break
        if (
            toks[k].low in {"the", "a", "an"}
            and k > 0
            and toks[k - 1].low not in _PREPOSITIONS | {"and", "&"}
        ):
            k -= 1  # a determiner opens the noun phrase ("the original story the White House is telling")
            break
        k -= 1
    while (
        k >= 1
        and toks[k].text == ","
        and toks[k - 1].kind == "w"
        and toks[k - 1].low in ROLE_WORDS
        and toks[k + 1].low in ROLE_WORDS | {"ceo", "cfo", "coo", "cto"}
    ):
        k -= 2  # "chairman, CEO and president Craig Menear": a list of roles before the name
        while (
            k >= 0 and toks[k].kind == "w" and toks[k].text[0].islower() and toks[k].low not in _CLAUSE_STOP
        ):
            k -= 1
    subject_relative = 0 < k < j and toks[k + 1].kind == "w" and toks[k + 1].text[0].islower()
    subject_relative = subject_relative and toks[k + 1].low not in _DETERMINER_LIKE | _SUBJECT_PRONOUNS
    if subject_relative and toks[k].low in {"who", "that"} and toks[k - 1].kind == "w" and j - k < limit:
        antecedent = _np_left_plain(toks, k - 1, limit)  # "The staff member who reported the call"
        if antecedent is not None:
            return antecedent[0], j + 1
    a = k + 1
    while a <= j and (
        toks[a].low in {"and", "both", "but"}
        or toks[a].kind == "p"
        or (
            (a == 0 or toks[a - 1].kind != "w")
            and (toks[a].low in _PREPOSITIONS or toks[a].low in _INTRO_WORDS)
            and a < j
        )
    ):
        a += 1
    return (a, j + 1) if a <= j else None


def _role_or_name(segment: str) -> bool:
    """An apposition: a role description, a relative clause, or the name itself ("X, NAME,")."""
    segment = re.sub(r"^(?:and|&)\s+", "", segment)  # "…, a fellow at X, and co-author of the study,"
    words = segment.split()
    if words and words[0].lower() in {"which", "who", "whose"}:
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


def _segment_back(toks: list[_Tok], end: int) -> int:
    """Index of the separator (comma, quote, dash, sentence start = -1) before token ``end``."""
    c = end - 1
    while c >= 0 and not (toks[c].kind == "q" or toks[c].text in {",", "—", "–", ";", ":", "(", ")"}):
        c -= 1
    return c


def _span_text(text: str, toks: list[_Tok], a: int, b: int) -> str:
    return text[toks[a].start : toks[b - 1].end] if b > a else ""


def _np_left(text: str, toks: list[_Tok], j: int) -> tuple[tuple[int, int], str, int] | None:
    """Speaker phrase ending at ``j``, through appositions: "Ryan, a retired general, said".

    Returns (speaker span, apposition text, first token of the whole phrase).
    """
    if toks[j].text != ",":
        span = _np_left_plain(toks, j)
        return (span, "", span[0]) if span else None
    segments = []
    end = j
    for _ in range(4):
        c = _segment_back(toks, end)
        if c < 0 or toks[c].text != "," or c + 1 >= end:
            break
        segment = _span_text(text, toks, c + 1, end)
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
        group = (
            toks[cand[0]].low in {"the", "a", "an"}
            and analyse_np(_span_text(text, toks, *cand)).kind == "group"
        )
        if toks[sa].low == "who" and group:
            return cand, "", cand[0]  # "…, the source, who said X, told Reuters"
    span = _np_left_plain(toks, end - 1)
    if span is None:
        return None
    if segments and span[0] > 0 and toks[span[0] - 1].low in _PREPOSITIONS:
        # "In Kentucky, the Democratic candidate, Andy Beshear, promised": the PP is no subject
        span, segments = segments[-1], segments[:-1]
    a = span[0]
    if segments and a >= 3 and toks[a - 2].low in {"that", "which", "who"} and toks[a - 1].text.islower():
        antecedent = _np_left_plain(toks, a - 3)  # "The company that runs the AMAs, NAME, said"
        if antecedent is not None and toks[antecedent[0]].low in {"the", "a", "an"}:
            span = (antecedent[0], span[1])
    relative = bool(segments) and toks[segments[-1][0]].low in {"which", "who"}
    before = toks[span[0] - 1] if span[0] > 0 else None
    if relative and before is not None and before.kind == "w" and before.low not in _COORD | _INTRO_WORDS:
        return None  # "… reveal a pattern of killings, which have …, said Amnesty": an object
    chosen, appos = _prefer_named(text, toks, span, segments)
    return chosen, appos, span[0]


def _prefer_named(
    text: str, toks: list[_Tok], span: tuple[int, int], segments: list[tuple[int, int]]
) -> tuple[tuple[int, int], str]:
    """Pick the named part of "descriptor, NAME," or "NAME, descriptor," as the speaker."""
    head = analyse_np(_span_text(text, toks, *span))
    closest = segments[-1] if segments else None
    described = (
        toks[span[0]].low in {"the", "a", "an"} and span[1] - span[0] > 1 and toks[span[0] + 1].text.islower()
    )
    if head.kind == "group" or described:
        for seg in reversed(segments):
            seg_np = analyse_np(_span_text(text, toks, *seg))
            if seg_np.kind in {"person", "short"} or (described and seg_np.kind == "org"):
                return seg, _span_text(text, toks, *span)
    roles = [
        seg
        for seg in reversed(segments)
        if not _span_text(text, toks, *seg).startswith(("which", "who"))
        and not toks[seg[0]].text[0].isdigit()
    ]
    closest = roles[0] if roles else closest
    return span, _span_text(text, toks, *closest) if closest else ""


_CREDENTIALS = words("credentials")
_KEEP_ING = words("keep-ing")


def _np_right(
    text: str, toks: list[_Tok], k: int, keep_rest: bool = False, source: bool = False
) -> tuple[tuple[int, int], str, int] | None:
    """Speaker phrase after an inverted cue ("said Hill, who ..."): (span, apposition, end).

    With ``keep_rest`` (sentence-initial "According to X, ...") an apposition is only taken
    when another comma closes it, so the reported clause is not swallowed.
    """
    n = len(toks)
    while k < n and toks[k].low in _ADVERBS:
        k += 1
    objects = {"it", "him", "her", "them", "us", "me", "this", "that"}
    if k < n and toks[k].low in objects and (k + 1 >= n or not toks[k + 1].text[0].isupper()):
        return None  # "described it as …": an object, not an inverted speaker
    if k < n and toks[k].low in _PREPOSITIONS:
        return None  # "said in a statement": no speaker here
    m = k
    named = False
    while (
        m < n
        and m - k < 16
        and toks[m].text != "."
        and (
            _np_word(toks, m)
            or (source and toks[m].low in NOUNISH)
            or (m > k and _ly_adverb(toks[m]) and _word(toks, m + 1).endswith("ed"))  # "newly appointed"
        )
    ):
        tok = toks[m]
        low = tok.low
        if m > k and low in {"a", "an", "the"} and toks[m - 1].text[:1].isupper():
            return None  # "called Omar a “terrorist”": an object and its complement
        if named and low in _PREPOSITIONS and low != "of" and not _word(toks, m + 1)[:1].isupper():
            break
        if named and low in _PREPOSITIONS and low != "of" and _word(toks, m + 1) in {"the", "a", "an"}:
            break
        if low in _TIME_WORDS and m > k and tok.text[0].isupper() and toks[m - 1].low in {"on", "last", "in"}:
            m -= 1
            break
        if low.endswith("ing") and m > k and tok.text[0].islower() and low not in _KEEP_ING:
            break
        named = named or (tok.text[0].isupper() and m > k and toks[m - 1].text[0].isupper())
        m += 1
    if m == k:
        return None
    if m + 2 < n and toks[m].text == "(" and toks[m + 2].text == ")":
        m += 3  # "the Centre for Disease Control (CDC)"
    segments = []
    end = m
    if keep_rest and end < n and toks[end].text != ",":
        comma = next((c for c in range(end, min(n, end + 6)) if toks[c].text == ","), -1)
        if comma > 0 and all(_np_word(toks, c) for c in range(end, comma)):
            end = comma  # "According to the CDC in the US, …"
    while end < n and toks[end].text == "," and len(segments) < 3:
        c = end + 1
        while c < n and toks[c].kind != "q" and toks[c].text not in {",", ".", ";", ":", "—"}:
            c += 1
        segment = _span_text(text, toks, end + 1, c)
        affiliation = _word(toks, end + 1) in {"of", "at", "from"} and _word(toks, end + 2)[:1].isupper()
        credential = c == end + 2 and toks[end + 1].text.rstrip(".").lower() in _CREDENTIALS
        if not segment or not (_role_or_name(segment) or affiliation or credential):
            break
        if keep_rest and (c >= n or toks[c].text != ","):
            break
        segments.append((end + 1, c))
        end = c
    span, appos = (k, m), ""
    if segments:
        first = segments[0]
        head = analyse_np(_span_text(text, toks, k, m))
        seg_np = analyse_np(_span_text(text, toks, *first))
        if head.kind == "group" and seg_np.kind in {"person", "short"}:
            span, appos = first, _span_text(text, toks, k, m)
        else:
            appos = _span_text(text, toks, *first)
    return span, appos, end


def _skip_intro(toks: list[_Tok]) -> int:
    """Index of the first token after a leading conjunction, time phrase or introductory clause."""
    n = len(toks)
    k = 0
    while k < n and (
        toks[k].low in {"but", "and", "yet", "so", "still", "also", "now", "then"}
        or (k and toks[k].text == ",")
    ):
        k += 1  # "Then, last week, X said": conjunctions and their commas
    if (
        k + 1 < n
        and toks[k].low in {"last", "this", "earlier", "later", "next"}
        and toks[k + 1].low in _TIME_WORDS
    ):
        k += 2
        if k < n and toks[k].text == ",":
            k += 1
        return k
    if k >= n or toks[k].kind == "q":
        return k
    first = toks[k]
    participle = (
        first.low.endswith("ing") and first.low not in FIRST_NAMES_ING and _word(toks, k + 1)[:1].islower()
    )
    if (
        first.low in _INTRO_WORDS
        or first.low in _PREPOSITIONS
        or first.low in _TIME_WORDS
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


def _main_subject(text: str, toks: list[_Tok]) -> tuple[tuple[int, int], str] | None:
    """The subject of the sentence's main clause: skip "But", intro phrases, then the noun phrase."""
    n = len(toks)
    k = _skip_intro(toks)
    if k >= n or toks[k].kind == "q" or toks[k].low in _NON_SUBJECTS:
        return None
    m = k
    while m < n and m - k < 16 and _np_word(toks, m) and toks[m].text != "." and not _verbish(toks, m):
        if m > k and toks[m].low in _SUBJECT_PRONOUNS:
            break
        m += 1
        if toks[m - 1].low in _SUBJECT_PRONOUNS | {"i", "we", "you"}:
            break
    if m == k:
        return None
    segments = []
    end = m
    while end < n and toks[end].text == "," and len(segments) < 3:
        c = end + 1
        while c < n and toks[c].kind != "q" and toks[c].text not in {",", ".", ";", ":", "—"}:
            c += 1
        segment = _span_text(text, toks, end + 1, c)
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


# --- attributions -----------------------------------------------------------------------------


def _skip_left(toks: list[_Tok], j: int) -> int:
    """Skip auxiliaries, adverbs and time phrases left of a cue ("has also said", "on Tuesday")."""
    while j >= 0:
        low = toks[j].low
        if low in _AUX or low in _ADVERBS or _ly_adverb(toks[j]):
            j -= 1
        elif low in _TIME_WORDS or (toks[j].kind == "w" and toks[j].text[0].isdigit()):
            k = j - 1
            while k >= 0 and (toks[k].low in _TIME_WORDS or toks[k].text[0].isdigit() or toks[k].text == "."):
                k -= 1
            if k >= 0 and toks[k].low in _TIME_INTRO | {"last", "this"}:
                j = k - 1
            else:
                return j
        else:
            return j
    return j


def _skip_right(toks: list[_Tok], k: int) -> int:
    """Skip adverbs and short time phrases right of a cue ("said Thursday", "said last year")."""
    n = len(toks)
    while k < n:
        low = toks[k].low
        if low in _ADVERBS or low in _TIME_WORDS or _ly_adverb(toks[k]):
            k += 1
        elif low in {"last", "this", "next", "on", "earlier", "late"} and _word(toks, k + 1) in _TIME_WORDS:
            k += 2
        elif toks[k].kind == "w" and toks[k].text[0].isdigit() and k > 0 and toks[k - 1].low in _TIME_WORDS:
            k += 1
        else:
            return k
    return k


_CONTRACTED = re.compile(r"(?:he|she|it|they|we|i|you|there|that)[’'](?:s|re|m|d|ll|ve)$")


def _find_that(toks: list[_Tok], k: int, cue: str) -> int:
    """Index just after a complementiser "that" within a short adverbial window, else -1.

    Weak verbs ("declared martial law, a concern that ...") only take a "that" right after the
    verb and its time adverbs; only listener verbs ("told investors of X, the Y, on Oct. 31
    that") may cross commas.
    """
    if cue in WEAK_VERBS and cue not in OBJECT_VERBS:
        m = _skip_right(toks, k)
        if _word(toks, m) in {"to", "in", "on"}:  # "acknowledged to supervisors that", "wrote in a post that"
            for j in range(m + 1, min(len(toks), m + 7)):
                if toks[j].low == "that" and j > m + 1:
                    return j + 1
                if toks[j].kind != "w" or toks[j].low in _BE or toks[j].low in _AUX or _verbish(toks, j):
                    break
        return m + 1 if _word(toks, m) == "that" else -1
    adjunct = _word(toks, k) in {"in", "on", "at", "during", "via", "through"}  # "said in a letter to X that"
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
            and _word(toks, m + 1) != "the"
        ):
            return -1  # "warned people to stay away from products that ...": a directive
        if (
            tok.low in {"he", "she", "it", "they", "we", "i"}
            or _verbish(toks, m)
            or _CONTRACTED.match(tok.low)
        ):
            return -1  # "said it submitted a proposal that …": the clause began earlier
        month = tok.text == "May" and m > k  # "in a May 2 letter"
        if tok.kind == "q" or tok.low in _BE or (tok.low in _AUX and not month) or tok.text in ".;:":
            return -1
        if tok.kind == "w" and tok.text[0].islower() and (tok.low in SAY_VERBS or tok.low in LABEL_VERBS):
            return -1
    return -1


def _skip_object(toks: list[_Tok], k: int) -> int:
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
        if toks[m].low in _SUBJECT_PRONOUNS or (toks[m].low in {"the", "a", "an"} and m > k):
            return m
        if toks[m].kind != "w":
            return m
    return k + 1


def _looks_like_clause(toks: list[_Tok], a: int, b: int) -> bool:
    """A content clause needs a finite verb soon, or a pronoun subject, or a quotation."""
    if a >= b:
        return False
    first = toks[a]
    if first.kind == "q" or first.low in {"he", "she", "they", "we", "i", "you", "there"}:
        return True
    quantity = first.low in {
        "at",
        "about",
        "nearly",
        "almost",
        "more",
        "fewer",
        "less",
        "some",
        "only",
        "over",
    }
    if (first.low in _PREPOSITIONS and not quantity) or (
        first.low.endswith("ing") and first.text[0].islower()
    ):
        return False
    if first.low in {"if", "when", "whether", "how", "why", "what"}:
        return True
    for k in range(a, min(b, a + 14)):
        tok = toks[k]
        if tok.text in {",", ";", ":", "—"}:
            return False
        if tok.low == "that" and k > a and first.low in {"the", "a", "an"}:
            return False  # "stressed the need … that …": a noun phrase with its own clause
        if tok.low in _FINITE_HINTS:
            return True
        if tok.low in {"as", "when", "while", "after", "before", "because", "since", "until"}:
            return False  # "claimed victory as the House concluded": the verb is not the clause's
        if k > a and first.low not in {"a", "an"} and _past_after_noun(toks, k):
            return True  # "at least 5,000 people entered the building"
        if k > a + 1 and _present_after_noun(toks, k):
            return True  # "no evidence supports anything other than suicide"
    return False


_OBJECT_STARTS = words("object-starts")


def _present_after_noun(toks: list[_Tok], k: int) -> bool:
    """A lower-case -s verb between a noun and an object ("evidence supports the claim")."""
    tok, prev = toks[k], toks[k - 1]
    if tok.kind != "w" or not tok.text[0].islower() or not tok.low.endswith("s"):
        return False
    if tok.low.endswith(("ss", "us", "is", "ics")) or tok.low in _CLAUSE_STOP:
        return False
    if prev.kind != "w" or prev.low in _DETERMINER_LIKE or prev.low.endswith("s") or prev.low in _ADVERBS:
        return False
    return _word(toks, k + 1) in _OBJECT_STARTS


def _past_after_noun(toks: list[_Tok], k: int) -> bool:
    """A lower-case -ed word right after a plural noun or a name reads as a finite verb."""
    tok, prev = toks[k], toks[k - 1]
    if tok.kind != "w" or not tok.text[0].islower() or not tok.low.endswith("ed") or prev.kind != "w":
        return False
    plural = (prev.low.endswith("s") and not prev.low.endswith("ss")) or prev.low in _IRREGULAR_PLURALS
    return prev.text[0].isupper() or plural


_IRREGULAR_PLURALS = words("irregular-plurals")


def _verb_complement(toks: list[_Tok], low: str, k: int, end: int) -> bool:
    """An infinitive after a commissive ("vowed to keep trying") or a gerund after "denied"."""
    nxt = toks[k] if k < end else None
    after = toks[k + 1] if k + 1 < end else None
    if nxt is None or after is None or nxt.kind != "w" or after.kind != "w":
        return False
    if low in COMMISSIVE_VERBS and nxt.low == "to":
        return after.low not in {"the", "a"} and after.text.islower()
    gerund = nxt.low.endswith("ing") and nxt.low not in _ING_NOUNS and nxt.text.islower()
    return low in GERUND_VERBS and gerund


def _right_content(toks: list[_Tok], i: int, end: int) -> tuple[int, int]:
    """Start of the content clause right of cue ``i`` (after object, adverbs, "that")."""
    low = toks[i].low
    k = i + 1
    if low in {"according", "per"}:
        return k, k
    if low in {"point", "points", "pointed", "weighs", "weighed"} and _word(toks, k) in {"out", "in"}:
        k += 1
    if low in DIRECTIVE_VERBS:
        m = _skip_object(toks, k)
        if m + 1 < end and toks[m].text in {",", ":"} and toks[m + 1].kind == "q":
            return m + 1, 1  # "urged voters, “Look what I have done.”"
        return k, 1
    if low in {"call", "calls", "called"} and _word(toks, k) in {"to", "on"}:
        return k + 1, 1  # "has called to threaten …", "called on Yoon to resign"
    if _verb_complement(toks, low, k, end):
        return k, 1  # "vowed to keep trying", "denied being unfair to her"
    that = _find_that(toks, k, low)
    if that >= 0:
        return that, 1
    if low in OBJECT_VERBS:
        listener = k
        k = _skip_object(toks, k)
        if _word(toks, k) == "to" and _word(toks, k + 1)[:1].islower() and _word(toks, k + 1) != "the":
            return listener, 1  # "warned people to stay away": the directive's complement
    k = _skip_right(toks, k)
    while k < end and toks[k].low in {",", ":", "quote"}:
        k += 1
    if k < end and toks[k].low in _PREPOSITIONS:
        # "said in a statement, “…”" / "said in a statement that …": skip the adverbial only then
        comma = next((c for c in range(k, min(end, k + 10)) if toks[c].text in {",", ":"}), -1)
        if comma >= 0 and comma + 1 < end and (toks[comma + 1].kind == "q" or toks[comma + 1].low == "that"):
            k = comma + 1
    return k, 0


_COORD = words("coord")
_REFUSALS = words("refusals")
_CONTROL_VERBS = words("control-verbs")
_INFINITIVE_CUES = verb_forms("infinitival")
_NON_CONTENT = words("non-content")


@dataclass
class _Skeleton:
    """Where a cue's speaker sits, before contents are assigned."""

    cue_index: int
    cue: str
    region: tuple[int, int]  # tokens taken by the attribution itself
    speaker_np: tuple[int, int] | None
    apposition: str
    side: str  # "left" (X said), "right" (said X), "elided" (", saying"), "according"
    cuts_before: bool = False  # a later cue of this kind ends an earlier cue's content
    relative: bool = False  # "who said ...": reports only to its right
    points_left: bool = False  # set by _plan: the cue reports the text before it
    absorbed: bool = False  # "she said she did X, and thinks Y": part of an earlier report
    right: tuple[int, int] = (0, 0)  # right content span (may be empty)
    left: tuple[int, int] = (0, 0)  # left content span (may be empty)
    strong: bool = False


#: Nouns that "suggest" or "indicate" without being a source ("evidence suggesting that …").
_SPEAKERLESS_NOUNS = words("speakerless-nouns")


def _skeleton(
    text: str, toks: list[_Tok], i: int, subject: tuple[tuple[int, int], str] | None
) -> _Skeleton | None:
    """Locate the speaker of cue ``i`` and the tokens the attribution occupies."""
    low = toks[i].low
    if low.endswith("ing") and _word(toks, i - 1) in _SPEAKERLESS_NOUNS:
        return None  # "conspiracy theories suggesting he was murdered": nobody is speaking
    if low in {"according", "per"}:
        at = i + 2 if low == "according" else i + 1
        if _word(toks, at) in _NOT_SOURCES and not toks[at].text.isupper():
            return None  # "priced according to how expensive they were", "according to plan"
        found = _np_right(text, toks, at, keep_rest=i == _skip_intro_according(toks), source=True)
        if found is None:
            return None
        span, appos, end = found
        span, appos = _by_agent(text, toks, span, appos)
        return _Skeleton(i, "according to", (i, end), span, appos, "according", cuts_before=True)
    cue = low
    j = _skip_left(toks, i - 1)
    if low.endswith("ing") and _word(toks, j) in _BE:
        j = _skip_left(toks, j - 1)  # "The Democrats are alleging that …"
    if low in STANCE_NOUNS and _word(toks, i + 1) == "that" and _word(toks, i - 1) == "the":
        j = _skip_left(toks, i - 4)  # "Experts are of the view that …"
    elif low in STANCE_ADJECTIVES:
        j = _skip_left(toks, j - 1) if _word(toks, j) in _BE else j
    prev = _word(toks, j)
    participle = low.endswith("ing")
    if prev == "to" and (low not in _INFINITIVE_CUES or _word(toks, j - 1) in _REFUSALS):
        return None
    if prev == "to" and j > 1:
        listener = _np_left_plain(toks, j - 1)
        if listener and listener[0] > 0 and toks[listener[0] - 1].low in _CONTROL_VERBS:
            return _Skeleton(i, cue, (listener[0], i + 1), listener, "", "left")
    if any(t.low in {"not", "never"} or t.low.endswith(("n’t", "n't")) for t in toks[max(j, 0) : i]):
        return None  # "did not say", "wouldn’t comment"
    if (
        prev in _COORD
        or prev == "to"
        or (participle and (j < 0 or toks[j].kind != "w" or prev in _PREPOSITIONS))
    ):
        start = j - 1 if prev in _COORD and _word(toks, j - 1) == "," else j
        span, appos = subject if subject else (None, "")
        reported = any(_is_cue(toks, m) and toks[m].low in SAY_VERBS for m in range(j))
        if prev in _COORD or (participle and prev == "," and not reported):
            local = _clause_subject(text, toks, j)  # "…, after Swift scolded X, accusing Y"
            span, appos = local if local else (span, appos)
        cuts = prev in _COORD or (participle and prev == ",")
        return _Skeleton(i, cue, (max(start, 0), i + 1), span, appos, "elided", cuts_before=cuts)
    if prev in {"who", "which", "that"} and j > 0:
        ante = j - 1
        ante = ante - 1 if toks[ante].text == "," else ante
        found_left = _np_left(text, toks, ante) if ante >= 0 else None
        if found_left is None:
            return None
        span = found_left[0]
        if prev == "which":  # "a lawsuit with ZeniMax Media, which accuses": the nearest named phrase
            cut = max(
                (m for m in range(span[0], span[1] - 1) if toks[m].low in _PREPOSITIONS - {"of"}), default=-1
            )
            if cut >= 0 and toks[cut + 1].text[:1].isupper():
                span = (cut + 1, span[1])
        return _Skeleton(i, cue, (j, i + 1), span, found_left[1], "left", relative=True)
    if j >= 0 and toks[j].kind == "w":
        if toks[j].low in _DETERMINER_LIKE or toks[j].low in _PREPOSITIONS:
            return None
        found_left = _np_left(text, toks, j)
        if found_left is None:
            return None
        kind = analyse_np(_span_text(text, toks, *found_left[0])).kind
        a0 = found_left[0][0]
        in_pp = toks[a0].low in _PREPOSITIONS or (a0 > 0 and toks[a0 - 1].low in _PREPOSITIONS - {"with"})
        if participle and subject and (kind == "group" or in_pp):
            # "Swift posted on Twitter accusing X": the phrase before the participle is an adjunct
            return _Skeleton(i, cue, (i, i + 1), subject[0], subject[1], "elided")
        if kind == "group" and _object_position(toks, found_left[2]):
            return None  # "they had 18 times the number of cells previously reported"
        return _Skeleton(i, cue, (found_left[2], i + 1), found_left[0], found_left[1], "left")
    if j >= 0 and toks[j].text == ",":
        found_left = _np_left(text, toks, j)
        if found_left is not None:
            return _Skeleton(i, cue, (found_left[2], i + 1), found_left[0], found_left[1], "left")
    if j >= 2 and toks[j].text in {"—", "–"}:
        # "Andy Beshear — whose father was governor — promised": skip the dashed aside
        d = next((m for m in range(j - 1, max(-1, j - 40), -1) if toks[m].text == toks[j].text), -1)
        if d > 0 and toks[d - 1].kind == "w" and toks[d - 1].text[0].isupper():
            found_left = _np_left(text, toks, d - 1)
            if found_left is not None:
                return _Skeleton(i, cue, (found_left[2], i + 1), found_left[0], found_left[1], "left")
    found = _np_right(text, toks, i + 1)
    if found is None:
        if j >= 0 and toks[j].text == "," and subject and low.endswith("ed"):
            # "he asked about X, called Omar a “terrorist” and said": a list of predicates
            return _Skeleton(i, cue, (j, i + 1), subject[0], subject[1], "elided", cuts_before=True)
        return None
    span, appos, end = found
    return _Skeleton(i, cue, (i, end), span, appos, "right", cuts_before=True)


_NOT_SOURCES = words("not-sources")


def _per_cue(toks: list[_Tok], i: int) -> bool:
    """ "Yersinia pestis, per the WHO, is …" / "…, per Feng.": "per" naming a source, not a rate."""
    if toks[i].text != "per" or (i > 0 and toks[i - 1].text != ","):
        return False
    k = i + 2 if _word(toks, i + 1) == "the" else i + 1
    return k < len(toks) and toks[k].kind == "w" and toks[k].text[0].isupper()


def _skip_intro_according(toks: list[_Tok]) -> int:
    """Position an opening "According to" would have (after a leading conjunction)."""
    k = 0
    while k < len(toks) and toks[k].low in {"but", "and", "yet", "so", "still", "also"}:
        k += 1
    return k


_QUANTIFIER_WORDS = words("quantifier-words")


def _object_position(toks: list[_Tok], start: int) -> bool:
    """Does a noun phrase starting at ``start`` follow a verb, i.e. is it an object, not a subject?"""
    if start <= 0:
        return False
    before = toks[start - 1]
    if before.kind != "w" or not before.text[0].islower():
        return False
    low = before.low
    allowed = (
        _COORD | _INTRO_WORDS | _CLAUSE_STOP | _TIME_WORDS | _PREPOSITIONS | _ADVERBS | _QUANTIFIER_WORDS
    )
    return low not in allowed and not low.endswith("ly")


_CLAUSE_OPENING = words("clause-opening")


def _clause_subject(text: str, toks: list[_Tok], conj: int) -> tuple[tuple[int, int], str] | None:
    """Subject of the clause a coordinated cue continues: "…, while the police deny X and say Y"."""
    b = conj - 1
    while b >= 0 and not (toks[b].text in {",", ";", "—"} or toks[b].low in _CLAUSE_OPENING):
        b -= 1
    if b < 0:
        return None
    k = b + 1
    while k < conj and toks[k].low in _CLAUSE_OPENING | {"and", "yet"}:
        k += 1
    m = k
    while m < conj and _np_word(toks, m) and not _verbish(toks, m) and toks[m].low not in _CLAUSE_STOP:
        m += 1
    if m == k or m >= conj or not (toks[m].kind == "w" and toks[m].text[0].islower()):
        return None
    if analyse_np(_span_text(text, toks, k, m)).kind == "group" and m - k == 1 and toks[k].text[0].islower():
        return None
    return (k, m), ""


def _by_agent(text: str, toks: list[_Tok], span: tuple[int, int], appos: str) -> tuple[tuple[int, int], str]:
    """ "according to a 2018 survey by Jane Doe" -> the author is the source, not the survey."""
    a, b = span
    for k in range(a, b):
        nxt = k + 2 if k + 2 < b and toks[k + 1].low == "the" else k + 1
        if toks[k].low in {"by", "from"} and nxt < b and toks[nxt].text[0].isupper():
            return (nxt, b), appos
    return span, appos


def _piece_is_quotes(toks: list[_Tok], a: int, b: int) -> bool:
    """True when tokens [a, b) are quotations plus punctuation only (and at least one quote)."""
    has_quote = False
    for tok in toks[a:b]:
        if tok.kind == "q":
            has_quote = True
        elif tok.low not in _NON_CONTENT:
            return False
    return has_quote


def _has_content(toks: list[_Tok], a: int, b: int) -> bool:
    return any(t.kind == "q" or t.low not in _NON_CONTENT for t in toks[a:b])


def _cut_end(text: str, toks: list[_Tok], a: int, b: int) -> int:
    """End of a content clause: stop at ", but", ";", ", as", ", while", ", though"."""
    infinitive = toks[a].low == "to"
    for k in range(a + 1, b):
        tok = toks[k]
        if (
            toks[a].low != "to"
            and tok.low == "and"
            and any(t.low == "to" for t in toks[a : min(k, a + 5)])
            and _word(toks, k + 1).endswith("ed")
            and _word(toks, k + 2) in {"the", "a", "an", "his", "her", "their", "its"}
        ):
            return k  # "asked the company to unwind X and returned the money": the asker's next act
        if (
            infinitive
            and tok.low == "and"
            and _word(toks, k + 1).endswith("ed")
            and toks[k + 1].text.islower()
        ):
            return k  # "promised to protect X and hammered Y": the subject's next predicate
        outer_cue = k + 1 < b and toks[k + 1].low in SAY_VERBS and toks[k + 1].text.islower()
        if tok.text == "," and outer_cue and _word(toks, k + 2) not in {"to", "by"}:
            return k  # "the source, who said he had spoken to them, told Reuters"
        if tok.text == ";":
            return k
        if tok.text in {"—", "–"} and _word(toks, k + 1) == "but":
            return k  # "… in their release — but it’s impossible to know": the writer's comment
        comma = tok.text == "," or (tok.kind == "q" and tok.text.rstrip("”\"’'").endswith(","))
        if comma and k + 1 < b and toks[k + 1].low in {"but", "as", "while", "though", "although", "amid"}:
            if toks[k + 1].low == "as" and _word(toks, k + 2) in {"well", "much", "many", "long", "soon"}:
                continue
            return k if tok.text == "," else k + 1  # a comma inside a closing quote stays with it
    return b


def _plan(text: str, toks: list[_Tok], sks: list[_Skeleton]) -> None:
    """Give each skeleton its right/left content spans.

    Pass 1 finds where each cue's own clause would start on the right. Pass 2 ends each right
    content at the next attribution that reports leftwards or starts a new coordinated clause,
    then gives leftward-reporting cues the text before them (nested reports keep the whole
    inner report: "Sondland said X, Morrison testified" gives Morrison "Sondland said X").
    """
    n = len(toks)
    raw: list[int] = []
    for sk in sks:
        if sk.side in {"left", "elided"}:
            start, sk.strong = _right_content(toks, sk.cue_index, n)
            comma = _as_clause_comma(toks, sk)
            if comma > 0:
                start, sk.strong = comma + 1, True  # "As Gupta noted at the time, CLAUSE"
        else:
            start = sk.region[1]
            while start < n and toks[start].text == ",":
                start += 1
        raw.append(start)
    points_left = [_points_left(toks, sk, raw[k]) for k, sk in enumerate(sks)]
    for sk, left in zip(sks, points_left, strict=True):
        sk.points_left = left
    _absorb_coordinated(toks, sks, raw)
    _absorb_conditions(toks, sks, raw)
    weak = [
        sk.side == "left"
        and not sk.strong
        and sk.cue in WEAK_VERBS
        and not _looks_like_clause(toks, raw[k], n)
        for k, sk in enumerate(sks)
    ]
    for idx, sk in enumerate(sks):
        start = raw[idx]
        limit = n
        for k in range(idx + 1, len(sks)):
            later = sks[k]
            if (weak[k] and not points_left[k]) or later.absorbed:
                continue
            if later.region[0] >= start and (points_left[k] or _starts_new_clause(toks, later)):
                limit = later.region[0]
                break
        end = _cut_end(text, toks, start, limit) if start < limit else start
        end = _opening_clause_end(toks, sk, start, end)
        sk.right = (start, end)
    for idx, sk in enumerate(sks):
        sk.left = (_left_start(toks, sks, idx), sk.region[0])


def _absorb_coordinated(toks: list[_Tok], sks: list[_Skeleton], raw: list[int]) -> None:
    """ "She said she did not want to judge it, and thinks it could work": one report, not two.

    A coordinated reporting verb continues the reported clause when an earlier say-verb's content
    opens with a pronoun subject (the same person goes on thinking/saying). Label verbs ("and
    slammed the hearings as a “disgrace”") stay separate acts of the main speaker.
    """
    for k, later in enumerate(sks):
        if later.side != "elided" or not later.cuts_before or later.cue not in SAY_VERBS:
            continue
        if _word(toks, later.region[0]) not in _COORD and _word(toks, later.region[0] + 1) not in _COORD:
            continue
        for idx in range(k):
            earlier = sks[idx]
            opens = _word(toks, raw[idx]) in {"he", "she", "they", "we", "i"}
            if (
                earlier.cue in SAY_VERBS
                and earlier.side in {"left", "elided"}
                and opens
                and raw[idx] < later.region[0]
            ):
                later.absorbed = True
                break


#: Conjunctions that open a subordinate clause ("Although X suggested Y, Z said W").
_SUBORDINATORS = words("subordinators")


def _absorb_conditions(toks: list[_Tok], sks: list[_Skeleton], raw: list[int]) -> None:
    """ "said it depends on whether he believes X"; "only if a doctor concludes X": a verb of saying
    or thinking under "whether"/"if" inside an earlier report is part of that report, not a new one."""
    for k, later in enumerate(sks):
        a = later.region[0]
        if k == 0 or later.side != "left" or _word(toks, a - 1) not in {"whether", "if", "unless"}:
            continue
        if any(raw[m] < a and sks[m].side in {"left", "right", "elided"} for m in range(k)):
            later.absorbed = True


def _opening_clause_end(toks: list[_Tok], sk: _Skeleton, start: int, end: int) -> int:
    """ "Before the examiner concluded that A, B …": a report inside an opening subordinate clause
    ends at the comma that closes the clause."""
    if not toks or toks[0].low not in _SUBORDINATORS - {"as"} or sk.side != "left":
        return end
    if any(t.text == "," or t.kind == "q" for t in toks[: sk.region[0]]):
        return end
    for k in range(start, end):
        if toks[k].kind == "q":
            return end
        if toks[k].text == ",":
            rest = [t for t in toks[k + 1 : end] if t.kind == "w"]
            return k if len(rest) >= 3 else end
    return end


def _as_clause_comma(toks: list[_Tok], sk: _Skeleton) -> int:
    """In "As X noted (at the time), CLAUSE", the comma that opens the reported main clause."""
    a = sk.region[0]
    if sk.side != "left" or a < 1 or toks[a - 1].low != "as" or (a > 1 and toks[a - 2].kind == "q"):
        return -1
    for m in range(sk.cue_index + 1, min(len(toks), sk.cue_index + 8)):
        if toks[m].text == ",":
            return m
        if toks[m].kind != "w" or toks[m].low in _BE or toks[m].low in _AUX:
            return -1
    return -1


def _points_left(toks: list[_Tok], sk: _Skeleton, right_start: int) -> bool:
    """Does this cue report the text before it ("…,” he said"; "X, officials said")?"""
    if sk.side == "right":
        return True
    if sk.side == "according":
        return sk.region[0] > 0 and _has_content(toks, 0, sk.region[0])
    if sk.side == "elided" or sk.relative:
        return False
    end = len(toks)
    if not _has_content(toks, right_start, end):
        return True
    first = toks[right_start]
    if first.low not in _PREPOSITIONS and first.low not in _ADJUNCT_STARTS:
        return False
    before = toks[: sk.region[0]]
    if (
        toks[0].low in _SUBORDINATORS
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


def _starts_new_clause(toks: list[_Tok], later: _Skeleton) -> bool:
    """A coordinated or comma-separated attribution ("…, and Y told Z …") ends earlier content."""
    if later.side == "elided":
        return later.cuts_before
    a = later.region[0]
    return later.side == "left" and a > 0 and (toks[a - 1].text in {",", ";"} or toks[a - 1].low in _COORD)


def _left_start(toks: list[_Tok], sks: list[_Skeleton], idx: int) -> int:
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
                _piece_is_quotes(toks, *prev.right)
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


# --- sentence processing ----------------------------------------------------------------------


def _process_sentence(state: _State, sent: _Sentence) -> None:
    """Find the attributions of one sentence, emit their statements, then handle orphan quotes."""
    text, toks = state.text, sent.toks
    for q in sent.quotes:
        if q.speaker and not q.done:  # continued multi-paragraph quote
            _emit_direct(state, q, _Who(q.speaker, q.affiliation, q.cue))
    cues = _find_cues(toks)
    _observe(state, sent)
    subject = _main_subject(text, toks)
    speech = bool(cues) or any(t.low in DOCUMENT_NOUNS for t in toks)  # "X issued a statement"
    subject_who = _note_subject(state, toks, subject, with_cue=speech)
    _backward_reference(state, sent)
    sks = [sk for sk in (_skeleton(text, toks, i, subject) for i in cues) if sk]
    _plan(text, toks, sks)
    claims: list[tuple[int, int, _Quote, _Who]] = []
    spoken: list[tuple[int, int, str]] = []  # paraphrase spans by speaker, to skip nested repeats
    last_who: _Who | None = None
    voices: list[_Who] = []  # speakers with content in this sentence
    outer: list[tuple[int, int, _Who]] = []  # right contents already attributed in this sentence
    for order, sk in enumerate(sks):
        if sk.absorbed:
            continue
        who = _inner_pronoun(toks, sk, outer) or _resolve(state, toks, sk, sent.para)
        if who is None and sk.side == "elided" and sk.speaker_np is None and last_who is not None:
            who = _Who(last_who.speaker, last_who.affiliation, _cue_text(toks, sk), last_who.kind)
        if who is None:
            continue
        last_who = who
        pieces, paraphrase = _content_pieces(toks, sk)
        if pieces:
            _note_content_org(state, toks, pieces[-1])
        if sk.side in {"left", "elided"} and sk.right[1] > sk.right[0]:
            outer.append((sk.right[0], sk.right[1], who))
        for a, b in pieces:
            claims.extend((b - a, order, t.quote, who) for t in toks[a:b] if t.kind == "q" and t.quote)
        if paraphrase and pieces:
            a, b = pieces[0][0], pieces[-1][1]
            if not any(sa <= a and b <= sb and who.speaker == sp for sa, sb, sp in spoken):
                _emit_paraphrase(state, toks, pieces, who)
                spoken.append((a, b, who.speaker))
        if pieces:
            state.para_last[sent.para] = who
            voices.append(who)
    had_direct = False
    # The narrowest report wins a quotation, but a person beats an institution ("Pompeo said
    # Washington had concluded it was “…”" quotes Pompeo).
    for _size, _order, quote, who in sorted(claims, key=lambda c: (c[3].kind != "person", c[0], c[1])):
        if not quote.done:
            _emit_direct(state, quote, who)
            had_direct = True
    _orphans(state, sent, bool(sks), subject_who, voices)
    _list_intro(state, sent, subject, last_who if any(_colon_after_cue(toks, sk) for sk in sks) else None)
    state.prev_sentence = sent
    if had_direct or any(q.done for q in sent.quotes):
        last = state.para_last.get(sent.para)
        if last is not None:
            state.prev_direct = (sent.para, sent.end, last)
    else:
        state.prev_direct = None


_PRONOUN_KINDS = {"he": "person", "she": "person", "it": "org", "they": "group"}


def _inner_pronoun(toks: list[_Tok], sk: _Skeleton, outer: list[tuple[int, int, _Who]]) -> _Who | None:
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
            return _Who(who.speaker, who.affiliation, _cue_text(toks, sk), who.kind)
    return None


_LIST_NOUNS = words("list-nouns")


def _list_intro(
    state: _State, sent: _Sentence, subject: tuple[tuple[int, int], str] | None, cue_who: _Who | None
) -> None:
    """ "Obama also said:" or "Analysts provided a few theories:" closing a paragraph introduces
    a list: the following cue-less paragraphs are that speaker's statements."""
    toks = sent.toks
    closes_paragraph = state.text[sent.end : sent.end + 2].lstrip(" \t")[:1] in {"\n", ""}
    if not toks or toks[-1].text != ":" or not closes_paragraph:
        return
    who = cue_who
    if who is None and subject is not None and any(t.low in _LIST_NOUNS for t in toks):
        a, b = subject[0]
        phrase = _span_text(state.text, toks, a, b)
        speaker, affiliation, kind = state.book.resolve(phrase, subject[1], sentence_initial=a == 0)
        if kind != "pronoun":
            who = _Who(speaker, affiliation, _word(toks, b), kind)
    state.list_who, state.list_style = who, None


def _list_item(
    state: _State, sentences: list[_Sentence], quotes: list[_Quote], span: tuple[int, int]
) -> bool:
    """Emit a paragraph of an announced list as a paraphrase; False ends the list."""
    who = state.list_who
    if who is None or quotes or any(_find_cues(s.toks) for s in sentences):
        state.list_who = None
        return False
    ends_with_period = state.text[span[1] - 1] in ".!?"
    if state.list_style is not None and state.list_style != ends_with_period:
        state.list_who = None
        return False
    state.list_style = ends_with_period
    for sent in sentences:
        _emit_paraphrase(state, sent.toks, [(0, len(sent.toks))], who)
    return True


def _observe(state: _State, sent: _Sentence) -> None:
    """Register names in the sentence's narration (quotations blanked out, offsets kept)."""
    chunk = list(state.text[sent.start : sent.end])
    for q in sent.quotes:
        for k in range(max(q.start, sent.start), min(q.end, sent.end)):
            chunk[k - sent.start] = " "
    narration = "".join(chunk)
    state.book.observe_names(narration, sent.start)
    state.book.observe_short_mentions(narration, sent.start)
    state.book.observe_orgs(narration, sent.start)


_VIEW_NOUNS = words("view-nouns")


def _backward_reference(state: _State, sent: _Sentence) -> None:
    """ "That’s the optimistic view mouthed by X": the previous sentence is X's statement."""
    toks = sent.toks
    prev = state.prev_sentence
    if (
        prev is None
        or len(toks) < 5
        or toks[0].low not in {"that’s", "that's", "this", "that", "such", "those"}
    ):
        return
    if any(q.done for q in prev.quotes) or (state.out and state.out[-1].end > prev.start):
        return
    for k, tok in enumerate(toks[:10]):
        if tok.low not in _VIEW_NOUNS:
            continue
        for m in range(k + 1, min(len(toks), k + 4)):
            if toks[m].low in {"by", "of", "from"}:
                found = _np_right(state.text, toks, m + 1)
                if found is None:
                    return
                span, appos, _end = found
                phrase = _span_text(state.text, toks, *span)
                if analyse_np(phrase).kind not in {"person", "short", "org"}:
                    return
                speaker, affiliation, _kind = state.book.resolve(phrase, appos)
                who = _Who(speaker, affiliation, toks[m - 1].low if m > k + 1 else tok.low)
                _emit_paraphrase(state, prev.toks, [(0, len(prev.toks))], who)
                for q in prev.quotes:
                    if not q.done:
                        _emit_direct(state, q, who)
                return
        return


def _note_subject(
    state: _State, toks: list[_Tok], subject: tuple[tuple[int, int], str] | None, with_cue: bool = True
) -> _Who | None:
    """Remember a named sentence subject for pronoun resolution ("Sondland … — “…,” he said").

    Organisations only count in sentences that report something: "Amazon bought Whole Foods"
    does not make Amazon "the company" that speaks next.
    """
    if subject is None:
        return None
    a, b = subject[0]
    phrase = state.text[toks[a].start : toks[b - 1].end]
    after = toks[b] if b < len(toks) else None
    if after is None or (after.kind != "w" and after.text != ","):
        return None  # "Good morning!" has no verb: not a subject
    np = analyse_np(phrase, sentence_initial=a == 0)
    known = np.kind == "short" and (
        state.book.full_name(np.name) is not None or np.name.lower() in FIRST_NAMES
    )
    if np.kind == "person" or known:  # "Andrew doesn't remember …": a given name is a person
        speaker, aff, kind = state.book.resolve(phrase, subject[1], sentence_initial=a == 0)
        state.book.note(toks[a].start, speaker, kind)
        return _Who(speaker, aff, "", kind)
    if np.kind in {"org", "short"}:
        if with_cue:
            state.book.note(toks[a].start, np.name, "org")
        return _Who(np.name, np.role, "", "org")
    head = re.split(r"\s+(?:of|in|at|from|for|with|who|that|which)\s+", np.name)[0]
    if np.kind == "group" and (head.endswith("s") or " and " in head) and len(np.name.split()) <= 12:
        state.book.note(toks[a].start, np.name, "group")
    return None


def _note_content_org(state: _State, toks: list[_Tok], piece: tuple[int, int]) -> None:
    """The organisation a reported clause is about is what a following "it said" refers to."""
    a, b = piece
    m = a
    while m < b and toks[m].kind == "w" and toks[m].text[0].isupper() and m - a < 5:
        m += 1
    if m == a or m >= b or toks[m].kind != "w" or not toks[m].text[0].islower():
        return
    np = analyse_np(_span_text(state.text, toks, a, m))
    if np.kind == "org" or (np.kind == "short" and state.book.full_name(np.name) is None):
        state.book.note(toks[a].start, np.name, "org", maybe_person=False)


_AUTHOR_PRONOUNS = words("author-pronouns")
_QUANTIFIED_PRONOUN = re.compile(
    r"(?i)^(?:many|some|most|all|both|several|none|each|few)\s+of\s+(them|those|us)$"
)


def _resolve(state: _State, toks: list[_Tok], sk: _Skeleton, para: int) -> _Who | None:
    """Canonical speaker of a skeleton; records it as the most recent speaker."""
    if sk.speaker_np is None:
        return None
    a, b = sk.speaker_np
    phrase = state.text[toks[a].start : toks[b - 1].end]
    if a > 0 and toks[a - 1].low == "both" and b - a == 1:
        phrase = f"both {phrase}"  # "Both men claimed": the pair, resolved by the book
    match = _QUANTIFIED_PRONOUN.match(phrase)
    if match:
        phrase = "they"
    if phrase.lower() in _AUTHOR_PRONOUNS:
        return None  # "We're told", "I asked him": the writer, not a source
    initial = all(t.low in _COORD or t.kind == "p" for t in toks[:a])
    floor = state.para_starts[max(0, para - 2)] if 0 < para <= len(state.para_starts) else 0
    speaker, affiliation, kind = state.book.resolve(
        phrase,
        sk.apposition,
        sentence_initial=initial,
        floor=floor,
        before=toks[a].start,
        since=toks[0].start,
    )
    if not speaker:
        return None
    if kind == "person" and speaker not in state.spoken and sk.apposition:
        state.introduced[para] = _Who(speaker, affiliation, "", kind)  # a newly introduced source
    state.spoken.add(speaker)
    lead = state.introduced.get(para - 1)
    opens_paragraph = toks[0].start == state.para_starts[para] if para < len(state.para_starts) else False
    if phrase.lower() in {"he", "she"} and opens_paragraph and lead is not None and lead.speaker != speaker:
        speaker, affiliation = lead.speaker, lead.affiliation  # "“…,” he said" after a new source's paragraph
    state.book.note(toks[a].start, speaker, kind)
    return _Who(speaker, affiliation, _cue_text(toks, sk), kind)


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


def _content_pieces(toks: list[_Tok], sk: _Skeleton) -> tuple[list[tuple[int, int]], bool]:
    """Token spans this cue reports, and whether they make a paraphrase row."""
    cue = toks[sk.cue_index].low
    directive_call = cue in {"call", "calls", "called"} and _word(toks, sk.cue_index + 1) in {"to", "on"}
    if directive_call and sk.side in {"left", "elided"}:
        return [sk.right], _has_content(toks, *sk.right)
    stance_noun = cue in STANCE_NOUNS and _stance_cue(toks, sk.cue_index)
    wh_clause = cue.startswith("describ") and _word(toks, sk.cue_index + 1) in {"how", "why", "what"}
    if (
        sk.side != "according"
        and cue in LABEL_VERBS
        and cue not in SAY_VERBS
        and not stance_noun
        and not wh_clause
    ):
        return _label_pieces(toks, sk)
    left, right = sk.left, sk.right
    has_left, has_right = (
        _has_content(toks, *left) and not _only_intro(toks, *left),
        _has_content(toks, *right),
    )
    left_quotes = has_left and _piece_is_quotes(toks, *left)
    right_quotes = has_right and _piece_is_quotes(toks, *right)
    para_ok = _paraphrase_cue(cue, sk, toks)
    intro_only = sk.side == "left" and has_right and _only_intro(toks, *left)
    if _reports_left(sk, has_left, has_right) and not intro_only:
        if not has_left:
            return [], False
        if left_quotes:
            return ([left, right] if right_quotes else [left]), False
        if sk.side == "left" and _colon_after_cue(toks, sk):
            return [], False  # "Obama also said:" introduces what follows
        para_ok = para_ok and (sk.side == "according" or cue in TRAILING_VERBS)
        tail = sk.region[1] < len(toks) and toks[sk.region[1]].text == ","
        participle = has_right and toks[right[0]].low.endswith("ing") and toks[right[0]].text[0].islower()
        if has_right and not right_quotes and sk.side in {"right", "according"} and tail and not participle:
            return [left, right], para_ok  # "X, The Korea Times reported, Y" (not "…, adding to …")
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


_INTRO_ONLY = words("intro-only")


def _only_intro(toks: list[_Tok], a: int, b: int) -> bool:
    """ "Then, last week," / "In Kentucky," before a subject and its cue is an adjunct, not content."""
    if all(
        t.kind == "p" or (t.kind == "w" and (t.low in _INTRO_ONLY or t.low in _TIME_WORDS)) for t in toks[a:b]
    ):
        return True
    words = [t for t in toks[a:b] if t.kind != "p"]
    inner = [t for t in toks[a : b - 1] if t.text in {",", ";", ":", "—"} or t.kind == "q"]
    return (
        bool(words)
        and len(words) <= 6
        and words[0].low in _PREPOSITIONS
        and not inner
        and (all(t.low in _PREPOSITIONS or t.low in {"the", "a", "an"} or t.text[0].isupper() for t in words))
    )


def _reports_left(sk: _Skeleton, has_left: bool, has_right: bool) -> bool:
    """Inverted ("…,” said X"), trailing ("X, officials said") and "…, according to X" cues."""
    if sk.side == "right":
        return True
    if sk.side == "according":
        return has_left
    return sk.side == "left" and not sk.relative and (sk.points_left or not has_right)


def _parenthetical(toks: list[_Tok], sk: _Skeleton, has_left: bool, left_quotes: bool) -> bool:
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


def _adjacent_quote(toks: list[_Tok], left: tuple[int, int], region_start: int) -> bool:
    """Is the last content token before the speaker a quotation ("“A,” he said, “B.”")?"""
    k = region_start - 1
    while k >= left[0] and toks[k].kind == "p":
        k -= 1
    return k >= left[0] and toks[k].kind == "q"


def _colon_after_cue(toks: list[_Tok], sk: _Skeleton) -> bool:
    k = _skip_right(toks, sk.cue_index + 1)
    return k < len(toks) and toks[k].text == ":"


def _comma_after_cue(toks: list[_Tok], sk: _Skeleton) -> bool:
    """ "X, he said, Y": a comma right after the cue (and its time adverbs)."""
    k = _skip_right(toks, sk.cue_index + 1)
    return k < len(toks) and toks[k].text == "," and k < sk.right[0]


def _paraphrase_cue(cue: str, sk: _Skeleton, toks: list[_Tok]) -> bool:
    """Only speech verbs, stance adjectives and "according to" make paraphrase rows.

    "asked"/"wonders" report a question, so they need a wh-clause ("wonders when ...").
    """
    if sk.side == "according":
        return True
    if cue in {"continue", "continues", "continued"} or cue in QUOTE_ONLY_VERBS:
        return False
    if cue in ASK_VERBS:
        wh = _word(toks, sk.right[0]) in {"whether", "if", "why", "how", "what", "when", "who", "where"}
        return wh or _asked_to(toks, sk)
    if cue.startswith("describ") and _word(toks, sk.cue_index + 1) in {"how", "why", "what"}:
        return True  # "has described how her daughter was …"
    return cue in SAY_VERBS or cue in STANCE_ADJECTIVES or cue in STANCE_NOUNS


def _asked_to(toks: list[_Tok], sk: _Skeleton) -> bool:
    """ "asked their governments to help": a request with an object and an infinitive (a directive)."""
    if toks[sk.cue_index].low not in {"ask", "asks", "asked", "asking"}:
        return False
    a, b = sk.right
    for k in range(a + 1, min(b, a + 5)):
        if toks[k].kind != "w":
            return False
        if toks[k].low == "to":
            nxt = toks[k + 1] if k + 1 < b else None
            return nxt is not None and nxt.kind == "w" and nxt.text[0].islower() and nxt.low != "the"
        if toks[k].low in _BE or toks[k].low in _AUX or toks[k].low in _PREPOSITIONS:
            return False
    return False


def _clause_ok(toks: list[_Tok], sk: _Skeleton, cue: str) -> bool:
    """Weak verbs ("reported", "announced") need "that" or a clause, not a noun phrase."""
    if sk.side not in {"left", "elided"} or sk.strong or cue in STANCE_ADJECTIVES or cue in STANCE_NOUNS:
        return True
    if cue in ASK_VERBS and _asked_to(toks, sk):
        return True
    if cue in WEAK_VERBS:
        if _word(toks, sk.right[0]) in {"if", "whether"} and cue not in ASK_VERBS:
            return False  # "noted if and how often respondents used it": a record, not a statement
        return _looks_like_clause(toks, *sk.right)
    first = toks[sk.right[0]] if sk.right[0] < len(toks) else None
    if first is None or first.low in _PREPOSITIONS:
        return False
    if cue in OBJECT_VERBS and first.kind == "w" and first.low not in _SUBJECT_PRONOUNS:
        return _looks_like_clause(toks, *sk.right)  # "is telling doesn't paint the full picture"
    return True


def _label_pieces(toks: list[_Tok], sk: _Skeleton) -> tuple[list[tuple[int, int]], bool]:
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


# --- emission ---------------------------------------------------------------------------------

_AUX_START = _BE | _AUX | words("modals")


def _emit_direct(state: _State, quote: _Quote, who: _Who, nested: bool = True) -> None:
    """Emit a direct row for ``quote`` (and rows for inner quotes of named third parties)."""
    quote.done = True
    quote.speaker, quote.affiliation, quote.cue = who.speaker, who.affiliation, who.cue
    body = state.text[quote.start : quote.end]
    state.out.append(Statement(who.speaker, who.affiliation, "direct", body, quote.start, quote.end, who.cue))
    state.directs.append((_content_words(body), who))
    if nested and quote.inner:
        _inner_quotes(state, quote)


def _trim_piece(toks: list[_Tok], a: int, b: int) -> tuple[int, int]:
    """Drop leading "that"/commas and trailing punctuation outside quotation marks."""
    while a < b and (toks[a].low in {",", ":", "—", "–", ";"} or (toks[a].low == "that" and a + 1 < b)):
        a += 1
    while b > a and toks[b - 1].kind == "p":
        if toks[b - 1].text == ")" and any(t.text == "(" for t in toks[a : b - 1]):
            break
        b -= 1
    return a, b


def _emit_paraphrase(state: _State, toks: list[_Tok], pieces: list[tuple[int, int]], who: _Who) -> None:
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
    state.out.append(Statement(who.speaker, who.affiliation, "paraphrase", joined, start, end, who.cue))


def _content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.lower()) if len(w) > 3}


# --- quotes without a cue of their own ------------------------------------------------------


def _orphans(
    state: _State, sent: _Sentence, has_cues: bool, subject: _Who | None, voices: list[_Who]
) -> None:
    """Attribute quotes left over in a sentence by continuation rules, or park them.

    * a sentence that is only quotation(s) continues the paragraph's last speaker (or waits for
      a later attribution in the paragraph);
    * "X summed it up: “…”": a quote after a colon belongs to the named subject;
    * a quoted phrase (two words or more) in a cue-less sentence right after a sentence with a
      direct quote continues that speaker, unless the sentence is about a named third party;
    * a quotation outside every cue's content in a sentence with one speaker is that speaker's
      ("Cook told Benioff, which meant making the “best system”").
    """
    leftovers = [q for q in sent.quotes if not q.done and q.outer_start >= sent.start]
    if not leftovers:
        return
    toks = sent.toks
    quote_only = _piece_is_quotes(toks, 0, len(toks))
    last = state.para_last.get(sent.para)
    for q in leftovers:
        index = next((k for k, t in enumerate(toks) if t.quote is q), -1)
        if quote_only:
            if last is not None:
                _emit_direct(state, q, last)
            else:
                state.pending.append(q)
        elif index > 0 and toks[index - 1].text == ":" and subject is not None and subject.kind == "person":
            _emit_direct(state, q, subject)
            state.para_last[sent.para] = subject
        elif not has_cues and _continues(state, sent, q, subject):
            assert state.prev_direct is not None
            _emit_direct(state, q, state.prev_direct[2])
        elif (
            len({v.speaker for v in voices}) == 1
            and not _title_case(state.text[q.start : q.end])
            and not (
                index > 0
                and toks[index - 1].low in {"the", "a", "an", "its", "this", "their", "his", "her"}
                and index + 1 < len(toks)
                and toks[index + 1].kind == "w"
                and toks[index + 1].text[0].islower()
            )
        ):  # "the “Meth. We’re on it.” campaign" names a slogan
            _emit_direct(state, q, voices[-1])
        elif _known_subject_quote(state, q, subject):
            _emit_direct(state, q, subject)  # "Grisham, by her own account, has given “…”"


def _title_case(body: str) -> bool:
    """“Bad Blood”, “Topical Team”: every word capitalised, so a name or title, not speech."""
    words = re.findall(r"[^\W_][\w’'\-]*", body)
    return bool(words) and all(w[0].isupper() or w.lower() in _SMALL_WORDS for w in words)


def _known_subject_quote(state: _State, quote: _Quote, subject: _Who | None) -> bool:
    """A quoted phrase (3+ words) in a sentence about a person already quoted is that person's."""
    if subject is None or subject.kind != "person" or subject.speaker not in state.spoken:
        return False
    return len(state.text[quote.start : quote.end].split()) >= 3


def _continues(state: _State, sent: _Sentence, quote: _Quote, subject: _Who | None) -> bool:
    """Does a quoted phrase in narration continue the previous sentence's quoted speaker?"""
    if state.prev_direct is None or state.prev_direct[0] != sent.para:
        return False
    if len(state.text[quote.start : quote.end].split()) < 2:
        return False
    if subject is not None:
        return False
    k = _skip_intro(sent.toks)  # len(toks) when the whole sentence reads as an introduction
    first = sent.toks[k] if k < len(sent.toks) else None
    return first is None or first.low not in {"the", "a", "an"} or not _group_subject(sent)


def _group_subject(sent: _Sentence) -> bool:
    """Is the sentence about a definite organisation ("The agency is ...")?"""
    toks = sent.toks
    k = _skip_intro(toks)
    words = [t.low for t in toks[k : k + 4]]
    return any(
        w in {"agency", "company", "firm", "government", "ministry", "group", "administration"} for w in words
    )


def _finish_paragraph(state: _State, quotes: list[_Quote], para: int) -> None:
    """Resolve parked quote-only sentences: a later speaker in the paragraph, else the previous one.

    A quoted subhead (a paragraph that is one short quotation without final punctuation) waits
    for the end of the article: it usually repeats a quote given before or after it.
    """
    pending = [q for q in state.pending if not q.done]
    state.pending = []
    who = state.para_last.get(para) or state.para_last.get(-1)
    for q in pending:
        if q.para == para and para not in state.para_last and _is_heading(state, q, quotes):
            state.headings.append((q, who))
        elif who is not None:
            _emit_direct(state, q, who)
    if para in state.para_last:
        state.para_last[-1] = state.para_last[para]


def _finish_article(state: _State, paragraphs: list[tuple[int, int]]) -> None:
    """Give quoted subheads the speaker of the quote they repeat, else the preceding speaker."""
    for quote, fallback in state.headings:
        if quote.done:
            continue
        try:
            who = _echo(state, quote) or fallback
            if who is not None:
                _emit_direct(state, quote, who)
        except Exception as exc:  # the subhead's own paragraph is the unit that failed
            raise _ParagraphFailed(quote.para, *paragraphs[quote.para], exc) from exc


def _echo(state: _State, quote: _Quote) -> _Who | None:
    """A quote repeating words of an earlier direct quote belongs to that quote's speaker."""
    words = _content_words(state.text[quote.start : quote.end])
    if not words:
        return None
    for earlier, who in reversed(state.directs):
        if earlier is not words and len(words & earlier) * 2 >= len(words):
            return who
    return None


def _is_heading(state: _State, quote: _Quote, quotes: list[_Quote]) -> bool:
    """A paragraph that is only a short quotation without final punctuation (a subhead)."""
    body = state.text[quote.start : quote.end].rstrip()
    return len(quotes) == 1 and not body.endswith((".", "?", "!", ",")) and len(body) < 120


# --- inner quotations -------------------------------------------------------------------------


def _inner_quotes(state: _State, outer: _Quote) -> None:
    """Inner ‘…’ quotes get their own row when the outer quote attributes them to a named speaker.

    Reported speech inside a quote without inner marks gets no row, and pronoun speakers inside a
    quote refer to the quote's own context, so only named speakers count here. A very long quote
    is read in pieces of bounded narration, like a long sentence (see :func:`_limit_sentence`).
    """
    for a, b, inner in _limit_sentence(state.text, outer.start, outer.end, outer.inner):
        _inner_piece(state, _tokenize(state.text, a, b, inner))


def _inner_piece(state: _State, toks: list[_Tok]) -> None:
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
