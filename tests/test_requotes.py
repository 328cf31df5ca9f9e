"""The re-quote finder (utils/requotes.py) on made-up quotes: what groups, what must not, and
what the rows say differs. Every expected value was worked out by hand from the rule in the
module docstring (the word counts and runs are given beside each case)."""

from __future__ import annotations

import pandas as pd
import pytest

from utils import requotes
from utils.errors import TableError
from utils.requotes import Match, Rules

# 15 words
BRIDGE = "We will rebuild every bridge in this state before the winter comes back again."


def statements(*rows: tuple) -> pd.DataFrame:
    """(article, date, speaker, text[, kind[, start]]) -> a statements table; the outlet is the
    article id's part before the dash."""
    records = []
    for row in rows:
        article, date, speaker, text, *rest = row
        kind = rest[0] if rest else "direct"
        start = rest[1] if len(rest) > 1 else 0
        records.append(
            {
                "article_id": article,
                "outlet": article.split("-")[0],
                "date": date,
                "speaker": speaker,
                "person_id": "",
                "kind": kind,
                "text": text,
                "start": start,
                "end": start + len(text),
            }
        )
    return pd.DataFrame(records)


def grouped(found: pd.DataFrame) -> set[frozenset[int]]:
    """The groups as sets of statement numbers."""
    return {frozenset(rows["statement"]) for _g, rows in found.groupby("group")}


def row_of(found: pd.DataFrame, statement: int) -> pd.Series:
    return found.set_index("statement").loc[statement]


# (name, rows, expected groups of statement numbers)
CASES = [
    (
        "identical",
        [("post-1", "2024-03-01", "Jane Doe", BRIDGE), ("times-1", "2024-03-02", "Jane Doe", BRIDGE)],
        {frozenset({0, 1})},
    ),
    (
        # 9 words, all inside the 15: cover 1.0, 9 shared words
        "cut shorter",
        [
            ("post-1", "2024-03-01", "Jane Doe", BRIDGE),
            ("times-1", "2024-05-20", "Jane Doe", "rebuild every bridge in this state before the winter"),
        ],
        {frozenset({0, 1})},
    ),
    (
        # runs of 4 and 9 words: cover 13/15 = 0.87, 13 shared words (close, and 10 or more words)
        "one word changed",
        [
            ("post-1", "2024-03-01", "Jane Doe", BRIDGE),
            ("times-1", "2024-06-01", "", BRIDGE.replace("bridge", "road")),
        ],
        {frozenset({0, 1})},
    ),
    (
        "another speaker",
        [
            ("post-1", "2024-03-01", "Jane Doe", BRIDGE),
            ("times-1", "2024-03-02", "Jane Doe", BRIDGE),
            ("wire-1", "2024-03-04", "John Roe", BRIDGE),
        ],
        {frozenset({0, 1, 2})},
    ),
    (
        # 4 words by three people months apart: no time or person evidence for so few words
        "slogan said by different people on different days",
        [
            ("post-1", "2024-01-10", "Ann Lee", "Lock them all up!"),
            ("times-1", "2024-03-15", "Bob Kay", "lock them all up"),
            ("wire-1", "2024-06-01", "Cy Dow", "Lock them all up."),
        ],
        set(),
    ),
    (
        # the same short line by one person, three months apart: another occasion
        "short line again on another occasion",
        [
            ("post-1", "2024-01-10", "Ann Lee", "we are not going anywhere"),
            ("times-1", "2024-04-15", "Ann Lee", "We are not going anywhere."),
        ],
        set(),
    ),
    (
        # the same 5 words by one person, two days apart: time and person are evidence enough
        "short line the same week",
        [
            ("post-1", "2024-01-10", "Ann Lee", "we are not going anywhere"),
            ("times-1", "2024-01-12", "Ann Lee", "We are not going anywhere."),
        ],
        {frozenset({0, 1})},
    ),
    (
        # the same 4 words from two named people two days apart: a catch-phrase, not a re-quote
        "short line from two people the same week",
        [
            ("post-1", "2024-01-10", "Ann Lee", "we are not going anywhere"),
            ("times-1", "2024-01-12", "Bob Kay", "We are not going anywhere."),
        ],
        set(),
    ),
    (
        "one article only",
        [("post-1", "2024-03-01", "Jane Doe", BRIDGE), ("post-1", "2024-03-01", "Jane Doe", BRIDGE)],
        set(),
    ),
    (
        # two cuts that do not overlap, both inside the whole quote of a third article
        "two cuts of one quote",
        [
            ("post-1", "2024-03-01", "Jane Doe", BRIDGE + " And every school will get a new roof by June."),
            ("times-1", "2024-03-02", "Jane Doe", "rebuild every bridge in this state before the winter"),
            ("wire-1", "2024-03-03", "Jane Doe", "every school will get a new roof by June"),
        ],
        {frozenset({0, 1, 2})},
    ),
]


@pytest.mark.parametrize(("name", "rows", "expected"), CASES, ids=[c[0] for c in CASES])
def test_groups(name: str, rows: list[tuple], expected: set[frozenset[int]]) -> None:
    assert grouped(requotes.find_requotes(statements(*rows))) == expected


def test_what_differs_is_listed() -> None:
    found = requotes.find_requotes(
        statements(
            ("post-1", "2024-03-01", "Jane Doe", BRIDGE),
            ("times-1", "2024-03-02", "Jane Doe", BRIDGE),
            ("wire-1", "2024-03-03", "John Roe", BRIDGE),
            ("blog-1", "2024-03-04", "", "rebuild every bridge in this state before the winter"),
            ("news-1", "2024-03-05", "Jane Doe", BRIDGE.replace("bridge", "road")),
            ("post-2", "2024-03-06", "Jane Doe", "Well, " + BRIDGE.replace(" back", "")),
        )
    )
    assert grouped(found) == {frozenset(range(6))}
    expected = {  # statement: variant, speaker_status, cut, omitted, added, changed
        0: ("same", "same", "", "", "", ""),
        1: ("same", "same", "", "", "", ""),
        2: ("speaker", "other", "", "", "", ""),
        3: ("both", "missing", "start and end", "", "", ""),
        4: ("wording", "same", "", "", "", "bridge → road"),
        5: ("wording", "same", "", "back", "well", ""),
    }
    for statement, values in expected.items():
        row = row_of(found, statement)
        columns = ["variant", "speaker_status", "cut", "omitted", "added", "changed"]
        assert tuple(row[columns]) == values, statement
    assert set(found["articles"]) == {6} and set(found["outlets"]) == {5}


def test_a_chain_of_partial_overlaps_is_not_one_group() -> None:
    """A~B share 15 words, B~C 13, A and C no two words in a row: B joins its stronger partner."""
    schools = "our schools need more teachers and smaller classes"
    harbour = "the harbour plan will bring jobs to every town on the coast by next year"
    hospitals = "and we must cut the waiting times in every hospital of the region"
    room = "said nobody in the room at the end of the meeting"
    rows = [
        ("post-1", "2024-03-01", "Jane Doe", f"{schools} {harbour}"),
        ("times-1", "2024-03-01", "Jane Doe", f"{harbour} {hospitals}"),
        ("wire-1", "2024-03-01", "Jane Doe", f"{hospitals} {room}"),
    ]
    assert grouped(requotes.find_requotes(statements(*rows))) == {frozenset({0, 1})}


def test_a_phrase_two_statements_share_does_not_join_them() -> None:
    """An 8-word phrase quoted alone and inside two different statements of 24 words: the two
    share only the phrase (a third of either), so the phrase joins one of them, not both."""
    phrase = "we have to secure the border right now"
    rows = [
        (
            "post-1",
            "2024-03-01",
            "Jane Doe",
            f"{phrase} and the farmers in the valley deserve a better deal from the capital this very year",
        ),
        (
            "times-1",
            "2024-03-01",
            "Jane Doe",
            f"taxes are too high for every family in the county and {phrase} before the summer comes round",
        ),
        ("wire-1", "2024-03-01", "Jane Doe", phrase),
    ]
    assert [len(requotes.tokens(row[3])) for row in rows] == [24, 24, 8]
    groups = grouped(requotes.find_requotes(statements(*rows)))
    assert len(groups) == 1 and not {0, 1} <= next(iter(groups))


def test_quoted_words_inside_a_paraphrase() -> None:
    paraphrase = f'the mayor promised that the city would "{BRIDGE.lower()}" if elected'
    found = requotes.find_requotes(
        statements(
            ("post-1", "2024-03-01", "Jane Doe", BRIDGE),
            ("times-1", "2024-03-02", "Jane Doe", paraphrase, "paraphrase", 100),
        )
    )
    row = row_of(found, 1)
    at = 100 + paraphrase.index(BRIDGE.lower())
    assert (row["text"], row["start"], row["end"]) == (BRIDGE.lower(), at, at + len(BRIDGE))
    assert row["variant"] == "same"


def test_a_split_quote_is_one_occurrence() -> None:
    first, second = "every school will get a new roof", "and every teacher a raise by June"
    found = requotes.find_requotes(
        statements(
            ("post-1", "2024-03-01", "Jane Doe", first),
            ("post-1", "2024-03-01", "Jane Doe", second),
            ("times-1", "2024-03-02", "Jane Doe", f"{first}, {second}."),
        )
    )
    assert grouped(found) == {frozenset({0, 1, 2})}
    assert set(found["variant"]) == {"same"}


def test_hostile_text_stays_text() -> None:
    script, image = "<script>alert(1)</script>", "<img src=x onerror=alert(1)>"
    text = f'{BRIDGE} {script} =HYPERLINK("http://evil.example") \u2028{{{{7*7}}}}'
    table = statements(("post-1", "2024-03-01", image, text), ("times-1", "2024-03-02", image, text))
    table["outlet"] = ['=cmd|" /C calc"!A0', script]
    found = requotes.find_requotes(table)
    assert grouped(found) == {frozenset({0, 1})}
    assert list(found.sort_values("statement")["text"]) == [text, text]
    assert set(found["speaker"]) == {image}
    assert set(found["outlet"]) == {'=cmd|" /C calc"!A0', script}


def test_group_ids_do_not_depend_on_row_order() -> None:
    rows = [
        ("post-1", "2024-03-01", "Jane Doe", BRIDGE),
        ("times-1", "2024-03-02", "Jane Doe", BRIDGE),
        ("wire-1", "2024-04-01", "Ann Lee", "our schools need more teachers and smaller classes now"),
        ("news-1", "2024-04-02", "Ann Lee", "our schools need more teachers and smaller classes now"),
    ]
    first = requotes.find_requotes(statements(*rows))
    second = requotes.find_requotes(statements(*reversed(rows)))
    assert set(first["group"]) == set(second["group"]) and first["group"].nunique() == 2


def test_nothing_found_is_an_empty_table_with_the_columns() -> None:
    found = requotes.find_requotes(statements(("post-1", "2024-03-01", "Jane Doe", BRIDGE)))
    assert found.empty and list(found.columns) == requotes.COLUMNS


def test_no_quote_long_enough_finds_nothing() -> None:
    table = pd.DataFrame({"article_id": ["a", "b"], "text": ["too short", None]})
    assert requotes.find_requotes(table).empty


def test_only_article_and_text_are_needed() -> None:
    """No speaker, date, outlet or offsets; repeated index labels are kept as they are."""
    table = pd.DataFrame(
        {"article_id": ["a", "b", "c"], "text": [BRIDGE, BRIDGE, "other words entirely here"]}
    )
    table.index = [5, 5, 7]
    found = requotes.find_requotes(table)
    assert list(found["statement"]) == [5, 5] and list(found["article_id"]) == ["a", "b"]
    assert set(found["speaker_status"]) == {"missing"} and set(found["outlets"]) == {0}


def test_a_table_without_text_is_refused() -> None:
    with pytest.raises(TableError, match="no text column"):
        requotes.find_requotes(pd.DataFrame({"article_id": ["a"], "quote": ["x"]}))


# (name, match, days apart or None, speakers, linked)
LINKS = [
    ("a dozen words in a row", Match(0.5, 12, 12), None, "different", True),
    ("near verbatim, 8 words, far apart", Match(0.95, 8, 8), 200.0, "different", True),
    ("4 words, far apart, speaker unknown", Match(1.0, 4, 4), 200.0, "unknown", False),
    ("4 words, three days apart, speaker unknown", Match(1.0, 4, 4), 3.0, "unknown", True),
    ("4 words, three days apart, two people", Match(1.0, 4, 4), 3.0, "different", False),
    ("4 words, one person within a month", Match(1.0, 4, 4), 20.0, "same", True),
    ("4 words, one person three months later", Match(1.0, 4, 4), 90.0, "same", False),
    ("4 words, one person, undated", Match(1.0, 4, 4), None, "same", True),
    ("4 words, undated, speaker unknown", Match(1.0, 4, 4), None, "unknown", False),
    ("close, 8 words, three days apart", Match(0.8, 7, 8), 3.0, "unknown", True),
    ("close, 8 words, far apart", Match(0.8, 7, 8), 100.0, "unknown", False),
    ("close, 12 words, far apart, two people", Match(0.8, 9, 12), 100.0, "different", True),
    ("half, same day, same person", Match(0.6, 8, 9), 0.0, "same", False),
    ("a 3-word run only", Match(0.75, 3, 3), 0.0, "same", False),
]


@pytest.mark.parametrize(("name", "match", "days", "speakers", "linked"), LINKS, ids=[c[0] for c in LINKS])
def test_link_rule(name: str, match: Match, days: float | None, speakers: str, linked: bool) -> None:
    assert requotes.links(match, days, speakers) is linked


# (first words, second words, cover, longest run, shared words)
COMPARISONS = [
    ("a b c d", "x a b c d y", 1.0, 4, 4),
    ("a x b y", "a z b w", 0.0, 0, 0),  # single words in common are no run
    ("a b c d e f", "a b x d e f", 5 / 6, 3, 5),
]


@pytest.mark.parametrize(("a", "b", "cover", "run", "shared"), COMPARISONS)
def test_compare(a: str, b: str, cover: float, run: int, shared: int) -> None:
    assert requotes.compare(a.split(), b.split()) == Match(pytest.approx(cover), run, shared)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("ISIS’s best recruiter", ["isis", "best", "recruiter"]),
        ("ISIS' best recruiter", ["isis", "best", "recruiter"]),
        ("“Don’t stop,” she said.", ["don't", "stop", "she", "said"]),
    ],
)
def test_tokens(text: str, words: list[str]) -> None:
    assert requotes.tokens(text) == words


def test_a_common_phrase_proposes_no_pairs() -> None:
    texts = [f"alpha beta gamma delta {w}".split() for w in ("one", "two", "three")]
    assert len(requotes.candidate_pairs(texts)) == 3
    assert requotes.candidate_pairs(texts, Rules(max_postings=2)).empty


def test_re_quotes_of_some_people_from_a_dataset_scanned_in_batches(tmp_path) -> None:
    """Jane's bridge line in three articles (cut shorter in one, given to a spokesman in another),
    a line of Ann's repeated twice (not Jane's: left out), and unrelated statements. Read two rows
    at a time, the answer is the whole table's, keeping the groups Jane has an occurrence in."""
    from utils.corpus import write_dataset

    rows = statements(
        ("post-1", "2024-03-01", "Jane Doe", BRIDGE),
        ("times-1", "2024-03-02", "Jane Doe", "rebuild every bridge in this state before the winter"),
        ("wire-1", "2024-03-02", "a spokesman", BRIDGE),
        ("post-2", "2024-03-05", "Ann Lee", "Nobody here will ever pay that tax again, not once."),
        ("times-2", "2024-03-06", "Ann Lee", "Nobody here will ever pay that tax again, not once."),
        ("wire-2", "2024-03-07", "Ann Lee", "The weather is mild for March in the valley."),
    )
    rows["person_id"] = ["p-jane-doe", "p-jane-doe", "", "p-ann-lee", "p-ann-lee", "p-ann-lee"]
    dataset = write_dataset(rows, tmp_path / "corpus", rows_per_file=2)
    found = requotes.dataset_requotes(dataset, ["p-jane-doe"])
    assert sorted(found["article_id"]) == ["post-1", "times-1", "wire-1"]
    assert found["group"].nunique() == 1
    whole = requotes.find_requotes(rows)
    expected = whole[whole["article_id"].isin(["post-1", "times-1", "wire-1"])]
    columns = ["article_id", "speaker", "text", "variant", "speaker_status"]
    key = ["article_id"]
    pd.testing.assert_frame_equal(
        found[columns].sort_values(key).reset_index(drop=True),
        expected[columns].sort_values(key).reset_index(drop=True),
    )
    assert requotes.dataset_requotes(dataset, ["p-nobody"]).empty
