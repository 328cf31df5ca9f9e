"""The orchestrator: paragraphs in order, failures isolated to their paragraph."""

from __future__ import annotations

from collections.abc import Callable

from utils.extract.attribution import process_sentence
from utils.extract.chooser import Model, RowChoice, choose, load_model
from utils.extract.descriptions import carry_affiliations
from utils.extract.discourse import finish_article, finish_paragraph, list_item
from utils.extract.marks import Quote, find_quotes
from utils.extract.names import speaker_key
from utils.extract.records import Extraction, ParagraphFailed, ParagraphFailure, Statement
from utils.extract.state import ArticleState
from utils.extract.text import Sentence, paragraph_spans, split_sentences

#: The per-sentence rule stage: finds cues, sources and contents and emits rows into the state.
SentenceStage = Callable[[ArticleState, Sentence], None]


def extract(
    text: str,
    sentence_stage: SentenceStage = process_sentence,
    model: Model | None = None,
    trace: list[RowChoice] | None = None,
) -> Extraction:
    """Extract attributed statements in article order, isolating failures to their paragraph.

    Why a paragraph is the unit: a sentence is not one (a quote's speaker is often named in the
    next sentence, and quote-only sentences wait for the paragraph's end), while a paragraph is
    what a reader can find and check in the article. When the rules fail inside a paragraph,
    the whole article is extracted again without it, so speaker memory and continuation state
    are exactly as if the paragraph were absent. A snapshot of the state before each paragraph
    would have to copy the speaker book and open quotations every time; a re-run costs nothing
    until something fails, then one pass per failed paragraph.

    ``sentence_stage`` is the per-sentence rule stage; it is a parameter so that a caller (the
    ``utils.quotes`` facade, and through it the tests that inject a failing rule) can replace it.
    ``model`` is the speaker chooser's model (:mod:`utils.extract.chooser`; the shipped one by
    default); ``trace``, when given, receives every row's candidates and features (for training).
    """
    if not isinstance(text, str):
        raise TypeError(f"extract() needs the article text as str, not {type(text).__name__}")
    if not text.strip():
        return Extraction([], [])
    paragraphs = paragraph_spans(text)
    failed: dict[int, ParagraphFailure] = {}
    chooser = model or load_model()
    while True:
        if trace is not None:
            trace.clear()
        try:
            statements = _extract(text, paragraphs, frozenset(failed), sentence_stage, chooser, trace)
        except ParagraphFailed as failure:
            if failure.index in failed:  # cannot happen: a skipped paragraph is never run
                raise RuntimeError(f"paragraph {failure.index} failed twice") from failure
            failed[failure.index] = ParagraphFailure(failure.start, failure.end, failure.error)
            continue
        return Extraction(statements, [failed[k] for k in sorted(failed)])


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


def _extract(
    text: str,
    paragraphs: list[tuple[int, int]],
    skip: frozenset[int],
    sentence_stage: SentenceStage,
    model: Model,
    trace: list[RowChoice] | None,
) -> list[Statement]:
    """One pass over the article; paragraphs in ``skip`` are left out; a failure raises ParagraphFailed."""
    state = ArticleState(text)
    state.book.article = text
    state.para_starts = [start for start, _end in paragraphs]
    if paragraphs and paragraphs[0][0] > 0 and -1 not in skip:
        title_end = len(text[: paragraphs[0][0]].rstrip())
        try:
            state.book.observe_orgs(text[: paragraphs[0][0]], 0)  # the title names what the article is about
        except Exception as exc:
            raise ParagraphFailed(-1, 0, title_end, exc) from exc
    open_quote: Quote | None = None
    for index, (pstart, pend) in enumerate(paragraphs):
        if index in skip:
            open_quote = None
            continue
        try:
            open_quote = _paragraph(state, index, (pstart, pend), open_quote, sentence_stage)
        except Exception as exc:
            raise ParagraphFailed(index, pstart, pend, exc) from exc
    finish_article(state, paragraphs)
    return _dedupe(
        carry_affiliations(choose(state, model, trace), lambda name: _description(state, name), state.text)
    )


def _description(state: ArticleState, name: str) -> str:
    """What the whole article says the named person or organisation is (its rank if nothing else),
    or the role a named group shares ("King and Weeks, both professors at …"; not an unnamed one's
    "(unnamed) …", which its own rows carry)."""
    key = speaker_key(name)
    entity = state.book.by_key.get(key)
    if entity is not None:
        return entity.affiliation or entity.title
    return _pair_description(state, key) if " and " in key else ""


def _pair_description(state: ArticleState, key: str) -> str:
    """The role the narration gave a named group ("King and Weeks, both professors at …") whose
    names hold every surname of ``key`` ("kevin king and timothy weeks", a pair "Both men" or
    "they" resolved to); not an unnamed group's "(unnamed) …", which its own rows carry."""
    surnames = {part.split()[-1] for part in key.split(" and ") if part.split()}
    for known, entity in state.book.by_key.items():
        described = entity.affiliation
        named = known.startswith("group:") and described and not described.startswith("(unnamed)")
        if named and surnames <= set(known[len("group:") :].split()):
            return described
    return ""


def _paragraph(
    state: ArticleState,
    index: int,
    span: tuple[int, int],
    open_quote: Quote | None,
    sentence_stage: SentenceStage,
) -> Quote | None:
    """Extract one paragraph; returns its quotation left open at the end (it may continue), if any."""
    text = state.text
    pstart, pend = span
    quotes = find_quotes(text, pstart, pend, index)
    continued = open_quote is not None and bool(quotes) and quotes[0].open_mark == pstart
    if continued and open_quote is not None and open_quote.speaker:
        quotes[0].speaker, quotes[0].affiliation, quotes[0].cue, quotes[0].rule, quotes[0].who = (
            open_quote.speaker,
            open_quote.affiliation,
            open_quote.cue,
            open_quote.rule,
            open_quote.who,
        )
    sentences = split_sentences(text, pstart, pend, quotes, index)
    state.sentence_starts.extend(sentence.start for sentence in sentences)
    if state.memory.list_who is not None and list_item(state, sentences, quotes, (pstart, pend)):
        return None
    for sentence in sentences:
        sentence_stage(state, sentence)
    finish_paragraph(state, quotes, index)
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
