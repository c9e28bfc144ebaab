"""insights.recompute_user and the weekly fan-out."""

import uuid

from celery import shared_task
from sqlalchemy.exc import DBAPIError, OperationalError

from services.core import fanout
from services.core.models.base import utcnow
from services.core.recompute import recompute_user as recompute
from services.core.settings import get_settings
from services.worker.broker import broker_client
from services.worker.db import session_factory

PENDING_KEY = "posterior:recompute:pending:{user_id}"


@shared_task(
    name="insights.recompute_user",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError, DBAPIError),
    retry_backoff=True,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=8,
)
def recompute_user(user_id: str) -> dict[str, int]:
    """Re-reads the user's logs and rewrites what changed; safe to run twice (idempotent)."""
    # Cleared first: a push that lands while this runs queues one more run, which sees it.
    broker_client().delete(PENDING_KEY.format(user_id=user_id))
    with session_factory().begin() as session:
        result = recompute(session, uuid.UUID(user_id))
    return {"insights": result.insights_written, "prescriptions": result.prescriptions_written}


def enqueue_recompute(user_id: uuid.UUID) -> bool:
    """Debounced per user: while one run is queued, further changes ride on it."""
    settings = get_settings()
    if not broker_client().set(
        PENDING_KEY.format(user_id=user_id), "1", nx=True, ex=settings.broker_visibility_timeout_s
    ):
        return False
    recompute_user.apply_async(args=[str(user_id)], countdown=settings.recompute_debounce_s)
    return True


@shared_task(name="insights.weekly_fanout", acks_late=True)
def weekly_fanout() -> int:
    """Recomputes every active user whose local week just ended; a second run finds nobody due."""
    now, after, count = utcnow(), None, 0
    while True:
        with session_factory().begin() as session:  # one short transaction per batch
            due, after = fanout.claim_users_due(session, now, after=after)
            for user_id in due:
                recompute_user.apply_async(args=[str(user_id)])
        count += len(due)
        if after is None:
            return count
