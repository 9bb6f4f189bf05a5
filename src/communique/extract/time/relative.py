"""Rules for phrases counted from the DCT or an earlier date: "two years ago", "last week", "that day", "Monday"."""

from __future__ import annotations

import datetime as dt
import re

from communique.extract.time.calendar import (
    CLOCK_UNITS,
    Tense,
    add_months,
    duration,
    quarter,
    shift,
    shift_value,
    unit_value,
    week,
    weekday_near,
    year_near,
    ym,
)
from communique.extract.time.document import (
    COARSE,
    DATED,
    DAYS,
    QUARTERS,
    Document,
    Match,
    Value,
    date_value,
)
from communique.extract.time.words import norm, parse_number, parse_spoken_year
from communique.records import Precision, TimexType

_REL_OFFSET = {"this": 0, "the": 0, "the current": 0, "the present": 0, "the whole": 0, "the entire": 0,
               "last": -1, "the past": -1, "the last": -1, "this past": -1, "the latest": -1,
               "next": 1, "the next": 1, "the coming": 1, "this coming": 1}
_ANAPHORIC = {"that": 0, "that same": 0, "the same": 0, "the following": 1, "the next": 1,
              "the previous": -1, "the prior": -1, "the preceding": -1}
_UNKNOWN = {"year": "XXXX", "month": "XXXX-XX", "week": "XXXX-WXX", "weekend": "XXXX-WXX-WE",
            "quarter": "XXXX-QX", "decade": "XXX", "century": "XX"}
_OWN_PRECISION = {"year": Precision.YEAR, "month": Precision.MONTH, "week": Precision.WEEK,
                  "quarter": Precision.QUARTER}
_ANTECEDENTS = {"year": DATED, "month": DAYS | {Precision.MONTH}, "week": DAYS | {Precision.WEEK},
                "quarter": QUARTERS | DAYS | {Precision.MONTH}}
_SPAN_RELS = frozenset({"the past", "the last", "the next", "the coming", "this past"})
_SEASON_INDEX = {"SP": 1, "SU": 2, "FA": 3, "WI": 4}
_AGO = re.compile(r"year[- ](?:ago|earlier)|last year|previous year|prior-year|a year")
_ENDED = re.compile(r"\s+(?:ended|ending|ends)\b")


def weekday_value(doc: Document, m: Match, weekday: int) -> str:
    """The day a weekday names: by "this/last/next", else by the tense of its clause (package docstring)."""
    rel = norm(m.groupdict().get("rel") or "")
    if doc.dct is None:
        return f"XXXX-WXX-{weekday}"
    if rel == "this":
        return (doc.dct + dt.timedelta(days=weekday - doc.dct.isoweekday())).isoformat()
    forward = doc.tense_of(rel, m) is Tense.FUTURE
    strict = rel in ("last", "next", "this past", "this coming")
    return weekday_near(doc.dct, weekday, forward, strict).isoformat()


def reporting_period(m: Match, doc: Document) -> Value | None:
    """Reporting periods: "the year-earlier quarter", "the latest period", "the 1988 quarter"."""
    text = norm(m.group())
    months = re.search(r"(nine|six|three) months", text)
    if months:
        return Value(TimexType.DURATION, f"P{parse_number(months.group(1), doc.lex):g}M", anchor=False)
    ante = doc.antecedent(QUARTERS, m.start(), back=3, reported=True)
    if m["y"]:
        return date_value(m["y"] + (ante.value[4:] if ante else ""), anchor=False)
    if doc.dct is None:
        return date_value("XXXX-QX" if "quarter" in text else "XXXX", anchor=False)
    if "fiscal year" in text or ("quarter" not in text and ante is None and not m["latest"]):
        base = f"{doc.dct.year:04d}"
    else:
        base = ante.value if ante else quarter(doc.dct, -1)
    ago = bool(_AGO.search(text))
    return date_value(shift_value(base, -1) if ago else base, anchor=not ago)


def ago_or_later(m: Match, doc: Document) -> Value | None:
    """"two years ago", "a year earlier", "three days later", "a month from now"."""
    count, unit = doc.lex.units[norm(m["u"])]
    number = parse_number(m["n"], doc.lex) if m["n"] else None
    qty = None if number is None else number * count
    direction = norm(m["dir"])
    sign = -1 if direction in ("ago", "earlier") else 1
    mod = doc.lex.approximators.get(norm(m["ap"] or ""))
    if unit in ("D", "W", "H", "MIN", "S") and direction in ("earlier", "later"):
        return Value(TimexType.DURATION, duration(qty, unit), mod, anchor=False, end=m.end("u"))
    if qty is None or qty != int(qty):
        return date_value("PAST_REF" if sign < 0 else "FUTURE_REF", mod)
    if unit in CLOCK_UNITS:
        return date_value(doc.day_offset(0), mod)
    ante = None
    if unit == "Y" and direction == "later":  # "two years later": counted from the last year mentioned
        ante = doc.antecedent(DATED, m.start())
    elif unit == "Y" and (direction != "ago" or count == 1):
        ante = doc.antecedent(QUARTERS if direction == "ago" else COARSE, m.start(), reported=True)
    if ante is not None:
        shifted = shift_value(ante.value if ante.precision in COARSE else ante.value[:4], sign * int(qty))
        return date_value(shifted, mod, anchor=False)
    if doc.dct is None or direction == "later":
        unknown = {"D": "XXXX-XX-XX", "W": "XXXX-WXX", "M": "XXXX-XX", "Q": "XXXX-QX"}.get(unit, "XXXX")
        return date_value(unknown, mod)
    day = shift(doc.dct, sign * int(qty), unit)
    value = {"D": day.isoformat(), "W": week(day), "M": ym(day.year, day.month), "Q": quarter(day)}.get(unit)
    return date_value(value or f"{day.year:04d}", mod, anchor=direction not in ("earlier", "later"))


def unit_end(m: Match, doc: Document) -> Value | None:
    """"year-end", "month's end", "quarter end": the unit holding the DCT, mod END unless another is given."""
    unit = m["u"].lower()
    return date_value(unit_value(doc.dct, unit, 0) if doc.dct else _UNKNOWN[unit], doc.mod(m["mod"]) or "END")


def _weekend(doc: Document, m: Match, rel: str) -> str:
    """The weekend "this/next/last weekend" or "the weekend" (past unless the clause looks ahead) means."""
    assert doc.dct is not None
    on_weekend = doc.dct.isoweekday() >= 6
    if rel == "this":
        day = doc.dct
    elif rel in ("next", "the next", "the coming", "this coming") or (
            rel == "the" and doc.tense(m.start(), m.end()) is Tense.FUTURE):
        day = doc.dct + dt.timedelta(days=7 if on_weekend else 0)
    else:
        day = doc.dct - dt.timedelta(days=0 if on_weekend and rel == "the" else 7)
    return week(day) + "-WE"


def _anaphoric_unit(m: Match, doc: Document, unit: str, offset: int, mod: str | None) -> Value | None:
    """"that year", "the following month", "the same quarter": counted from the last date mentioned."""
    if unit not in _ANTECEDENTS:
        return None
    ante = (doc.antecedent(frozenset({_OWN_PRECISION[unit]}), m.start(), back=4)
            or doc.antecedent(_ANTECEDENTS[unit], m.start(), back=4))
    if ante is None:
        return None
    year = int(ante.value[:4])
    if unit == "year":
        value = f"{year + offset:04d}"
    elif ante.precision is Precision.QUARTER:
        value = quarter(dt.date(year, 3 * int(ante.value[-1]) - 2, 1), offset)
    elif ante.precision is Precision.WEEK:
        value = unit_value(dt.date.fromisocalendar(year, int(ante.value[6:8]), 1), unit, offset)
    elif ante.precision is Precision.MONTH:
        value = ym(*add_months(year, int(ante.value[5:7]), offset))
    else:
        value = unit_value(dt.date.fromisoformat(ante.value[:10]), unit, offset)
    return date_value(value, mod, anchor=False)


def relative_unit(m: Match, doc: Document) -> Value | None:
    """"last year", "this week", "the past decade", "next month", "the quarter", "that year"."""
    rel, unit, mod = norm(m["rel"]), m["u"].lower(), doc.mod(m["mod"])
    if unit == "year" and rel == "the" and _ENDED.match(doc.text, m.end()):
        return Value(TimexType.DURATION, "P1Y")  # "the year ended Sept. 30": a reporting period
    if unit in ("decade", "century") and rel in _SPAN_RELS:
        return Value(TimexType.DURATION, "P10Y" if unit == "decade" else "P100Y", mod)
    if rel in _ANAPHORIC:
        return _anaphoric_unit(m, doc, unit, _ANAPHORIC[rel], mod)
    if doc.dct is None:
        return date_value(_UNKNOWN[unit], mod)
    if unit == "weekend":
        return date_value(_weekend(doc, m, rel), mod)
    if unit == "quarter" and rel == "the":  # the quarter being reported on
        ante = doc.antecedent(QUARTERS, m.start(), back=3)
        return date_value(ante.value if ante else quarter(doc.dct, -1), mod)
    return date_value(unit_value(doc.dct, unit, _REL_OFFSET[rel]), mod)


def _season_year(dct: dt.date, index: int, rel: str, m: Match, doc: Document) -> int:
    """The year of the last (in a future clause: the next) such season; a winter belongs to the
    year it starts in, so January's is last year's."""
    now = (dct.year - (dct.month <= 2)) * 4 + ((dct.month % 12) // 3 or 4)
    seasons = [year * 4 + index for year in range(dct.year - 2, dct.year + 2)]
    if rel in ("last", "this past"):
        chosen = max(s for s in seasons if s < now)
    elif rel in ("next", "this coming"):
        chosen = min(s for s in seasons if s > now)
    elif doc.tense(m.start(), m.end()) is Tense.FUTURE:
        chosen = min(s for s in seasons if s >= now)
    else:
        chosen = max(s for s in seasons if s <= now)
    return (chosen - index) // 4


def season(m: Match, doc: Document) -> Value | None:
    """"last summer", "the winter of 1996", "early spring"; not "prices fall" or "spring water"."""
    code = doc.lex.seasons[m["s"].lower()]
    rel, mod = norm(m["rel"] or ""), doc.mod(m["mod"] or m["mod2"])
    if m["y"] or m["sy"]:
        year = int(m["y"]) if m["y"] else parse_spoken_year(m["sy"], doc.lex)
        return date_value(f"{year:04d}-{code}", mod) if year else None
    bare = not rel and not mod
    if doc.word_after(m.end()).lower() in ("of", "in", "and") or (bare and (
            code in ("FA", "SP") or doc.word_before(m.start()) not in doc.lex.month_lead)):
        return None  # "the fall of the city", "prices fall", "spring water"
    if doc.dct is None:
        return date_value(f"XXXX-{code}", mod)
    year = doc.dct.year if rel == "this" else _season_year(doc.dct, _SEASON_INDEX[code], rel, m, doc)
    return date_value(f"{year:04d}-{code}", mod)


def day_part(m: Match, doc: Document) -> Value | None:
    """"this morning", "yesterday afternoon", "tonight", "overnight"."""
    if m["one"]:
        offset, part = (0 if m["one"].lower() == "tonight" else -1), "night"
    else:
        rel = (m["rel"] or m["rel2"]).lower()
        offset = {"this": 0, "today": 0, "last": -1, "yesterday": -1, "tomorrow": 1}[rel]
        part = m["part"] or m["part2"]
    code = doc.lex.day_parts[part.lower()]
    return Value(TimexType.TIME, f"{doc.day_offset(offset)}T{code}", doc.mod(m["mod"]))


def relative_day(m: Match, doc: Document) -> Value | None:
    """"today", "yesterday", "the day after tomorrow"; not a title ("USA Today")."""
    offsets = {"today": 0, "yesterday": -1, "tomorrow": 1, "the day before yesterday": -2, "the day after tomorrow": 2}
    if doc.in_name(m):
        return None  # "USA Today", "VOA Today": a title
    return date_value(doc.day_offset(offsets[norm(m["w"])]), doc.mod(m["mod"]))


def weekday_name(m: Match, doc: Document) -> Value | None:
    """"Monday", "last Friday", "the following Tuesday", "Sunday night"."""
    weekday, rel = doc.lex.weekdays[m["wd"].lower()], norm(m["rel"] or "")
    if rel in ("the previous", "the following", "the next"):  # counted from the last day mentioned
        ante = doc.antecedent(DAYS, m.start(), back=3)
        base = dt.date.fromisoformat(ante.value[:10]) if ante else doc.dct
        if base is None:
            return None
        value = weekday_near(base, weekday, rel != "the previous", strict=True).isoformat()
    else:
        value = weekday_value(doc, m, weekday)
    if m["part"]:
        return Value(TimexType.TIME, f"{value}T{doc.lex.day_parts[m['part'].lower()]}", doc.mod(m["mod"]))
    return date_value(value, doc.mod(m["mod"]))


def month_name(m: Match, doc: Document) -> Value | None:
    """"March", "last June", "early September"; not "Theresa May"."""
    name, rel = m["m"], norm(m["rel"] or "")
    if name.capitalize() in doc.lex.ambiguous_months and not rel and not m["mod"] and (
            doc.word_before(m.start()) not in doc.lex.month_lead or doc.word_after(m.end()) == "of"):
        return None  # "Theresa May", "the March of the Mothers"
    month = doc.lex.months[name.lower()]
    if doc.dct is None:
        return date_value(f"XXXX-{month:02d}", doc.mod(m["mod"]))
    if rel == "this":
        year = doc.dct.year
    elif rel in ("last", "this past"):
        year = doc.dct.year - (month >= doc.dct.month)
    elif rel in ("next", "this coming"):
        year = doc.dct.year + (month <= doc.dct.month)
    else:
        year = year_near(doc.dct, month, 15, doc.tense(m.start(), m.end()))
    return date_value(ym(year, month), doc.mod(m["mod"]))


def anaphoric_day(m: Match, doc: Document) -> Value | None:
    """"that day", "the next morning", "earlier that day": counted from the last day mentioned."""
    ante = doc.antecedent(DAYS, m.start(), back=4)
    if ante is None:
        return None
    day = dt.date.fromisoformat(ante.value[:10]) + dt.timedelta(days=_ANAPHORIC[norm(m["rel"])])
    unit = m["u"].lower()
    if unit == "day":
        return date_value(day.isoformat(), doc.mod(m["mod"]), anchor=False)
    return Value(TimexType.TIME, f"{day.isoformat()}T{doc.lex.day_parts[unit]}", doc.mod(m["mod"]), anchor=False)


def reference(m: Match, doc: Document) -> Value | None:
    """"now", "recently", "soon": PRESENT_REF, PAST_REF, FUTURE_REF; not "as soon as"."""
    ref = norm(m["ref"])
    if ref == "soon" and (doc.word_before(m.start()) == "as" or doc.word_after(m.end()) in ("as", "after")):
        return None  # "as soon as", "soon after": a conjunction, not a time
    return date_value(doc.lex.references[ref])


def reference_adjective(m: Match, doc: Document) -> Value | None:
    """"current", "recent", "future" before a noun ("recent declines"); not "current account"."""
    if m["next"].lower() in doc.lex.not_time_nouns:
        return None  # "current account"
    return date_value(doc.lex.reference_adjectives[m["adj"].lower()])
