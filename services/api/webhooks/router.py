"""A partner's webhook endpoints and their delivery logs (API key with scope `webhooks:manage`)."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response

from services.api.deps import PartnerKey, SessionDep, SettingsDep
from services.api.pagination import Cursor, Limit, Page
from services.api.problems import problem_responses
from services.api.webhooks import service
from services.api.webhooks.schemas import (
    DeliveryStatus,
    WebhookDeliveryRead,
    WebhookEndpointCreated,
    WebhookEndpointIn,
    WebhookEndpointPatch,
    WebhookEndpointRead,
    WebhookSecretRead,
)
from services.core.errors import InsufficientScope

MANAGE_SCOPE = "webhooks:manage"

router = APIRouter(prefix="/v1/webhooks/endpoints", tags=["webhooks"])


def webhooks_manager(key: PartnerKey) -> uuid.UUID:
    """The calling partner, if its key may manage webhooks (no user grant is involved)."""
    if MANAGE_SCOPE not in key.scopes:
        raise InsufficientScope(MANAGE_SCOPE)
    return key.partner_id


Partner = Annotated[uuid.UUID, Depends(webhooks_manager)]
EndpointId = Annotated[uuid.UUID, Path(description="A webhook endpoint of yours")]
DeliveryId = Annotated[uuid.UUID, Path(description="A delivery to that endpoint")]

# 401 bad key, 403 key without webhooks:manage, 404 not yours (or no such thing), 422 input.
ERRORS = problem_responses(401, 403, 404, 422)


@router.post(
    "",
    operation_id="create_webhook_endpoint",
    status_code=201,
    response_model=WebhookEndpointCreated,
    summary="Subscribe a URL to events; the response carries its signing secret",
    responses=problem_responses(401, 403, 409, 422),
)
def create_webhook_endpoint(
    body: WebhookEndpointIn, partner: Partner, session: SessionDep, settings: SettingsDep, response: Response
) -> WebhookEndpointCreated:
    created = service.create_endpoint(session, partner, body, settings)
    response.headers["Location"] = f"{router.prefix}/{created.id}"
    return created


@router.get(
    "",
    operation_id="list_webhook_endpoints",
    response_model=Page[WebhookEndpointRead],
    summary="Your webhook endpoints, oldest first",
    responses=problem_responses(401, 403, 422),
)
def list_webhook_endpoints(
    partner: Partner, session: SessionDep, limit: Limit = 50, cursor: Cursor = None
) -> Page[WebhookEndpointRead]:
    return service.list_endpoints(session, partner, limit=limit, cursor=cursor)


@router.get(
    "/{endpoint_id}",
    operation_id="get_webhook_endpoint",
    response_model=WebhookEndpointRead,
    summary="One webhook endpoint: its events, and whether it was disabled and why",
    responses=ERRORS,
)
def get_webhook_endpoint(
    endpoint_id: EndpointId, partner: Partner, session: SessionDep
) -> WebhookEndpointRead:
    return service.get_endpoint(session, partner, endpoint_id)


@router.patch(
    "/{endpoint_id}",
    operation_id="update_webhook_endpoint",
    response_model=WebhookEndpointRead,
    summary="Change the URL, description or events, or disable or re-enable the endpoint",
    responses=ERRORS,
)
def update_webhook_endpoint(
    endpoint_id: EndpointId,
    body: WebhookEndpointPatch,
    partner: Partner,
    session: SessionDep,
    settings: SettingsDep,
) -> WebhookEndpointRead:
    return service.update_endpoint(session, partner, endpoint_id, body, settings)


@router.delete(
    "/{endpoint_id}",
    operation_id="delete_webhook_endpoint",
    status_code=204,
    response_class=Response,
    summary="Delete an endpoint and its delivery log",
    responses=ERRORS,
)
def delete_webhook_endpoint(endpoint_id: EndpointId, partner: Partner, session: SessionDep) -> Response:
    service.delete_endpoint(session, partner, endpoint_id)
    return Response(status_code=204)


@router.post(
    "/{endpoint_id}/rotate-secret",
    operation_id="rotate_webhook_endpoint_secret",
    response_model=WebhookSecretRead,
    summary="Replace the signing secret; the previous one keeps signing for an overlap period",
    responses=ERRORS,
)
def rotate_webhook_endpoint_secret(
    endpoint_id: EndpointId, partner: Partner, session: SessionDep, settings: SettingsDep
) -> WebhookSecretRead:
    return service.rotate_secret(session, partner, endpoint_id, settings)


@router.post(
    "/{endpoint_id}/ping",
    operation_id="ping_webhook_endpoint",
    status_code=202,
    response_model=WebhookDeliveryRead,
    summary="Send a signed `webhook.ping` event to the endpoint within seconds",
    responses=problem_responses(401, 403, 404, 409, 422),
)
def ping_webhook_endpoint(
    endpoint_id: EndpointId, partner: Partner, session: SessionDep
) -> WebhookDeliveryRead:
    return service.ping(session, partner, endpoint_id)


@router.get(
    "/{endpoint_id}/deliveries",
    operation_id="list_webhook_deliveries",
    response_model=Page[WebhookDeliveryRead],
    summary="The endpoint's delivery log, newest first: status, attempts, last response",
    responses=ERRORS,
)
def list_webhook_deliveries(
    endpoint_id: EndpointId,
    partner: Partner,
    session: SessionDep,
    status: Annotated[DeliveryStatus | None, Query()] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[WebhookDeliveryRead]:
    return service.list_deliveries(session, partner, endpoint_id, status=status, limit=limit, cursor=cursor)


@router.get(
    "/{endpoint_id}/deliveries/{delivery_id}",
    operation_id="get_webhook_delivery",
    response_model=WebhookDeliveryRead,
    summary="One delivery: its payload, status, attempts and last response",
    responses=ERRORS,
)
def get_webhook_delivery(
    endpoint_id: EndpointId, delivery_id: DeliveryId, partner: Partner, session: SessionDep
) -> WebhookDeliveryRead:
    return service.get_delivery(session, partner, endpoint_id, delivery_id)


@router.post(
    "/{endpoint_id}/deliveries/{delivery_id}/replay",
    operation_id="replay_webhook_delivery",
    status_code=202,
    response_model=WebhookDeliveryRead,
    summary="Send a delivery that succeeded or gave up again (same event id and body)",
    responses=problem_responses(401, 403, 404, 409, 422),
)
def replay_webhook_delivery(
    endpoint_id: EndpointId, delivery_id: DeliveryId, partner: Partner, session: SessionDep
) -> WebhookDeliveryRead:
    return service.replay(session, partner, endpoint_id, delivery_id)
