"""Fixtures for the reader tests: a read context, a reader shortcut, and invented article pages."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from communique.ingest import make_context, read_path
from communique.ingest.base import Item, ReadContext
from communique.ingest.clean import BoilerplateRules
from communique.settings import load_settings


@pytest.fixture(scope="session")
def ctx() -> ReadContext:
    """The read context with the shipped settings and boilerplate rules."""
    return make_context(load_settings(env={}).ingest)


@pytest.fixture
def read(ctx: ReadContext) -> Callable[[Path], list[Item]]:
    """Every item the registered reader yields for a path."""
    return lambda path: list(read_path(Path(path), ctx))


@pytest.fixture(scope="session")
def article_page() -> Callable[..., bytes]:
    """An HTML news page with one <article>, optionally a declared publication date."""

    def _page(title: str, paragraphs: list[str], date: str | None = None) -> bytes:
        meta = f'<meta property="article:published_time" content="{date}">' if date else ""
        body = "".join(f"<p>{p}</p>" for p in paragraphs)
        return (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title}</title>{meta}</head>"
                f"<body><article><h1>{title}</h1>{body}</article></body></html>").encode()

    return _page


@pytest.fixture(scope="session")
def rules(ctx: ReadContext) -> BoilerplateRules:
    """The shipped boilerplate rules."""
    return ctx.rules


def _warc_record(writer: WARCWriter, spec: dict, number: int) -> None:
    url = spec["url"]
    # Fixed ids and dates make the archive's bytes, and so the tests that corrupt them, repeatable.
    headers = {"WARC-Date": spec.get("date", "2023-12-05T10:00:00Z"),
               "WARC-Record-ID": f"<urn:uuid:00000000-0000-4000-8000-{number:012d}>"}
    if spec["type"] == "request":
        payload = f"GET / HTTP/1.1\r\nHost: {url.split('/')[2]}\r\n\r\n".encode()
        record = writer.create_warc_record(url, "request", payload=io.BytesIO(payload), warc_headers_dict=headers)
    else:
        http = StatusAndHeaders(spec.get("status", "200 OK"), [("Content-Type", spec.get("ctype", "text/html"))],
                                protocol="HTTP/1.1")
        record = writer.create_warc_record(url, "response", payload=io.BytesIO(spec["payload"]),
                                           http_headers=http, warc_headers_dict=headers)
    writer.write_record(record)


@pytest.fixture(scope="session")
def make_warc() -> Callable[[Path, list[dict], bool], Path]:
    """Write a WARC (gzipped per record when `gz`) from dicts: type, url, date, status, ctype, payload."""

    def _make(path: Path, specs: list[dict], gz: bool) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fh:
            writer = WARCWriter(fh, gzip=gz)
            for number, spec in enumerate(specs, 1):
                _warc_record(writer, spec, number)
        return path

    return _make


A_TEXT = ["Envoys from Valdoria and Ostrava met in Kestria on Tuesday to discuss the river dispute "
          "and the reopening of two border posts.",
          "The talks lasted six hours and ended with a joint statement promising further meetings in January."]
B_TEXT = ["Ostrava recalled its ambassador from Valdoria on Monday in protest at new border fees "
          "imposed by the Valdorian customs service last week.",
          "A foreign ministry spokesperson said the envoy would return once the fees were suspended."]


@pytest.fixture(scope="session")
def news_records(article_page: Callable[..., bytes]) -> list[dict]:
    """Five WARC records: request, undated article, 404 page, PNG image, dated article.

    The articles' dicts also hold the `paragraphs` their text should become.
    """
    return [
        {"type": "request", "url": "https://nordpress.example/a"},
        {"type": "response", "url": "https://nordpress.example/a", "date": "2023-12-05T10:00:01Z",
         "ctype": "text/html; charset=utf-8", "payload": article_page("Envoys Meet in Kestria", A_TEXT),
         "paragraphs": A_TEXT},
        {"type": "response", "url": "https://nordpress.example/gone", "status": "404 Not Found",
         "payload": b"<html><body><p>This page is gone.</p></body></html>"},
        {"type": "response", "url": "https://nordpress.example/logo.png", "ctype": "image/png",
         "payload": b"\x89PNG\r\n\x1a\n" + bytes(64)},
        {"type": "response", "url": "https://nordpress.example/b", "date": "2023-12-05T10:00:04Z",
         "payload": article_page("Ostrava Recalls Envoy", B_TEXT, date="2023-11-20"), "paragraphs": B_TEXT},
    ]
