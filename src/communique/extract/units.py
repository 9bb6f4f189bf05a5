"""The figure lexicon: units, currencies, number words and cue words from data/units.toml, compiled once.

Split from `quantities.py`, which finds figures with it.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from re import Pattern
from types import MappingProxyType
from typing import Any

from communique.records import FigureKind

YEAR = r"(?:1[89]\d\d|20\d\d|21\d\d)"
_DIGITS = r"(?<![\w.,/])(?<![a-z]-)(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![.,]?\d)"
_ANCHOR_LEAD = "[\\s(\\[{“\"‘'—–/-]"  # an anchor starts after one of these (the text gets a leading space)


@dataclass(frozen=True, slots=True)
class UnitDef:
    """A unit form's base unit, kind and factor to the base unit (money: ISO code, factor 1)."""

    unit: str
    kind: FigureKind
    factor: float


@dataclass(frozen=True, slots=True)
class FigureLexicon:
    """Compiled knowledge from `data/units.toml`; immutable, built once by `load`.

    Patterns apply to the lower-cased text; case is checked on the original where it matters
    (currency codes, names, the start of a sentence).
    """

    small: Mapping[str, int]
    articles: Mapping[str, float]
    not_counts: frozenset[str]
    scales: Mapping[str, float]
    money_scales: frozenset[str]  # abbreviations that scale money only ("m", "k")
    ordinals: Mapping[str, int]
    ordinal_skip: frozenset[str]
    ordinal_not_before: frozenset[str]
    units: Mapping[str, UnitDef]
    prefixes: Mapping[str, str]
    qualifiers_before: Mapping[str, str]
    qualifiers_after: Mapping[str, str]
    qualifier_ends: frozenset[str]  # last words of the qualifiers before a figure
    change_before: Mapping[str, str]
    change_after: Mapping[str, str]
    stopwords: frozenset[str]
    anaphoric_determiners: frozenset[str]
    anaphoric_numbers: frozenset[str]
    not_counted: frozenset[str]
    size_words: frozenset[str]
    verb_cues: frozenset[str]
    irregular_plurals: frozenset[str]
    time_units: frozenset[str]
    months: frozenset[str]
    measure_window: int
    anchor_re: Pattern[str]
    figure_re: Pattern[str]
    ordinal_re: Pattern[str]
    blocked_re: Pattern[str]
    date_tail_re: Pattern[str]
    period_re: Pattern[str]
    change_before_re: Pattern[str]
    change_after_re: Pattern[str]
    neutral_re: Pattern[str]
    measure_re: Pattern[str]
    extent_re: Pattern[str]
    measure_after_re: Pattern[str]

    @classmethod
    def load(cls, path: Path | None = None) -> FigureLexicon:
        """Build the lexicon from `path`, or from the copy shipped in the package."""
        if path is None:
            source = resources.files("communique.data").joinpath("units.toml").read_text("utf-8")
        else:
            source = Path(path).read_text("utf-8")
        return _build(tomllib.loads(source))


@lru_cache(maxsize=1)
def default_lexicon() -> FigureLexicon:
    """The shipped lexicon, loaded on first use (never at import time)."""
    return FigureLexicon.load()


# ---- building the lexicon ---------------------------------------------------------------------


def _literal(form: str) -> str:
    return re.escape(form).replace(r"\ ", r"\s+")


def _alt(forms: Iterable[str]) -> str:
    """A regex alternation of lower-cased literal forms, longest first, any whitespace between words."""
    return "|".join(_literal(f) for f in sorted({f.lower() for f in forms if f}, key=lambda f: (-len(f), f)))


def _fast(forms: Mapping[str, str] | Iterable[str], *, bounded: bool, whole: bool = True) -> str:
    """An alternation of lower-cased forms (each with an optional regex tail) that scans and matches fast.

    Branches are grouped by first character and start with it, so the regex engine jumps
    to candidate characters in C and tries one group per position. `bounded` adds a
    lookbehind so a form never starts inside a word (without it the caller puts a boundary
    character in front); `whole` keeps a form that ends in a letter from ending inside a word.
    """
    tails = forms if isinstance(forms, Mapping) else dict.fromkeys(forms, "")
    groups: dict[str, list[tuple[str, str]]] = {}
    for form, tail in tails.items():
        low = form.lower()
        groups.setdefault(low[0], []).append((low[1:], tail))
    parts = []
    for first, rests in sorted(groups.items()):
        head = re.escape(first) + (rf"(?<![^\W_]{re.escape(first)})" if bounded and first.isalnum() else "")
        body = "|".join(_literal(rest) + (r"(?![^\W_])" if whole and (first + rest)[-1].isalpha() else "") + tail
                        for rest, tail in sorted(rests, key=lambda r: (-len(r[0]), r[0])))
        parts.append(f"{head}(?:{body})")
    return "(?:" + "|".join(parts) + ")"


def key(form: str) -> str:
    """The lookup key of a matched form: lower case, single spaces."""
    return " ".join(form.lower().split())


def _inverse(groups: Mapping[str, list[str]]) -> dict[str, str]:
    """{label: [words]} -> {word: label}."""
    return {key(w): label for label, words in groups.items() for w in words}


def _units(data: dict[str, Any]) -> dict[str, UnitDef]:
    units = {key(f): UnitDef(u["unit"], FigureKind(u["kind"]), float(u["factor"]))
             for u in data["unit"] for f in u["forms"]}
    for cur in data["currency"]:
        money = UnitDef(cur["code"], FigureKind.MONEY, 1.0)
        units.update({key(n): money for n in cur.get("names", [])})
    return units


def _prefixes(data: dict[str, Any]) -> dict[str, str]:
    """Currency signs and codes written before a number, as written -> ISO code."""
    return {form: cur["code"] for cur in data["currency"]
            for form in [cur["code"], *cur.get("codes", []), *cur.get("symbols", [])]}


def _anchor_pattern(data: dict[str, Any], prefixes: Mapping[str, str]) -> str:
    """Where a figure may start: a digit, a sign before a digit, a currency sign or code, a number word."""
    digit = r"(?=\s?[-−]?\d)"
    tails = {**dict.fromkeys("0123456789", ""), "-": r"(?=\d)", "−": r"(?=\d)",
             **dict.fromkeys(prefixes, digit), "minus": digit, "negative": digit,
             **dict.fromkeys([*data["numbers"]["small"], *data["scale"]["words"], *data["ordinals"]["words"]], "")}
    return rf"{_ANCHOR_LEAD}(?P<a>{_fast(tails, bounded=False)})"


def _figure_pattern(data: dict[str, Any], units: Mapping[str, UnitDef], prefixes: Mapping[str, str]) -> str:
    """One figure from its first character: currency sign, sign, number, scale, unit."""
    nums, scale = data["numbers"], data["scale"]
    small, scale_words = _alt(nums["small"]), _alt(scale["words"])
    codes = _alt(p for p in prefixes if p.isalpha() and p.isupper())
    after = r"(?:\+(?!\d)|-plus\b|\s+or\s+more\b|\s+or\s+so\b)"
    return (
        rf"(?P<pre>{_fast(list(prefixes), bounded=False, whole=False)}\s?)?"
        r"(?P<neg>(?<![\w.,)\]])[-−](?=\d)|(?:minus|negative)\s+)?"
        rf"(?:(?P<num>{_DIGITS})"
        rf"|(?P<words>\b(?:{small})(?:(?:[\s-]+|(?<=hundred)\s+and\s+|(?<=thousand)\s+and\s+)"
        rf"(?:{small}|{scale_words}))*\b)"
        rf"|(?P<art>(?:{_alt(nums['articles'])})(?=\s+(?:{scale_words})\b)))"
        rf"(?:\s?-?\s?(?P<scale>{scale_words})\b|\s?(?P<abbr>{_alt([*scale['money'], *scale['abbreviations']])})\b)?"
        rf"(?P<qa1>{after})?"
        rf"(?:(?:\s?-\s?|\s)?(?P<unit>{_fast(list(units), bounded=False, whole=False)})(?![\w²³])"
        rf"|\s(?P<code>{codes})\b)?"
        rf"(?P<qa2>{after})?"
    )


def _blocked_pattern(months: str) -> str:
    """Dates, clock times, year ranges and phone numbers that start at a digit: never figures."""
    day = r"\d{1,2}(?:st|nd|rd|th)?(?:\s*[-–]\s*\d{1,2}(?:st|nd|rd|th)?)?"
    return "|".join([
        rf"{day}\s+(?:of\s+)?(?:{months})\b\.?(?:,?\s+{YEAR}\b)?",
        r"\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}\b",
        r"\d{1,2}:\d{2}(?::\d{2})?(?:\s*(?:a\.m\.|p\.m\.|am\b|pm\b))?",
        r"\d{1,2}(?:\.\d{2})?\s*(?:a\.m\.|p\.m\.|am\b|pm\b|o['’]clock|hrs\b|gmt\b|utc\b)",
        rf"{YEAR}\s*[-–/]\s*(?:\d{{2}}|{YEAR})\b",
        r"\d{3}([.-])\d{3}\1\d{4}\b",
        r"\d{2,4}\)\s?\d{3,4}[\s.-]\d{3,4}\b",
    ])


def _period_pattern(p: dict[str, Any], small: str) -> str:
    """Periods a figure covers: "in the first three quarters of this year", "last year", "in 2023"."""
    mods, months = _alt(p["modifiers"]), _alt(p["months"])
    edge = r"(?:(?:early|mid|late)[\s-]+)?"
    core = (rf"(?:(?:\d+|{small})\s+)?(?:{_alt(p['period_units'])})\b"
            rf"(?:\s+of\s+(?:(?:this|last|next|the)\s+year|{YEAR})\b)?")
    relative = rf"(?:the\s+)?(?:{mods})\s+{core}"
    dated = "|".join([
        relative,
        rf"{YEAR}\s+and\s+{YEAR}\b",
        rf"(?:the\s+){edge}(?:1[89]|20|21)\d0s\b",
        rf"{edge}{YEAR}(?:\s*[-–/]\s*(?:{YEAR}|\d\d))?\b",
        rf"{edge}(?:{months})\b\.?(?:\s*(?:[-–]|to|and|through)\s*(?:{months})\b\.?)?(?:,?\s+{YEAR}\b)?(?!\s*\d)",
    ])
    tails = {**dict.fromkeys(p["prepositions"], rf"\s+(?:{dated})"),
             **dict.fromkeys(p["modifiers"], rf"\s+{core}"),
             "the": rf"\s+(?:{mods})\s+{core}",
             "fiscal": rf"\s+(?:year\s+)?{YEAR}\b", "financial": rf"\s+(?:year\s+)?{YEAR}\b",
             **dict.fromkeys(p["fixed"], "")}
    return _fast(tails, bounded=True)


def _build(data: dict[str, Any]) -> FigureLexicon:
    units, prefixes = _units(data), _prefixes(data)
    ch, meas, counts, period = data["change"], data["measure"], data["counts"], data["period"]
    small = _alt(data["numbers"]["small"])
    tens = _alt(k for k, v in data["numbers"]["small"].items() if v >= 20)
    terms = _fast(meas["terms"], bounded=True)
    frozen = MappingProxyType
    return FigureLexicon(
        small=frozen({key(k): v for k, v in data["numbers"]["small"].items()}),
        articles=frozen({key(k): float(v) for k, v in data["numbers"]["articles"].items()}),
        not_counts=frozenset(data["numbers"]["not_counts"]),
        scales=frozen({key(k): float(v) for table in ("words", "abbreviations", "money")
                       for k, v in data["scale"][table].items()}),
        money_scales=frozenset(data["scale"]["money"]),
        ordinals=frozen(dict(data["ordinals"]["words"])),
        ordinal_skip=frozenset(data["ordinals"]["skip"]),
        ordinal_not_before=frozenset(data["ordinals"]["not_before"]),
        units=frozen(units),
        prefixes=frozen(prefixes),
        qualifiers_before=frozen(_inverse(data["qualifiers"]["before"])),
        qualifiers_after=frozen(_inverse(data["qualifiers"]["after"])),
        qualifier_ends=frozenset(key(w).split()[-1] for ws in data["qualifiers"]["before"].values() for w in ws),
        change_before=frozen(_inverse(ch["before"])),
        change_after=frozen(_inverse(ch["after"])),
        stopwords=frozenset(counts["stopwords"]),
        anaphoric_determiners=frozenset(counts["anaphoric_determiners"]),
        anaphoric_numbers=frozenset(counts["anaphoric_numbers"]),
        not_counted=frozenset(counts["not_counted"]),
        size_words=frozenset(counts["size_words"]),
        verb_cues=frozenset(counts["verb_cues"]),
        irregular_plurals=frozenset(counts["irregular_plurals"]),
        time_units=frozenset(period["units"]),
        months=frozenset(key(m) for m in period["months"]),
        measure_window=int(meas["window_before"]),
        anchor_re=re.compile(_anchor_pattern(data, prefixes)),
        figure_re=re.compile(_figure_pattern(data, units, prefixes)),
        ordinal_re=re.compile(rf"(?P<digits>\d+)(?:st|nd|rd|th)\b|(?P<word>(?:(?:{tens})[\s-])?"
                              rf"(?:{_alt(data['ordinals']['words'])}))\b"),
        blocked_re=re.compile(_blocked_pattern(_alt(period["months"]))),
        date_tail_re=re.compile(rf"\d{{1,2}}(?:st|nd|rd|th)?(?:\s*[-–]\s*\d{{1,2}})?(?:,?\s+{YEAR}\b)?"),
        period_re=re.compile(_period_pattern(period, small)),
        change_before_re=re.compile(
            rf"(?P<w>{_fast([*ch['before']['increase'], *ch['before']['decrease']], bounded=True)})"
            rf"(?:\s+(?:{_alt(ch['links'])}))*\s*$"),
        change_after_re=re.compile(rf"\s*(?:{_fast(ch['neutral'], bounded=False)}\s+)?"
                                   rf"(?P<w>{_fast([w for ws in ch['after'].values() for w in ws], bounded=False)})"),
        neutral_re=re.compile(rf"\s*,?\s*{_fast(ch['neutral'], bounded=False)}"),
        measure_re=re.compile(rf"(?P<t>{terms})"),
        extent_re=re.compile(_fast(meas["extent_terms"], bounded=True)),
        measure_after_re=re.compile(rf"\s+(?:(?:{_alt(meas['links_after'])})\s+(?:[\w-]+\s+){{0,2}}?)?"
                                    rf"(?P<t>{terms})(?:\s+and\s+(?P<t2>{terms}))?"),
    )
