"""The API in process for the use-case tests that log workouts through it and then run the worker's
code themselves (recompute, weekly fan-out)."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from services.api.app import create_app
from services.core.settings import Settings


@pytest.fixture(scope="session")
def queued_client(settings: Settings, redis_db_url: str) -> Iterator[TestClient]:
    """The API in process and in production mode: with REDIS_URL set, a push writes its outbox row
    and nothing else (no in-process recompute), so a test can run the worker's code itself."""
    app = create_app(settings.model_copy(update={"redis_url": redis_db_url}))
    with TestClient(app) as client:
        yield client
