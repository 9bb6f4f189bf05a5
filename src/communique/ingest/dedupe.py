"""Near-duplicate fingerprints: MinHash over word shingles, cut into LSH band buckets.

Buckets are integers so that the store (or a Dask shuffle) can group by them;
`datasketch` supplies the hashing and the band/row split that suits the threshold.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash
from datasketch.lsh import _optimal_param

from communique.settings import DedupeSettings

_WORD = re.compile(r"\w+")
_BASE = np.uint64(1_000_003)
_MASK = np.uint64(0xFFFFFFFF)
_MAX_VOCABULARY = 1_000_000


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """A body's MinHash signature and its LSH bucket keys."""

    signature: bytes
    buckets: tuple[int, ...]


class _WordHashes(dict[str, int]):
    """CRC-32 of words, remembered: news repeats its vocabulary, and a dict hit is cheaper than hashing."""

    def __missing__(self, word: str) -> int:
        if len(self) > _MAX_VOCABULARY:
            self.clear()
        value = self[word] = zlib.crc32(word.encode())
        return value


class Deduper:
    """Computes fingerprints and similarities under one set of dedupe settings."""

    def __init__(self, settings: DedupeSettings) -> None:
        self.settings = settings
        self._word_hashes = _WordHashes()
        proto = MinHash(num_perm=settings.num_perm, seed=settings.seed, hashfunc=int)
        self._permutations = proto.permutations
        self._scheme = proto.scheme
        # False positives and negatives weighted equally, as datasketch's MinHashLSH does.
        self.bands, self.rows = _optimal_param(settings.threshold, settings.num_perm, 0.5, 0.5)

    def shingles(self, words: list[str]) -> np.ndarray:
        """Distinct 32-bit hashes of the word n-grams of `words` (a polynomial over word CRCs)."""
        n = self.settings.shingle_words
        hashes = np.fromiter(map(self._word_hashes.__getitem__, words), dtype=np.uint64, count=len(words))
        combined = np.zeros(len(words) - n + 1, dtype=np.uint64)
        for offset in range(n):
            combined = (combined * _BASE + hashes[offset:len(words) - n + 1 + offset]) & _MASK
        return np.unique(combined)

    def fingerprint(self, text: str) -> Fingerprint | None:
        """The fingerprint of a body (lower-cased words), or None when it is too short to compare."""
        words = _WORD.findall(text.lower())
        if len(words) < self.settings.min_words:
            return None
        mh = MinHash(num_perm=self.settings.num_perm, hashfunc=int,
                     permutations=self._permutations, scheme=self._scheme)
        mh.update_batch(self.shingles(words).tolist())
        values = np.asarray(mh.hashvalues, dtype="<u8")
        return Fingerprint(values.tobytes(), self._buckets(values))

    def _buckets(self, values: np.ndarray) -> tuple[int, ...]:
        keys = []
        for band in range(self.bands):
            chunk = values[band * self.rows:(band + 1) * self.rows].tobytes()
            digest = hashlib.blake2b(band.to_bytes(2, "little") + chunk, digest_size=8).digest()
            keys.append(int.from_bytes(digest, "little", signed=True))
        return tuple(keys)

    def similarity(self, a: bytes, b: bytes) -> float:
        """Estimated Jaccard similarity of two stored signatures."""
        first = MinHash(hashvalues=np.frombuffer(a, dtype="<u8"), scheme=self._scheme, hashfunc=int)
        second = MinHash(hashvalues=np.frombuffer(b, dtype="<u8"), scheme=self._scheme, hashfunc=int)
        return float(first.jaccard(second))
