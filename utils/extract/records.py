"""The plain records the stages pass along and the extractor returns.

``Statement`` is one output row, ``Who`` a resolved speaker with its cue; ``Extraction`` and
``ParagraphFailure`` are the result of a whole article, with failures kept as data.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from utils.extract.rules import Pattern, Step, rule_name


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
    # Provenance (why the machine found the row, how sure it is): kept in the machine's tables only.
    rule: str = field(default="", metadata={"provenance": True})  # "<pattern>/<step>": the rule and its step
    confidence: float = field(default=0.0, metadata={"provenance": True})  # see utils.extract.chooser


@dataclass(frozen=True)
class Who:
    """A resolved speaker with the cue that introduced it and the rule that found it; ``phrase`` and
    ``at`` are the words resolved and where they start (what the speaker chooser weighs)."""

    speaker: str
    affiliation: str
    cue: str
    kind: str = "person"
    rule: str = ""
    phrase: str = ""
    at: int = -1


def via(who: Who, pattern: Pattern) -> Who:
    """``who`` as found again by a discourse ``pattern``: the pattern changes, the step that chose
    the speaker stays ("left/short-name" continued by a quote-only sentence is "quote-only/short-name")."""
    step = who.rule.rpartition("/")[2]
    return replace(who, rule=rule_name(pattern, Step(step) if step else Step.CARRIED))


# --- results of an article ----------------------------------------------------------------------


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


class ParagraphFailed(Exception):
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
