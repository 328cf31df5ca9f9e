"""The people view's and the topic queue's Python side: decisions recorded, applied and undone; labels
saved per annotator and collection, ranked, resumed and read back by the comparison, the dossier and
``opinions about``. The views in a real JupyterLab: tests/test_coverage_review_lab.py."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pandas as pd
import pytest

from tests.bridge_coverage import TOPICS, bridge_dataset
from utils.cli import main
from utils.corpus import read_corpus
from utils.coverage_review import PeopleView, QueueView, open_people_view, open_queue, paragraph_parts
from utils.errors import InputError
from utils.people.decisions import HISTORY_FOLDER, Decision, read_decisions, record_decision, undo_decision
from utils.people_review import open_people_review
from utils.sessions import session_key
from utils.topic_queue import collection_folder, collection_labels, item_key, open_topic_queue


@pytest.fixture
def bridge(tmp_path: Path, data_copy: Path) -> tuple[Path, Path]:
    """The bridge coverage as a dataset, and its topics table; annotations go to a copy of data/."""
    return bridge_dataset(tmp_path)


def decisions_file(dataset: Path) -> Path:
    return dataset.parent / "coverage" / "people.decisions.csv"


def people(dataset: Path) -> dict[tuple[str, str], str]:
    table = read_corpus(dataset)
    return dict(zip(zip(table["article_id"], table["id"], strict=True), table["person_id"], strict=True))


# --- undo_decision -----------------------------------------------------------------------------


def test_undo_takes_back_that_persons_last_decision_and_keeps_the_table_before(tmp_path: Path) -> None:
    path = tmp_path / "people.decisions.csv"
    record_decision(path, Decision("merge", "p-a", "p-b", by="ann"))
    record_decision(path, Decision("rename", "p-a", "A. Person", by="ann"))
    record_decision(path, Decision("type", "p-c", "expert", by="ben"))
    kept_before = len(list((path.parent / HISTORY_FOLDER).glob("*.csv")))

    undone = undo_decision(path, "ann")

    assert (undone.action, undone.value) == ("rename", "A. Person")
    assert [(d.action, d.by) for d in read_decisions(path)] == [("merge", "ann"), ("type", "ben")]
    assert len(list((path.parent / HISTORY_FOLDER).glob("*.csv"))) == kept_before + 1
    assert undo_decision(path, "ann").action == "merge"
    assert undo_decision(path, "ann") is None  # ben's decision is not ann's to take back
    assert [d.by for d in read_decisions(path)] == ["ben"]
    assert undo_decision(tmp_path / "none.csv", "ann") is None
    assert not (tmp_path / "none.csv").exists()


# --- where sessions keep their files --------------------------------------------------------------


def test_two_datasets_with_one_name_never_share_a_collection(tmp_path: Path) -> None:
    one, other = tmp_path / "a" / "ds", tmp_path / "b" / "ds"
    topics = tmp_path / "topics.csv"
    assert session_key(one, topics) != session_key(other, topics)
    assert session_key(one, topics) == session_key(tmp_path / "a" / ".." / "a" / "ds", topics)
    assert session_key(one, topics).startswith("ds.topics-")
    assert session_key(tmp_path / "café data", topics).startswith("cafe-data.topics-")


# --- the people view ----------------------------------------------------------------------------


def test_a_merge_is_recorded_by_the_annotator_applied_at_once_and_undone_exactly(bridge) -> None:
    dataset, _ = bridge
    before = read_corpus(dataset)
    review = open_people_review(dataset, "ann")
    assert [x["person_id"] for x in review.likely_same("p-mario-lopez")] == ["p-maria-lopez"]
    assert review.likely_same("p-mario-lopez")[0]["why"] == "same surname"

    notice = review.decide("merge", "p-maria-lopez", "p-mario-lopez")

    assert notice.endswith("2 statement(s) changed person")  # Mario Lopez's two, "Lopez said" among them
    assert set(people(dataset).values()) == {
        "p-maria-lopez",
        "p-thomas-baker",
        "p-bo-chen",
        "p-ana-ruiz",
        "p-jane-doe",
    }
    [decision] = read_decisions(decisions_file(dataset))
    assert (decision.action, decision.person_id, decision.value, decision.by) == (
        "merge",
        "p-maria-lopez",
        "p-mario-lopez",
        "ann",
    )
    assert review.counts("p-maria-lopez") == {"mine": 1, "mine_here": 1, "everyone": 1, "here": 1}
    assert int(review.person("p-maria-lopez")["statements"]) == 3

    reopened = open_people_review(dataset, "ann")  # a kernel restart: the journal is on disk
    undone, said = reopened.undo()

    assert undone.action == "merge" and said.endswith("2 statement(s) changed person back")
    pd.testing.assert_frame_equal(read_corpus(dataset), before)
    assert read_decisions(decisions_file(dataset)) == []


def test_undo_puts_back_only_its_own_decision_and_keeps_what_others_decided_after(bridge) -> None:
    dataset, _ = bridge
    ann, ben = open_people_review(dataset, "ann"), open_people_review(dataset, "ben")
    ann.decide("split", "p-bo-chen", "a3")  # Bo Chen of a3 is someone else
    split_id = people(dataset)[("a3", "a2")]
    assert split_id.startswith("p-bo-chen~") and people(dataset)[("a1", "a3")] == "p-bo-chen"
    ann.lock.release()
    ben.decide("rename", "p-bo-chen", "Bo Chen (engineer)")
    ben.lock.release()

    ann.undo()

    table = read_corpus(dataset).set_index(["article_id", "id"])
    assert table.loc[("a3", "a2"), "person_id"] == "p-bo-chen"
    assert set(table.loc[table["person_id"] == "p-bo-chen", "person"]) == {"Bo Chen (engineer)"}
    assert [(d.action, d.by) for d in read_decisions(decisions_file(dataset))] == [("rename", "ben")]


@pytest.mark.parametrize(
    ("action", "person_id", "value", "problem"),
    [
        ("merge", "p-maria-lopez", "p-maria-lopez", "cannot merge 'p-maria-lopez' into p-maria-lopez"),
        ("merge", "p-maria-lopez", "p-nobody", "cannot merge 'p-nobody'"),
        ("split", "p-bo-chen", "a2", "neither a name form nor an article of p-bo-chen"),
        ("type", "p-bo-chen", "wizard", "'wizard' is not a source type"),
        ("rename", "p-bo-chen", "  ", "the new name must not be empty"),
        ("rename", "p-nobody", "X", "has no person 'p-nobody'"),
    ],
)
def test_a_decision_that_cannot_be_is_refused_before_anything_is_written(
    bridge, action, person_id, value, problem
):
    dataset, _ = bridge
    with pytest.raises(InputError, match=problem.replace("(", r"\(")):
        open_people_review(dataset, "ann").decide(action, person_id, value)
    assert not decisions_file(dataset).exists()


def test_a_decision_made_outside_the_view_is_undone_in_the_table_and_said_honestly(bridge) -> None:
    dataset, _ = bridge
    record_decision(decisions_file(dataset), Decision("rename", "p-ana-ruiz", "Ana R.", by="ann"))
    review = open_people_review(dataset, "ann")
    _decision, said = review.undo()
    assert "made outside this view: the dataset keeps it until the next opinions corpus run" in said


def test_search_finds_people_by_the_beginnings_of_their_words(bridge) -> None:
    dataset, _ = bridge
    review = open_people_review(dataset, "ann")
    assert [x["person_id"] for x in review.search("lop")] == ["p-mario-lopez", "p-maria-lopez"]
    assert [x["person_id"] for x in review.search("ma lop")] == ["p-mario-lopez", "p-maria-lopez"]
    assert [x["person_id"] for x in review.search("maria lopez")] == ["p-maria-lopez"]
    assert [x["person_id"] for x in review.search("thomas")] == ["p-thomas-baker"]  # by the id's words
    assert review.search("  ") == []


def test_a_second_live_session_opens_read_only(bridge) -> None:
    dataset, _ = bridge
    review = open_people_review(dataset, "ann")
    lock = review.lock.path
    lock.parent.mkdir(parents=True, exist_ok=True)
    lock.write_text(json.dumps({"pid": 1, "host": socket.gethostname(), "token": "x", "time": "now"}))
    other = open_people_review(dataset, "ben")
    assert other.read_only and "open in process 1" in other.message
    with pytest.raises(InputError, match="read-only"):
        other.decide("type", "p-bo-chen", "expert")
    assert not decisions_file(dataset).exists()


def test_the_people_view_moves_on_from_someone_who_is_not_a_person_and_comes_back_on_undo(bridge) -> None:
    dataset, _ = bridge
    view = open_people_view(dataset, "ann")
    state = view.state
    assert (state["mode"], state["position"], state["total"]) == ("people", 1, 6)
    assert state["person"]["person_id"] == "p-thomas-baker"  # three statements: the most quoted
    assert state["person"]["statements_shown"][0]["parts"] == [
        '"',
        "We cannot afford a bridge of this size while the schools need repairs,",
        '" said Tom Baker, a council member.',
    ]
    send(view, "decide", decision="not-a-person", id="p-thomas-baker")
    assert view.state["person"]["person_id"] == "p-bo-chen" and view.state["total"] == 5
    assert "p-thomas-baker" not in people(dataset).values()
    send(view, "undo")
    assert view.state["person"]["person_id"] == "p-thomas-baker" and view.state["total"] == 6
    send(view, "decide", decision="merge", id="p-thomas-baker", value="p-thomas-baker")
    assert "cannot merge" in view.state["error"]  # one line, no traceback


def send(view: PeopleView | QueueView, action: str, **values: object) -> None:
    """An action as the front end sends it (numbered; the answer echoes the number)."""
    seq = view.state["ack"] + 1
    view._on_message(view, {"action": action, "seq": seq, **values}, None)
    assert view.state["ack"] == seq


# --- the topic queue ----------------------------------------------------------------------------


def test_opening_a_queue_writes_nothing_and_ranks_what_mentions_the_topic(bridge, data_copy) -> None:
    dataset, topics = bridge
    queue = open_topic_queue(dataset, topics, "", "ann")
    assert queue.topic.topic == "build_bridge"  # the table's first
    assert len(queue.items) == 8  # the statements that say "bridge"
    assert set(queue.items["found"]) == {True}
    assert not (data_copy / "annotations").exists()
    with pytest.raises(InputError, match="has no topic 'nope'"):
        open_topic_queue(dataset, topics, "nope", "ann")


def test_the_queue_lists_who_is_quoted_where_around_the_current_statement(bridge) -> None:
    dataset, topics = bridge
    view = open_queue(dataset, topics, "build_bridge", "ann")
    order, nearby = view.state["order"], view.state["nearby"]
    assert list(nearby) == order[:6]  # the current one (the first) and the five after it
    items = view.queue.items
    for key, shown in nearby.items():  # the registry's name, else the speaker as written; the outlet
        person, outlet = items.at[key, "person"], items.at[key, "outlet"]
        assert shown == f"{person or items.at[key, 'speaker']} · {outlet}"
    assert {v.split(" · ")[1] for v in nearby.values()} == {"Town Post", "River News"}


def test_labels_are_saved_at_once_undone_and_resumed(bridge) -> None:
    dataset, topics = bridge
    view = open_queue(dataset, topics, "build_bridge", "ann")
    first = view.state["current"]
    send(view, "label", key=first, label="favor")
    second = view.state["current"]
    assert second != first and view.state["tagged"] == 1
    send(view, "label", key=second, label="against")
    send(view, "rationale", key=second, text="  says it can   wait ")
    path = collection_folder(dataset, topics) / "ann.stance.csv"
    saved = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert saved[["id", "topic", "label", "rationale", "annotator"]].values.tolist()[1][2:] == [
        "against",
        "says it can wait",
        "ann",
    ]
    assert list(map(item_key, saved["article_id"], saved["id"])) == [first, second]
    assert set(saved["proposition"]) == {"The river bridge should be built"}
    assert json.loads((path.parent / "collection.json").read_text())["dataset"] == str(dataset.resolve())

    send(view, "undo")  # the rationale
    send(view, "undo")  # the label: shown again, untagged
    assert view.state["current"] == second and view.state["label"] is None and view.state["tagged"] == 1

    resumed = open_queue(dataset, topics, "build_bridge", "ann")  # a kernel restart
    assert resumed.state["tagged"] == 1 and resumed.state["current"] == second
    assert resumed.summary().startswith("ann on build_bridge: 1 of 8 statements tagged; kept in ")


def test_the_queue_shows_suggestions_as_suggestions_and_records_what_was_shown(bridge) -> None:
    dataset, topics = bridge
    view = open_queue(dataset, topics, "build_bridge", "ann")
    offer = view.state["suggestion"]
    assert offer["relevant"] and offer["matched"] == ["bridge"] and offer["label"] is None
    assert view.state["label"] is None  # never pre-selected
    send(view, "label", key=view.state["current"], label="neutral")
    saved = view.queue.store.labels
    assert saved["suggestion_shown"].tolist() == ["addressed"]
    assert view.state["counts"] == {"topic": 1, "collection": 1}


def test_once_it_has_learned_the_queue_suggests_a_label_with_its_evidence_and_never_gives_it(bridge) -> None:
    dataset, topics = bridge
    view = open_queue(dataset, topics, "build_bridge", "ann")
    # Bo Chen, Mario Lopez, Tom Baker, Ana Ruiz, Maria Lopez: nobody twice (the Lopezes are two people)
    for label in ["favor", "against", "favor", "against", "neutral"]:  # 4 directions at least: it learns
        assert view.state["suggestion"]["label"] is None  # unfitted, then not sure enough
        send(view, "label", key=view.state["current"], label=label)
    offer = view.state["suggestion"]  # "Engineer Bo Chen" is the registry's Bo Chen, labelled favor
    assert view.state["item"]["speaker"] == "Engineer Bo Chen"
    assert (offer["label"], offer["confidence"]) == ("favor", 0.667)  # (1 + 1) / (1 + 2)
    assert offer["evidence"] == ["you labelled Bo Chen favor on this topic 1 of 1 times"]
    assert view.state["label"] is None and view.state["tagged"] == 5  # a suggestion is not a label
    assert view.state["ranking"].startswith("learned relevance not used: 5 labels (5 addressed)")
    send(view, "label", key=view.state["current"], label="neutral")
    saved = view.queue.store.labels.iloc[-1]
    assert (saved["label"], saved["suggestion_shown"]) == ("neutral", offer["label"])


def test_a_label_whose_statement_changed_is_left_out_and_counted(bridge) -> None:
    dataset, topics = bridge
    queue = open_topic_queue(dataset, topics, "build_bridge", "ann")
    item = queue.item(queue.order()[0])
    queue.store.set_label({**item, "text": "words the dataset no longer has"}, queue.topic, "favor")
    assert queue.stale() == 1 and queue.tagged() == set()
    labels = collection_labels(dataset, topics)
    assert labels.empty and labels.attrs["stale"] == 1


def test_collection_labels_read_everyone_agreeing_once_and_disagreeing_apart(bridge) -> None:
    dataset, topics = bridge
    ann = open_topic_queue(dataset, topics, "build_bridge", "ann")
    ben = open_topic_queue(dataset, topics, "build_bridge", "ben")
    one, two = (ann.item(k) for k in ann.order()[:2])
    ann.store.set_label(one, ann.topic, "favor")
    ben.store.set_label(one, ben.topic, "favor")
    ann.store.set_label(two, ann.topic, "against")
    ben.store.set_label(two, ben.topic, "mixed")

    labels = collection_labels(dataset, topics)

    rows = sorted(map(tuple, labels[["article_id", "id", "label", "annotator", "source"]].values.tolist()))
    assert rows == sorted(
        [
            (one["article_id"], one["id"], "favor", "ann; ben", "people"),
            (two["article_id"], two["id"], "against", "ann", "people"),
            (two["article_id"], two["id"], "mixed", "ben", "people"),
        ]
    )
    assert set(labels["proposition"]) == {"The river bridge should be built"}
    assert len(collection_labels(dataset)) == len(labels)  # every collection over the dataset
    elsewhere = dataset.parent / "elsewhere.csv"
    elsewhere.write_text(TOPICS, encoding="utf-8")
    assert collection_labels(dataset, elsewhere).empty  # another topics table: another collection


def test_compare_dossier_and_about_count_the_collection_labels_as_peoples(bridge, tmp_path, capsys) -> None:
    dataset, topics = bridge
    assert main(["dossier", str(dataset), "p-thomas-baker", "-o", str(tmp_path / "before")]) == 0
    unlabelled = (tmp_path / "before" / "p-thomas-baker.html").read_text(encoding="utf-8")
    assert "The river bridge should be built" not in unlabelled
    queue = open_topic_queue(dataset, topics, "build_bridge", "ann")
    by_person = {queue.item(k)["person_id"]: queue.item(k) for k in queue.order()}
    queue.store.set_label(by_person["p-thomas-baker"], queue.topic, "against")
    queue.store.set_label(by_person["p-maria-lopez"], queue.topic, "favor")

    assert (
        main(
            [
                "compare",
                str(dataset),
                "p-thomas-baker",
                "p-maria-lopez",
                "--topics",
                str(topics),
                "-o",
                str(tmp_path / "c"),
            ]
        )
        == 0
    )
    assert "2 people's labels" in capsys.readouterr().out
    assert main(["dossier", str(dataset), "p-thomas-baker", "-o", str(tmp_path / "d")]) == 0
    page = (tmp_path / "d" / "p-thomas-baker.html").read_text(encoding="utf-8")
    assert "The river bridge should be built" in page
    capsys.readouterr()
    about = ["about", str(dataset), "", "--topics", str(topics), "--topic", "build_bridge", "--json"]
    assert main(about) == 0
    assert "learned relevance not used: 2 labels" in json.loads(capsys.readouterr().out)["note"]


def test_paragraph_parts_cut_around_the_statement_or_keep_the_paragraph() -> None:
    assert paragraph_parts('"Go," she said.', "Go,") == ['"', "Go,", '" she said.']
    assert paragraph_parts("She said they would go.", "they will go") == ["She said they would go."]
    assert paragraph_parts("", "") == [""]


# --- opinions review --dataset ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "problem"),
    [
        ([], "give an article, or --dataset DATASET"),
        (["kursk-2025-01", "--dataset", "{dataset}"], "give an article, or --dataset DATASET"),
        (["kursk-2025-01", "--people"], "--people, --topics and --topic go with --dataset"),
        (["--dataset", "{dataset}"], "--dataset needs --people or --topics FILE"),
        (["--dataset", "{dataset}", "--people", "--topics", "{topics}"], "--people is its own view"),
        (["--dataset", "{dataset}", "--topic", "x"], "--topic x needs the topics table it is in"),
        (["--dataset", "{dataset}", "--topics", "{topics}", "--topic", "nope"], "has no topic 'nope'"),
        (["--dataset", "{dataset}", "--people", "--adjudicate"], "--adjudicate is for an article"),
        (["--dataset", "{topics}", "--people"], "is not a corpus dataset this tool wrote"),
    ],
)
def test_review_of_a_dataset_refuses_what_it_cannot_open_before_jupyterlab_starts(
    bridge, capsys, argv, problem
):
    dataset, topics = bridge
    filled = [a.format(dataset=dataset, topics=topics) for a in argv]
    assert main(["review", *filled, "--no-browser"]) == 2
    assert problem in capsys.readouterr().err


def test_review_of_a_dataset_fills_in_the_coverage_notebook(bridge) -> None:
    import nbformat

    from utils.review_cli import coverage_notebook

    dataset, topics = bridge
    path = coverage_notebook(dataset, "ann", topics, "", people=False)
    try:
        notebook = nbformat.read(path, as_version=4)
        namespace: dict[str, object] = {}
        exec(notebook.cells[1].source, namespace)  # the parameters cell: plain assignments
        assert {k: namespace[k] for k in ("dataset", "topics", "topic", "people", "annotator")} == {
            "dataset": str(dataset.resolve()),
            "topics": str(topics.resolve()),
            "topic": "build_bridge",
            "people": False,
            "annotator": "ann",
        }
        assert path.parent.name == "review" and path.name.startswith("queue-dataset.topics-")
        assert not any(c.get("outputs") for c in notebook.cells if c.cell_type == "code")
    finally:
        path.unlink()
