"""Login limits as deployed (the settings' defaults, docs/security.md API2), counted in the real
Redis: one address shared by many people (a carrier NAT, a gym's Wi-Fi) still signs them in, a
guessed account waits, and an address that tries passwords across many accounts waits.

Accounts are set up through the suite's unlimited app; every test logs in from addresses of its own."""

import uuid
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from limits import parse

from services.core.settings import Settings
from tests.factories.addresses import an_address
from tests.factories.apps import an_app
from tests.factories.users import PASSWORD, register

DEPLOYED = {
    name: field.default for name, field in Settings.model_fields.items() if name.startswith("rate_limit_")
}
ACCOUNT_FAILURES = 5  # per 15 minutes, as docs/security.md says
ADDRESS_FAILURES = 50  # per 15 minutes, as docs/security.md says
PEOPLE_BEHIND_ONE_ADDRESS = 50
WRONG = "not-the-password-1"


@pytest.fixture(scope="module")
def deployed_app(settings: Settings) -> Iterator[FastAPI]:
    with an_app(settings, **DEPLOYED) as app:
        yield app


@pytest.fixture
def shared_address(deployed_app: FastAPI) -> Iterator[TestClient]:
    """Everyone behind one public address."""
    with TestClient(deployed_app, client=an_address()) as client:
        yield client


def log_in(caller: TestClient, email: str, password: str = PASSWORD) -> int:
    return caller.post("/v1/auth/login", json={"email": email, "password": password}).status_code


def a_stranger() -> str:
    return f"nobody-{uuid.uuid4().hex[:12]}@example.com"


def test_the_documented_limits_are_the_deployed_ones():
    assert parse(DEPLOYED["rate_limit_login_failures"]) == parse(f"{ACCOUNT_FAILURES} per 15 minutes")
    assert parse(DEPLOYED["rate_limit_login_failures_per_address"]) == parse(
        f"{ADDRESS_FAILURES} per 15 minutes"
    )


def test_fifty_people_signing_in_from_one_address_are_not_blocked(shared_address, client):
    people = [register(client) for _ in range(PEOPLE_BEHIND_ONE_ADDRESS)]

    statuses = [log_in(shared_address, person.email) for person in people]

    assert statuses == [200] * PEOPLE_BEHIND_ONE_ADDRESS


def test_a_few_typos_behind_a_shared_address_lock_out_nobody_else(shared_address, client):
    typists, other = [register(client) for _ in range(3)], register(client)
    for typist in typists:
        assert log_in(shared_address, typist.email, WRONG) == 401

    assert log_in(shared_address, other.email) == 200


def test_repeated_failures_against_one_account_are_limited(shared_address, client):
    account = register(client)
    failures = [log_in(shared_address, account.email, WRONG) for _ in range(ACCOUNT_FAILURES)]

    refused = shared_address.post("/v1/auth/login", json={"email": account.email, "password": PASSWORD})

    assert failures == [401] * ACCOUNT_FAILURES
    assert refused.status_code == 429
    assert "failed logins to this account" in refused.json()["detail"]


def test_sign_ins_to_an_unverified_account_are_counted_and_limited_like_wrong_passwords(
    shared_address, client, unique_email
):
    client.post("/v1/auth/register", json={"email": unique_email, "password": PASSWORD})
    verified = register(client)

    unverified = [log_in(shared_address, unique_email) for _ in range(ACCOUNT_FAILURES + 1)]
    wrong = [log_in(shared_address, verified.email, WRONG) for _ in range(ACCOUNT_FAILURES + 1)]

    assert unverified == wrong == [401] * ACCOUNT_FAILURES + [429]


def test_an_address_spraying_failures_across_accounts_is_limited_at_the_ceiling(shared_address, client):
    account = register(client)
    sprayed = [log_in(shared_address, a_stranger(), WRONG) for _ in range(ADDRESS_FAILURES)]

    refused = shared_address.post("/v1/auth/login", json={"email": account.email, "password": PASSWORD})

    assert sprayed == [401] * ADDRESS_FAILURES
    assert refused.status_code == 429
    assert "failed logins from your address" in refused.json()["detail"]
    assert int(refused.headers["Retry-After"]) >= 1


def test_a_spraying_address_locks_itself_not_the_accounts_it_tried(shared_address, deployed_app, client):
    tried = register(client)
    log_in(shared_address, tried.email, WRONG)
    for _ in range(ADDRESS_FAILURES):
        log_in(shared_address, a_stranger(), WRONG)

    with TestClient(deployed_app, client=an_address()) as elsewhere:
        assert log_in(elsewhere, tried.email) == 200
