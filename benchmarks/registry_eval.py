"""People-registry quality on the gold registry of tests/gold/people (issue 17, "How it is measured").

The gold (ids, offsets and labels only; read its README) says, for 2,994 statements of 185 PolNeAR
train articles, who made each one: a person id (``P0001``...), an organisation id (``O0001``...) or
nobody (empty: "officials", "a source", "polls"). A predictor gives rows ``article, start, end,
person_id`` (empty person_id = nobody). This script matches them and prints, per split:

* **Matching.** Within an article, every gold statement is paired with the predicted statement whose
  span overlaps it most: token-overlap F1 >= 0.5 (``utils.evaluate.MATCH_THRESHOLD``), one to one,
  greedy from the best pair down, ties by article order - ``opinions evaluate``'s rule. Overlap is
  counted on token *positions* (``\\w+`` tokens of the article text inside both spans), not on the
  multiset of words, so a repeated sentence (live blogs repeat whole sections) cannot match its
  twin elsewhere in the article. Unmatched statements are counted and take no further part.
* **B-cubed over matched statements** (Bagga & Baldwin 1998). For a matched statement i, G(i) is the
  set of matched statements of the split with i's gold id and P(i) those with i's predicted id.
  Precision is the mean, over statements the prediction gives an id, of |G(i) & P(i)| / |P(i)|;
  recall is the mean, over statements the gold gives an id, of |G(i) & P(i)| / |G(i)|. "Nobody" is
  not a cluster: a gold-nobody statement has G(i) empty, so an id given to it scores 0 precision for
  that statement and dilutes the precision of every statement sharing that id; a gold-id statement
  the prediction leaves without id has P(i) empty and scores 0 recall. Statements that both leave
  without id are right and counted apart ("nobody agreed").
* **Cross-article merges.** Nodes are the distinct (article, gold id, predicted id) triples of the
  matched statements: the pieces into which the two labelings cut each article. A pair of nodes in
  different articles is a gold merge when their gold ids are equal and not empty, a predicted merge
  when their predicted ids are equal and not empty. Merge precision = right predicted merges /
  predicted merges, recall = right predicted merges / gold merges. Splitting one person's
  statements of an article over two predicted ids halves that article's merges for the person.

Figures are printed for ``dev`` (registry development may look at it) and ``test`` (measure once),
and per hard case (``hard_cases.csv``: shared surnames, bare surnames, pronouns, ...) as B-cubed
restricted to the statements with that label.

Predictors: ``--predictions FILE.csv`` scores a file; without it two predictors run:

* **people registry** - the project's pipeline: the extractor over each sample article, each
  speaker resolved in its article and identified across the sample by ``utils.people``.
* **baseline** - the pipeline before the registry: the extractor, person_id = ``speaker_key``
  joined over the whole sample (nicknames, bare surnames with one full name); an empty key is nobody.
* **oracle extraction** - the gold statements themselves with PolNeAR's ``speaker`` keyed the same
  way: what today's keys do when extraction is perfect (registry errors apart from extraction's).

Usage: python benchmarks/registry_eval.py [--shared DIR] [--predictions FILE] [--split dev|test]
Exit 2 with one line when the PolNeAR folder or the predictions file is missing or malformed.
"""

from __future__ import annotations

import argparse
import bisect
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from math import comb
from pathlib import Path

import pandas as pd

from utils.errors import InputError
from utils.evaluate import MATCH_THRESHOLD

ROOT = Path(__file__).resolve().parents[1]
GOLD_DIR = ROOT / "tests" / "gold" / "people"
DEFAULT_SHARED = ROOT.parent / "shared"
SPLITS = ("dev", "test")
PRED_COLUMNS = ("article", "start", "end", "person_id")
_TOKEN = re.compile(r"\w+")


# --- gold -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Gold:
    """The gold registry: statements (article, start, end, person_id, split), people, hard cases."""

    statements: pd.DataFrame
    people: pd.DataFrame
    articles: pd.DataFrame
    hard_cases: pd.DataFrame


def _read_csv(path: Path, columns: Sequence[str]) -> pd.DataFrame:
    """A gold or prediction CSV with ``columns`` (all read as text), or an InputError naming it."""
    if not path.is_file():
        raise InputError(path, "not found", "give a CSV with columns " + ",".join(columns))
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise InputError(path, f"not a readable CSV ({type(exc).__name__})", "save it as UTF-8 CSV") from exc
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(path, "missing column(s) " + ", ".join(missing), "columns: " + ",".join(columns))
    return frame


def _offsets(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    """``start``/``end`` as integers with start < end, or an InputError naming the first bad row."""
    bad = ~(frame["start"].str.fullmatch(r"\d+") & frame["end"].str.fullmatch(r"\d+"))
    if bad.any():
        row = int(bad.to_numpy().nonzero()[0][0]) + 2
        raise InputError(path, f"row {row}: start/end are not whole numbers", "give character offsets")
    frame = frame.astype({"start": int, "end": int})
    empty = frame["start"] >= frame["end"]
    if empty.any():
        row = int(empty.to_numpy().nonzero()[0][0]) + 2
        raise InputError(path, f"row {row}: start is not before end", "give the statement's span")
    return frame


def load_gold(folder: Path = GOLD_DIR) -> Gold:
    """Read statements.csv, people.csv, articles.csv and hard_cases.csv of the gold registry."""
    statements = _offsets(
        _read_csv(folder / "statements.csv", ("article", "start", "end", "person_id", "split")),
        folder / "statements.csv",
    )
    people = _read_csv(folder / "people.csv", ("person_id", "kind", "source_type"))
    articles = _read_csv(folder / "articles.csv", ("article", "split"))
    hard_path = folder / "hard_cases.csv"
    hard = _offsets(_read_csv(hard_path, ("article", "start", "end", "case")), hard_path)
    return Gold(statements, people, articles, hard)


def read_predictions(path: Path) -> pd.DataFrame:
    """A predictions CSV (article, start, end, person_id); empty person_id means nobody."""
    return _offsets(_read_csv(path, PRED_COLUMNS), path)[list(PRED_COLUMNS)]


def read_texts(shared: Path, articles: Iterable[str]) -> dict[str, str]:
    """The article texts from ``shared``/polnear-train, or an InputError if the folder is not there."""
    folder = shared / "polnear-train"
    if not folder.is_dir():
        raise InputError(
            folder, "not found", "the registry gold needs PolNeAR train's texts; pass --shared DIR"
        )
    texts = {}
    for article in articles:
        path = folder / f"{article}.txt"
        if not path.is_file():
            raise InputError(path, "missing", "use a complete copy of ../shared/polnear-train")
        texts[article] = path.read_text(encoding="utf-8")
    return texts


# --- matching -------------------------------------------------------------------------------------


def token_starts(text: str) -> list[int]:
    """Start offsets of the ``\\w+`` tokens of ``text`` (the matching tokeniser)."""
    return [m.start() for m in _TOKEN.finditer(text)]


def _token_range(starts: list[int], start: int, end: int) -> range:
    """Indexes of the tokens that begin inside ``[start, end)``."""
    return range(bisect.bisect_left(starts, start), bisect.bisect_left(starts, end))


def span_f1(starts: list[int], a: tuple[int, int], b: tuple[int, int]) -> float:
    """Token-overlap F1 of two spans: shared token positions over each span's token count."""
    ra, rb = _token_range(starts, *a), _token_range(starts, *b)
    overlap = len(range(max(ra.start, rb.start), min(ra.stop, rb.stop)))
    if not overlap:
        return 0.0
    precision, recall = overlap / len(rb), overlap / len(ra)
    return 2 * precision * recall / (precision + recall)


def match_spans(
    text: str, gold: Sequence[tuple[int, int]], pred: Sequence[tuple[int, int]]
) -> list[tuple[int, int, float]]:
    """One-to-one (gold index, predicted index, F1) pairs at F1 >= 0.5, best first, ties by order."""
    starts = token_starts(text)
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if p[1] <= g[0] or g[1] <= p[0]:
                continue
            f1 = span_f1(starts, g, p)
            if f1 >= MATCH_THRESHOLD:
                candidates.append((-round(f1, 9), gi, pi))
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    pairs = []
    for neg_f1, gi, pi in sorted(candidates):
        if gi not in used_gold and pi not in used_pred:
            used_gold.add(gi)
            used_pred.add(pi)
            pairs.append((gi, pi, -neg_f1))
    return pairs


# --- scores ---------------------------------------------------------------------------------------


def bcubed(items: Sequence[tuple[str, str]]) -> tuple[float, float]:
    """B-cubed (precision, recall) of (gold id, predicted id) items; "" is nobody (see module doc).

    A measure with no item to average over (no predicted id, or no gold id) is 1.0: nothing was
    claimed, or nothing could be missed.
    """
    both = Counter((g, p) for g, p in items if g and p)
    gold_size = Counter(g for g, _ in items if g)
    pred_size = Counter(p for _, p in items if p)
    precision = [both[(g, p)] / pred_size[p] if g else 0.0 for g, p in items if p]
    recall = [both[(g, p)] / gold_size[g] if p else 0.0 for g, p in items if g]
    return _mean(precision), _mean(recall)


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 1.0


def _cross_article_pairs(nodes: Iterable[tuple[str, str]]) -> int:
    """Pairs of (article, key) nodes with equal key in different articles, nodes possibly repeated."""
    per_key: dict[str, Counter] = defaultdict(Counter)
    for article, key in nodes:
        per_key[key][article] += 1
    return sum(comb(sum(c.values()), 2) - sum(comb(n, 2) for n in c.values()) for c in per_key.values())


@dataclass(frozen=True)
class Merges:
    """Cross-article merge counts and their precision and recall."""

    gold: int
    predicted: int
    right: int

    @property
    def precision(self) -> float:
        return self.right / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.right / self.gold if self.gold else 1.0


def merges(items: Iterable[tuple[str, str, str]]) -> Merges:
    """Merge counts for (article, gold id, predicted id) items (module doc: nodes are the triples)."""
    nodes = set(items)
    gold = _cross_article_pairs((a, g) for a, g, _ in nodes if g)
    predicted = _cross_article_pairs((a, p) for a, _, p in nodes if p)
    right = _cross_article_pairs((a, f"{g}\t{p}") for a, g, p in nodes if g and p)
    return Merges(gold, predicted, right)


@dataclass
class SplitScore:
    """Everything printed for one split."""

    split: str
    gold: int = 0
    matched: int = 0
    predicted: int = 0
    precision: float = 1.0
    recall: float = 1.0
    merges: Merges = field(default_factory=lambda: Merges(0, 0, 0))
    nobody_agreed: int = 0
    id_to_nobody: int = 0
    nobody_missed: int = 0
    cases: dict[str, tuple[int, int, float, float]] = field(default_factory=dict)


def matched_items(
    gold: pd.DataFrame, pred: pd.DataFrame, texts: dict[str, str]
) -> tuple[list[tuple[str, int, int, str, str]], int]:
    """(article, start, end, gold id, predicted id) for matched gold statements, and predicted rows."""
    by_article = {a: frame for a, frame in pred.groupby("article", sort=False)}
    items = []
    n_pred = 0
    for article, g in gold.groupby("article", sort=False):
        p = by_article.get(article, pred.iloc[0:0])
        n_pred += len(p)
        gspans = list(zip(g["start"], g["end"], strict=True))
        pspans = list(zip(p["start"], p["end"], strict=True))
        gids, pids = list(g["person_id"]), list(p["person_id"])
        for gi, pi, _f1 in match_spans(texts[article], gspans, pspans):
            items.append((article, gspans[gi][0], gspans[gi][1], gids[gi], pids[pi]))
    return items, n_pred


def score_split(gold: Gold, pred: pd.DataFrame, texts: dict[str, str], split: str) -> SplitScore:
    """Match, then B-cubed, merges, nobody counts and per-hard-case B-cubed for one split."""
    g = gold.statements[gold.statements["split"] == split]
    p = pred[pred["article"].isin(set(g["article"]))]
    items, n_pred = matched_items(g, p, texts)
    pairs = [(gid, pid) for *_, gid, pid in items]
    precision, recall = bcubed(pairs)
    score = SplitScore(split, gold=len(g), matched=len(items), predicted=n_pred)
    score.precision, score.recall = precision, recall
    score.merges = merges((a, gid, pid) for a, _s, _e, gid, pid in items)
    score.nobody_agreed = sum(not gid and not pid for gid, pid in pairs)
    score.id_to_nobody = sum(not gid and bool(pid) for gid, pid in pairs)
    score.nobody_missed = sum(bool(gid) and not pid for gid, pid in pairs)
    in_split = set(zip(g["article"], g["start"], g["end"], strict=True))
    score.cases = case_scores(items, gold.hard_cases, in_split)
    return score


def case_scores(
    items: list[tuple[str, int, int, str, str]], hard: pd.DataFrame, in_split: set[tuple[str, int, int]]
) -> dict[str, tuple[int, int, float, float]]:
    """Per hard case: (labelled statements of the split, matched ones, B-cubed precision, recall).

    Clusters are those of all matched statements of the split; only the averaging is restricted to
    the statements with the label.
    """
    pairs = [(g, p) for *_, g, p in items]
    both = Counter((g, p) for g, p in pairs if g and p)
    gold_size = Counter(g for g, _ in pairs if g)
    pred_size = Counter(p for _, p in pairs if p)
    labels: dict[tuple[str, int, int], list[str]] = defaultdict(list)
    for key in zip(hard["article"], hard["start"], hard["end"], hard["case"], strict=True):
        if key[:3] in in_split:
            labels[key[:3]].append(key[3])
    labelled = Counter(case for cases in labels.values() for case in cases)
    matched: Counter = Counter()
    per_case: dict[str, tuple[list[float], list[float]]] = defaultdict(lambda: ([], []))
    for article, start, end, g, p in items:
        for case in labels.get((article, start, end), []):
            matched[case] += 1
            prec, rec = per_case[case]
            if p:
                prec.append(both[(g, p)] / pred_size[p] if g else 0.0)
            if g:
                rec.append(both[(g, p)] / gold_size[g] if p else 0.0)
    return {
        case: (labelled[case], matched[case], _mean(per_case[case][0]), _mean(per_case[case][1]))
        for case in sorted(labelled)
    }


def format_score(name: str, score: SplitScore) -> str:
    """The printed block of one predictor on one split."""
    m = score.merges
    lines = [
        f"{name}, {score.split}: {score.matched}/{score.gold} gold statements matched "
        f"({score.gold - score.matched} unmatched), {score.predicted} predicted rows",
        f"  B-cubed precision {score.precision:.3f}  recall {score.recall:.3f}",
        f"  cross-article merges: precision {m.precision:.3f} ({m.right}/{m.predicted})"
        f"  recall {m.recall:.3f} ({m.right}/{m.gold})",
        f"  nobody: {score.nobody_agreed} agreed, {score.id_to_nobody} gold-nobody given an id, "
        f"{score.nobody_missed} gold-id left without id",
        "  by hard case (statements labelled, matched; B-cubed P / R over the matched ones):",
    ]
    for case, (n, matched, p, r) in score.cases.items():
        lines.append(f"    {case:<26} {n:>5} {matched:>5}  {p:.3f} / {r:.3f}")
    return "\n".join(lines)


# --- predictors -----------------------------------------------------------------------------------


_NICKNAME = re.compile(r"\b([A-Z][a-z]+) [\"“(‘']([A-Z][a-z]+)[\"”)’'] ([A-Z][a-zA-Z'’\-]+)")


def baseline_predictions(shared: Path, articles: Sequence[str]) -> tuple[pd.DataFrame, dict[str, str]]:
    """The corpus pipeline before the people registry: extracted statements keyed by ``speaker_key``
    (titles and case dropped), nicknames the articles introduce, and a bare surname joined to the
    one full name of the sample that ends with it.

    Returns the predictions and the nickname aliases the articles introduce (for the oracle).
    """
    from utils.quotes import extract
    from utils.speakers import speaker_key

    rows, aliases = [], {}
    for article in articles:
        text = (shared / "polnear-train" / f"{article}.txt").read_text(encoding="utf-8")
        rows.extend(
            {"article": article, "start": s.start, "end": s.end, "key": speaker_key(s.speaker)}
            for s in extract(text).statements
        )
        aliases.update(
            {
                f"{nick} {last}".lower(): f"{first} {last}".lower()
                for first, nick, last in _NICKNAME.findall(text)
            }
        )
    frame = pd.DataFrame(rows, columns=["article", "start", "end", "key"])
    frame["person_id"] = resolve_speaker_keys(frame["key"].astype(str), aliases).fillna("")
    return frame[list(PRED_COLUMNS)], aliases


def resolve_speaker_keys(keys: pd.Series, aliases: dict[str, str]) -> pd.Series:
    """The old corpus-wide key: nicknames to full names, a bare surname to the one full name with it."""
    keys = keys.replace(aliases)
    by_surname: dict[str, set[str]] = {}
    for key in sorted({k for k in keys.unique() if " " in k}):
        by_surname.setdefault(key.rsplit(" ", 1)[1], set()).add(key)
    single = {surname: next(iter(names)) for surname, names in by_surname.items() if len(names) == 1}
    return keys.map(lambda k: single.get(k, k) if " " not in k else k)


def registry_predictions(shared: Path, articles: Sequence[str]) -> pd.DataFrame:
    """The project's people registry: extracted statements, each speaker resolved in its article,
    then one id per person across the sample (``utils.people``)."""
    from utils.people.cluster import resolve_in_article
    from utils.people.identify import identify
    from utils.quotes import extract

    rows = []
    for article in articles:
        text = (shared / "polnear-train" / f"{article}.txt").read_text(encoding="utf-8")
        statements = extract(text).statements
        roles: dict[str, set[str]] = {}
        for statement in statements:
            roles.setdefault(statement.speaker, set()).add(statement.affiliation)
        resolved = resolve_in_article([s.speaker for s in statements], text, roles)
        rows.extend((article, s.start, s.end, s.speaker, resolved[s.speaker]) for s in statements)
    applied = identify((a, speaker, name) for a, _s, _e, speaker, name in rows)
    return pd.DataFrame(
        [(a, s, e, applied.identities[(a, speaker)].person_id) for a, s, e, speaker, _n in rows],
        columns=list(PRED_COLUMNS),
    )


def oracle_predictions(shared: Path, gold: Gold, aliases: dict[str, str]) -> pd.DataFrame:
    """The gold statements with PolNeAR's ``speaker`` through today's key logic (perfect extraction)."""
    from utils.speakers import speaker_key

    rows = []
    for article, g in gold.statements.groupby("article", sort=False):
        polnear = pd.read_csv(
            shared / "polnear-train" / f"{article}.gold.csv", dtype=str, keep_default_na=False
        ).astype({"start": int, "end": int})
        speakers = {
            (s, e): sp for s, e, sp in zip(polnear["start"], polnear["end"], polnear["speaker"], strict=True)
        }
        for start, end in zip(g["start"], g["end"], strict=True):
            rows.append(
                {
                    "article": article,
                    "start": start,
                    "end": end,
                    "key": speaker_key(speakers.get((start, end), "")),
                }
            )
    frame = pd.DataFrame(rows, columns=["article", "start", "end", "key"])
    frame["person_id"] = resolve_speaker_keys(frame["key"], aliases).fillna("")
    return frame[list(PRED_COLUMNS)]


# --- command --------------------------------------------------------------------------------------


def run(argv: Sequence[str] | None = None) -> list[str]:
    """The printed blocks (raises InputError on bad input)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--shared", default=str(DEFAULT_SHARED), help="the folder holding polnear-train/")
    parser.add_argument("--predictions", help="score this CSV (article,start,end,person_id) instead")
    parser.add_argument("--split", choices=SPLITS, help="score only this split (default: both)")
    args = parser.parse_args(argv)
    shared = Path(args.shared)
    gold = load_gold()
    given = read_predictions(Path(args.predictions)) if args.predictions else None
    texts = read_texts(shared, sorted(set(gold.statements["article"])))
    splits = [args.split] if args.split else list(SPLITS)
    if given is not None:
        predictors = {"predictions": given}
    else:
        articles = list(gold.articles["article"])
        baseline, aliases = baseline_predictions(shared, articles)
        predictors = {
            "people registry (extractor + utils.people)": registry_predictions(shared, articles),
            "baseline (extractor + speaker_key)": baseline,
            "oracle extraction (gold spans + PolNeAR speaker keys)": oracle_predictions(
                shared, gold, aliases
            ),
        }
    people = gold.people.set_index("person_id")
    blocks = []
    for split in splits:
        ids = set(gold.statements.loc[gold.statements["split"] == split, "person_id"]) - {""}
        kinds = Counter(people.loc[sorted(ids), "kind"])
        blocks.append(
            f"== {split}: {int((gold.articles['split'] == split).sum())} articles, "
            f"{int((gold.statements['split'] == split).sum())} gold statements, "
            f"{kinds['person']} people and {kinds['organisation']} organisations =="
        )
        blocks.extend(
            format_score(name, score_split(gold, pred, texts, split)) for name, pred in predictors.items()
        )
    return blocks


def main(argv: Sequence[str] | None = None) -> int:
    try:
        blocks = run(argv)
    except InputError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    print("\n".join(blocks))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
