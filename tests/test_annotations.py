"""Each person's annotations: saved at once and atomically, resumable, locked, never overwriting
outside edits; and ``accept``, the one way they become curated tables."""

from __future__ import annotations

import csv
import io
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import KURSK, ROOT
from utils import annotations as an
from utils import locks
from utils.errors import InputError


@pytest.fixture
def store(data_copy: Path) -> an.Store:
    return an.open_store(KURSK, "ann")


def same_state(a: an.Store, b: an.Store) -> None:
    for table in an.TABLES:
        pd.testing.assert_frame_equal(getattr(a, table), getattr(b, table))


@pytest.mark.parametrize("name", ["ann", "Ann-B_2", "a.b", "x" * 100])
def test_safe_names_pass(name: str) -> None:
    assert an.check_slug(name, "annotator name") == name


@pytest.mark.parametrize("name", ["", ".hidden", "../x", "a/b", "a\\b", "a b", "x" * 101, "é", "a\nb"])
def test_unsafe_names_are_one_line_errors(name: str) -> None:
    with pytest.raises(InputError) as caught:
        an.check_slug(name, "annotator name")
    assert "\n" not in caught.value.message and "file name" in caught.value.message


def test_opening_writes_nothing(data_copy: Path) -> None:
    store = an.open_store(KURSK, "ann")
    assert len(store.statements) == 37 and store.reviewed() == 0 and store.stance.empty
    assert not (data_copy / "annotations").exists()


def test_every_change_is_on_disk_and_a_new_session_resumes_exactly(store: an.Store) -> None:
    an.mark_reviewed(store, "s01")
    said = an.set_attribution(store, "s03", "Serhiy Grabskyi", every_row=True)
    assert said.startswith(
        "4 rows of Serhiy Grabsky (s03, s04, s05, s06): speaker Serhiy Grabsky → Serhiy Grabskyi"
    )
    an.set_label(store, "s01", "kursk_value", "favor", suggestion_shown="favor")
    an.set_rationale(store, "s01", "kursk_value", "Calls it a win")
    new = an.add_statement(store, 1002, 1069)
    second = an.split_statement(store, "s02", store.article.text.index("As of this Monday"))
    an.set_topic(store, "aid", "Western aid keeps flowing", "aid; support ")
    store.close()  # a kernel restart
    again = an.open_store(KURSK, "ann")
    same_state(store, again)
    rows = again.statements.set_index("id")
    assert rows.loc["s01", "reviewed_by"] == "ann" and rows.loc["s04", "speaker"] == "Serhiy Grabskyi"
    assert rows.loc["s04", "reviewed_by"] == ""  # renamed along, not reviewed
    assert rows.loc[new, ["start", "end", "kind"]].tolist() == [1002, 1069, "direct"]
    assert rows.loc[second, "text"].startswith("As of this Monday") and rows.loc["s02", "text"].endswith(
        "it."
    )
    label = again.stance.iloc[0]
    assert label[["label", "rationale", "suggestion_shown", "annotator"]].tolist() == [
        "favor",
        "Calls it a win",
        "favor",
        "ann",
    ]
    assert label["time"].endswith("Z") and "T" in label["time"]
    assert again.topics.set_index("topic").loc["aid", "keywords"] == "aid;support"


def test_undo_goes_back_on_disk_too(store: an.Store) -> None:
    an.delete_statement(store, "s05")
    assert "s05" not in set(store.statements["id"])
    assert store.undo()
    assert "s05" in set(an.open_store(KURSK, "other").statements["id"])
    assert "s05" in set(pd.read_csv(store.path("statements"))["id"])


@pytest.mark.parametrize(
    "edge, step, text",
    [
        ("end", -1, "one of our biggest wins, not just last year but throughout the"),
        # the next word is in the next paragraph, after the closing and opening quotation marks
        ("end", 1, "one of our biggest wins, not just last year but throughout the war.”\n\n“Russia"),
        ("start", 1, "of our biggest wins, not just last year but throughout the war."),
    ],
)
def test_span_ends_move_by_words(store: an.Store, edge: str, step: int, text: str) -> None:
    an.move_edge(store, "s01", edge, step)
    row = store.statements.set_index("id").loc["s01"]
    assert row["text"] == text == store.article.text[row["start"] : row["end"]]


def test_a_failed_write_keeps_the_previous_file(store: an.Store, monkeypatch: pytest.MonkeyPatch) -> None:
    an.mark_reviewed(store, "s01")
    before = store.path("statements").read_bytes()

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError):
        an.mark_reviewed(store, "s02")
    assert store.path("statements").read_bytes() == before
    assert store.statements.set_index("id").loc["s02", "reviewed_by"] == ""  # memory matches the disk
    assert [p.name for p in store.path("statements").parent.iterdir() if p.suffix == ".part"] == []


def test_an_outside_edit_is_reloaded_not_overwritten(store: an.Store) -> None:
    an.mark_reviewed(store, "s01")
    path = store.path("statements")
    edited = pd.read_csv(path, dtype=str, keep_default_na=False)
    edited.loc[edited["id"] == "s10", "affiliation"] = "edited in a spreadsheet"
    edited.to_csv(path, index=False)
    an.mark_reviewed(store, "s02")  # the pending change
    rows = pd.read_csv(path, dtype=str, keep_default_na=False).set_index("id")
    assert rows.loc["s10", "affiliation"] == "edited in a spreadsheet"
    assert rows.loc["s02", "reviewed_by"] == "ann" and rows.loc["s01", "reviewed_by"] == "ann"
    assert "changed outside the workbench" in store.message


HOLD_LOCK = """
import sys, time
from utils import annotations as an
store = an.open_store("kursk-2025-01", "ann")
an.mark_reviewed(store, "s01")
print("locked", flush=True)
sys.stdin.readline()
"""


def test_a_second_session_is_read_only_while_the_first_lives(data_copy: Path) -> None:
    env = {**os.environ, "EXPERT_OPINIONS_DATA": str(data_copy), "PYTHONPATH": str(ROOT)}
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        second = an.open_store(KURSK, "ann")
        assert second.read_only and f"process {holder.pid}" in second.message
        with pytest.raises(InputError, match="read-only"):
            an.mark_reviewed(second, "s02")
        assert an.open_store(KURSK, "ben").read_only is False  # another person is not locked out
    finally:
        holder.communicate("\n", timeout=30)
    assert not an.lock_path(KURSK, "ann").exists()  # released on exit


def test_a_dead_sessions_lock_is_taken_over(store: an.Store) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    lock = an.lock_path(KURSK, "ann")
    lock.parent.mkdir(parents=True)
    lock.write_text(f'{{"pid": {dead.pid}, "host": "{socket.gethostname()}", "token": "old", "time": "x"}}')
    fresh = an.open_store(KURSK, "ann")
    assert not fresh.read_only
    an.mark_reviewed(fresh, "s01")
    assert locks.read_lock(lock).token == fresh.token


def test_a_lock_from_another_host_is_respected(store: an.Store) -> None:
    lock = an.lock_path(KURSK, "ann")
    lock.parent.mkdir(parents=True)
    lock.write_text('{"pid": 1, "host": "elsewhere", "token": "t", "time": "x"}')
    assert an.open_store(KURSK, "ann").read_only
    with pytest.raises(InputError, match="elsewhere"):
        an.mark_reviewed(store, "s01")


# ---------------------------------------------------------------- accept


def test_accept_keeps_history_and_says_what_changed(data_copy: Path, store: an.Store) -> None:
    curated = data_copy / "curated" / f"{KURSK}.statements.csv"
    original = curated.read_bytes()
    an.set_attribution(store, "s14", "Mick Ryan (ret.)")
    an.delete_statement(store, "s37")
    an.set_label(store, "s01", "kursk_value", "against")
    result = an.accept(KURSK)
    kept = result.history / curated.name
    assert kept.read_bytes() == original
    assert result.removed == ["s37"] and result.added == []
    assert "s14 (speaker)" in result.changed
    assert "s01/kursk_value: favor -> against" in result.labels_changed
    rows = pd.read_csv(curated, dtype=str, keep_default_na=False).set_index("id")
    assert rows.loc["s14", "speaker"] == "Mick Ryan (ret.)" and rows.loc["s14", "reviewed_by"] == "ann"
    stance = pd.read_csv(data_copy / "curated" / f"{KURSK}.stance.csv", dtype=str)
    assert len(stance[stance["id"] == "s02"]) == 2  # labels nobody re-did are kept
    assert "statements removed: s37" in result.summary()


def test_accept_refuses_a_broken_table_in_one_line(store: an.Store) -> None:
    an.mark_reviewed(store, "s01")
    path = store.path("statements")
    path.write_text(path.read_text().replace(",direct,", ",quoted,", 1))
    with pytest.raises(InputError) as caught:
        an.accept(KURSK)
    assert "\n" not in caught.value.message and "kind" in caught.value.message


def test_accept_refuses_bad_offsets(store: an.Store) -> None:
    an.mark_reviewed(store, "s01")
    path = store.path("statements")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[0, "start"] = "5"
    frame.to_csv(path, index=False)
    with pytest.raises(InputError, match="does not match the article"):
        an.accept(KURSK)


def test_several_people_need_a_choice_and_must_agree(data_copy: Path, store: an.Store) -> None:
    """Two people: accept needs their names; what they agree on is taken; a disagreement is refused,
    named, until it is settled (tests/test_adjudication.py) or one person's work is taken."""
    from utils.adjudication import merged_for_accept

    ben = an.open_store(KURSK, "ben")
    an.set_label(store, "s01", "kursk_value", "favor")
    an.set_label(ben, "s01", "kursk_value", "favor")
    with pytest.raises(InputError, match="several people"):
        an.accept(KURSK)
    with pytest.raises(InputError, match="must be merged first"):
        an.accept(KURSK, ["ann", "ben"])
    both = ["ann", "ben"]
    changed = an.accept(KURSK, both, merged_for_accept(KURSK, both)).labels_changed
    assert "s01/kursk_value: favor -> favor" not in changed and not any(
        c.startswith("s01/kursk") for c in changed
    )
    an.set_label(ben, "s01", "kursk_value", "mixed")
    with pytest.raises(InputError, match=r"s01/kursk_value \(ann: favor, ben: mixed\).*--from one name"):
        merged_for_accept(KURSK, both)
    assert an.accept(KURSK, ["ben"]).labels_changed == ["s01/kursk_value: favor -> mixed"]


def test_accept_names_unknown_people(store: an.Store) -> None:
    an.mark_reviewed(store, "s01")
    with pytest.raises(InputError, match=r"no annotations by 'zed'.*ann"):
        an.accept(KURSK, ["zed"])


# ---------------------------------------------------------------- the commands (through the opinions parser)


def run_command(argv: list[str]) -> None:
    from utils.cli import build_parser

    args = build_parser().parse_args(argv)
    args.run(args)


def test_accept_command_prints_what_changed(store: an.Store, capsys: pytest.CaptureFixture[str]) -> None:
    an.set_label(store, "s05", "war_outlook", "against")
    run_command(["accept", KURSK, "--from", "ann"])
    out = capsys.readouterr().out
    # ann's labels of s05 replace the curated ones: her missing kursk_value row means not addressed
    assert (
        "stance labels changed: s05/kursk_value: favor -> not addressed, "
        "s05/war_outlook: not addressed -> against\n" in out
    )
    assert "previous curated tables kept in" in out


def test_review_command_runs_a_filled_in_copy_before_opening_it(
    data_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The copy has the article and annotator, no outputs and no saved widget state; it is run in
    JupyterLab's kernel before it is opened, and the command says the workbench is running.
    (tests/test_workbench_lab.py runs the real thing in a browser.)"""
    import nbformat

    from utils import review_cli

    launched: list[list[str]] = []
    ran: list[Path] = []
    monkeypatch.setattr(review_cli, "REVIEW_DIR", ROOT / "reports" / "review-test-tmp")

    class Lab:
        def __init__(self, cmd: list[str], **kwargs: object) -> None:
            launched.append(cmd)

        def wait(self, timeout: float | None = None) -> int:
            return 0

        def poll(self) -> int:
            return 0

    monkeypatch.setattr(review_cli.subprocess, "Popen", Lab)
    monkeypatch.setattr(review_cli, "wait_for_lab", lambda base, token, lab: None)
    monkeypatch.setattr(review_cli, "run_in_lab_kernel", lambda base, token, notebook: ran.append(notebook))
    original = (ROOT / "notebooks" / "08_review_and_tag.ipynb").read_bytes()
    try:
        run_command(["review", KURSK, "--annotator", "ann", "--port", "8899", "--no-browser"])
        copy = review_cli.REVIEW_DIR / f"review-{KURSK}-ann.ipynb"
        notebook = nbformat.read(copy, as_version=4)
        parameters = next(c for c in notebook.cells if "parameters" in c.metadata.get("tags", []))
        assert parameters.source == f"article = {KURSK!r}\nannotator = 'ann'\nadjudicate = False\n"
        assert all(not c.get("outputs") for c in notebook.cells if c.cell_type == "code")
        assert "widgets" not in notebook.metadata
    finally:
        shutil.rmtree(review_cli.REVIEW_DIR, ignore_errors=True)
    (command,) = launched
    assert command[1:5] == ["-m", "jupyter", "lab", "--no-browser"] and "--ServerApp.port=8899" in command
    assert any(c.startswith("--IdentityProvider.token=") for c in command)
    assert ("--allow-root" in command) == (os.geteuid() == 0)
    assert ran == [copy]
    said = capsys.readouterr().err
    assert (
        f"workbench running: {KURSK} as ann in http://127.0.0.1:8899/lab/tree/reports/review-test-tmp/"
        in said
    )
    assert (ROOT / "notebooks" / "08_review_and_tag.ipynb").read_bytes() == original


@pytest.mark.parametrize(
    "argv, problem",
    [
        (["review", "../etc", "--no-browser"], "cannot be used as a file name"),
        (["review", KURSK, "--annotator", "a/b"], "cannot be used as a file name"),
        (["review", "no-such-article"], "is not the id of a bundled article"),
        (["accept", KURSK], "nobody has annotated it yet"),
    ],
)
def test_commands_refuse_bad_input_in_one_line(data_copy: Path, argv: list[str], problem: str) -> None:
    with pytest.raises(InputError, match=problem) as caught:
        run_command(argv)
    assert "\n" not in caught.value.message


# ---------------------------------------------------------------- the workbench's Python side


@pytest.fixture
def bench(data_copy: Path):
    from utils.workbench import open_workbench

    return open_workbench(KURSK, "ann")


def act(bench, **message) -> dict:
    bench._on_message(bench, message, None)
    return bench.state


def test_workbench_starts_at_the_first_unreviewed_statement_and_writes_nothing(
    data_copy: Path, bench
) -> None:
    state = bench.state
    assert (state["current"], state["reviewed"], state["total"]) == ("s01", 0, 37)
    assert [t["topic"] for t in state["topics"]] == [
        "kursk_value",
        "hold_kursk",
        "kursk_leverage",
        "war_outlook",
    ]
    assert state["suggestions"]["kursk_value"]["matched"] == ["win"]  # "biggest wins"
    assert state["suggestions"]["kursk_value"]["label"] is None  # no direction before any labels
    assert not (data_copy / "annotations").exists()


def test_workbench_records_what_suggestion_was_shown(bench) -> None:
    act(bench, action="label", id="s01", topic="kursk_value", label="favor")
    act(bench, action="label", id="s01", topic="hold_kursk", label="not addressed")
    shown = bench.store.stance.set_index("topic")["suggestion_shown"].to_dict()
    assert shown == {"kursk_value": "addressed", "hold_kursk": "not addressed"}


def test_workbench_accept_moves_on_and_undo_comes_back(bench) -> None:
    state = act(bench, action="review", id="s01")
    assert (state["current"], state["reviewed"]) == ("s02", 1)
    assert act(bench, action="undo")["reviewed"] == 0


@pytest.mark.parametrize(
    "message, problem",
    [
        ({"action": "undo"}, "nothing to undo"),
        ({"action": "label", "id": "s01", "topic": "kursk_value", "label": "love"}, "unknown stance label"),
        ({"action": "attribution", "id": "s01", "speaker": "  "}, "must not be empty"),
        ({"action": "move", "id": "s01", "edge": "end", "step": 2}, "cannot do"),
        ({"action": "span", "id": "s01", "start": 40, "end": 40}, "selection is empty"),
        ({"action": "add", "start": 5, "end": 5}, "selection is empty"),
        ({"action": "move", "id": "s01", "edge": "end", "step": "x"}, "cannot do"),
        ({"action": "launch"}, "cannot do"),
    ],
)
def test_workbench_shows_bad_actions_as_one_line(bench, message: dict, problem: str) -> None:
    error = act(bench, **message)["error"]
    assert problem in error and "\n" not in error


# ---------------------------------------------------------------- cells a spreadsheet would run

FORMULAS = [
    "'-",
    "@SUM(1+1) is what we need,",
    "-2+3 percent",
    '=HYPERLINK("http://x.example","y")',
    "+1",
    "''=x",
]


@pytest.mark.parametrize("cell", FORMULAS)
def test_the_store_and_accept_keep_every_cell_and_neutralise_it_on_disk(
    data_copy: Path, store: an.Store, cell: str
) -> None:
    """What a person types comes back unchanged after a save and a reload, and after accept; on disk
    (a spreadsheet may open these files) it starts with the quote that keeps it text, after the BOM."""
    an.set_attribution(store, "s01", cell)
    an.set_attribution(store, "s01", affiliation=cell)
    an.set_label(store, "s01", "kursk_value", "favor")
    an.set_rationale(store, "s01", "kursk_value", cell)
    an.set_topic(store, "kursk_value", cell)
    store.close()
    again = an.open_store(KURSK, "ann")
    row = again.statements.set_index("id").loc["s01"]
    assert [row["speaker"], row["affiliation"]] == [cell, cell]
    assert again.stance.set_index(["id", "topic"]).loc[("s01", "kursk_value"), "rationale"] == cell
    assert again.topics.set_index("topic").loc["kursk_value", "proposition"] == cell
    again.close()
    an.accept(KURSK)
    from utils.articles import resolve_article
    from utils.curation import load_curation

    curation = load_curation(resolve_article(KURSK))
    assert curation.statements.set_index("id").loc["s01", "speaker"] == cell
    assert curation.topics.set_index("topic").loc["kursk_value", "proposition"] == cell
    for path in (
        *(an.annotation_path(KURSK, "ann", t) for t in an.TABLES),
        *(data_copy / "curated" / f"{KURSK}.{t}.csv" for t in ("statements", "stance", "topics")),
    ):
        raw = path.read_bytes().decode("utf-8")
        assert raw.startswith("\ufeff"), path.name
        cells = [c for line in csv.reader(io.StringIO(raw[1:])) for c in line]
        assert cell not in cells and "'" + cell in cells, path.name  # the quote keeps it text


# ---------------------------------------------------------------- repairs in a few keys

TEXT = (
    "Title\n\nClimate change is to blame too, scientists think, with warming waters. "
    "“We can’t wait,” she said, “and the whales’ prey moves.”\n"
)


def test_span_ends_stop_at_clauses() -> None:
    """An end stops before a comma or period, before a closing quotation mark (keeping the punctuation
    inside it), or at a paragraph's end; apostrophes ("can’t", "whales’") are not quotation marks.
    A start stops after a clause mark, an opening quotation mark or a paragraph break."""
    ends = [TEXT[max(0, p - 10) : p] for p in an.span_stops(TEXT, "end", "clause")]
    assert ends == [
        "Title",
        " blame too",
        "ists think",
        "ing waters",
        "can’t wait",
        "an’t wait,",
        "” she said",
        "prey moves",
        "rey moves.",
        "ey moves.”",
    ]
    starts = [TEXT[p:].split()[0] for p in an.span_stops(TEXT, "start", "clause")]
    assert starts == ["Title", "Climate", "scientists", "with", "We", "and"]


@pytest.mark.parametrize(
    ("span", "kind", "cue", "speaker", "text"),
    [
        (
            "Climate change is to blame too, scientists think, with warming waters",
            "paraphrase",
            "think",
            "scientists",
            "Climate change is to blame too, with warming waters",
        ),
        ("The plan, he said, would fail", "paraphrase", "said", "Mick Ryan", "The plan, would fail"),
        (
            "The firm, which said it would appeal, lost",  # a relative clause is not an attribution
            "paraphrase",
            "said",
            "The firm",
            "The firm, which said it would appeal, lost",
        ),
        ("The plan, he said, would fail", "direct", "said", "Mick Ryan", "The plan, he said, would fail"),
        ("The plan, he said, would fail", "paraphrase", "", "", "The plan, he said, would fail"),  # no cue
    ],
)
def test_a_paraphrase_leaves_out_its_own_attribution(span, kind, cue, speaker, text) -> None:
    assert an.statement_text(span, 0, len(span), kind, cue, speaker) == text


@pytest.mark.parametrize(
    ("start", "end", "snapped"),
    [(1, 9, (0, 11)), (0, 12, (0, 11)), (14, 16, (12, 15))],  # mid-word ends widen; spaces are trimmed
)
def test_a_selection_snaps_to_whole_words(start: int, end: int, snapped: tuple[int, int]) -> None:
    assert an.snapped("bridge vote and a story", start, end) == snapped


def test_a_speaker_fix_changes_this_row_and_brings_the_persons_affiliation(store: an.Store) -> None:
    ryan = store.statements.set_index("id").loc["s14", "affiliation"]
    said = an.set_attribution(store, "s05", "Mick Ryan")  # one of Grabsky's four rows
    rows = store.statements.set_index("id")
    assert rows.loc["s05", ["speaker", "affiliation"]].tolist() == ["Mick Ryan", ryan]
    assert (rows["speaker"] == "Serhiy Grabsky").sum() == 3  # his other rows are untouched
    was = "'reserve colonel in Ukraine’s military'"
    assert said == (
        f"s05: speaker Serhiy Grabsky → Mick Ryan, affiliation {was} → {ryan!r} (from Mick Ryan's other rows)"
    )
    an.set_attribution(store, "s06", "Serhiy Grabskyy")  # a name new to the article: a spelling fix
    assert (
        store.statements.set_index("id").loc["s06", "affiliation"] == "reserve colonel in Ukraine’s military"
    )


@pytest.mark.parametrize(
    ("reviewed", "anchor", "current", "following"),
    [
        ({"a", "x"}, "a", "a", "b"),  # reading on
        ({"a", "b", "x"}, "a", "a", "c"),  # reviewed ones are passed over
        ({"x", "b"}, "b", "x", "c"),  # x was added while reading b: back to b's next, not x's
        ({"x"}, "b", "x", "b"),  # ... and b itself, when it is not reviewed yet
        ({"a", "b", "c", "x"}, "c", "c", "d"),
        ({"b", "c", "d", "x"}, "c", "d", "a"),  # round to the start
        ({"a", "b", "c", "d", "x"}, "d", "d", "d"),  # nothing left: stay
    ],
)
def test_the_next_unreviewed_statement_is_in_reading_order_from_where_the_person_reads(
    reviewed, anchor, current, following
) -> None:
    from utils.workbench import next_unreviewed

    assert next_unreviewed(["a", "b", "x", "c", "d"], reviewed, anchor, current) == following


def test_after_adding_a_statement_a_goes_back_to_where_the_person_was_reading(bench) -> None:
    act(bench, action="goto", id="s05")
    text = bench.store.article.text
    at = text.index("the costs are building up on him")
    state = act(bench, action="add", start=at, end=at + 32)
    assert state["current"] == "s38"
    state = act(bench, action="review", id="s38")
    assert state["current"] == "s05"  # not the statement after s38
    state = act(bench, action="attribution", id="s05", speaker="Mick Ryan", next=True)
    assert state["current"] == "s06" and state["notice"].startswith("s05: speaker Serhiy Grabsky → Mick Ryan")


def test_every_action_is_acknowledged_so_a_silent_kernel_shows(bench) -> None:
    assert act(bench, action="hello", seq=1)["ack"] == 1
    assert act(bench, action="launch", seq=2)["ack"] == 2  # a refused action is answered too


def test_the_speaker_form_offers_the_articles_people_and_the_names_it_mentions(bench) -> None:
    people = {p["name"]: p for p in bench.state["people"]}
    assert people["Mick Ryan"]["rows"] == 5 and people["Mick Ryan"]["affiliation"].startswith("retired major")
    assert people["Vladimir Putin"]["rows"] == 0  # named in the article, never a speaker
    assert bench.store.article.text.index("Mick Ryan") + len("Mick ") in people["Mick Ryan"]["at"]  # his name


@pytest.mark.parametrize("table", ["statements", "stance", "topics", "lock"])
def test_a_fifo_in_place_of_an_annotation_file_is_one_line_not_a_hang(data_copy: Path, table: str) -> None:
    """Opening the store reads its tables and takes its lock: a named pipe there would block a
    plain open for ever; it is refused at once, with the file named."""
    path = an.lock_path(KURSK, "ann") if table == "lock" else an.annotation_path(KURSK, "ann", table)
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)
    with pytest.raises(InputError, match="named pipe") as refused:
        an.open_store(KURSK, "ann")
    assert path.name in str(refused.value)
