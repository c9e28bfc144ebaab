"""A cursor is opaque but not signed: one forged by a client is a 422 problem on every list, never
a value of the wrong type (or out of range) sent to the database, which would be a 500."""

import base64
import json

import pytest

from tests.factories.users import register

FORGED_KEYS = {
    "workouts: a start time that is not a number": ("/v1/me/workouts", ["x", "a1b2c3d4e5f6g7h8"]),
    "workouts: a start time beyond bigint": ("/v1/me/workouts", [10**30, "a1b2c3d4e5f6g7h8"]),
    "workouts: an id that is not a string": ("/v1/me/workouts", [1772470800000, 2]),
    "insights: a time that is not a time": ("/v1/me/insights", ["yesterday", "a1b2c3d4"]),
    "insights: an id that is an object": ("/v1/me/insights", ["2026-03-02T12:00:00+00:00", {}]),
    "exercises: a slug that is an object": ("/v1/exercises", [{}]),
    "programs: a slug with a NUL": ("/v1/programs", ["hamstrings\x00"]),
}


@pytest.fixture(scope="module")
def account(client):
    return register(client)


def forged(key: list) -> str:
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")


@pytest.mark.parametrize("case", FORGED_KEYS)
def test_a_forged_cursor_is_a_422_problem(client, account, case):
    path, key = FORGED_KEYS[case]
    response = client.get(path, params={"cursor": forged(key)}, headers=account.headers)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == "cursor"
