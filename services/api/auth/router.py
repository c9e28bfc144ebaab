from fastapi import APIRouter, Response

from services.api.auth import service
from services.api.auth.schemas import LoginIn, RefreshIn, RegisteredUser, RegisterIn, TokenPair
from services.api.deps import SessionDep, SettingsDep
from services.api.problems import problem_responses
from services.api.ratelimit import LoginLimitsDep

router = APIRouter(prefix="/v1/auth", tags=["auth"])


@router.post(
    "/register",
    operation_id="register",
    status_code=201,
    response_model=RegisteredUser,
    summary="Create an account",
    responses=problem_responses(409, 413, 422),
)
def register(body: RegisterIn, session: SessionDep) -> RegisteredUser:
    user = service.register(session, body)
    return RegisteredUser(id=user.id, email=user.email)


@router.post(
    "/login",
    operation_id="login",
    response_model=TokenPair,
    summary="Exchange email and password for an access and a refresh token",
    responses=problem_responses(401, 413, 422),
)
def login(body: LoginIn, session: SessionDep, settings: SettingsDep, limits: LoginLimitsDep) -> TokenPair:
    return service.login(session, body, settings, limits)


@router.post(
    "/refresh",
    operation_id="refresh_tokens",
    response_model=TokenPair,
    summary="Rotate a refresh token (reuse of an old one revokes the whole login)",
    responses=problem_responses(401, 413, 422),
)
def refresh_tokens(body: RefreshIn, session: SessionDep, settings: SettingsDep) -> TokenPair:
    return service.refresh(session, body.refresh_token, settings)


@router.post(
    "/logout",
    operation_id="logout",
    status_code=204,
    response_class=Response,
    summary="Revoke a refresh token and every token rotated from it",
    responses=problem_responses(413, 422),
)
def logout(body: RefreshIn, session: SessionDep) -> Response:
    service.logout(session, body.refresh_token)
    return Response(status_code=204)
