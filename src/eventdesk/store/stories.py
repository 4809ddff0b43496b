"""Database access for stories: the tables of migration 0002 and the reads and writes `eventdesk.stories` needs.

Owns SQL only: which article is in which story and component, the stored similarity features, the
term -> article index used for candidate look-ups, and the story rows. The clustering itself lives in
`eventdesk.stories`. Tables are created by the migration, never by `metadata.create_all`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    ColumnElement,
    Connection,
    Date,
    Engine,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    and_,
    delete,
    insert,
    or_,
    select,
)

from eventdesk.store.schema import ArticleRow

# A MetaData of its own: these tables belong to migration 0002, not to the foundation's declarative Base.
metadata = MetaData()

stories = Table(
    "stories",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("title", Text),
    Column("first_seen", Date),
    Column("last_seen", Date),
    Column("n_articles", Integer, nullable=False),
    Column("outlets", JSON, nullable=False),
    Column("title_article", String(64)),
)

members = Table(
    "story_members",
    metadata,
    Column("article_id", String(64), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("story_id", String(64), nullable=False),
    Column("component", String(64), nullable=False),
    Column("day", Integer),
    Column("duplicate_of", String(64)),
    Column("features", JSON, nullable=False),
)

terms = Table(
    "story_terms",
    metadata,
    Column("term", String(80), primary_key=True),
    Column("article_id", String(64), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("day", Integer),
)

# Mirror of the foundation's articles table for joins (read-only here).
_articles = ArticleRow.__table__


@dataclass(slots=True)
class Member:
    """One clustered article as the clustering sees it."""

    article_id: str
    day: int | None
    duplicate_of: str | None
    features: dict[str, float]
    component: str = ""
    story_id: str = ""


@dataclass(slots=True)
class StoryRow:
    id: str
    title: str | None
    first_seen: dt.date | None
    last_seen: dt.date | None
    n_articles: int
    outlets: list[str]
    title_article: str | None


def member(conn: Connection, article_id: str) -> Member | None:
    row = conn.execute(select(members).where(members.c.article_id == article_id)).first()
    return _member(row) if row else None


def _member(row: Any) -> Member:
    return Member(row.article_id, row.day, row.duplicate_of, dict(row.features), row.component, row.story_id)


def candidates(conn: Connection, keys: Sequence[str], day: int | None, window: int) -> set[str]:
    """Articles sharing a key term, published within `window` days of `day` or undated (any day if `day` is None)."""
    if not keys:
        return set()
    cond: ColumnElement[bool] = terms.c.term.in_(list(keys))
    if day is not None:
        cond = and_(cond, or_(terms.c.day.between(day - window, day + window), terms.c.day.is_(None)))
    return set(conn.scalars(select(terms.c.article_id).where(cond).distinct()))


def copies_of(conn: Connection, article_id: str) -> set[str]:
    """Clustered articles marked as near-duplicates of `article_id` (the copy can arrive before the original)."""
    return set(conn.scalars(select(members.c.article_id).where(members.c.duplicate_of == article_id)))


def members_by_id(conn: Connection, ids: Iterable[str]) -> list[Member]:
    ids = list(ids)
    out: list[Member] = []
    for i in range(0, len(ids), 500):  # stay under SQLite's bound-parameter limit
        out += [_member(r) for r in conn.execute(select(members).where(members.c.article_id.in_(ids[i : i + 500])))]
    return out


def component_members(conn: Connection, components: Iterable[str]) -> list[Member]:
    comps = list(components)
    if not comps:
        return []
    return [_member(r) for r in conn.execute(select(members).where(members.c.component.in_(comps)))]


def add_member(conn: Connection, m: Member, keys: Iterable[str]) -> None:
    conn.execute(
        insert(members).values(
            article_id=m.article_id,
            story_id=m.story_id,
            component=m.component,
            day=m.day,
            duplicate_of=m.duplicate_of,
            features=m.features,
        )
    )
    rows = [{"term": k, "article_id": m.article_id, "day": m.day} for k in sorted(set(keys))]
    if rows:
        conn.execute(insert(terms), rows)


def set_assignments(conn: Connection, assignments: dict[str, tuple[str, str]]) -> None:
    """article id -> (component, story id)."""
    for aid, (comp, sid) in assignments.items():
        conn.execute(members.update().where(members.c.article_id == aid).values(component=comp, story_id=sid))


def replace_stories(conn: Connection, old_ids: Iterable[str], new: Iterable[StoryRow]) -> None:
    old = list(old_ids)
    if old:
        conn.execute(delete(stories).where(stories.c.id.in_(old)))
    rows = [
        {
            "id": s.id,
            "title": s.title,
            "first_seen": s.first_seen,
            "last_seen": s.last_seen,
            "n_articles": s.n_articles,
            "outlets": s.outlets,
            "title_article": s.title_article,
        }
        for s in new
    ]
    if rows:
        conn.execute(insert(stories), rows)


def article_meta(conn: Connection, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """id -> {id, source_path, outlet, title, published} for the given articles."""
    ids = list(ids)
    out: dict[str, dict[str, Any]] = {}
    a = _articles.c
    for i in range(0, len(ids), 500):
        q = select(a.id, a.source_path, a.outlet, a.title, a.published).where(a.id.in_(ids[i : i + 500]))
        for r in conn.execute(q):
            out[r.id] = {
                "id": r.id,
                "source_path": r.source_path,
                "outlet": r.outlet,
                "title": r.title,
                "published": r.published,
            }
    return out


def all_article_ids(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.scalars(select(_articles.c.id).order_by(_articles.c.id)))


def clear(conn: Connection) -> None:
    conn.execute(delete(terms))
    conn.execute(delete(members))
    conn.execute(delete(stories))


def list_stories(engine: Engine) -> list[tuple[StoryRow, list[dict[str, Any]]]]:
    """Every story with its articles (id, source_path, outlet, title, published, duplicate_of), oldest first."""
    a = _articles.c
    with engine.connect() as conn:
        srows = conn.execute(
            select(stories).order_by(stories.c.first_seen.is_(None), stories.c.first_seen, stories.c.id)
        ).all()
        arts: dict[str, list[dict[str, Any]]] = {}
        q = select(members.c.story_id, members.c.duplicate_of, a.id, a.source_path, a.outlet, a.title, a.published)
        q = q.join(_articles, _articles.c.id == members.c.article_id)
        for r in conn.execute(q.order_by(a.published.is_(None), a.published, a.id)):
            arts.setdefault(r.story_id, []).append(
                {
                    "id": r.id,
                    "source_path": r.source_path,
                    "outlet": r.outlet,
                    "title": r.title,
                    "published": r.published.isoformat() if r.published else None,
                    "duplicate_of": r.duplicate_of,
                }
            )
    return [(_story(r), arts.get(r.id, [])) for r in srows]


def story(engine: Engine, story_id: str) -> StoryRow | None:
    with engine.connect() as conn:
        r = conn.execute(select(stories).where(stories.c.id == story_id)).first()
        return _story(r) if r else None


def story_article_ids(engine: Engine, story_id: str) -> list[str]:
    with engine.connect() as conn:
        return list(
            conn.scalars(
                select(members.c.article_id).where(members.c.story_id == story_id).order_by(members.c.article_id)
            )
        )


def _story(r: Any) -> StoryRow:
    return StoryRow(r.id, r.title, r.first_seen, r.last_seen, r.n_articles, list(r.outlets), r.title_article)
