"""The ``opinions`` command: reports, tables, extraction, evaluation, curation and corpus runs.

Every problem with the user's input ends in one line on stderr (which file, what is
wrong, what to do) and exit code 2; nothing here prints a traceback for bad input.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import traceback
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

from utils.errors import InputError

DEFAULT_ARTICLE = "kursk-2025-01"
EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    """argparse with a one-line error instead of usage plus message."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"{self.prog}: error: {message} (see {self.prog} --help)\n")
        raise SystemExit(EXIT_BAD_INPUT)


def build_parser() -> argparse.ArgumentParser:
    """The command line, one sub-command per task."""
    parser = _Parser(
        prog="opinions", description="Who said what in news coverage, and how the experts compare."
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser, metavar="COMMAND")

    report = commands.add_parser("report", help="write the HTML report for an article")
    report.add_argument(
        "article",
        nargs="?",
        default=DEFAULT_ARTICLE,
        help=f"bundled article id or path to a .txt/.html article (default: {DEFAULT_ARTICLE})",
    )
    report.add_argument("-o", "--out", default="reports", help="output folder (default: reports)")
    report.set_defaults(run=_report)

    table = commands.add_parser("table", help="write the analysis table (one row per statement) as CSV")
    table.add_argument("article", help="bundled article id or path to an article")
    table.add_argument("-o", "--out", help="CSV file to write (default: standard output)")
    table.set_defaults(run=_table)

    extract = commands.add_parser("extract", help="find the attributed statements in an article")
    extract.add_argument(
        "path", help="plain-text article (title line, blank line, paragraphs) or saved HTML page"
    )
    extract.add_argument("-o", "--out", help="file to write (default: standard output)")
    extract.add_argument(
        "--format", choices=("csv", "json"), default="csv", help="output format (default: csv)"
    )
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
    curate.set_defaults(run=_curate)

    corpus = commands.add_parser("corpus", help="extract and score every article in a folder into Parquet")
    corpus.add_argument(
        "folder", help="folder of .txt/.html articles (a MANIFEST.csv there adds titles, outlets)"
    )
    corpus.add_argument("-o", "--out", required=True, help="Parquet dataset to write (a folder)")
    corpus.add_argument("--scheduler", help="Dask scheduler address, or 'local' to start a LocalCluster")
    corpus.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="local worker processes")
    corpus.add_argument(
        "--manifest", help="CSV with file,title,outlet,date columns (default: FOLDER/MANIFEST.csv)"
    )
    corpus.set_defaults(run=_corpus)
    return parser


def _report(args: argparse.Namespace) -> None:
    from utils.report import render_report

    started = time.perf_counter()
    path = render_report(args.article, args.out)
    print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB, {time.perf_counter() - started:.0f} s)")


def _table(args: argparse.Namespace) -> None:
    from utils.analysis import analyse_ref

    analysis = analyse_ref(args.article)
    _emit(analysis.table.to_csv(index=False), args.out, analysis.article.path)


def _extract(args: argparse.Namespace) -> None:
    from utils.articles import load_article
    from utils.curation import extract_table

    table = extract_table(load_article(args.path).text).drop(columns="id")
    text = (
        table.to_csv(index=False)
        if args.format == "csv"
        else json.dumps(table.to_dict(orient="records"), ensure_ascii=False, indent=1) + "\n"
    )
    _emit(text, args.out, Path(args.path))


def _evaluate(args: argparse.Namespace) -> None:
    from utils.evaluate import evaluate_pairs, evaluation_items, format_evaluation

    pred, articles = (Path(p) if p else None for p in (args.pred, args.articles))
    evaluation = evaluate_pairs(evaluation_items(Path(args.gold), pred, articles))
    print(format_evaluation(evaluation, show_errors=args.errors))
    if args.json_out:
        from utils.files import write_text_atomic

        summary = {"micro": evaluation.micro, "per_article": evaluation.per_article.to_dict(orient="records")}
        write_text_atomic(args.json_out, json.dumps(summary, indent=2) + "\n")


def _curate(args: argparse.Namespace) -> None:
    from utils.articles import resolve_article
    from utils.curation import seed_curation

    for path in seed_curation(resolve_article(args.article)):
        print(f"created {path}")


def _corpus(args: argparse.Namespace) -> None:
    from utils.corpus import run_corpus

    run_corpus(args.folder, args.out, scheduler=args.scheduler, workers=args.workers, manifest=args.manifest)


def _emit(text: str, out: str | None, source: Path | None) -> None:
    """Write to a file atomically (never over the input or a curated table), or to standard output."""
    if out:
        from utils.curation import guard_output
        from utils.files import write_text_atomic

        guard_output(out, [source])
        write_text_atomic(out, text)
        print(f"wrote {out}", file=sys.stderr)
    else:
        sys.stdout.write(text)


def _one_line_warnings(message, category, filename, lineno, file=None, line=None) -> None:
    sys.stderr.write(f"opinions: warning: {message}\n")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 fine, 1 unexpected failure, 2 bad input)."""
    args = build_parser().parse_args(argv)
    run: Callable[[argparse.Namespace], None] = args.run
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("default")
            warnings.showwarning = _one_line_warnings
            run(args)
    except InputError as exc:
        sys.stderr.write(f"opinions: error: {exc.message}\n")
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        sys.stderr.write(
            "opinions: interrupted; finished outputs are intact, unfinished ones were not written\n"
        )
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug, not bad input: one line, the details only on request
        if os.environ.get("OPINIONS_DEBUG"):
            traceback.print_exc()
        sys.stderr.write(
            f"opinions: internal error: {type(exc).__name__}: {exc} "
            "(set OPINIONS_DEBUG=1 for details and please report it)\n"
        )
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
