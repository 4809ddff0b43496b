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

from eventdesk.model import Analysis, Event, Quote, Span, Speaker
from tests.store_data import (  # noqa: F401
    HOSTILE_TITLE,
    PG_ENV,
    TEXT,
    add_story,
    hostile_analysis,
    make_analysis,
    party,
    service,
)

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


A3_TEXT = (
    "Regime forces shelled eastern Aleppo on Wednesday; about 25 people were killed. "
    '"The regime is bombing bakeries," said Abu Omar, a spokesman for the opposition fighters.'
)


def _span(text: str, part: str) -> Span:
    start = text.index(part)
    return Span(part, start, start + len(part))


def story_analyses() -> list[Analysis]:
    """The three articles of the "veto" story, told differently: Atlas Wire (USA, private) and Russian
    Information Network (RUS, state-controlled) report the veto (REJECT, ACCUSE, a quote by Gennady Sorokin)
    with their own last sentence (rebels and 12 killed; terrorists and 30 killed); Levant Observer (GBR,
    nonprofit) reports only the shelling (ASSAULT), quotes an opposition spokesman, calls the government
    "regime forces" and uses "regime" only inside a quote, and gives "about 25" killed."""
    a1 = make_analysis(
        "a1",
        outlet="Atlas Wire",
        published="2016-10-19",
        text=TEXT + " Rebels said 12 civilians were killed when government forces shelled the city.",
    )
    a1.article.outlet_ownership = "private"
    a2 = make_analysis(
        "a2",
        outlet="Russian Information Network",
        published="2016-10-21",
        text=TEXT + " Terrorists shelled western Aleppo, killing 30 civilians, the Syrian government said.",
    )
    a2.article.outlet_country, a2.article.outlet_ownership = "RUS", "state_controlled"
    a3 = make_analysis(
        "a3", outlet="Levant Observer", published="2016-10-20", title="Shelling of Aleppo goes on", text=A3_TEXT
    )
    a3.article.outlet_country, a3.article.outlet_ownership = "GBR", "nonprofit"
    quote = _span(A3_TEXT, "The regime is bombing bakeries,")
    a3.quotes.append(
        Quote(
            quote.text,
            quote.start,
            quote.end,
            kind="direct",
            speaker=Speaker("Abu Omar", "Abu Omar", {"country": "SYR", "sector": "OPP"}),
            cue="said",
        )
    )
    a3.events.append(
        Event(
            event="ASSAULT",
            mode="aerial",
            context=["military"],
            quad_code="MATERIAL_CONFLICT",
            cameo="195",
            goldstein=-10.0,
            actor=[party("Syrian forces", "SYR", "MIL")],
            recipient=[party("civilians", "SYR", "CVL")],
            date="2016-10-19",
            date_text="Wednesday",
            location={"name": "Aleppo", "country": "SYR", "lat": 36.2, "lon": 37.16},
            negated=False,
            modality="asserted",
            evidence=_span(A3_TEXT, "Regime forces shelled eastern Aleppo on Wednesday;"),
        )
    )
    return [a1, a2, a3]


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
    for a in story_analyses():
        store.add(a)
    store.add(hostile_analysis())
    add_story(
        store.engine,
        "veto",
        "Russia vetoes the Aleppo draft",
        "2016-10-19",
        "2016-10-21",
        {"a1": "Atlas Wire", "a2": "Russian Information Network", "a3": "Levant Observer"},
    )
    add_story(store.engine, "evil-story", HOSTILE_TITLE, "2016-10-19", "2016-10-19", {"evil": "Atlas Wire"})
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
    pg.dialogs = []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    yield pg
    context.close()


def _shot(page, name: str, full_page: bool = False) -> None:
    out = os.environ.get("EVENTDESK_SCREENSHOTS")
    if out:
        Path(out).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(out) / f"{name}.png"), full_page=full_page)


def test_dashboard_shows_counts_chart_pairs_and_stories(server, page):
    page.goto(server + "/")
    assert int(page.inner_text("#n-articles")) == 12  # 8 demo texts + 3 hand-built + the hostile one
    assert int(page.inner_text("#n-events")) == 6
    page.wait_for_selector("#timeline[data-drawn='1'] .main-svg", timeout=15000)  # plotly.js drew, offline
    assert page.locator("#dyads tbody tr").count() == 4  # RUS-FRA, RUS-ESP, FRA-RUS and SYR-SYR
    assert "Russia vetoes the Aleppo draft" in page.inner_text("#latest-stories")
    _shot(page, "dashboard")


def test_events_filter_and_evidence_link(server, page):
    page.goto(server + "/events")
    assert page.locator("#events tbody tr").count() == 6
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
    assert page.locator("#quotes tbody tr").count() == 4
    page.fill("#f-speaker", "SOROKIN")
    page.select_option("#f-outlet", "Russian Information Network")
    page.click("#f-submit")
    page.wait_for_url("**speaker=SOROKIN**")
    assert page.locator("#quotes tbody tr").count() == 1
    assert page.inner_text("#quotes tbody tr .speaker").startswith("Gennady Sorokin")
    _shot(page, "quotes")


def test_comparison_view_rows_one_cell_per_outlet():
    from eventdesk.compare import compare_analyses
    from eventdesk.web.comparison import Count, Figure, comparison_view

    view = comparison_view(compare_analyses(story_analyses()))
    assert [(c.name, c.country_name, c.ownership) for c in view.columns] == [
        ("Atlas Wire", "United States", "private"),
        ("Levant Observer", "United Kingdom", "nonprofit"),
        ("Russian Information Network", "Russian Federation", "state-controlled"),
    ]
    assert [[s.group for s in col] for col in view.shares] == [
        ["government (RUS)"],
        ["opposition"],
        ["government (RUS)"],
    ]
    assert [(r.label, r.cells) for r in view.events] == [
        ("ACCUSE: FRA → RUS", [True, False, True]),
        ("REJECT: RUS → ESP + FRA (2016-10-19)", [True, False, True]),
        ("ASSAULT: SYR → SYR (2016-10-19)", [False, True, False]),
    ]
    assert view.events_summary == [(2, 1), (1, 2), (2, 1)]
    government = next(r for r in view.labels if r.label == "Government")
    assert government.cells[1] == [
        Count("regime", 1, "delegitimising", True),
        Count("regime forces", 1, "delegitimising"),
    ]
    (killed,) = view.numbers
    assert killed.label == "killed" and killed.flagged
    assert [[(f.qualifier, f.value) for f in cell] for cell in killed.cells] == [
        [("", 12)],
        [("about", 25)],
        [("", 30)],
    ]
    assert killed.cells[1] == [
        Figure(25, "about", 1, "Regime forces shelled eastern Aleppo on Wednesday; about 25 people were killed.")
    ]


def test_stories_list_and_coverage_side_by_side(server, page):
    page.goto(server + "/stories")
    page.click("text=Russia vetoes the Aleppo draft")
    page.wait_for_url("**/stories/veto")
    cmp = page.locator("#comparison")
    assert cmp.locator("thead .outlet-name").all_inner_texts() == [
        "Atlas Wire",
        "Levant Observer",
        "Russian Information Network",
    ]
    assert cmp.locator("thead .outlet-meta").all_inner_texts() == [
        "USA · private",
        "GBR · nonprofit",
        "RUS · state-controlled",
    ]
    assert cmp.locator("tr.articles td").all_inner_texts() == [
        "Russia vetoes Aleppo draft\n2016-10-19 · 33 words",
        "Shelling of Aleppo goes on\n2016-10-20 · 26 words",
        "Russia vetoes Aleppo draft\n2016-10-21 · 32 words",
    ]
    assert cmp.locator("tr.speakers td").all_inner_texts() == [
        "Gennady Sorokin ×1",
        "Abu Omar ×1",
        "Gennady Sorokin ×1",
    ]
    assert cmp.locator("tr.shares td .group-name").all_inner_texts() == [
        "government (RUS)",
        "opposition",
        "government (RUS)",
    ]
    assault = cmp.locator("tr.event", has_text="ASSAULT")
    assert assault.locator("th").inner_text() == "ASSAULT: SYR → SYR (2016-10-19)"
    assert assault.locator("td").all_inner_texts() == ["✗ left out", "✓ reported", "✗ left out"]
    assert assault.locator("td.omitted").count() == 2
    assert cmp.locator("td.omitted").count() == 4  # Levant Observer left out the veto and the accusation
    assert cmp.locator("tr.family", has_text="Armed opposition").locator("td").all_inner_texts() == [
        "rebels ×1",
        "opposition fighters ×1",
        "terrorists ×1",
    ]
    assert cmp.locator(".label-term.frame-delegitimising .term").all_inner_texts() == [
        "terrorists",
        "regime",
        "regime forces",
    ]
    assert cmp.locator(".label-term:has(.tag) .term").all_inner_texts() == ["regime"]  # only inside a quote
    assert cmp.locator("tr.number.disagree td").all_inner_texts() == ["12", "about 25", "30"]
    assert cmp.locator("tr.score .score").all_inner_texts() == ["-13.9", "-13.3", "-17.1"]
    assert page.locator("#outlets").count() == 0  # the plain per-outlet list is only the fallback
    _shot(page, "story", full_page=True)
    page.click("#cmp-tone a[href='#how-tone']")
    assert page.locator("#how-tone").is_visible()
    assert page.url.endswith("/stories/veto#how-tone")


def test_hostile_article_executes_nothing(server, page):
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    for path in [
        "/articles/evil",
        "/articles/evil?focus=ev-0",
        "/events",
        "/quotes",
        "/",
        "/stories",
        "/stories/evil-story",
    ]:
        page.goto(server + path)
        page.wait_for_load_state("load")
        assert page.evaluate("typeof window.__pwned") == "undefined", path
    assert page.dialogs == []
    page.goto(server + "/articles/evil")
    assert page.inner_text("#title") == HOSTILE_TITLE  # shown as text, not markup
    assert page.locator("#text script, #text img, #text b, #aside svg, #article-events svg").count() == 0
    assert "<script>window.__pwned=3</script>" in page.inner_text("#text")
    page.hover("#text")  # the onmouseover payload is text, so hovering does nothing
    assert page.evaluate("typeof window.__pwned") == "undefined"
    page.goto(server + "/stories/evil-story")
    assert page.inner_text("h1") == HOSTILE_TITLE
    assert page.inner_text("#comparison tr.articles a") == HOSTILE_TITLE
    assert page.inner_text("#comparison .speaker") == "<i>Officials</i>"
    assert page.inner_text("#comparison tr.event th") == 'REJECT: <svg onload="window.__pwned=5"> → ?'
    assert page.locator("main script, main img, main svg, #comparison i").count() == 0
    assert errors == []


def test_comparison_view_lists_sources_apart_from_named_speakers():
    from eventdesk.compare import compare_analyses
    from eventdesk.web.comparison import comparison_view

    analyses = story_analyses()
    anonymous = Speaker("A senior Western diplomat", None, None, kind="anonymous")
    analyses[0].quotes.append(Quote("It is over.", 0, 11, kind="direct", speaker=anonymous, cue="said"))
    view = comparison_view(compare_analyses(analyses))
    assert [[c.name for c in col] for col in view.sources] == [["a senior Western diplomat"], [], []]
    assert [[c.name for c in col] for col in view.speakers] == [["Gennady Sorokin"], ["Abu Omar"], ["Gennady Sorokin"]]
