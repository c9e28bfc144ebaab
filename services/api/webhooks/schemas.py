import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from services.api.text import Text

EventType = Literal[
    "insight.created",
    "deload.suggested",
    "imbalance.detected",
    "workout.synced",
    "grant.revoked",
    "user.deleted",
    "program.changed",
]
DeliveryStatus = Literal["pending", "succeeded", "failed", "dead"]

EVENTS_DESCRIPTION = (
    "Event types to receive. `insight.created` is sent for every new insight of a user who granted "
    "you `insights:read`, including those also sent as `deload.suggested` or `imbalance.detected`; "
    "`workout.synced` (grant with `workouts:read`) when a push created, changed or deleted workouts; "
    "`grant.revoked` when a user revokes your access; `user.deleted` when a user who had granted you "
    "access deletes the account; `program.changed` (grant with `programs:read`) when the user edits, "
    "leaves or deletes a program you assigned."
)
Url = Annotated[
    Text,
    Field(
        min_length=8,
        max_length=2000,
        description="Where to POST events: an absolute https:// URL on a public address",
        examples=["https://partner.example.com/hooks/posterior"],
    ),
]
Events = Annotated[list[EventType], Field(min_length=1, max_length=5, description=EVENTS_DESCRIPTION)]
Description = Annotated[Text, Field(max_length=200, description="Your own label")]

ENDPOINT_EXAMPLE: dict[str, Any] = {
    "id": "0d9c3a52-8f1e-4b7a-9c2d-5e6f7a8b9c0d",
    "url": "https://partner.example.com/hooks/posterior",
    "description": "Production receiver",
    "events": ["deload.suggested", "imbalance.detected"],
    "enabled": True,
    "disabled_at": None,
    "disabled_reason": None,
    "consecutive_failures": 0,
    "created_at": "2026-03-02T12:00:00Z",
    "updated_at": "2026-03-02T12:00:00Z",
}


class WebhookEndpointIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "url": "https://partner.example.com/hooks/posterior",
                    "description": "Production receiver",
                    "events": ["deload.suggested", "imbalance.detected"],
                }
            ]
        },
    )

    url: Url
    description: Description = ""
    events: Events


class WebhookEndpointPatch(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"enabled": True}, {"events": ["insight.created"]}]},
    )

    url: Url | None = None
    description: Description | None = None
    events: Events | None = None
    enabled: bool | None = Field(
        default=None,
        description="true re-enables an endpoint that was disabled (its failure count starts over)",
    )


class WebhookEndpointRead(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [ENDPOINT_EXAMPLE]})

    id: uuid.UUID
    url: str
    description: str
    events: list[str]
    enabled: bool
    disabled_at: datetime | None = Field(description="When deliveries stopped after persistent failure")
    disabled_reason: str | None
    consecutive_failures: int = Field(description="Failed attempts since the last success")
    created_at: datetime
    updated_at: datetime


class WebhookEndpointCreated(WebhookEndpointRead):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [ENDPOINT_EXAMPLE | {"secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}]
        }
    )

    secret: str = Field(
        description="The signing secret (`whsec_<base64>`), shown only now and after a rotation"
    )


class WebhookSecretRead(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                    "previous_secret_expires_at": "2026-03-03T12:00:00Z",
                }
            ]
        }
    )

    secret: str = Field(description="The new signing secret, shown only now")
    previous_secret_expires_at: datetime = Field(
        description="Until then deliveries carry a signature with the previous secret too"
    )


class WebhookDeliveryRead(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": "6b1f7e0a-3c2d-4e5f-8a9b-0c1d2e3f4a5b",
                    "endpoint_id": "0d9c3a52-8f1e-4b7a-9c2d-5e6f7a8b9c0d",
                    "event_id": "evt_9f86d081884c4d659a2feaa0c55ad015",
                    "event_type": "deload.suggested",
                    "status": "failed",
                    "attempts": 2,
                    "next_attempt_at": "2026-03-02T12:01:30Z",
                    "last_attempt_at": "2026-03-02T12:00:30Z",
                    "last_status_code": 503,
                    "last_error": "HTTP 503",
                    "created_at": "2026-03-02T12:00:00Z",
                    "updated_at": "2026-03-02T12:00:30Z",
                    "payload": {
                        "id": "evt_9f86d081884c4d659a2feaa0c55ad015",
                        "type": "deload.suggested",
                        "version": 1,
                        "timestamp": "2026-03-02T12:00:00Z",
                        "data": {"user_id": "…", "insight_id": "…", "insight": {}},
                    },
                }
            ]
        },
    )

    id: uuid.UUID
    endpoint_id: uuid.UUID
    event_id: str = Field(description="The `webhook-id` header: the same on every attempt and replay")
    event_type: str
    status: DeliveryStatus = Field(
        description="pending: not attempted yet; failed: will be retried at next_attempt_at; "
        "succeeded; dead: retries exhausted or the endpoint was disabled"
    )
    attempts: int = Field(description="Attempts since the delivery was created or last replayed")
    next_attempt_at: datetime | None
    last_attempt_at: datetime | None
    last_status_code: int | None = Field(description="Your receiver's HTTP status of the last attempt")
    last_error: str | None
    created_at: datetime
    updated_at: datetime
    payload: dict[str, Any] = Field(description="The body delivered: id, type, version, timestamp, data")
