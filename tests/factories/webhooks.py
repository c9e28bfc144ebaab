"""Webhook endpoints created through the API, and rows read back from PostgreSQL."""

import uuid
from collections.abc import Sequence
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from services.core.models import OutboxEvent, WebhookDelivery, WebhookEndpoint
from services.core.models.outbox import USER_DELETED
from tests.factories.partners import PartnerApp

ENDPOINTS = "/v1/webhooks/endpoints"
# Nothing listens on the discard port: a delivery left pending here by a test, and picked up by a
# later test's worker, only ever knocks on loopback.
DEAD_URL = "http://127.0.0.1:9/hook"


def create_endpoint(
    client: TestClient,
    partner: PartnerApp,
    *,
    url: str = DEAD_URL,
    events: Sequence[str] = ("deload.suggested",),
    **fields: Any,
) -> dict[str, Any]:
    response = client.post(
        ENDPOINTS, json={"url": url, "events": list(events), **fields}, headers=partner.headers
    )
    assert response.status_code == 201, response.text
    return response.json()


def ping(client: TestClient, partner: PartnerApp, endpoint_id: str) -> dict[str, Any]:
    response = client.post(f"{ENDPOINTS}/{endpoint_id}/ping", headers=partner.headers)
    assert response.status_code == 202, response.text
    return response.json()


def endpoint_row(engine: Engine, endpoint_id: str | uuid.UUID) -> WebhookEndpoint:
    with Session(engine) as session:
        return session.get_one(WebhookEndpoint, uuid.UUID(str(endpoint_id)))


def delivery_row(engine: Engine, delivery_id: str | uuid.UUID) -> WebhookDelivery:
    with Session(engine) as session:
        return session.get_one(WebhookDelivery, uuid.UUID(str(delivery_id)))


def deliveries_of(engine: Engine, endpoint_id: str | uuid.UUID) -> list[WebhookDelivery]:
    with Session(engine) as session:
        stmt = (
            select(WebhookDelivery)
            .where(WebhookDelivery.endpoint_id == uuid.UUID(str(endpoint_id)))
            .order_by(WebhookDelivery.created_at)
        )
        return list(session.scalars(stmt))


def event_rows(engine: Engine, user_id: uuid.UUID, topic: str | None = None) -> list[OutboxEvent]:
    with Session(engine) as session:
        stmt = select(OutboxEvent).where(OutboxEvent.user_id == user_id).order_by(OutboxEvent.id)
        if topic is not None:
            stmt = stmt.where(OutboxEvent.topic == topic)
        return list(session.scalars(stmt))


def user_deleted_rows(engine: Engine, user_id: uuid.UUID) -> list[OutboxEvent]:
    """The `user.deleted` rows of a deleted account: addressed to partners, they name the user in
    their payload only."""
    with Session(engine) as session:
        stmt = select(OutboxEvent).where(OutboxEvent.topic == USER_DELETED).order_by(OutboxEvent.id)
        return [row for row in session.scalars(stmt) if row.payload["user_id"] == str(user_id)]
