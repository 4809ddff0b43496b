"""Writes an Analysis's records (times, places, actors, quotes, events) into the normalised tables.

Called inside the article's transaction by `Store.add` (and by migration 0003 to backfill older stores).
Rows are plain dicts inserted in bulk; ids are "<article id>:<ordinal>", so the same analysis always gives the
same rows. It does not commit, and it reads nothing back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from eventdesk.model import Analysis, Event
from eventdesk.store.schema import (
    ActorRow,
    EventActorRow,
    EventCountryRow,
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
    a = analysis.article
    published = as_date(a.published)
    if a.outlet:
        _insert_outlet(session, {"name": a.outlet, "country": a.outlet_country, "ownership": a.outlet_ownership})
    _bulk(
        session,
        TimeRow,
        [
            {"id": f"{a.id}:{i}", "article_id": a.id, "ordinal": i, "text": t.text, "start": t.start, "end": t.end,
             "value": t.value, "granularity": t.granularity, "certainty": t.certainty}
            for i, t in enumerate(analysis.times)
        ],
    )  # fmt: skip
    _bulk(
        session,
        PlaceRow,
        [
            {"id": f"{a.id}:{i}", "article_id": a.id, "ordinal": i, "text": p.text, "start": p.start, "end": p.end,
             "name": p.name, "country": p.country, "lat": p.lat, "lon": p.lon, "geonameid": p.geonameid}
            for i, p in enumerate(analysis.places)
        ],
    )  # fmt: skip
    _bulk(
        session,
        ActorRow,
        [
            {"id": f"{a.id}:{i}", "article_id": a.id, "ordinal": i, "text": x.text, "start": x.start, "end": x.end,
             "name": x.name, "country": x.country, "sector": x.sector, "sector2": x.sector2}
            for i, x in enumerate(analysis.actors)
        ],
    )  # fmt: skip
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
    _bulk(session, QuoteRow, quotes)
    events, parties, countries = [], [], []
    for i, e in enumerate(analysis.events):
        eid = f"{a.id}:{i}"
        day = as_date(e.date) or published
        events.append(_event_row(eid, a.id, i, e, day, a.outlet))
        for role, people in zip(ROLES, (e.actor, e.recipient), strict=True):
            seen: set[str] = set()
            for pos, p in enumerate(people):
                parties.append(
                    {"event_id": eid, "role": role, "position": pos, "text": p.get("text"), "name": p.get("name"),
                     "country": p.get("country"), "sector": p.get("sector"), "sector2": p.get("sector2")}
                )  # fmt: skip
                country = p.get("country")
                if country and country not in seen:
                    seen.add(country)
                    countries.append({"role": role, "country": country, "day": day, "event_id": eid})
    _bulk(session, EventRow, events)
    _bulk(session, EventActorRow, parties)
    _bulk(session, EventCountryRow, countries)


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
