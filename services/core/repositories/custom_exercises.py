"""A user's own exercises (the synced `custom_exercises` table). Every read is scoped to the owner."""

import uuid
from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.core.models import CustomExercise


def all_of(session: Session, *, user_id: uuid.UUID) -> dict[str, CustomExercise]:
    """Every custom exercise of the user by id, archived ones included: their sets still name them.

    A user makes a handful of exercises (the push caps a table at 5,000 records), so one read of
    them all serves the push's reference and name checks and the engine's catalog.
    """
    stmt = select(CustomExercise).where(CustomExercise.user_id == user_id)
    return {exercise.id: exercise for exercise in session.scalars(stmt)}


def live(session: Session, *, user_id: uuid.UUID) -> Sequence[CustomExercise]:
    """The user's exercises that are not archived, by name (for the exercise picker)."""
    stmt = (
        select(CustomExercise)
        .where(CustomExercise.user_id == user_id, CustomExercise.deleted.is_(False))
        .order_by(CustomExercise.name, CustomExercise.id)
    )
    return session.scalars(stmt).all()


def with_ids(session: Session, *, user_id: uuid.UUID, ids: Iterable[str]) -> dict[str, CustomExercise]:
    """The user's exercises among `ids` (archived ones too); catalog or unknown ids are left out."""
    wanted = set(ids)
    if not wanted:
        return {}
    stmt = select(CustomExercise).where(CustomExercise.user_id == user_id, CustomExercise.id.in_(wanted))
    return {exercise.id: exercise for exercise in session.scalars(stmt)}
