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

Every row carries its article's ``date`` (ISO 8601) and ``outlet`` when any source gives them
(:mod:`utils.metadata`; the summary says how many articles have no date, and a refused date is a
warning naming its file), its speaker's ``person_id`` and ``person`` from the people registry
(:mod:`utils.people`: one id per person across the corpus, people's decisions in the folder's
``people.decisions.csv`` applied), and, where people reviewed the article in the workbench, their
curated statements with ``reviewed_by`` instead of the machine's (:mod:`utils.corpus_rows`);
people's stance labels of those articles go to the dataset's ``_stance.parquet``.
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
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from utils import schema, spreadsheet
from utils.articles import ARTICLE_SUFFIXES, data_dir
from utils.console import note
from utils.corpus_rows import STANCE_COLUMNS, article_rows
from utils.errors import InputError
from utils.files import write_folder_atomic
from utils.names import printable
from utils.outputs import check_dataset_output
from utils.people.apply import STANCE_FILE
from utils.people.cluster import Described
from utils.people.decisions import decisions_path, read_decisions
from utils.people.identify import identify
from utils.statements import CORPUS, to_frame

MAX_BATCH = 100  # articles per task: large enough that scheduling costs little, small enough to spread
DEFERRED = (signal.SIGINT, signal.SIGTERM)  # the signals that stop a run
MAX_WORKERS_PER_CORE = 4  # more local processes than this only thrash memory
LISTED_FAILURES = 10  # the summary line names this many failures; _failures.csv has them all
FAILURES_FILE = "_failures.csv"  # inside the dataset; '_' keeps pandas and pyarrow from reading it as data
FAILURE_COLUMNS = ["file", "what", "problem"]  # the columns of _failures.csv
READING_ORDER = ["file", "start", "id"]  # rows of a dataset: article by article, in reading order
_SCHEDULER = re.compile(r"tcp://(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.\-]+):(\d{1,5})")
_NAMED = pa.Check.str_length(min_value=1, error="must name an article file")
MANIFEST_SCHEMA = pa.DataFrameSchema(
    {
        "file": pa.Column(str, _NAMED, unique=True),
        **{name: pa.Column(str, required=False) for name in schema.META_COLUMNS},
    },
    metadata={"optional": dict.fromkeys(schema.META_COLUMNS, "")},
)


@dataclass(frozen=True)
class Batch:
    """Articles handed to one task: (path, its manifest row) pairs, and the manifest's path."""

    items: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]
    manifest: str = ""


@dataclass
class BatchResult:
    """What a task sends back: statement rows, their speakers for the registry, people's stance
    labels, failed files, skipped paragraphs, metadata warnings and how many articles had a date."""

    rows: pd.DataFrame
    people: list[tuple[str, str, str]] = field(default_factory=list)
    described: dict[str, Described] = field(default_factory=dict)
    stance: list[dict[str, str]] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    dated: int = 0


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
    undated: int = 0
    people: int = 0
    reviewed: int = 0

    def line(self) -> str:
        """The one-line summary printed at the end of a run; it names every failure, or points to the file."""
        rate = self.articles / self.seconds if self.seconds else 0.0
        failed = _failed(self.failures, "failed", self.out)
        skipped = _failed(self.skipped, "paragraphs skipped", self.out)
        return (
            f"corpus: {self.articles} articles ({self.undated} without a date), {self.statements} statements "
            f"({self.reviewed} reviewed by people), {self.people} people and organisations{failed}{skipped}, "
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


def read_manifest(
    folder: Path, manifest: str | Path | None = None, files: Sequence[Path] | None = None
) -> tuple[dict[str, dict[str, str]], str]:
    """Metadata by file name from a manifest CSV (default ``FOLDER/MANIFEST.csv``), and its path.

    Its columns: ``file`` (each article once) and any of title, outlet, date, url; other columns
    are ignored. A row naming a file that is not among ``files`` (the folder's articles) is a
    one-line error: a misspelt name would otherwise leave its article without metadata, silently.
    """
    path = Path(manifest) if manifest else folder / "MANIFEST.csv"
    if not manifest and not os.path.lexists(path):
        return {}, ""
    table = schema.read_table(path, MANIFEST_SCHEMA, "manifest")
    if files is not None:
        names = {p.name for p in files}
        unknown = [f for f in table["file"] if f not in names]
        if unknown:
            more = f" and {len(unknown) - 1} more" if len(unknown) > 1 else ""
            raise InputError(
                path,
                f"lists {unknown[0]!r}{more}, not an article of {printable(folder)}",
                "correct the file name or remove the row",
            )
    columns = schema.META_COLUMNS
    listed = {row["file"]: {c: row[c] for c in columns if row[c]} for row in table.to_dict("records")}
    return listed, str(path)


def make_batches(
    paths: Sequence[Path], manifest: dict[str, dict[str, str]], workers: int = 1, manifest_path: str = ""
) -> list[Batch]:
    """Batches of (path, manifest row): about eight per worker, at most ``MAX_BATCH`` articles each."""
    items = [(str(p), tuple(sorted(manifest.get(p.name, {}).items()))) for p in paths]
    size = min(MAX_BATCH, max(1, -(-len(items) // (8 * workers))))
    return [Batch(tuple(items[i : i + size]), manifest_path) for i in range(0, len(items), size)]


def process_batch(batch: Batch) -> BatchResult:
    """Read and score every article of a batch (runs in a worker); failures are recorded, not raised."""
    result = BatchResult(_typed([]))
    rows: list[dict[str, object]] = []
    for path, listed in batch.items:
        try:
            found = article_rows(Path(path), dict(listed), batch.manifest)
        except InputError as exc:
            result.failures.append((path, exc.problem))
            continue
        except Exception as exc:  # a bug on one article must not stop thousands of others
            result.failures.append((path, f"{type(exc).__name__}: {' '.join(str(exc).split())}"))
            continue
        rows.extend(found.rows)
        result.people.extend(found.people)
        result.described.update(found.described)
        result.stance.extend(found.stance)
        result.skipped.extend((path, problem) for problem in found.skipped)
        result.warnings.extend(found.warnings)
        result.dated += found.dated
    result.rows = _typed(rows)
    return result


def _typed(rows: list[dict[str, object]]) -> pd.DataFrame:
    """Rows as a table with the corpus column types, also when there are none."""
    return to_frame(rows, CORPUS)


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

    pool = None
    try:
        with _signals_deferred():  # an interruption in the middle of a start would strand a worker
            pool = multiprocessing.get_context("spawn").Pool(workers, initializer=_die_with_parent)
        with _Progress():
            results = list(dask.compute(*tasks, scheduler="processes", pool=pool))
    except BaseException:
        if pool is not None:
            pool.terminate()  # Ctrl-C, SIGTERM or an error: no worker outlives the run
        raise
    else:
        pool.close()
    finally:
        if pool is not None:
            pool.join()
    return results


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    """Ctrl-C and SIGTERM wait until the block is done, then arrive as usual. Python's own
    resource tracker unblocks signals as it starts, so they are caught and raised again
    rather than masked."""
    arrived: list[int] = []
    try:
        previous = {s: signal.signal(s, lambda signum, _: arrived.append(signum)) for s in DEFERRED}
    except ValueError:  # not the main thread: signals are not ours to handle
        yield
        return
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        if arrived:
            signal.raise_signal(arrived[0])


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


@dataclass
class Combined:
    """A run's results put together: the table in reading order with person ids, people's stance
    labels, failed files, skipped paragraphs, metadata warnings and how many articles had a date."""

    table: pd.DataFrame
    stance: pd.DataFrame
    failures: list[tuple[str, str]]
    skipped: list[tuple[str, str]]
    warnings: list[str]
    dated: int
    unused: list[str] = field(default_factory=list)


def combine(results: Iterable[BatchResult], decisions: Sequence = ()) -> Combined:
    """One table in a fixed order, each speaker identified across the corpus (people's
    ``decisions`` applied); the stance labels; the failures, skipped paragraphs and warnings."""
    results = list(results)
    frames = [r.rows for r in results if len(r.rows)]
    table = pd.concat(frames, ignore_index=True) if frames else _typed([])
    described = {k: v for r in results for k, v in r.described.items()}
    applied = identify((p for r in results for p in r.people), list(decisions), described)
    keys = zip(table["article_id"], table["speaker"], strict=True)
    identities = [applied.identities[k] for k in keys]
    table["person_id"] = pd.Series([i.person_id for i in identities], dtype="str")
    table["person"] = pd.Series([i.person for i in identities], dtype="str")
    table = table.sort_values(READING_ORDER, kind="stable").reset_index(drop=True)
    stance = pd.DataFrame([row for r in results for row in r.stance], columns=STANCE_COLUMNS, dtype="str")
    unused = [f"{d.action} {d.person_id}: no such id in this corpus" for d in applied.unused]
    return Combined(
        table,
        stance,
        sorted(f for r in results for f in r.failures),
        sorted(f for r in results for f in r.skipped),
        [w for r in results for w in r.warnings],
        sum(r.dated for r in results),
        unused,
    )


def write_dataset(
    table: pd.DataFrame,
    out: str | Path,
    rows_per_file: int = 100_000,
    failures: Sequence[tuple[str, str, str]] = (),
    stance: pd.DataFrame | None = None,
    source: Path | None = None,
) -> Path:
    """Write a Parquet dataset folder atomically: readers see the old dataset until the new one is complete.

    The folder holds ``part-*.parquet`` files, ``_failures.csv`` (file, what, problem), people's
    stance labels in ``_stance.parquet`` when there are any, and the tool's mark (which records
    the articles folder, where the people's decisions live); pandas, pyarrow and DuckDB
    (``OUT/part-*.parquet``) read only the parts.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = check_dataset_output(out)

    def fill(folder: Path) -> None:
        for i, start in enumerate(range(0, max(len(table), 1), rows_per_file)):
            chunk = pa.Table.from_pandas(table.iloc[start : start + rows_per_file], preserve_index=False)
            pq.write_table(chunk, folder / f"part-{i:05d}.parquet")
        if stance is not None and len(stance):
            pq.write_table(pa.Table.from_pandas(stance, preserve_index=False), folder / STANCE_FILE)
        listing = pd.DataFrame(list(failures), columns=FAILURE_COLUMNS, dtype="str")
        (folder / FAILURES_FILE).write_text(spreadsheet.to_csv(listing), encoding="utf-8")

    about: dict[str, object] = {"rows": len(table), "failures": len(failures)}
    if source is not None:
        about["articles"] = printable(source.resolve())
    return write_folder_atomic(out, fill, about)


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
    listed, manifest_path = read_manifest(folder, manifest, paths)
    decisions = read_decisions(decisions_path(folder))  # a broken table stops the run before any work
    batches = make_batches(paths, listed, workers, manifest_path)
    if scheduler and scheduler != "local":
        check_scheduler(scheduler)  # before the progress bar: a wrong address costs seconds, not a run
    with tqdm(total=len(paths), unit="article", disable=not progress, file=sys.stderr) as bar:
        results = run_batches(batches, scheduler, workers, bar.update)
    done = combine(results, decisions)
    failures = sorted([*done.failures, *refused])
    listing = [(f, "article", m) for f, m in failures] + [(f, "paragraph", m) for f, m in done.skipped]
    listing += [(f, "metadata", m) for f, _, m in (w.partition(": ") for w in done.warnings)]
    written = write_dataset(done.table, out, failures=listing, stance=done.stance, source=folder)
    summary = CorpusSummary(
        len(paths) + len(refused),
        len(done.table),
        failures,
        time.perf_counter() - started,
        written,
        done.skipped,
        undated=len(paths) - len(done.failures) - done.dated,
        people=done.table.loc[done.table["person_id"] != "", "person_id"].nunique(),
        reviewed=int((done.table["reviewed_by"] != "").sum()),
    )
    if progress:
        for warning in [*done.warnings[:LISTED_FAILURES], *done.unused]:
            note(f"opinions: warning: {warning}")
        if len(done.warnings) > LISTED_FAILURES:
            where = written / FAILURES_FILE
            note(f"opinions: warning: all {len(done.warnings)} metadata warnings are in {where}")
        note(summary.line())
    return summary


def read_corpus(path: str | Path) -> pd.DataFrame:
    """A corpus dataset written by :func:`run_corpus`, as one table."""
    return pd.read_parquet(path)


def default_corpus_folder() -> Path:
    """The shared 156-article corpus when it sits beside the project, else the bundled articles."""
    shared = Path(__file__).resolve().parents[2] / "shared" / "corpus"
    return shared if shared.is_dir() else data_dir() / "articles"
