"""The per-article state the stages share while walking an article in order, split by owner.

``ArticleState`` is the article (text, paragraph starts) plus one record per owner: the speaker
book (coreference), the rows emitted so far (output) and what later sentences refer back to
(discourse). A stage writes only the part it owns; the others are read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from utils.extract.coreference import SpeakerBook
from utils.extract.marks import Quote
from utils.extract.records import Statement, Who
from utils.extract.text import Sentence


@dataclass
class Rows:
    """Owned by :mod:`utils.extract.output`: the rows emitted so far, and the words of each direct
    quotation with its speaker (a later quote that repeats one is an echo of it)."""

    statements: list[Statement] = field(default_factory=list)
    whos: list[Who] = field(default_factory=list)  # the speaker each statement was emitted with
    directs: list[tuple[set[str], Who]] = field(default_factory=list)


@dataclass
class Memory:
    """Owned by :mod:`utils.extract.discourse` (the sentence stage records the sources it meets):
    what a quotation without a cue of its own, a list item or a subhead may refer back to."""

    para_last: dict[int, Who] = field(default_factory=dict)  # paragraph -> last speaker in it
    prev_direct: tuple[int, int, Who] | None = None  # (paragraph, sentence end, who)
    pending: list[Quote] = field(default_factory=list)  # quote-only sentences awaiting a speaker
    prev_sentence: Sentence | None = None
    prev_subject: Who | None = None  # the named person the previous sentence was about, if any
    headings: list[tuple[Quote, Who | None]] = field(default_factory=list)  # quoted subheads
    list_who: Who | None = None  # "Analysts offered three theories:" -> the next paragraphs
    list_style: bool | None = None  # whether list items end with a period
    introduced: dict[int, Who] = field(default_factory=dict)  # paragraph -> source introduced there
    spoken: set[str] = field(default_factory=set)  # speakers who have had a row


@dataclass
class ArticleState:
    """One article being extracted: its text, and the parts each stage owns."""

    text: str
    para_starts: list[int] = field(default_factory=list)
    sentence_starts: list[int] = field(default_factory=list)
    book: SpeakerBook = field(default_factory=SpeakerBook)
    rows: Rows = field(default_factory=Rows)
    memory: Memory = field(default_factory=Memory)
