"""How likely each row is right: a calibration table of the rules, measured on our own annotations.

A row's ``rule`` is ``<pattern>/<step>`` (see :mod:`utils.extract.records`). The table
``calibration.tsv`` beside this module says, per kind and rule, how many rows the rule produced on
the calibration articles and how many were right (matched to a gold row with the right speaker);
``benchmarks/calibrate.py`` writes it and prints its reliability. A rule seldom seen borrows
strength from its pattern, and a pattern from its kind, so a rule added later still gets a value.
Confidence is a lookup, not a second extractor: it cannot change which rows come out.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from utils.extract.records import Statement

TABLE = Path(__file__).with_name("calibration.tsv")
ANY = "*"  # the rule column of a kind's own line


@dataclass(frozen=True)
class Calibration:
    """Share of right rows per (kind, rule), (kind, pattern) and (kind, "*")."""

    shares: dict[tuple[str, str], float]
    default: float

    def of(self, kind: str, rule: str) -> float:
        """The most specific share known for a row: its rule, else its pattern, else its kind."""
        pattern = rule.partition("/")[0]
        for key in ((kind, rule), (kind, pattern), (kind, ANY)):
            if key in self.shares:
                return self.shares[key]
        return self.default


@lru_cache(maxsize=4)
def load_calibration(path: Path = TABLE) -> Calibration:
    """Read ``calibration.tsv`` (lines starting with ``#`` are comments)."""
    with path.open(encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        rows = list(csv.DictReader(lines, delimiter="\t"))
    shares = {(row["kind"], row["rule"]): float(row["confidence"]) for row in rows}
    default = shares.get((ANY, ANY), 0.5)
    return Calibration(shares, default)


def with_confidence(statements: list[Statement], calibration: Calibration | None = None) -> list[Statement]:
    """The statements with their ``confidence`` filled in from the calibration table."""
    table = calibration or load_calibration()
    return [replace(st, confidence=round(table.of(st.kind, st.rule), 3)) for st in statements]
