"""Partners' OAuth access and refresh tokens (stored by hash). A token is looked up by its hash,
like an API key; everything done to a user's tokens afterwards takes the user."""

import uuid
from datetime import datetime

from sqlalchemy import ColumnElement, delete, select, update
from sqlalchemy.orm import Session

from services.core.models import OAuthToken
from services.core.repositories.statements import rows_affected


def find_active_access_token(session: Session, *, access_hash: str, now: datetime) -> OAuthToken | None:
    return session.scalar(
        select(OAuthToken).where(
            OAuthToken.access_token_hash == access_hash,
            OAuthToken.revoked_at.is_(None),
            OAuthToken.access_expires_at > now,
        )
    )


def find_by_refresh_token(session: Session, *, refresh_hash: str) -> OAuthToken | None:
    """Locked: two refreshes racing with one token must not both rotate it."""
    return session.scalar(
        select(OAuthToken).where(OAuthToken.refresh_token_hash == refresh_hash).with_for_update()
    )


def find_by_either_token(session: Session, *, token_hash: str) -> OAuthToken | None:
    """For revocation (RFC 7009), where the client may send either kind of token."""
    return session.scalar(
        select(OAuthToken).where(
            (OAuthToken.access_token_hash == token_hash) | (OAuthToken.refresh_token_hash == token_hash)
        )
    )


def revoke_family(session: Session, *, user_id: uuid.UUID, family_id: uuid.UUID, now: datetime) -> None:
    _revoke(session, now, OAuthToken.user_id == user_id, OAuthToken.family_id == family_id)


def revoke_for_grant(session: Session, *, user_id: uuid.UUID, grant_id: uuid.UUID, now: datetime) -> None:
    _revoke(session, now, OAuthToken.user_id == user_id, OAuthToken.grant_id == grant_id)


def _revoke(session: Session, now: datetime, *where: ColumnElement[bool]) -> None:
    # Already revoked tokens keep the time they were revoked.
    session.execute(update(OAuthToken).where(*where, OAuthToken.revoked_at.is_(None)).values(revoked_at=now))


def delete_expired(session: Session, *, expired_before: datetime) -> int:
    """For a periodic sweep: tokens whose refresh token expired before `expired_before` (their
    access token expired long before). Keep them a while past that: a replay of a used refresh
    token revokes its family only while the token is still stored."""
    return rows_affected(session, delete(OAuthToken).where(OAuthToken.refresh_expires_at < expired_before))
