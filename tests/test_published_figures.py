"""Figures the project publishes match what the code does now.

The report's methods section quotes the dev-set scores from data/evaluation/devset.json
(written by `make eval`), and the bundled article's extraction is checked against its
curated table; if the extractor changes, these fail until the figures are refreshed.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import KURSK, ROOT, shared_or_skip
from utils.articles import resolve_article
from utils.curation import load_curation
from utils.evaluate import evaluate_pairs, evaluation_items
from utils.statements import extract_table


def test_published_devset_scores_are_current() -> None:
    devset = shared_or_skip("devset")
    published = json.loads((ROOT / "data" / "evaluation" / "devset.json").read_text(encoding="utf-8"))
    current = evaluate_pairs(evaluation_items(devset)).micro
    assert published["micro"] == pytest.approx(current), "run `make eval`, commit data/evaluation/devset.json"


def test_extraction_on_the_bundled_article_against_its_curated_table() -> None:
    article = resolve_article(KURSK)
    scores = evaluate_pairs([(KURSK, load_curation(article).statements, extract_table(article.text))]).micro
    assert scores["recall_direct"] == 1.0
    assert scores["span_f1"] >= 0.95 and scores["attributed_f1"] >= 0.92 and scores["full_f1"] >= 0.92


def test_every_unseen_reading_is_published_alike_in_the_readme_and_the_report() -> None:
    """Each first reading of unseen articles (data/evaluation/unseen*.json) is the README's figure too, and
    the report quotes them all (tests/test_report.py checks the wording): no figure lives only in prose."""
    from utils.report import unseen_evaluations

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    readings = unseen_evaluations()
    assert len(readings) == len(list((ROOT / "data" / "evaluation").glob("unseen*.json"))) >= 2
    for reading in readings:
        micro = reading["micro"]
        shown = (
            f"span F1 {micro['span_f1']:.2f}, attributed F1 {micro['attributed_f1']:.2f}, "
            f"direct-quote recall {micro['recall_direct']:.2f}"
        )
        assert shown in readme, f"{shown} is not in the README's Measured table"
    worst = min(reading["micro"]["attributed_f1"] for reading in readings)
    assert f"{worst:.2f})" in readme  # the README's caveat names the worst as well
