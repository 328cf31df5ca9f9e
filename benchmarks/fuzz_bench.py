"""Fuzz run: mutated corpus articles through article loading and the extractor, looking for crashes and hangs.

Usage: python benchmarks/fuzz_bench.py [SHARED] [--articles N] [--workers W] [--timeout S] [--seed X]
                                       [--only INDEX ...] [--save DIR]

Each mutated article starts from a real one (``SHARED/corpus``, ``SHARED/devset`` and the bundled
article) and gets one to three mutations: byte flips, inserted quotation marks, markup, control,
invisible and bidirectional characters, truncation (also inside a UTF-8 sequence), one huge
paragraph, unbalanced quotes, repeated text, other encodings (UTF-16/32 with and without a
byte-order mark, cp1252, Latin-1, mixed lines), line-ending changes, very long words, and a
hostile sidecar ``.json`` beside it. It is written to a file and goes through what every command
does: :func:`utils.articles.load_article` (reading, decoding, normalising, the sidecar) and
:func:`utils.quotes.extract`, in worker processes with a per-article time limit; a worker that
runs over it is killed and the article counted as a hang.

Printed: articles, how many were refused with a one-line error (binary, empty ...: expected),
**exceptions** (anything else raised), **hangs**, paragraphs the extractor skipped, rows whose
offsets do not give back their text, and time. The goal is 0 exceptions, 0 hangs, 0 skipped
paragraphs and 0 inconsistent rows. Every article is reproducible from ``--seed`` and its
index: ``--only INDEX --save DIR`` writes it (and its sidecar) to DIR to look at.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import statistics
import sys
import tempfile
import threading
import time
import traceback
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

QUOTES = ['"', "“", "”", "‘", "’", "«", "»", "„", "‹", "›", "'", '"""', "「", "」", "``", "''"]
MARKUP = [
    "<p>",
    "</p>",
    "<div class='x'>",
    "<script>alert(1)</script>",
    "&quot;",
    "&amp;",
    "<!--",
    "-->",
    "]]>",
    "<br/>",
    "**",
    "[link](http://x)",
    "<b>said</b>",
]
CONTROLS = [chr(c) for c in [*range(0, 9), 11, 12, *range(14, 32), 127, *range(0x80, 0xA0)]]
INVISIBLE = [
    "\u200b",
    "\u200c",
    "\u200d",
    "\u200e",
    "\u200f",
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2060",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\ufeff",
    "\u00ad",
    "\u061c",
    "\u2028",
    "\u2029",
    "\u0085",
    "\U000e0041",
    "\u034f",
    "\u3164",
]
WORDS = ["said", "told", "according to", "Mr.", "Dr.", "U.S.", "—", "…", ":", ";", "(", ")", "\t", "  "]
NAMES = ["Ana Lopez", "Mick Ryan", "José Ramírez", "O'Neil", "van der Berg", "李明", "محمد", "Ryan, Mick"]
ENCODINGS = ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-8-sig", "cp1252", "latin-1", "mixed"]
SIDECARS = [
    '{"title": "T", "date": 1' + "0" * 5000 + "}",
    '{"date": NaN, "title": Infinity}',
    "[" * 5000 + "]" * 5000,
    '{"title": "\\u202eevil\\ud800", "url": "javascript:alert(1)"}',
    '{"title": ' + '"x' * 10 + "}",
    "\xff\xfe{}",
    '{"title": "' + "y" * 3000 + '"}',
    "null",
]


@dataclass
class Sample:
    """One mutated article: its bytes, an optional sidecar, and how it was made."""

    data: bytes
    sidecar: str | None = None
    how: list[str] = field(default_factory=list)


def sources(shared: Path) -> list[tuple[str, str]]:
    """(name, text) of every article the mutations start from."""
    paths = [
        *sorted((shared / "corpus").glob("*.txt")),
        *sorted((shared / "devset").glob("*.txt")),
        *sorted((REPO / "data" / "articles").glob("*.txt")),
    ]
    return [(p.name, p.read_text(encoding="utf-8", errors="replace")) for p in paths]


def mutate(texts: list[tuple[str, str]], seed: str, index: int) -> Sample:
    """The ``index``-th mutated article of a run: the same seed and index always give the same one."""
    rng = random.Random(f"{seed}:{index}")
    name, text = rng.choice(texts)
    sample = Sample(b"", how=[name])
    for _ in range(rng.randint(1, 3)):
        operation = rng.choice(TEXT_OPERATIONS + BYTE_OPERATIONS)
        sample.how.append(operation.__name__)
        if operation in TEXT_OPERATIONS:
            text = operation(rng, text)
    sample.data = _encode(rng, text, sample)
    for operation in [op for op in BYTE_OPERATIONS if op.__name__ in sample.how]:
        sample.data = operation(rng, sample.data)
    if rng.random() < 0.1:
        sample.sidecar = rng.choice(SIDECARS)
        sample.how.append("sidecar")
    return sample


def _insert(rng: random.Random, text: str, pieces: list[str], count: int) -> str:
    chars = list(text)
    for _ in range(count):
        chars.insert(rng.randint(0, len(chars)), rng.choice(pieces))
    return "".join(chars)


def quotes(rng: random.Random, text: str) -> str:
    return _insert(rng, text, QUOTES, rng.randint(1, 40))


def markup(rng: random.Random, text: str) -> str:
    if rng.random() < 0.2:  # a whole page: read through trafilatura
        body = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
        return f"<!DOCTYPE html><html><head><title>{text[:60]}</title></head><body>{body}</body></html>"
    return _insert(rng, text, MARKUP, rng.randint(1, 30))


def controls(rng: random.Random, text: str) -> str:
    return _insert(rng, text, CONTROLS, rng.randint(1, 30))


def invisible(rng: random.Random, text: str) -> str:
    """Invisible and bidi characters, also inside the names the article quotes."""
    for word in dict.fromkeys(rng.sample(text.split(), min(20, len(text.split())))):
        if word[:1].isupper():
            cut = rng.randint(0, len(word))
            text = text.replace(word, word[:cut] + rng.choice(INVISIBLE) + word[cut:])
    return _insert(rng, text, INVISIBLE, rng.randint(1, 30))


def words(rng: random.Random, text: str) -> str:
    return _insert(rng, text, WORDS + [f" {n} said " for n in NAMES], rng.randint(1, 40))


def huge_paragraph(rng: random.Random, text: str) -> str:
    body = " ".join(text.split())
    return body * rng.randint(1, 8)


def unbalanced(rng: random.Random, text: str) -> str:
    closing = [i for i, c in enumerate(text) if c in '”’»"']
    drop = set(rng.sample(closing, min(len(closing), rng.randint(1, 10))))
    return "".join(c for i, c in enumerate(text) if i not in drop)


def repeated(rng: random.Random, text: str) -> str:
    if rng.random() < 0.5:
        return text * rng.randint(2, 12)
    paragraphs = text.split("\n\n")
    chosen = rng.choice(paragraphs)
    return "\n\n".join([*paragraphs, *[chosen] * rng.randint(5, 200)])


def truncated(rng: random.Random, text: str) -> str:
    return text[: rng.randint(0, len(text))]


def line_endings(rng: random.Random, text: str) -> str:
    return rng.choice(
        [text.replace("\n", "\r\n"), text.replace("\n", "\r"), text.replace("\n", " "), text + "\n" * 50]
    )


def long_word(rng: random.Random, text: str) -> str:
    return _insert(rng, text, [rng.choice("ab“—") * rng.randint(1000, 50000)], 1)


def empty_ish(rng: random.Random, text: str) -> str:
    return rng.choice(["", " ", "\n\n\n", "\ufeff", "“", "Title\n\n", "\u200b" * 100])


def byte_flips(rng: random.Random, data: bytes) -> bytes:
    if not data:
        return data
    array = bytearray(data)
    for _ in range(rng.randint(1, 50)):
        array[rng.randrange(len(array))] = rng.randrange(256)
    return bytes(array)


def byte_cut(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randint(0, len(data))]  # may cut a UTF-8 or UTF-16 sequence in two


TEXT_OPERATIONS = [
    quotes,
    markup,
    controls,
    invisible,
    words,
    huge_paragraph,
    unbalanced,
    repeated,
    truncated,
    line_endings,
    long_word,
    empty_ish,
]
BYTE_OPERATIONS = [byte_flips, byte_cut]


def _encode(rng: random.Random, text: str, sample: Sample) -> bytes:
    if rng.random() > 0.25:
        return text.encode("utf-8", "surrogatepass")
    encoding = rng.choice(ENCODINGS)
    sample.how.append(encoding)
    if encoding == "mixed":  # a few lines pasted from a Windows file
        return b"\n".join(
            line.encode("cp1252", "replace") if rng.random() < 0.2 else line.encode("utf-8")
            for line in text.split("\n")
        )
    return text.encode(encoding, "replace")


# --- the run ------------------------------------------------------------------------------------


def check(path: Path) -> dict[str, object]:
    """Load and extract one article file; what happened, as plain data."""
    from utils.articles import load_article
    from utils.errors import InputError
    from utils.quotes import extract

    started = time.perf_counter()
    outcome: dict[str, object] = {"skipped": 0, "inconsistent": 0, "statements": 0}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            article = load_article(path)
            result = extract(article.text)
    except InputError as exc:
        outcome["refused"] = exc.problem.split(" (")[0][:60]
    except Exception as exc:
        outcome["exception"] = f"{type(exc).__name__}: {exc}"[:300]
        outcome["trace"] = traceback.format_exc(limit=-4)
    else:
        outcome["skipped"] = len(result.failures)
        outcome["failures"] = [f.error for f in result.failures][:3]
        outcome["statements"] = len(result.statements)
        outcome["inconsistent"] = sum(not _points_into(article.text, s) for s in result.statements)
    outcome["seconds"] = time.perf_counter() - started
    return outcome


def _points_into(text: str, statement) -> bool:
    """A row's offsets lie in the text and its words are there in order (a paraphrase may leave the
    attribution inside it out, so the span can hold more than the row's text)."""
    if not 0 <= statement.start <= statement.end <= len(text):
        return False
    span = iter(text[statement.start : statement.end])
    return all(char in span for char in statement.text)


def worker(connection, shared: str, seed: str) -> None:
    """Runs in a child process: mutate, write, load and extract each index it is sent."""
    texts = sources(Path(shared))
    folder = Path(tempfile.mkdtemp(prefix="fuzz-"))
    try:
        while (index := connection.recv()) is not None:
            sample = mutate(texts, seed, index)
            path = folder / f"article-{index}.txt"
            path.write_bytes(sample.data)
            sidecar = path.with_suffix(".json")
            if sample.sidecar is not None:
                sidecar.write_text(sample.sidecar, encoding="utf-8", errors="surrogatepass")
            outcome = check(path)
            path.unlink()
            sidecar.unlink(missing_ok=True)
            connection.send((index, sample.how, outcome))
    finally:
        for leftover in folder.iterdir():
            leftover.unlink()
        folder.rmdir()


class Lane:
    """One worker process fed one article at a time; replaced when an article runs over the time limit."""

    def __init__(self, shared: Path, seed: str) -> None:
        self.shared, self.seed = str(shared), seed
        self._start()

    def _start(self) -> None:
        context = multiprocessing.get_context("spawn")
        self.parent, child = context.Pipe()
        self.process = context.Process(target=worker, args=(child, self.shared, self.seed), daemon=True)
        self.process.start()

    def run(self, index: int, timeout: float) -> tuple[int, list[str], dict[str, object]]:
        self.parent.send(index)
        if self.parent.poll(timeout):
            return self.parent.recv()
        self.process.kill()
        self.process.join()
        self._start()
        return index, ["killed"], {"hang": True, "seconds": timeout}

    def close(self) -> None:
        self.parent.send(None)
        self.process.join(timeout=30)
        if self.process.is_alive():
            self.process.kill()


def run(shared: Path, indexes: list[int], workers: int, timeout: float, seed: str) -> list[tuple]:
    """Every index through ``workers`` lanes; results in index order."""
    results: list[tuple] = []
    queue = list(reversed(indexes))
    lock = threading.Lock()
    done = Counter()

    def drive() -> None:
        lane = Lane(shared, seed)
        try:
            while True:
                with lock:
                    if not queue:
                        return
                    index = queue.pop()
                result = lane.run(index, timeout)
                with lock:
                    results.append(result)
                    done["n"] += 1
                    if done["n"] % 1000 == 0:
                        print(f"  {done['n']} of {len(indexes)} articles", file=sys.stderr, flush=True)
        finally:
            lane.close()

    threads = [threading.Thread(target=drive) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(results, key=lambda r: r[0])


def summary(results: list[tuple], seconds: float, seed: str, texts: list[tuple[str, str]]) -> str:
    """The figures, and each problem with the index that reproduces it."""
    results = [(i, mutate(texts, seed, i).how if h == ["killed"] else h, o) for i, h, o in results]
    outcomes = [o for _i, _h, o in results]
    exceptions = [(i, h, o) for i, h, o in results if "exception" in o]
    hangs = [(i, h) for i, h, o in results if o.get("hang")]
    skipped = [(i, h, o) for i, h, o in results if o.get("skipped")]
    inconsistent = [(i, h, o) for i, h, o in results if o.get("inconsistent")]
    refused = Counter(o["refused"] for o in outcomes if "refused" in o)
    times = sorted(o["seconds"] for o in outcomes if not o.get("hang")) or [0.0]
    p99 = times[int(0.99 * (len(times) - 1))]
    lines = [
        f"articles           {len(results)} (seed {seed!r})",
        f"loaded             {sum(1 for o in outcomes if not {'refused', 'exception', 'hang'} & o.keys())}"
        f" ({sum(o.get('statements', 0) for o in outcomes)} statements)",
        f"refused (expected) {sum(refused.values())}: "
        + "; ".join(f"{n} {why}" for why, n in refused.most_common(6)),
        f"exceptions         {len(exceptions)}",
        f"hangs              {len(hangs)}",
        f"skipped paragraphs {sum(o.get('skipped', 0) for o in outcomes)} in {len(skipped)} articles",
        f"inconsistent rows  {sum(o.get('inconsistent', 0) for o in outcomes)}"
        f" in {len(inconsistent)} articles (offsets that do not hold the row's text)",
        f"time               {seconds:.0f} s wall; per article median {statistics.median(times) * 1000:.0f}"
        f" ms, 99th percentile {p99 * 1000:.0f} ms, max {times[-1]:.1f} s",
    ]
    for title, items in (("exception", exceptions), ("skipped", skipped), ("inconsistent", inconsistent)):
        for index, how, outcome in items[:10]:
            detail = outcome.get("exception") or outcome.get("failures") or outcome.get("inconsistent")
            lines.append(f"  {title} #{index} ({' + '.join(how)}): {detail}")
            if outcome.get("trace"):
                lines.append("    " + outcome["trace"].strip().replace("\n", "\n    "))
    lines += [
        f"  hang #{index} ({' + '.join(how)}): still running after the time limit"
        for index, how in hangs[:20]
    ]
    slowest = sorted((r for r in results if not r[2].get("hang")), key=lambda r: -r[2]["seconds"])[:3]
    lines += [
        f"  slow #{i} ({' + '.join(h)}): {o['seconds']:.1f} s, {o.get('statements', 0)} rows"
        for i, h, o in slowest
    ]
    return "\n".join(lines)


def save(shared: Path, seed: str, index: int, folder: Path) -> Path:
    """Write the ``index``-th article (and its sidecar) to ``folder`` to reproduce a problem."""
    sample = mutate(sources(shared), seed, index)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"fuzz-{index}.txt"
    path.write_bytes(sample.data)
    if sample.sidecar is not None:
        path.with_suffix(".json").write_text(sample.sidecar, encoding="utf-8", errors="surrogatepass")
    print(f"{path}: {' + '.join(sample.how)}")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("shared", nargs="?", default=str(REPO.parent / "shared"))
    parser.add_argument("--articles", type=int, default=10_000, help="how many mutated articles (10,000)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (2)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds one article may take (30)")
    parser.add_argument("--seed", default="issue-21", help="the run's seed: same seed, same articles")
    parser.add_argument("--only", type=int, nargs="*", help="run (or with --save, write) only these indexes")
    parser.add_argument("--save", type=Path, help="write the --only articles to this folder")
    args = parser.parse_args(argv)
    shared = Path(args.shared)
    if not sources(shared):
        print(
            f"{shared}: no articles to mutate (../shared/corpus sits beside the repository)", file=sys.stderr
        )
        return 2
    if args.save:
        for index in args.only or []:
            save(shared, args.seed, index, args.save)
        return 0
    indexes = args.only if args.only else list(range(args.articles))
    started = time.perf_counter()
    results = run(shared, indexes, args.workers, args.timeout, args.seed)
    print(summary(results, time.perf_counter() - started, args.seed, sources(shared)))
    bad = any(
        "exception" in o or o.get("hang") or o.get("skipped") or o.get("inconsistent") for *_, o in results
    )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
