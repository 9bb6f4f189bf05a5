"""The language core loaded once for the extract tests that need the whole parsed layer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from spacy.tokens import Doc

from communique.extract import ExtractionContext, extract_all
from communique.extract.actors import ActorResolver
from communique.extract.claims import extract_claims
from communique.extract.events import EventCoder
from communique.extract.statements import extract_statements
from communique.kb import ActorKB
from communique.nlp import load_pipeline, parse
from communique.nlp.sentences import SentenceSplitter
from communique.records import ParsedLayer, Sentence

Analysed = tuple[Doc, tuple[Sentence, ...], ParsedLayer]


@pytest.fixture(scope="session")
def analyse() -> Callable[..., Analysed]:
    """`analyse(text, published, sentences=None, article_id="art")` -> (doc, sentences, layer) as analyze makes them."""
    nlp = load_pipeline()
    kb = ActorKB.load()
    resolver, coder, splitter = ActorResolver(nlp, kb), EventCoder.load(kb), SentenceSplitter()

    def _analyse(text: str, published: dt.date | None, sentences: tuple[Sentence, ...] | None = None,
                 article_id: str = "art") -> Analysed:
        sents = sentences if sentences is not None else splitter.split(text)
        doc = next(parse(nlp, [(text, sents)]))
        layer = extract_all(article_id, doc, ExtractionContext(published, sents), resolver,
                            statements=extract_statements, events=coder, claims=extract_claims)
        return doc, sents, layer

    return _analyse
