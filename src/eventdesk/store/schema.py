"""The store's tables (SQLAlchemy 2). Tables are created by Alembic migrations only (store/migrations)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column


class Base(DeclarativeBase):
    pass


class ArticleRow(Base):
    __tablename__ = "articles"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    source_path: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    outlet: Mapped[str | None] = mapped_column(String(200), index=True)
    outlet_country: Mapped[str | None] = mapped_column(String(8))
    url: Mapped[str | None] = mapped_column(Text)
    published: Mapped[dt.date | None] = mapped_column(Date, index=True)
    published_certainty: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    duplicate_of: Mapped[str | None] = mapped_column(String(64), ForeignKey("articles.id", ondelete="SET NULL"))
    duplicate_kind: Mapped[str | None] = mapped_column(String(8))
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary)
    ingested_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class AnalysisRow(Base):
    __tablename__ = "analyses"

    article_id: Mapped[str] = mapped_column(String(64), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    schema_version: Mapped[str] = mapped_column(String(10))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class BandRow(Base):
    """MinHash LSH bands: near-duplicate candidates by index look-up, not by scanning articles."""

    __tablename__ = "article_bands"

    band: Mapped[str] = mapped_column(String(24), primary_key=True)
    article_id: Mapped[str] = mapped_column(String(64), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)

    __table_args__ = (Index("ix_article_bands_article", "article_id"),)


# --- normalised analysis records (migration 0003) ---------------------------------------------------------
# One row per record of an Analysis, written in the article's transaction. Ids are "<article id>:<ordinal>",
# so the same article always gives the same rows. `day` (the event's date, else the article's publication
# date) and `outlet` are copied onto events, quotes and event_countries so that the common filters are
# answered from one index without joining articles.


class OutletRow(Base):
    __tablename__ = "outlets"

    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    country: Mapped[str | None] = mapped_column(String(8))
    ownership: Mapped[str | None] = mapped_column(String(40))


class _ArticleRecord:
    """Columns of every record extracted from an article: `<article id>:<n>`, its article, its order."""

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    ordinal: Mapped[int] = mapped_column(Integer)

    @declared_attr
    def article_id(cls) -> Mapped[str]:
        return mapped_column(String(64), ForeignKey("articles.id", ondelete="CASCADE"), index=True)


class _SpanRecord(_ArticleRecord):
    """A record that is a stretch of the article text (times, places, actors, quotes)."""

    text: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)


class TimeRow(_SpanRecord, Base):
    __tablename__ = "times"

    value: Mapped[str | None] = mapped_column(String(40))
    granularity: Mapped[str] = mapped_column(String(10))
    certainty: Mapped[str] = mapped_column(String(12))


class PlaceRow(_SpanRecord, Base):
    __tablename__ = "places"

    name: Mapped[str] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(String(8), index=True)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    geonameid: Mapped[int | None] = mapped_column(BigInteger)


class ActorRow(_SpanRecord, Base):
    __tablename__ = "actors"

    name: Mapped[str | None] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(String(8), index=True)
    sector: Mapped[str | None] = mapped_column(String(8))
    sector2: Mapped[str | None] = mapped_column(String(8))


class QuoteRow(_SpanRecord, Base):
    __tablename__ = "quotes"

    kind: Mapped[str] = mapped_column(String(16))
    speaker_text: Mapped[str | None] = mapped_column(Text)
    speaker_name: Mapped[str | None] = mapped_column(String(300), index=True)
    speaker_country: Mapped[str | None] = mapped_column(String(8))
    speaker_sector: Mapped[str | None] = mapped_column(String(8))
    cue: Mapped[str | None] = mapped_column(String(80))
    outlet: Mapped[str | None] = mapped_column(String(200))
    day: Mapped[dt.date | None] = mapped_column(Date)

    __table_args__ = (Index("ix_quotes_outlet_day", "outlet", "day"),)


class EventRow(_ArticleRecord, Base):
    __tablename__ = "events"

    event_type: Mapped[str] = mapped_column(String(20))
    mode: Mapped[str | None] = mapped_column(String(40))
    contexts: Mapped[str] = mapped_column(Text)  # ";"-joined PLOVER contexts, as in POLECAT releases
    quad_code: Mapped[str] = mapped_column(String(24))
    cameo: Mapped[str] = mapped_column(String(8))
    goldstein: Mapped[float] = mapped_column(Float)
    date: Mapped[dt.date | None] = mapped_column(Date)  # the event's own date, when the article gives one
    date_text: Mapped[str | None] = mapped_column(Text)
    day: Mapped[dt.date | None] = mapped_column(Date)  # date, else the article's publication date
    place_name: Mapped[str | None] = mapped_column(Text)
    place_country: Mapped[str | None] = mapped_column(String(8))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    geonameid: Mapped[int | None] = mapped_column(BigInteger)
    negated: Mapped[bool] = mapped_column(Boolean)
    modality: Mapped[str] = mapped_column(String(16))
    evidence_text: Mapped[str] = mapped_column(Text)
    evidence_start: Mapped[int] = mapped_column(Integer)
    evidence_end: Mapped[int] = mapped_column(Integer)
    outlet: Mapped[str | None] = mapped_column(String(200))

    __table_args__ = (
        Index("ix_events_day_id", "day", "id"),
        Index("ix_events_type_day", "event_type", "day"),
        Index("ix_events_outlet_day", "outlet", "day"),
        Index("ix_events_stats", "day", "negated", "event_type", "quad_code"),  # migration 0004
    )


class EventActorRow(Base):
    """Every actor and recipient of an event, in order (`role` is "actor" or "recipient")."""

    __tablename__ = "event_actors"

    event_id: Mapped[str] = mapped_column(String(80), ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(10), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str | None] = mapped_column(Text)
    name: Mapped[str | None] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(String(8))
    sector: Mapped[str | None] = mapped_column(String(8))
    sector2: Mapped[str | None] = mapped_column(String(8))


class EventCountryRow(Base):
    """Filter index: one row per (event, role, country), with the event's day, so that "events whose actor is
    RUS between two dates" is one ordered index range, however many events there are."""

    __tablename__ = "event_countries"

    role: Mapped[str] = mapped_column(String(10), primary_key=True)
    country: Mapped[str] = mapped_column(String(8), primary_key=True)
    day: Mapped[dt.date | None] = mapped_column(Date)
    event_id: Mapped[str] = mapped_column(String(80), ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)

    __table_args__ = (
        Index("ix_event_countries_filter", "role", "country", "day", "event_id"),
        Index("ix_event_countries_event_role", "event_id", "role", "country"),  # migration 0004
    )


class EventDyadRow(Base):
    """Counting index (migration 0004): one row per (event, actor country, recipient country), with the event's
    day and negation, so that "top pairs between two dates" is a GROUP BY over one index range instead of a
    join of `event_countries` with itself for every event in the range."""

    __tablename__ = "event_dyads"

    event_id: Mapped[str] = mapped_column(String(80), ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    actor: Mapped[str] = mapped_column(String(8), primary_key=True)
    recipient: Mapped[str] = mapped_column(String(8), primary_key=True)
    day: Mapped[dt.date | None] = mapped_column(Date)
    negated: Mapped[bool] = mapped_column(Boolean)

    __table_args__ = (Index("ix_event_dyads_day", "day", "negated", "actor", "recipient"),)
