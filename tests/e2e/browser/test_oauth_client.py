"""A partner's standard OAuth 2.0 client, unmodified (authlib's httpx OAuth2Client), against a real
API server: it builds the authorization URL (PKCE S256), the user approves in headless Chromium,
the client exchanges the code (client_secret_basic), reads the user's workouts with the access
token, refreshes it, and a replay of the rotated refresh token is refused and ends what it led to.

The run happens once (`run`); each test checks one thing it recorded."""

import secrets
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from authlib.integrations.httpx_client import OAuth2Client, OAuthError
from sqlalchemy import Engine

from tests.e2e.browser import journey as browser
from tests.e2e.browser.partner_site import PartnerSite, running_partner_site
from tests.e2e.servers import Server
from tests.factories.sync import a_set, a_workout, changes, push
from tests.factories.users import register

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]

SCOPE = "workouts:read"


@dataclass(frozen=True)
class ClientRun:
    """What the partner's client got at each step."""

    user_id: uuid.UUID
    workout_id: str
    state: str
    callback: str  # where the browser landed: the partner's redirect URI with code and state
    token: dict[str, Any]  # fetch_token's answer
    workouts: httpx.Response  # GET /v1/users/{user_id}/workouts with that access token
    refreshed: dict[str, Any]  # refresh_token's answer
    workouts_after_refresh: httpx.Response
    replay: OAuthError | None  # the first refresh token sent again, after its rotation
    workouts_after_replay: httpx.Response  # with the refreshed access token


@pytest.fixture(scope="module")
def site() -> Iterator[PartnerSite]:
    # A site of its own: tests/e2e/browser/test_consent_page.py counts the visits to the other one.
    with running_partner_site() as site:
        yield site


@pytest.fixture(scope="module")
def run(
    pg_server: Server, engine: Engine, site: PartnerSite, tmp_path_factory: pytest.TempPathFactory
) -> ClientRun:
    partner = browser.register_partner(engine, site.redirect_uri)
    with httpx.Client(base_url=pg_server.base_url, timeout=10) as app:
        user = register(app)  # signed up and verified through the mailed link
        workout = a_workout()
        logged = push(app, user, changes(workouts=[workout], sets=[a_set(workout["id"])]))
        assert logged.status_code == 200, logged.text
        metadata = app.get("/.well-known/oauth-authorization-server").json()

    client = OAuth2Client(
        client_id=partner.client_id,
        client_secret=partner.api_key,
        token_endpoint_auth_method="client_secret_basic",
        scope=SCOPE,
        redirect_uri=site.redirect_uri,
        code_challenge_method="S256",
        timeout=10,
    )
    with client:
        verifier = secrets.token_urlsafe(48)
        url, state = client.create_authorization_url(
            metadata["authorization_endpoint"], code_verifier=verifier
        )
        seen = browser.approve(
            pg_server, url, user.email, site.redirect_uri, tmp_path_factory.mktemp("client")
        )
        token = dict(
            client.fetch_token(
                metadata["token_endpoint"],
                authorization_response=seen["landedOn"],
                state=state,  # authlib refuses a callback whose state differs
                code_verifier=verifier,
            )
        )
        workouts_url = f"{pg_server.base_url}/v1/users/{token['user_id']}/workouts"
        workouts = client.get(workouts_url)
        refreshed = dict(client.refresh_token(metadata["token_endpoint"]))
        workouts_after_refresh = client.get(workouts_url)
        try:
            client.refresh_token(metadata["token_endpoint"], refresh_token=token["refresh_token"])
            replay = None
        except OAuthError as refused:
            replay = refused
        workouts_after_replay = client.get(workouts_url)  # the client still holds the refreshed token
    return ClientRun(
        user.id,
        workout["id"],
        state,
        seen["landedOn"],
        token,
        workouts,
        refreshed,
        workouts_after_refresh,
        replay,
        workouts_after_replay,
    )


def test_the_consent_redirects_to_the_partner_with_a_code_and_the_clients_state(run: ClientRun, site):
    (callback,) = site.received()
    assert run.callback.startswith(site.redirect_uri + "?")
    assert set(callback) == {"code", "state"}
    assert callback["state"] == run.state


def test_the_code_exchange_answers_an_rfc_6749_bearer_token_for_the_approved_scope(run: ClientRun):
    assert run.token["token_type"] == "Bearer"
    assert run.token["access_token"]
    assert run.token["refresh_token"]
    assert run.token["expires_in"] == 3600
    assert run.token["scope"] == SCOPE


def test_the_token_names_the_user_who_approved(run: ClientRun):
    assert run.token["user_id"] == str(run.user_id)


def test_the_access_token_reads_the_workout_the_user_logged(run: ClientRun):
    assert run.workouts.status_code == 200, run.workouts.text
    assert [w["id"] for w in run.workouts.json()["items"]] == [run.workout_id]


def test_a_refresh_answers_new_tokens_that_read_the_workouts(run: ClientRun):
    assert run.refreshed["access_token"] != run.token["access_token"]
    assert run.refreshed["refresh_token"] != run.token["refresh_token"]
    assert run.workouts_after_refresh.status_code == 200
    assert [w["id"] for w in run.workouts_after_refresh.json()["items"]] == [run.workout_id]


def test_a_rotated_refresh_token_sent_again_is_refused_as_invalid_grant(run: ClientRun):
    assert run.replay is not None
    assert run.replay.error == "invalid_grant"


def test_the_replay_ends_the_tokens_the_rotated_one_led_to(run: ClientRun):
    assert run.workouts_after_replay.status_code == 401
