"""Source types from affiliations: expert, official, politician, journalist, organisation, other.

An affiliation's head role word decides it: the last role word before the first preposition
("spokesman for the Trump campaign" -> spokesman -> official; "Republican strategist" ->
strategist -> expert; "the Democratic presidential nominee" -> nominee -> politician; "retired
major general" -> an official's role held no longer -> expert). A
person's type is the type most of their statements' affiliations give (ties: politician,
official, journalist, expert), and the role words that decided it are kept as the reason.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import cache, lru_cache

from utils.people.data import load_table, load_words
from utils.people.names import ORGANISATION, fold

SOURCE_TYPES = ("expert", "official", "politician", "journalist", "organisation", "other")
_PRIORITY = ("politician", "official", "journalist", "expert")
_BREAKS = {"of", "at", "for", "with", "in", "from", "on", "to", "and", "who", "which", "whose", ","}
_WORD = re.compile(r"[a-z][a-z'\-]*|,")
_PAST = load_words("past-words")  # "retired major general": the role was held, is no longer


@cache
def _roles() -> dict[tuple[str, ...], str]:
    """Role phrases as word tuples -> type (``press-secretary`` -> ("press", "secretary"))."""
    return {tuple(row["role"].split("-")): row["type"] for row in load_table("source-types")}


@lru_cache(maxsize=65536)
def head_role(affiliation: str) -> tuple[str, str] | None:
    """(role words, type) of an affiliation's head role, or None when it names no role."""
    words = _WORD.findall(fold(affiliation))
    found = _matches(words)
    if not found:
        return None
    before = [m for m in found if not any(w in _BREAKS for w in words[: m[0]])]
    start, role, kind = (before or found[:1])[-1]
    past = _PAST.intersection(words[:start])
    if kind == "official" and past and not any(w in _BREAKS for w in words[:start]):
        return f"{min(past)} {role}", "expert"  # no longer in office: a commentator now
    return role, kind


def _matches(words: list[str]) -> list[tuple[int, str, str]]:
    """Every role phrase in ``words`` (longest first at each position), as (position, phrase, type)."""
    roles, longest = _roles(), max(len(k) for k in _roles())
    found, i = [], 0
    while i < len(words):
        for size in range(min(longest, len(words) - i), 0, -1):
            kind = roles.get(tuple(words[i : i + size]))
            if kind:
                found.append((i, " ".join(words[i : i + size]), kind))
                i += size
                break
        else:
            i += 1
    return found


def source_type(kind: str, affiliations: Iterable[str]) -> tuple[str, str]:
    """(type, why) for one person from the affiliations of their statements (one per statement).

    ``why`` lists the head role words with their counts ("senator ×5, nominee ×2"), or says
    that no role was given.
    """
    if kind == ORGANISATION:
        return "organisation", "an organisation's name"
    heads = [h for h in (head_role(a) for a in affiliations if a) if h]
    if not heads:
        return "other", "no role word in the affiliations"
    votes = Counter(kind for _role, kind in heads)
    best = max(_PRIORITY, key=lambda t: (votes[t], -_PRIORITY.index(t)))
    words = Counter(role for role, kind in heads if kind == best)
    return best, ", ".join(f"{role} ×{n}" for role, n in words.most_common(4))
