"""A partner's webhook endpoints: created with a signing secret, listed, changed, rotated, deleted —
only with `webhooks:manage`, and only its own (another partner's endpoint is a 404)."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from services.api.webhooks.service import MAX_ENDPOINTS
from tests.factories.partners import make_partner, with_key
from tests.factories.webhooks import DEAD_URL, ENDPOINTS, create_endpoint, endpoint_row


def test_creating_an_endpoint_returns_its_signing_secret_once(hooks_client, partner):
    response = hooks_client.post(
        ENDPOINTS,
        json={"url": DEAD_URL, "events": ["deload.suggested", "imbalance.detected"], "description": "prod"},
        headers=partner.headers,
    )
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["secret"].startswith("whsec_")
    assert created["events"] == ["deload.suggested", "imbalance.detected"]
    assert (created["enabled"], created["consecutive_failures"], created["description"]) == (True, 0, "prod")
    assert response.headers["location"] == f"{ENDPOINTS}/{created['id']}"
    shown = hooks_client.get(f"{ENDPOINTS}/{created['id']}", headers=partner.headers).json()
    assert "secret" not in shown


def test_a_url_on_a_private_address_is_refused(client, partner):
    # `client` runs with the production default: private targets are not allowed.
    response = client.post(
        ENDPOINTS,
        json={"url": "https://169.254.169.254/latest", "events": ["workout.synced"]},
        headers=partner.headers,
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in response.json()["errors"]] == ["url"]
    assert "public host" in response.json()["errors"][0]["message"]


def test_plain_http_is_refused_in_production(client, partner):
    response = client.post(
        ENDPOINTS,
        json={"url": "http://partner.example.com/hook", "events": ["workout.synced"]},
        headers=partner.headers,
    )
    assert response.status_code == 422


@pytest.mark.parametrize(
    "body",
    [
        {"url": DEAD_URL, "events": ["user.logs_changed"]},
        {"url": DEAD_URL, "events": []},
        {"url": DEAD_URL},
        {"url": DEAD_URL, "events": ["workout.synced"], "secret": "whsec_mine"},
        {"url": "x" * 2001, "events": ["workout.synced"]},
        {"url": DEAD_URL, "events": ["workout.synced"], "description": "NUL\x00"},
    ],
)
def test_invalid_bodies_are_a_validation_problem(hooks_client, partner, body):
    response = hooks_client.post(ENDPOINTS, json=body, headers=partner.headers)
    assert response.status_code == 422
    assert response.json()["type"] == "/problems/validation-error"


def test_without_an_api_key_it_is_a_401(hooks_client):
    response = hooks_client.get(ENDPOINTS)
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"


def test_a_key_without_webhooks_manage_is_a_403(hooks_client, engine, partner):
    reader = with_key(engine, partner, scopes=("insights:read",))
    response = hooks_client.get(ENDPOINTS, headers=reader.headers)
    assert response.status_code == 403
    assert response.json()["required_scope"] == "webhooks:manage"


def test_endpoints_are_listed_oldest_first_in_cursor_pages(hooks_client, partner):
    ids = [create_endpoint(hooks_client, partner)["id"] for _ in range(3)]
    first = hooks_client.get(ENDPOINTS, params={"limit": 2}, headers=partner.headers).json()
    rest = hooks_client.get(
        ENDPOINTS, params={"limit": 2, "cursor": first["next_cursor"]}, headers=partner.headers
    ).json()
    assert [e["id"] for e in first["items"] + rest["items"]] == ids
    assert rest["next_cursor"] is None
    assert all("secret" not in e for e in first["items"])


def test_a_partner_lists_only_its_own_endpoints(hooks_client, partner, other_partner):
    create_endpoint(hooks_client, other_partner)
    assert hooks_client.get(ENDPOINTS, headers=partner.headers).json()["items"] == []


def test_a_partner_has_a_bounded_number_of_endpoints(hooks_client, engine):
    crowded = make_partner(engine)
    for _ in range(MAX_ENDPOINTS):
        create_endpoint(hooks_client, crowded)
    response = hooks_client.post(
        ENDPOINTS, json={"url": DEAD_URL, "events": ["workout.synced"]}, headers=crowded.headers
    )
    assert response.status_code == 409


def test_an_endpoint_can_change_its_url_events_and_description(hooks_client, partner):
    endpoint = create_endpoint(hooks_client, partner)
    patch = {
        "url": "http://127.0.0.1:9/other",
        "events": ["workout.synced", "grant.revoked"],
        "description": "new",
    }
    response = hooks_client.patch(f"{ENDPOINTS}/{endpoint['id']}", json=patch, headers=partner.headers)
    assert response.status_code == 200, response.text
    assert {k: response.json()[k] for k in patch} == patch


def test_a_partner_can_disable_and_re_enable_an_endpoint(hooks_client, engine, partner):
    endpoint = create_endpoint(hooks_client, partner)
    url = f"{ENDPOINTS}/{endpoint['id']}"
    disabled = hooks_client.patch(url, json={"enabled": False}, headers=partner.headers).json()
    assert (disabled["enabled"], disabled["disabled_reason"]) == (False, "Disabled by the partner")
    assert disabled["disabled_at"] is not None
    enabled = hooks_client.patch(url, json={"enabled": True}, headers=partner.headers).json()
    assert (enabled["enabled"], enabled["disabled_at"], enabled["disabled_reason"]) == (True, None, None)
    assert endpoint_row(engine, endpoint["id"]).failing_since is None


def test_a_deleted_endpoint_is_gone(hooks_client, partner):
    endpoint = create_endpoint(hooks_client, partner)
    assert hooks_client.delete(f"{ENDPOINTS}/{endpoint['id']}", headers=partner.headers).status_code == 204
    assert hooks_client.get(f"{ENDPOINTS}/{endpoint['id']}", headers=partner.headers).status_code == 404


def test_rotating_the_secret_keeps_the_previous_one_signing_for_a_day(hooks_client, engine, partner):
    endpoint = create_endpoint(hooks_client, partner)
    response = hooks_client.post(f"{ENDPOINTS}/{endpoint['id']}/rotate-secret", headers=partner.headers)
    assert response.status_code == 200, response.text
    rotated = response.json()
    assert rotated["secret"].startswith("whsec_")
    assert rotated["secret"] != endpoint["secret"]
    expires = datetime.fromisoformat(rotated["previous_secret_expires_at"])
    assert abs(expires - (datetime.now(UTC) + timedelta(hours=24))) < timedelta(minutes=1)
    row = endpoint_row(engine, endpoint["id"])
    assert (row.secret, row.previous_secret) == (rotated["secret"], endpoint["secret"])


OPERATIONS = [
    ("GET", "{endpoint}"),
    ("PATCH", "{endpoint}"),
    ("DELETE", "{endpoint}"),
    ("POST", "{endpoint}/rotate-secret"),
    ("POST", "{endpoint}/ping"),
    ("GET", "{endpoint}/deliveries"),
    ("GET", "{endpoint}/deliveries/{delivery}"),
    ("POST", "{endpoint}/deliveries/{delivery}/replay"),
]


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_another_partners_endpoint_looks_exactly_like_a_missing_one(
    hooks_client, partner, other_partner, method, path
):
    theirs = create_endpoint(hooks_client, other_partner)
    delivery = hooks_client.post(f"{ENDPOINTS}/{theirs['id']}/ping", headers=other_partner.headers).json()

    def call(endpoint_id: str) -> dict:
        url = f"{ENDPOINTS}/" + path.format(endpoint=endpoint_id, delivery=delivery["id"])
        json = {"description": "mine now"} if method == "PATCH" else None
        response = hooks_client.request(method, url, json=json, headers=partner.headers)
        assert response.status_code == 404, response.text
        body = response.json()
        return {k: v for k, v in body.items() if k not in ("instance", "request_id")} | {
            "detail": body["detail"].replace(endpoint_id, "ID")
        }

    assert call(theirs["id"]) == call(str(uuid.uuid4()))
    row = endpoint_row(hooks_client.app.state.engine, theirs["id"])
    assert (row.description, row.enabled) == ("", True)
