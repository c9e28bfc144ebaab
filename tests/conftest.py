"""Shared fixtures: a throwaway PostgreSQL database per test run (per xdist worker), migrated
with Alembic and seeded exactly like production, and an httpx client on the app."""

import os
import uuid
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import URL, make_url

from services.api.app import create_app
from services.core.db import create_db_engine, normalize_url
from services.core.migrate import migrate
from services.core.settings import Settings

ADMIN_URL = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
# Production mode: the API only writes outbox rows; workers (started by the e2e tests) recompute.
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
TEST_JWT_SECRET = "test-secret-" + "x" * 40

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
def engine(settings: Settings) -> Iterator[Engine]:
    engine = create_db_engine(settings)
    yield engine
    engine.dispose()


@pytest.fixture
def unique_email() -> str:
    return f"user-{uuid.uuid4().hex[:12]}@example.com"
