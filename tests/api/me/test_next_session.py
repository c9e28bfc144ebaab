from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, event

from tests.api.programs.test_programs import program_by_slug
from tests.factories.users import register
from tests.factories.workouts import log_workout


@pytest.fixture
def builder(client) -> dict:
    return program_by_slug(client, "posterior-chain-builder")


def enroll(client, account, program: dict) -> None:
    body = {"program_id": program["id"], "start_date": "2026-01-05"}
    assert client.put("/v1/me/enrollment", json=body, headers=account.headers).status_code == 200


def targets(client, account) -> dict[str, float | None]:
    session = client.get("/v1/me/next-session", headers=account.headers).json()
    return {e["exercise_id"]: e["target"]["load_kg"] for e in session["exercises"]}


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    """The SQL the engine sends while the block runs."""
    sent: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        sent.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", record)


EARLIER, LATER = datetime(2026, 1, 6, 17, tzinfo=UTC), datetime(2026, 1, 13, 17, tzinfo=UTC)


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


def test_a_pound_users_last_session_target_is_the_nearest_load_their_gym_makes(client, builder):
    account = register(client, unit="lb")
    enroll(client, account, builder)
    log_workout(
        client.app.state.engine,
        account.id,
        started_at=datetime(2026, 1, 6, 17, tzinfo=UTC),
        sets=[{"load_kg": 100}],
    )
    target = client.get("/v1/me/next-session", headers=account.headers).json()["exercises"][0]["target"]
    # 100 kg is 220.46 lb: on a 45 lb bar with pound plates, 220 lb (45 + 35 + 5 + 2.5 a side).
    assert (target["unit"], target["load"], target["load_lb"]) == ("lb", 220, 220)
    assert target["plates_per_side"] == [45, 35, 5, 2.5]
    assert target["load_kg"] == 99.790321


def test_another_users_logs_never_set_my_target(client, builder):
    alice, bob = register(client), register(client)
    enroll(client, alice, builder)
    engine = client.app.state.engine
    log_workout(engine, alice.id, started_at=EARLIER, sets=[{"load_kg": 90}])
    log_workout(engine, bob.id, started_at=LATER, sets=[{"load_kg": 200}])
    assert targets(client, alice)["romanian-deadlift"] == 90


def test_each_exercise_targets_the_last_workout_that_trained_it(client, builder):
    account = register(client)
    enroll(client, account, builder)
    engine = client.app.state.engine
    log_workout(
        engine,
        account.id,
        started_at=EARLIER,
        sets=[{"load_kg": 90}, {"exercise_id": "seated-leg-curl", "load_kg": 50}],
    )
    log_workout(engine, account.id, started_at=LATER, sets=[{"load_kg": 100}])
    assert targets(client, account) == {"romanian-deadlift": 100, "seated-leg-curl": 50}


def test_an_exercise_never_trained_has_no_target_while_another_has_one(client, builder):
    account = register(client)
    enroll(client, account, builder)
    log_workout(client.app.state.engine, account.id, started_at=EARLIER, sets=[{"load_kg": 90}])
    assert targets(client, account) == {"romanian-deadlift": 90, "seated-leg-curl": None}


@pytest.mark.parametrize(
    "ignored",
    [{"is_warmup": True}, {"reps": 0}, {"deleted": True}],
    ids=["warm-up", "no-reps", "deleted"],
)
def test_a_later_workout_with_only_warm_up_failed_or_deleted_sets_is_not_the_last_session(
    client, builder, ignored
):
    account = register(client)
    enroll(client, account, builder)
    engine = client.app.state.engine
    log_workout(engine, account.id, started_at=EARLIER, sets=[{"load_kg": 90}])
    log_workout(engine, account.id, started_at=LATER, sets=[{"load_kg": 120} | ignored])
    assert targets(client, account)["romanian-deadlift"] == 90


def test_a_deleted_workout_is_not_the_last_session(client, builder):
    account = register(client)
    enroll(client, account, builder)
    engine = client.app.state.engine
    log_workout(engine, account.id, started_at=EARLIER, sets=[{"load_kg": 90}])
    log_workout(engine, account.id, started_at=LATER, sets=[{"load_kg": 120}], deleted=True)
    assert targets(client, account)["romanian-deadlift"] == 90


def test_the_program_plan_is_served_from_the_process_cache(client, builder):
    account = register(client)
    enroll(client, account, builder)
    client.get("/v1/me/next-session", headers=account.headers)
    with statements(client.app.state.engine) as sent:
        assert client.get("/v1/me/next-session", headers=account.headers).status_code == 200
    reference = ("programs", "program_days", "program_slots", "exercises")
    assert not [s for s in sent if any(f"FROM {table} " in s for table in reference)]


def test_a_next_session_request_takes_two_statements(client, builder):
    # The answer is stored at write time (read_models): the user (authentication) and the one
    # planned_sessions row, however many slots, logs and prescriptions there are.
    account = register(client)
    enroll(client, account, builder)
    log_workout(
        client.app.state.engine,
        account.id,
        started_at=EARLIER,
        sets=[{"load_kg": 90}, {"exercise_id": "seated-leg-curl", "load_kg": 50}],
    )
    with statements(client.app.state.engine) as sent:
        assert client.get("/v1/me/next-session", headers=account.headers).status_code == 200
    assert len(sent) <= 2, sent


def test_next_session_without_enrollment_is_404(client):
    assert client.get("/v1/me/next-session", headers=register(client).headers).status_code == 404
