"""The store: articles and their analyses in SQLite (default) or PostgreSQL (by URL).

Owns the connection, migrations and idempotent writes: one transaction per article, keyed by the article id
(a content hash), so re-ingesting changes nothing and a killed ingest resumes without duplicates.
It does not analyse anything; it stores what the pipeline produced.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Engine, create_engine, event, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from eventdesk.ingest import dedup
from eventdesk.model import SCHEMA_VERSION, Analysis
from eventdesk.store import records
from eventdesk.store.schema import AnalysisRow, ArticleRow, BandRow

DEFAULT_DB = "eventdesk.db"
MIGRATIONS = Path(__file__).parent / "migrations"


def url_of(db: str) -> str:
    """A file path means SQLite; anything with a scheme is a SQLAlchemy URL."""
    if "://" in db:
        return db
    return f"sqlite:///{Path(db).expanduser()}"


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def connect(db: str) -> Engine:
    engine = create_engine(url_of(db))
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision` with Alembic (tables are never created any other way)."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


class Store:
    """One database. Also the near-duplicate index of `dedup` (band look-ups through an index)."""

    def __init__(self, db: str = DEFAULT_DB, upgrade: bool = True) -> None:
        self.db = db
        self.engine = connect(db)
        if upgrade:
            migrate(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    # --- writes -----------------------------------------------------------------------------------

    def has(self, article_id: str) -> bool:
        with Session(self.engine) as s:
            return s.get(ArticleRow, article_id) is not None

    def add(self, analysis: Analysis, sig: np.ndarray | None = None, band_keys: Iterable[str] = ()) -> bool:
        """Store one analysed article in one transaction. False if it was already stored (nothing changes)."""
        a = analysis.article
        row = ArticleRow(
            id=a.id,
            source_path=a.source_path,
            title=a.title,
            outlet=a.outlet,
            outlet_country=a.outlet_country,
            url=a.url,
            published=dt.date.fromisoformat(a.published) if a.published else None,
            published_certainty=a.published_certainty,
            text=a.text,
            content_hash=a.content_hash,
            duplicate_of=a.duplicate_of,
            duplicate_kind=a.duplicate_kind,
            minhash=dedup.pack(sig) if sig is not None else None,
            ingested_at=dt.datetime.now(dt.UTC),
        )
        try:
            with Session(self.engine) as s, s.begin():
                if s.get(ArticleRow, a.id) is not None:
                    return False
                s.add(row)
                s.flush()
                s.add(AnalysisRow(article_id=a.id, schema_version=SCHEMA_VERSION, data=analysis.to_dict()))
                # Duplicates are not indexed: later copies then point at the original, not at a copy.
                if a.duplicate_of is None:
                    s.add_all(BandRow(band=k, article_id=a.id) for k in band_keys)
                s.flush()
                records.write(s, analysis)
        except IntegrityError:
            return False  # stored meanwhile by another writer: same id, same content
        return True

    def delete(self, article_id: str) -> bool:
        """Remove an article and everything derived from it (foreign keys cascade). False if it was absent."""
        with Session(self.engine) as s, s.begin():
            row = s.get(ArticleRow, article_id)
            if row is None:
                return False
            s.delete(row)
        return True

    def session(self) -> Session:
        """A read session for the query functions in `eventdesk.store.query`."""
        return Session(self.engine)

    # --- dedup.Index ------------------------------------------------------------------------------

    def by_hash(self, content_hash: str) -> str | None:
        with Session(self.engine) as s:
            return s.scalars(
                select(ArticleRow.id)
                .where(ArticleRow.content_hash == content_hash, ArticleRow.duplicate_of.is_(None))
                .order_by(ArticleRow.ingested_at, ArticleRow.id)
                .limit(1)
            ).first()

    def candidates(self, band_keys: Iterable[str]) -> Iterator[tuple[str, np.ndarray]]:
        keys = list(band_keys)
        with Session(self.engine) as s:
            rows = s.execute(
                select(ArticleRow.id, ArticleRow.minhash)
                .join(BandRow, BandRow.article_id == ArticleRow.id)
                .where(BandRow.band.in_(keys))
                .distinct()
            ).all()
        for aid, packed in rows:
            if packed:
                yield aid, dedup.unpack(packed)

    # --- reads ------------------------------------------------------------------------------------

    def articles(self, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
        with Session(self.engine) as s:
            q = (
                select(ArticleRow)
                .order_by(ArticleRow.published.is_(None), ArticleRow.published, ArticleRow.id)
                .offset(offset)
            )
            if limit:
                q = q.limit(limit)
            return [article_summary(r) for r in s.scalars(q)]

    def analysis(self, article_id: str) -> Analysis | None:
        with Session(self.engine) as s:
            row = s.get(AnalysisRow, article_id)
            return Analysis.from_dict(row.data) if row else None

    def count(self) -> int:
        with Session(self.engine) as s:
            return int(s.scalar(select(func.count()).select_from(ArticleRow)) or 0)


def article_summary(r: ArticleRow) -> dict[str, Any]:
    """An article without its text, as `articles` and the API list it."""
    return {
        "id": r.id,
        "source_path": r.source_path,
        "title": r.title,
        "outlet": r.outlet,
        "outlet_country": r.outlet_country,
        "url": r.url,
        "published": r.published.isoformat() if r.published else None,
        "published_certainty": r.published_certainty,
        "duplicate_of": r.duplicate_of,
        "duplicate_kind": r.duplicate_kind,
        "chars": len(r.text),
    }
