"""Figures in news text: money, percentages, areas, lengths, masses, volumes, counts, ranks.

`extract_figures(text, sentences)` finds each figure with its character offsets, value in
base units (`$6.45 billion` -> 6.45e9 USD, `112.5 square kilometers` -> 112.5 km2,
`5 million tonnes` -> 5e6 t), qualifier, whether it is a change, what it measures and the
period the sentence gives for it. All knowledge (number words, units and factors, ISO 4217
currencies, qualifier, change, measure and period words) is in `data/units.toml`, loaded
on first use into an immutable `FigureLexicon`.

Choices, so that users know what to expect:

* A figure's span covers its qualifier, currency sign, number, scale and unit, and for a
  count or rank the counted noun ("more than 150 countries"); change words, measure and
  period are not part of it.
* Ranges ("between 30 and 40 percent", "30-40 percent", "$3-4 billion") give two figures,
  `at_least` and `at_most`, both spanning the whole range; "from 30 to 40 percent" gives two
  exact figures (a change from one level to another).
* Numbers are written "1,200", "1200", "1.2", "-1.2" or "minus 1.2"; the space-grouped
  "1 200" is not read as one number, because in English copy two numbers often stand side by
  side. European decimal commas are not read.
* Not figures: calendar years ("in 2023", "the 2015 agreement"), dates, clock times, ages
  and durations ("three-day visit", "nine months", "45-year-old", "aged 45": durations
  belong to the time extractor), list numbering and phone numbers (no counted noun),
  version strings, numbers inside words or codes ("G20", "COVID-19", "Su-35", "5G") or after
  a name ("Resolution 2231", "Boeing 747"), bare numbers with neither unit nor counted noun
  nor qualifier, "dozens"/"thousands of", the word "one" on its own and "the two ..." (a pair
  already named, such as "the two countries").
* Money with a bare "$" or "dollars" is USD and "¥" is CNY (see the data file); the word
  "first" is not reported as a rank ("for the first time"), "1st" is.

Speed: one regex pass over a lower-cased copy of the text finds anchors (digits, currency
signs, number and ordinal words); every other pattern is matched at an anchor or in a short
window, and periods are looked for only in sentences that hold a figure.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from re import Match
from typing import NamedTuple

from communique.extract.units import YEAR, FigureLexicon, UnitDef, default_lexicon, key
from communique.nlp.sentences import SentenceSplitter
from communique.records import Figure, FigureKind

_YEAR_RE = re.compile(YEAR)
_WORD_SPLIT = re.compile(r"[\s-]+")
_WORD_AFTER = re.compile(r"[ \t]*([A-Z](?:\.[A-Z])+\.|[A-Za-z][A-Za-z'’]*(?:-[A-Za-z]+)*)")  # "U.S.", "troops"
_POSSESSIVE = re.compile(r"['’]s?$")
_HYPHEN_WORD = re.compile(r"-([A-Za-z]+)(?![\w])")
_NAME_LIKE = re.compile(r"[A-Za-z][\w.'’&-]*")  # a word that may name a thing numbered after it
_JOINED = re.compile(r"\s+(?:and|or)\s+[A-Za-z]+")  # "the 21st and longest intrusion"
_RANGE_GAP = re.compile(r"\s*(?:-|–|—|to|and)\s*")
_ARTICLE_LEFT = re.compile(r"(?<![^\W_])(?:half\s+an?|an?)\s+$")
_YEAR_ON_YEAR_LEFT = re.compile(r"(?:year[- ]on[- ]year|y-o-y)\s+$")
_OPENERS = "\"'“‘([ "

# ---- finding figures ----------------------------------------------------------------------------


class _Token(NamedTuple):
    """A number as matched, before ranges and counts are resolved (a tuple: many are made and dropped)."""

    start: int
    end: int
    number_start: int
    number_end: int
    number: float  # sign applied, scale not applied
    scale: float | None
    unit: UnitDef | None
    qualifier: str
    words: str | None  # the number as words ("eight"), None for digits
    ranged: bool = False  # one end of a range ("30-40 people")


def extract_figures(text: str, sentences: Sequence[tuple[int, int]] | None = None, *,
                    lexicon: FigureLexicon | None = None) -> list[Figure]:
    """Figures in `text`, in order, with offsets into `text`.

    `sentences` are (start, end) offsets of the article's sentences; figures are looked for
    only inside them, and measure and period are taken from a figure's own sentence. Without
    them, the text is split with the project's sentence splitter.
    """
    lex = lexicon or default_lexicon()
    spans = list(sentences) if sentences is not None else [(s.start, s.end) for s in SentenceSplitter().split(text)]
    low = _lowered(text)
    anchors = [m.start("a") - 1 for m in lex.anchor_re.finditer(" " + low)]
    figures: list[Figure] = []
    for start, end in spans:
        first, last = bisect_left(anchors, start), bisect_left(anchors, end)
        if first == last:
            continue
        found = _sentence_figures(text, low, start, end, anchors[first:last], lex)
        if found:
            periods = [m.span() for m in lex.period_re.finditer(low, start, end)]
            figures += _annotate(text, low, start, found, periods, lex)
    return figures


def _lowered(text: str) -> str:
    """`text` in lower case with the same offsets (characters whose lower case is longer stay as they are)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def _sentence_figures(text: str, low: str, start: int, end: int, anchors: list[int],
                      lex: FigureLexicon) -> list[Figure]:
    """Figures of one sentence, from its anchors in order; each match consumes the anchors it covers."""
    tokens: list[_Token] = []
    ordinals: list[Figure] = []
    done = start
    for a in anchors:
        if a < done:
            continue
        if (blocked := _blocked_end(low, a, start, lex)) is not None:
            done = blocked
        elif (m := lex.ordinal_re.match(low, a, end)) is not None:
            done = m.end()
            if (fig := _ordinal(text, m, start, end, lex)) is not None:
                ordinals.append(fig)
        elif (tok := _token(text, low, a, start, end, lex)) is not None:
            tokens.append(tok)
            done = tok.end
    found = _resolve(text, start, end, _ranges(text, tokens), lex) + ordinals
    return sorted(found, key=lambda f: (f.start, f.value))


def _blocked_end(low: str, a: int, start: int, lex: FigureLexicon) -> int | None:
    """End of a date, clock time, age, year range or phone number starting at digit `a`, or None."""
    if not low[a].isdigit():
        return None
    before = (_previous_word(low, max(start, a - 14), a) or "").rstrip(".,")
    if before in lex.months or before in ("aged", "age"):
        m = lex.date_tail_re.match(low, a)
        return m.end() if m is not None else a + 1
    m = lex.blocked_re.match(low, a)
    return m.end() if m is not None else None


def _token(text: str, low: str, a: int, start: int, end: int, lex: FigureLexicon) -> _Token | None:
    """The number that starts at anchor `a`, with currency, scale and unit; None when there is none."""
    if low[a].isalpha() and low[a:a + 12].split(None, 1)[0].strip(".,;:") in lex.scales:
        art = _ARTICLE_LEFT.search(low, max(start, a - 10), a)  # "a million", "half a billion"
        if art is None:
            return None
        a = art.start()
    m = lex.figure_re.match(low, a, end)
    if m is None:
        return None
    g = m.groupdict()
    valid, unit = _unit(text, m, lex)
    abbr = g["abbr"].lower() if g["abbr"] else None
    if not valid or (abbr in lex.money_scales and (unit is None or unit.kind is not FigureKind.MONEY)):
        return None
    scale = lex.scales[abbr] if abbr else lex.scales[key(g["scale"])] if g["scale"] else None
    if g["num"]:
        number, words, number_start = float(g["num"].replace(",", "")), None, m.start("num")
    elif g["words"]:
        parsed = _parse_words(g["words"], lex)
        if parsed is None:
            return None
        number, words, number_start = parsed, text[m.start("words"):m.end("words")], m.start("words")
    else:
        number, words, number_start = lex.articles[key(g["art"])], g["art"], m.start("art")
    if g["neg"]:
        number = -number
    figure_start, qualifier = _qualifier_before(low, a, start, lex)
    if after := g["qa2"] or g["qa1"]:
        qualifier = lex.qualifiers_after[key(after)]
    number_end = max(m.end(name) for name in ("num", "words", "art", "scale", "abbr"))
    return _Token(figure_start, m.end(), number_start, number_end, number, scale, unit, qualifier, words)


def _unit(text: str, m: Match[str], lex: FigureLexicon) -> tuple[bool, UnitDef | None]:
    """Whether a figure match is valid, and its unit: a currency sign or code (case as written) or a unit word."""
    unit = lex.units[key(m["unit"])] if m["unit"] else None
    for group in ("code", "pre"):
        if m[group]:
            written = text[m.start(group):m.end(group)].strip()
            if written not in lex.prefixes or (group == "code" and not written.isupper()):
                return False, None  # "rs 5" is not rupees, "5 usd" not a code
            unit = UnitDef(lex.prefixes[written], FigureKind.MONEY, 1.0)
    return True, unit


def _qualifier_before(low: str, a: int, start: int, lex: FigureLexicon) -> tuple[int, str]:
    """Start and qualifier of the one to three words right before a figure ("more than", "nearly")."""
    window = low[max(start, a - 24):a]
    if not window or not window[-1].isspace():
        return a, "exact"
    words = window.split()
    if not words or words[-1] not in lex.qualifier_ends:
        return a, "exact"
    for n in (3, 2, 1):
        if len(words) >= n and (qualifier := lex.qualifiers_before.get(" ".join(words[-n:]))) is not None:
            pos = len(window)
            for word in reversed(words[-n:]):
                pos = window.rfind(word, 0, pos)
            begin = a - len(window) + pos
            if begin == start or not low[begin - 1].isalnum():
                return begin, qualifier
    return a, "exact"


def _previous_word(s: str, lo: int, hi: int) -> str | None:
    """The whitespace-separated word that ends right before the space(s) before `hi`, if any."""
    window = s[lo:hi]
    if not window or not window[-1].isspace():
        return None
    words = window.split()
    if not words or (lo > 0 and len(words) == 1 and s[lo - 1].isalnum()):
        return None
    return words[-1].lstrip(_OPENERS) or None


def _parse_words(words: str, lex: FigureLexicon) -> float | None:
    """Value of a run of number words ("two hundred and fifty thousand" -> 250000).

    None when two small numbers follow each other other than tens and units
    ("nineteen ninety-seven" is a year read aloud, not 116).
    """
    total, current, last = 0.0, 0.0, 0
    for word in _WORD_SPLIT.split(words.lower()):
        if word == "hundred":
            current, last = (current or 1) * 100, 0
        elif word in lex.scales:
            total, current, last = total + (current or 1) * lex.scales[word], 0.0, 0
        elif word in lex.small:
            value = lex.small[word]
            if last and not (last % 10 == 0 and last >= 20 and value < 10):
                return None
            current, last = current + value, value
    return total + current


def _ranges(text: str, tokens: list[_Token]) -> list[_Token]:
    """Join "30-40 percent", "$3-4 billion", "between 30 and 40 people": the first borrows the second's unit.

    A falling pair joined by a hyphen ("a 6-3 vote", "won 2-1") is a score: both are dropped.
    """
    out: list[_Token | None] = list(tokens)
    for i in range(len(tokens) - 1):
        first, second = out[i], out[i + 1]
        if first is None or second is None:
            continue
        gap = text[first.number_end:second.start]
        if (first.unit is not None and first.scale is not None) or not _RANGE_GAP.fullmatch(gap):
            continue
        if gap.strip() == "-" and first.number >= second.number and first.unit is None and second.unit is None:
            out[i] = out[i + 1] = None
            continue
        lead = text[max(0, first.start - 8):first.start].lower()
        if gap.strip() == "and" and lead != "between ":
            continue
        ranged = lead[-5:] != "from "
        span_start = first.start - (8 if lead == "between " else 0)
        out[i] = first._replace(start=span_start, end=second.end, unit=first.unit or second.unit,
                                scale=first.scale or second.scale, ranged=True,
                                qualifier="at_least" if ranged else first.qualifier)
        out[i + 1] = second._replace(start=span_start, unit=second.unit or first.unit, ranged=True,
                                     qualifier="at_most" if ranged else second.qualifier)
    return [t for t in out if t is not None]


def _resolve(text: str, start: int, end: int, tokens: list[_Token], lex: FigureLexicon) -> list[Figure]:
    """Figures of one sentence's tokens: units applied, or counts read."""
    figures = []
    for tok in tokens:
        if tok.unit is not None:
            value = tok.number * (tok.scale or 1) * tok.unit.factor
            figures.append(Figure(tok.start, tok.end, text[tok.start:tok.end], value, tok.unit.unit,
                                  tok.unit.kind, tok.qualifier))
        elif (fig := _count(text, tok, start, end, lex)) is not None:
            figures.append(fig)
    return figures


def _count(text: str, tok: _Token, start: int, end: int, lex: FigureLexicon) -> Figure | None:
    """A count with its counted noun ("more than 150 countries"), or None when it is not one."""
    value = tok.number * (tok.scale or 1)
    if value != int(value) or _not_a_count(text, tok, start, lex):
        return None
    if tok.end == tok.number_end and (hyphen := _HYPHEN_WORD.match(text, tok.number_end, end)) is not None:
        noun, noun_end = hyphen.group(1).lower(), hyphen.end(1)  # "a 13-point list", "an 18-member delegation"
        phrase: tuple[str, ...] = (noun,)
        if noun in lex.stopwords or noun.endswith(("ed", "ing")):
            return None  # "486-based", "3-for-2"
        if noun in lex.size_words and (head := _noun_after(text, hyphen.end(), end, lex, proper=False)):
            noun, noun_end, phrase = head  # "a 3,000-strong force" counts the force
    elif tok.number_end < len(text) and text[tok.number_end].isalnum():
        return None  # "5G", "1990s"
    elif (head := _noun_after(text, tok.end, end, lex, proper=False)) is not None:
        noun, noun_end, phrase = head
    elif tok.words is None and tok.qualifier != "exact" and not tok.ranged:
        return Figure(tok.start, tok.end, text[tok.start:tok.end], value, "count", FigureKind.COUNT, tok.qualifier)
    else:
        return None
    if any(w in lex.time_units for w in phrase) or noun.lower() in lex.not_counted or noun.lower() in lex.ordinals:
        return None  # durations ("nine months", "37 years old"), fractions, money in unknown currencies
    return Figure(tok.start, noun_end, text[tok.start:noun_end], value, "count", FigureKind.COUNT, tok.qualifier,
                  measure=noun)


def _not_a_count(text: str, tok: _Token, start: int, lex: FigureLexicon) -> bool:
    """Years, numbers after a name, "one", "the two", and capitalised number words inside a sentence."""
    if tok.words is None and tok.scale is None and _YEAR_RE.fullmatch(text[tok.number_start:tok.number_end]):
        return True
    if tok.words is not None and (key(tok.words) in lex.not_counts or (
            tok.words[0].isupper() and text[start:tok.start].strip(_OPENERS))):
        return True
    word = _previous_word(text, max(start, tok.start - 40), tok.start)
    if word is None or not _NAME_LIKE.fullmatch(word):
        return False
    if tok.words is not None and key(tok.words) in lex.anaphoric_numbers and word.lower() in lex.anaphoric_determiners:
        return True
    bare = word.lower().rstrip(".")
    return (word[0].isupper() and bare not in lex.stopwords and bare not in lex.qualifiers_before
            and bare not in lex.months and bare not in lex.ordinals and not word.endswith(("'s", "’s")))


def _noun_after(text: str, pos: int, end: int, lex: FigureLexicon, *,
                proper: bool) -> tuple[str, int, tuple[str, ...]] | None:
    """The head noun of the words after `pos`, its end offset and the words of its phrase (lower case).

    The phrase ends before a function word, a participle ("255 soldiers killed") or a
    capitalised word after a lower-case one, and after a possessive ("the three countries'
    ministers") or a capitalised plural ("3,000 Americans caught"). The head is its last word
    and, for a count, is lower case or a capitalised plural. With `proper` (ranks), a
    capitalised name may be the head and may contain "and" or "of" ("the third Belt and Road Forum").
    """
    words: list[tuple[str, int]] = []
    while len(words) < 6:
        m = _WORD_AFTER.match(text, pos, end)
        if m is None:
            break
        raw = m.group(1)
        possessive = raw.endswith(("'", "’", "'s", "’s"))
        word = _POSSESSIVE.sub("", raw)
        lower = word.lower()
        if proper and lower in ("and", "of") and words and words[-1][0][0].isupper():
            nxt = _WORD_AFTER.match(text, m.end(), end)
            if nxt is not None and nxt.group(1)[0].isupper():
                pos = m.end()
                continue
        if not word or lower in lex.stopwords or (words and (
                lower.endswith(("ed", "ing")) or (word[0].isupper() and words[-1][0][0].islower())
                or _followed_by(text, m.end(), end, lex.verb_cues))):
            break
        words.append((word, m.start(1) + len(word)))
        pos = m.end()
        if possessive or (not proper and (_proper_plural(word) or _plural(lower, lex))):
            break
    if not words:
        return None
    head, head_end = words[-1]
    if not proper and not (head[0].islower() or _proper_plural(head)):
        return None
    return head, head_end, tuple(w.lower() for w, _ in words)


def _followed_by(text: str, pos: int, end: int, cues: frozenset[str]) -> bool:
    """Whether the word at `pos` is one of `cues`."""
    m = _WORD_AFTER.match(text, pos, end)
    return m is not None and m.group(1).lower() in cues


def _plural(lower: str, lex: FigureLexicon) -> bool:
    """A lower-case plural noun, which ends a counted phrase ("150 countries", "300 people")."""
    return lower in lex.irregular_plurals or (lower.endswith("s") and not lower.endswith(("ss", "us", "is")))


def _proper_plural(word: str) -> bool:
    """A capitalised plural such as a demonym ("Americans", "Britons")."""
    return word[0].isupper() and word.endswith("s") and not word.endswith("ss") and not word.isupper()


def _ordinal(text: str, m: Match[str], start: int, end: int, lex: FigureLexicon) -> Figure | None:
    """A rank with what it ranks ("the 15th time", "third Belt and Road Forum", "fourth-biggest supplier")."""
    if m["word"] is not None:
        word = text[m.start("word"):m.end("word")]
        if key(word) in lex.ordinal_skip or (word[0].isupper() and text[start:m.start()].strip(_OPENERS)):
            return None  # "first", "Second World War"
        if text[m.start() - 1:m.start()] == "-":
            return None  # a fraction: "one-third", "two-fifths"
        parts = _WORD_SPLIT.split(word.lower())
        value = float(sum(lex.small.get(p, 0) for p in parts[:-1]) + lex.ordinals[parts[-1]])
    else:
        value = float(m["digits"])
    pos = m.end()
    if (hyphen := _HYPHEN_WORD.match(text, pos, end)) is not None:
        pos = hyphen.end()  # "fourth-biggest"; "third-quarter" is a period
        if hyphen.group(1).lower() in lex.ordinal_not_before or hyphen.group(1).lower() in lex.time_units:
            return None
    elif (joined := _JOINED.match(text, pos, end)) is not None:
        pos = joined.end()
    nxt = _WORD_AFTER.match(text, pos, end)
    if nxt is None or nxt.group(1).lower() in lex.ordinal_not_before:
        return None
    head = _noun_after(text, pos, end, lex, proper=True)
    if head is None or head[0].lower() in lex.time_units:
        return None  # "the third consecutive month" is a date
    noun, noun_end, _ = head
    return Figure(m.start(), noun_end, text[m.start():noun_end], value, "ordinal", FigureKind.ORDINAL,
                  measure=noun)


# ---- change, measure and period ------------------------------------------------------------------

_CHANGING = frozenset({FigureKind.MONEY, FigureKind.PERCENT, FigureKind.MASS, FigureKind.VOLUME})


def _annotate(text: str, low: str, start: int, figures: list[Figure], periods: list[tuple[int, int]],
              lex: FigureLexicon) -> list[Figure]:
    """Add change, measure and period to the figures of one sentence."""
    out: list[Figure] = []
    floor = start  # measure terms before this belong to earlier figures
    for fig in figures:
        change = _change(low, fig, start, lex) if fig.kind in _CHANGING else None
        measure, used = fig.measure, fig.end
        if measure is None and fig.kind not in (FigureKind.COUNT, FigureKind.ORDINAL):
            measure, used = _measure(text, low, fig, min(floor, fig.start), lex)
            if measure is None and change is not None and out:
                measure = _inherited(text, out[-1], fig)
        out.append(Figure(fig.start, fig.end, fig.text, fig.value, fig.unit, fig.kind, fig.qualifier, change,
                          measure, _nearest(text, fig, periods)))
        floor = max(floor, used)
    return out


def _change(low: str, fig: Figure, start: int, lex: FigureLexicon) -> str | None:
    """increase, decrease or change when the words around a figure say it is one."""
    before = lex.change_before_re.search(low, max(start, fig.start - 60), fig.start)
    if before is not None:
        return lex.change_before[key(before["w"])]
    after = lex.change_after_re.match(low, fig.end)
    if after is not None:
        return lex.change_after[key(after["w"])]
    if lex.neutral_re.match(low, fig.end) or _YEAR_ON_YEAR_LEFT.search(low, max(start, fig.start - 20), fig.start):
        return "change"
    return None


def _measure(text: str, low: str, fig: Figure, floor: int, lex: FigureLexicon) -> tuple[str | None, int]:
    """What a figure measures, and where its text ends.

    A term after the figure ("$5 billion in loans") comes first, else the nearest term
    before it and after `floor` ("bilateral trade reached $5 billion").
    """
    after = lex.measure_after_re.match(low, fig.end) if fig.kind in _CHANGING else None
    if after is not None:
        span = (after.start("t"), after.end("t2") if after["t2"] else after.end("t"))
    else:
        terms = lex.extent_re if fig.kind in (FigureKind.AREA, FigureKind.LENGTH) else lex.measure_re
        found = list(terms.finditer(low, max(floor, fig.start - lex.measure_window), fig.start))
        if not found:
            return None, fig.end
        span = found[-1].span()
    term = text[span[0]:span[1]]
    return (term if term.isupper() else " ".join(term.lower().split())), max(span[1], fig.end)


def _inherited(text: str, previous: Figure, fig: Figure) -> str | None:
    """An appositive change takes the measure of the figure it follows ("$6 billion, up 8 percent")."""
    gap = text[previous.end:fig.start]
    return previous.measure if gap.lstrip().startswith(",") and len(gap) < 50 else None


def _nearest(text: str, fig: Figure, periods: list[tuple[int, int]]) -> str | None:
    """Text of the period nearest to a figure in its sentence."""
    if not periods:
        return None
    s, e = min(periods, key=lambda p: p[0] - fig.end if p[0] >= fig.end else fig.start - p[1])
    return text[s:e]
