"""The 2016-campaign propositions set (tests/gold/propositions): well formed, complete, and text-free.

The files hold article ids, offsets and labels only; ``benchmarks/propositions.py`` reads the
statements' text from ``../shared/polnear-train`` at run time. Checks that need that folder
skip without it; the rest (schemas, split rule, disjoint splits, the second reading, the
loader's one-line error) run everywhere.
"""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import ROOT, shared_or_skip

GOLD = ROOT / "tests" / "gold" / "propositions"


def _benchmark():
    spec = importlib.util.spec_from_file_location(
        "propositions_bench", ROOT / "benchmarks" / "propositions.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bench = _benchmark()


@pytest.fixture(scope="module")
def labels() -> pd.DataFrame:
    return bench.load_labels()


@pytest.fixture(scope="module")
def topics() -> pd.DataFrame:
    return bench.load_topics()


def _csv(name: str) -> pd.DataFrame:
    return pd.read_csv(GOLD / name, dtype=str, keep_default_na=False)


def test_five_propositions_with_keywords(topics):
    assert list(topics.columns) == ["topic", "proposition", "keywords"]
    assert len(topics) == 5
    assert (topics["keywords"].str.count(";") >= 5).all()


def test_every_statement_has_one_label_per_proposition(labels, topics):
    per_statement = labels.groupby(["article", "start", "end"])["topic"].agg(sorted)
    assert per_statement.map(lambda t: t == sorted(topics["topic"])).all()


def test_labels_use_the_five_values_and_each_occurs(labels):
    assert set(labels["label"]) == {"favor", "against", "neutral", "mixed", "not addressed"}


def test_split_is_the_documented_hash_rule(labels):
    """dev when sha256("propositions-2016/" + article) mod 10 < 3, else heldout (the README's rule)."""
    for article, split in labels.groupby("article")["split"].unique().items():
        digest = int(hashlib.sha256(f"propositions-2016/{article}".encode()).hexdigest(), 16)
        assert list(split) == ["dev" if digest % 10 < 3 else "heldout"], article


def test_splits_are_disjoint_by_article_and_large_enough(labels):
    by_split = labels.groupby("split")["article"].agg(set)
    assert not by_split["dev"] & by_split["heldout"]
    statements = labels.drop_duplicates(["article", "start", "end"])
    assert len(statements) >= 600
    assert (statements["split"] == "heldout").sum() >= 420


def test_article_list_matches_the_labels(labels):
    articles = _csv("articles.csv")
    assert list(articles.columns) == ["article", "outlet", "date", "split"]
    assert dict(zip(articles["article"], articles["split"], strict=True)) == dict(
        labels.drop_duplicates("article")[["article", "split"]].itertuples(index=False)
    )
    assert (articles["article"].str.split("_").str[0] == articles["outlet"]).all()


def test_second_reading_is_a_sample_of_the_first(labels):
    second = _csv("second_reading.csv")
    assert list(second.columns) == ["article", "start", "end", "topic", "first", "second"]
    assert len(second) == 100
    assert not second.duplicated(["article", "start", "end", "topic"]).any()
    assert (second["first"] != "not addressed").sum() >= 40
    assert set(second["second"]) <= set(bench.LABELS)
    first = labels.astype({"start": str, "end": str}).merge(second, on=["article", "start", "end", "topic"])
    assert len(first) == 100
    assert (first["label"] == first["first"]).all()


def test_without_polnear_the_loader_says_one_line_and_exits_2(tmp_path, capsys):
    assert bench.main(["--polnear", str(tmp_path / "missing")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "polnear" in err.lower()


def test_a_bad_label_is_one_line_naming_the_file(tmp_path):
    (tmp_path / "topics.csv").write_bytes((GOLD / "topics.csv").read_bytes())
    lines = (GOLD / "labels.csv").read_text().splitlines()
    lines[1] = lines[1].rsplit(",", 2)[0] + ",favour-ish,dev"
    (tmp_path / "labels.csv").write_text("\n".join(lines) + "\n")
    with pytest.raises(bench.InputError, match=r"labels\.csv.*row 2.*label"):
        bench.load_labels(tmp_path)


# --- with ../shared/polnear-train: the offsets name real statements, and no text is stored here ---


@pytest.fixture(scope="module")
def polnear() -> Path:
    return shared_or_skip("polnear-train")


def _units(polnear: Path, article: str) -> pd.DataFrame:
    gold = pd.read_csv(polnear / f"{article}.gold.csv", dtype=str, keep_default_na=False)
    gold = gold[(gold["np_content"] == "0") & (gold["text"].str.strip() != "")]
    return gold.astype({"start": int, "end": int})


def test_every_unit_of_every_sampled_article_is_labelled(polnear, labels):
    """Each (article, start, end) is a gold row with np_content 0 and text, and no such row is missing."""
    for article, rows in labels.groupby("article"):
        units = _units(polnear, article)
        assert set(zip(rows["start"], rows["end"], strict=True)) == set(
            zip(units["start"], units["end"], strict=True)
        ), article


def test_the_loader_reads_the_statements_by_their_offsets(polnear):
    frame = bench.build(polnear)
    assert list(frame.columns) == bench.COLUMNS + bench.LEARNED_FROM
    assert (frame["text"].str.strip() != "").all()
    direct = pd.concat(_units(polnear, a).assign(article=a) for a in frame["article"].unique())
    direct = direct[direct["kind"] == "direct"]
    joined = frame.merge(direct, on=["article", "start", "end"], suffixes=("", "_gold"))
    assert len(joined) > 100
    assert (joined["text"] == joined["text_gold"]).all()
    assert (joined["speaker"] == joined["speaker_gold"]).all()
    inside = [
        t in p and p in n for t, p, n in zip(frame["text"], frame["paragraph"], frame["nearby"], strict=True)
    ]
    assert all(inside) and (frame["nearby"].str.len() > frame["paragraph"].str.len()).mean() > 0.9


@pytest.mark.parametrize(
    ("bare", "columns"),
    [
        (False, ["text", "proposition", "label", "keywords", "speaker", "paragraph", "nearby"]),
        (True, ["text", "proposition", "label", "keywords"]),  # sentences alone, like a public stance set
    ],
)
def test_stance_check_csv_goes_where_it_is_told(polnear, tmp_path, bare, columns):
    frame = bench.build(polnear, "dev")
    path = bench.write_stance_check(frame, tmp_path, "dev", bare)
    written = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert path.parent == tmp_path
    assert list(written.columns) == columns and len(written) == len(frame)


def test_no_polnear_text_is_stored_in_the_set(polnear):
    frame = bench.build(polnear)
    stored = "\n".join(p.read_text(encoding="utf-8") for p in GOLD.iterdir() if p.is_file())
    texts = frame.drop_duplicates(["article", "start", "end"])["text"]
    leaked = [t for t in texts if len(t) >= 30 and t in stored]
    assert not leaked
