"""Rule-based extraction of attributed statements (direct quotes and paraphrases) from news text.

Offline and CPU-only: no tagger, no parser; regular expressions, word lexicons, a few syntax
heuristics and a small logistic model that chooses among each row's candidate speakers
(:mod:`utils.extract.chooser`; its weights are a JSON file). The pipeline is

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
:mod:`utils.extract.coreference` (``SpeakerBook``). A failure of the rules is isolated to its
paragraph: :func:`extract` returns the other paragraphs' statements and the failed paragraphs
as :class:`ParagraphFailure` entries; :func:`extract_statements` also warns once per failed
paragraph (:class:`ExtractionWarning`).

The rules live in the stages of :mod:`utils.extract` (text, marks, cues, phrases, sources,
contents, attribution, discourse, coreference; :mod:`utils.extract.pipeline` runs them); this
module is the stable entry point the rest of the library and the notebooks import.
"""

from __future__ import annotations

import warnings

from utils import speaker_model
from utils.extract import pipeline
from utils.extract.attribution import process_sentence as _process_sentence
from utils.extract.pipeline import describe_failure
from utils.extract.records import Extraction, ExtractionWarning, ParagraphFailure, Statement

__all__ = [
    "Extraction",
    "ExtractionWarning",
    "ParagraphFailure",
    "Statement",
    "describe_failure",
    "extract",
    "extract_statements",
]


def extract(text: str) -> Extraction:
    """Extract attributed statements in article order, isolating failures to their paragraph.

    See :func:`utils.extract.pipeline.extract`. The sentence stage is looked up here at call
    time (``_process_sentence``), so a test can replace it to make the rules fail on purpose. The
    speaker chooser is the user's own model when accepted reviews made one
    (:func:`utils.speaker_model.current`), else the shipped one.
    """
    return pipeline.extract(text, sentence_stage=_process_sentence, model=speaker_model.current())


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
