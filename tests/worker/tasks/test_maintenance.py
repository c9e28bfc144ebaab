"""Housekeeping in a real worker: the purge beat sends every hour removes rows past their keeping
time (the rules themselves: tests/core/usecases/test_retention.py)."""

import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from services.core.models import IdempotencyRecord
from services.core.models.base import utcnow
from services.core.settings import Settings
from services.worker import queues
from services.worker.app import create_celery
from tests.e2e.ops.celery_client import send_task
from tests.e2e.processes import Worker, start_worker, wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]


@pytest.fixture(scope="module")
def worker(worker_env, redis_db_url, tmp_path_factory) -> Iterator[Worker]:
    worker = start_worker(worker_env | {"REDIS_URL": redis_db_url}, tmp_path_factory.mktemp("maintenance"))
    yield worker
    worker.stop()


def test_beat_sends_the_purge_every_hour(settings: Settings):
    schedule = create_celery(settings).conf.beat_schedule

    assert schedule["purge-expired"] == {"task": "maintenance.purge", "schedule": 3600.0}


def test_the_worker_purges_an_expired_idempotency_record(worker, redis_db_url, engine):
    expired = IdempotencyRecord(
        caller=f"user:{uuid.uuid4()}",
        key="k-1",
        request_hash="0" * 64,
        expires_at=utcnow() - timedelta(hours=1),
    )
    with Session(engine, expire_on_commit=False) as session:
        session.add(expired)
        session.commit()

    send_task(redis_db_url, "maintenance.purge", queue=queues.BULK)

    def gone() -> bool:
        with Session(engine) as session:
            return session.get(IdempotencyRecord, (expired.caller, expired.key)) is None

    wait_for(gone, timeout_s=30, what="the purge to remove the expired record")
