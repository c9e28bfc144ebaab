from typing import Annotated

from fastapi import APIRouter, Path, Query

from services.api.catalog import service
from services.api.catalog.schemas import Equipment, ExerciseRead, Muscle, MyExercisesRead, Pattern
from services.api.deps import CurrentUser, SessionDep
from services.api.pagination import Cursor, Limit, Page, decode_cursor, each, page_of, text_key
from services.api.problems import problem_responses
from services.core.repositories import catalog

router = APIRouter(tags=["catalog"])

ExerciseId = Annotated[str, Path(max_length=80, pattern=r"^[a-z0-9-]+$", examples=["romanian-deadlift"])]


@router.get(
    "/v1/exercises",
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
    "/v1/exercises/{exercise_id}",
    operation_id="get_exercise",
    response_model=ExerciseRead,
    summary="Get one exercise with cues, mistakes, regressions and progressions",
    responses=problem_responses(404, 422),
)
def get_exercise(exercise_id: ExerciseId, session: SessionDep) -> ExerciseRead:
    return ExerciseRead.model_validate(catalog.get_exercise(session, exercise_id))


@router.get(
    "/v1/me/exercises",
    operation_id="list_my_exercises",
    response_model=MyExercisesRead,
    summary="Every exercise the caller can log: the catalog and their own",
    description="The whole catalog and the caller's own exercises (created on the phone and synced "
    "through `custom_exercises`), for an exercise picker. Archived (deleted) own exercises are left "
    "out unless `include_archived` is true: their sets still name them.",
    responses=problem_responses(401, 422),
)
def list_my_exercises(
    user: CurrentUser,
    session: SessionDep,
    include_archived: Annotated[bool, Query(description="Also the own exercises the user deleted")] = False,
) -> MyExercisesRead:
    return service.my_exercises(session, user, include_archived=include_archived)
