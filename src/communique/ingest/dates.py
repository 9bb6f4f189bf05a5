"""Publication dates from metadata strings; a date is returned only when the string gives it in full."""

from __future__ import annotations

import datetime as dt

from dateutil import parser as dateparser

# Two defaults that differ in every field: a field the string lacks shows up as a difference.
_DEFAULT_A = dt.datetime(1904, 1, 1)
_DEFAULT_B = dt.datetime(1908, 2, 2)


def parse_published(value: object) -> dt.date | None:
    """Parse a publication date (ISO 8601, RFC 2822, "December 05, 2023", "5 Dec 2023", …).

    Returns None when `value` is empty, unparseable or lacks the year, month or day:
    a publication date is never completed by guessing.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        return dt.date.fromisoformat(text[:10]) if _is_iso(text) else _parse_free(text)
    except (ValueError, OverflowError):
        return None


def _is_iso(text: str) -> bool:
    """`YYYY-MM-DD`, alone or followed by a time (`T` or a space); not `2023-12-05junk`."""
    head = len(text) >= 10 and text[4] == "-" and text[7] == "-" and text[:4].isdigit()
    return head and (len(text) == 10 or text[10] in "Tt ")


# Full-date layouts common in bylines, tried before dateutil (which must parse twice).
_LAYOUTS = ("%B %d, %Y", "%b %d, %Y", "%b. %d, %Y", "%d %B %Y", "%d %b %Y")


def _parse_free(text: str) -> dt.date | None:
    for layout in _LAYOUTS:
        try:
            return dt.datetime.strptime(text, layout).date()
        except ValueError:
            continue
    a = dateparser.parse(text, default=_DEFAULT_A)
    b = dateparser.parse(text, default=_DEFAULT_B)
    if a is None or b is None or a.date() != b.date():
        return None
    return a.date()


def parse_time(value: object) -> str | None:
    """The time of day of an ISO 8601 timestamp as `HH:MM[±HH:MM]`, or None.

    The date and time may be separated by `T` or a space (RFC 3339); a date alone has no time.
    """
    if not isinstance(value, str) or len(value.strip()) <= 10:
        return None
    try:
        stamp = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return stamp.timetz().isoformat(timespec="minutes")
