"""Near-duplicate fingerprints: the numpy MinHash gives datasketch's values, words match `\\w+`."""

from __future__ import annotations

import re

import numpy as np
import pytest
from datasketch import MinHash

from communique.ingest.dedupe import Deduper, words
from communique.settings import load_settings

SETTINGS = load_settings(env={}).dedupe
BODY = ("The foreign ministers of Valdoria and Ostrava agreed on Tuesday to reopen two border crossings, "
        "and said trade in grain and fertiliser would resume within a month. ") * 4


@pytest.mark.parametrize("text", [
    "The envoy's aide said: talks (round 3) ended_early — “yes”, maybe…",
    "Ünïcödé wörds, Straße and İstanbul; ΣΊΣΥΦΟΣ ﬁnal ①②③ x²",
    "tabs\tand\nnewlines\r\nand\x0bcontrols\x1f_under_scores 12.5% U.S.",
    "",
])
def test_dedupe_words_match_the_regex(text: str) -> None:
    found = [w.decode() if isinstance(w, bytes) else w for w in words(text)]
    assert found == re.findall(r"\w+", text.lower())


@pytest.mark.parametrize("text", [BODY, BODY.replace("'", "’").replace("Tuesday", "“Tuesday”"),
                                  BODY + " Čeština und Größe " * 3])
def test_dedupe_fingerprint_equals_datasketch(text: str) -> None:
    deduper = Deduper(SETTINGS)
    fp = deduper.fingerprint(text)
    assert fp is not None
    reference = MinHash(num_perm=SETTINGS.num_perm, seed=SETTINGS.seed, hashfunc=int, scheme="affine32")
    found = re.findall(r"\w+", text.lower())
    reference.update_batch(np.unique(deduper.shingles(found)).tolist())
    assert fp.signature == np.asarray(reference.hashvalues, dtype="<u8").tobytes()
    assert len(fp.buckets) == deduper.bands


def test_dedupe_similarity_is_the_share_of_equal_values() -> None:
    deduper = Deduper(SETTINGS)
    first = deduper.fingerprint(BODY)
    second = deduper.fingerprint(BODY.replace("Tuesday", "Wednesday"))
    assert first is not None and second is not None
    a, b = (MinHash(hashvalues=np.frombuffer(s, dtype="<u8"), scheme="affine32", hashfunc=int)
            for s in (first.signature, second.signature))
    assert deduper.similarity(first.signature, second.signature) == pytest.approx(a.jaccard(b))
    assert deduper.similarity(first.signature, first.signature) == 1.0
    assert 0.5 < deduper.similarity(first.signature, second.signature) < 1.0


def test_dedupe_too_short_has_no_fingerprint() -> None:
    assert Deduper(SETTINGS).fingerprint("Talks ended.") is None
