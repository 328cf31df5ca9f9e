"""Tables and text for notebook readers: escaped, styled, full text, no wrapped plain-text frames.

A printed frame wraps its columns ("certa / inty") and cuts statements; a reader wants an HTML
table whose long text wraps inside its cell. Every cell comes from an article or a curated table,
so every cell is escaped (HTML and Markdown alike) before JupyterLab or a report renders it.
"""

from __future__ import annotations

import hashlib
import html
import re

import pandas as pd

# Columns whose values are prose: they wrap in a wide cell instead of stretching the table.
PROSE_COLUMNS = ("text", "statement", "rationale", "proposition", "title", "affiliation")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>$])")


def escape_markdown(text: object) -> str:
    """``text`` safe inside Markdown: HTML escaped and Markdown's punctuation backslashed."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(str(text), quote=False))


def table_html(frame: pd.DataFrame, precision: int = 2, caption: str = "") -> str:
    """``frame`` as an escaped HTML table: no index, numbers rounded, prose columns wrapped.

    The table's element id is derived from its content, so re-running a notebook gives the same
    HTML (nbval compares it) and two tables on one page never share an id.
    """
    frame = frame.reset_index(drop=True)
    digest = hashlib.sha1(frame.to_csv(index=False).encode("utf-8")).hexdigest()[:10]
    prose = [c for c in frame.columns if str(c) in PROSE_COLUMNS]
    styler = (
        frame.style.hide(axis="index")
        .format(precision=precision, escape="html", na_rep="")
        .format_index(escape="html", axis=1)
        .set_uuid(f"eo{digest}")
        .set_table_attributes('class="eo-table"')
        .set_table_styles(
            [
                {"selector": "", "props": "border-collapse: collapse; font-size: 0.92em;"},
                {
                    "selector": "th",
                    "props": "text-align: left; padding: 3px 8px; border-bottom: 1px solid #999;",
                },
                {"selector": "td", "props": "text-align: left; vertical-align: top; padding: 3px 8px;"},
                {"selector": "tr:nth-child(even) td", "props": "background: rgba(127, 127, 127, 0.08);"},
            ]
        )
    )
    if prose:
        styler = styler.set_properties(subset=prose, **{"min-width": "18em", "max-width": "48em"})
    if caption:
        styler = styler.set_caption(html.escape(caption))
    return styler.to_html()


def show_table(frame: pd.DataFrame, precision: int = 2, caption: str = "") -> None:
    """Display :func:`table_html` in a notebook."""
    from IPython.display import HTML, display

    display(HTML(table_html(frame, precision=precision, caption=caption)))


def show_markdown(text: str) -> None:
    """Display Markdown made by :mod:`utils.narrative` (its data parts are already escaped)."""
    from IPython.display import Markdown, display

    display(Markdown(text))
