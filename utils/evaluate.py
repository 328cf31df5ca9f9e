"""Scoring of extracted statements against hand-made gold tables.

Matching rules (fixed, so figures stay comparable between versions):

* Tokeniser: ``re.findall(r"\\w+", text.lower())`` (Unicode word characters; punctuation and
  quotation marks are ignored). Token-F1 between two texts uses multiset overlap of these tokens.
* Matching is one-to-one and greedy: all gold x predicted pairs are scored by token-F1 and taken
  from the highest F1 down; a pair only counts at token-F1 >= 0.5. Ties are broken in favour of
  pairs with the same kind, then with a right speaker, then by article order (gold, predicted).
* Three levels: **span** (the pair matched), **attributed** (span + speaker right) and **full**
  (span + speaker right + same kind).
* Speaker right: a *named* gold speaker is right when the gold surname (last word of the gold
  speaker, case-insensitive) occurs as a word in the predicted speaker. A *group/unnamed* gold
  speaker is right when at least half of the smaller of the two content-word sets (lower-cased,
  stop words removed) is shared. A gold speaker counts as group/unnamed when its affiliation
  starts with "(unnamed)" or the speaker does not look like a personal name, i.e. it is not 2-4
  capitalised words free of organisation words ("Council", "Times", "Market" ...), acronyms and
  digits (see :func:`utils.speakers.looks_like_person`).

Precision = matched / predicted rows, recall = matched / gold rows, per article and micro-averaged
over all articles. Recall by kind is the span-level recall of gold rows of that kind.

Affiliation figure: over correctly attributed pairs whose gold affiliation is given and does not
start with "(unnamed)" (an unnamed source's description restates the speaker), the share whose
predicted affiliation holds at least half of the gold affiliation's content words (tokens as above,
minus :data:`AFFILIATION_STOP_WORDS`). Word order, case and extra words are ignored: "professor of
political science, Yale University" is right for the gold "Yale professor"; "economist" is wrong
for "Harvard economist" (1 of 2 words). Wrong ones are listed as ``wrong_affiliation`` errors.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from utils.articles import load_article
from utils.curation import extract_table
from utils.errors import InputError
from utils.schema import GOLD_SCHEMA, read_table
from utils.speakers import looks_like_person

TEXT_COLUMNS = ("speaker", "kind", "text", "affiliation")  # of gold and predicted tables

__all__ = [
    "AFFILIATION_STOP_WORDS",
    "ArticleScore",
    "Evaluation",
    "affiliation_counts",
    "affiliation_right",
    "evaluate_pairs",
    "evaluation_inputs",
    "evaluation_items",
    "format_evaluation",
    "load_devset",
    "score_article",
    "speaker_right",
    "token_f1",
    "tokens",
]

MATCH_THRESHOLD = 0.5
LEVELS = ("span", "attributed", "full")
KINDS = ("direct", "paraphrase")
REQUIRED_GOLD = ("speaker", "kind", "text")
REQUIRED_PRED = ("speaker", "kind", "text")
ERROR_COLUMNS = [
    "slug",
    "error",
    "gold_speaker",
    "pred_speaker",
    "kind",
    "text",
    "gold_affiliation",
    "pred_affiliation",
]

STOP_WORDS: frozenset[str] = frozenset(
    """a an the of in on at to for from by with and or but as that this these those its it his her
    their our your my is are was were be been who which whose inside outside near about among
    between into over under some many most several all both other another any each such""".split()  # noqa: SIM905
)

#: Words of an affiliation that say nothing about the role or institution ("s" is a possessive's).
AFFILIATION_STOP_WORDS: frozenset[str] = frozenset("the a an of and for at in on to s".split())  # noqa: SIM905

_TOKEN_RE = re.compile(r"\w+")


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens used for matching: ``re.findall(r"\\w+", text.lower())``."""
    return _TOKEN_RE.findall(str(text).lower())


def token_f1(a: str, b: str) -> float:
    """Token-F1 of two texts (multiset overlap of :func:`tokens`); 0.0 if either is empty."""
    ta, tb = Counter(tokens(a)), Counter(tokens(b))
    overlap = sum((ta & tb).values())
    if not overlap:
        return 0.0
    precision = overlap / sum(tb.values())
    recall = overlap / sum(ta.values())
    return 2 * precision * recall / (precision + recall)


def _content_words(text: str) -> set[str]:
    """Words that carry a group's identity; a name made only of stop words ("WHO") keeps its words."""
    words = set(tokens(text))
    return (words - STOP_WORDS) or words


def is_group_speaker(speaker: str, affiliation: str = "") -> bool:
    """Gold speakers judged by content words: "(unnamed)" affiliation or not a personal name."""
    return str(affiliation).strip().lower().startswith("(unnamed)") or not looks_like_person(str(speaker))


def speaker_right(gold_speaker: str, gold_affiliation: str, pred_speaker: str) -> bool:
    """Is the predicted speaker right for this gold speaker? (rules in the module docstring)."""
    gold_speaker, pred_speaker = str(gold_speaker), str(pred_speaker)
    if is_group_speaker(gold_speaker, gold_affiliation):
        gold_words, pred_words = _content_words(gold_speaker), _content_words(pred_speaker)
        smaller = min(len(gold_words), len(pred_words))
        return smaller > 0 and len(gold_words & pred_words) * 2 >= smaller
    words = gold_speaker.split()
    if not words:
        return False
    surname = re.sub(r"^\W+|\W+$", "", words[-1].lower())
    return (
        bool(surname) and re.search(rf"(?<!\w){re.escape(surname)}(?!\w)", pred_speaker.lower()) is not None
    )


def affiliation_counts(gold_affiliation: str) -> bool:
    """Does a gold row's affiliation enter the affiliation figure (given, not "(unnamed) …")?"""
    text = str(gold_affiliation).strip()
    return bool(text) and not text.lower().startswith("(unnamed)")


def affiliation_right(gold: str, pred: str) -> bool:
    """At least half of the gold affiliation's content words occur in the predicted one."""
    words = {w for w in tokens(gold) if w not in AFFILIATION_STOP_WORDS}
    return bool(words) and len(words & set(tokens(pred))) * 2 >= len(words)


# --- data loading -----------------------------------------------------------------------------


def load_devset(folder: str | Path) -> list[tuple[str, str, pd.DataFrame]]:
    """Read ``<slug>.txt`` + ``<slug>.gold.csv`` pairs: (slug, article text, gold table), by slug."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"dev set folder not found: {folder}")
    return [
        (
            source.slug,
            load_article(source.article).text,
            read_table(source.gold, GOLD_SCHEMA, "gold statements"),
        )
        for source in _sources(folder)
        if source.article is not None and source.article.exists()
    ]


@dataclass(frozen=True)
class _Source:
    """One article of an evaluation: its gold table, and the predictions or the article it is scored on."""

    slug: str
    gold: Path
    pred: Path | None
    article: Path | None


def _sources(gold: Path, pred: Path | None = None, articles: Path | None = None) -> list[_Source]:
    """What an evaluation reads, article by article (see :func:`evaluation_items`)."""
    if gold.is_dir():
        golds = sorted(gold.glob("*.gold.csv"))
        if not golds:
            raise InputError(gold, "holds no <slug>.gold.csv files", "give a gold CSV or the dev-set folder")
    else:
        golds = [gold]
    sources = []
    for path in golds:
        slug = path.name.removesuffix(".csv").removesuffix(".gold")
        if pred is None:
            text = (articles / f"{slug}.txt") if articles else path.with_name(f"{slug}.txt")
            sources.append(_Source(slug, path, None, text))
        else:
            sources.append(_Source(slug, path, pred / f"{slug}.csv" if pred.is_dir() else pred, None))
    return sources


def evaluation_inputs(gold: Path, pred: Path | None = None, articles: Path | None = None) -> list[Path]:
    """Every file and folder an evaluation reads, for ``utils.outputs.check_file_output(out, these)``.

    The gold tables, the predictions or the articles that will be read (``<slug>.txt`` in
    ``articles`` or beside each gold table), and the folders given: no output may replace any
    of them, their sidecars, or anything inside those folders.
    """
    folders = [p for p in (gold, pred, articles) if p is not None and p.is_dir()]
    files = [f for s in _sources(gold, pred, articles) for f in (s.gold, s.pred, s.article) if f is not None]
    return list(dict.fromkeys([*folders, *files]))


def evaluation_items(
    gold: Path, pred: Path | None = None, articles: Path | None = None
) -> list[tuple[str, pd.DataFrame, pd.DataFrame]]:
    """(slug, gold table, predicted table) for a gold file or a folder of ``<slug>.gold.csv`` files.

    Without ``pred``, statements are extracted now from ``<slug>.txt``, found in ``articles``
    or, by default, beside each gold file.
    """
    items = []
    for source in _sources(gold, pred, articles):
        table = read_table(source.gold, GOLD_SCHEMA, "gold statements")
        if source.pred is None:
            predicted = extract_table(load_article(source.article).text)
        else:
            predicted = read_table(source.pred, GOLD_SCHEMA, "predicted statements")
        items.append((source.slug, table, predicted))
    return items


def _check_columns(frame: pd.DataFrame, required: Iterable[str], name: str) -> pd.DataFrame:
    """Validate and normalise a table; a missing column raises ValueError naming it."""
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"{name} table must be a pandas DataFrame, got {type(frame).__name__}")
    for column in required:
        if column not in frame.columns:
            raise ValueError(f"{name} table is missing the column {column!r}")
    frame = frame.reset_index(drop=True).copy()
    if "affiliation" not in frame.columns:
        frame["affiliation"] = ""
    for column in TEXT_COLUMNS:
        frame[column] = frame[column].fillna("").astype(str)
    frame["kind"] = frame["kind"].str.strip().str.lower()
    return frame


# --- scoring ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Pair:
    gold: int
    pred: int
    f1: float
    speaker_ok: bool
    kind_ok: bool


@dataclass
class ArticleScore:
    """Counts and errors for one article. Rates are derived from the counts."""

    n_gold: int
    n_pred: int
    matched: dict[str, int]  # level -> number of matched pairs at that level
    gold_by_kind: dict[str, int]
    matched_by_kind: dict[str, int]  # span-level matches per gold kind
    pairs: list[tuple[int, int, float]] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)
    affiliation_n: int = 0  # correctly attributed pairs whose gold affiliation counts
    affiliation_ok: int = 0  # ... of which the predicted affiliation is right

    def precision(self, level: str) -> float:
        return _ratio(self.matched[level], self.n_pred)

    def recall(self, level: str) -> float:
        return _ratio(self.matched[level], self.n_gold)

    def f1(self, level: str) -> float:
        return _f1(self.precision(level), self.recall(level))

    def recall_kind(self, kind: str) -> float:
        return _ratio(self.matched_by_kind.get(kind, 0), self.gold_by_kind.get(kind, 0))


def _ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _greedy_pairs(gold: pd.DataFrame, pred: pd.DataFrame) -> list[_Pair]:
    """All candidate pairs at token-F1 >= 0.5, taken greedily from the best down, one-to-one."""
    gold_tokens = [Counter(tokens(t)) for t in gold["text"]]
    pred_tokens = [Counter(tokens(t)) for t in pred["text"]]
    candidates = []
    for gi, gt in enumerate(gold_tokens):
        g_total = sum(gt.values())
        for pi, pt in enumerate(pred_tokens):
            overlap = sum((gt & pt).values())
            if not overlap:
                continue
            p, r = overlap / sum(pt.values()), overlap / g_total
            f1 = 2 * p * r / (p + r)
            if f1 < MATCH_THRESHOLD:
                continue
            ok = speaker_right(gold.at[gi, "speaker"], gold.at[gi, "affiliation"], pred.at[pi, "speaker"])
            same_kind = gold.at[gi, "kind"] == pred.at[pi, "kind"]
            candidates.append(_Pair(gi, pi, f1, ok, same_kind))
    candidates.sort(key=lambda c: (-round(c.f1, 9), not c.kind_ok, not c.speaker_ok, c.gold, c.pred))
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    chosen = []
    for cand in candidates:
        if cand.gold in used_gold or cand.pred in used_pred:
            continue
        used_gold.add(cand.gold)
        used_pred.add(cand.pred)
        chosen.append(cand)
    return chosen


def score_article(gold: pd.DataFrame, pred: pd.DataFrame, slug: str = "") -> ArticleScore:
    """Match one article's predicted rows to its gold rows and count hits at each level."""
    gold = _check_columns(gold, REQUIRED_GOLD, "gold")
    pred = _check_columns(pred, REQUIRED_PRED, "predicted")
    pairs = _greedy_pairs(gold, pred)
    matched = {
        "span": len(pairs),
        "attributed": sum(p.speaker_ok for p in pairs),
        "full": sum(p.speaker_ok and p.kind_ok for p in pairs),
    }
    gold_by_kind = {k: int((gold["kind"] == k).sum()) for k in KINDS}
    matched_by_kind = {k: sum(gold.at[p.gold, "kind"] == k for p in pairs) for k in KINDS}
    errors = _errors(gold, pred, pairs, slug)
    judged = [p for p in pairs if p.speaker_ok and affiliation_counts(gold.at[p.gold, "affiliation"])]
    right = [
        affiliation_right(gold.at[p.gold, "affiliation"], pred.at[p.pred, "affiliation"]) for p in judged
    ]
    for pair, ok in zip(judged, right, strict=True):
        if not ok:
            g, p = gold.iloc[pair.gold], pred.iloc[pair.pred]
            errors.append(
                _error_row(
                    slug,
                    "wrong_affiliation",
                    g["speaker"],
                    p["speaker"],
                    g["kind"],
                    g["text"],
                    g["affiliation"],
                    p["affiliation"],
                )
            )
    return ArticleScore(
        n_gold=len(gold),
        n_pred=len(pred),
        matched=matched,
        gold_by_kind=gold_by_kind,
        matched_by_kind=matched_by_kind,
        pairs=[(p.gold, p.pred, p.f1) for p in pairs],
        errors=errors,
        affiliation_n=len(judged),
        affiliation_ok=sum(right),
    )


def _errors(gold: pd.DataFrame, pred: pd.DataFrame, pairs: list[_Pair], slug: str) -> list[dict[str, str]]:
    """Missed gold rows, spurious predicted rows, and matched pairs with a wrong speaker or kind."""
    rows: list[dict[str, str]] = []
    matched_gold = {p.gold for p in pairs}
    matched_pred = {p.pred for p in pairs}
    for gi in range(len(gold)):
        if gi not in matched_gold:
            g = gold.iloc[gi]
            rows.append(_error_row(slug, "missed", g["speaker"], "", g["kind"], g["text"]))
    for pi in range(len(pred)):
        if pi not in matched_pred:
            p = pred.iloc[pi]
            rows.append(_error_row(slug, "spurious", "", p["speaker"], p["kind"], p["text"]))
    for pair in sorted(pairs, key=lambda p: p.gold):
        g, p = gold.iloc[pair.gold], pred.iloc[pair.pred]
        if not pair.speaker_ok:
            rows.append(_error_row(slug, "wrong_speaker", g["speaker"], p["speaker"], g["kind"], g["text"]))
        if not pair.kind_ok:
            rows.append(
                _error_row(
                    slug, "wrong_kind", g["speaker"], p["speaker"], f"{g['kind']}->{p['kind']}", g["text"]
                )
            )
    return rows


def _error_row(
    slug: str,
    error: str,
    gold_speaker: str,
    pred_speaker: str,
    kind: str,
    text: str,
    gold_affiliation: str = "",
    pred_affiliation: str = "",
) -> dict[str, str]:
    return {
        "slug": slug,
        "error": error,
        "gold_speaker": gold_speaker,
        "pred_speaker": pred_speaker,
        "kind": kind,
        "text": text,
        "gold_affiliation": gold_affiliation,
        "pred_affiliation": pred_affiliation,
    }


@dataclass
class Evaluation:
    """Per-article table, micro-averaged figures and the list of errors over a set of articles."""

    per_article: pd.DataFrame
    micro: dict[str, float]
    errors: pd.DataFrame


def _score_row(slug: str, score: ArticleScore) -> dict[str, object]:
    row: dict[str, object] = {"slug": slug, "n_gold": score.n_gold, "n_pred": score.n_pred}
    for level in LEVELS:
        row[f"{level}_p"] = score.precision(level)
        row[f"{level}_r"] = score.recall(level)
        row[f"{level}_f1"] = score.f1(level)
    for kind in KINDS:
        row[f"recall_{kind}"] = score.recall_kind(kind)
    return row


def evaluate_pairs(items: Iterable[tuple[str, pd.DataFrame, pd.DataFrame]]) -> Evaluation:
    """Score (slug, gold, predicted) triples; micro figures pool the counts of all articles."""
    rows, errors = [], []
    totals = {"gold": 0, "pred": 0}
    matched = dict.fromkeys(LEVELS, 0)
    gold_kind = dict.fromkeys(KINDS, 0)
    matched_kind = dict.fromkeys(KINDS, 0)
    affiliation = {"n": 0, "ok": 0}
    for slug, gold, pred in items:
        score = score_article(gold, pred, slug)
        rows.append(_score_row(slug, score))
        errors.extend(score.errors)
        totals["gold"] += score.n_gold
        totals["pred"] += score.n_pred
        for level in LEVELS:
            matched[level] += score.matched[level]
        for kind in KINDS:
            gold_kind[kind] += score.gold_by_kind[kind]
            matched_kind[kind] += score.matched_by_kind[kind]
        affiliation["n"] += score.affiliation_n
        affiliation["ok"] += score.affiliation_ok
    micro: dict[str, float] = {"n_gold": float(totals["gold"]), "n_pred": float(totals["pred"])}
    for level in LEVELS:
        p, r = _ratio(matched[level], totals["pred"]), _ratio(matched[level], totals["gold"])
        micro.update({f"{level}_p": p, f"{level}_r": r, f"{level}_f1": _f1(p, r)})
    for kind in KINDS:
        micro[f"recall_{kind}"] = _ratio(matched_kind[kind], gold_kind[kind])
    micro["affiliation_n"] = float(affiliation["n"])
    micro["affiliation_ok"] = float(affiliation["ok"])
    micro["affiliation"] = _ratio(affiliation["ok"], affiliation["n"])
    per_article = pd.DataFrame(rows, columns=list(_score_row("", _empty_score()).keys()))
    return Evaluation(per_article, micro, pd.DataFrame(errors, columns=ERROR_COLUMNS))


def _empty_score() -> ArticleScore:
    return ArticleScore(0, 0, dict.fromkeys(LEVELS, 0), dict.fromkeys(KINDS, 0), dict.fromkeys(KINDS, 0))


def format_evaluation(ev: Evaluation, show_errors: bool = False, width: int = 44) -> str:
    """Plain-text report: per-article P/R/F1 at the three levels, a micro row, recall by kind."""
    header = f"{'article':<{width}} {'gold':>4} {'pred':>4}"
    for level in LEVELS:
        header += f"  {level[:4] + ' P':>6} {'R':>5} {'F1':>5}"
    lines = [header, "-" * len(header)]
    records = ev.per_article.to_dict("records")
    for row in records:
        lines.append(_format_row(str(row["slug"])[:width], row, width))
    lines.append("-" * len(header))
    lines.append(_format_row("MICRO", ev.micro, width))
    lines.append("")
    lines.append("recall by kind (span level):")
    for kind in KINDS:
        lines.append(f"  {kind:<11} {ev.micro.get(f'recall_{kind}', 0.0):.3f}")
    n, ok = int(ev.micro.get("affiliation_n", 0)), int(ev.micro.get("affiliation_ok", 0))
    lines.append("")
    lines.append(
        f"affiliation right on {ok}/{n} correctly attributed rows with one (not unnamed): "
        f"{ev.micro.get('affiliation', 0.0):.3f}"
    )
    if show_errors and not ev.errors.empty:
        lines.append("")
        lines.append("errors:")
        for err in ev.errors.to_dict("records"):
            who = err["gold_speaker"] or "-"
            if err["pred_speaker"]:
                who += f" | pred: {err['pred_speaker']}"
            if err["error"] == "wrong_affiliation":
                who += f" [{err['gold_affiliation']} | pred: {err['pred_affiliation'] or '-'}]"
            lines.append(
                f"  [{err['slug']}] {err['error']:<13} {err['kind']:<10} {who}: {str(err['text'])[:140]}"
            )
    return "\n".join(lines)


def _format_row(name: str, row: dict, width: int) -> str:
    line = f"{name:<{width}} {int(row['n_gold']):>4} {int(row['n_pred']):>4}"
    for level in LEVELS:
        line += f"  {row[f'{level}_p']:>6.3f} {row[f'{level}_r']:>5.3f} {row[f'{level}_f1']:>5.3f}"
    return line
