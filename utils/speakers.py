"""Speaker logic for the statement extractor: names, titles, appositions and coreference.

Everything here is rule-based and offline. A news article introduces a source once with a full
name and a role ("Mick Ryan, a retired major general in the Australian Army") and later refers to
the same person by surname, honorific or pronoun. The stages turn the noun phrase found next to
a reporting verb into a canonical speaker name plus a short affiliation, and ``SpeakerBook``
keeps the per-article memory that resolves "Ryan", "Mr. Ryan" and "he".

The code lives in :mod:`utils.extract` (``names``: words, names, gender; ``mentions``: noun
phrases and appositions; ``coreference``: ``SpeakerBook``); this module is the stable entry point.
"""

from __future__ import annotations

from utils.extract.coreference import SpeakerBook
from utils.extract.mentions import (
    NounPhrase,
    affiliation_from_apposition,
    analyse_np,
    is_adverbial,
    looks_like_role,
)
from utils.extract.names import looks_like_person, person_gender, speaker_key

__all__ = [
    "NounPhrase",
    "SpeakerBook",
    "affiliation_from_apposition",
    "analyse_np",
    "is_adverbial",
    "looks_like_person",
    "looks_like_role",
    "person_gender",
    "speaker_key",
]
