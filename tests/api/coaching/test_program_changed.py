"""`program.changed`: the partner that assigned a program hears, through its webhook endpoints,
when the user edits it, swaps an exercise, accepts advice that adds to it, leaves it or deletes it
— while the user's grant covers programs:read. Nobody hears of programs the user made, nor of
changes the partner made itself."""

import json
import uuid

import pytest
from sqlalchemy.orm import Session, sessionmaker

from services.core.models import Grant
from services.core.models.base import utcnow
from services.core.usecases.deliveries import attempt, fan_out_event
from tests.api.insights.test_advice_lands import NORDICS
from tests.api.programs.test_programs import program_by_slug
from tests.api.programs.test_user_programs import a_program
from tests.e2e.webhooks.receiver import running_receiver
from tests.factories.partners import PartnerApp, an_insight, grant_directly, make_partner
from tests.factories.users import Account, register
from tests.factories.webhooks import create_endpoint, deliveries_of, event_rows

START = "2026-03-02"


@pytest.fixture
def coached(hooks_client, engine, partner):
    """A user following the program `partner` assigned, and the partner listening."""
    account = register(hooks_client)
    grant_directly(engine, partner, account.id)
    endpoint = create_endpoint(hooks_client, partner, events=["program.changed"])
    program = assign(hooks_client, partner, account)
    assert enroll(hooks_client, partner, account, program["id"]).status_code == 200
    return account, program, endpoint


def assign(client, partner: PartnerApp, account: Account) -> dict:
    response = client.post(f"/v1/users/{account.id}/programs", json=a_program(), headers=partner.headers)
    assert response.status_code == 201, response.text
    return response.json()


def enroll(client, partner: PartnerApp, account: Account, program_id: str):
    body = {"program_id": program_id, "start_date": START}
    return client.put(f"/v1/users/{account.id}/enrollment", json=body, headers=partner.headers)


def changes_of(engine, account: Account) -> list[dict]:
    return [row.payload for row in event_rows(engine, account.id, "program.changed")]


def fan_out_all(engine, settings, account: Account) -> None:
    for row in event_rows(engine, account.id, "program.changed"):
        with Session(engine, expire_on_commit=False) as session, session.begin():
            fan_out_event(session, row.id, utcnow(), settings)


def test_an_edit_of_an_assigned_program_is_told_to_its_partner(
    hooks_client, engine, hooks_settings, partner, coached
):
    account, program, endpoint = coached
    edited = hooks_client.patch(
        f"/v1/me/programs/{program['id']}", json={"name": "Mine now"}, headers=account.headers
    )
    assert edited.status_code == 200, edited.text

    assert changes_of(engine, account) == [
        {
            "user_id": str(account.id),
            "partner_id": str(partner.id),
            "program_id": program["id"],
            "revision": edited.json()["revision"],
            "change": "edited",
        }
    ]
    fan_out_all(engine, hooks_settings, account)
    [delivery] = deliveries_of(engine, endpoint["id"])
    assert delivery.payload["type"] == "program.changed"
    assert delivery.payload["data"]["change"] == "edited"


def test_a_substitution_in_an_assigned_program_is_told(hooks_client, engine, coached):
    account, program, _ = coached
    swapped = hooks_client.post(
        f"/v1/me/programs/{program['id']}/slots/A2/substitute",
        json={"exercise_id": "lying-leg-curl"},
        headers=account.headers,
    )
    assert swapped.status_code == 200, swapped.text
    assert [c["change"] for c in changes_of(engine, account)] == ["substituted"]


def test_accepted_advice_landing_in_an_assigned_program_is_told(hooks_client, engine, coached):
    account, program, _ = coached
    insight_id = an_insight(engine, account.id, recommendation=NORDICS)
    accepted = hooks_client.post(f"/v1/me/insights/{insight_id}/accept", headers=account.headers)
    assert accepted.json()["program_change"]["program_id"] == program["id"]
    assert [c["change"] for c in changes_of(engine, account)] == ["advice_landed"]


def test_leaving_and_then_deleting_an_assigned_program_are_told(hooks_client, engine, coached):
    account, program, _ = coached
    assert hooks_client.delete("/v1/me/enrollment", headers=account.headers).status_code == 204
    assert hooks_client.delete(f"/v1/me/programs/{program['id']}", headers=account.headers).status_code == 204
    assert [c["change"] for c in changes_of(engine, account)] == ["left", "deleted"]


def test_enrolling_in_another_program_leaves_the_assigned_one(hooks_client, engine, coached):
    account, _, _ = coached
    builder = program_by_slug(hooks_client, "posterior-chain-builder")
    enroll = {"program_id": builder["id"], "start_date": START}
    assert hooks_client.put("/v1/me/enrollment", json=enroll, headers=account.headers).status_code == 200
    assert [c["change"] for c in changes_of(engine, account)] == ["left"]


def test_the_partner_moving_the_user_itself_is_not_told_back(hooks_client, engine, partner, coached):
    account, _, _ = coached
    second = assign(hooks_client, partner, account)
    moved = enroll(hooks_client, partner, account, second["id"])
    assert moved.status_code == 200, moved.text
    assert changes_of(engine, account) == []


def test_a_program_the_user_made_is_nobodys_event(hooks_client, engine, partner, coached):
    account, _, _ = coached
    own = hooks_client.post("/v1/me/programs", json=a_program(), headers=account.headers).json()
    hooks_client.patch(f"/v1/me/programs/{own['id']}", json={"name": "x"}, headers=account.headers)
    assert changes_of(engine, account) == []


@pytest.mark.parametrize("scopes", [("programs:write",), None], ids=["without programs:read", "revoked"])
def test_without_a_live_grant_covering_programs_read_the_partner_is_not_told(
    hooks_client, engine, partner, scopes
):
    account = register(hooks_client)
    grant_id = grant_directly(engine, partner, account.id)
    create_endpoint(hooks_client, partner, events=["program.changed"])
    program = assign(hooks_client, partner, account)
    if scopes is None:
        assert hooks_client.delete(f"/v1/me/grants/{grant_id}", headers=account.headers).status_code == 204
    else:
        # Consenting again with fewer scopes narrows the grant (one grant per user and partner).
        with Session(engine) as session, session.begin():
            session.get_one(Grant, (account.id, grant_id)).scopes = list(scopes)
    hooks_client.patch(f"/v1/me/programs/{program['id']}", json={"name": "x"}, headers=account.headers)
    assert changes_of(engine, account) == []


def test_another_partner_never_hears_of_the_program(hooks_client, engine, hooks_settings, coached):
    account, program, endpoint = coached
    bystander = make_partner(engine)
    grant_directly(engine, bystander, account.id)
    theirs = create_endpoint(hooks_client, bystander, events=["program.changed"])
    hooks_client.patch(f"/v1/me/programs/{program['id']}", json={"name": "x"}, headers=account.headers)
    fan_out_all(engine, hooks_settings, account)
    assert len(deliveries_of(engine, endpoint["id"])) == 1
    assert deliveries_of(engine, theirs["id"]) == []


def test_the_event_reaches_the_partners_receiver_signed(hooks_client, engine, hooks_settings, partner):
    account = register(hooks_client)
    grant_directly(engine, partner, account.id)
    program = assign(hooks_client, partner, account)
    with running_receiver() as receiver:
        path = f"/{uuid.uuid4().hex}"
        endpoint = create_endpoint(hooks_client, partner, url=receiver.url(path), events=["program.changed"])
        receiver.expect(path, secrets=[endpoint["secret"]])
        assert (
            hooks_client.delete(f"/v1/me/programs/{program['id']}", headers=account.headers).status_code
            == 204
        )
        fan_out_all(engine, hooks_settings, account)
        [delivery] = deliveries_of(engine, endpoint["id"])
        assert attempt(sessionmaker(engine), delivery.id, 0, hooks_settings).result == "success"
        [received] = receiver.received(path)
    assert received.verified
    body = json.loads(received.body)
    assert (body["type"], body["data"]["change"], body["data"]["program_id"]) == (
        "program.changed",
        "deleted",
        program["id"],
    )
