"""Figures and readable views of the analysis table.

One palette per speaker (the same colour for a person in every figure) and one per
stance label; colours are from the colour-blind-safe Okabe-Ito and seaborn
"colorblind" sets. Every figure has a title, labelled axes and a text alternative
(``alt``) that says in words what it shows, for screen readers and for readers of the
HTML report who cannot see the image.
"""

from __future__ import annotations

import io
import re
import textwrap
from collections.abc import Sequence

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from markupsafe import Markup
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from utils.schema import NOT_ADDRESSED, STANCE_LABELS
from utils.stance import STANCE_SCORES

STANCE_COLOURS = {
    "favor": "#0072B2",
    "against": "#D55E00",
    "mixed": "#CC79A7",
    "neutral": "#7F7F7F",
    NOT_ADDRESSED: "#D9D9D9",
}
EPISTEMIC_COLOURS = {"hedged": "#56B4E9", "balanced": "#B3B3B3", "unmarked": "#E6E6E6", "certain": "#E69F00"}
SCORERS = {"tb_polarity": "TextBlob polarity", "vader_compound": "VADER compound"}
sns.set_theme(context="notebook", style="whitegrid", font_scale=1.05)


def speaker_palette(table: pd.DataFrame) -> dict[str, str]:
    """A fixed colour per speaker so a person looks the same in every figure.

    Experts take the first, most distinct colours (in order of appearance), then everyone else.
    """
    ordered = pd.concat([table.loc[table["role"] == "expert", "speaker"], table["speaker"]])
    names = list(dict.fromkeys(ordered))
    base = sns.color_palette("colorblind", 10).as_hex()
    extra = sns.color_palette("husl", max(len(names) - len(base), 0)).as_hex()
    return dict(zip(names, base + extra, strict=False))


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
    """Statements per speaker, direct quotes solid and paraphrases light, most quoted on top."""
    if table.empty:
        return empty_figure("Who is quoted, and how")
    counts = pd.crosstab(table["speaker"], table["kind"]).reindex(
        columns=["direct", "paraphrase"], fill_value=0
    )
    counts = counts.loc[counts.sum(axis=1).sort_values(kind="stable").index]
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(counts) + 1.6))
    colours = [palette.get(s, "#777777") for s in counts.index]
    ax.barh(counts.index, counts["direct"], color=colours, label="direct quote")
    ax.barh(
        counts.index,
        counts["paraphrase"],
        left=counts["direct"],
        color=colours,
        alpha=0.4,
        label="paraphrase",
    )
    ax.set(title="Who is quoted, and how", xlabel="statements", ylabel="")
    ax.grid(axis="y", visible=False)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(
        handles=[
            Patch(color="#555555", label="direct quote"),
            Patch(color="#555555", alpha=0.4, label="paraphrase"),
        ],
        loc="lower right",
    )
    alt = "Bar chart of statements per speaker: " + "; ".join(
        f"{s} {r.direct} direct, {r.paraphrase} paraphrased" for s, r in counts[::-1].iterrows()
    )
    return fig, alt


def plot_stance_matrix(
    table: pd.DataFrame, topics: pd.DataFrame, speakers: Sequence[str]
) -> tuple[Figure, str]:
    """Speakers side by side on every topic: mean stance (+1 favor, -1 against) and how many statements."""
    if not len(speakers) or topics.empty:
        return empty_figure("Where each speaker stands, topic by topic")
    rows, cols = list(speakers), list(topics["topic"])
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
    fig, ax = plt.subplots(figsize=(2.3 * len(cols) + 3, 0.9 * len(rows) + 2))
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
        annot_kws={"fontsize": 9},
        cbar_kws={"label": "mean stance (−1 against … +1 favor)"},
    )
    ax.set_facecolor(STANCE_COLOURS[NOT_ADDRESSED])
    ax.grid(False)
    ax.set_xticklabels([_wrap(p, 22) for p in topics["proposition"]], rotation=0)
    ax.set(
        title="Where each speaker stands, topic by topic",
        xlabel="topic (proposition); grey: not addressed",
        ylabel="",
    )
    alt = "Heatmap of mean stance per speaker and topic. " + " ".join(
        f"{s}: " + ", ".join(f"{t} {scores.loc[s, t]:+.1f}" for t in cols if pd.notna(scores.loc[s, t])) + "."
        for s in rows
    )
    return fig, alt


def plot_sentiment_vs_stance(
    table: pd.DataFrame, topic: pd.Series, speakers: Sequence[str]
) -> tuple[Figure, str]:
    """Each statement's lexicon sentiment (both scorers) coloured by the human stance on one topic.

    Points of the "against" colour on the positive side are statements the lexicons read
    the wrong way round; the figure exists to make that visible. Where the labels are
    automatic suggestions (themselves read from VADER) the figure says so in its title.
    """
    if not len(speakers):
        return empty_figure("Lexicon sentiment vs human stance")
    column = f"stance_{topic['topic']}"
    subset = table[table["speaker"].isin(speakers)]
    judge = "human" if (subset["stance_source"] == "curated").all() else "suggested"
    caveat = "" if judge == "human" else "\n(suggested labels are automatic and partly read from VADER)"
    long = subset.melt(
        id_vars=["speaker", column], value_vars=list(SCORERS), var_name="scorer", value_name="score"
    )
    long["scorer"] = long["scorer"].map(SCORERS)
    long = long.rename(columns={column: "stance"})
    grid = sns.catplot(
        data=long,
        x="score",
        y="speaker",
        hue="stance",
        col="scorer",
        kind="strip",
        order=list(speakers),
        hue_order=[*STANCE_LABELS, NOT_ADDRESSED],
        palette=STANCE_COLOURS,
        size=9,
        jitter=0.15,
        height=0.6 * len(speakers) + 2.2,
        aspect=1.1,
        edgecolor="black",
        linewidth=0.5,
    )
    for ax in grid.axes.flat:
        ax.axvline(0, color="black", linewidth=0.8)
        ax.set_xlim(-1.05, 1.05)
    grid.set_axis_labels("sentiment score (−1 negative … +1 positive)", "")
    grid.set_titles("{col_name}")
    grid.figure.suptitle(f"Lexicon sentiment vs {judge} stance on “{topic['proposition']}”{caveat}", y=1.03)
    grid.legend.set_title(f"{judge} stance")
    clashes = contradictions(subset, column)
    listed = "; ".join(
        f"{r.speaker}: {r.stance} yet {r.scorer} {r.score:+.2f}"
        for r in clashes.rename(columns={column: "stance"}).itertuples()
    )
    alt = (
        f"Dot plots of TextBlob and VADER sentiment per statement for {', '.join(speakers)}, coloured by "
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
    """How sure each speaker sounds: statements by epistemic label, with the mean certainty score."""
    if not len(speakers):
        return empty_figure("Hedged or certain? Epistemic cues per speaker")
    subset = table[table["speaker"].isin(speakers)]
    counts = pd.crosstab(subset["speaker"], subset["epistemic"]).reindex(
        index=list(speakers), columns=list(EPISTEMIC_COLOURS), fill_value=0
    )
    fig, ax = plt.subplots(figsize=(8.5, 0.55 * len(speakers) + 1.8))
    left = pd.Series(0, index=counts.index)
    for label, colour in EPISTEMIC_COLOURS.items():
        ax.barh(counts.index, counts[label], left=left, color=colour, label=label, edgecolor="white")
        left = left + counts[label]
    means = subset.groupby("speaker")["certainty"].mean().reindex(counts.index)
    for y, (speaker, mean) in enumerate(means.items()):
        ax.text(left[speaker] + 0.15, y, f"mean {mean:+.2f}", va="center", fontsize=9)
    ax.invert_yaxis()
    ax.set(
        title="Hedged or certain? Epistemic cues per speaker",
        xlabel="statements",
        ylabel="",
        xlim=(0, left.max() + 2.2),
    )
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.grid(axis="y", visible=False)
    ax.legend(title="statement is", loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=9)
    alt = "Stacked bars of statements per speaker by certainty: " + "; ".join(
        f"{s}: "
        + ", ".join(f"{counts.loc[s, lab]} {lab}" for lab in EPISTEMIC_COLOURS if counts.loc[s, lab])
        + f" (mean {means[s]:+.2f})"
        for s in counts.index
    )
    return fig, alt


def statements_html(
    table: pd.DataFrame, speakers: Sequence[str], topics: pd.DataFrame, palette: dict[str, str]
) -> Markup:
    """Each speaker's statements as readable text, with kind, stance tags, sentiment and certainty.

    Built with markupsafe: every value from the table is escaped where it is inserted.
    """
    if not len(speakers):
        return Markup("<p>No attributed statements were found in this article.</p>")
    names = dict(zip(topics["topic"], topics["proposition"], strict=True))
    cards = []
    for speaker in speakers:
        rows = table[table["speaker"] == speaker]
        if rows.empty:
            continue
        items = Markup("").join(_statement_item(r, names) for r in rows.itertuples(index=False))
        cards.append(
            Markup(
                '<section class="eo-card" style="border-left:6px solid {colour}">'
                "<h4>{speaker} <small>{affiliation}</small></h4><ol>{items}</ol></section>"
            ).format(
                colour=_hex(palette.get(speaker, "")),
                speaker=speaker,
                affiliation=rows["affiliation"].iloc[0],
                items=items,
            )
        )
    return Markup('<div class="eo-cards">{}</div>').format(Markup("").join(cards))


def _statement_item(row, names: dict[str, str]) -> Markup:
    quoted = (
        Markup("“{}”").format(row.text)
        if row.kind == "direct"
        else Markup("<i>(paraphrase)</i> {}").format(row.text)
    )
    tag = Markup('<span class="eo-tag" style="background:{}" title="{}">{}: {}</span>')
    tags = Markup("").join(
        tag.format(STANCE_COLOURS.get(label, "#777777"), proposition, topic, label)
        for topic, proposition in names.items()
        if (label := getattr(row, f"stance_{topic}")) != NOT_ADDRESSED
    )
    meta = Markup("<span class='eo-meta'>VADER {:+.2f} · TextBlob {:+.2f} · {}</span>").format(
        row.vader_compound, row.tb_polarity, row.epistemic
    )
    return Markup("<li>{}<br>{} {}</li>").format(quoted, tags, meta)


def _hex(value: str) -> str:
    """A palette colour as ``#rrggbb``, or grey: nothing else reaches a style attribute."""
    return value if re.fullmatch(r"#[0-9a-fA-F]{6}", value) else "#777777"


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width))


def plot_top_speakers(top: pd.DataFrame) -> tuple[Figure, str]:
    """The most quoted people across a corpus: statements, and in how many articles."""
    if top.empty:
        return empty_figure("Most quoted people")
    ordered = top.iloc[::-1]
    fig, ax = plt.subplots(figsize=(8, 0.4 * len(top) + 1.6))
    ax.barh(ordered["speaker"], ordered["statements"], color="#0072B2")
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
            row.speaker,
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
