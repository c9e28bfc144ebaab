import uuid
from datetime import date, datetime
from typing import Literal

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from services.core.models.base import Base, Timestamps, new_uuid
from services.training.types import Goal, WeekStartDay

AccountTokenPurpose = Literal["verify-email", "password-reset"]


class User(Timestamps, Base):
    __tablename__ = "users"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    email: Mapped[str] = mapped_column(String(320), unique=True)  # stored lower-cased
    password_hash: Mapped[str] = mapped_column(String(200))
    # Set when the owner of the mailbox proved it (a verification link or a password reset).
    email_verified_at: Mapped[datetime | None]
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    week_start: Mapped[WeekStartDay] = mapped_column(String(8), default="monday")
    unit: Mapped[str] = mapped_column(String(2), default="kg")
    goal: Mapped[Goal] = mapped_column(String(16), default="hypertrophy")
    hamstrings_weak_point: Mapped[bool] = mapped_column(default=False)
    # Bumped under the user's row lock by every write a device can pull; the sync cursor.
    sync_version: Mapped[int] = mapped_column(BigInteger, default=0)
    # The local week (its first day) the weekly fan-out last recomputed: running it twice is a no-op.
    weekly_recompute_week: Mapped[date | None]
    # The calendar `weekly_exercise_aggregates` were built in; None: not built. A recompute that
    # finds another than the user's rebuilds them first (ARCHITECTURE.md, "Read models").
    aggregates_zone: Mapped[str | None] = mapped_column(String(64))
    aggregates_week_start: Mapped[WeekStartDay | None] = mapped_column(String(8))


class RefreshToken(Base):
    __tablename__ = "refresh_tokens"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    family_id: Mapped[uuid.UUID] = mapped_column(index=True)  # every rotation of one login
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 hex; the token is random
    expires_at: Mapped[datetime]
    created_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class AccountToken(Base):
    """A single-use token mailed to the account's address: an email verification or a password
    reset. Only its sha256 is kept; the token itself exists in the mail alone."""

    __tablename__ = "account_tokens"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[AccountTokenPurpose] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 hex; the token is random
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
