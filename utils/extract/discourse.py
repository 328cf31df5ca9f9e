"""Discourse: rows that need more than one sentence.

Continuations (quotes without a cue of their own), announced lists, quoted subheads, subjects
and organisations remembered for later sentences, and the end of a paragraph and article.
"""

from __future__ import annotations

import re

from utils.extract.contents import piece_is_quotes
from utils.extract.cues import find_cues
from utils.extract.lexicon import word_set, words
from utils.extract.marks import SMALL_WORDS, Quote
from utils.extract.mentions import affiliation_from_apposition, analyse_np, looks_like_role
from utils.extract.names import FIRST_NAMES, names_a_work
from utils.extract.output import content_words, emit_direct, emit_paraphrase
from utils.extract.phrases import NUMBER_WORDS, np_right, skip_intro, span_text
from utils.extract.records import ParagraphFailed, Who, via
from utils.extract.rules import Pattern, Step, rule_name
from utils.extract.state import ArticleState
from utils.extract.text import Sentence, Token, word_at
from utils.extract.vocab import ARTICLES, DETERMINERS, SUBORDINATORS

_LIST_NOUNS = words("list-nouns")


def list_intro(
    state: ArticleState, sent: Sentence, subject: tuple[tuple[int, int], str] | None, cue_who: Who | None
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
        phrase = span_text(state.text, toks, a, b)
        speaker, affiliation, kind, step = state.book.resolve(phrase, subject[1], sentence_initial=a == 0)
        if kind != "pronoun":
            rule = rule_name(Pattern.LIST_SUBJECT, step)
            who = Who(speaker, affiliation, word_at(toks, b), kind, rule, phrase, toks[a].start)
    state.memory.list_who, state.memory.list_style = who, None


def list_item(
    state: ArticleState, sentences: list[Sentence], quotes: list[Quote], span: tuple[int, int]
) -> bool:
    """Emit a paragraph of an announced list as a paraphrase; False ends the list."""
    who = state.memory.list_who
    if who is None or quotes or any(find_cues(s.toks) for s in sentences):
        state.memory.list_who = None
        return False
    ends_with_period = state.text[span[1] - 1] in ".!?"
    if state.memory.list_style is not None and state.memory.list_style != ends_with_period:
        state.memory.list_who = None
        return False
    state.memory.list_style = ends_with_period
    for sent in sentences:
        emit_paraphrase(state, sent.toks, [(0, len(sent.toks))], via(who, Pattern.LIST_ITEM))
    return True


def observe(state: ArticleState, sent: Sentence) -> None:
    """Register names in the sentence's narration (quotations blanked out, offsets kept)."""
    narration = _narration(state.text, sent) if sent.quotes else state.text[sent.start : sent.end]
    state.book.observe_names(narration, sent.start)
    state.book.observe_short_mentions(narration, sent.start)
    state.book.observe_orgs(narration, sent.start)


def _narration(text: str, sent: Sentence) -> str:
    """The sentence's text with its quotations blanked out by spaces (offsets kept)."""
    parts, pos = [], sent.start
    for q in sorted(sent.quotes, key=lambda q: q.start):
        a, b = max(q.start, pos), min(q.end, sent.end)
        if b > a:
            parts += [text[pos:a], " " * (b - a)]
            pos = b
    parts.append(text[pos : sent.end])
    return "".join(parts)


_VIEW_NOUNS = words("view-nouns")
#: "That’s the optimistic view …", "Such claims …": a sentence opening with one may refer back.
_BACK_REFERENCE_OPENERS = word_set("back-reference-openers")
#: "the view of X", "the argument mouthed by X": the word before whose view it is.
_VIEW_LINKS = word_set("view-links")


def backward_reference(state: ArticleState, sent: Sentence) -> None:
    """ "That’s the optimistic view mouthed by X": the previous sentence is X's statement."""
    toks = sent.toks
    prev = state.memory.prev_sentence
    if prev is None or len(toks) < 5 or toks[0].low not in _BACK_REFERENCE_OPENERS:
        return
    if any(q.done for q in prev.quotes) or (
        state.rows.statements and state.rows.statements[-1].end > prev.start
    ):
        return
    for k, tok in enumerate(toks[:10]):
        if tok.low not in _VIEW_NOUNS:
            continue
        for m in range(k + 1, min(len(toks), k + 4)):
            if toks[m].low in _VIEW_LINKS:
                found = np_right(state.text, toks, m + 1)
                if found is None:
                    return
                span, appos, _end = found
                phrase = span_text(state.text, toks, *span)
                if analyse_np(phrase).kind not in {"person", "short", "org"}:
                    return
                speaker, affiliation, kind, step = state.book.resolve(phrase, appos)
                cue = toks[m - 1].low if m > k + 1 else tok.low
                rule = rule_name(Pattern.VIEW_OF, step)
                who = Who(speaker, affiliation, cue, kind, rule, phrase, toks[span[0]].start)
                emit_paraphrase(state, prev.toks, [(0, len(prev.toks))], who)
                for q in prev.quotes:
                    if not q.done:
                        emit_direct(state, q, who)
                return
        return


_HEAD_END = re.compile(r"\s+(?:of|in|at|from|for|with|who|that|which)\s+")


def note_subject(
    state: ArticleState, toks: list[Token], subject: tuple[tuple[int, int], str] | None, with_cue: bool = True
) -> Who | None:
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
    np = state.book.surname(np) or np  # "Sanders said" names the person of that surname
    known = np.kind == "short" and (
        state.book.full_name(np.name) is not None or np.name.lower() in FIRST_NAMES
    )
    if np.kind == "person" and names_a_work(np.name):
        return None  # "Web of Angels was the first novel she sold": not the person "she" is
    if np.kind == "person" or known:  # "Andrew doesn't remember …": a given name is a person
        speaker, aff, kind, step = state.book.resolve(phrase, subject[1], sentence_initial=a == 0)
        state.book.note(toks[a].start, speaker, kind)
        return Who(speaker, aff, "", kind, rule_name(Pattern.SUBJECT, step), phrase, toks[a].start)
    if np.kind in {"org", "short"}:
        if with_cue:
            state.book.note(toks[a].start, np.name, "org")
        elif np.kind == "short":
            state.book.note_maybe_person(toks[a].start, np.name)
        return Who(np.name, np.role, "", "org", rule_name(Pattern.SUBJECT, Step.ORG), phrase, toks[a].start)
    head = _HEAD_END.split(np.name)[0]
    plural = head.endswith("s") or " and " in head
    # "The political fight comes as …": the phrase took in its verb ("comes"), it is no plural
    if np.kind == "group" and plural and len(np.name.split()) <= 12 and after.low not in SUBORDINATORS:
        state.book.note(toks[a].start, np.name, "group")
        _describe_pair(state, np.name, state.text[toks[b - 1].end : toks[b - 1].end + 200])
    return None


#: ", both professors at the University of Leeds,": the role a pair of named people share.
_BOTH_ROLE = re.compile(r",\s*(?:both|all)\s+([^,;:()“”\"]+?)\s*,")


def _describe_pair(state: ArticleState, name: str, after: str) -> None:
    """ "Kevin King and Timothy Weeks, both professors at the American University of Kabul, were
    freed": named people joined by "and" with a shared role in apposition are that group's
    description, which "they said" later gives. Why: the pair had none though the article says
    what they are."""
    match = _BOTH_ROLE.match(after) if " and " in name else None
    role = affiliation_from_apposition(match.group(1)) if match else ""
    if role and looks_like_role(f"a {match.group(1)}"):
        state.book.register(name, "group", role)


def note_content_org(state: ArticleState, toks: list[Token], piece: tuple[int, int]) -> None:
    """The organisation a reported clause is about is what a following "it said" refers to. A
    clause opened by a number counts people or things ("Two United States service members were
    killed"): its capitalised words describe them and name no organisation."""
    a, b = piece
    if toks[a].text[0].isdigit() or toks[a].low in NUMBER_WORDS:
        return
    m = a
    while m < b and toks[m].kind == "w" and toks[m].text[0].isupper() and m - a < 5:
        m += 1
    if m == a or m >= b or toks[m].kind != "w" or not toks[m].text[0].islower():
        return
    np = analyse_np(span_text(state.text, toks, a, m))
    if np.kind == "org" or (np.kind == "short" and state.book.full_name(np.name) is None):
        state.book.note(toks[a].start, np.name, "org", maybe_person=False)


# --- quotes without a cue of their own ------------------------------------------------------


def orphans(
    state: ArticleState, sent: Sentence, has_cues: bool, subject: Who | None, voices: list[Who]
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
    quote_only = piece_is_quotes(toks, 0, len(toks))
    last = state.memory.para_last.get(sent.para)
    for q in leftovers:
        index = next((k for k, t in enumerate(toks) if t.quote is q), -1)
        if quote_only:
            who = _quoted_before(state, sent) or last or _subject_before(state, sent)
            if who is not None:
                emit_direct(state, q, via(who, Pattern.QUOTE_ONLY))
            else:
                state.memory.pending.append(q)
        elif index > 0 and toks[index - 1].text == ":" and subject is not None and subject.kind == "person":
            emit_direct(state, q, via(subject, Pattern.COLON_SUBJECT))
            state.memory.para_last[sent.para] = subject
        elif not has_cues and _continues(state, sent, q, subject):
            assert state.memory.prev_direct is not None
            emit_direct(state, q, via(state.memory.prev_direct[2], Pattern.CONTINUATION))
        elif (
            len({v.speaker for v in voices}) == 1
            and not _title_case(state.text[q.start : q.end])
            and not (
                index > 0
                and toks[index - 1].low in _SLOGAN_DETERMINERS
                and index + 1 < len(toks)
                and toks[index + 1].kind == "w"
                and toks[index + 1].text[0].islower()
            )
        ):  # "the “Meth. We’re on it.” campaign" names a slogan
            emit_direct(state, q, via(voices[-1], Pattern.SENTENCE_SPEAKER))
        elif _known_subject_quote(state, q, subject):
            # "Grisham, by her own account, has given “…”"
            emit_direct(state, q, via(subject, Pattern.SUBJECT_QUOTE))


def _quoted_before(state: ArticleState, sent: Sentence) -> Who | None:
    """The speaker of the last quotation of the sentence right before, in the same paragraph: a
    sentence that is only a quotation goes on with it. Why: the paragraph's last speaker may come
    from a cue after that quotation ("“…,” Trump said, hours after news outlets declared him the
    victor. “…”"; "said X, a supporter who has accused Y of …"), which is not who goes on talking."""
    prev = state.memory.prev_sentence
    if prev is None or prev.para != sent.para:
        return None
    quoted = [q for q in prev.quotes if q.done and q.who is not None and q.start >= prev.start]
    return max(quoted, key=lambda q: q.start).who if quoted else None


def _subject_before(state: ArticleState, sent: Sentence) -> Who | None:
    """The named person the sentence right before, in the same paragraph and quoting no one, was
    about ("Velez returned to the question later. “How will …?”"); asked only when the paragraph
    has no speaker yet. Why: such a quotation was parked and went to whoever spoke last in the
    paragraphs before, though the narration had just turned to someone else."""
    prev, who = state.memory.prev_sentence, state.memory.prev_subject
    if prev is None or who is None or prev.para != sent.para or prev.quotes:
        return None
    return who


#: "the “Meth. We’re on it.” campaign": a quotation between a determiner and a lower-case noun names
#: a slogan. "that" is left out as it always was, although it would be right ("does that “a-ha!”
#: moment occur" makes a row today): an output change for the quality work (utils/lexicons/README).
_SLOGAN_DETERMINERS = DETERMINERS - {"that"}


def _title_case(body: str) -> bool:
    """“Bad Blood”, “Topical Team”: every word capitalised, so a name or title, not speech."""
    words = re.findall(r"[^\W_][\w’'\-]*", body)
    return bool(words) and all(w[0].isupper() or w.lower() in SMALL_WORDS for w in words)


def _known_subject_quote(state: ArticleState, quote: Quote, subject: Who | None) -> bool:
    """A quoted phrase (3+ words) in a sentence about a person already quoted is that person's."""
    if subject is None or subject.kind != "person" or subject.speaker not in state.memory.spoken:
        return False
    return len(state.text[quote.start : quote.end].split()) >= 3


def _continues(state: ArticleState, sent: Sentence, quote: Quote, subject: Who | None) -> bool:
    """Does a quoted phrase in narration continue the previous sentence's quoted speaker?"""
    if state.memory.prev_direct is None or state.memory.prev_direct[0] != sent.para:
        return False
    if len(state.text[quote.start : quote.end].split()) < 2:
        return False
    if subject is not None:
        return False
    k = skip_intro(sent.toks)  # len(toks) when the whole sentence reads as an introduction
    first = sent.toks[k] if k < len(sent.toks) else None
    return first is None or first.low not in ARTICLES or not _group_subject(sent)


#: "The agency is …": a sentence about a definite organisation is no continuation of a quote.
_ORGANISATION_SUBJECTS = word_set("organisation-subjects")


def _group_subject(sent: Sentence) -> bool:
    """Is the sentence about a definite organisation ("The agency is ...")?"""
    toks = sent.toks
    k = skip_intro(toks)
    words = [t.low for t in toks[k : k + 4]]
    return any(w in _ORGANISATION_SUBJECTS for w in words)


def finish_paragraph(state: ArticleState, quotes: list[Quote], para: int) -> None:
    """Resolve parked quote-only sentences: a later speaker in the paragraph, else the previous one.

    A quoted subhead (a paragraph that is one short quotation without final punctuation) waits
    for the end of the article: it usually repeats a quote given before or after it.
    """
    pending = [q for q in state.memory.pending if not q.done]
    state.memory.pending = []
    who = state.memory.para_last.get(para) or state.memory.para_last.get(-1)
    for q in pending:
        if q.para == para and para not in state.memory.para_last and _is_heading(state, q, quotes):
            state.memory.headings.append((q, who))
        elif who is not None:
            emit_direct(state, q, via(who, Pattern.QUOTE_ONLY))
    if para in state.memory.para_last:
        state.memory.para_last[-1] = state.memory.para_last[para]


def finish_article(state: ArticleState, paragraphs: list[tuple[int, int]]) -> None:
    """Give quoted subheads the speaker of the quote they repeat, else the preceding speaker."""
    for quote, fallback in state.memory.headings:
        if quote.done:
            continue
        try:
            echo = _echo(state, quote)
            who = (
                via(echo, Pattern.HEADING_ECHO)
                if echo
                else via(fallback, Pattern.HEADING)
                if fallback
                else None
            )
            if who is not None:
                emit_direct(state, quote, who)
        except Exception as exc:  # the subhead's own paragraph is the unit that failed
            raise ParagraphFailed(quote.para, *paragraphs[quote.para], exc) from exc


def _echo(state: ArticleState, quote: Quote) -> Who | None:
    """A quote repeating words of an earlier direct quote belongs to that quote's speaker."""
    words = content_words(state.text[quote.start : quote.end])
    if not words:
        return None
    for earlier, who in reversed(state.rows.directs):
        if earlier is not words and len(words & earlier) * 2 >= len(words):
            return who
    return None


def _is_heading(state: ArticleState, quote: Quote, quotes: list[Quote]) -> bool:
    """A paragraph that is only a short quotation without final punctuation (a subhead)."""
    body = state.text[quote.start : quote.end].rstrip()
    return len(quotes) == 1 and not body.endswith((".", "?", "!", ",")) and len(body) < 120
