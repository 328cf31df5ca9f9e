"""Resolution (``SpeakerBook``): a phrase next to a cue becomes a canonical speaker, one person
per article however renamed.

``SpeakerBook`` is the article's :class:`~utils.extract.memory.SpeakerMemory` plus the resolution
steps: names and short forms, acronyms, organisations, pronouns, titles and epithets ("the
governor", "the actor"), definite descriptions ("the company", "the official") and unnamed
sources. Each answer is a :class:`Resolution` naming the step that chose the speaker.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from itertools import islice
from typing import NamedTuple

from utils.extract.descriptions import (
    org_description,
)
from utils.extract.lexicon import words
from utils.extract.memory import (
    Entity,
    SpeakerMemory,
    compound_in_text,
    compound_initials,
    group_head,
    subject_lead,
    wanted_gender,
)
from utils.extract.mentions import (
    NounPhrase,
    affiliation_from_apposition,
    analyse_np,
    describes_org,
    drop_article,
    tidy_role,
)
from utils.extract.names import (
    COMMON_CAPS,
    DOCUMENT_NOUNS,
    EPITHET_NOUNS,
    FEMALE_NAMES,
    FEMALE_WORDS,
    FIRST_NAMES,
    GIVEN_NAMES,
    GROUP_REFERENCES,
    HONORIFICS,
    PAIR_RE,
    PLACE_NAMES,
    PLACES,
    POSSESSIVE_RE,
    REFLEXIVE_RE,
    ROLE_WORDS,
    SOURCE_NOUNS,
    SUFFIXES,
    TITLE_ABBREVIATIONS,
    TITLE_WORDS,
    has_alnum,
    is_acronym,
    join_words,
    looks_like_person,
    role_headed,
    speaker_key,
    words_of,
)
from utils.extract.rules import Step
from utils.extract.vocab import DEFINITE, SUBJECT_PRONOUNS, TIME_WORDS

#: Heads of a definite description that refers back to a named organisation ("the utility said").
_SALIENT_HEADS = words("salient-heads")
#: The subject pronoun of a possessive one ("her March comment": "she").
_OWNER_PRONOUNS = {"his": "he", "her": "she", "their": "they", "its": "it"}
#: A word before a title that makes it another office ("vice president" is not "the president").
_OTHER_OFFICE = frozenset({"vice", "deputy", "assistant", "lieutenant", "lt"})
#: Heads of a description of a person by what they do ("the real estate agent").
_PERSON_HEADS = ROLE_WORDS | words("occupations") | EPITHET_NOUNS
#: Words that make a title a past one ("former governor" is not "the governor").
_FORMER = frozenset({"former", "ex", "retired", "ex-"})
#: A capitalised name run, small joining words allowed ("Center on Poverty and Inequality").
_NAME_RUN = r"[A-Z][\w&’'.\-]*(?:(?:\s+|\s+(?:&|of|on|for|and|de|the)\s+)[A-Z][\w&’'.\-]*)*"
#: Who issued a document, right after it: "the TexAuto Facts report from InfoNation".
_ISSUER_RE = re.compile(rf"\s+(?:by|from)\s+(?:the\s+)?({_NAME_RUN})")
#: A capitalised name in the possessive opening a sentence, after an opener ("But Clinton's fate").
_OWNER_RE = re.compile(r"(?:(?:But|And|Yet|So)\s+)?([A-Z][\w.\-]*(?:\s+[A-Z][\w.\-]*){0,3})[’']s\s")
#: A clause joined right before the pronoun: "…, but she said" (the pronoun is this clause's subject).
_JOINED_RE = re.compile(r"(?:,\s*|\s)(?:but|and|yet)\s+(?:she|he)?\s*$", re.IGNORECASE)
#: Openers of a noun phrase naming one thing ("a candidate"): no referent of "they".
_SINGULAR_OPENERS = words("singular-openers")
#: Places by name, as one set made once (no issuer of a document is one).
_PLACE_WORDS = PLACE_NAMES | PLACES


class Resolution(NamedTuple):
    """A phrase resolved to a speaker, and the step that chose it (the second half of a row's
    ``rule``; :class:`~utils.extract.rules.Step` says what each step means)."""

    speaker: str
    affiliation: str
    kind: str
    step: Step


class SpeakerBook(SpeakerMemory):
    """The speaker memory with the resolution steps: a phrase next to a cue -> a canonical speaker."""

    def resolve(
        self,
        text: str,
        apposition: str = "",
        sentence_initial: bool = False,
        floor: int = -1,
        before: int = -1,
        since: int = -1,
    ) -> Resolution:
        """Canonical speaker, affiliation and kind for the noun phrase ``text`` next to a cue.

        kind is "person", "org", "group" or "pronoun" (an unresolved pronoun keeps its surface).
        """
        text = REFLEXIVE_RE.sub("", text)  # "Sanders himself acknowledged": Sanders
        np = analyse_np(text, sentence_initial=sentence_initial)
        affiliation = affiliation_from_apposition(apposition) if apposition else ""
        surname = self.surname(np) or _described_surname(np, affiliation)
        if surname is not None:  # "Sanders said", "Mr. Leenders told": a person, not a group
            return self._resolve_person(surname, affiliation)._replace(step=Step.SURNAME)
        owner = _OWNER_PRONOUNS.get(np.role.lower()) if np.name.lower() in TIME_WORDS else None
        if owner is not None:  # "her March comment": a month is no one; "her" is the source
            return self.resolve(owner, floor=floor, before=before, since=since)
        if np.name.lower() in TIME_WORDS:  # "sent an email Wednesday saying": a day is no one
            return Resolution("", "", "group", Step.UNNAMED)
        owned = self._owned_name(np)
        if owned is not None:  # "North Carolina’s Ada Fisher": the owner is a role, not the name
            return self._resolve_person(owned, affiliation)._replace(step=Step.OWNER_NAME)
        if np.kind == "pronoun":
            return self._pronoun_referent(np.name, floor, before, since)
        acronym = self._resolve_acronym(np, affiliation)
        if acronym is not None:
            return acronym
        described = apposition or np.role
        if np.kind in {"person", "short"} and describes_org(described) and not _a_person(np, described):
            return self._org_not_person(np, affiliation)
        if np.kind in {"person", "short"}:
            return self._resolve_person(np, affiliation)
        if np.kind == "org":
            return self._resolve_org(np, affiliation)
        pair = self._pair(text, before)
        if pair is not None:
            return pair
        opening = text.split()
        definite = len(opening) > 1 and opening[0].lower() in DEFINITE
        return self._resolve_group(np, affiliation, before, definite)

    def _pronoun_referent(self, pronoun: str, floor: int, before: int, since: int) -> Resolution:
        """he/she/they/it: the speaker or group in focus, or the person the sentence is about. A
        pronoun with no referent keeps its surface (kind "pronoun"): a row shows what the article
        wrote rather than a guess."""
        found = self._pronoun(pronoun, floor, before, since)
        if found is not None and found[1] == "person" and since >= 0:
            found = self._person_in_sentence(pronoun, found, since, before)
        if found is not None and found[1] == "group" and not _plural_referent(found[0]):
            found = None  # "they" after "a candidate spoke" or "Ohio said": no one
        if found is None:
            return Resolution(pronoun, "", "pronoun", Step.PRONOUN_UNRESOLVED)
        entity = self.full_name(found[0]) if found[1] != "group" else None
        return Resolution(found[0], _described(entity), found[1], found[2])

    def _resolve_acronym(self, np: NounPhrase, affiliation: str) -> Resolution | None:
        """ "says WHO", "the Chinese CDC": an acronym (the phrase, or a person-like phrase's last
        word) is the known organisation whose initials it spells, else an organisation of its own.
        Why: its capitals otherwise read as a pronoun ("WHO"), a common word or a surname."""
        whole = np.kind == "group" and _capital_acronym(np.name)
        last = np.name.split()[-1] if np.name else ""
        if not whole and not (np.kind in {"person", "short"} and len(last) >= 3 and last.isupper()):
            return None
        found = self._expanded_acronym(np.name if whole else last)
        if found is not None:
            return Resolution(found.name, found.affiliation, found.kind, Step.ACRONYM)
        if whole or (np.kind == "person" and last.lower() not in SUFFIXES and is_acronym(last)):
            return self._resolve_org(NounPhrase(np.name, np.role, "org"), affiliation)
        return None

    def _org_not_person(self, np: NounPhrase, affiliation: str) -> Resolution:
        """ "The group that owns her music, Big Machine, says": a name described as a company is an
        organisation, and a person noted under that very name is forgotten (the narration read it
        as one before its description came)."""
        entity = self.full_name(np.name)
        if (
            entity is not None
            and entity.kind == "person"
            and speaker_key(entity.name) == speaker_key(np.name)
        ):
            self._forget_person(entity)
        return self._resolve_org(NounPhrase(np.name, np.role, "org"), affiliation)

    def _pair(self, text: str, before: int) -> Resolution | None:
        """ "Both men claimed …": the last two people named, in the order the article first named
        them (one group, so the row names both)."""
        if not PAIR_RE.fullmatch(" ".join(text.lower().split())):
            return None
        pair = list(islice(self._recent_people_mentioned(before), 2))
        if len(pair) != 2:
            return None
        first = {name: pos for pos, name in reversed(self.mentions) if name in pair}
        both = " and ".join(sorted(pair, key=lambda name: first.get(name, 0)))
        return Resolution(both, "", "group", Step.PAIR)

    def _described_person(self, text: str, before: int, definite: bool) -> Resolution | None:
        """The person just named whose apposition is this very description: the source the
        phrase finder took from "X, a description, who said" is X. A definite description ("the
        suspect") refers back only to the speaker in focus, not to someone merely named since."""
        description = speaker_key(affiliation_from_apposition(text))
        candidates = (self.last_person,) if definite else (self.last_person, self.latest_mention(before))
        for _pos, name in candidates:
            entity = self.full_name(name) if name else None
            known = entity is not None and entity.kind == "person" and entity.affiliation
            if known and speaker_key(entity.affiliation) == description:
                return Resolution(entity.name, _described(entity), "person", Step.APPOSITION_OF)
        return None

    def _person_in_sentence(
        self, pronoun: str, found: tuple[str, str, Step], since: int, before: int
    ) -> tuple[str, str, Step]:
        """he/she: the person this sentence or the one before is about, if not the speaker in
        focus ``found`` (see :meth:`_owner_opening`, :meth:`_introduced_after_he`). Why: "she"
        otherwise stayed on the speaker of an earlier paragraph."""
        person = self._owner_opening(pronoun, found[0], since, before)
        if person is None and found[2] == Step.PRONOUN_SPEAKER:
            person = self._introduced_after_he(since)
        return (person, "person", Step.PRONOUN) if person else found

    def _owner_opening(self, pronoun: str, focus: str, since: int, before: int) -> str | None:
        """ "Clinton's fate is unclear, but she said": the owner opening the sentence, when the
        pronoun opens a clause joined to it and nobody is named in between (a possessive is no
        mention, so the speaker in focus kept the pronoun)."""
        owner = _OWNER_RE.match(self.article, since, before)
        joined = owner is not None and _JOINED_RE.search(self.article, owner.end(), before) is not None
        entity = self.full_name(owner.group(1)) if joined else None
        if entity is None or entity.kind != "person" or entity.name == focus:
            return None
        want = wanted_gender(pronoun)
        between = self.latest_mention(before)[0] > since or self._named_last(focus, before) > since
        return entity.name if self.gender(entity.name) in {"", want} and not between else None

    def _introduced_after_he(self, since: int) -> str | None:
        """ "Murphy said … He was joined by Ilyse Hogue. She said": "He" opening the sentence
        before shows the speaker in focus, whose gender was unknown, is a man; "she" is the
        person that sentence introduced (a given name we do not know tells nothing)."""
        earlier = self._sentence_before(since)
        if earlier < 0 or not self.article.startswith("He ", earlier):
            return None
        k = bisect_left(self.introductions, (since, "")) - 1
        at, name = self.introductions[k] if k >= 0 else (-1, "")
        return name if at >= earlier and self.gender(name) != "m" else None

    def _named_last(self, name: str, before: int) -> int:
        """Offset of the last mention or note of ``name`` before ``before`` (-1: none)."""
        noted = self.last_person[0] if self.last_person[1] == name else -1
        return max(self.mentioned_last(name, before), noted)

    def surname(self, np: NounPhrase) -> NounPhrase | None:
        """A surname that reads as a plural ("Sanders", "Mr. Leenders" end like "officers"): a
        person when an honorific precedes it or exactly one person of that surname is known."""
        if np.kind != "group":
            return None
        words = _name_words(np.name)
        titles = []
        while len(words) > 1 and words[0].lower().rstrip(".") in HONORIFICS:
            titles.append(words.pop(0))
        if not _lone_capitalised(words):
            return None
        people = [e for e in self.by_last.get(speaker_key(words[0]), ()) if e.kind == "person"]
        if titles or sum(looks_like_person(e.name) for e in people) == 1:
            return NounPhrase(words[0], " ".join(titles) or np.role, "short")
        return None

    def _owned_name(self, np: NounPhrase) -> NounPhrase | None:
        """ "NBC’s Chuck Todd", "Boston’s Walsh": a person (a name, or a known surname) after a
        capitalised owner's possessive; the owner goes to the role."""
        if "’s " not in np.name and "'s " not in np.name:
            return None
        words = _name_words(np.name)
        cut = max((k for k, w in enumerate(words[:-1]) if w.endswith(("’s", "'s"))), default=-1)
        if cut < 0 or np.kind == "group" or not all(w[:1].isupper() for w in words[: cut + 1]):
            return None  # "Rosaly Lopes of NASA's Jet Propulsion Laboratory" is not owned
        name = join_words(words[cut + 1 :])
        known = self.full_name(name) if " " not in name else None
        person = looks_like_person(name) and name.lower() not in PLACE_NAMES
        if person or (known is not None and known.kind == "person"):
            owner = POSSESSIVE_RE.sub("", join_words(words[: cut + 1]))
            role = ", ".join(p for p in (np.role, owner) if p)
            return NounPhrase(name, role, "person" if " " in name else "short")
        return None

    def _expanded_acronym(self, acronym: str) -> Entity | None:
        """ "CDC" for "Chinese Center for Disease Control and Prevention": the acronym's letters are
        the initials of consecutive capitalised words of a known organisation (a leading adjective
        of nationality may be skipped)."""
        letters = acronym.rstrip(".").replace(".", "").upper()
        for entity in reversed(self.entities):
            if entity.kind == "person" or len(entity.name.split()) < 2:
                continue
            initials = "".join(w[0] for w in entity.name.split() if w[:1].isupper())
            if len(initials) >= len(letters) and letters in initials:
                return entity
        return None

    def _clipped_org(self, acronym: str) -> Entity | None:
        """ "VW" for "Volkswagen": two capitals that are the initials of the two parts of a one-word
        name (:func:`compound_initials`), an organisation that has spoken, else the name the
        article writes most often."""
        for entity in reversed(self.entities):
            if entity.kind == "org" and compound_initials(acronym, entity.name):
                return entity
        found = compound_in_text(acronym, self.article)
        return self.register(found, "org") if found else None

    def _later_full_name(self, first: str) -> Entity | None:
        """ "her mother, Fiona, said" … later "Fiona Parry": a known given name completed by the text."""
        if first.lower() not in FIRST_NAMES and first.lower() not in FEMALE_NAMES:
            return None
        match = re.search(rf"\b{re.escape(first)}\s+([A-Z][a-z][\w’'\-]*)\b", self.article)
        if match is None:
            return None
        full = f"{first} {match.group(1)}"
        if (
            not looks_like_person(full)
            or full.lower() in PLACE_NAMES
            or match.group(1).lower() in COMMON_CAPS
        ):
            return None
        return self.register(full, "person")

    def _titled_person(self, title: str, before: int, described: str, fit: bool = True) -> Entity | None:
        """The person whose role includes ``title`` ("the governor"), the best fit to the rest of
        the description ``described`` first, then the most recently mentioned; with ``fit``, none
        whose role names another office or disagrees on "former" (see :func:`_title_fit`)."""
        best, best_key = None, (-2, -2)
        for entity in self.entities:
            words = _role_words(entity)
            if entity.kind == "person" and title in words:
                key = (
                    _title_fit(described, title, words, entity.name),
                    self.mentioned_last(entity.name, before),
                )
                if (key[0] >= 0 or not fit) and key >= best_key:
                    best, best_key = entity, key
        return best

    def _untitled_subject(self, titled: Entity, title: str, described: str, before: int) -> Entity | None:
        """ "Sen. Ted Cruz said … | Rubio sought … Walking in, the senator said": a person with
        no known role who opens a sentence of this paragraph, named after the one holding the
        title, is whom a bare title refers to. Why: the title of the paragraph's subject is often
        never written, and the title step then reached the one person whose title was known."""
        words = _role_words(titled)
        if title not in words or _title_fit(described, title, words, titled.name) > 0:
            return None  # "the Florida senator": the description itself names its holder
        paragraph = self.article.rfind("\n", 0, before) + 1
        end = bisect_left(self.mentions, (before, "")) if before >= 0 else len(self.mentions)
        for pos, name in reversed(self.mentions[:end]):
            if pos < paragraph or name == titled.name:
                return None
            entity = self.full_name(name)
            unknown = entity is not None and entity.kind == "person" and not entity.title
            if unknown and not entity.affiliation and self._opens_sentence(pos, paragraph, before):
                later = re.search(rf"\b{re.escape(titled.name.split()[-1])}\b", self.article[pos:before])
                return None if later else entity  # "Rubio met Sen. Ted Cruz. The senator": Cruz
        return None

    def _opens_sentence(self, pos: int, paragraph: int, before: int) -> bool:
        """Is the name at ``pos`` its sentence's subject (nothing before it but an opener like "But"),
        and not inside the words reported at ``before``? In the description's own sentence the
        name counts only before a quotation ("Cruz defends it: “…,” the senator says"), since
        "But Trump has won, the columnist suggested" reports the name."""
        start = max(self.article.rfind(". ", paragraph, pos) + 2, paragraph)
        lead = self.article[start:pos].split()
        if not subject_lead(lead):
            return False
        own = self.article.rfind(". ", pos, before) < 0
        return not own or any(mark in self.article[pos:before] for mark in '“"')

    def _resolve_person(self, np: NounPhrase, affiliation: str) -> Resolution:
        # "Cmdr. Sean Robertson, a spokesperson for X" -> "Cmdr., spokesperson for X"
        parts = [p for p in (np.role, affiliation) if p and not p.lower().startswith("another ")]
        role = ", ".join(dict.fromkeys(parts))
        entity, step = self.full_name(np.name), None
        if entity is None and np.kind == "short":
            entity, step = self._later_full_name(np.name), Step.LATER_NAME
        if entity is not None:
            self.describe(entity, role)
            step = step or _name_step(np.name, entity.name)
            return Resolution(entity.name, _described(entity), entity.kind, step)
        if np.kind == "short" and not role and np.name.lower() not in FIRST_NAMES:
            # A lone capitalised word nobody introduced: most likely an organisation ("Pentagon").
            entity = self.register(np.name, "org")
            return Resolution(entity.name, entity.affiliation, "org", Step.ORG_GUESS)
        entity = self.register(np.name, "person", role)
        return Resolution(entity.name, entity.affiliation, entity.kind, _name_step(np.name, entity.name))

    def _resolve_org(self, np: NounPhrase, affiliation: str) -> Resolution:
        entity = self.full_name(np.name)
        if entity is None and _capital_acronym(np.name):  # "VW says" after "Volkswagen"
            entity = self._clipped_org(np.name)
        if entity is None:
            for candidate in reversed(self.entities):
                if candidate.kind == "org" and speaker_key(candidate.name).startswith(
                    speaker_key(np.name) + " "
                ):
                    entity = candidate
                    break
        if entity is None:
            entity = self.register(np.name, "org", affiliation or np.role)
        else:
            self.describe(entity, affiliation or np.role)
        return Resolution(entity.name, entity.affiliation, entity.kind, Step.ORG)

    def _resolve_group(
        self, np: NounPhrase, affiliation: str, before: int = -1, definite: bool = False
    ) -> Resolution:
        """Unnamed sources: "the official" refers back to "a senior defense official" if seen;
        "the company" / "the statement" refer to the organisation in focus."""
        words = np.name.split()
        if not words:
            return Resolution("", "", "group", Step.UNNAMED)
        head = group_head(np.name)
        article = definite or words[0].lower() in DEFINITE  # "the governor", not "Analysts"
        issuer = self._issuer(np, head, before, article) if head in DOCUMENT_NOUNS else None
        if issuer is not None:
            return issuer
        definite = article or len(words) == 1
        found = None
        if definite:
            found = self._person_in_focus(head, len(words), before)
        if found is None and definite and len(words) <= 3:
            found = self._definite_reference(np, head, before, article)
        if found is None:  # "Howard Rubel, a senior analyst at Jefferies, who notes …"
            found = self._described_person(np.name, before, definite)
        if found is not None:
            return found
        description = affiliation or drop_article(np.name, keep_capital_the=False)
        entity = self.register(np.name, "group", "(unnamed) " + tidy_role(description))
        return Resolution(entity.name, entity.affiliation, "group", Step.UNNAMED)

    def _issuer(self, np: NounPhrase, head: str, before: int, definite: bool) -> Resolution | None:
        """The person or organisation a document speaks for, named by "by"/"from" right after it
        ("the TexAuto Facts report from InfoNation said"), or for "the report" after the last
        such report the article introduced with "by" in the same clause ("a new report released
        on Monday by Stanford University's Center …"; not "the letter, written by its vice
        president"). Why: the document itself is no source, and its issuer is in the text though
        it never speaks; "the report" alone otherwise went to any earlier report. A place is no
        issuer ("postmarked from Massachusetts")."""
        if before < 0:
            return None
        at = self.article.find(np.name, before, before + len(np.name) + 8)
        found = _ISSUER_RE.match(self.article, at + len(np.name)) if at >= 0 else None
        if found is None and definite and len(np.name.split()) == 1:
            pattern = rf"\b{re.escape(head)}\b[^.!?,\n“”\"]{{0,40}}?\s+by\s+(?:the\s+)?({_NAME_RUN})"
            found = next(reversed(list(re.finditer(pattern, self.article[:before]))), None)
        run = found.group(1).rstrip(".,") if found is not None else ""
        if not run or run.split()[0].lower() in TIME_WORDS or run.lower() in _PLACE_WORDS:
            return None
        resolved = self.resolve(run, before=before)
        return resolved._replace(step=Step.LAST_ORG) if resolved.kind in {"person", "org"} else None

    def _described_opener(self, description: str, before: int) -> Resolution | None:
        """ "Eyamba Sowers didn’t know … . The real estate agent said …": a person first named
        as the opening subject of the sentence before, with no role known yet, is what a
        definite description of a person that no one holds as a title refers to (the
        description becomes the affiliation). Why: such a phrase otherwise became an unnamed
        source beside the person the paragraph is about."""
        opener = self._opening_introduction
        name = opener(before, -1, "m", any_name=True) or opener(before, -1, "f", any_name=True)
        entity = self.full_name(name) if name else None
        if entity is None or entity.kind != "person" or entity.affiliation:
            return None
        self.describe(entity, affiliation_from_apposition(description))
        return Resolution(entity.name, _described(entity), "person", Step.EPITHET)

    def _person_in_focus(self, head: str, size: int, before: int) -> Resolution | None:
        """ "said the actor", "the 56-year-old said": an epithet for the person in focus."""
        epithet = (
            size <= 3
            and head in EPITHET_NOUNS
            and not any(e.kind == "group" and e.head == head for e in self.entities)
        )
        return self._epithet(head, before) if epithet or re.fullmatch(r"\d+-year-old", head) else None

    def _epithet(self, head: str, before: int) -> Resolution | None:
        """The person in focus, whom an epithet ("the actor", "the actress") stands for as "he" or
        "she" would (the head's gender picks which)."""
        found = self.resolve_pronoun("she" if head in FEMALE_WORDS else "he", before=before)
        if found is None:
            return None
        return Resolution(found[0], _described(self.full_name(found[0])), "person", Step.EPITHET)

    def _definite_reference(
        self, np: NounPhrase, head: str, before: int, article: bool = True
    ) -> Resolution | None:
        """ "the minister", "the company", "the statement", "the official": someone already met
        (``article``: the phrase opened with "the", not a bare plural such as "Analysts")."""
        if head in TITLE_WORDS or head in ROLE_WORDS:
            titled = self._title_reference(np.name, head, before, article)
            if titled is not None:
                return titled
        words = np.name.split()
        if article and head in _PERSON_HEADS and len(words) <= 4:
            found = self._described_opener(np.name, before)
            if found is not None:
                return found
        if not any(w[:1].isupper() for w in words if w.lower() not in DEFINITE):
            found = self._org_reference(np.name, head, before)
            if found is not None:
                return found
        return self._earlier_group(np.name, head)

    def _title_reference(self, described: str, head: str, before: int, article: bool) -> Resolution | None:
        """ "the governor": the person holding the title (or the paragraph's untitled subject, see
        :meth:`_untitled_subject`). When only another office holds it ("former governor" for "the
        governor"), the person in focus, as for an epithet: the title is then not a name for them."""
        titled = self._titled_person(head, before, described)
        if titled is not None:
            titled = self._untitled_subject(titled, head, described, before) or titled
            return Resolution(titled.name, titled.affiliation, "person", Step.TITLE)
        if article and self._titled_person(head, before, head, fit=False) is not None:
            return self._epithet(head, before)
        return None

    def _org_reference(self, described: str, head: str, before: int) -> Resolution | None:
        """ "the company", "the statement", "the agency" with no capitalised word: the organisation
        the article is about, the body that just made a statement, else the last organisation
        quoted. Why: such a phrase names what speaks without its name."""
        if head in _SALIENT_HEADS:
            found = self._salient_reference(described, before)
            if found is not None:
                return found
        body = self.body_in_focus(before) if head in DOCUMENT_NOUNS else ""
        if body:  # "the US military said in a statement … “…,” the statement said"
            return Resolution(body, "", "group", Step.LAST_ORG)
        if (head in GROUP_REFERENCES or head in DOCUMENT_NOUNS) and self.last_org[1]:
            org = self.last_org[1]
            return Resolution(
                org, _described(self.full_name(org)) or self.org_notes.get(org), "org", Step.LAST_ORG
            )
        return None

    def _salient_reference(self, described: str, before: int) -> Resolution | None:
        """ "the production company said": the organisation the article is about, which the phrase
        also describes (what it is is noted for it)."""
        found_org = self.salient_org(described, before)
        if not found_org:
            return None
        entity = self.full_name(found_org)
        if entity is not None and entity.kind == "person":  # "Vidyard" of a headline read as a name
            entity = None
        self._describe_org(entity.name if entity else found_org, org_description(f"{described} ", ""))
        if entity is not None:
            return Resolution(entity.name, _described(entity), "org", Step.SALIENT_ORG)
        return Resolution(found_org, self.org_notes.get(found_org), "org", Step.SALIENT_ORG)

    def _earlier_group(self, described: str, head: str) -> Resolution | None:
        """ "the official" after "a senior defense official", "the source" after "a person familiar
        with …": the last unnamed group of the same head, else of any source noun. Why: one unnamed
        source keeps one name however the article words it again."""
        for entity in reversed(self.entities):
            if entity.kind == "group" and entity.head == head and entity.name != described:
                return Resolution(entity.name, entity.affiliation, "group", Step.SAME_GROUP)
        if head in SOURCE_NOUNS:
            for entity in reversed(self.entities):
                if entity.kind == "group" and entity.head in SOURCE_NOUNS and entity.name != described:
                    return Resolution(entity.name, entity.affiliation, "group", Step.SOURCE_NOUN)
        return None


def _plural_referent(name: str) -> bool:
    """Can the group ``name`` be what "they" stands for? Not one thing ("a candidate", "its
    analysis"), a clause read as a subject ("It’s about their theories"), or a place. Why: the
    last group noted is whatever the narration's subject was, and "they" took such junk."""
    first = name.split()[0].lower() if name.split() else ""
    first = first.split("’")[0].split("'")[0]
    return not (first in _SINGULAR_OPENERS or first in SUBJECT_PRONOUNS or name.lower() in _PLACE_WORDS)


def _capital_acronym(name: str) -> bool:
    """One word of 2+ capitals ("WHO", "AP"): an acronym, though its letters spell a pronoun or
    a common word that makes the noun phrase read as an unnamed group."""
    return " " not in name and len(name) >= 2 and name.isupper() and is_acronym(name)


def _described_surname(np: NounPhrase, affiliation: str) -> NounPhrase | None:
    """ "Sanders, a senator from Vermont": one capitalised word that reads as a plural, given a
    person's role in apposition, is a surname."""
    if np.kind != "group":
        return None  # cheap test first
    words = _name_words(np.name)
    if not _lone_capitalised(words):
        return None
    if words[0].lower() in COMMON_CAPS or not affiliation or not role_headed(affiliation):
        return None
    return NounPhrase(words[0], np.role, "short")


def _name_words(name: str) -> list[str]:
    """The words of a name, without punctuation standing as a word of its own."""
    return [w for w in words_of(name) if has_alnum(w)]


def _lone_capitalised(words: list[str]) -> bool:
    """One capitalised word that is no acronym: what a surname that reads as a plural looks like."""
    return len(words) == 1 and words[0][:1].isupper() and not is_acronym(words[0])


def _title_fit(described: str, title: str, role: list[str], name: str) -> int:
    """How well a person's role fits a description by title ("the Florida senator", "the
    governor"): -1 when it names another office ("Vice President" for "the president", and the
    other way round) or disagrees on "former" ("former New Jersey governor" for "the governor"),
    else the number of the description's other words ("Florida") found in the role or name."""
    at = role.index(title)
    wanted = {w for w in described.lower().split() if w not in DEFINITE and w != title}
    office = role[at - 1] if at and role[at - 1] in _OTHER_OFFICE else ""
    if office not in wanted | {""} or (wanted & _OTHER_OFFICE) - {office}:
        return -1
    if bool(wanted & _FORMER) != any(w in _FORMER for w in role):
        return -1
    known = set(role) | set(name.lower().split())
    return sum(w in known for w in wanted - _FORMER - _OTHER_OFFICE)


def _role_words(entity: Entity) -> list[str]:
    """The words of a person's rank and role, lower-cased, titles written out ("Sen." ->
    "senator"): what a bare title ("the senator") is looked up in."""
    role = f"{entity.title} {entity.affiliation}".lower().split()
    return [TITLE_ABBREVIATIONS.get(w.rstrip("."), w.rstrip(".,")) for w in role]


def _a_person(np: NounPhrase, description: str) -> bool:
    """ "Steven M. Ekovich, a broker based in Tampa", "Alverson, a commissioner on the … Commission":
    a known given name, or a description headed by a person's role, keeps a named person."""
    given = np.kind == "person" and np.name.split()[0].lower() in GIVEN_NAMES
    return given or role_headed(description)


def _name_step(phrase: str, name: str) -> Step:
    """``name`` as written, a ``short-name`` ("Frankel", "Mr. Frankel") or an ``alias`` of as many
    words ("Josh Apte" for "Joshua Apte", "Donald Trump" for "Donald J. Trump")."""
    said, canonical = speaker_key(phrase).split(), speaker_key(name).split()
    return Step.NAME if said == canonical else Step.SHORT_NAME if len(said) < len(canonical) else Step.ALIAS


def _described(entity: Entity | None) -> str:
    """What the article says a known entity is: its affiliation, else the rank seen before its name."""
    return (entity.affiliation or entity.title) if entity else ""
