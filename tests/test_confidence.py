"""Every row says why and how sure: the ``rule`` and ``confidence`` of extracted rows."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from utils.articles import load_article
from utils.extract.confidence import ANY, Calibration, load_calibration
from utils.extract.rules import CARRIERS, Pattern, Step, rule_name, split_rule
from utils.statements import extract_table

KURSK = Path(__file__).resolve().parents[1] / "data" / "articles" / "kursk-2025-01.txt"

SMALL = Calibration(
    {("direct", "left/name"): 0.9, ("direct", "left"): 0.8, ("direct", ANY): 0.7, ("paraphrase", ANY): 0.6},
    0.5,
)


@pytest.mark.parametrize(
    ("kind", "rule", "expected"),
    [
        ("direct", "left/name", 0.9),  # the rule itself
        ("direct", "left/pronoun", 0.8),  # an unseen step borrows its pattern's share
        ("direct", "right/name", 0.7),  # an unseen pattern borrows its kind's
        ("paraphrase", "left/name", 0.6),
        ("other", "left/name", 0.5),  # nothing known: the default
    ],
)
def test_a_rule_seldom_seen_borrows_from_its_pattern_then_its_kind(kind, rule, expected):
    assert SMALL.of(kind, rule) == expected


def test_the_shipped_table_holds_probabilities_for_every_kind():
    table = load_calibration()
    assert all(0.0 <= share <= 1.0 for share in table.shares.values())
    assert {("direct", ANY), ("paraphrase", ANY), (ANY, ANY)} <= set(table.shares)


def test_extracted_rows_carry_a_rule_and_a_confidence():
    rows = extract_table(load_article(KURSK).text)
    assert len(rows) > 20
    assert rows["rule"].str.fullmatch(r"[a-z-]+/[a-z-]+").all(), rows["rule"].tolist()
    assert rows["confidence"].between(0.0, 1.0).all()
    assert rows["confidence"].nunique() > 1  # rules differ in how often they are right


def test_every_rule_of_the_bundled_article_is_in_the_table():
    """The table was measured with these rules: none of them falls back to the kind's share."""
    table = load_calibration()
    rows = extract_table(load_article(KURSK).text)
    missing = {
        (kind, rule)
        for kind, rule in zip(rows["kind"], rows["rule"], strict=True)
        if (kind, rule) not in table.shares and (kind, re.sub(r"/.*", "", rule)) not in table.shares
    }
    assert not missing


# --- rule names: declared once (utils/extract/rules.py), the same names in the table ------------

EXTRACT = Path(__file__).resolve().parents[1] / "utils" / "extract"
#: Calls that take a rule name, and the position of the pattern, step or rule among their arguments.
RULE_ARGUMENTS = {"via": (1,), "rule_name": (0, 1), "Resolution": (3,), "Who": (4,)}
RULE_KEYWORDS = {"rule", "step"}


def test_every_rule_the_calibration_table_names_is_declared():
    undeclared = []
    for _kind, name in load_calibration().shares:
        try:
            split_rule(name) if name != ANY else None
        except ValueError:
            undeclared.append(name)
    assert undeclared == []


@pytest.mark.parametrize("kind", ["direct", "paraphrase"])
def test_the_calibration_fallback_knows_every_declared_rule(kind):
    """Each declared rule splits at its one "/" into its pattern, as ``Calibration.of`` splits it,
    and the table answers it at the rule, its pattern or its kind (never the bare default)."""
    table = load_calibration()
    for pattern in set(Pattern) - CARRIERS:
        for step in Step:
            name = rule_name(pattern, step)
            assert re.fullmatch(r"[a-z]+(?:-[a-z]+)*/[a-z]+(?:-[a-z]+)*", name), name
            assert split_rule(name) == (pattern, step)
            assert {(kind, name), (kind, str(pattern)), (kind, ANY)} & set(table.shares), name


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
