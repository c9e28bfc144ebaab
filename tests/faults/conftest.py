"""The fault suite's own world: a throwaway PostgreSQL database on the machine's server (its
connections can be killed with `pg_terminate_backend` without touching another test's), a private
`redis-server` per test on a port of its own (so it can be stopped), and API, worker and beat
processes started the way the container starts them (tests/e2e helpers). Safe under xdist: every
database, port and Redis is per xdist worker or per test.

Bounds are asserted with production settings (services/core/settings.py), never shortened ones:
what passes here is what docs/operations.md promises."""

import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine
from sqlalchemy.pool import NullPool

from services.core.db import normalize_url
from services.core.migrate import migrate
from services.core.settings import Settings
from tests.conftest import TEST_JWT_SECRET, create_throwaway_database, drop_database
from tests.e2e.processes import Process, RedisServer, Worker, start_beat, start_redis, start_worker
from tests.e2e.servers import Server, start_api


@pytest.fixture(scope="session")
def faults_database(worker_id: str) -> Iterator[str]:
    name = f"posterior_faults_{worker_id}_{os.getpid()}"
    url = create_throwaway_database(name).render_as_string(hide_password=False)
    migrate(Settings(database_url=url, jwt_secret=TEST_JWT_SECRET, _env_file=None))
    yield url
    drop_database(name)


@pytest.fixture(scope="session")
def faults_engine(faults_database: str) -> Iterator[Engine]:
    # No pool: the tests read what was stored right after outages that killed every connection, and
    # the service's pool pings only connections that sat idle (services/core/db.py).
    engine = create_engine(normalize_url(faults_database), poolclass=NullPool)
    yield engine
    engine.dispose()


class Stack:
    """The processes of one test, on its private Redis; all stopped when the test ends."""

    def __init__(self, database_url: str, redis: RedisServer, workdir: Path, cleanup: ExitStack) -> None:
        self.redis = redis
        self.workdir = workdir
        self._cleanup = cleanup
        self.env = {
            "DATABASE_URL": database_url,
            "REDIS_URL": redis.url(0),
            "ENVIRONMENT": "production",
            "JWT_SECRET": TEST_JWT_SECRET,
            "LOG_LEVEL": "INFO",
            "API_WORKERS": "1",  # one process per pod, as deployed
            "WEBHOOK_ALLOW_PRIVATE_TARGETS": "true",  # receivers on 127.0.0.1
            "TMPDIR": str(workdir),  # prometheus-client's multiprocess files stay in pytest's temp dirs
        }

    def api(self, **env: str) -> Server:
        """The API process; `env` overrides settings (DATABASE_URL through a proxy, say)."""
        server = start_api(self.env | env, self.workdir, migrate=False)
        self._cleanup.callback(server.stop)
        return server

    def worker(self) -> Worker:
        worker = start_worker(self.env, self.workdir)
        self._cleanup.callback(worker.stop)
        return worker

    def beat(self) -> Process:
        beat = start_beat(self.env, self.workdir)
        self._cleanup.callback(beat.stop)
        return beat

    def together(self, *starts: Callable[[], object]) -> list:
        """Starts processes side by side (`stack.together(stack.api, stack.worker)`): most of a
        start is imports and waiting, which a loaded machine makes long."""
        with ThreadPoolExecutor(max_workers=len(starts)) as pool:
            return list(pool.map(lambda start: start(), starts))


@contextmanager
def running_stack(database_url: str, workdir: Path) -> Iterator[Stack]:
    with ExitStack() as cleanup:
        redis = start_redis(workdir)
        cleanup.callback(redis.stop)
        yield Stack(database_url, redis, workdir, cleanup)


@pytest.fixture
def stack(faults_database: str, tmp_path: Path) -> Iterator[Stack]:
    with running_stack(faults_database, tmp_path) as stack:
        yield stack
