"""Rate limits: per user, per API key, per address for anonymous calls, strictly on sign-ups, and
after failed passwords — counted in the real Redis, shared by every API process. The login limits
at their deployed values are in tests/api/auth/test_login_limits.py.

The app under test has small limits; accounts and partners are set up through the suite's unlimited
app on the same database. Every test calls from addresses of its own, so counters never meet,
not even with an earlier run's (they live in Redis for a minute)."""

import uuid
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from services.api.app import create_app
from services.core.migrate import migrate
from services.core.models import User
from services.core.settings import Settings
from tests.e2e.servers import free_port
from tests.factories.addresses import an_address
from tests.factories.apps import an_app
from tests.factories.partners import (
    PartnerApp,
    consent_token,
    grant_directly,
    make_partner,
    open_consent_page,
    pkce_pair,
    submit_consent,
    with_key,
)
from tests.factories.users import PASSWORD, Account, register

USER_LIMIT = 5
PARTNER_LIMIT = 4
ANONYMOUS_LIMIT = 6
SIGNUP_LIMIT = 3
FAILED_LOGINS = 2
LIMITS = {
    "rate_limit_user": f"{USER_LIMIT}/minute",
    "rate_limit_partner": f"{PARTNER_LIMIT}/minute",
    "rate_limit_anonymous": f"{ANONYMOUS_LIMIT}/minute",
    "rate_limit_signup": f"{SIGNUP_LIMIT}/minute",
    "rate_limit_login_failures": f"{FAILED_LOGINS}/minute",
}


@pytest.fixture(scope="module")
def limited_app(settings: Settings) -> Iterator[FastAPI]:
    with an_app(settings, **LIMITS) as app:
        yield app


@pytest.fixture
def caller(limited_app: FastAPI) -> Iterator[TestClient]:
    """A client on the limited app, calling from an address of its own."""
    with TestClient(limited_app, client=an_address()) as client:
        yield client


def exhaust(caller: TestClient, times: int, path: str, **kwargs) -> list[int]:
    return [caller.get(path, **kwargs).status_code for _ in range(times)]


def test_every_answer_says_the_limit_and_what_is_left_of_it(caller, client):
    account = register(client)

    answers = [caller.get("/v1/me", headers=account.headers) for _ in range(3)]

    assert [a.headers["RateLimit-Limit"] for a in answers] == [str(USER_LIMIT)] * 3
    assert [a.headers["RateLimit-Remaining"] for a in answers] == ["4", "3", "2"]
    assert all(1 <= int(a.headers["RateLimit-Reset"]) <= 60 for a in answers)


def test_a_user_over_the_limit_gets_a_429_problem_with_retry_after(caller, client):
    account = register(client)
    exhaust(caller, USER_LIMIT, "/v1/me", headers=account.headers)

    refused = caller.get("/v1/me", headers=account.headers)

    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["type"] == "/problems/rate-limited"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.headers["RateLimit-Remaining"] == "0"


def test_one_users_requests_do_not_count_against_another(caller, client):
    busy, other = register(client), register(client)
    exhaust(caller, USER_LIMIT, "/v1/me", headers=busy.headers)

    assert caller.get("/v1/me", headers=other.headers).status_code == 200


def test_a_user_is_counted_across_addresses(limited_app, client):
    account = register(client)
    for _ in range(USER_LIMIT):
        with TestClient(limited_app, client=an_address()) as elsewhere:
            assert elsewhere.get("/v1/me", headers=account.headers).status_code == 200

    with TestClient(limited_app, client=an_address()) as elsewhere:
        assert elsewhere.get("/v1/me", headers=account.headers).status_code == 429


def granted_partner(client: TestClient, engine: Engine) -> tuple[PartnerApp, Account]:
    account = register(client)
    partner = make_partner(engine)
    grant_directly(engine, partner, account.id)
    return partner, account


def test_a_partner_key_has_its_own_limit(caller, client, engine):
    partner, account = granted_partner(client, engine)
    path = f"/v1/users/{account.id}/workouts"

    statuses = exhaust(caller, PARTNER_LIMIT + 1, path, headers=partner.headers)

    assert statuses == [200] * PARTNER_LIMIT + [429]


def test_each_key_of_a_partner_is_counted_apart(caller, client, engine):
    partner, account = granted_partner(client, engine)
    second = with_key(engine, partner, scopes=("workouts:read",))
    path = f"/v1/users/{account.id}/workouts"
    exhaust(caller, PARTNER_LIMIT, path, headers=partner.headers)

    assert caller.get(path, headers=second.headers).status_code == 200


def test_anonymous_requests_are_counted_per_address(caller, limited_app):
    statuses = exhaust(caller, ANONYMOUS_LIMIT + 1, "/v1/exercises")

    with TestClient(limited_app, client=an_address()) as elsewhere:
        assert elsewhere.get("/v1/exercises").status_code == 200
    assert statuses == [200] * ANONYMOUS_LIMIT + [429]


def test_an_invalid_token_is_counted_as_anonymous(caller):
    statuses = exhaust(caller, ANONYMOUS_LIMIT + 1, "/v1/me", headers={"Authorization": "Bearer not-a-jwt"})

    assert statuses == [401] * ANONYMOUS_LIMIT + [429]


def test_logins_from_one_address_count_as_its_anonymous_calls(caller, client):
    account = register(client)
    credentials = {"email": account.email, "password": PASSWORD}

    statuses = [
        caller.post("/v1/auth/login", json=credentials).status_code for _ in range(ANONYMOUS_LIMIT + 1)
    ]

    assert statuses == [200] * ANONYMOUS_LIMIT + [429]


def sign_up(caller: TestClient) -> int:
    email = f"signup-{uuid.uuid4().hex[:10]}@example.com"
    return caller.post("/v1/auth/register", json={"email": email, "password": PASSWORD}).status_code


def test_sign_ups_from_one_address_have_the_strict_limit(caller):
    statuses = [sign_up(caller) for _ in range(SIGNUP_LIMIT + 1)]

    assert SIGNUP_LIMIT < ANONYMOUS_LIMIT
    assert statuses == [202] * SIGNUP_LIMIT + [429]


def test_an_account_with_too_many_failed_logins_waits_even_with_the_right_password(limited_app, client):
    account = register(client)
    for _ in range(FAILED_LOGINS):  # from different addresses: the account is what counts
        with TestClient(limited_app, client=an_address()) as guesser:
            wrong = guesser.post("/v1/auth/login", json={"email": account.email, "password": "guess-123456"})
            assert wrong.status_code == 401

    with TestClient(limited_app, client=an_address()) as owner:
        refused = owner.post("/v1/auth/login", json={"email": account.email, "password": PASSWORD})

    assert refused.status_code == 429
    assert refused.json()["type"] == "/problems/rate-limited"
    assert int(refused.headers["Retry-After"]) >= 1


def test_failed_logins_to_one_account_do_not_lock_another(caller, client):
    locked, other = register(client), register(client)
    for _ in range(FAILED_LOGINS):
        caller.post("/v1/auth/login", json={"email": locked.email, "password": "guess-123456"})

    answer = caller.post("/v1/auth/login", json={"email": other.email, "password": PASSWORD})

    assert answer.status_code == 200


def test_the_consent_form_counts_failed_passwords_against_the_account(limited_app, client, engine):
    account = register(client)
    partner = make_partner(engine)
    _, challenge = pkce_pair()
    token = consent_token(open_consent_page(client, partner, challenge))
    for _ in range(FAILED_LOGINS):
        with TestClient(limited_app, client=an_address()) as guesser:
            assert submit_consent(guesser, token, account, password="guess-123456").status_code == 401

    with TestClient(limited_app, client=an_address()) as owner:
        refused = submit_consent(owner, token, account)

    assert refused.status_code == 429
    assert "Too many requests" in refused.text


def test_a_refused_request_changes_nothing(caller, engine):
    for _ in range(SIGNUP_LIMIT):
        sign_up(caller)
    email = f"refused-{uuid.uuid4().hex[:10]}@example.com"

    refused = caller.post("/v1/auth/register", json={"email": email, "password": PASSWORD})

    assert refused.status_code == 429
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(User).where(User.email == email)) == 0


def test_health_probes_and_metrics_are_never_limited(caller):
    statuses = {caller.get(path).status_code for path in ["/healthz"] * (ANONYMOUS_LIMIT + 2)}
    statuses |= {caller.get("/metrics").status_code for _ in range(ANONYMOUS_LIMIT + 2)}

    assert statuses == {200}


def test_requests_pass_unlimited_when_the_counter_store_is_unreachable(settings, client):
    account = register(client)
    unreachable = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    app = create_app(settings.model_copy(update={**LIMITS, "redis_url": unreachable}))
    with TestClient(app) as caller:
        answers = [caller.get("/v1/me", headers=account.headers) for _ in range(USER_LIMIT + 1)]
    app.state.engine.dispose()

    assert [a.status_code for a in answers] == [200] * (USER_LIMIT + 1)
    assert "RateLimit-Limit" not in answers[0].headers


def test_the_embedded_default_counts_in_process(tmp_path):
    embedded = Settings(
        database_url=f"sqlite:///{tmp_path}/posterior.db", redis_url=None, _env_file=None, **LIMITS
    )
    migrate(embedded)
    app = create_app(embedded)
    with TestClient(app) as caller:
        statuses = exhaust(caller, ANONYMOUS_LIMIT + 1, "/problems/not-found")
    app.state.engine.dispose()

    assert statuses == [200] * ANONYMOUS_LIMIT + [429]
