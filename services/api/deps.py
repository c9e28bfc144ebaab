"""Request-scoped dependencies: the database session, the settings and the caller."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from services.api.auth.tokens import read_access_token
from services.core.errors import Unauthenticated
from services.core.models import User
from services.core.settings import Settings


def get_settings_dep(request: Request) -> Settings:
    return request.app.state.settings


def get_session(request: Request) -> Iterator[Session]:
    with request.app.state.sessionmaker() as session:  # closes; uncommitted work rolls back
        yield session


SessionDep = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]

_bearer = HTTPBearer(auto_error=False, description="An access token from POST /v1/auth/login")


def current_user(
    session: SessionDep,
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> User:
    if credentials is None:
        raise Unauthenticated("Send an access token: Authorization: Bearer <token>.")
    user_id = read_access_token(credentials.credentials, secret=settings.signing_secret())
    user = session.get(User, user_id)
    if user is None:  # the account was deleted after the token was issued
        raise Unauthenticated("The access token is not valid.")
    # End the authentication read here: on SQLite every transaction holds the database lock, and
    # a use case that opens its own snapshot (streamed pulls and exports) must not wait on ours.
    session.commit()
    return user


CurrentUser = Annotated[User, Depends(current_user)]
