"""Regression floors on our own held-out annotations of corpus articles (tests/gold/corpus).

The gold tables are ours (see tests/gold/corpus/README.md); the article texts are read from
../shared/corpus. The floors sit a little below the figures the extractor reaches, so a rule
change that costs held-out rows fails here. Round 2 (26 tables): 10 were tuned on and 8 (`tune`)
guided the rules; the 8 `final` articles were scored once untouched, then their errors guided a
last round of rules. Round 3 (12 tables): `TUNE3` guided rules; `FINAL3` was scored once at the
end, untouched (no rule was made from it; its floor guards that figure, not a tuned one). Round 4
(`FINAL4`, 10 tables) was annotated by reading while the rules of issue 11 were being written, by
people who never ran the extractor on them, and is scored once, at the end of that work. Round 5
(`train5`) is training data for the learned speaker chooser: no floors here.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from utils.evaluate import evaluate_pairs, format_evaluation
from utils.statements import extract_table

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
GOLD = Path(__file__).resolve().parent / "gold" / "corpus"


def _split(name: str) -> tuple[str, ...]:
    """The articles of one split of ``gold/corpus/splits.csv`` (its README says how each was made)."""
    splits = pd.read_csv(GOLD / "splits.csv", dtype=str)
    return tuple(splits.loc[splits["split"] == name, "stem"])


#: The third round (12 articles annotated by reading before the extractor was run on them).
TUNE3 = _split("tune3")
FINAL3 = _split("final3")

#: The fourth round: 10 articles annotated by reading, never inspected by the rule writers.
FINAL4 = _split("final4")

FINAL = _split("final")

#: Micro floors over the 26 round-2 articles together (reached: 0.967 / 0.958 / 0.958 / 0.988).
FLOORS = {
    "span_f1": 0.96,
    "attributed_f1": 0.95,
    "full_f1": 0.95,
    "recall_direct": 0.98,
}
#: The `final` eight alone. Scored once untouched (0.903 / 0.754, direct recall 0.971); rules were
#: added after that from their errors, so the floors below guard those later figures (0.934 / 0.904).
FINAL_FLOORS = {"span_f1": 0.925, "attributed_f1": 0.89, "recall_direct": 0.96}
#: Round 3. `TUNE3` first read 0.934 / 0.888 (direct recall 1.000), after its rules 0.981 / 0.981.
TUNE3_FLOORS = {"span_f1": 0.97, "attributed_f1": 0.97, "recall_direct": 0.99}
#: `FINAL3` scored once at the end, untouched: 0.919 / 0.782 (direct recall 0.971), as on first read.
FINAL3_FLOORS = {"span_f1": 0.91, "attributed_f1": 0.77, "recall_direct": 0.96, "affiliation": 0.72}
#: `FINAL4` scored once at the end of issue 11: 0.826 / 0.681, direct recall 0.796, affiliation 0.809
#: (the extractor before issue 11's rules: 0.821 / 0.684 / 0.796 / 0.553). Nobody read its errors.
FINAL4_FLOORS = {"span_f1": 0.81, "attributed_f1": 0.67, "recall_direct": 0.78, "affiliation": 0.78}
#: All 38 tables together (reached: 0.963 / 0.932 / 0.932 / 0.987, affiliation 0.823).
ALL_FLOORS = {
    "span_f1": 0.955,
    "attributed_f1": 0.925,
    "full_f1": 0.925,
    "recall_direct": 0.98,
    "affiliation": 0.80,  # 0.545 before issue 11's affiliation rules, 0.823 after
}

pytestmark = pytest.mark.skipif(
    not CORPUS.is_dir(), reason=f"the corpus articles are not present at {CORPUS} (../shared/corpus)"
)


def _items(stems: list[str]) -> list[tuple[str, pd.DataFrame, pd.DataFrame]]:
    items = []
    for stem in stems:
        gold = pd.read_csv(GOLD / f"{stem}.gold.csv", dtype=str, keep_default_na=False)
        text = (CORPUS / f"{stem}.txt").read_text(encoding="utf-8")
        items.append((stem, gold, extract_table(text)))
    return items


def _stems() -> list[str]:
    return sorted(p.name.removesuffix(".gold.csv") for p in GOLD.glob("*.gold.csv"))


def _earlier_stems() -> list[str]:
    """Round 2's 26 tables."""
    return sorted(_split("tuned-on") + _split("tune") + FINAL)


def _first_38() -> list[str]:
    """Rounds 2 and 3."""
    return sorted(_earlier_stems() + list(TUNE3 + FINAL3))


@pytest.fixture(scope="module")
def evaluation():
    stems = _earlier_stems()
    assert len(stems) == 26
    assert len(_first_38()) == 38
    assert set(FINAL4) <= set(_stems())
    return evaluate_pairs(_items(stems))


def test_every_gold_table_has_one_split():
    splits = pd.read_csv(GOLD / "splits.csv", dtype=str)
    assert sorted(splits["stem"]) == _stems()
    assert splits["split"].value_counts().to_dict() == {
        "tuned-on": 10,
        "tune": 8,
        "final": 8,
        "tune3": 6,
        "final3": 6,
        "final4": 10,
        "train5": 83,
    }


def test_every_gold_table_has_its_article():
    missing = [s for s in _stems() if not (CORPUS / f"{s}.txt").exists()]
    assert not missing


def test_direct_gold_texts_are_quoted_in_the_article():
    for stem in _stems():
        text = (CORPUS / f"{stem}.txt").read_text(encoding="utf-8")
        gold = pd.read_csv(GOLD / f"{stem}.gold.csv", dtype=str, keep_default_na=False)
        for quote in gold.loc[gold["kind"] == "direct", "text"]:
            assert quote in text, (stem, quote)


@pytest.mark.parametrize(("metric", "floor"), sorted(FLOORS.items()))
def test_heldout_micro_floor(evaluation, metric, floor):
    assert evaluation.micro[metric] >= floor, format_evaluation(evaluation, show_errors=True)


@pytest.mark.parametrize(("metric", "floor"), sorted(FINAL_FLOORS.items()))
def test_final_split_floor(metric, floor):
    final = evaluate_pairs(_items(list(FINAL)))
    assert final.micro[metric] >= floor, format_evaluation(final, show_errors=True)


@pytest.mark.parametrize(("metric", "floor"), sorted(TUNE3_FLOORS.items()))
def test_tune3_floor(metric, floor):
    tune3 = evaluate_pairs(_items(list(TUNE3)))
    assert tune3.micro[metric] >= floor, format_evaluation(tune3, show_errors=True)


@pytest.mark.parametrize(("metric", "floor"), sorted(FINAL3_FLOORS.items()))
def test_final3_floor(metric, floor):
    final3 = evaluate_pairs(_items(list(FINAL3)))
    assert final3.micro[metric] >= floor, format_evaluation(final3, show_errors=True)


@pytest.mark.parametrize(("metric", "floor"), sorted(FINAL4_FLOORS.items()))
def test_final4_floor(metric, floor):
    final4 = evaluate_pairs(_items(list(FINAL4)))
    assert final4.micro[metric] >= floor, format_evaluation(final4, show_errors=True)


@pytest.fixture(scope="module")
def evaluation_all():
    return evaluate_pairs(_items(_first_38()))


@pytest.mark.parametrize(("metric", "floor"), sorted(ALL_FLOORS.items()))
def test_all_38_floor(evaluation_all, metric, floor):
    assert evaluation_all.micro[metric] >= floor, format_evaluation(evaluation_all, show_errors=True)
