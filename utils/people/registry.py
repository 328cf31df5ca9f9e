"""The registry of a corpus dataset, and the questions asked of it, answered by DuckDB over Parquet.

A corpus dataset (``opinions corpus -o DATASET``) has one row per statement with its
``person_id`` and ``person``; the registry has one row per person: ``person_id, person,
aliases, source_type, source_type_why, roles, statements, articles, outlets, first_date,
last_date``. Nothing here loads the whole corpus into pandas: DuckDB scans the Parquet files
and only the per-person results (or one person's statements) come back as tables, so a
million statements cost seconds and a few hundred megabytes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path

import pandas as pd

from utils.errors import InputError
from utils.people.names import fold
from utils.people.roles import source_type

REGISTRY_COLUMNS = [
    "person_id",
    "person",
    "kind",
    "aliases",
    "source_type",
    "source_type_why",
    "roles",
    "statements",
    "articles",
    "outlets",
    "first_date",
    "last_date",
]
MAX_ROLES = 5  # affiliations listed per person, most frequent first


def parquet_source(dataset: str | Path) -> str:
    """The DuckDB table expression for a dataset folder's Parquet files (not the ``_``-named side
    tables such as ``_stance.parquet``, which pandas and pyarrow skip too) or a single Parquet file."""
    path = Path(dataset)
    if path.is_dir():
        parts = sorted(p for p in path.glob("*.parquet") if not p.name.startswith(("_", ".")))
        if not parts:
            raise InputError(path, "holds no Parquet files", "give what `opinions corpus -o` wrote")
        files = ", ".join(_literal(str(p)) for p in parts)
        return f"read_parquet([{files}], union_by_name = true)"
    if path.suffix.lower() == ".parquet" and path.is_file():
        return "read_parquet(" + _literal(str(path)) + ")"
    problem = "no such file or folder" if not path.exists() else "is not a Parquet file or dataset folder"
    raise InputError(path, problem, "give what `opinions corpus -o` wrote, or a .parquet file")


VECTOR_ROWS = 2048  # DuckDB hands results over in vectors of this many rows


def dataset_batches(
    dataset: str | Path,
    columns: Sequence[str],
    where: str = "",
    params: Sequence[object] = (),
    rows: int = 100_000,
) -> Iterator[pd.DataFrame]:
    """The rows of a dataset (``columns``, optionally filtered by a ``WHERE`` clause with ``?``
    parameters) in frames of ``rows``: a scan of the whole coverage that never holds all of it."""
    source = parquet_source(dataset)
    selected = ", ".join('"' + c.replace('"', '""') + '"' for c in columns)
    with _connect() as con:
        query = f"SELECT {selected} FROM {source}" + (f" WHERE {where}" if where else "")
        result = con.execute(query, list(params))
        while not (frame := result.fetch_df_chunk(max(1, rows // VECTOR_ROWS))).empty:
            yield frame


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _connect():
    import duckdb

    con = duckdb.connect(config={"threads": 2, "memory_limit": "2GB"})
    con.execute("SET enable_progress_bar = false")  # it would land in a command's printed table
    return con


def build_registry(
    dataset: str | Path, types: dict[str, str] | None = None, only: list[str] | None = None
) -> pd.DataFrame:
    """One row per person and organisation of the dataset (``types``: source types people set;
    ``only``: just these ids)."""
    source = parquet_source(dataset)
    where = "person_id <> ''" + (" AND person_id IN (SELECT unnest($ids))" if only is not None else "")
    params = {"ids": only} if only is not None else {}
    with _connect() as con:
        people = con.execute(
            f"""
            SELECT person_id, any_value(person) AS person,
                   CASE WHEN person_id LIKE 'o-%' THEN 'organisation' ELSE 'person' END AS kind,
                   string_agg(DISTINCT speaker, '; ' ORDER BY speaker) AS aliases,
                   count(*) AS statements, count(DISTINCT article_id) AS articles,
                   count(DISTINCT nullif(outlet, '')) AS outlets,
                   coalesce(min(nullif(date, '')), '') AS first_date,
                   coalesce(max(nullif(date, '')), '') AS last_date
            FROM {source} WHERE {where} GROUP BY person_id""",
            params,
        ).df()
        roles = con.execute(
            f"""SELECT person_id, affiliation, count(*) AS n FROM {source}
                WHERE {where} GROUP BY person_id, affiliation""",
            params,
        ).fetchall()
    return _with_roles(people, roles, types or {})


def _with_roles(
    people: pd.DataFrame, roles: list[tuple[str, str, int]], types: dict[str, str]
) -> pd.DataFrame:
    """Add the roles column ("senator (12); candidate (3)") and the source type with its reason."""
    seen: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for person_id, affiliation, n in roles:
        seen[person_id].append((affiliation, n))
    listed, kinds, why = [], [], []
    for person_id, kind in zip(people["person_id"], people["kind"], strict=True):
        counts = sorted(((a, n) for a, n in seen[person_id] if a), key=lambda an: (-an[1], an[0]))
        listed.append("; ".join(f"{a} ({n})" for a, n in counts[:MAX_ROLES]))
        affiliations = [a for a, n in counts for _ in range(n)]
        found, reason = source_type(kind, affiliations)
        if person_id in types:
            found, reason = types[person_id], "set by people"
        kinds.append(found)
        why.append(reason)
    people = people.assign(roles=listed, source_type=kinds, source_type_why=why)
    people = people.sort_values(["statements", "person_id"], ascending=[False, True], kind="stable")
    return people[REGISTRY_COLUMNS].reset_index(drop=True)


def find_person(dataset: str | Path, query: str) -> tuple[str, str]:
    """(person_id, person) for an id or a name ("Hillary Clinton", case and accents ignored).

    A name several people share is refused with the candidates listed, so a dossier is never
    made for the wrong person.
    """
    source = parquet_source(dataset)
    with _connect() as con:
        names = con.sql(
            f"""SELECT person_id, any_value(person), string_agg(DISTINCT speaker, '\x1f'), count(*)
                FROM {source} WHERE person_id <> '' GROUP BY person_id"""
        ).fetchall()
    wanted = fold(query)
    by_id = [(pid, person) for pid, person, _forms, _n in names if pid == query.strip()]
    if by_id:
        return by_id[0]
    hits = [
        (pid, person, n)
        for pid, person, forms, n in names
        if wanted == fold(person) or wanted in {fold(f) for f in forms.split("\x1f")}
    ]
    if len(hits) == 1:
        return hits[0][0], hits[0][1]
    if not hits:
        raise InputError(
            dataset, f"nobody called {query!r} is quoted in it", "list the people with `opinions people`"
        )
    listed = "; ".join(
        f"{pid} ({person}, {n} statements)" for pid, person, n in sorted(hits, key=lambda h: -h[2])
    )
    raise InputError(dataset, f"{query!r} is more than one person: {listed}", "give the person_id instead")


def statements_by(dataset: str | Path, person_id: str) -> pd.DataFrame:
    """Every statement of one person, in date order (undated last), with its article's metadata."""
    source = parquet_source(dataset)
    with _connect() as con:
        return con.execute(
            f"""SELECT * FROM {source} WHERE person_id = ?
                ORDER BY nullif(date, '') NULLS LAST, article_id, start""",
            [person_id],
        ).df()


def quoted_about(dataset: str | Path, word: str, limit: int = 50) -> pd.DataFrame:
    """Who is quoted about a word: people with statements containing it (whole word, any case)."""
    source = parquet_source(dataset)
    pattern = r"(?i)\b" + "".join("\\" + c if not c.isalnum() else c for c in word.strip()) + r"\b"
    with _connect() as con:
        return con.execute(
            f"""SELECT person_id, any_value(person) AS person, count(*) AS statements,
                       count(DISTINCT article_id) AS articles
                FROM {source} WHERE person_id <> '' AND regexp_matches(text, ?)
                GROUP BY person_id ORDER BY statements DESC, person_id LIMIT ?""",
            [pattern, limit],
        ).df()


def co_quoted(dataset: str | Path, person_id: str, limit: int = 12) -> pd.DataFrame:
    """The people quoted most often in the same articles as ``person_id``: ``person_id, person,
    articles`` (shared articles) and ``article_ids`` (space-separated)."""
    source = parquet_source(dataset)
    with _connect() as con:
        return con.execute(
            f"""WITH mine AS (SELECT DISTINCT article_id FROM {source} WHERE person_id = $id)
                SELECT o.person_id, any_value(o.person) AS person, count(DISTINCT o.article_id) AS articles,
                       string_agg(DISTINCT o.article_id, ' ' ORDER BY o.article_id) AS article_ids
                FROM {source} o JOIN mine USING (article_id)
                WHERE o.person_id <> '' AND o.person_id <> $id
                GROUP BY o.person_id ORDER BY articles DESC, o.person_id LIMIT $limit""",
            {"id": person_id, "limit": limit},
        ).df()


def quoted_by(dataset: str | Path, by: str, types: dict[str, str]) -> pd.DataFrame:
    """Statements per ``by`` (``month`` or ``outlet``) and source type: ``<by>, source_type, statements``.

    ``types`` gives each person id's source type (the registry's ``source_type``); statements whose
    speaker names nobody ("officials") count as ``unnamed``; undated or outlet-less rows are left out.
    """
    if by not in ("month", "outlet"):
        raise ValueError(f"quoted_by: by must be month or outlet, not {by!r}")
    key = "substr(date, 1, 7)" if by == "month" else "outlet"
    with _connect() as con:
        counts = con.execute(
            f"""SELECT {key} AS {by}, person_id, count(*) AS statements FROM {parquet_source(dataset)}
                WHERE {key} <> '' AND {key} IS NOT NULL GROUP BY ALL"""
        ).df()
    counts["source_type"] = [types.get(p, "other") if p else "unnamed" for p in counts["person_id"]]
    grouped = counts.groupby([by, "source_type"], as_index=False)["statements"].sum()
    return grouped.sort_values([by, "source_type"], kind="stable").reset_index(drop=True)


def coverage_summary(dataset: str | Path) -> dict[str, object]:
    """Counts that describe a corpus dataset: articles (and how many dated), outlets, statements (and
    how many reviewed by people, how many name somebody), the first and last date."""
    source = parquet_source(dataset)
    reviewed = "count(*) FILTER (WHERE coalesce(reviewed_by, '') <> '')"
    with _connect() as con:
        columns = {row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()}
        row = con.execute(
            f"""SELECT count(DISTINCT article_id), count(DISTINCT article_id) FILTER (WHERE date <> ''),
                       count(DISTINCT nullif(outlet, '')), count(*),
                       {reviewed if "reviewed_by" in columns else "0"},
                       count(*) FILTER (WHERE person_id <> ''),
                       coalesce(min(nullif(date, '')), ''), coalesce(max(nullif(date, '')), '')
                FROM {source}"""
        ).fetchone()
    keys = ("articles", "dated", "outlets", "statements", "reviewed", "named", "first_date", "last_date")
    return dict(zip(keys, row, strict=True))
