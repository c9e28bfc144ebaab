import uuid
from datetime import datetime

from sqlalchemy import exists, select, update
from sqlalchemy.orm import Session

from services.core.errors import NotFound
from services.core.models import RefreshToken, User


def get(session: Session, user_id: uuid.UUID) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("user", user_id)
    return user


def find_signed_in(session: Session, *, user_id: uuid.UUID, session_id: uuid.UUID) -> User | None:
    """The user, unless the account is gone or the login session was ended (logout, or a reused
    refresh token). One statement: it runs for every request with an access token."""
    ended = exists().where(
        RefreshToken.user_id == user_id,
        RefreshToken.family_id == session_id,
        RefreshToken.revoked_at.is_not(None),
    )
    return session.scalar(select(User).where(User.id == user_id, ~ended))


def find_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == email.lower()))


def lock_for_sync(session: Session, user_id: uuid.UUID) -> User:
    """Takes the user's write lock and returns the user as locked (current sync version).

    Every write a device can pull holds this lock until commit, so versions are committed in
    order and a pull's snapshot never misses a lower version committed later.
    """
    # populate_existing: a User the session already holds (the caller's, from authentication)
    # is refreshed with the locked row instead of keeping what it read before the lock.
    stmt = select(User).where(User.id == user_id).with_for_update().execution_options(populate_existing=True)
    user = session.scalar(stmt)
    if user is None:
        raise NotFound("user", user_id)
    return user


def bump_sync_version(session: Session, user_id: uuid.UUID) -> int:
    stmt = (
        update(User)
        .where(User.id == user_id)
        .values(sync_version=User.sync_version + 1)
        .returning(User.sync_version)
    )
    return session.execute(stmt).scalar_one()


def find_refresh_token(session: Session, token_hash: str) -> RefreshToken | None:
    return session.scalar(select(RefreshToken).where(RefreshToken.token_hash == token_hash).with_for_update())


def revoke_family(session: Session, *, user_id: uuid.UUID, family_id: uuid.UUID, now: datetime) -> None:
    session.execute(
        update(RefreshToken)
        .where(
            RefreshToken.user_id == user_id,
            RefreshToken.family_id == family_id,
            RefreshToken.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )
