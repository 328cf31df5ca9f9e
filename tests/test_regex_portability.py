"""Patterns that behave the same on every Python the project supports.

Python 3.11.2 (Debian 12's ``python3``) matches possessive quantifiers (``*+``, ``++``, ``?+``) inside
groups wrongly: a tokenizer written with them kept the period in "evidence." and name runs took a
trailing newline, so a newcomer's extraction differed from CI's 3.11.7. The one possessive pattern
kept, the sentence boundary, uses them on bare character classes only, where 3.11.2 agrees.
"""

from __future__ import annotations

import io
import re
import tokenize

import pytest

from tests.conftest import ROOT
from utils.extract import text as text_module

POSSESSIVE = re.compile(r"(?<!\\)[*+?}]\+")
ALLOWED = {("utils/extract/text.py", "_BOUNDARY_RE")}


def possessive_strings() -> list[tuple[str, str]]:
    """(file, the line's first word) of every string literal in utils/ with a possessive quantifier."""
    found = []
    for path in sorted((ROOT / "utils").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.STRING and POSSESSIVE.search(tok.string):
                line = lines[tok.start[0] - 1].strip()
                found.append((str(path.relative_to(ROOT)), line.split(" ")[0]))
    return found


def test_no_possessive_quantifiers_but_the_sentence_boundary() -> None:
    assert set(possessive_strings()) <= ALLOWED


@pytest.mark.parametrize(
    "sample",
    [
        "He said so. She left.",
        "Really?! “Yes.” Then (he) went…",
        "Wait... what?!?! No!",
        "U.S. officials said it. 3 more came.",
        "End of text.  ",
        "A quote.” And “another.’ Then",
    ],
)
def test_the_sentence_boundary_matches_as_its_greedy_twin_on_this_python(sample: str) -> None:
    greedy = re.compile(text_module._BOUNDARY_RE.pattern.replace("*+", "*"))
    spans = [m.span() for m in text_module._BOUNDARY_RE.finditer(sample)]
    assert spans == [m.span() for m in greedy.finditer(sample)]
