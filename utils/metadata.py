"""An article's date, outlet, title and address, from whichever source gives them first.

Analysts follow people over time, so every corpus row should carry its article's date. The
sources, in the order they are trusted: the folder's ``MANIFEST.csv`` (what the user wrote),
the article's ``.json`` sidecar, the saved web page's own metadata (trafilatura), a date in the
article's address (``/2019/11/19/``) and a date in its file name (``2016-10-02``). Each field
is taken from the first source that gives a usable value.

Dates are written as ISO 8601 calendar dates (``2016-10-02``; ``2025-01`` when a source gives only the
month, which is kept as a month, never made a day). A value that is not a date, is
not a real day, or could be read two ways (``01/02/2016``) is never guessed: it becomes a
one-line warning naming the file it came from, and the next source is tried.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

FIELDS = ("title", "outlet", "date", "url")
EARLIEST_YEAR = 1800
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[t ][\d:.]+(?:z|[+-]\d{2}:?\d{2})?)?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_MONTH_ONLY = re.compile(r"(\d{4})-(\d{1,2})")  # ISO 8601's reduced precision: a month, not a day
_SLASHED_YEAR_FIRST = re.compile(r"(\d{4})[/.](\d{1,2})[/.](\d{1,2})")
_SLASHED_YEAR_LAST = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})")
_MONTH_FIRST = re.compile(r"([a-z]+)\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})")
_DAY_FIRST = re.compile(r"(\d{1,2})(?:st|nd|rd|th)? ([a-z]+)\.?,? (\d{4})")
_IN_URL = re.compile(r"/(\d{4})[/-](\d{2})[/-](\d{2})(?=[/\-_.]|$)")
_IN_NAME = re.compile(r"(?<!\d)(\d{4})[-_.](\d{2})[-_.](\d{2})(?!\d)")


class DateError(ValueError):
    """A date value that cannot be read as one day; the message says why."""


def iso_date(value: str) -> str:
    """``value`` as ``YYYY-MM-DD`` (or ``YYYY-MM`` when only the month is given: ISO 8601's reduced
    precision, never widened to a day); raises :class:`DateError` saying why it is not a date."""
    text = " ".join(value.strip().lower().replace(",", ", ").split()).replace(" ,", ",")
    for pattern, order in (
        (_ISO, "ymd"),
        (_SLASHED_YEAR_FIRST, "ymd"),
        (_COMPACT, "ymd"),
        (_MONTH_FIRST, "mdy"),
        (_DAY_FIRST, "dmy"),
    ):
        match = pattern.fullmatch(text)
        if match:
            return _day(**dict(zip(order, match.groups(), strict=True)))
    month = _MONTH_ONLY.fullmatch(text)
    if month:
        return _day(*month.groups(), "1")[:7]  # checked as the month's first day, kept as the month
    match = _SLASHED_YEAR_LAST.fullmatch(text)
    if match:
        first, second, year = (int(g) for g in match.groups())
        if first <= 12 and second <= 12 and first != second:
            raise DateError(f"{value!r} could be read two ways (day/month or month/day)")
        month, day = (first, second) if second > 12 else (second, first)
        return _day(str(year), str(month), str(day))
    raise DateError(f"{value!r} is not a date (write it as YYYY-MM-DD)")


def _day(y: str, m: str, d: str) -> str:
    month = int(m) if m.isdigit() else _MONTHS.get(m)
    if month is None:
        raise DateError(f"{m!r} is not a month")
    try:
        day = date(int(y), month, int(d))
    except ValueError as exc:
        raise DateError(f"{y}-{m}-{d} is not a day of the calendar ({exc})") from None
    if not EARLIEST_YEAR <= day.year <= datetime.now().year + 1:
        raise DateError(f"{day.isoformat()} is outside {EARLIEST_YEAR}-{datetime.now().year + 1}")
    return day.isoformat()


def date_in_url(url: str) -> str:
    """The day an address names (``https://x.com/2019/11/19/story``), or "" if it names none."""
    return _first_day(_IN_URL.finditer(url))


def date_in_name(name: str) -> str:
    """The day a file name names (``breitbart_2016-10-02_title.txt``), or "" if it names none."""
    return _first_day(_IN_NAME.finditer(name))


def _first_day(matches) -> str:
    for match in matches:
        try:
            return _day(*match.groups())
        except DateError:
            continue
    return ""


@dataclass
class Metadata:
    """The fields found, which source gave the date, and the warnings for values refused."""

    fields: dict[str, str] = field(default_factory=dict)
    date_source: str = ""
    warnings: list[str] = field(default_factory=list)


def resolve_metadata(
    sources: list[tuple[str, str, dict[str, str]]], url: str = "", name: str = ""
) -> Metadata:
    """Each field from the first source that gives a usable value.

    ``sources`` are (source name, file the values came from, values) in order of trust:
    the manifest, the sidecar, the page. The date falls back to the address (``url``, or the
    url found) and then to the file ``name``.
    """
    found = Metadata()
    for source, path, values in sources:
        for key in FIELDS:
            value = " ".join(str(values.get(key) or "").split())
            if not value or key in found.fields:
                continue
            if key == "date":
                try:
                    value = iso_date(value)
                except DateError as exc:
                    found.warnings.append(f"{path}: the {source}'s date {exc}; it was not used")
                    continue
                found.date_source = source
            found.fields[key] = value
    _fallback_date(found, url or found.fields.get("url", ""), name)
    return found


def _fallback_date(found: Metadata, url: str, name: str) -> None:
    if "date" in found.fields:
        return
    for source, day in (("address", date_in_url(url)), ("file name", date_in_name(name))):
        if day:
            found.fields["date"], found.date_source = day, source
            return
