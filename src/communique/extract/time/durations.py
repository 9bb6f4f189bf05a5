"""Rules for durations and sets: "three days", "the past three weeks", "$2 billion a year", "weekly"."""

from __future__ import annotations

import re

from communique.extract.time.calendar import duration, shift
from communique.extract.time.dates import year_of
from communique.extract.time.document import Document, Match, Value
from communique.extract.time.words import norm, parse_number
from communique.records import TimexType

_RATE = re.compile(r"(?:\d|\b(?:hundreds?|thousands?|millions?|billions?|trillions?|dozens?|times|once|twice))"
                   r"(?:[\s-]+[\w$%.-]+){0,3}\s+$", re.IGNORECASE)
_OF_YEAR = re.compile(r"\s+of\s+(?:(?P<y>\d{4})|(?P<rel>this|last|next)\s+year|the\s+year)", re.IGNORECASE)


def set_unit(m: Match, doc: Document) -> Value | None:
    """"every Thursday", "each July", "every two weeks", "every other month"."""
    word, lex = norm(m["u"]), doc.lex
    if word in lex.weekdays:
        return Value(TimexType.SET, f"XXXX-WXX-{lex.weekdays[word]}")
    if word in lex.months:
        return Value(TimexType.SET, f"XXXX-{lex.months[word]:02d}")
    if word in lex.seasons:
        return Value(TimexType.SET, f"XXXX-{lex.seasons[word]}")
    count, unit = lex.units[word]
    number = (parse_number(m["n"], lex) if m["n"] else 1) or 1
    return Value(TimexType.SET, duration(number * count * (2 if norm(m["q"]) == "every other" else 1), unit))


def set_word(m: Match, doc: Document) -> Value | None:
    """"weekly", "annually"; not an attribute ("a quarterly dividend") or a name ("China Daily")."""
    word, after = norm(m["w"]), doc.word_after(m.end())
    if word in doc.lex.adjectival_sets and after.isalpha() and after.islower() and after not in doc.lex.month_lead:
        return None  # "a quarterly dividend": an attribute, not a frequency of the clause
    if doc.in_name(m):
        return None  # "China Daily"
    return Value(TimexType.SET, doc.lex.sets[word])


def _bounds(m: Match, doc: Document, rel: str, qty: float | None, unit: str) -> tuple[str | None, str | None]:
    """Begin and finish of "the first nine months of 2023" or "the past three weeks"."""
    if qty is None or qty != int(qty) or unit not in ("D", "W", "M", "Q", "Y"):
        return None, None
    n = int(qty)
    of_year = _OF_YEAR.match(doc.text, m.end())
    if rel == "first" and of_year and unit in ("M", "Q") and n <= (12 if unit == "M" else 4):
        year = year_of(of_year, doc, ("y",), ("rel",)) or (f"{doc.dct.year:04d}" if doc.dct else "XXXX")
        return (f"{year}-Q1", f"{year}-Q{n}") if unit == "Q" else (f"{year}-01", f"{year}-{n:02d}")
    if doc.dct and rel in ("past", "last", "previous", "preceding", "prior"):
        return shift(doc.dct, -n, unit).isoformat(), doc.dct.isoformat()
    if doc.dct and rel in ("next", "coming", "following"):
        return doc.dct.isoformat(), shift(doc.dct, n, unit).isoformat()
    return None, None


def _not_a_duration(m: Match, doc: Document) -> bool:
    """Ages ("a 6-year-old", "52 years old"), compounds ("year-earlier"), fractions ("three-quarters of"),
    ordinals ("a second group")."""
    after, unit = doc.word_after(m.end()), norm(m["u"])
    if m["adj"] == "-old" or after == "old" or doc.text[m.end():m.end() + 1] == "-":
        return True
    if unit.startswith("quarter") and after == "of" and not _OF_YEAR.match(doc.text, m.end()):
        return True
    return unit == "second" and norm(m["n"] or "") in ("a", "one") and after.islower() and after.isalpha()


def duration_phrase(m: Match, doc: Document) -> Value | None:
    """"three days", "a three-day visit", "the past 24 hours", "several years", "recent months"."""
    lex, rel = doc.lex, norm(m["rel"] or "")
    mod = lex.approximators.get(norm(m["ap"] or ""))
    start = None
    if m["ap"] and m["det"] and norm(m["ap"]) == "over":  # "over the past week": a preposition
        mod, start = None, m.start("det")
    if m["bare"]:
        return Value(TimexType.DURATION, duration(None, lex.units[m["bare"].lower()][1]), mod, start=start)
    count, unit = lex.units[norm(m["u"])]
    if _not_a_duration(m, doc):
        return None
    qty = None
    if not m["vague"]:
        number = parse_number(m["n"], lex)
        if number is None:
            return None
        qty = (number + (0.5 if m["half"] else 0)) * count
        if norm(m["n"]) == "a couple of":
            mod = mod or "APPROX"
        if norm(m["n"]) in ("a", "an") and not m["det"] and not rel and _RATE.search(
                doc.text, max(0, m.start() - 48), m.start()):
            return Value(TimexType.SET, duration(qty, unit))  # "$2 billion a year"
    begin, finish = _bounds(m, doc, rel, qty, unit)
    return Value(TimexType.DURATION, duration(qty, unit), mod, begin, finish, start=start)
