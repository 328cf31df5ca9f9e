"""Write the correction list that ``benchmarks/review_replay.py`` replays in the workbench.

    python benchmarks/review_corrections.py STEM [--shared ../shared] [-o benchmarks/review_replay/STEM.json]

For one corpus article with a gold table in ``tests/gold/corpus/`` (one the rules were not tuned
on: split ``train5`` in ``splits.csv``), it freezes what the extractor finds today (the machine's
rows, without their text: offsets index the article) and lists, in reading order, what a careful
reviewer must end with: for every gold row, its span in the article and the machine row it starts
from (the one whose span overlaps it most), or ``add`` when the machine missed it; machine rows
no gold row overlaps are deleted. Speakers, affiliations, kinds and texts stay in the gold table;
the article text stays in ``../shared``. Written once, read by a person (the replay prints what each
statement needed), then committed.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import warnings
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from utils.annotations import statement_text  # noqa: E402
from utils.articles import load_article  # noqa: E402
from utils.console import write_stdout  # noqa: E402
from utils.curation import _pieces_match  # noqa: E402
from utils.statements import extract_table  # noqa: E402

GOLD = ROOT / "tests" / "gold" / "corpus"
OUT = ROOT / "benchmarks" / "review_replay"
SEED_COLUMNS = ["id", "speaker", "affiliation", "kind", "start", "end", "cue", "rule", "confidence"]
_EDGE_WORDS = 4  # words from each end of a joined paraphrase used to find its span


def gold_span(text: str, gold: str, kind: str, near: int) -> tuple[int, int]:
    """Where a gold text sits in the article: exactly, or (a paraphrase joined from pieces) from its
    first words to its last; the occurrence nearest ``near`` when there are several."""
    exact = [m.start() for m in re.finditer(re.escape(gold), text)]
    if exact:
        at = min(exact, key=lambda a: abs(a - near))
        return at, at + len(gold)
    if kind == "direct":
        raise SystemExit(f"direct quote not found in the article: {gold[:60]!r}")
    words = gold.split()
    head, tail = " ".join(words[:_EDGE_WORDS]), " ".join(words[-_EDGE_WORDS:])
    spans = [
        (a, b + len(tail))
        for a in (m.start() for m in re.finditer(re.escape(head), text))
        for b in (m.start() for m in re.finditer(re.escape(tail), text))
        if b >= a and _pieces_match(gold, text[a : b + len(tail)])
    ]
    if not spans:
        raise SystemExit(f"paraphrase not found in the article: {gold[:60]!r}")
    return min(spans, key=lambda s: (abs(s[0] - near), s[1] - s[0]))


def corrections(stem: str, shared: Path) -> dict[str, object]:
    article = load_article(shared / "corpus" / f"{stem}.txt", stem)
    text = article.text
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        seed = extract_table(text)
    seed["id"] = [f"s{i:02d}" for i in range(1, len(seed) + 1)]
    for row in seed.itertuples():  # the replay rebuilds each text from its span
        if statement_text(text, row.start, row.end, row.kind, row.cue, row.speaker) != row.text:
            raise SystemExit(f"{row.id}: its text is not its span's (utils.annotations.statement_text)")
    gold = pd.read_csv(GOLD / f"{stem}.gold.csv", dtype=str, keep_default_na=False)
    rows, cursor = [], 0
    for number, row in gold.iterrows():
        start, end = gold_span(text, row["text"], row["kind"], cursor)
        cursor = start
        rows.append({"gold_row": int(number), "start": start, "end": end})
    taken: dict[str, int] = {}
    overlaps = sorted(
        (
            (min(r["end"], s.end) - max(r["start"], s.start), i, s.id)
            for i, r in enumerate(rows)
            for s in seed.itertuples()
        ),
        reverse=True,
    )
    for overlap, i, sid in overlaps:  # one machine row per gold row, the largest overlaps first
        if overlap > 0 and sid not in taken and "from" not in rows[i]:
            taken[sid] = i
            rows[i]["from"] = sid
    for row in rows:
        row.setdefault("from", "add")
    rows.sort(key=lambda r: (r["start"], r["end"]))
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return {
        "article": stem,
        "article_file": f"../shared/corpus/{stem}.txt",
        "gold": f"tests/gold/corpus/{stem}.gold.csv",
        "seed_from": f"the extractor at commit {commit.stdout.strip()}",
        "seed": seed[SEED_COLUMNS].to_dict("records"),
        "statements": rows,
        "delete": [sid for sid in seed["id"] if sid not in taken],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("stem")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("-o", "--out", type=Path)
    args = parser.parse_args()
    listing = corrections(args.stem, args.shared)
    out = args.out or OUT / f"{args.stem}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(listing, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    write_stdout(f"wrote {out}: {len(listing['statements'])} statements, {len(listing['delete'])} deleted\n")


if __name__ == "__main__":
    main()
