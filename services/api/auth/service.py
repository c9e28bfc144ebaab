"""Accounts: registration with email verification, login, refresh-token rotation with reuse
detection, logout, password change and reset by email."""

import uuid
import zoneinfo
from datetime import UTC, datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.api.auth import passwords, tokens
from services.api.auth.schemas import LoginIn, MailSent, PasswordChangeIn, RegisterIn, TokenPair
from services.api.ratelimit import LoginLimits, RateLimits
from services.core.errors import (
    FieldError,
    InvalidAccountToken,
    InvalidCredentials,
    InvalidInput,
    Unauthenticated,
    WrongPassword,
)
from services.core.models import RefreshToken, User
from services.core.repositories import account_tokens, users
from services.core.settings import Settings
from services.core.usecases import account_mail


def register(session: Session, body: RegisterIn, limits: RateLimits) -> MailSent:
    """Creates an unverified account and mails a verification link; an address that has an
    account gets a notice instead. Both answer alike, so registration tells a stranger nothing
    (docs/security.md, "Sign-up, verification and password reset")."""
    validate_timezone(body.timezone)
    email = body.email.lower()
    limits.count_mail(email)
    # Hashed either way, so a taken address answers as slowly as a new one.
    password_hash = passwords.hash_password(body.password)
    if users.find_by_email(session, email) is None:
        session.add(User(email=email, password_hash=password_hash, timezone=body.timezone))
        account_mail.request(session, kind="verify-email", email=email)
        try:
            session.commit()
            return _check_inbox(email)
        except IntegrityError:  # another registration of the address committed first
            session.rollback()
    account_mail.request(session, kind="registration-attempt", email=email)
    session.commit()
    return _check_inbox(email)


def request_password_reset(session: Session, email: str, limits: RateLimits) -> MailSent:
    """Asks for a reset mail. The same row is written whether the address has an account or not:
    the sender looks the account up, so the answer takes the same time and says nothing."""
    email = email.lower()
    limits.count_mail(email)
    account_mail.request(session, kind="password-reset", email=email)
    session.commit()
    return _check_inbox(email)


def confirm_password_reset(session: Session, token: str, new_password: str) -> None:
    """Sets the new password and ends every session: whoever held one may have known the old
    password. Proves the mailbox, so the email counts as verified too; an unused verification link
    signs in (`verify_email`), so it is used up with the other reset links."""
    now = datetime.now(UTC)
    stored = account_tokens.redeem(session, token, purpose="password-reset", now=now)
    if stored is None:
        raise InvalidAccountToken()
    user = users.get(session, stored.user_id)
    user.password_hash = passwords.hash_password(new_password)
    user.email_verified_at = user.email_verified_at or now
    for purpose in ("password-reset", "verify-email"):
        account_tokens.use_all(session, user_id=user.id, purpose=purpose, now=now)
    users.revoke_sessions(session, user_id=user.id, now=now)
    session.commit()


def verify_email(session: Session, token: str, settings: Settings) -> TokenPair:
    """Confirms the address and signs the user in, so the app is one step from the link to the
    account (a password sign-in waits for this step: `authenticate`). The token proves the mailbox,
    which could take the account with a password reset anyway, so the session gives whoever holds
    the mail nothing more (docs/security.md, "Sign-up, verification and password reset")."""
    now = datetime.now(UTC)
    stored = account_tokens.redeem(session, token, purpose="verify-email", now=now)
    if stored is None:
        raise InvalidAccountToken()
    user = users.get(session, stored.user_id)
    user.email_verified_at = user.email_verified_at or now
    pair = _issue(session, user.id, family_id=uuid.uuid4(), settings=settings)
    session.commit()
    return pair


def change_password(
    session: Session, user: User, *, session_id: uuid.UUID, body: PasswordChangeIn, limits: LoginLimits
) -> None:
    """Sets a new password after checking the current one, and ends the user's other sessions;
    the one that asked stays signed in."""
    confirm_password(user, body.current_password, limits)
    user.password_hash = passwords.hash_password(body.new_password)
    users.revoke_sessions(session, user_id=user.id, now=datetime.now(UTC), keep=session_id)
    session.commit()


def _check_inbox(email: str) -> MailSent:
    return MailSent(email=email, detail="Check your inbox: we sent a mail to this address.")


def authenticate(session: Session, email: str, password: str, limits: LoginLimits) -> User:
    """The account behind an email and password, once its address is verified. Failures count
    against the account, so guessing one account's password from many addresses is slowed down
    too, and against the caller's address, so one address trying many accounts is stopped.

    An unverified account answers exactly as a wrong password does, after the same password check,
    and counts as a failure too (else the failure limit would tell it apart): otherwise a stranger
    who registers an address and signs in with the password they chose learns whether the address
    was free (docs/security.md, "Sign-up, verification and password reset")."""
    limits.check(email)
    user = users.find_by_email(session, email)
    # Verified even without an account, so the answer takes as long as for a wrong password.
    password_matches = passwords.verify_password(user.password_hash if user else None, password)
    if user is None or not password_matches or user.email_verified_at is None:
        limits.record_failure(email)
        raise InvalidCredentials(
            "Email or password is wrong, or the address is not confirmed yet: open the link we mailed you."
        )
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
