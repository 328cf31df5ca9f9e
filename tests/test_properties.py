"""Extraction on any text: never raises, offsets lie inside the article, direct quotes slice back exactly."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from utils.curation import extract_table

# Text made of the pieces quote extraction cares about, mixed with anything at all.
PIECES = st.sampled_from(
    [
        "“",
        "”",
        '"',
        "‘",
        "’",
        "'",
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


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_extraction_is_total_and_its_offsets_are_sound(text: str) -> None:
    table = extract_table(text)
    for row in table.itertuples():
        assert 0 <= row.start <= row.end <= len(text)
        if row.kind == "direct":
            assert text[row.start : row.end] == row.text
