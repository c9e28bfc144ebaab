"""Weekly exercise aggregates (ARCHITECTURE.md, "Read models"; training-rules.md §1.8): the push
keeps them in its transaction, a change of calendar rebuilds them, and
`python -m services.core.aggregates rebuild --check` finds any that differ from the sets. Through the
real push, on PostgreSQL."""

import os
import subprocess
import sys
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, update

from services.api.sync.cursor import Cursor
from services.core import aggregates as command
from services.core.db import create_session_factory
from services.core.models import User, WeeklyExerciseAggregate
from services.core.repositories import aggregates
from tests.factories.phone import Phone
from tests.factories.sync import a_set, a_workout

BERLIN_MONDAY = datetime(2026, 3, 2, 0, 30, tzinfo=UTC) - timedelta(hours=1)  # 00:30 local, Monday
EXERCISES = ("back-squat", "romanian-deadlift", "seated-leg-curl", "bulgarian-split-squat", "nordic-curl")
ZONES = ("Europe/Berlin", "America/New_York", "Asia/Tokyo", "UTC", "Australia/Lord_Howe")


def ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def stored(engine: Engine, user_id: uuid.UUID) -> dict[aggregates.Key, tuple[Any, ...]]:
    with create_session_factory(engine)() as session:
        return aggregates.stored(session, user_id=user_id)


def from_scratch(engine: Engine, user_id: uuid.UUID) -> dict[aggregates.Key, tuple[Any, ...]]:
    with create_session_factory(engine)() as session:
        return aggregates.from_scratch(session, session.get_one(User, user_id))


def row(engine: Engine, user_id: uuid.UUID, week: date, exercise_id: str) -> dict[str, Any] | None:
    values = stored(engine, user_id).get(aggregates.Key(week, exercise_id))
    return None if values is None else dict(zip(aggregates.COLUMNS, values, strict=True))


def cursor(engine: Engine, user_id: uuid.UUID) -> int:
    """A `last_pulled_at` after every write so far: the phone's edits are not conflicts."""
    with create_session_factory(engine)() as session:
        return Cursor(session.get_one(User, user_id).sync_version, 0).encode()


def body(**tables: dict[str, list[Any]]) -> dict[str, Any]:
    return {name: {"created": [], "updated": [], "deleted": []} | ops for name, ops in tables.items()}


def pushed(phone: Phone, engine: Engine, changes: dict[str, Any]) -> None:
    response = phone.push(changes, last_pulled_at=cursor(engine, phone.user_id))
    assert response.status_code == 200, response.text


# -- specification -------------------------------------------------------------------------------


def a_phone_with_one_set(client: Any, engine: Engine) -> Phone:
    """A UTC user who pushed one Romanian deadlift set on Tuesday 2026-03-03 (week of 03-02)."""
    phone = Phone(client, timezone="UTC")
    workout = a_workout(started_at=ms(datetime(2026, 3, 3, tzinfo=UTC)))
    pushed(
        phone, engine, body(workouts={"created": [workout]}, workout_sets={"created": [a_set(workout["id"])]})
    )
    return phone


def forget_aggregates(engine: Engine, user_id: uuid.UUID) -> None:
    with create_session_factory(engine).begin() as session:
        session.execute(
            WeeklyExerciseAggregate.__table__.delete().where(WeeklyExerciseAggregate.user_id == user_id)
        )


def test_a_pushed_set_counts_in_the_users_local_week(queued_client, engine):
    phone = Phone(queued_client, timezone="Europe/Berlin")
    workout = a_workout(started_at=ms(BERLIN_MONDAY))
    sets = [
        a_set(workout["id"], set_index=0, performed_at=ms(BERLIN_MONDAY), load_kg=100, reps=8, rir=2),
        a_set(workout["id"], set_index=1, performed_at=ms(BERLIN_MONDAY), load_kg=110, reps=5, rir=5),
        a_set(
            workout["id"], set_index=2, performed_at=ms(BERLIN_MONDAY), load_kg=60, reps=10, is_warmup=True
        ),
    ]
    pushed(phone, engine, body(workouts={"created": [workout]}, workout_sets={"created": sets}))

    # Sunday 23:30 UTC is Monday 00:30 in Berlin: the week of Monday 2 March, not the one before.
    assert row(engine, phone.user_id, date(2026, 3, 2), "romanian-deadlift") == {
        "working_sets": 2,
        "hard_sets": 1.0,  # RIR 5 is not hard (§1.1); the warm-up is not counted at all
        "first_hard_at": ms(BERLIN_MONDAY),
        "top_load_kg": 110.0,
        "best_e1rm_kg": 110 * (1 + 10 / 30),  # 5 reps + RIR 5 beats 8 reps + RIR 2 at 100 kg
    }


def test_a_set_edited_to_another_week_and_exercise_leaves_its_old_row(queued_client, engine):
    phone = Phone(queued_client, timezone="UTC")
    workout = a_workout(started_at=ms(datetime(2026, 3, 3, 17, tzinfo=UTC)))
    logged = a_set(workout["id"], performed_at=ms(datetime(2026, 3, 3, 17, 5, tzinfo=UTC)))
    pushed(phone, engine, body(workouts={"created": [workout]}, workout_sets={"created": [logged]}))

    backdated = logged | {"exercise_id": "back-squat", "performed_at": ms(datetime(2026, 2, 20, tzinfo=UTC))}
    pushed(phone, engine, body(workout_sets={"updated": [backdated]}))

    assert set(stored(engine, phone.user_id)) == {aggregates.Key(date(2026, 2, 16), "back-squat")}


def test_deleting_a_workout_deletes_the_rows_only_its_sets_made(queued_client, engine):
    phone = Phone(queued_client, timezone="UTC")
    kept, gone = a_workout(started_at=ms(datetime(2026, 3, 3, tzinfo=UTC))), a_workout()
    sets = [
        a_set(kept["id"], performed_at=None),
        a_set(gone["id"], exercise_id="back-squat", performed_at=None),
    ]
    pushed(phone, engine, body(workouts={"created": [kept, gone]}, workout_sets={"created": sets}))

    pushed(phone, engine, body(workouts={"deleted": [gone["id"]]}))

    assert set(stored(engine, phone.user_id)) == {aggregates.Key(date(2026, 3, 2), "romanian-deadlift")}


def test_moving_a_workout_moves_the_sets_placed_at_its_start(queued_client, engine):
    phone = Phone(queued_client, timezone="UTC")
    workout = a_workout(started_at=ms(datetime(2026, 3, 3, tzinfo=UTC)))
    pushed(
        phone,
        engine,
        body(
            workouts={"created": [workout]},
            workout_sets={"created": [a_set(workout["id"], performed_at=None)]},
        ),
    )

    moved = workout | {"started_at": ms(datetime(2026, 3, 10, tzinfo=UTC))}
    pushed(phone, engine, body(workouts={"updated": [moved]}))

    assert set(stored(engine, phone.user_id)) == {aggregates.Key(date(2026, 3, 9), "romanian-deadlift")}


def test_a_new_time_zone_rebuilds_them_in_the_new_calendar(queued_client, engine):
    phone = Phone(queued_client, timezone="UTC")
    workout = a_workout(started_at=ms(BERLIN_MONDAY))
    sets = [a_set(workout["id"], performed_at=ms(BERLIN_MONDAY))]
    pushed(phone, engine, body(workouts={"created": [workout]}, workout_sets={"created": sets}))
    assert set(stored(engine, phone.user_id)) == {aggregates.Key(date(2026, 2, 23), "romanian-deadlift")}

    response = phone.http.patch("/v1/me", json={"timezone": "Europe/Berlin"}, headers=phone.headers)

    assert response.status_code == 200
    assert set(stored(engine, phone.user_id)) == {aggregates.Key(date(2026, 3, 2), "romanian-deadlift")}


def test_a_sunday_week_start_rebuilds_them_on_sundays(queued_client, engine):
    phone = Phone(queued_client, timezone="UTC")
    workout = a_workout(started_at=ms(datetime(2026, 3, 1, 12, tzinfo=UTC)))  # a Sunday
    sets = [a_set(workout["id"], performed_at=None)]
    pushed(phone, engine, body(workouts={"created": [workout]}, workout_sets={"created": sets}))

    phone.http.patch("/v1/me", json={"week_start": "sunday"}, headers=phone.headers)

    assert set(stored(engine, phone.user_id)) == {aggregates.Key(date(2026, 3, 1), "romanian-deadlift")}


def test_the_check_lists_a_stored_row_that_differs_from_the_sets(queued_client, engine):
    phone = a_phone_with_one_set(queued_client, engine)
    with create_session_factory(engine).begin() as session:
        session.execute(
            update(WeeklyExerciseAggregate)
            .where(WeeklyExerciseAggregate.user_id == phone.user_id)
            .values(hard_sets=7.0)
        )

    found = command.rebuild_all(create_session_factory(engine), check=True)

    [values] = from_scratch(engine, phone.user_id).values()
    assert [line for line in found if line.startswith(str(phone.user_id))] == [
        f"{phone.user_id} 2026-03-02 romanian-deadlift: stored {(values[0], 7.0, *values[2:])}, "
        f"from the sets {values}"
    ]


def test_the_command_exits_1_and_prints_what_the_check_found(queued_client, engine, pg_env):
    phone = a_phone_with_one_set(queued_client, engine)
    forget_aggregates(engine, phone.user_id)

    done = subprocess.run(
        [sys.executable, "-m", "services.core.aggregates", "rebuild", "--check"],
        env=os.environ | pg_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert done.returncode == 1
    assert f"{phone.user_id} 2026-03-02 romanian-deadlift: stored None, from the sets (1, 1.0," in done.stdout


def test_a_rebuild_restores_what_the_check_found(queued_client, engine):
    phone = a_phone_with_one_set(queued_client, engine)
    forget_aggregates(engine, phone.user_id)

    command.rebuild_all(create_session_factory(engine), check=False)

    assert stored(engine, phone.user_id) == from_scratch(engine, phone.user_id) != {}


# -- property: after any pushes, the stored aggregates are those built from scratch --------------

DAY = timedelta(days=1)
ORIGIN = datetime(2026, 3, 2, 12, tzinfo=UTC)


def logged_set(draw: st.DrawFn, workout: dict[str, Any], index: int) -> dict[str, Any]:
    # performed_at: none (the workout's start), near the start, or backdated weeks (and across
    # midnight in one zone or another: minutes matter).
    offset = draw(st.one_of(st.none(), st.integers(-30 * 24 * 60, 24 * 60)))
    return a_set(
        workout["id"],
        set_index=index,
        exercise_id=draw(st.sampled_from(EXERCISES)),
        side=draw(st.sampled_from(("both", "left", "right"))),
        load_kg=draw(st.sampled_from((0, 20, 60.5, 100, 142.5))),
        reps=draw(st.integers(0, 14)),
        rir=draw(st.one_of(st.none(), st.sampled_from((0, 1.5, 4, 4.5, 6)))),
        rpe=draw(st.one_of(st.none(), st.sampled_from((6, 8.5, 10)))),
        assistance_kg=draw(st.sampled_from((None, 0, 10))),
        to_failure=draw(st.booleans()),
        is_warmup=draw(st.booleans()),
        performed_at=None if offset is None else workout["started_at"] + offset * 60_000,
    )


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(st.data())
def test_after_any_pushes_the_aggregates_equal_a_build_from_scratch(queued_client, engine, data):
    draw = data.draw
    phone = Phone(queued_client, timezone=draw(st.sampled_from(ZONES)))
    workouts: dict[str, dict[str, Any]] = {}
    sets: dict[str, dict[str, Any]] = {}
    for _ in range(draw(st.integers(1, 6))):
        action = draw(
            st.sampled_from(("create", "create", "edit", "delete_set", "delete_workout", "move", "zone"))
        )
        if action == "create" or not sets:
            new = [
                a_workout(started_at=ms(ORIGIN - draw(st.integers(0, 20 * 24 * 60)) * DAY / (24 * 60)))
                for _ in range(draw(st.integers(1, 2)))
            ]
            new_sets = [logged_set(draw, w, i) for w in new for i in range(draw(st.integers(0, 5)))]
            pushed(phone, engine, body(workouts={"created": new}, workout_sets={"created": new_sets}))
            workouts |= {w["id"]: w for w in new}
            sets |= {s["id"]: s for s in new_sets}
        elif action == "edit":
            chosen = draw(st.sampled_from(sorted(sets)))
            edited = logged_set(draw, workouts[sets[chosen]["workout_id"]], sets[chosen]["set_index"])
            sets[chosen] = edited | {"id": chosen}
            pushed(phone, engine, body(workout_sets={"updated": [sets[chosen]]}))
        elif action == "delete_set":
            chosen = draw(st.sampled_from(sorted(sets)))
            pushed(phone, engine, body(workout_sets={"deleted": [chosen]}))
            del sets[chosen]
        elif action == "delete_workout":
            chosen = draw(st.sampled_from(sorted(workouts)))
            pushed(phone, engine, body(workouts={"deleted": [chosen]}))
            sets = {k: s for k, s in sets.items() if s["workout_id"] != chosen}
            del workouts[chosen]
        elif action == "move":
            chosen = draw(st.sampled_from(sorted(workouts)))
            days = draw(st.sampled_from((-9, -1, 2)))
            workouts[chosen] = workouts[chosen] | {
                "started_at": workouts[chosen]["started_at"] + days * 86_400_000
            }
            pushed(phone, engine, body(workouts={"updated": [workouts[chosen]]}))
        else:
            change = {
                "timezone": draw(st.sampled_from(ZONES)),
                "week_start": draw(st.sampled_from(("monday", "sunday"))),
            }
            assert phone.http.patch("/v1/me", json=change, headers=phone.headers).status_code == 200

    assert stored(engine, phone.user_id) == from_scratch(engine, phone.user_id)
