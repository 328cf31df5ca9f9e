"""Shared fixtures: a private copy of the data folder, the bundled article, the rendered report."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
KURSK = "kursk-2025-01"
EXPERTS = ["Mick Ryan", "Rafael Loss", "Robert Kagan", "Brock Bierman", "Serhiy Grabsky"]


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A throw-away copy of data/ that the code under test uses instead of the real one."""
    copy = tmp_path / "data"
    shutil.copytree(ROOT / "data", copy)
    monkeypatch.setenv("EXPERT_OPINIONS_DATA", str(copy))
    return copy


@pytest.fixture(scope="session")
def kursk_analysis():
    from utils.analysis import analyse_ref

    return analyse_ref(KURSK)


@pytest.fixture(scope="session")
def rendered_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled article's HTML report, rendered once per test session."""
    from utils.report import render_report

    return render_report(KURSK, tmp_path_factory.mktemp("reports"))


def shared_or_skip(name: str) -> Path:
    """A folder of ../shared; tests that need it skip with the reason when it is absent."""
    path = SHARED / name
    if not path.is_dir():
        pytest.skip(f"{path} is not present (it sits beside the repository in CI)")
    return path


def chromium_or_skip() -> str:
    """Debian's Chromium; in CI its absence is a failure, elsewhere the browser tests say so and skip."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path:
        return path
    if os.environ.get("CI"):
        pytest.fail("Chromium is not installed; .ci/run installs it with apt-get install -y chromium")
    pytest.skip("browser tests need Chromium: apt-get install -y chromium (CI installs it)")


BROWSER_FLAGS = [  # headless Chromium as root, with no background network traffic
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    executable = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=BROWSER_FLAGS)
        yield launched
        launched.close()
