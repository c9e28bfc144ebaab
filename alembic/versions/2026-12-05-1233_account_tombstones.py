"""account tombstones: what a deleted account leaves for the partners it had granted (DELETE /v1/me)

Ids and times only, so that partners' change feeds can list the deleted workouts and insights.

Revision ID: b0cbf0d83110
Revises: be21710c7d34
Create Date: 2026-12-05 12:33:46.635715
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import services.core.models.base

revision: str = "b0cbf0d83110"
down_revision: str | None = "be21710c7d34"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "account_tombstones",
        sa.Column("partner_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("deleted_at", services.core.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "scopes",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("sync_version", sa.BigInteger(), nullable=False),
        sa.Column(
            "workout_ids",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "insight_ids",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"],
            ["partners.id"],
            name=op.f("fk_account_tombstones_partner_id_partners"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("partner_id", "user_id", name=op.f("pk_account_tombstones")),
    )
    op.create_index(
        op.f("ix_account_tombstones_deleted_at"), "account_tombstones", ["deleted_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_account_tombstones_deleted_at"), table_name="account_tombstones")
    op.drop_table("account_tombstones")
