import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e.servers import Server, start_api
from tests.factories.users import PASSWORD


@pytest.fixture(scope="session")
def pg_server(pg_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = start_api(pg_env | {"API_WORKERS": "2"}, tmp_path_factory.mktemp("pg-server"), migrate=False)
    yield server
    server.stop()


def login(base_url: str) -> dict[str, str]:
    """Registers a fresh account and returns its Authorization header."""
    email = f"e2e-{uuid.uuid4().hex[:12]}@example.com"
    credentials = {"email": email, "password": PASSWORD}
    httpx.post(f"{base_url}/v1/auth/register", json=credentials, timeout=10).raise_for_status()
    token = httpx.post(f"{base_url}/v1/auth/login", json=credentials, timeout=10).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    return tmp_path


@pytest.fixture
def embedded_server(tmp_path: Path):
    # No DATABASE_URL and no REDIS_URL: the embedded default, with its SQLite file under var/.
    server = start_api(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path}/var/posterior.db",
            "REDIS_URL": "",
            "ENVIRONMENT": "embedded",
        },
        tmp_path,
    )
    yield server
    server.stop()
