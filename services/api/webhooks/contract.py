"""The webhooks section of the contract (OpenAPI 3.1 `webhooks`): each event Posterior sends, its
typed body and the Standard Webhooks signature headers, so partners' generated clients get a type
per event.

The bodies are built in services/core/webhooks/events.py (and the outbox rows of `grant.revoked` in
core/repositories/grants.py, of `user.deleted` in core/usecases/erasure.py, of `program.changed` in
core/repositories/webhooks.py) as plain JSON, the way they are stored and signed; these models
describe them. tests/api/webhooks/test_contract.py validates payloads the app really emits against
the published schemas, so the two cannot drift apart.

The functions below are declarations only: FastAPI renders them into the spec (`app.webhooks`)
and never routes a request to them.
"""

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Response
from pydantic import BaseModel, Field

from services.api.insights.schemas import InsightRead
from services.core.webhooks.events import ProgramChange

EVENT_ID_PATTERN = r"^evt_[0-9a-f]{32}$"
RECEIVED = "Received: any 2xx status is a success. Only the status line is read, never the body."
FAILED: dict[int | str, dict[str, Any]] = {
    "default": {
        "description": "Any other status, a redirect, or no answer within 10 seconds is a failure: "
        "the delivery is retried with exponential backoff for about 24 hours, with the same `webhook-id`"
    }
}


# -- each event's data ---------------------------------------------------------------------------


class InsightEventData(BaseModel):
    """A new insight of a user who granted you `insights:read`: the insight itself, as
    `GET /v1/users/{user_id}/insights` shows it."""

    user_id: uuid.UUID
    insight_id: str = Field(description="The insight's id (also `insight.id`)")
    insight: InsightRead


class WorkoutChanges(BaseModel):
    created: list[str] = Field(description="Ids of workouts the push created, sorted")
    updated: list[str] = Field(description="Ids of workouts whose fields or sets changed, sorted")
    deleted: list[str] = Field(description="Ids of workouts the push deleted, sorted")


class WorkoutsSyncedData(BaseModel):
    """Which workouts one push of the user's app changed; read them through
    `GET /v1/users/{user_id}/workouts/{workout_id}` or the workout change feed."""

    user_id: uuid.UUID
    sync_version: int = Field(description="The user's sync version after the push; grows with every push")
    workouts: WorkoutChanges


class GrantRevokedData(BaseModel):
    """A user revoked your grant: your calls for that user are 404 from now on."""

    grant_id: uuid.UUID
    partner_id: uuid.UUID = Field(description="You")
    user_id: uuid.UUID
    scopes: list[str] = Field(description="The scopes the grant had")
    revoked_at: datetime


class UserDeletedData(BaseModel):
    """A user who had granted you access deleted the account: delete what you hold of theirs. Your
    calls for that user are 404 from now on, except the change feeds, which list the user's workouts
    and insights as deleted for 30 days."""

    user_id: uuid.UUID
    partner_id: uuid.UUID = Field(description="You")
    grant_id: uuid.UUID = Field(description="The grant you held, gone with the account")
    deleted_at: datetime


class ProgramChangedData(BaseModel):
    """A program you assigned to the user (`POST /v1/users/{user_id}/programs`) changed: the user
    edited it, swapped an exercise, accepted advice that added to it, left it or deleted it. Read the
    program the user follows through `GET /v1/users/{user_id}/enrollment` and `…/next-session`."""

    user_id: uuid.UUID
    partner_id: uuid.UUID = Field(description="You: the partner that assigned the program")
    program_id: uuid.UUID
    revision: int = Field(description="The program's revision after the change; grows with every edit")
    change: ProgramChange = Field(
        description="`edited` (PATCH by the user), `substituted` (an exercise swapped), `advice_landed` "
        "(accepted advice added exercises), `left` (the user no longer follows it), `deleted` (it is gone)"
    )


class PingData(BaseModel):
    """A test event you asked for (`POST /v1/webhooks/endpoints/{endpoint_id}/ping`)."""

    endpoint_id: uuid.UUID
    message: str


# -- the envelope around it ----------------------------------------------------------------------


class _Event(BaseModel):
    """Standard Webhooks' `type`, `timestamp` and `data`, plus the event's `id` and payload `version`."""

    id: str = Field(
        pattern=EVENT_ID_PATTERN,
        description="The event's id, equal to the `webhook-id` header: the same on every retry and "
        "replay, so deduplicate on it",
        examples=["evt_9f86d081884c4d659a2feaa0c55ad015"],
    )
    # Bumped only when a payload changes incompatibly; fields are only ever added.
    version: Literal[1] = Field(description="The payload's version")
    timestamp: datetime = Field(description="When the event happened (RFC 3339, UTC)")


class InsightCreatedEvent(_Event):
    type: Literal["insight.created"]
    data: InsightEventData


class DeloadSuggestedEvent(_Event):
    type: Literal["deload.suggested"]
    data: InsightEventData


class ImbalanceDetectedEvent(_Event):
    type: Literal["imbalance.detected"]
    data: InsightEventData


class WorkoutSyncedEvent(_Event):
    type: Literal["workout.synced"]
    data: WorkoutsSyncedData


class GrantRevokedEvent(_Event):
    type: Literal["grant.revoked"]
    data: GrantRevokedData


class UserDeletedEvent(_Event):
    type: Literal["user.deleted"]
    data: UserDeletedData


class ProgramChangedEvent(_Event):
    type: Literal["program.changed"]
    data: ProgramChangedData


class PingEvent(_Event):
    type: Literal["webhook.ping"]
    data: PingData


# -- the declarations FastAPI renders ------------------------------------------------------------


def signature_headers(
    webhook_id: Annotated[
        str, Header(pattern=EVENT_ID_PATTERN, description="The event's id (= `id` in the body)")
    ],
    webhook_timestamp: Annotated[
        int,
        Header(
            description="When this attempt was signed, in seconds since the epoch: refuse one "
            "more than a few minutes off your clock"
        ),
    ],
    webhook_signature: Annotated[
        str,
        Header(
            description='Space-separated `v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.'
            '{body}">`, keyed with the base64-decoded part of your `whsec_` secret; two while a '
            "rotated secret overlaps. Any one that matches verifies the delivery",
            examples=["v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4="],
        ),
    ],
) -> None:
    """The Standard Webhooks headers every delivery carries (services/core/webhooks/signing.py)."""


# A receiver's answer has no body we read; declaring `default` also keeps FastAPI from adding a
# 422 of ours that a receiver would never send.
router = APIRouter(
    tags=["webhooks"],
    dependencies=[Depends(signature_headers)],
    default_response_class=Response,
    responses=FAILED,
)


@router.post(
    "insight.created",
    operation_id="on_insight_created",
    summary="A new insight",
    response_description=RECEIVED,
)
def on_insight_created(body: InsightCreatedEvent) -> None:
    """Sent for every new insight (deloads and imbalances included) of a user whose grant has
    `insights:read`, to endpoints subscribed to `insight.created`."""


@router.post(
    "deload.suggested",
    operation_id="on_deload_suggested",
    summary="A deload suggestion",
    response_description=RECEIVED,
)
def on_deload_suggested(body: DeloadSuggestedEvent) -> None:
    """Sent, besides `insight.created`, for a new insight of kind `deload.suggested`."""


@router.post(
    "imbalance.detected",
    operation_id="on_imbalance_detected",
    summary="A muscle imbalance alert",
    response_description=RECEIVED,
)
def on_imbalance_detected(body: ImbalanceDetectedEvent) -> None:
    """Sent, besides `insight.created`, for a new insight whose kind starts with `imbalance.`."""


@router.post(
    "workout.synced",
    operation_id="on_workout_synced",
    summary="Workouts changed",
    response_description=RECEIVED,
)
def on_workout_synced(body: WorkoutSyncedEvent) -> None:
    """Sent when a push of the user's app created, changed or deleted workouts, for a user whose
    grant has `workouts:read`."""


@router.post(
    "grant.revoked",
    operation_id="on_grant_revoked",
    summary="A user revoked your access",
    response_description=RECEIVED,
)
def on_grant_revoked(body: GrantRevokedEvent) -> None:
    """Sent to your endpoints subscribed to `grant.revoked`, whatever scopes the grant had."""


@router.post(
    "user.deleted",
    operation_id="on_user_deleted",
    summary="A user deleted the account",
    response_description=RECEIVED,
)
def on_user_deleted(body: UserDeletedEvent) -> None:
    """Sent to your endpoints subscribed to `user.deleted` when a user whose grant you held deletes
    the account, whatever scopes the grant had."""


@router.post(
    "program.changed",
    operation_id="on_program_changed",
    summary="A program you assigned changed",
    response_description=RECEIVED,
)
def on_program_changed(body: ProgramChangedEvent) -> None:
    """Sent to your endpoints subscribed to `program.changed` when the user changes, leaves or
    deletes a program you assigned, while their grant to you has `programs:read`. Changes you make
    yourself are not sent."""


@router.post(
    "webhook.ping", operation_id="on_webhook_ping", summary="A test event", response_description=RECEIVED
)
def on_webhook_ping(body: PingEvent) -> None:
    """Sent to one endpoint when you ask for a test ping, whatever events it subscribed to."""
