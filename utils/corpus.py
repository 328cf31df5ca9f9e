"""Corpus runs: every article in a folder to one Parquet dataset, on one machine or a Dask cluster.

Articles are processed in batches of sorted file names, each article on its own, and the
rows are put back in file order, so the result does not depend on how the work is
scheduled or batched: in this process (``workers=1``),
on Dask's local process pool (the default), on a Dask ``LocalCluster``
(``scheduler="local"``) or on a running Dask cluster (``scheduler="tcp://host:8786"``).
A bad article is recorded as a failure and skipped; it never stops the run.

Speakers get a corpus-wide ``speaker_key`` so one person is one key across articles:
titles and case are dropped ("Dr. Robert Kagan" -> "robert kagan"), a nickname the
article itself introduces maps to the full name ('Robert "Bob" Kagan' makes
"bob kagan" -> "robert kagan"), and a bare surname joins the one full name in the
corpus that ends with it ("Kagan" -> "robert kagan").
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from utils.articles import ARTICLE_SUFFIXES, data_dir, load_article, slugify
from utils.errors import InputError
from utils.files import make_shareable
from utils.quotes import extract_statements
from utils.schema import CORPUS_COLUMNS, CORPUS_DTYPES, META_COLUMNS
from utils.sentiment import score_text
from utils.speakers import speaker_key
from utils.stance import certainty_fields

MAX_BATCH = 100  # articles per task: large enough that scheduling costs little, small enough to spread
# 'Robert "Bob" Kagan', "Robert (Bob) Kagan": the article introduces a nickname for a full name.
_NICKNAME = re.compile(r"\b([A-Z][a-z]+) [\"“(‘']([A-Z][a-z]+)[\"”)’'] ([A-Z][a-zA-Z'’\-]+)")


@dataclass(frozen=True)
class Batch:
    """Articles handed to one task: (path, metadata) pairs."""

    items: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]


@dataclass
class BatchResult:
    """What a task sends back: statement rows, nickname aliases and failed files."""

    rows: pd.DataFrame
    aliases: dict[str, str] = field(default_factory=dict)
    failures: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class CorpusSummary:
    """The outcome of a run, for the summary line and for tests."""

    articles: int
    statements: int
    failures: list[tuple[str, str]]
    seconds: float
    out: Path

    def line(self) -> str:
        """The one-line summary printed at the end of a run."""
        listed = "; ".join(f"{Path(f).name}: {m}" for f, m in self.failures[:3])
        more = " …" if len(self.failures) > 3 else ""
        failed = f", {len(self.failures)} failed ({listed}{more})" if self.failures else ", 0 failed"
        rate = self.articles / self.seconds if self.seconds else 0.0
        return (
            f"corpus: {self.articles} articles, {self.statements} statements{failed}, "
            f"{self.seconds:.1f} s ({rate:.0f} articles/s) -> {self.out}"
        )


def list_articles(folder: str | Path) -> list[Path]:
    """The article files of a folder (and its subfolders), in a fixed order."""
    folder = Path(folder)
    if not folder.is_dir():
        problem = "is a file, not a folder" if folder.exists() else "no such folder"
        raise InputError(folder, problem, "give a folder of .txt or .html articles")
    paths = sorted(
        p
        for p in folder.rglob("*")
        if p.suffix.lower() in ARTICLE_SUFFIXES
        and p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )
    if not paths:
        raise InputError(folder, "holds no .txt or .html articles", "check the folder")
    return paths


def read_manifest(folder: Path, manifest: str | Path | None = None) -> dict[str, dict[str, str]]:
    """Metadata by file name from a manifest CSV (default ``FOLDER/MANIFEST.csv``).

    Its columns: ``file`` and any of title, outlet, date, url.
    """
    path = Path(manifest) if manifest else folder / "MANIFEST.csv"
    if not path.is_file():
        if manifest:
            raise InputError(path, "manifest not found", "give a CSV with a 'file' column, or leave it out")
        return {}
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise InputError(path, f"is not a readable CSV ({exc})", "save it as UTF-8 CSV") from None
    if "file" not in table.columns:
        raise InputError(path, "has no 'file' column", "name the article file of each row in a 'file' column")
    keep = [c for c in META_COLUMNS if c in table.columns]
    return {row["file"]: {c: row[c] for c in keep if row[c]} for row in table.to_dict("records")}


def make_batches(paths: Sequence[Path], manifest: dict[str, dict[str, str]], workers: int = 1) -> list[Batch]:
    """Batches of (path, metadata): about eight per worker, at most ``MAX_BATCH`` articles each."""
    items = [(str(p), tuple(sorted(manifest.get(p.name, {}).items()))) for p in paths]
    size = min(MAX_BATCH, max(1, -(-len(items) // (8 * workers))))
    return [Batch(tuple(items[i : i + size])) for i in range(0, len(items), size)]


def process_batch(batch: Batch) -> BatchResult:
    """Extract and score every article of a batch (runs in a worker); failures are recorded, not raised."""
    rows: list[dict[str, object]] = []
    aliases: dict[str, str] = {}
    failures: list[tuple[str, str]] = []
    for path, meta in batch.items:
        try:
            found_rows, found_aliases = process_article(Path(path), dict(meta))
        except InputError as exc:
            failures.append((path, exc.problem))
            continue
        except Exception as exc:  # a bug on one article must not stop thousands of others
            failures.append((path, f"{type(exc).__name__}: {exc}"))
            continue
        rows.extend(found_rows)
        aliases.update(found_aliases)
    return BatchResult(_typed(rows), aliases, failures)


def process_article(path: Path, meta: dict[str, str]) -> tuple[list[dict[str, object]], dict[str, str]]:
    """One article's statements as rows with sentiment and certainty, plus the nicknames it introduces.

    Rows are plain dicts, not a DataFrame per article: at corpus scale the per-article
    table overhead costs more than the extraction itself.
    """
    article = load_article(path, article_id=slugify(path.stem))
    meta = {**article.meta, **meta}
    about = {
        "article_id": article.article_id,
        "file": path.name,
        "title": meta.get("title") or article.title,
        "outlet": meta.get("outlet", ""),
        "date": meta.get("date", ""),
        "url": meta.get("url", ""),
    }
    rows = []
    for number, statement in enumerate(extract_statements(article.text), start=1):
        rows.append(
            {
                **about,
                "id": f"a{number}",
                **dataclasses.asdict(statement),
                "speaker_key": speaker_key(statement.speaker),
                **score_text(statement.text),
                **certainty_fields(statement.text),
            }
        )
    aliases = {
        f"{nick} {last}".lower(): f"{first} {last}".lower()
        for first, nick, last in _NICKNAME.findall(article.text)
    }
    return rows, aliases


def _typed(rows: list[dict[str, object]]) -> pd.DataFrame:
    """Rows as a table with the corpus column types, also when there are none."""
    return pd.DataFrame(rows, columns=CORPUS_COLUMNS).astype(CORPUS_DTYPES)


def resolve_speaker_keys(keys: pd.Series, aliases: dict[str, str]) -> pd.Series:
    """One key per person across the corpus: nicknames to full names, bare surnames to the one full name."""
    keys = keys.replace(aliases)
    full = sorted({k for k in keys.unique() if " " in k})
    by_surname: dict[str, set[str]] = {}
    for key in full:
        by_surname.setdefault(key.rsplit(" ", 1)[1], set()).add(key)
    single = {surname: next(iter(names)) for surname, names in by_surname.items() if len(names) == 1}
    return keys.map(lambda k: single.get(k, k) if " " not in k else k)


def run_batches(
    batches: list[Batch], scheduler: str | None, workers: int, progress: Callable[[int], None]
) -> list[BatchResult]:
    """Run the batches in this process, on Dask's local process pool, or on a Dask cluster."""
    if scheduler:
        return _run_distributed(batches, scheduler, workers, progress)
    if workers <= 1:
        results = []
        for batch in batches:
            results.append(process_batch(batch))
            progress(len(batch.items))
        return results
    return _run_local_processes(batches, workers, progress)


def _run_local_processes(
    batches: list[Batch], workers: int, progress: Callable[[int], None]
) -> list[BatchResult]:
    import dask
    from dask.callbacks import Callback

    tasks = [dask.delayed(process_batch)(b, dask_key_name=f"batch-{i}") for i, b in enumerate(batches)]
    sizes = {f"batch-{i}": len(b.items) for i, b in enumerate(batches)}

    class _Progress(Callback):
        def _posttask(self, key, result, dsk, state, worker_id) -> None:
            progress(sizes.get(key, 0))

    with _Progress():
        return list(dask.compute(*tasks, scheduler="processes", num_workers=workers))


def _run_distributed(
    batches: list[Batch], scheduler: str, workers: int, progress: Callable[[int], None]
) -> list[BatchResult]:
    from distributed import Client, LocalCluster, as_completed

    if scheduler == "local":
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40
        )
        client = Client(cluster)
    else:
        cluster = None
        try:
            client = Client(scheduler, timeout="3s")
        except OSError as exc:
            raise InputError(
                scheduler,
                f"no Dask scheduler answers there ({exc})",
                "start one with `dask scheduler`, or use --scheduler local",
            ) from None
    try:
        futures = client.map(process_batch, batches, pure=False)
        index = {future.key: i for i, future in enumerate(futures)}
        results: list[BatchResult | None] = [None] * len(batches)
        for future in as_completed(futures):
            i = index[future.key]
            results[i] = future.result()
            progress(len(batches[i].items))
        return [r for r in results if r is not None]
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def combine(results: Iterable[BatchResult]) -> tuple[pd.DataFrame, list[tuple[str, str]]]:
    """One table in a fixed order, with corpus-wide speaker keys, and the list of failures."""
    results = list(results)
    frames = [r.rows for r in results if len(r.rows)]
    table = pd.concat(frames, ignore_index=True) if frames else _typed([])
    aliases = {k: v for r in results for k, v in r.aliases.items()}
    table["speaker_key"] = resolve_speaker_keys(table["speaker_key"], aliases)
    table = table.sort_values(["file", "start", "id"], kind="stable").reset_index(drop=True)
    failures = sorted(f for r in results for f in r.failures)
    return table, failures


def write_dataset(table: pd.DataFrame, out: str | Path, rows_per_file: int = 100_000) -> Path:
    """Write a Parquet dataset folder atomically: the old dataset stays until the new one is complete."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = Path(out)
    if out.exists() and not (out.is_dir() and (not any(out.iterdir()) or any(out.glob("*.parquet")))):
        raise InputError(out, "exists and is not a Parquet dataset folder", "choose a new output name")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    make_shareable(staging, 0o777)
    try:
        for i, start in enumerate(range(0, max(len(table), 1), rows_per_file)):
            chunk = pa.Table.from_pandas(table.iloc[start : start + rows_per_file], preserve_index=False)
            pq.write_table(chunk, staging / f"part-{i:05d}.parquet")
        if out.exists():
            old = out.with_name(f".{out.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            out.rename(old)
            staging.rename(out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            staging.rename(out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return out


def run_corpus(
    folder: str | Path,
    out: str | Path,
    scheduler: str | None = None,
    workers: int = 2,
    manifest: str | Path | None = None,
    progress: bool = True,
) -> CorpusSummary:
    """Extract and score every article of ``folder`` into the Parquet dataset ``out``; print a summary."""
    from tqdm import tqdm

    started = time.perf_counter()
    folder = Path(folder)
    paths = list_articles(folder)
    batches = make_batches(paths, read_manifest(folder, manifest), max(workers, 1))
    with tqdm(total=len(paths), unit="article", disable=not progress, file=sys.stderr) as bar:
        results = run_batches(batches, scheduler, max(workers, 1), bar.update)
    table, failures = combine(results)
    written = write_dataset(table, out)
    summary = CorpusSummary(len(paths), len(table), failures, time.perf_counter() - started, written)
    if progress:
        print(summary.line(), file=sys.stderr)
    return summary


def read_corpus(path: str | Path) -> pd.DataFrame:
    """A corpus dataset written by :func:`run_corpus`, as one table."""
    return pd.read_parquet(path)


def default_corpus_folder() -> Path:
    """The shared 156-article corpus when it sits beside the project, else the bundled articles."""
    shared = Path(__file__).resolve().parents[2] / "shared" / "corpus"
    return shared if shared.is_dir() else data_dir() / "articles"


def top_speakers(table: pd.DataFrame, n: int = 15, people_only: bool = True) -> pd.DataFrame:
    """The most quoted speakers across the corpus: statements, articles, outlets, mean scores."""
    subset = table[table["speaker_key"].str.contains(" ")] if people_only else table
    grouped = subset.groupby("speaker_key")
    summary = pd.DataFrame(
        {
            "speaker": grouped["speaker"].agg(lambda s: s.value_counts().index[0]),
            "statements": grouped.size(),
            "articles": grouped["article_id"].nunique(),
            "outlets": grouped["outlet"].nunique(),
            "direct_share": grouped["kind"].apply(lambda k: round(float((k == "direct").mean()), 2)),
            "vader_compound": grouped["vader_compound"].mean().round(3),
            "tb_polarity": grouped["tb_polarity"].mean().round(3),
            "certainty": grouped["certainty"].mean().round(3),
        }
    )
    return (
        summary.sort_values(["statements", "articles"], ascending=False, kind="stable").head(n).reset_index()
    )


def top_outlets(table: pd.DataFrame, n: int = 15) -> pd.DataFrame:
    """Outlets by statements quoted, with how many articles and distinct speakers."""
    grouped = table[table["outlet"] != ""].groupby("outlet")
    summary = pd.DataFrame(
        {
            "statements": grouped.size(),
            "articles": grouped["article_id"].nunique(),
            "speakers": grouped["speaker_key"].nunique(),
        }
    )
    return summary.sort_values("statements", ascending=False, kind="stable").head(n).reset_index()


def statements_of(table: pd.DataFrame, key: str) -> pd.DataFrame:
    """Everything one speaker (by speaker key) said across the corpus, article by article."""
    rows = table[table["speaker_key"] == key]
    return rows[["outlet", "title", "kind", "text", "vader_compound", "epistemic"]].reset_index(drop=True)
