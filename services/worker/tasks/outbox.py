"""The outbox relay (outbox rows → Celery), its stale-row sweep, and queue/lag measurements."""

from datetime import datetime, timedelta

from celery import shared_task
from sqlalchemy.orm import Session

from services.core.models.base import utcnow
from services.core.repositories import insights, outbox
from services.core.settings import get_settings
from services.core.usecases import account_mail, fanout
from services.core.webhooks import events
from services.worker import metrics, queues
from services.worker.broker import broker_client
from services.worker.db import session_factory
from services.worker.tasks.mail import send_account_mail
from services.worker.tasks.recompute import enqueue_recompute
from services.worker.tasks.webhooks import fan_out


@shared_task(name="outbox.relay", ignore_result=True)
def relay() -> int:
    """Hands pending rows to the queue and marks them dispatched in the same transaction.

    If Redis is down the enqueue raises, the transaction rolls back and the rows stay pending:
    a Redis outage delays recomputation but never loses it.
    """
    with session_factory().begin() as session:
        rows = outbox.claim_pending(session)
        # Webhook events fan out to deliveries, account mail is sent; everything else
        # (USER_LOGS_CHANGED) recomputes.
        webhook_events = [row for row in rows if row.topic in events.EVENT_TYPES]
        mail = [row for row in rows if row.topic == account_mail.ACCOUNT_MAIL]
        changes = [row for row in rows if row.topic not in events.EVENT_TYPES and row not in mail]
        for user_id in outbox.users_of(changes):
            enqueue_recompute(user_id)
        for row in webhook_events:
            fan_out.apply_async(args=[row.id])
        for row in mail:
            send_account_mail.apply_async(args=[row.id])
        outbox.mark_dispatched(rows, utcnow())
    return len(rows)


@shared_task(name="outbox.sweep", ignore_result=True)
def sweep() -> int:
    stale_after = timedelta(seconds=get_settings().outbox_stale_after_s)
    with session_factory().begin() as session:
        return outbox.requeue_stale(session, stale_after=stale_after)


@shared_task(name="outbox.measure", ignore_result=True)
def measure() -> None:
    now = utcnow()
    with session_factory().begin() as session:
        metrics.OUTBOX_LAG.set(outbox.oldest_pending_age_s(session, now))
        ages = newest_insight_ages_s(session, now)
    metrics.observe_insight_ages(ages)
    for queue in queues.ALL:
        depth: int = broker_client().llen(queue)  # type: ignore[assignment]  # sync client: an int, not an Awaitable
        metrics.QUEUE_DEPTH.labels(queue).set(depth)


def newest_insight_ages_s(session: Session, now: datetime) -> list[float]:
    """How old the newest insight of each active user is (active as for the weekly fan-out: a
    workout in the last eight weeks). Active users without any insight have no age to report."""
    since_ms = int((now - fanout.ACTIVE_WITHIN).timestamp() * 1000)
    newest = insights.newest_creation_per_active_user(session, active_since_ms=since_ms)
    return [max(0.0, (now - created_at).total_seconds()) for created_at in newest]
