from fastapi import APIRouter, Request, Response

from services.api.auth import service
from services.api.auth.schemas import (
    LoginIn,
    MailSent,
    PasswordResetConfirmIn,
    PasswordResetIn,
    RefreshIn,
    RegisterIn,
    TokenPair,
    VerifyEmailIn,
)
from services.api.deps import SessionDep, SettingsDep
from services.api.problems import problem_responses
from services.api.ratelimit import LoginLimitsDep, RateLimitsDep

router = APIRouter(prefix="/v1/auth", tags=["auth"])


@router.post(
    "/register",
    operation_id="register",
    status_code=202,
    response_model=MailSent,
    summary="Create an account and mail a verification link (the same answer for a taken address)",
    responses=problem_responses(413, 422),
)
def register(body: RegisterIn, request: Request, session: SessionDep, limits: RateLimitsDep) -> MailSent:
    sent = service.register(session, body, limits)
    request.app.state.jobs.mail_queued()
    return sent


@router.post(
    "/verify-email",
    operation_id="verify_email",
    response_model=TokenPair,
    summary="Confirm an email address with the token of the mailed link; signs the user in",
    description="Until this call an account cannot sign in with its password: `/v1/auth/login` "
    "answers it exactly as a wrong password. The answer is a new login's tokens, as from `/v1/auth/login`.",
    responses=problem_responses(413, 422),
)
def verify_email(body: VerifyEmailIn, session: SessionDep, settings: SettingsDep) -> TokenPair:
    return service.verify_email(session, body.token, settings)


@router.post(
    "/password-reset",
    operation_id="request_password_reset",
    status_code=202,
    response_model=MailSent,
    summary="Mail a password reset link (the same answer for an address without an account)",
    responses=problem_responses(413, 422),
)
def request_password_reset(
    body: PasswordResetIn, request: Request, session: SessionDep, limits: RateLimitsDep
) -> MailSent:
    sent = service.request_password_reset(session, body.email, limits)
    request.app.state.jobs.mail_queued()
    return sent


@router.post(
    "/password-reset/confirm",
    operation_id="confirm_password_reset",
    status_code=204,
    response_class=Response,
    summary="Set a new password with the token of the mailed link; ends every session",
    responses=problem_responses(413, 422),
)
def confirm_password_reset(body: PasswordResetConfirmIn, session: SessionDep) -> Response:
    service.confirm_password_reset(session, body.token, body.new_password)
    return Response(status_code=204)


@router.post(
    "/login",
    operation_id="login",
    response_model=TokenPair,
    summary="Exchange email and password for an access and a refresh token",
    description="Only for an account whose address is confirmed (`/v1/auth/verify-email` or a password "
    "reset): before that the answer is the 401 of a wrong password, so signing in right after "
    "registering tells nobody whether the address already had an account.",
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
