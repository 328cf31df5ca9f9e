"""Articles: finding, reading and normalising news articles (plain text or saved HTML).

An article's text is what every offset in the project points into, so it is produced
in one place, the same way every time: decoded (UTF-8, or cp1252 with a warning),
line endings unified, trailing spaces and scraper boilerplate removed, blank-line
runs collapsed. For a clean file in the dev-set layout (title line, blank line,
paragraphs separated by blank lines) the text is the file itself.
"""

from __future__ import annotations

import json
import os
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from utils.errors import ArticleError, ArticleNotFoundError

MAX_BYTES = 50_000_000
MIN_HTML_WORDS = 15  # less main text than this in a web page is a menu or an error page, not an article
ARTICLE_SUFFIXES = (".txt", ".html", ".htm")
# Lines a scraper leaves after the article body ("Source link", "Scroll to Top", ...).
_BOILERPLATE = re.compile(
    r"(source link|about the author|scroll to top|advertisement|share this( article)?|read more|"
    r"related( articles| stories)?|sign up for our newsletter)\W*",
    re.IGNORECASE,
)
_HTML_START = re.compile(rb"\A\s*(<!doctype html|<html|<head|<body|<\?xml)", re.IGNORECASE)


class ArticleWarning(UserWarning):
    """Something was read with a fallback (encoding, HTML given as text); the result may need a look."""


@dataclass(frozen=True)
class Article:
    """One article: its id, title, normalised text and whatever metadata is known."""

    article_id: str
    title: str
    text: str
    path: Path | None = None
    meta: dict[str, str] = field(default_factory=dict)


def data_dir() -> Path:
    """The project's data folder (``EXPERT_OPINIONS_DATA`` overrides it, e.g. for tests)."""
    return Path(os.environ.get("EXPERT_OPINIONS_DATA") or Path(__file__).resolve().parents[1] / "data")


def articles_dir() -> Path:
    """Where bundled articles live: ``data/articles/<article-id>.txt`` plus ``<article-id>.json``."""
    return data_dir() / "articles"


def slugify(name: str) -> str:
    """A filesystem- and URL-safe article id made from a file name."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug or "article"


def bundled_ids() -> list[str]:
    """Ids of the articles shipped in ``data/articles``."""
    return sorted(p.stem for p in articles_dir().glob("*.txt"))


def read_bytes(path: Path) -> bytes:
    """Read a file's bytes, turning every way it can fail into a one-line :class:`ArticleError`."""
    if not path.exists():
        raise ArticleNotFoundError(path, "no such file", "check the path")
    if path.is_dir():
        raise ArticleError(path, "is a folder, not an article file", "give a .txt or .html file")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ArticleError(
            path,
            f"is {size / 1e6:.0f} MB, larger than the {MAX_BYTES / 1e6:.0f} MB limit",
            "split it into separate articles",
        )
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ArticleError(path, f"cannot be read ({exc.strerror})", "check its permissions") from None


def decode(data: bytes, path: Path | str) -> str:
    """Decode article bytes: UTF-8 first, then cp1252 (common for Windows-saved text) with a warning."""
    if b"\x00" in data[:65536] or _control_ratio(data[:65536]) > 0.05:
        raise ArticleError(path, "looks like a binary file, not text", "give the article as .txt or .html")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    warnings.warn(
        f"{path}: not valid UTF-8; read as cp1252 — check accented letters and quotation marks",
        ArticleWarning,
        stacklevel=2,
    )
    return text


def _control_ratio(data: bytes) -> float:
    """Share of bytes that are control characters other than tab, newline, carriage return, form feed."""
    if not data:
        return 0.0
    controls = sum(1 for b in data if b < 32 and b not in (9, 10, 12, 13))
    return controls / len(data)


def normalise(text: str) -> str:
    """Normalise raw article text so offsets are stable (see the module docstring)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    lines = [line.rstrip() for line in text.split("\n")]
    while lines and (not lines[-1] or _BOILERPLATE.fullmatch(lines[-1])):
        lines.pop()
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out) + "\n" if out else ""


def html_to_text(html: str, path: Path | str) -> tuple[str, dict[str, str]]:
    """Take the main text and metadata out of a saved web page with trafilatura."""
    import trafilatura  # imported here: it is slow to import and only HTML needs it

    body = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True)
    if not body or len(body.split()) < MIN_HTML_WORDS:
        raise ArticleError(
            path,
            "is an HTML page with no article text that could be found",
            "save the article's text as .txt instead",
        )
    meta_obj = trafilatura.extract_metadata(html)
    meta = {
        k: str(getattr(meta_obj, k))
        for k in ("title", "date", "sitename", "url")
        if meta_obj is not None and getattr(meta_obj, k, None)
    }
    paragraphs = [p.strip() for p in body.split("\n") if p.strip()]
    title = meta.get("title", "").strip()
    if title and paragraphs and paragraphs[0] == title:
        paragraphs = paragraphs[1:]
    return "\n\n".join([title or paragraphs[0], *paragraphs]) + "\n", meta


def article_from_text(
    raw: str, article_id: str, path: Path | None = None, meta: dict[str, str] | None = None
) -> Article:
    """Build an :class:`Article` from raw text; the title is its first line unless metadata names one."""
    text = normalise(raw)
    if not text.strip():
        raise ArticleError(path or article_id, "is empty", "give an article with a title line and paragraphs")
    meta = dict(meta or {})
    title = meta.get("title") or text.split("\n", 1)[0].strip()
    return Article(article_id=article_id, title=title, text=text, path=path, meta=meta)


def load_article(path: str | Path, article_id: str | None = None) -> Article:
    """Load an article file (.txt, or .html/.htm saved from the web) with its sidecar metadata."""
    path = Path(path)
    data = read_bytes(path)
    raw = decode(data, path)
    meta = _sidecar_meta(path)
    if path.suffix.lower() in (".html", ".htm") or _HTML_START.match(data[:1024]):
        if path.suffix.lower() not in (".html", ".htm"):
            warnings.warn(
                f"{path}: contains an HTML page; its main text was taken out with trafilatura",
                ArticleWarning,
                stacklevel=2,
            )
        raw, html_meta = html_to_text(raw, path)
        meta = {**html_meta, **meta}
    return article_from_text(raw, article_id or slugify(path.stem), path=path, meta=meta)


def _sidecar_meta(path: Path) -> dict[str, str]:
    """Metadata from ``<stem>.json`` beside the article, if there is one."""
    sidecar = path.with_suffix(".json")
    if not sidecar.is_file():
        return {}
    try:
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ArticleError(sidecar, f"is not valid JSON ({exc})", "fix it or delete it") from None
    if not isinstance(meta, dict):
        raise ArticleError(sidecar, 'must hold a JSON object such as {"title": "..."}', "fix it")
    return {str(k): str(v) for k, v in meta.items() if v is not None}


def resolve_article(ref: str | Path) -> Article:
    """An article from a path, or from the id of a bundled article in ``data/articles``."""
    path = Path(ref)
    if path.exists():
        return load_article(path)
    bundled = articles_dir() / f"{ref}.txt"
    if bundled.is_file():
        return load_article(bundled, article_id=str(ref))
    known = ", ".join(bundled_ids()) or "none"
    raise ArticleNotFoundError(
        ref,
        "is neither a file nor a bundled article id",
        f"give a path to a .txt/.html article or one of: {known}",
    )
