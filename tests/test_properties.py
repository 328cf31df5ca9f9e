"""Extraction on any text: no paragraph ever fails, offsets lie inside the text, direct quotes slice back.

Two families of input:

* real articles (the dev set and corpus in ../shared when present, else the bundled article) damaged
  the way scraped text is: paragraphs merged (lost breaks), split, shuffled and repeated into very
  long paragraphs, stray quotation marks (“ ” " ‘ ’ « » ') and random text inserted, pieces cut out;
* synthetic text made of the pieces the rules care about, mixed with anything at all.

"No paragraph fails" is checked on :func:`utils.quotes.extract` (``failures == []``): the extractor
isolates a failure to its paragraph, so the property that the rules are total has to be asserted on
the failures list, not on an exception.

The suite runs a fast profile (200 examples each, a few seconds). For the long run::

    HYPOTHESIS_PROFILE=long .venv/bin/python -m pytest tests/test_properties.py -q

(``HYPOTHESIS_EXAMPLES`` overrides the long profile's 20,000 examples per test.)
"""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from utils.quotes import extract
from utils.statements import extract_table

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

SLOW_OK = [HealthCheck.too_slow]
settings.register_profile("fast", max_examples=200, deadline=None, suppress_health_check=SLOW_OK)
settings.register_profile(
    "long",
    max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", "20000")),
    deadline=None,
    suppress_health_check=SLOW_OK,
)
PROFILE = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "fast"))
if PROFILE.max_examples < 200:  # hypothesis' own default profile: use ours
    PROFILE = settings.get_profile("fast")


@cache
def real_articles() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(title, paragraphs) of every real article available: ../shared when present, else the bundled one."""
    files = sorted((SHARED / "devset").glob("*.txt")) + sorted((SHARED / "corpus").glob("*.txt"))
    files = files or sorted((ROOT / "data" / "articles").glob("*.txt"))
    out = []
    for path in files:
        lines = [line.strip() for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]
        if len(lines) > 1:
            out.append((lines[0], tuple(lines[1:])))
    return tuple(out)


def test_there_are_real_articles_to_damage():
    articles = real_articles()
    assert len(articles) >= (150 if (SHARED / "corpus").is_dir() else 1)
    assert sum(len(paragraphs) for _title, paragraphs in articles) >= 10 * len(articles)


MARKS = ["“", "”", '"', "‘", "’", "'", "«", "»", "''", "``", "’’", "„"]
SNIPPETS = [
    " said ",
    " he said.",
    ", she said, ",
    " told reporters ",
    ", according to ",
    " that ",
    " said:",
    "Mr. ",
    " — ",
    "…",
    ". ",
    ", ",
    " (",
    ") ",
    ":",
    ";",
    "\u00a0",
    "\u200b",
]


DAMAGE = ["merge", "split", "shuffle", "mark", "insert", "cut", "repeat", "snippet", "salad", "salad", "join"]


def _at(text: str, fraction: float) -> int:
    return min(len(text), int(fraction * (len(text) + 1)))


@st.composite
def _sentence_piece(draw: st.DrawFn, paragraphs: tuple[str, ...]) -> str:
    """A sentence of the article, whole or with its first few words cut off."""
    sentences = [s for p in paragraphs for s in re.split(r"(?<=[.!?”])\s+", p) if s]
    words = draw(st.sampled_from(sentences)).split(" ")
    return " ".join(words[draw(st.integers(0, min(4, len(words) - 1))) :])


@st.composite
def damaged_articles(draw: st.DrawFn) -> str:
    """A real article (or a window of it) after a random sequence of scraper-style damage."""
    title, paragraphs = draw(st.sampled_from(real_articles()))
    first = draw(st.integers(0, max(0, len(paragraphs) - 1)))
    paras = list(paragraphs[first : first + draw(st.integers(1, 14))])
    fraction = st.floats(0, 1, allow_nan=False)
    for _ in range(draw(st.integers(0, 8))):
        op = draw(st.sampled_from(DAMAGE))
        i = draw(st.integers(0, len(paras) - 1))
        para = paras[i]
        if op == "merge" and len(paras) > 1:  # lost paragraph breaks
            j = draw(st.integers(i + 1, len(paras)))
            paras[i:j] = [" ".join(paras[i:j])]
        elif op == "split":
            k = _at(para, draw(fraction))
            paras[i : i + 1] = [p for p in (para[:k].strip(), para[k:].strip()) if p] or [para]
        elif op == "shuffle":
            paras = draw(st.permutations(paras))
        elif op == "mark":
            k = _at(para, draw(fraction))
            paras[i] = para[:k] + draw(st.sampled_from(MARKS)) + para[k:]
        elif op == "snippet":
            k = _at(para, draw(fraction))
            paras[i] = para[:k] + draw(st.sampled_from(SNIPPETS)) + para[k:]
        elif op == "insert":
            k = _at(para, draw(fraction))
            paras[i] = para[:k] + draw(st.text(max_size=20)) + para[k:]
        elif op == "cut":
            a, b = sorted((_at(para, draw(fraction)), _at(para, draw(fraction))))
            paras[i] = (para[:a] + para[b:]).strip() or para
        elif op == "salad":  # sentences from anywhere in the article, some cut at a word: breaks lost
            paras[i] = " ".join(draw(st.lists(_sentence_piece(paragraphs), min_size=2, max_size=8)))
        elif op == "join":  # the head of one paragraph runs into the tail of another
            other = draw(st.sampled_from(paragraphs))
            paras[i] = para[: _at(para, draw(fraction))] + other[_at(other, draw(fraction)) :]
        elif op == "repeat":  # a very long paragraph: breaks lost over a whole page
            paras[i] = " ".join([para] * draw(st.integers(2, 40)))
        paras = [p for p in paras if p.strip()] or [title]
    separator = draw(st.sampled_from(["\n\n", "\n", "\n\n\n", " "]))
    head = draw(st.sampled_from([title + "\n\n", "", title + "\n"]))
    return head + separator.join(paras) + "\n"


def check(text: str) -> None:
    """No paragraph fails; every offset lies inside the text; a direct quote slices back exactly."""
    result = extract(text)
    assert result.failures == [], result.failures
    for s in result.statements:
        assert 0 <= s.start <= s.end <= len(text)
        assert s.kind in {"direct", "paraphrase"}
        if s.kind == "direct":
            assert text[s.start : s.end] == s.text


@settings(PROFILE)
@given(damaged_articles())
def test_damaged_real_articles_never_fail_and_offsets_are_sound(text: str) -> None:
    check(text)


# Text made of the pieces quote extraction cares about, mixed with anything at all.
PIECES = st.sampled_from(
    [
        *MARKS,
        " said ",
        " told reporters ",
        ", according to ",
        " he said.",
        " She ",
        "Mr. Smith",
        "Ana Lopez",
        ", a professor at X,",
        ".",
        ",",
        "\n\n",
        "\n",
        " that ",
        " warned ",
        "…",
        " ",
    ]
)
TEXTS = st.one_of(
    st.text(max_size=400),
    st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=80).map("".join),
)


@settings(PROFILE)
@given(TEXTS)
def test_synthetic_text_never_fails_and_offsets_are_sound(text: str) -> None:
    check(text)


@settings(PROFILE, max_examples=min(PROFILE.max_examples, 60))  # pandas validation: ~30 ms each
@given(TEXTS)
def test_the_extracted_table_validates_on_any_text(text: str) -> None:
    table = extract_table(text)
    for row in table.itertuples():
        assert 0 <= row.start <= row.end <= len(text)
        if row.kind == "direct":
            assert text[row.start : row.end] == row.text
