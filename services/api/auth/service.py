"""Accounts: registration, login, refresh-token rotation with reuse detection, logout."""

import uuid
import zoneinfo
from datetime import UTC, datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.api.auth import passwords, tokens
from services.api.auth.schemas import LoginIn, RegisterIn, TokenPair
from services.api.ratelimit import LoginLimits
from services.core.errors import (
    EmailTaken,
    FieldError,
    InvalidCredentials,
    InvalidInput,
    Unauthenticated,
    WrongPassword,
)
from services.core.models import RefreshToken, User
from services.core.repositories import users
from services.core.settings import Settings


def register(session: Session, body: RegisterIn) -> User:
    validate_timezone(body.timezone)
    email = body.email.lower()
    if users.find_by_email(session, email) is not None:
        raise EmailTaken("An account with this email already exists.")
    user = User(email=email, password_hash=passwords.hash_password(body.password), timezone=body.timezone)
    session.add(user)
    try:
        session.commit()
    except IntegrityError as exc:  # two registrations raced on the unique email
        session.rollback()
        raise EmailTaken("An account with this email already exists.") from exc
    return user


def authenticate(session: Session, email: str, password: str, limits: LoginLimits) -> User:
    """The account behind an email and password. Failures count against the account, so guessing
    one account's password from many addresses is slowed down too, and against the caller's
    address, so one address trying many accounts is stopped."""
    limits.check(email)
    user = users.find_by_email(session, email)
    # Verified even without an account, so the answer takes as long as for a wrong password.
    if not passwords.verify_password(user.password_hash if user else None, password):
        limits.record_failure(email)
        raise InvalidCredentials("Email or password is wrong.")
    assert user is not None
    return user


def confirm_password(user: User, password: str, limits: LoginLimits) -> None:
    """The signed-in user typing the password again before something that cannot be undone. A
    wrong one is a 403 (the access token is fine) and counts like a failed login, so a stolen
    token cannot be used to guess the password."""
    limits.check(user.email)
    if not passwords.verify_password(user.password_hash, password):
        limits.record_failure(user.email)
        raise WrongPassword("The password is wrong; nothing was changed.")


def login(session: Session, body: LoginIn, settings: Settings, limits: LoginLimits) -> TokenPair:
    user = authenticate(session, body.email, body.password, limits)
    pair = _issue(session, user.id, family_id=uuid.uuid4(), settings=settings)
    session.commit()
    return pair


def refresh(session: Session, refresh_token: str, settings: Settings) -> TokenPair:
    now = datetime.now(UTC)
    stored = users.find_refresh_token(session, tokens.hash_refresh_token(refresh_token))
    if stored is None or stored.revoked_at is not None or stored.expires_at <= now:
        raise Unauthenticated("The refresh token is not valid; log in again.")
    if stored.used_at is not None:
        # A rotated token came back: someone holds a copy. Revoke every token of this login.
        users.revoke_family(session, user_id=stored.user_id, family_id=stored.family_id, now=now)
        session.commit()
        raise Unauthenticated("The refresh token was already used; every session of this login is revoked.")
    stored.used_at = now
    pair = _issue(session, stored.user_id, family_id=stored.family_id, settings=settings)
    session.commit()
    return pair


def logout(session: Session, refresh_token: str) -> None:
    stored = users.find_refresh_token(session, tokens.hash_refresh_token(refresh_token))
    if stored is not None:
        users.revoke_family(
            session, user_id=stored.user_id, family_id=stored.family_id, now=datetime.now(UTC)
        )
        session.commit()


def validate_timezone(name: str) -> None:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidInput(
            f"Unknown time zone {name!r}.",
            [FieldError(field="timezone", message="must be an IANA time zone, e.g. Europe/Berlin")],
        ) from exc


def _issue(session: Session, user_id: uuid.UUID, *, family_id: uuid.UUID, settings: Settings) -> TokenPair:
    now = datetime.now(UTC)
    refresh_token = tokens.new_refresh_token()
    session.add(
        RefreshToken(
            user_id=user_id,
            family_id=family_id,
            created_at=now,
            token_hash=tokens.hash_refresh_token(refresh_token),
            expires_at=now + timedelta(seconds=settings.refresh_token_ttl_s),
        )
    )
    access = tokens.issue_access_token(
        user_id,
        session_id=family_id,
        secret=settings.signing_secret(),
        now=now,
        ttl_s=settings.access_token_ttl_s,
    )
    return TokenPair(access_token=access, refresh_token=refresh_token, expires_in=settings.access_token_ttl_s)
