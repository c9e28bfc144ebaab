"""Fixtures for the operations tests: a private Redis server (so stopping workers, flushing queues
or pointing a beat at it never touches the machine's shared Redis) and the production environment
every API, worker and beat process of these tests starts with."""

from collections.abc import Iterator

import pytest

from tests.e2e.processes import RedisServer, start_redis


@pytest.fixture(scope="session")
def ops_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    server = start_redis(tmp_path_factory.mktemp("ops-redis"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def ops_env(
    pg_env: dict[str, str], ops_redis: RedisServer, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, str]:
    """Production mode on the run's throwaway database and the private Redis. TMPDIR keeps what the
    processes write there (prometheus-client's multiprocess files) inside pytest's temp dirs."""
    tmpdir = tmp_path_factory.mktemp("ops-tmp")
    return pg_env | {"REDIS_URL": ops_redis.url(0), "LOG_LEVEL": "INFO", "TMPDIR": str(tmpdir)}
