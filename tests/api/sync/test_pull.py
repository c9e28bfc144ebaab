from services.api.sync.tables import SCHEMA_VERSION
from tests.factories.sync import a_set, a_workout, changes, pull, pulled_ids, push
from tests.factories.users import register

TABLES = {
    "workouts",
    "workout_sets",
    "pain_reports",
    "custom_exercises",
    "insights",
    "prescriptions",
    "programs",
    "planned_sessions",
    "body_weights",
    "equipment_profiles",
    "exercises",
}


def test_first_pull_lists_every_table_and_the_catalog(client):
    body = pull(client, register(client))
    assert set(body["changes"]) == TABLES
    assert len(body["changes"]["exercises"]["updated"]) >= 13
    assert body["timestamp"] >= 1


def test_first_pull_accepts_an_absent_or_empty_cursor(client):
    account = register(client)
    for params in ({}, {"last_pulled_at": ""}, {"last_pulled_at": "null", "migration": "null"}):
        assert client.get("/v1/sync/pull", params=params, headers=account.headers).status_code == 200


def test_pulled_numbers_are_json_numbers_and_json_columns_are_text(client):
    account = register(client)
    workout = a_workout()
    push(client, account, changes(workouts=[workout], sets=[a_set(workout["id"], load_kg=102.5)]))
    body = pull(client, account)
    the_set = body["changes"]["workout_sets"]["updated"][0]
    assert the_set["load_kg"] == 102.5
    assert isinstance(the_set["reps"], int)
    assert the_set["to_failure"] is False
    exercise = body["changes"]["exercises"]["updated"][0]
    assert isinstance(exercise["muscles_json"], str)
    assert isinstance(exercise["cues_json"], str)


def test_a_pulled_record_has_every_column_of_its_table(client):
    account = register(client)
    workout = a_workout()
    push(client, account, changes(workouts=[workout], sets=[a_set(workout["id"])]))
    pulled = pull(client, account)["changes"]["workout_sets"]["updated"][0]
    assert set(pulled) == {
        "id",
        "workout_id",
        "exercise_id",
        "set_index",
        "side",
        "load_kg",
        "reps",
        "rir",
        "rpe",
        "eccentric_s",
        "assistance_kg",
        "to_failure",
        "is_warmup",
        "performed_at",
        "entered_load",
        "entered_unit",
    }


def test_the_next_pull_sends_only_what_changed_since_the_cursor(client):
    account = register(client)
    first, second = a_workout(), a_workout()
    push(client, account, changes(workouts=[first]))
    cursor = pull(client, account)["timestamp"]
    push(client, account, changes(workouts=[second]), cursor)
    body = pull(client, account, cursor)
    assert pulled_ids(body, "workouts") == {second["id"]}
    assert body["changes"]["exercises"]["updated"] == []


def test_the_cursor_grows_with_every_change(client):
    account = register(client)
    before = pull(client, account)["timestamp"]
    push(client, account, changes(workouts=[a_workout()]), before)
    assert pull(client, account, before)["timestamp"] > before


def test_a_pull_without_changes_keeps_the_cursor(client):
    account = register(client)
    cursor = pull(client, account)["timestamp"]
    assert pull(client, account, cursor)["timestamp"] == cursor


def test_the_cursor_does_not_depend_on_device_clocks(client):
    account = register(client)
    cursor = pull(client, account)["timestamp"]
    push(client, account, changes(workouts=[a_workout(started_at=0)]), cursor)
    push(client, account, changes(workouts=[a_workout(started_at=32503680000000)]), cursor)
    assert len(pulled_ids(pull(client, account, cursor), "workouts")) == 2


def test_a_pull_from_an_empty_accounts_cursor_delivers_deletions(client):
    # The defect: a device whose first pull saw an empty account (user version 0) never learnt
    # of deletions, because a cursor at version 0 was taken for a first sync.
    account = register(client)
    empty = pull(client, account)["timestamp"]
    workout = a_workout()
    kept, deleted = a_set(workout["id"]), a_set(workout["id"])
    push(client, account, changes(workouts=[workout], sets=[kept, deleted]), empty)
    other_device = pull(client, account)["timestamp"]
    assert push(client, account, changes(deleted_sets=[deleted["id"]]), other_device).status_code == 200
    body = pull(client, account, empty)
    assert pulled_ids(body, "workout_sets") == {kept["id"]}
    assert body["changes"]["workout_sets"]["deleted"] == [deleted["id"]]


def a_set_deleted_after_a_pull(client, account) -> tuple[dict, int]:
    """A set logged, pulled, then deleted: the set and the cursor of that pull."""
    workout = a_workout()
    the_set = a_set(workout["id"])
    push(client, account, changes(workouts=[workout], sets=[the_set]))
    cursor = pull(client, account)["timestamp"]
    assert push(client, account, changes(deleted_sets=[the_set["id"]]), cursor).status_code == 200
    return the_set, cursor


def test_the_very_first_sync_leaves_tombstones_out(client):
    account = register(client)
    a_set_deleted_after_a_pull(client, account)
    assert pull(client, account)["changes"]["workout_sets"]["deleted"] == []


def test_a_migration_pull_still_delivers_the_deletions_since_the_cursor(client):
    account = register(client)
    the_set, cursor = a_set_deleted_after_a_pull(client, account)
    params = {
        "last_pulled_at": cursor,
        "migration": '{"from": 1, "tables": [], "columns": [{"table": "workout_sets", "columns": ["rpe"]}]}',
    }
    body = client.get("/v1/sync/pull", params=params, headers=account.headers).json()
    assert body["changes"]["workout_sets"]["deleted"] == [the_set["id"]]


def test_a_migration_pull_resends_the_named_tables_in_full(client):
    account = register(client)
    push(client, account, changes(workouts=[a_workout()]))
    cursor = pull(client, account)["timestamp"]
    params = {
        "last_pulled_at": cursor,
        "schema_version": 1,
        "migration": '{"from": 1, "tables": ["workouts"], "columns": []}',
    }
    body = client.get("/v1/sync/pull", params=params, headers=account.headers).json()
    assert len(body["changes"]["workouts"]["updated"]) == 1


def test_a_migration_over_4000_characters_is_422_so_every_allowed_one_fits_in_a_url(client):
    # 4000 characters percent-encode to at most 48 KB; the server refuses request targets over 64 KiB.
    response = client.get("/v1/sync/pull", params={"migration": "x" * 4001}, headers=register(client).headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "query.migration"


def test_a_newer_schema_version_is_a_problem_telling_the_app_to_update(client):
    newer = SCHEMA_VERSION + 1
    response = client.get("/v1/sync/pull", params={"schema_version": newer}, headers=register(client).headers)
    assert response.status_code == 400
    problem = response.json()
    assert problem["type"] == "/problems/unsupported-schema-version"
    assert (problem["schema_version"], problem["min_schema_version"], problem["max_schema_version"]) == (
        newer,
        1,
        SCHEMA_VERSION,
    )
    assert "Update the app" in problem["title"]


def test_a_schema_version_older_than_the_server_speaks_is_the_same_problem(client):
    response = client.get("/v1/sync/pull", params={"schema_version": 0}, headers=register(client).headers)
    assert response.status_code == 400
    assert response.json()["type"] == "/problems/unsupported-schema-version"


def test_a_push_with_an_unsupported_schema_version_is_refused_and_stores_nothing(client):
    account = register(client)
    workout = a_workout()
    response = client.post(
        "/v1/sync/push",
        params={"schema_version": 7},
        json={"changes": changes(workouts=[workout])},
        headers=account.headers,
    )
    assert response.status_code == 400
    assert response.json()["type"] == "/problems/unsupported-schema-version"
    assert pulled_ids(pull(client, account), "workouts") == set()


def test_a_malformed_cursor_is_422(client):
    response = client.get(
        "/v1/sync/pull", params={"last_pulled_at": "yesterday"}, headers=register(client).headers
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "last_pulled_at"


def test_pull_needs_a_token(client):
    assert client.get("/v1/sync/pull").status_code == 401
