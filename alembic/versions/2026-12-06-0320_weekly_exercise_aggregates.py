"""weekly exercise aggregates: per user, local week and exercise, what the rules read of old weeks

Existing users have none yet (`users.aggregates_zone` is null): their first recompute builds them
(services/core/usecases/recompute.py), or `python -m services.core.aggregates rebuild` at once.

Revision ID: 9d3f6a2c8e41
Revises: 9c3f5a7e2d61
Create Date: 2026-12-06 03:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from services.core.partitioning import partition_by_user

revision: str = "9d3f6a2c8e41"
down_revision: str | None = "9c3f5a7e2d61"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "weekly_exercise_aggregates",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("exercise_id", sa.String(length=80), nullable=False),
        sa.Column("working_sets", sa.Integer(), nullable=False),
        sa.Column("hard_sets", sa.Double(), nullable=False),
        sa.Column("first_hard_at", sa.BigInteger(), nullable=True),
        sa.Column("top_load_kg", sa.Double(), nullable=True),
        sa.Column("best_e1rm_kg", sa.Double(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_weekly_exercise_aggregates_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "user_id", "week_start", "exercise_id", name=op.f("pk_weekly_exercise_aggregates")
        ),
    )
    # A per-user table: hash-partitioned like the others (ARCHITECTURE.md, "Partitioning").
    partition_by_user(op.get_bind(), "weekly_exercise_aggregates")
    op.add_column("users", sa.Column("aggregates_zone", sa.String(length=64), nullable=True))
    op.add_column("users", sa.Column("aggregates_week_start", sa.String(length=8), nullable=True))


def downgrade() -> None:
    op.drop_column("users", "aggregates_week_start")
    op.drop_column("users", "aggregates_zone")
    op.drop_table("weekly_exercise_aggregates")
