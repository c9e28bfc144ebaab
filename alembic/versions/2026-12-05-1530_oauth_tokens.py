"""oauth tokens: partners' user-scoped access and refresh tokens, stored hashed

Revision ID: 7c4e2b9a0d15
Revises: 3f7a2c9d1e48
Create Date: 2026-12-05 15:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import services.core.models.base

revision: str = "7c4e2b9a0d15"
down_revision: str | None = "3f7a2c9d1e48"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "oauth_tokens",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("partner_id", sa.Uuid(), nullable=False),
        sa.Column("grant_id", sa.Uuid(), nullable=False),
        sa.Column("family_id", sa.Uuid(), nullable=False),
        sa.Column("access_token_hash", sa.String(length=64), nullable=False),
        sa.Column("refresh_token_hash", sa.String(length=64), nullable=False),
        sa.Column(
            "scopes",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("access_expires_at", services.core.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("refresh_expires_at", services.core.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_at", services.core.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("refreshed_at", services.core.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", services.core.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["partner_id"],
            ["partners.id"],
            name=op.f("fk_oauth_tokens_partner_id_partners"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id", "grant_id"],
            ["grants.user_id", "grants.id"],
            name=op.f("fk_oauth_tokens_user_id_grants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_oauth_tokens_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "id", name=op.f("pk_oauth_tokens")),
        sa.UniqueConstraint("access_token_hash", name=op.f("uq_oauth_tokens_access_token_hash")),
        sa.UniqueConstraint("refresh_token_hash", name=op.f("uq_oauth_tokens_refresh_token_hash")),
    )
    op.create_index("ix_oauth_tokens_family", "oauth_tokens", ["user_id", "family_id"], unique=False)
    op.create_index("ix_oauth_tokens_grant", "oauth_tokens", ["user_id", "grant_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_oauth_tokens_grant", table_name="oauth_tokens")
    op.drop_index("ix_oauth_tokens_family", table_name="oauth_tokens")
    op.drop_table("oauth_tokens")
