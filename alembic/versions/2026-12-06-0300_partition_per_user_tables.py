"""partition the per-user tables by hash of user_id, 16 partitions each

The tables whose rows belong to one user and are always read by user_id become PARTITION BY HASH
(user_id) parents with partitions `<table>_p0` … `<table>_p15` (ARCHITECTURE.md, "Partitioning"):
the rows are moved, and primary keys, indexes and foreign keys keep their names. A no-op on SQLite.

Revision ID: 9c3f5a7e2d61
Revises: 5b8e1d4c7a20
Create Date: 2026-12-06 03:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

from services.core.partitioning import partition_by_user, unpartition

revision: str = "9c3f5a7e2d61"
down_revision: str | None = "5b8e1d4c7a20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Listed here, not read from the models: this revision must do the same thing after they change.
# `workouts` before `workout_sets`, whose foreign key references it (either order works; this one
# re-creates that key once on the partitioned tables).
TABLES = (
    "workouts",
    "workout_sets",
    "pain_reports",
    "body_weights",
    "custom_exercises",
    "equipment_profiles",
    "insights",
    "prescriptions",
    "program_records",
    "planned_sessions",
)
PARTS = 16


def upgrade() -> None:
    connection = op.get_bind()
    for table in TABLES:
        partition_by_user(connection, table, parts=PARTS)


def downgrade() -> None:
    connection = op.get_bind()
    for table in reversed(TABLES):
        unpartition(connection, table)
