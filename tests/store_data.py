"""Test support for the store, export, API and web tests: hand-built analyses and the two databases.

PostgreSQL comes from scripts/setup-test-services.sh (`make test` runs it and exports EVENTDESK_TEST_PG_URL).
Without that variable the PostgreSQL cases skip on a developer's machine but fail in CI (CI=true), where the
set-up script must have provided the server.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from eventdesk.model import Actor, Analysis, Article, Event, Place, Quote, Span, Speaker, Time

PG_ENV = "EVENTDESK_TEST_PG_URL"


def service(env: str, what: str) -> str:
    """The value of a set-up-services variable; skip without it, except in CI where that is a failure."""
    value = os.environ.get(env)
    if value:
        return value
    message = f'{what} not set up: run `eval "$(sudo scripts/setup-test-services.sh)"` first ({env} is unset)'
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """A fresh, empty database of each kind: a SQLite file, or a PostgreSQL schema of its own."""
    if request.param == "sqlite":
        yield str(tmp_path / "test.db")
        return
    base = service(PG_ENV, "PostgreSQL")
    import sqlalchemy as sa

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base)
    with admin.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


TEXT = (
    "Russia vetoed the draft resolution on Aleppo on Wednesday. "
    '"We cannot accept this text," said Gennady Sorokin. '
    "France condemned the veto."
)


def _span(text: str, part: str) -> tuple[str, int, int]:
    start = text.index(part)
    return part, start, start + len(part)


def party(name: str, country: str | None, sector: str = "GOV") -> dict[str, str | None]:
    return {"text": name, "name": name, "country": country, "sector": sector, "sector2": None}


def make_analysis(
    article_id: str = "a1",
    outlet: str = "Atlas Wire",
    published: str | None = "2016-10-19",
    title: str = "Russia vetoes Aleppo draft",
    text: str = TEXT,
) -> Analysis:
    """One article with two events (REJECT RUS->FRA on 2016-10-19, ACCUSE FRA->RUS with no own date),
    one quote by Gennady Sorokin, two actors, a place and a time; offsets point into `text`."""
    art = Article(
        id=article_id,
        text=text,
        title=title,
        outlet=outlet,
        outlet_country="USA",
        url=f"https://{article_id}.example/story",
        published=published,
        published_certainty="stated" if published else "unknown",
        content_hash=f"hash-{article_id}",
    )
    a = Analysis(article=art)
    if "Wednesday" in text:
        a.times.append(Time(*_span(text, "Wednesday"), value="2016-10-19", granularity="day", certainty="resolved"))
    if "Aleppo" in text:
        t, s, e = _span(text, "Aleppo")
        a.places.append(Place(t, s, e, name="Aleppo", country="SYR", lat=36.2, lon=37.16, geonameid=170063))
    if text.startswith("Russia"):
        a.actors.append(Actor(*_span(text, "Russia"), name="Russia", country="RUS", sector="GOV"))
        a.actors.append(Actor(*_span(text, "France"), name="France", country="FRA", sector="GOV"))
        qt, qs, qe = _span(text, "We cannot accept this text,")
        a.quotes.append(
            Quote(
                qt,
                qs,
                qe,
                kind="direct",
                speaker=Speaker(
                    text="Gennady Sorokin", name="Gennady Sorokin", actor={"country": "RUS", "sector": "GOV"}
                ),
                cue="said",
            )
        )
        sent1 = Span(*_span(text, "Russia vetoed the draft resolution on Aleppo on Wednesday."))
        sent3 = Span(*_span(text, "France condemned the veto."))
        a.events.append(
            Event(
                event="REJECT",
                mode=None,
                context=["diplomatic", "human_security"],
                quad_code="VERBAL_CONFLICT",
                cameo="129",
                goldstein=-2.0,
                actor=[party("Russia", "RUS")],
                recipient=[party("France", "FRA"), party("Spain", "ESP")],
                date="2016-10-19",
                date_text="Wednesday",
                location={"name": "Aleppo", "country": "SYR", "lat": 36.2, "lon": 37.16},
                negated=False,
                modality="asserted",
                evidence=sent1,
            )
        )
        a.events.append(
            Event(
                event="ACCUSE",
                mode="disapprove",
                context=[],
                quad_code="VERBAL_CONFLICT",
                cameo="11",
                goldstein=-2.0,
                actor=[party("France", "FRA")],
                recipient=[party("Russia", "RUS")],
                date=None,
                date_text=None,
                location=None,
                negated=False,
                modality="asserted",
                evidence=sent3,
            )
        )
    return a


HOSTILE_TITLE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'
HOSTILE_TEXT = (
    "Officials said <script>window.__pwned=3</script> nothing. "
    '<img src=x onerror="window.__pwned=4"> Russia vetoed the plan. '
    "</mark><b onmouseover=alert(1)>bold</b> &amp; done."
)


def hostile_analysis() -> Analysis:
    """An article whose title and body carry script and event-handler payloads, with an event and a quote
    whose spans cover them (so the highlighting code handles hostile segments too)."""
    a = make_analysis("evil", title=HOSTILE_TITLE, text=HOSTILE_TEXT)
    t, s, e = _span(HOSTILE_TEXT, "Russia vetoed the plan.")
    a.events.append(
        Event(
            event="REJECT",
            mode=None,
            context=[],
            quad_code="VERBAL_CONFLICT",
            cameo="12",
            goldstein=-2.0,
            # No country code: the comparison then shows the party by its (hostile) name.
            actor=[party('<svg onload="window.__pwned=5">', None)],
            recipient=[],
            date=None,
            date_text=None,
            location=None,
            negated=False,
            modality="asserted",
            evidence=Span(t, s, e),
        )
    )
    qt, qs, qe = _span(HOSTILE_TEXT, "<script>window.__pwned=3</script> nothing.")
    a.quotes.append(
        Quote(qt, qs, qe, kind="indirect", speaker=Speaker("Officials", "<i>Officials</i>", None), cue="said")
    )
    return a


def add_story(engine, story_id: str, title: str, first_seen: str, last_seen: str, members: dict[str, str]) -> None:
    """Insert a story and its members ({article id: outlet}) as the stories stage would. The tables are
    reflected and any other required column gets a neutral value, so that these tests follow that stage's
    schema as it grows."""
    import datetime as dt

    import sqlalchemy as sa

    def neutral(col: sa.Column) -> object:
        py = col.type.python_type if not isinstance(col.type, sa.JSON) else dict
        return {str: "x", int: 0, float: 0.0, dict: {}, list: [], dt.date: dt.date(2016, 10, 19)}.get(py, "x")

    with engine.begin() as conn:
        meta = sa.MetaData()
        stories = sa.Table("stories", meta, autoload_with=conn)
        members_t = sa.Table("story_members", meta, autoload_with=conn)
        row = {
            "id": story_id,
            "title": title,
            "first_seen": dt.date.fromisoformat(first_seen),
            "last_seen": dt.date.fromisoformat(last_seen),
            "n_articles": len(members),
            "outlets": sorted(set(members.values())),
        }
        for c in stories.c:
            if c.name not in row and not c.nullable and c.server_default is None:
                row[c.name] = neutral(c)
        conn.execute(sa.insert(stories).values(**{k: v for k, v in row.items() if k in stories.c}))
        for aid in members:
            m = {"article_id": aid, "story_id": story_id}
            for c in members_t.c:
                if c.name not in m and not c.nullable and c.server_default is None:
                    m[c.name] = neutral(c)
            conn.execute(sa.insert(members_t).values(**m))
