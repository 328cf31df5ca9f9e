"""The ``opinions`` command: reports, tables, extraction, evaluation, curation and corpus runs.

Every problem with the user's input ends in one line on stderr (which file, what is
wrong, what to do) and exit code 2; nothing here prints a traceback for bad input. That
includes the user's machine: a full disk, a read-only folder, a missing permission, and
standard output that is closed, full or a pipe whose reader stopped (``| head``): every
command prints through :mod:`utils.console`. Output paths are checked before any work starts
(:mod:`utils.outputs`). SIGTERM is handled like Ctrl-C: unfinished outputs are removed and
worker processes stopped.

Tables are written by :func:`utils.spreadsheet.write_table`: the output's suffix picks the
format (.csv, .xlsx, .json, .parquet), ``--format`` is for standard output. CSV output is safe
to open in a spreadsheet: text cells that start with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return get a leading single quote; ``--raw-csv`` writes the cells unchanged.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import time
import traceback
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

from utils import __version__
from utils.console import check_stdout, note, write_done, write_stdout
from utils.errors import InputError

DEFAULT_ARTICLE = "kursk-2025-01"
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143
RAW_CSV_HELP = "write CSV cells unchanged (default: a cell starting with = + - @ gets a leading ')"
STDOUT_FORMATS = ("csv", "json")  # as utils.spreadsheet.STDOUT_FORMATS, which is imported only when needed


class _Parser(argparse.ArgumentParser):
    """argparse with a one-line error (and a "did you mean" for a mistyped choice) instead of usage."""

    def error(self, message: str) -> None:  # type: ignore[override]
        note(f"{self.prog}: error: {message}{_did_you_mean(message)} (see {self.prog} --help)")
        raise SystemExit(EXIT_BAD_INPUT)


def _did_you_mean(message: str) -> str:
    """'; did you mean report?' when argparse rejected a choice that is close to a valid one."""
    import difflib
    import re

    found = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message)
    if not found:
        return ""
    choices = re.findall(r"'([^']*)'", found.group(2))
    close = difflib.get_close_matches(found.group(1), choices, n=1, cutoff=0.6)
    return f"; did you mean {close[0]}?" if close else ""


def build_parser() -> argparse.ArgumentParser:
    """The command line, one sub-command per task."""
    parser = _Parser(
        prog="opinions", description="Who said what in news coverage, and how the experts compare."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser, metavar="COMMAND")

    report = commands.add_parser("report", help="write the HTML report for an article")
    report.add_argument(
        "article",
        nargs="?",
        default=DEFAULT_ARTICLE,
        help=f"bundled article id or path to a .txt/.html article (default: {DEFAULT_ARTICLE})",
    )
    report.add_argument("-o", "--out", default="reports", help="output folder (default: reports)")
    report.add_argument(
        "--pdf", action="store_true", help="also print the report to <id>.pdf (needs Chromium)"
    )
    report.add_argument(
        "--keep-notebook", action="store_true", help="also keep the executed report notebook, <id>.ipynb"
    )
    report.set_defaults(run=_report)

    table = commands.add_parser("table", help="write the analysis table (one row per statement)")
    table.add_argument("article", help="bundled article id or path to an article")
    _table_output_arguments(table, "; .xlsx has a sheet per topic")
    table.set_defaults(run=_table)

    extract = commands.add_parser("extract", help="find the attributed statements in an article")
    extract.add_argument(
        "path", help="plain-text article (title line, blank line, paragraphs) or saved HTML page"
    )
    _table_output_arguments(extract)
    extract.set_defaults(run=_extract)

    evaluate = commands.add_parser("evaluate", help="score extracted statements against gold tables")
    evaluate.add_argument(
        "gold", help="a gold CSV, or a folder of <slug>.gold.csv files with <slug>.txt articles"
    )
    evaluate.add_argument(
        "pred",
        nargs="?",
        help="predicted CSV or folder of <slug>.csv; omitted: extract from the articles now",
    )
    evaluate.add_argument(
        "--articles", help="folder of the <slug>.txt articles (default: beside the gold files)"
    )
    evaluate.add_argument("--errors", action="store_true", help="also list missed, spurious and wrong rows")
    evaluate.add_argument("--json", dest="json_out", help="also write the figures to this JSON file")
    evaluate.set_defaults(run=_evaluate)

    curate = commands.add_parser("curate", help="seed the curated tables of an article for people to edit")
    curate.add_argument("article", help="bundled article id or path to an article")
    curate.add_argument("--raw-csv", action="store_true", help=RAW_CSV_HELP)
    curate.set_defaults(run=_curate)

    corpus = commands.add_parser("corpus", help="extract and score every article in a folder into Parquet")
    corpus.add_argument(
        "folder", help="folder of .txt/.html articles (a MANIFEST.csv there adds titles, outlets)"
    )
    corpus.add_argument("-o", "--out", required=True, help="Parquet dataset to write (a folder)")
    corpus.add_argument("--scheduler", help="Dask scheduler address, or 'local' to start a LocalCluster")
    corpus.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="local worker processes, 1 to 4 x cores (default: one per core)",
    )
    corpus.add_argument(
        "--manifest", help="CSV with file,title,outlet,date columns (default: FOLDER/MANIFEST.csv)"
    )
    corpus.set_defaults(run=_corpus)
    _review_commands(commands)
    _coverage_commands(commands)
    return parser


def _coverage_commands(commands: argparse._SubParsersAction) -> None:
    """Commands over a corpus dataset (what ``opinions corpus -o`` wrote): people, dossier, compare, about."""
    people = commands.add_parser(
        "people", help="the people quoted in a corpus dataset, and decisions about them"
    )
    people.add_argument(
        "dataset", help="what `opinions corpus -o` wrote (a Parquet folder) or a .parquet file"
    )
    output = people.add_mutually_exclusive_group()
    output.add_argument(
        "-o", "--out", help="people.csv or people.xlsx to write (default: a list on standard output)"
    )
    output.add_argument("--json", action="store_true", help="print the registry as JSON")
    decide = people.add_mutually_exclusive_group()
    decide.add_argument(
        "--merge", nargs=2, metavar=("KEEP", "OTHER"), help="OTHER is the same person as KEEP"
    )
    decide.add_argument(
        "--split",
        nargs=2,
        metavar=("ID", "NAME_OR_ARTICLE"),
        help="the rows of ID with this name or article are someone else",
    )
    decide.add_argument("--rename", nargs=2, metavar=("ID", "NAME"), help="show ID under this name")
    decide.add_argument(
        "--type",
        nargs=2,
        metavar=("ID", "TYPE"),
        help="expert, official, politician, journalist, organisation or other",
    )
    decide.add_argument("--not-a-person", metavar="ID", help="the rows of ID name nobody (a misread speaker)")
    people.add_argument(
        "--decisions",
        help="the decisions table (default: people.decisions.csv in the articles folder of the dataset)",
    )
    people.set_defaults(run=_run_from("coverage_cli", "run_people"))

    dossier = commands.add_parser(
        "dossier", help="one person's dossier across a corpus dataset (an HTML page)"
    )
    dossier.add_argument(
        "dataset", help="what `opinions corpus -o` wrote (a Parquet folder) or a .parquet file"
    )
    dossier.add_argument(
        "person", help='a person_id or a name ("Hillary Clinton"); a name several people share is refused'
    )
    dossier.add_argument("-o", "--out", required=True, help="folder for the page, <person_id>.html")
    dossier.set_defaults(run=_run_from("coverage_cli", "run_dossier"))

    comparing = commands.add_parser(
        "compare", help="compare people's stance on propositions across a corpus dataset (one HTML page)"
    )
    comparing.add_argument(
        "dataset", help="what `opinions corpus -o` wrote (a Parquet folder) or a .parquet file"
    )
    comparing.add_argument(
        "people", nargs="+", metavar="PERSON", help="two or more person ids or names (see `opinions people`)"
    )
    comparing.add_argument(
        "--topics", help="a topics table for the whole collection (topic,proposition,keywords)"
    )
    comparing.add_argument(
        "-o", "--out", required=True, help="folder for the page, compare-<person ids>.html"
    )
    comparing.set_defaults(run=_run_from("compare_cli", "run_compare"))

    about = commands.add_parser(
        "about", help="rank the statements of a corpus dataset that address a proposition"
    )
    about.add_argument(
        "dataset", help="what `opinions corpus -o` wrote (a Parquet folder) or a .parquet file"
    )
    about.add_argument(
        "query", help='words to search for, in all their forms ("border wall"); "" with --topic'
    )
    about.add_argument("--topic", help="a topic of the --topics table: its keywords are searched too")
    about.add_argument("--topics", help="topics table (topic,proposition,keywords) that --topic is in")
    about.add_argument("--person", help="only this person's statements (a person_id or a name)")
    about.add_argument(
        "--since", help="only statements dated on or after this ISO date (undated ones left out and counted)"
    )
    about.add_argument("--limit", type=int, default=100, help="statements to show or write (default: 100)")
    output = about.add_mutually_exclusive_group()
    output.add_argument(
        "-o", "--out", help="OUT.csv or OUT.json to write (default: a list on standard output)"
    )
    output.add_argument("--json", action="store_true", help="print the result as JSON")
    about.set_defaults(run=_run_from("about_cli", "run_about"))


def _table_output_arguments(command: argparse.ArgumentParser, more: str = "") -> None:
    """-o (its suffix picks the format), --format for standard output, --raw-csv."""
    command.add_argument(
        "-o",
        "--out",
        help=f"file to write: .csv, .xlsx, .json or .parquet, by its suffix{more} (default: standard output)",
    )
    command.add_argument(
        "--format",
        choices=STDOUT_FORMATS,
        help="format on standard output (default: csv); -o uses the suffix",
    )
    command.add_argument("--raw-csv", action="store_true", help=RAW_CSV_HELP)


def _review_commands(commands: argparse._SubParsersAction) -> None:
    """The review-and-tag commands: the workbench, accepting people's work, agreement, stance-check."""
    review = commands.add_parser("review", help="open the review-and-tag workbench in JupyterLab")
    review.add_argument("article", nargs="?", help="bundled article id (data/articles/<id>.txt)")
    review.add_argument(
        "--dataset",
        help="a corpus dataset (what `opinions corpus -o` wrote): review it instead of an article",
    )
    review.add_argument(
        "--people", action="store_true", help="with --dataset: the people view (who is who, decisions)"
    )
    review.add_argument(
        "--topics", help="with --dataset: the collection's topics table; tag one topic in the topic queue"
    )
    review.add_argument("--topic", help="with --topics: the topic to tag (default: the table's first)")
    review.add_argument("--annotator", help="your name in the annotation files (default: your user name)")
    review.add_argument("--port", type=int, default=0, help="JupyterLab's port (default: a free one)")
    review.add_argument(
        "--no-browser", action="store_true", help="start JupyterLab without opening a browser"
    )
    review.add_argument(
        "--adjudicate",
        action="store_true",
        help="settle where the people who reviewed the article disagree (you decide; accept takes it)",
    )
    review.set_defaults(run=_run_from("review_cli", "run_review"))

    accepting = commands.add_parser("accept", help="make people's annotations the article's curated tables")
    accepting.add_argument("article", help="bundled article id")
    accepting.add_argument(
        "--from",
        dest="names",
        action="append",
        metavar="NAME",
        help="whose annotations (repeat to merge: statements from the first, labels where all agree)",
    )
    accepting.set_defaults(run=_run_from("review_cli", "run_accept"))

    agreeing = commands.add_parser("agreement", help="agreement between the people who tagged an article")
    agreeing.add_argument("article", help="bundled article id")
    agreeing.add_argument("--json", action="store_true", help="print the figures as JSON")
    agreeing.set_defaults(run=_run_from("review_cli", "run_agreement"))

    check = commands.add_parser(
        "stance-check", help="measure learned stance suggestions on a labelled set (kappa, coverage)"
    )
    check.add_argument(
        "labels",
        help="CSV with text,proposition,label columns (keywords, speaker, paragraph, nearby optional)",
    )
    check.add_argument("--json", action="store_true", help='print {"curve": [...]} as JSON')
    check.set_defaults(run=_run_from("stance_cli", "run_stance_check"))


def _run_from(module: str, function: str) -> Callable[[argparse.Namespace], None]:
    """A command body imported only when that command runs (they load scikit-learn, nbformat, ...)."""

    def run(args: argparse.Namespace) -> None:
        import importlib

        getattr(importlib.import_module(f"utils.{module}"), function)(args)

    return run


def _report(args: argparse.Namespace) -> None:
    from utils.report import render_report

    started = time.perf_counter()

    def progress(step: str) -> None:
        note(f"opinions report: {step} … ({time.perf_counter() - started:.0f} s)")

    check_stdout()  # before a minute of rendering
    path = render_report(
        args.article, args.out, pdf=args.pdf, keep_notebook=args.keep_notebook, progress=progress
    )
    seconds = time.perf_counter() - started
    write_done(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB, {seconds:.0f} s)\n", f"{path} was written")


def _table(args: argparse.Namespace) -> None:
    from utils.analysis import analyse, workbook_sheets
    from utils.articles import resolve_article

    article = resolve_article(args.article)
    out, fmt = _table_output(args, [article.path])
    analysis = analyse(article)
    _emit_table(analysis.table, args, out, fmt, workbook_sheets(analysis))


def _extract(args: argparse.Namespace) -> None:
    """One article's statements. CSV and JSON are written from plain rows, so the command starts
    fast (no pandas or pandera on this path); a workbook or Parquet file goes through the table."""
    from utils.articles import load_article
    from utils.quotes import Statement, extract_statements
    from utils.spreadsheet import Rows, rows_text, write_rows

    out, fmt = _table_output(args, [Path(args.path)])
    found = extract_statements(load_article(args.path).text)
    if fmt not in ("csv", "json"):
        from utils.statements import EXTRACTED, statements_frame

        _emit_table(statements_frame(found)[EXTRACTED.columns], args, out, fmt)
        return
    rows = Rows.of(Statement, found)
    if out is None:
        write_stdout(rows_text(rows, fmt, raw=args.raw_csv))
        return
    write_rows(out, rows, fmt, raw=args.raw_csv)
    note(f"wrote {out}")


def _table_output(args: argparse.Namespace, sources: list[Path | None]) -> tuple[Path | None, str]:
    """Where a table goes and in which format, checked before any work: a file whose suffix names
    the format, or standard output (``--format``, CSV by default)."""
    out = _checked_output(args.out, sources)
    if out is None:
        return None, args.format or "csv"
    from utils.spreadsheet import file_format

    fmt = file_format(args.out)  # the name the user gave, also when it is a link
    if args.format and args.format != fmt:
        raise InputError(
            f"--format {args.format}",
            f"is for standard output; the file's suffix picks its format ({fmt})",
            f"leave out --format, or name the file .{args.format}",
        )
    return out, fmt


def _emit_table(
    frame, args: argparse.Namespace, out: Path | None, fmt: str, sheets: Sequence[tuple[str, object]] = ()
) -> None:
    """Write a table to its checked file (:func:`utils.spreadsheet.write_table`) or to standard output."""
    from utils.spreadsheet import table_text, write_table

    if out is None:
        write_stdout(table_text(frame, fmt, raw=args.raw_csv))
        return
    write_table(out, frame, raw=args.raw_csv, sheets=sheets, fmt=fmt)
    note(f"wrote {out}")


def _evaluate(args: argparse.Namespace) -> None:
    from utils.evaluate import evaluate_pairs, evaluation_inputs, evaluation_items, format_evaluation

    gold = Path(args.gold)
    pred, articles = (Path(p) if p else None for p in (args.pred, args.articles))
    json_out = None
    if args.json_out:
        from utils.outputs import check_file_output

        inputs = evaluation_inputs(gold, pred, articles)
        json_out = check_file_output(args.json_out, inputs, [gold] if gold.is_dir() else [])
    check_stdout()
    evaluation = evaluate_pairs(evaluation_items(gold, pred, articles))
    write_stdout(format_evaluation(evaluation, show_errors=args.errors) + "\n")
    if json_out:
        from utils.spreadsheet import write_json

        write_json(
            json_out, {"micro": evaluation.micro, "per_article": evaluation.per_article.to_dict("records")}
        )


def _curate(args: argparse.Namespace) -> None:
    from utils.articles import resolve_article
    from utils.curation import seed_curation

    check_stdout()
    created = seed_curation(resolve_article(args.article), raw_csv=args.raw_csv)
    write_done(
        "".join(f"created {path}\n" for path in created), f"{', '.join(map(str, created))} were created"
    )


def _corpus(args: argparse.Namespace) -> None:
    from utils.corpus import run_corpus

    run_corpus(args.folder, args.out, scheduler=args.scheduler, workers=args.workers, manifest=args.manifest)


def _checked_output(out: str | None, sources: list[Path | None]) -> Path | None:
    """The file to write (checked before any work), or None for standard output (checked to be open)."""
    if not out:
        check_stdout()
        return None
    from utils.outputs import check_file_output

    return check_file_output(out, sources)


def _one_line_warnings(message, category, filename, lineno, file=None, line=None) -> None:
    note(f"opinions: warning: {message}")


class _Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that clean-up code runs (temporary files, worker processes)."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise _Terminated


@contextlib.contextmanager
def _sigterm_as_interrupt():
    try:
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 fine, 1 unexpected failure, 2 bad input)."""
    args = build_parser().parse_args(argv)
    run: Callable[[argparse.Namespace], None] = args.run
    try:
        with _sigterm_as_interrupt(), warnings.catch_warnings():
            warnings.simplefilter("default")
            warnings.showwarning = _one_line_warnings
            run(args)
    except InputError as exc:
        return _error(exc.message)
    except KeyboardInterrupt as exc:
        return _interrupted(exc)
    except OSError as exc:  # the machine, not the program: full disk, permissions, a vanished file
        from utils.files import user_os_error

        failure = user_os_error(exc)
        if failure is None:
            return _internal_error(exc)
        return _error(failure.message)
    except Exception as exc:  # a bug, not bad input: one line, the details only on request
        interrupt = _interrupt_behind(exc)
        return _interrupted(interrupt) if interrupt else _internal_error(exc)
    return 0


def _interrupted(exc: KeyboardInterrupt) -> int:
    terminated = isinstance(exc, _Terminated)
    how = "terminated" if terminated else "interrupted"
    note(f"opinions: {how}; finished outputs are intact, unfinished ones were not written")
    return EXIT_TERMINATED if terminated else EXIT_INTERRUPTED


def _interrupt_behind(exc: BaseException) -> KeyboardInterrupt | None:
    """The Ctrl-C (or SIGTERM) another exception wraps: one arriving while Python builds a class
    (an import in progress) comes out as a RuntimeError, and it is still the user's interruption."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, KeyboardInterrupt):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def _error(message: str) -> int:
    note(f"opinions: error: {' '.join(message.split())}")
    return EXIT_BAD_INPUT


def _internal_error(exc: Exception) -> int:
    if os.environ.get("OPINIONS_DEBUG"):
        traceback.print_exc()
    note(
        f"opinions: internal error: {type(exc).__name__}: {' '.join(str(exc).split())} "
        "(set OPINIONS_DEBUG=1 for details and please report it)"
    )
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
