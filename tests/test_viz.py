"""Figures: consistent palettes, titles and labels, and text alternatives that say what they show."""

from __future__ import annotations

import base64
import struct

import pandas as pd
import pytest
from matplotlib.text import Text

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
    assert list(palette)[: len(names)] == names  # experts first, in order of appearance
    assert list(palette.values())[:2] == ["#029e73", "#ca9161"]  # colorblind green and tan: no stance colour
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


def test_statements_html_escapes_and_tags(parts, kursk_analysis) -> None:
    _, topics, names, palette = parts
    page = viz.statements_html(kursk_analysis, names, palette)
    assert page.count('class="eo-card"') == len(names)
    assert (
        "Ukraine’s overall war outlook is…: against" in page.replace("&#39;", "’") and "<script" not in page
    )
    assert [t for t in topics["topic"] if t in page] == []  # ids stay in the data files


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
    page = viz.statements_html(analysis, [payload], {payload: "red;background:url(x)"})
    parsed = Parsed(page)
    assert [tag for tag, _ in parsed.tags][:9] == [
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
    short = viz.proposition_names(analysis.topics)["t"]
    assert parsed.text.startswith(f"{payload} {payload} · 1 claim“great {payload} wonderful”{short}: against")
    assert parsed.values("title") == [payload]
    assert (
        parsed.values("style")[0] == "border-left:6px solid #777777"
    )  # a palette value that is not a colour


def synthetic(speakers: int, topics: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A table of ``speakers`` experts with long names, each with three claims on rotating topics."""
    ids = [f"t{n}" for n in range(topics)]
    topic_table = pd.DataFrame(
        {
            "topic": ids,
            "proposition": [
                f"Proposition number {n} says something rather long about the war" for n in range(topics)
            ],
            "keywords": "",
        }
    )
    labels = ["favor", "against", "mixed", "neutral", "not addressed"]
    rows = []
    for s in range(speakers):
        for k in range(3):
            n = s * 3 + k
            rows.append(
                {
                    "id": f"s{n}",
                    "speaker": f"Professor Firstname Lastname-{s:02d}",
                    "role": "expert",
                    "kind": ["direct", "paraphrase"][n % 2],
                    "text": "words",
                    "start": n * 10,
                    "end": n * 10 + 5,
                    "vader_compound": ((n * 37) % 200 - 100) / 100,
                    "tb_polarity": ((n * 53) % 200 - 100) / 100,
                    "epistemic": ["hedged", "balanced", "unmarked", "certain"][n % 4],
                    "certainty": ((n * 29) % 200 - 100) / 100,
                    "stance_source": "curated",
                    "source": "curated",
                    **{f"stance_{t}": labels[(n + i) % 5] for i, t in enumerate(ids)},
                }
            )
    return pd.DataFrame(rows), topic_table


def overlapping_texts(fig) -> list[tuple[str, str]]:
    """Pairs of visible, non-empty texts whose drawn boxes overlap (1 px of touching allowed)."""
    from itertools import combinations

    from matplotlib.text import Text

    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    texts = [
        t
        for t in fig.findobj(Text)
        if (t.get_visible() and t.get_text().strip() and t.axes is None)
        or (t.get_visible() and t.get_text().strip() and t.axes.get_visible())
    ]
    boxes = [(t.get_text(), t.get_window_extent(renderer).expanded(1, 1).padded(-1)) for t in texts]
    return [(a, b) for (a, box_a), (b, box_b) in combinations(boxes, 2) if box_a.overlaps(box_b)]


@pytest.mark.parametrize("layout", [viz.WIDE, viz.NARROW], ids=lambda layout: layout.name)
@pytest.mark.parametrize("speakers", [1, 2, 8, 20])
@pytest.mark.parametrize("topic_count", [1, 4, 7])
def test_no_text_overlaps_at_any_size(speakers: int, topic_count: int, layout) -> None:
    table, topics = synthetic(speakers, topic_count)
    table["stance_source"] = ["curated" if n % 3 else "automatic" for n in range(len(table))]  # both panels
    names = list(dict.fromkeys(table["speaker"]))
    palette = viz.speaker_palette(table)
    topic = topics.iloc[0]
    figures = {
        "counts": viz.plot_statement_counts(table, palette, layout=layout)[0],
        "matrix": viz.plot_stance_matrix(table, topics, names, layout=layout)[0],
        "sentiment": viz.plot_sentiment_vs_stance(table, topic, names, layout=layout)[0],
        "certainty": viz.plot_certainty(table, names, layout=layout)[0],
    }
    found = {name: overlapping_texts(fig) for name, fig in figures.items()}
    for fig in figures.values():
        viz.plt.close(fig)
    assert {name: pairs for name, pairs in found.items() if pairs} == {}


def test_speaker_names_stay_horizontal_in_a_one_topic_heatmap() -> None:
    table, topics = synthetic(5, 1)
    fig, _ = viz.plot_stance_matrix(table, topics, list(dict.fromkeys(table["speaker"])))
    ax = fig.axes[0]
    assert {label.get_rotation() for label in ax.get_yticklabels()} == {0.0}
    assert {label.get_rotation() for label in ax.get_xticklabels()} == {0.0}
    viz.plt.close(fig)


@pytest.mark.parametrize("speakers", [1, 6, 15, 20])
def test_speaker_colours_never_look_like_stance_colours(speakers: int) -> None:
    table, _ = synthetic(speakers, 1)
    colours = list(viz.speaker_palette(table).values())
    assert len(set(colours)) == speakers
    closest = min(viz.colour_distance(c, s) for c in colours for s in viz.STANCE_COLOURS.values())
    assert closest >= (viz.DISTINCT if speakers <= 15 else viz.DISTINCT / 3)


def test_notebook_cards_carry_their_stylesheet(kursk_analysis) -> None:
    table = kursk_analysis.table
    palette = viz.speaker_palette(table)
    cards = str(viz.cards_html(kursk_analysis, ["Mick Ryan"], palette))
    assert cards.startswith("<style>") and ".eo-card {" in cards and '<section class="eo-card"' in cards


MATH_NAMES = [
    "$x$",
    "$\\frac{1}{0}$",
    "$\\notacommand{$",  # not valid math: matplotlib raises while drawing
    "a$^_$b",
    "Cost: $5 or $10",
    "$$",
    "\\$ already escaped",
    "$",
]


def test_dollars_in_names_are_drawn_as_text_never_as_math() -> None:
    table, topics = synthetic(len(MATH_NAMES), 2)
    table["speaker"] = [name for name in MATH_NAMES for _ in range(3)]
    topics["proposition"] = ["Prices rise by $5 to $\\frac{1}{0}$", "$\\undefined$ wins"]
    palette = viz.speaker_palette(table)
    top = pd.DataFrame(
        {
            "speaker": MATH_NAMES,
            "statements": range(1, len(MATH_NAMES) + 1),
            "articles": 1,
            "vader_compound": 0.1,
            "certainty": -0.2,
        }
    )
    figures = [
        viz.plot_statement_counts(table, palette)[0],
        viz.plot_stance_matrix(table, topics, MATH_NAMES)[0],
        viz.plot_sentiment_vs_stance(table, topics.iloc[0], MATH_NAMES)[0],
        viz.plot_certainty(table, MATH_NAMES)[0],
        viz.plot_top_speakers(top)[0],
        viz.plot_speaker_tone(top)[0],
    ]
    for fig in figures:
        fig.canvas.draw()  # a formula matplotlib cannot parse fails here
        shown = [t._preprocess_math(t.get_text()) for t in fig.findobj(Text) if t.get_text()]
        assert [text for text, math in shown if math] == []
        assert set(MATH_NAMES) <= {text for text, _ in shown}, fig  # each name drawn as written
        assert viz.to_png(fig).startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("text", "given"),
    [("$x$", "\\$x\\$"), ("no dollar", "no dollar"), ("\\$", "\\\\$"), (7, "7")],
)
def test_drawn_escapes_every_dollar(text: object, given: str) -> None:
    assert viz.drawn(text) == given


# --- People's labels and suggestions drawn apart; figures redrawn for a phone (issue 18) ---


def _drawn_cells(fig) -> dict[str, object]:
    """The stance figure's cell rectangles by their gid ``by|speaker|topic``."""
    from matplotlib.patches import Rectangle

    return {p.get_gid(): p for p in fig.findobj(Rectangle) if p.get_gid()}


@pytest.mark.parametrize("layout", [viz.WIDE, viz.NARROW], ids=lambda layout: layout.name)
def test_an_automatic_article_s_stance_figure_shows_what_its_text_says(tmp_path, data_copy, layout) -> None:
    """The issue's all-grey figure under "17 addressed": addressed cells are coloured, counted and hatched."""
    from matplotlib.colors import to_hex

    from utils.analysis import analyse_ref
    from utils.report import expert_summary_html

    story = tmp_path / "story.txt"
    story.write_text(
        "Bridge vote\n\n“We waited long enough,” Mayor Ana Lopez said. “It is late,” Lopez said. "
        "“Costs rose,” Bo Chen said.\n",
        encoding="utf-8",
    )
    analysis = analyse_ref(str(story))
    speakers = list(dict.fromkeys(analysis.table["speaker"]))
    fig, alt = viz.plot_stance_matrix(analysis.table, analysis.topics, speakers, layout=layout)
    cells = _drawn_cells(fig)
    assert set(cells) == {f"suggested|{s}|outlook" for s in speakers}  # no people's panel: nobody labelled
    lopez = cells["suggested|Ana Lopez|outlook"]
    assert to_hex(lopez.get_facecolor()) == viz.ADDRESSED_FILL != viz.STANCE_COLOURS["not addressed"]
    assert lopez.get_hatch() == "//"
    texts = [t.get_text() for t in fig.texts + [t for ax in fig.axes for t in ax.texts]]
    assert "2 addressed,\nno direction" in texts and "1 addressed,\nno direction" in texts
    assert (
        "Suggested by the machine, not reviewed: Ana Lopez: “" in alt and "2 addressed, no direction" in alt
    )
    summary = Parsed(expert_summary_html(analysis, speakers)).text
    assert "Ana Lopez: 2 claims; " in summary and ": suggested 2 with no direction;" in summary
    viz.plt.close(fig)


def test_people_and_machine_get_separate_panels_and_styles(kursk_analysis) -> None:
    table = kursk_analysis.table.copy()
    table["stance_source"] = ["automatic" if i >= "s21" else "curated" for i in table["id"]]
    speakers = experts(table)
    fig, alt = viz.plot_stance_matrix(table, kursk_analysis.topics, speakers)
    cells = _drawn_cells(fig)
    people = [p for gid, p in cells.items() if gid.startswith("people|")]
    machine = [p for gid, p in cells.items() if gid.startswith("suggested|")]
    assert len(people) == len(machine) == len(speakers) * 4
    assert all(p.get_hatch() is None for p in people)
    shown = [p for p in machine if to_hex_colour(p) != viz.STANCE_COLOURS["not addressed"].lower()]
    assert shown and all(p.get_hatch() == "//" for p in shown)
    assert [ax.get_title(loc="left").split(" (")[0] for ax in fig.axes] == [
        "Labelled by people",
        "Suggested by the machine, not reviewed",
    ]
    kagan = alt.split("Suggested by the machine, not reviewed: ")[1].split("Robert Kagan: ")[1].split(".")[0]
    assert "; “Ukraine's overall war outlook is…” 4 against" in kagan  # his labels, counted as suggestions
    assert "Robert Kagan: no topic addressed" in alt.split("Suggested by the machine")[0]
    viz.plt.close(fig)


def to_hex_colour(patch) -> str:
    from matplotlib.colors import to_hex

    return to_hex(patch.get_facecolor())


def test_suggested_dots_are_hollow_and_people_s_filled(kursk_analysis) -> None:
    from matplotlib.collections import PathCollection

    table = kursk_analysis.table.copy()
    table["stance_source"] = ["automatic" if i >= "s21" else "curated" for i in table["id"]]
    topic = kursk_analysis.topics.set_index("topic", drop=False).loc["war_outlook"]
    fig, alt = viz.plot_sentiment_vs_stance(table, topic, experts(table))
    faces = [tuple(c.get_facecolor()[0]) for c in fig.findobj(PathCollection)]
    assert (1.0, 1.0, 1.0, 1.0) in faces and any(face != (1.0, 1.0, 1.0, 1.0) for face in faces)
    assert "(filled: labelled by people; hollow: suggested by the machine)" in alt
    assert "human or suggested stance" in fig._suptitle.get_text()
    assert "against (suggested) yet" in alt  # Kagan's gloom, now a suggestion, still shown as such
    viz.plt.close(fig)


def test_the_report_figure_comes_wide_and_narrow_with_its_readable_size(parts) -> None:
    table, topics, names, _ = parts
    page = viz.figure_html(viz.plot_stance_matrix, table, topics, names)
    parsed = Parsed(page)
    images = [attrs for tag, attrs in parsed.tags if tag == "img"]
    assert [i["class"] for i in images] == ["eo-fig-wide", "eo-fig-narrow"]
    assert images[0]["alt"] == images[1]["alt"] and "Labelled by people" in images[0]["alt"]
    wide, narrow = (int(i["width"]) for i in images)
    assert narrow <= viz.NARROW.width * viz.BASE_DPI * 1.08 < wide  # drawn for a phone, not shrunk
    assert all(float(i["data-font-px"]) >= 14 for i in images)  # 10 pt at its natural size
    png = base64.b64decode(images[1]["src"].split(",", 1)[1])
    assert png.startswith(b"\x89PNG") and struct.unpack(">I", png[16:20])[0] == 2 * narrow  # sharp on a phone


@pytest.mark.parametrize("payload", PAYLOADS[:6])
def test_figure_alt_text_is_escaped(payload: str) -> None:
    analysis = hostile_analysis(payload)
    page = viz.figure_html(viz.plot_certainty, analysis.table, [payload])
    parsed = Parsed(page)
    assert [tag for tag, _ in parsed.tags] == ["figure", "img", "img"]
    assert all(payload in alt for alt in parsed.values("alt"))


def test_cards_show_suggestions_in_their_own_style_with_evidence(data_copy) -> None:
    from tests.partly_reviewed import write_partly_reviewed
    from utils.analysis import analyse_ref

    analysis = analyse_ref(write_partly_reviewed(data_copy))
    page = Parsed(viz.statements_html(analysis, ["Robert Kagan", "Serhiy Grabsky"], {}))
    tags = [attrs.get("class") for tag, attrs in page.tags if tag == "span"]
    kagan, grabsky = page.text.split("Serhiy Grabsky")
    assert "Stance: 0 labelled by people, 6 with machine suggestions only." in kagan
    assert "Stance:" not in grabsky  # all his statements carry people's labels
    ids = analysis.table.loc[analysis.table["speaker"] == "Robert Kagan", "id"]
    found = [analysis.suggestion(i, t) for i in ids for t in analysis.topics["topic"]]
    hints = [h for h in found if h is not None and h.shown]
    assert tags.count("eo-suggestion") == len(hints) > 0
    assert tags.count("eo-tag") == sum(
        int((analysis.table.loc[analysis.table["speaker"] == "Serhiy Grabsky", c] != "not addressed").sum())
        for c in ("stance_kursk_value", "stance_hold_kursk", "stance_kursk_leverage", "stance_war_outlook")
    )
    assert all(h.words() in kagan for h in hints) and "sure, from “" in kagan
