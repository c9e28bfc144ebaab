"""Webhooks in the embedded default (`make run`: SQLite, no Redis, no worker): the API process
fans events out and delivers them itself, signed and retried like the workers do."""

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, create_engine

from tests.e2e.processes import wait_for
from tests.e2e.servers import Server, free_port, start_api
from tests.e2e.webhooks.conftest import WEBHOOK_SETTINGS
from tests.e2e.webhooks.receiver import Receiver, running_receiver
from tests.factories.history import moved_to_week_of, scenario
from tests.factories.partners import PartnerApp, grant_directly, make_partner
from tests.factories.phone import Phone

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]

WITHIN_S = 30


@pytest.fixture(scope="module")
def embedded(tmp_path_factory) -> Iterator[tuple[Server, Engine]]:
    workdir: Path = tmp_path_factory.mktemp("embedded-hooks")
    database_url = f"sqlite:///{workdir}/var/posterior.db"
    env = {"DATABASE_URL": database_url, "REDIS_URL": "", "ENVIRONMENT": "embedded", **WEBHOOK_SETTINGS}
    server = start_api(env, workdir)
    engine = create_engine(database_url)
    yield server, engine
    engine.dispose()
    server.stop()


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    with running_receiver() as receiver:
        yield receiver


@pytest.fixture
def http(embedded) -> Iterator[httpx.Client]:
    server, _ = embedded
    with httpx.Client(base_url=server.base_url, timeout=30) as client:
        yield client


def endpoint_for(http: httpx.Client, partner: PartnerApp, url: str, events: list[str]) -> dict:
    created = http.post(
        "/v1/webhooks/endpoints", json={"url": url, "events": events}, headers=partner.headers
    )
    assert created.status_code == 201, created.text
    return created.json()


def test_a_ping_reaches_the_receiver_signed(embedded, http, receiver):
    _, engine = embedded
    partner = make_partner(engine)
    path = f"/ping/{uuid.uuid4().hex}"
    endpoint = endpoint_for(http, partner, receiver.url(path), ["workout.synced"])
    receiver.expect(path, secrets=[endpoint["secret"]])

    http.post(f"/v1/webhooks/endpoints/{endpoint['id']}/ping", headers=partner.headers).raise_for_status()

    (received,) = wait_for(lambda: receiver.received(path), timeout_s=WITHIN_S, what="the ping")
    assert received.verified
    assert json.loads(received.body)["type"] == "webhook.ping"


def test_an_imbalance_found_after_a_push_reaches_the_partner(embedded, http, receiver):
    _, engine = embedded
    phone = Phone(http)
    partner = make_partner(engine)
    grant_directly(engine, partner, phone.user_id, scopes=("insights:read",))
    path = f"/imbalances/{uuid.uuid4().hex}"
    endpoint = endpoint_for(http, partner, receiver.url(path), ["imbalance.detected"])
    receiver.expect(path, secrets=[endpoint["secret"]])

    phone.push_history(moved_to_week_of(scenario("3")))  # a quad-only lifter: hamstring alerts

    received = wait_for(lambda: receiver.received(path), timeout_s=WITHIN_S, what="an imbalance event")
    assert all(r.verified for r in received)
    bodies = [json.loads(r.body) for r in received]
    assert {b["type"] for b in bodies} == {"imbalance.detected"}
    assert {b["data"]["user_id"] for b in bodies} == {str(phone.user_id)}


def test_a_receiver_that_is_down_gets_the_event_once_it_is_back(embedded, http):
    _, engine = embedded
    partner = make_partner(engine)
    port, path = free_port(), "/late"
    endpoint = endpoint_for(http, partner, f"http://127.0.0.1:{port}{path}", ["workout.synced"])
    http.post(f"/v1/webhooks/endpoints/{endpoint['id']}/ping", headers=partner.headers).raise_for_status()

    def failed_once() -> bool:
        page = http.get(f"/v1/webhooks/endpoints/{endpoint['id']}/deliveries", headers=partner.headers).json()
        return bool(page["items"]) and page["items"][0]["status"] == "failed"

    wait_for(failed_once, timeout_s=WITHIN_S, what="a failed first attempt")
    back = Receiver()
    back.expect(path, secrets=[endpoint["secret"]])
    with running_receiver(back, port=port):
        (received,) = wait_for(lambda: back.received(path), timeout_s=WITHIN_S, what="the retry")
    assert received.verified
