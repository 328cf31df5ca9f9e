"""One article's part of a corpus: dated rows, people's reviewed work first, every speaker described.

A corpus worker reads one article and returns everything the run needs from it, so that
the step that sees the whole coverage only has to cluster people:

* **metadata**: the article's date, outlet, title and address from the first source that
  gives each (the folder's manifest, the sidecar, the page, the address, the file name:
  :mod:`utils.metadata`), with the source of the date, and a warning naming the file for a
  date that was refused;
* **statements**: the article's curated tables when people reviewed it (``data/curated``,
  accepted in the workbench), with ``reviewed_by`` and their stance labels; otherwise what
  the extractor finds, with ``reviewed_by`` empty, so machine rows stay marked as such;
* **people**: each speaker resolved inside the article (a bare surname to the article's one
  full name with it, a description to the one named speaker with that role) and described
  once (person, organisation or nobody; the parts of the name), for
  :func:`utils.people.identify.identify`;
* **context**: the paragraph around each statement (cut to :data:`CONTEXT` characters on each
  side), so a dossier can show every statement in its sentence without the article files.
"""

from __future__ import annotations

import dataclasses
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from utils import schema
from utils.articles import Article, load_article, slugify
from utils.curation import check_offsets, check_stance_refs, curated_path
from utils.errors import TableError
from utils.metadata import resolve_metadata
from utils.people.cluster import Described, describe, resolve_in_article
from utils.quotes import Statement, describe_failure, extract
from utils.sentiment import score_text
from utils.stance import certainty_fields
from utils.statements import CORPUS, CURATED, statement_row

CONTEXT = 300  # characters of the paragraph kept on each side of a statement
STANCE_COLUMNS = ["article_id", "id", "topic", "proposition", "label", "rationale", "source", "annotator"]
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


@dataclass
class ArticleRows:
    """What one article gives the corpus (see the module docstring)."""

    rows: list[dict[str, object]]
    people: list[tuple[str, str, str]] = field(default_factory=list)  # (article_id, speaker, resolved)
    described: dict[str, Described] = field(default_factory=dict)
    stance: list[dict[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    dated: bool = False


def article_rows(path: Path, listed: dict[str, str], manifest: str = "") -> ArticleRows:
    """The corpus rows of the article at ``path``; ``listed`` is its row of the manifest (``manifest``)."""
    article = load_article(path, article_id=slugify(path.stem))
    found = resolve_metadata([("manifest", manifest, listed), *article.sources], name=path.name)
    about = {
        "article_id": article.article_id,
        "file": path.name,
        "title": found.fields.get("title") or article.title,
        "outlet": found.fields.get("outlet", ""),
        "date": found.fields.get("date", ""),
        "url": found.fields.get("url", ""),
        "date_source": found.date_source,
    }
    statements, reviewed, stance, skipped = _statements(article)
    roles: dict[str, set[str]] = {}
    for statement in statements:
        roles.setdefault(statement.speaker, set()).add(statement.affiliation)
    resolved = resolve_in_article([s.speaker for s in statements], article.text, roles)
    rows = [
        statement_row(
            statement,
            CORPUS,
            **about,
            id=statement_id,
            reviewed_by=reviewer,
            person_id="",  # the corpus-wide step fills these (utils.people.identify)
            person="",
            context=paragraph_context(article.text, statement.start, statement.end),
            **score_text(statement.text),
            **certainty_fields(statement.text),
        )
        for (statement_id, reviewer), statement in zip(reviewed, statements, strict=True)
    ]
    return ArticleRows(
        rows,
        [(article.article_id, s, resolved[s]) for s in dict.fromkeys(s.speaker for s in statements)],
        {name: describe(name) for name in set(resolved.values())},
        [{**label, "article_id": article.article_id} for label in stance],
        found.warnings,
        list(skipped),
        "date" in found.fields,
    )


def _statements(article: Article) -> tuple[list[Statement], list[tuple[str, str]], list[dict], list[str]]:
    """The statements (curated if people made the tables, else extracted), their (id, reviewed_by),
    people's stance labels, and the paragraphs the extractor skipped."""
    path = curated_path(article.article_id, "statements")
    if os.path.lexists(path):
        table = schema.read_table(path, CURATED.schema, CURATED.what)
        check_offsets(table, article.text, path)
        statements = [_statement(row) for row in table.to_dict("records")]
        reviewed = list(zip(table["id"], table["reviewed_by"], strict=True))
        return statements, reviewed, _labels(article, table), []
    extraction = extract(article.text)
    ids = [(f"a{n}", "") for n in range(1, len(extraction.statements) + 1)]
    skipped = [describe_failure(article.text, failure) for failure in extraction.failures]
    return extraction.statements, ids, [], skipped


def _statement(row: dict[str, object]) -> Statement:
    """A curated row as a :class:`Statement`; provenance the curated table lacks takes its default."""
    names = {f.name for f in dataclasses.fields(Statement)}
    values = {k: v for k, v in row.items() if k in names and not _missing(v)}
    return Statement(**values)


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _labels(article: Article, statements: pd.DataFrame) -> list[dict[str, str]]:
    """People's stance labels of a curated article, with each topic's proposition. As everywhere in
    the project, a statement labelled on one of its article's topics counts as labelled: a topic
    it has no label on is "not addressed" by people."""
    stance_path, topics_path = (curated_path(article.article_id, t) for t in ("stance", "topics"))
    if not os.path.lexists(stance_path):
        return []
    stance = schema.read_table(stance_path, schema.STANCE_SCHEMA, "stance labels")
    if not os.path.lexists(topics_path):
        problem = "has stance labels but its article has no topics table"
        raise TableError(stance_path, problem, f"add {topics_path}")
    topics = schema.read_table(topics_path, schema.TOPIC_SCHEMA, "topics")
    check_stance_refs(stance, statements, topics, stance_path)
    reviewers = dict(zip(statements["id"], statements["reviewed_by"], strict=True))
    given = {(r.id, r.topic): (r.label, r.rationale) for r in stance.itertuples(index=False)}
    return [
        {
            "id": statement,
            "topic": topic,
            "proposition": proposition,
            "label": given.get((statement, topic), (schema.NOT_ADDRESSED, ""))[0],
            "rationale": given.get((statement, topic), ("", ""))[1],
            "source": "people",
            "annotator": reviewers.get(statement, ""),
        }
        for statement in dict.fromkeys(stance["id"])
        for topic, proposition in zip(topics["topic"], topics["proposition"], strict=True)
    ]


def paragraph_context(text: str, start: int, end: int) -> str:
    """The paragraph holding ``text[start:end]``, cut to :data:`CONTEXT` characters on each side
    (at a space, with an ellipsis) so a long paragraph does not swell the table."""
    breaks = [m.end() for m in _PARAGRAPH_BREAK.finditer(text, 0, start)]
    first = max(breaks[-1] if breaks else 0, start - CONTEXT)
    following = _PARAGRAPH_BREAK.search(text, end)
    last = min(following.start() if following else len(text), end + CONTEXT)
    if first > 0 and not (breaks and first == breaks[-1]):
        first = text.find(" ", first, start) + 1 or first
    if last < len(text) and not (following and last == following.start()):
        last = text.rfind(" ", end, last) if text.rfind(" ", end, last) > end else last
    head = "…" if first > (breaks[-1] if breaks else 0) else ""
    tail = "…" if last < (following.start() if following else len(text)) else ""
    return head + text[first:last].strip() + tail
