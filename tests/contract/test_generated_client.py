"""A partner's view of the contract: a client generated from the committed `openapi/openapi.json`
runs the quick start (docs/partners.md) against a real server, a Celery worker and beat, and a
receiver on 127.0.0.1 that verifies webhook signatures with the `standardwebhooks` package.

Every partner call goes through the generated client's operations and models; only the user's
side (registering, and approving on the consent page, which is no part of the API) uses httpx."""

import base64
import hashlib
import json
import os
import secrets
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.contract.generated_client import SPEC, GeneratedClient, generated_client
from tests.e2e.processes import start_beat, start_worker, wait_for
from tests.e2e.servers import ROOT, Server, start_api
from tests.e2e.webhooks.receiver import Received, Receiver, running_receiver
from tests.factories.history import History, moved_to_week_of, parse, scenario
from tests.factories.partners import consent_token, redirect_params, submit_consent
from tests.factories.users import Account, register

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]

REDIRECT_URI = "https://coach.example/oauth/callback"
PARTNER_SCOPES = ("workouts:read", "workouts:write", "insights:read", "webhooks:manage")
USER_SCOPES = ("workouts:read", "workouts:write", "insights:read")
WITHIN_S = 60


# -- the world: generated client, database, Redis, API server, worker and beat, receiver --------


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GeneratedClient]:
    with generated_client(tmp_path_factory.mktemp("generated-client")) as client:
        yield client


@pytest.fixture(scope="module")
def server(hooks_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The API as a partner sees it, started like `make run` (which migrates the database first),
    with a worker and beat behind it that recompute insights and deliver webhooks."""
    workdir = tmp_path_factory.mktemp("contract-stack")
    with ExitStack() as cleanup:
        api = start_api(hooks_env, workdir)
        cleanup.callback(api.stop)
        cleanup.callback(start_worker(hooks_env, workdir).stop)
        cleanup.callback(start_beat(hooks_env, workdir).stop)
        yield api


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    with running_receiver() as receiver:
        yield receiver


@pytest.fixture
def partner_key(hooks_env: dict[str, str], tmp_path: Path) -> dict[str, str]:
    """Step 1 of the quick start: an operator registers the partner with the admin CLI."""
    return register_partner(hooks_env, tmp_path)


@pytest.fixture
def partner(generated: GeneratedClient, server: Server, partner_key: dict[str, str]) -> Iterator[Any]:
    """The generated client with the partner's API key; undocumented statuses raise."""
    from posterior_client import AuthenticatedClient

    client = AuthenticatedClient(
        base_url=server.base_url, token=partner_key["api_key"], raise_on_unexpected_status=True, timeout=10
    )
    with client:
        yield client


# -- the partner's side -------------------------------------------------------------------------


def register_partner(env: dict[str, str], workdir: Path) -> dict[str, str]:
    """`python -m services.api.admin partners create …`: what it prints, as `name: value` pairs."""
    argv = [sys.executable, "-m", "services.api.admin", "partners", "create", "--name", "Hamstring Coach"]
    argv += ["--redirect-uri", REDIRECT_URI, "--scopes", *PARTNER_SCOPES]
    done = subprocess.run(
        argv,
        cwd=workdir,
        env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return dict(line.split(": ", 1) for line in done.stdout.splitlines() if ": " in line)


def pkce_pair() -> tuple[str, str]:
    """Step 2a, as the quick start writes it: a verifier and its S256 challenge."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def authorize_params(client_id: str, challenge: str, state: str) -> dict[str, str]:
    """Step 2b: where the partner sends the user's browser."""
    return {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": REDIRECT_URI,
        "scope": " ".join(USER_SCOPES),
        "state": state,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }


def partner_workouts(history: History) -> list[Any]:
    """The history's workouts as the generated client's `PartnerWorkoutIn` models."""
    from posterior_client.models import PartnerSetIn, PartnerSetInSide, PartnerWorkoutIn

    workouts = []
    for workout in sorted(history["workouts"], key=lambda w: w["started_at"]):
        started_at = parse(workout["started_at"])
        sets = [
            PartnerSetIn(
                exercise_id=logged["exercise_id"],
                set_index=index,
                side=PartnerSetInSide(logged.get("side", "both")),
                load_kg=float(logged["load_kg"]),
                reps=logged["reps"],
                rir=logged.get("rir"),
                to_failure=logged.get("to_failure", False),
                is_warmup=logged.get("is_warmup", False),
                performed_at=started_at + timedelta(minutes=3 * index),
            )
            for index, logged in enumerate(workout["sets"])
        ]
        ended_at = started_at + timedelta(minutes=3 * len(sets) + 5)
        workouts.append(PartnerWorkoutIn(started_at=started_at, ended_at=ended_at, sets=sets))
    return workouts


# -- the user's side (a browser and the app, over plain HTTP) ----------------------------------


def approve_in_browser(base_url: str, params: dict[str, str], account: Account) -> dict[str, str]:
    """The user opens the consent page, logs in on it and approves; the redirect's query."""
    with httpx.Client(base_url=base_url, timeout=10) as browser:
        page = browser.get("/v1/oauth/authorize", params=params)
        assert page.status_code == 200, page.text
        answer = submit_consent(browser, consent_token(page), account, scopes=USER_SCOPES)
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"].startswith(f"{REDIRECT_URI}?")
    return redirect_params(answer)


def event_of(received: Received) -> dict[str, Any]:
    return json.loads(received.body)


# -- the specification --------------------------------------------------------------------------


def test_the_committed_spec_generates_a_client_without_warnings(generated: GeneratedClient) -> None:
    assert not generated.warned, generated.output


def test_the_generated_client_has_a_model_for_every_webhook_event(generated: GeneratedClient) -> None:
    from posterior_client import models

    spec = json.loads(SPEC.read_text())
    bodies = {
        name: webhook["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[
            1
        ]
        for name, webhook in spec["webhooks"].items()
    }

    missing = {name: model for name, model in bodies.items() if not hasattr(models, model)}

    assert bodies
    assert missing == {}


def test_a_partner_runs_the_quick_start_with_the_generated_client_up_to_a_signed_imbalance_event(
    server: Server, partner: Any, partner_key: dict[str, str], receiver: Receiver
) -> None:
    from posterior_client.api.oauth import exchange_authorization_code
    from posterior_client.api.partners import create_user_workout, list_user_insights, list_user_workouts
    from posterior_client.api.webhooks import create_webhook_endpoint
    from posterior_client.models import (
        ImbalanceDetectedEvent,
        PageInsightRead,
        PageWorkoutRead,
        TokenForm,
        TokenIssued,
        WebhookEndpointCreated,
        WebhookEndpointIn,
        WebhookEndpointInEventsItem,
        WorkoutRead,
    )

    # The user's grant: consent page with PKCE S256, then the code exchange.
    history = moved_to_week_of(scenario("3"))  # a quad-only lifter: hamstring alerts
    with httpx.Client(base_url=server.base_url, timeout=10) as app:
        account = register(app, **history["user"])
    verifier, challenge = pkce_pair()
    state = secrets.token_urlsafe(16)
    callback = approve_in_browser(
        server.base_url, authorize_params(partner_key["client_id"], challenge, state), account
    )
    assert callback["state"] == state
    grant = exchange_authorization_code.sync(
        client=partner,
        body=TokenForm(
            grant_type="authorization_code",
            code=callback["code"],
            redirect_uri=REDIRECT_URI,
            code_verifier=verifier,
        ),
    )
    assert isinstance(grant, TokenIssued), grant
    assert (grant.user_id, sorted(grant.scope.split())) == (account.id, sorted(USER_SCOPES))

    # A webhook endpoint on the partner's receiver, which verifies deliveries with the secret returned here.
    path = f"/hooks/{uuid.uuid4().hex}"
    events = [WebhookEndpointInEventsItem.DELOAD_SUGGESTED, WebhookEndpointInEventsItem.IMBALANCE_DETECTED]
    endpoint = create_webhook_endpoint.sync(
        client=partner, body=WebhookEndpointIn(url=receiver.url(path), events=events)
    )
    assert isinstance(endpoint, WebhookEndpointCreated), endpoint
    receiver.expect(path, secrets=[endpoint.secret])

    # The user's workouts, logged by the partner (workouts:write) and read back.
    logged = [
        create_user_workout.sync(grant.user_id, client=partner, body=w, idempotency_key=str(uuid.uuid4()))
        for w in partner_workouts(history)
    ]
    assert all(isinstance(w, WorkoutRead) for w in logged), logged
    page = list_user_workouts.sync(grant.user_id, client=partner, limit=50)
    assert isinstance(page, PageWorkoutRead), page
    assert {w.id for w in page.items} == {w.id for w in logged}
    assert sum(len(w.sets) for w in page.items) == sum(len(w["sets"]) for w in history["workouts"])

    # The worker finds the imbalance and tells the partner, signed.
    def imbalance_events() -> list[Received]:
        return [r for r in receiver.received(path) if event_of(r)["type"] == "imbalance.detected"]

    [first, *_] = wait_for(imbalance_events, timeout_s=WITHIN_S, what="an imbalance.detected event")
    assert first.verified
    event = ImbalanceDetectedEvent.from_dict(event_of(first))  # the spec's webhooks section, generated
    assert event.data.user_id == grant.user_id

    # The insight the event names is the partner's to read.
    insights = list_user_insights.sync(grant.user_id, client=partner, kind=event.data.insight.kind)
    assert isinstance(insights, PageInsightRead), insights
    [insight] = [i for i in insights.items if i.id == event.data.insight_id]
    assert (insight.kind, insight.subject) == (event.data.insight.kind, event.data.insight.subject)
    assert insight.kind.startswith("imbalance.")
