import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e.servers import Server, start_api
from tests.factories.users import sign_up


@pytest.fixture(scope="session")
def pg_server(pg_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    # No SMTP_URL: account mail lands in its var/mail/, where the Node suites read it too.
    env = pg_env | {"API_WORKERS": "2", "SMTP_URL": ""}
    server = start_api(env, tmp_path_factory.mktemp("pg-server"), migrate=False)
    yield server
    server.stop()


def login(base_url: str) -> dict[str, str]:
    """Signs up a fresh account (the verification link of its mail signs it in) and returns its
    Authorization header."""
    with httpx.Client(base_url=base_url, timeout=10) as http:
        token = sign_up(http, f"e2e-{uuid.uuid4().hex[:12]}@example.com")["access_token"]
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    return tmp_path


@pytest.fixture
def embedded_server(tmp_path: Path):
    # No REDIS_URL and no SMTP_URL: the embedded default, with its SQLite file and its mail under var/.
    server = start_api(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path}/var/posterior.db",
            "REDIS_URL": "",
            "SMTP_URL": "",
            "ENVIRONMENT": "embedded",
        },
        tmp_path,
    )
    yield server
    server.stop()
