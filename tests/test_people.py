"""The people registry: which name forms are one person across a coverage, and which are not.

The rules are a table: each case is two speakers, each in its own article (or both in one
article), and whether they must get the same id. People's decisions, and the registry that
DuckDB builds over a Parquet dataset, follow.
"""

from __future__ import annotations

import pandas as pd
import pytest

from utils.errors import InputError, TableError
from utils.people.cluster import assign, resolve_in_article
from utils.people.decisions import Decision, apply_decisions, read_decisions, record_decision
from utils.people.identify import identify
from utils.people.names import NOBODY, ORGANISATION, PERSON, analyse_speaker, speaker_kind
from utils.people.registry import build_registry, find_person, quoted_about, statements_by
from utils.people.roles import head_role, source_type

SAME = [
    ("Hillary Clinton", "Hillary Rodham Clinton"),
    ("Hillary Clinton", "HILLARY CLINTON"),
    ("Hillary Clinton", "Hillary Clinton’s"),
    ("Hillary Clinton", "Ｈｉｌｌａｒｙ Clinton"),  # full-width letters
    ("Hillary Clinton", "Hil\u200blary Clin\u200eton"),  # zero-width space, left-to-right mark
    ("Hillary R. Clinton", "Hillary Rodham Clinton"),
    ("Bill Clinton", "William Clinton"),
    ("Bill Clinton", "William Jefferson Clinton"),
    ("Dr. Robert Kagan", "Robert Kagan"),
    ("Sen. Bernie Sanders", "Bernie Sanders"),
    ("Donald J. Trump", "Donald Trump"),
    ("José Ramírez", "Jose Ramirez"),
    ("José Ramírez", "Jose\u0301 Rami\u0301rez"),  # accents as combining marks
    ("Josh Apte", "Joshua Apte"),
    ("Mr. Jeffrey Frankel", "Jeffrey  Frankel"),
    ("James Van Der Beek", "James Van Der Beek"),
    ("the Clinton campaign", "Clinton's campaign"),
    ("the Pentagon", "The Pentagon"),
    ("FBI", "Federal Bureau of Investigation"),
]
DIFFERENT = [
    ("Bill Clinton", "Hillary Clinton"),
    ("George W. Bush", "George H. W. Bush"),
    ("George W. Bush", "Jeb Bush"),
    ("Donald Trump", "Donald Trump Jr."),
    ("Hillary Clinton", "the Clinton campaign"),
    ("Chris Smith", "Christopher Jones"),
    ("Ludwig van Beethoven", "Ludwig Beethoven-Smith"),
]


def ids(*pairs: tuple[str, str]) -> dict[tuple[str, str], str]:
    return {pair: identity.person_id for pair, identity in assign(pairs).items()}


@pytest.mark.parametrize(("a", "b"), SAME, ids=[f"{a} = {b}" for a, b in SAME])
def test_forms_of_one_name_are_one_person_across_articles(a: str, b: str) -> None:
    found = ids(("art-1", a), ("art-2", b))
    assert found[("art-1", a)] == found[("art-2", b)] != ""


@pytest.mark.parametrize(("a", "b"), DIFFERENT, ids=[f"{a} ≠ {b}" for a, b in DIFFERENT])
def test_people_who_share_a_name_part_are_kept_apart(a: str, b: str) -> None:
    found = ids(("art-1", a), ("art-2", b))
    assert found[("art-1", a)] != found[("art-2", b)]
    assert "" not in found.values()


def test_a_form_without_middle_initials_stays_apart_when_it_fits_two_people() -> None:
    found = ids(("a", "George W. Bush"), ("b", "George H. W. Bush"), ("c", "George Bush"))
    assert len(set(found.values())) == 3


def test_a_form_without_middle_names_joins_the_one_person_it_fits() -> None:
    found = ids(("a", "George W. Bush"), ("c", "George Bush"))
    assert found[("a", "George W. Bush")] == found[("c", "George Bush")]


def test_a_bare_surname_is_never_joined_across_articles() -> None:
    found = ids(("a", "Clinton"), ("b", "Clinton"), ("c", "Hillary Clinton"))
    assert len(set(found.values())) == 3


@pytest.mark.parametrize(
    ("speakers", "text", "expected"),
    [
        (["Clinton", "Hillary Clinton"], "", "Hillary Clinton"),
        (["Mrs. Clinton", "Hillary Rodham Clinton"], "", "Hillary Rodham Clinton"),
        (["Clinton"], "Former secretary of state Hillary Clinton spoke. Clinton said …", "Hillary Clinton"),
        (["Clinton", "Hillary Clinton", "Bill Clinton"], "", "Clinton"),  # two Clintons: not resolved
        (["Clinton"], "Bill Clinton and Hillary Clinton spoke.", "Clinton"),
        (["Trump"], "", "Trump"),  # nothing in the article completes it
        (["Pentagon"], "A statement from the Pentagon came late. Pentagon said …", "the Pentagon"),
        (["Apple"], "Apple said it would appeal.", "Apple"),
    ],
)
def test_a_bare_surname_is_resolved_in_its_own_article(speakers: list[str], text: str, expected: str) -> None:
    assert resolve_in_article(speakers, text)[speakers[0]] == expected


@pytest.mark.parametrize(
    ("speaker", "kind"),
    [
        ("Hillary Clinton", PERSON),
        ("Clinton", PERSON),
        ("Mrs. Clinton", PERSON),
        ("the Clinton campaign", ORGANISATION),
        ("the Obama administration", ORGANISATION),
        ("the Pentagon", ORGANISATION),
        ("Human Rights Watch", ORGANISATION),
        ("NATO", ORGANISATION),
        ("officials", NOBODY),
        ("a source", NOBODY),
        ("critics", NOBODY),
        ("doctors", NOBODY),
        ("a senior defense official", NOBODY),
        ("a Trump campaign spokesman", NOBODY),
        ("the ministry", NOBODY),
        ("", NOBODY),
        ("…", NOBODY),
    ],
)
def test_what_a_speaker_names(speaker: str, kind: str) -> None:
    assert speaker_kind(speaker) == kind


@pytest.mark.parametrize(
    ("speaker", "roles", "expected"),
    [
        ("the former president", {"George W. Bush": ["former president"]}, "George W. Bush"),
        (
            "former president",
            {"George W. Bush": ["the former president of the United States"]},
            "George W. Bush",
        ),
        (
            "the candidate",
            {"Ted Cruz": ["candidate"], "John Kasich": ["candidate"]},
            "the candidate",
        ),  # two fit
        ("the senator", {"Ted Cruz": ["candidate"]}, "the senator"),  # nobody fits
        ("officials", {"Ted Cruz": ["officials"]}, "officials"),  # a plural is never one person
    ],
)
def test_a_description_is_the_one_named_speaker_the_article_gives_that_role(speaker, roles, expected) -> None:
    assert resolve_in_article([speaker, *roles], roles=roles)[speaker] == expected


@pytest.mark.parametrize(
    ("speaker", "kind", "core"),
    [
        ("Democrat Hillary Clinton", PERSON, "Hillary Clinton"),
        ("Senate Intelligence Ranking Democrat Dianne Feinstein", PERSON, "Dianne Feinstein"),
        ("Neither Cruz", PERSON, "Cruz"),
        ("Her campaign", NOBODY, ""),
        ("Jeb Bush and Chris Christie", NOBODY, ""),
        ("Clinton and the State Department", NOBODY, ""),
        ("report in a New Hampshire paper", NOBODY, ""),
        ("Friends of Mr. Clinton's", NOBODY, ""),
        ("Democrats", NOBODY, ""),
        ("She", NOBODY, ""),
        ("He", NOBODY, ""),
        ("New Hampshire Monday", NOBODY, ""),
        ("New Hampshire", ORGANISATION, "New Hampshire"),
        ("Terry Iowa", ORGANISATION, "Terry Iowa"),
        ("Minnesota Democratic", ORGANISATION, "Minnesota Democratic"),
        ("George Washington", PERSON, "George Washington"),
        ("Procter and Gamble", ORGANISATION, "Procter and Gamble"),
        ("Bureau of Labor Statistics", ORGANISATION, "Bureau of Labor Statistics"),
    ],
)
def test_the_words_of_a_speaker_that_name_someone(speaker: str, kind: str, core: str) -> None:
    assert analyse_speaker(speaker) == (kind, core)


def test_descriptions_get_no_id_and_organisations_their_own() -> None:
    found = assign([("a", "officials"), ("a", "the Clinton campaign"), ("a", "Hillary Clinton")])
    assert found[("a", "officials")].person_id == ""
    assert found[("a", "the Clinton campaign")].person_id.startswith("o-")
    assert found[("a", "Hillary Clinton")].person_id.startswith("p-")


def test_ids_come_from_names_so_more_articles_do_not_change_them() -> None:
    before = ids(("a", "Hillary Clinton"))[("a", "Hillary Clinton")]
    after = ids(("a", "Hillary Clinton"), ("b", "Hillary Rodham Clinton"), ("c", "Bill Clinton"))
    assert after[("a", "Hillary Clinton")] == before == "p-hillary-clinton"


def test_the_canonical_name_is_the_form_most_statements_use() -> None:
    pairs = [("a", "Hillary Rodham Clinton"), ("b", "Hillary Clinton"), ("c", "Hillary Clinton")]
    rows = [(article, speaker, speaker) for article, speaker in pairs] + [
        ("d", "Mrs. Clinton", "Hillary Clinton")
    ]
    applied = identify(rows)
    assert {i.person for i in applied.identities.values()} == {"Hillary Clinton"}


def test_ids_of_names_that_fold_alike_differ() -> None:
    found = ids(("a", "Maria O'Neill"), ("b", "Maria Oneill"))
    assert found[("a", "Maria O'Neill")] != found[("b", "Maria Oneill")]


# --- source types -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("affiliation", "role", "kind"),
    [
        ("spokesman for the Trump campaign", "spokesman", "official"),
        ("Republican strategist", "strategist", "expert"),
        ("the Democratic presidential nominee", "nominee", "politician"),
        ("senior fellow at the Brookings Institution", "fellow", "expert"),
        ("White House press secretary", "press secretary", "official"),
        ("a reporter for The Washington Post", "reporter", "journalist"),
        ("Democratic senator from Vermont", "senator", "politician"),
        ("retired", None, None),
        ("retired major general in the Australian Army", "retired general", "expert"),
        ("a retired FBI agent", "retired agent", "expert"),
        ("retired professor of history", "professor", "expert"),
        ("former White House press secretary", "press secretary", "official"),
        ("general in charge of the retired officers' fund", "general", "official"),
    ],
)
def test_the_head_role_of_an_affiliation(affiliation: str, role: str | None, kind: str | None) -> None:
    assert head_role(affiliation) == ((role, kind) if role else None)


def test_a_person_s_type_is_what_most_statements_say_and_says_why() -> None:
    kind, why = source_type("person", ["former secretary of state"] + ["Democratic nominee"] * 3)
    assert (kind, why) == ("politician", "nominee ×3")
    assert source_type("organisation", []) == ("organisation", "an organisation's name")
    assert source_type("person", ["", "from Ohio"])[0] == "other"


# --- people's decisions -------------------------------------------------------------------------

ROWS = [
    ("a", "Hillary Clinton", "Hillary Clinton"),
    ("b", "Hillary Rodham Clinton", "Hillary Rodham Clinton"),
    ("c", "Clinton", "Clinton"),
    ("d", "Feel", "Feel"),
]


def test_people_merge_split_rename_and_drop() -> None:
    machine = identify(ROWS).identities
    local = machine[("c", "Clinton")].person_id
    decisions = [
        Decision("merge", "p-hillary-clinton", local),
        Decision("split", "p-hillary-clinton", "b"),
        Decision("rename", "p-hillary-clinton", "Hillary Clinton (candidate)"),
        Decision("not-a-person", machine[("d", "Feel")].person_id),
        Decision("type", "p-hillary-clinton", "politician"),
    ]
    applied = identify(ROWS, decisions)
    found = applied.identities
    assert found[("c", "Clinton")] == found[("a", "Hillary Clinton")]
    assert found[("a", "Hillary Clinton")].person == "Hillary Clinton (candidate)"
    assert found[("b", "Hillary Rodham Clinton")].person_id.startswith("p-hillary-clinton~")
    assert found[("d", "Feel")].person_id == ""
    assert applied.types == {"p-hillary-clinton": "politician"}
    assert applied.unused == ()


def test_decisions_are_idempotent_and_unknown_ids_are_reported() -> None:
    decisions = [Decision("split", "p-hillary-clinton", "b"), Decision("rename", "p-nobody-here", "X")]
    once = identify(ROWS, decisions)
    twice = apply_decisions(once.identities, decisions)
    assert twice.identities == once.identities
    assert [d.person_id for d in once.unused] == ["p-nobody-here"]


@pytest.mark.parametrize(
    ("table", "problem"),
    [
        ("action,person_id,value\nfuse,p-a,p-b\n", "must be one of: merge"),
        ("action,person_id\nmerge,p-a\n", "missing column(s) value"),
        ("action,person_id,value\nmerge,p-a,\n", "a merge needs a value"),
        ("action,person_id,value\ntype,p-a,wizard\n", "'wizard' is not a source type"),
        ("action,person_id,value\nmerge,p-a,p-a\n", "merges p-a with itself"),
        ("action,person_id,value\nrename,Hillary,H\n", "must be a person id"),
        ('action,person_id,value\nrename,p-a,"H\n', "is not valid CSV"),
    ],
)
def test_a_broken_decisions_table_is_one_line_naming_the_file(tmp_path, table: str, problem: str) -> None:
    path = tmp_path / "people.decisions.csv"
    path.write_text(table, encoding="utf-8")
    with pytest.raises(TableError) as error:
        read_decisions(path)
    assert problem in error.value.message and str(path) in error.value.message
    assert path.read_text(encoding="utf-8") == table  # nothing people wrote is touched


def test_recording_a_decision_keeps_the_previous_table_and_is_spreadsheet_safe(tmp_path) -> None:
    path = tmp_path / "people.decisions.csv"
    record_decision(path, Decision("rename", "p-a", '=HYPERLINK("x")', by="jane"))
    record_decision(path, Decision("type", "p-a", "expert", by="jane"))
    assert [d.action for d in read_decisions(path)] == ["rename", "type"]
    assert read_decisions(path)[0].value == '=HYPERLINK("x")'
    assert "'=HYPERLINK" in path.read_text(encoding="utf-8-sig")
    history = list((tmp_path / ".people-history").glob("*.csv"))
    assert len(history) == 1 and "rename" in history[0].read_text(encoding="utf-8-sig")


def test_a_decision_that_breaks_the_rules_is_refused_before_anything_is_written(tmp_path) -> None:
    path = tmp_path / "people.decisions.csv"
    with pytest.raises(TableError):
        record_decision(path, Decision("type", "p-a", "wizard"))
    assert not path.exists()


# --- the registry over a Parquet dataset --------------------------------------------------------


@pytest.fixture
def dataset(tmp_path):
    rows = [
        ("a", "2016-03-01", "Outlet A", "Hillary Clinton", "p-hillary-clinton", "Hillary Clinton", "nominee"),
        (
            "b",
            "2016-05-02",
            "Outlet B",
            "Hillary Rodham Clinton",
            "p-hillary-clinton",
            "Hillary Clinton",
            "nominee",
        ),
        ("b", "2016-05-02", "Outlet B", "Mrs. Clinton", "p-hillary-clinton", "Hillary Clinton", "senator"),
        ("c", "", "Outlet A", "Bill Clinton", "p-william-clinton", "Bill Clinton", "former president"),
        ("c", "", "Outlet A", "the Clinton campaign", "o-clinton-campaign", "Clinton campaign", ""),
        ("c", "", "Outlet A", "officials", "", "", ""),
        ("d", "2016-01-09", "Outlet C", "Bill Clinton", "p-william-clinton", "Bill Clinton", ""),
    ]
    frame = pd.DataFrame(
        rows, columns=["article_id", "date", "outlet", "speaker", "person_id", "person", "affiliation"]
    )
    frame["text"] = ["about the wall", "Wall Street", "walls", "no", "yes", "a wall", "other"]
    frame["start"] = range(len(frame))
    folder = tmp_path / "ds"
    folder.mkdir()
    frame.to_parquet(folder / "part-00000.parquet")
    return folder


def test_the_registry_has_one_row_per_person_with_dates_outlets_and_roles(dataset) -> None:
    registry = build_registry(dataset).set_index("person_id")
    hillary = registry.loc["p-hillary-clinton"]
    assert (hillary.statements, hillary.articles, hillary.outlets) == (3, 2, 2)
    assert (hillary.first_date, hillary.last_date) == ("2016-03-01", "2016-05-02")
    assert hillary.aliases == "Hillary Clinton; Hillary Rodham Clinton; Mrs. Clinton"
    assert hillary.roles == "nominee (2); senator (1)"
    assert (hillary.source_type, hillary.source_type_why) == ("politician", "nominee ×2, senator ×1")
    assert registry.loc["o-clinton-campaign"].source_type == "organisation"
    assert registry.loc["p-william-clinton"].first_date == "2016-01-09"  # undated rows are not dates
    assert "" not in registry.index


def test_people_s_source_types_win(dataset) -> None:
    registry = build_registry(dataset, types={"p-william-clinton": "expert"}).set_index("person_id")
    assert (
        registry.loc["p-william-clinton"].source_type,
        registry.loc["p-william-clinton"].source_type_why,
    ) == (
        "expert",
        "set by people",
    )


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("p-william-clinton", "p-william-clinton"),
        ("hillary clinton", "p-hillary-clinton"),
        ("Hillary Rodham Clinton", "p-hillary-clinton"),
        ("BILL CLINTON", "p-william-clinton"),
    ],
)
def test_a_person_is_found_by_id_or_name(dataset, query: str, found: str) -> None:
    assert find_person(dataset, query)[0] == found


def test_an_ambiguous_or_unknown_name_lists_the_candidates(dataset, tmp_path) -> None:
    extra = pd.read_parquet(dataset)
    extra = extra.assign(person_id="p-hillary-clinton-2", article_id="z").head(1)
    extra.to_parquet(dataset / "part-00001.parquet")
    with pytest.raises(InputError) as error:
        find_person(dataset, "Hillary Clinton")
    assert "p-hillary-clinton (" in error.value.message and "p-hillary-clinton-2 (" in error.value.message
    with pytest.raises(InputError, match="nobody called 'Jeb Bush'"):
        find_person(dataset, "Jeb Bush")


def test_statements_by_a_person_come_in_date_order_undated_last(dataset) -> None:
    assert statements_by(dataset, "p-william-clinton")["article_id"].tolist() == ["d", "c"]


def test_who_is_quoted_about_a_word_matches_whole_words(dataset) -> None:
    found = quoted_about(dataset, "wall")
    assert found[["person_id", "statements"]].values.tolist() == [["p-hillary-clinton", 2]]


@pytest.mark.parametrize("bad", ["missing-folder", "file.txt"])
def test_a_dataset_that_is_not_one_is_a_one_line_error(tmp_path, bad: str) -> None:
    path = tmp_path / bad
    if bad.endswith(".txt"):
        path.write_text("x", encoding="utf-8")
    with pytest.raises(InputError):
        build_registry(path)
