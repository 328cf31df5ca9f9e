"""An article's date and outlet come from the first source that gives them; bad dates are never guessed."""

from __future__ import annotations

import pytest

from utils.metadata import DateError, date_in_name, date_in_url, iso_date, resolve_metadata


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2016-10-02", "2016-10-02"),
        ("2016-10-2", "2016-10-02"),
        ("2016-10-02T17:45:00Z", "2016-10-02"),
        ("2016-10-02 17:45:00+02:00", "2016-10-02"),
        ("2016/10/02", "2016-10-02"),
        ("20161002", "2016-10-02"),
        ("October 2, 2016", "2016-10-02"),
        ("Oct. 2, 2016", "2016-10-02"),
        ("Sept 2nd 2016", "2016-09-02"),
        ("2 October 2016", "2016-10-02"),
        ("  2 oct 2016 ", "2016-10-02"),
        ("11/19/2019", "2019-11-19"),  # month first: 19 is no month
        ("19/11/2019", "2019-11-19"),  # day first: 19 is no month
        ("19.11.2019", "2019-11-19"),
        ("05/05/2019", "2019-05-05"),  # both readings give the same day
        ("2025-01", "2025-01"),  # only the month: kept as the month
        ("2025-1", "2025-01"),
    ],
)
def test_dates_written_many_ways_become_iso(value: str, expected: str) -> None:
    assert iso_date(value) == expected


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("01/02/2016", "could be read two ways"),
        ("2016-02-30", "is not a day of the calendar"),
        ("2016-13-01", "is not a day of the calendar"),
        ("Smarch 3, 2016", "is not a month"),
        ("last Tuesday", "is not a date"),
        ("1066-10-14", "is outside"),
        ("2999-01-01", "is outside"),
        ("2016", "is not a date"),
        ("2016-13", "is not a day of the calendar"),
        ("", "is not a date"),
    ],
)
def test_what_is_not_one_day_is_refused_with_the_reason(value: str, problem: str) -> None:
    with pytest.raises(DateError, match=problem):
        iso_date(value)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.cnbc.com/2019/11/20/emirates-inks-order.html", "2019-11-20"),
        ("https://nypost.com/2019/11/19/three-taliban-prisoners/", "2019-11-19"),
        ("https://example.com/news/2019-11-19-story", "2019-11-19"),
        ("https://example.com/2019/13/45/x", ""),  # not a day
        ("https://example.com/news/story-14848164.php", ""),
        ("", ""),
    ],
)
def test_a_date_in_the_address(url: str, expected: str) -> None:
    assert date_in_url(url) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("breitbart_2015-11-11_the-ninth-circle.txt", "2015-11-11"),
        ("2016-10-02 debate.txt", "2016-10-02"),
        ("report_2016_10_02.html", "2016-10-02"),
        ("12016-10-02.txt", ""),  # part of a longer number
        ("story.txt", ""),
    ],
)
def test_a_date_in_the_file_name(name: str, expected: str) -> None:
    assert date_in_name(name) == expected


MANIFEST = ("manifest", "corpus/MANIFEST.csv", {"outlet": "The Outlet", "date": "2016-10-03"})
SIDECAR = ("sidecar", "corpus/a.json", {"outlet": "Sidecar Outlet", "date": "2016-10-04", "title": "T"})
PAGE = (
    "page",
    "corpus/a.html",
    {"outlet": "Page Site", "date": "2016-10-05", "url": "https://x.com/2016/10/06/a"},
)


@pytest.mark.parametrize(
    ("sources", "name", "date", "source"),
    [
        ([MANIFEST, SIDECAR, PAGE], "2016-10-07.txt", "2016-10-03", "manifest"),
        ([SIDECAR, PAGE], "2016-10-07.txt", "2016-10-04", "sidecar"),
        ([PAGE], "2016-10-07.txt", "2016-10-05", "page"),
        (
            [("page", "a.html", {"url": "https://x.com/2016/10/06/a"})],
            "2016-10-07.txt",
            "2016-10-06",
            "address",
        ),
        ([], "2016-10-07.txt", "2016-10-07", "file name"),
        ([], "story.txt", None, ""),
    ],
)
def test_each_field_comes_from_the_first_source_that_gives_it(sources, name, date, source) -> None:
    found = resolve_metadata(sources, name=name)
    assert (found.fields.get("date"), found.date_source) == (date, source)
    assert found.warnings == []


def test_a_bad_date_is_a_warning_naming_its_file_and_the_next_source_is_used() -> None:
    bad = ("manifest", "corpus/MANIFEST.csv", {"date": "01/02/2016", "outlet": "X"})
    found = resolve_metadata([bad, SIDECAR])
    assert found.fields["date"] == "2016-10-04" and found.date_source == "sidecar"
    assert found.fields["outlet"] == "X"  # the manifest's outlet still wins
    assert found.warnings == [
        "corpus/MANIFEST.csv: the manifest's date '01/02/2016' could be read two ways "
        "(day/month or month/day); it was not used"
    ]
