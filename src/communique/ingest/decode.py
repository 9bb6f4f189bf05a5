"""Bytes to text: BOMs, UTF-8, detected legacy encodings, and binary refusal."""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from communique import errors
from communique.errors import InputError

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_SNIFF = 8192
_TEXT_CONTROLS = {9, 10, 12, 13, 27}
_NOT_CONTROLS = bytes(b for b in range(256) if b >= 32 or b in _TEXT_CONTROLS)  # deleted before counting


def looks_binary(data: bytes) -> bool:
    """True when the head of `data` has NUL bytes or many control characters."""
    head = data[:_SNIFF]
    if b"\x00" in head:
        return True
    controls = len(head.translate(None, _NOT_CONTROLS))
    return controls > len(head) * 0.05


def decode(data: bytes) -> tuple[str, tuple[str, ...]]:
    """Decode `data` and say what was not plain UTF-8.

    Returns:
        The text and warnings (the encoding that was detected, or how many bytes
        were replaced by U+FFFD).

    Raises:
        InputError: empty or binary data.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace"), ()
    if not data.strip():
        raise InputError(errors.E_EMPTY, "empty file: no text to ingest")
    if looks_binary(data):
        raise InputError(errors.E_BINARY, "binary file, not text (NUL or control bytes)")
    try:
        return data.decode("utf-8"), ()
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    text = data.decode("utf-8", errors="replace")
    replaced = text.count("\ufffd") - data.count("\ufffd".encode())
    if not _mostly_utf8(text, replaced):
        guess = from_bytes(data[: 1 << 20]).best()
        if guess is not None and guess.encoding not in ("utf_8", "ascii"):
            text = data.decode(guess.encoding, errors="replace")
            return text, (f"not UTF-8 (first bad byte at offset {first_bad}); decoded as {guess.encoding}",)
    return text, (f"{replaced} undecodable byte sequence(s) replaced by U+FFFD (first at offset {first_bad})",)


def _mostly_utf8(text: str, replaced: int) -> bool:
    """True when `text` has valid multi-byte UTF-8 characters, at least one per ten bad sequences.

    Legacy single-byte text almost never forms a valid multi-byte UTF-8 sequence, so such a
    file is damaged UTF-8: decoding it all as a guessed legacy encoding would garble every
    one of its good non-ASCII characters to fix a few bad bytes.
    """
    valid = sum(1 for c in text if c > "\x7f" and c != "\ufffd")
    return valid > 0 and valid * 10 >= replaced
