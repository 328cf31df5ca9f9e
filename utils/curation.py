"""Curated tables: the statements, stance labels and speaker roles that people own.

Extraction proposes; people decide. For an article id ``X`` the curated files live in
``data/curated/``: ``X.statements.csv`` (one row per statement, with offsets into the
article), ``X.topics.csv`` (stance topics), ``X.stance.csv`` (a label per statement and
topic) and ``X.speakers.csv`` (expert / official / other). They are validated when
read, checked against the article text, and never written by the program except when
``seed_curation`` creates a file that does not exist yet.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from utils import schema, spreadsheet
from utils.articles import Article, data_dir
from utils.errors import TableError
from utils.files import check_new_file, write_new_file
from utils.outputs import check_file_output
from utils.quotes import ExtractionWarning, describe_failure, extract
from utils.statements import (
    CURATED,
    extract_table,
    statements_frame,
)  # extract_table: also imported from here

# Words in an affiliation that mark a commentator or an office-holder (a guess people can overrule).
_EXPERT_WORDS = re.compile(
    r"\b(fellow|professor|analyst|researcher|economist|scholar|expert|strategist|lecturer|scientist|"
    r"retired|former|think tank|institute|university|consultant|historian|author)\b",
    re.IGNORECASE,
)
_OFFICIAL_WORDS = re.compile(
    r"\b(president|minister|secretary|official|spokes\w*|ambassador|envoy|governor|senator|"
    r"government|ministry|department|pentagon|mayor|chancellor|commander|general|police|"
    r"administration|white house|kremlin|congress\w*|lawmaker|representative)\b",
    re.IGNORECASE,
)
GENERIC_TOPICS = pd.DataFrame(
    {
        "topic": ["outlook"],
        "proposition": ["The situation the speaker describes is favourable"],
        "keywords": [""],
    }
)


@dataclass(frozen=True)
class Curation:
    """An article with its statements, stance topics, labels and speaker roles.

    ``curated`` says whether the statements come from people (True) or straight from
    extraction (False); ``stance`` is empty when nobody has labelled anything.
    """

    article: Article
    statements: pd.DataFrame
    topics: pd.DataFrame
    stance: pd.DataFrame
    speakers: pd.DataFrame
    curated: bool
    skipped: tuple[str, ...] = ()  # one line per paragraph extraction skipped (its statements are missing)


def curated_dir() -> Path:
    """Folder of the curated tables (inside the data folder)."""
    return data_dir() / "curated"


def curated_path(article_id: str, table: str) -> Path:
    """Path of one curated table (statements, topics, stance or speakers) of an article."""
    return curated_dir() / f"{article_id}.{table}.csv"


def guard_output(target: str | Path, sources: Iterable[Path | None] = ()) -> Path:
    """Refuse an output path that would replace an input, a curated table or anything people made.

    Kept here for callers that know it by this name; the rules are in :mod:`utils.outputs`.
    """
    return check_file_output(target, sources)


def _extracted(article: Article) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """:func:`~utils.statements.extract_table` for an article, keeping the skipped paragraphs' lines
    for the report too."""
    result = extract(article.text)
    skipped = tuple(describe_failure(article.text, failure) for failure in result.failures)
    for line in skipped:
        warnings.warn(f"{article.path or article.article_id}: {line}", ExtractionWarning, stacklevel=3)
    return statements_frame(result.statements), skipped


def load_curation(article: Article) -> Curation:
    """The article's curated tables if there are any, otherwise what extraction proposes.

    With curated statements, missing topic/stance/speaker files mean "not labelled yet";
    without them, statements are extracted, the generic topic is used and roles are guessed.
    """
    path = curated_path(article.article_id, "statements")
    curated = os.path.lexists(path)  # a FIFO, folder or broken link there is an error, not 'no table'
    if curated:
        statements = schema.read_table(path, CURATED.schema, CURATED.what)
        check_offsets(statements, article.text, path)
        skipped: tuple[str, ...] = ()
    else:
        statements, skipped = _extracted(article)
    topics = _optional(article.article_id, "topics", schema.TOPIC_SCHEMA, GENERIC_TOPICS)
    stance = _optional(
        article.article_id,
        "stance",
        schema.STANCE_SCHEMA,
        pd.DataFrame(columns=schema.STANCE_COLUMNS, dtype="str"),
    )
    check_stance_refs(stance, statements, topics, curated_path(article.article_id, "stance"))
    speakers = _optional(
        article.article_id,
        "speakers",
        schema.SPEAKER_SCHEMA,
        pd.DataFrame(columns=schema.SPEAKER_COLUMNS, dtype="str"),
    )
    return Curation(article, statements, topics, stance, speakers, curated, skipped)


def _optional(article_id: str, table: str, table_schema, default: pd.DataFrame) -> pd.DataFrame:
    path = curated_path(article_id, table)
    return schema.read_table(path, table_schema, table) if os.path.lexists(path) else default


def check_offsets(statements: pd.DataFrame, text: str, path: Path | str) -> None:
    """Every statement must point at its own words in the article; raise on the first that does not."""
    for i, row in enumerate(statements.itertuples(index=False)):
        where = f"row {i + 2} (id {row.id})"
        if row.start > row.end:
            raise TableError(
                path,
                f"{where}: start {row.start} is after end {row.end}",
                _offset_fix(row.text, text),
            )
        if not 0 <= row.start <= row.end <= len(text):
            raise TableError(
                path,
                f"{where}: offsets {row.start}-{row.end} lie outside the article ({len(text)} characters)",
                _offset_fix(row.text, text),
            )
        span = text[row.start : row.end]
        ok = span == row.text if row.kind == "direct" else _pieces_match(row.text, span)
        if not ok:
            raise TableError(
                path,
                f"{where}: the text does not match the article at {row.start}-{row.end} "
                f"(there it reads {span[:40]!r})",
                _offset_fix(row.text, text),
            )


def _pieces_match(statement: str, span: str) -> bool:
    """A paraphrase may join verbatim pieces: its words must appear in order, starting and ending the span."""
    words, span_words = _words(statement), _words(span)
    if not words or not span_words or words[0] != span_words[0] or words[-1] != span_words[-1]:
        return False
    position = 0
    for word in words:
        try:
            position = span_words.index(word, position) + 1
        except ValueError:
            return False
    return True


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _offset_fix(statement: str, text: str) -> str:
    found = text.find(statement)
    if found >= 0:
        return f"the text occurs at start={found}, end={found + len(statement)}: set those offsets"
    return "copy the text exactly from the article, or correct start/end"


def check_stance_refs(
    stance: pd.DataFrame, statements: pd.DataFrame, topics: pd.DataFrame, path: Path | str
) -> None:
    """Stance labels must name a known statement id and a known topic."""
    ids, topic_ids = set(statements["id"]), set(topics["topic"])
    for i, row in enumerate(stance.itertuples(index=False)):
        if row.id not in ids:
            raise TableError(
                path,
                f"row {i + 2}: statement id {row.id!r} is not in the statements table",
                "use an id from the statements file",
            )
        if row.topic not in topic_ids:
            raise TableError(
                path,
                f"row {i + 2}: topic {row.topic!r} is not in the topics table",
                f"use one of: {', '.join(sorted(topic_ids))}",
            )


def speaker_roles(curation: Curation) -> dict[str, str]:
    """Role per speaker: the curated one where given, otherwise a guess from the affiliation."""
    curated = dict(zip(curation.speakers["speaker"], curation.speakers["role"], strict=True))
    guessed = {
        row.speaker: guess_role(row.affiliation)
        for row in curation.statements.drop_duplicates("speaker").itertuples(index=False)
    }
    return {**guessed, **curated}


def guess_role(affiliation: str) -> str:
    """Guess expert / official / other from an affiliation; the speakers file overrules it."""
    if _EXPERT_WORDS.search(affiliation):
        return "expert"
    if _OFFICIAL_WORDS.search(affiliation):
        return "official"
    return "other"


def seed_curation(article: Article, raw_csv: bool = False) -> list[Path]:
    """Create the curated statements and speakers tables from extraction, for people to correct.

    Existing files are left alone (they may hold hours of work); the function refuses
    rather than overwriting, and creates nothing if the statements file exists. Cells
    are neutralised for spreadsheets unless ``raw_csv`` (:mod:`utils.spreadsheet`); the
    tables read back the same either way.
    """
    target = curated_path(article.article_id, "statements")
    check_new_file(target)  # before extraction, which may take a while on a long article
    statements = extract_table(article.text)
    statements["id"] = [f"s{i:02d}" for i in range(1, len(statements) + 1)]
    seeded = statements[CURATED.columns]  # reviewed_by empty: people have not reviewed yet
    written = [write_new_file(target, spreadsheet.csv_file_text(seeded, raw_csv))]
    roles = pd.DataFrame({"speaker": statements["speaker"].drop_duplicates()})
    roles["role"] = [guess_role(a) for a in statements.drop_duplicates("speaker")["affiliation"]]
    speakers_path = curated_path(article.article_id, "speakers")
    if not speakers_path.exists():
        written.append(write_new_file(speakers_path, spreadsheet.csv_file_text(roles, raw_csv)))
    return written
