"""The outbox's rows and their state machine, shared by the API, the Celery relay and the embedded
runner.

pending (dispatched_at NULL) → dispatched (handed to a task queue) → processed (the recompute
that reflects it committed). A dispatched row that is never processed — its message was lost
with Redis, say — goes back to pending after `stale_after` (Settings.outbox_stale_after_s), and
the relay hands it out again: a recompute is idempotent, and debounced per user.
"""

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from services.core.models import OutboxEvent
from services.core.models.base import utcnow
from services.core.models.outbox import USER_LOGS_CHANGED
from services.core.repositories.statements import rows_affected

BATCH = 500


def claim_pending(session: Session, *, topics: Sequence[str] | None = None) -> Sequence[OutboxEvent]:
    """Locks up to BATCH pending rows (of `topics`, if given); SKIP LOCKED lets several relays run
    side by side."""
    stmt = (
        select(OutboxEvent)
        .where(OutboxEvent.dispatched_at.is_(None), OutboxEvent.processed_at.is_(None))
        .order_by(OutboxEvent.id)
        .limit(BATCH)
        .with_for_update(skip_locked=True)
    )
    if topics is not None:
        stmt = stmt.where(OutboxEvent.topic.in_(topics))
    return session.scalars(stmt).all()


def unprocessed(session: Session) -> Sequence[OutboxEvent]:
    """Pending recompute requests (webhook events are fanned out by their own runners)."""
    stmt = select(OutboxEvent).where(
        OutboxEvent.processed_at.is_(None), OutboxEvent.topic == USER_LOGS_CHANGED
    )
    return session.scalars(stmt).all()


def mark_dispatched(rows: Sequence[OutboxEvent], now: datetime) -> None:
    for row in rows:
        row.dispatched_at = now
        row.attempts += 1


def requeue_stale(session: Session, *, stale_after: timedelta, now: datetime | None = None) -> int:
    cutoff = (now or utcnow()) - stale_after
    return rows_affected(
        session,
        update(OutboxEvent)
        .where(OutboxEvent.processed_at.is_(None), OutboxEvent.dispatched_at < cutoff)
        .values(dispatched_at=None),
    )


def delete_processed(session: Session, *, processed_before: datetime) -> int:
    stmt = delete(OutboxEvent).where(OutboxEvent.processed_at < processed_before)
    return rows_affected(session, stmt)


def oldest_pending_age_s(session: Session, now: datetime | None = None) -> float:
    oldest = session.scalar(
        select(OutboxEvent.created_at)
        .where(OutboxEvent.processed_at.is_(None))
        .order_by(OutboxEvent.created_at)
        .limit(1)
    )
    return 0.0 if oldest is None else ((now or utcnow()) - oldest).total_seconds()


def users_of(rows: Sequence[OutboxEvent]) -> list[uuid.UUID]:
    return sorted({row.user_id for row in rows if row.user_id is not None}, key=str)


def record_user_change(session: Session, user_id: uuid.UUID, version: int) -> None:
    """Written in the transaction of the change: the relay turns it into a recompute."""
    session.add(
        OutboxEvent(
            topic=USER_LOGS_CHANGED, user_id=user_id, payload={"user_id": str(user_id), "version": version}
        )
    )


def mark_processed(session: Session, *, user_id: uuid.UUID, now: datetime) -> None:
    """The user's pending recompute requests, answered by the recompute committing with them."""
    session.execute(
        update(OutboxEvent)
        .where(
            OutboxEvent.user_id == user_id,
            OutboxEvent.topic == USER_LOGS_CHANGED,
            OutboxEvent.processed_at.is_(None),
        )
        .values(processed_at=now)
    )


def lock_unprocessed(session: Session, row_id: int) -> OutboxEvent | None:
    """The row, locked, unless another runner has processed it already."""
    stmt = (
        select(OutboxEvent)
        .where(OutboxEvent.id == row_id, OutboxEvent.processed_at.is_(None))
        .with_for_update(skip_locked=True)
    )
    return session.scalar(stmt)


def release(session: Session, row_id: int) -> None:
    """Returns a row its runner claimed but could not process to the unprocessed ones."""
    session.execute(update(OutboxEvent).where(OutboxEvent.id == row_id).values(processed_at=None))


def pending_ids(session: Session, *, topic: str) -> list[int]:
    stmt = (
        select(OutboxEvent.id)
        .where(OutboxEvent.topic == topic, OutboxEvent.processed_at.is_(None))
        .order_by(OutboxEvent.id)
        .limit(BATCH)
    )
    return list(session.scalars(stmt))
