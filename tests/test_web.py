"""The web pages in a real headless Chromium (Debian's `chromium`, driven by Playwright): every page loads and
shows the demo data, filters work, evidence links land on the highlighted sentence, and an article carrying
<script> and onerror= payloads executes nothing.

Set EVENTDESK_SCREENSHOTS=DIR to also save screenshots of the main pages there (docs/screenshots/ is made so).
"""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest

from tests.store_data import HOSTILE_TITLE, PG_ENV, add_story, hostile_analysis, make_analysis, service  # noqa: F401

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory, resources) -> str:
    """The demo corpus through the real pipeline, plus hand-built analyses with events and quotes (the event
    and quote stages fill those for real), a story and the hostile article."""
    from eventdesk.engines import process
    from eventdesk.ingest.readers import RawDocument, iter_inputs
    from eventdesk.model import Analysis
    from eventdesk.store import Store

    db = str(tmp_path_factory.mktemp("web") / "demo.db")
    store = Store(db)
    docs = [i for i in iter_inputs([str(ROOT / "demo" / "corpus" / "txt")]) if isinstance(i, RawDocument)]
    for result in process(docs, resources):
        if isinstance(result, Analysis):
            # The pages are checked against exact counts: events and quotes come from the hand-built analyses
            # below, so that improving the event or quote stages does not change what these tests expect.
            result.events, result.quotes = [], []
            store.add(result)
    store.add(make_analysis("a1", outlet="Atlas Wire", published="2016-10-19"))
    store.add(make_analysis("a2", outlet="Russian Information Network", published="2016-10-21"))
    store.add(hostile_analysis())
    add_story(
        store.engine,
        "veto",
        "Russia vetoes the Aleppo draft",
        "2016-10-19",
        "2016-10-21",
        {"a1": "Atlas Wire", "a2": "Russian Information Network"},
    )
    store.close()
    return db


@pytest.fixture(scope="module")
def server(demo_db):
    import uvicorn

    from eventdesk.api import Settings, create_app

    port = _free_port()
    config = uvicorn.Config(create_app(Settings(db=demo_db)), host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline, "the test server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    chromium = service("EVENTDESK_TEST_CHROMIUM", "Chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_FLAGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.dialogs = []  # type: ignore[attr-defined]
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))  # type: ignore[attr-defined]
    yield pg
    context.close()


def _shot(page, name: str) -> None:
    out = os.environ.get("EVENTDESK_SCREENSHOTS")
    if out:
        Path(out).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(out) / f"{name}.png"), full_page=False)


def test_dashboard_shows_counts_chart_pairs_and_stories(server, page):
    page.goto(server + "/")
    assert int(page.inner_text("#n-articles")) == 11  # 8 demo texts + 2 hand-built + the hostile one
    assert int(page.inner_text("#n-events")) == 5
    page.wait_for_selector("#timeline[data-drawn='1'] .main-svg", timeout=15000)  # plotly.js drew, offline
    assert page.locator("#dyads tbody tr").count() == 3
    assert "Russia vetoes the Aleppo draft" in page.inner_text("#latest-stories")
    _shot(page, "dashboard")


def test_events_filter_and_evidence_link(server, page):
    page.goto(server + "/events")
    assert page.locator("#events tbody tr").count() == 5
    page.fill("#f-actor", "fra")
    page.click("#f-submit")
    page.wait_for_url("**/events?*actor=fra*")
    rows = page.locator("#events tbody tr")
    assert rows.count() == 2
    assert all("ACCUSE" in t for t in rows.all_inner_texts())
    page.select_option("#f-outlet", "Atlas Wire")
    page.click("#f-submit")
    page.wait_for_url("**outlet=Atlas+Wire**")
    assert page.locator("#events tbody tr").count() == 1
    _shot(page, "events")
    page.click("#events a.evidence")
    page.wait_for_url("**/articles/a1?focus=ev-1#ev-1")
    assert page.inner_text("#text .focus") == "France condemned the veto."
    assert page.locator("#text .qt").first.inner_text() == "We cannot accept this text,"
    _shot(page, "article")


def test_events_page_reports_a_bad_date(server, page):
    page.goto(server + "/events?since=2016-13-45")
    assert "YYYY-MM-DD" in page.inner_text("#error")


def test_quotes_filter_by_speaker_and_outlet(server, page):
    page.goto(server + "/quotes")
    assert page.locator("#quotes tbody tr").count() == 3
    page.fill("#f-speaker", "SOROKIN")
    page.select_option("#f-outlet", "Russian Information Network")
    page.click("#f-submit")
    page.wait_for_url("**speaker=SOROKIN**")
    assert page.locator("#quotes tbody tr").count() == 1
    assert page.inner_text("#quotes tbody tr .speaker").startswith("Gennady Sorokin")
    _shot(page, "quotes")


def test_stories_list_and_outlets_side_by_side(server, page):
    page.goto(server + "/stories")
    page.click("text=Russia vetoes the Aleppo draft")
    page.wait_for_url("**/stories/veto")
    cols = page.locator("#outlets .outlet-col h2").all_inner_texts()
    assert cols == ["Atlas Wire", "Russian Information Network"]
    assert page.locator("#outlets li:has-text('REJECT')").count() == 2
    _shot(page, "story")


def test_hostile_article_executes_nothing(server, page):
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    for path in ["/articles/evil", "/articles/evil?focus=ev-0", "/events", "/quotes", "/"]:
        page.goto(server + path)
        page.wait_for_load_state("load")
        assert page.evaluate("typeof window.__pwned") == "undefined", path
    assert page.dialogs == []  # type: ignore[attr-defined]
    page.goto(server + "/articles/evil")
    assert page.inner_text("#title") == HOSTILE_TITLE  # shown as text, not markup
    assert page.locator("#text script, #text img, #text b, #aside svg, #article-events svg").count() == 0
    assert "<script>window.__pwned=3</script>" in page.inner_text("#text")
    page.hover("#text")  # the onmouseover payload is text, so hovering does nothing
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert errors == []
