"""Function-level authorization (OWASP API5): each operation is for one kind of caller.

A user's access token works only on a user's operations and a partner's API key only on a
partner's; neither stands in for the other, and a caller without credentials reaches only the
operations that are public by design. Every operation of openapi/openapi.json is called, so a new
one is checked as soon as it is published. (What a partner key reaches within the partner
operations — scopes and grants — is tests/api/partners/test_access.py and test_object_access.py.)
"""

import pytest

from tests.api.operations import Operation, operations
from tests.factories.partners import make_partner
from tests.factories.users import register

# Operations without credentials, and why.
PUBLIC = {
    "GET /healthz": "liveness probe",
    "GET /readyz": "readiness probe",
    "POST /v1/auth/register": "creates the account the credentials are for",
    "POST /v1/auth/login": "checks a password and issues the tokens",
    "POST /v1/auth/refresh": "takes the refresh token in the body",
    "POST /v1/auth/logout": "takes the refresh token in the body",
    "POST /v1/auth/verify-email": "takes the mailed token in the body, and issues the tokens",
    "POST /v1/auth/password-reset": "mails a reset link to whoever owns the address",
    "POST /v1/auth/password-reset/confirm": "takes the mailed token in the body",
    "GET /v1/exercises": "public catalog",
    "GET /v1/exercises/{exercise_id}": "public catalog",
    "GET /v1/programs": "public starter programs",
    "GET /v1/programs/{program_id}": "public starter programs",
    "GET /v1/oauth/authorize": "the consent page, where the user logs in with a password",
    "GET /.well-known/oauth-authorization-server": "OAuth server metadata (RFC 8414)",
}
# The token and revocation endpoints read their form before the client's credentials and refuse a
# client in RFC 6749 §5.2's words: each gets a well-formed form and must answer invalid_client.
OAUTH_FORMS = {
    "POST /v1/oauth/token": {"grant_type": "refresh_token", "refresh_token": "prt_unknown"},
    "POST /v1/oauth/revoke": {"token": "prt_unknown"},
}


def of(caller: str | None) -> list[Operation]:
    return [op for op in operations() if op.caller == caller]


def call(client, op: Operation, headers: dict[str, str]):
    if str(op) in OAUTH_FORMS:
        return client.post(op.url(), data=OAUTH_FORMS[str(op)], headers=headers)
    # Credentials are checked before the body is read, so every operation gets the same empty one.
    body = {} if op.method in ("POST", "PUT", "PATCH") else None
    return client.request(op.method, op.url(), json=body, headers=headers)


def assert_unauthenticated(response) -> None:
    assert response.status_code == 401, response.text
    if response.request.url.path in ("/v1/oauth/token", "/v1/oauth/revoke"):
        assert response.json()["error"] == "invalid_client"
        return
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "/problems/unauthenticated"


@pytest.fixture(scope="module")
def user_headers(client) -> dict[str, str]:
    return register(client).headers


@pytest.fixture(scope="module")
def partner_headers(engine) -> dict[str, str]:
    return make_partner(engine).headers  # every scope, webhooks:manage included


@pytest.mark.parametrize("op", of("user"), ids=str)
def test_a_partner_key_is_refused_by_every_user_operation(client, partner_headers, op):
    assert_unauthenticated(call(client, op, partner_headers))


@pytest.mark.parametrize("op", of("partner"), ids=str)
def test_a_user_access_token_is_refused_by_every_partner_operation(client, user_headers, op):
    assert_unauthenticated(call(client, op, user_headers))


@pytest.mark.parametrize("op", of("user") + of("partner"), ids=str)
def test_every_operation_with_credentials_refuses_a_caller_without_them(client, op):
    assert_unauthenticated(call(client, op, {}))


def test_only_the_operations_public_by_design_take_no_credentials():
    assert {str(op) for op in of(None)} == set(PUBLIC)
