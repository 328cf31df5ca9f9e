"""Who each statement's speaker is, for a whole coverage: clustering, then people's decisions.

The corpus run calls :func:`utils.people.cluster.resolve_in_article` in its workers (where each
article's text is at hand) and :func:`identify` once over every article's speakers.
"""

from __future__ import annotations

from collections.abc import Iterable

from utils.people.cluster import Described, Identity, assign
from utils.people.decisions import Applied, Decision, apply_decisions


def identify(
    rows: Iterable[tuple[str, str, str]],
    decisions: list[Decision] = (),
    described: dict[str, Described] | None = None,
) -> Applied:
    """Identities of (article_id, speaker) pairs from (article_id, speaker, name resolved in the
    article) triples, with people's decisions applied on top; ``described``: the resolved names
    already analysed (by the workers that read the articles)."""
    rows = list(dict.fromkeys(rows))
    clustered = assign(((article, resolved) for article, _speaker, resolved in rows), described)
    identities: dict[tuple[str, str], Identity] = {
        (article, speaker): clustered[(article, resolved)] for article, speaker, resolved in rows
    }
    return apply_decisions(identities, list(decisions))
