"""The exercises a user can log: the shared catalog and their own."""

from collections.abc import Iterable

from sqlalchemy.orm import Session

from services.api.catalog.schemas import CustomExerciseRead, ExerciseRead, MyExercisesRead
from services.core.models import CustomExercise, User
from services.core.repositories import catalog, custom_exercises


def my_exercises(session: Session, user: User, *, include_archived: bool) -> MyExercisesRead:
    own = custom_exercises.all_of(session, user_id=user.id).values()
    shown = sorted(
        (e for e in own if include_archived or not e.deleted), key=lambda e: (e.name.casefold(), e.id)
    )
    return MyExercisesRead(
        catalog=[ExerciseRead.model_validate(e) for e in catalog.list_all(session)],
        custom=custom_reads(shown),
    )


def custom_reads(rows: Iterable[CustomExercise]) -> list[CustomExerciseRead]:
    return [CustomExerciseRead(**row.declared(), archived=row.deleted) for row in rows]
