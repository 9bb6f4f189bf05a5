"""RSS 2.0 and Atom feeds: one article per entry (communique.ingest.feeds)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from communique.ingest.base import Item
from communique.ingest.feeds import entry_byline, fragment_text
from communique.records import Article, Reject, Skipped

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>Nordpress World</title>
<link>https://nordpress.example/world</link>
<description>The diplomacy desk</description>
<item>
<title>Kestria Offers to Host Border Talks</title>
<link>https://nordpress.example/world/kestria-talks</link>
<guid isPermaLink="false">np-1001</guid>
<dc:creator>Kora Vance</dc:creator>
<pubDate>Tue, 05 Dec 2023 23:10:00 -0800</pubDate>
<description>A short teaser that must not become the article.</description>
<content:encoded><![CDATA[<p>Kestria offered on Tuesday to host direct talks between Valdoria and Ostrava.</p>
<p>The offer was welcomed by <b>both</b> capitals,<br>officials said.</p>
<script>trackRead("np-1001");</script>
<ul><li>Talks could start in January.</li><li>Observers from Lomar may attend.</li></ul>]]></content:encoded>
</item>
<item>
<title>Ostrava Recalls Envoy</title>
<link>https://nordpress.example/world/ostrava-envoy</link>
<author>desk@nordpress.example (Tomas Berg)</author>
<pubDate>Wed, 06 Dec 2023 08:00:00 +0000</pubDate>
<description>&lt;p&gt;Ostrava recalled its envoy from Valdoria for consultations.&lt;/p&gt;
&lt;p&gt;No date was set for a return.&lt;/p&gt;</description>
</item>
<item>
<title>An entry without any text</title>
<link>https://nordpress.example/world/empty</link>
</item>
<item>
<title>Plain Summary</title>
<description>Lomar and Kestria renewed their customs pact for five years.</description>
<pubDate>sometime in 2023</pubDate>
</item>
</channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>Kestria Daily Diplomacy</title>
<id>urn:kd:feed</id>
<updated>2024-03-02T10:00:00Z</updated>
<entry>
<title>Summit Date Set for April</title>
<link rel="alternate" href="https://kestria-daily.example/summit-april"/>
<id>urn:kd:1</id>
<author><name>Mira Holt</name></author>
<published>2024-03-01T22:15:00-05:00</published>
<updated>2024-03-02T09:00:00Z</updated>
<summary>A teaser only.</summary>
<content type="html">&lt;p&gt;The leaders of the three river states will meet in April.&lt;/p&gt;
&lt;p&gt;Officials said the agenda is still open.&lt;/p&gt;</content>
</entry>
<entry>
<title>Trade Envoy Named</title>
<link href="https://kestria-daily.example/trade-envoy"/>
<id>urn:kd:2</id>
<updated>2024-03-02T09:30:00Z</updated>
<summary type="html">&lt;div&gt;Kestria named a new trade envoy to Ostrava.&lt;/div&gt;</summary>
</entry>
</feed>
"""


@pytest.mark.parametrize("name", ["world.rss", "world.xml"])
def test_feeds_rss(name: str, write: Callable[..., Path], read: Callable[[Path], list[Item]]) -> None:
    path = write(name, RSS)
    first, second, third, fourth = read(path)
    assert isinstance(first, Article)
    assert first.text == ("Kestria offered on Tuesday to host direct talks between Valdoria and Ostrava.\n\n"
                          "The offer was welcomed by both capitals, officials said.\n\n"  # <br> is a hard wrap
                          "Talks could start in January.\n\nObservers from Lomar may attend.")
    assert "teaser" not in first.text and "trackRead" not in first.text
    assert first.origin == f"{path}#entry 1"
    assert (first.title, first.byline, first.source, first.url, first.published) == (
        "Kestria Offers to Host Border Talks", "Kora Vance", "Nordpress World",
        "https://nordpress.example/world/kestria-talks", dt.date(2023, 12, 5))
    assert first.metadata == {"external_id": "np-1001", "published_from": "field"}

    assert second.text == "Ostrava recalled its envoy from Valdoria for consultations.\n\nNo date was set for a return."
    assert (second.title, second.byline, second.source, second.published) == (
        "Ostrava Recalls Envoy", "Tomas Berg", "Nordpress World", dt.date(2023, 12, 6))
    assert second.origin == f"{path}#entry 2"

    assert third == Skipped(f"{path}#entry 3", "feed entry without content or summary")

    assert fourth.text == "Lomar and Kestria renewed their customs pact for five years."
    assert (fourth.title, fourth.url, fourth.published) == ("Plain Summary", None, None)
    assert fourth.metadata == {}


@pytest.mark.parametrize("name", ["kd.atom", "kd.xml"])
def test_feeds_atom(name: str, write: Callable[..., Path], read: Callable[[Path], list[Item]]) -> None:
    path = write(name, ATOM)
    first, second = read(path)
    assert first.text == ("The leaders of the three river states will meet in April.\n\n"
                          "Officials said the agenda is still open.")
    # published (local date of 22:15 -05:00) outranks updated
    assert (first.title, first.byline, first.source, first.url, first.published) == (
        "Summit Date Set for April", "Mira Holt", "Kestria Daily Diplomacy",
        "https://kestria-daily.example/summit-april", dt.date(2024, 3, 1))
    assert first.metadata == {"external_id": "urn:kd:1", "published_from": "field"}
    assert first.origin == f"{path}#entry 1"
    assert second.text == "Kestria named a new trade envoy to Ostrava."
    assert (second.title, second.byline, second.url, second.published) == (
        "Trade Envoy Named", None, "https://kestria-daily.example/trade-envoy", dt.date(2024, 3, 2))


def test_feeds_old_rss_with_public_doctype_is_read(write: Callable[..., Path],
                                                   read: Callable[[Path], list[Item]]) -> None:
    path = write("old.rss", """<?xml version="1.0"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"
 "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Lomar Gazette</title>
<item><title>Envoy Named</title><link>https://lomar.example/1</link>
<description>Lomar named an envoy to Kestria.</description></item></channel></rss>""")
    [article] = read(path)
    assert (article.text, article.title, article.source) == (
        "Lomar named an envoy to Kestria.", "Envoy Named", "Lomar Gazette")


def test_feeds_feed_without_entries(write: Callable[..., Path], read: Callable[[Path], list[Item]]) -> None:
    path = write("none.rss", '<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title></channel></rss>')
    assert read(path) == [Reject(str(path), "E120", "not an RSS/Atom feed with entries")]


@pytest.mark.parametrize("html, expected", [
    ("<p>One.</p><p>Two.</p>", "One.\n\nTwo.\n\n"),
    ("<div><p>Nested <em>text</em>.</p></div>", "Nested text.\n\n\n\n"),
    ("Line one<br>line two", "Line one\nline two"),
    ("<h2>Heading</h2>Tail text", "Heading\n\nTail text"),
    ("<p>Kept</p><script>dropped()</script><style>p {}</style>", "Kept\n\n"),
    ("No markup &amp; no tags", "No markup &amp; no tags"),
])
def test_feeds_fragment_text(html: str, expected: str) -> None:
    assert fragment_text(html) == expected


@pytest.mark.parametrize("author, expected", [
    ("Kora Vance", "Kora Vance"),
    ("  Kora Vance ", "Kora Vance"),
    ("desk@nordpress.example (Tomas Berg)", "Tomas Berg"),
    ("desk@nordpress.example", None),
    ("desk@nordpress.example ()", None),
    ("", None),
    (None, None),
])
def test_feeds_entry_byline(author: str | None, expected: str | None) -> None:
    assert entry_byline(author) == expected
