"""Webhook events: their types (outbox topics, named in services/core/models/outbox.py), the scope a partner needs to hear of each, and the
delivered body (a versioned Standard Webhooks envelope around the event's data)."""

import json
import uuid
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any, Literal

from services.core.models.outbox import (
    DELOAD_SUGGESTED,
    GRANT_REVOKED,
    IMBALANCE_DETECTED,
    INSIGHT_CREATED,
    PROGRAM_CHANGED,
    USER_DELETED,
    WORKOUT_SYNCED,
)

EVENT_TYPES = (
    INSIGHT_CREATED,
    DELOAD_SUGGESTED,
    IMBALANCE_DETECTED,
    WORKOUT_SYNCED,
    GRANT_REVOKED,
    USER_DELETED,
    PROGRAM_CHANGED,
)
PING = "webhook.ping"  # sent on request to one endpoint, whatever it subscribed to

# The scope a user's grant must cover for its partner to hear about that user: the same data the
# partner could read through the API. A revoked grant, or a deleted account, is told to the partner
# whose grant it was, whatever the grant covered.
EVENT_SCOPES: dict[str, str | None] = {
    INSIGHT_CREATED: "insights:read",
    DELOAD_SUGGESTED: "insights:read",
    IMBALANCE_DETECTED: "insights:read",
    WORKOUT_SYNCED: "workouts:read",
    GRANT_REVOKED: None,
    USER_DELETED: None,
    # Only the partner that assigned the program hears of it: what the user follows is
    # programs:read data (the enrollment, the next session), whatever scope assigned it.
    PROGRAM_CHANGED: "programs:read",
}
# Events addressed to one partner (its outbox row names it): the user's grant to it is gone.
PARTNER_EVENTS = (GRANT_REVOKED, USER_DELETED)
# Events about a user addressed to one partner, which hears them while its grant covers the scope.
ADDRESSED_EVENTS = (*PARTNER_EVENTS, PROGRAM_CHANGED)
# What happened to an assigned program (`change` in program.changed).
ProgramChange = Literal["edited", "substituted", "advice_landed", "left", "deleted"]

# The envelope's `version`: bumped when a payload changes incompatibly (fields are only added).
PAYLOAD_VERSION = 1
# Event ids are derived from the outbox row, so fanning one row out twice creates no second delivery.
EVENT_NAMESPACE = uuid.UUID("5f3f4f0e-7a55-4d4b-9a38-3d0c1b2f6e10")


def insight_event_types(kind: str) -> list[str]:
    """Every new insight is an `insight.created`; deloads and imbalances are also their own event."""
    types = [INSIGHT_CREATED]
    if kind == DELOAD_SUGGESTED:
        types.append(DELOAD_SUGGESTED)
    elif kind.startswith("imbalance."):
        types.append(IMBALANCE_DETECTED)
    return types


def insight_data(user_id: uuid.UUID, insight: Any) -> dict[str, Any]:
    """The insight itself, as `GET /v1/users/{user_id}/insights` shows it."""
    return {
        "user_id": str(user_id),
        "insight_id": insight.id,
        "insight": {
            "id": insight.id,
            "kind": insight.kind,
            "subject": insight.subject,
            "severity": insight.severity,
            "status": insight.status,
            "title": insight.title,
            "explanation": insight.explanation,
            "evidence": insight.evidence,
            "recommendation": insight.recommendation,
            "rule_id": insight.rule_id,
            "week_start": _date(insight.week_start),
            "created_at": rfc3339(insight.created_at),
            "updated_at": rfc3339(insight.updated_at),
            "status_changed_at": rfc3339(insight.status_changed_at),
        },
    }


def workouts_data(
    user_id: uuid.UUID,
    sync_version: int,
    *,
    created: Iterable[str],
    updated: Iterable[str],
    deleted: Iterable[str],
) -> dict[str, Any]:
    """The ids of the workouts a push created, changed (sets included) or deleted; the partner
    reads them through `GET /v1/users/{user_id}/workouts/{id}` or the workout change feed."""
    return {
        "user_id": str(user_id),
        "sync_version": sync_version,
        "workouts": {"created": sorted(created), "updated": sorted(updated), "deleted": sorted(deleted)},
    }


def user_deleted_data(
    *, user_id: uuid.UUID, partner_id: uuid.UUID, grant_id: uuid.UUID, deleted_at: datetime
) -> dict[str, Any]:
    """To a partner whose grant was live when the user deleted the account: forget the user."""
    return {
        "user_id": str(user_id),
        "partner_id": str(partner_id),
        "grant_id": str(grant_id),
        "deleted_at": rfc3339(deleted_at),
    }


def program_changed_data(
    *, user_id: uuid.UUID, partner_id: uuid.UUID, program_id: uuid.UUID, revision: int, change: ProgramChange
) -> dict[str, Any]:
    """To the partner that assigned the program: the user changed it, left it or deleted it."""
    return {
        "user_id": str(user_id),
        "partner_id": str(partner_id),
        "program_id": str(program_id),
        "revision": revision,
        "change": change,
    }


def ping_data(endpoint_id: uuid.UUID) -> dict[str, Any]:
    return {"endpoint_id": str(endpoint_id), "message": "Posterior webhook test"}


def event_id_for_outbox(outbox_id: int) -> str:
    return "evt_" + uuid.uuid5(EVENT_NAMESPACE, f"outbox:{outbox_id}").hex


def new_event_id() -> str:
    return "evt_" + uuid.uuid4().hex


def envelope(
    *, event_id: str, event_type: str, occurred_at: datetime, data: dict[str, Any]
) -> dict[str, Any]:
    """The delivered body: Standard Webhooks' `type`, `timestamp`, `data`, plus `id` (= the
    `webhook-id` header) and the payload `version`."""
    return {
        "id": event_id,
        "type": event_type,
        "version": PAYLOAD_VERSION,
        "timestamp": rfc3339(occurred_at),
        "data": data,
    }


def encode_body(payload: dict[str, Any]) -> bytes:
    # Sorted keys: PostgreSQL's JSONB does not keep key order, so every attempt sends the same bytes.
    return json.dumps(payload, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode()


def rfc3339(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _date(day: date | str) -> str:
    return day if isinstance(day, str) else day.isoformat()
