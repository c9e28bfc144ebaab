"""Webhooks' domain, shared by the API and the worker: event types and payloads, Standard Webhooks
signing, the retry schedule, and which URLs may receive deliveries.

Signing uses the `standardwebhooks` package (the reference implementation of the spec): the
signature is `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` keyed with the base64-decoded part of
`whsec_<base64>`. Besides the spec's own test vector, a receiver's verifier is then the same code.
"""

import base64
import ipaddress
import json
import secrets
import socket
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from standardwebhooks import Webhook

from services.core.errors import FieldError, InvalidInput
from services.core.settings import Settings

INSIGHT_CREATED = "insight.created"
DELOAD_SUGGESTED = "deload.suggested"
IMBALANCE_DETECTED = "imbalance.detected"
WORKOUT_SYNCED = "workout.synced"
GRANT_REVOKED = "grant.revoked"
EVENT_TYPES = (INSIGHT_CREATED, DELOAD_SUGGESTED, IMBALANCE_DETECTED, WORKOUT_SYNCED, GRANT_REVOKED)
PING = "webhook.ping"  # sent on request to one endpoint, whatever it subscribed to

# The scope a user's grant must cover for its partner to hear about that user: the same data the
# partner could read through the API. A revoked grant is told to its partner whatever it covered.
EVENT_SCOPES: dict[str, str | None] = {
    INSIGHT_CREATED: "insights:read",
    DELOAD_SUGGESTED: "insights:read",
    IMBALANCE_DETECTED: "insights:read",
    WORKOUT_SYNCED: "workouts:read",
    GRANT_REVOKED: None,
}

# The envelope's `version`: bumped when a payload changes incompatibly (fields are only added).
PAYLOAD_VERSION = 1
SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32  # Standard Webhooks: between 24 and 64 bytes
# Event ids are derived from the outbox row, so fanning one row out twice creates no second delivery.
EVENT_NAMESPACE = uuid.UUID("5f3f4f0e-7a55-4d4b-9a38-3d0c1b2f6e10")


# -- events and payloads ----------------------------------------------------------------------


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


# -- secrets and signatures -------------------------------------------------------------------


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def sign(secret: str, *, msg_id: str, timestamp: int, body: bytes) -> str:
    """`v1,<base64 signature>` of one secret."""
    moment = datetime.fromtimestamp(timestamp, UTC)
    return Webhook(secret).sign(msg_id=msg_id, timestamp=moment, data=body.decode())


def signed_headers(
    signing_secrets: Sequence[str], *, msg_id: str, timestamp: int, body: bytes
) -> dict[str, str]:
    """The Standard Webhooks headers; one signature per secret (space-separated), so during a
    rotation a receiver that still has the previous secret verifies too."""
    return {
        "content-type": "application/json",
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(
            sign(s, msg_id=msg_id, timestamp=timestamp, body=body) for s in signing_secrets
        ),
    }


def signing_secrets(endpoint: Any, now: datetime) -> list[str]:
    keep_previous = (
        endpoint.previous_secret is not None
        and endpoint.previous_secret_expires_at is not None
        and endpoint.previous_secret_expires_at > now
    )
    return [endpoint.secret, endpoint.previous_secret] if keep_previous else [endpoint.secret]


# -- retries and disabling --------------------------------------------------------------------


def retry_delays(*, base_s: float, cap_s: float, window_s: float) -> tuple[float, ...]:
    """The wait after the 1st, 2nd, … failed attempt: base × 2ⁿ, at most cap_s, until the retries
    span window_s (the last wait is shortened to end exactly there)."""
    if base_s <= 0 or cap_s <= 0:
        raise ValueError("retry delays must be positive")
    delays: list[float] = []
    total = 0.0
    while total < window_s:
        delay = min(base_s * 2 ** len(delays), cap_s, window_s - total)
        delays.append(delay)
        total += delay
    return tuple(delays)


def retry_schedule(settings: Settings) -> tuple[float, ...]:
    return retry_delays(
        base_s=settings.webhook_retry_base_s,
        cap_s=settings.webhook_retry_cap_s,
        window_s=settings.webhook_retry_window_s,
    )


def next_retry_delay(attempts: int, settings: Settings) -> timedelta | None:
    """After `attempts` failed attempts: how long until the next one, or None to give up."""
    schedule = retry_schedule(settings)
    return timedelta(seconds=schedule[attempts - 1]) if 1 <= attempts <= len(schedule) else None


def should_disable(
    *, consecutive_failures: int, failing_since: datetime | None, now: datetime, settings: Settings
) -> bool:
    """Persistent failure: many failed attempts in a row, over a long time. A burst of failures
    while a receiver restarts (many events, a few minutes) does not disable it."""
    return (
        consecutive_failures >= settings.webhook_disable_after_failures
        and failing_since is not None
        and (now - failing_since).total_seconds() >= settings.webhook_disable_after_s
    )


def attempt_lease(settings: Settings) -> timedelta:
    """How long a queued or running attempt keeps its delivery from being handed out again.

    No attempt outlives its task's hard time limit (a worker kills it there; in process, the
    request's own timeout, below that limit, ends it), so once the limit and a margin for the
    recording transaction have passed, the attempt is over or lost with its worker, and handing
    the delivery out again cannot make two attempts overlap.
    """
    return timedelta(seconds=settings.task_time_limit_s + 5)


# -- where deliveries may go ------------------------------------------------------------------


class UnsafeTarget(Exception):
    """The URL's host is or resolves to an address we never send to (SSRF)."""


@dataclass(frozen=True, slots=True)
class PinnedTarget:
    """A URL with its host replaced by the address that was checked, so the connection goes where
    the check looked (no second DNS answer in between); the name still goes in Host and TLS SNI."""

    url: str
    host_header: str
    sni_hostname: str | None


def is_public_address(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None:
            ip = embedded
    return ip.is_global and not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def check_url(url: str, *, allow_private: bool) -> str:
    """What an endpoint URL must look like: absolute https (http only where private targets are
    allowed: local development and tests), a host, no credentials, and — when the host is an
    address or `localhost` — a public one. Hostnames are resolved at each delivery."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 — raises ValueError for a port out of range
    except ValueError:
        parts = None
    schemes = ("https", "http") if allow_private else ("https",)
    problem = None
    if parts is None or parts.scheme not in schemes or not parts.hostname:
        problem = "an absolute https:// URL" + (" (or http://)" if allow_private else "")
    elif parts.username is not None or parts.password is not None:
        problem = "no user or password in the URL"
    elif len(url) > 2000 or any(c.isspace() for c in url) or parts.fragment:
        problem = "at most 2000 characters, no spaces, no fragment"
    elif not allow_private and not _public_literal(parts.hostname):
        problem = "a public host: private, loopback, link-local, multicast and reserved addresses are refused"
    if problem:
        raise InvalidInput(
            f"Not a usable webhook URL: {url[:200]!r}.", [FieldError(field="url", message=problem)]
        )
    return url


def _public_literal(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return False
    try:
        return is_public_address(host)
    except ValueError:
        return True  # a name: checked when it is resolved


def resolve(host: str, port: int, *, allow_private: bool) -> list[str]:
    """The host's addresses, refused as a whole if any of them is not public."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise UnsafeTarget(f"cannot resolve {host}: {exc}") from exc
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not allow_private:
        refused = [a for a in addresses if not is_public_address(a)]
        if refused:
            raise UnsafeTarget(f"{host} resolves to a non-public address ({refused[0]})")
    if not addresses:
        raise UnsafeTarget(f"{host} has no address")
    return addresses


def pin(url: str, *, allow_private: bool) -> PinnedTarget:
    """Checks the URL again (settings may have changed since it was stored), resolves its host and
    returns where to connect. Raises UnsafeTarget."""
    try:
        check_url(url, allow_private=allow_private)
    except InvalidInput as exc:
        raise UnsafeTarget(str(exc.extra["errors"][0]["message"])) from exc
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = resolve(host, port, allow_private=allow_private)[0]
    netloc = f"[{address}]" if ":" in address else address
    if parts.port is not None:
        netloc += f":{parts.port}"
    return PinnedTarget(
        url=urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, "")),
        host_header=parts.netloc,
        sni_hostname=host if parts.scheme == "https" else None,
    )
