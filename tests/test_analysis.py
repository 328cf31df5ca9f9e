"""The tidy analysis table of the bundled article."""

from __future__ import annotations

from tests.conftest import EXPERTS
from utils import schema
from utils.analysis import experts, speaker_overview
from utils.stance import stance_columns
from utils.statements import ANALYSIS


def test_one_row_per_statement_with_documented_columns(kursk_analysis) -> None:
    table = kursk_analysis.table
    assert len(table) == 37 and table["id"].is_unique
    topics = stance_columns(kursk_analysis.topics)
    assert list(table.columns) == [*ANALYSIS.columns[:-1], *topics, "stance_source"]
    assert set(table["source"]) == {"curated"} and set(table["stance_source"]) == {"curated"}
    assert table[["tb_polarity", "vader_compound", "certainty"]].abs().le(1).all().all()
    labels = set(table[topics].to_numpy().ravel())
    assert labels <= {*schema.STANCE_LABELS, schema.NOT_ADDRESSED}


def test_the_five_experts(kursk_analysis) -> None:
    assert sorted(experts(kursk_analysis.table)) == sorted(EXPERTS)
    overview = speaker_overview(kursk_analysis.table).set_index("speaker")
    assert overview.loc["Robert Kagan", "statements"] == 6 and overview.loc["Rafael Loss", "direct"] == 3


def test_kagan_gloom_scores_positive_in_the_lexicon(kursk_analysis) -> None:
    """The case the report must make visible: a grim forecast in gentle words."""
    row = kursk_analysis.table.set_index("id").loc["s28"]
    assert row["speaker"] == "Robert Kagan" and row["stance_war_outlook"] == "against"
    assert row["vader_compound"] > 0.5 and row["tb_polarity"] > 0


def test_agreement_is_measured_on_all_labelled_pairs(kursk_analysis) -> None:
    measured = kursk_analysis.agreement
    assert measured is not None and measured.pairs == 37 * 4
    assert 0 <= measured.accuracy <= 1 and -1 <= measured.kappa <= 1
