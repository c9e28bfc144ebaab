"""Fixtures for the background-worker tests: a Redis database index of this run's own on the
shared Redis (flushed before and after, and only that index), and the production environment
the API, worker and beat processes share."""

import os
from collections.abc import Iterator

import pytest
import redis
from fastapi.testclient import TestClient

from services.api.app import create_app
from services.core.settings import Settings

SHARED_REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
# 9 for a plain run, 10..15 for xdist workers gw0..gw5: queues of parallel runs never mix.
PLAIN_RUN_DB = 9


@pytest.fixture(scope="session")
def redis_db_url(worker_id: str) -> Iterator[str]:
    index = PLAIN_RUN_DB + (1 + int(worker_id.removeprefix("gw")) if worker_id.startswith("gw") else 0)
    assert index <= 15, "more xdist workers than free Redis database indexes"
    url = redis.connection.parse_url(SHARED_REDIS)
    db_url = f"redis://{url.get('host', '127.0.0.1')}:{url.get('port', 6379)}/{index}"
    client = redis.Redis.from_url(db_url)
    client.flushdb()
    yield db_url
    client.flushdb()
    client.close()


@pytest.fixture(scope="session")
def worker_env(pg_env: dict[str, str]) -> dict[str, str]:
    """The production configuration of every process; REDIS_URL is added per test."""
    return pg_env | {"LOG_LEVEL": "INFO"}


@pytest.fixture(scope="session")
def queued_client(settings: Settings, redis_db_url: str) -> Iterator[TestClient]:
    """The API in process and in production mode: with REDIS_URL set, a push writes its outbox row
    and nothing else (no in-process recompute), so a test can run the worker's code itself."""
    app = create_app(settings.model_copy(update={"redis_url": redis_db_url}))
    with TestClient(app) as client:
        yield client
