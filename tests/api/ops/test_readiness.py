"""/readyz fails only for what a pod cannot serve without (PostgreSQL); an unreachable Redis is
reported as `degraded` and in `posterior_dependency_up`, and the pod stays in the Service.

"Unreachable" is a loopback port nothing listens on: a real refused connection, no stand-in."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url

from services.api.app import create_app
from services.core.settings import Settings
from tests.e2e.servers import free_port


def _client(settings: Settings) -> Iterator[TestClient]:
    app = create_app(settings)
    with TestClient(app) as client:
        yield client
    app.state.engine.dispose()


@pytest.fixture
def without_redis(settings: Settings) -> Iterator[TestClient]:
    yield from _client(settings.model_copy(update={"redis_url": f"redis://127.0.0.1:{free_port()}/0"}))


@pytest.fixture
def without_database(settings: Settings) -> Iterator[TestClient]:
    unreachable = make_url(settings.database_url).set(host="127.0.0.1", port=free_port())
    yield from _client(
        settings.model_copy(update={"database_url": unreachable.render_as_string(hide_password=False)})
    )


def dependency_up(client: TestClient, dependency: str) -> float:
    line = f'posterior_dependency_up{{dependency="{dependency}"}} '
    [value] = [
        row.removeprefix(line) for row in client.get("/metrics").text.splitlines() if row.startswith(line)
    ]
    return float(value)


def test_with_postgresql_and_redis_up_the_pod_is_ready_and_not_degraded(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "degraded": []}
    assert dependency_up(client, "redis") == 1


def test_without_redis_the_pod_stays_ready_and_reports_redis_as_degraded(without_redis):
    response = without_redis.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "degraded": ["redis"]}


def test_without_redis_the_dependency_metric_shows_it_down(without_redis):
    without_redis.get("/readyz")
    assert dependency_up(without_redis, "redis") == 0
    assert dependency_up(without_redis, "database") == 1


def test_without_postgresql_the_pod_is_not_ready_and_says_why_with_retry_after(without_database):
    response = without_database.get("/readyz")
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert int(response.headers["retry-after"]) > 0
    assert response.json()["detail"] == "Unreachable: database."
    assert dependency_up(without_database, "database") == 0
