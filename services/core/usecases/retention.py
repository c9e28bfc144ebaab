"""How long rows that only serve a while are kept; beat's hourly `maintenance.purge` deletes the rest.

- Idempotency records: until their own `expires_at` (24 h after the request); reads already
  ignore expired ones, so deleting them changes no answer.
- OAuth authorization codes: a day past expiry. A used code must stay a while after it expires:
  its replay is recognised (and revokes the grant it made) only while it is stored.
- Partners' OAuth tokens: a day past the refresh token's expiry (90 days after it was issued, a
  refreshed or revoked one too), for the same reason as codes: a replayed refresh token revokes
  the tokens it led to only while it is stored.
- Outbox rows: a week after they were processed, for investigating a recompute or a delivery.
- Webhook deliveries: 30 days after the last change, once finished (succeeded or dead) — the
  delivery log partners read and replay from. Outstanding ones are never purged.
- Account tombstones: 30 days after the account was deleted, long enough for a partner that polls
  its change feeds even monthly to see the deletions (docs/partners.md).
"""

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from services.core.repositories import (
    authorization_codes,
    erasure,
    idempotency_records,
    oauth_tokens,
    outbox,
    webhooks,
)

CODES_KEPT_AFTER_EXPIRY = timedelta(days=1)
TOKENS_KEPT_AFTER_EXPIRY = timedelta(days=1)
OUTBOX_KEPT_AFTER_PROCESSING = timedelta(days=7)
FINISHED_DELIVERIES_KEPT = timedelta(days=30)
TOMBSTONES_KEPT = timedelta(days=30)


@dataclass(frozen=True, slots=True)
class Purged:
    idempotency_records: int
    authorization_codes: int
    oauth_tokens: int
    outbox_rows: int
    webhook_deliveries: int
    account_tombstones: int

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def purge(session: Session, now: datetime) -> Purged:
    """Deletes what is past its keeping time; the caller commits."""
    return Purged(
        idempotency_records=idempotency_records.delete_expired_idempotency_records(session, now=now),
        authorization_codes=authorization_codes.delete_expired_codes(
            session, expired_before=now - CODES_KEPT_AFTER_EXPIRY
        ),
        oauth_tokens=oauth_tokens.delete_expired(session, expired_before=now - TOKENS_KEPT_AFTER_EXPIRY),
        outbox_rows=outbox.delete_processed(session, processed_before=now - OUTBOX_KEPT_AFTER_PROCESSING),
        webhook_deliveries=webhooks.delete_finished_deliveries(
            session, finished_before=now - FINISHED_DELIVERIES_KEPT
        ),
        account_tombstones=erasure.delete_expired_tombstones(session, deleted_before=now - TOMBSTONES_KEPT),
    )
