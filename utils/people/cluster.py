"""One id per person across a coverage: which name forms are one person, and which only look alike.

Precision comes first: two forms are joined only when nothing else in the coverage could be
meant. The rules, in order:

* a bare surname ("Clinton") is resolved inside its own article only: to the one full name
  with that surname the article gives (among its speakers, or anywhere in its text when the
  text is given); otherwise it keeps an id of its own in that article. It is never joined
  across articles on the surname alone;
* full names are compared within one surname and generational suffix ("Donald Trump Jr." is
  not "Donald Trump"); given names are compared after familiar forms ("Bill" = "William") and
  a given name that is the start of exactly one other ("Josh", "Joshua");
* middle names and initials must agree where both forms have them ("George W. Bush" is not
  "George H. W. Bush"; "Hillary R. Clinton" is "Hillary Rodham Clinton"); a form without them
  joins the one form that has them, and stays apart when there are several ("George Bush");
* an initial for a given name ("H. Clinton") joins the one person it fits, else stays apart;
* organisations are one id per name ("the Clinton campaign" = "Clinton's campaign"), and an
  acronym joins the one long name whose initials it spells ("FBI");
* descriptions that name nobody ("officials", "a source") get no id.

Ids are made from the name, not from counts or order, so they stay the same when articles are
added and can be referred to by people's corrections (:mod:`utils.people.overrides`): persons
``p-<given>-<surname>`` (with the middle names only where needed to tell people apart), a
bare surname kept to its article ``p-<surname>-<article hash>``, organisations ``o-<name>``.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from utils.extract.lexicon import tagged, words
from utils.extract.names import COMMON_CAPS, FIRST_NAMES, TITLE_WORDS
from utils.people.names import (
    NOBODY,
    ORGANISATION,
    PERSON,
    PersonName,
    analyse_speaker,
    fold,
    initials,
    names_many,
    organisation_key,
    parse_person,
    speaker_kind,
)

_FUNCTION_WORDS = words("subordinators") | tagged("determiners", "article", "demonstrative")
_ARTICLES = tagged("determiners", "article")

_NAME_RUN = re.compile(
    r"\b[A-Z][\w'’\-]*\.?(?:\s+(?:[A-Z][\w'’\-]*\.?|van|von|de|der|del|la|le|bin|al|da|di)){1,3}"
)


@dataclass(frozen=True)
class Identity:
    """Who a speaker is: an id (empty for nobody), the canonical name, and person or organisation."""

    person_id: str
    person: str
    kind: str


@dataclass(frozen=True)
class Described:
    """What one written speaker is, worked out once (in a corpus run, by the worker that read the
    article): person, organisation or nobody, the name's parts, and the form to show."""

    kind: str
    name: PersonName | None
    display: str


@lru_cache(maxsize=1 << 18)
def describe(speaker: str) -> Described:
    """The kind, name parts and shown form of a speaker as written."""
    kind, core = analyse_speaker(speaker)
    name = parse_person(core) if kind == PERSON else None
    if kind == PERSON and name is None:
        kind, core = NOBODY, ""
    return Described(kind, name, core)


@dataclass
class _Cluster:
    """Name forms taken for one person while clustering."""

    first: str
    middles: tuple[str, ...]
    surname: str
    suffix: str
    forms: Counter[str] = field(default_factory=Counter)


def resolve_in_article(
    speakers: Iterable[str], text: str = "", roles: Mapping[str, Iterable[str]] | None = None
) -> dict[str, str]:
    """Each speaker of one article as the name to cluster.

    A bare surname becomes the article's one full name with that surname (from its speakers
    first, then from its text); a one-word name the article writes with "the" before it is an
    organisation ("the Pentagon"); a description that is the role the article gives exactly one
    of its named speakers ("the former president", with ``roles``: each speaker's affiliations)
    is that person. Anything else stays as written.
    """
    speakers = list(dict.fromkeys(speakers))
    full = [s for s in speakers if _person(s) and not _person(s).bare]
    resolved = {}
    for speaker in speakers:
        name = _person(speaker)
        if name is None:
            resolved[speaker] = _described_person(speaker, full, roles or {}) or speaker
        elif name.bare:
            match = _one_full_name(name, full) or (
                _one_full_name(name, names_in_text(text)) if text else None
            )
            resolved[speaker] = match or _organisation_in(speaker, text) or speaker
        else:
            resolved[speaker] = speaker
    return resolved


def _described_person(speaker: str, full: list[str], roles: Mapping[str, Iterable[str]]) -> str | None:
    """The one named speaker of the article whose role is the description ``speaker``."""
    wanted = _role_key(speaker)
    if speaker_kind(speaker) != NOBODY or not wanted or names_many(speaker):
        return None
    fits = {
        (p.first, p.surname, p.suffix): s
        for s in full
        if (p := _person(s)) and any(_role_fits(wanted, _role_key(r)) for r in roles.get(s, ()))
    }
    return next(iter(fits.values())) if len(fits) == 1 else None


def _role_key(text: str) -> str:
    words = fold(text).split()
    while words and words[0] in _ARTICLES:
        words = words[1:]
    return " ".join(words)


def _role_fits(description: str, role: str) -> bool:
    """ "former president" fits "former president" and "the former president of the United States"."""
    return bool(role) and (role == description or role.startswith(description + " "))


def _organisation_in(speaker: str, text: str) -> str | None:
    """ "the Pentagon" when the article writes a bare one-word speaker with "the" before it."""
    word = speaker.strip()
    if " " in word or not text or not re.search(rf"\b[Tt]he {re.escape(word)}\b", text):
        return None
    return f"the {word}"


def names_in_text(text: str) -> list[str]:
    """Runs of two to four capitalised words in the article's body (its title line, often in title
    case, is left out) that read as a person's full name: titles and sentence openers before it
    dropped, its first word a known given name or a word the article never writes in lower case
    ("Hillary" yes, "Following" no)."""
    body = text.split("\n", 1)[1] if "\n" in text else text
    lower = set(re.findall(r"\b[a-z][a-z'’\-]+\b", body))
    found = []
    for match in dict.fromkeys(m.group(0) for m in _NAME_RUN.finditer(body)):
        words = match.split()
        while words and not _could_open_name(words[0]):
            words = words[1:]
        name = _person(" ".join(words)) if len(words) > 1 else None
        if name and not name.bare and (name.given in FIRST_NAMES or words[0].lower() not in lower):
            found.append(" ".join(words))
    return found


def _could_open_name(word: str) -> bool:
    """A title, or a capitalised word that opens sentences ("In", "But"), is not the start of a name."""
    low = word.lower().rstrip(".")
    return low not in COMMON_CAPS and low not in TITLE_WORDS and low not in _FUNCTION_WORDS


def _one_full_name(bare: PersonName, candidates: Iterable[str]) -> str | None:
    """The one candidate full name with ``bare``'s surname (forms of one person count once)."""
    fitting = [c for c in candidates if (p := _person(c)) and p.surname == bare.surname and not p.bare]
    if not fitting:
        return None
    people = {(p.first, p.suffix) for p in map(_person, fitting) if p}
    if len(people) != 1:
        return None
    return max(fitting, key=lambda c: (len(_person(c).middles), len(c)))


@lru_cache(maxsize=1 << 18)
def _person(speaker: str) -> PersonName | None:
    kind, core = analyse_speaker(speaker)
    return parse_person(core) if kind == PERSON else None


def assign(
    mentions: Iterable[tuple[str, str]], described: dict[str, Described] | None = None
) -> dict[tuple[str, str], Identity]:
    """Identity of every (article_id, speaker) pair, speakers already resolved in their article.

    ``described`` gives :func:`describe` for speakers already analysed elsewhere (the corpus
    run's workers), so this step, the one that sees the whole coverage, only clusters.
    """
    mentions = list(dict.fromkeys(mentions))
    known = described or {}
    look = {speaker: known.get(speaker) or describe(speaker) for _article, speaker in mentions}
    identities: dict[tuple[str, str], Identity] = {}
    identities.update(_assign_persons([m for m in mentions if look[m[1]].kind == PERSON], look))
    identities.update(_assign_organisations([m for m in mentions if look[m[1]].kind == ORGANISATION], look))
    for mention in mentions:
        identities.setdefault(mention, Identity("", "", NOBODY))
    return identities


def _assign_persons(
    mentions: list[tuple[str, str]], look: dict[str, Described]
) -> dict[tuple[str, str], Identity]:
    """Bare surnames get their article's own id; full names are clustered once per written form."""
    out: dict[tuple[str, str], Identity] = {}
    forms: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for article, speaker in mentions:
        name = look[speaker].name
        if name.bare:
            out[(article, speaker)] = Identity(
                f"p-{_slug(name.surname)}-{_tag(article)}", look[speaker].display, PERSON
            )
        else:
            forms[(name.surname, name.suffix)][speaker] += 1
    by_form: dict[str, Identity] = {}
    for counts in forms.values():
        by_form.update(_cluster_surname(counts, look))
    for mention in mentions:
        out.setdefault(mention, by_form.get(mention[1]))
    return out


@lru_cache(maxsize=1 << 16)
def _tag(article_id: str) -> str:
    """Six hex digits of the article id: a bare surname's id is kept to its article."""
    return hashlib.sha256(article_id.encode("utf-8", "surrogatepass")).hexdigest()[:6]


def _cluster_surname(counts: Counter[str], look: dict[str, Described]) -> dict[str, Identity]:
    """Cluster the written forms of full names that share a surname and suffix (see the module
    docstring); ``counts`` is how many articles wrote each form."""
    names = {form: look[form].name for form in counts}
    firsts = _given_names(list(names.values()))
    clusters: dict[tuple[str, tuple[str, ...]], _Cluster] = {}
    placed: dict[str, tuple[str, tuple[str, ...]]] = {}
    # Most specific forms first: full given names with middles, then without, then initials.
    for form in sorted(counts, key=lambda f: (names[f].initial_only, not names[f].middles, f)):
        name = names[form]
        key = _place(firsts.get(name.first, name.first), name, clusters)
        cluster = clusters.setdefault(key, _Cluster(key[0], key[1], name.surname, name.suffix))
        cluster.forms[look[form].display] += counts[form]
        placed[form] = key
    ids = _cluster_ids(clusters)
    shown = {look[form].display: look[form].name for form in counts}
    identities = {
        key: Identity(ids[key], _canonical(cluster, shown), PERSON) for key, cluster in clusters.items()
    }
    return {form: identities[key] for form, key in placed.items()}


def _given_names(names: list[PersonName]) -> dict[str, str]:
    """What each given name of one surname stands for: a familiar form with several long forms
    ("al") the one of them present, and a name that begins exactly one longer name ("josh",
    "joshua") that name."""
    firsts = {n.first for n in names if not n.initial_only}
    mapping = {}
    for name in names:
        present = [c for c in name.first_choices if c in firsts]
        if len(name.first_choices) > 1 and len(present) == 1:
            mapping[name.first] = present[0]
    for short in firsts:
        longer = [f for f in firsts if f != short and len(short) >= 3 and f.startswith(short)]
        if len(longer) == 1:
            mapping.setdefault(short, longer[0])
    return mapping


def _place(first: str, name: PersonName, clusters: dict) -> tuple[str, tuple[str, ...]]:
    """The cluster key a form joins: an existing compatible cluster when exactly one fits."""
    if name.initial_only:
        fits = [k for k in clusters if k[0].startswith(first) and _middles_fit(name.middles, k[1])]
        return fits[0] if len(fits) == 1 else (first, name.middles)
    same_first = [k for k in clusters if k[0] == first]
    exact = [k for k in same_first if k[1] == name.middles]
    if exact:
        return exact[0]
    if name.middles:
        fits = [k for k in same_first if k[1] and _middles_fit(name.middles, k[1])]
        return fits[0] if len(fits) == 1 else (first, name.middles)
    with_middles = [k for k in same_first if k[1]]
    return with_middles[0] if len(with_middles) == 1 else (first, ())


def _middles_fit(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Middle names agree: same number, each the same or one the initial of the other; none is no conflict."""
    if not a or not b:
        return True
    return len(a) == len(b) and all(x == y or x == y[0] or y == x[0] for x, y in zip(a, b, strict=True))


def _cluster_ids(clusters: dict[tuple[str, tuple[str, ...]], _Cluster]) -> dict:
    """``p-given-surname``; middles added where two clusters share given name and surname."""
    by_first = Counter(key[0] for key in clusters)
    ids = {}
    for key, c in clusters.items():
        parts = [c.first, *(c.middles if by_first[key[0]] > 1 else ()), c.surname, c.suffix]
        ids[key] = "p-" + _slug(" ".join(p for p in parts if p))
    return ids


def _canonical(cluster: _Cluster, names: dict[str, PersonName | None]) -> str:
    """The name most statements use among the forms with a full given name (ties: the longest)."""
    full = {f: n for f, n in cluster.forms.items() if not (names.get(f) and names[f].initial_only)}
    pool = full or cluster.forms
    return max(pool, key=lambda f: (pool[f], len(f), f))


def _assign_organisations(
    mentions: list[tuple[str, str]], look: dict[str, Described]
) -> dict[tuple[str, str], Identity]:
    keys = {m: organisation_key(m[1]) for m in mentions}
    long_names = defaultdict(set)
    for key in set(keys.values()):
        if len(key.split()) > 1:
            long_names[initials(key)].add(key)
    merged = {k: next(iter(long_names[k])) if len(long_names.get(k, ())) == 1 else k for k in keys.values()}
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    for mention, key in keys.items():
        forms[merged[key]][look[mention[1]].display] += 1
    return {
        m: Identity(
            "o-" + _slug(merged[k]),
            max(forms[merged[k]], key=lambda f: (forms[merged[k]][f], len(f))),
            ORGANISATION,
        )
        for m, k in keys.items()
    }


def _slug(text: str) -> str:
    """Lower-case ascii words joined by '-'; a hash is added when folding dropped punctuation, so
    that two different names never share an id ("O'Neill" and "O Neill")."""
    folded = fold(text)
    slug = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    if slug and re.fullmatch(r"[a-z0-9\-]+(?: [a-z0-9\-]+)*", folded):
        return slug
    return f"{slug or 'x'}-{hashlib.sha256(folded.encode('utf-8', 'surrogatepass')).hexdigest()[:6]}"
