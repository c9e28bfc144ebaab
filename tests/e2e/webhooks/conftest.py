"""The webhook pipeline's own world: a throwaway database and a private Redis server (so no other
test's leftover rows or deliveries queue up in front of ours), a Celery worker and beat started like
the container starts them, the API in process, and a receiver on 127.0.0.1.

Retries are shortened through the settings: 0.5 s doubling to at most 2 s over 6 s, scanned every
0.3 s; an endpoint is disabled once it failed 3 times in a row over at least 4 s."""

import os
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from services.api.app import create_app
from services.core.db import create_db_engine
from services.core.migrate import migrate
from services.core.settings import Settings
from tests.conftest import TEST_JWT_SECRET, create_throwaway_database, drop_database
from tests.e2e.processes import Process, RedisServer, Worker, start_beat, start_redis, start_worker
from tests.e2e.webhooks.receiver import Receiver, running_receiver

WEBHOOK_SETTINGS = {
    "WEBHOOK_ALLOW_PRIVATE_TARGETS": "true",  # the receiver is on 127.0.0.1
    "WEBHOOK_TIMEOUT_S": "2",
    "WEBHOOK_RETRY_BASE_S": "0.5",
    "WEBHOOK_RETRY_CAP_S": "2",
    "WEBHOOK_RETRY_WINDOW_S": "6",
    "WEBHOOK_RETRY_SCAN_INTERVAL_S": "0.3",
    "WEBHOOK_DISABLE_AFTER_FAILURES": "3",
    "WEBHOOK_DISABLE_AFTER_S": "4",
}


@dataclass
class Stack:
    env: dict[str, str]
    worker: Worker
    beat: Process


@pytest.fixture(scope="module")
def hooks_database(worker_id: str) -> Iterator[str]:
    name = f"posterior_hooks_{worker_id}_{os.getpid()}"
    url = create_throwaway_database(name).render_as_string(hide_password=False)
    migrate(Settings(database_url=url, jwt_secret=TEST_JWT_SECRET))
    yield url
    drop_database(name)


@pytest.fixture(scope="module")
def hooks_redis(tmp_path_factory) -> Iterator[RedisServer]:
    server = start_redis(tmp_path_factory.mktemp("hooks-redis"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def hooks_env(hooks_database: str, hooks_redis: RedisServer) -> dict[str, str]:
    return {
        "DATABASE_URL": hooks_database,
        "REDIS_URL": hooks_redis.url(),
        "ENVIRONMENT": "production",
        "JWT_SECRET": TEST_JWT_SECRET,
        "LOG_LEVEL": "INFO",
        **WEBHOOK_SETTINGS,
    }


@pytest.fixture(scope="module")
def stack(hooks_env: dict[str, str], tmp_path_factory) -> Iterator[Stack]:
    workdir = tmp_path_factory.mktemp("hooks-stack")
    with ExitStack() as cleanup:
        worker = start_worker(hooks_env, workdir)
        cleanup.callback(worker.stop)
        beat = start_beat(hooks_env, workdir)
        cleanup.callback(beat.stop)
        yield Stack(hooks_env, worker, beat)


@pytest.fixture(scope="module")
def api(hooks_env: dict[str, str]) -> Iterator[TestClient]:
    """Production mode in process: requests write rows and outbox rows; the worker does the rest."""
    settings = Settings(
        database_url=hooks_env["DATABASE_URL"],
        redis_url=hooks_env["REDIS_URL"],
        jwt_secret=TEST_JWT_SECRET,
        environment="production",
        webhook_allow_private_targets=True,
        _env_file=None,
    )
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.fixture(scope="module")
def hooks_engine(hooks_env: dict[str, str]) -> Iterator[Engine]:
    engine = create_db_engine(Settings(database_url=hooks_env["DATABASE_URL"], jwt_secret=TEST_JWT_SECRET))
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    with running_receiver() as receiver:
        yield receiver
