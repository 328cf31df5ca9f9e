"""Re-quotes: one utterance (one speaker, one occasion) reported in several articles.

The same words travel between outlets, often cut at another point, reworded, or given to
another speaker. :func:`find_requotes` groups the quotes of a statements table that report one
utterance and says, for every occurrence, how it differs from the group's reference wording.

How two quotes are judged (words compared after folding case, punctuation, quotation marks,
apostrophes and a possessive 's):

* **Candidates** come from an inverted index of word 4-grams over the distinct quote texts
  (numpy arrays, so a million statements fit in memory): every link below needs a common run
  of ``min_run`` (4) words, so two quotes that share no 4-gram cannot link. A 4-gram found in
  more than ``max_postings`` distinct texts is a common phrase and proposes nothing; pairs
  whose common 4-grams are fewer than a fifth of the shorter quote's (and short of a long run)
  are too far apart to be close and are never compared word by word.
* **Text evidence** (:func:`compare`): the common runs of at least two words (difflib), as the
  share of the shorter quote they cover (``cover``), the longest run (``run``) and the words
  they hold (``shared``).
* **The link rule** (:func:`links`). Enough words alone: a run of ``long_run`` words; a
  near-verbatim quote (``cover`` >= ``near_verbatim``) of ``short`` shared words or more; a
  close one (``cover`` >= ``close``) of ``close_words`` or more, each with a run of ``min_run``
  words. A weaker match (close or near-verbatim with fewer words) needs another sign: one
  person named for both within ``same_person_days``, or dates within ``near_days`` when no two
  different people are named. Time and the speaker are evidence, never a requirement: a strong
  match links whoever is named, and the differing speaker is listed in the output.
* **Identical short quotes** (fewer than ``short`` words: slogans, catch-phrases) are split
  into occasions by the same rule, so a line said by different people on different days is
  not one utterance.
* **Groups** (:func:`cluster`): links are taken strongest first, and two groups merge only
  when every pair of their texts fits (:meth:`Texts.fits`): they overlap (half of the shorter,
  or a long run), are parts of one article's split quote, or are two cuts of one longer quote
  in the group. A phrase that two different statements share, or a chain of partial overlaps,
  does not join them (complete linkage over fitting, single linkage over the links).

Measured (``benchmarks/requotes_eval.py --finder utils.requotes:find_groups``; gold made by
reading in ``tests/gold/requotes``, PolNeAR train, 98 gold pairs, 30 hard negatives): over the
direct quotes of all 840 articles P 0.968 R 0.939 (2 negatives linked), over the gold's
articles P 0.979 R 0.939 (1), against exact match P 1.000 R 0.296 and 3-gram containment
joined into connected groups P 0.197 R 0.929. Tried on the way, same scorer (all / gold pool):
connected components over these links gave the same figures here, but chain the made-up cases
of ``tests/test_requotes.py``; complete linkage without the "two cuts of one quote" fit lost
R to 0.898; without the ``close_words`` rule R 0.898; time not counted as evidence (one
person at any date instead) P 0.953 R 0.837; one person not counted as evidence P 0.989
R 0.888; neither R 0.796. Every threshold moved alone one step either way (``near_verbatim``
0.85/0.95, ``close`` 0.7/0.8, ``short`` 5/8, ``close_words`` 8/12, ``long_run`` 10/15,
``near_days`` 3/14, ``same_person_days`` 14/60, ``compatible`` 0.4/0.6, ``max_postings``
50/1000, ``min_run`` 3/5) kept P >= 0.948 (``close`` 0.7; all others >= 0.966) and R >= 0.918,
except ``short`` 8 and ``min_run`` 5 (R 0.867). Timings at 10^4..10^6 statements:
``benchmarks/requotes_bench.py``.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence, Set
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

import numpy as np
import pandas as pd

from utils.errors import TableError
from utils.extract.lexicon import words as lexicon_words
from utils.people.names import PERSON, analyse_speaker, fold, parse_person
from utils.people.registry import dataset_batches

COLUMNS = [
    "group",
    "article_id",
    "outlet",
    "date",
    "speaker",
    "person_id",
    "text",
    "start",
    "end",
    "statement",
    "variant",
    "cut",
    "omitted",
    "added",
    "changed",
    "speaker_status",
    "articles",
    "outlets",
]

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "ʼ": "'"})
_WORD = re.compile(r"\w+(?:'\w+)*")
_POSSESSIVE = re.compile(r"(?<=\w)'s\b")
_QUOTED = re.compile(r"[\"“”]([^\"“”]+)[\"“”]")
_PRONOUNS = lexicon_words("pronouns")
_HASH = np.uint64(0x9E3779B97F4A7C15)


@dataclass(frozen=True)
class Rules:
    """The thresholds of the link rule (see the module docstring); round numbers, not fitted."""

    min_words: int = 4  # shorter quotes are scare quotes of a phrase
    shingle: int = 4  # = min_run: every link needs a common run this long, so one shared n-gram
    max_postings: int = 200
    long_run: int = 12
    near_verbatim: float = 0.9
    close: float = 0.75
    min_run: int = 4
    short: int = 6
    close_words: int = 10
    near_days: int = 7
    same_person_days: int = 30
    compatible: float = 0.5


@dataclass(frozen=True)
class Match:
    """How much of two quotes' words they share in common runs of two words or more."""

    cover: float  # share of the shorter quote's words inside common runs
    run: int  # the longest common run, in words
    shared: int  # words inside common runs


def tokens(text: str) -> list[str]:
    """Lower-case words, apostrophes unified, punctuation and quotation marks dropped, and a
    possessive 's dropped (outlets write "ISIS's" and "ISIS'" for one word)."""
    return _WORD.findall(_POSSESSIVE.sub("", str(text).translate(_APOSTROPHES).lower()))


def compare(a: list[str], b: list[str]) -> Match:
    """The common runs of two word lists (difflib's matching blocks of two words or more)."""
    blocks = [m.size for m in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks() if m.size > 1]
    shared = sum(blocks)
    shorter = min(len(a), len(b))
    return Match(shared / shorter if shorter else 0.0, max(blocks, default=0), shared)


SAME, DIFFERENT, UNKNOWN = "same", "different", "unknown"


def links(match: Match, days: float | None, speakers: str, rules: Rules = Rules()) -> bool:
    """Whether two quotes report one utterance, from their words, the days between them (None
    when a date is unknown) and their speakers: ``same`` (one person named for both),
    ``different`` (two people named) or ``unknown`` (one names nobody)."""
    if match.run >= rules.long_run:
        return True
    if match.run < rules.min_run or match.cover < rules.close:
        return False
    if match.cover >= rules.near_verbatim and match.shared >= rules.short:
        return True
    if match.shared >= rules.close_words:
        return True
    if speakers == SAME:
        return days is None or days <= rules.same_person_days
    return speakers == UNKNOWN and days is not None and days <= rules.near_days


def compatible(match: Match, rules: Rules = Rules()) -> bool:
    """Whether two quotes overlap enough to sit in one group (not enough, alone, to link them):
    half of the shorter one, or a long run."""
    return match.run >= rules.long_run or match.cover >= rules.compatible


# ---------------------------------------------------------------- the quotes of a statements table


def _check(statements: pd.DataFrame) -> None:
    missing = [c for c in ("article_id", "text") if c not in statements.columns]
    if missing:
        raise TableError(
            None,
            f"the statements table has no {' or '.join(missing)} column",
            "give a corpus table (article_id, text, and speaker, date, outlet when known)",
        )


def quote_items(statements: pd.DataFrame, rules: Rules = Rules()) -> pd.DataFrame:
    """One row per quote to compare: a direct statement whole, and the quoted words inside a
    paraphrase (each run between quotation marks), with their own offsets; quotes of fewer
    than ``min_words`` words are left out. ``statement`` is the statement's index label,
    ``key`` the words compared, ``day`` the date as days since 1970 (NaN if unknown), ``person``
    who is named (``""``: nobody)."""
    _check(statements)

    def column(name: str) -> pd.Series:
        if name in statements.columns:
            return statements[name]
        return pd.Series(pd.NA if name in ("start", "end") else "", index=statements.index, dtype=object)

    texts = statements["text"].fillna("").astype(str)
    paraphrase = (column("kind").astype(str) == "paraphrase").to_numpy()
    direct = np.flatnonzero(~paraphrase)
    parts = [
        pd.DataFrame(
            {
                "position": direct,
                "text": texts.iloc[direct].to_numpy(),
                "start": column("start").iloc[direct].to_numpy(),
                "end": column("end").iloc[direct].to_numpy(),
            }
        )
    ]
    fragments = []
    for position in np.flatnonzero(paraphrase).tolist():
        start = column("start").iloc[position]
        for m in _QUOTED.finditer(texts.iloc[position]):
            at = (pd.NA, pd.NA) if pd.isna(start) else (start + m.start(1), start + m.end(1))
            fragments.append((position, m.group(1), *at))
    parts.append(pd.DataFrame(fragments, columns=["position", "text", "start", "end"]))
    items = pd.concat(parts, ignore_index=True)
    # the words compared, as one string per quote (lists of words cost too much memory)
    items["key"] = [" ".join(tokens(text)) for text in items["text"].tolist()]
    counts = np.array([key.count(" ") + 1 if key else 0 for key in items["key"].tolist()], dtype=np.int64)
    items = items[counts >= rules.min_words].reset_index(drop=True)
    position = items.pop("position").to_numpy(dtype=np.int64)
    items.insert(0, "statement", statements.index[position])
    for name in ("article_id", "outlet", "date", "speaker", "person_id"):
        items[name] = column(name).iloc[position].to_numpy()
    items["day"] = _days(items["date"])
    items["person"] = _person_keys(items)
    return items


def _days(dates: pd.Series) -> np.ndarray:
    """Days since 1970 as floats (NaN when a date is missing or unreadable); each distinct date
    is read once (a corpus has far fewer dates than statements)."""
    codes, distinct = pd.factorize(dates.astype("string"), use_na_sentinel=True)
    parsed = pd.to_datetime(pd.Series(distinct, dtype="string"), errors="coerce", utc=True, format="mixed")
    days = np.floor(
        ((parsed - pd.Timestamp("1970-01-01", tz="UTC")).dt.total_seconds() / 86400.0).to_numpy(
            dtype=float, na_value=np.nan
        )
    )
    return np.where(codes >= 0, days[np.maximum(codes, 0)] if len(days) else np.nan, np.nan)


def _person_keys(items: pd.DataFrame) -> pd.Series:
    """Who is named for each quote: the registry's person_id, else the speaker's folded name
    when the speaker names a person; "" when nobody is named (a pronoun, "officials")."""
    ids = items["person_id"].fillna("").astype(str).str.strip()
    speakers = items["speaker"].fillna("").astype(str)
    names = {s: _name_key(s) for s in speakers.unique()}
    return ids.where(ids != "", speakers.map(names))


def _name_key(speaker: str) -> str:
    if fold(speaker) in _PRONOUNS:
        return ""
    kind, core = analyse_speaker(speaker)
    person = parse_person(core) if kind == PERSON and core else None
    return f"~{fold(person.surname)}" if person else ""


# ---------------------------------------------------------------- candidate pairs of texts


def _windows(lengths: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(position of each word n-gram in the flat word array, the text it belongs to)."""
    counts = np.maximum(lengths - n + 1, 0)
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    owner = np.repeat(np.arange(len(lengths)), counts)
    first = np.repeat(np.cumsum(counts) - counts, counts)
    return np.repeat(starts, counts) + (np.arange(counts.sum()) - first), owner


def _shingle_hashes(word_ids: np.ndarray, lengths: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    positions, owner = _windows(lengths, n)
    hashes = np.zeros(len(positions), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(n):
            hashes = hashes * _HASH + word_ids[positions + k].astype(np.uint64)
    return hashes, owner


def _pairs_in_runs(members: np.ndarray, run_starts: np.ndarray, run_sizes: np.ndarray) -> np.ndarray:
    """Every pair of ``members`` inside one run (runs given by start and size), as rows (x, y)."""
    per = run_sizes * (run_sizes - 1) // 2
    total = int(per.sum())
    if not total:
        return np.empty((0, 2), dtype=np.int64)
    # for every element, how many later elements of its run it pairs with
    offset_in_run = np.arange(run_sizes.sum()) - np.repeat(np.cumsum(run_sizes) - run_sizes, run_sizes)
    flat_pos = np.repeat(run_starts, run_sizes) + offset_in_run
    later = np.repeat(run_sizes, run_sizes) - offset_in_run - 1
    left = np.repeat(flat_pos, later)
    step = np.arange(later.sum()) - np.repeat(np.cumsum(later) - later, later)
    right = left + 1 + step
    return np.stack([members[left], members[right]], axis=1)


def candidate_pairs(words: list[list[str]], rules: Rules = Rules(), batch: int = 4_000_000) -> pd.DataFrame:
    """Pairs of texts (indices into ``words``) that share enough uncommon word n-grams to be
    compared: columns ``a, b, shared`` (a < b; shared = the number of common n-grams)."""
    vocabulary: dict[str, int] = {}
    lengths = np.fromiter((len(ws) for ws in words), dtype=np.int64, count=len(words))
    ids = np.fromiter(
        (vocabulary.setdefault(w, len(vocabulary)) for ws in words for w in ws),
        dtype=np.int64,
        count=lengths.sum(),
    )
    hashes, owner = _shingle_hashes(ids, lengths, rules.shingle)
    order = np.lexsort((owner, hashes))
    hashes, owner = hashes[order], owner[order]
    fresh = np.ones(len(hashes), dtype=bool)
    fresh[1:] = (hashes[1:] != hashes[:-1]) | (owner[1:] != owner[:-1])
    hashes, owner = hashes[fresh], owner[fresh]
    boundary = np.flatnonzero(np.concatenate(([True], hashes[1:] != hashes[:-1])))
    sizes = np.diff(np.concatenate((boundary, [len(hashes)])))
    useful = (sizes > 1) & (sizes <= rules.max_postings)
    run_starts, run_sizes = boundary[useful], sizes[useful]
    keys, counts = _count_pairs(owner, run_starts, run_sizes, len(words), batch)
    a, b = keys // len(words), keys % len(words)
    pairs = pd.DataFrame({"a": a, "b": b, "shared": counts})
    windows = np.maximum(lengths - rules.shingle + 1, 1)
    fewest = np.minimum(windows[pairs["a"]], windows[pairs["b"]])
    # the rules need a run of min_run words (min_run - shingle + 1 shared n-grams) and most of
    # the shorter text: at least a fifth of its n-grams, or a long run's worth
    enough = (pairs["shared"] >= max(rules.min_run - rules.shingle + 1, 1)) & (
        (pairs["shared"] >= 0.2 * fewest) | (pairs["shared"] >= rules.long_run - rules.shingle + 1)
    )
    return pairs[enough.to_numpy()].reset_index(drop=True)


def _count_pairs(
    owner: np.ndarray, run_starts: np.ndarray, run_sizes: np.ndarray, n_texts: int, batch: int
) -> tuple[np.ndarray, np.ndarray]:
    """Unique pair keys (a * n_texts + b) over all runs and how many runs hold each, in batches
    of about ``batch`` pairs so memory stays bounded."""
    per = run_sizes * (run_sizes - 1) // 2
    total = np.cumsum(per)
    cuts = np.searchsorted(total, np.arange(batch, int(total[-1]) if len(total) else 0, batch), side="right")
    bounds = np.unique(np.concatenate(([0], cuts, [len(per)])))
    found_keys, found_counts = [], []
    for begin, end in itertools.pairwise(bounds):
        pairs = _pairs_in_runs(owner, run_starts[begin:end], run_sizes[begin:end])
        if not len(pairs):
            continue
        low, high = pairs.min(axis=1), pairs.max(axis=1)
        keys, counts = np.unique(low * n_texts + high, return_counts=True)
        found_keys.append(keys)
        found_counts.append(counts)
    if not found_keys:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    keys, counts = np.concatenate(found_keys), np.concatenate(found_counts)
    unique, inverse = np.unique(keys, return_inverse=True)
    return unique, np.bincount(inverse, weights=counts).astype(np.int64)


# ---------------------------------------------------------------- nodes, links and groups


@dataclass
class _Node:
    """Quotes with one text that count as one utterance (all of them, unless the text is short)."""

    text: int
    items: list[int]
    days: list[float]  # sorted, dated items only
    persons: frozenset[str]


def _members_by(keys: np.ndarray) -> list[tuple[int, np.ndarray]]:
    """(key, positions holding it) for every key of a non-negative integer array, keys in order."""
    if not len(keys):
        return []
    order = np.argsort(keys, kind="stable")
    cuts = np.flatnonzero(np.diff(keys[order])) + 1
    return list(zip(keys[order[np.concatenate(([0], cuts))]].tolist(), np.split(order, cuts), strict=True))


def _nodes(
    positions: np.ndarray, text_of: np.ndarray, items: pd.DataFrame, lengths: np.ndarray, rules: Rules
) -> list[_Node]:
    """Split the quotes at ``positions`` into nodes by text: a long text is one node; a short one
    (a slogan, a catch-phrase) one node per occasion (:func:`_occasions`)."""
    nodes: list[_Node] = []
    days = items["day"].to_numpy()[positions].tolist()
    persons = items["person"].to_numpy()[positions].tolist()
    for text, members in _members_by(text_of[positions]):
        members = members.tolist()
        if lengths[text] >= rules.short or len(members) == 1:
            parts = [members]
        else:
            parts = _occasions(members, days, persons, int(lengths[text]), rules)
        for part in parts:
            dated = sorted(d for m in part if (d := days[m]) == d)  # NaN != NaN: undated
            who = frozenset(persons[m] for m in part if persons[m])
            nodes.append(_Node(text, positions[part].tolist(), dated, who))
    return nodes


def _occasions(
    members: list[int], days: list[float], persons: list[str], words: int, rules: Rules
) -> list[list[int]]:
    """The quotes of one short text split into occasions by :func:`links` against each occasion's
    first quote (in date order): near in time when the speakers do not differ, or one person
    within ``same_person_days``; undated quotes join only their own person's."""
    identical = Match(1.0, words, words)
    horizon = max(rules.near_days, rules.same_person_days)
    parts: list[list[int]] = []
    named: list[set[str]] = []
    recent: list[int] = []
    for m in sorted((m for m in members if days[m] == days[m]), key=days.__getitem__):
        recent = [k for k in recent if days[m] - days[parts[k][0]] <= horizon]
        mine = {persons[m]} - {""}
        joined = next(
            (
                k
                for k in recent
                if links(identical, days[m] - days[parts[k][0]], _speakers(named[k], mine), rules)
            ),
            None,
        )
        if joined is None:
            parts.append([m])
            named.append(set(mine))
            recent.append(len(parts) - 1)
        else:
            parts[joined].append(m)
            named[joined] |= mine
    undated: dict[str, list[int]] = defaultdict(list)
    for m in members:
        if days[m] != days[m]:
            undated[persons[m] or f"#{m}"].append(m)
    return parts + list(undated.values())


def _gap(a: list[float], b: list[float]) -> float | None:
    """The fewest days between a date of ``a`` and one of ``b`` (both sorted); None if either is empty."""
    if not a or not b:
        return None
    if len(a) * len(b) <= 64:
        return min(abs(x - y) for x in a for y in b)
    x, y = np.asarray(a), np.asarray(b)
    where = np.searchsorted(y, x)
    before, after = y[np.clip(where - 1, 0, len(y) - 1)], y[np.clip(where, 0, len(y) - 1)]
    return float(np.minimum(np.abs(x - before), np.abs(x - after)).min())


@dataclass
class Texts:
    """The distinct quote texts and what was found comparing them (pairs keyed (a, b), a < b)."""

    words: list[list[str]]
    matches: dict[tuple[int, int], Match]
    articles: dict[int, set[str]]  # the articles quoting each text
    rules: Rules = Rules()

    def __post_init__(self) -> None:
        self.containers: dict[int, set[int]] = defaultdict(set)
        for (a, b), match in self.matches.items():
            if match.cover >= self.rules.close:
                if len(self.words[a]) <= len(self.words[b]):
                    self.containers[a].add(b)
                if len(self.words[b]) <= len(self.words[a]):
                    self.containers[b].add(a)

    def match(self, s: int, t: int) -> Match | None:
        return self.matches.get((min(s, t), max(s, t)))

    def fits(self, s: int, t: int, present: set[int]) -> bool:
        """Whether two texts may sit in one group with the texts ``present``: one text, parts of one
        quote in one article, texts that overlap (:func:`compatible`), or two cuts of one longer
        quote that is in the group (each mostly inside it)."""
        if s == t or self.articles[s] & self.articles[t]:
            return True
        match = self.match(s, t)
        if match is not None and compatible(match, self.rules):
            return True
        return bool(self.containers.get(s, set()) & self.containers.get(t, set()) & present)


def cluster(n: int, edges: Iterable[tuple[int, int]], texts: Texts, text_of: list[int]) -> list[int]:
    """A cluster label per node (``text_of``: each node's text): edges, strongest first, merge two
    clusters only when every pair of their texts fits (complete linkage over :meth:`Texts.fits`,
    single linkage over the edges), so loosely overlapping quotes do not chain into one group."""
    label = list(range(n))
    present = {i: {text_of[i]} for i in range(n)}
    members = {i: [i] for i in range(n)}
    for a, b in edges:
        ra, rb = label[a], label[b]
        if ra == rb:
            continue
        both = present[ra] | present[rb]
        if not all(texts.fits(s, t, both) for s in present[ra] for t in present[rb]):
            continue
        if len(members[ra]) < len(members[rb]):
            ra, rb = rb, ra
        for m in members.pop(rb):
            label[m] = ra
            members[ra].append(m)
        present[ra] = both
        del present[rb]
    return label


def _speakers(a: Set[str], b: Set[str]) -> str:
    return SAME if a & b else DIFFERENT if a and b else UNKNOWN


def _link_nodes(
    nodes: list[_Node], matches: dict[tuple[int, int], Match], rules: Rules
) -> list[tuple[int, int]]:
    """Linked node pairs, strongest text evidence first."""
    by_text: dict[int, list[int]] = defaultdict(list)
    for i, node in enumerate(nodes):
        by_text[node.text].append(i)
    found = []
    for (s, t), match in matches.items():
        for i in by_text[s]:
            for j in by_text[t]:
                days = _gap(nodes[i].days, nodes[j].days)
                if links(match, days, _speakers(nodes[i].persons, nodes[j].persons), rules):
                    found.append((-match.cover, -match.shared, i, j))
    return [(i, j) for _c, _s, i, j in sorted(found)]


def group_items(items: pd.DataFrame, rules: Rules = Rules()) -> np.ndarray:
    """A group number per quote of ``quote_items`` (-1: reported in one article only)."""
    if items.empty:
        return np.full(0, -1)
    text_of, uniques = pd.factorize(items["key"])
    vocabulary: dict[str, str] = {}
    words = [[vocabulary.setdefault(w, w) for w in key.split()] for key in uniques]
    lengths = np.array([len(w) for w in words])
    pairs = candidate_pairs(words, rules)
    matches = {
        (a, b): compare(words[a], words[b])
        for a, b in zip(pairs["a"].tolist(), pairs["b"].tolist(), strict=True)
    }
    # only a text quoted twice, or compared with another, can be part of a group
    relevant = np.bincount(text_of, minlength=len(words)) > 1
    relevant[pairs["a"].to_numpy()] = relevant[pairs["b"].to_numpy()] = True
    positions = np.flatnonzero(relevant[text_of])
    articles: dict[int, set[str]] = defaultdict(set)
    quoted_in = items["article_id"].to_numpy()[positions].tolist()
    for text, article in zip(text_of[positions].tolist(), quoted_in, strict=True):
        articles[text].add(article)
    texts = Texts(words, matches, articles, rules)
    nodes = _nodes(positions, text_of, items, lengths, rules)
    labels = cluster(len(nodes), _link_nodes(nodes, matches, rules), texts, [n.text for n in nodes])
    group = np.full(len(items), -1)
    for node, lab in zip(nodes, labels, strict=True):
        group[node.items] = lab
    spread = pd.DataFrame({"group": group, "article": items["article_id"].to_numpy()})
    articles = spread[group >= 0].groupby("group")["article"].nunique()
    return np.where(np.isin(group, articles[articles > 1].index), group, -1)


# ---------------------------------------------------------------- what differs


def _differences(reference: list[str], words: list[str]) -> dict[str, str]:
    """Where an occurrence's words differ from the reference: the ends it cuts, and the words it
    omits, adds or changes inside (difflib opcodes)."""
    ops = SequenceMatcher(None, reference, words, autojunk=False).get_opcodes()
    cut = []
    if ops and ops[0][0] == "delete":
        cut.append("start")
        ops = ops[1:]
    if ops and ops[-1][0] == "delete":
        cut.append("end")
        ops = ops[:-1]
    found: dict[str, list[str]] = {"omitted": [], "added": [], "changed": []}
    for tag, i1, i2, j1, j2 in ops:
        old, new = " ".join(reference[i1:i2]), " ".join(words[j1:j2])
        if tag == "delete":
            found["omitted"].append(old)
        elif tag == "insert":
            found["added"].append(new)
        elif tag == "replace":
            found["changed"].append(f"{old} → {new}")
    return {"cut": " and ".join(cut)} | {k: " | ".join(v) for k, v in found.items()}


def _occurrence_words(parts: Iterable[list[str]]) -> list[str]:
    """The words of one article's quotes in a group, in text order: the parts of a split quote
    joined, a part that repeats words of another part (a quote cited again) left out."""
    parts = list(parts)
    texts = [f" {' '.join(p)} " for p in parts]

    def repeated(i: int) -> bool:
        return any(
            texts[i] in texts[j] and (len(texts[i]) < len(texts[j]) or j < i)
            for j in range(len(parts))
            if j != i
        )

    return [word for i, part in enumerate(parts) if not repeated(i) for word in part]


def _sort_key(value: object) -> tuple[bool, object]:
    """Missing values (NaN, NA, None) last."""
    missing = value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))
    return (missing, 0 if missing else value)


def _describe(rows: list[int], table: dict[str, list]) -> dict[str, list]:
    """For the quotes ``rows`` of one group (positions in ``table``'s columns), per quote what
    differs from the reference. An occurrence is the quotes of one article, parts of a split
    quote joined in text order; the reference is the wording most articles give, then the longest."""
    by_article: dict[str, list[int]] = defaultdict(list)
    for r in sorted(rows, key=lambda r: _sort_key(table["start"][r])):
        by_article[table["article_id"][r]].append(r)
    joined = {a: _occurrence_words(table["key"][r].split() for r in parts) for a, parts in by_article.items()}
    keys = {a: " ".join(words) for a, words in joined.items()}
    counts = Counter(keys.values())
    reference = min(counts, key=lambda k: (-counts[k], -len(k.split()), k))
    diffs = {a: _differences(reference.split(), words) for a, words in joined.items()}
    persons = Counter(p for r in rows if (p := table["person"][r]))
    main = min(persons, key=lambda p: (-persons[p], p)) if persons else ""
    first = min(
        rows, key=lambda r: (_sort_key(table["day"][r]), table["article_id"][r], _sort_key(table["start"][r]))
    )
    seed = f"{reference}\x00{table['article_id'][first]}\x00{table['start'][first]}"
    out: dict[str, list] = defaultdict(list)
    for r in rows:
        person, article = table["person"][r], table["article_id"][r]
        status = "missing" if not person else "same" if person == main else "other"
        wording, speaker = keys[article] != reference, bool(main) and status != "same"
        out["variant"].append(
            "both" if wording and speaker else "wording" if wording else "speaker" if speaker else "same"
        )
        out["speaker_status"].append(status)
        for column, value in diffs[article].items():
            out[column].append(value)
    out["group"] = ["rq-" + hashlib.sha1(seed.encode()).hexdigest()[:10]] * len(rows)
    out["articles"] = [len(by_article)] * len(rows)
    out["outlets"] = [len({o for r in rows if (o := table["outlet"][r])})] * len(rows)
    return out


def find_requotes(statements: pd.DataFrame, rules: Rules = Rules()) -> pd.DataFrame:
    """Re-quotes in a statements table (the corpus columns; ``article_id`` and ``text`` required):
    one row per occurrence of every utterance reported in two or more articles (columns
    :data:`COLUMNS`), groups ordered by size, occurrences by date. ``statement`` is the index
    label of the statement the quote comes from; ``variant`` is same / wording / speaker / both
    against the group's reference; ``cut``, ``omitted``, ``added``, ``changed`` say how the
    words differ; ``speaker_status`` is same / other / missing against the group's main person."""
    items = quote_items(statements, rules)
    return describe_groups(items, group_items(items, rules))


DATASET_COLUMNS = ("article_id", "outlet", "date", "speaker", "person_id", "kind", "text", "start", "end")


def dataset_requotes(dataset: str | Path, person_ids: Sequence[str], rules: Rules = Rules()) -> pd.DataFrame:
    """:func:`find_requotes` over the statements of a whole corpus dataset that can be re-quotes of
    ``person_ids``' quotes, scanned in batches so that a million statements never sit in memory:
    every link needs a common run of ``min_run`` words, so a statement sharing no word
    ``shingle``-gram with their quotes cannot join one of their groups. Their rows are the ones
    with an occurrence by one of them (a group of others' quotes found on the way is left out).
    A phrase common in the whole dataset may be rare among the statements kept, so pairs the
    whole-table finder never compares (``max_postings``) can be compared here: the link rule
    still decides. Counting phrases over the whole scan instead cost twice the time and memory."""
    theirs = dataset_batches(dataset, DATASET_COLUMNS, "person_id IN (SELECT unnest(?))", [list(person_ids)])
    grams = {
        g for batch in theirs for key in quote_items(batch, rules)["key"] for g in _grams(key, rules.shingle)
    }
    if not grams:
        return pd.DataFrame(columns=COLUMNS)
    close = [
        batch[[_shares_a_gram(text, grams, rules.shingle) for text in batch["text"].fillna("").tolist()]]
        for batch in dataset_batches(dataset, DATASET_COLUMNS)
    ]
    found = find_requotes(pd.concat(close, ignore_index=True), rules)
    with_them = set(found.loc[found["person_id"].isin(set(person_ids)), "group"])
    return found[found["group"].isin(with_them)].reset_index(drop=True)


def _shares_a_gram(text: str, grams: Set[str], n: int) -> bool:
    """Whether a statement's words (all of them: a paraphrase's quoted words are among them) hold
    one of ``grams``; cheaper than its quotes, and never false where a quote of it would be true."""
    words = tokens(text)
    return any(" ".join(words[i : i + n]) in grams for i in range(len(words) - n + 1))


def _grams(key: str, n: int) -> set[str]:
    """The word ``n``-grams of a quote's compared words (``key``: words joined by spaces)."""
    words = key.split(" ")
    return {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)}


def describe_groups(items: pd.DataFrame, numbers: np.ndarray) -> pd.DataFrame:
    """The rows of :func:`find_requotes` from ``quote_items`` and their ``group_items`` numbers."""
    chosen = items[numbers >= 0].reset_index(drop=True)
    if chosen.empty:
        return pd.DataFrame(columns=COLUMNS)
    chosen["outlet"] = chosen["outlet"].fillna("").astype(str)
    table = {c: chosen[c].tolist() for c in ("article_id", "start", "key", "person", "day", "outlet")}
    found: dict[str, list] = defaultdict(lambda: [None] * len(chosen))
    for _number, rows in _members_by(numbers[numbers >= 0]):
        for column, values in _describe(rows.tolist(), table).items():
            for r, value in zip(rows.tolist(), values, strict=True):
                found[column][r] = value
    described = chosen.assign(**found).sort_values(
        ["articles", "group", "day", "article_id", "start"], ascending=[False, True, True, True, True]
    )
    return described[COLUMNS].reset_index(drop=True)


def find_groups(quotes: pd.DataFrame) -> list[list[Hashable]]:
    """The scorer's interface (``benchmarks/requotes_eval.py --finder utils.requotes:find_groups``):
    quotes with ``article, start, end, text, speaker``; an ISO date inside an article id (as
    PolNeAR's file names carry one) is taken as the article's date. Groups of index labels."""
    statements = quotes.rename(columns={"article": "article_id"}).assign(
        kind="direct",
        date=quotes["article"].str.extract(r"(\d{4}-\d{2}-\d{2})", expand=False).fillna(""),
    )
    found = find_requotes(statements)
    return [list(rows["statement"]) for _g, rows in found.groupby("group")]
