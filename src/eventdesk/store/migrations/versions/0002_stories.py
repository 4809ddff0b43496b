"""stories, story membership and the story term index

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stories",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("title", sa.Text()),
        sa.Column("first_seen", sa.Date()),
        sa.Column("last_seen", sa.Date()),
        sa.Column("n_articles", sa.Integer(), nullable=False),
        sa.Column("outlets", sa.JSON(), nullable=False),
        sa.Column("title_article", sa.String(64)),
    )
    op.create_index("ix_stories_first_seen", "stories", ["first_seen"])
    # One row per clustered article: its story, its linked component (the unit that is re-clustered when an
    # article joins), the features the similarity is computed from (so a look-up
    # never re-reads article text) and the day it was published (days since 1970-01-01; NULL when unknown).
    op.create_table(
        "story_members",
        sa.Column("article_id", sa.String(64), sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("story_id", sa.String(64), nullable=False),
        sa.Column("component", sa.String(64), nullable=False),
        sa.Column("day", sa.Integer()),
        sa.Column("duplicate_of", sa.String(64)),
        sa.Column("features", sa.JSON(), nullable=False),
    )
    op.create_index("ix_story_members_story", "story_members", ["story_id"])
    op.create_index("ix_story_members_component", "story_members", ["component"])
    op.create_index("ix_story_members_duplicate_of", "story_members", ["duplicate_of"])
    # Inverted index: key term -> article, with the publication day so a look-up reads only a date window.
    op.create_table(
        "story_terms",
        sa.Column("term", sa.String(80), primary_key=True),
        sa.Column("article_id", sa.String(64), sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("day", sa.Integer()),
    )
    op.create_index("ix_story_terms_term_day", "story_terms", ["term", "day"])
    op.create_index("ix_story_terms_article", "story_terms", ["article_id"])


def downgrade() -> None:
    op.drop_table("story_terms")
    op.drop_table("story_members")
    op.drop_table("stories")
