"""Figures and readable views of the analysis table.

One palette per speaker (the same colour for a person in every figure) and one per
stance label; colours are from the colour-blind-safe Okabe-Ito and seaborn
"colorblind" sets. Every figure has a title, labelled axes and a text alternative
(``alt``) that says in words what it shows, for screen readers and for readers of the
HTML report who cannot see the image. Text from the data is drawn literally, never as
matplotlib math (:func:`drawn`).
"""

from __future__ import annotations

import io
import re
import textwrap
from collections.abc import Sequence
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from markupsafe import Markup
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from utils.analysis import reviewed
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
sns.set_theme(context="notebook", style="whitegrid", font_scale=1.25)  # large enough to read on a phone
WIDTH = 7.0  # inches: a figure keeps its text readable when a phone shrinks it to the screen


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


def to_png(fig: Figure, dpi: int = 110) -> bytes:
    """Render a figure to PNG bytes and close it (so notebooks do not show it twice)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


def show(fig: Figure, alt: str) -> None:
    """Display a figure in a notebook as a PNG carrying its text alternative (kept in the HTML report)."""
    from IPython.display import Image, display

    display(Image(data=to_png(fig), format="png"), metadata={"image/png": {"alt": alt}})


def empty_figure(title: str, message: str = "No attributed statements to show") -> tuple[Figure, str]:
    """A small placeholder with the figure's title, so a report without statements still reads well."""
    fig, ax = plt.subplots(figsize=(6, 1.2))
    ax.set_axis_off()
    ax.set_title(title)
    ax.text(0.5, 0.4, message, ha="center", va="center", fontsize=11, color="#57606a")
    return fig, f"{title}: {message.lower()}."


def plot_statement_counts(table: pd.DataFrame, palette: dict[str, str]) -> tuple[Figure, str]:
    """Claims per speaker, direct quotes solid and paraphrases light, most quoted on top.

    A quote nested in a paraphrase of the same speaker is part of that claim, not another one.
    """
    title = "Who is quoted, and how"
    table = claims(table)
    if table.empty:
        return empty_figure(title)
    counts = pd.crosstab(table["speaker"], table["kind"]).reindex(
        columns=["direct", "paraphrase"], fill_value=0
    )
    counts = counts.loc[counts.sum(axis=1).sort_values(kind="stable").index]
    fig, ax = plt.subplots(figsize=(WIDTH, 0.5 * len(counts) + 2.2))
    colours = [palette.get(s, "#777777") for s in counts.index]
    names = [drawn(s) for s in counts.index]
    ax.barh(names, counts["direct"], color=colours, label="direct quote")
    ax.barh(
        names,
        counts["paraphrase"],
        left=counts["direct"],
        color=colours,
        alpha=0.4,
        label="paraphrase",
    )
    ax.set(title=title, xlabel="claims", ylabel="")
    ax.grid(axis="y", visible=False)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(
        handles=[
            Patch(color="#555555", label="direct quote"),
            Patch(color="#555555", alpha=0.4, label="paraphrase"),
        ],
        loc="upper left",
        bbox_to_anchor=(0, -0.12 - 0.6 / (0.5 * len(counts) + 2.2)),
        ncols=2,
        frameon=False,
    )
    alt = "Bar chart of claims per speaker: " + "; ".join(
        f"{s} {r.direct} direct, {r.paraphrase} paraphrased" for s, r in counts[::-1].iterrows()
    )
    return fig, alt


def plot_stance_matrix(
    table: pd.DataFrame, topics: pd.DataFrame, speakers: Sequence[str]
) -> tuple[Figure, str]:
    """Speakers side by side on every topic: mean stance (+1 favor, -1 against) and how many claims."""
    title = "Where each speaker stands, topic by topic"
    if not len(speakers) or topics.empty:
        return empty_figure(title)
    table = claims(table)
    rows, cols = list(speakers), list(topics["topic"])
    names = proposition_names(topics)
    scores = pd.DataFrame(index=rows, columns=cols, dtype="float64")
    notes = pd.DataFrame("not\naddressed", index=rows, columns=cols)
    for topic in cols:
        labels = table.loc[table["speaker"].isin(rows), ["speaker", f"stance_{topic}"]]
        labels = labels[labels[f"stance_{topic}"] != NOT_ADDRESSED]
        for speaker, group in labels.groupby("speaker"):
            values = group[f"stance_{topic}"]
            scores.loc[speaker, topic] = values.map(STANCE_SCORES).mean()
            notes.loc[speaker, topic] = "\n".join(
                f"{n} {label}" for label, n in values.value_counts().items()
            )
    lines = int(notes.map(lambda n: n.count("\n") + 1).to_numpy().max())
    cell_height = 0.32 * max(lines, 2) + 0.25
    fig, ax = plt.subplots(figsize=(1.9 * len(cols) + 3.6, cell_height * len(rows) + 2.6))
    sns.heatmap(
        scores.astype(float),
        annot=notes,
        fmt="",
        cmap=sns.diverging_palette(25, 240, s=80, l=55, as_cmap=True),
        vmin=-1,
        vmax=1,
        linewidths=1,
        linecolor="white",
        ax=ax,
        annot_kws={"fontsize": 11},
        cbar_kws={"label": "mean stance\n(−1 against … +1 favor)"},
        xticklabels=False,  # set below, wrapped and drawn as text (names are never math)
        yticklabels=False,
    )
    ax.set_facecolor(STANCE_COLOURS[NOT_ADDRESSED])
    ax.grid(False)
    ax.set_xticks([i + 0.5 for i in range(len(cols))], [_wrap(names[t], 16) for t in cols], rotation=0)
    ax.set_yticks([i + 0.5 for i in range(len(rows))], [_wrap(s, 22) for s in rows], rotation=0)
    ax.set(xlabel="topic (proposition); grey: not addressed", ylabel="")
    ax.set_title(title, pad=14)
    alt = "Heatmap of mean stance per speaker and topic (claims). " + " ".join(
        f"{s}: "
        + (
            ", ".join(f"“{names[t]}” {scores.loc[s, t]:+.1f}" for t in cols if pd.notna(scores.loc[s, t]))
            or "no topic addressed"
        )
        + "."
        for s in rows
    )
    return fig, alt


def plot_sentiment_vs_stance(
    table: pd.DataFrame, topic: pd.Series, speakers: Sequence[str]
) -> tuple[Figure, str]:
    """Each claim's lexicon sentiment (both scorers) coloured by its stance on one topic.

    Points of the "against" colour on the positive side are claims the lexicons read the
    wrong way round; the figure exists to make that visible. Automatic labels (keyword
    relevance, and directions learned from people's labels, never from VADER) are called
    "suggested" in the title, the legend and the text alternative.
    """
    if not len(speakers):
        return empty_figure("Lexicon sentiment vs stance")
    column = f"stance_{topic['topic']}"
    subset = claims(table)
    subset = subset[subset["speaker"].isin(speakers)]
    judge = "human" if (subset["stance_source"] == "curated").all() else "suggested"
    long = subset.melt(
        id_vars=["speaker", column], value_vars=list(SCORERS), var_name="scorer", value_name="score"
    )
    long["scorer"] = long["scorer"].map(SCORERS)
    long = long.rename(columns={column: "stance"})
    long["speaker"] = long["speaker"].map(lambda name: _wrap(name, 22))
    present = set(long["stance"])
    grid = sns.catplot(
        data=long,
        x="score",
        y="speaker",
        hue="stance",
        col="scorer",
        kind="strip",
        order=[_wrap(name, 22) for name in speakers],
        hue_order=[label for label in [*STANCE_LABELS, ADDRESSED, NOT_ADDRESSED] if label in present],
        palette=STANCE_COLOURS,
        size=9,
        jitter=0.15,
        height=0.55 * len(speakers) + 2.6,
        aspect=WIDTH / 2 / (0.55 * len(speakers) + 2.6) + 0.35,
        edgecolor="black",
        linewidth=0.5,
    )
    for ax in grid.axes.flat:
        ax.axvline(0, color="black", linewidth=0.8)
        ax.set_xlim(-1.05, 1.05)
        ax.set_xticks([-1, -0.5, 0, 0.5, 1], ["−1", "", "0", "", "+1"])
    grid.set_axis_labels("sentiment (−1 … +1)", "")
    grid.set_titles("{col_name}")
    grid.figure.suptitle(
        _wrap(f"Lexicon sentiment vs {judge} stance on “{topic['proposition']}”", 60), y=1.0, va="bottom"
    )
    if grid.legend is not None:
        grid.legend.set_title(f"{judge} stance")
    clashes = contradictions(subset, column)
    listed = "; ".join(
        f"{r.speaker}: {r.stance} yet {r.scorer} {r.score:+.2f}"
        for r in clashes.rename(columns={column: "stance"}).itertuples()
    )
    alt = (
        f"Dot plots of TextBlob and VADER sentiment per claim for {', '.join(speakers)}, coloured by "
        f"the {judge} stance on '{topic['proposition']}'. {len(clashes)} scores point the other way "
        f"from the {judge} label" + (f": {listed}." if listed else ".")
    )
    return grid.figure, alt


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


def plot_certainty(table: pd.DataFrame, speakers: Sequence[str]) -> tuple[Figure, str]:
    """How sure each speaker sounds: claims by epistemic label, with the mean certainty score."""
    if not len(speakers):
        return empty_figure("Hedged or certain? Epistemic cues per speaker")
    subset = claims(table)
    subset = subset[subset["speaker"].isin(speakers)]
    counts = pd.crosstab(subset["speaker"], subset["epistemic"]).reindex(
        index=list(speakers), columns=list(EPISTEMIC_COLOURS), fill_value=0
    )
    fig, ax = plt.subplots(figsize=(WIDTH, 0.55 * len(speakers) + 2.4))
    left = pd.Series(0, index=counts.index)
    for label, colour in EPISTEMIC_COLOURS.items():
        ax.barh(counts.index, counts[label], left=left, color=colour, label=label, edgecolor="white")
        left = left + counts[label]
    means = subset.groupby("speaker")["certainty"].mean().reindex(counts.index)
    for y, (speaker, mean) in enumerate(means.items()):
        ax.text(left[speaker] + 0.15, y, f"mean {mean:+.2f}", va="center", fontsize=11)
    ax.invert_yaxis()
    ax.set_yticks(range(len(counts)), [_wrap(s, 22) for s in counts.index])
    ax.set(
        title="Hedged or certain? Epistemic cues per speaker",
        xlabel="claims",
        ylabel="",
        xlim=(0, left.max() * 1.45 + 1),
    )
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.grid(axis="y", visible=False)
    ax.legend(
        title="claim is",
        loc="upper left",
        bbox_to_anchor=(0, -0.1 - 0.7 / (0.55 * len(speakers) + 2.4)),
        ncols=4,
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


def cards_html(
    table: pd.DataFrame, speakers: Sequence[str], topics: pd.DataFrame, palette: dict[str, str]
) -> Markup:
    """:func:`statements_html` with the cards' stylesheet, for a notebook (the report loads it once)."""
    style = Markup("<style>{}</style>").format(Markup(CARDS_CSS.read_text(encoding="utf-8")))
    return style + statements_html(table, speakers, topics, palette)


def statements_html(
    table: pd.DataFrame, speakers: Sequence[str], topics: pd.DataFrame, palette: dict[str, str]
) -> Markup:
    """Each speaker's claims as readable text, with kind, stance tags, sentiment and certainty.

    A statement nested in another (a quoted fragment inside a paraphrase) is listed under
    its parent, so the same words never read as two claims. Built with markupsafe: every
    value from the table is escaped where it is inserted.
    """
    if not len(speakers):
        return Markup("<p>No attributed statements were found in this article.</p>")
    names = proposition_names(topics)
    full = dict(zip(topics["topic"], topics["proposition"], strict=True))
    ordered = grouped_order(table).assign(reviewed=lambda t: reviewed(t).to_numpy())
    cards = []
    for speaker in speakers:
        rows = ordered[ordered["speaker"] == speaker]
        if rows.empty:
            continue
        children: dict[str, list] = {}
        for row in rows.itertuples(index=False):
            children.setdefault(row.parent, []).append(row)

        count = Markup("{} claim{}{}").format(
            len(children.get("", [])),
            "" if len(children.get("", [])) == 1 else "s",
            f" ({len(rows)} statements)" if len(rows) != len(children.get("", [])) else "",
        )
        cards.append(
            Markup(
                '<section class="eo-card" style="border-left:6px solid {colour}">'
                "<h4>{speaker} <small>{affiliation} · {count}</small></h4><ol>{items}</ol></section>"
            ).format(
                colour=_hex(palette.get(speaker, "")),
                speaker=speaker,
                affiliation=rows["affiliation"].iloc[0],
                count=count,
                items=_items(children, "", names, full),
            )
        )
    return Markup('<div class="eo-cards">{}</div>').format(Markup("").join(cards))


def _items(children: dict[str, list], parent: str, names: dict[str, str], full: dict[str, str]) -> Markup:
    """The list items of ``parent``'s nested statements ("" for a speaker's claims), each with its own."""
    return Markup("").join(
        _statement_item(r, names, full, _items(children, r.id, names, full)) for r in children.get(parent, [])
    )


def _statement_item(row, names: dict[str, str], full: dict[str, str], nested: Markup) -> Markup:
    quoted = (
        Markup("“{}”").format(row.text)
        if row.kind == "direct"
        else Markup("<i>(paraphrase)</i> {}").format(row.text)
    )
    within = Markup('<span class="eo-within">within {} · </span>').format(row.parent) if row.parent else ""
    tag = Markup('<span class="eo-tag" style="background:{}" title="{}">{}: {}</span>')
    tags = Markup("").join(
        tag.format(STANCE_COLOURS.get(label, "#777777"), full[topic], names[topic], label)
        for topic in names
        if (label := getattr(row, f"stance_{topic}")) != NOT_ADDRESSED
    )
    review = Markup("") if row.reviewed else Markup(' <span class="eo-unreviewed">not reviewed</span>')
    meta = Markup("<span class='eo-meta'>{} · VADER {:+.2f} · TextBlob {:+.2f} · {}</span>").format(
        row.id, row.vader_compound, row.tb_polarity, row.epistemic
    )
    sub = Markup('<ol class="eo-nested">{}</ol>').format(nested) if nested else ""
    return Markup("<li>{}{}<br>{} {}{}{}</li>").format(within, quoted, tags, meta, review, sub)


def _hex(value: str) -> str:
    """A palette colour as ``#rrggbb``, or grey: nothing else reaches a style attribute."""
    return value if re.fullmatch(r"#[0-9a-fA-F]{6}", value) else "#777777"


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
