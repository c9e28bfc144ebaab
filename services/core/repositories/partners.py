"""Partners and their API keys."""

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from services.core.errors import NotFound
from services.core.models import (
    ApiKey,
    Partner,
)


def get_partner(session: Session, partner_id: uuid.UUID) -> Partner:
    partner = session.get(Partner, partner_id)
    if partner is None:
        raise NotFound("partner", partner_id)
    return partner


def find_partner_by_client_id(session: Session, client_id: str) -> Partner | None:
    return session.scalar(select(Partner).where(Partner.client_id == client_id))


def get_key(session: Session, key_id: uuid.UUID) -> ApiKey:
    key = session.get(ApiKey, key_id, with_for_update=True)
    if key is None:
        raise NotFound("API key", key_id)
    return key


def keys_of(session: Session, partner_id: uuid.UUID) -> Sequence[ApiKey]:
    return session.scalars(
        select(ApiKey).where(ApiKey.partner_id == partner_id).order_by(ApiKey.created_at)
    ).all()


def find_active_key(session: Session, *, key_hash: str, now: datetime) -> ApiKey | None:
    return session.scalar(
        select(ApiKey).where(
            ApiKey.key_hash == key_hash, or_(ApiKey.revoked_at.is_(None), ApiKey.revoked_at > now)
        )
    )
