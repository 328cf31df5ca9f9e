"""Figures of a coverage for notebooks: who is quoted, by source type, over time and by outlet.

Matplotlib, one colour per source type (``utils/people/source-type-colours.tsv``), each figure with a
text alternative that says in words what it shows; a figure with nothing to show says so instead of
drawing empty axes.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from utils.people.data import load_table
from utils.viz import WIDE, empty_figure

COLOURS = {row["source_type"]: row["colour"] for row in load_table("source-type-colours")}
MAX_OUTLETS = 15


def plot_quoted_by(counts: pd.DataFrame, by: str) -> tuple[Figure, str]:
    """Stacked bars of statements per month (``by="month"``) or outlet, one colour per source type."""
    title = "Who is quoted, month by month" if by == "month" else "Who is quoted, outlet by outlet"
    if counts.empty:
        missing = "dates" if by == "month" else "outlets"
        return empty_figure(title, f"No statement has {missing}: add a MANIFEST.csv or sidecars")
    wide = counts.pivot_table(
        index=by, columns="source_type", values="statements", aggfunc="sum", fill_value=0
    )
    wide = wide[[t for t in COLOURS if t in wide.columns]]
    if by == "outlet":
        wide = wide.loc[wide.sum(axis=1).sort_values(ascending=False).index[:MAX_OUTLETS]].iloc[::-1]
    fig, ax = plt.subplots(figsize=(WIDE.width, 3.2 if by == "month" else 0.8 + 0.35 * len(wide)))
    wide.plot(
        kind="bar" if by == "month" else "barh",
        stacked=True,
        ax=ax,
        width=0.8,
        color=[COLOURS[t] for t in wide.columns],
        edgecolor="white",
    )
    ax.set_title(title)
    ax.set_xlabel("" if by == "month" else "statements")
    ax.set_ylabel("statements" if by == "month" else "")
    ax.legend(title="source type", fontsize=8, title_fontsize=8, loc="upper left", bbox_to_anchor=(1, 1))
    fig.tight_layout()
    return fig, _alt(wide, by)


def _alt(wide: pd.DataFrame, by: str) -> str:
    totals = wide.sum()
    parts = ", ".join(f"{t} {int(n)}" for t, n in totals.sort_values(ascending=False).items() if n)
    busiest = wide.sum(axis=1).idxmax()
    return f"Statements by source type over {len(wide)} {by}s ({parts}); the most in {busiest}."
