"""Every error is RFC 9457 problem+json, and every response carries a request id."""

import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from services.api.problems import HTTP_SLUGS, PROBLEM_TYPES
from services.core import errors
from services.core.models import User

API_CODE = Path(__file__).resolve().parents[2] / "services" / "api"

PROBLEM = "application/problem+json"
PROBLEM_KEYS = {"type", "title", "status", "detail", "instance", "request_id"}


def test_unknown_route_is_a_404_problem(client):
    response = client.get("/v1/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    assert response.json().keys() >= PROBLEM_KEYS


def test_wrong_method_is_a_405_problem_with_allow(client):
    response = client.delete("/v1/programs")
    assert response.status_code == 405
    assert response.headers["content-type"] == PROBLEM
    assert "GET" in response.headers["allow"]


def test_malformed_json_is_a_422_problem(client):
    response = client.post(
        "/v1/auth/login", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["errors"]


def test_a_body_that_is_not_utf8_is_a_422_problem_like_malformed_json(client):
    response = client.post(
        "/v1/auth/login", content=b"\xff\xfe{", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["errors"] == [{"field": "body", "message": "not UTF-8 encoded JSON"}]


def test_body_over_the_limit_is_a_413_problem_and_stores_nothing(client, unique_email, engine):
    body = {"email": unique_email, "password": "correct-horse-battery-9", "padding": "x" * (5 * 1024 * 1024)}
    response = client.post("/v1/auth/register", json=body)
    assert response.status_code == 413
    assert response.headers["content-type"] == PROBLEM
    with engine.connect() as connection:
        assert (
            connection.scalar(select(func.count()).select_from(User).where(User.email == unique_email)) == 0
        )


def test_a_sane_request_id_is_echoed(client):
    response = client.get("/healthz", headers={"X-Request-ID": "client-chosen-id-123"})
    assert response.headers["x-request-id"] == "client-chosen-id-123"


def test_an_unsafe_request_id_is_replaced(client):
    response = client.get("/healthz", headers={"X-Request-ID": "bad id\twith spaces"})
    assert response.headers["x-request-id"] != "bad id\twith spaces"
    assert len(response.headers["x-request-id"]) == 32


def test_problem_bodies_carry_the_request_id(client):
    response = client.get("/v1/exercises/nope", headers={"X-Request-ID": "trace-me-0001"})
    assert response.json()["request_id"] == "trace-me-0001"


def test_an_unexpected_error_is_a_500_problem_without_internals(app, client):
    from fastapi.testclient import TestClient

    def explode() -> None:
        raise RuntimeError("secret internals: SELECT * FROM users")

    app.add_api_route("/test-only/explode", explode, include_in_schema=False)
    try:
        response = TestClient(app, raise_server_exceptions=False).get("/test-only/explode")
    finally:
        app.router.routes.pop()
    assert response.status_code == 500
    assert response.headers["content-type"] == PROBLEM
    assert "SELECT" not in response.text


def test_an_unexpected_error_still_gets_a_request_id_and_the_security_headers(app):
    from fastapi.testclient import TestClient

    def explode() -> None:
        raise RuntimeError("boom")

    app.add_api_route("/test-only/explode", explode, include_in_schema=False)
    try:
        response = TestClient(app, raise_server_exceptions=False).get(
            "/test-only/explode", headers={"X-Request-ID": "trace-the-500"}
        )
    finally:
        app.router.routes.pop()
    assert response.status_code == 500
    assert response.headers["X-Request-ID"] == "trace-the-500"
    assert response.json()["request_id"] == "trace-the-500"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_problem_type_pages_explain_the_problem(client):
    response = client.get("/problems/sync-conflict")
    assert response.status_code == 200
    assert "Pull, then push again" in response.text


def every_domain_error() -> list[type[errors.DomainError]]:
    found, pending = [], [errors.DomainError]
    while pending:
        klass = pending.pop()
        found.append(klass)
        pending.extend(klass.__subclasses__())
    return found


def slugs_named_in_the_code() -> set[str]:
    """Problem types the code names outside the registry: `slug="…"` and the HTTP statuses' map."""
    text = "\n".join(path.read_text() for path in API_CODE.rglob("*.py"))
    return set(re.findall(r'slug="([a-z-]+)"', text)) | set(HTTP_SLUGS.values())


@pytest.mark.parametrize("slug", sorted(PROBLEM_TYPES))
def test_every_problem_type_has_a_page_with_its_title_and_explanation(client, slug):
    response = client.get(f"/problems/{slug}")
    assert response.status_code == 200
    assert PROBLEM_TYPES[slug].title in response.text.replace("&#x27;", "'")
    assert len(PROBLEM_TYPES[slug].page) > 20


def test_every_domain_error_is_a_registered_problem_type():
    for klass in every_domain_error():
        assert PROBLEM_TYPES[klass.slug].title == klass.title, klass


def test_every_problem_type_the_code_names_is_registered():
    assert slugs_named_in_the_code() - set(PROBLEM_TYPES) == set()


def test_the_partner_facing_types_have_pages(client):
    # docs/partners.md sends partners to /problems/<slug> for these.
    for slug in (
        "forbidden",
        "insufficient-scope",
        "rate-limited",
        "idempotency-key-reused",
    ):
        assert client.get(f"/problems/{slug}").status_code == 200


def test_an_unknown_problem_type_page_is_a_404(client):
    assert client.get("/problems/no-such-problem").status_code == 404


def test_healthz_and_readyz_answer_when_the_database_is_up(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json() == {"status": "ready", "degraded": []}
