"""Date arithmetic and TimeML values: weekdays, month windows around the DCT, quarters, durations, precision."""

from __future__ import annotations

import datetime as dt
import re
from calendar import monthrange
from enum import Enum

from communique.records import Precision

_LATE_DAYS = 60  # how far past the DCT a past event (or before it a future one) may still fall
_WINDOW_NONE = (-300, 62)  # days around the DCT for a month-day in a clause without tense cue
CLOCK_UNITS = {"H": "H", "MIN": "M", "S": "S"}
_SMALLER = {"Y": (12, "M"), "H": (60, "MIN"), "MIN": (60, "S"), "D": (24, "H")}
_PRECISION = re.compile(  # the precision of a TimeML value, by the shape of the value
    r"[\dX]{4}-(?:[\dX]{2}-[\dX]{2}T(?P<time>)|W[\dX]{2}-[1-7X]$(?P<wday>)|[\dX]{2}-[\dX]{2}$(?P<day>)|W[\dX]{2}(?P<week>)"
    r"|[\dX]{2}$(?P<month>)|Q(?P<quarter>)|(?:SP|SU|FA|WI)$(?P<season>)|H(?P<half>))|[\dX]{4}$(?P<year>)"
    r"|[\dX]{3}$(?P<decade>)|[\dX]{2}$(?P<century>)")
_PRECISION_OF = {"time": Precision.TIME, "wday": Precision.DAY, "day": Precision.DAY, "week": Precision.WEEK,
                 "month": Precision.MONTH, "quarter": Precision.QUARTER, "season": Precision.SEASON,
                 "half": Precision.HALF, "year": Precision.YEAR, "decade": Precision.DECADE,
                 "century": Precision.CENTURY}


class Tense(Enum):
    """Which way from the DCT a clause looks: it picks the window a date without a year falls in."""

    PAST = "past"
    FUTURE = "future"
    NONE = "none"


def add_months(year: int, month: int, n: int) -> tuple[int, int]:
    """The (year, month) `n` months from `month` of `year`."""
    k = year * 12 + month - 1 + n
    return k // 12, k % 12 + 1


def ym(year: int, month: int) -> str:
    """A month as a TimeML value ("2023-02")."""
    return f"{year:04d}-{month:02d}"


def day_or_none(year: int, month: int, day: int) -> dt.date | None:
    """The date, or None when the month has no such day."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def shift(day: dt.date, n: int, unit: str) -> dt.date:
    """`day` moved by `n` units (D, W, M, Q, Y), clamped to the end of a shorter month."""
    if unit in ("D", "W"):
        return day + dt.timedelta(days=n * (7 if unit == "W" else 1))
    year, month = add_months(day.year, day.month, n * {"M": 1, "Q": 3}.get(unit, 12))
    return dt.date(year, month, min(day.day, monthrange(year, month)[1]))


def week(day: dt.date) -> str:
    """The ISO week holding `day` ("2023-W07")."""
    year, number, _ = day.isocalendar()
    return f"{year:04d}-W{number:02d}"


def quarter(day: dt.date, n: int = 0) -> str:
    """The quarter `n` quarters from the one holding `day` ("2023-Q4")."""
    year, month = add_months(day.year, day.month, 3 * n)
    return f"{year:04d}-Q{(month - 1) // 3 + 1}"


def weekday_near(day: dt.date, weekday: int, forward: bool, strict: bool = False) -> dt.date:
    """The nearest `weekday` (1 = Monday) on or before `day`, or on or after it when `forward`."""
    gap = (weekday - day.isoweekday()) % 7 if forward else (day.isoweekday() - weekday) % 7
    if strict and gap == 0:
        gap = 7
    return day + dt.timedelta(days=gap if forward else -gap)


def nth_weekday(year: int, month: int, nth: int, weekday: int) -> dt.date:
    """The `nth` `weekday` of a month (nth = -1: the last one)."""
    if nth < 0:
        last = dt.date(year, month, monthrange(year, month)[1])
        return last - dt.timedelta(days=(last.isoweekday() - weekday) % 7)
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(weekday - first.isoweekday()) % 7 + 7 * (nth - 1))


def year_near(dct: dt.date, month: int, day: int, tense: Tense) -> int:
    """The year that puts a month-day inside the window of its clause's tense (package docstring)."""
    low, high = {Tense.PAST: (-366, _LATE_DAYS), Tense.FUTURE: (-_LATE_DAYS, 366)}.get(tense, _WINDOW_NONE)
    for year in (dct.year, dct.year - 1, dct.year + 1):
        candidate = day_or_none(year, month, day) or dt.date(year, month, 28)
        if low <= (candidate - dct).days <= high:
            return year
    return dct.year


def unit_value(day: dt.date, unit: str, offset: int) -> str:
    """The year/month/week/quarter/decade/century `offset` units from the one holding `day`."""
    if unit == "year":
        return f"{day.year + offset:04d}"
    if unit == "month":
        return ym(*add_months(day.year, day.month, offset))
    if unit == "week":
        return week(day + dt.timedelta(days=7 * offset))
    if unit == "quarter":
        return quarter(day, offset)
    if unit == "decade":
        return f"{day.year // 10 + offset:03d}"
    return f"{day.year // 100 + offset:02d}"


def shift_value(value: str, years: int) -> str:
    """A TimeML date value moved by whole years ("2023-Q3", -1 -> "2022-Q3")."""
    if not value[:4].isdigit():
        return value
    shifted = f"{int(value[:4]) + years:04d}{value[4:]}"
    if shifted[4:10] == "-02-29" and day_or_none(int(shifted[:4]), 2, 29) is None:
        shifted = shifted[:8] + "28" + shifted[10:]
    return shifted


def duration(quantity: float | None, unit: str) -> str:
    """An ISO 8601 duration: (2.5, "Y") -> P2Y6M, (None, "W") -> PXW, (3, "H") -> PT3H."""
    if quantity is None:
        return f"PTX{CLOCK_UNITS[unit]}" if unit in CLOCK_UNITS else f"PX{unit}"
    whole = int(quantity)
    parts = [(float(quantity), unit)]
    if quantity != whole and unit in _SMALLER:
        factor, smaller = _SMALLER[unit]
        parts = [(whole, unit), (round((quantity - whole) * factor, 3), smaller)]
    dates = "".join(f"{n:g}{u}" for n, u in parts if n and u not in CLOCK_UNITS)
    times = "".join(f"{n:g}{CLOCK_UNITS[u]}" for n, u in parts if n and u in CLOCK_UNITS)
    if not dates and not times:
        return f"PT0{CLOCK_UNITS[unit]}" if unit in CLOCK_UNITS else f"P0{unit}"
    return "P" + dates + (f"T{times}" if times else "")


def precision_of(value: str) -> Precision | None:
    """The precision of a TimeML date or time value, read from its shape."""
    found = _PRECISION.match(value)
    return _PRECISION_OF[found.lastgroup or ""] if found else None
