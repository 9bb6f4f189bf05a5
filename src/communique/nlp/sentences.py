"""Sentence offsets for stored bodies, from sentencex (Wikimedia's rule-based segmenter).

It knows abbreviations ("Dec.", "U.S.", "Mr."), decimals and quotations, treats a
paragraph break as a boundary, and is fast enough that ingest never waits on it.
The parsed layer of a later stage may refine these sentences.
"""

from __future__ import annotations

from sentencex import get_sentence_boundaries

from communique.records import Sentence


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
            if end > start:
                out.append(Sentence(len(out), start, end))
        return tuple(out)
