"""Everything a user owns, found and deleted for the erasure of the account (DELETE /v1/me), and
the tombstones it leaves for partners. Every query takes the user."""

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Table, delete, select
from sqlalchemy.orm import Session

from services.core.models import (
    AccountTombstone,
    Base,
    Grant,
    Insight,
    User,
    WebhookDelivery,
    Workout,
)
from services.core.repositories.statements import rows_affected

# Kept on purpose: the partners' tombstones are what tells them, after the deletion, what is gone.
KEPT_FOR_PARTNERS = (AccountTombstone.__table__,)


def user_tables() -> list[Table]:
    """Every table with a `user_id` column, children before their parents. Read from the models,
    not listed by hand, so a table added later is erased too (a test holds every one to it)."""
    return [
        table
        for table in reversed(Base.metadata.sorted_tables)
        if "user_id" in table.c and table not in KEPT_FOR_PARTNERS
    ]


def active_grants(session: Session, *, user_id: uuid.UUID) -> Sequence[Grant]:
    return session.scalars(select(Grant).where(Grant.user_id == user_id, Grant.revoked_at.is_(None))).all()


def live_workout_ids(session: Session, *, user_id: uuid.UUID) -> list[str]:
    stmt = (
        select(Workout.id).where(Workout.user_id == user_id, Workout.deleted.is_(False)).order_by(Workout.id)
    )
    return list(session.scalars(stmt))


def live_insight_ids(session: Session, *, user_id: uuid.UUID) -> list[str]:
    stmt = (
        select(Insight.id).where(Insight.user_id == user_id, Insight.deleted.is_(False)).order_by(Insight.id)
    )
    return list(session.scalars(stmt))


def delete_deliveries_about(session: Session, *, user_id: uuid.UUID) -> int:
    """Webhook deliveries whose event is about the user (their bodies carry the user's insights and
    workout ids): partners' delivery logs keep no trace of the account."""
    about_user = WebhookDelivery.payload["data"]["user_id"].as_string() == str(user_id)
    return rows_affected(session, delete(WebhookDelivery).where(about_user))


def delete_user_rows(session: Session, *, user_id: uuid.UUID) -> dict[str, int]:
    """Deletes the user's rows of every user table, then the user; returns the count per table.

    Explicit statements rather than the foreign keys' ON DELETE CASCADE: tables without a foreign
    key to users (the outbox) are covered too, and each count can be checked."""
    counts = {
        table.name: rows_affected(session, delete(table).where(table.c.user_id == user_id))
        for table in user_tables()
    }
    counts[User.__tablename__] = rows_affected(session, delete(User).where(User.id == user_id))
    return counts


# -- the partners' tombstones ----------------------------------------------------------------


def find_tombstone(session: Session, *, partner_id: uuid.UUID, user_id: uuid.UUID) -> AccountTombstone | None:
    return session.get(AccountTombstone, (partner_id, user_id))


def delete_expired_tombstones(session: Session, *, deleted_before: datetime) -> int:
    """For the retention sweep."""
    return rows_affected(
        session, delete(AccountTombstone).where(AccountTombstone.deleted_at < deleted_before)
    )
