"""A user's own exercises, created offline on the phone and synced through `custom_exercises`
(schema version 2): logged with catalog and upper-body lifts in one push, credited as declared,
archived on delete, and refused with a 422 naming the record and field when they are wrong."""

import time

import pytest

from services.api.sync.tables import SCHEMA_VERSION
from tests.factories.sync import a_custom_exercise, a_set, a_workout, changes, new_id, pull, pulled_ids, push
from tests.factories.users import register

A_WEEK_AGO = int(time.time() * 1000) - 7 * 24 * 3600 * 1000


@pytest.fixture
def account(client):
    return register(client)


def a_whole_workout(own_id: str) -> dict:
    """RDLs, the user's own Nordic variation and bench press, a week ago, with the exercise."""
    workout = a_workout(started_at=A_WEEK_AGO)
    sets = [
        a_set(workout["id"], exercise_id="romanian-deadlift", set_index=0, performed_at=A_WEEK_AGO),
        a_set(workout["id"], exercise_id=own_id, set_index=1, load_kg=0, rir=1, performed_at=A_WEEK_AGO),
        a_set(workout["id"], exercise_id=own_id, set_index=2, load_kg=0, rir=1, performed_at=A_WEEK_AGO),
        a_set(workout["id"], exercise_id="bench-press", set_index=3, load_kg=80, performed_at=A_WEEK_AGO),
    ]
    return changes(workouts=[workout], sets=sets, custom_exercises=[a_custom_exercise(own_id)])


def cursor_of(client, account) -> int:
    """What a device that has synced everything sends as last_pulled_at."""
    return pull(client, account)["timestamp"]


def errors_of(response) -> list[dict]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return response.json()["errors"]


def test_a_push_may_create_an_exercise_and_its_first_sets_with_catalog_and_upper_body_sets(client, account):
    own = new_id()
    response = push(client, account, a_whole_workout(own))
    assert response.status_code == 200, response.text
    assert response.json()["applied"]["custom_exercises"] == {"upserted": 1, "deleted": 0}
    assert response.json()["applied"]["workout_sets"] == {"upserted": 4, "deleted": 0}


def test_a_second_device_pulls_the_exercise_and_its_sets(client, account):
    own = new_id()
    push(client, account, a_whole_workout(own)).raise_for_status()
    body = pull(client, account)
    [exercise] = body["changes"]["custom_exercises"]["updated"]
    assert exercise["name"] == "Nordic on a lat pulldown seat"
    assert exercise["muscles_json"] == '{"primary":{"hamstrings":1.0},"secondary":{"calves":0.25}}'
    sets = body["changes"]["workout_sets"]["updated"]
    assert {s["exercise_id"] for s in sets} == {"romanian-deadlift", own, "bench-press"}


def test_muscle_credits_come_back_canonical_so_a_retried_push_changes_nothing(client, account):
    own = a_custom_exercise(muscles_json='{ "secondary": {"calves": 0.25}, "primary": {"hamstrings": 1} }')
    push(client, account, changes(custom_exercises=[own])).raise_for_status()
    [pulled] = pull(client, account)["changes"]["custom_exercises"]["updated"]
    again = push(client, account, changes(custom_exercises=[{**own, **pulled}]))
    assert pulled["muscles_json"] == '{"primary":{"hamstrings":1.0},"secondary":{"calves":0.25}}'
    assert again.json()["changed"] is False


def test_an_app_on_schema_version_1_does_not_pull_the_table(client, account):
    push(client, account, changes(custom_exercises=[a_custom_exercise()])).raise_for_status()
    params = {"schema_version": 1, "last_pulled_at": "null"}
    body = client.get("/v1/sync/pull", params=params, headers=account.headers).json()
    assert "custom_exercises" not in body["changes"]


def test_an_app_on_schema_version_1_cannot_push_the_table(client, account):
    response = client.post(
        "/v1/sync/push",
        params={"schema_version": 1},
        json={"changes": changes(custom_exercises=[a_custom_exercise()])},
        headers=account.headers,
    )
    assert errors_of(response)[0]["table"] == "custom_exercises"


def test_an_app_migrating_to_version_2_gets_every_exercise(client, account):
    own = new_id()
    push(client, account, changes(custom_exercises=[a_custom_exercise(own)])).raise_for_status()
    cursor = pull(client, account)["timestamp"]
    params = {
        "last_pulled_at": cursor,
        "schema_version": SCHEMA_VERSION,
        "migration": '{"from": 1, "tables": ["custom_exercises"], "columns": []}',
    }
    body = client.get("/v1/sync/pull", params=params, headers=account.headers).json()
    assert pulled_ids(body, "custom_exercises") == {own}


def test_the_exercise_counts_toward_hamstring_volume_as_declared(client, account):
    push(client, account, a_whole_workout(new_id())).raise_for_status()
    weeks = client.get("/v1/me/volume", params={"weeks": 1}, headers=account.headers).json()["weeks"]
    # One RDL set (1 hamstring set) and two sets of the own Nordic declared 1.0 hamstrings.
    assert weeks[-1]["hard_sets"]["hamstrings"] == 3
    assert weeks[-1]["patterns"]["knee_flexion"] == 2
    assert weeks[-1]["hard_sets"]["chest"] == 1  # the bench press set


def test_progress_of_an_own_externally_loaded_exercise_has_an_e1rm(client, account):
    own = a_custom_exercise(name="Cable pull-through, kneeling", pattern="hip_hinge", load_type="external")
    workout = a_workout(started_at=A_WEEK_AGO)
    the_set = a_set(workout["id"], exercise_id=own["id"], load_kg=40, reps=10, performed_at=A_WEEK_AGO)
    push(
        client, account, changes(workouts=[workout], sets=[the_set], custom_exercises=[own])
    ).raise_for_status()
    response = client.get(f"/v1/me/progress/{own['id']}", params={"weeks": 1}, headers=account.headers)
    assert response.status_code == 200, response.text
    assert response.json()["weeks"][-1]["e1rm_kg"] > 40


def test_another_users_exercise_is_as_unknown_as_a_made_up_one(client, account):
    other = register(client)
    theirs = new_id()
    push(client, other, changes(custom_exercises=[a_custom_exercise(theirs)])).raise_for_status()
    workout = a_workout()
    response = push(
        client, account, changes(workouts=[workout], sets=[a_set(workout["id"], exercise_id=theirs)])
    )
    [error] = errors_of(response)
    assert (error["table"], error["field"]) == ("workout_sets", "exercise_id")


def test_another_users_exercise_has_no_progress(client, account):
    other = register(client)
    theirs = new_id()
    push(client, other, changes(custom_exercises=[a_custom_exercise(theirs)])).raise_for_status()
    assert client.get(f"/v1/me/progress/{theirs}", headers=account.headers).status_code == 404


def test_a_name_the_user_already_has_is_refused_whatever_its_case(client, account):
    push(
        client, account, changes(custom_exercises=[a_custom_exercise(name="Band Nordic")])
    ).raise_for_status()
    again = a_custom_exercise(name="  band   NORDIC ")
    [error] = errors_of(push(client, account, changes(custom_exercises=[again])))
    assert (error["table"], error["id"], error["field"]) == ("custom_exercises", again["id"], "name")


def test_two_new_exercises_of_the_same_name_in_one_push_are_refused_and_nothing_is_stored(client, account):
    first, second = a_custom_exercise(name="Razor curl"), a_custom_exercise(name="razor curl")
    workout = a_workout()
    body = changes(workouts=[workout], custom_exercises=[first, second])
    assert {e["id"] for e in errors_of(push(client, account, body))} == {first["id"], second["id"]}
    assert pull(client, account)["changes"]["workouts"]["updated"] == []


def test_renaming_an_exercise_to_another_case_of_its_own_name_is_allowed(client, account):
    own = a_custom_exercise(name="band nordic")
    push(client, account, changes(custom_exercises=[own])).raise_for_status()
    renamed = changes(custom_exercises=[own | {"name": "Band Nordic"}])
    response = push(client, account, renamed, cursor_of(client, account))
    assert response.status_code == 200, response.text


def test_a_catalog_id_cannot_be_taken(client, account):
    [error] = errors_of(push(client, account, changes(custom_exercises=[a_custom_exercise("nordic-curl")])))
    assert (error["id"], error["field"]) == ("nordic-curl", "id")


BAD_EXERCISES = {
    "unknown pattern": ({"pattern": "hamstring_curl"}, "pattern"),
    "unknown muscle": ({"muscles_json": '{"primary": {"hammies": 1}}'}, "muscles_json"),
    "credit over 1": ({"muscles_json": '{"primary": {"hamstrings": 1.5}}'}, "muscles_json"),
    "negative credit": ({"muscles_json": '{"secondary": {"glutes": -0.1}}'}, "muscles_json"),
    "a muscle both primary and secondary": (
        {"muscles_json": '{"primary": {"hamstrings": 1}, "secondary": {"hamstrings": 0.5}}'},
        "muscles_json",
    ),
    "muscles that are not JSON": ({"muscles_json": "hamstrings"}, "muscles_json"),
    "an unknown key in the muscles": ({"muscles_json": '{"tertiary": {}}'}, "muscles_json"),
    "an empty name": ({"name": "   "}, "name"),
    "a name over 120 characters": ({"name": "n" * 121}, "name"),
    "unknown equipment": ({"equipment": "hover_board"}, "equipment"),
    "unknown load type": ({"load_type": "magnetic"}, "load_type"),
}


@pytest.mark.parametrize("case", BAD_EXERCISES)
def test_a_bad_exercise_is_a_422_naming_record_and_field_and_stores_nothing(client, account, case):
    overrides, field = BAD_EXERCISES[case]
    own = a_custom_exercise(**overrides)
    workout = a_workout()
    body = changes(workouts=[workout], custom_exercises=[own])
    [error] = errors_of(push(client, account, body))
    assert (error["table"], error["id"], error["field"]) == ("custom_exercises", own["id"], field)
    assert pull(client, account)["changes"]["workouts"]["updated"] == []


def test_deleting_an_exercise_archives_it_and_its_sets_keep_their_credit(client, account):
    own = new_id()
    push(client, account, a_whole_workout(own)).raise_for_status()
    cursor = cursor_of(client, account)
    push(client, account, changes(deleted_custom_exercises=[own]), cursor).raise_for_status()
    body = pull(client, account, cursor)
    assert body["changes"]["custom_exercises"]["deleted"] == [own]
    assert body["changes"]["workout_sets"]["deleted"] == []
    weeks = client.get("/v1/me/volume", params={"weeks": 1}, headers=account.headers).json()["weeks"]
    assert weeks[-1]["hard_sets"]["hamstrings"] == 3


def test_a_phone_offline_since_the_archive_may_still_log_the_exercise(client, account):
    own = new_id()
    push(client, account, changes(custom_exercises=[a_custom_exercise(own)])).raise_for_status()
    push(
        client, account, changes(deleted_custom_exercises=[own]), cursor_of(client, account)
    ).raise_for_status()
    workout = a_workout()
    response = push(
        client, account, changes(workouts=[workout], sets=[a_set(workout["id"], exercise_id=own)])
    )
    assert response.status_code == 200, response.text


def test_an_archived_exercises_name_is_free_again(client, account):
    own = a_custom_exercise(name="Sliding leg curl, towel")
    push(client, account, changes(custom_exercises=[own])).raise_for_status()
    deleted = changes(deleted_custom_exercises=[own["id"]])
    push(client, account, deleted, cursor_of(client, account)).raise_for_status()
    response = push(client, account, changes(custom_exercises=[a_custom_exercise(name=own["name"])]))
    assert response.status_code == 200, response.text


def test_my_exercises_list_the_catalog_and_my_own_but_not_anyone_elses(client, account):
    mine = a_custom_exercise(name="Mine")
    push(client, account, changes(custom_exercises=[mine])).raise_for_status()
    push(
        client, register(client), changes(custom_exercises=[a_custom_exercise(name="Theirs")])
    ).raise_for_status()
    body = client.get("/v1/me/exercises", headers=account.headers).json()
    assert len(body["catalog"]) >= 50
    assert [(e["id"], e["primary"], e["archived"]) for e in body["custom"]] == [
        (mine["id"], {"hamstrings": 1.0}, False)
    ]


def test_my_exercises_leave_archived_ones_out_unless_asked(client, account):
    own = a_custom_exercise()
    push(client, account, changes(custom_exercises=[own])).raise_for_status()
    deleted = changes(deleted_custom_exercises=[own["id"]])
    push(client, account, deleted, cursor_of(client, account)).raise_for_status()
    shown = client.get("/v1/me/exercises", headers=account.headers).json()["custom"]
    archived = client.get("/v1/me/exercises", params={"include_archived": True}, headers=account.headers)
    assert shown == []
    assert [e["archived"] for e in archived.json()["custom"]] == [True]


def test_a_workout_read_carries_the_own_exercises_its_sets_name(client, account):
    own = new_id()
    body = a_whole_workout(own)
    push(client, account, body).raise_for_status()
    workout_id = body["workouts"]["created"][0]["id"]
    read = client.get(f"/v1/me/workouts/{workout_id}", headers=account.headers).json()
    assert [(e["id"], e["pattern"]) for e in read["custom_exercises"]] == [(own, "knee_flexion")]
