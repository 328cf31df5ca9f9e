"""Figures and readable views of the analysis table.

One palette per speaker (the same colour for a person in every figure) and one per
stance label; colours are from the colour-blind-safe Okabe-Ito and seaborn
"colorblind" sets. Every figure has a title, labelled axes and a text alternative
(``alt``) that says in words what it shows, for screen readers and for readers of the
HTML report who cannot see the image. Text from the data is drawn literally, never as
matplotlib math (:func:`drawn`).

People's stance labels and the machine's suggestions are never drawn alike: the stance
figure gives them separate panels (suggestions hatched), the sentiment figure fills
people's dots and leaves suggestions hollow, and the statement cards show a suggestion
in its own style with how sure the machine is and the words it went by.

Each figure can be drawn for two widths (:data:`WIDE`, :data:`NARROW`): the report carries
both and its stylesheet shows the one that fits the screen (:func:`figure_html`), so a
phone gets a figure redrawn for its width, never a desktop figure shrunk to a quarter.
"""

from __future__ import annotations

import base64
import io
import re
import struct
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from markupsafe import Markup
from matplotlib.colors import Normalize, to_rgb
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.text import Text

from utils.analysis import PEOPLE, SUGGESTED, Analysis, reviewed, stance_by, stance_counts
from utils.nesting import claims, grouped_order
from utils.schema import NOT_ADDRESSED, STANCE_LABELS
from utils.stance import ADDRESSED, STANCE_SCORES

TABLE_HEADERS = ("id", "speaker", "kind", "statement", "VADER", "TextBlob", "certainty", "details")
STANCE_COLOURS = {
    "favor": "#0072B2",
    "against": "#D55E00",
    "mixed": "#CC79A7",
    "neutral": "#7F7F7F",
    ADDRESSED: "#8A8A2E",  # a suggestion: the topic is mentioned, no direction given
    NOT_ADDRESSED: "#D9D9D9",
}
DISTINCT = 60  # least RGB distance (0-255) of a speaker's colour from a stance's or another speaker's
EPISTEMIC_COLOURS = {"hedged": "#56B4E9", "balanced": "#B3B3B3", "unmarked": "#E6E6E6", "certain": "#E69F00"}
SCORERS = {"tb_polarity": "TextBlob polarity", "vader_compound": "VADER compound"}
sns.set_theme(context="notebook", style="whitegrid", font_scale=1.25)
BASE_DPI = 110  # pixels per inch of a figure shown at its natural size (one CSS pixel each)
STANCE_MAP = sns.diverging_palette(25, 240, s=80, l=55, as_cmap=True)  # -1 against (orange) … +1 favor (blue)
PANEL_TITLES = {PEOPLE: "Labelled by people", SUGGESTED: "Suggested by the machine, not reviewed"}


@dataclass(frozen=True)
class Layout:
    """The width a figure is drawn for.

    ``width`` in inches at :data:`BASE_DPI`; ``wrap``: characters per line of a name or
    title; ``stacked``: side-by-side panels go one above the other; ``dpi``: the PNG's
    resolution (the narrow figure has two pixels per CSS pixel for phone screens).
    """

    name: str
    width: float
    wrap: int
    title_wrap: int
    stacked: bool
    dpi: int


WIDE = Layout("wide", 7.0, 26, 60, False, BASE_DPI)
NARROW = Layout("narrow", 3.6, 16, 27, True, 2 * BASE_DPI)


def short_label(text: str, width: int = 36) -> str:
    """``text`` cut at a word boundary to at most ``width`` characters, with an ellipsis when cut."""
    text = " ".join(text.split())
    return text if len(text) <= width else textwrap.shorten(text, width, placeholder="…")


def proposition_names(topics: pd.DataFrame, width: int = 36) -> dict[str, str]:
    """Topic id -> the short proposition readers see (ids stay in data files).

    Names are unique: a short name another topic shares, or that equals the table's own
    column names, falls back to the full proposition (with the topic's position if needed).
    """
    names: dict[str, str] = {}
    taken = set(TABLE_HEADERS)
    shorts = [short_label(p, width) for p in topics["proposition"]]
    for n, (topic, proposition, short) in enumerate(
        zip(topics["topic"], topics["proposition"], shorts, strict=True)
    ):
        name = short if shorts.count(short) == 1 else " ".join(proposition.split())
        if name in taken or not name:
            name = f"{name or 'topic'} ({n + 1})"
        names[topic] = name
        taken.add(name)
    return names


def speaker_palette(table: pd.DataFrame) -> dict[str, str]:
    """A fixed colour per speaker so a person looks the same in every figure.

    Experts take the first, most distinct colours (in order of appearance), then everyone
    else. No speaker colour is near a stance colour, so a dot or badge is never ambiguous.
    """
    ordered = pd.concat([table.loc[table["role"] == "expert", "speaker"], table["speaker"]])
    names = list(dict.fromkeys(ordered))
    candidates = [
        *sns.color_palette("colorblind", 10).as_hex(),
        *sns.color_palette("dark", 10).as_hex(),
        *sns.color_palette("husl", 36).as_hex(),
    ]
    colours = _distinct(candidates, list(STANCE_COLOURS.values()), DISTINCT)
    if len(colours) < len(names):  # many speakers: closer colours, still never a stance colour
        spare = sns.color_palette("husl", 4 * len(names)).as_hex()
        colours += _distinct(spare, [*STANCE_COLOURS.values(), *colours], DISTINCT / 3)
    return dict(zip(names, colours, strict=False))


def _distinct(candidates: list[str], avoid: list[str], distance: float) -> list[str]:
    """The candidates, in order, at least ``distance`` from everything avoided and from each other."""
    kept: list[str] = []
    for colour in candidates:
        if all(colour_distance(colour, other) >= distance for other in [*avoid, *kept]):
            kept.append(colour)
    return kept


def colour_distance(a: str, b: str) -> float:
    """Euclidean distance of two colours in RGB, on a 0-255 scale."""
    return sum((x - y) ** 2 for x, y in zip(to_rgb(a), to_rgb(b), strict=True)) ** 0.5 * 255


def to_png(fig: Figure, dpi: int = BASE_DPI) -> bytes:
    """Render a figure to PNG bytes and close it (so notebooks do not show it twice)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


def show(fig: Figure, alt: str) -> None:
    """Display a figure in a notebook as a PNG carrying its text alternative (kept in the HTML report)."""
    from IPython.display import Image, display

    display(Image(data=to_png(fig), format="png"), metadata={"image/png": {"alt": alt}})


Plot = Callable[..., tuple[Figure, str]]


def figure_html(plot: Plot, *args: object) -> Markup:
    """A figure drawn twice, for a wide and a narrow screen, as one ``<figure>`` for the report.

    The report's stylesheet shows the wide image on a wide screen and the narrow one on a
    phone (``.eo-fig-wide`` / ``.eo-fig-narrow``). Each image is given its size in CSS
    pixels, so the narrow one (drawn at twice the resolution) is sharp and never enlarged,
    and ``data-font-px`` says how tall its smallest text is at that size: the browser
    tests check that, as shown, it stays readable.
    """
    images = [_image(*plot(*args, layout=layout), layout) for layout in (WIDE, NARROW)]
    return Markup('<figure class="eo-figure eo-responsive">{}</figure>').format(Markup("").join(images))


def show_figure(plot: Plot, *args: object) -> None:
    """Display :func:`figure_html` in a notebook (the report notebook uses it for every figure)."""
    from IPython.display import HTML, display

    display(HTML(figure_html(plot, *args)))


def _image(fig: Figure, alt: str, layout: Layout) -> Markup:
    font = smallest_font_px(fig)
    png = compact_png(to_png(fig, dpi=layout.dpi))
    width, height = struct.unpack(">II", png[16:24])  # the PNG header's size, in pixels
    scale = BASE_DPI / layout.dpi
    return Markup(
        '<img class="eo-fig-{name}" src="data:image/png;base64,{data}" alt="{alt}" width="{w}" '
        'height="{h}" data-font-px="{font:.1f}">'
    ).format(
        name=layout.name,
        data=base64.b64encode(png).decode("ascii"),
        alt=alt,
        w=round(width * scale),
        h=round(height * scale),
        font=font,
    )


def compact_png(png: bytes, colours: int = 128) -> bytes:
    """A figure's PNG with at most ``colours`` colours: a third of the bytes, no visible change (a
    figure has few colours besides the anti-aliasing of its text), so the report stays small."""
    from PIL import Image  # matplotlib's own dependency

    image = Image.open(io.BytesIO(png)).convert("RGB")
    reduced = image.quantize(colors=colours, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    reduced.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def smallest_font_px(fig: Figure) -> float:
    """The size of the figure's smallest visible text, in pixels at :data:`BASE_DPI` (its CSS size)."""
    sizes = [t.get_fontsize() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
    return min(sizes, default=0.0) * BASE_DPI / 72


def empty_figure(
    title: str, message: str = "No attributed statements to show", layout: Layout = WIDE
) -> tuple[Figure, str]:
    """A small placeholder with the figure's title, so a report without statements still reads well."""
    fig, ax = plt.subplots(figsize=(min(6, layout.width), 1.2))
    ax.set_axis_off()
    ax.set_title(_wrap(title, layout.title_wrap))
    ax.text(
        0.5,
        0.4,
        _wrap(message, layout.title_wrap + 10),
        ha="center",
        va="center",
        fontsize=11,
        color="#57606a",
    )
    return fig, f"{title}: {message.lower()}."


def plot_statement_counts(
    table: pd.DataFrame, palette: dict[str, str], layout: Layout = WIDE
) -> tuple[Figure, str]:
    """Claims per speaker, direct quotes solid and paraphrases light, most quoted on top.

    A quote nested in a paraphrase of the same speaker is part of that claim, not another one.
    """
    title = "Who is quoted, and how"
    table = claims(table)
    if table.empty:
        return empty_figure(title, layout=layout)
    counts = pd.crosstab(table["speaker"], table["kind"]).reindex(
        columns=["direct", "paraphrase"], fill_value=0
    )
    counts = counts.loc[counts.sum(axis=1).sort_values(kind="stable").index]
    shown = [_name(s, layout) for s in counts.index]
    lines = max(name.count("\n") + 1 for name in shown)
    height = (0.2 * lines + 0.3) * len(counts) + 1.8
    fig, ax = plt.subplots(figsize=(layout.width, height), layout="constrained")
    colours = [palette.get(s, "#777777") for s in counts.index]
    positions = range(len(counts))
    ax.barh(positions, counts["direct"], color=colours, label="direct quote")
    ax.barh(
        positions, counts["paraphrase"], left=counts["direct"], color=colours, alpha=0.4, label="paraphrase"
    )
    ax.set_yticks(list(positions), shown)
    ax.set(xlabel="claims", ylabel="")
    fig.suptitle(_wrap(title, layout.title_wrap))
    ax.grid(axis="y", visible=False)
    ax.xaxis.get_major_locator().set_params(integer=True)
    fig.legend(
        handles=[
            Patch(color="#555555", label="direct quote"),
            Patch(color="#555555", alpha=0.4, label="paraphrase"),
        ],
        loc="outside lower left",
        ncols=2,
        frameon=False,
        fontsize=11,
    )
    alt = "Bar chart of claims per speaker: " + "; ".join(
        f"{s} {r.direct} direct, {r.paraphrase} paraphrased" for s, r in counts[::-1].iterrows()
    )
    return fig, alt


@dataclass(frozen=True)
class Cell:
    """One speaker and topic in the stance figure, for one source of labels (people or suggested)."""

    by: str
    speaker: str
    topic: str
    counts: dict[str, int]  # label -> claims, "not addressed" left out

    @property
    def score(self) -> float | None:
        """Mean stance of the labelled directions (+1 favor, −1 against), None without a direction."""
        directed = {label: n for label, n in self.counts.items() if label in STANCE_SCORES}
        total = sum(directed.values())
        return sum(STANCE_SCORES[label] * n for label, n in directed.items()) / total if total else None

    @property
    def state(self) -> str:
        """ "direction", ADDRESSED (mentioned, no direction) or NOT_ADDRESSED."""
        if self.score is not None:
            return "direction"
        return ADDRESSED if self.counts else NOT_ADDRESSED

    def note(self) -> str:
        """What the cell says: each label's count on its own line ("2 favor"), "—" when not addressed."""
        if not self.counts:
            return "—"
        return "\n".join(
            f"{n} {label}" if label != ADDRESSED else f"{n} addressed,\nno direction"
            for label, n in self.counts.items()
        )


def stance_cells(table: pd.DataFrame, topics: pd.DataFrame, speakers: Sequence[str]) -> list[Cell]:
    """The stance figure's cells, claims counted (:func:`utils.analysis.stance_counts`).

    One panel per source of labels present among the speakers' claims: people's labels, and
    the machine's suggestions for claims nobody labelled. Text that describes the figure
    (the report's one line per expert) counts from the same table.
    """
    subset = claims(table)
    subset = subset[subset["speaker"].isin(speakers)]
    counts = stance_counts(subset, topics)
    sources = [by for by in (PEOPLE, SUGGESTED) if (stance_by(subset) == by).any()]
    cells = []
    for by in sources:
        for speaker in speakers:
            for topic in topics["topic"]:
                mine = counts[
                    (counts["by"] == by) & (counts["speaker"] == speaker) & (counts["topic"] == topic)
                ]
                cells.append(
                    Cell(by, speaker, topic, dict(zip(mine["label"], mine["statements"], strict=True)))
                )
    return cells


def plot_stance_matrix(
    table: pd.DataFrame, topics: pd.DataFrame, speakers: Sequence[str], layout: Layout = WIDE
) -> tuple[Figure, str]:
    """Speakers side by side on every topic: how many claims take which stance, people and machine apart.

    Colour is the mean stance (+1 favor, −1 against); a topic mentioned with no direction is
    olive, not addressed is grey with a dash. People's labels and the machine's suggestions
    are separate panels (suggestions hatched), each cell with its counts. Wide, the panels
    are heatmaps of speakers by topics; narrow, each topic is a strip of its own, titled by
    its proposition, with a column per source.
    """
    title = "Where each speaker stands, topic by topic"
    if not len(speakers) or topics.empty:
        return empty_figure(title, layout=layout)
    names = proposition_names(topics)
    cells = stance_cells(table, topics, speakers)
    sources = list(dict.fromkeys(c.by for c in cells))
    draw = _stance_strips if layout.stacked else _stance_panels
    handles = _stance_handles(cells, sources)
    rows = -(-len(handles) // (1 if layout.stacked else 3))
    heading = _wrap(title, layout.title_wrap)
    around = 0.45 * (heading.count("\n") + 1) + 0.22 * (rows + 1) + 0.3  # the title and the legend
    fig = draw(cells, topics, list(speakers), layout, around)
    fig.suptitle(heading)
    fig.legend(
        handles=handles,
        loc="outside lower left",
        ncols=1 if layout.stacked else 3,
        frameon=False,
        fontsize=10,
        title="colour: mean stance of the claims",
        title_fontsize=10,
        alignment="left",
    )
    return fig, _stance_alt(cells, sources, names)


def _lines(cells: list[Cell]) -> int:
    """The most lines any of ``cells`` needs for its counts."""
    return max(c.note().count("\n") + 1 for c in cells)


def _stance_panels(
    cells: list[Cell], topics: pd.DataFrame, speakers: list[str], layout: Layout, around: float
) -> Figure:
    """Wide: one heatmap per source (speakers down, topics across), one above the other."""
    sources = list(dict.fromkeys(c.by for c in cells))
    names = proposition_names(topics)
    by_key = {(c.by, c.speaker, c.topic): c for c in cells}
    label_lines = max(_wrap(names[t], 16).count("\n") + 1 for t in topics["topic"])
    rows = [0.22 * max(_lines([c for c in cells if c.by == by]), 2) + 0.3 for by in sources]
    heights = [row * len(speakers) + 0.3 * label_lines + 0.45 for row in rows]
    fig, axes = plt.subplots(
        len(sources),
        1,
        figsize=(1.9 * len(topics) + 3.0, sum(heights) + around),
        gridspec_kw={"height_ratios": heights},
        squeeze=False,
        layout="constrained",
    )
    for ax, by in zip(axes[:, 0], sources, strict=True):
        grid = [[by_key[(by, s, t)] for t in topics["topic"]] for s in speakers]
        _draw_cells(ax, grid, 11)
        ax.set_xticks([i + 0.5 for i in range(len(topics))], [_wrap(names[t], 16) for t in topics["topic"]])
        ax.xaxis.tick_top()
        ax.set_yticks([i + 0.5 for i in range(len(speakers))], [_name(s, layout) for s in speakers])
        ax.set_title(_panel_title(cells, by), loc="left", fontsize=13, pad=8)
    axes[0, 0].set_xlabel("topic (proposition)", labelpad=8)
    axes[0, 0].xaxis.set_label_position("top")
    return fig


def _stance_strips(
    cells: list[Cell], topics: pd.DataFrame, speakers: list[str], layout: Layout, around: float
) -> Figure:
    """Narrow: one strip per topic (speakers down, one column per source), titled by its proposition."""
    sources = list(dict.fromkeys(c.by for c in cells))
    by_key = {(c.by, c.speaker, c.topic): c for c in cells}
    name_lines = max(_name(s, layout).count("\n") + 1 for s in speakers)
    titles = [_wrap(p, layout.title_wrap - 2) for p in topics["proposition"]]
    rows = [0.2 * max(_lines([c for c in cells if c.topic == t]), name_lines) + 0.2 for t in topics["topic"]]
    heights = [
        row * len(speakers) + 0.22 * (t.count("\n") + 1) + 0.3 for row, t in zip(rows, titles, strict=True)
    ]
    fig, axes = plt.subplots(
        len(topics),
        1,
        figsize=(layout.width, sum(heights) + around),
        gridspec_kw={"height_ratios": heights},
        squeeze=False,
        layout="constrained",
    )
    headers = {PEOPLE: "by people", SUGGESTED: "suggested"}
    for ax, topic, heading in zip(axes[:, 0], topics["topic"], titles, strict=True):
        grid = [[by_key[(by, s, topic)] for by in sources] for s in speakers]
        _draw_cells(ax, grid, 10)
        ax.set_xticks([i + 0.5 for i in range(len(sources))], [headers[by] for by in sources], fontsize=10)
        ax.xaxis.tick_top()
        ax.set_yticks(
            [i + 0.5 for i in range(len(speakers))], [_name(s, layout) for s in speakers], fontsize=10
        )
        ax.set_title(heading, loc="left", fontsize=11, pad=4)
    return fig


def _draw_cells(ax, grid: list[list[Cell]], fontsize: int) -> None:
    """Draw ``grid`` (rows of cells) into ``ax``: colour by stance, counts as text, suggestions hatched.

    Each cell's rectangle carries a gid ``by|speaker|topic`` so tests can find what was drawn.
    """
    norm = Normalize(-1, 1)
    for y, row in enumerate(grid):
        for x, cell in enumerate(row):
            colour = _cell_colour(cell, norm)
            suggested = cell.by == SUGGESTED and cell.state != NOT_ADDRESSED
            patch = Rectangle(
                (x, y),
                1,
                1,
                facecolor=colour,
                edgecolor="white",
                linewidth=2,
                hatch="//" if suggested else None,
                gid=f"{cell.by}|{cell.speaker}|{cell.topic}",
            )
            if suggested:
                patch.set_hatchcolor("#ffffff80" if cell.state == "direction" else "#6b6b2a80")
            ax.add_patch(patch)
            ink = "white" if sum(to_rgb(colour)) < 1.6 else "#1f2328"
            ax.text(x + 0.5, y + 0.5, cell.note(), ha="center", va="center", fontsize=fontsize, color=ink)
    ax.set_xlim(0, len(grid[0]))
    ax.set_ylim(len(grid), 0)
    ax.set_aspect("auto")
    ax.grid(False)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)


def _cell_colour(cell: Cell, norm: Normalize) -> str:
    if cell.state == "direction":
        r, g, b, _ = STANCE_MAP(norm(cell.score))
        return f"#{int(r * 255):02x}{int(g * 255):02x}{int(b * 255):02x}"
    return ADDRESSED_FILL if cell.state == ADDRESSED else STANCE_COLOURS[NOT_ADDRESSED]


ADDRESSED_FILL = (
    "#e3e3b5"  # pale olive: the topic is mentioned, no direction (STANCE_COLOURS' olive, lightened)
)


def _panel_title(cells: list[Cell], by: str) -> str:
    mine = [c for c in cells if c.by == by]
    total = sum(sum(c.counts.values()) for c in mine)
    return f"{PANEL_TITLES[by]} ({total} labels on claims)"


def _stance_handles(cells: list[Cell], sources: list[str]) -> list[Patch]:
    """The stance figure's legend: the colours (olive only when some cell has it), and the hatching of
    suggestions when there are any."""
    handles = [
        Patch(facecolor=_rgb(STANCE_MAP(1.0)), label="favor"),
        Patch(facecolor=_rgb(STANCE_MAP(0.0)), label="against"),
        Patch(facecolor=_rgb(STANCE_MAP(0.5)), edgecolor="#bbbbbb", label="neutral or mixed"),
    ]
    if any(cell.state == ADDRESSED for cell in cells):
        handles.append(Patch(facecolor=ADDRESSED_FILL, label="addressed, no direction"))
    handles.append(Patch(facecolor=STANCE_COLOURS[NOT_ADDRESSED], label="— not addressed"))
    if SUGGESTED in sources:
        handles.append(Patch(facecolor="white", edgecolor="#555555", hatch="//", label="machine suggestion"))
    return handles


def _rgb(rgba: tuple[float, ...]) -> str:
    return "#" + "".join(f"{int(v * 255):02x}" for v in rgba[:3])


def _stance_alt(cells: list[Cell], sources: list[str], names: dict[str, str]) -> str:
    """The stance figure in words, people's labels and suggestions in separate sentences."""
    parts = []
    for by in sources:
        speakers = list(dict.fromkeys(c.speaker for c in cells if c.by == by))
        listed = " ".join(
            f"{s}: "
            + (
                "; ".join(
                    f"“{names[c.topic]}” " + c.note().replace(",\n", ", ").replace("\n", ", ")
                    for c in cells
                    if c.by == by and c.speaker == s and c.counts
                )
                or "no topic addressed"
            )
            + "."
            for s in speakers
        )
        parts.append(f"{PANEL_TITLES[by]}: {listed}")
    return (
        "Stance per speaker and topic, claims counted; people's labels and machine suggestions apart. "
        + " ".join(parts)
    )


def plot_sentiment_vs_stance(
    table: pd.DataFrame, topic: pd.Series, speakers: Sequence[str], layout: Layout = WIDE
) -> tuple[Figure, str]:
    """Each claim's lexicon sentiment (both scorers) coloured by its stance on one topic.

    Points of the "against" colour on the positive side are claims the lexicons read the
    wrong way round; the figure exists to make that visible. People's labels are filled
    dots, the machine's suggestions (keyword relevance, and directions learned from
    people's labels, never from VADER) hollow rings, and title, legend and text
    alternative say which is which. Wide, the two scorers sit side by side; narrow, one
    above the other.
    """
    if not len(speakers):
        return empty_figure("Lexicon sentiment vs stance", layout=layout)
    column = f"stance_{topic['topic']}"
    subset = claims(table)
    subset = subset[subset["speaker"].isin(speakers)].assign(by=lambda t: stance_by(t))
    sources = [by for by in (PEOPLE, SUGGESTED) if (subset["by"] == by).any()]
    judge = _judge(sources)
    rows, columns = (2, 1) if layout.stacked else (1, 2)
    name_lines = max(_name(s, layout).count("\n") + 1 for s in speakers)
    panel = (0.2 * name_lines + 0.3) * len(speakers) + 1.2
    fig, axes = plt.subplots(
        rows,
        columns,
        figsize=(layout.width, panel * rows + 1.2 + 0.3 * len(sources)),
        sharey=True,
        squeeze=False,
        layout="constrained",
    )
    jitter = np.random.default_rng(0).uniform(-0.15, 0.15, len(subset))
    y = subset["speaker"].map({name: n for n, name in enumerate(speakers)}).to_numpy() + jitter
    for ax, (scorer, name) in zip(axes.flat, SCORERS.items(), strict=True):
        for label in [*STANCE_LABELS, ADDRESSED, NOT_ADDRESSED]:
            for by in sources:
                mask = ((subset[column] == label) & (subset["by"] == by)).to_numpy()
                if mask.any():
                    ax.scatter(subset[scorer].to_numpy()[mask], y[mask], **_dot(label, by))
        ax.axvline(0, color="black", linewidth=0.8)
        ax.set(xlim=(-1.05, 1.05), ylim=(len(speakers) - 0.5, -0.5), title=name)
        ax.set_xlabel("sentiment" if layout.stacked else "sentiment (−1 … +1)")
        ax.set_xticks([-1, -0.5, 0, 0.5, 1], ["−1", "", "0", "", "+1"])
        ax.set_yticks(range(len(speakers)), [_name(s, layout) for s in speakers])
        ax.grid(axis="y", visible=False)
    fig.suptitle(_wrap(f"Lexicon sentiment vs {judge} stance on “{topic['proposition']}”", layout.title_wrap))
    present = [
        label for label in [*STANCE_LABELS, ADDRESSED, NOT_ADDRESSED] if (subset[column] == label).any()
    ]
    handles = [Line2D([], [], linestyle="", label=label, **_marker(label, PEOPLE)) for label in present]
    if len(sources) == 2:
        handles += [
            Line2D([], [], linestyle="", label="by people", **_marker("neutral", PEOPLE)),
            Line2D([], [], linestyle="", label="suggested", **_marker("neutral", SUGGESTED)),
        ]
    fig.legend(
        handles=handles,
        title=f"{judge} stance",
        loc="outside lower left",
        ncols=2 if layout.stacked else 4,
        frameon=False,
        fontsize=10,
        title_fontsize=10,
        alignment="left",
    )
    clashes = contradictions(subset, column)
    listed = "; ".join(
        f"{r.speaker}: {r.stance}{' (suggested)' if r.by == SUGGESTED else ''} yet {r.scorer} {r.score:+.2f}"
        for r in clashes.rename(columns={column: "stance"}).itertuples()
    )
    alt = (
        f"Dot plots of TextBlob and VADER sentiment per claim for {', '.join(speakers)}, coloured by "
        f"the {judge} stance on '{topic['proposition']}'"
        + (" (filled: labelled by people; hollow: suggested by the machine)" if len(sources) == 2 else "")
        + f". {len(clashes)} scores point the other way from the {judge} label"
        + (f": {listed}." if listed else ".")
    )
    return fig, alt


def _judge(sources: list[str]) -> str:
    """Whose stance a figure shows, in its title: people's, the machine's, or both."""
    if sources == [PEOPLE]:
        return "human"
    return "suggested" if sources == [SUGGESTED] else "human or suggested"


def _marker(label: str, by: str) -> dict[str, object]:
    colour = STANCE_COLOURS[label]
    if by == PEOPLE:
        return {"marker": "o", "markersize": 9, "markerfacecolor": colour, "markeredgecolor": "black"}
    return {"marker": "o", "markersize": 9, "markerfacecolor": "white", "markeredgecolor": colour,
            "markeredgewidth": 2.2}  # fmt: skip


def _dot(label: str, by: str) -> dict[str, object]:
    """:func:`_marker` as scatter arguments: people's labels filled, suggestions hollow rings."""
    marker = _marker(label, by)
    return {
        "s": 81,
        "marker": "o",
        "facecolors": marker["markerfacecolor"],
        "edgecolors": marker["markeredgecolor"],
        "linewidths": marker.get("markeredgewidth", 0.5),
        "zorder": 3,
    }


def contradictions(table: pd.DataFrame, column: str, margin: float = 0.05) -> pd.DataFrame:
    """Statements where a lexicon score points the other way from the human stance on ``column``.

    One row per statement and disagreeing scorer (columns ``scorer`` and ``score`` added).
    """
    found = []
    for scorer, name in SCORERS.items():
        against_positive = (table[column] == "against") & (table[scorer] > margin)
        favor_negative = (table[column] == "favor") & (table[scorer] < -margin)
        hits = table[against_positive | favor_negative]
        found.append(hits.assign(scorer=name, score=hits[scorer]))
    return pd.concat(found).sort_values("start", kind="stable")


def plot_certainty(table: pd.DataFrame, speakers: Sequence[str], layout: Layout = WIDE) -> tuple[Figure, str]:
    """How sure each speaker sounds: claims by epistemic label, with the mean certainty score."""
    title = "Hedged or certain? Epistemic cues per speaker"
    if not len(speakers):
        return empty_figure(title, layout=layout)
    subset = claims(table)
    subset = subset[subset["speaker"].isin(speakers)]
    counts = pd.crosstab(subset["speaker"], subset["epistemic"]).reindex(
        index=list(speakers), columns=list(EPISTEMIC_COLOURS), fill_value=0
    )
    lines = max(_name(s, layout).count("\n") + 1 for s in speakers)
    height = (0.55 if lines == 1 else 0.32 * lines + 0.1) * len(speakers) + 2.4
    fig, ax = plt.subplots(figsize=(layout.width, height), layout="constrained")
    left = pd.Series(0, index=counts.index)
    for label, colour in EPISTEMIC_COLOURS.items():
        ax.barh(
            range(len(counts)),
            counts[label],
            left=left.to_numpy(),
            color=colour,
            label=label,
            edgecolor="white",
        )
        left = left + counts[label]
    means = subset.groupby("speaker")["certainty"].mean().reindex(counts.index)
    for y, (speaker, mean) in enumerate(means.items()):
        ax.text(left[speaker] + 0.15, y, f"mean {mean:+.2f}", va="center", fontsize=11)
    ax.invert_yaxis()
    ax.set_yticks(range(len(counts)), [_name(s, layout) for s in counts.index])
    fig.suptitle(_wrap(title, layout.title_wrap))
    ax.set(
        xlabel="claims",
        ylabel="",
        xlim=(0, left.max() * (1.45 if not layout.stacked else 1.9) + 1),
    )
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.grid(axis="y", visible=False)
    fig.legend(
        title="claim is",
        loc="outside lower left",
        ncols=2 if layout.stacked else 4,
        frameon=False,
        fontsize=11,
    )
    alt = "Stacked bars of claims per speaker by certainty: " + "; ".join(
        f"{s}: "
        + ", ".join(f"{counts.loc[s, lab]} {lab}" for lab in EPISTEMIC_COLOURS if counts.loc[s, lab])
        + f" (mean {means[s]:+.2f})"
        for s in counts.index
    )
    return fig, alt


CARDS_CSS = Path(__file__).resolve().parent / "resources" / "cards.css"


def cards_html(analysis: Analysis, speakers: Sequence[str], palette: dict[str, str]) -> Markup:
    """:func:`statements_html` with the cards' stylesheet, for a notebook (the report loads it once)."""
    style = Markup("<style>{}</style>").format(Markup(CARDS_CSS.read_text(encoding="utf-8")))
    return style + statements_html(analysis, speakers, palette)


def statements_html(analysis: Analysis, speakers: Sequence[str], palette: dict[str, str]) -> Markup:
    """Each speaker's claims as readable text, with kind, stance, sentiment and certainty.

    A statement nested in another (a quoted fragment inside a paraphrase) is listed under
    its parent, so the same words never read as two claims. People's stance labels are
    coloured tags; the machine's suggestions are outlined, say "suggested", how sure the
    machine is and the words it went by. Built with markupsafe: every value from the
    table is escaped where it is inserted.
    """
    if not len(speakers):
        return Markup("<p>No attributed statements were found in this article.</p>")
    topics = analysis.topics
    names = proposition_names(topics)
    full = dict(zip(topics["topic"], topics["proposition"], strict=True))
    ordered = grouped_order(analysis.table).assign(reviewed=lambda t: reviewed(t).to_numpy())
    cards = []
    for speaker in speakers:
        rows = ordered[ordered["speaker"] == speaker]
        if rows.empty:
            continue
        children: dict[str, list] = {}
        for row in rows.itertuples(index=False):
            children.setdefault(row.parent, []).append(row)
        cards.append(
            Markup(
                '<section class="eo-card" style="border-left:6px solid {colour}">'
                "<h4>{speaker} <small>{affiliation} · {count}</small></h4>{labels}<ol>{items}</ol></section>"
            ).format(
                colour=_hex(palette.get(speaker, "")),
                speaker=speaker,
                affiliation=rows["affiliation"].iloc[0],
                count=_claim_count(len(children.get("", [])), len(rows)),
                labels=_label_count(rows),
                items=_items(children, "", (analysis, names, full)),
            )
        )
    return Markup('<div class="eo-cards">{}</div>').format(Markup("").join(cards))


def _claim_count(claimed: int, statements: int) -> Markup:
    return Markup("{} claim{}{}").format(
        claimed, "" if claimed == 1 else "s", f" ({statements} statements)" if statements != claimed else ""
    )


def _label_count(rows: pd.DataFrame) -> Markup:
    """Under a card's heading: how many statements people labelled, how many have only suggestions."""
    people = int((stance_by(rows) == PEOPLE).sum())
    if people == len(rows):
        return Markup()
    return Markup(
        '<p class="eo-card-labels">Stance: {} labelled by people, {} with machine suggestions only.</p>'
    ).format(people, len(rows) - people)


Context = tuple[Analysis, dict[str, str], dict[str, str]]  # the analysis, topic names, full propositions


def _items(children: dict[str, list], parent: str, context: Context) -> Markup:
    """The list items of ``parent``'s nested statements ("" for a speaker's claims), each with its own."""
    return Markup("").join(
        _statement_item(r, context, _items(children, r.id, context)) for r in children.get(parent, [])
    )


def _statement_item(row, context: Context, nested: Markup) -> Markup:
    quoted = (
        Markup("“{}”").format(row.text)
        if row.kind == "direct"
        else Markup("<i>(paraphrase)</i> {}").format(row.text)
    )
    within = Markup('<span class="eo-within">within {} · </span>').format(row.parent) if row.parent else ""
    review = Markup("") if row.reviewed else Markup(' <span class="eo-unreviewed">not reviewed</span>')
    meta = Markup("<span class='eo-meta'>{} · VADER {:+.2f} · TextBlob {:+.2f} · {}</span>").format(
        row.id, row.vader_compound, row.tb_polarity, row.epistemic
    )
    sub = Markup('<ol class="eo-nested">{}</ol>').format(nested) if nested else ""
    return Markup("<li>{}{}<br>{} {}{}{}</li>").format(
        within, quoted, _stance_tags(row, context), meta, review, sub
    )


def _stance_tags(row, context: Context) -> Markup:
    """People's labels as coloured tags; the machine's suggestions as outlined notes that say how
    sure it is and from what (one with no words to check, as on a topic without keywords, is not shown)."""
    analysis, names, full = context
    if row.stance_source == "curated":
        tag = Markup('<span class="eo-tag" style="background:{}" title="{}">{}: {}</span>')
        return Markup("").join(
            tag.format(STANCE_COLOURS.get(label, "#777777"), full[topic], names[topic], label)
            for topic in names
            if (label := getattr(row, f"stance_{topic}")) != NOT_ADDRESSED
        )
    hint = Markup('<span class="eo-suggestion" title="{}"><b>suggested</b> {}: {}</span>')
    return Markup("").join(
        hint.format(full[topic], names[topic], found.words())
        for topic in names
        if (found := analysis.suggestion(row.id, topic)) is not None and found.shown
    )


def show_table_or(frame: pd.DataFrame, note: str, precision: int = 2) -> None:
    """Show ``frame`` in a notebook or, when it has no rows, ``note`` (Markdown): never an empty table."""
    from utils.display import show_markdown, show_table

    if len(frame):
        show_table(frame, precision=precision)
    elif note:
        show_markdown(note)


def _hex(value: str) -> str:
    """A palette colour as ``#rrggbb``, or grey: nothing else reaches a style attribute."""
    return value if re.fullmatch(r"#[0-9a-fA-F]{6}", value) else "#777777"


def _name(name: str, layout: Layout) -> str:
    """A speaker's name as a figure's axis shows it: wrapped at the layout's width, at most three
    lines (the text alternative keeps it whole)."""
    return drawn(
        "\n".join(textwrap.wrap(" ".join(str(name).split()), layout.wrap, max_lines=3, placeholder=" …"))
    )


def _wrap(text: str, width: int) -> str:
    """Text from the data, wrapped at ``width`` and made safe to draw (:func:`drawn`)."""
    return drawn("\n".join(textwrap.wrap(text, width)))


def drawn(text: object) -> str:
    """A string from the data as matplotlib must be given it to draw it literally.

    Matplotlib reads text between two ``$`` as math ("$x$" is drawn as an italic x, and
    "$\\frac{1}{0}$" or an unbalanced formula can fail the whole figure). Every ``$`` is
    escaped, so no name, proposition or label is ever math; ``\\$`` is drawn as ``$``.
    Every label that comes from the data goes through here (or :func:`_wrap`).
    """
    return str(text).replace("$", r"\$")


def plot_top_speakers(top: pd.DataFrame) -> tuple[Figure, str]:
    """The most quoted people across a corpus: statements, and in how many articles."""
    if top.empty:
        return empty_figure("Most quoted people")
    ordered = top.iloc[::-1]
    fig, ax = plt.subplots(figsize=(8, 0.4 * len(top) + 1.6))
    ax.barh(ordered["speaker"].map(drawn), ordered["statements"], color="#0072B2")
    for y, row in enumerate(ordered.itertuples()):
        ax.text(
            row.statements + 0.3,
            y,
            f"{row.articles} article{'s' if row.articles != 1 else ''}",
            va="center",
            fontsize=9,
            color="#57606a",
        )
    ax.set(
        title="Most quoted people across the corpus",
        xlabel="statements",
        ylabel="",
        xlim=(0, top["statements"].max() * 1.25 + 1),
    )
    ax.grid(axis="y", visible=False)
    alt = "Bar chart of the most quoted people: " + "; ".join(
        f"{r.speaker} {r.statements} statements in {r.articles} articles" for r in top.itertuples()
    )
    return fig, alt


def plot_speaker_tone(top: pd.DataFrame) -> tuple[Figure, str]:
    """Mean VADER sentiment against mean certainty per speaker; dot size is how often they are quoted."""
    if top.empty:
        return empty_figure("Tone and certainty by speaker")
    fig, ax = plt.subplots(figsize=(8, 5.5))
    ax.scatter(
        top["vader_compound"],
        top["certainty"],
        s=top["statements"] * 12,
        alpha=0.6,
        color="#0072B2",
        edgecolor="black",
        linewidth=0.5,
    )
    for row in top.itertuples():
        ax.annotate(
            drawn(row.speaker),
            (row.vader_compound, row.certainty),
            fontsize=8,
            xytext=(4, 4),
            textcoords="offset points",
        )
    ax.axhline(0, color="#999999", linewidth=0.8)
    ax.axvline(0, color="#999999", linewidth=0.8)
    ax.set(
        title="Tone and certainty by speaker",
        xlabel="mean VADER sentiment (−1 … +1)",
        ylabel="mean certainty (−1 hedged … +1 certain)",
        xlim=(-1.05, 1.05),
        ylim=(-1.05, 1.05),
    )
    alt = "Scatter plot of mean sentiment and certainty per speaker: " + "; ".join(
        f"{r.speaker} sentiment {r.vader_compound:+.2f}, certainty {r.certainty:+.2f}"
        for r in top.itertuples()
    )
    return fig, alt
