"""Sentence offsets for stored bodies, from sentencex (Wikimedia's rule-based segmenter).

It knows abbreviations ("Dec.", "U.S.", "Mr."), decimals and quotations, treats a
paragraph break as a boundary, and is fast enough that ingest never waits on it.
A wire dateline that opens a sentence ("QUITO, Ecuador -- ", "(LONDON) — ",
"Canberra, Aug 21 – ") becomes a sentence of its own, so that the parser does not take
the city for the subject of the news that follows.
"""

from __future__ import annotations

import re

from sentencex import get_sentence_boundaries

from communique.records import Sentence

_DASH = r"\s*(?:--|\u2014|\u2013)\s+"
DATELINE = re.compile(
    r"^(?:"
    r"\(?[A-Z][A-Z.'\u2019-]+(?: [A-Z][A-Z.'\u2019-]+){0,3}\)?(?:, [A-Z][A-Za-z.]+(?: [A-Z][A-Za-z.]+){0,2})?"
    r"|[A-Z][a-z]+(?: [A-Z][a-z]+){0,2}, (?:[A-Z][a-z]{2,8}\.? \d{1,2}(?:, \d{4})?|\d{1,2} [A-Z][a-z]{2,8} \d{4})"
    r")(?: \([A-Za-z .&/-]{1,30}\))?" + _DASH + r"(?=[A-Z\"\u201c\u2018\d])")


class SentenceSplitter:
    """Splits bodies into sentences of one language (ISO 639-1 code)."""

    def __init__(self, language: str = "en") -> None:
        self.language = language

    def split(self, text: str) -> tuple[Sentence, ...]:
        """Sentences of `text` with offsets trimmed of surrounding whitespace."""
        out: list[Sentence] = []
        for piece in get_sentence_boundaries(self.language, text):
            start, end = piece["start_index"], piece["end_index"]
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            dateline = DATELINE.match(text, start, end)
            if dateline is not None and dateline.end() < end:
                cut = dateline.end()
                while cut > start and text[cut - 1].isspace():
                    cut -= 1
                out.append(Sentence(len(out), start, cut))
                start = dateline.end()
            if end > start:
                out.append(Sentence(len(out), start, end))
        return tuple(out)
