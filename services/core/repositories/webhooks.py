"""Webhook endpoints (owned by a partner: every endpoint query takes the partner), their
deliveries, and the outbox rows of the events they are made from."""

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, text, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from services.core.errors import NotFound
from services.core.models import (
    Grant,
    Insight,
    OutboxEvent,
    Program,
    WebhookDelivery,
    WebhookEndpoint,
)
from services.core.models.outbox import PROGRAM_CHANGED, WORKOUT_SYNCED
from services.core.repositories.statements import rows_affected
from services.core.webhooks import events

OUTSTANDING = ("pending", "failed")
# Spelled exactly as the partial index ix_webhook_deliveries_due: PostgreSQL uses a partial index
# only for a predicate it can prove from the query, and a bound parameter proves nothing.
_OUTSTANDING_LITERAL = text("webhook_deliveries.status IN ('pending', 'failed')")

# -- endpoints -------------------------------------------------------------------------------


def count_endpoints(session: Session, *, partner_id: uuid.UUID) -> int:
    stmt = select(func.count()).select_from(WebhookEndpoint).where(WebhookEndpoint.partner_id == partner_id)
    return session.scalar(stmt) or 0


def list_endpoints(
    session: Session, *, partner_id: uuid.UUID, after: tuple[datetime, uuid.UUID] | None, limit: int
) -> Sequence[WebhookEndpoint]:
    """Oldest first; `after` is the previous page's last key."""
    stmt = (
        select(WebhookEndpoint)
        .where(WebhookEndpoint.partner_id == partner_id)
        .order_by(WebhookEndpoint.created_at, WebhookEndpoint.id)
        .limit(limit)
    )
    if after is not None:
        stmt = stmt.where(tuple_(WebhookEndpoint.created_at, WebhookEndpoint.id) > tuple_(*after))
    return session.scalars(stmt).all()


def get_endpoint(
    session: Session, *, partner_id: uuid.UUID, endpoint_id: uuid.UUID, lock: bool = False
) -> WebhookEndpoint:
    stmt = select(WebhookEndpoint).where(
        WebhookEndpoint.id == endpoint_id, WebhookEndpoint.partner_id == partner_id
    )
    endpoint = session.scalar(stmt.with_for_update() if lock else stmt)
    if endpoint is None:
        raise NotFound("webhook endpoint", endpoint_id)  # another partner's looks exactly like a missing one
    return endpoint


def disable_endpoint(session: Session, endpoint: WebhookEndpoint, *, now: datetime, reason: str) -> int:
    """Stops deliveries to it: its outstanding deliveries give up. Returns how many did."""
    endpoint.enabled = False
    endpoint.disabled_at = now
    endpoint.disabled_reason = reason[:300]
    return rows_affected(
        session,
        update(WebhookDelivery)
        .where(WebhookDelivery.endpoint_id == endpoint.id, WebhookDelivery.status.in_(OUTSTANDING))
        .values(
            status="dead",
            next_attempt_at=None,
            # A delivery that was attempted keeps its own last error; the reason is on the endpoint.
            last_error=func.coalesce(WebhookDelivery.last_error, "endpoint disabled"),
            updated_at=now,
        )
        .execution_options(synchronize_session="fetch"),
    )


# -- deliveries, as partners see them --------------------------------------------------------


def list_deliveries(
    session: Session,
    *,
    endpoint_id: uuid.UUID,
    status: str | None,
    before: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> Sequence[WebhookDelivery]:
    """Newest first; the caller has checked that the endpoint is the partner's."""
    stmt = (
        select(WebhookDelivery)
        .where(WebhookDelivery.endpoint_id == endpoint_id)
        .order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id.desc())
        .limit(limit)
    )
    if status is not None:
        stmt = stmt.where(WebhookDelivery.status == status)
    if before is not None:
        stmt = stmt.where(tuple_(WebhookDelivery.created_at, WebhookDelivery.id) < tuple_(*before))
    return session.scalars(stmt).all()


def get_delivery(
    session: Session, *, endpoint_id: uuid.UUID, delivery_id: uuid.UUID, lock: bool = False
) -> WebhookDelivery:
    stmt = select(WebhookDelivery).where(
        WebhookDelivery.id == delivery_id, WebhookDelivery.endpoint_id == endpoint_id
    )
    delivery = session.scalar(stmt.with_for_update() if lock else stmt)
    if delivery is None:
        raise NotFound("webhook delivery", delivery_id)
    return delivery


# -- who hears about a user ------------------------------------------------------------------


def recipients(
    session: Session, *, event_type: str, user_id: uuid.UUID | None, partner_id: uuid.UUID | None = None
) -> list[WebhookEndpoint]:
    """Enabled endpoints subscribed to `event_type` of partners the user granted the event's scope
    to (of `partner_id` only, when given); for `grant.revoked` and `user.deleted`, those of the
    partner whose grant it was."""
    if event_type in events.PARTNER_EVENTS:
        if partner_id is None:
            return []
        stmt = select(WebhookEndpoint).where(
            WebhookEndpoint.partner_id == partner_id, WebhookEndpoint.enabled.is_(True)
        )
        return [e for e in session.scalars(stmt) if event_type in e.events]
    if user_id is None:
        return []
    scope = events.EVENT_SCOPES[event_type]
    return [
        endpoint
        for endpoint, scopes in _granted_endpoints(session, user_id)
        if event_type in endpoint.events
        and (scope is None or scope in scopes)
        and (partner_id is None or endpoint.partner_id == partner_id)
    ]


def subscribed_event_types(session: Session, *, user_id: uuid.UUID) -> set[str]:
    """The event types about this user that some endpoint would receive (one indexed lookup; empty
    for the many users who granted no partner anything)."""
    return {
        event_type
        for endpoint, scopes in _granted_endpoints(session, user_id)
        for event_type in endpoint.events
        if event_type in events.EVENT_SCOPES
        and (events.EVENT_SCOPES[event_type] is None or events.EVENT_SCOPES[event_type] in scopes)
    }


def _granted_endpoints(session: Session, user_id: uuid.UUID) -> list[tuple[WebhookEndpoint, list[str]]]:
    # Event and scope lists are JSON arrays: filtered here rather than in portable SQL. A user has
    # a handful of grants, a partner a handful of endpoints.
    stmt = (
        select(WebhookEndpoint, Grant.scopes)
        .join(Grant, Grant.partner_id == WebhookEndpoint.partner_id)
        .where(Grant.user_id == user_id, Grant.revoked_at.is_(None), WebhookEndpoint.enabled.is_(True))
    )
    return [(endpoint, scopes) for endpoint, scopes in session.execute(stmt)]


# -- events, written in the transaction of the change ------------------------------------------


def record_insight_events(session: Session, *, user_id: uuid.UUID, created: Sequence[Insight]) -> int:
    """Outbox rows for insights a recompute created, for the types some partner listens to."""
    wanted = subscribed_event_types(session, user_id=user_id) if created else set()
    count = 0
    for insight in created:
        for event_type in events.insight_event_types(insight.kind):
            if event_type in wanted:
                session.add(
                    OutboxEvent(
                        topic=event_type, user_id=user_id, payload=events.insight_data(user_id, insight)
                    )
                )
                count += 1
    return count


def record_workouts_synced(
    session: Session,
    *,
    user_id: uuid.UUID,
    sync_version: int,
    created: Iterable[str],
    updated: Iterable[str],
    deleted: Iterable[str],
) -> bool:
    """The outbox row of a push that created, changed or deleted workouts, if some partner listens."""
    created, updated, deleted = set(created), set(updated), set(deleted)
    if not (created or updated or deleted):
        return False
    if WORKOUT_SYNCED not in subscribed_event_types(session, user_id=user_id):
        return False
    data = events.workouts_data(user_id, sync_version, created=created, updated=updated, deleted=deleted)
    session.add(OutboxEvent(topic=WORKOUT_SYNCED, user_id=user_id, payload=data))
    return True


def record_program_changed(
    session: Session, program: Program, change: events.ProgramChange, *, by_partner: uuid.UUID | None = None
) -> bool:
    """The outbox row telling the partner that assigned `program` of a change,
    if that partner listens through a live grant covering programs:read; not for a change the
    partner made itself (`by_partner`), nor for a program nobody assigned."""
    partner_id = program.assigned_by
    if partner_id is None or program.owner_id is None or partner_id == by_partner:
        return False
    if not recipients(session, event_type=PROGRAM_CHANGED, user_id=program.owner_id, partner_id=partner_id):
        return False
    data = events.program_changed_data(
        user_id=program.owner_id,
        partner_id=partner_id,
        program_id=program.id,
        revision=program.revision,
        change=change,
    )
    session.add(OutboxEvent(topic=PROGRAM_CHANGED, user_id=program.owner_id, payload=data))
    return True


def lock_event(session: Session, outbox_id: int) -> OutboxEvent | None:
    return session.get(OutboxEvent, outbox_id, with_for_update=True)


# -- deliveries, as the worker handles them -----------------------------------------------------


def add_deliveries(
    session: Session,
    *,
    endpoint_ids: Sequence[uuid.UUID],
    event_id: str,
    event_type: str,
    payload: dict[str, Any],
    now: datetime,
    next_attempt_at: datetime,
) -> list[uuid.UUID]:
    """One delivery per endpoint; an (endpoint, event) pair that already has one is left alone.
    Returns the ids of the new ones."""
    if not endpoint_ids:
        return []
    rows = [
        {
            "id": uuid.uuid4(),
            "endpoint_id": endpoint_id,
            "event_id": event_id,
            "event_type": event_type,
            "payload": payload,
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": next_attempt_at,
            "created_at": now,
            "updated_at": now,
        }
        for endpoint_id in endpoint_ids
    ]
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    stmt = (
        dialect.insert(WebhookDelivery)
        .values(rows)
        .on_conflict_do_nothing(index_elements=["endpoint_id", "event_id"])
        .returning(WebhookDelivery.id)
    )
    return list(session.scalars(stmt))


def hand_out_due(
    session: Session, *, now: datetime, lease_until: datetime, limit: int
) -> list[tuple[uuid.UUID, int]]:
    """Outstanding deliveries whose time has come, leased until `lease_until` so the next scan does
    not queue them again; (id, attempts) of each, for `webhooks.deliver`."""
    stmt = (
        select(WebhookDelivery)
        .where(_OUTSTANDING_LITERAL, WebhookDelivery.next_attempt_at <= now)
        .order_by(WebhookDelivery.next_attempt_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    due = session.scalars(stmt).all()
    for delivery in due:
        delivery.next_attempt_at = lease_until
    return [(d.id, d.attempts) for d in due]


def lock_delivery(
    session: Session, delivery_id: uuid.UUID, *, skip_locked: bool = False
) -> WebhookDelivery | None:
    stmt = select(WebhookDelivery).where(WebhookDelivery.id == delivery_id)
    return session.scalar(
        stmt.with_for_update(skip_locked=skip_locked).execution_options(populate_existing=True)
    )


def lock_endpoint(session: Session, endpoint_id: uuid.UUID) -> WebhookEndpoint | None:
    return session.get(WebhookEndpoint, endpoint_id, with_for_update=True, populate_existing=True)


def delete_finished_deliveries(session: Session, *, finished_before: datetime) -> int:
    """For the retention sweep: succeeded or dead deliveries untouched since `finished_before`."""
    stmt = delete(WebhookDelivery).where(
        WebhookDelivery.status.not_in(OUTSTANDING), WebhookDelivery.updated_at < finished_before
    )
    return rows_affected(session, stmt)
