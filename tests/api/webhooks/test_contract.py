"""The spec's `webhooks` section describes every event the app emits: each event type is declared,
and the bodies the app really sends — built by the real code paths (a push, a recompute of the
worked scenarios, a revoked grant, a ping) and fanned out to deliveries in PostgreSQL — validate
against the published schemas, with no field the schemas do not name."""

import copy
import json
import uuid
from collections.abc import Callable
from datetime import datetime
from functools import cache
from typing import Any

import pytest
from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry
from referencing.jsonschema import DRAFT202012
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from services.core.models.base import utcnow
from services.core.settings import Settings
from services.core.usecases.deliveries import fan_out_event
from services.core.webhooks import events, signing
from tests.api.operations import SPEC_FILE
from tests.api.programs.test_user_programs import a_program
from tests.factories.partners import grant_directly, make_partner
from tests.factories.scenarios import push_body, recompute, scenario_now, scenarios
from tests.factories.sync import a_set, a_workout, changes, push
from tests.factories.users import Account, delete_account, register
from tests.factories.webhooks import (
    create_endpoint,
    deliveries_of,
    delivery_row,
    event_rows,
    ping,
    user_deleted_rows,
)

SPEC_URI = "urn:posterior:openapi"
QUAD_ONLY, PLATEAU = "3 quad-only", "6 plateau deload"

Body = dict[str, Any]
Emitter = Callable[[TestClient, Engine, Settings], list[Body]]


@cache
def closed_spec() -> Body:
    """The spec with every object schema closed: a field the app sends but the spec does not name
    fails validation, as a partner's strict client would fail on it."""
    spec = json.loads(SPEC_FILE.read_text())

    def close(node: Any) -> None:
        if isinstance(node, dict):
            if "properties" in node:
                node.setdefault("additionalProperties", False)
            for value in node.values():
                close(value)
        elif isinstance(node, list):
            for value in node:
                close(value)

    close(spec["components"])
    return spec


def rfc3339(value: object) -> bool:
    if not isinstance(value, str):
        return True  # formats judge strings only; `type` judges the rest
    return datetime.fromisoformat(value).tzinfo is not None  # RFC 3339 needs an offset


FORMATS = copy.deepcopy(Draft202012Validator.FORMAT_CHECKER)
FORMATS.checks("date-time", raises=ValueError)(rfc3339)


def validator(schema: Body, spec: Body) -> Draft202012Validator:
    registry = Registry().with_resource(SPEC_URI, DRAFT202012.create_resource(spec))
    root = {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
    return Draft202012Validator(root, registry=registry, format_checker=FORMATS)


def body_schema(spec: Body, event_type: str) -> Body:
    reference = spec["webhooks"][event_type]["post"]["requestBody"]["content"]["application/json"]["schema"]
    return {"$ref": SPEC_URI + reference["$ref"]}


def validate_event(body: Body, spec: Body | None = None) -> None:
    spec = spec or closed_spec()
    validator(body_schema(spec, body["type"]), spec).validate(body)


# -- the app emitting each event, the way it does in production -----------------------------------


def sent(delivery_payload: Body) -> Body:
    """The body as delivered: the bytes an attempt signs and posts, read back as JSON."""
    return json.loads(events.encode_body(delivery_payload))


def fanned_out(
    engine: Engine,
    settings: Settings,
    account: Account,
    endpoint: Body,
    rows: Callable[..., list[Any]] = event_rows,
) -> list[Body]:
    for row in rows(engine, account.id):
        with Session(engine, expire_on_commit=False) as session, session.begin():
            fan_out_event(session, row.id, utcnow(), settings)
    return [sent(d.payload) for d in deliveries_of(engine, endpoint["id"])]


def listening(
    client: TestClient, engine: Engine, account: Account, event_types: list[str], scope: str
) -> Body:
    partner = make_partner(engine)
    grant_directly(engine, partner, account.id, scopes=(scope,))
    return create_endpoint(client, partner, events=event_types)


def scenario_insights(name: str, event_types: list[str]) -> Emitter:
    def emit(client: TestClient, engine: Engine, settings: Settings) -> list[Body]:
        user = scenarios()[name]["user"]
        account = register(client, timezone=user["timezone"], week_start=user["week_start"])
        pushed = client.post("/v1/sync/push", json={"changes": push_body(name)}, headers=account.headers)
        assert pushed.status_code == 200, pushed.text
        endpoint = listening(client, engine, account, event_types, "insights:read")
        recompute(engine, account.id, scenario_now(name))
        return fanned_out(engine, settings, account, endpoint)

    return emit


def workout_synced(client: TestClient, engine: Engine, settings: Settings) -> list[Body]:
    account = register(client)
    endpoint = listening(client, engine, account, ["workout.synced"], "workouts:read")
    workout = a_workout()
    pushed = push(client, account, changes(workouts=[workout], sets=[a_set(workout["id"])]))
    assert pushed.status_code == 200, pushed.text
    return fanned_out(engine, settings, account, endpoint)


def grant_revoked(client: TestClient, engine: Engine, settings: Settings) -> list[Body]:
    account = register(client)
    partner = make_partner(engine)
    grant_id = grant_directly(engine, partner, account.id, scopes=("workouts:read", "insights:read"))
    endpoint = create_endpoint(client, partner, events=["grant.revoked"])
    assert client.delete(f"/v1/me/grants/{grant_id}", headers=account.headers).status_code == 204
    return fanned_out(engine, settings, account, endpoint)


def user_deleted(client: TestClient, engine: Engine, settings: Settings) -> list[Body]:
    account = register(client)
    partner = make_partner(engine)
    grant_directly(engine, partner, account.id, scopes=("workouts:read",))
    endpoint = create_endpoint(client, partner, events=["user.deleted"])
    assert delete_account(client, account).status_code == 204
    return fanned_out(engine, settings, account, endpoint, rows=user_deleted_rows)


def program_changed(client: TestClient, engine: Engine, settings: Settings) -> list[Body]:
    account = register(client)
    partner = make_partner(engine)
    grant_directly(engine, partner, account.id, scopes=("programs:read", "programs:write"))
    endpoint = create_endpoint(client, partner, events=["program.changed"])
    program = client.post(
        f"/v1/users/{account.id}/programs", json=a_program(), headers=partner.headers
    ).json()
    edited = client.patch(f"/v1/me/programs/{program['id']}", json={"name": "x"}, headers=account.headers)
    assert edited.status_code == 200, edited.text
    return fanned_out(engine, settings, account, endpoint)


def webhook_ping(client: TestClient, engine: Engine, settings: Settings) -> list[Body]:
    partner = make_partner(engine)
    endpoint = create_endpoint(client, partner)
    delivery = ping(client, partner, endpoint["id"])
    return [sent(delivery_row(engine, delivery["id"]).payload)]


EMITTERS: dict[str, Emitter] = {
    "insight.created": scenario_insights(QUAD_ONLY, ["insight.created"]),
    "deload.suggested": scenario_insights(PLATEAU, ["deload.suggested"]),
    "imbalance.detected": scenario_insights(QUAD_ONLY, ["imbalance.detected"]),
    "workout.synced": workout_synced,
    "grant.revoked": grant_revoked,
    "user.deleted": user_deleted,
    "program.changed": program_changed,
    "webhook.ping": webhook_ping,
}


# -- the tests -----------------------------------------------------------------------------------


def test_the_spec_declares_a_webhook_for_every_event_type_and_the_ping():
    assert set(closed_spec()["webhooks"]) == {*events.EVENT_TYPES, events.PING}
    assert set(EMITTERS) == {*events.EVENT_TYPES, events.PING}


@pytest.mark.parametrize("event_type", sorted(EMITTERS))
def test_every_body_the_app_sends_validates_against_its_webhook_schema(
    event_type, hooks_client, engine, hooks_settings
):
    bodies = EMITTERS[event_type](hooks_client, engine, hooks_settings)

    assert bodies, f"the app emitted no {event_type}"
    for body in bodies:
        assert body["type"] == event_type
        validate_event(body)


def test_every_delivery_carries_the_signature_headers_the_spec_declares(hooks_client, engine, hooks_settings):
    [body] = webhook_ping(hooks_client, engine, hooks_settings)
    headers = signing.signed_headers(
        [signing.new_secret()],
        msg_id=body["id"],
        timestamp=int(utcnow().timestamp()),
        body=events.encode_body(body),
    )
    declared = closed_spec()["webhooks"]["webhook.ping"]["post"]["parameters"]

    for parameter in declared:
        assert parameter["in"] == "header"
        assert parameter["required"]
        value = headers[parameter["name"]]
        typed = int(value) if parameter["schema"]["type"] == "integer" else value
        validator(parameter["schema"], closed_spec()).validate(typed)
    assert {p["name"] for p in declared} == {"webhook-id", "webhook-timestamp", "webhook-signature"}


def a_workout_synced_body(**data_overrides: Any) -> Body:
    data = events.workouts_data(uuid.uuid4(), 3, created=["w1"], updated=[], deleted=[]) | data_overrides
    return sent(
        events.envelope(
            event_id=events.new_event_id(), event_type="workout.synced", occurred_at=utcnow(), data=data
        )
    )


def test_a_body_with_a_field_of_the_wrong_type_fails_validation():
    validate_event(a_workout_synced_body())

    with pytest.raises(ValidationError):
        validate_event(a_workout_synced_body(sync_version="3"))


def test_a_body_with_a_field_the_spec_does_not_name_fails_validation():
    with pytest.raises(ValidationError):
        validate_event(a_workout_synced_body(undocumented=True))
