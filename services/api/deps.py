"""Request-scoped dependencies: the database session, the settings and the caller."""

import uuid
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer, OAuth2AuthorizationCodeBearer
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from services.api.auth.callers import (
    Caller,
    PartnerCaller,
    PartnerTokenCaller,
    UserCaller,
    identify,
    identify_once,
    session_ended,
)
from services.api.auth.tokens import AccessClaims
from services.core.db import read_in_autocommit
from services.core.errors import Unauthenticated
from services.core.models import ApiKey, OAuthToken, User
from services.core.models.base import utcnow
from services.core.models.partners import GRANTABLE_SCOPES
from services.core.repositories import oauth_tokens, partners, users
from services.core.settings import Settings


def get_settings_dep(request: Request) -> Settings:
    return request.app.state.settings


async def get_session_factory(request: Request) -> sessionmaker[Session]:
    """For a use case that opens its sessions itself, in the one thread-pool hop it runs in."""
    return request.app.state.sessionmaker


async def get_session(request: Request) -> AsyncIterator[Session]:
    # Async so that FastAPI does not spend a thread-pool hop on opening a session, which does no
    # I/O (the connection is checked out at the first statement). Closing may roll back and
    # returns the connection to the pool: off the event loop. Uncommitted work rolls back.
    session = request.app.state.sessionmaker()
    try:
        yield session
    finally:
        await run_in_threadpool(session.close)


SessionDep = Annotated[Session, Depends(get_session)]
SessionFactoryDep = Annotated[sessionmaker[Session], Depends(get_session_factory)]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]

_bearer = HTTPBearer(
    scheme_name="UserAccessToken",
    bearerFormat="JWT",
    auto_error=False,
    description="A user's access token from POST /v1/auth/login",
)
_partner_bearer = HTTPBearer(
    scheme_name="PartnerApiKey",
    bearerFormat="pk_…",
    auto_error=False,
    description="A partner's API key (`Authorization: Bearer pk_…`), created with the admin CLI",
)
# Declares the OAuth flow in the spec (generated clients and Swagger UI learn it from there); the
# credential itself is read once, in current_partner_credential.
_partner_oauth = OAuth2AuthorizationCodeBearer(
    authorizationUrl="/v1/oauth/authorize",
    tokenUrl="/v1/oauth/token",
    refreshUrl="/v1/oauth/token",
    scopes={scope: f"The user's {scope}" for scope in GRANTABLE_SCOPES},
    scheme_name="PartnerAccessToken",
    auto_error=False,
    description="A user-scoped access token (`Authorization: Bearer pat_…`) from POST /v1/oauth/token, "
    "good for that one user's /v1/users/{user_id}/… within the scopes the user approved",
)


async def signed_in_claims(
    request: Request,
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> AccessClaims:
    """The claims of the caller's access token, read on the event loop (no database, so no
    thread-pool hop). Whether its login session is still open is the next question: `current_user`
    asks it, and the stored reads ask it in the statement that reads them."""
    caller = None if credentials is None else _identify(request, credentials, settings)
    if not isinstance(caller, UserCaller):
        raise Unauthenticated("Send an access token: Authorization: Bearer <token>.")
    return caller.claims


SignedInClaims = Annotated[AccessClaims, Depends(signed_in_claims)]


def current_user(claims: SignedInClaims, session: SessionDep) -> User:
    # One statement: no transaction around it on PostgreSQL (read_in_autocommit).
    read_in_autocommit(session)
    user = users.find_signed_in(session, user_id=claims.user_id, session_id=claims.session_id)
    if user is None:
        raise session_ended()
    # End the authentication read here: on SQLite every transaction holds the database lock, and
    # a use case that opens its own snapshot (streamed pulls and exports) must not wait on ours.
    session.commit()
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def current_session_id(
    request: Request,
    user: CurrentUser,
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> uuid.UUID:
    """The login session (refresh-token family) of the signed-in caller's access token."""
    assert credentials is not None  # current_user has refused a request without one
    caller = _identify(request, credentials, settings)
    assert isinstance(caller, UserCaller)
    assert caller.user_id == user.id
    return caller.claims.session_id


CurrentSessionId = Annotated[uuid.UUID, Depends(current_session_id)]


def _identify(request: Request, credentials: HTTPAuthorizationCredentials, settings: Settings) -> Caller:
    """The caller, as the rate limiter has already read it in this request."""
    return identify_once(
        request.scope.setdefault("state", {}), credentials.credentials, secret=settings.signing_secret()
    )


def current_partner_key(
    session: SessionDep,
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_partner_bearer)],
) -> ApiKey:
    caller = _caller_or_none(credentials, settings)
    if not isinstance(caller, PartnerCaller):
        raise Unauthenticated("Send an API key: Authorization: Bearer pk_….")
    key = partners.find_active_key(session, key_hash=caller.key_hash, now=utcnow())
    if key is None:
        raise Unauthenticated("The API key is not valid or was revoked.")
    return key


def _caller_or_none(credentials: HTTPAuthorizationCredentials | None, settings: Settings) -> Caller | None:
    """On a partner route an access token, valid or not, is simply not an API key."""
    if credentials is None:
        return None
    try:
        return identify(credentials.credentials, secret=settings.signing_secret())
    except Unauthenticated:
        return None


PartnerKey = Annotated[ApiKey, Depends(current_partner_key)]
# The raw `Bearer pk_…` credential, for the token endpoint's own client authentication.
PartnerKeyCredentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_partner_bearer)]


def current_partner_credential(
    session: SessionDep,
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_partner_bearer)],
    _declared: Annotated[str | None, Depends(_partner_oauth)],
) -> ApiKey | OAuthToken:
    """On `/v1/users/{user_id}/…`: an API key, or an access token for one user."""
    caller = _caller_or_none(credentials, settings)
    if not isinstance(caller, PartnerTokenCaller):
        return current_partner_key(session, settings, credentials)
    token = oauth_tokens.find_active_access_token(session, access_hash=caller.token_hash, now=utcnow())
    if token is None:
        raise Unauthenticated("The access token is not valid: it has expired or was revoked.")
    return token


PartnerCredential = Annotated[ApiKey | OAuthToken, Depends(current_partner_credential)]
