"""insights.recompute_user and the weekly fan-out."""

import time
import uuid

from celery import shared_task
from sqlalchemy.exc import DBAPIError, OperationalError

from services.core.models.base import utcnow
from services.core.settings import RETRY_BACKOFF_MAX_S, get_settings
from services.core.usecases import fanout
from services.core.usecases.recompute import recompute_user as recompute
from services.worker import queues
from services.worker.broker import broker_client
from services.worker.db import session_factory

PENDING_KEY = "posterior:recompute:pending:{user_id}"


@shared_task(
    name="insights.recompute_user",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError, DBAPIError),
    retry_backoff=True,
    retry_backoff_max=RETRY_BACKOFF_MAX_S,
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
    """The recompute after a change, on the interactive queue. Debounced per user: while one run
    is queued, further changes ride on it."""
    settings = get_settings()
    if not broker_client().set(
        PENDING_KEY.format(user_id=user_id), "1", nx=True, ex=settings.broker_visibility_timeout_s
    ):
        return False
    recompute_user.apply_async(
        args=[str(user_id)], countdown=settings.recompute_debounce_s, queue=queues.INTERACTIVE
    )
    return True


@shared_task(name="insights.weekly_fanout", acks_late=True)
def weekly_fanout(after: str | None = None) -> int:
    """Recomputes every active user whose local week just ended; a second run finds nobody due.

    Everything goes to the bulk queue. It works for half its soft time limit at most, then hands
    the users after its cursor to a new message of itself: a million users take minutes to queue,
    and no task may outlive its time limit (nor, therefore, the broker's visibility timeout).
    """
    deadline = time.monotonic() + get_settings().task_soft_time_limit_s / 2
    now, cursor, count = utcnow(), uuid.UUID(after) if after else None, 0
    while True:
        with session_factory().begin() as session:  # one short transaction per batch
            due, cursor = fanout.claim_users_due(session, now, after=cursor)
            for user_id in due:
                recompute_user.apply_async(args=[str(user_id)], queue=queues.BULK)
        count += len(due)
        if cursor is None:
            return count
        if time.monotonic() > deadline:
            weekly_fanout.apply_async(kwargs={"after": str(cursor)})  # routed to the bulk queue
            return count
