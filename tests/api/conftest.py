"""The API as in development, where webhook receivers on 127.0.0.1 are allowed: every test that
creates webhook endpoints points them at loopback, never at a host on the internet."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from services.api.app import create_app
from services.core.settings import Settings


@pytest.fixture(scope="session")
def hooks_settings(settings: Settings) -> Settings:
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
