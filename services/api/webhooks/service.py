"""A partner's webhook endpoints: create, change, rotate the secret, ping, and the delivery log with
replay. Every use case takes the calling partner; another partner's endpoint is a 404.

Nothing here sends HTTP or enqueues a task (ARCHITECTURE.md): a ping or a replay is a delivery
due now, which beat's `webhooks.retry_due` hands to a worker within seconds.
"""

import uuid
from datetime import timedelta

from sqlalchemy.orm import Session

from services.api.pagination import Page, each, page_of, time_cursor, time_key
from services.api.webhooks.schemas import (
    DeliveryStatus,
    WebhookDeliveryRead,
    WebhookEndpointCreated,
    WebhookEndpointIn,
    WebhookEndpointPatch,
    WebhookEndpointRead,
    WebhookSecretRead,
)
from services.core.errors import Conflict
from services.core.models import WebhookDelivery, WebhookEndpoint
from services.core.models.base import utcnow
from services.core.repositories import webhooks as repository
from services.core.settings import Settings
from services.core.webhooks import events, signing, targets

MAX_ENDPOINTS = 20  # per partner


def create_endpoint(
    session: Session, partner_id: uuid.UUID, body: WebhookEndpointIn, settings: Settings
) -> WebhookEndpointCreated:
    url = targets.check_url(body.url, allow_private=settings.webhook_allow_private_targets)
    if repository.count_endpoints(session, partner_id=partner_id) >= MAX_ENDPOINTS:
        raise Conflict(f"A partner may have at most {MAX_ENDPOINTS} webhook endpoints; delete one first.")
    endpoint = WebhookEndpoint(
        partner_id=partner_id,
        url=url,
        description=body.description,
        events=list(dict.fromkeys(body.events)),
        secret=signing.new_secret(),
    )
    session.add(endpoint)
    session.commit()
    return WebhookEndpointCreated.model_validate(endpoint, from_attributes=True)


def list_endpoints(
    session: Session, partner_id: uuid.UUID, *, limit: int, cursor: str | None
) -> Page[WebhookEndpointRead]:
    rows = repository.list_endpoints(
        session, partner_id=partner_id, after=time_cursor(cursor, uuid.UUID), limit=limit + 1
    )
    return page_of(
        rows, limit, each(WebhookEndpointRead.model_validate), lambda e: time_key(e.created_at, e.id)
    )


def get_endpoint(session: Session, partner_id: uuid.UUID, endpoint_id: uuid.UUID) -> WebhookEndpointRead:
    endpoint = repository.get_endpoint(session, partner_id=partner_id, endpoint_id=endpoint_id)
    return WebhookEndpointRead.model_validate(endpoint)


def update_endpoint(
    session: Session,
    partner_id: uuid.UUID,
    endpoint_id: uuid.UUID,
    patch: WebhookEndpointPatch,
    settings: Settings,
) -> WebhookEndpointRead:
    url = (
        None
        if patch.url is None
        else targets.check_url(patch.url, allow_private=settings.webhook_allow_private_targets)
    )
    endpoint = repository.get_endpoint(session, partner_id=partner_id, endpoint_id=endpoint_id, lock=True)
    if url is not None:
        endpoint.url = url
    if patch.description is not None:
        endpoint.description = patch.description
    if patch.events is not None:
        endpoint.events = list(dict.fromkeys(patch.events))
    if patch.enabled is True and not endpoint.enabled:
        endpoint.enabled, endpoint.disabled_at, endpoint.disabled_reason = True, None, None
        endpoint.consecutive_failures, endpoint.failing_since = 0, None
    elif patch.enabled is False and endpoint.enabled:
        repository.disable_endpoint(session, endpoint, now=utcnow(), reason="Disabled by the partner")
    session.commit()
    return WebhookEndpointRead.model_validate(endpoint)


def delete_endpoint(session: Session, partner_id: uuid.UUID, endpoint_id: uuid.UUID) -> None:
    """Its deliveries go with it; a delivery being attempted right now is still sent."""
    session.delete(
        repository.get_endpoint(session, partner_id=partner_id, endpoint_id=endpoint_id, lock=True)
    )
    session.commit()


def rotate_secret(
    session: Session, partner_id: uuid.UUID, endpoint_id: uuid.UUID, settings: Settings
) -> WebhookSecretRead:
    """A new secret signs from now on; the one it replaces signs too until the overlap ends, so the
    receiver can switch without rejecting a delivery. Only the replaced secret is kept."""
    endpoint = repository.get_endpoint(session, partner_id=partner_id, endpoint_id=endpoint_id, lock=True)
    expires_at = utcnow() + timedelta(seconds=settings.webhook_secret_overlap_s)
    endpoint.previous_secret, endpoint.previous_secret_expires_at = endpoint.secret, expires_at
    endpoint.secret = signing.new_secret()
    session.commit()
    return WebhookSecretRead(secret=endpoint.secret, previous_secret_expires_at=expires_at)


def ping(session: Session, partner_id: uuid.UUID, endpoint_id: uuid.UUID) -> WebhookDeliveryRead:
    """A `webhook.ping` delivery to this endpoint alone, signed and retried like any event."""
    endpoint = _enabled_endpoint(session, partner_id, endpoint_id)
    now = utcnow()
    event_id = events.new_event_id()
    delivery = WebhookDelivery(
        endpoint_id=endpoint.id,
        event_id=event_id,
        event_type=events.PING,
        payload=events.envelope(
            event_id=event_id, event_type=events.PING, occurred_at=now, data=events.ping_data(endpoint.id)
        ),
        status="pending",
        attempts=0,
        next_attempt_at=now,
    )
    session.add(delivery)
    session.commit()
    return WebhookDeliveryRead.model_validate(delivery)


def list_deliveries(
    session: Session,
    partner_id: uuid.UUID,
    endpoint_id: uuid.UUID,
    *,
    status: DeliveryStatus | None,
    limit: int,
    cursor: str | None,
) -> Page[WebhookDeliveryRead]:
    endpoint = repository.get_endpoint(session, partner_id=partner_id, endpoint_id=endpoint_id)
    rows = repository.list_deliveries(
        session,
        endpoint_id=endpoint.id,
        status=status,
        before=time_cursor(cursor, uuid.UUID),
        limit=limit + 1,
    )
    return page_of(
        rows, limit, each(WebhookDeliveryRead.model_validate), lambda d: time_key(d.created_at, d.id)
    )


def get_delivery(
    session: Session, partner_id: uuid.UUID, endpoint_id: uuid.UUID, delivery_id: uuid.UUID
) -> WebhookDeliveryRead:
    endpoint = repository.get_endpoint(session, partner_id=partner_id, endpoint_id=endpoint_id)
    return WebhookDeliveryRead.model_validate(
        repository.get_delivery(session, endpoint_id=endpoint.id, delivery_id=delivery_id)
    )


def replay(
    session: Session, partner_id: uuid.UUID, endpoint_id: uuid.UUID, delivery_id: uuid.UUID
) -> WebhookDeliveryRead:
    """Sends a finished delivery (succeeded or dead) again, same event id and body, with a fresh
    retry schedule. One still being retried is a 409: it will be attempted anyway."""
    endpoint = _enabled_endpoint(session, partner_id, endpoint_id)
    delivery = repository.get_delivery(session, endpoint_id=endpoint.id, delivery_id=delivery_id, lock=True)
    if delivery.status in repository.OUTSTANDING:
        raise Conflict("This delivery is still being attempted; replay it once it succeeded or gave up.")
    delivery.status, delivery.attempts, delivery.next_attempt_at = "pending", 0, utcnow()
    session.commit()
    return WebhookDeliveryRead.model_validate(delivery)


def _enabled_endpoint(session: Session, partner_id: uuid.UUID, endpoint_id: uuid.UUID) -> WebhookEndpoint:
    endpoint = repository.get_endpoint(session, partner_id=partner_id, endpoint_id=endpoint_id)
    if not endpoint.enabled:
        raise Conflict('The endpoint is disabled; enable it first (PATCH with {"enabled": true}).')
    return endpoint
