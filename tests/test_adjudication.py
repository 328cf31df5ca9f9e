"""Several people reviewed one article: their disagreements are lined up, settled one by one, and
``opinions accept --from A --from B`` takes the result with every reviewer's name."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import KURSK
from utils import adjudication as ad
from utils import annotations as an
from utils.errors import InputError

MISSED = (2720, 2752)  # "Our calculation is that Putin…": a span nobody listed, added by ann only


@pytest.fixture
def two(data_copy: Path) -> tuple[an.Store, an.Store]:
    """ann and ben reviewed the same article: they agree on some things and not on others."""
    ann, ben = an.open_store(KURSK, "ann"), an.open_store(KURSK, "ben")
    for store in (ann, ben):
        an.mark_reviewed(store, "s01")  # both: as found
        an.mark_reviewed(store, "s02")
        an.set_label(store, "s02", "kursk_value", "favor")  # both: favor
    an.set_attribution(ann, "s03", "Serhiy Hrabskyi")  # ann renames; ben accepts as found
    an.mark_reviewed(ben, "s03")
    an.delete_statement(ben, "s05")  # only ben judged s05: dropped
    an.add_statement(ann, *MISSED)  # only ann added it
    an.set_label(ann, "s01", "kursk_value", "favor")
    an.set_rationale(ann, "s01", "kursk_value", "calls it a win")
    an.set_label(ben, "s01", "kursk_value", "mixed")
    return ann, ben


def test_disagreements_are_lined_up_in_reading_order(two) -> None:
    adjudication = ad.open_adjudication(KURSK, adjudicator="judge")
    assert [ad.describe(x) for x in adjudication.items()] == [
        "s01/kursk_value (ann: favor, ben: mixed)",
        "s03 (speaker)",
        "s38 (kept by ann, not by ben)",
    ]
    assert adjudication.names == ["ann", "ben"]


def test_the_result_is_refused_while_a_disagreement_is_open(two) -> None:
    with pytest.raises(InputError) as caught:
        ad.result(ad.open_adjudication(KURSK, adjudicator="judge"))
    message = caught.value.message
    assert (
        "3 disagreement(s) between ann, ben not settled: s01/kursk_value (ann: favor, ben: mixed)" in message
    )
    assert "--adjudicate" in message and "\n" not in message


def test_decisions_make_the_result_and_name_every_reviewer(two) -> None:
    adjudication = ad.open_adjudication(KURSK, adjudicator="judge")
    label, speaker, added = adjudication.items()
    adjudication.decide(label, "label", label="favor", rationale="calls it a win")
    adjudication.decide(speaker, "ben", **speaker.versions["ben"])
    adjudication.decide(added, ad.DROP)
    result = ad.result(ad.open_adjudication(KURSK, adjudicator="judge"))  # read back from disk
    rows = result.statements.set_index("id")
    assert rows.loc["s01", "reviewed_by"] == "ann; ben"  # agreed: both names
    assert rows.loc["s03", ["speaker", "reviewed_by"]].tolist() == ["Serhiy Grabsky", "ann; ben; judge"]
    assert "s05" not in rows.index and "s38" not in rows.index  # dropped by the only judge, and by decision
    assert rows.loc["s04", "reviewed_by"] == ""  # nobody reviewed it: as the machine found it
    labels = result.stance.set_index(["id", "topic"])
    assert labels.loc[("s01", "kursk_value"), ["label", "rationale"]].tolist() == ["favor", "calls it a win"]
    assert labels.loc[("s02", "kursk_value"), "label"] == "favor"
    assert labels.loc[("s02", "hold_kursk"), "label"] == "not addressed"  # labelled s02, not this topic


def test_a_change_after_the_decision_opens_it_again_and_undo_goes_back(two) -> None:
    ann, _ = two
    adjudication = ad.open_adjudication(KURSK, adjudicator="judge")
    speaker = adjudication.items()[1]
    adjudication.decide(speaker, "ann", **speaker.versions["ann"])
    assert len(adjudication.pending()) == 2
    assert adjudication.undo() and len(adjudication.pending()) == 3
    adjudication.decide(speaker, "ann", **speaker.versions["ann"])
    an.set_attribution(ann, "s03", "Serhiy Hrabskyy")  # ann changes her mind afterwards
    again = ad.open_adjudication(KURSK, adjudicator="judge")
    assert "s03 (speaker)" in [ad.describe(x) for x in again.pending()]


def test_accept_with_two_names_takes_the_settled_result(two, data_copy: Path, capsys) -> None:
    from utils.cli import build_parser

    adjudication = ad.open_adjudication(KURSK, adjudicator="judge")
    for item in adjudication.items():
        if isinstance(item, ad.LabelUnit):
            adjudication.decide(item, "label", label="mixed", rationale="both readings hold")
        else:
            adjudication.decide(item, "ann", **item.versions["ann"])
    args = build_parser().parse_args(["accept", KURSK, "--from", "ann", "--from", "ben"])
    args.run(args)
    curated = pd.read_csv(
        data_copy / "curated" / f"{KURSK}.statements.csv",
        dtype=str,
        keep_default_na=False,
        encoding="utf-8-sig",
    ).set_index("id")
    assert curated.loc["s03", ["speaker", "reviewed_by"]].tolist() == ["Serhiy Hrabskyi", "ann; ben; judge"]
    assert curated.loc["s38", "reviewed_by"] == "ann; judge"  # ben gave no version of it: not his review
    stance = pd.read_csv(data_copy / "curated" / f"{KURSK}.stance.csv", dtype=str, encoding="utf-8-sig")
    row = stance[(stance["id"] == "s01") & (stance["topic"] == "kursk_value")].iloc[0]
    assert [row["label"], row["rationale"]] == ["mixed", "both readings hold"]
    assert "previous curated tables kept in" in capsys.readouterr().out


def test_one_person_is_nothing_to_settle(data_copy: Path) -> None:
    an.mark_reviewed(an.open_store(KURSK, "ann"), "s01")
    with pytest.raises(InputError, match="only 1 person annotated it"):
        ad.open_adjudication(KURSK)
