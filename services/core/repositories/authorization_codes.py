"""OAuth authorization codes (stored by hash), and their sweep."""

import uuid
from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.orm import Session

from services.core.models import (
    AuthorizationCode,
)
from services.core.repositories.statements import rows_affected


def find_code(session: Session, code_hash: str) -> AuthorizationCode | None:
    return session.get(AuthorizationCode, code_hash, with_for_update=True)


def discard_unused_codes(session: Session, *, user_id: uuid.UUID, partner_id: uuid.UUID) -> None:
    session.execute(
        delete(AuthorizationCode).where(
            AuthorizationCode.user_id == user_id,
            AuthorizationCode.partner_id == partner_id,
            AuthorizationCode.used_at.is_(None),
        )
    )


def delete_expired_codes(session: Session, *, expired_before: datetime) -> int:
    """For a periodic sweep. Keep used codes a while after they expire: a replay is recognised
    (and revokes its grant) only while the code is still stored."""
    return rows_affected(
        session, delete(AuthorizationCode).where(AuthorizationCode.expires_at < expired_before)
    )
