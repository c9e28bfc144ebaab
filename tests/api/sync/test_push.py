from sqlalchemy import func, select

from services.core.models import OutboxEvent, WorkoutSet
from tests.factories.sync import a_pain_report, a_set, a_workout, changes, pull, pulled_ids, push
from tests.factories.users import register


def count_sets(engine, account) -> int:
    with engine.connect() as connection:
        return connection.scalar(
            select(func.count())
            .select_from(WorkoutSet)
            .where(WorkoutSet.user_id == account.id, WorkoutSet.deleted.is_(False))
        )


def outbox_rows(engine, account) -> int:
    with engine.connect() as connection:
        return connection.scalar(
            select(func.count()).select_from(OutboxEvent).where(OutboxEvent.user_id == account.id)
        )


def test_pushed_workout_and_sets_are_stored(client, engine):
    account = register(client)
    workout = a_workout()
    response = push(
        client, account, changes(workouts=[workout], sets=[a_set(workout["id"]), a_set(workout["id"])])
    )
    assert response.status_code == 200
    assert response.json()["applied"]["workout_sets"] == {"upserted": 2, "deleted": 0}
    assert count_sets(engine, account) == 2


def test_a_bare_changes_object_is_accepted(client, engine):
    account = register(client)
    workout = a_workout()
    body = changes(workouts=[workout], sets=[a_set(workout["id"])])
    response = client.post("/v1/sync/push", json=body, headers=account.headers)
    assert response.status_code == 200
    assert count_sets(engine, account) == 1


def test_push_of_same_sets_twice_stores_them_once(client, engine):
    account = register(client)
    workout = a_workout()
    body = changes(workouts=[workout], sets=[a_set(workout["id"]), a_set(workout["id"])])
    push(client, account, body)
    retried = push(client, account, body)
    assert retried.status_code == 200
    assert retried.json()["changed"] is False
    assert count_sets(engine, account) == 2


def test_a_retried_identical_push_after_another_change_is_not_a_conflict(client):
    account = register(client)
    workout = a_workout()
    base = pull(client, account)["timestamp"]
    body = changes(workouts=[workout], sets=[a_set(workout["id"])])
    push(client, account, body, base)
    assert push(client, account, body, base).status_code == 200


def test_created_for_an_existing_id_updates_it(client):
    account = register(client)
    workout, base = a_workout(), pull(client, account)["timestamp"]
    the_set = a_set(workout["id"], reps=6)
    push(client, account, changes(workouts=[workout], sets=[the_set]), base)
    after = pull(client, account, base)["timestamp"]
    push(client, account, changes(sets=[the_set | {"reps": 7}]), after)
    assert pull(client, account)["changes"]["workout_sets"]["updated"][0]["reps"] == 7


def test_updated_for_an_unknown_id_creates_it(client, engine):
    account = register(client)
    workout = a_workout()
    push(client, account, changes(workouts=[workout], updated_sets=[a_set(workout["id"])]))
    assert count_sets(engine, account) == 1


def test_a_set_changed_on_the_server_since_the_pull_is_a_409_conflict(client):
    account = register(client)
    workout, the_set = a_workout(), None
    base = pull(client, account)["timestamp"]
    the_set = a_set(workout["id"], reps=8)
    push(client, account, changes(workouts=[workout], sets=[the_set]), base)
    response = push(client, account, changes(updated_sets=[the_set | {"reps": 5}]), base)
    assert response.status_code == 409
    assert response.json()["type"] == "/problems/sync-conflict"
    assert response.json()["conflicts"] == [{"table": "workout_sets", "id": the_set["id"]}]


def test_a_conflicting_push_changes_nothing(client):
    account = register(client)
    workout = a_workout()
    base = pull(client, account)["timestamp"]
    the_set = a_set(workout["id"], reps=8)
    push(client, account, changes(workouts=[workout], sets=[the_set]), base)
    other = a_set(workout["id"])
    push(client, account, changes(sets=[other], updated_sets=[the_set | {"reps": 5}]), base)
    assert pulled_ids(pull(client, account), "workout_sets") == {the_set["id"]}


def test_pushing_after_pulling_the_change_is_not_a_conflict(client):
    account = register(client)
    workout = a_workout()
    the_set = a_set(workout["id"], reps=8)
    push(client, account, changes(workouts=[workout], sets=[the_set]))
    latest = pull(client, account)["timestamp"]
    assert push(client, account, changes(updated_sets=[the_set | {"reps": 5}]), latest).status_code == 200


def test_deleting_a_workout_tombstones_its_sets(client, engine):
    account = register(client)
    workout = a_workout()
    sets = [a_set(workout["id"]), a_set(workout["id"])]
    push(client, account, changes(workouts=[workout], sets=sets))
    base = pull(client, account)["timestamp"]
    push(client, account, changes(deleted_workouts=[workout["id"]]), base)
    after = pull(client, account, base)["changes"]
    assert after["workouts"]["deleted"] == [workout["id"]]
    assert set(after["workout_sets"]["deleted"]) == {s["id"] for s in sets}
    assert count_sets(engine, account) == 0


def test_a_set_updated_and_its_workout_deleted_in_one_push_stays_deleted(client, engine):
    account = register(client)
    workout = a_workout()
    the_set = a_set(workout["id"])
    push(client, account, changes(workouts=[workout], sets=[the_set]))
    base = pull(client, account)["timestamp"]
    push(
        client, account, changes(updated_sets=[the_set | {"reps": 3}], deleted_workouts=[workout["id"]]), base
    )
    assert count_sets(engine, account) == 0


def test_deleting_an_unknown_id_is_ignored(client):
    account = register(client)
    response = push(client, account, changes(deleted_sets=["neverexisted0001"]))
    assert response.status_code == 200
    assert response.json()["changed"] is False


def test_a_successful_push_of_logs_writes_one_outbox_row(client, engine):
    account = register(client)
    workout = a_workout()
    push(
        client,
        account,
        changes(workouts=[workout], sets=[a_set(workout["id"])], pain_reports=[a_pain_report()]),
    )
    assert outbox_rows(engine, account) == 1


def test_a_push_that_changes_nothing_writes_no_outbox_row(client, engine):
    account = register(client)
    workout = a_workout()
    body = changes(workouts=[workout])
    push(client, account, body)
    push(client, account, body)
    assert outbox_rows(engine, account) == 1


def test_a_set_needs_a_workout_of_the_same_user(client, engine):
    alice, bob = register(client), register(client)
    alices_workout = a_workout()
    push(client, alice, changes(workouts=[alices_workout]))
    response = push(client, bob, changes(sets=[a_set(alices_workout["id"])]))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "workout_id"
    assert count_sets(engine, bob) == 0


def test_a_set_may_reference_a_workout_stored_by_an_earlier_push(client, engine):
    account = register(client)
    workout = a_workout()
    push(client, account, changes(workouts=[workout]))
    assert push(client, account, changes(sets=[a_set(workout["id"])])).status_code == 200


def test_pushing_only_the_status_of_an_unknown_insight_is_422(client):
    account = register(client)
    body = changes()
    body["insights"]["updated"] = [{"id": "whatever00000001", "status": "accepted"}]
    assert push(client, account, body).status_code == 422
