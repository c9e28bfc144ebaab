from typing import Annotated

from fastapi import APIRouter, Path, Query

from services.api.catalog.schemas import Equipment, ExerciseRead, Muscle, Pattern
from services.api.deps import SessionDep
from services.api.pagination import Cursor, Limit, Page, decode_cursor, each, page_of, text_key
from services.api.problems import problem_responses
from services.core.repositories import catalog

router = APIRouter(prefix="/v1/exercises", tags=["catalog"])

ExerciseId = Annotated[str, Path(max_length=80, pattern=r"^[a-z0-9-]+$", examples=["romanian-deadlift"])]


@router.get(
    "",
    operation_id="list_exercises",
    response_model=Page[ExerciseRead],
    summary="List the exercise catalog",
    responses=problem_responses(422),
)
def list_exercises(
    session: SessionDep,
    pattern: Annotated[Pattern | None, Query()] = None,
    muscle: Annotated[Muscle | None, Query()] = None,
    equipment: Annotated[Equipment | None, Query()] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[ExerciseRead]:
    after = decode_cursor(cursor, text_key)
    rows = catalog.list_exercises(
        session,
        pattern=pattern,
        muscle=muscle,
        equipment=equipment,
        after_id=after[0] if after else None,
        limit=limit + 1,
    )
    return page_of(rows, limit, each(ExerciseRead.model_validate), lambda e: [e.id])


@router.get(
    "/{exercise_id}",
    operation_id="get_exercise",
    response_model=ExerciseRead,
    summary="Get one exercise with cues, mistakes, regressions and progressions",
    responses=problem_responses(404, 422),
)
def get_exercise(exercise_id: ExerciseId, session: SessionDep) -> ExerciseRead:
    return ExerciseRead.model_validate(catalog.get_exercise(session, exercise_id))
