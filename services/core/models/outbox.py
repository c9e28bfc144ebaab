import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from services.core.models.base import Base, utcnow

# Topics: what an outbox row asks for. The relay recomputes the user of a USER_LOGS_CHANGED row and
# fans each webhook event (services/core/webhooks/events.py) out to deliveries.
USER_LOGS_CHANGED = "user.logs_changed"
INSIGHT_CREATED = "insight.created"
DELOAD_SUGGESTED = "deload.suggested"
IMBALANCE_DETECTED = "imbalance.detected"
WORKOUT_SYNCED = "workout.synced"
GRANT_REVOKED = "grant.revoked"
USER_DELETED = "user.deleted"
PROGRAM_CHANGED = "program.changed"


class OutboxEvent(Base):
    """A fact written in the same transaction as the change it describes (ARCHITECTURE.md, step 1).

    The relay moves unprocessed rows to Celery; nothing is sent to Redis inside a request.
    """

    __tablename__ = "outbox"

    # SQLite only auto-increments an INTEGER PRIMARY KEY, hence the variant.
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    topic: Mapped[str] = mapped_column(String(40))  # one of the topics above
    user_id: Mapped[uuid.UUID | None]
    payload: Mapped[dict[str, Any]]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    dispatched_at: Mapped[datetime | None]  # handed to Celery by the relay
    processed_at: Mapped[datetime | None]  # the task that consumed it committed
    attempts: Mapped[int] = mapped_column(default=0)

    __table_args__ = (
        Index(
            "ix_outbox_pending",
            "created_at",
            postgresql_where=text("processed_at IS NULL"),
            sqlite_where=text("processed_at IS NULL"),
        ),
    )
