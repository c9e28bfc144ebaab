"""Object-level authorization (OWASP API1): every operation that names an object in its path,
called by someone who does not own the object.

A user's objects (workouts, insights, grants) are called with another user's access token; a
partner's objects (webhook endpoints and their deliveries) with another partner's key, and with
keys of the owner that may not manage webhooks. The answer is the 404 of a missing object (or the
401/403 of a credential that may not call the operation at all), it carries none of the object's
data, and the object is exactly as it was. Each object is in a state where the call, had it been
let through, would have changed it: an open insight, an active grant, a dead delivery.

Partner routes (`/v1/users/{user_id}/…`) have their own matrix of the five partner cases in
tests/api/partners/test_access.py. The last tests keep both matrices complete: an operation with a
path parameter that is in neither, nor listed as public with its reason, fails.
"""

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, Table, select
from sqlalchemy.orm import Session

from services.api.admin import service as admin
from services.core.models import (
    Grant,
    Insight,
    OutboxEvent,
    Program,
    ProgramDay,
    ProgramSlot,
    User,
    WebhookDelivery,
    WebhookEndpoint,
    Workout,
    WorkoutSet,
)
from services.core.models.partners import PARTNER_SCOPES
from tests.api.operations import Operation, made_up_id, operations
from tests.api.partners.test_access import ENDPOINTS as PARTNER_ROUTES
from tests.api.webhooks.test_deliveries import set_status
from tests.factories.partners import PartnerApp, an_insight, grant_directly, make_partner, with_key
from tests.factories.sync import a_set, a_workout, changes, push
from tests.factories.users import Account, register
from tests.factories.webhooks import DEAD_URL, create_endpoint, ping
from tests.factories.workouts import log_workout

ENDPOINT = "/v1/webhooks/endpoints/{endpoint_id}"
DELIVERY = ENDPOINT + "/deliveries/{delivery_id}"

# operation → what its owner gets (the control that the refused call would have done something)
USER_OWNED = {
    "GET /v1/me/workouts/{workout_id}": 200,
    "POST /v1/me/insights/{insight_id}/accept": 200,
    "POST /v1/me/insights/{insight_id}/dismiss": 200,
    "DELETE /v1/me/grants/{grant_id}": 204,
    "GET /v1/me/programs/{program_id}": 200,
    "PATCH /v1/me/programs/{program_id}": 200,
    "DELETE /v1/me/programs/{program_id}": 204,
    "POST /v1/me/programs/{program_id}/slots/{slot_id}/substitute": 200,
}
PARTNER_OWNED = {
    f"GET {ENDPOINT}": 200,
    f"PATCH {ENDPOINT}": 200,
    f"DELETE {ENDPOINT}": 204,
    f"POST {ENDPOINT}/rotate-secret": 200,
    f"POST {ENDPOINT}/ping": 202,
    f"GET {ENDPOINT}/deliveries": 200,
    f"GET {DELIVERY}": 200,
    f"POST {DELIVERY}/replay": 202,
}
# Operations whose path names something nobody owns, or only ever the caller's own data.
NOT_OWNED = {
    "GET /v1/exercises/{exercise_id}": "the exercise catalog is public reference data",
    "GET /v1/programs/{program_id}": "the starter programs are public reference data",
    "GET /v1/me/progress/{exercise_id}": "the id names a catalog exercise and the progress is always "
    "the caller's own (test_progress_never_counts_another_users_sets)",
}
# What each call that takes a body sends: a change the owner's call would make.
BODIES = {
    f"PATCH {ENDPOINT}": {"description": "taken over", "enabled": False},
    "PATCH /v1/me/programs/{program_id}": {"name": "taken over"},
    "POST /v1/me/programs/{program_id}/slots/{slot_id}/substitute": {"exercise_id": "lying-leg-curl"},
}


@dataclass(frozen=True)
class Owned:
    """Objects of one owner: their ids by path parameter, and values only these objects hold."""

    ids: dict[str, str]
    data: tuple[str, ...]


def operation(name: str) -> Operation:
    return next(op for op in operations() if str(op) == name)


def call(client, name: str, headers: dict[str, str], **ids: str):
    op = operation(name)
    return client.request(op.method, op.url(**ids), json=BODIES.get(name), headers=headers)


def answer_without_ids(response, ids: dict[str, str]) -> dict[str, Any]:
    """The problem as the caller sees it, with the ids it sent (echoed in `instance` and maybe
    `detail`) and the per-request `request_id` taken out, so answers about two ids compare."""
    text = json.dumps({k: v for k, v in response.json().items() if k != "request_id"})
    for name, value in ids.items():
        text = text.replace(value, f"<{name}>")
    return json.loads(text)


def assert_refused(response, status: int, owned: Owned) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    told = json.dumps(response.json())
    for value in owned.data:
        assert value not in told


def assert_looks_missing(client, name: str, headers, response, sent: dict[str, str], *foreign: str) -> None:
    """`response`, to a call naming the `sent` ids, is what the same call gets with a made-up id
    in place of each `foreign` one (all of them by default)."""
    params = operation(name).path_params
    made_up = sent | {param: made_up_id(params[param]) for param in foreign or sent}
    missing = call(client, name, headers, **made_up)
    assert answer_without_ids(response, sent) == answer_without_ids(missing, made_up)


# -- rows, to prove nothing changed ------------------------------------------------------------


def rows(engine: Engine, table: Table, *where) -> list[dict[str, Any]]:
    with Session(engine) as session:
        found = session.execute(select(table).where(*where)).mappings().all()
    return sorted((dict(r) for r in found), key=str)


def state_of_user(engine: Engine, user_id: uuid.UUID) -> dict[str, list[dict[str, Any]]]:
    tables = [Workout, WorkoutSet, Insight, Grant, OutboxEvent]
    state = {m.__tablename__: rows(engine, m.__table__, m.__table__.c.user_id == user_id) for m in tables}
    programs = rows(engine, Program.__table__, Program.__table__.c.owner_id == user_id)
    days = rows(engine, ProgramDay.__table__, ProgramDay.program_id.in_([p["id"] for p in programs]))
    slots = rows(engine, ProgramSlot.__table__, ProgramSlot.program_day_id.in_([d["id"] for d in days]))
    return state | {
        "users": rows(engine, User.__table__, User.__table__.c.id == user_id),
        "programs": programs,
        "program_slots": slots,
    }


def state_of_partner(engine: Engine, partner: PartnerApp) -> dict[str, list[dict[str, Any]]]:
    endpoints = rows(engine, WebhookEndpoint.__table__, WebhookEndpoint.partner_id == partner.id)
    ids = [e["id"] for e in endpoints]
    return {
        "webhook_endpoints": endpoints,
        "webhook_deliveries": rows(engine, WebhookDelivery.__table__, WebhookDelivery.endpoint_id.in_(ids)),
    }


# -- a user's objects --------------------------------------------------------------------------


@pytest.fixture
def owner(client) -> Account:
    return register(client)


@pytest.fixture
def users_objects(client, engine, owner) -> Owned:
    """A workout with a set, an open insight, an active grant to a partner, and a program."""
    marker = uuid.uuid4().hex
    workout = a_workout(notes=f"notes-{marker}")
    the_set = a_set(workout["id"], load_kg=137.5)
    assert push(client, owner, changes(workouts=[workout], sets=[the_set])).status_code == 200
    insight_id = an_insight(engine, owner.id, title=f"title-{marker}")
    partner_name = f"Partner {marker}"
    grant_id = grant_directly(engine, make_partner(engine, name=partner_name), owner.id)
    slot = {"exercise_id": "seated-leg-curl", "sets": 3, "rep_min": 12, "rep_max": 15}
    program = client.post(
        "/v1/me/programs",
        json={"name": f"program-{marker}", "days": [{"name": "A", "slots": [slot]}]},
        headers=owner.headers,
    )
    assert program.status_code == 201, program.text
    return Owned(
        ids={
            "workout_id": workout["id"],
            "insight_id": insight_id,
            "grant_id": str(grant_id),
            "program_id": program.json()["id"],
            "slot_id": "A1",
        },
        data=(owner.email, str(owner.id), marker, the_set["id"], "137.5", partner_name),
    )


def ids_for(name: str, owned: Owned) -> dict[str, str]:
    return {param: owned.ids[param] for param in operation(name).path_params}


@pytest.mark.parametrize("name", USER_OWNED)
def test_the_owner_reaches_each_of_their_objects(client, owner, users_objects, name):
    response = call(client, name, owner.headers, **ids_for(name, users_objects))
    assert response.status_code == USER_OWNED[name], response.text


@pytest.mark.parametrize("name", USER_OWNED)
def test_another_users_object_is_a_404_that_tells_nothing_and_changes_nothing(
    client, engine, owner, users_objects, name
):
    stranger = register(client)
    ids = ids_for(name, users_objects)
    before = state_of_user(engine, owner.id)
    response = call(client, name, stranger.headers, **ids)
    assert_refused(response, 404, users_objects)
    assert_looks_missing(client, name, stranger.headers, response, ids)
    assert state_of_user(engine, owner.id) == before


def test_progress_never_counts_another_users_sets(client, engine, owner):
    last_week = datetime.now(UTC) - timedelta(weeks=1)
    log_workout(engine, owner.id, started_at=last_week, sets=[{"load_kg": 140.0, "reps": 5}] * 3)
    stranger = register(client)

    def e1rms(account: Account) -> list[float | None]:
        response = client.get("/v1/me/progress/romanian-deadlift", headers=account.headers)
        assert response.status_code == 200, response.text
        return [week["e1rm_kg"] for week in response.json()["weeks"]]

    assert any(e1rms(owner))
    assert not any(e1rms(stranger))


# -- a partner's objects -----------------------------------------------------------------------


@pytest.fixture
def endpoint_owner(engine) -> PartnerApp:
    return make_partner(engine)


@pytest.fixture
def partners_objects(hooks_client, engine, endpoint_owner) -> Owned:
    """An enabled endpoint (receiving on loopback) with a dead delivery, which a replay revives."""
    marker = uuid.uuid4().hex
    endpoint = create_endpoint(hooks_client, endpoint_owner, url=f"{DEAD_URL}/{marker}", description=marker)
    delivery = ping(hooks_client, endpoint_owner, endpoint["id"])
    set_status(engine, delivery["id"], "dead")
    return Owned(
        ids={"endpoint_id": endpoint["id"], "delivery_id": delivery["id"]},
        data=(marker, endpoint["secret"], delivery["event_id"]),
    )


def another_partner(engine, owner: PartnerApp) -> PartnerApp:
    return make_partner(engine)


def key_without_webhooks_manage(engine, owner: PartnerApp) -> PartnerApp:
    return with_key(engine, owner, scopes=tuple(s for s in PARTNER_SCOPES if s != "webhooks:manage"))


def revoked_key(engine, owner: PartnerApp) -> PartnerApp:
    key = with_key(engine, owner, scopes=PARTNER_SCOPES)
    with Session(engine) as session:
        admin.revoke_key(session, key_id=key.key_id)
    return key


# caller → the answer it gets
PARTNER_CALLERS = {
    another_partner: 404,
    key_without_webhooks_manage: 403,
    revoked_key: 401,
}


@pytest.mark.parametrize("name", PARTNER_OWNED)
def test_the_owning_partner_reaches_each_of_its_objects(hooks_client, endpoint_owner, partners_objects, name):
    response = call(hooks_client, name, endpoint_owner.headers, **ids_for(name, partners_objects))
    assert response.status_code == PARTNER_OWNED[name], response.text


@pytest.mark.parametrize("caller", PARTNER_CALLERS, ids=lambda caller: caller.__name__)
@pytest.mark.parametrize("name", PARTNER_OWNED)
def test_a_partners_object_is_refused_to_other_callers_telling_nothing_and_changing_nothing(
    hooks_client, engine, endpoint_owner, partners_objects, name, caller
):
    key = caller(engine, endpoint_owner)
    ids = ids_for(name, partners_objects)
    before = state_of_partner(engine, endpoint_owner)
    response = call(hooks_client, name, key.headers, **ids)
    assert_refused(response, PARTNER_CALLERS[caller], partners_objects)
    if PARTNER_CALLERS[caller] == 404:
        assert_looks_missing(hooks_client, name, key.headers, response, ids)
    assert state_of_partner(engine, endpoint_owner) == before


@pytest.mark.parametrize("name", [f"GET {DELIVERY}", f"POST {DELIVERY}/replay"])
def test_another_partners_delivery_under_ones_own_endpoint_is_a_404(
    hooks_client, engine, endpoint_owner, partners_objects, name
):
    stranger = make_partner(engine)
    ids = {"endpoint_id": create_endpoint(hooks_client, stranger)["id"]} | {
        "delivery_id": partners_objects.ids["delivery_id"]
    }
    before = state_of_partner(engine, endpoint_owner)
    response = call(hooks_client, name, stranger.headers, **ids)
    assert_refused(response, 404, partners_objects)
    assert_looks_missing(hooks_client, name, stranger.headers, response, ids, "delivery_id")
    assert state_of_partner(engine, endpoint_owner) == before


# -- the matrices are complete -----------------------------------------------------------------


def partner_route_names() -> set[str]:
    return {f"{method} /v1/users/{{user_id}}{path}" for method, path, _ in PARTNER_ROUTES}


def test_every_operation_with_a_path_parameter_is_in_a_matrix_or_public_by_design():
    with_parameters = {str(op) for op in operations() if op.path_params}
    listed = set(USER_OWNED) | set(PARTNER_OWNED) | partner_route_names() | set(NOT_OWNED)
    assert not with_parameters - listed, "add these to a matrix (or to NOT_OWNED with the reason)"
    assert not listed - with_parameters, "these are no longer in openapi/openapi.json"


def test_each_matrix_holds_operations_of_its_kind_of_caller():
    callers = {str(op): op.caller for op in operations()}
    assert {callers[name] for name in USER_OWNED} == {"user"}
    assert {callers[name] for name in PARTNER_OWNED} == {"partner"}
    assert {callers[name] for name in partner_route_names()} == {"partner"}
