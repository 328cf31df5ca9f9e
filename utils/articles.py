"""Articles: finding, reading and normalising news articles (plain text or saved HTML).

An article's text is what every offset in the project points into, so it is produced
in one place, the same way every time: decoded (UTF-8; UTF-16/32 with a byte-order mark or
BOM-less UTF-16 recognised by its NUL bytes; lines that are not UTF-8 read as cp1252 with a
warning naming them), invisible and bidirectional control characters removed (so they can
neither cut a name nor reach an output), other control characters made spaces and other
line breaks ``\n`` (one for one), NFC-normalised, line endings unified, trailing spaces and
scraper boilerplate removed, blank-line runs collapsed. For a clean file in the dev-set
layout (title line, blank line, paragraphs separated by blank lines) the text is the file
itself. Metadata values (sidecar, web page) get the same cleaning, on one line.

Only regular files are read, through :func:`utils.files.read_regular`: a FIFO, device or
socket is refused, never waited on, and a symbolic link loop, a broken link or a permission
problem is a one-line :class:`~utils.errors.ArticleError`.

An article id is a name, never a path: lower-case ASCII letters, digits and single hyphens, at
most :data:`MAX_ID` characters (:func:`check_article_id`). Ids are made from file names by
:func:`slugify`: a name that is already an id keeps it, any other gets a readable form plus a
short hash of the name, so different file names never share an id. A bundled article's id
always means that article (:func:`resolve_article`, :func:`bundled_article`).
"""

from __future__ import annotations

import codecs
import dataclasses
import errno
import json
import os
import re
import unicodedata
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from utils.errors import ArticleError, ArticleNotFoundError
from utils.files import MAX_ARTICLE_BYTES, MAX_SIDECAR_BYTES, read_regular
from utils.names import distinct_name

MAX_ID = 80
MAX_META_CHARS = 2_000  # a title, date, outlet or address longer than this is not one (left out)
SIDECAR_KEYS = ("title", "date", "outlet", "source", "url")  # what the tools read from a sidecar
#: What a saved page's metadata can give (trafilatura's name -> ours: the site's name is the outlet).
PAGE_FIELDS = {"title": "title", "date": "date", "sitename": "outlet", "url": "url"}
# Characters that show nothing yet change what a name is: zero-width space, non-joiner and
# joiner, word joiner and invisible operators, byte-order mark inside the text, soft hyphen,
# combining grapheme joiner, Hangul and Khmer fillers, Mongolian vowel separator,
# interlinear annotation marks, tag characters, and every bidirectional control (marks,
# embeddings, overrides, isolates): "Ka\u200bgan" is "Kagan", "Lo\u202epez" is "Lopez".
# Removing the joiners also splits emoji sequences (👨‍👩‍👧 becomes three faces) and changes the
# shaping of some scripts (Persian, Indic); for the news this tool reads, names matter more.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064"
    "\u2066-\u206f\u3164\ufeff\uffa0\ufff9-\ufffb\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f]"
)
# Line breaks other than \n (vertical tab, form feed, file/group/record separators, NEL, line and
# paragraph separators) become \n and other control characters a space, one for one, so that
# every tool splits lines alike and no control character reaches a table or a page.
_LINE_BREAKS = re.compile("[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")
_SURROGATES = re.compile("[\ud800-\udfff]")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
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
    #: Where the metadata came from, most trusted first: (source, file, values), e.g. ("sidecar",
    #: "a.json", {...}) and ("page", "a.html", {...}); see :mod:`utils.metadata`.
    sources: tuple[tuple[str, str, dict[str, str]], ...] = ()

    def __post_init__(self) -> None:
        check_article_id(self.article_id)  # ids end up in file names: an unsafe one never gets that far


#: The checkout's data folder, resolved once: extraction asks for the data folder on every article.
_DATA_DIR = Path(__file__).resolve().parents[1] / "data"


def paragraphs(text: str) -> list[list[int]]:
    """Start and end offsets of the article's paragraphs (blank-line separated)."""
    spans, start = [], 0
    for gap in _PARAGRAPH_BREAK.finditer(text):
        if gap.start() > start:
            spans.append([start, gap.start()])
        start = gap.end()
    if start < len(text):
        spans.append([start, len(text)])
    return spans


def data_dir() -> Path:
    """The project's data folder (``EXPERT_OPINIONS_DATA`` overrides it, e.g. for tests)."""
    return Path(os.environ.get("EXPERT_OPINIONS_DATA") or _DATA_DIR)


def articles_dir() -> Path:
    """Where bundled articles live: ``data/articles/<article-id>.txt`` plus ``<article-id>.json``."""
    return data_dir() / "articles"


def slugify(name: str) -> str:
    """A safe article id made from a file name: two different names never share one.

    A name that is already an id ("kursk-2025-01") is its own id, so existing ids stay. Any
    other name keeps a readable form ("Überraschung" -> "uberraschung", "Статья 2" -> "2",
    "新闻" -> "article") plus eight hex digits of the NFC name's SHA-256, so ``Story`` and
    ``story``, ``café`` and ``cafe``, ``a (1)`` and ``a-1`` differ; an id over :data:`MAX_ID`
    characters is shortened the same way (rules: :mod:`utils.names`).
    """
    return distinct_name(name, lower=True, keep="", max_length=MAX_ID, fallback="article")


def is_article_id(value: object) -> bool:
    """Is ``value`` a safe article id (lower-case letters, digits, single hyphens, at most 80)?"""
    return isinstance(value, str) and len(value) <= MAX_ID and _ID_RE.fullmatch(value) is not None


def check_article_id(value: str) -> str:
    """Return ``value`` if it is a safe article id, else raise a one-line :class:`ArticleError`.

    Call it wherever an id becomes part of a path (curated tables, reports, annotations): an id
    such as ``../../elsewhere/story`` must never reach a file name.
    """
    if not is_article_id(value):
        shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:59] + "…"
        raise ArticleError(
            None,
            f"article id {shown} is not a safe name",
            f"an id has only lower-case letters, digits and single hyphens, at most {MAX_ID} characters",
        )
    return value


def bundled_ids() -> list[str]:
    """Ids of the articles shipped in ``data/articles`` (files whose name is not a safe id are left out)."""
    return sorted(p.stem for p in articles_dir().glob("*.txt") if is_article_id(p.stem))


def read_bytes(path: Path, limit: int = MAX_ARTICLE_BYTES, what: str = "article") -> bytes:
    """An article's (or its sidecar's) bytes from the project's one reader, errors as :class:`ArticleError`.

    Only a regular file under ``limit`` bytes is read; a FIFO or device is refused, never
    waited on (:func:`utils.files.read_regular`).
    """
    return read_regular(path, limit, what, ArticleError, not_found=ArticleNotFoundError)


def decode(data: bytes, path: Path | str) -> str:
    """Decode article bytes: a byte-order mark or UTF-16's NUL pattern first, then UTF-8 line by line.

    In lines that are not valid UTF-8 (a few cp1252 bytes pasted into a UTF-8 file, or a whole
    Windows-saved file) the bytes that are not UTF-8 are read as cp1252, so the UTF-8 curly
    quotes of the same line survive; a warning names the first such lines.
    """
    unicode = _utf16_or_32(data, path)
    if unicode is not None:
        return unicode
    if b"\x00" in data[:65536] or _control_ratio(data[:65536]) > 0.05:
        raise ArticleError(path, "looks like a binary file, not text", "give the article as .txt or .html")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    lines, repaired = [], []
    for number, line in enumerate(data.removeprefix(b"\xef\xbb\xbf").split(b"\n"), start=1):
        try:
            lines.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            lines.append(line.decode("utf-8", errors=_CP1252_FALLBACK))
            repaired.append(number)
    total = len(lines) - (1 if data.endswith(b"\n") else 0)  # a final newline ends a line, starts none
    shown = ", ".join(map(str, repaired[:5])) + (", …" if len(repaired) > 5 else "")
    where = "all lines" if len(repaired) == total else f"{len(repaired)} of {total} lines (line {shown})"
    warnings.warn(
        f"{path}: not valid UTF-8 in {where}; read as cp1252 — check accented letters and quotes there",
        ArticleWarning,
        stacklevel=2,
    )
    return "\n".join(lines)


def _cp1252_bytes(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: bytes that are not UTF-8 are cp1252 (latin-1 for its five undefined bytes)."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = exc.object[exc.start : exc.end]
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in bad), exc.end


_CP1252_FALLBACK = "expert-opinions-cp1252"
codecs.register_error(_CP1252_FALLBACK, _cp1252_bytes)


_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def _utf16_or_32(data: bytes, path: Path | str) -> str | None:
    """Text of a UTF-16/32 file (with a byte-order mark, or BOM-less UTF-16 from its NULs), else None.

    Without a mark, UTF-16 text in a Latin script has a NUL in every other byte: in the odd
    positions for little-endian, the even ones for big-endian. Binary files have no such pattern.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _decode_unicode(data[len(bom) :], codec, path)
    sample = data[:65536]
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    half = len(sample) // 2
    even, odd = sample[0 : 2 * half : 2].count(0), sample[1 : 2 * half : 2].count(0)
    if odd > 0.6 * half and even < 0.05 * half:
        return _decode_unicode(data, "utf-16-le", path)
    if even > 0.6 * half and odd < 0.05 * half:
        return _decode_unicode(data, "utf-16-be", path)
    return None


def _decode_unicode(data: bytes, codec: str, path: Path | str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise ArticleError(
            path,
            f"looks like {codec.upper()} text but byte {exc.start} is not valid {codec.upper()}",
            "save the article again as UTF-8",
        ) from None


def _control_ratio(data: bytes) -> float:
    """Share of bytes that are control characters other than tab, newline, carriage return, form feed."""
    if not data:
        return 0.0
    controls = sum(1 for b in data if b < 32 and b not in (9, 10, 12, 13))
    return controls / len(data)


def normalise(text: str) -> str:
    """Normalise raw article text so offsets are stable (see the module docstring).

    Invisible characters go first and NFC comes after, so an accent left stranded by a removed
    zero-width character still composes with its letter. Every command reads this text, so
    every offset (curated tables, annotations) points into it.
    """
    text = _CONTROLS.sub(" ", _LINE_BREAKS.sub("\n", _INVISIBLE.sub("", text)))
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
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
    # extensive=False: the page's own date metadata and address only, never a date guessed from its text
    meta_obj = trafilatura.extract_metadata(html, extensive=False)
    meta = {
        PAGE_FIELDS[k]: str(getattr(meta_obj, k))
        for k in PAGE_FIELDS
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
    meta = clean_meta(dict(meta or {}), path or article_id)
    title = meta.get("title") or text.split("\n", 1)[0].strip()
    return Article(article_id=article_id, title=title, text=text, path=path, meta=meta)


def load_article(path: str | Path, article_id: str | None = None) -> Article:
    """Load an article file (.txt, or .html/.htm saved from the web) with its sidecar metadata."""
    path = Path(path)
    data = read_bytes(path)
    raw = decode(data, path)
    meta = _sidecar_meta(path)
    sources = [("sidecar", str(path.with_suffix(".json")), dict(meta))] if meta else []
    if path.suffix.lower() in (".html", ".htm") or _HTML_START.match(data[:1024]):
        if path.suffix.lower() not in (".html", ".htm"):
            warnings.warn(
                f"{path}: contains an HTML page; its main text was taken out with trafilatura",
                ArticleWarning,
                stacklevel=2,
            )
        raw, html_meta = html_to_text(raw, path)
        meta = {**html_meta, **meta}
        sources.append(("page", str(path), html_meta))
    article = article_from_text(raw, article_id or slugify(path.stem), path=path, meta=meta)
    return dataclasses.replace(article, sources=tuple(sources))


def _sidecar_meta(path: Path) -> dict[str, str]:
    """Metadata from ``<stem>.json`` beside the article, if there is one.

    The sidecar is as hostile as the article: it must be a regular file under
    :data:`MAX_SIDECAR_BYTES`, UTF-8, a JSON object of modest depth; only string or number
    values of :data:`SIDECAR_KEYS` are kept.
    """
    sidecar = path.with_suffix(".json")
    if not (sidecar.exists() or sidecar.is_symlink()):
        return {}
    data = read_bytes(sidecar, MAX_SIDECAR_BYTES, "article's metadata")
    try:  # numbers are kept as written: a 5,000-digit one must not reach int()
        meta = json.loads(data.decode("utf-8-sig"), parse_int=str, parse_constant=lambda name: None)
    except UnicodeDecodeError as exc:
        raise ArticleError(
            sidecar, f"is not UTF-8 (byte {exc.start})", "save it again as UTF-8 JSON"
        ) from None
    except json.JSONDecodeError as exc:
        raise ArticleError(sidecar, f"is not valid JSON ({exc})", "fix it or delete it") from None
    except RecursionError:
        raise ArticleError(
            sidecar, "is JSON nested too deeply to be metadata", "fix it or delete it"
        ) from None
    if not isinstance(meta, dict):
        raise ArticleError(sidecar, 'must hold a JSON object such as {"title": "..."}', "fix it")
    return {
        key: str(value)
        for key, value in meta.items()
        if key in SIDECAR_KEYS and isinstance(value, (str, float)) and not isinstance(value, bool)
    }


def clean_meta(meta: dict[str, str], source: Path | str) -> dict[str, str]:
    """Metadata values as one clean line each; a value too long to be metadata is left out, with a warning.

    Values get the article text's treatment (invisible and bidirectional controls removed,
    control characters and line breaks become spaces) and lone surrogates become U+FFFD, so
    nothing invisible or unencodable reaches a report or a table.
    """
    cleaned = {}
    for key, value in meta.items():
        line = " ".join(_CONTROLS.sub(" ", _INVISIBLE.sub("", value)).split())
        line = unicodedata.normalize("NFC", _SURROGATES.sub("\ufffd", line))
        if len(line) > MAX_META_CHARS:
            warnings.warn(
                f"{source}: the {key!r} is {len(line):,} characters long, too long to be one; left out",
                ArticleWarning,
                stacklevel=3,
            )
            continue
        cleaned[key] = line
    return cleaned


def resolve_article(ref: str | Path) -> Article:
    """An article from the id of a bundled article in ``data/articles``, or from a path.

    A string that is a bundled article's id means that article, even when a file of the same
    name lies in the working folder (``./NAME`` reads that file): a stray file never shadows
    an id. Anything else that names an existing file (or a link, so a broken link or a loop is
    reported as such) is a path; a :class:`~pathlib.Path` always is.
    """
    if isinstance(ref, str) and is_article_id(ref) and _bundled_path(ref).is_file():
        return bundled_article(ref)
    path = Path(ref)
    if _names_something(path):
        return load_article(path)
    raise _not_found(str(ref), "is neither a file nor a bundled article id", "a .txt/.html article's path or")


def bundled_article(article_id: str) -> Article:
    """The bundled article ``article_id``, for commands that take an id only: no file elsewhere is read.

    An id is never used to build a path until :func:`is_article_id` has accepted it.
    """
    if is_article_id(article_id) and _bundled_path(article_id).is_file():
        return load_article(_bundled_path(article_id), article_id=article_id)
    raise _not_found(str(article_id), "is not the id of a bundled article")


def _bundled_path(article_id: str) -> Path:
    return articles_dir() / f"{article_id}.txt"


def _not_found(ref: str, problem: str, alternative: str = "") -> ArticleNotFoundError:
    shown = ref if ref.isprintable() and len(ref) <= 200 else repr(ref)[:200]
    known = ", ".join(bundled_ids()) or "none"
    return ArticleNotFoundError(shown, problem, " ".join(["give", *alternative.split(), "one of:", known]))


def _names_something(path: Path) -> bool:
    """Is ``path`` a file system entry (a link, even broken, counts; so does one we may not look at)?"""
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError as exc:
        return exc.errno in (errno.ELOOP, errno.EACCES, errno.EPERM)
    return True
