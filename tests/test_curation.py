"""The curated Kursk tables are complete and exact; curated files are checked and never overwritten."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import EXPERTS, KURSK
from utils.articles import resolve_article
from utils.curation import check_offsets, curated_path, guess_role, load_curation, seed_curation
from utils.errors import InputError, TableError

# Counted by reading the article (see data/README.md for the conventions), not from program output.
EXPECTED_PER_SPEAKER = {
    "Robert Kagan": (4, 2),
    "Mick Ryan": (3, 2),
    "Brock Bierman": (3, 2),
    "Serhiy Grabsky": (2, 2),
    "Rafael Loss": (3, 1),
    "a senior defense official": (3, 2),
    "Volodymyr Zelensky": (2, 1),
    "Antony Blinken": (1, 0),
    "Keith Kellogg": (0, 1),
    "Russian military bloggers": (0, 1),
    "Institute for the Study of War": (0, 1),
    "Volodymyr Zelensky and other Ukrainian officials": (0, 1),
}


@pytest.fixture(scope="module")
def curation():
    return load_curation(resolve_article(KURSK))


def test_every_speaker_has_all_their_statements(curation) -> None:
    counts = curation.statements.groupby("speaker")["kind"].value_counts().unstack(fill_value=0)
    found = {s: (int(r.get("direct", 0)), int(r.get("paraphrase", 0))) for s, r in counts.iterrows()}
    assert found == EXPECTED_PER_SPEAKER
    assert set(EXPERTS) <= set(found)


def test_direct_quotes_slice_back_exactly(curation) -> None:
    text = curation.article.text
    for row in curation.statements.itertuples():
        if row.kind == "direct":
            assert text[row.start : row.end] == row.text, row.id
            assert text[row.start - 1] in '“"' and text[row.end] in '”"', row.id
        else:
            assert text[row.start : row.end] == row.text, row.id  # every Kursk paraphrase is one span


def test_known_statements_are_there(curation) -> None:
    rows = curation.statements.set_index("id")
    assert rows.loc["s28", "text"].startswith("Ukraine will not lose in a nice, negotiated way")
    assert rows.loc["s28", "speaker"] == "Robert Kagan" and rows.loc["s28", "cue"] == "wrote"
    assert rows.loc["s16", "speaker"] == "Mick Ryan"  # "he said" after a Zelensky sentence is still Ryan
    assert rows.loc["s14", "affiliation"] == "retired major general in the Australian Army"
    assert rows.loc["s25", "text"].startswith("threaten to dial back aid")


def test_stance_labels_cover_the_experts(curation) -> None:
    labelled = curation.stance.merge(curation.statements[["id", "speaker"]], on="id")
    assert set(EXPERTS) <= set(labelled["speaker"])
    assert (labelled["rationale"].str.len() > 10).all()
    kagan = labelled[(labelled["speaker"] == "Robert Kagan") & (labelled["topic"] == "war_outlook")]
    assert set(kagan["label"]) == {"against"} and len(kagan) == 6


def _statements(article: str, **changes) -> pd.DataFrame:
    row = {
        "id": "s01",
        "speaker": "Ana Lopez",
        "affiliation": "",
        "kind": "direct",
        "text": "We waited",
        "start": article.index("We waited"),
        "end": article.index("We waited") + 9,
        "cue": "said",
    }
    return pd.DataFrame([{**row, **changes}])


STORY = "Bridge vote\n\n“We waited long enough,” Mayor Ana Lopez said on Tuesday.\n"
ARTICLE = "Title\n\n“We waited,” Ana Lopez said, adding that the bridge, the long one, would open.\n"


def test_offsets_outside_the_article() -> None:
    with pytest.raises(TableError, match=r"row 2 \(id s01\): offsets 5-900 lie outside the article"):
        check_offsets(_statements(ARTICLE, start=5, end=900), ARTICLE, "x.csv")


def test_offsets_not_matching_the_text_suggest_the_right_ones() -> None:
    with pytest.raises(TableError, match=r"does not match the article at 0-9.*occurs at start=8, end=17"):
        check_offsets(_statements(ARTICLE, start=0, end=9), ARTICLE, "x.csv")


def test_paraphrase_pieces_may_skip_an_attribution() -> None:
    start = ARTICLE.index("the bridge")
    end = ARTICLE.index(" would open") + len(" would open")
    check_offsets(
        _statements(ARTICLE, kind="paraphrase", text="the bridge would open", start=start, end=end),
        ARTICLE,
        "x.csv",
    )
    with pytest.raises(TableError):
        check_offsets(
            _statements(ARTICLE, kind="paraphrase", text="the bridge would close", start=start, end=end),
            ARTICLE,
            "x.csv",
        )


def test_stance_must_name_known_statements_and_topics(data_copy: Path) -> None:
    stance = data_copy / "curated" / f"{KURSK}.stance.csv"
    stance.write_text(
        stance.read_text(encoding="utf-8") + "s99,war_outlook,favor,no such statement\n", encoding="utf-8"
    )
    with pytest.raises(TableError, match="statement id 's99' is not in the statements table"):
        load_curation(resolve_article(KURSK))
    stance.write_text("id,topic,label,rationale\ns01,peace,favor,unknown topic\n", encoding="utf-8")
    with pytest.raises(TableError, match="topic 'peace' is not in the topics table"):
        load_curation(resolve_article(KURSK))


def test_seeding_never_overwrites_curated_work(data_copy: Path, tmp_path: Path) -> None:
    article = resolve_article(KURSK)
    statements = curated_path(KURSK, "statements")
    before = statements.read_bytes()
    with pytest.raises(InputError, match="already exists and may hold curated work"):
        seed_curation(article)
    assert statements.read_bytes() == before
    new = tmp_path / "new-story.txt"
    new.write_text(
        "Bridge vote\n\n“We waited long enough,” Mayor Ana Lopez said on Tuesday.\n", encoding="utf-8"
    )
    created = seed_curation(resolve_article(new))
    assert [p.name for p in created] == ["new-story.statements.csv", "new-story.speakers.csv"]
    seeded = load_curation(resolve_article(new))
    assert seeded.curated and list(seeded.statements["speaker"]) == ["Ana Lopez"]
    assert not list(data_copy.glob("curated/.*.part"))  # no temporary files left behind


def test_the_seed_keeps_rule_and_confidence_so_least_certain_first_survives_curation(data_copy: Path) -> None:
    """`opinions curate` seeds the machine's rows with why they are there and how sure it was: the
    workbench on the seeded table still offers its least certain rows first (issue 18)."""
    from utils.workbench import machine_confidence, review_order

    story = data_copy / "articles" / "bridge.txt"
    story.write_text(
        "Test headline\n\nAna Lopez, the city engineer, said the bridge was unsafe.\n\n"
        "“We will close it in May,” she said. Officials said the budget was tight.\n",
        encoding="utf-8",
    )
    extracted = load_curation(resolve_article("bridge")).statements
    seed_curation(resolve_article("bridge"))
    seeded = load_curation(resolve_article("bridge"))
    assert seeded.curated
    assert list(seeded.statements["rule"]) == list(extracted["rule"]) and all(seeded.statements["rule"])
    assert list(seeded.statements["confidence"]) == pytest.approx(list(extracted["confidence"]))
    confidence = machine_confidence(seeded.statements)
    order = review_order(seeded.statements, confidence, "uncertain")
    assert [confidence[i] for i in order] == sorted(confidence.values()) and len(set(confidence.values())) > 1


def test_a_curated_table_written_before_provenance_reads_with_no_machine_rows() -> None:
    """The bundled table has no rule or confidence columns: its rows read as not the machine's."""
    from utils.workbench import machine_confidence

    statements = load_curation(resolve_article(KURSK)).statements
    assert set(statements["rule"]) == {""} and machine_confidence(statements) == {}


def test_uncurated_article_is_extracted_and_marked(tmp_path: Path, data_copy: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text(
        "Bridge vote\n\n“We waited long enough,” Mayor Ana Lopez said on Tuesday.\n", encoding="utf-8"
    )
    curation = load_curation(resolve_article(path))
    assert not curation.curated and list(curation.topics["topic"]) == ["outlook"]


@pytest.mark.parametrize(
    ("affiliation", "role"),
    [
        ("senior fellow at the Brookings Institution", "expert"),
        ("Secretary of State", "official"),
        ("(unnamed) senior defense official", "official"),
        ("", "other"),
        ("local shop owner", "other"),
    ],
)
def test_role_guess(affiliation: str, role: str) -> None:
    assert guess_role(affiliation) == role


def test_start_after_end_is_named_as_such() -> None:
    start = ARTICLE.index("We waited")
    with pytest.raises(TableError, match=rf"row 2 \(id s01\): start {start + 9} is after end {start}"):
        check_offsets(_statements(ARTICLE, start=start + 9, end=start), ARTICLE, "x.csv")


HOSTILE = (
    "Odd figures\n\n“-5 percent is what we expect,” said Ana Lopez, a bank economist.\n\n"
    "“=1+1 is not a plan,” said Ben Ray, a union leader.\n"
)


def test_seeded_cells_are_safe_in_spreadsheets_and_read_back_as_written(
    data_copy: Path, tmp_path: Path
) -> None:
    story = tmp_path / "odd-figures.txt"
    story.write_text(HOSTILE, encoding="utf-8")
    statements, _ = seed_curation(resolve_article(story))
    raw = statements.read_text(encoding="utf-8")
    assert "'-5 percent is what we expect," in raw and "'=1+1 is not a plan," in raw
    assert not any(line.split(",")[4].startswith(("=", "-", "+", "@")) for line in raw.splitlines())
    seeded = load_curation(resolve_article(story))  # offsets are checked against the article here
    assert seeded.curated
    assert set(seeded.statements["text"]) >= {"-5 percent is what we expect,", "=1+1 is not a plan,"}


def test_raw_seeding_writes_cells_as_they_are(data_copy: Path, tmp_path: Path) -> None:
    story = tmp_path / "odd-raw.txt"
    story.write_text(HOSTILE, encoding="utf-8")
    statements, _ = seed_curation(resolve_article(story), raw_csv=True)
    assert ",-5 percent is what we expect,," in statements.read_text(encoding="utf-8").replace('"', "")
    assert "-5 percent is what we expect," in set(load_curation(resolve_article(story)).statements["text"])


def test_a_curated_table_that_is_not_a_file_is_an_error_not_missing(data_copy: Path) -> None:
    statements = curated_path(KURSK, "statements")
    statements.unlink()
    os.mkfifo(statements)
    with pytest.raises(TableError, match=r"is a named pipe \(FIFO\), not a regular file"):
        load_curation(resolve_article(KURSK))
    statements.unlink()
    statements.symlink_to(statements.name)
    with pytest.raises(TableError, match="is a symbolic link loop"):
        load_curation(resolve_article(KURSK))


STORY_TWO = (
    "Bridge vote\n\n“We waited long enough,” Mayor Ana Lopez said on Tuesday. "
    "“It costs too much,” said Ben Ode, a council member.\n"
)


@pytest.mark.parametrize(
    ("how", "expected"),
    [
        ("bundled", "37 of 37 statements reviewed by people"),  # every curated row names its reviewer
        ("seeded", "0 of 2 statements reviewed by people"),  # `opinions curate` seeds unreviewed rows
        ("extracted", "0 of 2 statements reviewed by people"),  # no curated table at all
    ],
)
def test_provenance_says_exactly_how_much_people_reviewed(
    tmp_path: Path, data_copy: Path, how: str, expected: str
) -> None:
    from utils.analysis import analyse, provenance

    path = tmp_path / "two-quotes.txt"
    path.write_text(STORY_TWO, encoding="utf-8")
    article = resolve_article(KURSK if how == "bundled" else path)
    if how == "seeded":
        seed_curation(article)
        seeded = pd.read_csv(curated_path(article.article_id, "statements"), dtype=str, keep_default_na=False)
        assert list(seeded["reviewed_by"]) == ["", ""]
    assert provenance(analyse(article).table) == expected


def test_a_curated_table_without_a_reviewer_column_counts_as_unreviewed(data_copy: Path) -> None:
    path = curated_path(KURSK, "statements")
    table = pd.read_csv(path, dtype=str, keep_default_na=False).drop(columns="reviewed_by")
    path.write_text(table.to_csv(index=False), encoding="utf-8")
    curation = load_curation(resolve_article(KURSK))
    assert curation.curated and set(curation.statements["reviewed_by"]) == {""}
