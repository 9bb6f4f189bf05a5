"""Sentence offsets for stored bodies, from spaCy's rule-based sentencizer.

A blank English pipeline (tokenizer + sentencizer) needs no model; a paragraph break
always ends a sentence. The parsed layer of a later stage may refine these.
"""

from __future__ import annotations

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from communique.records import Sentence


@Language.component("communique_paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """Start a sentence after every token followed by a blank line."""
    for token in doc[:-1]:
        if "\n" in token.whitespace_ or (token.is_space and "\n" in token.text):
            doc[token.i + 1].is_sent_start = True
    return doc


class SentenceSplitter:
    """Splits bodies into sentences; build one per process and reuse it."""

    def __init__(self) -> None:
        self.nlp = spacy.blank("en")
        self.nlp.add_pipe("communique_paragraph_breaks")
        self.nlp.add_pipe("sentencizer")

    def split(self, text: str) -> tuple[Sentence, ...]:
        """Sentences of `text` with offsets trimmed of surrounding whitespace."""
        out: list[Sentence] = []
        for sent in self.nlp(text).sents:
            start, end = sent.start_char, sent.end_char
            while end > start and text[end - 1].isspace():
                end -= 1
            if end > start:
                out.append(Sentence(len(out), start, end))
        return tuple(out)
