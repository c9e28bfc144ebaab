"""Webhook deliveries on Celery: `webhooks.fan_out` turns an event's outbox row into one delivery
per subscribed endpoint, `webhooks.deliver` makes one signed attempt, and beat's
`webhooks.retry_due` hands out the deliveries whose (re)try time has come. The work itself is in
services/core/usecases/deliveries.py, which the embedded runner shares.
"""

import uuid

from celery import shared_task
from sqlalchemy.exc import DBAPIError, OperationalError

from services.core.models.base import utcnow
from services.core.repositories import webhooks as repository
from services.core.settings import RETRY_BACKOFF_MAX_S, get_settings
from services.core.usecases import deliveries
from services.core.webhooks import schedule
from services.worker import metrics
from services.worker.db import session_factory

DUE_BATCH = 500

_DB_RETRY = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (OperationalError, DBAPIError),
    "retry_backoff": True,
    "retry_backoff_max": RETRY_BACKOFF_MAX_S,
    "retry_jitter": True,
    "max_retries": 8,
}


@shared_task(name="webhooks.fan_out", **_DB_RETRY)
def fan_out(outbox_id: int) -> int:
    with session_factory().begin() as session:
        created = deliveries.fan_out_event(session, outbox_id, utcnow(), get_settings())
    # After the commit: a message must never name a delivery that does not exist. Should this
    # enqueue fail, the deliveries are handed out by `retry_due` once their lease is over.
    for delivery_id in created:
        deliver.apply_async(args=[str(delivery_id), 0])
    return len(created)


@shared_task(name="webhooks.deliver", **_DB_RETRY)
def deliver(delivery_id: str, attempts: int) -> str:
    """One attempt of a delivery that had made `attempts` attempts when this was queued."""
    attempted = deliveries.attempt(session_factory(), uuid.UUID(delivery_id), attempts, get_settings())
    if attempted.outcome is not None and attempted.result in ("success", "failure", "disabled"):
        metrics.WEBHOOK_DELIVERIES.labels("success" if attempted.outcome.ok else "failure").inc()
    if attempted.result == "disabled":
        metrics.WEBHOOK_DELIVERIES.labels("disabled").inc()
    return attempted.result


@shared_task(name="webhooks.retry_due", ignore_result=True)
def retry_due() -> int:
    """Queues deliveries whose retry time has come (and replays and pings, which are due at once).
    Enqueued inside the transaction: if Redis is down nothing is leased and the next scan retries."""
    settings = get_settings()
    now = utcnow()
    with session_factory().begin() as session:
        due = repository.hand_out_due(
            session, now=now, lease_until=now + schedule.attempt_lease(settings), limit=DUE_BATCH
        )
        for delivery_id, attempts in due:
            deliver.apply_async(args=[str(delivery_id), attempts])
    return len(due)
