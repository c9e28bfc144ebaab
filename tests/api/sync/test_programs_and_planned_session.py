"""Sync schema version 3: the user's own programs and their next session reach the phone through
pulls, read-only (sync-protocol.md, "Programs and the next session")."""

import json

from tests.api.programs.test_programs import program_by_slug
from tests.factories.sync import a_set, a_workout, changes, pull, pulled_ids, push
from tests.factories.users import register


def enroll(client, account, program_id: str) -> None:
    body = {"program_id": program_id, "start_date": "2026-01-05"}
    assert client.put("/v1/me/enrollment", json=body, headers=account.headers).status_code == 200


def copy_of_builder(client, account) -> dict:
    builder = program_by_slug(client, "posterior-chain-builder")
    body = {"name": "My posterior chain", "source_program_id": builder["id"]}
    response = client.post("/v1/me/programs", json=body, headers=account.headers)
    assert response.status_code == 201, response.text
    return response.json()


def records(body: dict, table: str) -> list[dict]:
    return body["changes"][table]["updated"]


def test_a_program_i_make_reaches_the_phone_with_its_days_and_slots(client):
    account = register(client)
    before = pull(client, account)["timestamp"]
    program = copy_of_builder(client, account)

    [record] = records(pull(client, account, before), "programs")
    assert (record["id"], record["name"], record["revision"]) == (program["id"], "My posterior chain", 1)
    days = json.loads(record["days_json"])
    assert [d["key"] for d in days] == [d["key"] for d in program["days"]]
    assert days[0]["slots"][0]["slot_id"] == "A1"
    assert days[0]["slots"][0]["exercise_id"] == program["days"][0]["slots"][0]["exercise_id"]


def test_an_edit_of_my_program_is_pulled_again_with_the_new_revision(client):
    account = register(client)
    program = copy_of_builder(client, account)
    before = pull(client, account)["timestamp"]

    patched = client.patch(
        f"/v1/me/programs/{program['id']}", json={"name": "Renamed"}, headers=account.headers
    )
    assert patched.status_code == 200, patched.text

    [record] = records(pull(client, account, before), "programs")
    assert (record["name"], record["revision"]) == ("Renamed", 2)


def test_a_deleted_program_is_pulled_as_a_tombstone(client):
    account = register(client)
    program = copy_of_builder(client, account)
    before = pull(client, account)["timestamp"]

    assert client.delete(f"/v1/me/programs/{program['id']}", headers=account.headers).status_code == 204

    body = pull(client, account, before)
    assert body["changes"]["programs"]["deleted"] == [program["id"]]


def test_the_planned_session_is_pulled_as_the_next_session_reads(client):
    account = register(client)
    enroll(client, account, program_by_slug(client, "posterior-chain-builder")["id"])

    [record] = records(pull(client, account), "planned_sessions")
    served = client.get("/v1/me/next-session", headers=account.headers).json()
    assert record["id"] == "next"
    assert json.loads(record["session_json"]) == served
    assert (record["program_day_id"], record["day_name"]) == (served["day"]["id"], served["day"]["name"])


def test_a_logged_workout_moves_the_planned_session_to_the_next_day(client):
    account = register(client)
    builder = program_by_slug(client, "posterior-chain-builder")
    enroll(client, account, builder["id"])
    before = pull(client, account)["timestamp"]

    workout = a_workout(program_day_id=builder["days"][0]["id"])
    push(client, account, changes(workouts=[workout], sets=[a_set(workout["id"])]), before).raise_for_status()

    [record] = records(pull(client, account, before), "planned_sessions")
    assert record["program_day_id"] == builder["days"][1]["id"]


def test_leaving_the_program_pulls_the_planned_session_as_a_tombstone(client):
    account = register(client)
    enroll(client, account, program_by_slug(client, "posterior-chain-builder")["id"])
    before = pull(client, account)["timestamp"]

    assert client.delete("/v1/me/enrollment", headers=account.headers).status_code == 204

    assert pull(client, account, before)["changes"]["planned_sessions"]["deleted"] == ["next"]


def test_an_app_on_schema_version_2_pulls_neither_table(client):
    account = register(client)
    enroll(client, account, copy_of_builder(client, account)["id"])
    params = {"schema_version": 2, "last_pulled_at": "null", "migration": "null"}

    body = client.get("/v1/sync/pull", params=params, headers=account.headers).json()

    assert "programs" not in body["changes"]
    assert "planned_sessions" not in body["changes"]


def test_a_push_that_writes_a_program_is_a_422_and_changes_nothing(client):
    account = register(client)
    program = copy_of_builder(client, account)
    body = changes() | {
        "programs": {"created": [], "updated": [{"id": program["id"], "name": "x"}], "deleted": []}
    }

    response = push(client, account, body)

    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["table"] == "programs"
    assert client.get(f"/v1/me/programs/{program['id']}", headers=account.headers).json()["name"] != "x"


def test_another_users_programs_and_session_never_reach_my_pull(client):
    owner, other = register(client), register(client)
    enroll(client, owner, copy_of_builder(client, owner)["id"])

    body = pull(client, other)

    assert not pulled_ids(body, "programs")
    assert not pulled_ids(body, "planned_sessions")
