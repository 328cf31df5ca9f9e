"""People's decisions applied to a corpus dataset that already exists, and its side tables.

A decision made after a corpus run (``opinions people DATASET --merge ...``, the workbench's people
view) must reach every later reader at once, without re-reading the articles: the dataset's
``person_id`` and ``person`` columns are rewritten, part by part, and the new dataset is swapped in
whole (:func:`utils.files.write_folder_atomic`), keeping its side tables and its mark. Applying a
decision twice changes nothing, so the whole table is applied every time.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from utils.errors import InputError
from utils.files import DATASET_MARK, MAX_SIDECAR_BYTES, is_tool_folder, read_regular, write_folder_atomic
from utils.outputs import check_dataset_output
from utils.people.cluster import Identity
from utils.people.decisions import Decision, apply_decisions, decisions_path
from utils.people.registry import _connect, parquet_source

STANCE_FILE = "_stance.parquet"  # people's stance labels of the reviewed articles (utils.corpus writes it)


def apply_to_dataset(dataset: str | Path, decisions: list[Decision]) -> int:
    """Rewrite the dataset's people columns after ``decisions``; the number of rows that changed person."""
    current = dataset_identities(dataset)
    after = apply_decisions(current, decisions).identities
    return rewrite_identities(dataset, {key: i for key, i in after.items() if i != current[key]})


def dataset_identities(dataset: str | Path) -> dict[tuple[str, str], Identity]:
    """Who each (article_id, speaker) of a dataset this tool wrote is now."""
    path = tool_dataset(dataset)
    with _connect() as con:
        pairs = con.execute(
            f"SELECT DISTINCT article_id, speaker, person_id, person FROM {parquet_source(path)}"
        ).fetchall()
    return {(a, s): Identity(pid, person, _kind(pid)) for a, s, pid, person in pairs}


def rewrite_identities(dataset: str | Path, changed: Mapping[tuple[str, str], Identity]) -> int:
    """Give these (article_id, speaker) pairs these identities, part by part, and swap the new dataset
    in whole; the number of rows that changed. Nothing is written when nothing changes."""
    path = tool_dataset(dataset)
    if not changed:
        return 0
    check_dataset_output(path)
    count = 0

    def fill(staging: Path) -> None:
        nonlocal count
        for part in sorted(path.iterdir()):
            if part.name == DATASET_MARK:
                continue
            if part.suffix != ".parquet" or part.name.startswith("_"):
                shutil.copy2(part, staging / part.name)
                continue
            frame = pd.read_parquet(part)
            keys = list(zip(frame["article_id"], frame["speaker"], strict=True))
            moved = [changed.get(k) for k in keys]
            count += sum(m is not None for m in moved)
            frame["person_id"] = [
                m.person_id if m else p for m, p in zip(moved, frame["person_id"], strict=True)
            ]
            frame["person"] = [m.person if m else p for m, p in zip(moved, frame["person"], strict=True)]
            frame.to_parquet(staging / part.name, index=False)

    write_folder_atomic(path, fill, _about(path))
    return count


def tool_dataset(dataset: str | Path) -> Path:
    """The dataset's folder, or a one-line error when this tool did not write it (people's decisions
    are applied only to a dataset the tool may replace)."""
    path = Path(dataset)
    if not path.is_dir() or not is_tool_folder(path):
        raise InputError(
            path,
            "is not a corpus dataset this tool wrote, so people's decisions cannot be applied to it",
            "make one with `opinions corpus FOLDER -o DATASET`",
        )
    return path


def _kind(person_id: str) -> str:
    return "organisation" if person_id.startswith("o-") else "person" if person_id else "nobody"


def _about(path: Path) -> dict[str, object]:
    """What the dataset's mark said about it (rows, failures, the articles folder), to keep."""
    try:
        mark = json.loads(read_regular(path / DATASET_MARK, MAX_SIDECAR_BYTES, "dataset mark"))
    except (ValueError, InputError):
        return {}
    return (
        {k: v for k, v in mark.items() if k not in ("written_by", "files")} if isinstance(mark, dict) else {}
    )


def decisions_of(dataset: str | Path) -> Path | None:
    """The decisions table of the articles folder a dataset was made from (its mark says which)."""
    source = _about(Path(dataset)).get("articles") if (Path(dataset) / DATASET_MARK).is_file() else None
    return decisions_path(source) if isinstance(source, str) and source else None


def dataset_stance(dataset: str | Path) -> pd.DataFrame | None:
    """People's stance labels that came with the dataset (``_stance.parquet``), or None."""
    side = Path(dataset) / STANCE_FILE
    return pd.read_parquet(side) if Path(dataset).is_dir() and side.is_file() else None
