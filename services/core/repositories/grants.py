"""Users' grants to partners, and the outbox row of a revoked one. Every query takes the user."""

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Row, select, tuple_
from sqlalchemy.orm import Session

from services.core.errors import NotFound
from services.core.models import (
    Grant,
    OutboxEvent,
    Partner,
)
from services.core.models.outbox import GRANT_REVOKED


def find_active_grant(
    session: Session, *, user_id: uuid.UUID, partner_id: uuid.UUID, lock: bool = False
) -> Grant | None:
    stmt = select(Grant).where(
        Grant.user_id == user_id, Grant.partner_id == partner_id, Grant.revoked_at.is_(None)
    )
    return session.scalar(stmt.with_for_update() if lock else stmt)


def get_active_grant(session: Session, *, user_id: uuid.UUID, grant_id: uuid.UUID) -> Grant:
    grant = session.scalar(
        select(Grant)
        .where(Grant.user_id == user_id, Grant.id == grant_id, Grant.revoked_at.is_(None))
        .with_for_update()
    )
    if grant is None:
        raise NotFound("grant", grant_id)  # another user's grant looks exactly like a missing one
    return grant


def list_active_grants(
    session: Session, *, user_id: uuid.UUID, before: tuple[datetime, uuid.UUID] | None, limit: int
) -> Sequence[Row[Grant, str]]:
    """Newest first, each with its partner's name; `before` is the previous page's last key."""
    stmt = (
        select(Grant, Partner.name)
        .join(Partner, Partner.id == Grant.partner_id)
        .where(Grant.user_id == user_id, Grant.revoked_at.is_(None))
        .order_by(Grant.created_at.desc(), Grant.id.desc())
        .limit(limit)
    )
    if before is not None:
        stmt = stmt.where(tuple_(Grant.created_at, Grant.id) < tuple_(*before))
    return session.execute(stmt).all()


def record_grant_revoked(session: Session, grant: Grant) -> None:
    """The outbox row from which the webhook deliverer sends `grant.revoked` to the partner."""
    assert grant.revoked_at is not None
    session.add(
        OutboxEvent(
            topic=GRANT_REVOKED,
            user_id=grant.user_id,
            payload={
                "grant_id": str(grant.id),
                "partner_id": str(grant.partner_id),
                "user_id": str(grant.user_id),
                "scopes": list(grant.scopes),
                "revoked_at": grant.revoked_at.isoformat(),
            },
        )
    )
