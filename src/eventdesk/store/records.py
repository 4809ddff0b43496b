"""Writes an Analysis's records (times, places, actors, quotes, events) into the normalised tables.

Called inside the article's transaction by `Store.add` (and by migration 0003 to backfill older stores).
Rows are plain dicts (`table_rows`) inserted in bulk; ids are "<article id>:<ordinal>", so the same analysis
always gives the same rows. It does not commit, and it reads nothing back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, insert, inspect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from eventdesk.model import Analysis, Event
from eventdesk.store.schema import (
    ActorRow,
    EventActorRow,
    EventCountryRow,
    EventDyadRow,
    EventRow,
    OutletRow,
    PlaceRow,
    QuoteRow,
    TimeRow,
)

ROLES = ("actor", "recipient")


def as_date(value: str | None) -> dt.date | None:
    """An ISO day, or None for anything that is not one (month or range values stay text in the JSON)."""
    if not value or len(value) != 10:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def write(session: Session, analysis: Analysis) -> None:
    tables = table_rows(analysis)
    if not _has_dyads(session):
        del tables[EventDyadRow]
    for table, rows in tables.items():
        if table is OutletRow:
            for row in rows:
                _insert_outlet(session, row)
        else:
            _bulk(session, table, rows)


def table_rows(analysis: Analysis) -> dict[type, list[dict[str, Any]]]:
    """The rows of every normalised table for one analysis, parents before children (insert order).

    `write` inserts them; the store generator (bench/store_gen.py) bulk-loads them, so both give the same rows."""
    a = analysis.article
    published = as_date(a.published)
    outlets = [{"name": a.outlet, "country": a.outlet_country, "ownership": a.outlet_ownership}] if a.outlet else []
    times = [
        {"id": f"{a.id}:{i}", "article_id": a.id, "ordinal": i, "text": t.text, "start": t.start, "end": t.end,
         "value": t.value, "granularity": t.granularity, "certainty": t.certainty}
        for i, t in enumerate(analysis.times)
    ]  # fmt: skip
    places = [
        {"id": f"{a.id}:{i}", "article_id": a.id, "ordinal": i, "text": p.text, "start": p.start, "end": p.end,
         "name": p.name, "country": p.country, "lat": p.lat, "lon": p.lon, "geonameid": p.geonameid}
        for i, p in enumerate(analysis.places)
    ]  # fmt: skip
    actors = [
        {"id": f"{a.id}:{i}", "article_id": a.id, "ordinal": i, "text": x.text, "start": x.start, "end": x.end,
         "name": x.name, "country": x.country, "sector": x.sector, "sector2": x.sector2}
        for i, x in enumerate(analysis.actors)
    ]  # fmt: skip
    quotes = []
    for i, q in enumerate(analysis.quotes):
        sp = q.speaker
        actor = (sp.actor or {}) if sp else {}
        quotes.append(
            {"id": f"{a.id}:{i}", "article_id": a.id, "ordinal": i, "text": q.text, "start": q.start, "end": q.end,
             "kind": q.kind, "speaker_text": sp.text if sp else None, "speaker_name": sp.name if sp else None,
             "speaker_country": actor.get("country"), "speaker_sector": actor.get("sector"), "cue": q.cue,
             "outlet": a.outlet, "day": published}
        )  # fmt: skip
    events, parties, countries, dyads = [], [], [], []
    for i, e in enumerate(analysis.events):
        eid = f"{a.id}:{i}"
        day = as_date(e.date) or published
        events.append(_event_row(eid, a.id, i, e, day, a.outlet))
        codes: dict[str, list[str]] = {}
        for role, people in zip(ROLES, (e.actor, e.recipient), strict=True):
            seen = codes.setdefault(role, [])
            for pos, p in enumerate(people):
                parties.append(
                    {"event_id": eid, "role": role, "position": pos, "text": p.get("text"), "name": p.get("name"),
                     "country": p.get("country"), "sector": p.get("sector"), "sector2": p.get("sector2")}
                )  # fmt: skip
                country = p.get("country")
                if country and country not in seen:
                    seen.append(country)
                    countries.append({"role": role, "country": country, "day": day, "event_id": eid})
        dyads += [
            {"event_id": eid, "actor": x, "recipient": y, "day": day, "negated": bool(e.negated)}
            for x in codes["actor"]
            for y in codes["recipient"]
        ]
    return {
        OutletRow: outlets,
        TimeRow: times,
        PlaceRow: places,
        ActorRow: actors,
        QuoteRow: quotes,
        EventRow: events,
        EventActorRow: parties,
        EventCountryRow: countries,
        EventDyadRow: dyads,
    }


def _has_dyads(session: Session) -> bool:
    """False only inside migration 0003's backfill, which runs this module's current code on a schema that
    has no event_dyads yet (0004 adds the table and fills it from the events in SQL). Migrations bind the
    session to a Connection; the store's sessions are bound to its Engine, on a schema at head."""
    bind = session.get_bind()
    return isinstance(bind, Engine) or inspect(bind).has_table(EventDyadRow.__tablename__)


def _event_row(eid: str, article_id: str, i: int, e: Event, day: dt.date | None, outlet: str | None) -> dict[str, Any]:
    loc = e.location or {}
    return {
        "id": eid,
        "article_id": article_id,
        "ordinal": i,
        "event_type": e.event,
        "mode": e.mode,
        "contexts": ";".join(e.context),
        "quad_code": e.quad_code,
        "cameo": e.cameo,
        "goldstein": float(e.goldstein),
        "date": as_date(e.date),
        "date_text": e.date_text,
        "day": day,
        "place_name": loc.get("name"),
        "place_country": loc.get("country"),
        "lat": loc.get("lat"),
        "lon": loc.get("lon"),
        "geonameid": loc.get("geonameid"),
        "negated": bool(e.negated),
        "modality": e.modality,
        "evidence_text": e.evidence.text,
        "evidence_start": e.evidence.start,
        "evidence_end": e.evidence.end,
        "outlet": outlet,
    }


def _bulk(session: Session, table: type, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        session.execute(insert(table), list(rows))


def _insert_outlet(session: Session, row: dict[str, Any]) -> None:
    """Insert-if-absent without a conflict error: two writers storing the same outlet must not abort each
    other's article transaction."""
    dialect = session.get_bind().dialect.name
    stmt: Any
    if dialect == "postgresql":
        stmt = postgresql.insert(OutletRow).values(**row).on_conflict_do_nothing(index_elements=["name"])
    elif dialect == "sqlite":
        stmt = sqlite.insert(OutletRow).values(**row).on_conflict_do_nothing(index_elements=["name"])
    else:
        if session.get(OutletRow, row["name"]) is not None:
            return
        stmt = insert(OutletRow).values(**row)
    session.execute(stmt)
