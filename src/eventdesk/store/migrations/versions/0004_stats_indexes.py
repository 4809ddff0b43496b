"""counting indexes for the dashboard and /api/stats: events by day, type and quad class; actor-recipient pairs

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _day() -> sa.TextClause | str:
    """`day` NULLS FIRST on PostgreSQL, as in 0003 (SQLite sorts NULL first already)."""
    return sa.text("day NULLS FIRST") if op.get_bind().dialect.name == "postgresql" else "day"


def upgrade() -> None:
    # Counts by day, type and quad class are read from a range of this index alone, without table rows.
    op.create_index("ix_events_stats", "events", [_day(), "negated", "event_type", "quad_code"])
    # Actor-recipient pairs: one row per (event, actor country, recipient country), written by ingest
    # (store.records) beside event_countries; counted by GROUP BY over a range of ix_event_dyads_day.
    op.create_table(
        "event_dyads",
        sa.Column("event_id", sa.String(80), sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("actor", sa.String(8), primary_key=True),
        sa.Column("recipient", sa.String(8), primary_key=True),
        sa.Column("day", sa.Date()),
        sa.Column("negated", sa.Boolean(), nullable=False),
    )
    # An event's countries by (event_id, role): replaces the event_id index (a prefix of it). Without it,
    # SQLite (no ANALYZE statistics) may look up the other role through the (role, ...) index instead, for
    # every event: the backfill below, and any join of event_countries with itself, then never ends.
    op.create_index("ix_event_countries_event_role", "event_countries", ["event_id", "role", "country"])
    op.drop_index("ix_event_countries_event", table_name="event_countries")
    # Backfill from the events already stored, in SQL (no Python per row: stores may hold millions).
    op.execute(
        "INSERT INTO event_dyads (event_id, actor, recipient, day, negated) "
        "SELECT e.id, a.country, r.country, e.day, e.negated FROM events e "
        "JOIN event_countries a ON a.event_id = e.id AND a.role = 'actor' "
        "JOIN event_countries r ON r.event_id = e.id AND r.role = 'recipient'"
    )
    op.create_index("ix_event_dyads_day", "event_dyads", [_day(), "negated", "actor", "recipient"])


def downgrade() -> None:
    op.drop_table("event_dyads")
    op.create_index("ix_event_countries_event", "event_countries", ["event_id"])
    op.drop_index("ix_event_countries_event_role", table_name="event_countries")
    op.drop_index("ix_events_stats", table_name="events")
