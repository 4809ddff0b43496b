"""outlets, times, places, actors, quotes, events with their actors and recipients

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _article_fk() -> sa.Column:
    return sa.Column("article_id", sa.String(64), sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False)


def _span() -> list[sa.Column]:
    return [
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
    ]


def _day(name: str = "day") -> sa.TextClause | str:
    """Index `day` NULLS FIRST on PostgreSQL: lists run newest first with unknown days last
    (DESC NULLS LAST), which is then a backward index scan. SQLite sorts NULL first already."""
    return sa.text(f"{name} NULLS FIRST") if op.get_bind().dialect.name == "postgresql" else name


def upgrade() -> None:
    op.create_table(
        "outlets",
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("country", sa.String(8)),
        sa.Column("ownership", sa.String(40)),
    )
    op.create_table(
        "times",
        sa.Column("id", sa.String(80), primary_key=True),
        _article_fk(),
        *_span(),
        sa.Column("value", sa.String(40)),
        sa.Column("granularity", sa.String(10), nullable=False),
        sa.Column("certainty", sa.String(12), nullable=False),
    )
    op.create_index("ix_times_article_id", "times", ["article_id"])
    op.create_table(
        "places",
        sa.Column("id", sa.String(80), primary_key=True),
        _article_fk(),
        *_span(),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("country", sa.String(8)),
        sa.Column("lat", sa.Float()),
        sa.Column("lon", sa.Float()),
        sa.Column("geonameid", sa.BigInteger()),
    )
    op.create_index("ix_places_article_id", "places", ["article_id"])
    op.create_index("ix_places_country", "places", ["country"])
    op.create_table(
        "actors",
        sa.Column("id", sa.String(80), primary_key=True),
        _article_fk(),
        *_span(),
        sa.Column("name", sa.Text()),
        sa.Column("country", sa.String(8)),
        sa.Column("sector", sa.String(8)),
        sa.Column("sector2", sa.String(8)),
    )
    op.create_index("ix_actors_article_id", "actors", ["article_id"])
    op.create_index("ix_actors_country", "actors", ["country"])
    op.create_table(
        "quotes",
        sa.Column("id", sa.String(80), primary_key=True),
        _article_fk(),
        *_span(),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("speaker_text", sa.Text()),
        sa.Column("speaker_name", sa.String(300)),
        sa.Column("speaker_country", sa.String(8)),
        sa.Column("speaker_sector", sa.String(8)),
        sa.Column("cue", sa.String(80)),
        sa.Column("outlet", sa.String(200)),
        sa.Column("day", sa.Date()),
    )
    op.create_index("ix_quotes_article_id", "quotes", ["article_id"])
    op.create_index("ix_quotes_speaker_name", "quotes", ["speaker_name"])
    op.create_index("ix_quotes_outlet_day", "quotes", ["outlet", _day()])
    op.create_table(
        "events",
        sa.Column("id", sa.String(80), primary_key=True),
        _article_fk(),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("event_type", sa.String(20), nullable=False),
        sa.Column("mode", sa.String(40)),
        sa.Column("contexts", sa.Text(), nullable=False),
        sa.Column("quad_code", sa.String(24), nullable=False),
        sa.Column("cameo", sa.String(8), nullable=False),
        sa.Column("goldstein", sa.Float(), nullable=False),
        sa.Column("date", sa.Date()),
        sa.Column("date_text", sa.Text()),
        sa.Column("day", sa.Date()),
        sa.Column("place_name", sa.Text()),
        sa.Column("place_country", sa.String(8)),
        sa.Column("lat", sa.Float()),
        sa.Column("lon", sa.Float()),
        sa.Column("geonameid", sa.BigInteger()),
        sa.Column("negated", sa.Boolean(), nullable=False),
        sa.Column("modality", sa.String(16), nullable=False),
        sa.Column("evidence_text", sa.Text(), nullable=False),
        sa.Column("evidence_start", sa.Integer(), nullable=False),
        sa.Column("evidence_end", sa.Integer(), nullable=False),
        sa.Column("outlet", sa.String(200)),
    )
    op.create_index("ix_events_article_id", "events", ["article_id"])
    op.create_index("ix_events_day_id", "events", [_day(), "id"])
    op.create_index("ix_events_type_day", "events", ["event_type", _day()])
    op.create_index("ix_events_outlet_day", "events", ["outlet", _day()])
    op.create_table(
        "event_actors",
        sa.Column("event_id", sa.String(80), sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("role", sa.String(10), primary_key=True),
        sa.Column("position", sa.Integer(), primary_key=True),
        sa.Column("text", sa.Text()),
        sa.Column("name", sa.Text()),
        sa.Column("country", sa.String(8)),
        sa.Column("sector", sa.String(8)),
        sa.Column("sector2", sa.String(8)),
    )
    op.create_table(
        "event_countries",
        sa.Column("role", sa.String(10), primary_key=True),
        sa.Column("country", sa.String(8), primary_key=True),
        sa.Column("day", sa.Date()),
        sa.Column("event_id", sa.String(80), sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    )
    op.create_index("ix_event_countries_filter", "event_countries", ["role", "country", _day(), "event_id"])
    op.create_index("ix_event_countries_event", "event_countries", ["event_id"])
    _backfill()


def _backfill() -> None:
    """Stores made before this revision keep their analyses as JSON: fill the new tables from them."""
    import json

    from sqlalchemy.orm import Session

    from eventdesk.model import Analysis
    from eventdesk.store import records

    session = Session(bind=op.get_bind())
    for (data,) in session.execute(sa.text("SELECT data FROM analyses")):
        records.write(session, Analysis.from_dict(json.loads(data) if isinstance(data, str) else data))
    session.flush()


def downgrade() -> None:
    for table in ("event_countries", "event_actors", "events", "quotes", "actors", "places", "times", "outlets"):
        op.drop_table(table)
