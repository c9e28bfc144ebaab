"""Coaches: a partner with `programs:write` makes a program for a user and enrolls them in it; the
user sees who assigned it and may edit, leave or delete it. Another user's, the user's own and
another coach's programs are out of the partner's reach (404)."""

import uuid

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.core.models import Program
from tests.api.programs.test_programs import program_by_slug
from tests.api.programs.test_user_programs import a_program
from tests.factories.partners import PartnerApp, grant_directly, make_partner, open_consent_page, pkce_pair
from tests.factories.users import Account, register

BUILDER = "posterior-chain-builder"
START = "2026-03-02"


@pytest.fixture
def athlete(client, engine, partner) -> Account:
    account = register(client)
    grant_directly(engine, partner, account.id)
    return account


def assign(client, partner: PartnerApp, account: Account, body: dict, **headers: str):
    return client.post(f"/v1/users/{account.id}/programs", json=body, headers=partner.headers | headers)


def assigned(client, partner: PartnerApp, account: Account) -> dict:
    response = assign(client, partner, account, a_program(name="Coach's hinge block"))
    assert response.status_code == 201, response.text
    return response.json()


def enroll(client, partner: PartnerApp, account: Account, program_id: str):
    return client.put(
        f"/v1/users/{account.id}/enrollment",
        json={"program_id": program_id, "start_date": START},
        headers=partner.headers,
    )


def programs_of(engine, account: Account) -> int:
    with Session(engine) as session:
        stmt = select(func.count()).select_from(Program).where(Program.owner_id == account.id)
        return session.scalar(stmt) or 0


def test_a_coach_makes_a_program_that_the_user_owns_and_that_names_the_coach(
    client, engine, partner, athlete
):
    program = assigned(client, partner, athlete)

    [mine] = client.get("/v1/me/programs", headers=athlete.headers).json()["items"]
    assert mine["id"] == program["id"]
    assert mine["name"] == "Coach's hinge block"
    assert mine["assigned_by"]["partner_id"] == str(partner.id)
    assert mine["assigned_by"]["name"].startswith("Partner ")
    assert program["assigned_by"] == mine["assigned_by"]
    assert not mine["enrolled"]


def test_a_coach_may_copy_a_starter_for_the_user(client, partner, athlete):
    builder = program_by_slug(client, BUILDER)
    response = assign(
        client, partner, athlete, {"name": "Builder, coached", "source_program_id": builder["id"]}
    )
    assert response.status_code == 201, response.text
    assert response.json()["source_program_id"] == builder["id"]
    assert response.json()["assigned_by"]["partner_id"] == str(partner.id)


def test_a_coach_may_not_copy_a_program_the_user_made(client, engine, partner, athlete):
    own = client.post("/v1/me/programs", json=a_program(), headers=athlete.headers).json()
    response = assign(client, partner, athlete, {"name": "Taken", "source_program_id": own["id"]})
    assert response.status_code == 404, response.text
    assert programs_of(engine, athlete) == 1


def test_an_invalid_program_is_a_422_naming_each_field_and_stores_nothing(client, engine, partner, athlete):
    body = a_program()
    body["days"][0]["slots"][0] |= {"rep_min": 12, "rep_max": 6, "exercise_id": "no-such-exercise"}
    response = assign(client, partner, athlete, body)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    fields = {error["field"] for error in response.json()["errors"]}
    assert any(field.startswith("days.0.slots.0") for field in fields), fields
    assert programs_of(engine, athlete) == 0


def test_a_program_without_days_is_a_422(client, partner, athlete):
    response = assign(client, partner, athlete, {"name": "Empty", "days": []})
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == ["days"]


def test_the_same_idempotency_key_makes_one_program(client, engine, partner, athlete):
    body = a_program()
    first = assign(client, partner, athlete, body, **{"Idempotency-Key": str(uuid.uuid4())})
    key = {"Idempotency-Key": first.request.headers["Idempotency-Key"]}
    again = assign(client, partner, athlete, body, **key)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert programs_of(engine, athlete) == 1


def test_a_coach_enrolls_the_user_in_the_program_it_assigned(client, partner, athlete):
    program = assigned(client, partner, athlete)
    response = enroll(client, partner, athlete, program["id"])
    assert response.status_code == 200, response.text

    mine = client.get("/v1/me/enrollment", headers=athlete.headers).json()
    assert mine == {"program_id": program["id"], "program_name": "Coach's hinge block", "start_date": START}
    next_session = client.get("/v1/me/next-session", headers=athlete.headers).json()
    assert next_session["program_id"] == program["id"]


def test_a_coach_may_enroll_the_user_in_a_starter(client, partner, athlete):
    builder = program_by_slug(client, BUILDER)
    assert enroll(client, partner, athlete, builder["id"]).status_code == 200


def test_a_program_the_user_made_is_a_404_to_the_coach(client, partner, athlete):
    own = client.post("/v1/me/programs", json=a_program(), headers=athlete.headers).json()
    response = enroll(client, partner, athlete, own["id"])
    assert response.status_code == 404, response.text
    assert client.get("/v1/me/enrollment", headers=athlete.headers).status_code == 404


def test_a_program_another_coach_assigned_is_a_404_to_the_coach(client, engine, partner, athlete):
    other_coach = make_partner(engine)
    grant_directly(engine, other_coach, athlete.id)
    theirs = assigned(client, other_coach, athlete)
    response = enroll(client, partner, athlete, theirs["id"])
    assert response.status_code == 404, response.text
    assert response.json()["type"] == "/problems/not-found"


def test_a_program_assigned_to_another_user_is_a_404(client, engine, partner, athlete):
    other = register(client)
    grant_directly(engine, partner, other.id)
    theirs = assigned(client, partner, other)
    assert enroll(client, partner, athlete, theirs["id"]).status_code == 404


def test_an_enrollment_without_a_start_date_is_a_422_naming_it(client, partner, athlete):
    program = assigned(client, partner, athlete)
    response = client.put(
        f"/v1/users/{athlete.id}/enrollment", json={"program_id": program["id"]}, headers=partner.headers
    )
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == ["start_date"]


def test_a_grant_without_programs_write_is_a_403_and_makes_nothing(client, engine, partner):
    account = register(client)
    grant_directly(engine, partner, account.id, scopes=("programs:read",))
    response = assign(client, partner, account, a_program())
    assert response.status_code == 403, response.text
    assert response.json()["required_scope"] == "programs:write"
    assert programs_of(engine, account) == 0


def test_the_consent_page_says_what_programs_write_allows(client, partner):
    page = open_consent_page(client, partner, pkce_pair()[1], scope="programs:write")
    assert page.status_code == 200, page.text
    assert 'value="programs:write"' in page.text
    assert "Make programs for you and enroll you in them" in page.text


# -- the user's side ---------------------------------------------------------------------------


def test_the_user_leaves_an_assigned_program(client, partner, athlete):
    program = assigned(client, partner, athlete)
    assert enroll(client, partner, athlete, program["id"]).status_code == 200

    left = client.delete("/v1/me/enrollment", headers=athlete.headers)
    assert left.status_code == 204, left.text
    assert client.get("/v1/me/enrollment", headers=athlete.headers).status_code == 404
    assert client.get("/v1/me/next-session", headers=athlete.headers).status_code == 404
    assert client.get(f"/v1/me/programs/{program['id']}", headers=athlete.headers).status_code == 200


def test_leaving_without_an_enrollment_is_a_404(client, athlete):
    response = client.delete("/v1/me/enrollment", headers=athlete.headers)
    assert response.status_code == 404, response.text
    assert response.headers["content-type"] == "application/problem+json"


def test_the_user_edits_an_assigned_program_like_their_own(client, partner, athlete):
    program = assigned(client, partner, athlete)
    response = client.patch(
        f"/v1/me/programs/{program['id']}", json={"name": "My way"}, headers=athlete.headers
    )
    assert response.status_code == 200, response.text
    assert response.json()["name"] == "My way"
    assert response.json()["assigned_by"] == program["assigned_by"]


def test_the_user_deletes_an_assigned_program_they_left(client, engine, partner, athlete):
    program = assigned(client, partner, athlete)
    enroll(client, partner, athlete, program["id"])
    assert client.delete("/v1/me/enrollment", headers=athlete.headers).status_code == 204
    response = client.delete(f"/v1/me/programs/{program['id']}", headers=athlete.headers)
    assert response.status_code == 204, response.text
    assert programs_of(engine, athlete) == 0
