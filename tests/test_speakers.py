"""utils.speakers.SpeakerBook: per-article resolution, call by call.

The name and phrase functions (speaker_key, analyse_np, looks_like_person, ...) are tables in
tests/cases/speaker-functions.yaml; these tests stay Python because each is a sequence of calls
on one book whose state carries from call to call.
"""

from __future__ import annotations

import pytest

from utils.speakers import SpeakerBook


def test_book_resolves_surname_honorific_and_first_token():
    book = SpeakerBook()
    assert book.resolve("Jeffrey Frankel", "a Harvard economist")[:2] == (
        "Jeffrey Frankel",
        "Harvard economist",
    )
    assert book.resolve("Frankel")[0] == "Jeffrey Frankel"
    assert book.resolve("Mr. Frankel")[0] == "Jeffrey Frankel"
    book.observe_names("Opposition leader Lee Min-ho spoke first.")
    assert book.resolve("Lee")[0] == "Lee Min-ho"


def test_book_pronouns_use_recency():
    book = SpeakerBook()
    name, _aff, kind, _step = book.resolve("Ana Ruiz", "the mayor")
    book.note(10, name, kind)
    assert book.resolve("she")[0] == "Ana Ruiz"
    name, _aff, kind, _step = book.resolve("Biden administration officials")
    book.note(20, name, kind)
    assert book.resolve("they")[0] == "Biden administration officials"


def test_book_unresolved_pronoun_stays_a_pronoun():
    assert SpeakerBook().resolve("he") == ("he", "", "pronoun", "pronoun-unresolved")


#: (phrases resolved first, phrase, the step that chose the speaker): a row's ``rule`` ends in it.
RESOLUTION_STEPS = [
    ([], "Jeffrey Frankel", "name"),
    (["Jeffrey Frankel"], "Frankel", "short-name"),
    (["Jeffrey Frankel"], "Mr. Frankel", "short-name"),
    ([], "the Defense Department", "org"),
    ([], "Pentagon", "org-guess"),
    ([], "he", "pronoun-unresolved"),
    ([], "a senior defense official", "unnamed"),
    (["a senior defense official"], "the official", "same-group"),
]


@pytest.mark.parametrize(("before", "phrase", "step"), RESOLUTION_STEPS)
def test_resolution_names_its_step(before, phrase, step):
    book = SpeakerBook()
    for earlier in before:
        book.resolve(earlier)
    assert book.resolve(phrase).step == step


def test_book_definite_description_refers_back():
    book = SpeakerBook()
    first = book.resolve("a senior defense official")
    assert first[2] == "group" and first[1].startswith("(unnamed)")
    assert book.resolve("the official")[0] == "a senior defense official"


def test_book_the_title_refers_to_titled_person():
    book = SpeakerBook()
    book.resolve("President Helena Varga")
    assert book.resolve("the president")[0] == "Helena Varga"


def test_unknown_single_capitalised_word_is_an_organisation():
    book = SpeakerBook()
    assert book.resolve("Pentagon")[2] == "org"
    assert book.resolve("Andrew")[2] == "person"  # a known given name


def test_a_name_described_as_a_firm_resolves_as_an_organisation():
    book = SpeakerBook()
    book.observe_names("Blue Harbour builds ferries.")
    assert book.resolve("Blue Harbour", "the firm that builds the ferries")[2] == "org"
    book.note(0, "Blue Harbour", "org")
    assert book.resolve("the company")[0] == "Blue Harbour"


def test_she_finds_the_latest_woman_among_many_older_mentions():
    book = SpeakerBook()
    book.observe_names("Helen Marsh spoke first.", 0)
    for k in range(1, 400):  # a long article: many later mentions of a man
        book.observe_names("Robert Vance arrived.", k * 100)
    book.note(40_000, "Robert Vance", "person")
    assert book.resolve_pronoun("she", before=40_050) == ("Helen Marsh", "person")
    assert book.resolve_pronoun("he", before=40_050) == ("Robert Vance", "person")
    assert book.resolve_pronoun("she", before=50) == ("Helen Marsh", "person")


def test_the_title_refers_to_the_latest_mentioned_holder_before_the_cue():
    book = SpeakerBook()
    book.observe_names("Gov. Eric Holcomb met Gov. Ann Ruiz.", 0)
    book.observe_names("Later Eric Holcomb left.", 500)
    assert book.resolve("the governor", before=400)[0] == "Ann Ruiz"
    assert book.resolve("the governor", before=600)[0] == "Eric Holcomb"
