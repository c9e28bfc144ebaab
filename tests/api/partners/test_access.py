"""Object-level authorization: every partner endpoint × every way a partner may not reach the data.

Nothing in a refusal may tell the partner about the user: no workout ids, no email, no sets.
"""

import json
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.api.admin import service as admin
from services.core.models import Enrollment, Program, Workout
from services.core.models.partners import GRANTABLE_SCOPES
from services.core.seed.programs import POSTERIOR_CHAIN_BUILDER
from tests.factories.partners import PartnerApp, grant_access, make_partner, with_key
from tests.factories.sync import a_set, a_workout, changes, push
from tests.factories.users import Account, register

WORKOUT_BODY = {
    "started_at": "2026-03-02T17:00:00Z",
    "sets": [
        {
            "exercise_id": "romanian-deadlift",
            "set_index": 0,
            "side": "both",
            "load_kg": 100,
            "reps": 8,
            "to_failure": False,
            "is_warmup": False,
        }
    ],
}

PROGRAM_BODY = {
    "name": "Coach's block",
    "days": [
        {"name": "A", "slots": [{"exercise_id": "seated-leg-curl", "sets": 3, "rep_min": 10, "rep_max": 15}]}
    ],
}
ENROLLMENT_BODY = {"program_id": str(POSTERIOR_CHAIN_BUILDER.id), "start_date": "2026-03-02"}
# What each write sends: a request its partner's call would carry out.
BODIES = {
    ("POST", "/workouts"): WORKOUT_BODY,
    ("POST", "/programs"): PROGRAM_BODY,
    ("PUT", "/enrollment"): ENROLLMENT_BODY,
}

# (method, path under /v1/users/{user_id}, scope it needs)
ENDPOINTS = [
    ("GET", "/enrollment", "programs:read"),
    ("GET", "/next-session", "programs:read"),
    ("POST", "/programs", "programs:write"),
    ("PUT", "/enrollment", "programs:write"),
    ("GET", "/workouts", "workouts:read"),
    ("GET", "/workouts/{workout_id}", "workouts:read"),
    ("POST", "/workouts", "workouts:write"),
    ("GET", "/changes/workouts", "workouts:read"),
    ("GET", "/insights", "insights:read"),
    ("GET", "/changes/insights", "insights:read"),
    ("GET", "/volume", "insights:read"),
]


@dataclass(frozen=True)
class Subject:
    account: Account
    workout_id: str


@dataclass(frozen=True)
class World:
    partner: PartnerApp
    granted: Subject  # granted every scope
    stranger: Subject  # never granted this partner anything
    revoked: Subject  # granted, then revoked the grant
    lacking: dict[str, Subject]  # granted every scope but the key's scope
    revoked_key: PartnerApp
    narrow_key: dict[str, PartnerApp]  # a key of the partner without the scope


def subject(client) -> Subject:
    account = register(client)
    workout = a_workout()
    assert push(client, account, changes(workouts=[workout], sets=[a_set(workout["id"])])).status_code == 200
    return Subject(account, workout["id"])


@pytest.fixture(scope="module")
def world(client, engine) -> World:
    partner = make_partner(engine)
    granted, stranger, revoked = subject(client), subject(client), subject(client)
    grant_access(client, partner, granted.account)
    program_id = client.get("/v1/programs").json()["items"][0]["id"]
    enrollment = {"program_id": program_id, "start_date": "2026-03-02"}
    assert (
        client.put("/v1/me/enrollment", json=enrollment, headers=granted.account.headers).status_code == 200
    )
    grant_id = grant_access(client, partner, revoked.account)["grant_id"]
    assert client.delete(f"/v1/me/grants/{grant_id}", headers=revoked.account.headers).status_code == 204
    lacking = {}
    for scope in GRANTABLE_SCOPES:
        lacking[scope] = subject(client)
        grant_access(
            client, partner, lacking[scope].account, scopes=tuple(s for s in GRANTABLE_SCOPES if s != scope)
        )
    revoked_key = with_key(engine, partner, scopes=GRANTABLE_SCOPES)
    with Session(engine) as session:
        admin.revoke_key(session, key_id=revoked_key.key_id)
    narrow_key = {
        scope: with_key(engine, partner, scopes=tuple(s for s in GRANTABLE_SCOPES if s != scope))
        for scope in GRANTABLE_SCOPES
    }
    return World(partner, granted, stranger, revoked, lacking, revoked_key, narrow_key)


def call(
    client, method: str, path: str, key: PartnerApp, user: Subject, workout_id: str | None = None
) -> Any:
    url = "/v1/users/" + str(user.account.id) + path.format(workout_id=workout_id or user.workout_id)
    return client.request(method, url, headers=key.headers, json=BODIES.get((method, path)))


def state_of(engine, account: Account) -> tuple[int, ...]:
    """What a refused call must leave as it was: the user's workouts, programs and enrollment."""
    with Session(engine) as session:
        return tuple(
            session.scalar(select(func.count()).select_from(model).where(column == account.id)) or 0
            for model, column in (
                (Workout, Workout.user_id),
                (Program, Program.owner_id),
                (Enrollment, Enrollment.user_id),
            )
        )


def assert_refused(response, status: int, *subjects: Subject) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    told = json.dumps({k: v for k, v in response.json().items() if k != "instance"})  # the path it sent
    for refused in subjects:
        assert refused.workout_id not in told
        assert refused.account.email not in told


ENDPOINT_IDS = [f"{method} {path}" for method, path, _ in ENDPOINTS]


@pytest.mark.parametrize(("method", "path", "scope"), ENDPOINTS, ids=ENDPOINT_IDS)
def test_with_the_grant_and_the_scope_the_partner_gets_the_data(client, world, method, path, scope):
    response = call(client, method, path, world.partner, world.granted)
    assert response.status_code == (201 if method == "POST" else 200), response.text


@pytest.mark.parametrize(("method", "path", "scope"), ENDPOINTS, ids=ENDPOINT_IDS)
def test_a_user_who_never_granted_the_partner_is_a_404(client, engine, world, method, path, scope):
    before = state_of(engine, world.stranger.account)
    assert_refused(call(client, method, path, world.partner, world.stranger), 404, world.stranger)
    assert state_of(engine, world.stranger.account) == before


@pytest.mark.parametrize(("method", "path", "scope"), ENDPOINTS, ids=ENDPOINT_IDS)
def test_a_revoked_grant_is_a_404(client, engine, world, method, path, scope):
    before = state_of(engine, world.revoked.account)
    assert_refused(call(client, method, path, world.partner, world.revoked), 404, world.revoked)
    assert state_of(engine, world.revoked.account) == before


@pytest.mark.parametrize(("method", "path", "scope"), ENDPOINTS, ids=ENDPOINT_IDS)
def test_a_grant_without_the_scope_is_a_403_insufficient_scope(client, engine, world, method, path, scope):
    user = world.lacking[scope]
    before = state_of(engine, user.account)
    response = call(client, method, path, world.partner, user)
    assert_refused(response, 403, user)
    assert response.json()["type"] == "/problems/insufficient-scope"
    assert response.json()["required_scope"] == scope
    assert state_of(engine, user.account) == before


@pytest.mark.parametrize(("method", "path", "scope"), ENDPOINTS, ids=ENDPOINT_IDS)
def test_a_key_without_the_scope_is_a_403_insufficient_scope(client, engine, world, method, path, scope):
    before = state_of(engine, world.granted.account)
    response = call(client, method, path, world.narrow_key[scope], world.granted)
    assert_refused(response, 403, world.granted)
    assert response.json()["type"] == "/problems/insufficient-scope"
    assert state_of(engine, world.granted.account) == before


@pytest.mark.parametrize(("method", "path", "scope"), ENDPOINTS, ids=ENDPOINT_IDS)
def test_a_revoked_key_is_a_401(client, engine, world, method, path, scope):
    before = state_of(engine, world.granted.account)
    assert_refused(call(client, method, path, world.revoked_key, world.granted), 401, world.granted)
    assert state_of(engine, world.granted.account) == before


def test_another_users_workout_looks_exactly_like_a_missing_one(client, world):
    def answer(workout_id: str) -> dict[str, Any]:
        response = call(
            client, "GET", "/workouts/{workout_id}", world.partner, world.granted, workout_id=workout_id
        )
        assert response.status_code == 404
        body = {k: v for k, v in response.json().items() if k != "request_id"}
        return json.loads(json.dumps(body).replace(workout_id, "<id>"))

    assert answer(world.stranger.workout_id) == answer("no-such-workout")


def test_a_user_access_token_is_not_a_partner_key(client, world):
    response = client.get(
        f"/v1/users/{world.granted.account.id}/workouts", headers=world.granted.account.headers
    )
    assert_refused(response, 401, world.granted)
