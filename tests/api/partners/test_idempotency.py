"""Idempotency-Key on POST: the first response is replayed, nothing is created twice, keys are per caller."""

import uuid

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.core.models import Workout
from tests.factories.partners import grant_directly, make_partner
from tests.factories.sync import a_set, a_workout, changes
from tests.factories.users import register

WORKOUT = {
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


@pytest.fixture(scope="module")
def partner(engine):
    return make_partner(engine)


@pytest.fixture
def account(client, engine, partner):
    account = register(client)
    grant_directly(engine, partner, account.id)
    return account


def create(client, partner, account, key: str, body: dict | None = None):
    headers = partner.headers | {"Idempotency-Key": key}
    return client.post(f"/v1/users/{account.id}/workouts", json=body or WORKOUT, headers=headers)


def workouts_of(engine, account) -> int:
    with Session(engine) as session:
        return (
            session.scalar(select(func.count()).select_from(Workout).where(Workout.user_id == account.id))
            or 0
        )


def test_a_retry_with_the_same_key_replays_the_first_response(client, partner, account):
    key = str(uuid.uuid4())
    first, retry = create(client, partner, account, key), create(client, partner, account, key)
    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.json() == first.json()
    assert retry.headers["location"] == first.headers["location"]
    assert retry.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers


def test_a_retry_with_the_same_key_creates_nothing_twice(client, engine, partner, account):
    key = str(uuid.uuid4())
    create(client, partner, account, key)
    create(client, partner, account, key)
    assert workouts_of(engine, account) == 1


def test_the_same_body_in_another_key_order_is_the_same_request(client, engine, partner, account):
    key = str(uuid.uuid4())
    create(client, partner, account, key)
    reordered = dict(reversed(list(WORKOUT.items())))
    assert create(client, partner, account, key, reordered).headers["idempotent-replayed"] == "true"
    assert workouts_of(engine, account) == 1


def test_the_same_key_with_a_different_body_is_a_422_and_creates_nothing(client, engine, partner, account):
    key = str(uuid.uuid4())
    create(client, partner, account, key)
    other = create(client, partner, account, key, WORKOUT | {"notes": "changed"})
    assert other.status_code == 422
    assert other.json()["type"] == "/problems/idempotency-key-reused"
    assert workouts_of(engine, account) == 1


def test_keys_are_per_caller(client, engine, partner, account):
    other_partner = make_partner(engine)
    grant_directly(engine, other_partner, account.id)
    key = str(uuid.uuid4())
    first, other = create(client, partner, account, key), create(client, other_partner, account, key)
    assert (first.status_code, other.status_code) == (201, 201)
    assert "idempotent-replayed" not in other.headers
    assert workouts_of(engine, account) == 2


def test_an_error_is_not_stored_so_the_corrected_request_may_reuse_the_key(client, engine, partner, account):
    key = str(uuid.uuid4())
    bad = WORKOUT | {"sets": [WORKOUT["sets"][0] | {"exercise_id": "no-such-exercise"}]}
    assert create(client, partner, account, key, bad).status_code == 422
    assert create(client, partner, account, key).status_code == 201
    assert workouts_of(engine, account) == 1


def test_a_key_that_is_not_visible_ascii_is_a_422(client, partner, account):
    assert create(client, partner, account, "two words").status_code == 422


def test_a_users_sync_push_is_replayed_too(client, engine):
    account = register(client)
    workout = a_workout()
    body = {"changes": changes(workouts=[workout], sets=[a_set(workout["id"])])}
    headers = account.headers | {"Idempotency-Key": "push-" + uuid.uuid4().hex}
    first = client.post("/v1/sync/push", json=body, headers=headers)
    retry = client.post("/v1/sync/push", json=body, headers=headers)
    assert retry.headers["idempotent-replayed"] == "true"
    assert retry.json() == first.json() == {"ok": True, "changed": True, "applied": first.json()["applied"]}
