from fastapi import APIRouter

from services.api.deps import CurrentUser, SessionDep
from services.api.me import service
from services.api.me.schemas import EnrollmentIn, EnrollmentRead, MePatch, MeRead, NextSession
from services.api.problems import problem_responses

router = APIRouter(prefix="/v1/me", tags=["me"])


@router.get(
    "",
    operation_id="get_me",
    response_model=MeRead,
    summary="Your account settings",
    responses=problem_responses(401),
)
def get_me(user: CurrentUser) -> MeRead:
    return MeRead.model_validate(user)


@router.patch(
    "",
    operation_id="update_me",
    response_model=MeRead,
    summary="Change time zone, week start, units, goal or weak point",
    responses=problem_responses(401, 413, 422),
)
def update_me(patch: MePatch, user: CurrentUser, session: SessionDep) -> MeRead:
    return MeRead.model_validate(service.update_me(session, user, patch))


@router.put(
    "/enrollment",
    operation_id="put_enrollment",
    response_model=EnrollmentRead,
    summary="Enroll in a program (replaces the current enrollment)",
    responses=problem_responses(401, 404, 413, 422),
)
def put_enrollment(body: EnrollmentIn, user: CurrentUser, session: SessionDep) -> EnrollmentRead:
    return service.enroll(session, user, body)


@router.get(
    "/enrollment",
    operation_id="get_enrollment",
    response_model=EnrollmentRead,
    summary="The program you follow",
    responses=problem_responses(401, 404),
)
def get_enrollment(user: CurrentUser, session: SessionDep) -> EnrollmentRead:
    return service.get_enrollment(session, user)


@router.get(
    "/next-session",
    operation_id="get_next_session",
    response_model=NextSession,
    summary="What to do next session: the next day of the rotation with sets, reps, tempo and loads",
    responses=problem_responses(401, 404),
)
def get_next_session(user: CurrentUser, session: SessionDep) -> NextSession:
    return service.next_session(session, user)
