"""The people-registry scorer (benchmarks/registry_eval.py) and its gold (tests/gold/people).

Expected values of the measures are worked out by hand in the comments; the gold files are checked
against the rules their README states (ids only, the seeded split, the counts the issue asks for).
Only the tests that need the article texts of ../shared skip without it.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pandas as pd
import pytest

from benchmarks.registry_eval import (
    Gold,
    bcubed,
    load_gold,
    main,
    match_spans,
    merges,
    read_texts,
    score_split,
    span_f1,
    token_starts,
)

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "gold" / "people"
POLNEAR = ROOT.parent / "shared" / "polnear-train"


def needs_polnear() -> None:
    if not POLNEAR.is_dir():
        pytest.skip("needs ../shared/polnear-train (the article texts)")


# --- B-cubed --------------------------------------------------------------------------------------

BCUBED_CASES = [
    # Gold A,A,B,B; predicted x,x,x,y.
    # Precision (items with an id): (A,x) twice: P(x)={1,2,3}, G(A)&P(x)={1,2} -> 2/3 each;
    # (B,x): G(B)&P(x)={3} -> 1/3; (B,y): {4}/{4} -> 1. Mean (2/3+2/3+1/3+1)/4 = 2/3.
    # Recall: (A,x) twice: G(A)={1,2} all in P(x) -> 1 each; (B,x): {3} of G(B)={3,4} -> 1/2;
    # (B,y): {4} of {3,4} -> 1/2. Mean (1+1+1/2+1/2)/4 = 3/4.
    pytest.param([("A", "x"), ("A", "x"), ("B", "x"), ("B", "y")], (2 / 3, 3 / 4), id="merge-and-split"),
    # Gold A,A,nobody,nobody; predicted x,nobody,x,nobody.
    # Precision over items with a predicted id: (A,x): P(x)={1,3}, G(A)&P(x)={1} -> 1/2;
    # (nobody,x): a gold-nobody statement given an id -> 0. Mean 1/4.
    # Recall over items with a gold id: (A,x): {1} of G(A)={1,2} -> 1/2; (A,nobody): 0. Mean 1/4.
    # (nobody,nobody) is right and takes part in neither average.
    pytest.param([("A", "x"), ("A", ""), ("", "x"), ("", "")], (1 / 4, 1 / 4), id="nobody-errors"),
    # A perfect labeling, with a nobody statement left without id: 1 and 1.
    pytest.param([("A", "x"), ("A", "x"), ("B", "y"), ("", "")], (1.0, 1.0), id="perfect"),
    # Nothing predicted: no claim to be wrong about (precision 1), every gold id missed (recall 0).
    pytest.param([("A", ""), ("B", "")], (1.0, 0.0), id="no-ids"),
    # One predicted id for everything (A,A,B): precision (2/3+2/3+1/3)/3 = 5/9, recall 1.
    pytest.param([("A", "x"), ("A", "x"), ("B", "x")], (5 / 9, 1.0), id="one-cluster"),
    # One id per statement (A,A,B): precision 1; recall (1/2+1/2+1)/3 = 2/3.
    pytest.param([("A", "x"), ("A", "y"), ("B", "z")], (1.0, 2 / 3), id="singletons"),
]


@pytest.mark.parametrize(("items", "expected"), BCUBED_CASES)
def test_bcubed(items, expected) -> None:
    assert bcubed(items) == pytest.approx(expected)


# --- cross-article merges -------------------------------------------------------------------------


def test_merges_counted_on_article_gold_prediction_nodes() -> None:
    items = [
        ("a1", "A", "x"),
        ("a1", "A", "x"),  # a second statement of the same node: nodes are distinct triples
        ("a2", "A", "x"),
        ("a3", "A", "y"),  # A's statements of a3 got another id
        ("a3", "B", "x"),
        ("a1", "", "x"),  # a gold-nobody statement given x
    ]
    m = merges(items)
    # Gold merges: A's nodes in a1, a2, a3 -> C(3,2) = 3 pairs in different articles; B alone: 0.
    assert m.gold == 3
    # Predicted merges: x's nodes (a1,A), (a2,A), (a3,B), (a1,nobody) -> C(4,2) = 6 pairs minus the
    # one pair inside a1 = 5; y has one node: 0.
    assert m.predicted == 5
    # Right: pairs with the same gold and the same predicted id: (A,x) in a1 and a2 -> 1.
    assert m.right == 1
    assert (m.precision, m.recall) == pytest.approx((1 / 5, 1 / 3))


def test_merges_perfect_and_empty() -> None:
    perfect = merges([("a1", "A", "x"), ("a2", "A", "x"), ("a3", "A", "x"), ("a2", "B", "y")])
    # A in 3 articles: 3 gold pairs, all predicted (x), nothing else predicted.
    assert (perfect.gold, perfect.predicted, perfect.right) == (3, 3, 3)
    # One article only: no cross-article pair at all; rates of nothing are 1.
    alone = merges([("a1", "A", "x"), ("a1", "A", "x")])
    assert (alone.gold, alone.predicted, alone.precision, alone.recall) == (0, 0, 1.0, 1.0)


# --- matching -------------------------------------------------------------------------------------

TEXT = "Alpha beta gamma delta. Epsilon zeta eta theta. Alpha beta gamma delta."
FIRST, SECOND, THIRD = (0, 22), (24, 46), (48, 70)


def test_span_f1_counts_token_positions() -> None:
    starts = token_starts(TEXT)
    assert span_f1(starts, FIRST, FIRST) == 1.0
    # Two of FIRST's four tokens: precision 1, recall 1/2 -> F1 2/3.
    assert span_f1(starts, FIRST, (0, 10)) == pytest.approx(2 / 3)
    # Same words, other place: no shared position, F1 0 (a word-multiset F1 would say 1).
    assert span_f1(starts, FIRST, THIRD) == 0.0


MATCH_CASES = [
    # The repeated sentence is matched where it is, not to its twin earlier in the article.
    pytest.param([FIRST, THIRD], [THIRD], [(1, 0)], id="repeated-text"),
    # One token of four: F1 2*(1*1/4)/(1+1/4) = 0.4 < 0.5, no match.
    pytest.param([FIRST], [(0, 5)], [], id="below-threshold"),
    # Two predictions on one statement: the better one (whole sentence) wins, one to one.
    pytest.param([FIRST], [(0, 10), FIRST], [(0, 1)], id="one-to-one"),
    # A prediction spanning two statements: F1 2/3 with each; the tie goes to the first statement.
    pytest.param([FIRST, SECOND], [(0, 46)], [(0, 0)], id="tie-article-order"),
]


@pytest.mark.parametrize(("gold", "pred", "pairs"), MATCH_CASES)
def test_match_spans(gold, pred, pairs) -> None:
    assert [(g, p) for g, p, _f1 in match_spans(TEXT, gold, pred)] == pairs


# --- one split end to end (synthetic texts, no ../shared) -----------------------------------------


def synthetic_gold() -> tuple[Gold, dict[str, str]]:
    texts = {"a1": TEXT, "a2": TEXT}
    rows = [
        ("a1", *FIRST, "P0001", "dev"),
        ("a1", *SECOND, "", "dev"),
        ("a1", *THIRD, "P0002", "dev"),
        ("a2", *FIRST, "P0001", "dev"),
        ("a2", *SECOND, "P0002", "dev"),
    ]
    statements = pd.DataFrame(rows, columns=["article", "start", "end", "person_id", "split"])
    people = pd.DataFrame(
        [("P0001", "person", "politician"), ("P0002", "person", "expert")],
        columns=["person_id", "kind", "source_type"],
    )
    articles = pd.DataFrame([("a1", "dev"), ("a2", "dev")], columns=["article", "split"])
    hard = pd.DataFrame(
        [("a1", *THIRD, "pronoun"), ("a2", *SECOND, "pronoun")], columns=["article", "start", "end", "case"]
    )
    return Gold(statements, people, articles, hard), texts


def test_score_split_end_to_end() -> None:
    gold, texts = synthetic_gold()
    pred = pd.DataFrame(
        [
            ("a1", *FIRST, "trump"),
            ("a1", *SECOND, "officials"),  # a gold-nobody statement given an id
            ("a1", 48, 58, "he"),  # half of THIRD: F1 2/3, matched
            ("a2", *FIRST, "trump"),
            # a2's SECOND is not predicted: unmatched, out of the measures
        ],
        columns=["article", "start", "end", "person_id"],
    )
    score = score_split(gold, pred, texts, "dev")
    assert (score.gold, score.matched, score.predicted) == (5, 4, 4)
    # Matched items (gold, predicted): (P1,trump) (nobody,officials) (P2,he) (P1,trump).
    # Precision: trump items 1 and 1; officials on a nobody statement 0; he: G(P2)={3}&P(he)={3} 1.
    # Mean 3/4. Recall: P1 items 1 and 1; P2 (only a1's is matched) 1. Mean 1.
    assert (score.precision, score.recall) == pytest.approx((3 / 4, 1.0))
    assert (score.nobody_agreed, score.id_to_nobody, score.nobody_missed) == (0, 1, 0)
    # Nodes: (a1,P1,trump) (a1,-,officials) (a1,P2,he) (a2,P1,trump): P1 is in a1 and a2 -> 1 gold
    # merge, predicted as trump -> 1 right of 1 predicted.
    assert (score.merges.gold, score.merges.predicted, score.merges.right) == (1, 1, 1)
    # Pronoun statements: two labelled, one matched (a1 THIRD), precision 1 and recall 1 there.
    assert score.cases["pronoun"] == (2, 1, 1.0, 1.0)


# --- the gold files -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gold() -> Gold:
    return load_gold(GOLD)


def test_gold_holds_ids_offsets_and_labels_only(gold: Gold) -> None:
    assert list(gold.statements.columns) == ["article", "start", "end", "person_id", "split"]
    assert list(gold.people.columns) == [
        "person_id",
        "kind",
        "source_type",
        "name_article",
        "name_start",
        "name_end",
    ]
    assert list(gold.articles.columns) == ["article", "outlet", "date", "split", "selection"]
    assert list(gold.hard_cases.columns) == ["article", "start", "end", "case"]
    ids = gold.statements["person_id"]
    assert ids[ids != ""].str.fullmatch(r"[PO]\d{4}").all()
    assert not gold.statements.duplicated(["article", "start", "end"]).any()


def test_gold_split_is_the_seeded_hash_of_the_article(gold: Gold) -> None:
    def rule(article: str) -> str:
        return (
            "dev"
            if int(hashlib.sha256(("gold-people:" + article).encode()).hexdigest(), 16) % 10 < 4
            else "test"
        )

    assert (gold.articles["split"] == gold.articles["article"].map(rule)).all()
    split_of = dict(zip(gold.articles["article"], gold.articles["split"], strict=True))
    assert (gold.statements["split"] == gold.statements["article"].map(split_of)).all()
    assert set(gold.articles["outlet"]) == {
        "breitbart",
        "huff-post",
        "nyt",
        "politico",
        "usa-today",
        "wash-post",
        "west-journal",
    }
    assert 170 <= len(gold.articles) <= 200
    window = gold.articles["selection"] == "window"
    assert set(gold.articles["selection"]) == {"window", "family"}
    assert gold.articles.loc[window, "date"].between("2016-01-22", "2016-03-22").all()
    assert 0.3 <= (gold.articles["split"] == "dev").mean() <= 0.5


def test_gold_people_are_complete_and_typed(gold: Gold) -> None:
    used = set(gold.statements["person_id"]) - {""}
    people = gold.people.set_index("person_id")
    assert used == set(people.index)
    assert set(people["kind"]) == {"person", "organisation"}
    assert (people.index.str.startswith("O") == (people["kind"] == "organisation")).all()
    assert set(people["source_type"]) <= {
        "expert",
        "official",
        "politician",
        "journalist",
        "organisation",
        "other",
    }
    assert (people.loc[people["kind"] == "organisation", "source_type"] == "organisation").all()
    test_ids = set(gold.statements.loc[gold.statements["split"] == "test", "person_id"]) - {""}
    assert len(used) >= 300 and len(test_ids) >= 120


def test_hard_cases_label_gold_statements_with_ids(gold: Gold) -> None:
    keys = set(zip(gold.statements["article"], gold.statements["start"], gold.statements["end"], strict=True))
    with_id = gold.statements[gold.statements["person_id"] != ""]
    id_keys = set(zip(with_id["article"], with_id["start"], with_id["end"], strict=True))
    hard = set(zip(gold.hard_cases["article"], gold.hard_cases["start"], gold.hard_cases["end"], strict=True))
    assert hard <= keys and hard <= id_keys
    cases = set(gold.hard_cases["case"])
    assert {"shared_surname", "bare_surname", "pronoun", "title", "campaign", "organisation"} <= cases


# --- with the texts (../shared) -------------------------------------------------------------------


def test_statements_are_polnear_rows_and_names_point_at_names(gold: Gold) -> None:
    needs_polnear()
    for article, rows in gold.statements.groupby("article"):
        polnear = pd.read_csv(POLNEAR / f"{article}.gold.csv", dtype=str, keep_default_na=False)
        spans = set(zip(polnear["start"].astype(int), polnear["end"].astype(int), strict=True))
        assert set(zip(rows["start"], rows["end"], strict=True)) <= spans, article
    texts = read_texts(POLNEAR.parent, sorted(set(gold.people["name_article"])))
    for row in gold.people.itertuples():
        name = texts[row.name_article][int(row.name_start) : int(row.name_end)]
        assert re.fullmatch(r"[A-Z][^\n]{0,60}", name), (row.person_id, name)


def test_gold_scored_against_itself_is_perfect(gold: Gold, tmp_path: Path) -> None:
    needs_polnear()
    path = tmp_path / "pred.csv"
    gold.statements[["article", "start", "end", "person_id"]].to_csv(path, index=False)
    texts = read_texts(POLNEAR.parent, sorted(set(gold.statements["article"])))
    pred = pd.read_csv(path, dtype=str, keep_default_na=False).astype({"start": int, "end": int})
    for split in ("dev", "test"):
        score = score_split(gold, pred, texts, split)
        assert score.matched == score.gold
        assert (score.precision, score.recall) == (1.0, 1.0)
        assert (score.merges.precision, score.merges.recall) == (1.0, 1.0)
        assert score.id_to_nobody == score.nobody_missed == 0


# --- bad input: one line, exit 2 ------------------------------------------------------------------


def test_missing_shared_folder_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--shared", str(tmp_path / "nowhere")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.endswith("pass --shared DIR") and "polnear-train: not found" in err and "\n" not in err


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("article,start,end\nx,1,2\n", "missing column(s) person_id"),
        ("article,start,end,person_id\nx,one,2,P1\n", "row 2: start/end are not whole numbers"),
        ("article,start,end,person_id\nx,5,2,P1\n", "row 2: start is not before end"),
    ],
)
def test_bad_predictions_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, problem: str
) -> None:
    path = tmp_path / "pred.csv"
    path.write_text(content, encoding="utf-8")
    assert main(["--predictions", str(path), "--shared", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(str(path)) and problem in err and "\n" not in err
