"""Webhook deliveries as plain functions on a session, shared by the Celery tasks
(services/worker/tasks/webhooks.py) and the embedded runner (services/core/usecases/jobs.py).

`fan_out_event` turns an event's outbox row into one delivery per subscribed endpoint;
`attempt` makes one signed attempt of a delivery: it is claimed in one short transaction and
recorded in another, so no database transaction stays open during the HTTP call. The claim is
guarded by the delivery's attempt count: a duplicated or redelivered message finds the count moved
on and does nothing. A runner lost mid-attempt leaves a lease that expires, and the delivery is
handed out again (`hand_out_due`).
"""

import asyncio
import logging
import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

import httpx
from sqlalchemy.orm import Session, sessionmaker

from services.core.models import WebhookEndpoint
from services.core.models.base import utcnow
from services.core.repositories import webhooks as repository
from services.core.settings import Settings
from services.core.webhooks import events, schedule, signing, targets

log = logging.getLogger(__name__)

USER_AGENT = "Posterior-Webhooks/1"


@dataclass(frozen=True, slots=True)
class Attempt:
    delivery_id: uuid.UUID
    endpoint_id: uuid.UUID
    number: int  # the delivery's attempt count once this attempt was claimed
    started_at: datetime
    url: str
    event_id: str
    body: bytes
    secrets: list[str]


@dataclass(frozen=True, slots=True)
class Outcome:
    status_code: int | None
    error: str | None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


@dataclass(frozen=True, slots=True)
class Attempted:
    result: str  # skipped | success | failure | disabled | stale
    outcome: Outcome | None  # None when skipped


def attempt(
    factory: sessionmaker[Session], delivery_id: uuid.UUID, attempts: int, settings: Settings
) -> Attempted:
    """One attempt of a delivery that had made `attempts` attempts when it was handed out."""
    with factory.begin() as session:
        claimed = claim(session, delivery_id, attempts, utcnow(), settings)
    if claimed is None:
        return Attempted("skipped", None)
    outcome = send(claimed, settings)
    with factory.begin() as session:
        result = record(session, claimed, outcome, utcnow(), settings)
    log.info(
        "webhook attempt",
        extra={
            "delivery_id": str(delivery_id),
            "endpoint_id": str(claimed.endpoint_id),
            "host": urlsplit(claimed.url).hostname,  # the runbook's first question: one partner or all?
            "attempt": claimed.number,
            "status_code": outcome.status_code,
            "error": outcome.error,
            "result": result,
        },
    )
    return Attempted(result, outcome)


def fan_out_event(session: Session, outbox_id: int, now: datetime, settings: Settings) -> list[uuid.UUID]:
    """Creates the event's deliveries and marks its outbox row processed; a row already processed
    (a redelivered message) creates nothing."""
    row = repository.lock_event(session, outbox_id)
    if row is None or row.processed_at is not None or row.topic not in events.EVENT_TYPES:
        return []
    partner_id = row.payload.get("partner_id") if row.topic in events.ADDRESSED_EVENTS else None
    endpoints = repository.recipients(
        session,
        event_type=row.topic,
        user_id=row.user_id,
        partner_id=uuid.UUID(partner_id) if partner_id else None,
    )
    event_id = events.event_id_for_outbox(row.id)
    created = repository.add_deliveries(
        session,
        endpoint_ids=[e.id for e in endpoints],
        event_id=event_id,
        event_type=row.topic,
        payload=events.envelope(
            event_id=event_id, event_type=row.topic, occurred_at=row.created_at, data=row.payload
        ),
        now=now,
        next_attempt_at=now + schedule.attempt_lease(settings),
    )
    row.processed_at = now
    return created


def claim(
    session: Session, delivery_id: uuid.UUID, expected_attempts: int, now: datetime, settings: Settings
) -> Attempt | None:
    delivery = repository.lock_delivery(session, delivery_id, skip_locked=True)
    if delivery is None or delivery.status not in repository.OUTSTANDING:
        return None
    if delivery.attempts != expected_attempts:
        return None  # a duplicate message: another worker made (or is making) this attempt
    endpoint = session.get(WebhookEndpoint, delivery.endpoint_id)
    if endpoint is None or not endpoint.enabled:
        delivery.status, delivery.next_attempt_at, delivery.last_error = "dead", None, "endpoint disabled"
        return None
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.next_attempt_at = now + schedule.attempt_lease(settings)
    return Attempt(
        delivery_id=delivery.id,
        endpoint_id=endpoint.id,
        number=delivery.attempts,
        started_at=now,
        url=endpoint.url,
        event_id=delivery.event_id,
        body=events.encode_body(delivery.payload),
        secrets=signing.signing_secrets(endpoint, now),
    )


def send(attempt: Attempt, settings: Settings) -> Outcome:
    """POSTs the signed body; only the status line is read (a receiver's body could be anything)."""
    try:
        target = targets.pin(attempt.url, allow_private=settings.webhook_allow_private_targets)
    except targets.UnsafeTarget as exc:
        return Outcome(None, f"refused: {exc}"[:500])
    headers = signing.signed_headers(
        attempt.secrets, msg_id=attempt.event_id, timestamp=int(time.time()), body=attempt.body
    ) | {"host": target.host_header, "user-agent": USER_AGENT}
    extensions = {"sni_hostname": target.sni_hostname} if target.sni_hostname else None
    try:
        status = asyncio.run(_post(target.url, attempt.body, headers, extensions, settings.webhook_timeout_s))
    except (TimeoutError, httpx.TimeoutException):
        return Outcome(None, f"timed out after {settings.webhook_timeout_s:g} s")
    except httpx.HTTPError as exc:
        return Outcome(None, f"{type(exc).__name__}: {exc}"[:500])
    return Outcome(status, None if 200 <= status < 300 else f"HTTP {status}")


async def _post(
    url: str, body: bytes, headers: dict[str, str], extensions: dict[str, str] | None, timeout_s: float
) -> int:
    # httpx times each connect, write and read on its own; the deadline bounds the whole attempt,
    # so a receiver trickling its answer a byte at a time cannot hold a worker for minutes.
    async with asyncio.timeout(timeout_s):
        # No redirects (a 3xx is a failure: following it would skip the address check) and no
        # proxies from the environment (they would connect by name, after our check).
        async with (
            httpx.AsyncClient(timeout=timeout_s, follow_redirects=False, trust_env=False) as client,
            client.stream("POST", url, content=body, headers=headers, extensions=extensions) as response,
        ):
            return response.status_code


def record(session: Session, attempt: Attempt, outcome: Outcome, now: datetime, settings: Settings) -> str:
    """Success, or a retry on the backoff schedule (dead once it runs out); disables the endpoint
    after persistent failure. Returns success | failure | disabled | stale."""
    endpoint = repository.lock_endpoint(session, attempt.endpoint_id)  # endpoint first, then delivery
    delivery = repository.lock_delivery(session, attempt.delivery_id)
    if endpoint is None or delivery is None:
        return "stale"  # deleted meanwhile
    if delivery.attempts != attempt.number or delivery.status not in repository.OUTSTANDING:
        return "stale"
    delivery.last_status_code, delivery.last_error = outcome.status_code, outcome.error
    if outcome.ok:
        delivery.status, delivery.next_attempt_at = "succeeded", None
        endpoint.consecutive_failures, endpoint.failing_since = 0, None
        return "success"
    endpoint.consecutive_failures += 1
    endpoint.failing_since = endpoint.failing_since or attempt.started_at
    delay = schedule.next_retry_delay(delivery.attempts, settings)
    if delay is None:
        delivery.status, delivery.next_attempt_at = "dead", None
    else:
        delivery.status, delivery.next_attempt_at = "failed", now + delay
    if endpoint.enabled and schedule.should_disable(
        consecutive_failures=endpoint.consecutive_failures,
        failing_since=endpoint.failing_since,
        now=now,
        settings=settings,
    ):
        reason = (
            f"Disabled after {endpoint.consecutive_failures} failed attempts in a row since "
            f"{events.rfc3339(endpoint.failing_since)}; the last one: {outcome.error}"
        )
        repository.disable_endpoint(session, endpoint, now=now, reason=reason)
        log.warning("webhook endpoint disabled", extra={"endpoint_id": str(endpoint.id), "reason": reason})
        return "disabled"
    return "failure"
