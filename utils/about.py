"""Find the statements of a corpus that address a proposition: keywords first, then what people taught.

``find_about(dataset, "border wall", topic=...)`` ranks statements across a corpus dataset
(the Parquet folder ``opinions corpus -o`` writes, or any Parquet file or folder with its
columns). The words searched for are the query's own in all their forms (by their Snowball
stem, NLTK's, which comes with TextBlob and needs no download: "deported" finds "deport",
"deportation", "deporting", but "rigged" not "right"; function words dropped), and the topic's
``keywords`` as people write them in a topics table (``;``-separated word beginnings:
"negotiat" finds "negotiations"; "voter id" is a phrase, also "voter-ID").

The ranking is BM25 over the matching statements, plus a bonus where two of the query's
words stand next to each other in order (a phrase) or within :data:`WINDOW` words. When
people's labels for the topic are given (addressed or not), a logistic regression over the
statement's word 1-2 grams and how many search words it matches learns what they count as
addressing it; from :data:`MIN_LABELS` labels with :data:`MIN_EACH` of each kind on, its
probability orders the statements and its :data:`LEARNED_WORDS` most telling words widen the
search. ``benchmarks/about_eval.py`` measures both on the propositions gold set; the learned
part's settings were chosen on its ``dev`` split only (5 or 8 of each kind; 0, 10 or 20
learned words; C = 1 or 10). Each row says what matched and why.

Speed: DuckDB reads the Parquet files and keeps the statements where RE2 finds a search
word, with the words it found; numpy ranks those, and only the best :data:`POOL` reach
Python for the exact score, the proximity bonus, the evidence and the learned order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache, cached_property, lru_cache
from itertools import pairwise
from pathlib import Path

import numpy as np
import pandas as pd

from utils.errors import InputError
from utils.people.registry import _connect, find_person, parquet_source
from utils.schema import NOT_ADDRESSED, TOPIC_SCHEMA, read_table

K1, B = 1.2, 0.75  # BM25's usual constants
PHRASE = 1.0  # bonus, in idf units, for two query words side by side in order
NEAR = 0.5  # ... and for two query words within WINDOW words of each other
WINDOW = 8
POOL = 1000  # statements scored exactly (and by the learned model): the best by the DuckDB-side rank
LEARNED_WEIGHT = 0.5  # a learned word counts this much toward the DuckDB-side rank (pooling only)
LEARNED_WORDS = 10
MIN_LABELS = 40  # the learned relevance is never used with fewer labels ...
MIN_EACH = 5  # ... or with fewer addressed or not-addressed ones than this
EVIDENCE = 3
COLUMNS = [
    "person_id",
    "person",
    "date",
    "outlet",
    "article_id",
    "title",
    "speaker",
    "text",
    "score",
    "keyword_score",
    "matched",
    "why",
    "id",
    "start",
    "end",
    "url",
]
_TEXT_COLUMNS = ["person_id", "person", "date", "outlet", "article_id", "title", "speaker", "id", "url"]
_WORD = re.compile(r"[^\W_]+")
_FUNCTION_WORD_LISTS = (  # utils/lexicons/<name>.txt (and every determiner and preposition)
    "pronouns",
    "subject-pronouns",
    "author-pronouns",
    "aux",
    "be",
    "coord",
    "subordinators",
    "wh-words",
    "small-words",
)
MAX_GAP = 3  # characters that may stand between the words of a phrase: " ", "-", ". "
# A letter or digit for RE2, which has no Unicode \w or \b: ASCII ones, and the code points of
# letters of other scripts, leaving out the punctuation blocks (curly quotes, dashes, nbsp).
_L = "0-9A-Za-z\\x{C0}-\\x{1FFF}\\x{3040}-\\x{10FFFF}"
_LETTERS = f"[{_L}]"
_SEP = f"[^{_L}]{{1,{MAX_GAP}}}"


@dataclass(frozen=True)
class Topic:
    """A proposition of a topics table: its id, its wording and its ``;``-separated keywords."""

    topic: str
    proposition: str
    keywords: str = ""


@dataclass(frozen=True)
class Term:
    """One thing searched for: a query word (matched by its stem), or a keyword or phrase (by word beginning).

    ``words`` are lower case; for a query word, ``words[0]`` is the word as typed and
    ``stem`` its stem. A keyword phrase's last word is a beginning, the others whole words.
    """

    words: tuple[str, ...]
    source: str  # "query", "keyword" or "learned"
    stem: str = ""
    written: str = field(default="", compare=False)  # as the topics table has it ("e-mail")

    @property
    def label(self) -> str:
        return self.written or " ".join(self.words)

    def matches(self, token: str) -> bool:
        """Whether a lower-case text token is this (one-word) term in some form."""
        if self.stem:
            return token == self.words[0] or (token.startswith(self.prefix) and _stem(token) == self.stem)
        return token.startswith(self.words[0])

    @cached_property
    def prefix(self) -> str:
        """What every form of a query word starts with: its stem as far as it is spelled like the word."""
        word, common = self.words[0], 0
        while common < min(len(word), len(self.stem)) and word[common] == self.stem[common]:
            common += 1
        return word[: max(common, min(3, len(word)))]

    def expression(self) -> str:
        """This term as an RE2 alternative (the candidate filter; Python checks every hit again)."""
        if self.stem:
            return _re2(self.prefix)
        return _SEP.join(_re2(w) for w in self.words)


@dataclass(frozen=True)
class Found:
    """What a search found, beside its table: how many statements were searched, matched, left out."""

    searched: int
    matching: int
    undated_excluded: int
    learned: str  # how the learned relevance was used, or why not ("" without labels)
    terms: tuple[str, ...]


def find_about(
    dataset: str | Path,
    query: str,
    topic: Topic | None = None,
    person: str | None = None,
    since: str | None = None,
    labels: pd.DataFrame | None = None,
    limit: int | None = 100,
) -> pd.DataFrame:
    """The statements of ``dataset`` that address ``query`` (and ``topic``), most relevant first.

    ``person``: an id or a name (:func:`~utils.people.registry.find_person`); ``since``: an ISO
    date, statements without a date then left out and counted; ``labels``: people's labels
    (``text`` and ``label``, a stance label or "not addressed", or a boolean ``addressed``;
    with a ``topic`` column, only ``topic``'s rows count). Columns :data:`COLUMNS`; the
    counts are in ``frame.attrs["found"]`` (a :class:`Found`). An empty frame means nothing
    was found: say so (:func:`describe`), never show it as a table.
    """
    terms = search_terms(query, topic)
    since_day = _since(since)
    learner = Learner.fit(labels, terms, topic) if labels is not None else None
    if learner is not None and learner.model is not None:
        terms = [*terms, *learner.expansion(terms)]
    matcher = Matcher(terms)
    source = _scan(dataset)
    with _connect() as con:
        present = _columns(con, source, dataset)
        scope = _scope(present, _person_id(con, source, present, dataset, person), since_day)
        searched = _searched(con, source, scope)
        pool = _pool(con, source, present, scope, matcher, None if limit is None else max(POOL, limit))
    table = _rank(pool, matcher, learner, limit)
    table.attrs["found"] = Found(
        searched=searched,
        matching=pool.matching,
        undated_excluded=pool.undated,
        learned=learner.note if learner is not None else "",
        terms=tuple(t.label for t in terms),
    )
    return table


def describe(table: pd.DataFrame, dataset: str | Path) -> str:
    """One line on what was searched and found, e.g. for standard error beside a written table."""
    found: Found = table.attrs["found"]
    head = (
        f"{len(table)} of {found.matching} matching statements"
        if len(table)
        else f"nothing found: no statement matches {', '.join(found.terms)}"
    )
    parts = [f"{head} (in {found.searched} statements of {dataset})"]
    if found.undated_excluded:
        parts.append(f"{found.undated_excluded} matching statements without a date left out (--since)")
    if found.learned:
        parts.append(found.learned)
    return "; ".join(parts)


def load_topic(topics: str | Path, topic: str) -> Topic:
    """One topic of a topics table (``topic,proposition,keywords``), or a one-line error naming the file."""
    table = read_table(topics, TOPIC_SCHEMA, "topics")
    row = table[table["topic"] == topic]
    if row.empty:
        known = ", ".join(table["topic"]) or "none"
        raise InputError(topics, f"has no topic {topic!r} (its topics: {known})", "give one of its topics")
    first = row.iloc[0]
    return Topic(first["topic"], first["proposition"], first["keywords"])


# --- what is searched for ------------------------------------------------------------------------


def search_terms(query: str, topic: Topic | None = None) -> list[Term]:
    """The query's words (stop words dropped, one per stem) and the topic's keywords, as terms."""
    words = [w for w in _WORD.findall(str(query).lower()) if len(w) > 1 and w not in _stop_words()]
    by_stem = {_stem(w): w for w in reversed(words)}  # the first spelling of each stem
    terms = [Term((w,), "query", stem) for stem, w in reversed(by_stem.items())]
    if topic is not None:
        for keyword in str(topic.keywords).split(";"):
            parts = tuple(_WORD.findall(keyword.lower()))
            if parts and (len(parts) > 1 or parts[0] not in words):
                terms.append(Term(parts, "keyword", written=" ".join(keyword.lower().split())))
    terms = list(dict.fromkeys(terms))
    if not terms:
        if query.strip():
            raise InputError(None, f"the query {query!r} has no word to search for", "give other words")
        raise InputError(None, "nothing to search for", "give a query, or a --topic that has keywords")
    return terms


@cache
def _stop_words() -> frozenset[str]:
    """Function words a query's words are searched without: the extractor's closed-class lexicons."""
    from utils.extract.lexicon import tagged, words

    closed = (tagged("determiners"), tagged("prepositions"))
    return frozenset().union(*(words(name) for name in _FUNCTION_WORD_LISTS), *closed)


@cache
def _stemmer():
    from nltk.stem.snowball import EnglishStemmer

    return EnglishStemmer()


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return _stemmer().stem(word)


def _re2(word: str) -> str:
    """A word as an RE2 literal: letters and digits as they are, anything else by its code point."""
    return "".join(c if c.isascii() and c.isalnum() else f"\\x{{{ord(c):x}}}" for c in word)


def _patterns(terms: list[Term]) -> tuple[str, str]:
    """Two RE2 expressions: a quick test (any term's letters anywhere: RE2 skips ahead to them), and
    one for each whole matched word, phrase or pair of query words side by side, with the character
    before it (the start of a word)."""
    singles = sorted({t.expression() for t in terms}, key=lambda e: (-len(e), e))
    query = [t for t in terms if t.source == "query"]
    pairs = [f"{a.expression()}{_LETTERS}*{_SEP}{b.expression()}" for a, b in pairwise(query)]
    words = "|".join([*pairs, *singles])  # pairs first: a pair is taken whole where it stands
    return "(?i)" + "|".join(singles), f"(?i)(?:^|[^{_L}])(?:{words}){_LETTERS}*"


def _since(since: str | None) -> str | None:
    if since is None or not str(since).strip():
        return None
    try:
        return date.fromisoformat(str(since).strip()).isoformat()
    except ValueError:
        raise InputError(
            None, f"--since {since!r} is not a date", "give an ISO date such as 2016-05-01"
        ) from None


# --- DuckDB: the candidates ----------------------------------------------------------------------


def _scan(dataset: str | Path) -> str:
    """The dataset's Parquet files with each row's file and row number (to fetch the best rows again)."""
    source = parquet_source(dataset)  # "read_parquet(<files>[, union_by_name = true])"
    return source[:-1] + ", filename = true, file_row_number = true)"


def _columns(con, source: str, dataset: str | Path) -> set[str]:
    import duckdb

    try:
        present = {row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()}
    except duckdb.Error as exc:
        problem = str(exc).splitlines()[0]
        raise InputError(
            dataset, f"cannot be read as Parquet ({problem})", "give what `opinions corpus -o` wrote"
        ) from None
    if "text" not in present:
        raise InputError(dataset, "has no text column", "give a corpus dataset (`opinions corpus -o`)")
    return present


def _person_id(con, source: str, present: set[str], dataset, person: str | None) -> str | None:
    """The person_id for ``person`` (an id, looked up at once, or a name, through the registry)."""
    if not person:
        return None
    if "person_id" not in present:
        raise InputError(dataset, "has no person_id column", "rerun `opinions corpus` to add people")
    query = f"SELECT count(*) FROM {source} WHERE person_id = $id"
    if con.execute(query, {"id": person.strip()}).fetchall()[0][0]:
        return person.strip()
    return find_person(dataset, person)[0]


@dataclass(frozen=True)
class _Scope:
    """Which statements are searched: SQL conditions and their parameters."""

    person: str  # "TRUE" or a test of person_id
    in_range: str  # "TRUE" or a test of the date
    undated: str  # "FALSE", or the test of a statement that ``since`` leaves out for having no date
    params: dict[str, object]


def _scope(present: set[str], person_id: str | None, since: str | None) -> _Scope:
    params: dict[str, object] = {}
    person = "TRUE"
    if person_id is not None:
        person, params["person"] = "person_id = $person", person_id
    if since is None:
        return _Scope(person, "TRUE", "FALSE", params)
    if "date" not in present:
        return _Scope(person, "FALSE", "TRUE", params)
    params["since"] = since
    day = "coalesce(CAST(date AS VARCHAR), '')"
    return _Scope(person, f"{day} <> '' AND left({day}, 10) >= $since", f"{day} = ''", params)


def _searched(con, source: str, scope: _Scope) -> int:
    """How many statements are searched: the person's, in the date range."""
    query = f"SELECT count(*) FROM {source} WHERE {scope.person} AND {scope.in_range}"
    return int(con.execute(query, scope.params).fetchall()[0][0])


def _candidates(con, source: str, scope: _Scope, terms: list[Term]):
    """Every statement with a search word: where it is, its length, the words that matched, its date flags."""
    quick, words = _patterns(terms)
    return con.sql(
        f"""SELECT filename, file_row_number, n, found, in_range, undated FROM (
                SELECT filename, file_row_number, length(CAST(text AS VARCHAR)) AS n,
                       regexp_extract_all(CAST(text AS VARCHAR), $words) AS found,
                       {scope.in_range} AS in_range, {scope.undated} AS undated
                FROM {source} WHERE {scope.person} AND regexp_matches(CAST(text AS VARCHAR), $quick))
            WHERE len(found) > 0 AND (in_range OR undated)""",
        params={**scope.params, "quick": quick, "words": words},
    ).to_arrow_table()


def _fetch(con, present: set[str], where: pd.DataFrame) -> pd.DataFrame:
    """The output columns of the rows at ``where`` (filename, file_row_number, rank), in rank order.

    Each file is read for its own row numbers, which DuckDB looks up without reading the
    rest (a join would read every row of every file). Absent columns come back empty.
    """
    selected = [
        f"coalesce(CAST({_quoted(c)} AS VARCHAR), '') AS {_quoted(c)}"
        if c in present
        else f"'' AS {_quoted(c)}"
        for c in [*_TEXT_COLUMNS, "text"]
    ]
    selected += [_quoted(c) if c in present else f"NULL AS {_quoted(c)}" for c in ("start", "end")]
    parts, params = [], {}
    for i, (filename, rows) in enumerate(where.groupby("filename", sort=False)["file_row_number"]):
        params[f"file{i}"], params[f"rows{i}"] = filename, rows.tolist()
        parts.append(
            f"""SELECT file_row_number, {i} AS part, {", ".join(selected)}
                FROM read_parquet($file{i}, file_row_number = true)
                WHERE file_row_number IN (SELECT unnest($rows{i}))"""
        )
    files = {name: i for i, name in enumerate(dict.fromkeys(where["filename"]))}
    found = con.execute(" UNION ALL ".join(parts), params).df()
    order = where.assign(part=where["filename"].map(files))[["part", "file_row_number", "rank"]]
    return found.merge(order).sort_values("rank").drop(columns=["part", "file_row_number", "rank"])


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass(frozen=True)
class _Pool:
    frame: pd.DataFrame
    idf: np.ndarray
    avg_length: float
    matching: int
    undated: int


def _pool(con, source, present, scope, matcher: Matcher, size: int | None) -> _Pool:
    """Rank every candidate by its matched words (numpy), and fetch the best ``size`` rows.

    BM25's idf counts the candidates among the statements searched; its length norm is the
    candidates' mean length (the whole corpus's would need every text read).
    """
    found = _candidates(con, source, scope, matcher.terms)
    if not found.num_rows:
        return _Pool(pd.DataFrame(), np.zeros(len(matcher.terms)), 1.0, 0, 0)
    tf, pairs = matcher.counts(found.column("found").combine_chunks())
    real = tf.any(axis=1)  # RE2 found the letters; the stem or phrase may still not be there ("Wallace")
    undated = int(np.sum(real & found.column("undated").to_numpy(zero_copy_only=False)))
    keep = real & found.column("in_range").to_numpy(zero_copy_only=False)
    found, tf, pairs = found.filter(keep), tf[keep], pairs[keep]
    matching = found.num_rows
    if not matching:
        return _Pool(pd.DataFrame(), np.zeros(len(matcher.terms)), 1.0, 0, undated)
    idf = _idf((tf > 0).sum(axis=0), _searched(con, source, scope))
    weights = np.array([LEARNED_WEIGHT if t.source == "learned" else 1.0 for t in matcher.terms])
    lengths = found.column("n").to_numpy(zero_copy_only=False).astype(float)
    avg_length = float(lengths.mean()) or 1.0
    rank = _bm25(tf, lengths / avg_length) @ (idf * weights)
    if pairs.shape[1]:
        rank += (pairs > 0) @ (PHRASE * matcher.pair_idf(idf))
    best = np.argsort(-rank, kind="stable")[: size or matching]
    where = pd.DataFrame(
        {
            "filename": found.column("filename").to_numpy(zero_copy_only=False)[best],
            "file_row_number": found.column("file_row_number").to_numpy()[best],
            "rank": np.arange(len(best)),
        }
    )
    frame = _fetch(con, present, where).reset_index(drop=True)
    return _Pool(frame, idf, avg_length, matching, undated)


class Matcher:
    """Finds a search's terms in words and texts; remembers what each word form matched."""

    def __init__(self, terms: list[Term]) -> None:
        self.terms = terms
        self.query = [i for i, t in enumerate(terms) if t.source == "query"]
        self._single = [i for i, t in enumerate(terms) if len(t.words) == 1]
        self._phrases = [i for i, t in enumerate(terms) if len(t.words) > 1]
        self._forms: dict[str, tuple[int, ...]] = {}

    def forms(self, token: str) -> tuple[int, ...]:
        """The one-word terms a lower-case token is a form of."""
        if token not in self._forms:
            self._forms[token] = tuple(i for i in self._single if self.terms[i].matches(token))
        return self._forms[token]

    def positions(self, tokens: list[str], joined: list[bool]) -> list[list[int]]:
        """Per term, the token positions where it starts (``joined[i]``: tokens i, i+1 may form a phrase)."""
        found: list[list[int]] = [[] for _ in self.terms]
        forms, known = self.forms, self._forms
        for i, token in enumerate(tokens):
            for t in known[token] if token in known else forms(token):
                found[t].append(i)
        for t in self._phrases:
            words = self.terms[t].words
            n = len(words)
            found[t] = [
                i
                for i in range(len(tokens) - n + 1)
                if tokens[i] == words[0]
                and all(joined[i : i + n - 1])
                and tokens[i + 1 : i + n - 1] == list(words[1:-1])
                and tokens[i + n - 1].startswith(words[-1])
            ]
        return found

    def adjacent_pairs(self, found: list[list[int]], joined: list[bool]) -> list[int]:
        """Per pair of consecutive query words: how often they stand side by side, in order."""
        together = []
        for a, b in pairwise(self.query):
            after = set(found[b])
            together.append(sum(1 for p in found[a] if joined[p] and p + 1 in after))
        return together

    def pair_idf(self, idf: np.ndarray) -> np.ndarray:
        query = np.array(self.query, dtype=int)
        return (idf[query[:-1]] + idf[query[1:]]) / 2

    def counts(self, found) -> tuple[np.ndarray, np.ndarray]:
        """From DuckDB's matched words per candidate (Arrow lists): term counts, side-by-side pairs."""
        import pyarrow.compute as pc
        from scipy import sparse

        flat = pc.list_flatten(found)
        unique = pc.unique(flat)
        credit = np.array([self._credit(hit.lower()) for hit in unique.to_pylist()], dtype=float)
        index = pc.index_in(flat, unique).to_numpy()
        rows = pc.list_parent_indices(found).to_numpy()
        hits = sparse.csr_matrix((np.ones(len(index)), (rows, index)), shape=(len(found), len(unique)))
        totals = (hits @ sparse.csr_matrix(credit.reshape(len(unique), -1))).toarray()
        return totals[:, : len(self.terms)], totals[:, len(self.terms) :]

    def _credit(self, hit: str) -> list[int]:
        tokens = _WORD.findall(hit)
        joined = [True] * len(tokens)
        found = self.positions(tokens, joined)
        return [len(p) for p in found] + self.adjacent_pairs(found, joined)

    def match(self, text: str) -> _Match:
        """Where the terms occur in one statement: counts, the words as written, query words together."""
        spans = list(_WORD.finditer(text))
        tokens = [m.group().lower() for m in spans]
        joined = [b.start() - a.end() <= MAX_GAP for a, b in pairwise(spans)] + [False]
        found = self.positions(tokens, joined)
        where = sorted((p, p + len(t.words) - 1) for t, ps in zip(self.terms, found, strict=True) for p in ps)
        matched = dict.fromkeys(text[spans[a].start() : spans[b].end()].lower() for a, b in where)
        adjacent = self.adjacent_pairs(found, joined)
        near = [
            int(not together and any(abs(q - p) <= WINDOW for p in found[a] for q in found[b]))
            for together, (a, b) in zip(adjacent, pairwise(self.query), strict=True)
        ]
        labels = tuple(
            t.label for t, ps in zip(self.terms, found, strict=True) if ps and t.source != "learned"
        )
        counts = np.array([len(p) for p in found], dtype=float)
        return _Match(counts, tuple(matched), labels, sum(map(bool, adjacent)), sum(near))


def _idf(df: np.ndarray, searched: int) -> np.ndarray:
    return np.log1p((searched - df + 0.5) / (df + 0.5))


def _bm25(tf: np.ndarray, relative_length) -> np.ndarray:
    norm = K1 * (1 - B + B * np.asarray(relative_length, dtype=float))
    return tf * (K1 + 1) / (tf + norm.reshape(-1, 1))


# --- Python: the exact score, the evidence, the learned order ------------------------------------


@dataclass(frozen=True)
class _Match:
    counts: np.ndarray
    matched: tuple[str, ...]
    labels: tuple[str, ...]
    adjacent: int
    near: int


def keyword_scores(texts: list[str], matcher: Matcher, idf: np.ndarray, avg_length: float):
    """BM25 of the query and topic words in each text plus the phrase and proximity bonus, and the matches."""
    matches = [matcher.match(text) for text in texts]
    if not matches:
        return np.zeros(0), matches
    own = np.array([t.source != "learned" for t in matcher.terms])
    counts = np.vstack([m.counts for m in matches])
    lengths = np.array([len(text) for text in texts], dtype=float) / avg_length
    scores = _bm25(counts, lengths) @ (idf * own)
    if len(matcher.query) > 1:
        together = np.array([PHRASE * m.adjacent + NEAR * m.near for m in matches], dtype=float)
        scores += float(np.mean(matcher.pair_idf(idf))) * together / (len(matcher.query) - 1)
    return scores, matches


def _rank(pool: _Pool, matcher: Matcher, learner: Learner | None, limit: int | None) -> pd.DataFrame:
    """The pool's exact scores, learned probabilities where trusted, best first, with the evidence."""
    frame = pool.frame
    if frame.empty:
        return pd.DataFrame(columns=COLUMNS)
    scores, matches = keyword_scores(frame["text"].tolist(), matcher, pool.idf, pool.avg_length)
    frame = frame.assign(
        keyword_score=scores.round(3),
        matched=["; ".join(m.matched) for m in matches],
        why=["keywords: " + ", ".join(m.labels) if m.labels else "learned words only" for m in matches],
    )
    frame["score"] = frame["keyword_score"]
    if learner is not None and learner.model is not None:
        probability, evidence = learner.predict(frame["text"].tolist(), [len(m.labels) for m in matches])
        frame["score"] = probability.round(3)
        frame["why"] = [
            f"learned from {learner.labels} labels" + (f" ({', '.join(e)})" if e else "") + f"; {why}"
            for e, why in zip(evidence, frame["why"], strict=True)
        ]
    frame = frame.sort_values(
        ["score", "keyword_score", "date", "article_id", "start"],
        ascending=[False, False, False, True, True],
        kind="stable",
    )
    if limit is not None:
        frame = frame.head(limit)
    return frame[COLUMNS].reset_index(drop=True)


class Learner:
    """Relevance learned from people's labels: does a statement address the topic, as they judge it."""

    def __init__(self, labels: int, note: str, model=None, vectorizer=None) -> None:
        self.labels = labels
        self.note = note
        self.model = model
        self.vectorizer = vectorizer

    @classmethod
    def fit(cls, labels: pd.DataFrame, terms: list[Term], topic: Topic | None) -> Learner:
        """A model when there are enough labels of both kinds; otherwise a learner that says why not."""
        texts, addressed = _labelled(labels, topic)
        n, yes = len(texts), int(addressed.sum())
        if n < MIN_LABELS or min(yes, n - yes) < MIN_EACH:
            return cls(
                n,
                f"learned relevance not used: {n} labels ({yes} addressed); it needs {MIN_LABELS}, "
                f"with {MIN_EACH} addressed and {MIN_EACH} not",
            )
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        vectorizer = TfidfVectorizer(analyzer=_grams, sublinear_tf=True)
        grams = vectorizer.fit_transform(texts)
        matcher = Matcher(terms)
        matched = [len(matcher.match(t).labels) for t in texts]
        model = LogisticRegression(C=1.0, class_weight="balanced", max_iter=2000)
        model.fit(_features(grams, matched), addressed)
        return cls(n, f"ordered by relevance learned from {n} labels ({yes} addressed)", model, vectorizer)

    def expansion(self, terms: list[Term]) -> list[Term]:
        """The words the model finds most telling of "addressed" that the search lacks: they widen it."""
        names = self.vectorizer.get_feature_names_out()
        weights = self.model.coef_[0][: len(names)]
        have = {t.label for t in terms}
        words = [
            names[i]
            for i in np.argsort(-weights)
            if weights[i] > 0
            and " " not in names[i]
            and len(names[i]) > 2
            and names[i] not in have
            and names[i] not in _stop_words()
        ]
        return [Term((w,), "learned", _stem(w)) for w in words[:LEARNED_WORDS]]

    def predict(self, texts: list[str], matched: list[int]) -> tuple[np.ndarray, list[tuple[str, ...]]]:
        """Probability of "addressed" for each text, and the n-grams of each that pushed it up most."""
        grams = self.vectorizer.transform(texts)
        probability = self.model.predict_proba(_features(grams, matched))[:, 1]
        names = self.vectorizer.get_feature_names_out()
        weights = self.model.coef_[0][: len(names)]
        evidence = []
        for row in range(grams.shape[0]):
            cells = grams[row]
            pushes = sorted(((cells[0, i] * weights[i], names[i]) for i in cells.indices), reverse=True)
            telling = (name for push, name in pushes if push > 0 and not set(name.split()) <= _stop_words())
            evidence.append(tuple(telling)[:EVIDENCE])
        return probability, evidence


def _labelled(labels: pd.DataFrame, topic: Topic | None) -> tuple[list[str], np.ndarray]:
    """The labelled texts and whether each addresses the topic (one label per text, the last one given)."""
    if topic is not None and "topic" in labels.columns:
        labels = labels[labels["topic"] == topic.topic]
    if "addressed" in labels.columns:
        addressed = labels["addressed"].astype(bool)
    elif "label" in labels.columns:
        addressed = labels["label"].astype(str).str.strip().str.lower() != NOT_ADDRESSED
    else:
        raise InputError(
            None, "the labels have neither a label nor an addressed column", "label some statements"
        )
    frame = pd.DataFrame({"text": labels["text"].astype(str), "addressed": addressed.to_numpy()})
    frame = frame.drop_duplicates("text", keep="last")
    return frame["text"].tolist(), frame["addressed"].to_numpy(dtype=bool)


def _grams(text: str) -> list[str]:
    words = _WORD.findall(str(text).lower())
    return words + [f"{a} {b}" for a, b in pairwise(words)]


def _features(grams, matched: Iterable[int]):
    from scipy import sparse

    column = np.log1p(np.asarray(list(matched), dtype=float)).reshape(-1, 1)
    return sparse.hstack([grams, sparse.csr_matrix(column)]).tocsr()
