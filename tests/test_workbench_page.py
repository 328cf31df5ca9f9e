"""The workbench's front end (``workbench.js``) in Chromium, on a state the Python side made, with a
stand-in for the widget model: what a suggestion shows, without starting JupyterLab."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import KURSK, ROOT

SCRIPT = (ROOT / "utils" / "resources" / "workbench.js").read_text(encoding="utf-8")
HOSTILE = "<img src=x onerror=window.ran=1>"


def page_with(browser, state: dict, article: dict):
    """A blank page whose module renders the workbench from ``state`` (a model that only answers get/on)."""
    page = browser.new_page()
    page.set_content("<div id='root'></div>")
    page.add_script_tag(
        type="module",
        content=SCRIPT.replace("export default { render };", "window.workbench = { render };")
        + f"""
const values = {{ state: {json.dumps(state)}, article: {json.dumps(article)} }};
const model = {{ get: (k) => values[k], on: () => {{}}, off: () => {{}}, send: () => {{}},
  set: () => {{}}, save_changes: () => {{}} }};
render({{ model, el: document.getElementById("root") }});
window.rendered = true;
""",
    )
    page.wait_for_function("window.rendered === true")
    return page


@pytest.mark.parametrize(
    ("around", "shown"),
    [
        ([], None),
        (["you labelled 2 of 3 statements in its paragraph as addressing it"], "in its paragraph"),
        ([HOSTILE], HOSTILE),  # text, never markup
    ],
)
def test_a_suggestion_shows_what_the_person_s_labels_around_it_say(
    data_copy: Path, browser, around: list[str], shown: str | None
) -> None:
    from utils.workbench import open_workbench

    bench = open_workbench(KURSK, "ann")
    state = json.loads(json.dumps(bench.state, default=str))
    topic = state["topics"][0]["topic"]
    state["suggestions"][topic]["around"] = around
    page = page_with(browser, state, json.loads(json.dumps(bench.article, default=str)))
    try:
        found = page.locator(".eo-suggestion .eo-around")
        if shown is None:
            assert found.count() == 0
        else:
            assert shown in found.first.inner_text()
            assert page.evaluate("window.ran") is None
    finally:
        page.close()
