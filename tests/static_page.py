"""The Chromium checks every single-file page shares (dossier, comparison): nothing from the corpus
runs, nothing loads, nothing covers the page, and it fits the width."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import ROOT

ARTIFACTS = ROOT / "test-artifacts"


def open_watched(browser, path: Path, width: int) -> tuple[object, dict[str, list[str]]]:
    """The page at ``width`` px, with what it tried to do: dialogs, console errors, requests."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    seen: dict[str, list[str]] = {"dialogs": [], "errors": [], "requests": []}
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.goto(path.as_uri())
    page.mouse.move(width / 2, 300)
    return page, seen


def assert_inert_and_fits(page, seen: dict[str, list[str]], width: int) -> None:
    """No dialog, no console error, no request off the file, no fixed element over the page, no
    sideways scrolling."""
    assert seen["dialogs"] == [] and seen["errors"] == []
    assert [u for u in seen["requests"] if not u.startswith("file:")] == []
    covering = page.evaluate(
        "() => [...document.querySelectorAll('body *')]"
        ".filter(e => getComputedStyle(e).position === 'fixed').length"
    )
    assert covering == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=False)
