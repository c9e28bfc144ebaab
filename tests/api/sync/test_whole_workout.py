"""Issue 15: a leg day with upper-body lifts on it is pushed whole, never trimmed to the hamstrings."""

from tests.factories.sync import a_set, a_workout, changes, push
from tests.factories.users import register


def test_rdls_seated_curls_bench_press_and_rows_push_as_one_workout(client):
    account = register(client)
    workout = a_workout()
    logged = [
        a_set(workout["id"], exercise_id="romanian-deadlift", set_index=0),
        a_set(
            workout["id"],
            exercise_id="seated-leg-curl",
            set_index=1,
            load_kg=45,
            reps=13,
            rir=None,
            to_failure=True,
        ),
        a_set(workout["id"], exercise_id="bench-press", set_index=2, load_kg=80, eccentric_s=None),
        a_set(workout["id"], exercise_id="barbell-row", set_index=3, load_kg=70, eccentric_s=None),
    ]
    response = push(client, account, changes(workouts=[workout], sets=logged))
    assert response.status_code == 200, response.text
    assert response.json()["applied"]["workout_sets"] == {"upserted": 4, "deleted": 0}


def test_a_plank_is_pushed_with_its_seconds_as_reps(client):
    account = register(client)
    workout = a_workout()
    plank = a_set(workout["id"], exercise_id="plank", load_kg=0, reps=60, rir=1, eccentric_s=None)
    assert push(client, account, changes(workouts=[workout], sets=[plank])).status_code == 200
