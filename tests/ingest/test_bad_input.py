"""Bad inputs: each is one clear, coded Reject, and the good records around it still come through."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import tracemalloc
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from communique.ingest import discover, read_path
from communique.ingest.base import Item, ReadContext
from communique.records import Article, Reject
from communique.settings import IngestSettings

ENVOY = "Kestria named a new envoy to Lomar on Friday after months of talks about the border."


def line(number: int) -> str:
    return json.dumps({"id": f"r{number}", "text": f"Envoy number {number} arrived in Tolvik for the river talks."})


def kinds(items: list[Item]) -> list[str]:
    return [type(i).__name__ for i in items]


@pytest.fixture
def ingest_settings(ctx: ReadContext) -> IngestSettings:
    return ctx.settings


# --- whole files that are empty, binary, mis-encoded or too large ------------------------------

@pytest.mark.parametrize("name, content, reason", [
    ("empty.txt", b"", "empty file: no text to ingest"),
    ("blank.txt", b" \n\n\t\r\n", "empty file: no text to ingest"),
    ("empty.html", b"", "empty file: no HTML to ingest"),
    ("empty.xml", b"", "empty file: no feed to ingest"),
    ("empty.rss", b"\n\n", "empty file: no feed to ingest"),
    ("empty.jsonl", b"", "empty file: no JSON lines to ingest"),
    ("blank.jsonl", b"\n   \n\n", "empty file: no JSON lines to ingest"),
    ("empty.jsonl.gz", gzip.compress(b""), "empty file: no JSON lines to ingest"),
    ("empty.csv", b"", "empty file: no CSV header or rows"),
    ("empty.csv.gz", gzip.compress(b"\n"), "empty file: no CSV header or rows"),
    ("empty.warc", b"", "empty file: no WARC records"),
    ("empty.warc.gz", b"", "empty file: no WARC records"),
])
def test_bad_input_empty_file(name: str, content: bytes, reason: str, write: Callable[..., Path],
                              read: Callable[[Path], list[Item]]) -> None:
    path = write(name, content)
    assert read(path) == [Reject(str(path), "E102", reason)]


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00" + bytes(200)


@pytest.mark.parametrize("name, content, reason", [
    ("photo.txt", PNG, "binary file, not text (NUL or control bytes)"),
    ("photo.html", PNG, "binary data, not an HTML page"),
    ("photo.jsonl", PNG + b"\n" + line(1).encode() + b"\n", "binary data, not JSON lines (NUL or control bytes)"),
    ("photo.jsonl.gz", gzip.compress(PNG), "binary data, not JSON lines (NUL or control bytes)"),
    ("photo.csv", PNG, "binary data, not CSV (NUL or control bytes)"),
])
def test_bad_input_binary_file(name: str, content: bytes, reason: str, write: Callable[..., Path],
                               read: Callable[[Path], list[Item]]) -> None:
    path = write(name, content)
    assert read(path) == [Reject(str(path), "E103", reason)]


LEGACY = ("Kestria’s foreign minister met the Valdorian envoy in Zürich on Tuesday.\n\n"
          "“We welcome the café talks,” she said after the séance with both délégations.")


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_bad_input_legacy_encoding_decoded_with_warning(encoding: str, write: Callable[..., Path],
                                                        read: Callable[[Path], list[Item]]) -> None:
    text = LEGACY if encoding == "cp1252" else LEGACY.replace("’", "'").replace("“", '"').replace("”", '"')
    data = text.encode(encoding)
    [article] = read(write("legacy.txt", data))
    assert isinstance(article, Article)
    assert article.text == text
    [warning] = article.warnings
    first_bad = text.index("’" if encoding == "cp1252" else "ü")
    prefix = f"not UTF-8 (first bad byte at offset {first_bad}); decoded as "
    assert warning.startswith(prefix)
    assert text.encode(warning[len(prefix):]) == data  # the named encoding gives back the very bytes


@pytest.mark.parametrize("text, first, second", [
    (LEGACY, 10, 36),
    ("Lomar’s envoy met the Kestrian minister on Tuesday. Both sides said the talks were useful.", 20, 40),
])
def test_bad_input_utf8_with_a_few_bad_bytes(text: str, first: int, second: int, write: Callable[..., Path],
                                             read: Callable[[Path], list[Item]]) -> None:
    good = text.encode()
    head, middle, tail = good[:first].decode(), good[first:second].decode(), good[second:].decode()
    data = head.encode() + b"\xff\xfe" + middle.encode() + b"\xc3" + tail.encode()
    [article] = read(write("damaged.txt", data))
    assert isinstance(article, Article)
    assert article.warnings == (f"3 undecodable byte sequence(s) replaced by U+FFFD (first at offset {first})",)
    # the good UTF-8 around the bad bytes is kept, not garbled by a guessed legacy encoding
    assert article.text == f"{head}\ufffd\ufffd{middle}\ufffd{tail}"


def test_bad_input_jsonl_line_with_bad_bytes(write: Callable[..., Path], read: Callable[[Path], list[Item]]) -> None:
    bad = b'{"text": "The envoy met the ministers in Z\xfcrich."}'
    path = write("bytes.jsonl", line(1).encode() + b"\n" + bad + b"\n" + line(3).encode() + b"\n")
    first, damaged, third = read(path)
    assert damaged.text == "The envoy met the ministers in Z\ufffdrich."
    assert damaged.warnings == ("undecodable bytes at column 43 replaced by U+FFFD",)
    assert (first.warnings, third.warnings) == ((), ())


def test_bad_input_csv_with_bad_bytes(write: Callable[..., Path], read: Callable[[Path], list[Item]]) -> None:
    path = write("bytes.csv", "title,text\nZurich,The envoy met the ministers in Zürich.\nLomar,".encode("cp1252")
                 + ENVOY.encode() + b"\n")
    damaged, good = read(path)
    assert damaged.text == "The envoy met the ministers in Z\ufffdrich."
    assert damaged.warnings == ("undecodable bytes (not UTF-8) replaced by U+FFFD",)
    assert (good.text, good.warnings) == (ENVOY, ())


@pytest.mark.parametrize("name", ["huge.txt", "huge.html", "huge.rss"])
def test_bad_input_file_too_large_is_not_read(name: str, tmp_path: Path, read: Callable[[Path], list[Item]],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / name
    with path.open("wb") as f:
        f.truncate(200 * 1024 * 1024)  # sparse: no data blocks written

    def refuse(self: Path) -> bytes:
        raise AssertionError(f"{self} was read")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert read(path) == [Reject(str(path), "E104", "file is 200.0 MiB, over the 50 MiB limit (ingest.max_file_mb)")]


# --- JSONL and CSV ---------------------------------------------------------------------------

def test_bad_input_truncated_gzip_jsonl(write: Callable[..., Path], read: Callable[[Path], list[Item]]) -> None:
    deflate = zlib.compressobj(wbits=31)
    head = deflate.compress("".join(line(n) + "\n" for n in (1, 2, 3)).encode()) + deflate.flush(zlib.Z_SYNC_FLUSH)
    rest = deflate.compress("".join(line(n) + "\n" for n in (4, 5, 6)).encode()) + deflate.flush()
    path = write("cut.jsonl.gz", head + rest[:4])  # a few bytes into the block holding lines 4-6
    items = read(path)
    assert kinds(items) == ["Article", "Article", "Article", "Reject"]
    assert [i.origin for i in items[:3]] == [f"{path}#line {n}" for n in (1, 2, 3)]
    assert items[3] == Reject(str(path), "E131", "truncated or corrupt gzip after line 3: Compressed file "
                              "ended before the end-of-stream marker was reached", 4)


def test_bad_input_corrupt_gzip_header(write: Callable[..., Path], read: Callable[[Path], list[Item]]) -> None:
    path = write("notgz.jsonl.gz", (line(1) + "\n").encode())
    [reject] = read(path)
    assert (reject.code, reject.line) == ("E131", 1)
    assert reject.reason.startswith("truncated or corrupt gzip after line 0: Not a gzipped file")


@pytest.mark.parametrize("bad, reason", [
    ('{"text": "The envoy left." "title": "Departure"}', "malformed JSON: Expecting ',' delimiter at column 28"),
    ('{"text": "The envoy left.",}', "malformed JSON: Expecting property name enclosed in double quotes at column 28"),
    ("{'text': 'single quotes'}", "malformed JSON: Expecting property name enclosed in double quotes at column 2"),
    ('{"text": "unterminated', "malformed JSON: Unterminated string starting at column 10"),
    ("not json at all", "malformed JSON: Expecting value at column 1"),
])
def test_bad_input_malformed_json_line(bad: str, reason: str, write: Callable[..., Path],
                                       read: Callable[[Path], list[Item]]) -> None:
    path = write("mixed.jsonl", "\n".join([line(1), line(2), bad, line(4)]) + "\n")
    items = read(path)
    assert kinds(items) == ["Article", "Article", "Reject", "Article"]
    assert items[2] == Reject(str(path), "E110", reason, 3)
    assert items[3].origin == f"{path}#line 4"


@pytest.mark.parametrize("bad, kind", [
    ('["The envoy left.", "Departure"]', "list"), ("42", "int"), ('"The envoy left."', "str"), ("null", "NoneType"),
])
def test_bad_input_json_line_not_an_object(bad: str, kind: str, write: Callable[..., Path],
                                           read: Callable[[Path], list[Item]]) -> None:
    path = write("mixed.jsonl", "\n".join([line(1), bad, line(3)]) + "\n")
    items = read(path)
    assert kinds(items) == ["Article", "Reject", "Article"]
    assert items[1] == Reject(str(path), "E111", f"expected a JSON object, got {kind}", 2)


def test_bad_input_csv_without_text_column(write: Callable[..., Path], read: Callable[[Path], list[Item]]) -> None:
    path = write("body.csv", f"title,body,published\nEnvoy Named,{ENVOY},2023-12-05\n")
    assert read(path) == [Reject(str(path), "E113", "CSV has no 'text' column (columns: title, body, published)", 1)]


# --- XML -------------------------------------------------------------------------------------

LAUGHS = "".join(f' <!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">\n' for n in range(1, 10))
BILLION_LAUGHS = f"""<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol0 "lol">
{LAUGHS}]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><title>Envoy Named</title><description>&lol9;</description></item></channel></rss>
"""
QUADRATIC = f"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY big "{"x" * 50_000}">]>
<rss version="2.0"><channel><title>Q</title><item><title>T</title>
<description>{"&big;" * 50_000}</description></item></channel></rss>
"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>X</title><item><title>T</title><description>&secret;</description></item>
</channel></rss>
"""


@pytest.mark.parametrize("name, xml", [
    ("laughs.xml", BILLION_LAUGHS), ("laughs.rss", BILLION_LAUGHS), ("laughs.atom", BILLION_LAUGHS),
    ("quadratic.xml", QUADRATIC), ("external.rss", EXTERNAL),
])
def test_bad_input_xml_entity_expansion_refused(name: str, xml: str, write: Callable[..., Path],
                                                read: Callable[[Path], list[Item]]) -> None:
    path = write(name, xml)
    tracemalloc.start()
    try:
        items = read(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert items == [Reject(str(path), "E121", "XML declares entities or external references "
                            "(EntitiesForbidden); refused to protect memory")]
    assert peak < 64 * 2**20  # an expanded &lol9; alone would be 3 GB


def test_bad_input_malformed_xml(write: Callable[..., Path], read: Callable[[Path], list[Item]]) -> None:
    path = write("broken.xml", "these are words, not a feed\n")
    [reject] = read(path)
    assert (reject.code, reject.line) == ("E120", None)
    assert reject.reason.startswith("not an RSS/Atom feed with entries")


# --- WARC ------------------------------------------------------------------------------------

def record_starts(data: bytes, magic: bytes) -> list[int]:
    starts, at = [], data.find(magic)
    while at >= 0:
        starts.append(at)
        at = data.find(magic, at + 1)
    return starts


def test_bad_input_warc_corrupt_record_in_the_middle(tmp_path: Path, news_records: list[dict],
                                                     make_warc: Callable[..., Path],
                                                     read: Callable[[Path], list[Item]]) -> None:
    path = make_warc(tmp_path / "news.warc", news_records, False)
    data = path.read_bytes()
    third = record_starts(data, b"WARC/1.")[2]
    path.write_bytes(data[:third] + b"XARC/9.9" + data[third + 8:])
    items = read(path)
    assert kinds(items) == ["Skipped", "Article", "Reject", "Skipped", "Article"]
    assert [i.origin for i in items] == [
        f"{path}#record 1", f"{path}#record 2", str(path), f"{path}#record 4", f"{path}#record 5"]
    reject = items[2]
    assert (reject.code, reject.line) == ("E130", None)
    assert reject.reason.startswith(f"record 3 at byte {third} is corrupt (ArchiveLoadFailed: ")
    assert reject.reason.endswith("); skipped to the next record")
    assert items[4].url == "https://nordpress.example/b"


@pytest.mark.parametrize("broken", [[2], [2, 3]])
def test_bad_input_warc_gz_corrupt_members(broken: list[int], tmp_path: Path, news_records: list[dict],
                                           make_warc: Callable[..., Path],
                                           read: Callable[[Path], list[Item]]) -> None:
    path = make_warc(tmp_path / "news.warc.gz", news_records, True)
    data = bytearray(path.read_bytes())
    members = record_starts(bytes(data), b"\x1f\x8b\x08")
    assert len(members) == 5
    for index in broken:  # overwrite the middle of the member's compressed data
        data[members[index] + 20: members[index] + 60] = b"\xff" * 40
    path.write_bytes(bytes(data))
    items = read(path)
    assert len(items) == 5
    for n, item in enumerate(items):
        if n in broken:  # a reject in the record's place, then reading resumes at the next member
            assert (item.origin, item.code) == (str(path), "E130")
            assert item.reason.startswith((f"record {n + 1} at byte {members[n]} is corrupt (",
                                           f"record {n + 1}: not a WARC record"))
        else:
            assert item.origin == f"{path}#record {n + 1}"
    assert [i.url for i in items if isinstance(i, Article)] == [
        "https://nordpress.example/a", "https://nordpress.example/b"]
    assert kinds(items)[4] == "Article"


def test_bad_input_warc_gz_truncated_inside_last_record(tmp_path: Path, news_records: list[dict],
                                                        make_warc: Callable[..., Path],
                                                        read: Callable[[Path], list[Item]]) -> None:
    path = make_warc(tmp_path / "news.warc.gz", news_records, True)
    data = path.read_bytes()
    last = record_starts(data, b"\x1f\x8b\x08")[4]
    path.write_bytes(data[: last + (len(data) - last) // 2])
    items = read(path)
    assert kinds(items) == ["Skipped", "Article", "Skipped", "Skipped", "Reject"]
    assert items[4] == Reject(str(path), "E131", "truncated archive: it ends inside record 5")


def test_bad_input_warc_gz_missing_trailer(tmp_path: Path, news_records: list[dict],
                                           make_warc: Callable[..., Path], read: Callable[[Path], list[Item]]) -> None:
    path = make_warc(tmp_path / "news.warc.gz", news_records, True)
    path.write_bytes(path.read_bytes()[:-6])  # CRC and length of the last member cut off
    items = read(path)
    assert kinds(items) == ["Skipped", "Article", "Skipped", "Skipped", "Article", "Reject"]
    assert items[5] == Reject(str(path), "E131", "truncated gzip: it ends inside record 5")


def test_bad_input_warc_truncated_inside_last_payload(tmp_path: Path, news_records: list[dict],
                                                      make_warc: Callable[..., Path],
                                                      read: Callable[[Path], list[Item]]) -> None:
    path = make_warc(tmp_path / "news.warc", news_records, False)
    path.write_bytes(path.read_bytes()[:-60])
    items = read(path)
    assert kinds(items) == ["Skipped", "Article", "Skipped", "Skipped", "Reject"]
    assert items[4] == Reject(str(path), "E131", "truncated archive: it ends inside record 5")


# --- finding files ---------------------------------------------------------------------------

def test_bad_input_unknown_suffix_named_explicitly(write: Callable[..., Path], ctx: ReadContext,
                                                   ingest_settings: IngestSettings) -> None:
    path = write("minutes.docx", ENVOY)
    assert list(discover([str(path)], ingest_settings)) == [path]
    [reject] = read_path(path, ctx)
    assert (reject.origin, reject.code) == (str(path), "E105")
    assert reject.reason.startswith("no reader for this kind of file (known: .atom, .csv, .csv.gz, ")
    assert ".warc.gz" in reject.reason


def test_bad_input_missing_path_and_empty_glob(tmp_path: Path, write: Callable[..., Path],
                                               ingest_settings: IngestSettings) -> None:
    good = write("envoy.txt", ENVOY)
    missing, pattern = str(tmp_path / "nowhere.txt"), str(tmp_path / "in" / "*.jsonl")
    assert list(discover([missing, str(good), pattern], ingest_settings)) == [
        Reject(missing, "E100", "no such file or directory"),
        good,
        Reject(pattern, "E100", "pattern matches no file"),
    ]


def test_bad_input_discover_walks_directories(tmp_path: Path, write: Callable[..., Path],
                                              ingest_settings: IngestSettings) -> None:
    root = tmp_path / "in"
    for name in ["b.txt", "b.meta.json", "a.html", "a.meta.json", "notes.docx", "image.png", ".hidden.txt",
                 "sub/z.jsonl", "sub/feed.XML", "sub/crawl.warc.gz", "sub/readme.md", "sub/deeper/rows.csv",
                 "sub/.cache.txt"]:
        write(name, ENVOY)
    expected = [root / "a.html", root / "b.txt", root / "sub" / "crawl.warc.gz", root / "sub" / "feed.XML",
                root / "sub" / "z.jsonl", root / "sub" / "deeper" / "rows.csv"]
    assert list(discover([str(root)], ingest_settings)) == expected
    assert list(discover([str(root / "*.txt"), str(root / "s*")], ingest_settings)) == [
        root / "b.txt", *expected[2:]]


def _discover_without_override(targets: list[str]) -> list[list]:
    """Run discover() as root without the capabilities that let root read any directory."""
    if shutil.which("setpriv") is None:
        pytest.skip("setpriv is needed to drop root's permission overrides")
    code = ("import json, sys\n"
            "from communique.ingest import discover\n"
            "from communique.settings import load_settings\n"
            "items = discover(sys.argv[1:], load_settings(env={}).ingest)\n"
            "print(json.dumps([[type(i).__name__, str(getattr(i, 'origin', i)), getattr(i, 'code', None)]"
            " for i in items]))\n")
    proc = subprocess.run(["setpriv", "--bounding-set=-dac_override,-dac_read_search", sys.executable, "-c", code,
                           *targets], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_bad_input_unreadable_directory(ingest_settings: IngestSettings) -> None:
    root = Path(tempfile.mkdtemp(prefix="communique-perm-", dir="/tmp"))
    locked = root / "a-locked"
    try:
        root.chmod(0o755)
        for name in ["a-locked/hidden.txt", "b/envoy.txt", "c/rows.jsonl"]:
            (root / name).parent.mkdir(mode=0o755, exist_ok=True)
            (root / name).write_text(ENVOY)
            (root / name).chmod(0o644)
        locked.chmod(0o000)
        targets = [str(root), str(locked)]
        if os.geteuid() == 0:
            items = _discover_without_override(targets)
        else:
            items = [[type(i).__name__, str(getattr(i, "origin", i)), getattr(i, "code", None)]
                     for i in discover(targets, ingest_settings)]
        assert items == [
            ["Reject", str(locked), "E101"],
            ["PosixPath", str(root / "b" / "envoy.txt"), None],
            ["PosixPath", str(root / "c" / "rows.jsonl"), None],
            ["Reject", str(locked), "E101"],
        ]
    finally:
        locked.chmod(0o755)
        shutil.rmtree(root)


@pytest.mark.parametrize("controls, binary", [(0, False), (50, False), (51, True), (400, True)])
def test_bad_input_control_share_over_five_percent_is_binary(controls: int, binary: bool) -> None:
    from communique.ingest.decode import looks_binary

    # 1,000 bytes; tabs, newlines, form feeds, CR and ESC are text and never count.
    data = b"\x01" * controls + b"\t\n\x0c\r\x1b" * 10 + b"a" * (950 - controls)
    assert looks_binary(data) is binary
