"""utils.quotes beyond the case tables: generated and very long inputs, failures made on purpose.

The sentence -> rows specification is in tests/cases/*.yaml (run by tests/test_cases.py); what
stays here needs Python: property tests, inputs built in code, and rules made to fail through a
public collaborator (SpeakerBook) to show a failure stays in its paragraph.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from utils.quotes import (
    Extraction,
    ExtractionWarning,
    ParagraphFailure,
    Statement,
    describe_failure,
    extract,
    extract_statements,
)
from utils.speakers import SpeakerBook


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
    """Make the rules fail where they resolve the speaker "Joe Doe" (the Kaboom paragraphs), as a bug would.

    The failure is raised through SpeakerBook.resolve, a public method every attributed statement
    goes through, so the test does not depend on how the extractor is arranged inside.
    """
    resolve = SpeakerBook.resolve

    def failing(self, name, *args, **kwargs):
        if name == "Joe Doe":
            raise IndexError("list index out of range")
        return resolve(self, name, *args, **kwargs)

    monkeypatch.setattr(SpeakerBook, "resolve", failing)


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
    def failing(self, name, *args, **kwargs):
        raise ValueError("first line\nsecond line " + "z" * 500)

    monkeypatch.setattr(SpeakerBook, "resolve", failing)
    (failure,) = extract("Ana said it.\u2028\u0007 more").failures
    assert failure.error.startswith("ValueError: first line second line zzz") and len(failure.error) < 230
    message = describe_failure("Ana said it.\u2028\u0007 more", failure)
    assert message.isprintable()


def test_a_failure_on_the_title_line_is_reported_with_the_title_range(monkeypatch):
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


# --- inputs built in code, and long quotes -----------------------------------------------------


def test_a_long_article_gives_the_same_rows_for_each_repeat():
    body = (
        'Mayor Dana Pruitt said the bridge would reopen in May. "We are on schedule," she said.',
        "The company said it had hired more crews, according to a spokesman.",
    )
    once = rows(article(*body))
    many = rows(article(*(body * 300)))
    assert len(many) == 300 * len(once)
    assert many[-len(once) :] == once


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


# --- inputs that once took time quadratic in their length (found by benchmarks/fuzz_bench.py) ----
# These check the rows; the fuzz run (`make fuzz`) is what times them.


def test_a_long_run_of_final_marks_before_no_sentence_start_does_not_end_the_sentence():
    text = article("Ana Ruiz said the teams with winning r" + "?" * 4000 + "ecords play well.")
    result = extract(text)
    assert result.failures == []
    assert [(s.speaker, s.text) for s in result.statements] == [("Ana Ruiz", "the teams with winning")]


@pytest.mark.parametrize(
    ("closing", "sentences"),
    [("?! She", 2), ("?!” She", 2), ("…?” she", 1), ("?!x She", 1), ("?!?!?! She", 2), ("?”?” She", 2)],
)
def test_a_run_of_final_marks_ends_a_sentence_only_before_a_sentence_start(closing, sentences):
    from utils.extract.text import paragraph_spans, split_sentences

    text = article(f"It was over{closing} left the hall.")
    (start, end), *_rest = paragraph_spans(text)
    assert len(split_sentences(text, start, end, [], 0)) == sentences


def test_an_acronym_defined_once_is_spelled_out_in_every_later_description_of_a_long_article():
    people = [f"Ana Ruiz{'z' * (k % 7)}a{chr(97 + k % 26)}{chr(97 + k // 26 % 26)}" for k in range(600)]
    paragraphs = ["The National Ramblers Association (NRA) met on Friday."] + [
        f"{name}, a leader of the NRA, said the plan was bad for everyone." for name in people
    ]
    statements = extract_statements(article(*paragraphs))
    assert len(statements) == 600
    assert {s.affiliation for s in statements} == {"leader of the National Ramblers Association (NRA)"}
