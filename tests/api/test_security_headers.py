"""Security configuration a browser sees (OWASP API8): no cross-origin access unless origins are
configured, and then only theirs; no content sniffing; nothing personal left in a cache."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from services.api.app import create_app
from tests.factories.users import PASSWORD, register

APP_ORIGIN = "https://app.posterior.example"
OTHER_ORIGIN = "https://evil.example"


def preflight(client: TestClient, origin: str):
    return client.options(
        "/v1/me",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization",
        },
    )


@pytest.fixture(scope="module")
def cors_client(settings) -> Iterator[TestClient]:
    """The API with one browser origin configured (CORS_ORIGINS)."""
    app = create_app(settings.model_copy(update={"cors_origins": [APP_ORIGIN]}))
    yield TestClient(app)
    app.state.engine.dispose()


def test_by_default_no_origin_may_call_the_api_from_a_browser(client):
    # `client` runs with the default settings: CORS_ORIGINS is empty.
    assert "access-control-allow-origin" not in preflight(client, OTHER_ORIGIN).headers
    answer = client.get("/v1/programs", headers={"Origin": OTHER_ORIGIN})
    assert "access-control-allow-origin" not in answer.headers


def test_a_configured_origin_is_allowed_by_name_never_by_wildcard(cors_client):
    allowed = preflight(cors_client, APP_ORIGIN)
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == APP_ORIGIN


def test_an_origin_that_is_not_configured_is_refused(cors_client):
    refused = preflight(cors_client, OTHER_ORIGIN)
    assert refused.status_code == 400
    assert "access-control-allow-origin" not in refused.headers
    answer = cors_client.get("/v1/programs", headers={"Origin": OTHER_ORIGIN})
    assert "access-control-allow-origin" not in answer.headers


@pytest.mark.parametrize("path", ["/v1/programs", "/v1/exercises/nope", "/openapi.json", "/docs"])
def test_every_answer_forbids_content_sniffing(client, path):
    assert client.get(path).headers["x-content-type-options"] == "nosniff"


def test_answers_with_personal_data_are_never_stored_in_a_cache(client):
    account = register(client)
    assert client.get("/v1/me", headers=account.headers).headers["cache-control"] == "no-store"
    assert client.get("/v1/me/export", headers=account.headers).headers["cache-control"] == "no-store"


def test_answers_that_issue_tokens_are_never_stored_in_a_cache(client):
    account = register(client)
    login = client.post("/v1/auth/login", json={"email": account.email, "password": PASSWORD})
    assert login.headers["cache-control"] == "no-store"
    refresh = client.post("/v1/auth/refresh", json={"refresh_token": account.refresh_token})
    assert refresh.headers["cache-control"] == "no-store"


def test_public_reads_stay_cacheable(client):
    assert "no-store" not in client.get("/v1/programs").headers.get("cache-control", "")
