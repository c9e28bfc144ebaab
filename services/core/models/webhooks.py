"""Partners' webhook endpoints and the deliveries of events to them (api-conventions.md, "Webhooks").

A delivery is one event for one endpoint, created once (unique `(endpoint_id, event_id)`) and
attempted until it succeeds or its retry schedule runs out; the row keeps the last attempt's
outcome, which is the endpoint's delivery log.
"""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from services.core.models.base import Base, new_uuid, utcnow

DELIVERY_STATUSES = ("pending", "succeeded", "failed", "dead")


class WebhookEndpoint(Base):
    __tablename__ = "webhook_endpoints"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    partner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("partners.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(String(2000))
    description: Mapped[str] = mapped_column(String(200), default="")
    events: Mapped[list[str]]  # the event types it subscribed to
    # Stored in the clear: signing needs the key itself (a hash could not sign). "whsec_<base64>".
    secret: Mapped[str] = mapped_column(String(100))
    # The secret before the last rotation, also signed with until it expires, so a receiver can
    # verify with either while it switches over.
    previous_secret: Mapped[str | None] = mapped_column(String(100))
    previous_secret_expires_at: Mapped[datetime | None]
    enabled: Mapped[bool] = mapped_column(default=True)
    disabled_at: Mapped[datetime | None]
    disabled_reason: Mapped[str | None] = mapped_column(String(300))
    consecutive_failures: Mapped[int] = mapped_column(default=0)
    failing_since: Mapped[datetime | None]  # the first failed attempt of the current streak
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (Index("ix_webhook_endpoints_partner", "partner_id", "created_at"),)


class WebhookDelivery(Base):
    """pending (not attempted yet, or replayed) → succeeded | failed (retry at next_attempt_at) → dead
    (retries exhausted, or the endpoint was disabled)."""

    __tablename__ = "webhook_deliveries"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    endpoint_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("webhook_endpoints.id", ondelete="CASCADE"))
    event_id: Mapped[str] = mapped_column(String(64))  # the `webhook-id` header, the same on every attempt
    event_type: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]]  # the JSON body sent, envelope included
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)  # since creation or the last replay
    # When a worker should (re)try it. Also set while it is queued or being attempted, a lease
    # after which `webhooks.retry_due` hands it out again if that worker was lost.
    next_attempt_at: Mapped[datetime | None]
    last_attempt_at: Mapped[datetime | None]
    last_status_code: Mapped[int | None]
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (
        UniqueConstraint("endpoint_id", "event_id"),
        Index("ix_webhook_deliveries_endpoint_created", "endpoint_id", "created_at", "id"),
        Index(
            "ix_webhook_deliveries_due",
            "next_attempt_at",
            postgresql_where=text("status IN ('pending', 'failed')"),
            sqlite_where=text("status IN ('pending', 'failed')"),
        ),
    )
