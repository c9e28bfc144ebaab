"""custom exercises: a synced table of each user's own exercises (sync schema version 2)

A set may now name a catalog exercise or one of the user's own, so `workout_sets.exercise_id`
loses its foreign key to `exercises` (the push checks the reference instead), and so does
`prescriptions.exercise_id` (the engine progresses the user's own exercises too).

Revision ID: be21710c7d34
Revises: 5e0c1d7a9b21
Create Date: 2026-12-05 12:04:48.700722
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import services.core.models.base

revision: str = "be21710c7d34"
down_revision: str | None = "5e0c1d7a9b21"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "custom_exercises",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("pattern", sa.String(length=20), nullable=False),
        sa.Column("muscles_json", sa.Text(), nullable=False),
        sa.Column("equipment", sa.String(length=40), nullable=False),
        sa.Column("unilateral", sa.Boolean(), nullable=False),
        sa.Column("load_type", sa.String(length=10), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("server_updated_at", services.core.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_custom_exercises_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "id", name=op.f("pk_custom_exercises")),
    )
    op.create_index(
        "ix_custom_exercises_user_version", "custom_exercises", ["user_id", "version"], unique=False
    )
    # Batch: SQLite drops a foreign key by copying the table; PostgreSQL runs one ALTER TABLE.
    for table in ("workout_sets", "prescriptions"):
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(op.f(f"fk_{table}_exercise_id_exercises"), type_="foreignkey")


def downgrade() -> None:
    # Sets and prescriptions of custom exercises cannot reference the catalog: they go with the table.
    for table in ("workout_sets", "prescriptions"):
        op.execute(f"DELETE FROM {table} WHERE exercise_id NOT IN (SELECT id FROM exercises)")
        with op.batch_alter_table(table) as batch:
            batch.create_foreign_key(
                op.f(f"fk_{table}_exercise_id_exercises"), "exercises", ["exercise_id"], ["id"]
            )
    op.drop_index("ix_custom_exercises_user_version", table_name="custom_exercises")
    op.drop_table("custom_exercises")
