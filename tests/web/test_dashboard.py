"""The dashboard in a real headless browser (Playwright driving Debian's chromium): dyad page, event
evidence, and an article whose body carries script that must stay inert."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web.conftest import SEEDS

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SCREENSHOTS = Path(os.environ.get("COMMUNIQUE_SCREENSHOTS", "")) if os.environ.get("COMMUNIQUE_SCREENSHOTS") else None
if CHROMIUM is None and os.environ.get("COMMUNIQUE_BROWSER_REQUIRED"):
    raise RuntimeError("COMMUNIQUE_BROWSER_REQUIRED is set but no chromium is installed (apt-get install chromium)")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def base_url(store: Path) -> Iterator[str]:
    import uvicorn

    from communique.web import create_app

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(store), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    pg.on("dialog", lambda dialog: (errors.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    pg.errors = errors
    yield pg
    context.close()


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    if SCREENSHOTS:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


def test_home_lists_pairs_and_picks_a_dyad(page, base_url):
    page.goto(base_url + "/")
    assert page.locator("table.list tbody tr a").count() > 0
    page.fill("#pick-a", "KEN")
    page.fill("#pick-b", "BRA")
    page.click("form.picker button")
    page.wait_for_url("**/dyad?*")
    assert "Kenya" in page.locator("h1").inner_text() and page.locator("table.timeline tbody tr").count() > 0
    _shot(page, "home.png")


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/corpus/seeds not present")
def test_seed_dyad_page_lists_the_meetings_and_links_to_their_evidence(page, base_url):
    page.goto(base_url + "/dyad?a=CHN&b=BLR")
    dates = page.locator("table.timeline td.date").all_inner_texts()
    assert "2023-12-04" in dates and "2025-06-04" in dates
    assert page.locator("figure.chart img").evaluate("img => img.complete && img.naturalWidth > 0")
    _shot(page, "dyad.png")
    row = page.locator("table.timeline tbody tr", has=page.locator("td.date", has_text="2025-06-04")).filter(
        has_text="CONSULT").first
    row.locator("a").first.click()
    page.wait_for_url("**/event/*")
    evidence = page.locator(".telling .hl-evidence")
    assert evidence.count() > 0
    assert "June 4" in " ".join(evidence.all_inner_texts())
    background = evidence.first.evaluate("el => getComputedStyle(el).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    _shot(page, "event.png")
    assert page.errors == []


def test_hostile_article_renders_as_text(page, base_url):
    page.goto(base_url + "/search?q=onerror")
    page.locator("ol.hits a").first.click()
    page.wait_for_url("**/article/*")
    body = page.locator("article.body")
    assert "<script>alert(1)</script>" in body.inner_text()
    assert 'onerror="alert(2)"' in body.inner_text()
    assert body.locator("script, img, a[href^='javascript']").count() == 0
    assert page.locator("script").count() == 0
    assert "<script>alert('title')</script>" in page.locator("h1").inner_text()
    assert "<b>bold</b>" in page.locator("main p.muted").first.inner_text()
    page.wait_for_timeout(300)
    assert not any("dialog" in e for e in page.errors)
    _shot(page, "article.png")


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/corpus/seeds not present")
def test_claims_page_shows_verdicts_with_their_events(page, base_url):
    page.goto(base_url + "/claims")
    claim = page.locator("section.claim", has=page.locator("h3", has_text="his second visit"))
    assert claim.locator(".verdict").inner_text() == "supported"
    assert claim.locator("td.date").all_inner_texts() == ["2023-02", "2023-12-03"]
    claim.locator("table a").first.click()
    page.wait_for_url("**/event/*")
    assert "end of February" in "".join(page.locator(".telling").first.locator(".hl-evidence").all_inner_texts())
    page.goto(base_url + "/claims")
    _shot(page, "claims.png")
