"""The next session is a read model kept at write time (ARCHITECTURE.md, "Read models"): every write
that changes it stores the new answer in its own transaction, so the GET right after the commit
serves exactly what a fresh computation gives; its ETag changes exactly when the answer does."""

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session

from services.core.repositories import users
from services.core.usecases import sessions
from services.core.usecases.recompute import recompute_user
from tests.api.programs.test_programs import program_by_slug
from tests.factories.sync import STARTED_AT, a_custom_exercise, a_set, a_workout, changes, pull, push
from tests.factories.users import register

DAY_MS = 86_400_000


def enroll(client, account, program_id: str) -> None:
    body = {"program_id": program_id, "start_date": "2026-01-05"}
    assert client.put("/v1/me/enrollment", json=body, headers=account.headers).status_code == 200


def served(client, account) -> dict:
    response = client.get("/v1/me/next-session", headers=account.headers)
    assert response.status_code == 200, response.text
    return response.json()


def computed(engine, account) -> dict | None:
    with Session(engine) as session:
        return sessions.next_session(session, users.get(session, account.id))


def push_day(position: int, on_day: int) -> Callable:
    def log(client, engine, account) -> None:
        day = program_by_slug(client, "posterior-chain-builder")["days"][position]
        workout = a_workout(program_day_id=day["id"], started_at=STARTED_AT + on_day * DAY_MS)
        sets = [
            a_set(workout["id"], set_index=i, exercise_id=slot["exercise_id"], load_kg=60, reps=8, rir=2)
            for i, slot in enumerate(day["slots"])
        ]
        push(client, account, changes(workouts=[workout], sets=sets)).raise_for_status()

    return log


def recompute(client, engine, account) -> None:
    with Session(engine) as session:
        recompute_user(session, account.id, now=datetime(2026, 3, 9, 12, tzinfo=UTC))
        session.commit()


def patch_me(body: dict) -> Callable:
    def change(client, engine, account) -> None:
        assert client.patch("/v1/me", json=body, headers=account.headers).status_code == 200

    return change


def edit_followed_copy(client, engine, account) -> None:
    builder = program_by_slug(client, "posterior-chain-builder")
    mine = client.post(
        "/v1/me/programs", json={"name": "Mine", "source_program_id": builder["id"]}, headers=account.headers
    ).json()
    enroll(client, account, mine["id"])
    only_nordics = [{"exercise_id": "nordic-curl", "sets": 3, "rep_min": 4, "rep_max": 6}]
    days = [{"id": day["id"], "name": day["name"], "slots": only_nordics} for day in mine["days"]]
    response = client.patch(f"/v1/me/programs/{mine['id']}", json={"days": days}, headers=account.headers)
    assert response.status_code == 200, response.text


def substitute(client, engine, account) -> None:
    builder = program_by_slug(client, "posterior-chain-builder")
    response = client.post(
        f"/v1/me/programs/{builder['id']}/slots/A1/substitute",
        json={"exercise_id": "good-morning"},
        headers=account.headers,
    )
    assert response.status_code == 200, response.text


def enroll_elsewhere(client, engine, account) -> None:
    enroll(client, account, program_by_slug(client, "hamstrings-first")["id"])


CHANGES = {
    "a pushed workout": push_day(0, on_day=7),
    "a recompute": recompute,
    "the unit": patch_me({"unit": "lb"}),
    "the weak point": patch_me({"hamstrings_weak_point": True}),
    "an edit of the followed program": edit_followed_copy,
    "a substitution": substitute,
    "another enrollment": enroll_elsewhere,
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_right_after_each_change_the_get_serves_what_a_fresh_computation_gives(client, engine, change):
    account = register(client)
    enroll(client, account, program_by_slug(client, "posterior-chain-builder")["id"])
    # Both days logged: the next one (A again) has loads to show, in kilograms or pounds.
    push_day(0, on_day=0)(client, engine, account)
    push_day(1, on_day=3)(client, engine, account)
    before = served(client, account)

    change(client, engine, account)

    after = served(client, account)
    assert after == computed(engine, account)
    assert after != before


def test_the_same_etag_answers_304_until_the_session_changes(client, engine):
    account = register(client)
    enroll(client, account, program_by_slug(client, "posterior-chain-builder")["id"])
    etag = client.get("/v1/me/next-session", headers=account.headers).headers["ETag"]

    unchanged = client.get("/v1/me/next-session", headers=account.headers | {"If-None-Match": etag})
    push_day(0, on_day=0)(client, engine, account)
    changed = client.get("/v1/me/next-session", headers=account.headers | {"If-None-Match": etag})

    assert (unchanged.status_code, unchanged.content) == (304, b"")
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag


def test_a_write_that_changes_nothing_the_session_shows_keeps_the_etag(client):
    account = register(client)
    enroll(client, account, program_by_slug(client, "posterior-chain-builder")["id"])
    etag = client.get("/v1/me/next-session", headers=account.headers).headers["ETag"]

    assert (
        client.patch("/v1/me", json={"timezone": "Europe/Berlin"}, headers=account.headers).status_code == 200
    )

    assert client.get("/v1/me/next-session", headers=account.headers).headers["ETag"] == etag


def test_renaming_an_own_exercise_of_the_followed_program_renames_it_in_the_next_session(client, engine):
    account = register(client)
    own = a_custom_exercise()
    push(client, account, changes(custom_exercises=[own])).raise_for_status()
    slot = {"exercise_id": own["id"], "sets": 3, "rep_min": 5, "rep_max": 8}
    body = {"name": "Curls", "days": [{"name": "Curls", "slots": [slot]}]}
    program = client.post("/v1/me/programs", json=body, headers=account.headers).json()
    enroll(client, account, program["id"])

    renamed = changes()
    renamed["custom_exercises"]["updated"] = [own | {"name": "Seat-anchored Nordic", "_status": "updated"}]
    push(client, account, renamed, last_pulled_at=pull(client, account)["timestamp"]).raise_for_status()

    assert [e["name"] for e in served(client, account)["exercises"]] == ["Seat-anchored Nordic"]
    assert served(client, account) == computed(engine, account)
