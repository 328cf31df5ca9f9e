"""What the speaker book remembers of an article: people, organisations and groups met, and where.

``SpeakerMemory`` registers entities (one per person however renamed: aliases and short forms join
the person met before), reads names, roles and organisations from the narration, keeps mentions by
offset for recency, and answers "who is the most recent person, group or organisation" for
pronouns. Resolving a phrase next to a cue to a speaker is :mod:`utils.extract.coreference`'s job.
"""

from __future__ import annotations

import heapq
import re
from bisect import bisect_left, insort
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice

from utils.extract.descriptions import (
    OrgNotes,
    address_only,
    company_role,
    defined_acronyms,
    merge_affiliation,
    narration_description,
    org_description,
    pronoun_role,
    rank_in_text,
    spell_acronyms,
    subject_description,
)
from utils.extract.lexicon import words
from utils.extract.mentions import (
    ORG_TAILS,
    analyse_np,
)
from utils.extract.names import (
    COMMON_CAPS,
    DOCUMENT_NOUNS,
    FEMALE_WORDS,
    GIVEN_NAMES,
    NICKNAME_RE,
    ORG_HINT_RE,
    ORG_RUN_RE,
    PERSON_PRONOUNS,
    PLACE_NAMES,
    PLACES,
    PLURAL_PRONOUNS,
    POSSESSIVE_RE,
    SHORT_NAME_RE,
    SUFFIXES,
    WEEKDAYS_MONTHS,
    after_preposition,
    has_alnum,
    inside_sentence,
    is_acronym,
    is_org_word,
    is_title,
    join_words,
    looks_like_person,
    name_runs,
    person_gender,
    role_headed,
    same_person_names,
    shortened_name,
    speaker_key,
    split_head,
    strip_leading_titles,
    words_of,
)
from utils.extract.rules import Step
from utils.extract.vocab import (
    ARTICLES,
    DEFINITE,
    DETERMINERS,
    LEADING_CONJUNCTIONS,
    RELATIVE_WORDS,
    SUBJECT_PRONOUNS,
)

_RUN_OPENERS = words("run-openers")


#: Heads too common in firm names ("X Company") to pick the organisation by name.
_GENERIC_ORG_HEADS = words("generic-org-heads")
#: Plural nouns without -s ("people", "police"): a body so named is "they", never "it".
_IRREGULAR_PLURALS = words("irregular-plurals")


#: A capitalised run opening a sentence, then a few lower-case words and "its": "Vidyard
#: announced updates to its platform", "Stack Overflow published its analysis".
_ITS_OWNER_RE = re.compile(
    r"(?:^|(?<=[.!?:;]\s))((?:[A-Z][\w&’'.\-]*\s+){0,2}[A-Z][\w&’'\-]*)\s+((?:[a-z][\w\-]*\s+){1,5}?)its\s"
)
#: Words between such a subject and "its" that start another phrase or clause, whose "its" may
#: then belong to something else ("Lee said the firm cut its staff").
_NOT_BEFORE_ITS = DETERMINERS | RELATIVE_WORDS | SUBJECT_PRONOUNS | words("subordinators") | words("coord")
#: "his editor ", "Her younger sister ": a possessive pronoun and a role right before a name.
_OWNER_ROLE_RE = re.compile(r"\b([Hh]is|[Hh]er)\s+((?:[a-z][\w-]*\s+){0,2}?[a-z][\w-]*)\s+$")
_COMMA_NEXT = re.compile(r"\s*,")  # the next character that is not a space is a comma
#: A sentence opened by whose view it gives ("For Jonathan Chait, …", "To professor Ann Lee, …").
_VIEWPOINT_RE = re.compile(r"\s*(?:For|To)\s+(?:[a-z][\w.\-]*\s+|[A-Z][\w.\-]*\s+)*$")


@dataclass
class Entity:
    name: str
    kind: str  # "person" | "org" | "group"
    affiliation: str = ""
    head: str = ""  # head noun of an unnamed group ("official", "source")
    title: str = ""  # a rank seen before the name in the narration ("Gov."), not yet a role
    ranked: bool = False  # the article was searched for a rank before the name (quotations too)


def group_head(phrase: str) -> str:
    head, _tail = split_head(words_of(phrase))
    words = [w for w in head if any(c.isalpha() for c in w)]
    return words[-1].lower() if words else ""


#: A user name of one word: an inner capital after a small letter ("ScreamMyName"), or small
#: letters then digits ("elmo666"); not a word with an apostrophe or hyphen, nor an @-mention.
_HANDLE_RE = re.compile(r"(?<![\w@#’'.-])(?:[A-Z]?[a-z]+(?:[A-Z][a-z]+)+|[a-z]+\d+)(?![\w’'-])")
_HANDLE_HINT_RE = re.compile(r"[a-z][A-Z]|[a-z]\d")  # cheap test first
_NOT_CAPITALS = re.compile(r"[^A-Z]")
_CAPITAL_OR_AMPERSAND = re.compile(r"[A-Z&]")


@dataclass
class SpeakerMemory:
    """Per-article memory of who has been named, so later short forms resolve to full names.

    Why a book: news style introduces a source once ("Jeffrey Frankel, a Harvard economist") and
    then uses "Frankel", "Mr. Frankel" or "he". Resolution is by surname/first-name match against
    names seen so far, and by recency for pronouns (the most recent person subject or speaker,
    else the most recent person named in the narration).
    """

    entities: list[Entity] = field(default_factory=list)
    by_key: dict[str, Entity] = field(default_factory=dict)
    by_last: dict[str, list[Entity]] = field(default_factory=dict)  # surname -> entities, oldest first
    by_first: dict[str, list[Entity]] = field(default_factory=dict)
    last_person: tuple[int, str] = (-1, "")
    person_notes: list[tuple[int, str]] = field(default_factory=list)  # (offset, person) as subject
    mentions: list[tuple[int, str]] = field(default_factory=list)  # (offset, person) in narration
    introductions: list[tuple[int, str]] = field(default_factory=list)  # first full mention of a person
    mention_offsets: dict[str, list[int]] = field(default_factory=dict)  # person -> sorted mention offsets
    org_offsets: dict[str, list[int]] = field(default_factory=dict)  # organisation -> offsets named
    last_unknown: tuple[int, str] = (-1, "")
    last_group: tuple[int, str] = (-1, "")
    last_org: tuple[int, str] = (-1, "")
    last_org_speaker: tuple[int, str] = (-1, "")  # the organisation of the latest row, where named
    article: str = ""  # the whole text, to find the full name of a first name used before it
    _inside: dict[str, bool] = field(default_factory=dict)  # word -> capitalised inside a sentence
    org_notes: OrgNotes = field(default_factory=OrgNotes)  # what organisations are, before they speak
    _org_keys: list[str] = field(default_factory=list)  # speaker keys of the organisations, sorted
    _org_key_names: dict[str, str] = field(default_factory=dict)  # speaker key -> name in org_offsets
    _acronyms: tuple[str, dict[str, int]] = ("", {})  # (article, the acronyms it defines), read once
    _owners: set[str] = field(default_factory=set)  # keys of names that own an "its": organisations

    # registration --------------------------------------------------------------------------

    def register(self, name: str, kind: str, affiliation: str = "") -> Entity:
        """Remember a canonical entity; a known one's affiliation may improve (:meth:`describe`)."""
        key = ("group:" if kind == "group" else "") + speaker_key(name)
        entity = self.by_key.get(key) or (self._alias(name) if kind == "person" else None)
        if entity is not None:
            self.by_key.setdefault(key, entity)
        if entity is None:
            if kind == "org":  # "the private equity firm Alden Capital" before it spoke
                affiliation = merge_affiliation(self.org_notes.get(name), affiliation)
            entity = Entity(name, kind, affiliation, group_head(name) if kind == "group" else "")
            self.by_key[key] = entity
            self.entities.append(entity)
            if kind == "org":
                insort(self._org_keys, speaker_key(name))
            words = speaker_key(name).split()
            while len(words) > 2 and words[-1] in SUFFIXES:
                words = words[:-1]  # "Patrick W. Carlineo Jr." is found as "Carlineo"
            if kind != "group" and len(words) > 1:
                self.by_last.setdefault(words[-1], []).append(entity)
                self.by_first.setdefault(words[0], []).append(entity)
        else:
            self.describe(entity, affiliation)
        return entity

    def _alias(self, name: str) -> Entity | None:
        """A person already met under another form of this name ("Josh Apte" for "Joshua Apte",
        "Donald J. Trump" for "Donald Trump") or a shorter form of it ("De Miranda" for "Luis de
        Miranda", :func:`shortened_name`), unless their genders are known to differ."""
        words = speaker_key(name).split()
        if not words:
            return None
        known = self.by_last.get(words[-1], [])
        known = known + self.by_first[words[0]] if len(words) > 1 and words[0] in self.by_first else known
        for entity in known:
            if entity.kind != "person":
                continue
            other = speaker_key(entity.name).split()
            if same_person_names(words, other) or shortened_name(words, other):
                genders = {person_gender(name), self.gender(entity.name)} - {""}
                if len(genders) < 2:
                    return entity
        return None

    def describe(self, entity: Entity, description: str) -> None:
        """Take a new description of a known entity: the first real one stays, a fuller or
        role-bearing later one improves it (``merge_affiliation``); an unnamed group keeps its first.
        With nothing known, a rank the article writes before the full name (in a quotation too:
        "“President Trump’s actions …”") is the affiliation."""
        old = entity.affiliation
        if entity.kind == "group":
            entity.affiliation = old or description
            return
        if description[:12].lower().lstrip().startswith(("company", "the company")):
            description = company_role(description, self._latest_org())  # "company CEO" -> "PG&E CEO"
        if description and entity.kind == "person":
            if self._acronyms[0] is not self.article:
                self._acronyms = (self.article, defined_acronyms(self.article))
            description = spell_acronyms(description, self.article, self._acronyms[1])  # "… (PPP)"
        entity.affiliation = merge_affiliation(old, description)
        if entity.affiliation != old and address_only(old) and not entity.title:
            entity.title = old  # "Mrs." replaced by a role still tells the gender
        if not entity.affiliation and not entity.title and not entity.ranked:
            entity.ranked = True
            entity.affiliation = rank_in_text(self.article, entity.name)

    def _latest_org(self) -> str:
        """The organisation the narration named last (for "the company's chief operating officer")."""
        return max(((offs[-1], name) for name, offs in self.org_offsets.items() if offs), default=(-1, ""))[1]

    def observe_names(self, text: str, offset: int = 0) -> None:
        """Register full personal names found in the text (so "Trump" later maps to "Donald Trump").

        Only runs of 2-4 capitalised words that survive title stripping and look like a person
        are kept; this errs on the side of missing a name rather than inventing one. Each name
        also counts as a mention for pronoun resolution (possessives excepted).
        """
        self._observe_nicknames(text)
        if text.lstrip().startswith("The "):  # read with its quotations: "The former “…” star"
            self._describe_in_focus(subject_description(self.article[offset : offset + len(text)]), offset)
        elif text.lstrip().startswith(("He", "She")):  # "She’s the director of …"
            pronoun, role = pronoun_role(text)
            self._describe_in_focus(role, offset, pronoun)
        for start, end, run in name_runs(text):
            found = self._person_run(run)
            if found is not None:
                self._observe_person(text, offset, (start, end), run, found)

    def _observe_nicknames(self, text: str) -> None:
        """ "Edward “Ted” Kennedy": register the full name, and the nickname with the surname as
        another key for the same person, since the article may use either later."""
        for match in NICKNAME_RE.finditer(text) if "“" in text or '"' in text else ():  # cheap test first
            first, nick, last = match.groups()
            full = join_words(strip_leading_titles(words_of(first + " " + last))[1])
            if looks_like_person(full):
                entity = self.register(full, "person")
                self.by_key.setdefault(speaker_key(f"{nick} {last}"), entity)

    def _person_run(self, run: list[str]) -> tuple[bool, list[str], list[str]] | None:
        """(possessive, titles, name) when a capitalised run of the narration names a person, else
        None; a possessive's "’s" is taken off the run's last word. Why apart: the tests err on the
        side of missing a name, so a date, a place used as a modifier, the start of a known
        organisation or a run ending like one are never registered as people."""
        found = _run_person(tuple(run))
        if found is None:
            return None
        possessive, last, titles, name, candidate = found
        if possessive:
            run[-1] = last
        if self._known_org_prefix(candidate):
            return None
        return possessive, list(titles), list(name)

    def _observe_person(
        self,
        text: str,
        offset: int,
        span: tuple[int, int],
        run: list[str],
        found: tuple[bool, list[str], list[str]],
    ) -> None:
        """Register the person a run names (``found`` from :meth:`_person_run`, at ``span`` in
        ``text``): a first full mention is an introduction, a rank before the name and the
        narration's description are kept, and a plain mention counts for pronouns. Why: "he" and
        "the governor" later resolve by what the narration said here."""
        (start, end), (possessive, titles, name) = span, found
        candidate = join_words(name)
        thing = _named_thing(text, start, titles, name)
        if speaker_key(candidate) not in self.by_key and not thing:
            insort(self.introductions, (offset + start, candidate))
        entity = self.register(candidate, "person")
        if not entity.title:  # "Gov. Eric Holcomb": remember the rank for "the governor"
            entity.title = " ".join(w for w in titles if is_title(w))
        described = narration_description(
            text, start, end, " ".join(titles), not possessive, self.article, offset
        )
        titled = " ".join(run[: len(run) - len(name)]) + " "
        if described:
            described = self._owned_role(described, text[max(0, start - 150) : start] + titled, entity.name)
        self.describe(entity, described)  # "US Secretary of State X", "X, a Yale historian, …"
        if not possessive and not thing and not after_preposition(text, start):
            self._add_mention(offset + start, entity.name)
        if possessive or _COMMA_NEXT.match(text, end) is None:
            return
        lead = text[:start] + titled
        if _VIEWPOINT_RE.match(lead):
            self.note(offset + start, entity.name, "person")  # "For Jonathan Chait, …": in focus

    def _owned_role(self, described: str, lead: str, name: str) -> str:
        """ "When Ford visited his editor Teresa Hale" -> "Ford’s editor": a role after "his"/"her"
        right before the name is the role of the person the sentence named last before the
        pronoun, written by surname. Why: "editor" or "sister" alone hides whose editor or sister
        the speaker is. (Without such a person in the sentence the role stays as it is: the
        pronoun resolver's choice, the speaker in focus, was often someone else.)"""
        match = _OWNER_ROLE_RE.search(lead)
        if match is None or not described.lower().startswith(match.group(2).lower()):
            return described
        owner = self._named_before(lead[: match.start()])
        if owner is None or speaker_key(owner) == speaker_key(name):
            return described
        mark = "’" if "’" in self.article else "'"
        return f"{owner.split()[-1]}{mark}s {described}"

    def _named_before(self, lead: str) -> str | None:
        """The person named last in ``lead`` (capitalised words, right to left), else None."""
        for word in reversed(words_of(lead)):
            if word[:1].isupper() and word.lower() not in COMMON_CAPS:
                entity = self.full_name(word)
                if entity is not None and entity.kind == "person":
                    return entity.name
        return None

    def _describe_in_focus(self, described: str, offset: int, pronoun: str = "") -> None:
        """ "The former … star, 42, was voted off": the person in focus, renamed, if not yet described."""
        female = described.split()[-1:] and described.split()[-1] in FEMALE_WORDS
        pronoun = pronoun or ("she" if female else "he")
        found = self.resolve_pronoun(pronoun, before=offset) if described else None
        entity = self.full_name(found[0]) if found else None
        if entity is not None and entity.kind == "person" and not entity.affiliation:
            self.describe(entity, described)

    def observe_short_mentions(self, text: str, offset: int = 0) -> None:
        """Count "Mr Obama", "Frankel" as mentions of an already known person (not possessives)."""
        for match in SHORT_NAME_RE.finditer(text):
            word = match.group(1)
            key = speaker_key(word)
            if key not in self.by_key and key not in self.by_last and key not in self.by_first:
                continue  # cheap test first: nobody met is called this (``full_name`` would find none)
            if word.lower() in COMMON_CAPS or match.group(2) or after_preposition(text, match.start()):
                continue
            before = text[max(0, match.start() - 20) : match.start()].split()
            if before and before[-1][:1].isupper() and not _opener(before[-1]):
                continue  # part of a longer capitalised run ("Health Sciences"), not "But Quill"
            entity = self.full_name(word)
            if entity is not None and entity.kind == "person":
                self._add_mention(offset + match.start(), entity.name)
                self.describe(entity, narration_description(text, match.start(), match.end()))

    def observe_orgs(self, text: str, offset: int = 0) -> None:
        """Count the organisations named in the narration ("Pacific Gas & Electric Co.", "PG&E"), so
        "the utility" or "the company" can go to the one the article is about."""
        if " its " in text:  # cheap test first
            self._observe_owners(text)
        owners = bool(self._owners)  # an article without one asks nothing more of a run
        for match in ORG_RUN_RE.finditer(text):
            run = match.group(0)
            found = _org_run(run) or (self._owner_run(run) if owners else None)
            if found is None:
                continue
            words, skip, phrase = found
            at_start = not text[: match.start()].strip() or text[: match.start()].rstrip()[-1] in ".!?:"
            owner = owners and speaker_key(phrase) in self._owners
            if at_start and " " not in phrase and not owner and not _CAPITAL_OR_AMPERSAND.search(phrase[1:]):
                continue  # "Health authorities said": a capitalised first word is not a name
            if at_start and _owned_org(found) is not None:
                found = _owned_org(found)
                words, skip, phrase = found
            name = phrase
            if is_acronym(phrase.replace("&", "")):  # "PG&E" after "Pacific Gas & Electric Co."
                letters = _NOT_CAPITALS.sub("", phrase)
                for known in self.org_offsets if len(letters) >= 2 else ():
                    if letters in _initials(known):
                        name = known
                        break
            self._add_org_mention(offset + match.start(), name)
            before = text[max(0, match.start() - 200) : match.start()] + " ".join(
                f"{w} " for w in words[:skip]
            )
            if name == phrase and len(words) - skip > 1 and org_description(f"{words[skip]} ", ""):
                before, name = (
                    f"{before}{words[skip]} ",
                    " ".join(words[skip + 1 :]).rstrip(".,"),
                )  # "Amazon-owned"
            self._describe_org(name, org_description(before, text[match.end() : match.end() + 400]))

    def _observe_owners(self, text: str) -> None:
        """Remember a sentence's capitalised subject that does something to "its" own things
        ("Vidyard announced updates to its platform") as an organisation, so its later mentions
        count for "the company said". Why: a one-word or plain two-word name ("Vidyard", "Stack
        Overflow") has no organisation word, and a person would own "his" or "her" things."""
        for match in _ITS_OWNER_RE.finditer(text):
            between = match.group(2).split()
            if any(w in _NOT_BEFORE_ITS for w in between):
                continue
            words = match.group(1).split()
            while words and words[0].lower() in _RUN_OPENERS:
                words = words[1:]
            phrase = POSSESSIVE_RE.sub("", " ".join(words)).rstrip(".,")
            first = phrase.split()[0].lower() if phrase else ""
            if not first or first in COMMON_CAPS or first in GIVEN_NAMES or phrase.lower() in PLACE_NAMES:
                continue
            # not the surname of someone met ("Vidyard" in a headline read as "Vidyard Launches
            # New Tools" is no one's surname); a whole name without a given name taken for a
            # person ("Stack Overflow") was an organisation
            known = self.full_name(phrase)
            key = speaker_key(phrase)
            met = known is not None and known.kind == "person" and speaker_key(known.name).endswith(key)
            if met and speaker_key(known.name) == key and " " in key:
                self._forget_person(known)
                met = False
            if not met and not is_title(words[0]):
                self._owners.add(key)

    def _owner_run(self, run: str) -> tuple[tuple[str, ...], int, str] | None:
        """(words, openers skipped, phrase) for a capitalised run naming an organisation known
        by the "its" it owns (:meth:`_observe_owners`), else None."""
        if not self._owners:
            return None
        found = _run_phrase(run)
        return found if speaker_key(found[2]) in self._owners else None

    def _handle_since(self, pos: int, before: int) -> str:
        """The last one-word user name ("ScreamMyName", "elmo666") written where a subject stands
        in the narration after offset ``pos`` and before ``before``, in the paragraph holding
        ``before``: "he told me" goes to the user the sentence is about, a name that is neither a
        personal name nor an organisation the narration would otherwise count. Read only when a
        pronoun is resolved, for speed."""
        if before < 0:
            return ""
        text, start = self.article, max(pos + 1, self.article.rfind("\n", 0, before) + 1)
        if not _HANDLE_HINT_RE.search(text, start, before):
            return ""
        found = ""
        for match in _HANDLE_RE.finditer(text, start, before):
            word, at = match.group(0), match.start()
            if word.lower() in COMMON_CAPS or after_preposition(text, at):
                continue
            if text.count("“", start, at) > text.count("”", start, at):
                continue  # inside a quotation
            known = self.full_name(word)
            previous = text[max(0, at - 30) : at].split()
            if (previous and previous[-1][:1].isupper()) or (known is not None and known.name != word):
                continue  # "Charlie McDowell", then "McDowell": a surname, not a user name
            found = word
        return found

    def _describe_org(self, name: str, description: str) -> None:
        entity = self.by_key.get(speaker_key(name))
        if entity is not None and entity.kind == "org":
            self.describe(entity, description)
        else:
            self.org_notes.add(name, description)  # for when it speaks

    def _add_org_mention(self, pos: int, name: str) -> None:
        key = self._org_key_names.setdefault(speaker_key(name), name)  # the first spelling met
        insort(self.org_offsets.setdefault(key, []), pos)

    def salient_org(self, description: str, before: int = -1) -> str:
        """The organisation a definite description ("the commission", "the production company")
        points to: the latest one whose name shares a word with it ("Utilities Commission", "Dick
        Clark Productions"; bare "company"/"group" are too common in names to count), else the
        latest one named earlier in the same paragraph or the one before ("Acme Corp. cut 300
        jobs. The company said"), the one that last spoke in the phrase's own paragraph first
        ("Acme says it could … . There is FruitHide, a fabric … . The automaker says"), else the
        most often named one so far, if named twice (ties: the latest)."""
        words = [w.lower() for w in words_of(description) if w.lower() not in DEFINITE]
        cues = {_stem(w) for w in words if w not in _GENERIC_ORG_HEADS}
        paragraph = self._previous_paragraph(before) if before >= 0 else len(self.article)
        own = self.article.rfind("\n", 0, before) + 1 if before >= 0 else len(self.article)
        pos, spoke = self.last_org_speaker
        spoke = spoke if own <= pos < before else ""
        best, best_rank = "", (0, 0, 0, -1, -1)
        for name, offsets in self.org_offsets.items():
            k = count_before(offsets, before)
            if k == 0:
                continue
            shared = bool(cues & {_stem(w.lower().rstrip(".")) for w in name.split()})
            latest = offsets[k - 1]
            near = latest >= paragraph
            rank = (shared, near, name == spoke, latest if shared or near else k, latest)
            if rank > best_rank and (shared or near or k >= 2):  # named once, elsewhere: not what the
                best, best_rank = name, rank  # article is about
        return best

    def _previous_paragraph(self, before: int) -> int:
        """Where the paragraph before the one holding offset ``before`` starts. Why: a description
        opening a paragraph ("The agency said …") often refers to the organisation the paragraph
        before has just named, once."""
        start = self.article.rfind("\n", 0, before)
        text_end = len(self.article[:start].rstrip())
        previous = self.article.rfind("\n", 0, text_end) + 1 if start > 0 else 0
        return previous or start + 1  # the title line is no paragraph before the first one

    def _add_mention(self, pos: int, name: str) -> None:
        insort(self.mentions, (pos, name))
        insort(self.mention_offsets.setdefault(name, []), pos)

    def latest_mention(self, before: int) -> tuple[int, str]:
        """The last person named in the narration before offset ``before`` (-1: anywhere)."""
        if not self.mentions:
            return (-1, "")
        if before < 0:
            return self.mentions[-1]
        k = bisect_left(self.mentions, (before, ""))
        return self.mentions[k - 1] if k > 0 else (-1, "")

    def mentioned_last(self, name: str, before: int) -> int:
        """Offset of the last mention of ``name`` in the narration before ``before`` (-1: anywhere),
        -1 if none."""
        return last_before(self.mention_offsets.get(name, []), before)

    def _known_org_prefix(self, candidate: str) -> bool:
        """Is ``candidate`` the start of a known organisation's name? (A sorted list of their keys:
        the ones starting with this key follow it directly.)"""
        key = speaker_key(candidate)
        at = bisect_left(self._org_keys, key)
        return at < len(self._org_keys) and self._org_keys[at].startswith(key)

    def note(self, pos: int, name: str, kind: str, maybe_person: bool = True) -> None:
        """Record that ``name`` was just used as a subject/speaker at offset ``pos`` (recency)."""
        if kind == "person":
            self.last_person = (pos, name)
            insort(self.person_notes, (pos, name))
        elif kind == "org":
            if " " not in name and not is_acronym(name) and not self._named_inside(name):
                return  # "Late last month, the company wrote": a capitalised opener names nothing
            self.last_org = (pos, name)
            self._add_org_mention(pos, name)
            if pos >= self.last_group[0]:
                self.last_group = (pos, name)
            if maybe_person:
                self.note_maybe_person(pos, name)
        elif kind == "group":
            self.last_group = (pos, name)

    def note_maybe_person(self, pos: int, name: str) -> None:
        """Record a lone capitalised word used as a subject at ``pos`` that may be a person named by
        surname only ("Trump" with no first name seen; "Nega defended his decision"), for a later
        "he" or "she". Why apart from ``note``: a subject of a sentence that reports nothing is no
        organisation in focus ("Amazon bought Whole Foods"), but may still be the man who speaks next."""
        if (
            " " not in name
            and name[:1].isupper()
            and not is_acronym(name)
            and not is_org_word(name)
            and not name.endswith("ing")
            and name.lower() not in PLACES
            and self._named_inside(name)
        ):
            self.last_unknown = (pos, name)

    def _named_inside(self, word: str) -> bool:
        """Is ``word`` capitalised somewhere inside a sentence ("… said Obama"), so a name, not a
        word capitalised only because it opens one ("Perhaps", "Hundreds", "People")?"""
        if word not in self._inside:
            text = self.article
            self._inside[word] = not text or any(inside_sentence(text, i) for i in _occurrences(text, word))
        return self._inside[word]

    def named_later(self, affiliation: str) -> Entity | None:
        """The one person the whole article describes by the unnamed source's description
        (``affiliation`` "(unnamed) China’s ambassador"; later "China’s ambassador to Britain Liu
        Xiaming"). Why: a lead often gives the role first and the name a paragraph later. Only a
        role a named owner holds can be one person ("a Democratic strategist" may be anyone, "the
        campaign's" statement is the campaign's); a description two people share decides nothing."""
        owned = _OWNED_ROLE.fullmatch(affiliation.removeprefix("(unnamed) "))
        if owned is None or not role_headed(owned.group(2)):
            return None
        described = speaker_key(owned.group(0)).split()
        if described[:1] == ["the"]:
            described = described[1:]
        found = [
            e
            for e in self.entities
            if e.kind == "person" and speaker_key(e.affiliation).split()[: len(described)] == described
        ]
        return found[0] if len(found) == 1 else None

    def full_name(self, short: str) -> Entity | None:
        """Find the person or organisation a surname, first name or honorific form refers to."""
        words = [w for w in words_of(short) if has_alnum(w)]
        while len(words) > 1 and (is_title(words[0]) or words[0].lower() in COMMON_CAPS):
            words = words[1:]
        if not words:
            return None
        target = speaker_key(" ".join(words))
        if target in self.by_key:
            return self.by_key[target]
        if len(words) == 1 and len(words[0]) >= 3 and words[0].isupper() and is_acronym(words[0]):
            found = self._expanded_acronym(words[0])
            if found is not None:
                return found
        tw = target.split()
        if not tw:
            return None
        for index, edge in ((self.by_last, -1), (self.by_first, 0)):
            for entity in reversed(index.get(tw[edge], ())):
                ew = speaker_key(entity.name).split()
                while len(ew) > 2 and ew[-1] in SUFFIXES:
                    ew = ew[:-1]
                if len(tw) < len(ew) and (ew[-len(tw) :] == tw if edge else ew[: len(tw)] == tw):
                    return entity
        return None

    def resolve_pronoun(
        self, pronoun: str, floor: int = -1, before: int = -1, since: int = -1
    ) -> tuple[str, str] | None:
        """(name, kind): the most recent person for he/she, group or organisation for they/it."""
        found = self._pronoun(pronoun, floor, before, since)
        return found[:2] if found else None

    def _pronoun(
        self, pronoun: str, floor: int = -1, before: int = -1, since: int = -1
    ) -> tuple[str, str, Step] | None:
        """(name, kind, step) for a pronoun (see ``resolve_pronoun``; he/she: :meth:`_person_pronoun`)."""
        pronoun = pronoun.lower()
        if pronoun in PERSON_PRONOUNS:
            return self._person_pronoun(pronoun, floor, before, since)
        if pronoun in PLURAL_PRONOUNS:
            return (self.last_group[1], "group", Step.PRONOUN) if self.last_group[1] else None
        if pronoun == "it":
            name = self._org_for_it(before)
            return (name, "org", Step.PRONOUN) if name else None
        return None

    def _person_pronoun(
        self, pronoun: str, floor: int, before: int, since: int
    ) -> tuple[str, str, Step] | None:
        """(name, "person", step) for he/she.

        ``floor`` is the offset before which a speaker counts as stale; then a more recent plain
        mention of a person in the narration wins. A person introduced in the same sentence
        (offsets from ``since``) before the pronoun wins over older speakers. The speaker in
        focus keeps "she" though her given name tells nothing ("Walz approaches it … She said"),
        unless a woman is named in the same sentence (step ``pronoun-speaker``).
        """
        introduced = self._introduced_in_sentence(pronoun, before, since)
        if introduced:
            return introduced, "person", Step.PRONOUN
        pos, name, noted = self._person_by_recency(floor, before)
        handle = self._handle_since(pos, before)
        if handle:  # "ScreamMyName has been pushing for it. “…,” he told me."
            return handle, "person", Step.PRONOUN
        want = wanted_gender(pronoun)
        if noted and want == "f" and not self.gender(name):
            woman = self._woman_in_sentence(self._woman_window(name, pos, since, before), before)
            return woman or name, "person", Step.PRONOUN_SPEAKER
        if name:
            name = self._gender_match(name, want, before)
        return (name, "person", Step.PRONOUN) if name else None

    def _introduced_in_sentence(self, pronoun: str, before: int, since: int) -> str:
        """The person introduced in the pronoun's sentence (offsets ``since`` <= o < ``before``)
        after the speaker in focus was noted, else the one opening the sentence before
        (:meth:`_opening_introduction`), else "". Why first: a newcomer named just before "he" is
        whom it stands for, not an older speaker."""
        if since < 0:
            return ""
        pos = self.last_person[0]
        intros = self.introductions
        low = bisect_left(intros, (since, ""))
        high = bisect_left(intros, (before, "")) if before >= 0 else len(intros)
        if high > low and intros[high - 1][0] > pos:
            return intros[high - 1][1]
        return self._opening_introduction(since, pos, wanted_gender(pronoun))

    def _person_by_recency(self, floor: int, before: int) -> tuple[int, str, bool]:
        """(offset, name, noted): the speaker in focus (noted), unless missing or older than
        ``floor`` while the narration named a person since; a lone capitalised subject that may
        be a person (:meth:`note_maybe_person`) noted later still wins. Why: a stale speaker
        should not keep "he" from the person the narration has moved on to."""
        pos, name = self.last_person
        noted = bool(name)
        mention = self.latest_mention(before)
        if (not name or pos < floor) and mention[0] > pos:
            (pos, name), noted = mention, False
        if self.last_unknown[0] > pos:
            (pos, name), noted = self.last_unknown, False
        return pos, name, noted

    def body_in_focus(self, before: int) -> str:
        """An unnamed body written in the singular ("the US military", "the government") that
        spoke last, in this paragraph or the one before and after any organisation: "the
        statement said" is its statement. Why: such a body is noted as a group, and a document
        noun otherwise reached only organisations, so it went to a firm named earlier or nobody.
        ("It said" is left to organisations: measured, taking such a body broke a row.)"""
        pos, name = self.last_group
        if not name or pos <= self.last_org[0] or (before >= 0 and pos < self._previous_paragraph(before)):
            return ""
        entity = self.by_key.get("group:" + speaker_key(name))
        head = entity.head if entity is not None else ""
        singular = bool(head) and not head.endswith("s") and head not in _IRREGULAR_PLURALS
        return name if singular else ""

    def _org_for_it(self, before: int) -> str:
        """The organisation "it said" refers to: the last one that spoke, or else, when none spoke
        in this paragraph or the one before, the last one the narration named there ("Northfield
        Bank grounded the jets. It said …": a firm named only as the subject of a verb that is no
        cue is still what "it" stands for). A speaker nearby wins because the narration names it
        under other spellings ("the NIWSS" after its full name)."""
        pos, name = self.last_org
        floor = self._previous_paragraph(before) if before >= 0 else -1
        if pos >= floor:
            return name
        latest = (-1, "")
        for org, offsets in self.org_offsets.items():
            last = last_before(offsets, before)
            if last >= floor and last > latest[0]:
                latest = (last, org)
        return latest[1] or name

    def _woman_window(self, name: str, pos: int, since: int, before: int) -> int:
        """Where a woman named before "she" can take it from the speaker in focus ``name``: from
        the sentence before when ``name`` (noted at ``pos``) was last named earlier still, else
        from this sentence's start ``since``."""
        earlier = self._sentence_before(since)
        named = max(pos, self.mentioned_last(name, before))
        return earlier if named < earlier else since

    def _opening_introduction(self, since: int, pos: int, want: str, any_name: bool = False) -> str:
        """A person first named at the very start of the sentence before (its subject, after an
        opener such as "But"), later than the speaker in focus at ``pos``: "David Kim holds little
        hope. He says …" is about Kim, not the mayor quoted a paragraph ago. ``any_name``: a
        full name without a known given name counts too (a description, unlike "he", is not
        read off a capitalised opener)."""
        start = self._sentence_before(since)
        k = bisect_left(self.introductions, (start, ""))
        if k == len(self.introductions) or not start > pos:
            return ""
        at, name = self.introductions[k]
        lead = self.article[start:at].split()
        if at >= since:
            return ""
        if not self._role_lead(lead, name):
            if not subject_lead(lead):
                return ""
            if name.split()[0].lower() not in GIVEN_NAMES and not (any_name and " " in name):
                return ""  # "Outside Carrier's plant …": a capitalised opener is no name
        return name if self.gender(name) in {"", want} else ""

    def _role_lead(self, lead: list[str], name: str) -> bool:
        """Are the words before ``name`` in its sentence, after an opener ending with a comma, the
        very role the article gives that person there ("On Monday night, Clinton campaign manager
        Robby Mook released a memo")? Then the name is the sentence's subject and a person, though
        the given name is not one we know; a lead that is anything else ("Voters praised campaign
        manager …") is no role, because the description kept for the person is only its tail."""
        for k in range(len(lead) - 1, -1, -1):
            if lead[k].endswith(","):
                lead = lead[k + 1 :]
                break
        entity = self.by_key.get(speaker_key(name)) if lead else None
        return entity is not None and [w.lower() for w in lead] == entity.affiliation.lower().split()

    def _sentence_before(self, since: int) -> int:
        """Start of the sentence before the one starting at ``since``: "she" reaches a woman named
        there when the speaker in focus was last named earlier still ("“Thanks,” Renner wrote. |
        His deputy, Wendy Stroud, was on the ferry. “…,” she wrote"); -1 stays -1. A sentence that
        opens a paragraph has the last sentence of the paragraph before ("… Mook released a memo.
        | In it, he says …"), not the blank line between them."""
        if since <= 0:
            return since
        text_end = since
        while text_end > 0 and self.article[text_end - 1].isspace():
            text_end -= 1
        end = self.article.rfind(". ", 0, text_end - 1)
        para = self.article.rfind("\n", 0, text_end)
        return max(end + 2, para + 1)

    def _woman_in_sentence(self, since: int, before: int) -> str:
        """The last person known to be a woman named at offsets ``since`` <= o < ``before``."""
        for pos, person in _backwards(self.mentions, before) if since >= 0 else ():
            if pos < since:
                break
            if self.gender(person) == "f":
                return person
        return ""

    def gender(self, name: str) -> str:
        entity = self.by_key.get(speaker_key(name))
        return person_gender(name, f"{entity.title} {entity.affiliation}" if entity else "")

    def _gender_match(self, name: str, want: str, before: int) -> str:
        """Keep ``name`` for he/she unless its gender is known to be the other one, or "she" has a
        recent person known to be a woman while ``name`` is unknown ("Braun … she described")."""
        have = self.gender(name)
        if have == want:
            return name
        if want == "f" and not have:
            return next((p for p in islice(self._recent_people(before), 3) if self.gender(p) == "f"), name)
        if have:
            return next((p for p in self._recent_people(before) if self.gender(p) in {want, ""}), name)
        return name

    def _recent_people_mentioned(self, before: int) -> Iterator[str]:
        """People named in the narration before ``before``, most recent first, once each."""
        seen: set[str] = set()
        for _pos, person in _backwards(self.mentions, before):
            if person not in seen:
                seen.add(person)
                yield person

    def _recent_people(self, before: int) -> Iterator[str]:
        """People noted or mentioned before offset ``before`` (-1: anywhere), most recent first, once
        each; lazy, so a long article costs only the steps taken back from ``before``."""
        streams = [_backwards(seq, before) for seq in (self.person_notes, self.mentions)]
        seen: set[str] = set()
        for _pos, person in heapq.merge(*streams, reverse=True):
            if person not in seen:
                seen.add(person)
                yield person

    def _forget_person(self, entity: Entity) -> None:
        """A capitalised pair taken for a person turned out to be an organisation ("Big Machine")."""
        entity.kind = "org"
        insort(self._org_keys, speaker_key(entity.name))
        for index in (self.by_last, self.by_first):
            for key, found in list(index.items()):
                index[key] = [e for e in found if e is not entity]
        self.mentions = [m for m in self.mentions if m[1] != entity.name]
        self.mention_offsets.pop(entity.name, None)
        self.introductions = [m for m in self.introductions if m[1] != entity.name]
        self.person_notes = [m for m in self.person_notes if m[1] != entity.name]


def wanted_gender(pronoun: str) -> str:
    """The gender a person pronoun asks for: "f" for "she"/"her" (any case), else "m"."""
    return "f" if pronoun.lower() in {"she", "her"} else "m"


def subject_lead(lead: list[str]) -> bool:
    """Do the words ``lead`` before a name in its sentence leave the name the sentence's subject:
    none, or one opener such as "But"? Why: "But Kim said …" is about Kim, while "Voters praised
    Kim" or "Outside Kim's plant" is not."""
    return not lead or (len(lead) == 1 and lead[0].lower() in LEADING_CONJUNCTIONS)


def _named_thing(text: str, start: int, titles: list[str], name: list[str]) -> bool:
    """A capitalised run right after an article, with no rank and no known given name ("the
    Vietnam War", "the Middle East", "a Go-Kart Track"): English puts no article before a
    person's bare name, so the run is no one "he" or "she" can stand for ("the actor Tom Hale"
    puts a role word between). So is a run ending in a document noun ("World Drug Report")."""
    if titles or name[0].lower() in GIVEN_NAMES:
        return False
    if len(name) > 2 and name[-1].lower() in DOCUMENT_NOUNS:
        return True
    before = text[max(0, start - 5) : start].split()
    return bool(before) and before[-1].lower() in ARTICLES  # "the Vietnam War": a thing, not a person


@lru_cache(maxsize=8192)
def _run_person(
    run: tuple[str, ...],
) -> tuple[bool, str, tuple[str, ...], tuple[str, ...], str] | None:
    """(possessive, last word without its "’s", titles, name, the name joined) when a capitalised
    run may name a person, by the tests of :meth:`SpeakerMemory._person_run` that read only the
    run, else None. Cached: a corpus repeats its runs ("Donald Trump", "Prime Minister X") far more
    often than it names a new person, and these tests were most of the cost of reading a run."""
    last = run[-1] if run else ""
    possessive = bool(run) and bool(POSSESSIVE_RE.search(last)) and last[-2:] in {"’s", "'s"}
    if possessive:
        last = POSSESSIVE_RE.sub("", last)
        run = (*run[:-1], last)
    titles, name = strip_leading_titles([w for w in run if w != "."])
    if any(w.lower().rstrip(".") in WEEKDAYS_MONTHS for w in name):
        return None
    candidate = join_words(name)
    if (
        looks_like_person(candidate)
        and not _place_led(name)
        and name[-1].lower() not in ORG_TAILS
        and candidate.lower() not in PLACE_NAMES
    ):
        return possessive, last, tuple(titles), tuple(name), candidate
    return None


def _place_led(name: list[str]) -> bool:
    """A two-word run opened by a place that is no given name ("Minnesota Democratic caucus",
    "Texas Republicans"): a place used as a modifier, not a person's given name."""
    return len(name) == 2 and name[0].lower() in PLACES and name[0].lower() not in GIVEN_NAMES


def _opener(word: str) -> bool:
    """A capitalised word that can stand before a name without being part of it: a title ("Sen.
    Quill") or a word that opens sentences and is never a name ("But Quill is not interested"), so
    the surname after it is still a mention for pronouns."""
    return is_title(word) or word.lower() in COMMON_CAPS


def _occurrences(text: str, word: str) -> Iterator[int]:
    """Offsets where ``word`` stands as a whole word (``str.find``: a regex per word would be compiled
    for every new word of every article)."""
    at = text.find(word)
    while at >= 0:
        before = text[at - 1] if at else " "
        end = at + len(word)
        after = text[end] if end < len(text) else " "
        if not (before.isalnum() or before in "_’'-") and not (after.isalnum() or after == "_"):
            yield at
        at = text.find(word, at + 1)


def _openers(words: tuple[str, ...]) -> int:
    """How many words opening a capitalised run are openers ("The", "But"), its last word kept:
    where the name of the run starts."""
    skip = 0
    while skip < len(words) - 1 and words[skip].lower() in _RUN_OPENERS:
        skip += 1
    return skip


@lru_cache(maxsize=8192)
def _run_phrase(run: str) -> tuple[tuple[str, ...], int, str]:
    """(words, openers skipped, phrase) of a capitalised run, without its possessive. Cached: once
    an article has an organisation known by its "its", every run of its narration is read so."""
    words = tuple(run.split())
    skip = _openers(words)
    return words, skip, POSSESSIVE_RE.sub("", " ".join(words[skip:])).rstrip(".,")


@lru_cache(maxsize=8192)
def _org_run(run: str) -> tuple[tuple[str, ...], int, str] | None:
    """(words, openers skipped, phrase) when a capitalised run of the narration may name an
    organisation, else None. Cached: it reads only the run, and a corpus repeats its capitalised
    runs ("The", "But", "Trump") far more often than it names a new organisation."""
    words = tuple(run.split())
    skip = _openers(words)
    phrase = " ".join(words[skip:]).rstrip(".,")
    if phrase.endswith(("’s", "'s")):
        phrase = phrase[:-2]
    if not phrase or phrase.lower() in PLACE_NAMES or phrase.lower() in COMMON_CAPS:
        return None
    if not ORG_HINT_RE.search(phrase) and not any(is_org_word(w) for w in phrase.split()):
        return None  # cheap test first: no organisation word, acronym, "&", digit or inner capital
    if analyse_np(phrase).kind != "org":
        return None
    return words, skip, phrase


def _owned_org(found: tuple[tuple[str, ...], int, str]) -> tuple[tuple[str, ...], int, str] | None:
    """The organisation after "<common noun> of" at the start of a sentence ("Shares of Zorblat
    Inc. fell": Zorblat Inc.), else None. Why: only the sentence start capitalises "Shares", and
    the run would otherwise become a firm of its own that "the company" later refers to; a first
    word that names a kind of organisation or a title ("Bank of America", "University of X",
    "Secretary of State") belongs to the name."""
    words, skip, _ = found
    first = words[skip]
    if len(words) < skip + 3 or words[skip + 1] != "of" or is_org_word(first) or is_title(first):
        return None
    rest = _org_run(" ".join(words[skip + 2 :]))
    return (words, skip + 2 + rest[1], rest[2]) if rest is not None else None


@lru_cache(maxsize=8192)
def _initials(name: str) -> str:
    """The initials of the capitalised words of a name of several words ("" for one word): every
    acronym of an article is compared with every organisation met before it."""
    words = name.split()
    return "".join(w[0] for w in words if w[:1].isupper()) if len(words) > 1 else ""


#: A role owned by a named body or person ("China’s ambassador", "NATO's secretary general").
_OWNED_ROLE = re.compile(r"(?:the\s+)?([A-Z][\w.&\- ]*?)[’']s\s+([a-z][\w\- ]*)")


def compound_initials(letters: str, name: str) -> bool:
    """Are the two capitals ``letters`` the initials of the two parts of the one-word name
    ``name`` ("VW" for "Volkswagen", "FB" for "Facebook")? The second letter must open a part of
    at least four letters after a first part of at least four, so "AP" is not "Apple". Why: a
    compound brand is clipped to its initials like a name of several words, and the acronym then
    speaks for it; a longer acronym ("WHO") stands for several words, never for one."""
    if len(letters) != 2 or " " in name or name[:1] != letters[0]:
        return False
    second = letters[1].lower()
    return any(name[k].lower() == second for k in range(4, len(name) - 3))


def compound_in_text(letters: str, text: str) -> str:
    """The most frequent capitalised word of ``text``, standing alone (not in a longer name such
    as "Washington Post"), whose parts ``letters`` are the initials of (:func:`compound_initials`),
    or "". Why: a one-word brand ("Volkswagen") has no organisation word, so the narration's
    organisations do not hold it, yet the article writes it in full."""
    if len(letters) != 2 or letters.lower() in PLACES:  # "US" is a country, not "University"
        return ""
    spelled = set(re.findall(rf"\b{letters[0]}[a-z]{{7,}}\b", text))
    if not any(_compound_word(letters, word) for word in spelled):
        return ""  # cheap test first: the search below tries a word before every character
    found = [
        m.group(2)
        for m in re.finditer(rf"(\S*\s*)\b({letters[0]}[a-z]{{7,}})\b(?![\s-]+(?:(?:of|for)\s+)?[A-Z])", text)
        if not m.group(1)[:1].isupper() or m.group(1).rstrip()[-1:] in ".!?:"  # not "American University"
    ]
    fits = [word for word in found if _compound_word(letters, word)]
    return max(fits, key=fits.count, default="")


def _compound_word(letters: str, word: str) -> bool:
    """Can ``word`` be the one-word name that ``letters`` clip (:func:`compound_in_text`)?"""
    return compound_initials(letters, word) and word.lower() not in GIVEN_NAMES


def count_before(offsets: list[int], before: int) -> int:
    """How many of the sorted ``offsets`` lie below ``before`` (-1: all of them)."""
    return len(offsets) if before < 0 else bisect_left(offsets, before)


def last_before(offsets: list[int], before: int) -> int:
    """The last of the sorted ``offsets`` below ``before`` (-1: the last of all), -1 if none: when a
    person or organisation was last named before a cue, for recency."""
    k = count_before(offsets, before)
    return offsets[k - 1] if k else -1


def _backwards(seq: list[tuple[int, str]], before: int) -> Iterator[tuple[int, str]]:
    """Items of the sorted ``seq`` at offsets below ``before`` (-1: all), last first."""
    end = len(seq) if before < 0 else bisect_left(seq, (before, ""))
    for k in range(end - 1, -1, -1):
        yield seq[k]


def _stem(word: str) -> str:
    return word[:-1] if word.endswith("s") and len(word) > 3 else word
