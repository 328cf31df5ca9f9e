"""Self-contained HTML pages that run no script: the dossier's and the comparison's shared parts.

Both pages are single files a reader opens offline and shares with people who have no
Python. Their Content-Security-Policy allows only the page's own stylesheet, by hash, so
nothing from an article can run even if it slipped through; and every string from the
corpus is escaped where it is inserted (markupsafe), and an address becomes a link only
when it is a plain http(s) address.
"""

from __future__ import annotations

import base64
import hashlib
import math
from pathlib import Path
from urllib.parse import urlsplit

from markupsafe import Markup, escape

from utils.svgplot import CSS as FIGURE_CSS

RESOURCES = Path(__file__).resolve().parent / "resources"
CONTEXT = 160  # characters of the sentence shown on each side of a statement
#: The dossier's stylesheet (also the base of the comparison's).
STYLE = (RESOURCES / "dossier.css").read_text(encoding="utf-8") + FIGURE_CSS


def page(title: str, body: Markup, style: str = STYLE) -> str:
    """A complete page: its own stylesheet allowed by hash, nothing else (no script, no network)."""
    digest = base64.b64encode(hashlib.sha256(style.encode("utf-8")).digest()).decode("ascii")
    policy = (
        f"default-src 'none'; style-src 'sha256-{digest}'; img-src data:; base-uri 'none'; form-action 'none'"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="referrer" content="no-referrer"><title>{escape(title)}</title>'
        f"<style>{style}</style></head><body>{body}</body></html>\n"
    )


def missing(value: object) -> bool:
    """Whether a score is absent (None or NaN), so it is left undrawn rather than drawn as 0."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def short(text: str, limit: int = 90) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis (for tooltips)."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def safe_url(url: str) -> str:
    """An address that is a plain web link; anything else (javascript:, data:, relative) is not linked."""
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else ""


def source_line(row, rel: bool = True) -> Markup:
    """Date · outlet · title, the title a link to the article when its address is a web address.

    ``rel=False`` leaves out ``rel="noopener noreferrer"``, which a page that opens no window and
    sends no referrer (``<meta name="referrer" content="no-referrer">``) does not need: on a page
    of thousands of statements it is a tenth of a megabyte.
    """
    title = row.title or row.article_id
    url = safe_url(getattr(row, "url", "") or "")
    attributes = Markup(' rel="noopener noreferrer"') if rel else ""
    linked = Markup('<a href="{}"{}>{}</a>').format(url, attributes, title) if url else escape(title)
    return Markup("{} · {} · {}").format(row.date or "no date", row.outlet or "no outlet", linked)


def in_context(row) -> Markup:
    """The statement in its sentence: the context column with the statement marked, or the statement alone."""
    context = str(getattr(row, "context", "") or "")
    text = str(row.text)
    at = context.find(text) if context else -1
    if at < 0:
        return Markup("<mark>{}</mark>").format(text)
    before, after = context[:at][-CONTEXT:], context[at + len(text) :][:CONTEXT]
    return Markup("{}<mark>{}</mark>{}").format(before, text, after)
