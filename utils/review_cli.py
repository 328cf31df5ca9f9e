"""The review commands of ``opinions``: ``review`` (JupyterLab on the workbench), ``accept``, ``agreement``.

``utils.cli`` defines their arguments and calls the ``run_*`` functions. Bad input is an
:class:`~utils.errors.InputError`, which the CLI prints as one line (exit code 2).

``opinions review ARTICLE`` (or ``opinions review --dataset DATASET --people | --topics FILE
[--topic T]``: the people view or the topic queue of a corpus dataset, notebook 10) starts
JupyterLab, runs the notebook in a kernel of JupyterLab's own (a session for the notebook, its
cells executed through the kernel's connection file) and only then opens the notebook: the
browser finds the workbench running, and the workbench takes the keyboard as it appears. If the
cells cannot be run, it says so and opens the notebook anyway.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
import webbrowser
from pathlib import Path

import nbformat
from nbformat.sign import NotebookNotary

from utils.adjudication import merged_for_accept
from utils.agreement import article_agreement
from utils.annotations import check_annotator, check_slug, default_annotator, prepare_accept, write_acceptance
from utils.articles import bundled_article
from utils.console import check_stdout, note, write_done, write_stdout
from utils.errors import InputError
from utils.files import write_text_atomic
from utils.sessions import session_key
from utils.speaker_model import learn_from_acceptance

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "08_review_and_tag.ipynb"
COVERAGE_NOTEBOOK = ROOT / "notebooks" / "10_coverage_review.ipynb"
REVIEW_DIR = ROOT / "reports" / "review"
STARTUP_SECONDS = 120  # JupyterLab, then its kernel, must be up within this
OUTPUT_MESSAGES = ("stream", "display_data", "execute_result", "error")  # what a cell's outputs keep
CELL_SECONDS = 300  # one cell of the workbench notebook (the first opens the article and its store)


def review_notebook(article_id: str, annotator: str, adjudicate: bool = False) -> Path:
    """A copy of the workbench notebook with the article and annotator filled in (never in notebooks/),
    without outputs or saved widget state: the running kernel's workbench is the only one.
    ``adjudicate``: the notebook opens the adjudication view instead of the review."""
    check_slug(article_id, "article id")
    bundled_article(article_id)
    values = {"article": article_id, "annotator": annotator, "adjudicate": adjudicate}
    target = REVIEW_DIR / f"{'adjudicate' if adjudicate else 'review'}-{article_id}-{annotator}.ipynb"
    return _filled(NOTEBOOK, values, target)


def coverage_notebook(
    dataset: str | Path,
    annotator: str,
    topics: str | Path | None = None,
    topic: str = "",
    people: bool = False,
) -> Path:
    """A copy of the coverage notebook on the people view or the topic queue of a dataset, checked
    first by opening it here (opening writes nothing): a bad dataset, topics table or topic is one
    line before JupyterLab starts."""
    from utils.people_review import open_people_review  # here: accept and agreement need neither
    from utils.topic_queue import open_topic_queue

    if people:
        open_people_review(dataset, annotator)
    else:
        if not topics:
            raise InputError(None, "the topic queue needs the collection's topics table", "add --topics FILE")
        topic = open_topic_queue(dataset, topics, topic, annotator).topic.topic
    values = {
        "dataset": str(Path(dataset).resolve()),
        "articles": "",
        "topics": str(Path(topics).resolve()) if topics else "",
        "topic": topic,
        "people": people,
        "annotator": annotator,
    }
    key = session_key(dataset) if people else session_key(dataset, topics) + f"-{topic}"
    target = REVIEW_DIR / f"{'people' if people else 'queue'}-{key}-{annotator}.ipynb"
    return _filled(COVERAGE_NOTEBOOK, values, target)


def _filled(source: Path, values: dict[str, object], target: Path) -> Path:
    """``source`` with its parameters set to ``values``, without outputs or widget state, at ``target``."""
    notebook = nbformat.read(source, as_version=4)
    cell = next((c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])), None)
    if cell is None:
        raise InputError(source, "has no cell tagged 'parameters'", "restore the notebook from git")
    cell.source = "".join(f"{name} = {value!r}\n" for name, value in values.items())
    for code in notebook.cells:
        if code.cell_type == "code":
            code.outputs, code.execution_count = [], None
    notebook.metadata.pop("widgets", None)
    write_text_atomic(target, nbformat.writes(notebook))
    return target


def lab_command(notebook: Path, port: int, token: str) -> list[str]:
    """The JupyterLab command line (it opens no browser: the notebook is opened once it runs); as root
    it needs --allow-root."""
    command = [sys.executable, "-m", "jupyter", "lab", "--no-browser"]
    command += [f"--ServerApp.root_dir={ROOT}", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}"]
    command.append(f"--IdentityProvider.token={token}")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    return command


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _api(url: str, token: str, method: str = "GET", body: dict | None = None) -> dict:
    request = urllib.request.Request(
        url,
        data=None if body is None else json.dumps(body).encode(),
        method=method,
        headers={"Authorization": f"token {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read() or b"{}")


def wait_for_lab(base: str, token: str, lab: subprocess.Popen) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        try:
            _api(f"{base}/api/status", token)
            return
        except OSError:
            if lab.poll() is not None:
                raise InputError(
                    None, "JupyterLab stopped while starting", "see its messages above"
                ) from None
            if time.monotonic() > deadline:
                raise InputError(None, "JupyterLab did not start in time", "see its messages above") from None
            time.sleep(0.5)


def run_in_lab_kernel(base: str, token: str, notebook: Path) -> None:
    """Run the notebook's code cells in a kernel JupyterLab started for it, and save their outputs
    (signed as trusted, so the workbench's output renders): the kernel keeps the workbench alive."""
    from jupyter_client import BlockingKernelClient
    from jupyter_core.paths import jupyter_runtime_dir

    path = notebook.relative_to(ROOT).as_posix()
    body = {"path": path, "name": notebook.name, "type": "notebook", "kernel": {"name": "python3"}}
    kernel = _api(f"{base}/api/sessions", token, "POST", body)["kernel"]["id"]
    connection = Path(jupyter_runtime_dir()) / f"kernel-{kernel}.json"
    deadline = time.monotonic() + STARTUP_SECONDS
    while not connection.is_file():
        if time.monotonic() > deadline:
            raise InputError(connection, "did not appear: the kernel did not start", "see the messages above")
        time.sleep(0.2)
    client = BlockingKernelClient()
    client.load_connection_file(str(connection))
    client.start_channels()
    try:
        client.wait_for_ready(timeout=STARTUP_SECONDS)
        cells = nbformat.read(notebook, as_version=4)
        for cell in (c for c in cells.cells if c.cell_type == "code"):
            _run_cell(client, cell)
    finally:
        client.stop_channels()
    NotebookNotary().sign(cells)
    write_text_atomic(notebook, nbformat.writes(cells))


def _run_cell(client, cell) -> None:
    """Execute one cell; its outputs as a notebook keeps them. A cell that fails stops the run."""
    outputs: list = []

    def keep(message: dict) -> None:
        kind = message["msg_type"]
        if kind == "clear_output":
            outputs.clear()
        elif kind in OUTPUT_MESSAGES:
            outputs.append(nbformat.v4.output_from_msg(message))

    reply = client.execute_interactive(cell.source, output_hook=keep, timeout=CELL_SECONDS)
    cell.outputs, cell.execution_count = outputs, reply["content"].get("execution_count")
    if reply["content"]["status"] != "ok":
        error = reply["content"]
        raise InputError(None, f"a cell failed: {error.get('ename')}: {error.get('evalue')}", "")


def run_review(args: argparse.Namespace) -> None:
    annotator = check_annotator(args.annotator) if args.annotator else default_annotator()
    notebook, what = _review_target(args, annotator)
    port, token = args.port or free_port(), secrets.token_hex(24)
    base = f"http://127.0.0.1:{port}"
    link = f"{base}/lab/tree/{notebook.relative_to(ROOT).as_posix()}?token={token}"
    note(f"starting JupyterLab for {what} as {annotator} …")
    lab = subprocess.Popen(lab_command(notebook, port, token), cwd=ROOT)
    try:
        wait_for_lab(base, token, lab)
        try:
            run_in_lab_kernel(base, token, notebook)
            note(f"workbench running: {what} as {annotator} in {link}")
            note("it has the keyboard when the page opens; every change is saved at once (Ctrl-C stops all)")
        except (InputError, OSError, RuntimeError, TimeoutError) as exc:
            why = exc.message if isinstance(exc, InputError) else f"{type(exc).__name__}: {exc}"
            note(f"the workbench could not be started ({why}); run the notebook's cells in {link}")
        if not args.no_browser:
            webbrowser.open(link)
        lab.wait()
    except KeyboardInterrupt:  # one Ctrl-C stops JupyterLab and its kernels; saved work is on disk already
        lab.terminate()
        lab.wait(timeout=30)
        note("JupyterLab stopped; every change was already saved")
    finally:
        if lab.poll() is None:
            lab.terminate()
            lab.wait(timeout=30)


def _review_target(args: argparse.Namespace, annotator: str) -> tuple[Path, str]:
    """The notebook to open and what it shows: an article, or a dataset's people view or topic queue."""
    dataset = getattr(args, "dataset", None)
    if bool(args.article) == bool(dataset):
        raise InputError(
            None, "give an article, or --dataset DATASET", "opinions review ARTICLE | --dataset DATASET"
        )
    if not dataset:
        if args.people or args.topics or args.topic:
            raise InputError(
                None, "--people, --topics and --topic go with --dataset", "add --dataset DATASET"
            )
        return review_notebook(args.article, annotator, args.adjudicate), args.article
    if args.adjudicate:
        raise InputError(None, "--adjudicate is for an article", "drop --adjudicate, or give an article")
    if args.people and (args.topics or args.topic):
        raise InputError(None, "--people is its own view", "give --people, or --topics FILE [--topic T]")
    if args.topic and not args.topics:
        raise InputError(None, f"--topic {args.topic} needs the topics table it is in", "add --topics FILE")
    if not args.people and not args.topics:
        raise InputError(None, "--dataset needs --people or --topics FILE", "choose the view to open")
    notebook = coverage_notebook(dataset, annotator, args.topics, args.topic or "", args.people)
    return notebook, f"the {'people' if args.people else 'topic queue'} of {Path(dataset).name}"


def run_accept(args: argparse.Namespace) -> None:
    """What changes is printed before any file is replaced: if standard output cannot take it, nothing
    was accepted. The files written are printed after."""
    several = args.names and len(set(args.names)) > 1
    plan = prepare_accept(
        args.article, args.names, merged_for_accept(args.article, args.names) if several else None
    )
    write_stdout(plan.changes() + "\n")
    result = write_acceptance(plan)
    kept = f" (the previous ones are in {result.history})" if result.history else ""
    write_done(result.files() + "\n", f"the curated tables of {args.article} were replaced{kept}")
    learn_from_acceptance(plan.article_id, plan.tables["statements"])


def run_agreement(args: argparse.Namespace) -> None:
    check_stdout()
    result = article_agreement(args.article)
    write_stdout((result.to_json() if args.json else result.summary()) + "\n")
