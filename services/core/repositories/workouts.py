"""Queries over a user's logs. Every function takes the owner: scoping can't be forgotten."""

import uuid
from collections.abc import Collection, Iterable, Iterator, Sequence
from typing import Any, NamedTuple

from sqlalchemy import Row, func, select, tuple_
from sqlalchemy.orm import Session

from services.core.errors import NotFound
from services.core.models import BodyWeight, PainReport, Workout, WorkoutSet


class LoggedLoad(NamedTuple):
    load_kg: float
    entered_load: float | None
    entered_unit: str | None


def last_program_day(
    session: Session, *, user_id: uuid.UUID, day_ids: list[str], since_ms: int
) -> str | None:
    stmt = (
        select(Workout.program_day_id)
        .where(
            Workout.user_id == user_id,
            Workout.deleted.is_(False),
            Workout.program_day_id.in_(day_ids),
            Workout.started_at >= since_ms,
        )
        .order_by(Workout.started_at.desc())
        .limit(1)
    )
    return session.scalar(stmt)


def last_working_loads(
    session: Session, *, user_id: uuid.UUID, exercise_ids: Collection[str]
) -> dict[str, LoggedLoad]:
    """Per exercise, the heaviest working set of the most recent workout that trained it, as logged
    (kilograms, and what the user typed in which unit); exercises never trained are left out. One
    statement for a whole program day: row_number() ranks each exercise's working sets by workout
    recency (ties on started_at go to the larger workout id), then load, so the heaviest set of its
    latest workout ranks 1. Window functions run on PostgreSQL and on SQLite (embedded mode) alike."""
    if not exercise_ids:
        return {}
    rank = func.row_number().over(
        partition_by=WorkoutSet.exercise_id,
        order_by=(Workout.started_at.desc(), Workout.id.desc(), WorkoutSet.load_kg.desc(), WorkoutSet.id),
    )
    working = (
        select(
            WorkoutSet.exercise_id,
            WorkoutSet.load_kg,
            WorkoutSet.entered_load,
            WorkoutSet.entered_unit,
            rank.label("rank"),
        )
        .join(Workout, (Workout.user_id == WorkoutSet.user_id) & (Workout.id == WorkoutSet.workout_id))
        .where(
            WorkoutSet.user_id == user_id,
            WorkoutSet.exercise_id.in_(exercise_ids),
            WorkoutSet.deleted.is_(False),
            WorkoutSet.is_warmup.is_(False),
            WorkoutSet.reps >= 1,
            Workout.deleted.is_(False),
        )
    ).subquery()
    stmt = select(
        working.c.exercise_id, working.c.load_kg, working.c.entered_load, working.c.entered_unit
    ).where(working.c.rank == 1)
    return {row[0]: LoggedLoad(row[1], row[2], row[3]) for row in session.execute(stmt)}


def body_weights(session: Session, *, user_id: uuid.UUID) -> Sequence[BodyWeight]:
    """The user's weigh-ins, oldest first (a few a week at most: every one is read)."""
    stmt = (
        select(BodyWeight)
        .where(BodyWeight.user_id == user_id, BodyWeight.deleted.is_(False))
        .order_by(BodyWeight.measured_on, BodyWeight.id)
    )
    return session.scalars(stmt).all()


def list_workouts(
    session: Session, *, user_id: uuid.UUID, before: tuple[int, str] | None, limit: int
) -> Sequence[Workout]:
    """Newest first; `before` is the (started_at, id) of the last workout of the previous page."""
    stmt = (
        select(Workout)
        .where(Workout.user_id == user_id, Workout.deleted.is_(False))
        .order_by(Workout.started_at.desc(), Workout.id.desc())
        .limit(limit)
    )
    if before is not None:
        stmt = stmt.where(tuple_(Workout.started_at, Workout.id) < tuple_(*before))
    return session.scalars(stmt).all()


def get_workout(session: Session, *, user_id: uuid.UUID, workout_id: str) -> Workout:
    stmt = select(Workout).where(
        Workout.user_id == user_id, Workout.id == workout_id, Workout.deleted.is_(False)
    )
    workout = session.scalar(stmt)
    if workout is None:
        raise NotFound("workout", workout_id)  # someone else's workout looks exactly like a missing one
    return workout


def sets_of(
    session: Session, *, user_id: uuid.UUID, workout_ids: Sequence[str]
) -> dict[str, list[WorkoutSet]]:
    stmt = (
        select(WorkoutSet)
        .where(
            WorkoutSet.user_id == user_id,
            WorkoutSet.workout_id.in_(workout_ids),
            WorkoutSet.deleted.is_(False),
        )
        .order_by(WorkoutSet.workout_id, WorkoutSet.set_index, WorkoutSet.performed_at, WorkoutSet.id)
    )
    grouped: dict[str, list[WorkoutSet]] = {workout_id: [] for workout_id in workout_ids}
    for workout_set in session.scalars(stmt):
        grouped[workout_set.workout_id].append(workout_set)
    return grouped


def iter_sets_with_workouts(session: Session, *, user_id: uuid.UUID) -> Iterator[Row[Workout, WorkoutSet]]:
    """Every live set with its workout, oldest first, streamed for exports."""
    stmt = (
        select(Workout, WorkoutSet)
        .join(WorkoutSet, (WorkoutSet.user_id == Workout.user_id) & (WorkoutSet.workout_id == Workout.id))
        .where(Workout.user_id == user_id, Workout.deleted.is_(False), WorkoutSet.deleted.is_(False))
        .order_by(Workout.started_at, Workout.id, WorkoutSet.set_index, WorkoutSet.id)
        .execution_options(yield_per=1000)
    )
    yield from session.execute(stmt)


def iter_workouts(session: Session, *, user_id: uuid.UUID) -> Iterator[Workout]:
    stmt = (
        select(Workout)
        .where(Workout.user_id == user_id, Workout.deleted.is_(False))
        .order_by(Workout.started_at, Workout.id)
        .execution_options(yield_per=1000)
    )
    yield from session.scalars(stmt)


def iter_pain_reports(session: Session, *, user_id: uuid.UUID) -> Iterator[PainReport]:
    stmt = (
        select(PainReport)
        .where(PainReport.user_id == user_id, PainReport.deleted.is_(False))
        .order_by(PainReport.reported_at, PainReport.id)
        .execution_options(yield_per=1000)
    )
    yield from session.scalars(stmt)


def sets_placed_since(
    session: Session,
    *,
    user_id: uuid.UUID,
    since_ms: int,
    set_by_set_since_ms: int,
    whole_history: Collection[str],
    set_columns: Sequence[str],
) -> Iterable[Row[Any]]:
    """The live sets of live workouts placed (training-rules.md §1.2: `performed_at`, else the
    workout's start) since `set_by_set_since_ms`, and those of the `whole_history` exercises since
    `since_ms`, in logging order: rows of (workout id, started_at, *set_columns). Plain Core rows:
    a recompute reads hundreds of sets, and ORM objects for them cost more than the engine itself."""
    workouts, sets = Workout.__table__, WorkoutSet.__table__
    placed = func.coalesce(sets.c.performed_at, workouts.c.started_at)
    recent = placed >= set_by_set_since_ms
    if set_by_set_since_ms > since_ms and whole_history:
        recent = recent | ((placed >= since_ms) & sets.c.exercise_id.in_(whole_history))
    stmt = (
        select(workouts.c.id, workouts.c.started_at, *(sets.c[name] for name in set_columns))
        .join(sets, (sets.c.user_id == workouts.c.user_id) & (sets.c.workout_id == workouts.c.id))
        .where(
            workouts.c.user_id == user_id, workouts.c.deleted.is_(False), sets.c.deleted.is_(False), recent
        )
        .order_by(workouts.c.started_at, workouts.c.id, sets.c.set_index, sets.c.performed_at, sets.c.id)
    )
    return session.connection().execute(stmt)


def recent_pain_reports(session: Session, *, user_id: uuid.UUID, since_ms: int) -> Sequence[PainReport]:
    stmt = select(PainReport).where(
        PainReport.user_id == user_id, PainReport.deleted.is_(False), PainReport.reported_at >= since_ms
    )
    return session.scalars(stmt).all()
