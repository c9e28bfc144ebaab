"""The delivery log of an endpoint: pings, listing, one delivery, and replays."""

import uuid

from sqlalchemy import update
from sqlalchemy.orm import Session

from services.core.models import WebhookDelivery
from tests.factories.webhooks import ENDPOINTS, create_endpoint, delivery_row, ping


def deliveries_url(endpoint: dict) -> str:
    return f"{ENDPOINTS}/{endpoint['id']}/deliveries"


def set_status(engine, delivery_id: str, status: str) -> None:
    with Session(engine) as session:
        session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.id == uuid.UUID(delivery_id))
            .values(status=status, attempts=3, next_attempt_at=None)
        )
        session.commit()


def test_a_ping_is_a_signed_delivery_due_now_whatever_the_endpoint_subscribed_to(hooks_client, partner):
    endpoint = create_endpoint(hooks_client, partner, events=["grant.revoked"])
    delivery = ping(hooks_client, partner, endpoint["id"])
    assert (delivery["event_type"], delivery["status"], delivery["attempts"]) == (
        "webhook.ping",
        "pending",
        0,
    )
    assert delivery["event_id"].startswith("evt_")
    assert delivery["payload"]["type"] == "webhook.ping"
    assert delivery["payload"]["id"] == delivery["event_id"]
    assert delivery["payload"]["data"]["endpoint_id"] == endpoint["id"]
    assert delivery["next_attempt_at"] is not None


def test_pings_show_up_in_the_log_newest_first_in_cursor_pages(hooks_client, partner):
    endpoint = create_endpoint(hooks_client, partner)
    ids = [ping(hooks_client, partner, endpoint["id"])["id"] for _ in range(3)]
    first = hooks_client.get(deliveries_url(endpoint), params={"limit": 2}, headers=partner.headers).json()
    rest = hooks_client.get(
        deliveries_url(endpoint), params={"limit": 2, "cursor": first["next_cursor"]}, headers=partner.headers
    ).json()
    assert [d["id"] for d in first["items"] + rest["items"]] == ids[::-1]
    assert rest["next_cursor"] is None


def test_the_log_can_be_filtered_by_status(hooks_client, engine, partner):
    endpoint = create_endpoint(hooks_client, partner)
    dead, pending = (ping(hooks_client, partner, endpoint["id"]) for _ in range(2))
    set_status(engine, dead["id"], "dead")
    listed = hooks_client.get(
        deliveries_url(endpoint), params={"status": "dead"}, headers=partner.headers
    ).json()
    assert [d["id"] for d in listed["items"]] == [dead["id"]]
    assert pending["status"] == "pending"


def test_one_delivery_is_shown_with_its_payload(hooks_client, partner):
    endpoint = create_endpoint(hooks_client, partner)
    delivery = ping(hooks_client, partner, endpoint["id"])
    shown = hooks_client.get(f"{deliveries_url(endpoint)}/{delivery['id']}", headers=partner.headers)
    assert shown.status_code == 200
    assert shown.json() == delivery | {"updated_at": shown.json()["updated_at"]}


def test_a_delivery_of_another_endpoint_of_the_same_partner_is_a_404(hooks_client, partner):
    one, other = create_endpoint(hooks_client, partner), create_endpoint(hooks_client, partner)
    delivery = ping(hooks_client, partner, one["id"])
    response = hooks_client.get(f"{deliveries_url(other)}/{delivery['id']}", headers=partner.headers)
    assert response.status_code == 404


def test_a_dead_delivery_can_be_replayed_with_the_same_event_and_a_fresh_schedule(
    hooks_client, engine, partner
):
    endpoint = create_endpoint(hooks_client, partner)
    delivery = ping(hooks_client, partner, endpoint["id"])
    set_status(engine, delivery["id"], "dead")
    response = hooks_client.post(
        f"{deliveries_url(endpoint)}/{delivery['id']}/replay", headers=partner.headers
    )
    assert response.status_code == 202, response.text
    replayed = response.json()
    assert (replayed["status"], replayed["attempts"], replayed["event_id"]) == (
        "pending",
        0,
        delivery["event_id"],
    )
    assert delivery_row(engine, delivery["id"]).payload == delivery["payload"]


def test_a_delivery_still_being_retried_is_not_replayed(hooks_client, partner):
    endpoint = create_endpoint(hooks_client, partner)
    delivery = ping(hooks_client, partner, endpoint["id"])
    response = hooks_client.post(
        f"{deliveries_url(endpoint)}/{delivery['id']}/replay", headers=partner.headers
    )
    assert response.status_code == 409
    assert response.json()["type"] == "/problems/conflict"


def test_a_disabled_endpoint_is_neither_pinged_nor_replayed(hooks_client, engine, partner):
    endpoint = create_endpoint(hooks_client, partner)
    delivery = ping(hooks_client, partner, endpoint["id"])
    hooks_client.patch(f"{ENDPOINTS}/{endpoint['id']}", json={"enabled": False}, headers=partner.headers)
    assert delivery_row(engine, delivery["id"]).status == "dead"  # disabling gives up what was outstanding
    assert hooks_client.post(f"{ENDPOINTS}/{endpoint['id']}/ping", headers=partner.headers).status_code == 409
    replay = hooks_client.post(f"{deliveries_url(endpoint)}/{delivery['id']}/replay", headers=partner.headers)
    assert replay.status_code == 409
