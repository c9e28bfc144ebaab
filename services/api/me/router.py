from fastapi import APIRouter, Response
from starlette.concurrency import run_in_threadpool

from services.api.auth import service as auth_service
from services.api.auth.schemas import PasswordChangeIn
from services.api.deps import CurrentSessionId, CurrentUser, SessionDep, SessionFactoryDep, SignedInClaims
from services.api.me import service
from services.api.me.schemas import (
    AccountDeletion,
    EnrollmentIn,
    EnrollmentRead,
    MePatch,
    MeRead,
    NextSession,
)
from services.api.problems import problem_responses
from services.api.ratelimit import LoginLimitsDep
from services.api.stored import NOT_MODIFIED, IfNoneMatch

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


@router.delete(
    "",
    operation_id="delete_me",
    status_code=204,
    response_class=Response,
    summary="Delete your account and everything in it, for good",
    description="Download your data first: `GET /v1/me/export?format=json` has everything this deletes "
    "(account, enrollment, workouts, sets, pain reports, your exercises, insights and prescriptions).\n\n"
    "Asks for your password again. Then, in one transaction, every row you own is deleted, your "
    "access and refresh tokens stop working at once (a second call is a 401), and the email may "
    "register again. Partners you had granted access get a signed `user.deleted` webhook and, for "
    "30 days, your workouts and insights as deletions in their change feeds. A wrong password is a "
    "403 `wrong-password` that changes nothing and counts like a failed login.",
    responses=problem_responses(401, 403, 413, 422),
)
def delete_me(
    body: AccountDeletion, user: CurrentUser, session: SessionDep, limits: LoginLimitsDep
) -> Response:
    service.delete_me(session, user, body, limits)
    return Response(status_code=204)


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


@router.delete(
    "/enrollment",
    operation_id="delete_enrollment",
    status_code=204,
    response_class=Response,
    summary="Leave the program you follow",
    description="You follow no program afterwards: `GET /v1/me/enrollment` and `GET /v1/me/next-session` "
    "are 404 until you enroll again. The program stays yours (a coach's too); a coach that assigned it "
    "is told through its `program.changed` webhook.",
    responses=problem_responses(401, 404),
)
def delete_enrollment(user: CurrentUser, session: SessionDep) -> Response:
    service.leave(session, user)
    return Response(status_code=204)


@router.get(
    "/next-session",
    operation_id="get_next_session",
    response_model=NextSession,
    summary="What to do next session: the next day of the rotation with sets, reps, tempo and loads",
    description="Kept up to date by every change that moves it (a push, a recompute, an enrollment, a "
    "program edit, a settings change), so it is served as stored. The `ETag` changes exactly when the "
    "answer does: poll with `If-None-Match` and get a `304` until then.",
    responses=problem_responses(401, 404, 422) | NOT_MODIFIED,
)
async def get_next_session(
    claims: SignedInClaims, factory: SessionFactoryDep, if_none_match: IfNoneMatch = None
) -> Response:
    return await run_in_threadpool(service.my_next_session, factory, claims, if_none_match)


@router.post(
    "/password",
    operation_id="change_password",
    status_code=204,
    response_class=Response,
    summary="Change your password (current and new); ends your other sessions",
    responses=problem_responses(401, 403, 413, 422),
)
def change_password(
    body: PasswordChangeIn,
    user: CurrentUser,
    session_id: CurrentSessionId,
    session: SessionDep,
    limits: LoginLimitsDep,
) -> Response:
    auth_service.change_password(session, user, session_id=session_id, body=body, limits=limits)
    return Response(status_code=204)
