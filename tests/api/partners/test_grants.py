"""A user's grants: listed, re-consented, revoked (and the partner told through the outbox)."""

import uuid

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.core.models import OutboxEvent
from tests.factories.partners import grant_access, make_partner
from tests.factories.users import register


@pytest.fixture(scope="module")
def partner(engine):
    return make_partner(engine, name="Hamstring Coach")


def grants_of(client, account) -> list[dict]:
    response = client.get("/v1/me/grants", headers=account.headers)
    assert response.status_code == 200, response.text
    return response.json()["items"]


def test_grants_are_listed_with_the_partner_and_the_scopes(client, partner):
    account = register(client)
    activated = grant_access(client, partner, account, scopes=("workouts:read", "insights:read"))
    [listed] = grants_of(client, account)
    assert listed["id"] == activated["grant_id"]
    assert (listed["partner_id"], listed["partner_name"]) == (str(partner.id), "Hamstring Coach")
    assert listed["scopes"] == ["workouts:read", "insights:read"]


def test_another_users_grants_are_not_listed(client, partner):
    grant_access(client, partner, register(client))
    assert grants_of(client, register(client)) == []


def test_consenting_again_replaces_the_scopes_of_the_same_grant(client, partner):
    account = register(client)
    first = grant_access(client, partner, account, scopes=("workouts:read",))
    second = grant_access(client, partner, account, scopes=("insights:read",))
    assert second["grant_id"] == first["grant_id"]
    assert [g["scopes"] for g in grants_of(client, account)] == [["insights:read"]]


def test_grant_pages_follow_the_cursor(client, engine):
    account = register(client)
    for _ in range(3):
        grant_access(client, make_partner(engine), account, scopes=("workouts:read",))
    first = client.get("/v1/me/grants", params={"limit": 2}, headers=account.headers).json()
    rest = client.get(
        "/v1/me/grants", params={"cursor": first["next_cursor"]}, headers=account.headers
    ).json()
    assert len(first["items"]) == 2
    assert len(rest["items"]) == 1
    assert rest["next_cursor"] is None


def test_revoking_a_grant_ends_the_partners_access_to_the_user(client, partner):
    account = register(client)
    grant_id = grant_access(client, partner, account)["grant_id"]
    assert client.get(f"/v1/users/{account.id}/workouts", headers=partner.headers).status_code == 200
    assert client.delete(f"/v1/me/grants/{grant_id}", headers=account.headers).status_code == 204
    assert client.get(f"/v1/users/{account.id}/workouts", headers=partner.headers).status_code == 404
    assert grants_of(client, account) == []


def test_revoking_a_grant_writes_a_grant_revoked_outbox_row(client, engine, partner):
    account = register(client)
    grant_id = grant_access(client, partner, account)["grant_id"]
    client.delete(f"/v1/me/grants/{grant_id}", headers=account.headers)
    with Session(engine) as session:
        rows = session.scalars(
            select(OutboxEvent).where(OutboxEvent.user_id == account.id, OutboxEvent.topic == "grant.revoked")
        ).all()
    assert [(r.payload["grant_id"], r.payload["partner_id"]) for r in rows] == [(grant_id, str(partner.id))]


def test_revoking_another_users_grant_is_a_404_and_leaves_it_active(client, partner):
    owner, other = register(client), register(client)
    grant_id = grant_access(client, partner, owner)["grant_id"]
    response = client.delete(f"/v1/me/grants/{grant_id}", headers=other.headers)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert client.get(f"/v1/users/{owner.id}/workouts", headers=partner.headers).status_code == 200


def test_revoking_an_unknown_grant_is_a_404(client):
    assert client.delete(f"/v1/me/grants/{uuid.uuid4()}", headers=register(client).headers).status_code == 404
