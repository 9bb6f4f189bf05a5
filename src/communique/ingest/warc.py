"""WARC and WARC.gz archives (e.g. Common Crawl News): HTTP 200 HTML responses become articles.

A corrupt record is reported and reading resumes at the next record; a truncated file
is reported after the records that could be read.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator

from communique import errors
from communique.errors import InputError
from communique.ingest.base import Item, Layer, ReadContext, ReaderSpec
from communique.ingest.dates import parse_published
from communique.ingest.html import html_article
from communique.records import Meta, Reject, Skipped
from communique.registry import readers

_GZIP_MAGIC = b"\x1f\x8b\x08"
_WARC_MAGIC = b"WARC/1."
_SCAN = 1 << 20


def _next_start(fh: IO[bytes], after: int, magic: bytes) -> int | None:
    """Offset of the next record start (gzip member or WARC header) after `after`."""
    pos = after + 1
    while True:
        fh.seek(pos)
        block = fh.read(_SCAN + len(magic))
        if not block:
            return None
        found = block.find(magic)
        if found >= 0:
            return pos + found
        pos += _SCAN


def _tail_complete(fh: IO[bytes], start: int) -> bool:
    """True when the gzip member at `start` runs to its end-of-stream marker."""
    fh.seek(start)
    inflater = zlib.decompressobj(wbits=31)
    try:
        while chunk := fh.read(1 << 16):
            inflater.decompress(chunk)
            if inflater.eof:
                return True
    except zlib.error:
        return False
    return inflater.eof


def _record_item(record: Any, origin: str, ctx: ReadContext) -> Item:
    if record.format != "warc":
        raise InputError(errors.E_BAD_WARC, f"not a WARC record (parsed as {record.format})")
    if record.rec_type != "response" or record.http_headers is None:
        return Skipped(origin, f"WARC {record.rec_type} record")
    status = record.http_headers.get_statuscode()
    ctype = (record.http_headers.get_header("Content-Type") or "").lower()
    if status != "200" or "html" not in ctype:
        return Skipped(origin, f"HTTP {status} {ctype or 'no content type'}")
    url = record.rec_headers.get_header("WARC-Target-URI")
    stamp = record.rec_headers.get_header("WARC-Date")
    data = record.content_stream().read(ctx.settings.max_document_bytes + 1)
    if len(data) > ctx.settings.max_document_bytes:
        raise InputError(errors.E_TOO_LARGE, "HTML payload over ingest.max_document_mb")
    below = [Layer("warc", Meta(url=url, published=parse_published(stamp)))]
    return html_article(data, origin, ctx, [], below, url=url)


def _item(record: Any, number: int, path: Path, ctx: ReadContext) -> Item:
    try:
        return _record_item(record, f"{path}#record {number}", ctx)
    except InputError as exc:
        return Reject(str(path), exc.code, f"record {number}: {exc.reason}")


def _ended_early(record: Any) -> bool:
    """True when the file ended before the record's Content-Length (once it is read to its end)."""
    return getattr(record.raw_stream, "limit", 0) > 0


def _iterate(fh: IO[bytes], path: Path, ctx: ReadContext, gz: bool) -> Iterator[Item]:
    """Items of every record; after a corrupt one, resume at the next record start."""
    # ArchiveIterator offsets are absolute: it starts counting at fh.tell().
    start, number, last = 0, 0, None
    while True:
        fh.seek(start)
        records = ArchiveIterator(fh)
        failed = number + 1  # the record being parsed or read when warcio raises
        try:
            for record in records:
                number = failed
                item = _item(record, number, path, ctx)
                last = records.get_record_offset()  # reads the record to its end
                if _ended_early(record):
                    yield Reject(str(path), errors.E_TRUNCATED, f"truncated archive: it ends inside record {number}")
                    return
                failed = number + 1
                yield item
        except Exception as exc:  # warcio raises many kinds on corrupt input
            yield _corrupt(path, failed, records.offset, exc)
            number = failed
            found = _next_start(fh, records.offset, _GZIP_MAGIC if gz else _WARC_MAGIC)
            if found is None:
                return
            start = found
            continue
        yield from _check_end(fh, path, records.offset, number, last if gz else None)
        return


def _corrupt(path: Path, number: int, offset: int, exc: Exception) -> Reject:
    why = "".join(c if c.isascii() and c.isprintable() else "?" for c in str(exc)[:80]).strip()
    return Reject(str(path), errors.E_BAD_WARC, f"record {number} at byte {offset} is corrupt "
                  f"({type(exc).__name__}: {why}); skipped to the next record")


def _check_end(fh: IO[bytes], path: Path, offset: int, number: int, last_member: int | None) -> Iterator[Reject]:
    """Reject an archive that ends inside a record, or one without any record."""
    size = fh.seek(0, 2)
    if offset < size:
        yield Reject(str(path), errors.E_TRUNCATED, f"truncated archive: it ends inside record {number + 1}")
    elif last_member is not None and not _tail_complete(fh, last_member):
        yield Reject(str(path), errors.E_TRUNCATED, f"truncated gzip: it ends inside record {number}")
    elif number == 0:
        yield Reject(str(path), errors.E_EMPTY, "empty file: no WARC records")


def read_warc(path: Path, ctx: ReadContext) -> Iterator[Item]:
    """Yield an article per HTML response, Skipped per other record, Reject per bad record."""
    try:
        with path.open("rb") as fh:
            gz = fh.read(3) == _GZIP_MAGIC
            yield from _iterate(fh, path, ctx, gz)
    except OSError as exc:
        yield Reject(str(path), errors.E_UNREADABLE, f"cannot read file: {exc.strerror or exc}")


readers.register("communique.reader.warc.v1", func=ReaderSpec("warc", (".warc", ".warc.gz"), read_warc))
