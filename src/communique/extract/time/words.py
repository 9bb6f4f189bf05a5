"""Numbers, spoken years and clock times read from digits or words with the lexicon's number words."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from communique.extract.time.lexicon import TimeLexicon


def norm(words: str) -> str:
    """`words` lowercased, with each run of whitespace made one space."""
    return " ".join(words.lower().split())


def parse_number(words: str, lex: TimeLexicon) -> float | None:
    """The value of a number in digits or words ("twenty-four", "2 1/2", "a hundred")."""
    words = norm(words.replace(",", "").replace("½", " 1/2"))
    if words in lex.numbers:
        return float(lex.numbers[words])
    half = 0.5 if words.endswith("1/2") else 0.0
    words = words.removesuffix("1/2").strip()
    if words and words[0].isdigit():
        return float(words) + half
    total, current = 0, 0
    for word in re.split(r"[\s-]+", words):
        value = lex.numbers.get(word)
        if value is None:
            if word in ("and", "of"):
                continue
            return None
        if value in (100, 1000):
            current = max(current, 1) * value
            if value == 1000:
                total, current = total + current, 0
        else:
            current += value
    return float(total + current) + half


def parse_spoken_year(words: str, lex: TimeLexicon) -> int | None:
    """"nineteen ninety-six" -> 1996, "two thousand and five" -> 2005."""
    parts = norm(words).replace("-", " ").split()
    if parts[:2] == ["two", "thousand"]:
        rest = parse_number(" ".join(parts[2:]), lex) if parts[2:] else 0.0
        return None if rest is None else 2000 + int(rest)
    century = lex.numbers.get(parts[0])
    rest = parse_number(" ".join(parts[1:]), lex)
    if century is None or rest is None:
        return None
    return century * 100 if rest == 100 else century * 100 + int(rest)


def parse_clock(text: str, lex: TimeLexicon) -> str | None:
    """"3 p.m." -> "15:00", "08:35" -> "08:35", "noon" -> "12:00", "four in the morning" -> "04:00"."""
    text = norm(text)
    if text in ("noon", "midday"):
        return "12:00"
    if text == "midnight":
        return "24:00"
    found = re.match(r"(\d\d(?=\d\d)|\w+)(?::|\.|(?<=\d\d))?(\d\d)?\s*(?:o'clock\s+)?(.*)$", text)
    if found is None:
        return None
    hour = int(found.group(1)) if found.group(1).isdigit() else lex.numbers.get(found.group(1))
    if hour is None or hour > 24:
        return None
    suffix = found.group(3)
    if (suffix.startswith("p") or "afternoon" in suffix or "evening" in suffix) and hour < 12:
        hour += 12
    elif suffix.startswith("a") and hour == 12:
        hour = 0
    return f"{hour:02d}:{int(found.group(2) or 0):02d}"
