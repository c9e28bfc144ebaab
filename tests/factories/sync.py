"""Records as a WatermelonDB client pushes them, and helpers to push and pull through the API."""

import uuid
from typing import Any

from fastapi.testclient import TestClient

from services.api.sync.tables import SCHEMA_VERSION
from tests.factories.users import Account

STARTED_AT = 1772470800000  # 2026-03-02T17:00:00Z


def new_id() -> str:
    return uuid.uuid4().hex[:16]


def a_workout(workout_id: str | None = None, **overrides: Any) -> dict[str, Any]:
    return {
        "id": workout_id or new_id(),
        "started_at": STARTED_AT,
        "ended_at": None,
        "program_day_id": None,
        "notes": None,
        "_status": "created",
        "_changed": "",
    } | overrides


def a_set(workout_id: str, set_id: str | None = None, **overrides: Any) -> dict[str, Any]:
    return {
        "id": set_id or new_id(),
        "workout_id": workout_id,
        "exercise_id": "romanian-deadlift",
        "set_index": 0,
        "side": "both",
        "load_kg": 100,
        "reps": 8,
        "rir": 2,
        "rpe": None,
        "eccentric_s": 3,
        "assistance_kg": None,
        "to_failure": False,
        "is_warmup": False,
        "performed_at": STARTED_AT + 60_000,
        "_status": "created",
        "_changed": "",
    } | overrides


def a_pain_report(report_id: str | None = None, **overrides: Any) -> dict[str, Any]:
    return {
        "id": report_id or new_id(),
        "body_part": "knee",
        "side": "left",
        "severity": 4,
        "reported_at": STARTED_AT,
        "note": None,
    } | overrides


def a_custom_exercise(exercise_id: str | None = None, **overrides: Any) -> dict[str, Any]:
    """A Nordic curl anchored under a lat pulldown seat: the user's own knee-flexion exercise."""
    return {
        "id": exercise_id or new_id(),
        "name": "Nordic on a lat pulldown seat",
        "pattern": "knee_flexion",
        "muscles_json": '{"primary":{"hamstrings":1.0},"secondary":{"calves":0.25}}',
        "equipment": "machine_stack",
        "unilateral": False,
        "load_type": "bodyweight",
        "_status": "created",
        "_changed": "",
    } | overrides


def a_body_weight(weight_id: str | None = None, **overrides: Any) -> dict[str, Any]:
    """80 kg on 2026-03-02 (local midnight in UTC, the default time zone)."""
    return {
        "id": weight_id or new_id(),
        "measured_on": 1772409600000,
        "weight": 80,
        "unit": "kg",
        "_status": "created",
        "_changed": "",
    } | overrides


def changes(
    *,
    workouts=(),
    sets=(),
    pain_reports=(),
    custom_exercises=(),
    body_weights=(),
    deleted_workouts=(),
    deleted_sets=(),
    updated_sets=(),
    deleted_custom_exercises=(),
) -> dict[str, Any]:
    def table(created=(), updated=(), deleted=()):
        return {"created": list(created), "updated": list(updated), "deleted": list(deleted)}

    return {
        "workouts": table(workouts, deleted=deleted_workouts),
        "workout_sets": table(sets, updated_sets, deleted_sets),
        "pain_reports": table(pain_reports),
        "custom_exercises": table(custom_exercises, deleted=deleted_custom_exercises),
        "body_weights": table(body_weights),
        "insights": table(),
        "prescriptions": table(),
        "programs": table(),
        "planned_sessions": table(),
        "equipment_profiles": table(),
        "exercises": table(),
    }


def push(client: TestClient, account: Account, body: dict[str, Any], last_pulled_at: int | None = None):
    params: dict[str, int] = {"schema_version": SCHEMA_VERSION}
    if last_pulled_at is not None:
        params["last_pulled_at"] = last_pulled_at
    return client.post("/v1/sync/push", json={"changes": body}, params=params, headers=account.headers)


def pull(client: TestClient, account: Account, last_pulled_at: int | None = None) -> dict[str, Any]:
    params = {
        "schema_version": SCHEMA_VERSION,
        "migration": "null",
        "last_pulled_at": "null" if last_pulled_at is None else last_pulled_at,
    }
    response = client.get("/v1/sync/pull", params=params, headers=account.headers)
    assert response.status_code == 200, response.text
    return response.json()


def pulled_ids(body: dict[str, Any], table: str) -> set[str]:
    return {r["id"] for r in body["changes"][table]["updated"]}
