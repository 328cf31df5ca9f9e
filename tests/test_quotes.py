"""Unit tests for utils.quotes: one small hand-written article per construction."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import utils.quotes as quotes
from utils.quotes import (
    Extraction,
    ExtractionWarning,
    ParagraphFailure,
    Statement,
    extract,
    extract_statements,
)


def article(*paragraphs: str) -> str:
    """Dev-set layout: a title line, a blank line, then paragraphs separated by blank lines."""
    return "Test headline\n\n" + "\n\n".join(paragraphs) + "\n"


def rows(text: str) -> list[tuple[str, str, str]]:
    return [(s.speaker, s.kind, s.text) for s in extract_statements(text)]


def only(text: str, kind: str | None = None) -> Statement:
    found = [s for s in extract_statements(text) if kind is None or s.kind == kind]
    assert len(found) == 1, found
    return found[0]


def check_offsets(text: str, statements: list[Statement]) -> None:
    for s in statements:
        assert 0 <= s.start <= s.end <= len(text)
        if s.kind == "direct":
            assert text[s.start : s.end] == s.text


# --- quotation marks --------------------------------------------------------------------------


def test_nested_quote_of_a_named_third_party():
    text = article(
        "“Then Governor Ellen Park said, ‘We will not raise taxes,’ and the room went quiet,” "
        "said Tom Hale, a union organizer."
    )
    found = rows(text)
    assert (
        "Tom Hale",
        "direct",
        "Then Governor Ellen Park said, ‘We will not raise taxes,’ and the room went quiet,",
    ) in found
    assert ("Ellen Park", "direct", "We will not raise taxes,") in found


def test_scare_quote_inside_a_quote_is_not_a_row():
    text = article("“They called it a ‘temporary’ closure,” said Tom Hale, a union organizer.")
    assert rows(text) == [("Tom Hale", "direct", "They called it a ‘temporary’ closure,")]


@pytest.mark.parametrize(
    "body",
    [
        "“This quote never closes, said nobody in particular.",
        "Closing marks only” here” and there”.",
        '"Straight "marks" everywhere" "" " said Ana.',
        "“ ” ‘ ’ '' `` “",
        "He said “",
    ],
)
def test_unbalanced_marks_never_crash(body):
    text = article(body)
    result = extract(text)
    assert result.failures == []
    check_offsets(text, result.statements)


# --- attribution patterns ---------------------------------------------------------------------


def test_report_inside_a_report_gives_a_row_per_source():
    text = article("Mayor Ana Ruiz said the budget was balanced, the Daily Ledger reported.")
    found = rows(text)
    assert ("Ana Ruiz", "paraphrase", "the budget was balanced") in found
    assert ("Daily Ledger", "paraphrase", "Mayor Ana Ruiz said the budget was balanced") in found


# --- speakers ---------------------------------------------------------------------------------


# --- what is not a statement ------------------------------------------------------------------


def test_narration_and_scare_quotes_are_not_statements():
    text = article(
        "The city installed so-called “smart” meters last year.",
        "The “green corridor” opened in May, and traffic fell by a third.",
        "A sign at the gate read “No entry after dusk.”",
    )
    assert extract_statements(text) == []


def test_agentless_passive_is_not_a_statement():
    assert (
        extract_statements(article("The plan was announced on Tuesday and is believed to cost $3 million."))
        == []
    )


def test_noun_phrase_complement_is_not_a_statement():
    assert (
        extract_statements(article("The company reported a loss of $4 million in the third quarter.")) == []
    )


def test_title_line_is_skipped():
    text = "“We will win,” says coach\n\nThe team trained on Sunday.\n"
    assert extract_statements(text) == []


def test_statements_come_in_article_order():
    text = article(
        "“First,” said Ana Ruiz, the mayor.",
        "Tom Hale, a union organizer, said the talks had failed.",
        "“Third,” Ruiz said.",
    )
    starts = [s.start for s in extract_statements(text)]
    assert starts == sorted(starts) and len(starts) == 3


# --- robustness -------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["", " ", "\n\n\n", "“", "said", "a" * 5000, "“" * 300 + "”" * 300])
def test_degenerate_inputs(value):
    result = extract(value)
    assert result.failures == []
    check_offsets(value, result.statements)


def test_non_string_input_is_a_type_error_not_an_empty_result():
    with pytest.raises(TypeError, match="NoneType"):
        extract_statements(None)  # type: ignore[arg-type]


_ALPHABET = st.sampled_from([*"ab Z,.;:!?—-’‘“”\"'\n", "said", " he ", "Ana Ruiz", " that ", "according to"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=80).map("".join))
def test_property_never_raises_and_offsets_are_valid(text):
    result = extract(text)
    assert result.failures == []
    check_offsets(text, result.statements)
    assert all(s.kind in {"direct", "paraphrase"} for s in result.statements)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_property_arbitrary_unicode(text):
    result = extract(text)
    assert result.failures == []
    check_offsets(text, result.statements)


# --- a failure is isolated to its paragraph and reported ---------------------------------------

GOOD_BEFORE = "“We will rebuild the bridge by spring,” said Maria Lopez, the city’s chief engineer."
BOOM = "Kaboom words in a paragraph the rules cannot handle, said Joe Doe."
GOOD_AFTER = "“The money is there,” she said. Lopez added that the council agreed."


@pytest.fixture
def boom(monkeypatch):
    """Make the rules fail on any sentence that contains "Kaboom", as a bug would."""
    process = quotes._process_sentence

    def failing(state, sent):
        if "Kaboom" in state.text[sent.start : sent.end]:
            raise IndexError("list index out of range")
        process(state, sent)

    monkeypatch.setattr(quotes, "_process_sentence", failing)


def test_a_failing_paragraph_is_reported_and_the_others_are_extracted(boom):
    text = article(GOOD_BEFORE, BOOM, GOOD_AFTER)
    result = extract(text)
    start = text.index("Kaboom")
    error = "IndexError: list index out of range"
    assert result.failures == [ParagraphFailure(start, start + len(BOOM), error)]
    assert [(s.speaker, s.text) for s in result.statements if s.kind == "direct"] == [
        ("Maria Lopez", "We will rebuild the bridge by spring,"),
        ("Maria Lopez", "The money is there,"),
    ]


def test_the_other_paragraphs_come_out_as_if_the_failing_one_were_absent(boom):
    """No half-processed state leaks: speaker memory, continuations and lists are as without it."""
    noisy = article(GOOD_BEFORE, "“Kaboom, it is all fine,” said Joe Doe.", GOOD_AFTER)
    clean = article(GOOD_BEFORE, "x" * len("“Kaboom, it is all fine,” said Joe Doe."), GOOD_AFTER)
    got = extract(noisy)
    assert len(got.failures) == 1
    assert got.statements == extract(clean).statements
    assert "she said" in noisy and all(s.speaker != "Joe Doe" for s in got.statements)


def test_extract_statements_warns_once_per_failed_paragraph(boom):
    text = article(GOOD_BEFORE, BOOM, GOOD_AFTER, BOOM)
    with pytest.warns(ExtractionWarning) as caught:
        statements = extract_statements(text)
    assert len(statements) == len(extract(text).statements) > 0
    messages = [str(w.message) for w in caught]
    assert len(messages) == 2 and all("\n" not in m for m in messages)
    start = text.index("Kaboom")
    assert messages[0].startswith(f"paragraph at characters {start}-{start + len(BOOM)} (“Kaboom words in a")
    assert "IndexError: list index out of range" in messages[0]


def test_a_clean_article_gives_no_failures_and_no_warning(recwarn):
    result = extract(article(GOOD_BEFORE, GOOD_AFTER))
    assert isinstance(result, Extraction) and result.failures == [] and len(result.statements) >= 2
    extract_statements(article(GOOD_BEFORE))
    assert not [w for w in recwarn if issubclass(w.category, ExtractionWarning)]


def test_a_failure_message_is_one_short_line(monkeypatch):
    def failing(state, sent):
        raise ValueError("first line\nsecond line " + "z" * 500)

    monkeypatch.setattr(quotes, "_process_sentence", failing)
    (failure,) = extract("Ana said it.\u2028\u0007 more").failures
    assert failure.error.startswith("ValueError: first line second line zzz") and len(failure.error) < 230
    message = quotes.describe_failure("Ana said it.\u2028\u0007 more", failure)
    assert message.isprintable()


def test_naming_participle_and_title_lists_are_not_quotes():
    text = article(
        "She had fallen in love with a script called “Northern Lights,” a story about two sisters.",
        "The band played its hits, including “Running Down The Road,” “Blue Water,” and “Home Again.”",
    )
    assert extract_statements(text) == []


# --- held-out generalisation rules ------------------------------------------------------------


def test_weak_verb_with_a_noun_phrase_and_its_own_that_clause_is_no_report():
    text = article("Moreno also stressed the need to assure staff that the plan is temporary.")
    assert extract_statements(text) == []


def test_quoted_name_before_a_noun_is_not_a_quote():
    text = article("Officials gathered at the mayor's “Green Room” office, the aide said.")
    assert [s.kind for s in extract_statements(text)] == ["paraphrase"]


def test_denied_with_an_ing_noun_is_no_report():
    assert extract_statements(article("The club denied wrongdoing.")) == []


def test_source_with_a_who_said_clause_told_a_listener():
    text = article(
        "The two ministers fled to the farm after the raid, the source, who said he had called the farm, "
        "told reporters."
    )
    found = {(s.speaker, s.text) for s in extract_statements(text)}
    assert found == {
        ("source", "The two ministers fled to the farm after the raid"),
        ("source", "he had called the farm"),
    }


# --- rules added after the final split was scored (not held-out evidence) ---------------------


def test_per_cent_is_no_source():
    assert extract_statements(article("Prices rose 5 per cent last year.")) == []


def test_that_being_said_is_no_report():
    text = article("That being said, the bridge will reopen in May.")
    assert extract_statements(text) == []


def test_lone_acronym_in_quotes_is_a_title():
    text = article("She appeared on “SNL.” last week, her agent said.")
    assert all(s.kind == "paraphrase" for s in extract_statements(text))


def test_a_long_article_gives_the_same_rows_for_each_repeat():
    body = (
        'Mayor Dana Pruitt said the bridge would reopen in May. "We are on schedule," she said.',
        "The company said it had hired more crews, according to a spokesman.",
    )
    once = rows(article(*body))
    many = rows(article(*(body * 300)))
    assert len(many) == 300 * len(once)
    assert many[-len(once) :] == once


def test_a_plural_noun_before_that_is_not_a_verb():
    text = article("Two engineers wrote the specific programs that ran the mill.")
    assert rows(text) == []


def test_an_opening_adjunct_clause_is_not_what_the_speaker_reports():
    text = article("As the verdict was read in Boston, Mayor Lena Cho testified before the state senate.")
    assert rows(text) == []


def test_evidence_suggesting_has_no_speaker():
    text = article("The fire was followed by rumours suggesting the owner had set it.")
    assert rows(text) == []


def test_according_to_after_a_trailing_attribution_reports_the_whole():
    text = article("The dam is safe for now, the water board said, according to the Valley Herald.")
    assert rows(text) == [
        ("water board", "paraphrase", "The dam is safe for now"),
        ("Valley Herald", "paraphrase", "The dam is safe for now, the water board said"),
    ]


def test_bracketed_given_name_inside_a_quote_names_the_inner_speaker():
    text = article(
        "“Coach (Dana) Reyes walked in and said, 'Well played,' and I laughed,” Ortiz said.",
        "“It was a good night,” Reyes said.",
    )
    found = rows(text)
    assert ("Dana Reyes", "direct", "Well played,") in found
    assert found[-1][0] == "Dana Reyes"


def test_asked_about_a_topic_is_no_report():
    assert rows(article("Mayor Rosa Diaz asked about the budget.")) == []


# --- inputs that used to fail, and long quotes ---------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # after a direct quote, a cue-less sentence whose opening phrase has no comma was read as
        # all introduction, and its quoted phrase looked up a first word past the end
        "e said“.” Wing e“s w",
        article("“We will go,” Ana Ruiz said. In the end “not now, not ever” was the answer."),
        article("“We will go,” Ana Ruiz said. Looking ahead “we are not ready for this” is the mood."),
    ],
)
def test_a_sentence_that_is_all_introduction_does_not_fail(text):
    result = extract(text)
    assert result.failures == []
    check_offsets(text, result.statements)


LONG_BODY = " ".join(f"Part {n} of the plan is that we rebuild the bridge by spring." for n in range(1, 2000))


@pytest.mark.parametrize("length", [2_900, 3_100, 5_000, 12_500, 40_000])
@pytest.mark.parametrize(
    "template",
    ["“{body},” said Ana Ruiz, the city engineer.", "Ana Ruiz, the city engineer, said: “{body}”"],
)
def test_a_long_quote_is_still_extracted_with_its_attribution(length, template):
    body = LONG_BODY[:length].rsplit(" ", 1)[0]
    text = article(template.format(body=body))
    s = only(text, "direct")
    assert (s.speaker, s.affiliation, s.text) == (
        "Ana Ruiz",
        "city engineer",
        body + ("," if "said Ana" in template else ""),
    )


def test_long_quote_with_an_inner_quote_of_a_named_speaker_far_inside():
    inner = "As Joe Doe, the mayor, said, ‘the money is there.’"
    body = LONG_BODY[:8_000] + " " + inner + " " + LONG_BODY[:4_000]
    text = article(f"“{body}” said Ana Ruiz.")
    found = {(s.speaker, s.text) for s in extract_statements(text)}
    assert ("Ana Ruiz", body) in found and ("Joe Doe", "the money is there.") in found


def test_a_long_sentence_without_a_full_stop_is_read_in_pieces_and_keeps_its_reports():
    narration = ", ".join(f"item {n} on the list" for n in range(600))  # ~12,000 characters, no full stop
    text = article(narration + ", and Ana Ruiz said the council agreed to rebuild the bridge")
    result = extract(text)
    assert result.failures == []
    assert [(s.speaker, s.kind, s.text) for s in result.statements] == [
        ("Ana Ruiz", "paraphrase", "the council agreed to rebuild the bridge")
    ]


def test_half_a_megabyte_single_paragraph_is_extracted_without_failures():
    """A scraped page whose paragraph breaks were lost: the bundled article's paragraphs joined by spaces."""
    from conftest import ROOT

    lines = [
        line for line in (ROOT / "data/articles/kursk-2025-01.txt").read_text().split("\n") if line.strip()
    ]
    one = " ".join(lines[1:])
    text = " ".join([one] * (550_000 // len(one) + 1))
    result = extract(text)
    assert result.failures == []
    assert len(result.statements) > 100
    check_offsets(text, result.statements)


def test_a_failure_on_the_title_line_is_reported_with_the_title_range(monkeypatch):
    from utils.speakers import SpeakerBook

    observe = SpeakerBook.observe_orgs

    def failing(self, text, offset, *args, **kwargs):
        if text.startswith("Test headline"):
            raise KeyError("x")
        return observe(self, text, offset, *args, **kwargs)

    monkeypatch.setattr(SpeakerBook, "observe_orgs", failing)
    text = article(GOOD_BEFORE)
    result = extract(text)
    assert result.failures == [ParagraphFailure(0, len("Test headline"), "KeyError: 'x'")]
    assert [s.speaker for s in result.statements] == ["Maria Lopez"]
