"""Unit tests for utils.evaluate. Every expected number below was worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from utils import files
from utils.evaluate import (
    affiliation_counts,
    affiliation_right,
    evaluate_pairs,
    format_evaluation,
    is_group_speaker,
    load_devset,
    score_article,
    speaker_right,
    token_f1,
    tokens,
)


def table(*records: tuple[str, str, str, str]) -> pd.DataFrame:
    return pd.DataFrame(records, columns=["speaker", "affiliation", "kind", "text"])


def test_tokens_are_lowercased_word_characters():
    assert tokens("“Rates WILL stay high,” he said.") == ["rates", "will", "stay", "high", "he", "said"]


def test_token_f1_by_hand():
    # gold 6 tokens (the twice), pred 3, overlap 3: P = 1, R = 1/2, F1 = 2/3
    assert token_f1("The cat sat on the mat", "the cat sat") == pytest.approx(2 / 3)
    # overlap 2 of 4 and 4: P = R = F1 = 1/2 (exactly the threshold)
    assert token_f1("a b c d", "c d e f") == pytest.approx(0.5)
    # overlap 1: P = 1/5, R = 1/4, F1 = 2/9
    assert token_f1("a b c d", "d e f g h") == pytest.approx(2 / 9)
    assert token_f1("", "anything") == 0.0


def test_named_speaker_rule_uses_the_gold_surname():
    assert speaker_right("Jeffrey Frankel", "Harvard economist", "Frankel")
    assert speaker_right("Jeffrey Frankel", "", "Mr. Jeffrey Frankel")
    assert speaker_right("Jeffrey Frankel", "", "Frankel's office")
    assert not speaker_right("Jeffrey Frankel", "", "Jeff Franklin")
    assert not speaker_right("Jeffrey Frankel", "", "he")


def test_group_speaker_rule_uses_shared_content_words():
    # {pentagon} vs {pentagon}
    assert speaker_right("Pentagon", "", "the Pentagon")
    # {whole, foods, market} vs {whole, foods}: smaller set 2, shared 2
    assert speaker_right("Whole Foods Market", "grocery chain", "Whole Foods")
    # unnamed by affiliation: {biden, administration, officials} vs {officials}: 1 of 1
    assert speaker_right("Biden administration officials", "(unnamed) officials", "officials")
    # {senior, defense, official} vs {army, spokesman}: nothing shared
    assert not speaker_right("a senior defense official", "(unnamed) official", "an army spokesman")


def test_which_speakers_count_as_groups():
    assert is_group_speaker("Officials")
    assert is_group_speaker("The Korea Times")
    assert is_group_speaker("Jane Doe", "(unnamed) a witness")
    assert not is_group_speaker("Jane Doe", "teacher")


def _article_a() -> tuple[pd.DataFrame, pd.DataFrame]:
    gold = table(
        ("Jeffrey Frankel", "Harvard economist", "direct", "Rates will stay high for a long time"),
        (
            "a senior defense official",
            "(unnamed) defense official",
            "paraphrase",
            "the strikes would continue",
        ),
        ("Ana Ruiz", "mayor", "paraphrase", "the budget was balanced"),
    )
    pred = table(
        (
            "Frankel",
            "",
            "direct",
            "Rates will stay high for a long time",
        ),  # F1 1.0, speaker right, kind right
        ("the defense official", "", "direct", "the strikes would continue next week"),  # F1 0.8, kind wrong
        ("Tom Hale", "", "paraphrase", "something unrelated entirely"),  # no match
    )
    return gold, pred


def test_score_article_by_hand():
    gold, pred = _article_a()
    score = score_article(gold, pred)
    assert score.matched == {"span": 2, "attributed": 2, "full": 1}
    assert score.precision("span") == pytest.approx(2 / 3)
    assert score.recall("span") == pytest.approx(2 / 3)
    assert score.f1("full") == pytest.approx(1 / 3)
    assert score.recall_kind("direct") == 1.0
    assert score.recall_kind("paraphrase") == 0.5
    kinds = sorted(e["error"] for e in score.errors)
    # Frankel is attributed right but predicted with no affiliation ("Harvard economist" in gold)
    assert kinds == ["missed", "spurious", "wrong_affiliation", "wrong_kind"]
    assert (score.affiliation_n, score.affiliation_ok) == (1, 0)


def test_matching_is_greedy_by_token_f1_and_one_to_one():
    gold = table(("A", "", "direct", "a b c d"), ("A", "", "direct", "a b c d e f"))
    pred = table(("A", "", "direct", "a b c d e"))
    # gold0-pred0: P 4/5, R 1 -> F1 8/9; gold1-pred0: P 1, R 5/6 -> F1 10/11 (higher, taken first)
    score = score_article(gold, pred)
    assert [(g, p) for g, p, _f1 in score.pairs] == [(1, 0)]
    assert score.pairs[0][2] == pytest.approx(10 / 11)
    assert score.matched["span"] == 1 and score.n_gold == 2


def test_pairs_below_threshold_do_not_count():
    gold = table(("A", "", "direct", "a b c d"))
    pred = table(("A", "", "direct", "d e f g h"))  # F1 2/9
    assert score_article(gold, pred).matched["span"] == 0


def test_evaluate_pairs_micro_average_by_hand():
    gold_a, pred_a = _article_a()
    gold_b = table(("Ana Ruiz", "mayor", "direct", "We will win"))
    pred_b = table(("Ruiz", "", "direct", "We will win"))
    ev = evaluate_pairs([("a", gold_a, pred_a), ("b", gold_b, pred_b)])
    # pooled: 4 gold, 4 predicted; span 3, attributed 3, full 2
    assert ev.micro["span_p"] == pytest.approx(0.75)
    assert ev.micro["span_r"] == pytest.approx(0.75)
    assert ev.micro["attributed_f1"] == pytest.approx(0.75)
    assert ev.micro["full_f1"] == pytest.approx(0.5)
    assert ev.micro["recall_direct"] == 1.0  # 2 of 2
    assert ev.micro["recall_paraphrase"] == 0.5  # 1 of 2
    assert list(ev.per_article["slug"]) == ["a", "b"]
    assert ev.per_article.loc[1, "full_f1"] == 1.0
    assert list(ev.errors.columns) == [
        "slug",
        "error",
        "gold_speaker",
        "pred_speaker",
        "kind",
        "text",
        "gold_affiliation",
        "pred_affiliation",
    ]
    assert set(ev.errors["error"]) == {"missed", "spurious", "wrong_kind", "wrong_affiliation"}
    # Frankel (a) and Ruiz (b) are attributed right, both predicted without their affiliation
    assert ev.micro["affiliation_n"] == 2 and ev.micro["affiliation"] == 0.0


def test_wrong_speaker_is_listed():
    gold = table(("Jeffrey Frankel", "", "paraphrase", "the dollar is overvalued"))
    pred = table(("Ana Ruiz", "", "paraphrase", "the dollar is overvalued"))
    ev = evaluate_pairs([("x", gold, pred)])
    assert ev.micro["span_f1"] == 1.0 and ev.micro["attributed_f1"] == 0.0
    assert ev.errors.loc[0, "error"] == "wrong_speaker"
    assert ev.errors.loc[0, "pred_speaker"] == "Ana Ruiz"


def test_empty_prediction_gives_zero_without_crashing():
    gold = table(("A", "", "direct", "words here"))
    ev = evaluate_pairs([("x", gold, table())])
    assert ev.micro["span_p"] == 0.0 and ev.micro["span_r"] == 0.0


def test_missing_column_raises_value_error_naming_it():
    gold = table(("A", "", "direct", "words"))
    with pytest.raises(ValueError, match="'text'"):
        score_article(gold, pd.DataFrame({"speaker": ["A"], "kind": ["direct"]}))
    with pytest.raises(ValueError, match="'kind'"):
        score_article(pd.DataFrame({"speaker": ["A"], "text": ["x"]}), gold)


def test_format_evaluation_lists_articles_micro_and_kinds():
    gold_a, pred_a = _article_a()
    ev = evaluate_pairs([("article-a", gold_a, pred_a)])
    report = format_evaluation(ev)
    assert "article-a" in report and "MICRO" in report and "paraphrase" in report
    assert "errors:" not in report
    assert "spurious" in format_evaluation(ev, show_errors=True)


def test_load_devset_reads_pairs(tmp_path):
    (tmp_path / "one.txt").write_text("Title\n\n“Hi,” said Ana Ruiz.\n", encoding="utf-8")
    table(("Ana Ruiz", "", "direct", "Hi,")).to_csv(tmp_path / "one.gold.csv", index=False)
    (tmp_path / "orphan.gold.csv").write_text("speaker,affiliation,kind,text\n", encoding="utf-8")
    items = load_devset(tmp_path)
    assert [slug for slug, _text, _gold in items] == ["one"]
    assert items[0][2].loc[0, "text"] == "Hi,"
    with pytest.raises(FileNotFoundError):
        load_devset(tmp_path / "missing")


def test_group_name_made_of_stop_words_can_match():
    """ "WHO" lower-cases to a stop word; it must still match itself, and not match others."""
    assert speaker_right("WHO", "", "WHO")
    assert speaker_right("WHO", "", "the WHO")
    assert not speaker_right("WHO", "", "UNICEF")


# --- affiliation figure -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("gold", "pred", "right"),
    [
        # {yale, professor} both in the prediction: 2 of 2
        ("Yale professor", "professor of political science, Yale University", True),
        # {harvard, economist}: only "economist", 1 of 2 = exactly half
        ("Harvard economist", "economist", True),
        # {professor, political, science, yale, university}: only "professor", 1 of 5
        ("professor of political science, Yale University", "professor", False),
        # {spokesperson, pentagon}: 2 of 2, order and case ignored
        ("spokesperson, Pentagon", "Pentagon spokesperson", True),
        # {retired, major, general, australian, army}: 3 of 5 (major, general, army)
        ("retired major general in the Australian Army", "major general, Army", True),
        # {former, national, security, council, official}: 2 of 5 (former, official)
        ("former National Security Council official", "a former official", False),
        # stop words alone carry nothing: {ambassador, european, union} vs {ambassador}: 1 of 3
        ("ambassador to the European Union", "the ambassador of the", False),
        # the possessive's "s" is a stop word: {company, founder} 2 of 2
        ("company's founder", "founder of the company", True),
        # an empty prediction is wrong, a gold made only of stop words can never be right
        ("mayor", "", False),
        ("of the", "of the", False),
    ],
)
def test_affiliation_right_needs_half_the_gold_content_words(gold, pred, right):
    assert affiliation_right(gold, pred) is right


@pytest.mark.parametrize(
    ("affiliation", "counts"),
    [
        ("Harvard economist", True),
        ("", False),
        ("   ", False),
        ("(unnamed) senior defense official", False),
        ("(Unnamed) witness", False),
        ("State Department official (political counselor in Kyiv)", True),
    ],
)
def test_which_gold_affiliations_enter_the_figure(affiliation, counts):
    assert affiliation_counts(affiliation) is counts


def test_affiliation_figure_by_hand():
    gold = table(
        ("Jeffrey Frankel", "Harvard economist", "direct", "Rates will stay high"),  # judged, right
        ("Ana Ruiz", "mayor of Springfield", "paraphrase", "the budget was balanced"),  # judged, wrong
        ("a senior official", "(unnamed) senior official", "paraphrase", "talks will resume"),  # unnamed
        ("Tom Hale", "", "paraphrase", "the bridge is safe"),  # no gold affiliation
        ("Lee Park", "city engineer", "paraphrase", "the road will close"),  # wrong speaker: not judged
    )
    pred = table(
        ("Frankel", "economist at Harvard", "direct", "Rates will stay high"),
        ("Ana Ruiz", "resident", "paraphrase", "the budget was balanced"),
        ("a senior official", "", "paraphrase", "talks will resume"),
        ("Tom Hale", "engineer", "paraphrase", "the bridge is safe"),
        ("Ana Ruiz", "", "paraphrase", "the road will close"),
    )
    score = score_article(gold, pred, "x")
    assert (score.affiliation_n, score.affiliation_ok) == (2, 1)
    ev = evaluate_pairs([("x", gold, pred), ("y", gold.iloc[:1], pred.iloc[:1])])
    assert ev.micro["affiliation_n"] == 3 and ev.micro["affiliation_ok"] == 2
    assert ev.micro["affiliation"] == pytest.approx(2 / 3)
    wrong = ev.errors[ev.errors["error"] == "wrong_affiliation"]
    assert list(wrong["gold_speaker"]) == ["Ana Ruiz"]
    assert list(wrong["gold_affiliation"]) == ["mayor of Springfield"]
    assert list(wrong["pred_affiliation"]) == ["resident"]
    report = format_evaluation(ev, show_errors=True)
    assert "affiliation right on 2/3 correctly attributed rows" in report and "0.667" in report
    assert "[mayor of Springfield | pred: resident]" in report


def test_affiliation_figure_is_zero_when_nothing_is_judged():
    gold = table(("Officials", "(unnamed) officials", "paraphrase", "the plan works"))
    ev = evaluate_pairs([("x", gold, gold)])
    assert ev.micro["affiliation_n"] == 0 and ev.micro["affiliation"] == 0.0
    assert "affiliation right on 0/0" in format_evaluation(ev)


# --- what an evaluation reads, so that no output lands on it ------------------------------------


def _dev_layout(root):
    """gold/ with two gold tables beside their articles, preds/ with predictions, arts/ with articles."""
    for folder in ("gold", "preds", "arts"):
        (root / folder).mkdir()
    for slug in ("one", "two"):
        table(("Ana Ruiz", "", "direct", "Hi,")).to_csv(root / "gold" / f"{slug}.gold.csv", index=False)
        (root / "gold" / f"{slug}.txt").write_text("Title\n\n“Hi,” said Ana Ruiz.\n", encoding="utf-8")
        (root / "arts" / f"{slug}.txt").write_text("Title\n\n“Hi,” said Ana Ruiz.\n", encoding="utf-8")
        table(("Ana Ruiz", "", "direct", "Hi,")).to_csv(root / "preds" / f"{slug}.csv", index=False)


@pytest.mark.parametrize(
    ("gold", "pred", "articles", "inputs"),
    [
        ("gold/one.gold.csv", None, None, ["gold/one.gold.csv", "gold/one.txt"]),  # the article beside it
        ("gold/one.gold.csv", None, "arts", ["arts", "gold/one.gold.csv", "arts/one.txt"]),
        ("gold/one.gold.csv", "preds/one.csv", None, ["gold/one.gold.csv", "preds/one.csv"]),
        (
            "gold",
            None,
            None,
            ["gold", "gold/one.gold.csv", "gold/one.txt", "gold/two.gold.csv", "gold/two.txt"],
        ),
        (
            "gold",
            "preds",
            None,
            ["gold", "preds", "gold/one.gold.csv", "preds/one.csv", "gold/two.gold.csv", "preds/two.csv"],
        ),
    ],
)
def test_evaluation_inputs_name_every_file_read(tmp_path, gold, pred, articles, inputs):
    from pathlib import Path

    from utils.evaluate import evaluation_inputs, evaluation_items

    _dev_layout(tmp_path)
    at = [tmp_path / p if p else None for p in (gold, pred, articles)]
    assert evaluation_inputs(*at) == [tmp_path / p for p in inputs]
    read = []
    real_open = Path.open

    def spy(self, *args, **kwargs):
        read.append(self)
        return real_open(self, *args, **kwargs)

    real_read = files.read_regular

    def spy_read(path, *args, **kwargs):
        read.append(Path(path))
        return real_read(path, *args, **kwargs)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Path, "open", spy)
        mp.setattr("utils.schema.read_regular", spy_read)
        mp.setattr("utils.evaluate.load_article", lambda path: read.append(path) or _article(path))
        evaluation_items(*at)
    read = {p for p in read if tmp_path in p.parents}  # the program's own data files do not count
    assert read and read <= set(evaluation_inputs(*at))  # nothing of the user's is read undeclared


def _article(path):
    from utils.articles import load_article

    return load_article(path)


@pytest.mark.parametrize(
    ("argv", "json_out"),
    [
        (["gold/one.gold.csv"], "gold/one.txt"),  # the article beside a single gold table
        (["gold/one.gold.csv"], "gold/one.json"),  # ... or its sidecar
        (["gold/one.gold.csv"], "gold/one.gold.csv"),
        (["gold/one.gold.csv", "--articles", "arts"], "arts/one.txt"),
        (["gold/one.gold.csv", "preds/one.csv"], "preds/one.csv"),
        (["gold"], "gold/one.txt"),
        (["gold", "preds"], "preds/two.csv"),
    ],
)
def test_no_input_of_an_evaluation_can_be_its_output(tmp_path, argv, json_out):
    from utils.errors import InputError
    from utils.evaluate import evaluation_inputs
    from utils.outputs import check_file_output

    _dev_layout(tmp_path)
    gold = tmp_path / argv[0]
    pred = tmp_path / argv[1] if len(argv) == 2 else None
    articles = tmp_path / argv[2] if len(argv) == 3 else None
    with pytest.raises(InputError):
        check_file_output(tmp_path / json_out, evaluation_inputs(gold, pred, articles))
