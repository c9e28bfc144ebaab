"""Object property level authorization (OWASP API3): a caller sets only the properties that are
theirs to set, and reads only the properties meant for them.

Server-owned properties in a body (ids, owners, timestamps, secrets, counters) are refused with a
422 where the schema is closed (settings, partner workouts, webhook endpoints) and ignored where
it is open by protocol (registration; sync records, which carry WatermelonDB's own columns). No
response carries a password, a hash or a stored secret, and nothing a partner reads names the
user's email.
"""

import copy
import re
import uuid
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.core.models import User, Workout
from tests.api.operations import Operation, operations, schema
from tests.api.partners.test_access import WORKOUT_BODY
from tests.factories.mailbox import mailed_token
from tests.factories.partners import grant_directly, make_partner
from tests.factories.sync import a_workout, changes, pull, pulled_ids, push
from tests.factories.users import PASSWORD, register
from tests.factories.webhooks import DEAD_URL, ENDPOINTS, create_endpoint, endpoint_row

# The only response properties that carry a credential: the caller's own new tokens (a user's
# login or email verification, a partner's OAuth tokens), and an endpoint's signing secret, shown to its partner when
# created or rotated and never again. The OAuth server metadata only names where and how tokens
# are asked for (RFC 8414), which is public.
CREDENTIALS_IN_RESPONSES = {
    ("TokenPair", "access_token"),
    ("TokenPair", "refresh_token"),
    ("TokenPair", "token_type"),  # "bearer"
    ("TokenIssued", "access_token"),
    ("TokenIssued", "refresh_token"),
    ("TokenIssued", "token_type"),  # "Bearer"
    ("ServerMetadata", "token_endpoint"),
    ("ServerMetadata", "token_endpoint_auth_methods_supported"),
    ("WebhookEndpointCreated", "secret"),
    ("WebhookSecretRead", "secret"),
    ("WebhookSecretRead", "previous_secret_expires_at"),  # a time, named after the secret
}
CREDENTIAL_WORDS = {"password", "hash", "secret", "token"}
SERVER_OWNED_ENDPOINT_FIELDS = {
    "secret": "whsec_" + "A" * 43,
    "id": str(uuid.UUID(int=1)),
    "partner_id": str(uuid.UUID(int=2)),
    "consecutive_failures": 0,
    "disabled_reason": None,
    "created_at": "2001-01-01T00:00:00Z",
}


def workouts_of(engine, user_id: uuid.UUID) -> int:
    with Session(engine) as session:
        return (
            session.scalar(select(func.count()).select_from(Workout).where(Workout.user_id == user_id)) or 0
        )


# -- what a body may set ---------------------------------------------------------------------


def test_registering_with_an_id_and_a_creation_time_gets_the_servers_own(client, unique_email):
    chosen = str(uuid.uuid4())
    body = {"email": unique_email, "password": PASSWORD, "id": chosen, "created_at": "2001-01-01T00:00:00Z"}
    created = client.post("/v1/auth/register", json=body)
    assert created.status_code == 202, created.text
    verified = client.post("/v1/auth/verify-email", json={"token": mailed_token(client, unique_email)})
    me = client.get("/v1/me", headers={"Authorization": f"Bearer {verified.json()['access_token']}"}).json()
    assert me["id"] != chosen
    assert not me["created_at"].startswith("2001")


@pytest.mark.parametrize("field", ["id", "created_at", "password_hash"])
def test_settings_cannot_set_a_server_owned_property(client, field):
    account = register(client)
    before = client.get("/v1/me", headers=account.headers).json()
    value = str(uuid.uuid4()) if field == "id" else "2001-01-01T00:00:00Z"
    response = client.patch("/v1/me", json={field: value, "unit": "lb"}, headers=account.headers)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert client.get("/v1/me", headers=account.headers).json() == before


def test_an_enrollment_naming_another_user_is_the_callers_own(client):
    alice, bob = register(client), register(client)
    program_id = client.get("/v1/programs").json()["items"][0]["id"]
    body = {"program_id": program_id, "start_date": "2026-03-02", "user_id": str(bob.id)}
    assert client.put("/v1/me/enrollment", json=body, headers=alice.headers).status_code == 200
    assert client.get("/v1/me/enrollment", headers=alice.headers).json()["program_id"] == program_id
    assert client.get("/v1/me/enrollment", headers=bob.headers).status_code == 404


def test_a_pushed_record_naming_another_user_is_stored_for_the_pusher_only(client):
    alice, bob = register(client), register(client)
    workout = a_workout(user_id=str(bob.id), version=10**9, deleted=True)
    assert push(client, alice, changes(workouts=[workout])).status_code == 200
    assert workout["id"] in pulled_ids(pull(client, alice), "workouts")
    assert workout["id"] not in pulled_ids(pull(client, bob), "workouts")


def partner_workout_with(path: tuple[str, ...], value: Any) -> dict[str, Any]:
    body = copy.deepcopy(WORKOUT_BODY)
    target = body["sets"][0] if path[0] == "sets" else body
    target[path[-1]] = value
    return body


@pytest.mark.parametrize(
    "path", [("id",), ("user_id",), ("version",), ("sets", "id"), ("sets", "workout_id")], ids=".".join
)
def test_a_partner_cannot_choose_the_ids_or_the_owner_of_a_workout(client, engine, path):
    account, partner = register(client), make_partner(engine)
    grant_directly(engine, partner, account.id)
    body = partner_workout_with(path, str(uuid.uuid4()))
    response = client.post(f"/v1/users/{account.id}/workouts", json=body, headers=partner.headers)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"].endswith(path[-1])
    assert workouts_of(engine, account.id) == 0


@pytest.mark.parametrize("field", SERVER_OWNED_ENDPOINT_FIELDS)
def test_an_endpoint_change_cannot_set_a_server_owned_property(hooks_client, engine, field):
    partner = make_partner(engine)
    endpoint = create_endpoint(hooks_client, partner, url=DEAD_URL)
    before = endpoint_row(engine, endpoint["id"])
    response = hooks_client.patch(
        f"{ENDPOINTS}/{endpoint['id']}",
        json={field: SERVER_OWNED_ENDPOINT_FIELDS[field], "description": "changed"},
        headers=partner.headers,
    )
    assert response.status_code == 422
    after = endpoint_row(engine, endpoint["id"])
    assert (after.secret, after.partner_id, after.description) == (before.secret, before.partner_id, "")


# -- what a response may show ----------------------------------------------------------------


def response_schemas(ops: list[Operation]) -> dict[str, dict[str, Any]]:
    """Every named schema reachable from the responses of `ops`."""
    found: dict[str, dict[str, Any]] = {}

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            if "$ref" in node:
                name = node["$ref"].rsplit("/", 1)[-1]
                if name not in found:
                    found[name] = schema(node)
                    visit(found[name])
                return
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    for op in ops:
        visit(op.spec["responses"])
    return found


def test_no_response_carries_a_password_a_hash_or_a_stored_secret():
    credentials = {
        (name, prop)
        for name, found in response_schemas(operations()).items()
        for prop in found.get("properties", {})
        if CREDENTIAL_WORDS & set(re.split(r"[_\W]+", prop.lower()))
    }
    assert credentials == CREDENTIALS_IN_RESPONSES


def test_nothing_a_partner_reads_names_the_users_email():
    partner_schemas = response_schemas([op for op in operations() if op.caller == "partner"])
    assert partner_schemas  # the walk found the partner responses
    assert {
        name for name, found in partner_schemas.items() if "email" in found.get("properties", {})
    } == set()


def test_the_json_export_never_carries_the_password_hash(client, engine):
    account = register(client)
    with Session(engine) as session:
        password_hash = session.get_one(User, account.id).password_hash
    export = client.get("/v1/me/export", params={"format": "json"}, headers=account.headers)
    assert export.status_code == 200
    assert password_hash not in export.text
    assert "password" not in export.text
