"""SIGTERM to a Celery worker (Kubernetes stopping the pod) is a warm shutdown: the recompute it
is running finishes — insights written, outbox row processed — before the process exits 0.

The task is caught running deterministically: the test holds the user's sync lock, which every
recompute takes first, so the task has started and waits until the test lets go."""

import signal
import uuid
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import Engine, func, select

from services.core.models import Insight, OutboxEvent
from tests.e2e.ops.celery_client import send_task
from tests.e2e.processes import wait_for
from tests.factories.history import moved_to_week_of, scenario
from tests.factories.phone import Phone
from tests.faults.postgres import holding_sync_lock, waiting_backends

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]

GRACE_S = 30  # Kubernetes gives workers 120 s; the task here needs a second once let go


@pytest.fixture
def phone(stack) -> Iterator[Phone]:
    """A user with a logged history. No beat runs, so only the task this test sends recomputes."""
    api = stack.api()
    with httpx.Client(base_url=api.base_url, timeout=30) as http:
        phone = Phone(http)
        phone.push_history(moved_to_week_of(scenario("3")))
        yield phone


def counts(engine: Engine, user_id: uuid.UUID) -> tuple[int, int]:
    """(insights, unprocessed outbox rows) of the user."""
    with engine.connect() as connection:
        insights = connection.scalar(
            select(func.count()).select_from(Insight).where(Insight.user_id == user_id)
        )
        pending = connection.scalar(
            select(func.count())
            .select_from(OutboxEvent)
            .where(OutboxEvent.user_id == user_id, OutboxEvent.processed_at.is_(None))
        )
    return insights, pending


def test_sigterm_lets_the_running_recompute_finish_before_the_worker_exits_0(stack, phone, faults_engine):
    assert counts(faults_engine, phone.user_id) == (0, 1)
    worker = stack.worker()
    with holding_sync_lock(faults_engine, phone.user_id):
        send_task(stack.redis.url(0), "insights.recompute_user", [str(phone.user_id)])
        wait_for(lambda: waiting_backends(faults_engine), timeout_s=30, what="the recompute to start")
        worker.process.send_signal(signal.SIGTERM)
        with pytest.raises(TimeoutError):
            wait_for(lambda: not worker.alive(), timeout_s=1, what="")  # waits for its task
    assert worker.process.wait(timeout=GRACE_S) == 0

    insights, pending = counts(faults_engine, phone.user_id)
    assert insights > 0
    assert pending == 0
    assert "Warm shutdown" in worker.log(tail=100_000)
