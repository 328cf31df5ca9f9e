"""Nested statements: a quoted fragment inside a paraphrase, an inner quote inside a quote.

Both are correct annotations and the data keeps them as rows, but a reader counting what
someone said should count the outer statement once: a *claim* is a statement that no
other statement of the same speaker contains. Containment is by character offsets.
"""

from __future__ import annotations

import pandas as pd

PLACE_COLUMNS = ["id", "speaker", "start", "end"]  # what nesting needs of a statements table


def parent_ids(table: pd.DataFrame) -> pd.Series:
    """Child id -> parent id: the shortest other statement of the same speaker containing it.

    Two rows with the same span nest the later under the earlier, so neither is lost
    and exactly one of them counts as a claim.
    """
    rows = table[PLACE_COLUMNS].reset_index(drop=True)
    parents: dict[str, str] = {}
    for position, row in rows.iterrows():
        around = rows[
            (rows["speaker"] == row["speaker"])
            & (rows["start"] <= row["start"])
            & (rows["end"] >= row["end"])
            & (rows.index != position)
        ]
        same_span = (around["start"] == row["start"]) & (around["end"] == row["end"])
        around = around[~same_span | (around.index < position)]
        if len(around):
            shortest = (around["end"] - around["start"]).sort_values(kind="stable").index[0]
            parents[row["id"]] = rows.at[shortest, "id"]
    return pd.Series(parents, dtype="object", name="parent").rename_axis("id")


def claims(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``table`` that are claims (not contained in another statement of their speaker)."""
    return table[~table["id"].isin(parent_ids(table).index)]


def grouped_order(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` ordered so that every nested row follows its parent (table order otherwise).

    Adds ``parent`` (the containing statement's id, "" for a claim) and ``depth`` (0 for a claim).
    """
    parents = parent_ids(table)
    parent = table["id"].map(lambda statement: parents.get(statement, ""))
    by_id = dict(zip(table["id"], parent, strict=True))

    def chain(statement: str) -> list[str]:
        path = [statement]
        while by_id.get(path[-1]) and len(path) <= len(by_id):
            path.append(by_id[path[-1]])
        return path[::-1]

    position = {statement: n for n, statement in enumerate(table["id"])}
    keys = [tuple(position[i] for i in chain(s)) for s in table["id"]]
    ordered = table.assign(parent=parent.to_numpy(), depth=[len(k) - 1 for k in keys])
    return ordered.iloc[sorted(range(len(keys)), key=keys.__getitem__)]
