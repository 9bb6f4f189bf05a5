"""Plain-text articles with a header and a `.meta.json` sidecar (communique.ingest.text)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from communique.ingest.base import Item
from communique.records import Article, Boilerplate, Reject
from communique.records import BoilerplateKind as K

P1 = "Kestria offered on Monday to host a new round of talks between Valdoria and Ostrava on the Lenne River."
P2 = "Diplomats from both countries said the offer would be discussed at cabinet meetings later this week."
P3 = "The last round, held in Tolvik in October, ended without a joint statement."

HEADED = f"""Kestria Offers to Host Lenne River Talks

By Kora Vance (Nordpress) 14:05, December 05, 2023

{P1}

{P2}
The talks would be the eighth since the dispute began.

{P3}

(Web editor: Li Wen)
"""

BODY = f"{P1}\n\n{P2} The talks would be the eighth since the dispute began.\n\n{P3}"


@pytest.mark.parametrize("name", ["river.txt", "river.text", "RIVER.TXT"])
def test_text_header_file(name: str, write: Callable[..., Path], read: Callable[[Path], list[Item]]) -> None:
    path = write(name, HEADED)
    [article] = read(path)
    assert isinstance(article, Article)
    assert article.text == BODY
    assert article.origin == str(path)
    assert (article.title, article.byline, article.source, article.url, article.published) == (
        "Kestria Offers to Host Lenne River Talks", "Kora Vance", "Nordpress", None, dt.date(2023, 12, 5))
    assert article.metadata == {"published_from": "header", "published_time": "14:05"}
    assert article.boilerplate == (
        Boilerplate(K.TITLE, "Kestria Offers to Host Lenne River Talks", 0),
        Boilerplate(K.BYLINE, "By Kora Vance (Nordpress) 14:05, December 05, 2023", 0),
        Boilerplate(K.EDITOR, "(Web editor: Li Wen)", 3),
    )
    assert article.hash == hashlib.sha256(BODY.encode()).hexdigest()
    assert article.id == article.hash[:16]
    assert article.warnings == ()


def test_text_plain_body_without_header(write: Callable[..., Path], read: Callable[[Path], list[Item]]) -> None:
    [article] = read(write("plain.txt", f"{P1}\n{P2}\n{P3}\n"))
    assert article.text == f"{P1}\n\n{P2}\n\n{P3}"
    assert (article.title, article.byline, article.source, article.published) == (None, None, None, None)
    assert article.metadata == {}
    assert article.boilerplate == ()


def test_text_same_body_same_id(write: Callable[..., Path], read: Callable[[Path], list[Item]]) -> None:
    [first] = read(write("a.txt", HEADED))
    [second] = read(write("b.txt", HEADED.replace("\n", "\r\n").replace("Li Wen", "Zhao Min")))
    assert first.text == second.text == BODY
    assert first.id == second.id


def test_text_sidecar_overrides_header(write: Callable[..., Path], read: Callable[[Path], list[Item]]) -> None:
    path = write("river.txt", HEADED)
    write("river.meta.json", json.dumps({
        "title": "Kestria Proposes Eighth Round of River Talks", "published": "2024-01-09T08:30:00+01:00",
        "source": "Kestria Daily", "url": "https://kestria-daily.example/river", "desk": "Europe", "id": "kd-88"}))
    [article] = read(path)
    assert article.text == BODY
    assert (article.title, article.byline, article.source, article.url, article.published) == (
        "Kestria Proposes Eighth Round of River Talks", "Kora Vance", "Kestria Daily",
        "https://kestria-daily.example/river", dt.date(2024, 1, 9))
    assert article.metadata == {"desk": "Europe", "external_id": "kd-88", "published_from": "sidecar",
                                "published_time": "08:30+01:00"}
    # the file's own headline is still taken out of the body
    assert article.boilerplate[0] == Boilerplate(K.TITLE, "Kestria Offers to Host Lenne River Talks", 0)


def test_text_sidecar_without_date_keeps_header_date(write: Callable[..., Path],
                                                     read: Callable[[Path], list[Item]]) -> None:
    path = write("river.txt", HEADED)
    write("river.meta.json", json.dumps({"byline": "Tomas Berg", "published": "soon"}))
    [article] = read(path)
    assert (article.title, article.byline, article.published) == (
        "Kestria Offers to Host Lenne River Talks", "Tomas Berg", dt.date(2023, 12, 5))
    assert article.metadata == {"published_from": "header", "published_time": "14:05"}
    assert article.warnings == ("published 'soon' is not a full date; ignored",)


def test_text_sidecar_title_equal_to_first_line(write: Callable[..., Path],
                                                read: Callable[[Path], list[Item]]) -> None:
    path = write("plain.txt", f"Envoys Meet in Kestria\n\n{P1}")
    write("plain.meta.json", json.dumps({"title": "Envoys meet in Kestria"}))
    [article] = read(path)
    assert article.title == "Envoys meet in Kestria"
    assert article.text == P1
    assert article.boilerplate == (Boilerplate(K.TITLE, "Envoys Meet in Kestria", 0),)


@pytest.mark.parametrize("sidecar, reason", [
    ('{"title": "Envoys Meet",', "sidecar river.meta.json is not valid JSON: "),
    ("", "sidecar river.meta.json is not valid JSON: "),
    ('["Envoys Meet"]', "sidecar river.meta.json must hold a JSON object"),
])
def test_text_bad_sidecar_is_rejected(sidecar: str, reason: str, write: Callable[..., Path],
                                      read: Callable[[Path], list[Item]]) -> None:
    path = write("river.txt", HEADED)
    write("river.meta.json", sidecar)
    [reject] = read(path)
    assert isinstance(reject, Reject)
    assert (reject.origin, reject.code, reject.line) == (str(path), "E140", None)
    assert reject.reason.startswith(reason)


def test_text_nothing_left_after_boilerplate(write: Callable[..., Path], read: Callable[[Path], list[Item]]) -> None:
    path = write("caption.txt", "Envoys Meet in Kestria\n\nThe envoys shake hands. [Photo/Nordpress]")
    [reject] = read(path)
    assert (reject.code, reject.reason) == ("E150", "no article text left after removing boilerplate")
