"""The REST API on SQLite and PostgreSQL: reads, filters, pages, tokens for writes, size limit, JSON errors."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from eventdesk.api import Settings, create_app
from eventdesk.store import Store
from tests.store_data import add_story, db_url, make_analysis  # noqa: F401  (db_url is a fixture)

TOKEN = "t0k3n-for-the-tests-0123456789"


@pytest.fixture
def db(db_url):  # noqa: F811
    store = Store(db_url)
    store.add(make_analysis("a1", outlet="Atlas Wire", published="2016-10-19"))
    store.add(make_analysis("a2", outlet="RIN", published="2016-10-21"))
    add_story(store.engine, "s1", "The veto", "2016-10-19", "2016-10-21", {"a1": "Atlas Wire", "a2": "RIN"})
    store.close()
    return db_url


def client(db: str, token: str | None = TOKEN, **kw) -> TestClient:
    return TestClient(create_app(Settings(db=db, token=token, **kw)), raise_server_exceptions=False)


def test_reads(db):
    c = client(db)
    arts = c.get("/api/articles").json()["items"]
    assert [a["id"] for a in arts] == ["a2", "a1"]
    art = c.get("/api/articles/a1").json()
    assert art["article"]["title"] == "Russia vetoes Aleppo draft"
    assert [e["event"] for e in art["events"]] == ["REJECT", "ACCUSE"]
    assert art["quotes"][0]["speaker"]["name"] == "Gennady Sorokin" and art["places"][0]["name"] == "Aleppo"
    page = c.get("/api/events", params={"actor": "RUS", "since": "2016-10-19", "until": "2016-10-31"}).json()
    assert [e["id"] for e in page["items"]] == ["a2:0", "a1:0"] and page["next"] is None
    assert [e["id"] for e in c.get("/api/events", params={"recipient": "rus", "outlet": "RIN"}).json()["items"]] == [
        "a2:1"
    ]
    assert [e["id"] for e in c.get("/api/events", params={"story": "s1", "type": "REJECT"}).json()["items"]] == [
        "a2:0",
        "a1:0",
    ]
    quotes = c.get("/api/quotes", params={"speaker": "sorokin", "outlet": "RIN"}).json()["items"]
    assert [q["article_id"] for q in quotes] == ["a2"]
    assert [s["story_id"] for s in c.get("/api/stories").json()["items"]] == ["s1"]
    story = c.get("/api/stories/s1").json()
    assert [a["id"] for a in story["articles"]] == ["a1", "a2"] and "comparison" in story
    stats = c.get("/api/stats").json()
    assert (stats["articles"], stats["events"], stats["quotes"]) == (2, 4, 2)
    assert stats["by_quad_class"] == {"VERBAL_CONFLICT": {"2016-10-19": 3, "2016-10-21": 1}}
    assert stats["top_dyads"][0] == {"actor": "FRA", "recipient": "RUS", "count": 2}  # ties: by code
    assert (stats["since"], stats["until"]) == ("2016-07-24", "2016-10-21")  # default: 90 days to the newest
    oct20 = c.get("/api/stats", params={"since": "2016-10-20", "until": "2016-10-31"}).json()
    assert (oct20["events"], oct20["top_dyads"]) == (1, [{"actor": "FRA", "recipient": "RUS", "count": 1}])


def test_event_pages_by_cursor_and_offset(db):
    c = client(db)
    first = c.get("/api/events", params={"limit": 3}).json()
    second = c.get("/api/events", params={"limit": 3, "cursor": first["next"]}).json()
    assert [e["id"] for e in first["items"] + second["items"]] == ["a2:1", "a2:0", "a1:1", "a1:0"]
    assert second["next"] is None
    assert [e["id"] for e in c.get("/api/events", params={"limit": 2, "offset": 1}).json()["items"]] == [
        "a2:0",
        "a1:1",
    ]


def test_errors_are_json_with_a_message(db):
    c = client(db)
    r = c.get("/api/articles/nope")
    assert r.status_code == 404 and r.json() == {"error": {"status": 404, "message": "no article 'nope'"}}
    r = c.get("/api/events", params={"since": "last week"})
    assert r.status_code == 422 and "since" in r.json()["error"]["message"]
    r = c.get("/api/events", params={"cursor": "!!"})
    assert r.status_code == 400 and "cursor" in r.json()["error"]["message"]
    r = c.get("/api/events", params={"limit": 100000})
    assert r.status_code == 422
    assert c.get("/api/stories/nope").status_code == 404
    assert c.get("/no/such/page").json()["error"]["status"] == 404


def test_internal_errors_do_not_leak_a_stack_trace(db, monkeypatch):
    from eventdesk.store import query

    def broken(*a, **k):
        raise RuntimeError("secret detail /etc/passwd")

    monkeypatch.setattr(query, "stats", broken)
    r = client(db).get("/api/stats")
    assert r.status_code == 500
    assert "secret" not in r.text and "Traceback" not in r.text
    assert r.json()["error"]["message"].startswith("internal error")


def test_writes_need_the_token(db):
    c = client(db)
    r = c.delete("/api/articles/a1")
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    assert c.delete("/api/articles/a1", headers={"Authorization": "Bearer wrong-token-wrong-token"}).status_code == 403
    assert c.delete("/api/articles/a1", headers={"Authorization": f"Basic {TOKEN}"}).status_code == 403
    assert c.post("/api/ingest", json={"text": "x"}).status_code == 401
    assert c.post("/api/ingest", json={"text": "x"}, headers={"Authorization": "Bearer nope"}).status_code == 403
    ok = c.delete("/api/articles/a1", headers={"Authorization": f"Bearer {TOKEN}"})
    assert ok.status_code == 204
    assert c.get("/api/articles/a1").status_code == 404
    assert [e["article_id"] for e in c.get("/api/events").json()["items"]] == ["a2", "a2"]
    assert c.delete("/api/articles/a1", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 404


def test_without_a_configured_token_writes_are_refused(db):
    c = client(db, token=None)
    r = c.delete("/api/articles/a1", headers={"Authorization": "Bearer anything-at-all-here"})
    assert r.status_code == 403 and "EVENTDESK_TOKEN" in r.json()["error"]["message"]
    assert c.get("/api/articles/a1").status_code == 200


def test_weak_tokens_are_refused_at_start():
    with pytest.raises(ValueError, match="too weak"):
        Settings(db="x.db", token="changeme")
    assert Settings.from_env("x.db", {"EVENTDESK_TOKEN": TOKEN, "EVENTDESK_MAX_BODY_BYTES": "10"}).max_body_bytes == 10
    assert Settings.from_env("x.db", {}).token is None


def test_ingest_size_limit_is_a_clear_413(db):
    c = client(db, max_body_bytes=200)
    r = c.post("/api/ingest", json={"text": "x" * 500}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 413 and "200 bytes" in r.json()["error"]["message"]


def test_ingest_rejects_a_body_without_text(db):
    c = client(db)
    r = c.post("/api/ingest", json={"title": "no body"}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 422 and "text" in r.json()["error"]["message"]


def test_openapi_lists_the_endpoints(db):
    paths = client(db).get("/openapi.json").json()["paths"]
    assert {"/api/articles", "/api/articles/{article_id}", "/api/events", "/api/quotes", "/api/stories",
            "/api/stories/{story_id}", "/api/stats", "/api/ingest"} <= set(paths)  # fmt: skip
    assert client(db).get("/docs").status_code == 200


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_ingest_analyses_and_stores_an_article(db, resources):
    app = create_app(Settings(db=db, token=TOKEN), resources=lambda: resources)
    c = TestClient(app, raise_server_exceptions=False)
    body = {
        "id": "api-1",
        "title": "Talks in Geneva",
        "text": "GENEVA — Officials met in Geneva on Friday to discuss medical evacuations from Aleppo.",
        "published": "2016-10-21",
        "outlet": "Atlas Wire",
    }
    r = c.post("/api/ingest", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 201, r.text
    assert r.json()["id"] == "api-1" and r.json()["stored"] is True
    again = c.post("/api/ingest", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    assert again.json()["stored"] is False
    art = c.get("/api/articles/api-1").json()
    assert art["article"]["text"].endswith("medical evacuations from Aleppo.")
    assert art["article"]["published"] == "2016-10-21"
