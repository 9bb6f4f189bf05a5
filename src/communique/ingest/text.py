"""Plain-text articles, with an optional title/byline header and a `.meta.json` sidecar."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from communique.errors import InputError
from communique.ingest.base import Item, ReadContext, ReaderSpec, build_article, read_capped
from communique.ingest.decode import decode
from communique.ingest.fields import sidecar_layer
from communique.records import Reject
from communique.registry import readers


def read_text(path: Path, ctx: ReadContext) -> Iterator[Item]:
    """Yield the one article of a text file, or a Reject saying why not."""
    try:
        text, decode_warnings = decode(read_capped(path, ctx.settings.max_file_bytes))
        warnings = list(decode_warnings)
        layers = [layer for layer in [sidecar_layer(path, warnings)] if layer is not None]
        yield build_article(text, str(path), layers, ctx, detect_title=True, warnings=tuple(warnings))
    except InputError as exc:
        yield Reject(str(path), exc.code, exc.reason, exc.line)


readers.register("communique.reader.text.v1", func=ReaderSpec("text", (".txt", ".text"), read_text))
