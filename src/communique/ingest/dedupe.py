"""Near-duplicate fingerprints: MinHash over word shingles, cut into LSH band buckets.

Buckets are integers so that the store (or a Dask shuffle) can group by them.
`datasketch` supplies the permutations (its `affine32` scheme) and the band/row split
that suits the threshold; the permutations are applied here with numpy over all
shingles of a body at once, which gives the very values `MinHash.update_batch` gives
(a test holds them equal) without its per-value Python loop.
"""

from __future__ import annotations

import functools
import hashlib
import re
import zlib
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash
from datasketch.lsh import _optimal_param

from communique.settings import DedupeSettings

_WORD = re.compile(r"\w+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# ASCII bodies take a faster road to the same words: every byte that `\w` does not match becomes a space.
_ASCII_NON_WORD = bytes(c if chr(c).isascii() and re.fullmatch(r"\w", chr(c)) else 32 for c in range(256))
_BASE = np.uint64(1_000_003)
_MASK = np.uint64(0xFFFFFFFF)
_MAX_VOCABULARY = 1_000_000
_SCHEME = "affine32"
_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """A body's MinHash signature and its LSH bucket keys."""

    signature: bytes
    buckets: tuple[int, ...]


class _WordHashes(dict[str | bytes, int]):
    """CRC-32 of words (of their UTF-8 bytes), remembered: news repeats its vocabulary, and a dict hit
    is cheaper than hashing."""

    def of(self, words: list[str] | list[bytes]) -> np.ndarray:
        """The CRCs of `words` in order, learning the words not seen before."""
        try:
            return np.fromiter(map(self.get, words), dtype=np.uint64, count=len(words))
        except TypeError:  # a None: some word is new
            if len(self) > _MAX_VOCABULARY:
                self.clear()
            for word in words:
                if word not in self:
                    self[word] = zlib.crc32(word if isinstance(word, bytes) else word.encode())
            return np.fromiter(map(self.__getitem__, words), dtype=np.uint64, count=len(words))


@functools.lru_cache(maxsize=4096)
def _separator(char: str) -> bool:
    """True for a character that `\\w` does not match and that lower-casing leaves alone."""
    return _WORD.match(char) is None and char.lower() == char


def words(text: str) -> list[str] | list[bytes]:
    """The lower-cased `\\w+` words of `text`, as `_WORD.findall(text.lower())` finds them.

    Bytes on the faster road, taken when the text is ASCII once its non-ASCII separators
    (typographic quotes, dashes) are blanked out; their CRC is that of the same words as str.
    """
    if not text.isascii():
        others = set(_NON_ASCII.findall(text))
        if not all(map(_separator, others)):
            return _WORD.findall(text.lower())
        for char in others:
            text = text.replace(char, " ")
    return text.encode("ascii").lower().translate(_ASCII_NON_WORD).split()


class Deduper:
    """Computes fingerprints and similarities under one set of dedupe settings."""

    def __init__(self, settings: DedupeSettings) -> None:
        self.settings = settings
        self._word_hashes = _WordHashes()
        proto = MinHash(num_perm=settings.num_perm, seed=settings.seed, hashfunc=int, scheme=_SCHEME)
        a, b = np.asarray(proto.permutations, dtype=np.uint32)
        self._a, self._b = a[np.newaxis, :], b[np.newaxis, :]
        # False positives and negatives weighted equally, as datasketch's MinHashLSH does.
        self.bands, self.rows = _optimal_param(settings.threshold, settings.num_perm, 0.5, 0.5)
        self._band_prefixes = [band.to_bytes(2, "little") for band in range(self.bands)]

    def shingles(self, words: list[str] | list[bytes]) -> np.ndarray:
        """32-bit hashes of the word n-grams of `words` (a polynomial over word CRCs), repeats included."""
        n = self.settings.shingle_words
        hashes = self._word_hashes.of(words)
        count = len(words) - n + 1
        combined = hashes[:count].copy()
        for offset in range(1, n):
            combined *= _BASE
            combined += hashes[offset:count + offset]
            combined &= _MASK
        return combined

    def minhash(self, shingles: np.ndarray) -> np.ndarray:
        """The MinHash values (uint32) of a set of 32-bit shingle hashes; repeats do not change them.

        The same arithmetic as datasketch's `affine32` scheme: a MurmurHash3 finaliser, then
        `a * h + b` modulo 2**32 for every permutation, then the minimum per permutation.
        """
        s1, m1, s2, m2, s3 = _FMIX32
        hv = shingles.astype(np.uint32)
        hv ^= hv >> s1
        hv *= m1
        hv ^= hv >> s2
        hv *= m2
        hv ^= hv >> s3
        permuted = hv[:, np.newaxis] * self._a
        permuted += self._b
        values: np.ndarray = permuted.min(axis=0)
        return values

    def fingerprint(self, text: str) -> Fingerprint | None:
        """The fingerprint of a body (lower-cased words), or None when it is too short to compare."""
        found = words(text)
        if len(found) < self.settings.min_words:
            return None
        signature = self.minhash(self.shingles(found)).astype("<u8").tobytes()
        return Fingerprint(signature, self._buckets(signature))

    def _buckets(self, signature: bytes) -> tuple[int, ...]:
        width = self.rows * 8
        return tuple(
            int.from_bytes(hashlib.blake2b(prefix + signature[band * width:(band + 1) * width], digest_size=8).digest(),
                           "little", signed=True)
            for band, prefix in enumerate(self._band_prefixes))

    def similarity(self, a: bytes, b: bytes) -> float:
        """Estimated Jaccard similarity of two stored signatures (the share of equal values)."""
        first, second = np.frombuffer(a, dtype="<u8"), np.frombuffer(b, dtype="<u8")
        if len(first) != len(second):
            raise ValueError("signatures of different lengths (num_perm changed?)")
        return float(np.count_nonzero(first == second)) / len(first)
