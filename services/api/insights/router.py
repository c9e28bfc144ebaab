from functools import partial
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from services.api.catalog.router import ExerciseId
from services.api.deps import CurrentUser, SessionDep, SessionFactoryDep, SignedInClaims
from services.api.insights import service
from services.api.insights.schemas import InsightAnswer, InsightRead, ProgressRead, Status, VolumeRead
from services.api.pagination import PAGE_SIZE, Cursor, Limit, Page
from services.api.problems import problem_responses
from services.api.stored import NOT_MODIFIED, IfNoneMatch

router = APIRouter(prefix="/v1/me", tags=["insights"])

InsightId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
Weeks = Annotated[int, Query(ge=1, le=52, description="Completed weeks to report, newest last")]


@router.get(
    "/insights",
    operation_id="list_my_insights",
    response_model=Page[InsightRead],
    summary="Your insights: deload suggestions, imbalance alerts, progressions (newest first)",
    description="The first page of all insights and of the open ones (no `kind`, no `cursor`, the "
    "default `limit`) is kept up to date by every change to an insight (a recompute, an accept or a "
    "dismiss, a pushed status), so it is served as stored with an `ETag` that changes exactly when "
    "the answer does: poll with `If-None-Match` and get a `304` until then.",
    responses=problem_responses(401, 422) | NOT_MODIFIED,
)
async def list_my_insights(
    claims: SignedInClaims,
    factory: SessionFactoryDep,
    status: Annotated[Status | None, Query()] = None,
    kind: Annotated[str | None, Query(max_length=64, pattern=r"^[a-z_.]+$")] = None,
    limit: Limit = PAGE_SIZE,
    cursor: Cursor = None,
    if_none_match: IfNoneMatch = None,
) -> Page[InsightRead] | Response:
    return await run_in_threadpool(
        partial(
            service.list_my_insights,
            factory,
            claims,
            status=status,
            kind=kind,
            limit=limit,
            cursor=cursor,
            if_none_match=if_none_match,
        )
    )


@router.post(
    "/insights/{insight_id}/accept",
    operation_id="accept_insight",
    response_model=InsightAnswer,
    summary="Accept an insight (an accepted deload changes next week's prescriptions; an alert "
    "that adds exercises puts them in the program you follow)",
    responses=problem_responses(401, 404, 409, 422),
)
def accept_insight(
    insight_id: InsightId, request: Request, user: CurrentUser, session: SessionDep
) -> InsightAnswer:
    return _answer(request, session, user, insight_id, "accepted")


@router.post(
    "/insights/{insight_id}/dismiss",
    operation_id="dismiss_insight",
    response_model=InsightAnswer,
    summary="Dismiss an insight (the same alert stays quiet for the rule's cooldown)",
    responses=problem_responses(401, 404, 409, 422),
)
def dismiss_insight(
    insight_id: InsightId, request: Request, user: CurrentUser, session: SessionDep
) -> InsightAnswer:
    return _answer(request, session, user, insight_id, "dismissed")


def _answer(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    insight_id: str,
    status: Literal["accepted", "dismissed"],
) -> InsightAnswer:
    answered = service.set_status(session, user, insight_id, status)
    request.app.state.jobs.user_changed(user.id)
    return answered


@router.get(
    "/volume",
    operation_id="get_my_volume",
    response_model=VolumeRead,
    summary="Hard sets per muscle per week, hamstring:quad ratio and pattern coverage",
    responses=problem_responses(401, 422),
)
def get_my_volume(user: CurrentUser, session: SessionDep, weeks: Weeks = 8) -> VolumeRead:
    return service.volume(session, user, weeks)


@router.get(
    "/progress/{exercise_id}",
    operation_id="get_my_progress",
    response_model=ProgressRead,
    summary="Best estimated 1RM of an exercise per week",
    responses=problem_responses(401, 404, 422),
)
def get_my_progress(
    exercise_id: ExerciseId, user: CurrentUser, session: SessionDep, weeks: Weeks = 12
) -> ProgressRead:
    return service.progress(session, user, exercise_id, weeks)
