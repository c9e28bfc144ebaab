"""The erasure of an account (DELETE /v1/me; GDPR Art. 17, App Store guideline 5.1.1(v)).

One transaction, run under the user's sync lock so that no push or recompute commits in between:
either everything the user owns is gone and every partner that held a live grant has its
`user.deleted` outbox row and its tombstone, or (a failure, a rollback) nothing changed.

What stays, on purpose, and why:
- per partner that held a grant, an `account_tombstones` row (the user's random id, the grant's
  scopes, the ids of the workouts and insights that were live) so its change feeds can list them
  as deleted; purged by the retention sweep after `retention.TOMBSTONES_KEPT`;
- the `user.deleted` outbox row and its webhook deliveries, which carry the user's id and the
  partner's (no outbox `user_id`: they are addressed to the partner), purged like every other;
- aggregates with no user in them (Prometheus counters) and log lines, which name user ids but
  no personal data and age out with the logs' own retention.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from services.core.models import AccountTombstone, OutboxEvent
from services.core.models.outbox import USER_DELETED
from services.core.repositories import erasure, idempotency_records, users
from services.core.webhooks import events

# Which rows each scope let the partner read through its change feeds, and so which deletions its
# tombstone lists.
WORKOUT_FEED_SCOPE = "workouts:read"
INSIGHT_FEED_SCOPE = "insights:read"


@dataclass(frozen=True, slots=True)
class Erased:
    rows: dict[str, int]  # rows deleted per table
    partners_told: int


def delete_account(session: Session, user_id: uuid.UUID, now: datetime) -> Erased:
    """Deletes the account and everything it owns; the caller commits."""
    user = users.lock_for_sync(session, user_id)
    grants = erasure.active_grants(session, user_id=user_id)
    # Read before anything is deleted: what the partners' tombstones list.
    workout_ids = erasure.live_workout_ids(session, user_id=user_id) if grants else []
    insight_ids = erasure.live_insight_ids(session, user_id=user_id) if grants else []
    for grant in grants:
        session.add(
            AccountTombstone(
                partner_id=grant.partner_id,
                user_id=user_id,
                deleted_at=now,
                scopes=list(grant.scopes),
                sync_version=user.sync_version,
                workout_ids=workout_ids if WORKOUT_FEED_SCOPE in grant.scopes else [],
                insight_ids=insight_ids if INSIGHT_FEED_SCOPE in grant.scopes else [],
            )
        )
        session.add(
            OutboxEvent(
                topic=USER_DELETED,
                user_id=None,
                payload=events.user_deleted_data(
                    user_id=user_id, partner_id=grant.partner_id, grant_id=grant.id, deleted_at=now
                ),
            )
        )
    deliveries = erasure.delete_deliveries_about(session, user_id=user_id)
    keys = idempotency_records.delete_of_caller(session, caller=idempotency_records.user_caller(user_id))
    rows = erasure.delete_user_rows(session, user_id=user_id)
    session.expunge(user)  # deleted by statement: the session must not flush it again
    return Erased(
        rows=rows | {"webhook_deliveries": deliveries, "idempotency_keys": keys}, partners_told=len(grants)
    )
