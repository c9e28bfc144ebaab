from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import StreamingResponse

from services.api.deps import CurrentUser, SessionDep
from services.api.history import service
from services.api.history.schemas import WorkoutRead
from services.api.pagination import Cursor, Limit, Page
from services.api.problems import problem_responses

router = APIRouter(prefix="/v1/me", tags=["history"])

WorkoutId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$", examples=["a1b2c3d4e5f6g7h8"])]


@router.get(
    "/workouts",
    operation_id="list_my_workouts",
    response_model=Page[WorkoutRead],
    summary="Your logged workouts with their sets, newest first",
    responses=problem_responses(401, 422),
)
def list_my_workouts(
    user: CurrentUser, session: SessionDep, limit: Limit = 50, cursor: Cursor = None
) -> Page[WorkoutRead]:
    return service.list_workouts(session, user, limit=limit, cursor=cursor)


@router.get(
    "/workouts/{workout_id}",
    operation_id="get_my_workout",
    response_model=WorkoutRead,
    summary="One of your workouts with its sets",
    responses=problem_responses(401, 404, 422),
)
def get_my_workout(workout_id: WorkoutId, user: CurrentUser, session: SessionDep) -> WorkoutRead:
    return service.get_workout(session, user, workout_id)


@router.get(
    "/export",
    operation_id="export_my_data",
    summary="Download your data: one CSV row per set (kg and lb), or everything as JSON",
    description="`format=json` holds everything the account owns: settings, enrollment, workouts, sets, "
    "pain reports, your exercises, insights and prescriptions. Take it before deleting your account "
    "(`DELETE /v1/me`): nothing can be recovered afterwards.",
    responses={
        200: {
            "description": "The export, streamed",
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "application/json": {"schema": {"type": "object"}},
            },
        },
        **problem_responses(401, 422),
    },
)
def export_my_data(
    request: Request,
    user: CurrentUser,
    export_format: Annotated[Literal["csv", "json"], Query(alias="format")] = "csv",
) -> StreamingResponse:
    factory = request.app.state.sessionmaker
    disposition = {"Content-Disposition": f'attachment; filename="posterior-export.{export_format}"'}
    if export_format == "csv":
        return StreamingResponse(
            service.export_csv(factory, user.id), media_type="text/csv", headers=disposition
        )
    return StreamingResponse(
        service.export_json(factory, user.id), media_type="application/json", headers=disposition
    )
