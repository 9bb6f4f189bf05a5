"""HTML pages: main text and metadata with trafilatura; navigation, ads and comments dropped."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from pathlib import Path

import trafilatura
from trafilatura.settings import Document

from communique import errors
from communique.errors import InputError
from communique.ingest.base import Item, Layer, ReadContext, ReaderSpec, build_article, read_capped
from communique.ingest.dates import parse_published
from communique.ingest.decode import looks_binary
from communique.ingest.fields import sidecar_layer
from communique.records import Article, Meta, Reject
from communique.registry import readers

LOGGER = logging.getLogger(__name__)
# Only dates the page declares in its markup, never one found by searching the text.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}


def html_meta(doc: Document) -> Meta:
    """The metadata trafilatura found in a page."""
    return Meta(title=doc.title, byline=doc.author, source=doc.sitename, url=doc.url,
                published=parse_published(doc.date))


def html_article(data: bytes, origin: str, ctx: ReadContext, above: Sequence[Layer],
                 below: Sequence[Layer] = (), url: str | None = None, warnings: tuple[str, ...] = ()) -> Article:
    """Extract the article of one HTML page.

    Args:
        above: metadata layers that outrank the page's own (sidecar).
        below: layers the page's metadata outranks (WARC headers).

    Raises:
        InputError: the page is empty, binary, or has no main text.
    """
    if not data.strip():
        raise InputError(errors.E_EMPTY, "empty file: no HTML to ingest")
    if looks_binary(data):
        raise InputError(errors.E_BINARY, "binary data, not an HTML page")
    doc = trafilatura.bare_extraction(
        data, url=url, with_metadata=True, include_comments=False, include_tables=False,
        include_images=False, deduplicate=False, date_extraction_params=_DATE_PARAMS)
    # bare_extraction gives a dict only when asked to (as_dict=True)
    if not isinstance(doc, Document) or not doc.text or not doc.text.strip():
        raise InputError(errors.E_NO_BODY, "no main article text found in the HTML page")
    return build_article(doc.text, origin, [*above, Layer("html", html_meta(doc)), *below], ctx,
                         warnings=warnings)


def read_html(path: Path, ctx: ReadContext) -> Iterator[Item]:
    """Yield the article of an HTML file, or a Reject saying why not."""
    try:
        warnings: list[str] = []
        above = [layer for layer in [sidecar_layer(path, warnings)] if layer is not None]
        data = read_capped(path, ctx.settings.max_file_bytes)
        yield html_article(data, str(path), ctx, above, warnings=tuple(warnings))
    except InputError as exc:
        yield Reject(str(path), exc.code, exc.reason, exc.line)


readers.register("communique.reader.html.v1", func=ReaderSpec("html", (".html", ".htm", ".xhtml"), read_html))
