"""The project's promise about bad input, as one table.

Every row is something a user can get wrong (a file, a path, an argument, the machine),
the command they ran, and what they get back: exit code 2 and exactly one line on stderr
that names the problem (never a traceback, never "internal error"), or exit 0 with the
problem reported where it happened. The files listed under ``unchanged`` are
byte-identical afterwards with the same permissions, and no temporary file
(``*.part``) or staging folder is left anywhere in the case's folder.

In the table, ``{t}`` is the case's own folder, ``{data}`` a private copy of ``data/``
(the bundled article and its curated tables), ``{kursk}`` the bundled article in it.
Most rows run ``opinions`` in this process; rows marked ``process`` run it as a real
program, for what only a process has: its standard output, and files that block.
"""

from __future__ import annotations

import errno
import http.server
import os
import socket
import stat
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import KURSK, ROOT
from utils.cli import main

STORY = "Bridge vote\n\n“We waited long enough,” Mayor Ana Lopez said on Tuesday.\n"
GOLD = 'speaker,affiliation,kind,text\nAna Lopez,mayor,direct,"We waited long enough,"\n'
CURATED = "{data}/curated/" + KURSK + ".statements.csv"
STANCE = "{data}/curated/" + KURSK + ".stance.csv"
TOPICS = "{data}/curated/" + KURSK + ".topics.csv"
SPEAKERS = "{data}/curated/" + KURSK + ".speakers.csv"
SIDECAR = "{data}/articles/" + KURSK + ".json"
Setup = Callable[[Path, Path, pytest.MonkeyPatch], dict[str, str] | None]
SERVERS: list[http.server.HTTPServer] = []


@dataclass(frozen=True)
class Case:
    """Given ``files`` (and ``setup``), ``opinions *argv`` exits ``code`` saying ``fragment``."""

    name: str
    argv: tuple[str, ...]
    fragment: str
    code: int = 2
    files: tuple[tuple[str, str | bytes], ...] = ()
    setup: Setup | None = None
    unchanged: tuple[str, ...] = ()
    process: str = ""  # "": in this process; "run", "full" (stdout is /dev/full), "closed", "head"
    out: str = ""  # for exit 0 in this process: what standard output must contain


# --- setups: what a file's content cannot say -------------------------------------------------


def fifo(name: str) -> Setup:
    return lambda t, data, mp: os.mkfifo(t / name)


def link(name: str, target: str) -> Setup:
    return lambda t, data, mp: (t / name).symlink_to(target.format(t=t, data=data))


def edit(path: str, change: Callable[[str], str]) -> Setup:
    """Change a curated table the way a person half-editing it might."""

    def apply(t: Path, data: Path, mp: pytest.MonkeyPatch) -> None:
        target = Path(path.format(t=t, data=data))
        target.write_text(change(target.read_text(encoding="utf-8")), encoding="utf-8")

    return apply


def os_failure(code: int, where: str = "write_text") -> Setup:
    """The disk fails as it would when full, read-only or not ours (root cannot make it so for real)."""

    def failing(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code))

    def apply(t: Path, data: Path, mp: pytest.MonkeyPatch) -> None:
        if where == "write_text":
            mp.setattr(Path, "write_text", failing)
        else:
            mp.setattr(os, where, failing)

    return apply


def unwritable_folder(t: Path, data: Path, mp: pytest.MonkeyPatch) -> None:
    """A folder with mode 0o555 as a normal user sees it (root may write anywhere)."""
    (t / "locked").mkdir()
    (t / "locked").chmod(0o555)
    real_access = os.access
    mp.setattr(os, "access", lambda p, m: False if Path(p) == t / "locked" else real_access(p, m))


def hard_link(t: Path, data: Path, mp: pytest.MonkeyPatch) -> None:
    os.link(t / "story.txt", t / "same-file.txt")


def dataset(extra: str = "") -> Setup:
    def apply(t: Path, data: Path, mp: pytest.MonkeyPatch) -> None:
        from utils.corpus import write_dataset

        write_dataset(pd.DataFrame({"a": [1]}), t / "out.parquet")
        if extra:
            (t / "out.parquet" / extra).write_text("my notes", encoding="utf-8")

    return apply


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # keep the server off our stderr
        pass


def web_server(t: Path, data: Path, mp: pytest.MonkeyPatch) -> dict[str, str]:
    """A web server on 127.0.0.1 that accepts connections and never speaks Dask."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _QuietHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    SERVERS.append(server)  # shut down by the runner
    return {"port": str(server.server_address[1])}


def closed_port(t: Path, data: Path, mp: pytest.MonkeyPatch) -> dict[str, str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return {"port": str(probe.getsockname()[1])}


def large_sparse(t: Path, data: Path, mp: pytest.MonkeyPatch) -> None:
    with (t / "huge.txt").open("wb") as handle:
        handle.truncate(60_000_000)


def big_article(t: Path, data: Path, mp: pytest.MonkeyPatch) -> None:
    body = (ROOT / "data" / "articles" / f"{KURSK}.txt").read_text(encoding="utf-8").split("\n", 1)[1]
    (t / "big.txt").write_text("A long article\n" + body * 20, encoding="utf-8")


def annotated(*names: str) -> Setup:
    """People who reviewed and tagged the bundled article in the workbench (their stores on disk)."""

    def apply(t: Path, data: Path, mp: pytest.MonkeyPatch) -> None:
        from utils import annotations as an

        for name in names:
            store = an.open_store(KURSK, name)
            an.set_label(store, "s05", "war_outlook", "against")
            store.close()

    return apply


def topics(*propositions: str) -> Setup:
    """The bundled article's topics with these propositions (its four ids, then t5, t6, ...)."""
    ids = ["kursk_value", "hold_kursk", "kursk_leverage", "war_outlook"]
    ids += [f"t{i}" for i in range(len(ids) + 1, len(propositions) + 1)]
    rows = "".join(f'{topic},"{p}",\n' for topic, p in zip(ids, propositions, strict=False))
    return edit(TOPICS, lambda text: "topic,proposition,keywords\n" + rows)


def swap(old: str, new: str) -> Callable[[str], str]:
    return lambda text: text.replace(old, new, 1)


S02 = "s02,Volodymyr Zelensky"  # the start of the second statement row of the curated table


# --- setups of the safety rows (issue 21: readers, names, locks, evaluate, figures) --------------


def seeded(name: str) -> Setup:
    """``{t}/name`` already curated, as ``opinions curate`` leaves it."""

    def apply(t: Path, data: Path, mp: pytest.MonkeyPatch) -> None:
        from utils.articles import load_article
        from utils.curation import seed_curation

        seed_curation(load_article(t / name))

    return apply


def stray_in_working_folder(annotate: bool = False) -> Setup:
    """A file named like the bundled article's id in the working folder (and, if asked, someone's review)."""

    def apply(t: Path, data: Path, mp: pytest.MonkeyPatch) -> None:
        mp.chdir(t)
        (t / KURSK).write_text("Stray notes\n\nNothing quoted here at all.\n", encoding="utf-8")
        if annotate:
            from utils.annotations import mark_reviewed, open_store

            store = open_store(KURSK, "ana")
            mark_reviewed(store, "s01")
            store.close()

    return apply


def speaker_renamed(old: str, new: str) -> Setup:
    """A curated speaker renamed in the statements and speakers tables (as a person editing them might)."""

    def apply(t: Path, data: Path, mp: pytest.MonkeyPatch) -> None:
        for table in (CURATED, SPEAKERS):
            edit(table, lambda text: text.replace(f"{old},", f"{new},"))(t, data, mp)

    return apply


BIDI_STORY = STORY.replace("Ana Lopez", "Ana\u200f Lo\u202epez\u202c")
HIDDEN_STORY = STORY.replace("Ana Lopez", "\u2066Ana\u2069 Lo\u200bpez\u00ad")
CONTROL_STORY = STORY.replace("on Tuesday", "on\x1b Tuesday\x0c").replace("Bridge", "Bri\x07dge")
NOT_UTF8 = os.fsdecode(b"caf\xe9.txt")  # a file name whose bytes are not UTF-8
LOPEZ = "Ana Lopez,Mayor,direct"

# --- the table ----------------------------------------------------------------------------------

CASES = [
    # Articles that cannot be read
    Case("missing article", ("extract", "{t}/nope.txt"), "nope.txt: no such file"),
    Case("article is a folder", ("extract", "{t}"), "is a folder"),
    Case("empty article", ("extract", "{t}/empty.txt"), "is empty", files=(("empty.txt", ""),)),
    Case(
        "binary article",
        ("extract", "{t}/x.txt"),
        "looks like a binary file",
        files=(("x.txt", b"\x00\x01PK\x03\x04"),),
    ),
    Case("article over 50 MB", ("extract", "{t}/huge.txt"), "over the 50 MB limit", setup=large_sparse),
    Case(
        "web page without article text",
        ("extract", "{t}/menu.html"),
        "no article text that could be found",
        files=(("menu.html", "<html><body><nav>Home | About</nav></body></html>"),),
    ),
    Case(
        "sidecar that is not JSON",
        ("extract", "{t}/story.txt"),
        "story.json: is not valid JSON",
        files=(("story.txt", STORY), ("story.json", "{title: oops")),
        unchanged=("{t}/story.json",),
    ),
    Case(
        "sidecar that is not an object",
        ("extract", "{t}/story.txt"),
        "must hold a JSON object",
        files=(("story.txt", STORY), ("story.json", "[1, 2]")),
    ),
    Case(
        "article in cp1252 is read, with a warning",
        ("extract", "{t}/old.txt"),
        "read as cp1252",
        code=0,
        files=(("old.txt", STORY.replace("“", '"').replace("”", '"').encode("cp1252") + b"caf\xe9\n"),),
    ),
    Case("unknown article id", ("table", "no-such-article"), "is neither a file nor a bundled article id"),
    Case(
        "FIFO as article (never opened, so nothing hangs)",
        ("extract", "{t}/pipe.txt"),
        "pipe.txt: is a named pipe (FIFO), not a regular file",
        setup=fifo("pipe.txt"),
        process="run",
    ),
    Case(
        "symlink loop as article",
        ("extract", "{t}/loop.txt"),
        "loop.txt: is a symbolic link loop",
        setup=link("loop.txt", "loop.txt"),
    ),
    Case(
        "broken symlink as article",
        ("extract", "{t}/gone.txt"),
        "gone.txt: is a broken symbolic link",
        setup=link("gone.txt", "{t}/nowhere.txt"),
    ),
    Case(
        "UTF-16 article is read",
        ("extract", "{t}/wide.txt"),
        "",
        code=0,
        files=(("wide.txt", STORY.encode("utf-16")),),
        out='Ana Lopez,Mayor,direct,"We waited long enough,",14,36,said',
    ),
    Case(
        "sidecar nested too deeply",
        ("extract", "{t}/story.txt"),
        "story.json: is JSON nested too deeply",
        files=(("story.txt", STORY), ("story.json", "[" * 100_000 + "]" * 100_000)),
        unchanged=("{t}/story.json",),
    ),
    Case(
        "sidecar too large to be metadata",
        ("extract", "{t}/story.txt"),
        "over the 1 MB limit for an article's metadata file",
        files=(("story.txt", STORY), ("story.json", '{"title": "' + "x" * 1_100_000 + '"}')),
    ),
    Case(
        "article id that is a path",
        ("curate", "../../elsewhere/story"),
        "is neither a file nor a bundled article id",
        unchanged=("{data}/curated",),
    ),
    Case(
        "non-ASCII file name gets an id of its own, not 'article'",
        ("curate", "{t}/Статья.txt"),
        "",
        code=0,
        files=(("Статья.txt", STORY),),
        out="curated/article-",
    ),
    # Arguments
    Case("unknown command", ("frobnicate",), "invalid choice"),
    Case("unknown format", ("extract", "{t}/story.txt", "--format", "xml"), "invalid choice"),
    Case("missing argument", ("extract",), "the following arguments are required"),
    Case("workers not a number", ("corpus", "{t}", "-o", "{t}/o", "--workers", "two"), "invalid int value"),
    # Outputs that would destroy something (checked before any work)
    Case(
        "output is the input article",
        ("extract", "{t}/story.txt", "-o", "{t}/story.txt"),
        "is an input of this command",
        files=(("story.txt", STORY),),
        unchanged=("{t}/story.txt",),
    ),
    Case(
        "output with a suffix that names no table format",
        ("extract", "{t}/story.txt", "-o", "{t}/out.txt"),
        "out.txt: has no table suffix, so its format is unknown",
        files=(("story.txt", STORY),),
    ),
    Case("output without a suffix", ("table", KURSK, "-o", "{t}/out"), "has no table suffix"),
    Case(
        "--format that contradicts the output's suffix",
        ("extract", "{t}/story.txt", "-o", "{t}/out.csv", "--format", "json"),
        "--format json: is for standard output",
        files=(("story.txt", STORY),),
    ),
    Case(
        "output is a hard link to the input",
        ("extract", "{t}/story.txt", "-o", "{t}/same-file.txt"),
        "is an input of this command",
        files=(("story.txt", STORY),),
        setup=hard_link,
        unchanged=("{t}/story.txt",),
    ),
    Case(
        "output is the input's sidecar",
        ("extract", "{t}/story.txt", "-o", "{t}/story.json"),
        "metadata file (sidecar) of the input story.txt",
        files=(("story.txt", STORY), ("story.json", '{"title": "Bridge"}')),
        unchanged=("{t}/story.json",),
    ),
    Case(
        "table over the bundled article's sidecar",
        ("table", KURSK, "-o", SIDECAR),
        "metadata file (sidecar)",
        unchanged=(SIDECAR,),
    ),
    Case(
        "table over a curated table",
        ("table", KURSK, "-o", CURATED),
        "where every file is a curated table",
        unchanged=("{data}/curated",),
    ),
    Case(
        "new file among the curated tables",
        ("extract", "{t}/story.txt", "-o", "{data}/curated/mine.csv"),
        "where every file is a curated table",
        files=(("story.txt", STORY),),
        unchanged=("{data}/curated",),
    ),
    Case(
        "output among annotations",
        ("extract", "{t}/story.txt", "-o", "{data}/annotations/x/me.statements.csv"),
        "is an annotation file",
        files=(("story.txt", STORY),),
    ),
    Case(
        "output among the bundled articles",
        ("extract", "{t}/story.txt", "-o", "{data}/articles/other.txt"),
        "a bundled article or its metadata",
        files=(("story.txt", STORY),),
        unchanged=("{data}/articles",),
    ),
    Case(
        "symlink that points at a curated table",
        ("extract", "{t}/story.txt", "-o", "{t}/innocent.csv"),
        "where every file is a curated table",
        files=(("story.txt", STORY),),
        setup=link("innocent.csv", "{data}/curated/" + KURSK + ".statements.csv"),
        unchanged=(CURATED,),
    ),
    Case(
        "output is a gold table",
        ("extract", "{t}/story.txt", "-o", "{t}/bridge.gold.csv"),
        "is a gold table",
        files=(("story.txt", STORY), ("bridge.gold.csv", GOLD)),
        unchanged=("{t}/bridge.gold.csv",),
    ),
    Case(
        "output is an existing folder",
        ("extract", "{t}/story.txt", "-o", "{t}/out"),
        "is a folder, but this command writes one file",
        files=(("story.txt", STORY), ("out/keep.txt", "mine")),
        unchanged=("{t}/out",),
    ),
    Case(
        "output ends in a slash",
        ("table", KURSK, "-o", "{t}/new/"),
        "ends in '/'",
    ),
    Case(
        "output is a FIFO",
        ("table", KURSK, "-o", "{t}/pipe.csv"),
        "is a named pipe (FIFO), not a regular file",
        setup=fifo("pipe.csv"),
    ),
    Case(
        "output is a symlink to a FIFO",
        ("table", KURSK, "-o", "{t}/to-pipe.csv"),
        "is a named pipe (FIFO)",
        setup=lambda t, d, mp: (os.mkfifo(t / "pipe.csv"), (t / "to-pipe.csv").symlink_to("pipe.csv")),
    ),
    Case("output is a device", ("table", KURSK, "-o", "/dev/null"), "is a device, not a regular file"),
    Case(
        "output is a symlink loop",
        ("table", KURSK, "-o", "{t}/loop.csv"),
        "is a symbolic link loop",
        setup=link("loop.csv", "loop.csv"),
    ),
    Case(
        "output is a dangling symlink",
        ("table", KURSK, "-o", "{t}/gone.csv"),
        "which does not exist",
        setup=link("gone.csv", "{t}/nowhere/x.csv"),
    ),
    Case(
        "output folder is a file",
        ("table", KURSK, "-o", "{t}/notes.txt/out.csv"),
        "notes.txt is a file, not a folder",
        files=(("notes.txt", "mine"),),
        unchanged=("{t}/notes.txt",),
    ),
    Case(
        "output folder is read-only",
        ("table", KURSK, "-o", "{t}/locked/out.csv"),
        "is read-only or not writable by you",
        setup=unwritable_folder,
    ),
    Case(
        "disk full while writing",
        ("table", KURSK, "-o", "{t}/out.csv"),
        "no space left on the device",
        files=(("out.csv", "the previous table"),),
        setup=os_failure(errno.ENOSPC),
        unchanged=("{t}/out.csv",),
    ),
    Case(
        "quota exceeded while writing",
        ("extract", "{t}/story.txt", "-o", "{t}/out.csv"),
        "disk quota exceeded",
        files=(("story.txt", STORY),),
        setup=os_failure(errno.EDQUOT),
    ),
    Case(
        "no permission to replace",
        ("table", KURSK, "-o", "{t}/out.csv"),
        "permission denied",
        files=(("out.csv", "the previous table"),),
        setup=os_failure(errno.EACCES, "replace"),
        unchanged=("{t}/out.csv",),
    ),
    Case(
        "read-only file system",
        ("table", KURSK, "-o", "{t}/out.csv"),
        "is on a read-only file system",
        setup=os_failure(errno.EROFS, "replace"),
    ),
    Case(
        "report where its page would be a folder",
        ("report", KURSK, "-o", "{t}"),
        "is a folder, but this command writes one file",
        files=((f"{KURSK}.html/keep.txt", "mine"),),
        unchanged=("{t}/" + KURSK + ".html",),
    ),
    Case(
        "report into a file instead of a folder",
        ("report", KURSK, "-o", "{t}/notes.txt"),
        "is a file, not a folder",
        files=(("notes.txt", "mine"),),
        unchanged=("{t}/notes.txt",),
    ),
    Case(
        "report into the bundled articles",
        ("report", KURSK, "-o", "{data}/articles"),
        "a bundled article or its metadata",
        unchanged=("{data}/articles",),
    ),
    # Standard output
    Case("standard output is full", ("table", KURSK), "standard output: no space left", process="full"),
    Case("standard output is closed", ("table", KURSK), "standard output: is closed", process="closed"),
    Case(
        "reader of standard output stops early",
        ("extract", "{t}/big.txt"),
        "standard output: was closed before all output was written",
        setup=big_article,
        process="head",
    ),
    Case(
        "agreement with standard output closed",
        ("agreement", KURSK),
        "standard output: is closed",
        setup=annotated("ann", "ben"),
        process="closed",
    ),
    Case(
        "agreement with standard output full",
        ("agreement", KURSK, "--json"),
        "standard output: no space left",
        setup=annotated("ann", "ben"),
        process="full",
    ),
    Case(
        "stance-check with standard output closed (said before minutes of fitting)",
        ("stance-check", "{t}/labels.csv"),
        "standard output: is closed",
        files=(("labels.csv", "text,proposition,label\n"),),
        process="closed",
    ),
    Case(
        "stance-check with a label that is no stance label",
        ("stance-check", "{t}/labels.csv"),
        "row 3: label 'maybe' is not a stance label — use one of: favor, against, neutral, mixed",
        files=(("labels.csv", "text,proposition,label\na,p,favor\nb,p,maybe\n" + "c,p,against\n" * 60),),
    ),
    Case(
        "stance-check with more pairs than it takes",
        ("stance-check", "{t}/labels.csv"),
        "100,001 labelled rows; stance-check takes at most 100,000",
        files=(("labels.csv", "text,proposition,label\n" + "a,p,favor\n" * 100_001),),
    ),
    Case(
        "stance-check on a FIFO (never opened, so nothing hangs)",
        ("stance-check", "{t}/labels.csv"),
        "labels.csv: is a named pipe (FIFO), not a regular file",
        setup=fifo("labels.csv"),
    ),
    Case(
        "accept with standard output full replaces nothing",
        ("accept", KURSK),
        "standard output: no space left",
        setup=annotated("ann"),
        process="full",
        unchanged=("{data}/curated",),
    ),
    Case(
        "accept with standard output closed replaces nothing",
        ("accept", KURSK),
        "standard output: is closed",
        setup=annotated("ann"),
        process="closed",
        unchanged=("{data}/curated",),
    ),
    Case(
        "curate with standard output closed creates nothing",
        ("curate", "{t}/story.txt"),
        "standard output: is closed",
        files=(("story.txt", STORY),),
        process="closed",
        unchanged=("{data}/curated",),
    ),
    Case(
        "curate with standard output full says the tables were created",
        ("curate", "{t}/story.txt"),
        "story.speakers.csv were created — nothing to redo",
        files=(("story.txt", STORY),),
        process="full",
    ),
    Case(
        "report with standard output closed (said before rendering)",
        ("report", KURSK, "-o", "{t}/out"),
        "standard output: is closed",
        process="closed",
    ),
    # Workbooks: every sheet kept, whatever the propositions and cells hold
    Case(
        "workbook of topics whose propositions collide or are reserved",
        ("table", KURSK, "-o", "{t}/out.xlsx"),
        "wrote",
        code=0,
        setup=topics("statements", "Same", "Same", "History", "It ends in a quote'", "'Quoted'"),
    ),
    Case(
        "workbook with a control character in a cell",
        ("table", KURSK, "-o", "{t}/out.xlsx"),
        "wrote",
        code=0,
        setup=edit(CURATED, swap("Ukrainian President", "Ukrainian\x1b\x00 President")),
    ),
    Case(
        "extract to a workbook from an article with control characters",
        ("extract", "{t}/story.txt", "-o", "{t}/out.xlsx"),
        "wrote",
        code=0,
        files=(("story.txt", STORY.replace("long enough", "long\x1b\x07 enough")),),
    ),
    Case(
        "report of an article whose file name is not UTF-8",
        ("report", "{t}/\udcff\udcfe.txt", "-o", "{t}/out"),
        "",
        code=0,
        files=(("\udcff\udcfe.txt", STORY),),
        out="article-",
    ),
    # Curated tables, half-edited
    Case(
        "curated row with a cell too many",
        ("table", KURSK),
        "row 3 has 10 cells",
        setup=edit(CURATED, swap(S02, "s02,x,Volodymyr Zelensky")),
    ),
    Case(
        "curated row with a cell lost",
        ("table", KURSK),
        "has 8 cells but the header has 9",
        setup=edit(CURATED, swap(",said,expert-opinions team\n", ",said\n")),
    ),
    Case(
        "curated quote never closed",
        ("table", KURSK),
        "is not valid CSV at row",
        setup=edit(CURATED, swap(S02, 's02,"Volodymyr Zelensky')),
    ),
    Case(
        "curated stray quote",
        ("table", KURSK),
        "is not valid CSV at row 3",
        setup=edit(CURATED, swap(S02, 's02,"Volodymyr" Zelensky')),
    ),
    Case(
        "curated column missing",
        ("table", KURSK),
        "missing column(s) cue",
        setup=edit(CURATED, lambda t: t.replace(",cue,", ",", 1)),
    ),
    Case(
        "curated column named twice",
        ("table", KURSK),
        "names column(s) kind twice",
        setup=edit(CURATED, swap(",cue,", ",kind,")),
    ),
    Case(
        "curated semicolons",
        ("table", KURSK),
        "uses semicolons between columns",
        setup=edit(CURATED, lambda t: t.replace(",", ";")),
    ),
    Case(
        "curated unknown kind",
        ("table", KURSK),
        "column kind: 'quote'",
        setup=edit(CURATED, swap(",direct,", ",quote,")),
    ),
    Case(
        "curated duplicate id",
        ("table", KURSK),
        "'s01' is a duplicate",
        setup=edit(CURATED, swap("s02,", "s01,")),
    ),
    Case(
        "curated start after end",
        ("table", KURSK),
        "start 1069 is after end 1002",
        setup=edit(CURATED, swap(",1002,1069,", ",1069,1002,")),
    ),
    Case(
        "curated offsets outside the article",
        ("table", KURSK),
        "lie outside the article",
        setup=edit(CURATED, swap(",1002,1069,", ",1002,99999,")),
    ),
    Case(
        "curated text not at its offsets",
        ("table", KURSK),
        "does not match the article",
        setup=edit(CURATED, swap(",1002,1069,", ",1003,1070,")),
    ),
    Case(
        "curated negative offset",
        ("table", KURSK),
        "must be 0 or more",
        setup=edit(CURATED, swap(",1002,1069,", ",-1002,1069,")),
    ),
    Case(
        "curated offset not a number",
        ("table", KURSK),
        "must be a whole number",
        setup=edit(CURATED, swap(",1002,1069,", ",ten,1069,")),
    ),
    Case(
        "curated empty speaker",
        ("table", KURSK),
        "column speaker: ' ' must not be empty",
        setup=edit(CURATED, swap(S02, "s02, ")),
    ),
    Case(
        "curated table not UTF-8",
        ("table", KURSK),
        "is not UTF-8",
        setup=lambda t, d, mp: Path(CURATED.format(data=d)).write_bytes(b"id,speaker\n\xff\xfe\n"),
    ),
    Case("curated table emptied", ("table", KURSK), "is empty", setup=edit(CURATED, lambda t: "")),
    Case(
        "curated table is a FIFO",
        ("table", KURSK),
        "is a named pipe (FIFO)",
        setup=lambda t, d, mp: (Path(CURATED.format(data=d)).unlink(), os.mkfifo(CURATED.format(data=d))),
    ),
    Case(
        "curated table is a symlink loop",
        ("table", KURSK),
        "is a symbolic link loop",
        setup=lambda t, d, mp: (
            Path(CURATED.format(data=d)).unlink(),
            Path(CURATED.format(data=d)).symlink_to(Path(CURATED).name),
        ),
    ),
    Case(
        "stance label unknown",
        ("table", KURSK),
        "column label: 'support'",
        setup=edit(STANCE, swap(",favor,", ",support,")),
    ),
    Case(
        "stance names no statement",
        ("table", KURSK),
        "'s99' is not in the statements table",
        setup=edit(STANCE, lambda t: t + "s99,war_outlook,favor,why\n"),
    ),
    Case(
        "stance names no topic",
        ("table", KURSK),
        "topic 'peace' is not in the topics table",
        setup=edit(STANCE, lambda t: t + "s01,peace,favor,why\n"),
    ),
    Case(
        "stance pair twice",
        ("table", KURSK),
        "repeats an earlier row",
        setup=edit(STANCE, lambda t: t + t.splitlines()[1] + "\n"),
    ),
    Case(
        "topic id with spaces",
        ("table", KURSK),
        "must be a short id in lower case",
        setup=edit(TOPICS, lambda t: t + "War Outlook,It ends,\n"),
    ),
    Case(
        "speaker role unknown",
        ("table", KURSK),
        "must be one of: expert, official, other",
        setup=edit(SPEAKERS, lambda t: t + "Ana Lopez,mayor\n"),
    ),
    Case(
        "curate over existing work",
        ("curate", KURSK),
        "already exists and may hold curated work",
        unchanged=("{data}/curated",),
    ),
    # Evaluation
    Case(
        "evaluate --json over its gold table",
        ("evaluate", "{t}/bridge.gold.csv", "--json", "{t}/bridge.gold.csv"),
        "is an input of this command",
        files=(("bridge.gold.csv", GOLD), ("bridge.txt", STORY)),
        unchanged=("{t}/bridge.gold.csv",),
    ),
    Case(
        "evaluate --json into the gold folder",
        ("evaluate", "{t}/gold", "--json", "{t}/gold/scores.json"),
        "is inside",
        files=(("gold/bridge.gold.csv", GOLD), ("gold/bridge.txt", STORY)),
        unchanged=("{t}/gold",),
    ),
    Case(
        "evaluate --json over a curated table",
        ("evaluate", "{t}/bridge.gold.csv", "--json", CURATED),
        "where every file is a curated table",
        files=(("bridge.gold.csv", GOLD), ("bridge.txt", STORY)),
        unchanged=(CURATED,),
    ),
    Case(
        "evaluate --json over its predictions",
        ("evaluate", "{t}/bridge.gold.csv", "{t}/pred.csv", "--json", "{t}/pred.csv"),
        "is an input of this command",
        files=(("bridge.gold.csv", GOLD), ("pred.csv", GOLD)),
        unchanged=("{t}/pred.csv",),
    ),
    Case(
        "evaluate a folder without gold tables",
        ("evaluate", "{t}"),
        "holds no <slug>.gold.csv files",
        files=(("notes.txt", "x"),),
    ),
    Case(
        "gold table with a column missing",
        ("evaluate", "{t}/bridge.gold.csv"),
        "missing column(s) text",
        files=(("bridge.gold.csv", "speaker,kind\nAna Lopez,direct\n"), ("bridge.txt", STORY)),
    ),
    Case(
        "gold table half-edited",
        ("evaluate", "{t}/bridge.gold.csv"),
        "row 2 has 5 cells but the header has 4",
        files=(("bridge.gold.csv", GOLD.replace('"We', 'x,"We')), ("bridge.txt", STORY)),
    ),
    Case(
        "gold table without its article",
        ("evaluate", "{t}/bridge.gold.csv"),
        "bridge.txt: no such file",
        files=(("bridge.gold.csv", GOLD),),
    ),
    Case(
        "predictions missing",
        ("evaluate", "{t}/bridge.gold.csv", "{t}/nope.csv"),
        "nope.csv: no such file — check the path",
        files=(("bridge.gold.csv", GOLD),),
    ),
    # --- safety rows (issue 21): inputs never outputs, one reader, distinct names, clean text ---
    Case(
        "evaluate --json over the article beside a single gold table",
        ("evaluate", "{t}/bridge.gold.csv", "--json", "{t}/bridge.txt"),
        "is the article (or its sidecar) that the gold table bridge.gold.csv scores",
        files=(("bridge.gold.csv", GOLD), ("bridge.txt", STORY)),
        unchanged=("{t}/bridge.txt",),
    ),
    Case(
        "evaluate --json over the sidecar of the article beside the gold table",
        ("evaluate", "{t}/bridge.gold.csv", "--json", "{t}/bridge.json"),
        "that the gold table bridge.gold.csv scores",
        files=(("bridge.gold.csv", GOLD), ("bridge.txt", STORY), ("bridge.json", '{"title": "Bridge"}')),
        unchanged=("{t}/bridge.json",),
    ),
    Case(
        "evaluate --json over the article in --articles",
        ("evaluate", "{t}/bridge.gold.csv", "--articles", "{t}/arts", "--json", "{t}/arts/bridge.txt"),
        "a folder this command reads",
        files=(("bridge.gold.csv", GOLD), ("arts/bridge.txt", STORY)),
        unchanged=("{t}/arts",),
    ),
    Case(
        "evaluate --json over an article of a gold folder, through a symlink",
        ("evaluate", "{t}/gold", "--json", "{t}/innocent.json"),
        "is inside",
        files=(("gold/bridge.gold.csv", GOLD), ("gold/bridge.txt", STORY)),
        setup=link("innocent.json", "{t}/gold/bridge.txt"),
        unchanged=("{t}/gold",),
    ),
    Case(
        "sidecar with a 5,000-digit number",
        ("extract", "{t}/story.txt"),
        "'date' is 5,001 characters long, too long to be one; left out",
        code=0,
        files=(("story.txt", STORY), ("story.json", '{"title": "Bridge", "date": 1' + "0" * 5000 + "}")),
        out=LOPEZ,
    ),
    Case(
        "sidecar with a 5,000-digit number in a key nobody reads",
        ("table", "{t}/story.txt"),
        "",
        code=0,
        files=(("story.txt", STORY), ("story.json", '{"pages": 1' + "0" * 5000 + ', "n": NaN}')),
    ),
    Case(
        "bidi controls inside a speaker's name",
        ("extract", "{t}/bidi.txt"),
        "",
        code=0,
        files=(("bidi.txt", BIDI_STORY),),
        out=LOPEZ,
    ),
    Case(
        "invisible characters inside a speaker's name",
        ("extract", "{t}/hidden.txt"),
        "",
        code=0,
        files=(("hidden.txt", HIDDEN_STORY),),
        out=LOPEZ,
    ),
    Case(
        "control characters and odd line breaks in an article",
        ("extract", "{t}/controls.txt"),
        "",
        code=0,
        files=(("controls.txt", CONTROL_STORY),),
        out=LOPEZ,
    ),
    Case(
        "a file named like a bundled id in the working folder does not shadow it (table)",
        ("table", KURSK),
        "",
        code=0,
        setup=stray_in_working_folder(),
        out="Mick Ryan",
    ),
    Case(
        "a file named like a bundled id in the working folder does not shadow it (accept)",
        ("accept", KURSK, "--from", "ana"),
        "",
        code=0,
        setup=stray_in_working_folder(annotate=True),
        out="wrote",
    ),
    Case(
        "Story.txt gets an id of its own beside story.txt",
        ("curate", "{t}/Story.txt"),
        "",
        code=0,
        files=(("story.txt", STORY), ("Story.txt", STORY)),
        setup=seeded("story.txt"),
        out="curated/story-",
    ),
    Case(
        "café.txt gets an id of its own beside cafe.txt",
        ("curate", "{t}/café.txt"),
        "",
        code=0,
        files=(("cafe.txt", STORY), ("café.txt", STORY)),
        setup=seeded("cafe.txt"),
        out="curated/cafe-",
    ),
    Case(
        "a (1).txt gets an id of its own beside a-1.txt",
        ("curate", "{t}/a (1).txt"),
        "",
        code=0,
        files=(("a-1.txt", STORY), ("a (1).txt", STORY)),
        setup=seeded("a-1.txt"),
        out="curated/a-1-",
    ),
    Case(
        "a file name that is not UTF-8 is extracted",
        ("extract", "{t}/" + NOT_UTF8),
        "",
        code=0,
        files=((NOT_UTF8, STORY),),
        out=LOPEZ,
    ),
    Case(
        "a file name that is not UTF-8 is curated under an id of its own",
        ("curate", "{t}/" + NOT_UTF8),
        "",
        code=0,
        files=((NOT_UTF8, STORY), ("caf.txt", STORY)),
        setup=seeded("caf.txt"),
        out="curated/caf-",
    ),
    Case(
        "a missing file whose name is not UTF-8",
        ("extract", "{t}/" + os.fsdecode(b"gone\xff.txt")),
        "gone\\xff.txt: no such file",
    ),
    Case(
        "a sidecar that is a FIFO (never opened, so nothing hangs)",
        ("extract", "{t}/story.txt"),
        "story.json: is a named pipe (FIFO), not a regular file",
        files=(("story.txt", STORY),),
        setup=fifo("story.json"),
        process="run",
    ),
    Case(
        "a sidecar that is a device",
        ("extract", "{t}/story.txt"),
        "story.json: is a device, not a regular file",
        files=(("story.txt", STORY),),
        setup=link("story.json", "/dev/zero"),
        process="run",
    ),
    Case(
        "an article that is a socket",
        ("extract", "{t}/sock.txt"),
        "sock.txt: is a socket, not a regular file",
        setup=lambda t, d, mp: socket.socket(socket.AF_UNIX).bind(str(t / "sock.txt")),
    ),
    Case(
        "a speaker named like matplotlib math ($...$) in the report",
        ("report", KURSK, "-o", "{t}/out"),
        "",
        code=0,
        setup=speaker_renamed("Mick Ryan", "$\\notacommand{$ Ryan"),
    ),
    # Corpus runs
    Case("corpus folder missing", ("corpus", "{t}/nope", "-o", "{t}/o.parquet"), "no such folder"),
    Case(
        "corpus folder is a file",
        ("corpus", "{t}/story.txt", "-o", "{t}/o.parquet"),
        "is a file, not a folder",
        files=(("story.txt", STORY),),
    ),
    Case(
        "corpus folder without articles", ("corpus", "{t}", "-o", "{t}/o.parquet"), "holds no .txt or .html"
    ),
    Case(
        "corpus with no workers",
        ("corpus", "{t}/in", "-o", "{t}/o.parquet", "--workers", "0"),
        "--workers 0: must be between 1 and",
        files=(("in/story.txt", STORY),),
    ),
    Case(
        "corpus with too many workers",
        ("corpus", "{t}/in", "-o", "{t}/o.parquet", "--workers", "100000"),
        "must be between 1 and",
        files=(("in/story.txt", STORY),),
    ),
    Case(
        "corpus scheduler that is no address",
        ("corpus", "{t}/in", "-o", "{t}/o.parquet", "--scheduler", "my-cluster"),
        "is not a Dask scheduler address",
        files=(("in/story.txt", STORY),),
    ),
    Case(
        "corpus scheduler with a bad port",
        ("corpus", "{t}/in", "-o", "{t}/o.parquet", "--scheduler", "tcp://127.0.0.1:70000"),
        "is not a Dask scheduler address",
        files=(("in/story.txt", STORY),),
    ),
    Case(
        "corpus scheduler nobody listens on",
        ("corpus", "{t}/in", "-o", "{t}/o.parquet", "--scheduler", "tcp://127.0.0.1:{port}"),
        "no Dask scheduler answers there",
        files=(("in/story.txt", STORY),),
        setup=closed_port,
    ),
    Case(
        "corpus scheduler that is a web server",
        ("corpus", "{t}/in", "-o", "{t}/o.parquet", "--scheduler", "tcp://127.0.0.1:{port}"),
        "no Dask scheduler answers there",
        files=(("in/story.txt", STORY),),
        setup=web_server,
    ),
    Case(
        "corpus over a folder of parquet files it did not write",
        ("corpus", "{t}/in", "-o", "{t}/mine", "--workers", "1"),
        "is a folder this tool did not write",
        files=(
            ("in/story.txt", STORY),
            ("mine/part-0.parquet", b"PAR1 my own data"),
            ("mine/notes.txt", "x"),
        ),
        unchanged=("{t}/mine",),
    ),
    Case(
        "corpus over a file",
        ("corpus", "{t}/in", "-o", "{t}/notes.txt", "--workers", "1"),
        "is a file, not a Parquet dataset folder",
        files=(("in/story.txt", STORY), ("notes.txt", "mine")),
        unchanged=("{t}/notes.txt",),
    ),
    Case(
        "corpus over its dataset holding someone's notes",
        ("corpus", "{t}/in", "-o", "{t}/out.parquet", "--workers", "1"),
        "holds files this tool did not write (notes.txt)",
        files=(("in/story.txt", STORY),),
        setup=dataset("notes.txt"),
        unchanged=("{t}/out.parquet",),
    ),
    Case(
        "corpus over its input folder",
        ("corpus", "{t}/in", "-o", "{t}/in", "--workers", "1"),
        "holds the input folder",
        files=(("in/story.txt", STORY),),
        unchanged=("{t}/in",),
    ),
    Case(
        "corpus over a symlink",
        ("corpus", "{t}/in", "-o", "{t}/link.parquet", "--workers", "1"),
        "is a symbolic link",
        files=(("in/story.txt", STORY),),
        setup=link("link.parquet", "{t}/in"),
        unchanged=("{t}/in",),
    ),
    Case(
        "corpus into the curated tables",
        ("corpus", "{t}/in", "-o", "{data}/curated/out.parquet", "--workers", "1"),
        "where every file is a curated table",
        files=(("in/story.txt", STORY),),
    ),
    Case(
        "corpus manifest missing",
        ("corpus", "{t}/in", "-o", "{t}/o.parquet", "--workers", "1", "--manifest", "{t}/nope.csv"),
        "nope.csv: no such file — check the path",
        files=(("in/story.txt", STORY),),
    ),
    Case(
        "corpus manifest without a file column",
        ("corpus", "{t}/in", "-o", "{t}/o.parquet", "--workers", "1"),
        "MANIFEST.csv: missing column(s) file in the manifest table",
        files=(("in/story.txt", STORY), ("in/MANIFEST.csv", "name,title\nstory.txt,Bridge\n")),
    ),
    Case(
        "corpus manifest naming a file that is not in the folder",
        ("corpus", "{t}/in", "-o", "{t}/o.parquet", "--workers", "1"),
        "MANIFEST.csv: lists 'stroy.txt', not an article of",
        files=(("in/story.txt", STORY), ("in/MANIFEST.csv", "file,title\nstroy.txt,Bridge\n")),
    ),
    Case(
        "corpus manifest listing a file twice",
        ("corpus", "{t}/in", "-o", "{t}/o.parquet", "--workers", "1"),
        "is a duplicate",
        files=(
            ("in/story.txt", STORY),
            ("in/MANIFEST.csv", "file,date\nstory.txt,2016-01-02\nstory.txt,2016-01-03\n"),
        ),
    ),
    Case(
        "corpus with a broken people decisions table",
        ("corpus", "{t}/in", "-o", "{t}/o.parquet", "--workers", "1"),
        "people.decisions.csv: row 2, column action: 'fuse' must be one of: merge",
        files=(
            ("in/story.txt", STORY),
            ("in/people.decisions.csv", "action,person_id,value\nfuse,p-a,p-b\n"),
        ),
        unchanged=("{t}/in/people.decisions.csv",),
    ),
    Case(
        "dossier of a person nobody quoted",
        ("dossier", "{t}/in", "Nobody Here", "-o", "{t}/out"),
        "holds no Parquet files",
        files=(("in/story.txt", STORY),),
    ),
    Case(
        "corpus manifest is a FIFO",
        ("corpus", "{t}/in", "-o", "{t}/o.parquet", "--workers", "1"),
        "MANIFEST.csv: is a named pipe (FIFO)",
        files=(("in/story.txt", STORY),),
        setup=fifo("in/MANIFEST.csv"),
    ),
    Case(
        "corpus names a FIFO, a loop and a dangling link among its articles",
        ("corpus", "{t}/in", "-o", "{t}/o.parquet", "--workers", "1"),
        "3 failed (dangling.txt: is a symbolic link to nothing; loop.txt:",
        code=0,
        files=(("in/story.txt", STORY),),
        setup=lambda t, d, mp: (
            os.mkfifo(t / "in" / "pipe.txt"),
            (t / "in" / "loop.txt").symlink_to("loop.txt"),
            (t / "in" / "dangling.txt").symlink_to("nowhere.txt"),
        ),
    ),
    Case(
        "corpus names every failed article",
        ("corpus", "{t}/in", "-o", "{t}/o.parquet", "--workers", "1"),
        "2 failed (bad.html: looks like a binary file, not text; empty.txt: is empty)",
        code=0,
        files=(("in/story.txt", STORY), ("in/empty.txt", ""), ("in/bad.html", b"\x00\x01")),
    ),
]


# --- the runner ---------------------------------------------------------------------------------


def _snapshot(path: Path) -> dict[str, tuple[int, bytes]]:
    """Mode and content of a file, or of every file under a folder (links and FIFOs by their mode)."""
    paths = sorted(path.rglob("*")) if path.is_dir() and not path.is_symlink() else [path]
    shot = {}
    for item in paths:
        info = item.lstat()
        content = (
            item.read_bytes()
            if stat.S_ISREG(info.st_mode)
            else os.fsencode(str(item.readlink()))
            if item.is_symlink()
            else b""
        )
        shot[str(item)] = (info.st_mode, content)
    return shot


def _run_process(argv: list[str], how: str, env: dict[str, str]) -> tuple[int, str]:
    command = [sys.executable, "-m", "utils.cli", *argv]
    options = {"cwd": ROOT, "env": env, "stderr": subprocess.PIPE, "timeout": 60}
    if how == "head":
        run = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=env)
        run.stdout.read(10)
        run.stdout.close()
        return run.wait(timeout=60), run.stderr.read().decode()
    if how == "full":
        with open("/dev/full", "wb") as full:
            done = subprocess.run(command, stdout=full, **options)
    elif how == "closed":
        done = subprocess.run(command, preexec_fn=lambda: os.close(1), **options)
    else:
        done = subprocess.run(command, stdout=subprocess.DEVNULL, **options)
    return done.returncode, done.stderr.decode()


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_bad_input(case: Case, tmp_path: Path, data_copy: Path, monkeypatch, capsys) -> None:
    folder = tmp_path / "case"
    folder.mkdir()
    for name, content in case.files:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    places = {"t": str(folder), "data": str(data_copy), "kursk": str(data_copy / "articles" / f"{KURSK}.txt")}
    extra = case.setup(folder, data_copy, monkeypatch) if case.setup else None
    places.update(extra if isinstance(extra, dict) else {})
    argv = [arg.format(**places) for arg in case.argv]
    kept = {p: _snapshot(Path(p.format(**places))) for p in case.unchanged}
    try:
        if case.process:
            code, err = _run_process(
                argv, case.process, {**os.environ, "EXPERT_OPINIONS_DATA": str(data_copy)}
            )
        else:
            try:
                code = main(argv)
            except SystemExit as exc:  # argparse
                code = exc.code
            out, err = capsys.readouterr()
            assert case.out in out, out
    finally:
        monkeypatch.undo()
        while SERVERS:
            SERVERS.pop().shutdown()
    assert "Traceback" not in err and "internal error" not in err, err
    assert code == case.code, err
    if case.code == 2:
        lines = err.splitlines()
        assert len(lines) == 1 and lines[0].startswith("opinions") and ": error: " in lines[0], err
    assert case.fragment in err, err
    for place, before in kept.items():
        assert _snapshot(Path(place.format(**places))) == before, f"{place} changed"
    leftovers = [p for p in tmp_path.rglob("*") if p.name.endswith((".part", ".staging"))]
    assert leftovers == []


def test_the_table_is_the_promise_it_claims_to_be() -> None:
    assert len(CASES) >= 60 and len({case.name for case in CASES}) == len(CASES)
    assert sum(1 for case in CASES if case.unchanged) >= 25
