"""Names that become file names: annotator names from OS users, and annotation file names split back."""

from __future__ import annotations

import os
from itertools import combinations

import pytest

from utils import names
from utils.names import annotator_name, is_annotator_name, printable, split_annotation_file

TABLES = ("statements", "stance", "topics")


@pytest.mark.parametrize("user", ["jane", "jane.doe", "ana_lopez", "j-smith", "Jane", "user42", "a" * 64])
def test_a_user_name_safe_as_it_is_stays_the_same(user: str) -> None:
    assert annotator_name(user) == user  # existing annotation files keep their owner


@pytest.mark.parametrize(
    ("user", "readable"),
    [
        ("josé", "jose"),
        ("josè", "jose"),
        ("José Ramírez", "Jose-Ramirez"),
        ("山田", "annotator"),  # all CJK: a name of its own, not "annotator"
        ("田中", "annotator"),
        ("Иван", "annotator"),
        ("jane.", "jane"),  # a final dot is not a safe file name everywhere
        (".hidden", "hidden"),
        ("a..b", "a.b"),
        ("con", "con"),  # a Windows device name
        ("nul.doe", "nul-doe"),
        ("DOMAIN\\jane", "DOMAIN-jane"),
        ("jane doe", "jane-doe"),
        ("x-deadbeef", "x-deadbeef"),  # looks like a tagged name: tagged too
        ("a" * 65, "a" * 55),
        ("", "annotator"),
        (os.fsdecode(b"j\xf6rg"), "j-rg"),  # not UTF-8
    ],
)
def test_any_other_user_name_gets_a_readable_part_and_a_hash(user: str, readable: str) -> None:
    name = annotator_name(user)
    stem, tag = name.rsplit("-", 1)
    assert stem == readable and len(tag) == 8 and int(tag, 16) >= 0
    assert is_annotator_name(name) and annotator_name(user) == name


def test_different_users_never_share_a_name() -> None:
    users = [
        "josé",
        "josè",
        "jose",
        "Jose",
        "山田",
        "田中",
        "Иван",
        "Ivan",
        "jane.doe",
        "jane-doe",
        "jane_doe",
    ]
    users += ["jane doe", "jane.", "", "a..b", "a.b", os.fsdecode(b"j\xf6rg"), os.fsdecode(b"j\xfcrg")]
    made = [annotator_name(u) for u in users]
    assert [(a, b) for a, b in combinations(range(len(users)), 2) if made[a] == made[b]] == []


def test_the_default_comes_from_the_os_user(monkeypatch) -> None:
    monkeypatch.setattr(names.getpass, "getuser", lambda: "josé")
    assert names.default_annotator() == annotator_name("josé")

    def no_user() -> str:
        raise OSError("no user name")

    monkeypatch.setattr(names.getpass, "getuser", no_user)
    assert names.default_annotator().startswith("annotator-")


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("jane.doe", True),
        ("Jane", True),
        ("a_b-c.d", True),
        ("", False),
        (".jane", False),
        ("jane.", False),
        ("a..b", False),
        ("a/b", False),
        ("a b", False),
        ("josé", False),
        ("con", False),
        ("CON.x", False),
        ("a" * 65, False),
        (None, False),
    ],
)
def test_what_an_annotator_name_may_be(value: object, valid: bool) -> None:
    assert is_annotator_name(value) is valid


@pytest.mark.parametrize(
    ("file_name", "parsed"),
    [
        ("jane.statements.csv", ("jane", "statements")),
        ("jane.doe.stance.csv", ("jane.doe", "stance")),  # never cut at the first dot
        ("jane.doe.topics.csv", ("jane.doe", "topics")),
        ("a.b.c.statements.csv", ("a.b.c", "statements")),
        ("x.stance.statements.csv", ("x.stance", "statements")),
        ("jane.doe.lock", None),
        ("jane.doe.csv", None),
        (".statements.csv", None),
        ("notes.txt", None),
    ],
)
def test_annotation_file_names_split_on_the_table_suffix(file_name: str, parsed: tuple | None) -> None:
    assert split_annotation_file(file_name, TABLES) == parsed


def test_an_annotator_round_trips_through_each_file_name() -> None:
    for user in ["jane.doe", "josé", "山田", "a.stance"]:
        name = annotator_name(user)
        for table in TABLES:
            assert split_annotation_file(f"{name}.{table}.csv", TABLES) == (name, table)


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        (os.fsdecode(b"caf\xe9.txt"), "caf\\xe9.txt"),
        ("café.txt", "café.txt"),
        (os.fsdecode(b"a/\xff/b"), "a/\\xff/b"),
    ],
)
def test_printable_shows_bytes_that_are_not_utf8(name: str, shown: str) -> None:
    assert printable(name) == shown
    shown.encode("utf-8")
