"""JSONL and CSV dumps, plain or gzipped, and JSONL from a stream (communique.ingest.tabular)."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import gzip
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from communique.ingest import make_context, read_path
from communique.ingest.base import Item, ReadContext
from communique.ingest.tabular import read_jsonl_stream
from communique.records import Article, Boilerplate, Reject
from communique.records import BoilerplateKind as K

T1 = "Ministers Meet in Kestria"
B1 = "The foreign ministers of Valdoria and Ostrava met in Kestria on Tuesday."
B2 = "They agreed to meet again in January to settle the fishing quotas."

RECORD = {"id": "np-7", "url": "https://nordpress.example/world/kestria", "title": T1,
          "published": "2023-12-05T14:05:00+01:00", "source": "Nordpress", "byline": "Kora Vance",
          "text": f"{T1}\n\n{B1}\n\n{B2}", "desk": "world", "tags": ["talks", "fisheries"], "empty": ""}
SECOND = {"id": 42, "title": "Envoy Named", "text": "Kestria named a new envoy to Lomar on Friday."}


def jsonl(*records: dict | str) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)


def check_first(article: Item, origin: str) -> None:
    assert isinstance(article, Article)
    assert article.text == f"{B1}\n\n{B2}"
    assert article.origin == origin
    assert (article.title, article.byline, article.source, article.url, article.published) == (
        T1, "Kora Vance", "Nordpress", "https://nordpress.example/world/kestria", dt.date(2023, 12, 5))
    assert article.metadata == {"desk": "world", "tags": ["talks", "fisheries"], "external_id": "np-7",
                                "published_from": "field", "published_time": "14:05+01:00"}
    assert article.boilerplate == (Boilerplate(K.TITLE, T1, 0),)
    assert article.warnings == ()


@pytest.mark.parametrize("name", ["dump.jsonl", "dump.ndjson", "dump.JSONL"])
def test_tabular_jsonl_standard_keys(name: str, write: Callable[..., Path],
                                     read: Callable[[Path], list[Item]]) -> None:
    path = write(name, jsonl(RECORD, SECOND))
    first, second = read(path)
    check_first(first, f"{path}#line 1")
    assert second.text == "Kestria named a new envoy to Lomar on Friday."
    assert second.origin == f"{path}#line 2"
    assert (second.title, second.published, second.metadata) == ("Envoy Named", None, {"external_id": "42"})


@pytest.mark.parametrize("name", ["dump.jsonl.gz", "dump.ndjson.gz"])
def test_tabular_jsonl_gz(name: str, write: Callable[..., Path], read: Callable[[Path], list[Item]]) -> None:
    path = write(name, gzip.compress(jsonl(RECORD, SECOND).encode()))
    first, second = read(path)
    check_first(first, f"{path}#line 1")
    assert second.origin == f"{path}#line 2"


def test_tabular_jsonl_unparseable_date_kept_without_date(write: Callable[..., Path],
                                                          read: Callable[[Path], list[Item]]) -> None:
    path = write("d.jsonl", jsonl({**SECOND, "published": "May 2024"}))
    [article] = read(path)
    assert isinstance(article, Article)
    assert article.published is None
    assert article.metadata == {"external_id": "42"}
    assert article.warnings == ("published 'May 2024' is not a full date; ignored",)


def test_tabular_jsonl_blank_lines_keep_line_numbers(write: Callable[..., Path],
                                                     read: Callable[[Path], list[Item]]) -> None:
    path = write("gaps.jsonl", "\n" + jsonl(SECOND) + "   \n\n" + jsonl(RECORD))
    items = read(path)
    assert [i.origin for i in items] == [f"{path}#line 2", f"{path}#line 5"]


@pytest.mark.parametrize("record, reason", [
    ({"title": "No text"}, "record has no 'text' with content"),
    ({"text": "   \n  "}, "record has no 'text' with content"),
    ({"text": 123}, "record has no 'text' with content"),
    ({"text": ["A list", "of strings"]}, "record has no 'text' with content"),
])
def test_tabular_jsonl_record_without_text(record: dict, reason: str, write: Callable[..., Path],
                                           read: Callable[[Path], list[Item]]) -> None:
    path = write("t.jsonl", jsonl(SECOND, record, SECOND))
    first, reject, third = read(path)
    assert reject == Reject(str(path), "E112", reason, 2)
    assert (first.origin, third.origin) == (f"{path}#line 1", f"{path}#line 3")


def test_tabular_jsonl_line_over_document_limit(write: Callable[..., Path], ctx: ReadContext) -> None:
    small = make_context(dataclasses.replace(ctx.settings, max_document_mb=1 / 1024))  # 1024 bytes
    huge = {"text": "The envoy spoke at length. " * 100}
    path = write("long.jsonl", jsonl(SECOND, huge, SECOND))
    items = list(read_path(path, small))
    assert [type(i).__name__ for i in items] == ["Article", "Reject", "Article"]
    assert (items[1].code, items[1].line) == ("E104", 2)
    assert items[1].reason == "line longer than 1024 bytes (ingest.max_document_mb); skipped"
    assert items[2].origin == f"{path}#line 3"


def test_tabular_jsonl_from_stream(ctx: ReadContext) -> None:
    data = jsonl(SECOND, "", RECORD).encode()
    first, second = read_jsonl_stream(io.BytesIO(data), "<stdin>", ctx)
    assert first.origin == "<stdin>#line 1"
    assert first.text == "Kestria named a new envoy to Lomar on Friday."
    check_first(second, "<stdin>#line 3")


def test_tabular_jsonl_empty_stream(ctx: ReadContext) -> None:
    assert list(read_jsonl_stream(io.BytesIO(b"\n\n"), "<stdin>", ctx)) == [
        Reject("<stdin>", "E102", "empty file: no JSON lines to ingest")]


CSV = ('ID,Title,TEXT,Published,Source,Desk\n'
       'np-1,"Envoys Meet, Again","The envoys met in Tolvik on Monday.\nThey talked for six hours.",'
       '2023-12-05,Nordpress,world\n'
       'np-2,Quota Talks,"Fishing quotas were discussed in a ""frank"" session.",5 December 2023,,\n')


@pytest.mark.parametrize("name", ["rows.csv", "rows.csv.gz"])
def test_tabular_csv_columns(name: str, write: Callable[..., Path], read: Callable[[Path], list[Item]]) -> None:
    data = CSV.encode()
    path = write(name, gzip.compress(data) if name.endswith(".gz") else data)
    first, second = read(path)
    assert first.text == "The envoys met in Tolvik on Monday.\n\nThey talked for six hours."
    assert first.origin == f"{path}#line 2"
    assert (first.title, first.source, first.published) == ("Envoys Meet, Again", "Nordpress", dt.date(2023, 12, 5))
    assert first.metadata == {"desk": "world", "external_id": "np-1", "published_from": "field"}
    assert second.text == "Fishing quotas were discussed in a \"frank\" session."
    assert second.origin == f"{path}#line 4"  # the quoted cell of the first row spans lines 2-3
    assert (second.title, second.source, second.published) == ("Quota Talks", None, dt.date(2023, 12, 5))
    assert second.metadata == {"external_id": "np-2", "published_from": "field"}


@pytest.mark.parametrize("header", ["text,title", "Text,Title", " TEXT , TITLE "])
def test_tabular_csv_column_names_case_insensitive(header: str, write: Callable[..., Path],
                                                   read: Callable[[Path], list[Item]]) -> None:
    path = write("c.csv", f"{header}\nKestria named a new envoy.,Envoy Named\n")
    [article] = read(path)
    assert (article.text, article.title) == ("Kestria named a new envoy.", "Envoy Named")


def test_tabular_csv_bom_and_crlf(write: Callable[..., Path], read: Callable[[Path], list[Item]]) -> None:
    path = write("bom.csv", "\ufefftext,title\r\nThe envoy arrived.,Arrival\r\nThe envoy left.,Departure\r\n")
    first, second = read(path)
    assert (first.text, first.title, first.origin) == ("The envoy arrived.", "Arrival", f"{path}#line 2")
    assert (second.text, second.title, second.origin) == ("The envoy left.", "Departure", f"{path}#line 3")


def test_tabular_csv_row_without_text(write: Callable[..., Path], read: Callable[[Path], list[Item]]) -> None:
    path = write("gap.csv", "title,text\nFirst,The first envoy arrived.\nSecond,\n\nThird,The third envoy left.\n")
    first, reject, third = read(path)
    assert reject == Reject(str(path), "E112", "record has no 'text' with content", 3)
    assert (first.origin, third.origin) == (f"{path}#line 2", f"{path}#line 5")
    assert third.text == "The third envoy left."



def test_tabular_jsonl_byte_order_mark(write: Callable[..., Path], read: Callable[[Path], list[Item]]) -> None:
    path = write("bom.jsonl", b"\xef\xbb\xbf" + jsonl(SECOND, RECORD).encode())
    first, second = read(path)
    assert (first.text, first.title, first.origin) == (
        "Kestria named a new envoy to Lomar on Friday.", "Envoy Named", f"{path}#line 1")
    check_first(second, f"{path}#line 2")


def test_tabular_csv_field_over_document_limit(write: Callable[..., Path], ctx: ReadContext) -> None:
    small = make_context(dataclasses.replace(ctx.settings, max_document_mb=1 / 1024))  # 1024 bytes
    path = write("big.csv", f"title,text\nFirst,{B1}\nSecond,{'The envoy spoke at length. ' * 100}\nThird,{B2}\n")
    before = csv.field_size_limit()
    try:
        first, reject, third = read_path(path, small)
    finally:
        csv.field_size_limit(before)  # the limit is process-wide
    assert reject == Reject(str(path), "E113", "bad CSV row: field larger than field limit (1024)", 3)
    assert (first.text, first.origin) == (B1, f"{path}#line 2")
    assert (third.text, third.origin) == (B2, f"{path}#line 4")
