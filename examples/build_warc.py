"""Rebuild articles/archive/crawl-sample.warc.gz: `python examples/build_warc.py`."""

from __future__ import annotations

import io
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Mexico and Canada discuss seasonal worker programme</title>
<meta property="og:site_name" content="Continental Report"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav><article>
<h1>Mexico and Canada discuss seasonal worker programme</h1>
<p>Labour officials from Mexico and Canada met in Ottawa on Monday to discuss changes to the seasonal
agricultural worker programme, Canada's employment ministry said.</p>
<p>The Mexican delegation asked Canada to simplify housing inspections for farms that hire workers
through the programme, and both sides agreed to set up a joint committee on worker safety.</p>
<p>About 25,000 Mexican workers took part in the programme last year, according to the ministry.</p>
</article><footer>Continental Report, all rights reserved</footer></body></html>"""

NOT_FOUND = "<html><body><h1>Page not found</h1></body></html>"


def _response(writer: WARCWriter, url: str, status: str, body: str, date: str) -> None:
    headers = StatusAndHeaders(status, [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
    record = writer.create_warc_record(url, "response", payload=io.BytesIO(body.encode()),
                                       http_headers=headers, warc_headers_dict={"WARC-Date": date})
    writer.write_record(record)


def build(path: Path) -> None:
    """Write a small archive: one article, one 404 page and one request record."""
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        _response(writer, "https://continental-report.example/world/mexico-canada-workers", "200 OK", PAGE,
                  "2024-08-06T14:02:11Z")
        _response(writer, "https://continental-report.example/missing", "404 Not Found", NOT_FOUND,
                  "2024-08-06T14:02:12Z")
        request = writer.create_warc_record("https://continental-report.example/world/mexico-canada-workers",
                                            "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n"),
                                            warc_headers_dict={"WARC-Date": "2024-08-06T14:02:10Z"})
        writer.write_record(request)


if __name__ == "__main__":
    build(Path(__file__).parent / "articles" / "archive" / "crawl-sample.warc.gz")
