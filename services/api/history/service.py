"""The caller's own training history as REST resources and as CSV / JSON exports."""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy.orm import Session, sessionmaker

from services.api.catalog.service import custom_reads
from services.api.history.schemas import SetRead, WorkoutRead
from services.api.pagination import Page, bigint_key, decode_cursor, page_of, text_key
from services.api.sync.tables import (
    BODY_WEIGHTS,
    CUSTOM_EXERCISES,
    EQUIPMENT_PROFILES,
    INSIGHTS,
    PAIN_REPORTS,
    PRESCRIPTIONS,
    WORKOUT_SETS,
    WORKOUTS,
    SyncedTable,
)
from services.core.db import snapshot
from services.core.models import User, Workout, WorkoutSet
from services.core.repositories import catalog, custom_exercises, equipment, insights, programs, workouts
from services.training.units import kg_to_lb, lb_for, read_load

CSV_COLUMNS = (
    "workout_id",
    "workout_started_at",
    "set_id",
    "performed_at",
    "exercise_id",
    "exercise_name",
    "set_index",
    "side",
    "load_kg",
    "load_lb",
    "reps",
    "rir",
    "rpe",
    "eccentric_s",
    "assistance_kg",
    "to_failure",
    "is_warmup",
    "unit",
    "load",
    "entered_load",
    "entered_unit",
)


def list_workouts(session: Session, user: User, *, limit: int, cursor: str | None) -> Page[WorkoutRead]:
    before = decode_cursor(cursor, bigint_key, text_key)
    rows = workouts.list_workouts(session, user_id=user.id, before=before, limit=limit + 1)
    return page_of(rows, limit, lambda shown: with_sets(session, user, shown), lambda w: [w.started_at, w.id])


def get_workout(session: Session, user: User, workout_id: str) -> WorkoutRead:
    return with_sets(session, user, [workouts.get_workout(session, user_id=user.id, workout_id=workout_id)])[
        0
    ]


def with_sets(session: Session, user: User, rows: Sequence[Workout]) -> list[WorkoutRead]:
    sets = workouts.sets_of(session, user_id=user.id, workout_ids=[w.id for w in rows])
    named = {s.exercise_id for group in sets.values() for s in group}
    own = custom_exercises.with_ids(session, user_id=user.id, ids=named)
    return [
        WorkoutRead(
            id=w.id,
            started_at=from_ms(w.started_at),
            ended_at=from_ms(w.ended_at),
            program_day_id=w.program_day_id,
            notes=w.notes,
            sets=[set_read(s, user) for s in sets[w.id]],
            custom_exercises=custom_reads(
                own[exercise_id] for exercise_id in sorted({s.exercise_id for s in sets[w.id]} & own.keys())
            ),
        )
        for w in rows
    ]


def set_read(workout_set: WorkoutSet, user: User) -> SetRead:
    columns = {
        c: getattr(workout_set, c) for c in WORKOUT_SETS.columns if c not in ("workout_id", "performed_at")
    }
    unit = "lb" if user.unit == "lb" else "kg"
    load = logged_load(workout_set, unit)
    return SetRead(
        id=workout_set.id,
        **columns,
        performed_at=from_ms(workout_set.performed_at),
        load_lb=lb_for(workout_set.load_kg, unit),  # as before; `load` is the exact one
        unit=unit,
        load=load,
    )


def logged_load(workout_set: WorkoutSet, unit: str) -> float:
    """A logged load in `unit` (§2.8): the typed value when typed in it, else converted to 0.01."""
    return read_load(workout_set.load_kg, unit, workout_set.entered_load, workout_set.entered_unit)


def from_ms(epoch_ms: int | None) -> datetime | None:
    return None if epoch_ms is None else datetime.fromtimestamp(epoch_ms / 1000, UTC)


def export_csv(factory: sessionmaker[Session], user_id: Any) -> Iterator[str]:
    """One row per set, in kg and lb and in the user's unit (`unit`, `load`: as typed when typed in
    it) with what was typed, streamed from one snapshot."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    with snapshot(factory) as session:
        user = session.get(User, user_id)
        unit = "lb" if user is not None and user.unit == "lb" else "kg"
        own = custom_exercises.all_of(session, user_id=user_id).values()
        names = catalog.exercise_names(session) | {exercise.id: exercise.name for exercise in own}
        for count, (workout, workout_set) in enumerate(
            workouts.iter_sets_with_workouts(session, user_id=user_id)
        ):
            writer.writerow(
                [
                    workout.id,
                    _iso(workout.started_at),
                    workout_set.id,
                    _iso(workout_set.performed_at),
                    workout_set.exercise_id,
                    names.get(workout_set.exercise_id, ""),
                    workout_set.set_index,
                    workout_set.side,
                    workout_set.load_kg,
                    kg_to_lb(workout_set.load_kg),
                    workout_set.reps,
                    _blank(workout_set.rir),
                    _blank(workout_set.rpe),
                    _blank(workout_set.eccentric_s),
                    _blank(workout_set.assistance_kg),
                    workout_set.to_failure,
                    workout_set.is_warmup,
                    unit,
                    logged_load(workout_set, unit),
                    _blank(workout_set.entered_load),
                    _blank(workout_set.entered_unit),
                ]
            )
            if count % 500 == 0:
                yield _drain(buffer)
    yield _drain(buffer)


def export_json(factory: sessionmaker[Session], user_id: Any) -> Iterator[bytes]:
    """Everything the user owns, streamed: account, enrollment, workouts, sets, pain reports, weigh-ins,
    the gym, own exercises, and what the server computed from them (insights, prescriptions). Offered before the
    account is deleted (DELETE /v1/me), so it holds every row that deletion removes."""
    with snapshot(factory) as session:
        user = session.get(User, user_id)
        assert user is not None
        enrollment = programs.find_enrollment(session, user_id=user_id)
        account = {
            "id": str(user.id),
            "email": user.email,
            "timezone": user.timezone,
            "week_start": user.week_start,
            "unit": user.unit,
            "goal": user.goal,
            "hamstrings_weak_point": user.hamstrings_weak_point,
            "created_at": user.created_at,
        }
        yield b'{"exported_at":' + orjson.dumps(datetime.now(UTC)) + b',"account":' + orjson.dumps(account)
        yield b',"enrollment":' + orjson.dumps(
            enrollment and {"program_id": str(enrollment.program_id), "start_date": enrollment.start_date}
        )
        # Any: several models, each with the id and the columns its sync table names.
        exported: tuple[tuple[str, SyncedTable, Iterable[Any]], ...] = (
            ("workouts", WORKOUTS, workouts.iter_workouts(session, user_id=user_id)),
            (
                "workout_sets",
                WORKOUT_SETS,
                (s for _, s in workouts.iter_sets_with_workouts(session, user_id=user_id)),
            ),
            ("pain_reports", PAIN_REPORTS, workouts.iter_pain_reports(session, user_id=user_id)),
            ("body_weights", BODY_WEIGHTS, workouts.body_weights(session, user_id=user_id)),
            ("equipment_profiles", EQUIPMENT_PROFILES, _gym(session, user_id)),
            # Archived ones too: sets still name them.
            (
                "custom_exercises",
                CUSTOM_EXERCISES,
                custom_exercises.all_of(session, user_id=user_id).values(),
            ),
            ("insights", INSIGHTS, insights.all_insights(session, user_id=user_id)),
            (
                "prescriptions",
                PRESCRIPTIONS,
                (p for p in insights.prescriptions_by_id(session, user_id=user_id).values() if not p.deleted),
            ),
        )
        for key, table, rows in exported:
            yield b',"' + key.encode() + b'":['
            for index, row in enumerate(rows):
                record = {"id": row.id, **{c: getattr(row, c) for c in table.columns}}
                yield (b"," if index else b"") + orjson.dumps(record)
            yield b"]"
        yield b"}"


def _gym(session: Session, user_id: Any) -> list[Any]:
    row = equipment.find_profile(session, user_id=user_id)
    return [] if row is None else [row]


def _iso(epoch_ms: int | None) -> str:
    moment = from_ms(epoch_ms)
    return "" if moment is None else moment.isoformat().replace("+00:00", "Z")


def _blank(value: float | str | None) -> object:
    return "" if value is None else value


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text
