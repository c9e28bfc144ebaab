"""insight lists: the first page of a user's insights, rendered, per view (all, open)

A read model served by GET /v1/me/insights (ARCHITECTURE.md, "Read models"). Until a user's lists
exist the GET reads live; existing users get theirs from the seed step that follows every
migration (services/core/usecases/read_models.backfill: a user with insights and no lists).

Revision ID: 9d3a6f0c2b71
Revises: 9d3f6a2c8e41
Create Date: 2026-12-06 03:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from services.core.partitioning import partition_by_user

revision: str = "9d3a6f0c2b71"
down_revision: str | None = "9d3f6a2c8e41"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "insight_lists",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("view", sa.String(length=8), nullable=False),
        sa.Column("page_json", sa.Text(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("insights_version", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_insight_lists_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "view", name=op.f("pk_insight_lists")),
    )
    # A per-user table: hash-partitioned like the others (ARCHITECTURE.md, "Partitioning").
    partition_by_user(op.get_bind(), "insight_lists")


def downgrade() -> None:
    op.drop_table("insight_lists")
