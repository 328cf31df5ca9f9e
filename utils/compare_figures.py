"""Figures of a comparison for notebooks: where the people stand, when they said it, in what tone.

Matplotlib, in :mod:`utils.viz`'s colours (one colour per stance label everywhere), people's
labels filled and machine suggestions hollow or hatched, so the two are never read as one;
every figure comes with a text alternative that says in words what it shows. Tone and
certainty are drawn in their own figure, beside the stance, never as the stance.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from utils.positions import ADDRESSED, DIRECTIONS, PEOPLE, Positions
from utils.viz import STANCE_COLOURS, WIDE, empty_figure, short_label

_LEVEL = {"favor": 0.3, "mixed": 0.1, ADDRESSED: 0.0, "neutral": -0.1, "against": -0.3}


def plot_stance(positions: Positions) -> tuple[Figure, str]:
    """Per proposition and person, the labels people gave (solid) above the suggestions (hatched)."""
    title = "Where they stand"
    counts = _counts(positions)
    if counts.empty:
        return empty_figure(title, "No labels or suggestions on any proposition yet")
    fig, ax = plt.subplots(figsize=(WIDE.width, 0.9 + 0.42 * len(counts)))
    left = pd.Series(0.0, index=counts.index)
    suggested = pd.Series([source != PEOPLE for _, _, source in counts.index], index=counts.index)
    rows = pd.Series(range(len(counts)), index=counts.index)
    for label in (*DIRECTIONS, ADDRESSED):
        if label not in counts:
            continue
        for machine in (False, True):
            these = suggested == machine
            ax.barh(
                rows[these],
                counts.loc[these, label],
                left=left[these],
                color=STANCE_COLOURS[label],
                hatch="//" if machine else None,
                edgecolor="white",
                label=None if machine else ("mentions (suggested)" if label == ADDRESSED else label),
            )
        left += counts[label]
    ax.set_yticks(range(len(counts)), [_row_name(*key) for key in counts.index])
    ax.invert_yaxis()
    ax.set_xlabel("statements (hatched: machine suggestions, not findings)")
    ax.set_title(title)
    ax.legend(loc="lower right", fontsize=9)
    fig.tight_layout()
    return fig, _stance_alt(counts)


def _counts(positions: Positions) -> pd.DataFrame:
    marks = positions.marks
    if marks.empty:
        return pd.DataFrame()
    number = {p: i for i, p in enumerate(positions.propositions, start=1)}
    person = dict(zip(positions.people["who"], positions.people["person"], strict=True))
    keys = pd.DataFrame(
        {
            "proposition": marks["proposition"].map(number),
            "person": marks["who"].map(person),
            "source": marks["source"].where(marks["source"] == PEOPLE, "suggestion"),
            "label": marks["label"],
        }
    )
    order = {name: i for i, name in enumerate(positions.people["person"])}
    table = keys.groupby(["proposition", "person", "source"])["label"].value_counts().unstack(fill_value=0)
    return table.sort_index(key=lambda level: level.map(order) if level.name == "person" else level)


def _row_name(proposition: int, person: str, source: str) -> str:
    return f"P{proposition} · {short_label(person, 24)}" + (" (suggested)" if source != PEOPLE else "")


def _stance_alt(counts: pd.DataFrame) -> str:
    rows = [
        _row_name(*key) + ": " + ", ".join(f"{int(n)} {label}" for label, n in row.items() if n)
        for key, row in counts.iterrows()
    ]
    return "Stance counts per proposition and person. " + "; ".join(rows) + "."


def plot_timelines(positions: Positions) -> tuple[Figure, str]:
    """A row per proposition for each person, on one shared date axis: when each label and suggestion fell."""
    title = "Stance over time"
    dated = positions.marks[positions.marks["day"].notna()]
    if dated.empty:
        return empty_figure(title, "No dated statement carries a label or a suggestion")
    if dated["day"].nunique() == 1:
        return empty_figure(
            title, f"All labelled statements carry one date ({_one_date(positions)}): nothing to follow"
        )
    people = list(positions.people.itertuples(index=False))
    fig, axes = plt.subplots(
        len(people),
        1,
        figsize=(WIDE.width, 1.0 + 0.55 * len(people) * len(positions.propositions)),
        sharex=True,
        squeeze=False,
    )
    number = {p: i for i, p in enumerate(positions.propositions)}
    for ax, person in zip(axes[:, 0], people, strict=True):
        mine = dated[dated["who"] == person.who]
        for mark in mine.itertuples(index=False):
            colour = STANCE_COLOURS[mark.label]
            filled = mark.source == PEOPLE
            ax.scatter(
                pd.Timestamp(mark.day),
                number[mark.proposition] + _LEVEL[mark.label],
                s=46,
                facecolors=colour if filled else "none",
                edgecolors=colour,
                linewidths=1.6,
            )
        ax.set_yticks(
            range(len(positions.propositions)), [f"P{i + 1}" for i in range(len(positions.propositions))]
        )
        ax.set_ylim(len(positions.propositions) - 0.5, -0.5)
        ax.set_title(short_label(person.person, 60), fontsize=12, loc="left")
    fig.suptitle(f"{title} (filled: people's labels; hollow: suggestions)", fontsize=13)
    shown = [label for label in (*DIRECTIONS, ADDRESSED) if label in set(dated["label"])]
    handles = [Patch(color=STANCE_COLOURS[label], label=label) for label in shown]
    axes[0, 0].legend(handles=handles, fontsize=9, loc="upper right", ncols=len(handles))
    fig.autofmt_xdate()
    fig.tight_layout()
    spread = ", ".join(f"{short_label(p.person, 40)} {int((dated['who'] == p.who).sum())}" for p in people)
    return fig, f"{title}: dated labels and suggestions per person and proposition ({spread})."


def _one_date(positions: Positions) -> str:
    dates = positions.statements["date"]
    return str(dates[positions.statements["day"].notna()].iloc[0])


def plot_tone(positions: Positions) -> tuple[Figure, str]:
    """Mean tone (VADER) and certainty per period and person, on one date axis: beside the stance."""
    title = "Tone and certainty over time"
    tone = positions.tone
    if tone.empty:
        return empty_figure(title, "No statement has a date")
    if tone["period"].nunique() == 1:
        return empty_figure(
            title, f"All statements carry one date ({_one_date(positions)}): nothing to follow"
        )
    axis = positions.axis
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(WIDE.width, 5.6), sharex=True)
    for person in positions.people.itertuples(index=False):
        mine = tone[tone["who"] == person.who]
        when = [pd.Timestamp(p) for p in mine["period"]]
        name = short_label(person.person, 28)
        top.plot(when, mine["vader"], marker="o", label=name)
        bottom.plot(when, mine["certainty"], marker="o", label=name)
    top.set_ylabel("VADER, mean")
    bottom.set_ylabel("certainty, mean")
    for ax in (top, bottom):
        ax.axhline(0, color="#999", linewidth=0.8)
        ax.set_ylim(-1.05, 1.05)
    top.set_title(
        f"{title}, by {axis.unit if axis else 'period'} (lexicon readings, not stance)", fontsize=13
    )
    top.legend(fontsize=9)
    fig.autofmt_xdate()
    fig.tight_layout()
    dated = positions.statements[positions.statements["period"].notna()]
    means = (
        dated.reindex(columns=["vader_compound", "certainty"])
        .apply(pd.to_numeric, errors="coerce")
        .groupby(dated["who"])
        .mean()
    )
    names = dict(zip(positions.people["who"], positions.people["person"], strict=True))
    said = "; ".join(
        f"{short_label(names[w], 40)}: tone {row.vader_compound:+.2f}, certainty {row.certainty:+.2f}"
        for w, row in means.iterrows()
    )
    return fig, f"{title}, means per {axis.unit if axis else 'period'}. Over all dated statements: {said}."
