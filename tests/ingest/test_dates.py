"""Publication dates and times from metadata strings (communique.ingest.dates)."""

from __future__ import annotations

import datetime as dt

import pytest

from communique.ingest.dates import parse_published, parse_time


@pytest.mark.parametrize("value, expected", [
    ("2023-12-05", dt.date(2023, 12, 5)),
    ("  2023-12-05  ", dt.date(2023, 12, 5)),
    ("2024-02-29", dt.date(2024, 2, 29)),
    ("2023-12-05T14:05:00", dt.date(2023, 12, 5)),
    ("2023-12-05 14:05", dt.date(2023, 12, 5)),
    ("2023-12-05T14:05:00Z", dt.date(2023, 12, 5)),
    # the local date of the timestamp, not the date in UTC (which is a day later / earlier)
    ("2023-12-05T23:30:00-05:00", dt.date(2023, 12, 5)),
    ("2023-12-06T01:30:00+09:00", dt.date(2023, 12, 6)),
    ("Tue, 05 Dec 2023 23:10:00 +0000", dt.date(2023, 12, 5)),
    ("Tue, 05 Dec 2023 23:10:00 -0800", dt.date(2023, 12, 5)),
    ("Wed, 06 Dec 2023 01:15:00 +0900", dt.date(2023, 12, 6)),
    ("December 05, 2023", dt.date(2023, 12, 5)),
    ("December 5, 2023", dt.date(2023, 12, 5)),
    ("Dec. 5, 2023", dt.date(2023, 12, 5)),
    ("5 December 2023", dt.date(2023, 12, 5)),
    ("5 Dec 2023", dt.date(2023, 12, 5)),
    ("1 January 2024", dt.date(2024, 1, 1)),
    (dt.datetime(2023, 12, 5, 23, 59), dt.date(2023, 12, 5)),
    (dt.date(2023, 12, 5), dt.date(2023, 12, 5)),
])
def test_dates_parse_published(value: object, expected: dt.date) -> None:
    assert parse_published(value) == expected


@pytest.mark.parametrize("value", [
    "June 4",          # no year
    "2023",            # year only
    "May 2024",        # no day
    "Dec 2023",
    "2023-12",
    "Tuesday",
    "garbage",
    "2023-02-30",      # no such day
    "2023-13-01",      # no such month
    "31 February 2024",
    "2023-12-05garbage",
    "",
    "   ",
    None,
    20231205,
    ["2023-12-05"],
])
def test_dates_parse_published_none_unless_complete(value: object) -> None:
    assert parse_published(value) is None


@pytest.mark.parametrize("value, expected", [
    ("2023-12-05T14:05:00Z", "14:05+00:00"),
    ("2023-12-05T14:05:30+02:00", "14:05+02:00"),
    ("2023-12-05T23:30:00-05:00", "23:30-05:00"),
    ("2023-12-05T09:15", "09:15"),
    ("2023-12-05 09:15:00", "09:15"),
    (" 2023-12-05T09:15:00Z ", "09:15+00:00"),
])
def test_dates_parse_time(value: str, expected: str) -> None:
    assert parse_time(value) == expected


@pytest.mark.parametrize("value", [
    "2023-12-05",
    "2023-12-05 ",
    "14:05",
    "Tue, 05 Dec 2023 23:10:00 +0000",
    "2023-12-05Tnoon",
    "",
    None,
    dt.datetime(2023, 12, 5, 14, 5),
])
def test_dates_parse_time_none_without_an_iso_time(value: object) -> None:
    assert parse_time(value) is None
