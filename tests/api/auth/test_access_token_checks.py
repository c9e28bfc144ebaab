"""An access token is believed only when it is exactly what the API issues (OWASP API2): an HS256
JWT signed with JWT_SECRET, of type "access", naming an account that exists and a login session
that has not ended. Each test changes one of these and keeps the rest as issued."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest

from tests.conftest import TEST_JWT_SECRET
from tests.factories.users import register


def claims(user_id: uuid.UUID, **overrides: Any) -> dict[str, Any]:
    now = datetime.now(UTC)
    issued = {"sub": str(user_id), "sid": str(uuid.uuid4()), "iss": "posterior", "typ": "access", "iat": now}
    return issued | {"exp": now + timedelta(minutes=15)} | overrides


def me_with(client, token: str):
    return client.get("/v1/me", headers={"Authorization": f"Bearer {token}"})


def test_a_token_made_like_the_apis_own_is_accepted(client):
    # The control: the tokens below differ from this one in one respect each.
    account = register(client)
    assert (
        me_with(client, jwt.encode(claims(account.id), TEST_JWT_SECRET, algorithm="HS256")).status_code == 200
    )


def test_an_unsigned_token_is_401(client):
    account = register(client)
    unsigned = jwt.encode(claims(account.id), key=None, algorithm="none")
    assert me_with(client, unsigned).status_code == 401


def test_a_token_signed_with_the_secret_but_another_algorithm_is_401(client):
    # The algorithm is pinned, never read from the token's header.
    account = register(client)
    assert (
        me_with(client, jwt.encode(claims(account.id), TEST_JWT_SECRET, algorithm="HS384")).status_code == 401
    )


@pytest.mark.parametrize("typ", ["refresh", None])
def test_a_signed_token_that_is_not_an_access_token_is_401(client, typ):
    account = register(client)
    token = jwt.encode(claims(account.id, typ=typ), TEST_JWT_SECRET, algorithm="HS256")
    assert me_with(client, token).status_code == 401


def test_a_signed_token_from_another_issuer_is_401(client):
    account = register(client)
    token = jwt.encode(claims(account.id, iss="someone-else"), TEST_JWT_SECRET, algorithm="HS256")
    assert me_with(client, token).status_code == 401


def test_a_signed_token_for_an_account_that_does_not_exist_is_401(client):
    token = jwt.encode(claims(uuid.uuid4()), TEST_JWT_SECRET, algorithm="HS256")
    response = me_with(client, token)
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"


def test_a_signed_token_without_a_session_id_is_401(client):
    account = register(client)
    sessionless = {name: value for name, value in claims(account.id).items() if name != "sid"}
    assert me_with(client, jwt.encode(sessionless, TEST_JWT_SECRET, algorithm="HS256")).status_code == 401


@pytest.mark.parametrize("sid", ["not-a-uuid", 42])
def test_a_signed_token_with_a_malformed_session_id_is_401(client, sid):
    account = register(client)
    assert (
        me_with(
            client, jwt.encode(claims(account.id, sid=sid), TEST_JWT_SECRET, algorithm="HS256")
        ).status_code
        == 401
    )
