"""Articles: finding, reading and normalising news articles (plain text or saved HTML).

An article's text is what every offset in the project points into, so it is produced
in one place, the same way every time: decoded (UTF-8; UTF-16/32 with a byte-order mark or
BOM-less UTF-16 recognised by its NUL bytes; lines that are not UTF-8 read as cp1252 with a
warning naming them), zero-width characters removed, NFC-normalised, line endings unified,
trailing spaces and scraper boilerplate removed, blank-line runs collapsed. For a clean file
in the dev-set layout (title line, blank line, paragraphs separated by blank lines) the text
is the file itself.

Only regular files are read: a FIFO, device or socket is refused before it is opened (reading
one could wait forever), and a symbolic link loop, a broken link or a permission problem is a
one-line :class:`~utils.errors.ArticleError`.

An article id is a name, never a path: lower-case ASCII letters, digits and single hyphens, at
most :data:`MAX_ID` characters (:func:`check_article_id`). Ids are made from file names by
:func:`slugify`, which transliterates accents and adds a short hash of the name whenever
anything else is lost, so different file names do not share an id.
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import json
import os
import re
import stat
import unicodedata
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from utils.errors import ArticleError, ArticleNotFoundError

MAX_BYTES = 50_000_000
MAX_SIDECAR_BYTES = 1_000_000  # metadata is a few lines; a bigger sidecar is not metadata
MAX_ID = 80
SIDECAR_KEYS = ("title", "date", "outlet", "source", "url")  # what the tools read from a sidecar
# Invisible characters that split a word without showing ("Ka\u200bgan"): zero-width space,
# non-joiner, joiner, word joiner, a byte-order mark inside the text, soft hyphen. Removing
# the joiners also splits emoji sequences (👨‍👩‍👧 becomes three faces) and changes the
# shaping of some scripts (Persian, Indic); for the news this tool reads, names matter more.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
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

    def __post_init__(self) -> None:
        check_article_id(self.article_id)  # ids end up in file names: an unsafe one never gets that far


def data_dir() -> Path:
    """The project's data folder (``EXPERT_OPINIONS_DATA`` overrides it, e.g. for tests)."""
    return Path(os.environ.get("EXPERT_OPINIONS_DATA") or Path(__file__).resolve().parents[1] / "data")


def articles_dir() -> Path:
    """Where bundled articles live: ``data/articles/<article-id>.txt`` plus ``<article-id>.json``."""
    return data_dir() / "articles"


def slugify(name: str) -> str:
    """A safe article id made from a file name (see the module docstring).

    "Überraschung" -> "uberraschung"; a name whose letters do not all survive transliteration
    ("Статья", "新闻", "café — notes") keeps what it can and gets eight hex digits of the NFC name's
    SHA-256, so two such names never share an id; an id over :data:`MAX_ID` characters is
    shortened the same way.
    """
    nfc = unicodedata.normalize("NFC", name)
    folded = "".join(c for c in unicodedata.normalize("NFKD", nfc) if not unicodedata.combining(c))
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    if slug and folded.isascii() and len(slug) <= MAX_ID:
        return slug
    tag = hashlib.sha256(nfc.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{(slug or 'article')[: MAX_ID - 9].rstrip('-')}-{tag}"


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


def read_bytes(path: Path, limit: int = MAX_BYTES, what: str = "article") -> bytes:
    """Read a regular file's bytes, turning every way it can fail into a one-line :class:`ArticleError`.

    The file is checked before it is opened and again once open (it may have been swapped): a
    FIFO or device is refused, never read, so a command cannot hang on it.
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            raise ArticleError(path, "is a broken symbolic link", "point it at an article file") from None
        raise ArticleNotFoundError(path, "no such file", "check the path") from None
    except OSError as exc:
        raise _os_error(path, exc) from None
    _check_regular(path, info, limit, what)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise _os_error(path, exc) from None
    with os.fdopen(fd, "rb") as handle:
        _check_regular(path, os.fstat(handle.fileno()), limit, what)
        try:
            return handle.read(limit + 1)
        except OSError as exc:
            raise _os_error(path, exc) from None


def _check_regular(path: Path, info: os.stat_result, limit: int, what: str) -> None:
    """Refuse folders, FIFOs, devices and sockets, and files over ``limit`` bytes."""
    if stat.S_ISDIR(info.st_mode):
        raise ArticleError(path, "is a folder, not a file", f"give the {what} file itself")
    if not stat.S_ISREG(info.st_mode):
        kind = "a FIFO (named pipe)" if stat.S_ISFIFO(info.st_mode) else "a device or socket"
        raise ArticleError(path, f"is {kind}, not a regular file", f"save the {what} to a file and give that")
    if info.st_size > limit:
        raise ArticleError(
            path,
            f"is {info.st_size / 1e6:.1f} MB, over the {limit / 1e6:g} MB limit for an {what} file",
            "split it into separate articles" if what == "article" else "check that it is the right file",
        )


def _os_error(path: Path, exc: OSError) -> ArticleError:
    """One line for an operating-system error while reading ``path``."""
    if exc.errno == errno.ELOOP:
        return ArticleError(path, "is a symbolic link loop", "point the link at a real file")
    if isinstance(exc, PermissionError):
        return ArticleError(path, "cannot be read (permission denied)", "check its permissions")
    return ArticleError(path, f"cannot be read ({exc.strerror or type(exc).__name__})", "check the file")


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
    zero-width character still composes with its letter.
    """
    text = unicodedata.normalize("NFC", text.translate(_INVISIBLE))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
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
    """Metadata from ``<stem>.json`` beside the article, if there is one.

    The sidecar is as hostile as the article: it must be a regular file under
    :data:`MAX_SIDECAR_BYTES`, UTF-8, a JSON object of modest depth; only string or number
    values of :data:`SIDECAR_KEYS` are kept.
    """
    sidecar = path.with_suffix(".json")
    if not (sidecar.exists() or sidecar.is_symlink()):
        return {}
    data = read_bytes(sidecar, MAX_SIDECAR_BYTES, "article's metadata")
    try:
        meta = json.loads(data.decode("utf-8-sig"))
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
        if key in SIDECAR_KEYS and isinstance(value, (str, int, float)) and not isinstance(value, bool)
    }


def resolve_article(ref: str | Path) -> Article:
    """An article from a path, or from the id of a bundled article in ``data/articles``.

    A ref that names an existing file (or a link, so a broken link or a loop is reported as
    such) is a path. Anything else must be a safe id of a bundled article: an id is never used
    to build a path until :func:`is_article_id` has accepted it.
    """
    path = Path(ref)
    if _names_something(path):
        return load_article(path)
    known = ", ".join(bundled_ids()) or "none"
    if is_article_id(str(ref)):
        bundled = articles_dir() / f"{ref}.txt"
        if bundled.is_file():
            return load_article(bundled, article_id=str(ref))
    shown = str(ref) if str(ref).isprintable() and len(str(ref)) <= 200 else repr(str(ref))[:200]
    raise ArticleNotFoundError(
        shown,
        "is neither a file nor a bundled article id",
        f"give a path to a .txt/.html article or one of: {known}",
    )


def _names_something(path: Path) -> bool:
    """Is ``path`` a file system entry (a link, even broken, counts; so does one we may not look at)?"""
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError as exc:
        return exc.errno in (errno.ELOOP, errno.EACCES, errno.EPERM)
    return True
