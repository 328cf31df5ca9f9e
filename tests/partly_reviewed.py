"""An article people reviewed only in part, as `opinions accept` leaves one: a test data folder.

The bundled article is copied under a new id with its curated tables cut back to what a person
got through: the first :data:`REVIEWED` statements carry a reviewer's name, the first
:data:`LABELLED` of them stance labels (with their rationales); the rest are unreviewed and
unlabelled, so the report shows the machine's suggestions for them. Built from the bundled
tables so it needs nothing from ``../shared``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from tests.conftest import KURSK

ARTICLE = "kursk-partly"
REVIEWED, LABELLED, TOTAL = 20, 16, 37
REVIEWER = "ana"


def write_partly_reviewed(data: Path) -> str:
    """Put the partly reviewed article into the data folder ``data``; return its id."""
    for suffix in ("txt", "json"):
        shutil.copyfile(data / "articles" / f"{KURSK}.{suffix}", data / "articles" / f"{ARTICLE}.{suffix}")
    curated = data / "curated"
    statements = _read(curated / f"{KURSK}.statements.csv")
    statements["reviewed_by"] = [REVIEWER if n < REVIEWED else "" for n in range(len(statements))]
    labelled = set(statements["id"][:LABELLED])
    stance = _read(curated / f"{KURSK}.stance.csv")
    tables = {
        "statements": statements,
        "stance": stance[stance["id"].isin(labelled)],
        "topics": _read(curated / f"{KURSK}.topics.csv"),
        "speakers": _read(curated / f"{KURSK}.speakers.csv"),
    }
    for name, table in tables.items():
        table.to_csv(curated / f"{ARTICLE}.{name}.csv", index=False, encoding="utf-8")
    return ARTICLE


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
