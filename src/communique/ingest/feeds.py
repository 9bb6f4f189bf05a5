"""RSS and Atom feed files: one article per entry, its content or else its summary."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import feedparser
import lxml.html
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from communique import errors
from communique.errors import InputError
from communique.ingest.base import Item, Layer, ReadContext, ReaderSpec, build_article, read_capped
from communique.ingest.dates import parse_published
from communique.records import Meta, Reject, Skipped
from communique.registry import readers

_EMAIL = re.compile(r"^[^\s@()]+@[^\s@()]+$")
_RSS_AUTHOR = re.compile(r"^[^\s@()]+@[^\s@()]+\s*\((?P<name>[^()]*)\)$")
_BLOCKS = ("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "figure", "section")


def fragment_text(html: str) -> str:
    """Text of an HTML fragment, with a blank line after each block element."""
    if "<" not in html:
        return html
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for el in root.iter("script", "style"):
        el.drop_tree()
    for el in root.iter(*_BLOCKS):
        el.tail = "\n\n" + (el.tail or "")
    for el in root.iter("br"):
        el.tail = "\n" + (el.tail or "")
    return root.text_content()


def refuse_entities(data: bytes) -> None:
    """Refuse XML that declares entities or external references (entity-expansion attacks).

    Raises:
        InputError: the document declares entities.
    """
    try:
        fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise InputError(errors.E_XML_ENTITIES, f"XML declares entities or external references "
                         f"({type(exc).__name__}); refused to protect memory") from exc
    except ParseError:
        pass  # feedparser copes with malformed feeds; it reports them below


def entry_byline(author: str | None) -> str | None:
    """The author's name: RSS 2.0 gives `desk@example.org (Name)`, an address alone is no byline."""
    text = (author or "").strip()
    m = _RSS_AUTHOR.match(text)
    if m is not None:
        return m.group("name").strip() or None
    return None if not text or _EMAIL.match(text) else text


def _entry_layer(entry: Any, feed_title: str | None) -> Layer:
    raw_date = entry.get("published") or entry.get("updated")
    return Layer("field", Meta(title=entry.get("title"), byline=entry_byline(entry.get("author")),
                               source=feed_title, url=entry.get("link"), published=parse_published(raw_date),
                               extra={"external_id": entry["id"]} if entry.get("id") else {}))


def _entry_text(entry: Any) -> str:
    contents = entry.get("content") or []
    html = contents[0].get("value", "") if contents else entry.get("summary", "")
    return fragment_text(html or "")


def read_feed(path: Path, ctx: ReadContext) -> Iterator[Item]:
    """Yield one article (or Reject) per feed entry, or one Reject for a bad feed."""
    try:
        data = read_capped(path, ctx.settings.max_file_bytes)
        if not data.strip():
            raise InputError(errors.E_EMPTY, "empty file: no feed to ingest")
        refuse_entities(data)
    except InputError as exc:
        yield Reject(str(path), exc.code, exc.reason)
        return
    parsed = feedparser.parse(data)
    if not parsed.entries:
        why = f": {parsed.get('bozo_exception')}" if parsed.get("bozo") else ""
        yield Reject(str(path), errors.E_BAD_XML, f"not an RSS/Atom feed with entries{why}")
        return
    feed_title = parsed.feed.get("title")
    for number, entry in enumerate(parsed.entries, 1):
        origin = f"{path}#entry {number}"
        text = _entry_text(entry)
        if not text.strip():
            yield Skipped(origin, "feed entry without content or summary")
            continue
        try:
            yield build_article(text, origin, [_entry_layer(entry, feed_title)], ctx)
        except InputError as exc:
            yield Reject(origin, exc.code, exc.reason)


readers.register("communique.reader.feed.v1", func=ReaderSpec("feed", (".xml", ".rss", ".atom"), read_feed))
