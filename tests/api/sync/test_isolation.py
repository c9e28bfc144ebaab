from tests.factories.sync import a_set, a_workout, changes, pull, push
from tests.factories.users import register

SHARED_ID = "sameid0000000001"


def test_two_users_may_use_the_same_record_ids(client):
    alice, bob = register(client), register(client)
    assert (
        push(
            client,
            alice,
            changes(
                workouts=[a_workout(SHARED_ID, notes="alice")], sets=[a_set(SHARED_ID, SHARED_ID, load_kg=50)]
            ),
        ).status_code
        == 200
    )
    assert (
        push(
            client,
            bob,
            changes(
                workouts=[a_workout(SHARED_ID, notes="bob")], sets=[a_set(SHARED_ID, SHARED_ID, load_kg=150)]
            ),
        ).status_code
        == 200
    )
    assert pull(client, alice)["changes"]["workout_sets"]["updated"][0]["load_kg"] == 50
    assert pull(client, bob)["changes"]["workouts"]["updated"][0]["notes"] == "bob"


def test_deleting_my_record_never_touches_another_users_record_with_the_same_id(client):
    alice, bob = register(client), register(client)
    for account in (alice, bob):
        push(client, account, changes(workouts=[a_workout(SHARED_ID)], sets=[a_set(SHARED_ID, SHARED_ID)]))
    push(client, alice, changes(deleted_workouts=[SHARED_ID]), pull(client, alice)["timestamp"])
    assert len(pull(client, bob)["changes"]["workout_sets"]["updated"]) == 1


def test_another_users_changes_never_appear_in_my_pull(client):
    alice, bob = register(client), register(client)
    cursor = pull(client, alice)["timestamp"]
    push(client, bob, changes(workouts=[a_workout()]))
    assert pull(client, alice, cursor)["changes"]["workouts"]["updated"] == []
