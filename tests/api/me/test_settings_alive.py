"""Settings that do something: `hamstrings_weak_point` puts hamstring work first in the next
session (training-rules.md §2.7), and `goal: athletic` brings the Nordic add-on (§4.7), which lands
in the program when accepted."""

from datetime import UTC, datetime, timedelta

from tests.factories.scenarios import recompute
from tests.factories.users import register
from tests.factories.workouts import log_workout

SQUAT_THEN_RDL = {
    "name": "Squat day",
    "days": [
        {
            "name": "Legs",
            "slots": [
                {"exercise_id": "back-squat", "sets": 3, "rep_min": 6, "rep_max": 8},
                {"exercise_id": "romanian-deadlift", "sets": 3, "rep_min": 6, "rep_max": 8},
            ],
        }
    ],
}


def following(client, account, body: dict) -> dict:
    program = client.post("/v1/me/programs", json=body, headers=account.headers).json()
    enroll = {"program_id": program["id"], "start_date": "2026-03-02"}
    client.put("/v1/me/enrollment", json=enroll, headers=account.headers).raise_for_status()
    return program


def next_session(client, account) -> dict:
    return client.get("/v1/me/next-session", headers=account.headers).json()


def test_a_weak_point_puts_the_hamstring_work_first_and_says_why(client):
    account = register(client)
    following(client, account, SQUAT_THEN_RDL)
    client.patch("/v1/me", json={"hamstrings_weak_point": True}, headers=account.headers).raise_for_status()
    session = next_session(client, account)
    assert [e["exercise_id"] for e in session["exercises"]] == ["romanian-deadlift", "back-squat"]
    assert "train them first" in session["order"]["note"]
    assert session["order"]["reason"]["rule_id"].startswith("order.weak_point@")


def test_without_the_setting_the_program_order_stands(client):
    account = register(client)
    following(client, account, SQUAT_THEN_RDL)
    session = next_session(client, account)
    assert [e["exercise_id"] for e in session["exercises"]] == ["back-squat", "romanian-deadlift"]
    assert session["order"] is None


def test_an_athletic_goal_brings_the_nordic_add_on_and_accepting_it_adds_nordics(client, engine):
    account = register(client)
    following(client, account, SQUAT_THEN_RDL)
    client.patch("/v1/me", json={"goal": "athletic"}, headers=account.headers).raise_for_status()
    log_workout(
        engine, account.id, started_at=datetime.now(UTC) - timedelta(days=3), sets=[{"load_kg": 100}] * 3
    )
    recompute(engine, account.id, datetime.now(UTC))
    items = client.get("/v1/me/insights", params={"kind": "program.nordic_addon"}, headers=account.headers)
    [addon] = items.json()["items"]
    answer = client.post(f"/v1/me/insights/{addon['id']}/accept", headers=account.headers).json()
    assert [a["exercise_id"] for a in answer["program_change"]["added"]] == ["nordic-curl"]
    assert "nordic-curl" in [e["exercise_id"] for e in next_session(client, account)["exercises"]]
