"""Driving the workbench in a real JupyterLab with Playwright and Debian's Chromium.

Shared by ``tests/test_workbench_lab.py`` and ``benchmarks/review_replay.py``. A server runs on a
throw-away folder (its own data folder through EXPERT_OPINIONS_DATA, its own Jupyter config,
runtime and IPython folders), on 127.0.0.1 with a random token, and is killed with its kernels.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

STATE_VERSION = "(document.querySelector('.eo-wb:not(.eo-dead)') || {dataset: {}}).dataset.version || ''"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def lab_env(home: Path) -> dict[str, str]:
    """The environment of a server (and its kernels) that touches nothing outside ``home``."""
    return {
        **os.environ,
        "EXPERT_OPINIONS_DATA": str(home / "data"),
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTER_DATA_DIR": str(home / "jupyter-data"),
        "IPYTHONDIR": str(home / "ipython"),
    }


def lab_flags(home: Path) -> list[str]:
    """Settings that keep JupyterLab quiet and its state inside ``home``."""
    return [
        "--LabApp.expose_app_in_browser=True",
        f"--LabApp.workspaces_dir={home / 'workspaces'}",
        f"--LabApp.user_settings_dir={home / 'settings'}",
        "--LabApp.news_url=",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]


def wait_for_server(url: str, token: str, server: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
            return
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"JupyterLab did not start: {log.read_text()[-2000:]}") from None
            time.sleep(0.5)


@contextlib.contextmanager
def running(command: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen]:
    """A process in its own session, killed with everything it started (kernels included) at the end."""
    with log.open("w") as out:
        process = subprocess.Popen(
            command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            yield process
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@contextlib.contextmanager
def jupyterlab(home: Path, python: str = sys.executable, pythonpath: str = "") -> Iterator[dict[str, object]]:
    """JupyterLab serving ``home`` (which holds data/ and notebooks/); yields url, token, home."""
    port, token = free_port(), secrets.token_hex(16)
    env = lab_env(home)
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    command = [
        python, "-m", "jupyter", "lab", "--no-browser", "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={home}",
        *lab_flags(home),
    ]  # fmt: skip
    if os.geteuid() == 0:
        command.append("--allow-root")
    with running(command, env, home / "lab.log") as server:
        url = f"http://127.0.0.1:{port}"
        wait_for_server(url, token, server, home / "lab.log")
        yield {"url": url, "token": token, "home": home}


def open_lab_page(browser, url: str, app: bool = True):
    """A page on JupyterLab; ``app``: wait for the app its tests drive (``expose_app_in_browser``)."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.requests = []  # type: ignore[attr-defined]
    page.on("request", lambda r: page.requests.append(r.url))
    page.goto(url)
    if app:
        page.wait_for_function("window.jupyterapp && window.jupyterapp.shell.currentWidget", timeout=90_000)
    return page


def command(page, name: str) -> None:
    """Run a JupyterLab command without waiting for it (a restart waits for its dialog)."""
    page.evaluate(f"() => {{ window.jupyterapp.commands.execute({name!r}); }}")


def wait_kernel_idle(page) -> None:
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    page.wait_for_function(
        "() => { const w = window.jupyterapp.shell.currentWidget;"
        " return w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel"
        " && w.sessionContext.session.kernel.status === 'idle'; }",
        timeout=120_000,
    )


LIVE = ".eo-wb[data-ready]:not(.eo-dead) .eo-progress"  # a workbench its kernel has answered


def run_all(page, live: str = LIVE) -> None:
    """Run every cell and wait for a live workbench (``live``: the selector that says so)."""
    wait_kernel_idle(page)
    command(page, "notebook:run-all-cells")
    page.wait_for_selector(live, timeout=120_000)


def wait_focused(page) -> None:
    """Wait until a workbench has the keyboard, as a person sees it before pressing keys: a key pressed
    earlier goes to JupyterLab, and counts as the person having moved on (the view then stays unfocused)."""
    page.wait_for_function("document.activeElement && document.activeElement.classList.contains('eo-wb')")


def press(page, key: str, expect_change: bool = True, timeout: float = 30_000) -> None:
    """Press a key in the workbench and wait for Python's new state to be drawn."""
    before = page.evaluate(STATE_VERSION)
    page.keyboard.press(key)
    if expect_change:
        page.wait_for_function(f"v => ({STATE_VERSION}) !== v", arg=before, timeout=timeout)


def type_text(page, text: str) -> None:
    page.keyboard.type(text)


def current_id(page) -> str:
    return page.locator(".eo-wb .eo-id").inner_text()


def select_range(page, start: int, end: int) -> str:
    """Drag the mouse over article characters ``start``-``end`` in the workbench's article pane, as a
    person selecting them would; returns the selected text."""
    box = page.evaluate(
        """([start, end]) => {
          const pane = document.querySelector('.eo-wb:not(.eo-dead) .eo-article');
          function point(offset, after) {
            for (const p of pane.querySelectorAll('p[data-start]')) {
              let at = Number(p.dataset.start);
              const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
              for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const n = node.textContent.length;
                const i = after ? offset - 1 - at : offset - at;
                if (i >= 0 && i < n) return [node, i];
                at += n;
              }
            }
            return null;
          }
          const a = point(start, false), b = point(end, true);
          if (!a || !b) return null;
          const rect = ([node, i]) => {
            const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1);
            const rs = r.getClientRects(); return rs[rs.length - 1] || r.getBoundingClientRect();
          };
          a[0].parentElement.scrollIntoView({block: 'center'});
          const first = rect(a), last = rect(b);
          return {x1: first.left + 0.5, y1: first.top + first.height / 2,
                  x2: last.right - 0.5, y2: last.top + last.height / 2};
        }""",
        [start, end],
    )
    assert box, f"characters {start}-{end} are not in the article pane"
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move(box["x2"], box["y2"], steps=6)
    page.mouse.up()
    return page.evaluate("window.getSelection().toString()")


def select_words(page, words: str) -> None:
    """Select ``words`` (their first occurrence in the article pane) with the mouse."""
    paragraphs = "[...document.querySelectorAll('.eo-wb:not(.eo-dead) .eo-article p')]"
    text = page.evaluate(f"() => {paragraphs}.map(p => p.textContent)")
    starts = page.evaluate(f"() => {paragraphs}.map(p => Number(p.dataset.start))")
    for paragraph, offset in zip(text, starts, strict=True):
        if words in paragraph:
            at = offset + paragraph.index(words)
            assert select_range(page, at, at + len(words)) == words
            return
    raise AssertionError(f"{words!r} is not in the article pane")


def copy_notebook(source: Path, target: Path) -> None:
    """A notebook without the widget state saved in it: a live kernel's workbench is the only one."""
    import nbformat

    notebook = nbformat.read(source, as_version=4)
    notebook.metadata.pop("widgets", None)
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, target)


def read_store(home: Path, article: str, annotator: str, table: str = "statements") -> pd.DataFrame:
    """One of a person's annotation tables as it is on disk, every cell as text."""
    path = home / "data" / "annotations" / article / f"{annotator}.{table}.csv"
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
