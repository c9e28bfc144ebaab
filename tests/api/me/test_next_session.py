from datetime import UTC, datetime

import pytest

from tests.api.programs.test_programs import program_by_slug
from tests.factories.users import register
from tests.factories.workouts import log_workout


@pytest.fixture
def builder(client) -> dict:
    return program_by_slug(client, "posterior-chain-builder")


def enroll(client, account, program: dict) -> None:
    body = {"program_id": program["id"], "start_date": "2026-01-05"}
    assert client.put("/v1/me/enrollment", json=body, headers=account.headers).status_code == 200


def test_first_session_is_day_a_with_no_target_load_and_a_how_to_note(client, builder):
    account = register(client)
    enroll(client, account, builder)
    session = client.get("/v1/me/next-session", headers=account.headers).json()
    assert session["day"]["key"] == "A"
    rdl = session["exercises"][0]
    assert (rdl["exercise_id"], rdl["sets"], rdl["rep_min"], rdl["rep_max"], rdl["eccentric_s"]) == (
        "romanian-deadlift",
        3,
        6,
        8,
        3,
    )
    assert rdl["target"]["load_kg"] is None
    assert (
        rdl["target"]["note"] == "Work up to a weight you can lift for the top of the range with 2 reps left."
    )
    assert rdl["cues"]


def test_after_logging_day_a_the_next_session_is_day_b(client, builder):
    account = register(client)
    enroll(client, account, builder)
    day_a = builder["days"][0]["id"]
    log_workout(
        client.app.state.engine,
        account.id,
        started_at=datetime(2026, 1, 6, 17, tzinfo=UTC),
        sets=[{"load_kg": 100}],
        program_day_id=day_a,
    )
    session = client.get("/v1/me/next-session", headers=account.headers).json()
    assert session["day"]["key"] == "B"
    assert [e["exercise_id"] for e in session["exercises"]] == ["back-extension-45", "lying-leg-curl"]


def test_days_rotate_back_to_a_after_b(client, builder):
    account = register(client)
    enroll(client, account, builder)
    engine = client.app.state.engine
    log_workout(
        engine,
        account.id,
        started_at=datetime(2026, 1, 6, 17, tzinfo=UTC),
        sets=[],
        program_day_id=builder["days"][0]["id"],
    )
    log_workout(
        engine,
        account.id,
        started_at=datetime(2026, 1, 9, 17, tzinfo=UTC),
        sets=[],
        program_day_id=builder["days"][1]["id"],
    )
    assert client.get("/v1/me/next-session", headers=account.headers).json()["day"]["key"] == "A"


def test_target_load_is_the_heaviest_working_set_of_the_last_session(client, builder):
    account = register(client)
    enroll(client, account, builder)
    engine = client.app.state.engine
    log_workout(
        engine,
        account.id,
        started_at=datetime(2026, 1, 6, 17, tzinfo=UTC),
        sets=[{"load_kg": 90}, {"load_kg": 95}],
    )
    log_workout(
        engine,
        account.id,
        started_at=datetime(2026, 1, 13, 17, tzinfo=UTC),
        sets=[{"load_kg": 60, "is_warmup": True}, {"load_kg": 100}, {"load_kg": 102.5}],
    )
    rdl = client.get("/v1/me/next-session", headers=account.headers).json()["exercises"][0]
    assert rdl["target"]["load_kg"] == 102.5
    assert rdl["target"]["basis"] == "last_session"
    assert rdl["target"]["load_lb"] is None


def test_target_load_is_also_in_pounds_for_users_who_prefer_pounds(client, builder):
    account = register(client, unit="lb")
    enroll(client, account, builder)
    log_workout(
        client.app.state.engine,
        account.id,
        started_at=datetime(2026, 1, 6, 17, tzinfo=UTC),
        sets=[{"load_kg": 100}],
    )
    target = client.get("/v1/me/next-session", headers=account.headers).json()["exercises"][0]["target"]
    assert (target["load_kg"], target["load_lb"]) == (100, 220.5)


def test_another_users_logs_never_set_my_target(client, builder):
    alice, bob = register(client), register(client)
    enroll(client, alice, builder)
    log_workout(
        client.app.state.engine,
        bob.id,
        started_at=datetime(2026, 1, 6, 17, tzinfo=UTC),
        sets=[{"load_kg": 200}],
    )
    assert (
        client.get("/v1/me/next-session", headers=alice.headers).json()["exercises"][0]["target"]["load_kg"]
        is None
    )


def test_next_session_without_enrollment_is_404(client):
    assert client.get("/v1/me/next-session", headers=register(client).headers).status_code == 404
