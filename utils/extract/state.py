"""The per-article state the stages share while walking an article in order."""

from __future__ import annotations

from dataclasses import dataclass, field

from utils.extract.coreference import SpeakerBook
from utils.extract.marks import _Quote
from utils.extract.records import Statement, _Who
from utils.extract.text import _Sentence


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
