"""A deleted account in the change feeds of the partners it had granted: for 30 days
(`retention.TOMBSTONES_KEPT`) each feed lists the user's workouts or insights that were live at
the deletion as `{"id", "deleted": true}` items, numbered after the user's last sync version, so a
partner's saved cursor resumes exactly at them. Everything else about the user is a 404."""

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Annotated, Any

from fastapi import Path
from sqlalchemy.orm import Session

from services.api.deps import PartnerCredential, SessionDep
from services.api.partners import service
from services.api.partners.schemas import DeletedItem, InsightChangesPage, WorkoutChangesPage
from services.api.partners.service import (
    PartnerGrant,
    authorize,
    feed_position,
    next_page_cursor,
    poll_cursor_at,
)
from services.core.errors import InsufficientScope
from services.core.models import AccountTombstone
from services.core.repositories import erasure


def feed_reader_with_scope(scope: str) -> Callable[..., PartnerGrant | AccountTombstone]:
    """The partner reading a user's change feed: through its grant, or, once the user deleted the
    account, through the tombstone left for that partner alone."""

    def feed_reader(
        user_id: Annotated[uuid.UUID, Path(description="The user who granted access")],
        credential: PartnerCredential,
        session: SessionDep,
    ) -> PartnerGrant | AccountTombstone:
        tombstone = erasure.find_tombstone(session, partner_id=credential.partner_id, user_id=user_id)
        if tombstone is None:
            return authorize(session, credential, user_id, scope)
        if scope not in credential.scopes or scope not in tombstone.scopes:
            raise InsufficientScope(scope)
        session.commit()
        return tombstone

    return feed_reader


def workout_changes(
    session: Session,
    reader: PartnerGrant | AccountTombstone,
    *,
    since: datetime | None,
    limit: int,
    cursor: str | None,
) -> WorkoutChangesPage:
    if isinstance(reader, PartnerGrant):
        return service.workout_changes(session, reader.user, since=since, limit=limit, cursor=cursor)
    return WorkoutChangesPage(
        **deletions(reader, reader.workout_ids, since=since, limit=limit, cursor=cursor)
    )


def insight_changes(
    session: Session,
    reader: PartnerGrant | AccountTombstone,
    *,
    since: datetime | None,
    limit: int,
    cursor: str | None,
) -> InsightChangesPage:
    if isinstance(reader, PartnerGrant):
        return service.insight_changes(session, reader.user, since=since, limit=limit, cursor=cursor)
    return InsightChangesPage(
        **deletions(reader, reader.insight_ids, since=since, limit=limit, cursor=cursor)
    )


def deletions(
    tombstone: AccountTombstone, ids: Sequence[str], *, since: datetime | None, limit: int, cursor: str | None
) -> dict[str, Any]:
    """A page of the tombstone's deletions: the fields of a change feed's page."""
    after = feed_position(cursor)
    numbered = [] if since is not None and since > tombstone.deleted_at else list(enumerate(ids, 1))
    remaining = [
        (tombstone.sync_version + n, item_id)
        for n, item_id in numbered
        if after is None or tombstone.sync_version + n > after
    ]
    page = remaining[:limit]
    last = page[-1][0] if page else after
    items = [DeletedItem(id=item_id, changed_at=tombstone.deleted_at) for _, item_id in page]
    return {
        "items": items,
        "next_cursor": next_page_cursor(last if len(remaining) > limit else None),
        "poll_cursor": poll_cursor_at(last),
    }
