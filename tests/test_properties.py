"""Invariants under generated input: cleaning, sentence offsets, readers on fuzzed bytes."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from communique.ingest import make_context, read_path
from communique.ingest.clean import BoilerplateRules, clean_article, normalise, paragraphs
from communique.nlp.sentences import SentenceSplitter
from communique.records import Article, Reject, Skipped
from communique.settings import load_settings

RULES = BoilerplateRules.load()
SPLITTER = SentenceSplitter()
CTX = make_context(load_settings(env={}).ingest)
texts = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=400)
PIECES = ["Talks", "ended.", "The", "envoy", "said", "“yes”", "\n", "\n\n", " ", "\u00a0", "Dr.", "U.S.", "3.5",
          "percent", "?", "—", "\t", "e\u0301"]
prose = st.lists(st.sampled_from(PIECES), max_size=60).map("".join)


@given(st.one_of(texts, prose))
def test_properties_normalise_is_idempotent(text):
    once = normalise(text)
    assert normalise(once) == once


@given(st.one_of(texts, prose))
def test_properties_body_is_its_paragraphs_joined(text):
    body = clean_article(text, RULES).body
    assert body == body.strip()
    assert "\n\n\n" not in body
    assert "\n\n".join(paragraphs(body)) == body


@given(st.one_of(texts, prose))
def test_properties_sentence_offsets_cover_text_in_order(text):
    body = clean_article(text, RULES).body
    spans = SPLITTER.split(body)
    previous_end = 0
    for i, s in enumerate(spans):
        assert s.index == i
        assert previous_end <= s.start < s.end <= len(body)
        assert body[s.start:s.end] == body[s.start:s.end].strip()
        previous_end = s.end
    assert "".join(body[s.start:s.end] for s in spans).replace(" ", "").replace("\n", "") == \
        body.replace(" ", "").replace("\n", "")


SUFFIXES = [".txt", ".html", ".jsonl", ".csv", ".xml", ".warc", ".warc.gz", ".jsonl.gz"]


@hsettings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.sampled_from(SUFFIXES), st.binary(max_size=2000))
def test_properties_readers_never_crash_on_fuzzed_bytes(suffix, data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzz{suffix}"
        path.write_bytes(data)
        items = list(read_path(path, CTX))
    assert all(isinstance(i, (Article, Reject, Skipped)) for i in items)
    for item in items:
        if isinstance(item, Article):
            assert item.text.strip() and item.id == item.hash[:16]
