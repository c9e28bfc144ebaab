"""A corpus of bad pushes: each is a problem+json error and stores nothing."""

import pytest

from tests.factories.sync import a_pain_report, a_set, a_workout, changes, pull, push
from tests.factories.users import register

PROBLEM = "application/problem+json"
WORKOUT_ID = "corpusworkout001"


def with_set(**overrides):
    return changes(workouts=[a_workout(WORKOUT_ID)], sets=[a_set(WORKOUT_ID, **overrides)])


BAD_PUSHES = {
    "load as a string": with_set(load_kg="100"),
    "reps as a float": with_set(reps=8.5),
    "boolean as a number": with_set(to_failure=1),
    "negative load": with_set(load_kg=-5),
    "load over 1000 kg": with_set(load_kg=1000.5),
    "reps over 100": with_set(reps=101),
    "rir over 10": with_set(rir=11),
    "rpe below 1": with_set(rpe=0.5),
    "eccentric over 30 s": with_set(eccentric_s=31),
    "negative assistance": with_set(assistance_kg=-1),
    "unknown side": with_set(side="middle"),
    "unknown exercise": with_set(exercise_id="not-a-catalog-exercise"),
    "missing reps": changes(
        workouts=[a_workout(WORKOUT_ID)], sets=[{k: v for k, v in a_set(WORKOUT_ID).items() if k != "reps"}]
    ),
    "id with illegal characters": changes(workouts=[a_workout("bad id!")]),
    "id longer than 64": changes(workouts=[a_workout("x" * 65)]),
    "notes over 2000 characters": changes(workouts=[a_workout(notes="n" * 2001)]),
    # PostgreSQL text cannot hold NUL: refused at validation, not a 500 from the database.
    "NUL in notes": changes(workouts=[a_workout(notes="leg day\x00")]),
    "NUL in a program day id": changes(workouts=[a_workout(program_day_id="day-a\x00")]),
    "NUL in a pain note": changes(pain_reports=[a_pain_report(note="sore\x00")]),
    "ended before started": changes(workouts=[a_workout(ended_at=1)]),
    "pain severity over 10": changes(pain_reports=[a_pain_report(severity=11)]),
    "unknown body part": changes(pain_reports=[a_pain_report(body_part="elbow")]),
    "unknown table": changes() | {"bench_presses": {"created": [], "updated": [], "deleted": []}},
    "server-owned table": changes()
    | {"exercises": {"created": [{"id": "my-exercise"}], "updated": [], "deleted": []}},
    "prescriptions pushed": changes()
    | {"prescriptions": {"created": [], "updated": [{"id": "p1"}], "deleted": []}},
    "table is not an object": changes() | {"workouts": []},
    "created is not a list": changes() | {"workouts": {"created": {}, "updated": [], "deleted": []}},
    "deleted id is not a string": changes(deleted_sets=[42]),
    "record is not an object": changes() | {"workouts": {"created": ["nope"], "updated": [], "deleted": []}},
    "same id twice": changes(workouts=[a_workout(WORKOUT_ID), a_workout(WORKOUT_ID)]),
}


@pytest.fixture
def account(client):
    return register(client)


def assert_nothing_stored(client, account) -> None:
    body = pull(client, account)
    assert all(body["changes"][t]["updated"] == [] for t in ("workouts", "workout_sets", "pain_reports"))


@pytest.mark.parametrize("case", BAD_PUSHES)
def test_bad_push_is_a_422_problem_and_stores_nothing(client, account, case):
    response = push(client, account, BAD_PUSHES[case])
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["errors"]
    assert_nothing_stored(client, account)


def test_errors_name_the_table_record_and_field(client, account):
    response = push(client, account, with_set(reps=500))
    error = response.json()["errors"][0]
    assert (error["table"], error["field"]) == ("workout_sets", "reps")
    assert error["id"]


def test_one_invalid_set_rejects_the_valid_one_too(client, account):
    body = changes(workouts=[a_workout(WORKOUT_ID)], sets=[a_set(WORKOUT_ID), a_set(WORKOUT_ID, reps=500)])
    assert push(client, account, body).status_code == 422
    assert_nothing_stored(client, account)


def test_malformed_json_is_a_422_problem(client, account):
    response = client.post(
        "/v1/sync/push",
        content=b'{"changes": {',
        headers=account.headers | {"content-type": "application/json"},
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM


def test_a_body_that_is_not_an_object_is_a_422_problem(client, account):
    response = client.post("/v1/sync/push", json=[1, 2, 3], headers=account.headers)
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM


def test_more_than_5000_records_is_a_413_problem(client, account):
    sets = [a_set(WORKOUT_ID, set_index=i % 1000) for i in range(5001)]
    response = push(client, account, changes(workouts=[a_workout(WORKOUT_ID)], sets=sets))
    assert response.status_code == 413
    assert response.headers["content-type"] == PROBLEM
    assert_nothing_stored(client, account)


def test_a_body_over_4_mib_is_a_413_problem(client, account):
    body = changes(workouts=[a_workout(WORKOUT_ID, notes="n" * 2000)]) | {"padding": "x" * (4 * 1024 * 1024)}
    response = push(client, account, body)
    assert response.status_code == 413
    assert_nothing_stored(client, account)


def test_a_negative_cursor_is_a_422_problem(client, account):
    assert push(client, account, with_set(), last_pulled_at=-1).status_code == 422
