"""JSONL and CSV dumps (optionally gzipped) with keys `id,url,title,published,source,byline,text`."""

from __future__ import annotations

import csv
import gzip
import io
import json
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, cast

from communique import errors
from communique.errors import InputError
from communique.ingest.base import Item, Layer, ReadContext, ReaderSpec, build_article
from communique.ingest.decode import looks_binary
from communique.ingest.fields import meta_from_record
from communique.records import Article, Reject
from communique.registry import readers

_STREAM_ERRORS = (EOFError, gzip.BadGzipFile, zlib.error)
_CHUNK = 1 << 16
_SNIFF = 8192


def open_binary(path: Path) -> IO[bytes]:
    """Open a file for reading, through gzip when its name ends in `.gz`."""
    if path.name.lower().endswith(".gz"):
        return cast(IO[bytes], gzip.open(path, "rb"))  # GzipFile is a binary stream, though not typed as IO
    return path.open("rb")


def record_article(record: dict[str, Any], origin: str, ctx: ReadContext,
                   warnings: list[str]) -> Article:
    """The article of one JSONL object or CSV row.

    Raises:
        InputError: the record has no usable `text`.
    """
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(errors.E_NO_TEXT, "record has no 'text' with content")
    meta = meta_from_record(record, warnings)
    return build_article(text, origin, [Layer("field", meta)], ctx, warnings=tuple(warnings))


def _lines(stream: IO[bytes], limit: int) -> Iterator[tuple[int, bytes | None]]:
    """Numbered lines; a line longer than `limit` comes as None, skipped unread in chunks."""
    number = 0
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while (rest := stream.readline(_CHUNK)) and not rest.endswith(b"\n"):
                pass
            yield number, None
        else:
            yield number, line


def _decode_line(raw: bytes, warnings: list[str]) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        warnings.append(f"undecodable bytes at column {exc.start + 1} replaced by U+FFFD")
        return raw.decode("utf-8", errors="replace")


def _jsonl_item(number: int, raw: bytes, name: str, ctx: ReadContext) -> Item | None:
    warnings: list[str] = []
    line = _decode_line(raw, warnings).strip().removeprefix("\ufeff")  # a BOM opens some files
    if not line:
        return None
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        what = exc.msg.removesuffix(" at")  # "Unterminated string starting at"
        return Reject(name, errors.E_BAD_JSON, f"malformed JSON: {what} at column {exc.colno}", number)
    if not isinstance(record, dict):
        return Reject(name, errors.E_BAD_RECORD, f"expected a JSON object, got {type(record).__name__}", number)
    try:
        return record_article(record, f"{name}#line {number}", ctx, warnings)
    except InputError as exc:
        return Reject(name, exc.code, exc.reason, number)


def binary_head(stream: IO[bytes]) -> bool:
    """True when the buffered head of `stream` looks binary (streams that cannot peek pass)."""
    peek = getattr(stream, "peek", None)
    return peek is not None and looks_binary(peek(_SNIFF)[:_SNIFF])


def read_jsonl_stream(stream: IO[bytes], name: str, ctx: ReadContext) -> Iterator[Item]:
    """Yield an article or a Reject per line of a JSONL stream; one Reject for an empty or binary one."""
    limit = ctx.settings.max_document_bytes
    number, seen = 0, False
    try:
        if binary_head(stream):
            yield Reject(name, errors.E_BINARY, "binary data, not JSON lines (NUL or control bytes)")
            return
        for number, raw in _lines(stream, limit):
            if raw is None:
                item: Item | None = Reject(name, errors.E_TOO_LARGE, f"line longer than {limit} bytes "
                                           "(ingest.max_document_mb); skipped", number)
            else:
                item = _jsonl_item(number, raw, name, ctx)
            if item is not None:
                seen = True
                yield item
    except _STREAM_ERRORS as exc:
        yield Reject(name, errors.E_TRUNCATED, f"truncated or corrupt gzip after line {number}: {exc}",
                     number + 1)
        return
    if not seen:
        yield Reject(name, errors.E_EMPTY, "empty file: no JSON lines to ingest")


def read_jsonl(path: Path, ctx: ReadContext) -> Iterator[Item]:
    """Yield the articles of a JSONL(.gz) file."""
    try:
        with open_binary(path) as stream:
            yield from read_jsonl_stream(stream, str(path), ctx)
    except OSError as exc:
        yield Reject(str(path), errors.E_UNREADABLE, f"cannot read file: {exc.strerror or exc}")


def _csv_rows(path: Path, ctx: ReadContext) -> Iterator[Item]:
    with open_binary(path) as raw:
        if binary_head(raw):
            yield Reject(str(path), errors.E_BINARY, "binary data, not CSV (NUL or control bytes)")
            return
        rows = csv.reader(io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace", newline=""))
        header = next((r for r in rows if r), None)
        if header is None:
            yield Reject(str(path), errors.E_EMPTY, "empty file: no CSV header or rows")
            return
        columns = [c.strip().lower() for c in header]
        if "text" not in columns:
            found = ", ".join(columns) or "none"
            yield Reject(str(path), errors.E_BAD_CSV, f"CSV has no 'text' column (columns: {found})",
                         rows.line_num)
            return
        while True:
            start = rows.line_num + 1  # a quoted cell may run over several lines; report the first
            try:
                row = next(rows)
            except StopIteration:
                return
            except csv.Error as exc:
                yield Reject(str(path), errors.E_BAD_CSV, f"bad CSV row: {exc}", start)
                continue
            if row:  # blank lines between rows
                yield _csv_item(dict(zip(columns, row, strict=False)), start, path, ctx)


def _csv_item(row: dict[str, Any], line: int, path: Path, ctx: ReadContext) -> Item:
    warnings: list[str] = []
    if any("\ufffd" in cell for cell in row.values()):
        warnings.append("undecodable bytes (not UTF-8) replaced by U+FFFD")
    try:
        return record_article(row, f"{path}#line {line}", ctx, warnings)
    except InputError as exc:
        return Reject(str(path), exc.code, exc.reason, line)


def read_csv(path: Path, ctx: ReadContext) -> Iterator[Item]:
    """Yield an article or a Reject per CSV row; the header must have a `text` column."""
    # The csv module's field limit is process-wide; one article is the largest field we accept.
    csv.field_size_limit(ctx.settings.max_document_bytes)
    try:
        yield from _csv_rows(path, ctx)
    except _STREAM_ERRORS as exc:
        yield Reject(str(path), errors.E_TRUNCATED, f"truncated or corrupt gzip: {exc}")
    except OSError as exc:
        yield Reject(str(path), errors.E_UNREADABLE, f"cannot read file: {exc.strerror or exc}")


readers.register("communique.reader.jsonl.v1",
                 func=ReaderSpec("jsonl", (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz"), read_jsonl))
readers.register("communique.reader.csv.v1", func=ReaderSpec("csv", (".csv", ".csv.gz"), read_csv))
