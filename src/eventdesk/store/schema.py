"""The store's tables (SQLAlchemy 2). Tables are created by Alembic migrations only (store/migrations)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


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
