"""articles, analyses and MinHash bands

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("source_path", sa.Text()),
        sa.Column("title", sa.Text()),
        sa.Column("outlet", sa.String(200)),
        sa.Column("outlet_country", sa.String(8)),
        sa.Column("url", sa.Text()),
        sa.Column("published", sa.Date()),
        sa.Column("published_certainty", sa.String(10), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("duplicate_of", sa.String(64), sa.ForeignKey("articles.id", ondelete="SET NULL")),
        sa.Column("duplicate_kind", sa.String(8)),
        sa.Column("minhash", sa.LargeBinary()),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_articles_outlet", "articles", ["outlet"])
    op.create_index("ix_articles_published", "articles", ["published"])
    op.create_index("ix_articles_content_hash", "articles", ["content_hash"])
    op.create_table(
        "analyses",
        sa.Column("article_id", sa.String(64), sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("schema_version", sa.String(10), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
    )
    op.create_table(
        "article_bands",
        sa.Column("band", sa.String(24), primary_key=True),
        sa.Column("article_id", sa.String(64), sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    )
    op.create_index("ix_article_bands_article", "article_bands", ["article_id"])


def downgrade() -> None:
    op.drop_table("article_bands")
    op.drop_table("analyses")
    op.drop_table("articles")
