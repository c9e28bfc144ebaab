"""SIGTERM to a Celery worker (Kubernetes stopping the pod) is a warm shutdown: the recompute it
is running finishes — insights written, outbox row processed — before the process exits 0.

The task is caught running deterministically: the test holds the user's sync lock, which every
recompute takes first, so the task has started and waits until the test lets go."""

import signal
import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from services.api.app import create_app
from services.core.models import Insight, OutboxEvent
from tests.e2e.ops.celery_client import send_task
from tests.e2e.ops.locks import holding_sync_lock, lock_waiters
from tests.e2e.processes import start_worker, wait_for
from tests.e2e.worker.phone import Phone
from tests.factories.history import moved_to_week_of, scenario

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]

GRACE_S = 30  # Kubernetes gives workers 120 s; the task here needs a second once let go


@pytest.fixture
def broker_url(ops_redis) -> str:
    ops_redis.flush()
    return ops_redis.url(1)  # a queue of this test's own


@pytest.fixture
def phone(settings, broker_url) -> Iterator[Phone]:
    """A user with a logged history. The API runs in process, in production mode: a push writes its
    outbox row and nothing else, and no relay runs, so only the task this test sends recomputes."""
    app = create_app(settings.model_copy(update={"redis_url": broker_url}))
    with TestClient(app) as client:
        phone = Phone(client)
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


def test_sigterm_lets_the_running_recompute_finish_before_the_worker_exits_0(
    ops_env, broker_url, phone, engine, workdir
):
    assert counts(engine, phone.user_id) == (0, 1)
    worker = start_worker(ops_env | {"REDIS_URL": broker_url}, workdir)
    try:
        with holding_sync_lock(engine, phone.user_id):
            send_task(broker_url, "insights.recompute_user", [str(phone.user_id)])
            wait_for(lambda: lock_waiters(engine), timeout_s=30, what="the recompute to start")
            worker.process.send_signal(signal.SIGTERM)
            with pytest.raises(TimeoutError):
                wait_for(lambda: not worker.alive(), timeout_s=1, what="")  # waits for its task
        assert worker.process.wait(timeout=GRACE_S) == 0
    finally:
        worker.stop()

    insights, pending = counts(engine, phone.user_id)
    assert insights > 0
    assert pending == 0
    assert "Warm shutdown" in worker.log(tail=100_000)
