"""Request-scoped dependencies: the database session, the settings and the caller."""

import uuid
from collections.abc import AsyncIterator, Callable
from typing import Annotated

from fastapi import Depends, Path, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from services.api.auth.tokens import read_access_claims
from services.api.partners import keys
from services.api.partners.service import PartnerGrant, authorize
from services.api.ratelimit import RateLimits
from services.core.errors import Unauthenticated
from services.core.models import ApiKey, User
from services.core.models.base import utcnow
from services.core.repositories import partners, users
from services.core.settings import Settings


def get_settings_dep(request: Request) -> Settings:
    return request.app.state.settings


async def get_session(request: Request) -> AsyncIterator[Session]:
    # Async so that FastAPI does not spend a thread-pool hop on opening a session, which does no
    # I/O (the connection is checked out at the first statement). Closing may roll back and
    # returns the connection to the pool: off the event loop. Uncommitted work rolls back.
    session = request.app.state.sessionmaker()
    try:
        yield session
    finally:
        await run_in_threadpool(session.close)


def get_rate_limits(request: Request) -> RateLimits:
    return request.app.state.rate_limits


SessionDep = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
RateLimitsDep = Annotated[RateLimits, Depends(get_rate_limits)]

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


def current_user(
    session: SessionDep,
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> User:
    if credentials is None:
        raise Unauthenticated("Send an access token: Authorization: Bearer <token>.")
    claims = read_access_claims(credentials.credentials, secret=settings.signing_secret())
    user = users.find_signed_in(session, user_id=claims.user_id, session_id=claims.session_id)
    if user is None:
        raise Unauthenticated("The access token is not valid: its account or its login session has ended.")
    # End the authentication read here: on SQLite every transaction holds the database lock, and
    # a use case that opens its own snapshot (streamed pulls and exports) must not wait on ours.
    session.commit()
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def current_partner_key(
    session: SessionDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_partner_bearer)]
) -> ApiKey:
    if credentials is None or not credentials.credentials.startswith(keys.KEY_PREFIX):
        raise Unauthenticated("Send an API key: Authorization: Bearer pk_….")
    key = partners.find_active_key(session, key_hash=keys.hash_secret(credentials.credentials), now=utcnow())
    if key is None:
        raise Unauthenticated("The API key is not valid or was revoked.")
    return key


PartnerKey = Annotated[ApiKey, Depends(current_partner_key)]


def partner_with_scopes(scope: str) -> Callable[..., PartnerGrant]:
    """A partner acting for the user in the path, through a grant that covers `scope`."""

    def partner_grant(
        user_id: Annotated[uuid.UUID, Path(description="The user who granted access")],
        key: PartnerKey,
        session: SessionDep,
    ) -> PartnerGrant:
        return authorize(session, key, user_id, scope)

    return partner_grant


ProgramsReader = Annotated[PartnerGrant, Depends(partner_with_scopes("programs:read"))]
WorkoutsReader = Annotated[PartnerGrant, Depends(partner_with_scopes("workouts:read"))]
WorkoutsWriter = Annotated[PartnerGrant, Depends(partner_with_scopes("workouts:write"))]
InsightsReader = Annotated[PartnerGrant, Depends(partner_with_scopes("insights:read"))]
