"""The outbox relay (outbox rows → Celery), its stale-row sweep, and queue/lag measurements."""

from celery import shared_task

from services.core import outbox
from services.core.models.base import utcnow
from services.worker import metrics
from services.worker.broker import broker_client
from services.worker.db import session_factory
from services.worker.tasks.recompute import enqueue_recompute

QUEUES = ("celery",)


@shared_task(name="outbox.relay", ignore_result=True)
def relay() -> int:
    """Hands pending rows to the queue and marks them dispatched in the same transaction.

    If Redis is down the enqueue raises, the transaction rolls back and the rows stay pending:
    a Redis outage delays recomputation but never loses it.
    """
    with session_factory().begin() as session:
        rows = outbox.claim_pending(session)
        for user_id in outbox.users_of(rows):
            enqueue_recompute(user_id)
        outbox.mark_dispatched(rows, utcnow())
    return len(rows)


@shared_task(name="outbox.sweep", ignore_result=True)
def sweep() -> int:
    with session_factory().begin() as session:
        return outbox.requeue_stale(session)


@shared_task(name="outbox.measure", ignore_result=True)
def measure() -> None:
    with session_factory().begin() as session:
        metrics.OUTBOX_LAG.set(outbox.oldest_pending_age_s(session))
    for queue in QUEUES:
        metrics.QUEUE_DEPTH.labels(queue).set(broker_client().llen(queue))
