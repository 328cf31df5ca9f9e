"""Replay a fixed list of corrections in the review workbench, in a real JupyterLab, and count the keys.

    python benchmarks/review_replay.py [LIST.json] [--shared ../shared] [--before REV | --no-before] [--show]

The list (``benchmarks/review_replay/*.json``, written by ``benchmarks/review_corrections.py``)
freezes what the extractor found in a corpus article the rules were not tuned on, and what a
careful reviewer must end with (the article's gold table in ``tests/gold/corpus/``). A scripted
reviewer works through it in reading order with Playwright and Debian's Chromium, pressing keys
and dragging the mouse as a person would, in JupyterLab on a throw-away data folder:

* **after**: this workbench. Each statement: ``a`` when it is right; span ends moved by keys
  when at most two presses (by word, or by clause with Alt) reach the goal, else a selection and
  ``e``; the speaker form with the fewest letters, typed from the start of any word of the name,
  that make the wanted name the first candidate; an affiliation selected in the article when it
  is there (then ``f``), brought by the name, or typed the same way; Shift+Enter (every row of
  the person) when all of that person's rows need the same fix.
* **before**: the same list with the keys of the workbench at ``--before`` (default: the commit
  this work started from), run from a ``git archive`` of that commit: word-by-word span ends, the
  speaker form that renames every row unless its box is unticked, affiliations typed in full, and
  ``a`` that moves to the next row in article order (the reviewer walks back with ``k``). Its
  speaker form had a list of the article's names: a name typed only as far as that list needs plus
  two keys to take it is counted when that is cheaper (the list is the browser's own and is not
  driven headless; the name is filled in full).

Counted per statement of the final table: command keys (every key that is not a typed character,
Enter and Tab included), selections (one mouse drag each), and typed characters. After every
statement the annotation file on disk is read back and its row compared with what the list asks
(speaker, affiliation, kind, span, text, reviewed); at the end the whole table must be the gold
table, and ``opinions accept`` must make it the curated table. A benchmark: it prints figures and
exits 1 only when a state on disk is wrong.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import unicodedata
import warnings
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pandas as pd
from playwright.sync_api import TimeoutError as PlaywrightTimeout

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.labdriver import (  # noqa: E402
    LIVE,
    current_id,
    jupyterlab,
    lab_env,
    open_lab_page,
    press,
    read_store,
    run_all,
    select_range,
)
from utils import annotations as an  # noqa: E402
from utils.articles import load_article  # noqa: E402
from utils.console import write_stdout  # noqa: E402
from utils.report import BROWSER_ARGS  # noqa: E402
from utils.spreadsheet import write_table  # noqa: E402
from utils.workbench import affiliation_candidates, name_candidates  # noqa: E402

LIST = ROOT / "benchmarks" / "review_replay" / "theguardian-2019-what-is-the-sea-telling-us-maori.json"
BEFORE = "c7ae1ba"  # main when issue 18's repairs began
NOTEBOOK = ROOT / "notebooks" / "08_review_and_tag.ipynb"
ANNOTATOR = "replay"
TYPED_PER_KEY = 4  # choosing between ways: four typed characters cost about one command key
GOALS = (2.0, 8.0)  # commands and typed characters per statement (issue 18)
ACCEPT = "import sys; from utils.cli import main; sys.exit(main(sys.argv[1:]))"  # opinions accept ...


@dataclass
class Target:
    """One statement of the final table: where it starts from, and what it must be."""

    origin: str  # a machine row's id, or "add"
    start: int
    end: int
    speaker: str
    affiliation: str
    kind: str
    text: str


@dataclass
class Count:
    keys: int = 0
    selections: int = 0
    typed: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def commands(self) -> int:
        return self.keys + self.selections


def load_list(path: Path, shared: Path) -> tuple[dict, str, list[Target]]:
    listing = json.loads(path.read_text(encoding="utf-8"))
    text = load_article(shared / "corpus" / f"{listing['article']}.txt", listing["article"]).text
    gold = pd.read_csv(ROOT / listing["gold"], dtype=str, keep_default_na=False)
    targets = [
        Target(
            row["from"],
            row["start"],
            row["end"],
            *gold.loc[row["gold_row"], ["speaker", "affiliation", "kind", "text"]],
        )
        for row in listing["statements"]
    ]
    return listing, text, targets


# --- the throw-away home: the article, the machine's rows as a curated seed, the notebook


def make_home(listing: dict, text: str, provenance: bool, notebook_file: Path = NOTEBOOK) -> Path:
    home = Path(tempfile.mkdtemp(prefix="review-replay-"))
    article = listing["article"]
    (home / "data" / "articles").mkdir(parents=True)
    (home / "data" / "articles" / f"{article}.txt").write_text(text, encoding="utf-8")
    seed = pd.DataFrame(listing["seed"])
    seed["text"] = [
        an.statement_text(text, r.start, r.end, r.kind, r.cue, r.speaker) for r in seed.itertuples()
    ]
    seed["reviewed_by"] = ""
    columns = ["id", "speaker", "affiliation", "kind", "text", "start", "end", "cue"]
    columns += ["rule", "confidence", "reviewed_by"] if provenance else ["reviewed_by"]
    (home / "data" / "curated").mkdir()
    write_table(home / "data" / "curated" / f"{article}.statements.csv", seed[columns])
    notebook = nbformat.read(notebook_file, as_version=4)
    notebook.metadata.pop("widgets", None)
    cell = next(c for c in notebook.cells if "parameters" in c.metadata.get("tags", []))
    cell.source = f"article = {article!r}\nannotator = {ANNOTATOR!r}\nadjudicate = False\n"
    (home / "notebooks").mkdir()
    nbformat.write(notebook, home / "notebooks" / "replay.ipynb")
    return home


# --- a reviewer at the keyboard


class Reviewer:
    """Keys, typing and selections in the workbench, counted; the store read back from disk."""

    def __init__(self, page, home: Path, article: str, text: str) -> None:
        self.page, self.home, self.article, self.text = page, home, article, text
        self.count = Count()

    def key(self, name: str, change: bool = True, maybe: bool = False) -> None:
        """Press a key (counted); wait for the new state unless ``change`` is False; with ``maybe`` a
        state that does not change (the old ``a`` on an already reviewed last row) is no error."""
        try:
            press(self.page, name, expect_change=change, timeout=3_000 if maybe else 30_000)
        except PlaywrightTimeout:
            if not maybe:
                raise
        self.count.keys += 1

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)
        self.count.typed += len(text)

    def select(self, start: int, end: int) -> None:
        selected = select_range(self.page, start, end)
        if " ".join(selected.split()) != " ".join(self.text[start:end].split()):
            raise AssertionError(f"selected {selected!r}, not {self.text[start:end]!r}")
        self.count.selections += 1

    def rows(self) -> pd.DataFrame:
        path = self.home / "data" / "annotations" / self.article / f"{ANNOTATOR}.statements.csv"
        if not path.exists():
            return pd.read_csv(
                self.home / "data" / "curated" / f"{self.article}.statements.csv",
                dtype=str,
                keep_default_na=False,
                encoding="utf-8-sig",
            ).set_index("id")
        return read_store(self.home, self.article, ANNOTATOR).set_index("id")

    def row(self, statement_id: str) -> pd.Series:
        return self.rows().loc[statement_id]

    def current(self) -> str:
        return current_id(self.page)

    def goto(self, statement_id: str) -> None:
        """Walk to a statement with j / k (counted): what a reviewer does when the workbench is elsewhere."""
        for _ in range(200):
            here = self.current()
            if here == statement_id:
                return
            rows = self.rows()
            ahead = (int(rows.loc[statement_id, "start"]), statement_id) > (
                int(rows.loc[here, "start"]),
                here,
            )
            self.key("j" if ahead else "k")
        raise AssertionError(f"could not reach {statement_id}")

    def same_person(self, speaker: str, targets: list[Target]) -> list[Target]:
        """The statements whose row on disk now has ``speaker`` (what "every row of this person" changes)."""
        ids = set(self.rows().query("speaker == @speaker").index)
        return [t for t in targets if t.origin in ids]

    def added_id(self, before: set[str]) -> str:
        (new,) = set(self.rows().index) - before
        return new


def candidate(page, field: str) -> str:
    """The highlighted name or affiliation (``field``) in the speaker form, or ''."""
    found = page.locator(f".eo-{field}-candidates .eo-highlight .eo-candidate-text")
    return found.inner_text() if found.count() else ""


def edge_presses(text: str, at: int, goal: int, edge: str, by_clause: bool) -> list[tuple[int, str]]:
    """The fewest span-end moves (step, 'word' or 'clause') from ``at`` to ``goal`` (breadth first)."""
    ways = ["word", "clause"] if by_clause else ["word"]
    stops = {by: an.span_stops(text, edge, by) for by in ways}
    seen, queue = {at: []}, deque([at])
    while queue:
        here = queue.popleft()
        if here == goal:
            return seen[here]
        if len(seen[here]) >= 12:
            continue
        for by in ways:
            for step in (-1, 1):
                options = [p for p in stops[by] if (p > here if step > 0 else p < here)]
                if options:
                    there = options[0] if step > 0 else options[-1]
                    if there not in seen:
                        seen[there] = [*seen[here], (step, by)]
                        queue.append(there)
    return [(0, "")] * 99  # unreachable by keys


def span_key(edge: str, step: int, by: str) -> str:
    key = {("start", -1): "[", ("start", 1): "]", ("end", -1): "{", ("end", 1): "}"}[(edge, step)]
    return f"Alt+{key}" if by == "clause" else key


# --- after: this workbench


def reach(r: Reviewer, t: Target) -> str:
    """Get to the statement (add it from a selection when the machine missed it) and set its kind."""
    if t.origin == "add":
        before = set(r.rows().index)
        r.select(t.start, t.end)
        r.key("n")
        sid = r.added_id(before)
    else:
        sid = t.origin
        r.goto(sid)
    if r.row(sid)["kind"] != t.kind:
        r.key("q")
    return sid


def fix_after(r: Reviewer, t: Target, everyone: list[Target]) -> str:
    """Bring one statement to its target with this workbench's keys; returns its id."""
    sid = reach(r, t)
    row = r.row(sid)
    if (int(row["start"]), int(row["end"])) != (t.start, t.end):
        moves = [
            (edge, step, by)
            for edge, at, goal in (("start", int(row["start"]), t.start), ("end", int(row["end"]), t.end))
            for step, by in edge_presses(r.text, at, goal, edge, by_clause=True)
        ]
        if len(moves) <= 2 and all(by for _, _, by in moves):
            for edge, step, by in moves:
                r.key(span_key(edge, step, by))
        else:
            r.select(t.start, t.end)
            r.key("e")
    row = r.row(sid)
    if row["speaker"] == t.speaker and row["affiliation"] == t.affiliation:
        r.key("a")
        return sid
    attribution_after(r, row, t, everyone)
    return sid


def attribution_after(r: Reviewer, row: pd.Series, t: Target, everyone: list[Target]) -> None:
    """The speaker form: the cheapest way to the wanted name and affiliation, this row or all the person's."""
    page = r.page
    same = r.same_person(row["speaker"], everyone)
    every = len(same) > 1 and all((x.speaker, x.affiliation) == (t.speaker, t.affiliation) for x in same)
    in_text = t.affiliation and t.affiliation in r.text and t.affiliation != row["affiliation"]
    if in_text and row["speaker"] == t.speaker:  # select the affiliation in the article, then f
        at = r.text.index(t.affiliation)
        r.select(at, at + len(t.affiliation))
        r.key("f", change=False)
    elif row["speaker"] == t.speaker:  # the affiliation only: f opens the form on it
        r.key("f", change=False)
        type_until(r, t.affiliation, "affiliation", int(row["start"])) if t.affiliation else r.key(
            "Backspace", change=False
        )
    else:
        r.key("s", change=False)
        if row["speaker"] != t.speaker:
            type_until(r, t.speaker, "name", int(row["start"]))
        if page.locator(".eo-affiliation-input").input_value() != t.affiliation:
            r.key("Tab", change=False)
            if t.affiliation:
                type_until(r, t.affiliation, "affiliation", int(row["start"]))
            else:
                r.key("Backspace", change=False)  # the field's text is selected when it takes the focus
    r.key("Shift+Enter" if every else "Enter")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().replace("’", "'").lower()


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[^\w']+", _fold(text)) if w]


def first_candidate(typed: str, items: list[tuple[str, float]]) -> str:
    """The candidate the speaker form highlights for ``typed`` (its rule, from workbench.js ``matching``):
    every typed word starts a word of the value; the value typed in full, then values starting with
    it, then by rank."""
    words = _words(typed)
    hits = [
        (v, rank)
        for v, rank in items
        if words and all(any(o.startswith(w) for o in _words(v)) for w in words)
    ]
    whole = _fold(typed).strip()
    hits.sort(key=lambda h: (-1 if _fold(h[0]) == whole else 0 if _fold(h[0]).startswith(whole) else 1, h[1]))
    return hits[0][0] if hits else ""


def fewest_letters(value: str, items: list[tuple[str, float]]) -> str:
    """The shortest text, typed from the start of one of the value's words, that makes it the first
    candidate; the whole value when none does."""
    found = []
    for start in [m.start() for m in re.finditer(r"\S+", value)]:
        for end in range(start + 1, len(value) + 1):
            if first_candidate(value[start:end], items) == value:
                found.append(value[start:end])
                break
    return min(found, key=len) if found else value


def type_until(r: Reviewer, value: str, field: str, statement_start: int) -> None:
    """Type as few letters as make the wanted name (or affiliation) the first candidate; Enter takes it.
    A value no candidate offers is typed in full (with ↑ above any candidate: the text as typed)."""
    rows = r.rows()
    if field == "name":
        items = [
            (
                c["name"],
                (0 if c["rows"] else 1) * 1e9 + min([abs(a - statement_start) for a in c["at"]] or [1e9]),
            )
            for c in name_candidates(r.text, rows.reset_index())
        ]
    else:
        items = [(c["value"], 0.0) for c in affiliation_candidates(rows.reset_index())]
    typed = fewest_letters(value, items)
    r.type(typed)
    if candidate(r.page, field) != value and typed != value:
        r.count.notes.append(f"typed {typed!r}: the form offered {candidate(r.page, field)!r}, not {value!r}")
        r.key("Control+a", change=False)
        r.type(value)
    if candidate(r.page, field) and candidate(r.page, field) != value:
        r.key("ArrowUp", change=False)  # above the first candidate: the text as typed


# --- before: the workbench at --before


def fix_before(r: Reviewer, t: Target, everyone: list[Target]) -> str:
    """The same with the keys of the workbench at --before; returns the statement's id."""
    sid = reach(r, t)
    for edge, goal in (("start", t.start), ("end", t.end)):
        walk_edge(r, sid, edge, goal)
    row = r.row(sid)
    page = r.page
    if row["speaker"] != t.speaker:
        others = r.same_person(row["speaker"], everyone)
        rows_now = (r.rows()["speaker"] == row["speaker"]).sum()
        all_same = all(x.speaker == t.speaker for x in others)
        r.key("s", change=False)
        names = sorted(set(r.rows()["speaker"]))
        page.locator(".eo-speaker-input").fill(t.speaker)
        r.count.typed += datalist_cost(r, t.speaker, names)
        if rows_now > 1 and not all_same:  # untick "all rows by this name"
            for key in ("Tab", "Space", "Shift+Tab"):
                r.key(key, change=False)
        r.key("Enter")
    row = r.row(sid)
    if row["affiliation"] != t.affiliation:
        r.key("f", change=False)
        page.locator(".eo-affiliation-input").fill(t.affiliation)
        r.count.typed += len(t.affiliation)
        if not t.affiliation:
            r.count.keys += 1  # clearing the field: one Backspace (the text is selected on opening)
        others = r.same_person(row["speaker"], everyone)
        if len(others) > 1 and all(x.affiliation == t.affiliation for x in others):
            for key in ("Tab", "Space", "Shift+Tab"):  # tick "every statement by this speaker"
                r.key(key, change=False)
        r.key("Enter")
    r.key("a", maybe=True)
    return sid


def datalist_cost(r: Reviewer, name: str, names: list[str]) -> int:
    """Typed characters for a name in the old form: in full, or as far as its list of names needs and two
    keys to take it (counted here as keys), whichever is cheaper."""
    if name in names:
        for k in range(1, len(name) + 1):
            typed = name[:k].casefold()
            hits = [n for n in names if any(w.casefold().startswith(typed) for w in [n, *n.split()])]
            if hits and hits[0] == name:
                if 2 * TYPED_PER_KEY + k < len(name):
                    r.count.keys += 2
                    return k
                break
    return len(name)


def walk_edge(r: Reviewer, sid: str, edge: str, goal: int) -> None:
    """Word by word toward the goal (the old keys); one press back when a press went past it."""
    for _ in range(80):
        at = int(r.row(sid)[edge])
        if at == goal:
            return
        step = 1 if goal > at else -1
        r.key(span_key(edge, step, "word"))
        now = int(r.row(sid)[edge])
        if now == at:
            break
        if (now - goal) * (at - goal) < 0:  # past the goal: back one word, as close as words get
            r.key(span_key(edge, -step, "word"))
            break
    r.count.notes.append(f"{edge} {int(r.row(sid)[edge])} for {goal}: words do not reach it")


# --- one replay


def replay(
    listing: dict,
    text: str,
    targets: list[Target],
    fix: Callable,
    browser,
    home: Path,
    pythonpath: str = "",
    check_text: bool = True,
    show: bool = False,
) -> tuple[list[Count], list[str]]:
    """Run the list in JupyterLab on ``home``; per statement counts, and the problems found on disk."""
    counts, problems = [], []
    with jupyterlab(home, pythonpath=pythonpath) as lab:
        page = open_lab_page(browser, f"{lab['url']}/lab/tree/notebooks/replay.ipynb?token={lab['token']}")
        run_all(page, live=".eo-wb .eo-progress" if pythonpath else LIVE)  # the old widget has no data-ready
        page.locator(".eo-wb .eo-head").click()
        r = Reviewer(page, home, listing["article"], text)
        for sid in listing["delete"]:
            r.count = Count()
            r.goto(sid)
            r.key("x")
            counts.append(r.count)
        for t in targets:
            r.count = Count()
            sid = fix(r, t, targets)
            got = r.row(sid)
            wanted = {
                "speaker": t.speaker,
                "affiliation": t.affiliation,
                "kind": t.kind,
                "reviewed_by": ANNOTATOR,
            }
            if check_text:
                wanted |= {"start": str(t.start), "end": str(t.end), "text": t.text}
            wrong = {k: (got[k], v) for k, v in wanted.items() if got[k] != v}
            if wrong:
                problems.append(f"{sid}: {wrong}")
            counts.append(r.count)
            if show:
                c = r.count
                write_stdout(
                    f"  {sid:>4} {t.origin:>4}  keys {c.keys} selections {c.selections} typed {c.typed}"
                    f"{'  ' + '; '.join(c.notes) if c.notes else ''}\n"
                )
        page.close()
    return counts, problems


def final_checks(home: Path, listing: dict, targets: list[Target]) -> list[str]:
    """The whole table on disk is the gold table, all reviewed; accept makes it the curated table."""
    problems = []
    store = read_store(home, listing["article"], ANNOTATOR)
    columns = ["speaker", "affiliation", "kind", "text"]
    have = sorted(map(tuple, store[columns].values.tolist()))
    want = sorted((t.speaker, t.affiliation, t.kind, t.text) for t in targets)
    if have != want:
        problems.append(f"the table on disk is not the gold table: {sorted(set(have) ^ set(want))[:4]}")
    if (store["reviewed_by"] != ANNOTATOR).any():
        problems.append("not every statement is reviewed")
    done = subprocess.run(
        [sys.executable, "-c", ACCEPT, "accept", listing["article"], "--from", ANNOTATOR],
        env=lab_env(home),
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    curated = home / "data" / "curated" / f"{listing['article']}.statements.csv"
    table = pd.read_csv(curated, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    if done.returncode or len(table) != len(targets) or set(table["reviewed_by"]) != {ANNOTATOR}:
        problems.append(f"opinions accept did not take the review: {done.stderr.strip()[-300:]}")
    return problems


def old_code(rev: str) -> Path:
    """The library and notebook at ``rev``, unpacked into a temporary folder (its kernels import them)."""
    folder = Path(tempfile.mkdtemp(prefix="review-replay-before-"))
    notebook = NOTEBOOK.relative_to(ROOT).as_posix()
    archive = subprocess.run(
        ["git", "archive", rev, "utils", notebook], cwd=ROOT, capture_output=True, check=True
    )
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    return folder


def figures(name: str, counts: list[Count], statements: int) -> str:
    per = [c.commands for c in counts]
    total = Count(
        sum(c.keys for c in counts), sum(c.selections for c in counts), sum(c.typed for c in counts)
    )
    return (
        f"{name:<28} {total.keys / statements:6.2f} {total.selections / statements:11.2f} "
        f"{total.commands / statements:9.2f} {total.typed / statements:13.2f} {statistics.median(per):15.1f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("list", nargs="?", type=Path, default=LIST)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--before", default=BEFORE, help="the commit whose keys are 'before'")
    parser.add_argument("--no-before", action="store_true", help="replay this workbench only")
    parser.add_argument("--show", action="store_true", help="print each statement's counts")
    args = parser.parse_args()
    if not (args.shared / "corpus").is_dir():
        write_stdout(f"review replay: skipped, {args.shared / 'corpus'} is not there\n")
        return 0
    executable = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(executable).exists():
        write_stdout("review replay: skipped, Chromium is not installed (apt install chromium)\n")
        return 0
    listing, text, targets = load_list(args.list, args.shared)
    kinds = {
        "as found": sum(1 for t in targets if t.origin != "add" and _unchanged(listing, t, text)),
        "added": sum(1 for t in targets if t.origin == "add"),
    }
    from playwright.sync_api import sync_playwright

    rows, problems = [], []
    warnings.simplefilter("ignore")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=BROWSER_ARGS)
        if not args.no_before:
            code = old_code(args.before)
            home = make_home(listing, text, provenance=False, notebook_file=code / NOTEBOOK.relative_to(ROOT))
            if args.show:
                write_stdout(f"before ({args.before}):\n")
            counts, wrong = replay(
                listing, text, targets, fix_before, browser, home, str(code), check_text=False, show=args.show
            )
            rows.append(figures(f"before ({args.before} keys)", counts, len(targets)))
            problems += [f"before: {p}" for p in wrong]
            shutil.rmtree(code, ignore_errors=True)
            shutil.rmtree(home, ignore_errors=True)
        home = make_home(listing, text, provenance=True)
        if args.show:
            write_stdout("after:\n")
        counts, wrong = replay(listing, text, targets, fix_after, browser, home, show=args.show)
        rows.append(figures("after (this workbench)", counts, len(targets)))
        problems += [f"after: {p}" for p in wrong] + [
            f"after: {p}" for p in final_checks(home, listing, targets)
        ]
        shutil.rmtree(home, ignore_errors=True)
        browser.close()
    repaired = len(targets) - kinds["as found"] - kinds["added"]
    header = f"{'per statement':<28} {'keys':>6} {'selections':>11} {'commands':>9} {'typed chars':>13}"
    goal = f"goal: <= {GOALS[0]} commands (keys and selections) and <= {GOALS[1]:.0f} typed characters"
    state = (
        "state on disk: every statement checked after its repair; the final table is the gold table; "
        "opinions accept took it"
        if not problems
        else "PROBLEMS ON DISK:\n" + "\n".join(f"  {p}" for p in problems)
    )
    write_stdout(
        f"Review replay of {listing['article']} ({len(targets)} statements: {kinds['as found']} right as "
        f"found, {repaired} repaired, {kinds['added']} added, {len(listing['delete'])} deleted; "
        f"gold {listing['gold']})\n{header} {'median commands':>15}\n" + "\n".join(rows) + "\n"
        f"{goal} per statement\n{state}\n"
    )
    return 1 if problems else 0


def _unchanged(listing: dict, t: Target, text: str) -> bool:
    seed = next(s for s in listing["seed"] if s["id"] == t.origin)
    return (seed["speaker"], seed["affiliation"], seed["kind"], seed["start"], seed["end"]) == (
        t.speaker,
        t.affiliation,
        t.kind,
        t.start,
        t.end,
    )


if __name__ == "__main__":
    sys.exit(main())
