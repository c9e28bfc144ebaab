"""A user grants a partner access: authorization code + PKCE (S256) through the real endpoints."""

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from services.api.partners.keys import hash_secret
from services.core.models import AuthorizationCode
from services.core.models.base import utcnow
from tests.factories.partners import (
    REDIRECT_URI,
    approved_code,
    consent_token,
    exchange,
    make_partner,
    open_consent_page,
    pkce_pair,
    redirect_params,
    submit_consent,
)
from tests.factories.users import PASSWORD, Account, register


@pytest.fixture(scope="module")
def partner(engine):
    return make_partner(engine)


def test_the_consent_page_names_the_partner_and_each_scope_and_cannot_be_framed(client, partner):
    page = open_consent_page(client, partner, pkce_pair()[1], scope="workouts:read insights:read")
    assert page.status_code == 200
    assert 'value="workouts:read"' in page.text
    assert 'value="insights:read"' in page.text
    assert 'value="programs:read"' not in page.text
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store"


def test_approving_redirects_to_the_registered_uri_with_a_code_and_the_state(client, partner):
    account = register(client)
    page = open_consent_page(client, partner, pkce_pair()[1])
    answer = submit_consent(client, consent_token(page), account)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith(REDIRECT_URI + "?")
    params = redirect_params(answer)
    assert params["state"] == "af0ifjsldkj"
    assert len(params["code"]) >= 43


def test_the_code_and_its_verifier_activate_a_grant_the_partner_can_use(client, partner):
    account = register(client)
    code, verifier = approved_code(client, partner, account, scopes=("workouts:read",))
    activated = exchange(client, partner, code, verifier)
    assert activated.status_code == 200, activated.text
    assert activated.json()["user_id"] == str(account.id)
    assert activated.json()["scopes"] == ["workouts:read"]
    workouts = client.get(f"/v1/users/{account.id}/workouts", headers=partner.headers)
    assert workouts.status_code == 200
    assert workouts.json() == {"items": [], "next_cursor": None}


def test_the_user_may_approve_fewer_scopes_than_asked(client, partner):
    account = register(client)
    verifier, challenge = pkce_pair()
    page = open_consent_page(client, partner, challenge, scope="workouts:read insights:read")
    answer = submit_consent(client, consent_token(page), account, scopes=("insights:read",))
    activated = exchange(client, partner, redirect_params(answer)["code"], verifier)
    assert activated.json()["scopes"] == ["insights:read"]


def test_a_wrong_verifier_is_invalid_grant(client, partner):
    code, _ = approved_code(client, partner, register(client))
    refused = exchange(client, partner, code, pkce_pair()[0])
    assert refused.status_code == 400
    assert refused.headers["content-type"] == "application/json"
    assert refused.json() == {
        "error": "invalid_grant",
        "error_description": "code_verifier does not match the code_challenge.",
    }


def test_a_reused_code_is_refused_and_revokes_the_grant_it_activated(client, partner):
    account = register(client)
    code, verifier = approved_code(client, partner, account)
    assert exchange(client, partner, code, verifier).status_code == 200
    replayed = exchange(client, partner, code, verifier)
    assert replayed.status_code == 400
    assert replayed.json()["error"] == "invalid_grant"
    assert client.get(f"/v1/users/{account.id}/workouts", headers=partner.headers).status_code == 404


def test_a_redirect_uri_other_than_the_authorized_one_is_invalid_grant(client, partner):
    code, verifier = approved_code(client, partner, register(client))
    refused = exchange(client, partner, code, verifier, redirect_uri=REDIRECT_URI + "/other")
    assert refused.status_code == 400
    assert refused.json()["error"] == "invalid_grant"


def test_an_expired_code_is_invalid_grant(client, engine, partner):
    code, verifier = approved_code(client, partner, register(client))
    with Session(engine) as session:
        session.execute(
            update(AuthorizationCode)
            .where(AuthorizationCode.code_hash == hash_secret(code))
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
        session.commit()
    refused = exchange(client, partner, code, verifier)
    assert refused.status_code == 400
    assert refused.json()["error"] == "invalid_grant"
    assert "expired" in refused.json()["error_description"]


def test_another_partners_code_is_invalid_grant(client, engine, partner):
    code, verifier = approved_code(client, partner, register(client))
    refused = exchange(client, make_partner(engine), code, verifier)
    assert refused.status_code == 400
    assert refused.json()["error"] == "invalid_grant"


def test_the_token_endpoint_needs_client_authentication(client, partner):
    code, verifier = approved_code(client, partner, register(client))
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT_URI,
        "code_verifier": verifier,
    }
    refused = client.post("/v1/oauth/token", data=form)
    assert refused.status_code == 401
    assert refused.json()["error"] == "invalid_client"


def test_an_unregistered_redirect_uri_is_an_error_here_never_a_redirect(client, partner):
    page = open_consent_page(client, partner, pkce_pair()[1], redirect_uri="https://evil.example/cb")
    assert page.status_code == 422
    assert "location" not in page.headers
    assert page.json()["errors"][0]["field"] == "redirect_uri"


def test_a_client_id_with_a_nul_byte_is_422_not_a_database_error(client, partner):
    page = open_consent_page(client, partner, pkce_pair()[1], client_id="cl_\x00")
    assert page.status_code == 422
    assert [e["field"] for e in page.json()["errors"]] == ["query.client_id"]


def test_plain_pkce_is_refused_with_a_redirect_to_the_partner(client, partner):
    verifier = pkce_pair()[0]
    page = open_consent_page(client, partner, verifier, code_challenge_method="plain")
    assert page.status_code == 302
    assert redirect_params(page)["error"] == "invalid_request"
    assert redirect_params(page)["state"] == "af0ifjsldkj"


def test_a_scope_the_partner_was_not_given_is_invalid_scope(client, engine):
    narrow = make_partner(engine, scopes=("workouts:read",))
    page = open_consent_page(client, narrow, pkce_pair()[1], scope="workouts:read insights:read")
    assert page.status_code == 302
    assert redirect_params(page)["error"] == "invalid_scope"


def test_denying_redirects_with_access_denied_and_no_code(client, partner):
    page = open_consent_page(client, partner, pkce_pair()[1])
    answer = submit_consent(client, consent_token(page), register(client), decision="deny")
    assert answer.status_code == 303
    assert redirect_params(answer) == {"error": "access_denied", "state": "af0ifjsldkj"}


def test_a_wrong_password_shows_the_page_again_without_a_code(client, partner):
    page = open_consent_page(client, partner, pkce_pair()[1])
    answer = submit_consent(client, consent_token(page), register(client), password="not-the-password-1")
    assert answer.status_code == 401
    assert "Email or password is wrong" in answer.text
    assert "location" not in answer.headers


def test_an_unverified_account_gets_the_wrong_password_page_and_no_code(client, partner, unique_email):
    client.post("/v1/auth/register", json={"email": unique_email, "password": PASSWORD})
    unverified = Account(uuid.uuid4(), unique_email, access_token="", refresh_token="")
    page = open_consent_page(client, partner, pkce_pair()[1])

    answer = submit_consent(client, consent_token(page), unverified)
    wrong_password = submit_consent(
        client, consent_token(page), register(client), password="not-the-password-1"
    )

    assert answer.status_code == wrong_password.status_code == 401
    assert answer.text == wrong_password.text
    assert "location" not in answer.headers


def test_an_altered_consent_form_is_refused(client, partner):
    token = consent_token(open_consent_page(client, partner, pkce_pair()[1]))
    answer = submit_consent(client, token[:-4] + "AAAA", register(client))
    assert answer.status_code == 422
    assert "location" not in answer.headers
