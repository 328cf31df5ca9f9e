"""Report benchmark: time to render the HTML report, its size, and how fast it opens in Chromium.

Usage: python benchmarks/report_bench.py [ARTICLE] [--runs N]

Renders the report N times (default 3) into a temporary folder and prints the median
render time and the file size; then opens it in headless Chromium N times and prints the
median time until the statements table is interactive and the count of highlights.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from utils.report import render_report

FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def browser_times(page_path: Path, runs: int) -> list[float] | None:
    """Seconds from navigation until the table has rows, per run; None without Chromium."""
    executable = shutil.which("chromium")
    if not executable:
        return None
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=FLAGS)
        for _ in range(runs):
            page = browser.new_page()
            started = time.perf_counter()
            page.goto(page_path.as_uri())
            page.wait_for_selector("#eo-statements tbody tr")
            times.append(time.perf_counter() - started)
            page.close()
        browser.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("article", nargs="?", default="kursk-2025-01")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        renders = []
        for _ in range(args.runs):
            started = time.perf_counter()
            path = render_report(args.article, tmp)
            renders.append(time.perf_counter() - started)
        print(
            f"report {path.name}: {path.stat().st_size / 1e6:.2f} MB; "
            f"render (papermill + nbconvert) median {statistics.median(renders):.1f} s "
            f"over {args.runs} runs (min {min(renders):.1f}, max {max(renders):.1f})"
        )
        opened = browser_times(path, args.runs)
        if opened is None:
            print("browser: Chromium not found (apt-get install -y chromium) — open time not measured")
        else:
            print(
                f"browser: table interactive after median {statistics.median(opened) * 1000:.0f} ms "
                f"(headless Chromium, file://, {args.runs} loads)"
            )


if __name__ == "__main__":
    main()
