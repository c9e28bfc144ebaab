from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.core.errors import NotFound
from services.core.models import Exercise, Program


def list_all(session: Session) -> Sequence[Exercise]:
    return session.scalars(select(Exercise).order_by(Exercise.id)).all()


def list_exercises(
    session: Session,
    *,
    pattern: str | None,
    muscle: str | None,
    equipment: str | None,
    after_id: str | None,
    limit: int,
) -> Sequence[Exercise]:
    stmt = select(Exercise).order_by(Exercise.id)
    if pattern is not None:
        stmt = stmt.where(Exercise.pattern == pattern)
    if equipment is not None:
        stmt = stmt.where(Exercise.equipment == equipment)
    if after_id is not None:
        stmt = stmt.where(Exercise.id > after_id)
    # The catalog is reference data of tens of rows: filtering the JSON muscle lists here keeps one
    # portable query for SQLite and PostgreSQL.
    rows = [
        e
        for e in session.scalars(stmt)
        if muscle is None or muscle in e.primary_muscles + e.secondary_muscles
    ]
    return rows[:limit]


def get_exercise(session: Session, exercise_id: str) -> Exercise:
    exercise = session.get(Exercise, exercise_id)
    if exercise is None:
        raise NotFound("exercise", exercise_id)
    return exercise


def exercises_of(session: Session, program: Program) -> dict[str, Exercise]:
    """The exercises of the program's slots (days and slots loaded), by id."""
    ids = {slot.exercise_id for day in program.days for slot in day.slots}
    return {e.id: e for e in session.scalars(select(Exercise).where(Exercise.id.in_(ids)))}


# Catalog exercise ids this process has seen in the database. The seed adds and changes catalog
# exercises but never removes one (a pull sends no catalog tombstones), so an id once found stays
# valid: a push naming only known exercises, nearly every push, asks the database nothing.
_known_ids: set[str] = set()


def existing_ids(session: Session, ids: set[str]) -> set[str]:
    """Which of `ids` are catalog exercises."""
    unknown = ids - _known_ids
    if unknown:
        _known_ids.update(session.scalars(select(Exercise.id).where(Exercise.id.in_(unknown))))
    return ids & _known_ids


def exercise_names(session: Session) -> dict[str, str]:
    return dict(session.execute(select(Exercise.id, Exercise.name)).all())
