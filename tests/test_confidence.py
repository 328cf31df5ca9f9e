"""Every row says why and how sure: the ``rule`` and ``confidence`` of extracted rows."""

from __future__ import annotations

import ast
import json
import math
import re
from pathlib import Path

import pytest

from utils.articles import load_article
from utils.extract import pipeline
from utils.extract.chooser import SHIPPED, Model, RowChoice, load_model, model_from_json
from utils.extract.rowcheck import row_confidence
from utils.extract.rules import CARRIERS, Pattern, Step, rule_name, split_rule
from utils.statements import extract_table

KURSK = Path(__file__).resolve().parents[1] / "data" / "articles" / "kursk-2025-01.txt"


def article(*paragraphs: str) -> str:
    return "Test headline\n\n" + "\n\n".join(paragraphs) + "\n"


# --- the model: a softmax over a row's candidates and "none of them" -----------------------------


def test_probabilities_are_a_softmax_over_the_candidates_and_none():
    model = Model({"none": 0.0, "rule": math.log(2.0), "near": math.log(3.0)})
    row = {"none": 1.0}
    candidates = [{"rule": 1.0}, {"near": 1.0}, {}]
    # scores: none 0, rule log 2, near log 3, plain 0 -> weights 1, 2, 3, 1 out of 7
    assert model.probabilities(row, candidates) == pytest.approx([2 / 7, 3 / 7, 1 / 7])


def test_an_unknown_feature_weighs_nothing():
    model = Model({"rule": 1.0})
    assert model.probabilities({}, [{"rule": 1.0, "never-seen": 5.0}]) == model.probabilities(
        {}, [{"rule": 1.0}]
    )


@pytest.mark.parametrize(
    "data",
    [{}, {"weights": []}, {"weights": {"rule": "much"}}, {"weights": {}, "known": {"x": None}}],
    ids=["no weights", "weights not an object", "a weight not a number", "a known strength not a number"],
)
def test_a_model_file_of_the_wrong_shape_is_refused(data):
    with pytest.raises(ValueError):
        model_from_json(data)


def test_the_shipped_model_is_a_small_json_file_of_finite_weights():
    data = json.loads(SHIPPED.read_text(encoding="utf-8"))
    assert data["command"] == "python benchmarks/train_chooser.py --write"
    model = load_model()
    assert 20 <= len(model.weights) <= 400
    assert all(math.isfinite(w) for w in model.weights.values())
    assert model.weights["rule"] > 0  # the rules' choice is evidence for a candidate


def test_every_weight_is_a_feature_the_chooser_makes():
    """A weight whose feature the chooser never makes would be dead: the names come from a trace."""
    trace: list[RowChoice] = []
    pipeline.extract(load_article(KURSK).text, trace=trace)
    made = {name for choice in trace for f in (choice.row, *choice.features) for name in f}
    families = {re.sub(r"[:&].*", "", name) for name in made}
    unknown = [name for name in load_model().weights if re.sub(r"[:&].*", "", name) not in families]
    assert unknown == []


# --- the chooser in the extractor ----------------------------------------------------------------

TWO_PEOPLE = article("Jane Roe, a lawyer, met Tom Poe, a banker, on Monday.", "Roe said the deal was off.")


def test_the_rules_choice_stays_when_the_model_prefers_it():
    (row,) = pipeline.extract(TWO_PEOPLE, model=Model({"rule": 3.0})).statements
    assert (row.speaker, row.affiliation) == ("Jane Roe", "lawyer")


def test_a_candidate_the_model_prefers_replaces_the_rules_choice_with_its_own_affiliation():
    (row,) = pipeline.extract(TWO_PEOPLE, model=Model({"rule": -3.0})).statements
    assert (row.speaker, row.affiliation) == ("Tom Poe", "banker")
    assert row.rule == "left/short-name"  # the rule that found the row is still told


def test_the_margin_keeps_the_rules_choice_unless_another_is_clearly_better():
    (row,) = pipeline.extract(TWO_PEOPLE, model=Model({"rule": -0.1}, margin=0.5)).statements
    assert row.speaker == "Jane Roe"


def test_confidence_is_the_row_checks_probability_and_follows_the_chosen_candidates():
    trace: list[RowChoice] = []
    (row,) = pipeline.extract(TWO_PEOPLE, model=Model({"rule": 2.0, "none": 1.0}), trace=trace).statements
    assert row.confidence == row_confidence(trace[0], [c.statement for c in trace])
    unsure = pipeline.extract(TWO_PEOPLE, model=Model({"rule": 2.0, "none": 4.0})).statements[0]
    assert unsure.confidence < row.confidence  # "none of them" took probability away from the speaker


NAMED_LATER = article(
    "China’s ambassador warned that the government “will not sit on our hands” in Hong Kong.",
    "China’s ambassador to Britain Liu Xiaming spoke at a news conference in London on Monday.",
)


def test_a_role_named_later_is_told_by_the_rule_the_trace_and_the_confidence():
    """The person named later replaces the unnamed source: the row, its trace (what training and
    the row check read) and its confidence all describe that person, not the description."""
    trace: list[RowChoice] = []
    rows = pipeline.extract(NAMED_LATER, trace=trace).statements
    row, choice = rows[0], trace[0]
    assert (row.speaker, row.rule) == ("Liu Xiaming", "left/named-later")
    taken = choice.candidates[choice.chosen]
    assert (taken.name, taken.kind) == ("Liu Xiaming", "person")
    assert (choice.statement.rule, choice.who.rule) == (row.rule, row.rule)
    assert row.confidence == row_confidence(choice, [c.statement for c in trace])


def test_a_speaker_the_user_confirmed_before_is_evidence_for_it():
    """``known`` is what a user's own model learnt (utils.speaker_model): a name's weight."""
    model = Model({"rule": 1.0, "user:known": 3.0}, known={"tom poe": 1.0})
    (row,) = pipeline.extract(TWO_PEOPLE, model=model).statements
    assert row.speaker == "Tom Poe"


def test_extracted_rows_carry_a_rule_and_a_confidence():
    rows = extract_table(load_article(KURSK).text)
    assert len(rows) > 20
    assert rows["rule"].str.fullmatch(r"[a-z-]+/[a-z-]+").all(), rows["rule"].tolist()
    assert rows["confidence"].between(0.0, 1.0).all()
    assert rows["confidence"].nunique() > 5  # rows differ in how sure the model is


# --- rule names: declared once (utils/extract/rules.py), the same names in the table ------------

EXTRACT = Path(__file__).resolve().parents[1] / "utils" / "extract"
#: Calls that take a rule name, and the position of the pattern, step or rule among their arguments.
RULE_ARGUMENTS = {"via": (1,), "rule_name": (0, 1), "Resolution": (3,), "Who": (4,)}
RULE_KEYWORDS = {"rule", "step"}


def test_every_declared_rule_splits_into_its_pattern_and_step():
    """The chooser reads a row's pattern and step from its rule (``split_rule``): each declared
    rule splits at its one "/" back into them."""
    for pattern in set(Pattern) - CARRIERS:
        for step in Step:
            name = rule_name(pattern, step)
            assert re.fullmatch(r"[a-z]+(?:-[a-z]+)*/[a-z]+(?:-[a-z]+)*", name), name
            assert split_rule(name) == (pattern, step)


def test_a_rule_name_not_declared_is_refused():
    with pytest.raises(ValueError):
        rule_name("left", "nmae")
    with pytest.raises(ValueError):
        split_rule("lft/name")


def _enum_uses(tree: ast.AST) -> list[tuple[str, str]]:
    return [
        (node.value.id, node.attr)
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in {"Pattern", "Step"}
    ]


@pytest.mark.parametrize("path", sorted(EXTRACT.glob("*.py")), ids=lambda p: p.name)
def test_every_rule_name_used_is_declared(path: Path):
    """A misspelt ``Pattern.X`` inside a function would only fail when that rule runs: read them all."""
    declared = {"Pattern": set(Pattern.__members__), "Step": set(Step.__members__)}
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert [(e, a) for e, a in _enum_uses(tree) if a not in declared[e]] == []


def _literal_rule_names(tree: ast.AST) -> list[str]:
    """String literals passed where a pattern, step or rule goes, and rules built in f-strings."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            args = [node.args[k] for k in RULE_ARGUMENTS.get(func, ()) if k < len(node.args)]
            args += [k.value for k in node.keywords if k.arg in RULE_KEYWORDS]
            found += [a.value for a in args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        if isinstance(node, ast.JoinedStr):
            parts = [v.value for v in node.values if isinstance(v, ast.Constant)]
            found += [p for p in parts if p.startswith("/") or p.endswith("/")]
    return found


@pytest.mark.parametrize(
    "path", sorted(set(EXTRACT.glob("*.py")) - {EXTRACT / "rules.py"}), ids=lambda p: p.name
)
def test_no_module_spells_a_rule_name_as_a_string(path: Path):
    assert _literal_rule_names(ast.parse(path.read_text(encoding="utf-8"))) == []


def test_the_literal_check_finds_a_spelt_rule():
    """The check above can fail: it finds the forms the modules used before the names were declared."""
    code = 'via(who, "quote-only")\nWho(a, b, c, d, f"{sk.rule}/pronoun")\nSkeleton(i, rule="left")'
    assert sorted(_literal_rule_names(ast.parse(code))) == ["/pronoun", "left", "quote-only"]
