"""The rule-based extractor's specification as case tables: one runner for ``tests/cases/*.yaml``.

Each file is one construction group (direct quotes, cues, speakers, organisations, ...); each case
is a small article and what must come out of it, in one of a few match modes. The format and the
modes are described in ``tests/cases/README.md``. Only the public API is used, so the cases keep
specifying the behaviour however the extractor is arranged inside.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from utils import speakers
from utils.quotes import Statement, extract, extract_statements

CASES = Path(__file__).resolve().parent / "cases"
FUNCTIONS_FILE = "speaker-functions.yaml"
ROWS = ("speaker", "kind", "text")  # the default columns of a row

ARTICLE_KEYS = {"id", "was", "paragraphs", "text", "fields"}
TABLE_KEYS = {"function", "about", "was", "args", "keywords", "returns", "rows"}
MODES = {"rows", "contains", "set", "excludes", "none", "only", "first", "last", "every", "count", "clean"}
FUNCTIONS = {
    name: getattr(speakers, name)
    for name in (
        "affiliation_from_apposition",
        "analyse_np",
        "looks_like_person",
        "looks_like_role",
        "person_gender",
        "speaker_key",
    )
}


def article(paragraphs: list[str]) -> str:
    """Dev-set layout: a title line, a blank line, then paragraphs separated by blank lines."""
    return "Test headline\n\n" + "\n\n".join(paragraphs) + "\n"


def _load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict) and isinstance(data.get("about"), str), f"{path.name}: no 'about' line"
    return data


def _article_cases() -> Iterator[Any]:
    for path in sorted(CASES.glob("*.yaml")):
        if path.name == FUNCTIONS_FILE:
            continue
        for case in _load(path)["cases"]:
            yield pytest.param(case, id=f"{path.name}:{case['id']}")


def _function_cases() -> Iterator[Any]:
    for table in _load(CASES / FUNCTIONS_FILE)["tables"]:
        for row in table["rows"]:
            yield pytest.param(table, row, id=f"{FUNCTIONS_FILE}:{table['function']}({row[0]})")


# --- comparing one value, one statement -------------------------------------------------------

# A field name may end in an operator; each projects the observed value so that it equals the
# expected one exactly when the case holds, which keeps pytest's diff readable.
OPERATORS: dict[str, Callable[[Any, Any], Any]] = {
    "_startswith": lambda got, want: got[: len(want)],
    "_endswith": lambda got, want: got[len(got) - len(want) :] if len(got) >= len(want) else got,
    "_last_word": lambda got, want: (got.split() or [""])[-1],
    "_not": lambda got, want: want if got != want else f"{got!r}, which it must not be",
}


def _split(key: str) -> tuple[str, Callable[[Any, Any], Any] | None]:
    for suffix, operator in OPERATORS.items():
        if key.endswith(suffix):
            return key[: -len(suffix)], operator
    return key, None


def observe(get: Callable[[str], Any], spec: dict[str, Any]) -> dict[str, Any]:
    """The observed counterpart of ``spec``: the same keys, each read through ``get`` and its operator."""
    seen = {}
    for key, want in spec.items():
        name, operator = _split(key)
        got = get(name)
        seen[key] = operator(got, want) if operator else got
    return seen


def field_of(text: str, statement: Statement) -> Callable[[str], Any]:
    """Read a statement's field; ``span`` is the article text between its offsets."""

    def get(name: str) -> Any:
        if name == "span":
            return text[statement.start : statement.end]
        assert name in {"speaker", "affiliation", "kind", "text", "cue", "rule"}, f"unknown field {name!r}"
        return getattr(statement, name)

    return get


def _row(text: str, statement: Statement, fields: list[str]) -> Any:
    get = field_of(text, statement)
    values = [get(name) for name in fields]
    return values[0] if len(values) == 1 else values


def _hashable(row: Any) -> Any:
    return tuple(row) if isinstance(row, list) else row


# --- the runners ------------------------------------------------------------------------------


def check_statements(case: dict[str, Any], text: str, found: list[Statement]) -> None:
    """Every mode present in the case must hold."""
    fields = case.get("fields", list(ROWS))
    rows = [_row(text, s, fields) for s in found]
    shown = [(s.speaker, s.kind, s.text) for s in found]  # what a failure message lists
    if "rows" in case:
        assert rows == case["rows"]
    for want in case.get("contains", []):
        assert want in rows, shown
    if "set" in case:
        assert {_hashable(r) for r in rows} == {_hashable(r) for r in case["set"]}
    for pattern in case.get("excludes", []):
        assert [s for s in found if observe(field_of(text, s), pattern) == pattern] == [], pattern
    if case.get("none"):
        assert found == []
    if "only" in case:
        spec = dict(case["only"])
        among = spec.pop("among", None)
        picked = [s for s in found if among is None or s.kind == among]
        assert len(picked) == 1, shown
        assert observe(field_of(text, picked[0]), spec) == spec
    for mode, index in (("first", 0), ("last", -1)):
        if mode in case:
            assert found, "no statements"
            assert observe(field_of(text, found[index]), case[mode]) == case[mode]
    if "every" in case:  # as the old tests: holds trivially when nothing is found
        assert [observe(field_of(text, s), case["every"]) for s in found] == [case["every"]] * len(found)
    if "count" in case:
        assert len(found) == case["count"], shown


def check_universal(text: str, found: list[Statement]) -> None:
    """What holds for every article: offsets index the text, direct quotes slice back, article order."""
    for s in found:
        assert 0 <= s.start <= s.end <= len(text), s
        if s.kind == "direct":
            assert text[s.start : s.end] == s.text, s
        assert s.kind in {"direct", "paraphrase"}, s
    starts = [s.start for s in found]
    assert starts == sorted(starts)


def _validate(case: dict[str, Any]) -> None:
    """A misspelt mode would make a case assert nothing: refuse unknown keys and cases without a mode."""
    unknown = set(case) - ARTICLE_KEYS - MODES
    assert not unknown, f"unknown keys {sorted(unknown)}"
    assert MODES & set(case), "a case needs at least one match mode"
    assert ("paragraphs" in case) != ("text" in case), "give either paragraphs or text"
    assert case.get("none", True) is True and case.get("clean", True) is True


@pytest.mark.parametrize("case", list(_article_cases()))
def test_case(case: dict[str, Any]) -> None:
    _validate(case)
    text = case["text"] if "text" in case else article(case["paragraphs"])
    result = extract(text)
    assert result.failures == []
    assert extract_statements(text) == result.statements
    check_universal(text, result.statements)
    check_statements(case, text, result.statements)


@pytest.mark.parametrize(("table", "row"), list(_function_cases()))
def test_speaker_function(table: dict[str, Any], row: list[Any]) -> None:
    assert set(table) <= TABLE_KEYS and table["function"] in FUNCTIONS, sorted(table)
    args, keywords, returns = table["args"], table.get("keywords", []), table["returns"]
    assert len(row) == len(args) + len(keywords) + (1 if isinstance(returns, str) else len(returns))
    positional, named = row[: len(args)], row[len(args) : len(args) + len(keywords)]
    expected = row[len(args) + len(keywords) :]
    assert all(isinstance(a, str) for a in positional), "inputs are strings; quote numbers in YAML"
    result = FUNCTIONS[table["function"]](*positional, **dict(zip(keywords, named, strict=True)))
    if isinstance(returns, str):  # the return value itself, compared with its type ("is True")
        (want,) = expected
        assert (type(result), result) == (type(want), want)
    else:  # attributes of the returned object
        spec = dict(zip(returns, expected, strict=True))
        assert observe(lambda name: getattr(result, name), spec) == spec


def test_every_case_id_is_unique_and_every_file_has_cases() -> None:
    ids = [p.id for p in _article_cases()] + [p.id for p in _function_cases()]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    for path in CASES.glob("*.yaml"):
        data = _load(path)
        assert data.get("cases") or data.get("tables"), f"{path.name} has no cases"
