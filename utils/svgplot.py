"""Small figures as inline SVG whose every mark is a link to the statements behind it.

The dossier and the comparison pages are single HTML files that must work offline, run no
script and let a reader go from any bar or dot to its source sentences. Matplotlib draws
pictures; these functions draw marks wrapped in ``<a href="#anchor">`` with a ``<title>`` (the
tooltip), every label escaped, so a name from an article can never become markup. Each
figure is drawn twice, wide and narrow, and the page's stylesheet shows the one that fits
the screen, so a phone gets a figure redrawn for 360 pixels, not a desktop figure shrunk.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

WIDE, NARROW = 880, 360
FONT = 13
_BAR_GAP = 0.25


@dataclass(frozen=True)
class Bar:
    """One bar: its label, value, the anchor it leads to, its tooltip, and a CSS class (its colour)."""

    label: str
    value: float
    href: str
    tip: str = ""
    css: str = "bar"


@dataclass(frozen=True)
class Dot:
    """A dot on a time line: x in [0, 1] along the span, y in [-1, 1], its anchor, tooltip, class, radius."""

    x: float
    y: float
    href: str
    tip: str
    css: str = "dot"
    r: float = 5.0


@dataclass(frozen=True)
class Lane:
    """A row of a lanes figure: its label and its dots (a dot's y in [-1, 1] moves it up or down the row)."""

    label: str
    dots: Sequence[Dot]


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _link(href: str, tip: str, inner: str) -> str:
    return f'<a href="{_esc(href)}"><title>{_esc(tip)}</title>{inner}</a>'


def _svg(width: int, height: int, label: str, body: list[str], css: str) -> str:
    return (
        f'<svg class="{css}" viewBox="0 0 {width} {height}" role="img" aria-label="{_esc(label)}" '
        f'xmlns="http://www.w3.org/2000/svg" font-size="{FONT}">' + "".join(body) + "</svg>"
    )


def bar_chart(bars: Sequence[Bar], label: str) -> str:
    """Horizontal bars, one per row (names stay readable at any width), wide and narrow copies."""
    return "".join(_bars(bars, label, width, css) for width, css in ((WIDE, "wide"), (NARROW, "narrow")))


def _bars(bars: Sequence[Bar], label: str, width: int, css: str) -> str:
    row = FONT * 2
    label_width = min(width * 0.42, 260)
    top = max((b.value for b in bars), default=0) or 1
    body = []
    for i, bar in enumerate(bars):
        y = i * row
        length = (width - label_width - 48) * bar.value / top
        text = _fit(bar.label, label_width)
        mark = (
            f'<rect class="{_esc(bar.css)}" x="{label_width:.0f}" y="{y + row * _BAR_GAP:.1f}" '
            f'width="{max(length, 1):.1f}" height="{row * (1 - 2 * _BAR_GAP):.1f}"/>'
            f'<text x="{label_width - 6:.0f}" y="{y + row * 0.68:.1f}" text-anchor="end">{_esc(text)}</text>'
            f'<text x="{label_width + length + 4:.1f}" y="{y + row * 0.68:.1f}">'
            f"{_esc(_number(bar.value))}</text>"
        )
        body.append(_link(bar.href, bar.tip or f"{bar.label}: {_number(bar.value)}", mark))
    return _svg(width, max(len(bars), 1) * row, label, body, css)


def time_dots(dots: Sequence[Dot], label: str, start: str, end: str, y_label: tuple[str, str]) -> str:
    """Dots along a dated axis (``start`` and ``end`` label its ends; y from -1 to 1), wide and narrow."""
    return "".join(
        _dots(dots, label, width, css, start, end, y_label)
        for width, css in ((WIDE, "wide"), (NARROW, "narrow"))
    )


def _dots(
    dots: Sequence[Dot], label: str, width: int, css: str, start: str, end: str, y_label: tuple[str, str]
) -> str:
    height, left, right, top, bottom = 170, 8, 8, 18, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    middle = top + plot_h / 2
    body = [
        f'<line class="axis" x1="{left}" y1="{middle}" x2="{width - right}" y2="{middle}"/>',
        f'<text class="note" x="{left}" y="{FONT}">{_esc(y_label[1])}</text>',
        f'<text class="note" x="{left}" y="{height - bottom + FONT - 2}">{_esc(y_label[0])}</text>',
        f'<text class="note" x="{left}" y="{height - 4}">{_esc(start)}</text>',
        f'<text class="note" x="{width - right}" y="{height - 4}" text-anchor="end">{_esc(end)}</text>',
    ]
    for dot in dots:
        x = left + plot_w * min(max(dot.x, 0.0), 1.0)
        y = middle - plot_h / 2 * min(max(dot.y, -1.0), 1.0)
        circle = f'<circle class="{_esc(dot.css)}" cx="{x:.1f}" cy="{y:.1f}" r="{dot.r:g}"/>'
        body.append(_link(dot.href, dot.tip, circle))
    return _svg(width, height, label, body, css)


def lanes(rows: Sequence[Lane], label: str, start: str, end: str) -> str:
    """Rows of dots on one dated axis (``start`` to ``end``), each row's label above its dots, so
    the rows of several figures line up date for date; wide and narrow copies."""
    return "".join(
        _lanes(rows, label, width, css, start, end) for width, css in ((WIDE, "wide"), (NARROW, "narrow"))
    )


def _lanes(rows: Sequence[Lane], label: str, width: int, css: str, start: str, end: str) -> str:
    side, pad, row, swing = 8, 10, FONT + 46, 10
    span = width - 2 * side - 2 * pad
    body = []
    for i, lane in enumerate(rows):
        top = i * row
        middle = top + FONT + 24
        if i % 2:  # every other row on a light band, so a dot below its line is not read as the next row's
            body.append(f'<rect class="band" x="0" y="{top}" width="{width}" height="{row}"/>')
        body.append(
            f'<text x="{side}" y="{top + FONT + 3}">{_esc(_fit(lane.label, width - 2 * side))}</text>'
        )
        body.append(f'<line class="axis" x1="{side}" y1="{middle}" x2="{width - side}" y2="{middle}"/>')
        for dot in lane.dots:
            x = side + pad + span * min(max(dot.x, 0.0), 1.0)
            y = middle - swing * min(max(dot.y, -1.0), 1.0)
            circle = f'<circle class="{_esc(dot.css)}" cx="{x:.1f}" cy="{y:.1f}" r="{dot.r:g}"/>'
            body.append(_link(dot.href, dot.tip, circle))
    bottom = len(rows) * row + FONT + 4
    body.append(f'<text class="note" x="{side}" y="{bottom}">{_esc(start)}</text>')
    body.append(f'<text class="note" x="{width - side}" y="{bottom}" text-anchor="end">{_esc(end)}</text>')
    return _svg(width, bottom + 4, label, body, css)


def _fit(text: str, width: float) -> str:
    """A label cut to what fits in ``width`` pixels (about 0.55 em a character), with an ellipsis."""
    room = max(int(width / (FONT * 0.55)), 4)
    return text if len(text) <= room else text[: room - 1].rstrip() + "…"


def _number(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.2f}"


#: The stylesheet rules the figures need (the page adds colours per class).
CSS = """
svg.wide, svg.narrow { width: 100%; height: auto; display: block; }
svg.narrow { display: none; }
@media (max-width: 600px) { svg.wide { display: none; } svg.narrow { display: block; } }
svg a:focus rect, svg a:hover rect, svg a:focus circle, svg a:hover circle { stroke: #000; stroke-width: 2; }
svg .axis { stroke: #888; stroke-width: 1; }
svg .note { fill: #555; }
"""
