"""Partner access to one user's data: `/v1/users/{user_id}/…` with an API key and that user's grant,
or with the OAuth access token that user's consent gave the partner."""

import uuid
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import AwareDatetime

from services.api.deps import PartnerCredential, SessionDep
from services.api.history import service as history
from services.api.history.router import WorkoutId
from services.api.history.schemas import WorkoutRead
from services.api.insights import service as insights
from services.api.insights.router import Weeks
from services.api.insights.schemas import InsightRead, Status, VolumeRead
from services.api.me import service as me
from services.api.me.schemas import EnrollmentRead, NextSession
from services.api.pagination import PAGE_SIZE, Cursor, Limit, Page
from services.api.partners import service, tombstones
from services.api.partners.schemas import InsightChangesPage, PartnerWorkoutIn, WorkoutChangesPage
from services.api.partners.service import PartnerGrant, authorize
from services.api.problems import problem_responses
from services.core.models import AccountTombstone

router = APIRouter(prefix="/v1/users/{user_id}", tags=["partners"])


def partner_with_scopes(scope: str) -> Callable[..., PartnerGrant]:
    """A partner acting for the user in the path, through a grant that covers `scope`."""

    def partner_grant(
        user_id: Annotated[uuid.UUID, Path(description="The user who granted access")],
        credential: PartnerCredential,
        session: SessionDep,
    ) -> PartnerGrant:
        return authorize(session, credential, user_id, scope)

    return partner_grant


ProgramsReader = Annotated[PartnerGrant, Depends(partner_with_scopes("programs:read"))]
WorkoutsReader = Annotated[PartnerGrant, Depends(partner_with_scopes("workouts:read"))]
WorkoutsWriter = Annotated[PartnerGrant, Depends(partner_with_scopes("workouts:write"))]
InsightsReader = Annotated[PartnerGrant, Depends(partner_with_scopes("insights:read"))]
# The change feeds outlive a deleted account for the partners it had granted (tombstones.py).
WorkoutsFeedReader = Annotated[
    PartnerGrant | AccountTombstone, Depends(tombstones.feed_reader_with_scope("workouts:read"))
]
InsightsFeedReader = Annotated[
    PartnerGrant | AccountTombstone, Depends(tombstones.feed_reader_with_scope("insights:read"))
]

# Every operation here: 401 bad key or token, 403 missing scope, 404 no grant (or no such object), 422 input.
ERRORS = problem_responses(401, 403, 404, 422)

UpdatedSince = Annotated[
    AwareDatetime | None,
    Query(
        description="RFC 3339 time with an offset (`Z`): only items changed at or after it. Send the "
        "largest `changed_at` you received; absent, the feed starts from the beginning.",
        examples=["2026-03-02T12:00:00Z"],
    ),
]


@router.get(
    "/enrollment",
    operation_id="get_user_enrollment",
    response_model=EnrollmentRead,
    summary="The program the user follows (scope programs:read)",
    responses=ERRORS,
)
def get_user_enrollment(grant: ProgramsReader, session: SessionDep) -> EnrollmentRead:
    return me.get_enrollment(session, grant.user)


@router.get(
    "/next-session",
    operation_id="get_user_next_session",
    response_model=NextSession,
    summary="The user's next session with sets, reps, tempo and loads (scope programs:read)",
    responses=ERRORS,
)
def get_user_next_session(grant: ProgramsReader, session: SessionDep) -> Response:
    return me.next_session(session, grant.user)


@router.get(
    "/workouts",
    operation_id="list_user_workouts",
    response_model=Page[WorkoutRead],
    summary="The user's workouts with their sets, newest first (scope workouts:read)",
    responses=ERRORS,
)
def list_user_workouts(
    grant: WorkoutsReader, session: SessionDep, limit: Limit = 50, cursor: Cursor = None
) -> Page[WorkoutRead]:
    return history.list_workouts(session, grant.user, limit=limit, cursor=cursor)


@router.post(
    "/workouts",
    operation_id="create_user_workout",
    status_code=201,
    response_model=WorkoutRead,
    summary="Log a workout with its sets for the user (scope workouts:write)",
    responses={
        201: {
            "description": "The stored workout",
            "headers": {"Location": {"description": "Its URL", "schema": {"type": "string"}}},
        },
        **problem_responses(401, 403, 404, 409, 413, 422),
    },
)
def create_user_workout(
    body: PartnerWorkoutIn,
    grant: WorkoutsWriter,
    request: Request,
    response: Response,
    session: SessionDep,
) -> WorkoutRead:
    created = service.create_workout(session, grant.user, body, on_change=request.app.state.jobs.user_changed)
    response.headers["Location"] = f"/v1/users/{grant.user.id}/workouts/{created.id}"
    return created


@router.get(
    "/workouts/{workout_id}",
    operation_id="get_user_workout",
    response_model=WorkoutRead,
    summary="One of the user's workouts with its sets (scope workouts:read)",
    responses=ERRORS,
)
def get_user_workout(workout_id: WorkoutId, grant: WorkoutsReader, session: SessionDep) -> WorkoutRead:
    return history.get_workout(session, grant.user, workout_id)


@router.get(
    "/changes/workouts",
    operation_id="list_user_workout_changes",
    response_model=WorkoutChangesPage,
    summary="Workouts changed since a time, deletions included, oldest change first (scope workouts:read)",
    responses=ERRORS,
)
def list_user_workout_changes(
    reader: WorkoutsFeedReader,
    session: SessionDep,
    updated_since: UpdatedSince = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> WorkoutChangesPage:
    return tombstones.workout_changes(session, reader, since=updated_since, limit=limit, cursor=cursor)


@router.get(
    "/insights",
    operation_id="list_user_insights",
    response_model=Page[InsightRead],
    summary="The user's insights: deload suggestions, imbalance alerts (scope insights:read)",
    responses=ERRORS,
)
def list_user_insights(
    grant: InsightsReader,
    session: SessionDep,
    status: Annotated[Status | None, Query()] = None,
    kind: Annotated[str | None, Query(max_length=64, pattern=r"^[a-z_.]+$")] = None,
    limit: Limit = PAGE_SIZE,
    cursor: Cursor = None,
) -> Page[InsightRead] | Response:
    return insights.list_insights(session, grant.user, status=status, kind=kind, limit=limit, cursor=cursor)


@router.get(
    "/changes/insights",
    operation_id="list_user_insight_changes",
    response_model=InsightChangesPage,
    summary="Insights changed since a time, deletions included, oldest change first (scope insights:read)",
    responses=ERRORS,
)
def list_user_insight_changes(
    reader: InsightsFeedReader,
    session: SessionDep,
    updated_since: UpdatedSince = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> InsightChangesPage:
    return tombstones.insight_changes(session, reader, since=updated_since, limit=limit, cursor=cursor)


@router.get(
    "/volume",
    operation_id="get_user_volume",
    response_model=VolumeRead,
    summary="The user's hard sets per muscle per week and hamstring:quad ratio (scope insights:read)",
    responses=ERRORS,
)
def get_user_volume(grant: InsightsReader, session: SessionDep, weeks: Weeks = 8) -> VolumeRead:
    return insights.volume(session, grant.user, weeks)
