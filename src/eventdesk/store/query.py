"""Read queries over the store: events, quotes, stories, articles and counts, with the filters that the CLI,
the API, the web pages and the exports share.

Every filter is applied in SQL through an index (see schema.py); results are plain dicts in the shape of the
output contract, plus their ids. Events come newest first, by (day, id), so that pages are stable and a
cursor can continue where a page stopped. Nothing here writes.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import (
    JSON,
    ColumnElement,
    Date,
    Integer,
    Select,
    String,
    and_,
    column,
    func,
    or_,
    select,
    table,
    type_coerce,
)
from sqlalchemy.orm import Session, aliased

from eventdesk.store.schema import (
    ActorRow,
    ArticleRow,
    EventActorRow,
    EventCountryRow,
    EventDyadRow,
    EventRow,
    PlaceRow,
    QuoteRow,
    TimeRow,
)

# The stories stage's tables (migration 0002), named here without importing its module.
STORIES = table(
    "stories",
    column("id"),
    column("title"),
    column("first_seen", Date),
    column("last_seen", Date),
    column("n_articles", Integer),
    column("outlets", JSON),
)
STORY_MEMBERS = table("story_members", column("article_id"), column("story_id"))

GroupBy = Literal["day", "week", "dyad"]
MAX_LIMIT = 1000


class BadQuery(ValueError):
    """A filter value that cannot be used (bad date, bad cursor): a user error, reported as such."""


@dataclass(frozen=True, slots=True)
class EventFilter:
    """The filters of `eventdesk events`, `/api/events`, `/events` and `eventdesk export`."""

    type: str | None = None  # PLOVER event type, e.g. REJECT
    actor: str | None = None  # actor country or group code, e.g. RUS, UNO
    recipient: str | None = None
    since: dt.date | None = None  # inclusive, on the event's day (its date, else the article's)
    until: dt.date | None = None  # inclusive
    outlet: str | None = None
    story: str | None = None
    article: str | None = None
    negated: bool | None = None  # None: both; False: only asserted events

    @classmethod
    def parse(cls, **kw: Any) -> EventFilter:
        """From user strings: upper-cases codes, parses ISO dates; raises BadQuery with a clear message."""
        out: dict[str, Any] = {}
        for key, value in kw.items():
            if value in (None, ""):
                continue
            if key in ("since", "until") and not isinstance(value, dt.date):
                try:
                    value = dt.date.fromisoformat(str(value))
                except ValueError:
                    raise BadQuery(f"{key}: {value!r} is not a date: give it as YYYY-MM-DD") from None
            elif key in ("type", "actor", "recipient"):
                value = str(value).strip().upper()
            out[key] = value
        return cls(**out)


def _nulls_last_desc(session: Session, col: Any) -> Any:
    # SQLite already puts NULL last in descending order (and then keeps using the index); PostgreSQL needs it
    # said, and its indexes on `day` are NULLS FIRST so that this order is a backward index scan.
    return col.desc().nulls_last() if session.get_bind().dialect.name == "postgresql" else col.desc()


def _day_id_after(day_col: Any, id_col: Any, day: dt.date | None, last_id: str) -> ColumnElement[bool]:
    """Rows after (day, id) in (day DESC NULLS LAST, id DESC) order."""
    if day is None:
        return and_(day_col.is_(None), id_col < last_id)
    return or_(day_col < day, and_(day_col == day, id_col < last_id), day_col.is_(None))


def encode_cursor(day: dt.date | None, event_id: str) -> str:
    return base64.urlsafe_b64encode(f"{day.isoformat() if day else ''}|{event_id}".encode()).decode()


def decode_cursor(cursor: str) -> tuple[dt.date | None, str]:
    try:
        day, sep, eid = base64.b64decode(cursor.encode(), altchars=b"-_", validate=True).decode().partition("|")
        if not (sep and eid):
            raise ValueError(cursor)
        return (dt.date.fromisoformat(day) if day else None), eid
    except (ValueError, UnicodeError):
        raise BadQuery("cursor: not a cursor from a previous page (use the `next` value as given)") from None


def event_ids(session: Session, f: EventFilter, cursor: str | None = None) -> Select[Any]:
    """SELECT (day, id) of the matching events, newest first.

    With a country filter the query is driven by the `event_countries` index (role, country, day, event_id), so
    "actor RUS in October" reads one index range in order, however large the store."""
    q, day_col, id_col = _filtered(session, f, cursor, with_events=False)
    return q.order_by(_nulls_last_desc(session, day_col), id_col.desc())


def _filtered(session: Session, f: EventFilter, cursor: str | None, with_events: bool) -> tuple[Any, Any, Any]:
    """The filtered SELECT (day, id), unordered, with the day and id columns that drive it. `with_events`:
    the `events` table is in the FROM clause even when a country index drives the query."""
    country_role, country = ("actor", f.actor) if f.actor else ("recipient", f.recipient)
    q: Any  # a Select whose column types differ by branch
    if country:
        ec = EventCountryRow
        q = select(ec.day, ec.event_id.label("id")).where(ec.role == country_role, ec.country == country)
        day_col, id_col = ec.day, ec.event_id
        if with_events or any((f.type, f.outlet, f.negated is not None, f.article, f.story)):
            q = q.join(EventRow, EventRow.id == ec.event_id)
    else:
        q = select(EventRow.day, EventRow.id)
        day_col, id_col = EventRow.day, EventRow.id
    if f.actor and f.recipient:
        rc = aliased(EventCountryRow)
        other = select(rc.event_id).where(rc.role == "recipient", rc.country == f.recipient, rc.event_id == id_col)
        q = q.where(other.exists())
    if f.since:
        q = q.where(day_col >= f.since)
    if f.until:
        q = q.where(day_col <= f.until)
    if f.type:
        q = q.where(EventRow.event_type == f.type)
    if f.outlet:
        q = q.where(EventRow.outlet == f.outlet)
    if f.negated is not None:
        q = q.where(EventRow.negated.is_(f.negated))
    if f.article:
        q = q.where(EventRow.article_id == f.article)
    if f.story:
        members = select(STORY_MEMBERS.c.article_id).where(STORY_MEMBERS.c.story_id == f.story)
        q = q.where(EventRow.article_id.in_(members))
    if cursor:
        q = q.where(_day_id_after(day_col, id_col, *decode_cursor(cursor)))
    return q, day_col, id_col


def _iso_day(session: Session, col: Any) -> Any:
    """A date column as its ISO text, converted by the database: SQLite stores dates as that text already
    (read as is, not parsed into date objects and printed again), PostgreSQL prints it."""
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(col, "YYYY-MM-DD")
    return type_coerce(col, String)


def event_streams(session: Session, f: EventFilter) -> tuple[Select[Any], Select[Any]]:
    """Two SELECTs over the events matching `f`, in the same order (newest first, as `iter_events`), for
    exports that read every row once instead of paging: the events, one row each, with `day` and the
    article's `published` as ISO text and the article's `url`; and their actors and recipients
    (event_id, role, text, name, country, sector, sector2) in role and position order. An event's parties
    follow one another, and events follow the first SELECT's order, so the two merge in one pass. Run both
    in one transaction (one snapshot) so that they agree."""
    ev, art, ea = EventRow.__table__, ArticleRow.__table__, EventActorRow.__table__
    q, day_col, id_col = _filtered(session, f, None, with_events=True)
    order = (_nulls_last_desc(session, day_col), id_col.desc())
    events = (
        q.with_only_columns(
            *[c for c in ev.c if c.name not in ("day", "date", "date_text", "ordinal")],
            _iso_day(session, ev.c.day).label("day"),
            art.c.url,
            _iso_day(session, art.c.published).label("published"),
            maintain_column_froms=True,
        )
        .join(art, art.c.id == ev.c.article_id)
        .order_by(*order)
    )
    p, day_col, id_col = _filtered(session, f, None, with_events=False)
    parties = (
        p.with_only_columns(
            ea.c.event_id, ea.c.role, ea.c.text, ea.c.name, ea.c.country, ea.c.sector, ea.c.sector2,
            maintain_column_froms=True,
        )
        .join(ea, ea.c.event_id == id_col)
        .order_by(*order, ea.c.role, ea.c.position)
    )  # fmt: skip
    return events, parties


def events_page(
    session: Session, f: EventFilter, limit: int = 100, offset: int = 0, cursor: str | None = None
) -> tuple[list[dict[str, Any]], str | None]:
    """One page of events and the cursor of the next page (None on the last page)."""
    limit = max(1, min(limit, MAX_LIMIT))
    keys = session.execute(event_ids(session, f, cursor).offset(offset).limit(limit + 1)).all()
    more = len(keys) > limit
    keys = keys[:limit]
    items = load_events(session, [k.id for k in keys])
    nxt = encode_cursor(keys[-1].day, keys[-1].id) if more and keys else None
    return items, nxt


def iter_events(session: Session, f: EventFilter, batch: int = 5000) -> Iterator[dict[str, Any]]:
    """All matching events, newest first, loaded a batch at a time (memory stays flat for exports)."""
    cursor: str | None = None
    while True:
        keys = session.execute(event_ids(session, f, cursor).limit(batch)).all()
        if not keys:
            return
        yield from load_events(session, [k.id for k in keys])
        if len(keys) < batch:
            return
        cursor = encode_cursor(keys[-1].day, keys[-1].id)


def load_events(session: Session, ids: Sequence[str]) -> list[dict[str, Any]]:
    """Events by id, in the order given, with their actors, recipients and article metadata."""
    if not ids:
        return []
    ea_t = EventActorRow.__table__
    rows = session.execute(load_statement(ids)).all()
    parties: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for p in session.execute(
        select(ea_t).where(ea_t.c.event_id.in_(ids)).order_by(ea_t.c.event_id, ea_t.c.role, ea_t.c.position)
    ):
        parties.setdefault(p.event_id, {"actor": [], "recipient": []})[p.role].append(
            {"text": p.text, "name": p.name, "country": p.country, "sector": p.sector, "sector2": p.sector2}
        )
    by_id = {}
    for r in rows:
        d = event_dict(r, parties.get(r.id, {}))
        d["url"], d["published"], d["title"] = r.url, r.published.isoformat() if r.published else None, r.title
        by_id[r.id] = d
    return [by_id[i] for i in ids if i in by_id]


def load_statement(ids: Sequence[str]) -> Select[Any]:
    """The SELECT of `load_events`: events by primary key with their article's url, date and title."""
    # Core rows, not ORM objects: building ORM instances was most of the cost of a large export.
    ev_t = EventRow.__table__
    return (
        select(ev_t, ArticleRow.url, ArticleRow.published, ArticleRow.title)
        .join(ArticleRow, ArticleRow.id == ev_t.c.article_id)
        .where(ev_t.c.id.in_(ids))
    )


def event_dict(row: Any, parties: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    ev = row._asdict()  # one conversion: attribute access on a Row costs more than the rest together
    location = None
    if ev["place_name"] or ev["lat"] is not None:
        location = {
            "name": ev["place_name"],
            "country": ev["place_country"],
            "lat": ev["lat"],
            "lon": ev["lon"],
            "geonameid": ev["geonameid"],
        }
    return {
        "id": ev["id"],
        "article_id": ev["article_id"],
        "outlet": ev["outlet"],
        "day": ev["day"].isoformat() if ev["day"] else None,
        "event": ev["event_type"],
        "mode": ev["mode"],
        "context": [c for c in ev["contexts"].split(";") if c],
        "quad_code": ev["quad_code"],
        "cameo": ev["cameo"],
        "goldstein": ev["goldstein"],
        "actor": parties.get("actor", []),
        "recipient": parties.get("recipient", []),
        "date": ev["date"].isoformat() if ev["date"] else None,
        "date_text": ev["date_text"],
        "location": location,
        "negated": ev["negated"],
        "modality": ev["modality"],
        "evidence": {"text": ev["evidence_text"], "start": ev["evidence_start"], "end": ev["evidence_end"]},
    }


def event_counts(session: Session, f: EventFilter, by: GroupBy) -> list[dict[str, Any]]:
    """Counts of asserted (not negated) events by day, ISO week or actor-recipient country pair."""
    f = EventFilter(**{**_fields(f), "negated": False})
    ids = event_ids(session, f).order_by(None).subquery()
    if by == "dyad":
        a, r = EventCountryRow.__table__.alias("a"), EventCountryRow.__table__.alias("r")
        q = (
            select(a.c.country.label("actor"), r.c.country.label("recipient"), func.count().label("n"))
            .select_from(ids)
            .join(a, and_(a.c.event_id == ids.c.id, a.c.role == "actor"))
            .join(r, and_(r.c.event_id == ids.c.id, r.c.role == "recipient"))
            .group_by(a.c.country, r.c.country)
        )
        rows = session.execute(q).all()
        out = [{"actor": x.actor, "recipient": x.recipient, "count": int(x.n)} for x in rows]
        return sorted(out, key=lambda d: (-d["count"], d["actor"], d["recipient"]))
    rows = session.execute(select(ids.c.day, func.count().label("n")).group_by(ids.c.day)).all()
    counts: Counter[str] = Counter()
    for day, n in rows:
        counts[_bucket(day, by)] += int(n)
    return [{by: k, "count": counts[k]} for k in sorted(counts)]


def _bucket(day: dt.date | None, by: GroupBy) -> str:
    if day is None:
        return "unknown"
    if by == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    return day.isoformat()


def _fields(f: EventFilter) -> dict[str, Any]:
    return {k: getattr(f, k) for k in EventFilter.__slots__}


STATS_WINDOW_DAYS = 90


@dataclass(frozen=True, slots=True)
class Window:
    """The days that `stats` and `top_dyads` count over (inclusive bounds; None: open)."""

    since: dt.date | None
    until: dt.date | None
    unknown: bool  # also the events whose day is unknown

    @classmethod
    def of(cls, session: Session, since: dt.date | None = None, until: dt.date | None = None) -> Window:
        """The bounds given; without either, the STATS_WINDOW_DAYS days up to the newest event's day and the
        undated events, so that a dashboard reads a bounded range of an index however large the store."""
        if since is not None or until is not None:
            return cls(since, until, unknown=False)
        newest = session.scalar(select(func.max(EventRow.day)))  # one index look-up
        if newest is None:
            return cls(None, None, unknown=True)
        return cls(newest - dt.timedelta(days=STATS_WINDOW_DAYS - 1), newest, unknown=True)

    def conditions(self, day: Any) -> list[ColumnElement[bool]]:
        """On the `day` column given: one condition per index range to read, the dated window and the
        unknown days when included (an OR of ranges is not always read through the index)."""
        if self.since is None and self.until is None:
            return [day.isnot(None)] + ([day.is_(None)] if self.unknown else [])
        dated = [day >= self.since] if self.since else []
        dated += [day <= self.until] if self.until else []
        return [and_(*dated)] + ([day.is_(None)] if self.unknown else [])


def stats(session: Session, since: dt.date | None = None, until: dt.date | None = None) -> dict[str, Any]:
    """Counts by day, by event type and by quad class, of the asserted (not negated) events in a window of
    days (see `Window.of`), the top actor-recipient pairs there, and the store's totals of articles and
    quotes. Grouped in SQL over a range of the `ix_events_stats` index (migration 0004), without table rows:
    the cost follows the window, not the store."""
    w = Window.of(session, since, until)
    counts: Counter[tuple[dt.date | None, str, str]] = Counter()
    for cond in w.conditions(EventRow.day):
        q = (
            select(EventRow.day, EventRow.event_type, EventRow.quad_code, func.count().label("n"))
            .where(cond, EventRow.negated.is_(False))
            .group_by(EventRow.day, EventRow.event_type, EventRow.quad_code)
        )
        for day, etype, quad, n in session.execute(q):
            counts[day, etype, quad] += int(n)
    by_type: dict[str, Counter[str]] = {}
    by_quad: dict[str, Counter[str]] = {}
    for (day, etype, quad), n in counts.items():
        key = day.isoformat() if day else "unknown"
        by_type.setdefault(etype, Counter())[key] += n
        by_quad.setdefault(quad, Counter())[key] += n
    return {
        "since": w.since.isoformat() if w.since else None,
        "until": w.until.isoformat() if w.until else None,
        "articles": int(session.scalar(select(func.count()).select_from(ArticleRow)) or 0),
        "events": sum(counts.values()),
        "quotes": int(session.scalar(select(func.count()).select_from(QuoteRow)) or 0),
        "by_type": {k: dict(sorted(v.items())) for k, v in sorted(by_type.items())},
        "by_quad_class": {k: dict(sorted(v.items())) for k, v in sorted(by_quad.items())},
        "top_dyads": top_dyads(session, window=w),
    }


def top_dyads(
    session: Session,
    n: int = 10,
    since: dt.date | None = None,
    until: dt.date | None = None,
    window: Window | None = None,
) -> list[dict[str, Any]]:
    """The `n` commonest (actor country, recipient country) pairs of asserted events in a window of days
    (`Window.of`), by count, then codes: a GROUP BY over a range of the `event_dyads` index (migration 0004)."""
    w = window or Window.of(session, since, until)
    d = EventDyadRow
    pairs: Counter[tuple[str, str]] = Counter()
    for cond in w.conditions(d.day):
        q = select(d.actor, d.recipient, func.count()).where(cond, d.negated.is_(False)).group_by(d.actor, d.recipient)
        for actor, recipient, count in session.execute(q):
            pairs[actor, recipient] += int(count)
    top = sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
    return [{"actor": x, "recipient": y, "count": c} for (x, y), c in top]


# --- quotes -------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QuoteFilter:
    speaker: str | None = None  # case-insensitive part of the resolved speaker name (or its mention)
    outlet: str | None = None
    story: str | None = None
    article: str | None = None


def quotes(session: Session, f: QuoteFilter, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
    q = select(QuoteRow, ArticleRow.title).join(ArticleRow, ArticleRow.id == QuoteRow.article_id)
    if f.speaker:
        pattern = f"%{_like_escape(f.speaker)}%"
        q = q.where(
            or_(QuoteRow.speaker_name.ilike(pattern, escape="\\"), QuoteRow.speaker_text.ilike(pattern, escape="\\"))
        )
    if f.outlet:
        q = q.where(QuoteRow.outlet == f.outlet)
    if f.article:
        q = q.where(QuoteRow.article_id == f.article)
    if f.story:
        members = select(STORY_MEMBERS.c.article_id).where(STORY_MEMBERS.c.story_id == f.story)
        q = q.where(QuoteRow.article_id.in_(members))
    q = q.order_by(_nulls_last_desc(session, QuoteRow.day), QuoteRow.id).offset(offset)
    q = q.limit(max(1, min(limit, MAX_LIMIT)))
    return [_quote_dict(row, title) for row, title in session.execute(q)]


def _like_escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _quote_dict(r: QuoteRow, title: str | None) -> dict[str, Any]:
    speaker = None
    if r.speaker_text is not None or r.speaker_name is not None:
        actor = None
        if r.speaker_country or r.speaker_sector:
            actor = {"country": r.speaker_country, "sector": r.speaker_sector}
        speaker = {"text": r.speaker_text, "name": r.speaker_name, "actor": actor}
    return {
        "id": r.id,
        "article_id": r.article_id,
        "title": title,
        "outlet": r.outlet,
        "day": r.day.isoformat() if r.day else None,
        "text": r.text,
        "start": r.start,
        "end": r.end,
        "kind": r.kind,
        "speaker": speaker,
        "cue": r.cue,
    }


# --- articles and stories -----------------------------------------------------------------------------------


def article_records(session: Session, article_id: str) -> dict[str, list[dict[str, Any]]]:
    """The normalised records of one article (for its page): times, places, actors, quotes, events."""

    def rows(model: Any) -> list[Any]:
        return list(session.scalars(select(model).where(model.article_id == article_id).order_by(model.ordinal)))

    span = ("text", "start", "end")
    ids = [e.id for e in rows(EventRow)]
    return {
        "times": [_cols(t, (*span, "value", "granularity", "certainty")) for t in rows(TimeRow)],
        "places": [_cols(p, (*span, "name", "country", "lat", "lon", "geonameid")) for p in rows(PlaceRow)],
        "actors": [_cols(a, (*span, "name", "country", "sector", "sector2")) for a in rows(ActorRow)],
        "quotes": quotes(session, QuoteFilter(article=article_id), limit=MAX_LIMIT),
        "events": load_events(session, ids),
    }


def _cols(row: Any, names: Sequence[str]) -> dict[str, Any]:
    return {n: getattr(row, n) for n in names}


def stories(session: Session, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
    q = (
        select(STORIES)
        .order_by(STORIES.c.first_seen.desc(), STORIES.c.id)
        .offset(offset)
        .limit(max(1, min(limit, MAX_LIMIT)))
    )
    return [_story_dict(r._mapping) for r in session.execute(q)]


def story(session: Session, story_id: str) -> dict[str, Any] | None:
    row = session.execute(select(STORIES).where(STORIES.c.id == story_id)).first()
    if row is None:
        return None
    d = _story_dict(row._mapping)
    arts = session.execute(
        select(ArticleRow.id, ArticleRow.outlet, ArticleRow.title, ArticleRow.published, ArticleRow.source_path)
        .join(STORY_MEMBERS, STORY_MEMBERS.c.article_id == ArticleRow.id)
        .where(STORY_MEMBERS.c.story_id == story_id)
        .order_by(ArticleRow.outlet, ArticleRow.published, ArticleRow.id)
    ).all()
    d["articles"] = [
        {
            "id": a.id,
            "outlet": a.outlet,
            "title": a.title,
            "published": a.published.isoformat() if a.published else None,
            "source_path": a.source_path,
        }
        for a in arts
    ]
    return d


def _story_dict(m: Any) -> dict[str, Any]:
    def iso(v: Any) -> Any:
        return v.isoformat() if isinstance(v, dt.date) else v

    return {
        "story_id": m["id"],
        "title": m["title"],
        "first_seen": iso(m["first_seen"]),
        "last_seen": iso(m["last_seen"]),
        "n_articles": m["n_articles"],
        "outlets": m["outlets"] or [],
    }


def article_page(session: Session, limit: int = 100, offset: int = 0, outlet: str | None = None) -> list[Any]:
    """Article rows, newest first, without their text."""
    q = select(ArticleRow)
    if outlet:
        q = q.where(ArticleRow.outlet == outlet)
    q = q.order_by(_nulls_last_desc(session, ArticleRow.published), ArticleRow.id).offset(offset)
    return list(session.scalars(q.limit(max(1, min(limit, MAX_LIMIT)))))


def outlets(session: Session) -> list[str]:
    return [o for o in session.scalars(select(ArticleRow.outlet).where(ArticleRow.outlet.isnot(None)).distinct()) if o]
