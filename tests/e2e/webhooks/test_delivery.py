"""Signed webhooks end to end: a push through the API, beat's relay, a Celery worker that
recomputes, fans the events out and POSTs them to a receiver on 127.0.0.1, which verifies every
signature with the `standardwebhooks` package — as a partner would."""

import itertools
import json
import re
import uuid
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from services.core.models import WebhookEndpoint
from tests.e2e.processes import wait_for
from tests.e2e.servers import free_port
from tests.e2e.webhooks.receiver import Receiver, running_receiver
from tests.factories.history import moved_to_week_of, scenario
from tests.factories.partners import PartnerApp, grant_directly, make_partner
from tests.factories.phone import Phone
from tests.factories.rows import insight_rows
from tests.factories.sync import a_set, a_workout, changes
from tests.factories.webhooks import ENDPOINTS, create_endpoint, deliveries_of

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]

WITHIN_S = 60


def subscribed(api, engine, user_id, *, url: str, events: list[str], scopes: tuple[str, ...]):
    partner = make_partner(engine)
    grant_directly(engine, partner, user_id, scopes=scopes)
    return partner, create_endpoint(api, partner, url=url, events=events)


def all_succeeded(engine, endpoint_id: str, count: int) -> bool:
    deliveries = deliveries_of(engine, endpoint_id)
    return len(deliveries) == count and all(d.status == "succeeded" for d in deliveries)


def push_workout(phone: Phone) -> None:
    workout = a_workout()
    response = phone.push(changes(workouts=[workout], sets=[a_set(workout["id"])]))
    assert response.status_code == 200, response.text


def test_an_imbalance_found_after_a_push_reaches_the_partner_signed(stack, api, hooks_engine, receiver):
    phone = Phone(api, timezone="Europe/Berlin")
    path = f"/imbalances/{uuid.uuid4().hex}"
    _, endpoint = subscribed(
        api,
        hooks_engine,
        phone.user_id,
        url=receiver.url(path),
        events=["imbalance.detected"],
        scopes=("insights:read",),
    )
    receiver.expect(path, secrets=[endpoint["secret"]])

    phone.push_history(moved_to_week_of(scenario("3")))  # a quad-only lifter: hamstring alerts

    def imbalances() -> list:
        rows = [i for i in insight_rows(hooks_engine, phone.user_id) if i.kind.startswith("imbalance.")]
        return rows if rows and all_succeeded(hooks_engine, endpoint["id"], len(rows)) else []

    found = wait_for(imbalances, timeout_s=WITHIN_S, what="every imbalance delivered")
    received = receiver.received(path)
    assert all(r.verified for r in received)
    bodies = [json.loads(r.body) for r in received]
    assert {b["type"] for b in bodies} == {"imbalance.detected"}
    assert sorted(b["data"]["insight"]["id"] for b in bodies) == sorted(i.id for i in found)
    assert all(
        b["data"]["insight"]["explanation"] and b["data"]["user_id"] == str(phone.user_id) for b in bodies
    )
    assert [r.event_id for r in received] == [b["id"] for b in bodies]
    assert len({r.event_id for r in received}) == len(found)


def test_a_receiver_that_is_down_gets_each_event_exactly_once_when_it_is_back(stack, api, hooks_engine):
    phone = Phone(api)
    port = free_port()  # nothing listens here yet: connections are refused
    path = "/workouts"
    _, endpoint = subscribed(
        api,
        hooks_engine,
        phone.user_id,
        url=f"http://127.0.0.1:{port}{path}",
        events=["workout.synced"],
        scopes=("workouts:read",),
    )
    push_workout(phone)
    push_workout(phone)

    def retried() -> bool:
        # Two attempts made and failed: the second is over when its delivery waits for a retry
        # rather than for the lease (25 s) of an attempt in flight.
        deliveries = deliveries_of(hooks_engine, endpoint["id"])
        return len(deliveries) == 2 and all(
            d.attempts >= 2
            and d.status == "failed"
            and d.next_attempt_at - d.last_attempt_at < timedelta(seconds=10)
            for d in deliveries
        )

    wait_for(retried, timeout_s=WITHIN_S, what="two failed attempts of each event")
    assert {d.last_error.split(":")[0] for d in deliveries_of(hooks_engine, endpoint["id"])} == {
        "ConnectError"
    }

    back = Receiver()
    back.expect(path, secrets=[endpoint["secret"]])
    with running_receiver(back, port=port):
        wait_for(
            lambda: all_succeeded(hooks_engine, endpoint["id"], 2), timeout_s=WITHIN_S, what="both delivered"
        )
        received = back.received(path)
    deliveries = deliveries_of(hooks_engine, endpoint["id"])
    assert Counter(r.event_id for r in received) == Counter({d.event_id: 1 for d in deliveries})
    assert all(r.verified and json.loads(r.body)["type"] == "workout.synced" for r in received)
    for delivery in deliveries:
        assert delivery.attempts >= 3
        # Backoff: the first two retries waited at least 0.5 s and 1 s.
        assert (delivery.last_attempt_at - delivery.created_at).total_seconds() >= 1.5


def test_a_receiver_that_always_fails_gets_its_endpoint_disabled_and_a_replay_once_fixed(
    stack, api, hooks_engine, receiver
):
    partner: PartnerApp = make_partner(hooks_engine)
    path = f"/broken/{uuid.uuid4().hex}"
    endpoint = create_endpoint(api, partner, url=receiver.url(path), events=["grant.revoked"])
    receiver.expect(path, secrets=[endpoint["secret"]], answer=lambda _r, _n: 500)
    ping = api.post(f"{ENDPOINTS}/{endpoint['id']}/ping", headers=partner.headers).json()

    def disabled() -> bool:
        with Session(hooks_engine) as session:
            return not session.get_one(WebhookEndpoint, uuid.UUID(endpoint["id"])).enabled

    wait_for(disabled, timeout_s=WITHIN_S, what="the endpoint to be disabled")
    shown = api.get(f"{ENDPOINTS}/{endpoint['id']}", headers=partner.headers).json()
    assert shown["enabled"] is False
    received = receiver.received(path)
    assert len(received) >= 4  # 3 failures in a row, spanning 4 s: 0.5 + 1 + 2 s of backoff and more
    assert f"{len(received)} failed attempts in a row" in shown["disabled_reason"]
    assert all((r.event_id, r.status, r.verified) == (ping["event_id"], 500, True) for r in received)
    gaps = [later.at - earlier.at for earlier, later in itertools.pairwise(received)]
    assert [gap >= wait for gap, wait in zip(gaps, (0.5, 1.0, 2.0), strict=False)] == [True, True, True]
    log = api.get(f"{ENDPOINTS}/{endpoint['id']}/deliveries", headers=partner.headers).json()["items"]
    assert [(d["id"], d["status"], d["attempts"], d["last_status_code"]) for d in log] == [
        (ping["id"], "dead", len(received), 500)
    ]

    metrics = stack.worker.metrics()
    assert _counter(metrics, "disabled") >= 1
    assert _counter(metrics, "failure") >= len(received)

    # Fixed, re-enabled and replayed: the same event, once more, and this time it lands.
    receiver.expect(path, secrets=[endpoint["secret"]])
    api.patch(
        f"{ENDPOINTS}/{endpoint['id']}", json={"enabled": True}, headers=partner.headers
    ).raise_for_status()
    replay = api.post(f"{ENDPOINTS}/{endpoint['id']}/deliveries/{ping['id']}/replay", headers=partner.headers)
    assert replay.status_code == 202, replay.text
    failed = len(received)
    wait_for(lambda: len(receiver.received(path)) == failed + 1, timeout_s=WITHIN_S, what="the replay")
    last = receiver.received(path)[-1]
    assert (last.event_id, last.status, last.verified) == (ping["event_id"], 200, True)
    wait_for(
        lambda: all_succeeded(hooks_engine, endpoint["id"], 1), timeout_s=WITHIN_S, what="the replay recorded"
    )
    assert _counter(stack.worker.metrics(), "success") >= 1


def _counter(metrics: str, result: str) -> float:
    found = re.search(rf'^posterior_webhook_deliveries_total\{{result="{result}"\}} (\S+)$', metrics, re.M)
    return float(found.group(1)) if found else 0.0
