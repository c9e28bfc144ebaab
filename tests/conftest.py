"""Shared fixtures: a throwaway PostgreSQL database per test run (per xdist worker), migrated
with Alembic and seeded exactly like production, and an httpx client on the app; the same app
allowing webhook receivers on 127.0.0.1, and a partner; the production environment of the
API, worker and beat processes the worker and e2e tests start, and a Redis database of the run's
own."""

import os
import uuid
from collections.abc import Iterator

import pytest
import redis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import URL, make_url

from services.api.app import create_app
from services.core.db import create_db_engine, normalize_url
from services.core.migrate import migrate
from services.core.settings import Settings
from tests.factories.mailbox import MailServer
from tests.factories.partners import PartnerApp, make_partner

ADMIN_URL = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
# Production mode: the API only writes outbox rows; workers (started by the e2e tests) recompute.
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
TEST_JWT_SECRET = "test-secret-" + "x" * 40
# 9 for a plain run, 10..15 for xdist workers gw0..gw5: queues of parallel runs never mix.
PLAIN_RUN_REDIS_DB = 9

# Every test's requests come from one address and many log in: limits that never bind, for every
# app and server the suite starts (servers inherit the environment). tests/api/test_rate_limits.py
# sets its own.
UNBOUND_RATE_LIMITS = {
    name.upper(): "1000000/minute" for name in Settings.model_fields if name.startswith("rate_limit_")
}
os.environ.update(UNBOUND_RATE_LIMITS)


def _admin_engine() -> Engine:
    return create_engine(normalize_url(ADMIN_URL), isolation_level="AUTOCOMMIT")


def create_throwaway_database(name: str) -> URL:
    admin = _admin_engine()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(normalize_url(ADMIN_URL)).set(database=name)


def drop_database(name: str) -> None:
    admin = _admin_engine()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def database_url(worker_id: str) -> Iterator[str]:
    name = f"posterior_test_{worker_id}_{os.getpid()}"
    url = create_throwaway_database(name).render_as_string(hide_password=False)
    migrate(Settings(database_url=url, jwt_secret=TEST_JWT_SECRET))
    yield url
    drop_database(name)


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url, redis_url=REDIS_URL, jwt_secret=TEST_JWT_SECRET, environment="production"
    )


@pytest.fixture(scope="session")
def app(settings: Settings) -> Iterator[FastAPI]:
    app = create_app(settings)
    yield app
    app.state.engine.dispose()


@pytest.fixture(scope="session")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


@pytest.fixture(scope="session")
def hooks_settings(settings: Settings) -> Settings:
    """The API as in development, where webhook receivers on 127.0.0.1 are allowed: every test that
    creates webhook endpoints points them at loopback, never at a host on the internet."""
    return settings.model_copy(
        update={
            "webhook_allow_private_targets": True,
            "webhook_timeout_s": 2.0,
            "webhook_retry_base_s": 10.0,
            "webhook_retry_cap_s": 40.0,
            "webhook_retry_window_s": 100.0,
        }
    )


@pytest.fixture(scope="session")
def hooks_client(hooks_settings: Settings) -> Iterator[TestClient]:
    app = create_app(hooks_settings)
    with TestClient(app) as client:
        yield client


@pytest.fixture(scope="session")
def engine(settings: Settings) -> Iterator[Engine]:
    engine = create_db_engine(settings)
    yield engine
    engine.dispose()


@pytest.fixture
def unique_email() -> str:
    return f"user-{uuid.uuid4().hex[:12]}@example.com"


@pytest.fixture
def partner(engine: Engine) -> PartnerApp:
    return make_partner(engine)


@pytest.fixture
def other_partner(engine: Engine) -> PartnerApp:
    return make_partner(engine)


@pytest.fixture(scope="session")
def pg_env(database_url: str) -> dict[str, str]:
    """The production configuration on the run's throwaway PostgreSQL database."""
    return {
        "DATABASE_URL": database_url,
        "ENVIRONMENT": "production",
        "JWT_SECRET": TEST_JWT_SECRET,
        "REDIS_URL": "",
        "LOG_LEVEL": "WARNING",
    }


@pytest.fixture(scope="session")
def worker_env(pg_env: dict[str, str]) -> dict[str, str]:
    """The production configuration of every process; REDIS_URL is added per test."""
    return pg_env | {"LOG_LEVEL": "INFO"}


@pytest.fixture(scope="session")
def redis_db_url(worker_id: str) -> Iterator[str]:
    """A Redis database index of this run's own on the shared Redis (flushed before and after, and
    only that index)."""
    index = PLAIN_RUN_REDIS_DB + (1 + int(worker_id.removeprefix("gw")) if worker_id.startswith("gw") else 0)
    assert index <= 15, "more xdist workers than free Redis database indexes"
    url = redis.connection.parse_url(REDIS_URL)
    db_url = f"redis://{url.get('host', '127.0.0.1')}:{url.get('port', 6379)}/{index}"
    client = redis.Redis.from_url(db_url)
    client.flushdb()
    yield db_url
    client.flushdb()
    client.close()


@pytest.fixture(scope="session")
def mail_server(engine: Engine, settings: Settings) -> MailServer:
    """The run's real SMTP server (in process); `deliver(address)` sends it the account mail the
    suite's app queued for the address, as the worker would."""
    return MailServer(engine, settings)
