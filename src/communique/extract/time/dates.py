"""Rules for dates and times the text names: ISO dates, month-days, months of a year, holidays, quarters, years."""

from __future__ import annotations

import datetime as dt

from communique.extract.time.calendar import Tense, day_or_none, nth_weekday, week, year_near
from communique.extract.time.document import Document, Match, Value, date_value
from communique.extract.time.relative import weekday_value
from communique.extract.time.words import norm, parse_clock, parse_spoken_year
from communique.records import TimexType

_QNUM = {"first": 1, "second": 2, "third": 3, "fourth": 4, "final": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
_YEAR_REL = {"this": 0, "last": -1, "next": 1}
_SPOKEN_LEAD = frozenset({"in", "since", "by", "until", "of", "from", "through", "year", "to", "and"})


def _month_day_value(doc: Document, m: Match, month_name: str, day_text: str, year: str | None,
                     weekday: int | None = None) -> str | None:
    month = doc.lex.months[month_name.lower().rstrip(".")]
    day = int(day_text.rstrip("stndrh"))
    if year:
        found = day_or_none(int(year), month, day)
        return found.isoformat() if found else None
    if day_or_none(2000, month, day) is None:
        return None
    if doc.dct is None:
        return f"XXXX-{month:02d}-{day:02d}"
    if weekday is not None:  # the year in which the date falls on the weekday the text gives
        for y in (doc.dct.year, doc.dct.year - 1, doc.dct.year + 1):
            if (found := day_or_none(y, month, day)) and found.isoweekday() == weekday:
                return found.isoformat()
    y = year_near(doc.dct, month, day, doc.tense_of(m.groupdict().get("rel"), m))
    return (day_or_none(y, month, day) or dt.date(y, month, 28)).isoformat()


def year_of(m: Match, doc: Document, names: tuple[str, ...], rels: tuple[str, ...]) -> str | None:
    """An explicit year in the named groups, or one from "this/last/next year"."""
    groups = m.groupdict()
    for name in names:
        if groups.get(name):
            return str(groups[name])
    for name in rels:
        if groups.get(name):
            return f"{doc.dct.year + _YEAR_REL[groups[name].lower()]:04d}" if doc.dct else "XXXX"
    return None


def _part_year(doc: Document, m: Match, part: int, parts_per_year: int) -> str:
    """The year of a quarter or half named without one: this year's, unless it is still to come
    and the clause reports the past."""
    if doc.dct is None:
        return "XXXX"
    current = (doc.dct.month - 1) * parts_per_year // 12 + 1
    if part <= current or doc.tense(m.start(), m.end()) is Tense.FUTURE:
        return f"{doc.dct.year:04d}"
    return f"{doc.dct.year - 1:04d}"


def iso_date(m: Match, doc: Document) -> Value | None:
    """"2023-02-14", "2023-02-14T08:35"."""
    day = day_or_none(int(m["y"]), int(m["m"]), int(m["d"]))
    if day is None:
        return None
    if m["hh"]:
        return Value(TimexType.TIME, f"{day.isoformat()}T{m['hh']}:{m['mi']}")
    return date_value(day.isoformat())


def weekday_date(m: Match, doc: Document) -> Value | None:
    """"Tuesday, Feb. 14": the year in which the day falls on that weekday."""
    weekday = doc.lex.weekdays[m["wd"].lower()]
    value = _month_day_value(doc, m, m["m"] or m["m2"], m["d"] or m["d2"], m["y"], weekday)
    return date_value(value) if value else None


def clock_day(m: Match, doc: Document) -> Value | None:
    """"3 p.m. Tuesday", "10 a.m. yesterday", "8:30 p.m. Feb. 14"."""
    time = parse_clock(m["clock"], doc.lex)
    if m["wd"]:
        day: str | None = weekday_value(doc, m, doc.lex.weekdays[m["wd"].lower()])
    elif m["rd"]:
        day = doc.day_offset({"today": 0, "yesterday": -1, "tomorrow": 1}[m["rd"].lower()])
    else:
        day = _month_day_value(doc, m, m["m"], m["d"], m["y"])
    if time is None or day is None:
        return None
    return Value(TimexType.TIME, f"{day}T{time}", doc.lex.approximators.get(norm(m["ap"] or "")))


def month_day(m: Match, doc: Document) -> Value | None:
    """"Feb. 14", "14 February 2023", "next March 3"."""
    value = _month_day_value(doc, m, m["m"], m["d"], m["y"])
    return date_value(value) if value else None


def month_year(m: Match, doc: Document) -> Value | None:
    """"February 2023", "early March of nineteen ninety-six", "June next year"."""
    month = doc.lex.months[m["m"].lower().rstrip(".")]
    if m["y"]:
        year = m["y"]
    elif m["sy"]:
        spoken = parse_spoken_year(m["sy"], doc.lex)
        if spoken is None:
            return None
        year = f"{spoken:04d}"
    else:
        year = f"{doc.dct.year + _YEAR_REL[m['rel'].lower()]:04d}" if doc.dct else "XXXX"
    return date_value(f"{year}-{month:02d}", doc.mod(m["mod"]))


def holiday(m: Match, doc: Document) -> Value | None:
    """"Christmas", "last Thanksgiving", "New Year's Day 2024"."""
    rule = doc.lex.holidays[norm(m["h"])]

    def on(year: int) -> dt.date:
        if len(rule) == 2:
            return day_or_none(year, rule[0], rule[1]) or dt.date(year, rule[0], 28)
        return nth_weekday(year, rule[0], rule[1], rule[2]) + dt.timedelta(days=rule[3])

    if m["y"]:
        return date_value(on(int(m["y"])).isoformat())
    if doc.dct is None:
        return date_value(f"XXXX-{rule[0]:02d}-{rule[1]:02d}" if len(rule) == 2 else f"XXXX-{rule[0]:02d}-XX")
    this_year = on(doc.dct.year)
    tense = doc.tense_of(m["rel"], m)
    return date_value(on(year_near(doc.dct, this_year.month, this_year.day, tense)).isoformat())


def week_of(m: Match, doc: Document) -> Value | None:
    """"the week of Feb. 14"."""
    value = _month_day_value(doc, m, m["m"], m["d"], None)
    if value is None:
        return None
    return date_value("XXXX-WXX" if value[0] == "X" else week(dt.date.fromisoformat(value)))


def quarter_ordinal(m: Match, doc: Document) -> Value | None:
    """"the third quarter", "the year-ago fourth quarter", "the first quarter of 2023"."""
    q = _QNUM[m["q"].lower()]
    year = year_of(m, doc, ("y", "y2"), ("rel", "rel2"))
    if year is None:
        year = _part_year(doc, m, q, 4)
        if m["ago"] and year[0] != "X":
            year = f"{int(year) - 1:04d}"
    return date_value(f"{year}-Q{q}")


def quarter_code(m: Match, doc: Document) -> Value | None:
    """"Q3", "Q3 2023"."""
    q = int(m["q"][1])
    return date_value(f"{m['y'] or _part_year(doc, m, q, 4)}-Q{q}")


def half_year(m: Match, doc: Document) -> Value | None:
    """"the first half", "the second half of last year", "the last two quarters of 2023"."""
    half = 1 if norm(m["h"] or m["h2"]).startswith(("first", "1st")) else 2
    year = year_of(m, doc, ("y", "y2"), ("rel", "rel2")) or _part_year(doc, m, half, 2)
    return date_value(f"{year}-H{half}")


def decade(m: Match, doc: Document) -> Value | None:
    """"the 1990s", "the late '80s", "the nineties"."""
    if m["w"]:
        value = doc.lex.decade_words[m["w"].lower()]
    elif m["c"]:
        value = m["c"] + m["d"]
    elif doc.dct is None:  # "the '90s" without a DCT: the century is unknown
        value = f"XX{m['d2']}"
    else:  # "the '90s": the latest such decade by the DCT
        century = doc.dct.year // 100 - (doc.dct.year // 100 * 100 + int(m["d2"]) * 10 > doc.dct.year)
        value = f"{century}{m['d2']}"
    return date_value(value, doc.mod(m["mod"]))


def century(m: Match, doc: Document) -> Value | None:
    """"the 20th century", "the early nineteenth century"."""
    word = m["o"].lower()
    number = doc.lex.ordinals.get(word) or int(word.rstrip("stndrh") if word[0].isdigit() else 0)
    return date_value(f"{number - 1:02d}", doc.mod(m["mod"])) if number else None


def fiscal_year(m: Match, doc: Document) -> Value | None:
    """"fiscal 2023", "fiscal year 2023-24"."""
    return date_value(m["y"])


def year_number(m: Match, doc: Document) -> Value | None:
    """"2023", "mid-1990", "post-2000", "2026 and beyond"; not a count ("2000 troops")."""
    mod_word, after = norm(m["mod"] or ""), doc.word_after(m.end())
    if after.islower() and (after in doc.lex.count_nouns or (
            after.endswith("s") and doc.word_before(m.start()) in doc.lex.approximators)):
        return None  # "2000 troops", "about 1990 protesters": a count
    mod = {"post-": "AFTER", "pre-": "BEFORE"}.get(mod_word) or doc.mod(m["mod"])
    if m["beyond"]:
        mod = "ON_OR_BEFORE" if "earlier" in m["beyond"].lower() else "ON_OR_AFTER"
    return date_value(m["y"], mod)


def spoken_year(m: Match, doc: Document) -> Value | None:
    """"nineteen ninety-six", "in two thousand and five"; not a count ("two thousand troops")."""
    year = parse_spoken_year(m["sy"], doc.lex)
    if year is None:
        return None
    if year >= 2000 and not m.group().lower().startswith("the") and (
            doc.word_before(m.start()) not in _SPOKEN_LEAD or doc.word_after(m.end()) in doc.lex.count_nouns):
        return None  # "two thousand troops"
    return date_value(f"{year:04d}")


def clock_time(m: Match, doc: Document) -> Value | None:
    """"3 p.m.", "about 08:35 GMT", "noon": the day is added once the whole text is read."""
    time = parse_clock(m["clock"], doc.lex)
    return Value(TimexType.TIME, f"T{time}", doc.lex.approximators.get(norm(m["ap"] or ""))) if time else None
