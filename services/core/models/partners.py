"""Partners and what lets them in: API keys (stored hashed), the grants users give them through
OAuth 2.0 authorization code + PKCE, the short-lived authorization codes, and the stored first
responses of POSTs sent with an Idempotency-Key (api-conventions.md, "Auth" and "Writes")."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, ForeignKeyConstraint, Index, LargeBinary, String, text
from sqlalchemy.orm import Mapped, mapped_column

from services.core.models.base import Base, new_uuid, utcnow

# Scopes a key may carry. webhooks:manage concerns the partner's own endpoints, so a user can't
# grant it; the others are what a user's grant can cover.
GRANTABLE_SCOPES = ("programs:read", "programs:write", "workouts:read", "workouts:write", "insights:read")
PARTNER_SCOPES = (*GRANTABLE_SCOPES, "webhooks:manage")


class Partner(Base):
    __tablename__ = "partners"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    name: Mapped[str] = mapped_column(String(120))
    # Public identifier in authorization URLs; unlike the id it says nothing about our storage.
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    redirect_uris: Mapped[list[str]]  # compared exactly (RFC 9700 §4.1.3): no prefixes, no wildcards
    scopes: Mapped[list[str]]  # the most any of its keys or grants may carry
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ApiKey(Base):
    __tablename__ = "api_keys"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    partner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("partners.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 hex; see partners/keys.py
    prefix: Mapped[str] = mapped_column(String(16))  # the first characters, to tell keys apart in logs
    scopes: Mapped[list[str]]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A key works until this moment; set in the future, it is a rotation's overlap window.
    revoked_at: Mapped[datetime | None]


class Grant(Base):
    """A user's permission for one partner to act on their data within `scopes`."""

    __tablename__ = "grants"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    partner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("partners.id", ondelete="CASCADE"))
    scopes: Mapped[list[str]]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]

    __table_args__ = (
        # One active grant per user and partner: consenting again updates its scopes.
        Index(
            "uq_grants_active",
            "user_id",
            "partner_id",
            unique=True,
            postgresql_where=text("revoked_at IS NULL"),
            sqlite_where=text("revoked_at IS NULL"),
        ),
        Index("ix_grants_partner", "partner_id"),
    )


class AuthorizationCode(Base):
    __tablename__ = "oauth_authorization_codes"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 hex of the code
    partner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("partners.id", ondelete="CASCADE"))
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    redirect_uri: Mapped[str] = mapped_column(String(2000))
    scopes: Mapped[list[str]]
    code_challenge: Mapped[str] = mapped_column(String(128))  # S256 only
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    # The grant this code activated: a replayed code revokes it (RFC 6749 §4.1.2).
    grant_id: Mapped[uuid.UUID | None]


class OAuthToken(Base):
    """A partner's access token for one user and the refresh token issued with it, both stored as
    sha256 hashes. An authorization code starts a family; each refresh uses up its row's refresh
    token and adds a row to the family, so a replayed one is recognised and ends the family."""

    __tablename__ = "oauth_tokens"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    partner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("partners.id", ondelete="CASCADE"))
    grant_id: Mapped[uuid.UUID]
    family_id: Mapped[uuid.UUID]
    access_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    refresh_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[list[str]]  # what the user approved for this family; the grant's may shrink since
    access_expires_at: Mapped[datetime]
    refresh_expires_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    refreshed_at: Mapped[datetime | None]  # its refresh token was used: presenting it again is a replay
    revoked_at: Mapped[datetime | None]

    __table_args__ = (
        ForeignKeyConstraint(["user_id", "grant_id"], ["grants.user_id", "grants.id"], ondelete="CASCADE"),
        Index("ix_oauth_tokens_grant", "user_id", "grant_id"),
        Index("ix_oauth_tokens_family", "user_id", "family_id"),
    )


class IdempotencyRecord(Base):
    """The first response to a POST with an Idempotency-Key, per caller, kept for 24 hours.

    `status_code` is null while the first request is still running.
    """

    __tablename__ = "idempotency_keys"

    caller: Mapped[str] = mapped_column(String(80), primary_key=True)  # "user:<uuid>" / "partner:<uuid>"
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int | None]
    headers: Mapped[dict[str, Any] | None]
    body: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)
