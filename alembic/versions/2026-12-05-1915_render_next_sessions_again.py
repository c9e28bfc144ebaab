"""render next sessions again: the stored next sessions lack the loads in the user's unit

The next session gained `unit`, `load`, `bar`, `plates_per_side` and `stack` (24cf71f02329). Stored
answers are served as they are, so the live ones are removed here and rendered again by the seed
step that follows every migration (services/core/usecases/read_models.backfill: a user who follows
a program and has no planned session gets one). Tombstones stay: a phone that has not pulled one
yet must still learn that the user left their program.

Revision ID: 5b8e1d4c7a20
Revises: 24cf71f02329
Create Date: 2026-12-05 19:15:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "5b8e1d4c7a20"
down_revision: str | None = "24cf71f02329"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("DELETE FROM planned_sessions WHERE deleted = false")


def downgrade() -> None:
    # Nothing to restore: the seed step renders them again in the older form too.
    pass
