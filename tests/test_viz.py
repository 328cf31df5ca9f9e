"""Figures: consistent palettes, titles and labels, and text alternatives that say what they show."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.conftest import EXPERTS
from tests.hostile.corpus import PAYLOADS, Parsed, hostile_analysis
from utils import viz
from utils.analysis import experts


@pytest.fixture(scope="module")
def parts(kursk_analysis):
    table = kursk_analysis.table
    return table, kursk_analysis.topics, experts(table), viz.speaker_palette(table)


def test_palette_gives_experts_the_first_colours(parts) -> None:
    table, _, names, palette = parts
    base = pd.Series(viz.sns.color_palette("colorblind", 10).as_hex())
    assert [palette[n] for n in names] == base[: len(names)].tolist()
    assert len(set(palette.values())) == table["speaker"].nunique()
    assert viz.speaker_palette(table) == palette  # the same table always gives the same colours


def test_every_figure_has_title_labels_and_alt_text(parts) -> None:
    table, topics, names, palette = parts
    topic = topics.set_index("topic", drop=False).loc["war_outlook"]
    figures = [
        viz.plot_statement_counts(table, palette),
        viz.plot_stance_matrix(table, topics, names),
        viz.plot_sentiment_vs_stance(table, topic, names),
        viz.plot_certainty(table, names),
    ]
    for fig, alt in figures:
        titles = [ax.get_title() for ax in fig.axes] + [fig._suptitle.get_text() if fig._suptitle else ""]
        assert any(titles)
        assert any(ax.get_xlabel() for ax in fig.axes)
        assert all(name in alt for name in EXPERTS if name in table["speaker"].values)
        assert viz.to_png(fig).startswith(b"\x89PNG")


def test_contradictions_list_both_scorers(parts) -> None:
    table = parts[0]
    clashes = viz.contradictions(table, "stance_war_outlook")
    kagan = clashes[clashes["id"] == "s28"]
    assert set(kagan["scorer"]) == {"TextBlob polarity", "VADER compound"}
    assert clashes["speaker"].notna().all()


def test_contradictions_when_one_scorer_finds_none() -> None:
    """Regression: an empty match once pulled every row of the table in through index alignment."""
    table = pd.DataFrame(
        {
            "id": ["a", "b"],
            "speaker": ["X", "Y"],
            "start": [0, 5],
            "stance_t": ["against", "favor"],
            "tb_polarity": [0.0, 0.0],
            "vader_compound": [0.6, 0.2],
        }
    )
    clashes = viz.contradictions(table, "stance_t")
    assert clashes[["id", "scorer"]].values.tolist() == [["a", "VADER compound"]]


def test_statements_html_escapes_and_tags(parts) -> None:
    table, topics, names, palette = parts
    page = viz.statements_html(table, names, topics, palette)
    assert page.count('class="eo-card"') == len(names)
    assert "war_outlook: against" in page and "<script" not in page


def test_automatic_labels_are_not_called_human(tmp_path, data_copy) -> None:
    from utils.analysis import analyse_ref

    story = tmp_path / "story.txt"
    story.write_text("Bridge\n\n“The bridge is a great success,” Mayor Ana Lopez said.\n", encoding="utf-8")
    analysis = analyse_ref(str(story))
    topic = analysis.topics.iloc[0]
    fig, alt = viz.plot_sentiment_vs_stance(analysis.table, topic, ["Ana Lopez"])
    assert "vs suggested stance" in fig._suptitle.get_text() and "human" not in alt


@pytest.mark.parametrize("payload", PAYLOADS)
def test_statement_cards_show_hostile_text_as_text(payload: str) -> None:
    analysis = hostile_analysis(payload)
    table = analysis.table
    page = viz.statements_html(table, [payload], analysis.topics, {payload: "red;background:url(x)"})
    parsed = Parsed(page)
    assert [tag for tag, _ in parsed.tags] == [
        "div",
        "section",
        "h4",
        "small",
        "ol",
        "li",
        "br",
        "span",
        "span",
    ]
    assert parsed.text.startswith(f"{payload} {payload}“great {payload} wonderful”t: against")
    assert parsed.values("title") == [payload]
    assert (
        parsed.values("style")[0] == "border-left:6px solid #777777"
    )  # a palette value that is not a colour
