"""The review commands of ``opinions``: ``review`` (JupyterLab on the workbench), ``accept``, ``agreement``.

``utils.cli`` defines their arguments and calls the ``run_*`` functions. Bad input is an
:class:`~utils.errors.InputError`, which the CLI prints as one line (exit code 2).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import nbformat

from utils.agreement import article_agreement
from utils.annotations import check_annotator, check_slug, default_annotator, prepare_accept, write_acceptance
from utils.articles import bundled_article
from utils.console import check_stdout, note, write_done, write_stdout
from utils.errors import InputError
from utils.files import write_text_atomic
from utils.speaker_model import learn_from_acceptance

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "08_review_and_tag.ipynb"
REVIEW_DIR = ROOT / "reports" / "review"


def review_notebook(article_id: str, annotator: str) -> Path:
    """A copy of the workbench notebook with the article and annotator filled in (never in notebooks/)."""
    check_slug(article_id, "article id")
    bundled_article(article_id)
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    cell = next((c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])), None)
    if cell is None:
        raise InputError(NOTEBOOK, "has no cell tagged 'parameters'", "restore the notebook from git")
    cell.source = f"article = {article_id!r}\nannotator = {annotator!r}\n"
    for code in notebook.cells:
        if code.cell_type == "code":
            code.outputs, code.execution_count = [], None
    target = REVIEW_DIR / f"review-{article_id}-{annotator}.ipynb"
    write_text_atomic(target, nbformat.writes(notebook))
    return target


def lab_command(notebook: Path, port: int, open_browser: bool) -> list[str]:
    """The JupyterLab command line; as root it needs --allow-root."""
    command = [sys.executable, "-m", "jupyter", "lab", str(notebook.relative_to(ROOT))]
    command += [f"--ServerApp.root_dir={ROOT}", "--ServerApp.ip=127.0.0.1"]
    if port:
        command.append(f"--port={port}")
    if not open_browser:
        command.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    return command


def run_review(args: argparse.Namespace) -> None:
    annotator = check_annotator(args.annotator) if args.annotator else default_annotator()
    notebook = review_notebook(args.article, annotator)
    note(f"workbench for {args.article} as {annotator}: {notebook} (Ctrl-C stops JupyterLab)")
    lab = subprocess.Popen(lab_command(notebook, args.port, not args.no_browser), cwd=ROOT)
    try:
        lab.wait()
    except KeyboardInterrupt:  # one Ctrl-C stops JupyterLab and its kernels; saved work is on disk already
        lab.terminate()
        lab.wait(timeout=30)
        note("JupyterLab stopped; every change was already saved")


def run_accept(args: argparse.Namespace) -> None:
    """What changes is printed before any file is replaced: if standard output cannot take it, nothing
    was accepted. The files written are printed after."""
    plan = prepare_accept(args.article, args.names)
    write_stdout(plan.changes() + "\n")
    result = write_acceptance(plan)
    kept = f" (the previous ones are in {result.history})" if result.history else ""
    write_done(result.files() + "\n", f"the curated tables of {args.article} were replaced{kept}")
    learn_from_acceptance(plan.article_id, plan.tables["statements"])


def run_agreement(args: argparse.Namespace) -> None:
    check_stdout()
    result = article_agreement(args.article)
    write_stdout((result.to_json() if args.json else result.summary()) + "\n")
