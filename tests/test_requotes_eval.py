"""The re-quote scorer (benchmarks/requotes_eval.py) on hand-made articles, and the gold's shape.

The tiny corpus below has five articles. Gold group G1 is one utterance ("we will build the
bridge by next spring") in a1 and a2 (identical) and a3 (cut and reworded inside a paraphrase,
given to "a spokesman": variant both); G2 ("taxes are far too high for families") is in a1 and
a3 (reworded). Gold pairs, worked out by hand: G1 (a1,a2) same, (a1,a3) both, (a2,a3) both;
G2 (a1,a3) wording: 4 pairs. The one hard negative pairs a2's and a4's remarks on the weather.
a4 and a5 share a quote that the gold does not know about (unjudged).
"""

from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import ROOT, shared_or_skip

_SPEC = importlib.util.spec_from_file_location("requotes_eval", ROOT / "benchmarks" / "requotes_eval.py")
rq = importlib.util.module_from_spec(_SPEC)
sys.modules["requotes_eval"] = rq
_SPEC.loader.exec_module(rq)

ARTICLES = {
    "a1": 'T1\n\nSmith said "we will build the bridge by next spring" on Monday. '
    'Jones said "taxes are far too high for families" later.',
    "a2": 'T2\n\n"We will build the bridge by next spring," Smith said. '
    'Brown said "the weather is nice today in town" too.',
    "a3": 'T3\n\nA spokesman said the city would "build the bridge by next spring at the latest". '
    'Jones said "taxes are far too high for all families here".',
    "a4": 'T4\n\nGreen said "the weather is nice today in the city" and "we love this city very much" '
    'and "too bad".',
    "a5": 'T5\n\nWhite said "we love this city very much" again.',
}
# (article, speaker, kind, quoted words): PolNeAR rows; the a3 bridge words sit in a paraphrase
POLNEAR_ROWS = [
    ("a1", "Smith", "direct", "we will build the bridge by next spring"),
    ("a1", "Jones", "direct", "taxes are far too high for families"),
    ("a2", "Smith", "direct", "We will build the bridge by next spring,"),
    ("a2", "Brown", "direct", "the weather is nice today in town"),
    ("a3", "A spokesman", "paraphrase", 'the city would "build the bridge by next spring at the latest"'),
    ("a3", "Jones", "direct", "taxes are far too high for all families here"),
    ("a4", "Green", "direct", "the weather is nice today in the city"),
    ("a4", "Green", "direct", "we love this city very much"),
    ("a4", "Green", "direct", "too bad"),
    ("a5", "White", "direct", "we love this city very much"),
]
# (group, article, quoted words, variant)
GOLD = [
    ("G1", "a1", "we will build the bridge by next spring", "same"),
    ("G1", "a2", "We will build the bridge by next spring,", "same"),
    ("G1", "a3", "build the bridge by next spring at the latest", "both"),
    ("G2", "a1", "taxes are far too high for families", "same"),
    ("G2", "a3", "taxes are far too high for all families here", "wording"),
]
NEGATIVE = (("a2", "the weather is nice today in town"), ("a4", "the weather is nice today in the city"))


def span(article: str, words: str) -> tuple[int, int]:
    start = ARTICLES[article].index(words)
    return start, start + len(words)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The five articles in PolNeAR's format, plus the gold folder beside them."""
    for slug, text in ARTICLES.items():
        (tmp_path / f"{slug}.txt").write_text(text, encoding="utf-8")
        rows = [
            {
                "speaker": who,
                "kind": kind,
                "text": words,
                "start": span(a, words)[0],
                "end": span(a, words)[1],
            }
            for a, who, kind, words in POLNEAR_ROWS
            if a == slug
        ]
        pd.DataFrame(rows, columns=["speaker", "kind", "text", "start", "end"]).to_csv(
            tmp_path / f"{slug}.gold.csv", index=False
        )
    gold = tmp_path / "gold"
    gold.mkdir()
    pd.DataFrame([(g, a, *span(a, w), v) for g, a, w, v in GOLD], columns=rq.GROUP_COLUMNS).to_csv(
        gold / "groups.csv", index=False
    )
    (a, wa), (b, wb) = NEGATIVE
    pd.DataFrame(
        [(a, *span(a, wa), b, *span(b, wb), "different-speaker-same-phrase")], columns=rq.NEGATIVE_COLUMNS
    ).to_csv(gold / "negatives.csv", index=False)
    return tmp_path


@pytest.fixture
def setup(folder: Path):
    groups, negatives = rq.load_gold(folder / "gold")
    pool = rq.quote_pool(folder, rq.article_slugs(folder), groups)
    return pool, groups, negatives


def label(pool: pd.DataFrame, article: str, words: str):
    """The pool's index label of the quote of ``article`` that starts with ``words``."""
    found = pool[(pool["article"] == article) & pool["text"].str.startswith(words)]
    assert len(found) == 1, (article, words)
    return found.index[0]


def test_pool_has_direct_rows_and_adds_gold_spans_no_direct_row_covers(setup) -> None:
    pool, _, _ = setup
    # 9 direct rows (the a3 paraphrase is not one) + the a3 bridge span, its speaker from the paraphrase
    assert len(pool) == 10
    added = pool[pool["added"]]
    assert list(added["article"]) == ["a3"]
    assert added.iloc[0]["text"] == "build the bridge by next spring at the latest"
    assert added.iloc[0]["speaker"] == "A spokesman"


# Each case: predicted groups of (article, first words) -> (true, false, unjudged, negatives linked).
# Precision = true / (true + false); recall = true / 4 gold pairs.
B1, B2, B3 = ("a1", "we will"), ("a2", "We will"), ("a3", "build")  # G1, the bridge
T1, T3 = ("a1", "taxes"), ("a3", "taxes")  # G2, the taxes
W2, W4 = ("a2", "the weather"), ("a4", "the weather")  # the hard negative
L4, L5, SHORT = ("a4", "we love"), ("a5", "we love"), ("a4", "too bad")  # outside the gold
CASES = {
    "perfect": ([[B1, B2, B3], [T1, T3]], (4, 0, 0, 0)),  # G1 gives 3 pairs, G2 one: recall 1
    "exact only": ([[B1, B2]], (1, 0, 0, 0)),  # recall 1/4, precision 1
    "negative": ([[W2, W4]], (0, 1, 0, 1)),  # the hard negative linked: false
    "gold to other": ([[B1, L4]], (0, 1, 0, 0)),  # false: the gold lists all G1's occurrences
    "two groups": ([[B1, T3]], (0, 1, 0, 0)),  # two gold groups linked: false
    "unknown": ([[L4, L5]], (0, 0, 1, 0)),  # neither in the gold nor a negative: unjudged
    "same article": ([[B1, T1]], (0, 0, 0, 0)),  # not a pair
    "short quote": ([[SHORT, B1]], (0, 0, 0, 0)),  # under 4 words: out of scope
    "with outsider": ([[B1, B2, B3, L4]], (3, 3, 0, 0)),  # each G1 occurrence with L4 is false
    "twice": ([[B1, B2], [B2, B1]], (1, 0, 0, 0)),  # one pair predicted twice counts once
}


@pytest.mark.parametrize("name", CASES)
def test_pairs_are_judged_as_documented(setup, name: str) -> None:
    pool, groups, negatives = setup
    predicted, (true, false, unjudged, linked) = CASES[name]
    labelled = [[label(pool, a, w) for a, w in group] for group in predicted]
    result = rq.score(labelled, pool, groups, negatives)
    assert (result.true, result.false, result.unjudged, result.negatives_linked) == (
        true,
        false,
        unjudged,
        linked,
    )
    assert result.gold == 4 and result.negatives == 1
    assert result.recall == true / 4
    if true + false:
        assert result.precision == true / (true + false)
    else:
        assert math.isnan(result.precision)


def test_recall_by_kind_of_pair(setup) -> None:
    pool, groups, negatives = setup
    perfect = [[label(pool, a, w) for a, w in group] for group in CASES["perfect"][0]]
    # by hand: G1 (a1,a2) same; (a1,a3) and (a2,a3) both; G2 (a1,a3) wording
    expected = {"same": (1, 1), "wording": (1, 1), "speaker": (0, 0), "both": (2, 2)}
    assert rq.score(perfect, pool, groups, negatives).recall_by_kind == expected
    exact = [[label(pool, a, w) for a, w in group] for group in CASES["exact only"][0]]
    assert rq.score(exact, pool, groups, negatives).recall_by_kind["both"] == (0, 2)


def test_finder_returning_an_unknown_label_is_an_error(setup) -> None:
    pool, groups, negatives = setup
    with pytest.raises(ValueError, match="not an index label"):
        rq.score([[0, 999]], pool, groups, negatives)


def test_baselines_on_the_tiny_corpus(setup) -> None:
    pool, groups, negatives = setup
    # exact match: only a1/a2 bridge (identical once case and the comma are dropped) and a4/a5
    exact = rq.score(rq.exact_finder(pool[rq.QUOTE_COLUMNS]), pool, groups, negatives)
    assert (exact.true, exact.false, exact.unjudged) == (1, 0, 1)
    # 3-shingles, containment 0.5: the bridge quotes share 4 of the shorter's 6 shingles (0.67), the
    # tax quotes 4 of 5 (0.8), the weather quotes 4 of 5 (0.8, the negative), love 5 of 5
    shingled = rq.score(rq.shingle_finder(pool[rq.QUOTE_COLUMNS]), pool, groups, negatives)
    assert (shingled.true, shingled.false, shingled.unjudged, shingled.negatives_linked) == (4, 1, 1, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("“Don’t,” she said.", "don't she said"),
        ("We will build   the BRIDGE by next spring,", "we will build the bridge by next spring"),
        ("ISIS’s best recruiter", "isis's best recruiter"),
        ("— . . .", ""),
    ],
)
def test_normalised(text: str, expected: str) -> None:
    assert rq.normalised(text) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ((0, 10), (5, 20), True),  # shares 5 = half of the shorter (10)
        ((0, 10), (8, 30), False),  # shares 2 < 5
        ((100, 110), (0, 400), True),  # inside a long row
        ((0, 4), (4, 8), False),  # touching only
    ],
)
def test_overlaps(a, b, expected: bool) -> None:
    assert rq.overlaps(a, b) is expected


def test_shingle_threshold() -> None:
    quotes = pd.DataFrame(
        {
            "text": [
                "we will build the bridge by next spring",
                "build the bridge by next spring at the latest",
                "taxes are far too high",
            ]
        }
    )
    assert rq.shingle_finder(quotes) == [[0, 1]]  # 4 of 6 shared shingles = 0.67
    assert rq.shingle_finder(quotes, threshold=0.7) == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.assign(variant="other"), "variant must be one of"),
        (lambda t: t.drop(columns=["end"]), "missing column"),
        (lambda t: t.assign(start="x"), "not a character offset"),
        (lambda t: t[t["group"] == "G1"].assign(article="a1"), "fewer than two articles"),
    ],
)
def test_bad_gold_is_one_line(folder: Path, change, message: str) -> None:
    path = folder / "gold" / "groups.csv"
    change(pd.read_csv(path, dtype=str)).to_csv(path, index=False)
    with pytest.raises(rq.GoldError, match=message):
        rq.load_gold(folder / "gold")


def test_main_prints_figures_and_fails_in_one_line(folder: Path, capsys, tmp_path: Path) -> None:
    out = tmp_path / "figures.json"
    assert rq.main([str(folder), "--gold", str(folder / "gold"), "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "2 groups, 5 occurrences in 3 articles, 4 gold pairs; 1 hard negatives" in printed
    assert "exact match" in printed and "shingles" in printed
    assert '"recall": 1.0' in out.read_text(encoding="utf-8")  # the shingle baseline finds all 4
    for argv in (
        [str(tmp_path / "nowhere")],
        [str(folder), "--gold", str(tmp_path)],
        [str(folder), "--gold", str(folder / "gold"), "--finder", "no_such_module:find"],
    ):
        assert rq.main(argv) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "Traceback" not in err


def test_the_gold_is_well_formed() -> None:
    """The committed gold: offsets inside the texts, whole words, ids only, complete groups."""
    polnear = shared_or_skip("polnear-train")
    groups, negatives = rq.load_gold(rq.DEFAULT_GOLD)
    assert list(pd.read_csv(rq.DEFAULT_GOLD / "groups.csv").columns) == rq.GROUP_COLUMNS  # no text column
    assert list(pd.read_csv(rq.DEFAULT_GOLD / "negatives.csv").columns) == rq.NEGATIVE_COLUMNS
    assert groups["group"].nunique() >= 60
    spans = pd.concat(
        [
            groups[["article", "start", "end"]],
            *(
                negatives[[f"article_{s}", f"start_{s}", f"end_{s}"]].set_axis(
                    ["article", "start", "end"], axis=1
                )
                for s in "ab"
            ),
        ]
    )
    texts = {a: (polnear / f"{a}.txt").read_text(encoding="utf-8") for a in spans["article"].unique()}
    for article, start, end in spans.itertuples(index=False):
        text = texts[article]
        assert 0 <= start < end <= len(text), (article, start, end)
        assert not (start > 0 and text[start - 1].isalnum()) and not (end < len(text) and text[end].isalnum())
    first = groups.groupby("group").head(1)
    assert set(first["variant"]) == {"same"}, "each group's first row is its reference"
    for (_group, article), rows in groups.groupby(["group", "article"]):
        words = [len(rq.tokens(texts[article][s:e])) for s, e in zip(rows["start"], rows["end"], strict=True)]
        assert max(words) >= rq.MIN_TOKENS, (article, words)
