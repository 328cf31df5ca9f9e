"""The names of the extractor's rules, declared once: a row's ``rule`` is ``<pattern>/<step>``.

The pattern says where the speaker was found (next to the cue, or by a rule across sentences);
the step says how the speaker phrase was resolved to a person or organisation. Every module
names a rule through these enums, so a misspelt name fails (an ``AttributeError``, which
``tests/test_confidence.py`` also finds statically) instead of making a new rule silently; the
same tests check the rule names the speaker chooser reads.
"""

from __future__ import annotations

from enum import StrEnum


class Pattern(StrEnum):
    """Where the speaker was found: the first half of a row's ``rule``."""

    # next to a cue (utils.extract.sources)
    LEFT = "left"  # "Ryan said"
    LEFT_ASIDE = "left-aside"  # "Ryan, a retired general, said"; "Beshear — whose father … — promised"
    LEFT_PAST_ASIDE = "left-past-aside"  # "McConnell (R-Ky.) said that …"
    LEFT_LONG_SUBJECT = "left-long-subject"  # "an official who spoke anonymously said"
    SUBJECT_BEFORE_CLAUSE = "subject-before-clause"  # "X, a strategist whose …, said its goal was …"
    RIGHT = "right"  # "…,” said Ryan"
    ACCORDING = "according"  # "according to X", "per X"
    ELIDED = "elided"  # "…, saying", "and said": the clause's subject speaks
    PARTICIPLE = "participle"  # "Swift posted on Twitter accusing X"
    PREDICATES = "predicates"  # "he asked about X, called Omar … and said"
    RELATIVE = "relative"  # "X, who said …"
    RELATIVE_PAST_ASIDE = "relative-past-aside"  # "…, who, on a press call Friday, criticized X"
    LISTENER = "listener"  # "prompted X to say": the listener made to speak
    # across sentences (utils.extract.discourse, attribution, output)
    QUOTE_ONLY = "quote-only"  # a sentence that is only a quotation: the paragraph's speaker
    CONTINUED_QUOTE = "continued-quote"  # a quotation reopened on the next paragraph
    CONTINUATION = "continuation"  # a quoted phrase right after the speaker's quote
    COLON_SUBJECT = "colon-subject"  # "X summed it up: “…”"
    SENTENCE_SPEAKER = "sentence-speaker"  # a quotation outside every cue of a one-speaker sentence
    SUBJECT_QUOTE = "subject-quote"  # a quoted phrase in a sentence about a person already quoted
    LIST_ITEM = "list-item"  # a paragraph of a list announced by "X said:"
    HEADING = "heading"  # a quoted subhead: the speaker before it
    HEADING_ECHO = "heading-echo"  # a quoted subhead that repeats an earlier quotation
    INNER_QUOTE = "inner-quote"  # ‘…’ inside a quotation, attributed there to a named person
    VIEW_OF = "view-of"  # "That's the optimistic view of X": the previous sentence is X's
    # carriers: they pass a speaker to one of the patterns above and never name a row
    SUBJECT = "subject"  # a named sentence subject (for colon-subject, subject-quote)
    LIST_SUBJECT = "list-subject"  # "Analysts offered three theories:" (for list-item)


class Step(StrEnum):
    """How the speaker phrase was resolved: the second half of a row's ``rule``."""

    # utils.extract.coreference (SpeakerBook.resolve)
    NAME = "name"  # a name as the article first gives it
    SHORT_NAME = "short-name"  # a surname, given name or other short form of someone met before
    ALIAS = "alias"  # a familiar or fuller form of a given name ("Josh" for "Joshua")
    SURNAME = "surname"  # a surname that reads as a plural ("Sanders")
    OWNER_NAME = "owner-name"  # "NBC's Chuck Todd"
    LATER_NAME = "later-name"  # a given name completed later in the text
    ORG = "org"  # an organisation
    ORG_GUESS = "org-guess"  # a lone capitalised word nobody introduced
    ACRONYM = "acronym"  # an acronym of an organisation met before
    PRONOUN = "pronoun"  # he, she, it, they: the most recent fitting speaker
    PRONOUN_SPEAKER = "pronoun-speaker"  # "she" kept on the speaker in focus
    PRONOUN_UNRESOLVED = "pronoun-unresolved"  # a pronoun with nobody to refer to
    PAIR = "pair"  # "both men": the last two people named
    EPITHET = "epithet"  # "the actor", "the 56-year-old": the person in focus
    TITLE = "title"  # "the governor": the person with that title
    APPOSITION_OF = "apposition-of"  # the person whose apposition the phrase is
    SALIENT_ORG = "salient-org"  # "the utility": the organisation the article is about
    LAST_ORG = "last-org"  # "the company", "the statement": the organisation in focus
    SAME_GROUP = "same-group"  # an unnamed source met before ("the official")
    SOURCE_NOUN = "source-noun"  # "the source" for "an insider" met before
    UNNAMED = "unnamed"  # a new unnamed source
    NAMED_LATER = "named-later"  # an unnamed source's role that the article gives one person later
    # utils.extract.attribution and records
    PREVIOUS_SPEAKER = "previous-speaker"  # an elided speaker: the sentence's last speaker
    INNER_PRONOUN = "inner-pronoun"  # "Russia's ministry said it viewed …": the outer speaker
    PARAGRAPH_LEAD = "paragraph-lead"  # "“…,” he said" after a new source's paragraph
    CARRIED = "carried"  # a speaker carried on without a step of its own


#: Patterns that only carry a speaker to another pattern (``records.via``): never a row's rule.
CARRIERS = frozenset({Pattern.SUBJECT, Pattern.LIST_SUBJECT})


def rule_name(pattern: Pattern, step: Step) -> str:
    """The ``rule`` of a row: "<pattern>/<step>". Both are converted, so a name that is not
    declared above raises ``ValueError`` here rather than making a new rule."""
    pattern = pattern if isinstance(pattern, Pattern) else Pattern(pattern)  # a member is declared
    step = step if isinstance(step, Step) else Step(step)
    return f"{pattern.value}/{step.value}"


def split_rule(name: str) -> tuple[Pattern, Step | None]:
    """The pattern and step of a ``rule`` ("left/name"); a bare pattern ("left") has no step.
    Raises ``ValueError`` for a name that is not declared."""
    pattern, _slash, step = name.partition("/")
    return Pattern(pattern), Step(step) if step else None
