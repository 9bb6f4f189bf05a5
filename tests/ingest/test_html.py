"""HTML pages: main text and page metadata, without navigation, ads or comments (communique.ingest.html)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from communique.ingest.base import Item
from communique.records import Article, Boilerplate, Reject
from communique.records import BoilerplateKind as K

P1 = ("Negotiators from Valdoria and Ostrava agreed on Tuesday to share the waters of the Lenne River "
      "after eleven rounds of talks hosted by the neutral republic of Kestria.")
P2 = ("The accord sets seasonal quotas for irrigation and obliges both governments to publish monthly "
      "gauge readings from stations along the upper basin.")
P3 = ("Valdorian foreign minister Iris Patel called the agreement a practical step that would reduce "
      "tension in the border provinces during dry summers.")
TITLE = "Envoys Reach Water-Sharing Deal on the Lenne River"

PAGE = f"""<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Envoys reach deal | Nordpress</title>
<meta property="og:title" content="{TITLE}">
<meta property="og:site_name" content="Nordpress">
<meta name="author" content="Kora Vance">
<meta property="article:published_time" content="2023-12-05T23:30:00-05:00">
<script>var tracker = "Breaking: subscribe to the evening bulletin";</script>
</head><body>
<nav><ul><li><a href="/">Home page</a></li><li><a href="/world">World desk</a></li>
<li><a href="/sport">Sport pages</a></li></ul></nav>
<div class="ad advertisement">Cheap flights to anywhere, book with our travel partner today</div>
<article>
<h1>{TITLE}</h1>
<p>{P1}</p>
<p>{P2}</p>
<p>{P3}</p>
</article>
<aside class="most-read"><h3>Most read</h3><ul><li>Storm closes mountain pass</li></ul></aside>
<section id="comments" class="comments"><h3>Comments</h3>
<div class="comment"><p>Reader Moss wrote: this deal will never hold and everyone knows it already.</p></div>
</section>
<footer><p>About us | Careers | Privacy policy of the newspaper group</p></footer>
</body></html>
"""

NOISE = ["Home page", "World desk", "Sport pages", "Cheap flights", "Most read", "Storm closes", "Comments",
         "Reader Moss", "never hold", "Privacy policy", "subscribe", "tracker"]


@pytest.mark.parametrize("name", ["deal.html", "deal.htm", "deal.xhtml"])
def test_html_article_text_and_metadata(name: str, write: Callable[..., Path],
                                        read: Callable[[Path], list[Item]]) -> None:
    path = write(name, PAGE)
    [article] = read(path)
    assert isinstance(article, Article)
    assert article.text == f"{P1}\n\n{P2}\n\n{P3}"
    for noise in NOISE:
        assert noise not in article.text
    assert (article.title, article.source, article.byline, article.published) == (
        TITLE, "Nordpress", "Kora Vance", dt.date(2023, 12, 5))
    assert article.origin == str(path)
    assert article.metadata == {"published_from": "html"}
    assert article.boilerplate == (Boilerplate(K.TITLE, TITLE, 0),)


def test_html_sidecar_overrides_page(write: Callable[..., Path], read: Callable[[Path], list[Item]]) -> None:
    path = write("deal.html", PAGE)
    write("deal.meta.json", json.dumps({"title": "Lenne River Accord Signed", "published": "2023-12-07",
                                        "source": "Kestria Daily", "region": "Lenne basin"}))
    [article] = read(path)
    assert article.text == f"{P1}\n\n{P2}\n\n{P3}"
    assert (article.title, article.source, article.byline, article.published) == (
        "Lenne River Accord Signed", "Kestria Daily", "Kora Vance", dt.date(2023, 12, 7))
    assert article.metadata == {"region": "Lenne basin", "published_from": "sidecar"}


def test_html_bad_sidecar_is_rejected(write: Callable[..., Path], read: Callable[[Path], list[Item]]) -> None:
    path = write("deal.html", PAGE)
    write("deal.meta.json", "{'title': 'single quotes are not JSON'}")
    [reject] = read(path)
    assert isinstance(reject, Reject)
    assert (reject.origin, reject.code) == (str(path), "E140")
    assert reject.reason.startswith("sidecar deal.meta.json is not valid JSON: ")


def test_html_page_without_date(write: Callable[..., Path], read: Callable[[Path], list[Item]],
                                article_page: Callable[..., bytes]) -> None:
    [article] = read(write("undated.html", article_page("Envoys Meet in Tolvik", [P1, P2])))
    assert article.text == f"{P1}\n\n{P2}"
    assert (article.title, article.published) == ("Envoys Meet in Tolvik", None)
    assert "published_from" not in article.metadata


def test_html_date_in_text_is_not_a_publication_date(write: Callable[..., Path],
                                                     read: Callable[[Path], list[Item]],
                                                     article_page: Callable[..., bytes]) -> None:
    body = "The treaty signed on 12 March 2019 expires on 12 March 2029, the ministry said in a long statement."
    [article] = read(write("treaty.html", article_page("Treaty Expiry Looms", [body, P2])))
    assert article.published is None


@pytest.mark.parametrize("content, code", [
    (b"", "E102"),
    (b"   \n\t\n", "E102"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "E103"),
])
def test_html_empty_or_binary_page(content: bytes, code: str, write: Callable[..., Path],
                                   read: Callable[[Path], list[Item]]) -> None:
    path = write("page.html", content)
    assert read(path) == [Reject(str(path), code, {"E102": "empty file: no HTML to ingest",
                                                   "E103": "binary data, not an HTML page"}[code])]
