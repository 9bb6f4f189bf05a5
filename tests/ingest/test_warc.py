"""WARC and WARC.gz archives: HTTP 200 HTML responses become articles (communique.ingest.warc)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from communique.ingest.base import Item
from communique.records import Article, Boilerplate, Reject, Skipped
from communique.records import BoilerplateKind as K


@pytest.mark.parametrize("name, gz", [("news.warc", False), ("news.warc.gz", True), ("NEWS.WARC.GZ", True)])
def test_warc_html_responses_become_articles(name: str, gz: bool, tmp_path: Path, news_records: list[dict],
                                             make_warc: Callable[..., Path],
                                             read: Callable[[Path], list[Item]]) -> None:
    path = make_warc(tmp_path / name, news_records, gz)
    items = read(path)
    assert [type(i).__name__ for i in items] == ["Skipped", "Article", "Skipped", "Skipped", "Article"]
    request, first, missing, image, second = items
    assert request == Skipped(f"{path}#record 1", "WARC request record")
    assert missing == Skipped(f"{path}#record 3", "HTTP 404 text/html")
    assert image == Skipped(f"{path}#record 4", "HTTP 200 image/png")

    assert isinstance(first, Article)
    assert first.text == "\n\n".join(news_records[1]["paragraphs"])
    assert first.origin == f"{path}#record 2"
    assert (first.url, first.title, first.published) == (
        "https://nordpress.example/a", "Envoys Meet in Kestria", dt.date(2023, 12, 5))
    assert first.metadata == {"published_from": "warc"}  # the page has no date of its own
    assert first.boilerplate == (Boilerplate(K.TITLE, "Envoys Meet in Kestria", 0),)

    assert second.text == "\n\n".join(news_records[4]["paragraphs"])
    assert second.origin == f"{path}#record 5"
    assert (second.url, second.title, second.published) == (
        "https://nordpress.example/b", "Ostrava Recalls Envoy", dt.date(2023, 11, 20))
    assert second.metadata == {"published_from": "html"}  # the page's date outranks WARC-Date


@pytest.mark.parametrize("status, ctype, reason", [
    ("301 Moved Permanently", "text/html", "HTTP 301 text/html"),
    ("500 Internal Server Error", "text/html", "HTTP 500 text/html"),
    ("200 OK", "application/json", "HTTP 200 application/json"),
    ("200 OK", "", "HTTP 200 no content type"),
])
def test_warc_other_responses_skipped(status: str, ctype: str, reason: str, tmp_path: Path,
                                      article_page: Callable[..., bytes], make_warc: Callable[..., Path],
                                      read: Callable[[Path], list[Item]]) -> None:
    page = article_page("Envoys Meet", ["The envoys met in Tolvik on Monday for six hours of talks."])
    path = make_warc(tmp_path / "other.warc", [
        {"type": "response", "url": "https://lomar.example/x", "status": status, "ctype": ctype,
         "payload": page}], False)
    assert read(path) == [Skipped(f"{path}#record 1", reason)]


def test_warc_html_response_without_text_is_rejected(tmp_path: Path, make_warc: Callable[..., Path],
                                                     read: Callable[[Path], list[Item]]) -> None:
    path = make_warc(tmp_path / "blank.warc", [
        {"type": "response", "url": "https://lomar.example/blank", "payload": b""}], True)
    assert read(path) == [Reject(str(path), "E102", "record 1: empty file: no HTML to ingest")]


def test_warc_not_a_warc(tmp_path: Path, read: Callable[[Path], list[Item]]) -> None:
    path = tmp_path / "plain.warc"
    path.write_text("These words look like the header of an old ARC file\n")
    [reject] = read(path)
    assert (reject.code, reject.reason) == ("E130", "record 1: not a WARC record (parsed as arc)")
