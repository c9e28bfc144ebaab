"""Queries over a user's logs. Every function takes the owner: scoping can't be forgotten."""

import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.core.models import Workout, WorkoutSet


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


def last_working_load(session: Session, *, user_id: uuid.UUID, exercise_id: str) -> float | None:
    """Heaviest working-set load of the most recent workout that trained the exercise."""
    working = (
        WorkoutSet.user_id == user_id,
        WorkoutSet.exercise_id == exercise_id,
        WorkoutSet.deleted.is_(False),
        WorkoutSet.is_warmup.is_(False),
        WorkoutSet.reps >= 1,
    )
    last_workout = (
        select(WorkoutSet.workout_id)
        .join(Workout, (Workout.user_id == WorkoutSet.user_id) & (Workout.id == WorkoutSet.workout_id))
        .where(*working, Workout.deleted.is_(False))
        .order_by(Workout.started_at.desc())
        .limit(1)
    ).scalar_subquery()
    stmt = select(func.max(WorkoutSet.load_kg)).where(*working, WorkoutSet.workout_id == last_workout)
    return session.scalar(stmt)
