"""The store on SQLite and on a real PostgreSQL: normalised records, idempotent and all-or-nothing ingest,
filters, counts, deletes and the backfilling migration."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from eventdesk.store import Store, connect, migrate, query, records
from eventdesk.store.query import EventFilter, QuoteFilter
from eventdesk.store.schema import AnalysisRow, ArticleRow
from tests.store_data import add_story, db_url, make_analysis  # noqa: F401  (db_url is a fixture)

TABLES = [
    "articles",
    "analyses",
    "outlets",
    "times",
    "places",
    "actors",
    "quotes",
    "events",
    "event_actors",
    "event_countries",
    "event_dyads",
]


def dump(store: Store) -> dict[str, list[tuple]]:
    """Every row of every table except the ingest timestamp, sorted: two equal dumps are equal databases."""
    out = {}
    with store.engine.connect() as conn:
        for name in TABLES:
            t = sa.Table(name, sa.MetaData(), autoload_with=conn)
            cols = [c for c in t.c if c.name != "ingested_at"]
            out[name] = sorted((tuple(map(repr, r)) for r in conn.execute(sa.select(*cols))), key=str)
    return out


def counts(store: Store) -> dict[str, int]:
    return {k: len(v) for k, v in dump(store).items()}


@pytest.fixture
def store(db_url):  # noqa: F811
    s = Store(db_url)
    yield s
    s.close()


def test_add_writes_every_record_in_normalised_tables(store):
    assert store.add(make_analysis()) is True
    assert counts(store) == {
        "articles": 1,
        "analyses": 1,
        "outlets": 1,
        "times": 1,
        "places": 1,
        "actors": 2,
        "quotes": 1,
        "events": 2,
        "event_actors": 5,  # REJECT: 1 actor + 2 recipients; ACCUSE: 1 + 1
        "event_countries": 5,
        "event_dyads": 3,  # RUS-FRA, RUS-ESP, FRA-RUS
    }
    with store.engine.connect() as conn:
        ev = conn.execute(sa.text("SELECT * FROM events WHERE id = 'a1:0'")).mappings().one()
        assert (ev["event_type"], ev["cameo"], ev["contexts"], ev["place_name"]) == (
            "REJECT",
            "129",
            "diplomatic;human_security",
            "Aleppo",
        )
        assert str(ev["day"]) == "2016-10-19"
        # The second event has no date of its own: its day is the article's publication date.
        day2 = conn.execute(sa.text("SELECT day, date FROM events WHERE id = 'a1:1'")).one()
        assert (str(day2[0]), day2[1]) == ("2016-10-19", None)
        q = conn.execute(sa.text("SELECT speaker_name, speaker_country, outlet FROM quotes")).one()
        assert tuple(q) == ("Gennady Sorokin", "RUS", "Atlas Wire")


def test_event_countries_keep_one_row_per_event_role_and_country(store):
    a = make_analysis()
    a.events[0].recipient.append({"text": "Paris", "name": "Paris", "country": "FRA", "sector": "GOV"})
    store.add(a)
    with store.engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT role, country FROM event_countries WHERE event_id = 'a1:0' ORDER BY role, country")
        ).all()
    assert [tuple(r) for r in rows] == [("actor", "RUS"), ("recipient", "ESP"), ("recipient", "FRA")]


def test_reingest_changes_nothing(store):
    assert store.add(make_analysis()) is True
    before = dump(store)
    assert store.add(make_analysis()) is False
    assert dump(store) == before


def test_ingest_killed_half_way_then_rerun_equals_uninterrupted_run(db_url, tmp_path, monkeypatch):  # noqa: F811
    analyses = [make_analysis("a1"), make_analysis("a2", outlet="RIN"), make_analysis("a3", published=None)]
    clean = Store(str(tmp_path / "clean.db"))
    for a in analyses:
        clean.add(a)
    expected = dump(clean)
    clean.close()

    store = Store(db_url)
    store.add(analyses[0])
    real_write = records.write

    def dies_after_events(session, analysis):
        real_write(session, analysis)  # rows are written, then the process "dies" before commit
        raise KeyboardInterrupt

    monkeypatch.setattr(records, "write", dies_after_events)
    with pytest.raises(KeyboardInterrupt):
        store.add(analyses[1])
    monkeypatch.setattr(records, "write", real_write)
    assert store.count() == 1 and counts(store)["events"] == 2  # nothing of the killed article is left
    for a in analyses:  # the re-run: the first is skipped, the others stored
        store.add(a)
    assert dump(store) == expected
    store.close()


def test_delete_removes_the_article_and_everything_derived(store):
    store.add(make_analysis("a1"))
    store.add(make_analysis("a2"))
    assert store.delete("a1") is True
    assert store.delete("a1") is False
    c = counts(store)
    assert (c["articles"], c["events"], c["event_actors"], c["quotes"], c["outlets"]) == (1, 2, 5, 1, 1)


def _seed(store: Store) -> None:
    store.add(make_analysis("a1", outlet="Atlas Wire", published="2016-10-19"))
    store.add(make_analysis("a2", outlet="RIN", published="2016-10-21"))
    store.add(make_analysis("a3", outlet="RIN", published=None))
    add_story(store.engine, "s1", "The veto", "2016-10-19", "2016-10-21", {"a1": "Atlas Wire", "a2": "RIN"})


def _ids(store: Store, **kw) -> list[str]:
    with store.session() as s:
        items, _ = query.events_page(s, EventFilter.parse(**kw), limit=100)
    return [e["id"] for e in items]


def test_event_filters(store):
    _seed(store)
    # Newest day first, ids descending within a day. Each REJECT has its own date (2016-10-19); each ACCUSE
    # takes its article's publication date, and a3's, with no date at all, comes last.
    assert _ids(store) == ["a2:1", "a3:0", "a2:0", "a1:1", "a1:0", "a3:1"]
    assert _ids(store, type="reject") == ["a3:0", "a2:0", "a1:0"]
    assert _ids(store, actor="rus") == ["a3:0", "a2:0", "a1:0"]
    assert _ids(store, recipient="RUS") == ["a2:1", "a1:1", "a3:1"]
    assert _ids(store, recipient="ESP") == ["a3:0", "a2:0", "a1:0"]
    assert _ids(store, actor="RUS", recipient="ESP") == ["a3:0", "a2:0", "a1:0"]
    assert _ids(store, actor="RUS", recipient="RUS") == []
    assert _ids(store, since="2016-10-20") == ["a2:1"]
    assert _ids(store, until="2016-10-19", actor="FRA") == ["a1:1"]
    assert _ids(store, outlet="RIN") == ["a2:1", "a3:0", "a2:0", "a3:1"]
    assert _ids(store, story="s1", type="ACCUSE") == ["a2:1", "a1:1"]
    assert _ids(store, actor="RUS", outlet="RIN", since="2016-10-01") == ["a3:0", "a2:0"]


def test_event_filter_rejects_bad_dates():
    with pytest.raises(query.BadQuery, match="YYYY-MM-DD"):
        EventFilter.parse(since="19 Oct")


def test_cursor_pages_cover_everything_once(store):
    _seed(store)
    seen, cursor = [], None
    with store.session() as s:
        for _ in range(10):
            items, cursor = query.events_page(s, EventFilter(), limit=4 if not seen else 1, cursor=cursor)
            seen += [e["id"] for e in items]
            if cursor is None:
                break
        # The same with a country filter, which is driven by another index.
        rus, cur = [], None
        while True:
            items, cur = query.events_page(s, EventFilter(actor="RUS"), limit=1, cursor=cur)
            rus += [e["id"] for e in items]
            if cur is None:
                break
    assert seen == ["a2:1", "a3:0", "a2:0", "a1:1", "a1:0", "a3:1"]
    assert rus == ["a3:0", "a2:0", "a1:0"]


def test_loaded_event_has_contract_shape(store):
    store.add(make_analysis())
    with store.session() as s:
        ev = query.load_events(s, ["a1:0"])[0]
    assert ev["actor"] == [{"text": "Russia", "name": "Russia", "country": "RUS", "sector": "GOV", "sector2": None}]
    assert [r["country"] for r in ev["recipient"]] == ["FRA", "ESP"]
    assert ev["evidence"]["text"] == make_analysis().article.text[ev["evidence"]["start"] : ev["evidence"]["end"]]
    assert ev["context"] == ["diplomatic", "human_security"]
    assert ev["location"]["name"] == "Aleppo" and ev["url"] == "https://a1.example/story"


def test_counts_by_day_week_and_dyad(store):
    _seed(store)
    a = make_analysis("a4", published="2016-10-24")
    a.events[0].negated = True  # negated events are left out of counts
    store.add(a)
    with store.session() as s:
        assert query.event_counts(s, EventFilter(), "day") == [
            {"day": "2016-10-19", "count": 4},
            {"day": "2016-10-21", "count": 1},
            {"day": "2016-10-24", "count": 1},
            {"day": "unknown", "count": 1},
        ]
        assert query.event_counts(s, EventFilter(), "week") == [
            {"week": "2016-W42", "count": 5},
            {"week": "2016-W43", "count": 1},
            {"week": "unknown", "count": 1},
        ]
        assert query.event_counts(s, EventFilter(outlet="RIN"), "dyad") == [
            {"actor": "FRA", "recipient": "RUS", "count": 2},
            {"actor": "RUS", "recipient": "ESP", "count": 2},
            {"actor": "RUS", "recipient": "FRA", "count": 2},
        ]


def test_quote_filters(store):
    _seed(store)
    with store.session() as s:
        assert [q["article_id"] for q in query.quotes(s, QuoteFilter(speaker="sorokin"))] == ["a2", "a1", "a3"]
        assert [q["article_id"] for q in query.quotes(s, QuoteFilter(speaker="sorokin", outlet="RIN"))] == ["a2", "a3"]
        assert query.quotes(s, QuoteFilter(speaker="Voronin")) == []
        assert query.quotes(s, QuoteFilter(speaker="%")) == []  # LIKE wildcards are taken literally
        assert [q["article_id"] for q in query.quotes(s, QuoteFilter(story="s1"))] == ["a2", "a1"]
        q = query.quotes(s, QuoteFilter(article="a1"))[0]
    assert q["speaker"] == {
        "text": "Gennady Sorokin",
        "name": "Gennady Sorokin",
        "actor": {"country": "RUS", "sector": "GOV"},
    }
    assert (q["kind"], q["cue"], q["text"]) == ("direct", "said", "We cannot accept this text,")


def test_stories(store):
    _seed(store)
    with store.session() as s:
        assert [x["story_id"] for x in query.stories(s)] == ["s1"]
        st = query.story(s, "s1")
        assert query.story(s, "nope") is None
    assert st["outlets"] == ["Atlas Wire", "RIN"] and st["first_seen"] == "2016-10-19"
    assert [(a["id"], a["outlet"]) for a in st["articles"]] == [("a1", "Atlas Wire"), ("a2", "RIN")]


def test_migration_0003_backfills_analyses_stored_before_it(db_url):  # noqa: F811
    engine = connect(db_url)
    migrate(engine, "0002")
    a = make_analysis()
    with sa.orm.Session(engine) as s, s.begin():
        art = a.article
        s.add(
            ArticleRow(
                id=art.id,
                text=art.text,
                outlet=art.outlet,
                published=dt.date(2016, 10, 19),
                published_certainty="stated",
                content_hash=art.content_hash,
                ingested_at=dt.datetime.now(dt.UTC),
            )
        )
        s.flush()
        s.add(AnalysisRow(article_id=art.id, schema_version="1.0", data=a.to_dict()))
    engine.dispose()
    store = Store(db_url)
    assert _ids(store) == ["a1:1", "a1:0"]
    c = counts(store)
    assert (c["quotes"], c["event_countries"], c["event_dyads"]) == (1, 5, 3)  # dyads: filled by 0004 in SQL
    store.close()


def test_stats_count_a_window_of_days_from_the_indexes(store):
    _seed(store)  # a3 has no publication date: its ACCUSE has no day ("unknown")
    old = make_analysis("a0", published="2016-05-01")
    old.events[0].date = "2016-05-01"  # more than 90 days before the newest day (2016-10-21)
    store.add(old)
    neg = make_analysis("a4", published="2016-10-20")
    neg.events[0].negated = True
    store.add(neg)
    with store.session() as s:
        default = query.stats(s)
        year = query.stats(s, since=dt.date(2016, 1, 1), until=dt.date(2016, 12, 31))
        may = query.top_dyads(s, since=dt.date(2016, 5, 1), until=dt.date(2016, 5, 1))
    # Default: the 90 days up to the newest day, and the undated events; a0 is older, a4's REJECT negated.
    assert (default["since"], default["until"], default["events"]) == ("2016-07-24", "2016-10-21", 7)
    assert default["by_type"] == {
        "ACCUSE": {"2016-10-19": 1, "2016-10-20": 1, "2016-10-21": 1, "unknown": 1},
        "REJECT": {"2016-10-19": 3},
    }
    assert default["by_quad_class"] == {
        "VERBAL_CONFLICT": {"2016-10-19": 4, "2016-10-20": 1, "2016-10-21": 1, "unknown": 1}
    }
    assert default["top_dyads"] == [
        {"actor": "FRA", "recipient": "RUS", "count": 4},
        {"actor": "RUS", "recipient": "ESP", "count": 3},
        {"actor": "RUS", "recipient": "FRA", "count": 3},
    ]
    assert (default["articles"], default["quotes"]) == (5, 5)  # totals of the store
    # A range given: only dated events in it (a0's REJECT is in; the undated ACCUSE is not).
    assert (year["since"], year["events"], year["by_type"]["REJECT"]) == (
        "2016-01-01",
        8,
        {"2016-05-01": 1, "2016-10-19": 3},
    )
    assert [(d["actor"], d["recipient"], d["count"]) for d in may] == [  # a0's two events, on its date
        ("FRA", "RUS", 1),
        ("RUS", "ESP", 1),
        ("RUS", "FRA", 1),
    ]


def test_stats_of_an_empty_store(store):
    with store.session() as s:
        st = query.stats(s)
    assert (st["since"], st["until"], st["events"], st["by_type"], st["top_dyads"]) == (None, None, 0, {}, [])
