"""``opinions about``: what addresses a proposition across a corpus dataset (utils/about.py, about_cli.py)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pandas as pd
import pytest

from utils.about import COLUMNS, MIN_LABELS, Topic, describe, find_about, load_topic
from utils.about_cli import run_about
from utils.errors import InputError
from utils.spreadsheet import BOM

HOSTILE = '=HYPERLINK("http://evil.example","wall") <script>alert(1)</script> \x1b[2J wall'

# article_id, person_id, person, date, text
ROWS = [
    ("dep1", "p-ann", "Ann Lee", "2016-03-01", "They deported thousands last year."),
    ("dep2", "p-bob", "Bob Day", "2016-05-02", "Deportations will go on, and deporting families is cruel."),
    ("dep3", "p-ann", "Ann Lee", "2016-07-03", "The department has a new head."),
    ("rig1", "p-bob", "Bob Day", "2016-06-01", "The primary was rigged from the start."),
    ("rig2", "p-cat", "Cat Roe", "", "Nobody is rigging anything, that's the right answer."),
    ("rig3", "p-cat", "Cat Roe", "2016-01-09", "It was the right call, a rigorous process."),
    ("neg1", "p-ann", "Ann Lee", "2016-08-08", "The negotiations over the deal are stuck."),
    ("vid1", "p-bob", "Bob Day", "2016-09-01", "Strict voter ID laws keep people away."),
    ("vid2", "p-bob", "Bob Day", "2016-09-02", "Voter-ID rules were debated."),
    ("vid3", "p-ann", "Ann Lee", "2016-09-03", "Every voter turned up; the id cards were fine."),
    ("bw1", "p-ann", "Ann Lee", "2016-10-01", "They want a border wall built along the river now."),
    ("bw2", "p-cat", "Cat Roe", "2016-10-02", "They want a wall built along the river at the border."),
    (
        "bw3",
        "p-bob",
        "Bob Day",
        "2016-10-03",
        "The wall is old. Far away, past the hills and over the sea, is a border.",
    ),
    ("war1", "p-cat", "Cat Roe", "2016-11-01", "The software award went to a start-up."),
    ("war2", "p-cat", "Cat Roe", "2016-11-02", "Wars are won by logistics."),
    ("apo1", "p-ann", "Ann Lee", "2016-12-01", "Clinton’s e-mails were careless, he said."),
    ("zur1", "p-ann", "Ann Lee", "2016-12-02", "ZÜRICH is calm."),
    ("bad1", "p-eve", "Eve <b>Bad</b>", "2016-12-03", HOSTILE),
]


def write_dataset(folder: Path, rows=ROWS) -> Path:
    frame = pd.DataFrame(rows, columns=["article_id", "person_id", "person", "date", "text"])
    frame = frame.assign(
        speaker=frame["person"],
        outlet="Outlet",
        title="A story",
        url="https://news.example/" + frame["article_id"],
        id="s1",
        start=0,
        end=frame["text"].str.len(),
    )
    folder.mkdir(parents=True, exist_ok=True)
    frame.to_parquet(folder / "part-00000.parquet", index=False)
    return folder


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # a quote and a space in the folder's name: the path reaches DuckDB as text, never as SQL
    return write_dataset(tmp_path_factory.mktemp("about") / "it's a corpus")


def ids(table: pd.DataFrame) -> list[str]:
    return table["article_id"].tolist()


# query, topic keywords, the statements found (a list: in this order), why
RANKING = [
    ("deportation", "", ["dep2", "dep1"], "word forms by stem (two beat one), not 'department'"),
    ("rigged", "", {"rig1", "rig2"}, "'rigging' is a form, 'right' and 'rigorous' are not"),
    ("", "negotiat", ["neg1"], "a keyword is a word beginning"),
    ("", "voter id", {"vid1", "vid2"}, "a keyword phrase: words side by side, not apart"),
    (
        "border wall",
        "",
        ["bw1", "bw2", "bw3", "bad1"],
        "side by side beats near, near beats far, far beats one",
    ),
    ("war", "", ["war2"], "matches start at a word: not 'software' or 'award'"),
    ("clinton careless", "", ["apo1"], "a curly apostrophe separates words"),
    ("zürich", "", ["zur1"], "case is ignored in any script"),
]


@pytest.mark.parametrize(("query", "keywords", "expected", "why"), RANKING, ids=[c[3] for c in RANKING])
def test_ranking(dataset: Path, query: str, keywords: str, expected: list[str] | set[str], why: str) -> None:
    topic = Topic("t", "a proposition", keywords) if keywords else None
    table = find_about(dataset, query, topic=topic)
    assert (ids(table) if isinstance(expected, list) else set(ids(table))) == expected
    assert list(table.columns) == COLUMNS
    assert table["score"].is_monotonic_decreasing and (table["score"] > 0).all()


@pytest.mark.parametrize(
    ("query", "keywords", "article", "matched", "why"),
    [
        ("deportation", "", "dep2", "deportations; deporting", "keywords: deportation"),
        ("", "wall;voter id", "vid2", "voter-id", "keywords: voter id"),
        ("e-mail", "", "apo1", "mails", "keywords: mail"),
    ],
)
def test_each_row_shows_what_matched_and_why(dataset, query, keywords, article, matched, why) -> None:
    topic = Topic("t", "p", keywords) if keywords else None
    row = find_about(dataset, query, topic=topic).set_index("article_id").loc[article]
    assert (row["matched"], row["why"]) == (matched, why)


def test_a_query_and_a_topic_search_together(dataset: Path) -> None:
    table = find_about(dataset, "rigged", topic=Topic("t", "p", "negotiat"))
    assert set(ids(table)) == {"rig1", "rig2", "neg1"}


@pytest.mark.parametrize("person", ["p-bob", "Bob Day", "bob day"])
def test_person_filter_by_id_or_name(dataset: Path, person: str) -> None:
    table = find_about(dataset, "", topic=Topic("t", "p", "deport;rigged;voter id"), person=person)
    assert ids(table) == ["dep2", "rig1", "vid1", "vid2"] or set(ids(table)) == {
        "dep2",
        "rig1",
        "vid1",
        "vid2",
    }
    assert set(table["person_id"]) == {"p-bob"}


def test_since_leaves_out_earlier_and_undated_statements_and_counts_the_undated(dataset: Path) -> None:
    everything = find_about(dataset, "rigged")
    assert set(ids(everything)) == {"rig1", "rig2"}
    later = find_about(dataset, "rigged", since="2016-05-01")
    assert ids(later) == ["rig1"]  # rig2 has no date
    assert later.attrs["found"].undated_excluded == 1
    assert "1 matching statements without a date left out" in describe(later, "ds")
    assert find_about(dataset, "rigged", since="2016-06-02").empty


def test_nothing_found_is_an_empty_table_that_says_so(dataset: Path) -> None:
    table = find_about(dataset, "unicorns")
    assert table.empty and list(table.columns) == COLUMNS
    assert describe(table, "ds").startswith("nothing found: no statement matches unicorns")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (dict(query="the of and"), "has no word to search for"),
        (dict(query=""), "nothing to search for"),
        (dict(query="wall", since="last week"), "--since 'last week' is not a date"),
        (dict(query="wall", person="Nobody Here"), "nobody called 'Nobody Here' is quoted in it"),
    ],
)
def test_bad_searches_are_one_line_errors(dataset: Path, call: dict, message: str) -> None:
    with pytest.raises(InputError, match=message) as raised:
        find_about(dataset, **call)
    assert "\n" not in raised.value.message


def test_a_dataset_without_person_ids_can_be_searched_but_not_by_person(tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    pd.DataFrame({"article_id": ["x"], "text": ["The wall."]}).to_parquet(folder / "p.parquet")
    table = find_about(folder, "wall")
    assert ids(table) == ["x"] and table.loc[0, "person_id"] == "" and table.loc[0, "date"] == ""
    with pytest.raises(InputError, match="has no person_id column"):
        find_about(folder, "wall", person="p-x")
    assert find_about(folder, "wall", since="2016-01-01").attrs["found"].undated_excluded == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("topic,proposition,keywords\nborder,A wall,wall\n", r"has no topic 'rigged' \(its topics: border\)"),
        ("topic,claim,keywords\nrigged,It is,rig\n", "missing column.* proposition"),
        ("topic,proposition,keywords\nRigged!,It is,rig\n", "topic"),
    ],
    ids=["unknown topic", "bad column", "bad topic id"],
)
def test_topics_table_errors_name_the_file(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "topics.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message) as raised:
        load_topic(path, "rigged")
    assert str(path) in raised.value.message and "\n" not in raised.value.message


def test_hostile_text_stays_text(dataset: Path) -> None:
    table = find_about(dataset, "wall", person="p-eve")
    assert table.loc[0, "text"] == HOSTILE and table.loc[0, "person"] == "Eve <b>Bad</b>"
    hostile_query = find_about(dataset, "wall'); DROP TABLE x; -- (.*|[")
    assert "bad1" in ids(hostile_query)


# --- learned relevance ---------------------------------------------------------------------------


def learning_rows() -> list[tuple[str, str, str, str, str]]:
    """'wall' statements about the border (addressed) and about Wall Street (not): keyword scores
    favour the short Wall Street ones."""
    border = [f"The wall along the border must stop crossings, case {i}." for i in range(30)]
    street = [f"Wall Street fell {i} percent." for i in range(30)]
    texts = border + street
    return [(f"a{i}", "", "", "2016-01-01", text) for i, text in enumerate(texts)]


def test_learned_relevance_reorders_when_the_labels_say_so(tmp_path: Path) -> None:
    dataset = write_dataset(tmp_path / "learn", learning_rows())
    topic = Topic("wall", "A border wall should be built", "wall")
    plain = find_about(dataset, "", topic=topic)
    assert plain.loc[0, "text"].startswith("Wall Street")
    texts = [r[4] for r in learning_rows()]
    labels = pd.DataFrame(
        {
            "text": [t.replace("case", "example") for t in texts[:22]]
            + [t + " Again." for t in texts[30:52]],
            "label": ["favor"] * 22 + ["not addressed"] * 22,
        }
    )
    assert len(labels) >= MIN_LABELS
    learned = find_about(dataset, "", topic=topic, labels=labels)
    assert learned["text"].head(30).str.startswith("The wall along the border").all()
    assert learned.loc[0, "why"].startswith("learned from 44 labels")
    assert "border" in learned.loc[0, "why"]
    assert learned.attrs["found"].learned == "ordered by relevance learned from 44 labels (22 addressed)"


def test_too_few_labels_are_not_trusted(tmp_path: Path) -> None:
    dataset = write_dataset(tmp_path / "learn", learning_rows())
    topic = Topic("wall", "A border wall should be built", "wall")
    texts = [r[4] for r in learning_rows()]
    labels = pd.DataFrame({"text": texts[:10] + texts[30:40], "addressed": [True] * 10 + [False] * 10})
    table = find_about(dataset, "", topic=topic, labels=labels)
    assert ids(table) == ids(find_about(dataset, "", topic=topic))
    assert table.attrs["found"].learned.startswith("learned relevance not used: 20 labels (10 addressed)")


def test_labels_of_other_topics_do_not_count(tmp_path: Path) -> None:
    dataset = write_dataset(tmp_path / "learn", learning_rows())
    texts = [r[4] for r in learning_rows()]
    labels = pd.DataFrame({"text": texts, "label": ["favor"] * 30 + ["not addressed"] * 30, "topic": "other"})
    table = find_about(dataset, "", topic=Topic("wall", "p", "wall"), labels=labels)
    assert table.attrs["found"].learned.startswith("learned relevance not used: 0 labels")


# --- the command's body --------------------------------------------------------------------------


def namespace(dataset: Path, query: str, **given) -> argparse.Namespace:
    args = dict(topic=None, topics=None, person=None, since=None, out=None, json=False)
    return argparse.Namespace(dataset=str(dataset), query=query, **{**args, **given})


def test_cli_writes_a_safe_csv_and_says_what_it_searched(dataset: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "found.csv"
    run_about(namespace(dataset, "wall", out=str(out)))
    text = out.read_text(encoding="utf-8")
    assert text.startswith(BOM + ",".join(COLUMNS))
    assert "'=HYPERLINK" in text  # the formula is neutralised for spreadsheets
    written = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert written["article_id"].tolist() == ids(find_about(dataset, "wall"))
    assert f"wrote {out}: " in capsys.readouterr().err


def test_cli_json_and_listing(dataset: Path, capsys) -> None:
    run_about(namespace(dataset, "wall", person="p-eve", json=True))
    printed = json.loads(capsys.readouterr().out)
    assert printed["found"] == 1 and printed["rows"][0]["text"] == HOSTILE
    run_about(namespace(dataset, "wall", person="p-eve"))
    listing = capsys.readouterr().out
    assert "\x1b" not in listing and "\\x1b[2J" in listing  # a terminal shows the escape, never obeys it


def test_cli_nothing_found_writes_nothing(dataset: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "found.csv"
    run_about(namespace(dataset, "unicorns", out=str(out)))
    assert capsys.readouterr().out.startswith("nothing found: no statement matches unicorns")
    assert not out.exists()
    run_about(namespace(dataset, "unicorns", json=True))
    assert json.loads(capsys.readouterr().out)["found"] == 0


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (dict(topic="rigged"), "--topic rigged needs the topics table it is in"),
        (dict(out="found.xlsx"), "is neither .csv nor .json"),
        (dict(limit=-3), "--limit -3 shows nothing"),
    ],
)
def test_cli_bad_arguments(dataset: Path, given: dict, message: str) -> None:
    with pytest.raises(InputError, match=message):
        run_about(namespace(dataset, "wall", **given))


def test_cli_never_writes_into_the_dataset(dataset: Path) -> None:
    with pytest.raises(InputError):
        run_about(namespace(dataset, "wall", out=str(dataset / "found.csv")))
    assert sorted(p.name for p in dataset.iterdir()) == ["part-00000.parquet"]


def test_cli_topic_from_a_topics_table(dataset: Path, tmp_path: Path, capsys) -> None:
    topics = tmp_path / "topics.csv"
    topics.write_text("topic,proposition,keywords\nrigged,It is rigged,rigged;rigging\n", encoding="utf-8")
    run_about(namespace(dataset, "", topic="rigged", topics=str(topics), json=True))
    assert {r["article_id"] for r in json.loads(capsys.readouterr().out)["rows"]} == {"rig1", "rig2"}
    with pytest.raises(InputError, match="has no topic 'trade'"):
        run_about(namespace(dataset, "", topic="trade", topics=str(topics)))
