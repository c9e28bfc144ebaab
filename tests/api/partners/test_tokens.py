"""The token endpoint as RFC 6749 says: bearer tokens for one user, refresh with rotation and
reuse detection, revocation (RFC 7009) and the server's metadata (RFC 8414)."""

import pytest
from authlib.oauth2.rfc8414 import AuthorizationServerMetadata

from tests.factories.partners import PartnerApp, approved_code, exchange, grant_access, make_partner
from tests.factories.users import register


@pytest.fixture(scope="module")
def partner(engine) -> PartnerApp:
    return make_partner(engine)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def refresh(client, partner: PartnerApp, refresh_token: str, **extra: str):
    form = {"grant_type": "refresh_token", "refresh_token": refresh_token} | extra
    return client.post("/v1/oauth/token", data=form, auth=partner.client_auth)


def revoke(client, partner: PartnerApp, token: str):
    return client.post("/v1/oauth/revoke", data={"token": token}, auth=partner.client_auth)


def test_the_code_is_exchanged_for_an_rfc_6749_bearer_token_that_is_never_cached(client, partner):
    account = register(client)
    code_answer = grant_access(client, partner, account, scopes=("workouts:read", "insights:read"))
    assert code_answer["token_type"] == "Bearer"
    assert code_answer["access_token"].startswith("pat_")
    assert code_answer["refresh_token"].startswith("prt_")
    assert code_answer["expires_in"] == 3600
    assert code_answer["scope"] == "workouts:read insights:read"
    assert code_answer["user_id"] == str(account.id)


def test_the_token_answer_says_no_store(client, partner):
    code, verifier = approved_code(client, partner, register(client))
    answer = exchange(client, partner, code, verifier)
    assert answer.headers["cache-control"] == "no-store"


def test_the_access_token_reads_the_users_workouts(client, partner):
    account = register(client)
    token = grant_access(client, partner, account, scopes=("workouts:read",))["access_token"]
    workouts = client.get(f"/v1/users/{account.id}/workouts", headers=bearer(token))
    assert workouts.status_code == 200, workouts.text
    assert workouts.json() == {"items": [], "next_cursor": None}


def test_a_token_for_one_user_on_another_users_id_is_a_404(client, partner):
    mine = grant_access(client, partner, register(client))["access_token"]
    other = register(client)
    grant_access(client, partner, other)  # the partner may read the other user, but not with this token
    assert client.get(f"/v1/users/{other.id}/workouts", headers=bearer(mine)).status_code == 404


def test_a_token_without_the_scope_is_a_403_insufficient_scope(client, partner):
    account = register(client)
    token = grant_access(client, partner, account, scopes=("workouts:read",))["access_token"]
    refused = client.get(f"/v1/users/{account.id}/insights", headers=bearer(token))
    assert refused.status_code == 403
    assert refused.json()["required_scope"] == "insights:read"


def test_a_made_up_access_token_is_a_401(client, partner):
    account = register(client)
    refused = client.get(f"/v1/users/{account.id}/workouts", headers=bearer("pat_made-up"))
    assert refused.status_code == 401


def test_a_refresh_rotates_both_tokens_and_the_new_access_token_works(client, partner):
    account = register(client)
    first = grant_access(client, partner, account, scopes=("workouts:read",))
    second = refresh(client, partner, first["refresh_token"])
    assert second.status_code == 200, second.text
    assert second.headers["cache-control"] == "no-store"
    assert second.json()["refresh_token"] != first["refresh_token"]
    assert second.json()["access_token"] != first["access_token"]
    headers = bearer(second.json()["access_token"])
    assert client.get(f"/v1/users/{account.id}/workouts", headers=headers).status_code == 200


def test_a_refresh_may_ask_for_fewer_scopes_but_not_more(client, partner):
    first = grant_access(client, partner, register(client), scopes=("workouts:read",))
    wider = refresh(client, partner, first["refresh_token"], scope="workouts:read insights:read")
    assert wider.status_code == 400
    assert wider.json()["error"] == "invalid_scope"


def test_a_refresh_token_replayed_after_rotation_revokes_the_whole_family(client, partner):
    account = register(client)
    first = grant_access(client, partner, account)
    second = refresh(client, partner, first["refresh_token"]).json()
    replayed = refresh(client, partner, first["refresh_token"])
    assert replayed.status_code == 400
    assert replayed.json()["error"] == "invalid_grant"
    headers = bearer(second["access_token"])
    assert client.get(f"/v1/users/{account.id}/workouts", headers=headers).status_code == 401
    assert refresh(client, partner, second["refresh_token"]).json()["error"] == "invalid_grant"


def test_another_partners_refresh_token_is_invalid_grant(client, engine, partner):
    tokens = grant_access(client, partner, register(client))
    refused = refresh(client, make_partner(engine), tokens["refresh_token"])
    assert refused.status_code == 400
    assert refused.json()["error"] == "invalid_grant"


def test_a_revoked_token_is_a_401(client, partner):
    account = register(client)
    tokens = grant_access(client, partner, account)
    assert revoke(client, partner, tokens["refresh_token"]).status_code == 200
    refused = client.get(f"/v1/users/{account.id}/workouts", headers=bearer(tokens["access_token"]))
    assert refused.status_code == 401
    assert refresh(client, partner, tokens["refresh_token"]).json()["error"] == "invalid_grant"


def test_revoking_a_token_leaves_the_users_grant(client, partner):
    account = register(client)
    revoke(client, partner, grant_access(client, partner, account)["access_token"])
    assert client.get(f"/v1/users/{account.id}/workouts", headers=partner.headers).status_code == 200


def test_revoking_an_unknown_token_is_a_200(client, partner):
    assert revoke(client, partner, "prt_never-issued").status_code == 200


def test_the_user_revoking_the_grant_ends_its_tokens_at_once(client, partner):
    account = register(client)
    tokens = grant_access(client, partner, account)
    assert client.delete(f"/v1/me/grants/{tokens['grant_id']}", headers=account.headers).status_code == 204
    refused = client.get(f"/v1/users/{account.id}/workouts", headers=bearer(tokens["access_token"]))
    assert refused.status_code == 401
    assert refresh(client, partner, tokens["refresh_token"]).json()["error"] == "invalid_grant"


def test_the_client_may_authenticate_in_the_form(client, partner):
    tokens = grant_access(client, partner, register(client))
    form = {
        "grant_type": "refresh_token",
        "refresh_token": tokens["refresh_token"],
        "client_id": partner.client_id,
        "client_secret": partner.api_key,
    }
    assert client.post("/v1/oauth/token", data=form).status_code == 200


def test_an_api_key_as_bearer_still_authenticates_the_client(client, partner):
    tokens = grant_access(client, partner, register(client))
    form = {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}
    assert client.post("/v1/oauth/token", data=form, headers=partner.headers).status_code == 200


def test_a_wrong_client_secret_is_a_401_invalid_client(client, engine, partner):
    tokens = grant_access(client, partner, register(client))
    form = {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}
    another_key = make_partner(engine).api_key
    refused = client.post("/v1/oauth/token", data=form, auth=(partner.client_id, another_key))
    assert refused.status_code == 401
    assert refused.json()["error"] == "invalid_client"
    assert refused.headers["www-authenticate"].startswith("Basic")


def test_an_unknown_grant_type_is_unsupported_grant_type(client, partner):
    refused = client.post("/v1/oauth/token", data={"grant_type": "password"}, auth=partner.client_auth)
    assert refused.status_code == 400
    assert refused.json()["error"] == "unsupported_grant_type"


def test_a_client_that_authenticates_two_ways_is_invalid_request(client, partner):
    # RFC 6749 §2.3: one method per request. (Found by schemathesis: the description once held a
    # "§", which §5.2 forbids there, and authlib refused to build the error: a 500.)
    form = {"grant_type": "refresh_token", "refresh_token": "prt_x", "client_secret": partner.api_key}
    refused = client.post("/v1/oauth/token", data=form, headers=partner.headers)
    assert refused.status_code == 400
    assert refused.json()["error"] == "invalid_request"


def test_a_form_without_grant_type_is_invalid_request_not_a_problem(client, partner):
    refused = client.post("/v1/oauth/token", data={}, auth=partner.client_auth)
    assert refused.status_code == 400
    assert refused.headers["content-type"] == "application/json"
    assert refused.json()["error"] == "invalid_request"


def test_the_server_metadata_is_valid_rfc_8414(client, monkeypatch):
    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")  # the test server is plain http
    metadata = AuthorizationServerMetadata(client.get("/.well-known/oauth-authorization-server").json())
    metadata.validate()
    assert metadata["token_endpoint"] == "http://testserver/v1/oauth/token"
    assert metadata["code_challenge_methods_supported"] == ["S256"]
    assert metadata["grant_types_supported"] == ["authorization_code", "refresh_token"]
