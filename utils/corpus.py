"""Corpus runs: every article in a folder to one Parquet dataset, on one machine or a Dask cluster.

Articles are processed in batches of sorted file names, each article on its own, and the
rows are put back in file order, so the result does not depend on how the work is
scheduled or batched: in this process (``workers=1``),
on Dask's local process pool (the default), on a Dask ``LocalCluster``
(``scheduler="local"``) or on a running Dask cluster (``scheduler="tcp://host:8786"``).
A bad article is recorded as a failure and skipped, and a paragraph the extractor fails
on is recorded and left out of its article; neither stops the run. The summary line
names every failure (up to ten; all of them are in the dataset's ``_failures.csv``).

Arguments and the output are checked before any work starts: ``--workers`` between 1
and 4 x the machine's cores (a cluster decides its own), ``--scheduler`` ``local`` or
``tcp://host:port`` with a Dask scheduler answering there, and an output path that is
new or a dataset this tool wrote (:mod:`utils.outputs`). Interrupting a run (Ctrl-C,
SIGTERM) stops its worker processes too.

Speakers get a corpus-wide ``speaker_key`` so one person is one key across articles:
titles and case are dropped ("Dr. Robert Kagan" -> "robert kagan"), a nickname the
article itself introduces maps to the full name ('Robert "Bob" Kagan' makes
"bob kagan" -> "robert kagan"), and a bare surname joins the one full name in the
corpus that ends with it ("Kagan" -> "robert kagan").
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import ctypes
import os
import re
import signal
import stat
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from utils import spreadsheet
from utils.articles import ARTICLE_SUFFIXES, data_dir, load_article, slugify
from utils.console import note
from utils.errors import InputError
from utils.files import regular_file, write_folder_atomic
from utils.outputs import check_dataset_output
from utils.quotes import describe_failure, extract
from utils.schema import META_COLUMNS
from utils.sentiment import score_text
from utils.speakers import speaker_key
from utils.stance import certainty_fields
from utils.statements import CORPUS, statement_row, to_frame

MAX_BATCH = 100  # articles per task: large enough that scheduling costs little, small enough to spread
MAX_WORKERS_PER_CORE = 4  # more local processes than this only thrash memory
LISTED_FAILURES = 10  # the summary line names this many failures; _failures.csv has them all
FAILURES_FILE = "_failures.csv"  # inside the dataset; '_' keeps pandas and pyarrow from reading it as data
_SCHEDULER = re.compile(r"tcp://(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.\-]+):(\d{1,5})")
# 'Robert "Bob" Kagan', "Robert (Bob) Kagan": the article introduces a nickname for a full name.
_NICKNAME = re.compile(r"\b([A-Z][a-z]+) [\"“(‘']([A-Z][a-z]+)[\"”)’'] ([A-Z][a-zA-Z'’\-]+)")


@dataclass(frozen=True)
class Batch:
    """Articles handed to one task: (path, metadata) pairs."""

    items: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]


@dataclass
class BatchResult:
    """What a task sends back: statement rows, nickname aliases, failed files and skipped paragraphs."""

    rows: pd.DataFrame
    aliases: dict[str, str] = field(default_factory=dict)
    failures: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class CorpusSummary:
    """The outcome of a run, for the summary line and for tests.

    ``failures`` are files that gave no statements at all, ``skipped`` paragraphs the
    extractor failed on (the rest of their article is in the table); both as
    (file, problem) pairs.
    """

    articles: int
    statements: int
    failures: list[tuple[str, str]]
    seconds: float
    out: Path
    skipped: list[tuple[str, str]] = field(default_factory=list)

    def line(self) -> str:
        """The one-line summary printed at the end of a run; it names every failure, or points to the file."""
        rate = self.articles / self.seconds if self.seconds else 0.0
        failed = _failed(self.failures, "failed", self.out)
        skipped = _failed(self.skipped, "paragraphs skipped", self.out)
        return (
            f"corpus: {self.articles} articles, {self.statements} statements{failed}{skipped}, "
            f"{self.seconds:.1f} s ({rate:.0f} articles/s) -> {self.out}"
        )


def _failed(failures: list[tuple[str, str]], what: str, out: Path) -> str:
    """', 2 failed (a.txt: is empty; b.html: …)'; with many, the first three and where the rest are."""
    if not failures:
        return ", 0 failed" if what == "failed" else ""
    shown = failures if len(failures) <= LISTED_FAILURES else failures[:3]
    listed = "; ".join(f"{Path(f).name}: {m}" for f, m in shown)
    rest = "" if len(shown) == len(failures) else f"; all {len(failures)} in {out / FAILURES_FILE}"
    return f", {len(failures)} {what} ({listed}{rest})"


def list_articles(folder: str | Path) -> list[Path]:
    """The article files of a folder (and its subfolders), in a fixed order."""
    return find_articles(folder)[0]


def find_articles(folder: str | Path) -> tuple[list[Path], list[tuple[str, str]]]:
    """The article files of a folder (and its subfolders) in a fixed order, and the entries refused.

    An entry named like an article that is no regular file (a FIFO, a device, a dangling
    link or a symlink loop) is refused here, as a failure, before anything tries to read it.
    """
    folder = Path(folder)
    if not folder.is_dir():
        problem = "is a file, not a folder" if folder.exists() else "no such folder"
        raise InputError(folder, problem, "give a folder of .txt or .html articles")
    paths, refused = [], []
    for path in sorted(folder.rglob("*")):
        if path.suffix.lower() not in ARTICLE_SUFFIXES or any(
            part.startswith(".") for part in path.relative_to(folder).parts
        ):
            continue
        problem = _not_regular(path)
        if problem is None:
            paths.append(path)
        elif problem:
            refused.append((str(path), problem))
    if not paths and not refused:
        raise InputError(folder, "holds no .txt or .html articles", "check the folder")
    return paths, refused


def _not_regular(path: Path) -> str | None:
    """None for a regular file, '' for a folder (not an article), else what the entry is."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return "is a symbolic link to nothing" if path.is_symlink() else f"cannot be read ({exc.strerror})"
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return ""
    return "is not a regular file (a FIFO, socket or device); skipped"


def read_manifest(folder: Path, manifest: str | Path | None = None) -> dict[str, dict[str, str]]:
    """Metadata by file name from a manifest CSV (default ``FOLDER/MANIFEST.csv``).

    Its columns: ``file`` and any of title, outlet, date, url.
    """
    path = Path(manifest) if manifest else folder / "MANIFEST.csv"
    if not manifest and not os.path.lexists(path):
        return {}
    regular_file(path, "manifest CSV with a 'file' column")
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        problem = " ".join(str(exc).split())
        raise InputError(path, f"is not a readable CSV ({problem})", "save it as UTF-8 CSV") from None
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
    skipped: list[tuple[str, str]] = []
    for path, meta in batch.items:
        try:
            found_rows, found_aliases, found_skipped = process_article(Path(path), dict(meta))
        except InputError as exc:
            failures.append((path, exc.problem))
            continue
        except Exception as exc:  # a bug on one article must not stop thousands of others
            failures.append((path, f"{type(exc).__name__}: {' '.join(str(exc).split())}"))
            continue
        rows.extend(found_rows)
        aliases.update(found_aliases)
        skipped.extend((path, problem) for problem in found_skipped)
    return BatchResult(_typed(rows), aliases, failures, skipped)


def process_article(
    path: Path, meta: dict[str, str]
) -> tuple[list[dict[str, object]], dict[str, str], list[str]]:
    """One article's statements as rows with sentiment and certainty, the nicknames it introduces,
    and a description of each paragraph the extractor failed on (left out, the rest kept).

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
    extraction = extract(article.text)
    rows = [
        statement_row(
            statement,
            CORPUS,
            **about,
            id=f"a{number}",
            speaker_key=speaker_key(statement.speaker),
            **score_text(statement.text),
            **certainty_fields(statement.text),
        )
        for number, statement in enumerate(extraction.statements, start=1)
    ]
    aliases = {
        f"{nick} {last}".lower(): f"{first} {last}".lower()
        for first, nick, last in _NICKNAME.findall(article.text)
    }
    return rows, aliases, [describe_failure(article.text, f) for f in extraction.failures]


def _typed(rows: list[dict[str, object]]) -> pd.DataFrame:
    """Rows as a table with the corpus column types, also when there are none."""
    return to_frame(rows, CORPUS)


def resolve_speaker_keys(keys: pd.Series, aliases: dict[str, str]) -> pd.Series:
    """One key per person across the corpus: nicknames to full names, bare surnames to the one full name."""
    keys = keys.replace(aliases)
    full = sorted({k for k in keys.unique() if " " in k})
    by_surname: dict[str, set[str]] = {}
    for key in full:
        by_surname.setdefault(key.rsplit(" ", 1)[1], set()).add(key)
    single = {surname: next(iter(names)) for surname, names in by_surname.items() if len(names) == 1}
    return keys.map(lambda k: single.get(k, k) if " " not in k else k)


def check_run_arguments(scheduler: str | None, workers: int) -> None:
    """Refuse a worker count or scheduler address that cannot work, before anything runs."""
    if scheduler is not None and scheduler != "local":
        match = _SCHEDULER.fullmatch(scheduler)
        if not match or not 0 < int(match.group(2)) < 65536:
            raise InputError(
                f"--scheduler {scheduler}",
                "is not a Dask scheduler address",
                "give tcp://HOST:PORT (e.g. tcp://127.0.0.1:8786), or 'local' to start a LocalCluster",
            )
        return  # a running cluster brings its own workers
    limit = MAX_WORKERS_PER_CORE * (os.cpu_count() or 1)
    if not 1 <= workers <= limit:
        raise InputError(
            f"--workers {workers}",
            f"must be between 1 and {limit} ({MAX_WORKERS_PER_CORE} per core on this machine)",
            "use --workers 1 for one process, or a Dask cluster (--scheduler) for more",
        )


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
    """Dask's process scheduler on a pool we own, so an interruption can stop the workers at once."""
    import multiprocessing

    import dask
    from dask.callbacks import Callback

    tasks = [dask.delayed(process_batch)(b, dask_key_name=f"batch-{i}") for i, b in enumerate(batches)]
    sizes = {f"batch-{i}": len(b.items) for i, b in enumerate(batches)}

    class _Progress(Callback):
        def _posttask(self, key, result, dsk, state, worker_id) -> None:
            progress(sizes.get(key, 0))

    pool = multiprocessing.get_context("spawn").Pool(workers, initializer=_die_with_parent)
    try:
        with _Progress():
            results = list(dask.compute(*tasks, scheduler="processes", pool=pool))
    except BaseException:
        pool.terminate()  # Ctrl-C, SIGTERM or an error: no worker outlives the run
        raise
    else:
        pool.close()
    finally:
        pool.join()
    return results


def _die_with_parent() -> None:
    """In a worker: ask Linux to end this process when the run that started it dies, even by SIGKILL."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG


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
        check_scheduler(scheduler)
        client = Client(scheduler, timeout="5s")
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


def check_scheduler(address: str, timeout: float = 3.0) -> None:
    """Refuse an address where no Dask scheduler answers (nothing listening, or another kind of server).

    Dask's own client can wait for minutes on a server that accepts the connection but never
    speaks its protocol (a web server, say), so a short identity call is made first, in a
    thread with its own event loop (this also works inside Jupyter's running loop).
    """
    fix = "start one with `dask scheduler`, or use --scheduler local"
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        try:
            identity = pool.submit(asyncio.run, _identity(address, timeout)).result()
        except Exception as exc:  # refused, timed out, closed, garbled: all mean "not a scheduler here"
            reason = " ".join(str(exc).split()) or type(exc).__name__
            raise InputError(address, f"no Dask scheduler answers there ({reason[:120]})", fix) from None
    if not isinstance(identity, dict) or identity.get("type") != "Scheduler":
        raise InputError(address, "answers, but it is not a Dask scheduler", fix)


async def _identity(address: str, timeout: float) -> object:
    from distributed.comm import connect

    comm = await asyncio.wait_for(connect(address, timeout=timeout), timeout + 2)
    try:
        await asyncio.wait_for(comm.write({"op": "identity"}), timeout)
        return await asyncio.wait_for(comm.read(), timeout)
    finally:
        comm.abort()


def combine(
    results: Iterable[BatchResult],
) -> tuple[pd.DataFrame, list[tuple[str, str]], list[tuple[str, str]]]:
    """One table in a fixed order, with corpus-wide speaker keys; the failed files; the skipped paragraphs."""
    results = list(results)
    frames = [r.rows for r in results if len(r.rows)]
    table = pd.concat(frames, ignore_index=True) if frames else _typed([])
    aliases = {k: v for r in results for k, v in r.aliases.items()}
    table["speaker_key"] = resolve_speaker_keys(table["speaker_key"], aliases)
    table = table.sort_values(["file", "start", "id"], kind="stable").reset_index(drop=True)
    failures = sorted(f for r in results for f in r.failures)
    skipped = sorted(f for r in results for f in r.skipped)
    return table, failures, skipped


def write_dataset(
    table: pd.DataFrame,
    out: str | Path,
    rows_per_file: int = 100_000,
    failures: Sequence[tuple[str, str, str]] = (),
) -> Path:
    """Write a Parquet dataset folder atomically: readers see the old dataset until the new one is complete.

    The folder holds ``part-*.parquet`` files, ``_failures.csv`` (file, what, problem) and
    the tool's mark; pandas, pyarrow and DuckDB (``OUT/*.parquet``) read only the parts.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = check_dataset_output(out)

    def fill(folder: Path) -> None:
        for i, start in enumerate(range(0, max(len(table), 1), rows_per_file)):
            chunk = pa.Table.from_pandas(table.iloc[start : start + rows_per_file], preserve_index=False)
            pq.write_table(chunk, folder / f"part-{i:05d}.parquet")
        listing = pd.DataFrame(list(failures), columns=["file", "what", "problem"], dtype="str")
        (folder / FAILURES_FILE).write_text(spreadsheet.to_csv(listing), encoding="utf-8")

    return write_folder_atomic(out, fill, {"rows": len(table), "failures": len(failures)})


def run_corpus(
    folder: str | Path,
    out: str | Path,
    scheduler: str | None = None,
    workers: int = 2,
    manifest: str | Path | None = None,
    progress: bool = True,
) -> CorpusSummary:
    """Extract and score every article of ``folder`` into the Parquet dataset ``out``; print a summary.

    Everything that can be checked is checked first: the arguments, the output path, the
    folder, the manifest and the scheduler, so a mistake costs seconds, not a whole run.
    """
    from tqdm import tqdm

    started = time.perf_counter()
    folder = Path(folder)
    check_run_arguments(scheduler, workers)
    check_dataset_output(out, [folder])
    paths, refused = find_articles(folder)
    batches = make_batches(paths, read_manifest(folder, manifest), workers)
    if scheduler and scheduler != "local":
        check_scheduler(scheduler)  # before the progress bar: a wrong address costs seconds, not a run
    with tqdm(total=len(paths), unit="article", disable=not progress, file=sys.stderr) as bar:
        results = run_batches(batches, scheduler, workers, bar.update)
    table, failures, skipped = combine(results)
    failures = sorted([*failures, *refused])
    listing = [(f, "article", m) for f, m in failures] + [(f, "paragraph", m) for f, m in skipped]
    written = write_dataset(table, out, failures=listing)
    summary = CorpusSummary(
        len(paths) + len(refused), len(table), failures, time.perf_counter() - started, written, skipped
    )
    if progress:
        note(summary.line())
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
