"""Agreement between people who tagged the same article, checked against figures worked out by hand."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import KURSK
from utils.agreement import article_agreement
from utils.annotations import STANCE_COLUMNS
from utils.errors import InputError

F, G, N, NA = "favor", "against", "neutral", "not addressed"
# Two people, statements s1-s5, topics t1 and t2. None = no row (counts as not addressed,
# because the person labelled another topic of that statement).
TWO = {
    ("s1", "t1"): (F, F),
    ("s1", "t2"): (None, NA),
    ("s2", "t1"): (G, G),
    ("s2", "t2"): (NA, F),
    ("s3", "t1"): (F, G),
    ("s3", "t2"): (None, None),
    ("s4", "t1"): (N, N),
    ("s4", "t2"): (F, F),
    ("s5", "t1"): (NA, None),
    ("s5", "t2"): (G, G),
}


def write_stance(folder: Path, name: str, labels: dict[tuple[str, str], str | None]) -> None:
    rows = [
        {
            "id": sid,
            "topic": topic,
            "label": label,
            "rationale": "",
            "suggestion_shown": "",
            "annotator": name,
            "time": "2026-12-01T10:00:00Z",
        }
        for (sid, topic), label in labels.items()
        if label is not None
    ]
    folder.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(rows, columns=STANCE_COLUMNS).to_csv(folder / f"{name}.stance.csv", index=False)


@pytest.fixture
def two_people(data_copy: Path) -> Path:
    folder = data_copy / "annotations" / KURSK
    write_stance(folder, "ann", {k: v[0] for k, v in TWO.items()})
    write_stance(folder, "ben", {k: v[1] for k, v in TWO.items()})
    return folder


def test_two_people_match_the_hand_computed_kappas(two_people: Path) -> None:
    result = article_agreement(KURSK)
    assert result.measure == "cohen_kappa" and result.pairs == 10
    # Full label, 10 pairs; agree on 8: po = 0.8.
    # ann: favor 3, against 2, neutral 1, n/a 4; ben: favor 3, against 3, neutral 1, n/a 3.
    # pe = .3*.3 + .2*.3 + .1*.1 + .4*.3 = .09 + .06 + .01 + .12 = .28
    # kappa = (.8 - .28) / (1 - .28) = .52 / .72 = 0.72222
    assert result.kappa == pytest.approx(0.52 / 0.72, abs=1e-6)
    # Relevance: only s2/t2 differs (n/a vs favor): po = .9; ann addressed 6/10, ben 7/10.
    # pe = .6*.7 + .4*.3 = .54; kappa = (.9 - .54) / (1 - .54) = .36 / .46 = 0.78261
    assert result.relevance_kappa == pytest.approx(0.36 / 0.46, abs=1e-6)
    # Direction on the 6 pairs both call addressed (s1t1 s2t1 s3t1 s4t1 s4t2 s5t2): agree on 5.
    # ann: favor 3, against 2, neutral 1; ben: favor 2, against 3, neutral 1.
    # pe = (3*2 + 2*3 + 1*1) / 36 = 13/36; kappa = (30/36 - 13/36) / (1 - 13/36) = 17/23 = 0.73913
    assert result.direction_pairs == 6
    assert result.direction_kappa == pytest.approx(17 / 23, abs=1e-6)
    # Topic t1: ann F G F N n/a, ben F G G N n/a: po = 4/5;
    # pe = (2*1 + 1*2 + 1*1 + 1*1) / 25 = 6/25; kappa = (20 - 6) / (25 - 6) = 14/19 = 0.73684
    assert result.per_topic["t1"] == {"pairs": 5, "kappa": pytest.approx(14 / 19, abs=1e-6)}
    assert {(d["id"], d["topic"]) for d in result.disagreements} == {("s2", "t2"), ("s3", "t1")}


def test_json_has_the_documented_keys(two_people: Path) -> None:
    data = json.loads(article_agreement(KURSK).to_json())
    assert {
        "pairs",
        "kappa",
        "relevance_kappa",
        "direction_kappa",
        "per_topic",
        "disagreements",
        "measure",
    } <= set(data)
    assert data["disagreements"][0]["labels"] == {"ann": NA, "ben": F}


def test_three_people_use_krippendorffs_alpha(data_copy: Path) -> None:
    folder = data_copy / "annotations" / KURSK
    # Units u1 FFF, u2 FFG, u3 GGG, u4 GGG. Coincidences (each pair weighted 1/(m-1) = 1/2):
    # o_FF = 3 + 1 = 4, o_FG = o_GF = 1, o_GG = 3 + 3 = 6; n_F = 5, n_G = 7, n = 12.
    # Do = 2/12; De = 2 * 5 * 7 / (12 * 11) = 70/132; alpha = 1 - (2/12) / (70/132) = 1 - 264/840 = 0.68571
    units = {"s1": (F, F, F), "s2": (F, F, G), "s3": (G, G, G), "s4": (G, G, G)}
    for i, name in enumerate(("ann", "ben", "cat")):
        write_stance(folder, name, {(sid, "t1"): labels[i] for sid, labels in units.items()})
    result = article_agreement(KURSK)
    assert result.measure == "krippendorff_alpha"
    assert result.kappa == pytest.approx(1 - 264 / 840, abs=1e-6)
    assert result.relevance_kappa is None  # everyone calls everything addressed: undefined, not 1


@pytest.mark.parametrize(
    "people, problem",
    [
        ({"ann": {("s1", "t1"): F}}, "at least two people"),
        ({"ann": {("s1", "t1"): F}, "ben": {("s2", "t1"): F}}, "no statement was labelled by all"),
    ],
)
def test_too_little_to_compare_is_one_line(data_copy: Path, people: dict, problem: str) -> None:
    for name, labels in people.items():
        write_stance(data_copy / "annotations" / KURSK, name, labels)
    with pytest.raises(InputError, match=problem) as caught:
        article_agreement(KURSK)
    assert "\n" not in caught.value.message


def test_agreement_command_prints_json(two_people: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from utils.cli import build_parser

    args = build_parser().parse_args(["agreement", KURSK, "--json"])
    args.run(args)
    data = json.loads(capsys.readouterr().out)
    assert data["pairs"] == 10 and data["kappa"] == pytest.approx(0.52 / 0.72, abs=1e-6)


def test_the_notebooks_state_the_agreement_in_words(two_people: Path) -> None:
    from utils.analysis import analyse_ref
    from utils.narrative import people_agreement_line

    line = people_agreement_line(analyse_ref(KURSK))
    # The hand-computed figures above: kappa .52/.72, relevance .36/.46, direction 17/23 on 6 pairs.
    assert line.startswith("ann and ben tagged this article. On the 10 statement–topic pairs")
    assert "Cohen's κ is 0.72: 0.78 on whether a topic is addressed, 0.74 on the direction of the 6" in line


def test_without_a_second_person_agreement_is_unmeasured(data_copy: Path) -> None:
    from utils.analysis import analyse_ref
    from utils.narrative import people_agreement_line

    assert people_agreement_line(analyse_ref(KURSK)).startswith("Fewer than two people have tagged")


def test_the_report_methods_state_the_agreement(two_people: Path) -> None:
    from utils import report
    from utils.analysis import analyse_ref

    methods = html.unescape(str(report.methods_html(analyse_ref(KURSK))))
    assert "2 people tagged this article independently (ann, ben)" in methods
    assert "Cohen's κ is 0.72 (0.78 on whether a topic is addressed, 0.74 on the direction" in methods


def test_a_dotted_annotator_name_is_one_annotator(data_copy: Path) -> None:
    """jane.doe's file is jane.doe.stance.csv: agreement reads her whole name, not "jane"."""
    folder = data_copy / "annotations" / KURSK
    write_stance(folder, "jane.doe", {k: v[0] for k, v in TWO.items()})
    write_stance(folder, "ben", {k: v[1] for k, v in TWO.items()})
    result = article_agreement(KURSK)
    assert result.pairs == 10 and result.kappa == pytest.approx(0.52 / 0.72, abs=1e-6)
    assert sorted(result.annotators) == ["ben", "jane.doe"]
