"""The grants a user gave partners: list and revoke."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from services.api.grants.schemas import GrantRead
from services.api.pagination import Page, each, page_of, time_cursor, time_key
from services.core.models import Grant, User
from services.core.models.base import utcnow
from services.core.repositories import authorization_codes, grants, oauth_tokens


def list_grants(session: Session, user: User, *, limit: int, cursor: str | None) -> Page[GrantRead]:
    rows = grants.list_active_grants(
        session, user_id=user.id, before=time_cursor(cursor, uuid.UUID), limit=limit + 1
    )
    return page_of(rows, limit, each(_grant_read), lambda row: time_key(row[0].created_at, row[0].id))


def _grant_read(row: Any) -> GrantRead:
    grant, partner_name = row
    return GrantRead(
        id=grant.id,
        partner_id=grant.partner_id,
        partner_name=partner_name,
        scopes=grant.scopes,
        created_at=grant.created_at,
        updated_at=grant.updated_at,
    )


def revoke_grant(session: Session, user: User, grant_id: uuid.UUID) -> None:
    revoke(session, grants.get_active_grant(session, user_id=user.id, grant_id=grant_id), utcnow())
    session.commit()


def revoke(session: Session, grant: Grant, now: datetime) -> None:
    """Ends a grant (the caller commits): the partner's next call for this user is a 404 with its API
    key and a 401 with the access tokens the grant gave it, codes the user approved but the partner
    has not exchanged yet die with it, and the partner is told."""
    grant.revoked_at = now
    authorization_codes.discard_unused_codes(session, user_id=grant.user_id, partner_id=grant.partner_id)
    oauth_tokens.revoke_for_grant(session, user_id=grant.user_id, grant_id=grant.id, now=now)
    grants.record_grant_revoked(session, grant)
