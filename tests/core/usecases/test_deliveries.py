"""Events become outbox rows in the transaction of the change, and each becomes one delivery per
endpoint that subscribed to it, of partners the user granted the event's scope."""

import uuid

import pytest
from sqlalchemy.orm import Session

from services.core.models import Grant
from services.core.models.base import utcnow
from services.core.usecases.deliveries import fan_out_event
from tests.factories.partners import grant_directly, make_partner
from tests.factories.scenarios import push_body, recompute, scenario_now, scenarios
from tests.factories.sync import a_set, a_workout, changes, pull, push
from tests.factories.users import register
from tests.factories.webhooks import create_endpoint, deliveries_of, event_rows

QUAD_ONLY = "3 quad-only"


def fan_out(engine, settings, outbox_id: int) -> list[uuid.UUID]:
    with Session(engine, expire_on_commit=False) as session, session.begin():
        return fan_out_event(session, outbox_id, utcnow(), settings)


def push_workout(client, account, workout_id: str | None = None) -> str:
    workout = a_workout(workout_id)
    response = push(client, account, changes(workouts=[workout], sets=[a_set(workout["id"])]))
    assert response.status_code == 200, response.text
    return workout["id"]


def listening(client, engine, account, *, events, scopes):
    partner = make_partner(engine)
    grant_directly(engine, partner, account.id, scopes=scopes)
    return partner, create_endpoint(client, partner, events=events)


def test_a_push_records_no_event_when_no_partner_listens(hooks_client, engine):
    account = register(hooks_client)
    push_workout(hooks_client, account)
    assert event_rows(engine, account.id, "workout.synced") == []


def test_a_push_that_creates_a_workout_is_a_workout_synced_event(hooks_client, engine, hooks_settings):
    account = register(hooks_client)
    _, endpoint = listening(
        hooks_client, engine, account, events=["workout.synced"], scopes=("workouts:read",)
    )
    workout_id = push_workout(hooks_client, account)
    [row] = event_rows(engine, account.id, "workout.synced")
    assert row.payload["workouts"] == {"created": [workout_id], "updated": [], "deleted": []}

    [delivery_id] = fan_out(engine, hooks_settings, row.id)
    [delivery] = deliveries_of(engine, endpoint["id"])
    assert delivery.id == delivery_id
    assert delivery.payload["type"] == "workout.synced"
    assert delivery.payload["version"] == 1
    assert delivery.payload["data"]["user_id"] == str(account.id)
    assert delivery.payload["id"] == delivery.event_id
    assert event_rows(engine, account.id, "workout.synced")[0].processed_at is not None


def test_fanning_out_the_same_row_twice_creates_one_delivery(hooks_client, engine, hooks_settings):
    account = register(hooks_client)
    _, endpoint = listening(
        hooks_client, engine, account, events=["workout.synced"], scopes=("workouts:read",)
    )
    push_workout(hooks_client, account)
    [row] = event_rows(engine, account.id, "workout.synced")
    fan_out(engine, hooks_settings, row.id)
    assert fan_out(engine, hooks_settings, row.id) == []
    assert len(deliveries_of(engine, endpoint["id"])) == 1


def test_a_set_added_to_a_workout_is_an_update_and_a_deletion_is_a_deletion(hooks_client, engine):
    account = register(hooks_client)
    listening(hooks_client, engine, account, events=["workout.synced"], scopes=("workouts:read",))
    workout_id = push_workout(hooks_client, account)
    assert push(hooks_client, account, changes(sets=[a_set(workout_id)])).status_code == 200
    pulled_at = pull(hooks_client, account)["timestamp"]
    deleted = push(hooks_client, account, changes(deleted_workouts=[workout_id]), last_pulled_at=pulled_at)
    assert deleted.status_code == 200, deleted.text
    _, added, removed = (row.payload["workouts"] for row in event_rows(engine, account.id, "workout.synced"))
    assert added == {"created": [], "updated": [workout_id], "deleted": []}
    assert removed == {"created": [], "updated": [], "deleted": [workout_id]}


def test_only_subscribed_enabled_endpoints_of_partners_granted_the_scope_hear_of_it(
    hooks_client, engine, hooks_settings
):
    account = register(hooks_client)
    events, scope = ["workout.synced"], ("workouts:read",)
    _, heard = listening(hooks_client, engine, account, events=events, scopes=scope)
    _, wrong_scope = listening(hooks_client, engine, account, events=events, scopes=("insights:read",))
    _, other_events = listening(hooks_client, engine, account, events=["insight.created"], scopes=scope)
    owner, disabled = listening(hooks_client, engine, account, events=events, scopes=scope)
    hooks_client.patch(
        f"/v1/webhooks/endpoints/{disabled['id']}", json={"enabled": False}, headers=owner.headers
    )
    stranger = make_partner(engine)
    no_grant = create_endpoint(hooks_client, stranger, events=events)
    push_workout(hooks_client, account)
    [row] = event_rows(engine, account.id, "workout.synced")
    fan_out(engine, hooks_settings, row.id)
    assert len(deliveries_of(engine, heard["id"])) == 1
    for silent in (wrong_scope, other_events, disabled, no_grant):
        assert deliveries_of(engine, silent["id"]) == []


def test_a_revoked_grant_is_told_to_its_partner(hooks_client, engine, hooks_settings):
    account = register(hooks_client)
    partner = make_partner(engine)
    grant_id = grant_directly(engine, partner, account.id, scopes=("workouts:read",))
    endpoint = create_endpoint(hooks_client, partner, events=["grant.revoked"])
    assert hooks_client.delete(f"/v1/me/grants/{grant_id}", headers=account.headers).status_code == 204
    [row] = event_rows(engine, account.id, "grant.revoked")
    fan_out(engine, hooks_settings, row.id)
    [delivery] = deliveries_of(engine, endpoint["id"])
    assert delivery.payload["type"] == "grant.revoked"
    assert delivery.payload["data"]["grant_id"] == str(grant_id)


@pytest.fixture
def quad_only_lifter(hooks_client):
    user = scenarios()[QUAD_ONLY]["user"]
    account = register(hooks_client, timezone=user["timezone"], week_start=user["week_start"])
    response = hooks_client.post(
        "/v1/sync/push", json={"changes": push_body(QUAD_ONLY)}, headers=account.headers
    )
    assert response.status_code == 200, response.text
    return account


def test_new_insights_are_events_with_the_insight_itself(
    hooks_client, engine, hooks_settings, quad_only_lifter
):
    account = quad_only_lifter
    events = ["insight.created", "imbalance.detected"]
    _, endpoint = listening(hooks_client, engine, account, events=events, scopes=("insights:read",))
    result = recompute(engine, account.id, scenario_now(QUAD_ONLY))
    rows = [r for r in event_rows(engine, account.id) if r.topic in events]
    created = [r.payload["insight_id"] for r in rows if r.topic == "insight.created"]
    assert sorted(created) == sorted(result.new_insights)
    imbalances = [r for r in rows if r.topic == "imbalance.detected"]
    assert imbalances
    assert all(r.payload["insight"]["kind"].startswith("imbalance.") for r in imbalances)
    for row in rows:
        fan_out(engine, hooks_settings, row.id)
    assert len(deliveries_of(engine, endpoint["id"])) == len(rows)


def test_a_recompute_that_creates_nothing_records_no_event(hooks_client, engine, quad_only_lifter):
    account = quad_only_lifter
    listening(hooks_client, engine, account, events=["insight.created"], scopes=("insights:read",))
    recompute(engine, account.id, scenario_now(QUAD_ONLY))
    before = len(event_rows(engine, account.id, "insight.created"))
    assert recompute(engine, account.id, scenario_now(QUAD_ONLY)).new_insights == ()
    assert len(event_rows(engine, account.id, "insight.created")) == before


def test_insight_events_need_a_grant_with_insights_read(hooks_client, engine, quad_only_lifter):
    account = quad_only_lifter
    listening(hooks_client, engine, account, events=["insight.created"], scopes=("workouts:read",))
    recompute(engine, account.id, scenario_now(QUAD_ONLY))
    assert event_rows(engine, account.id, "insight.created") == []


def test_a_push_after_the_grant_was_revoked_records_no_event(hooks_client, engine):
    account = register(hooks_client)
    partner = make_partner(engine)
    grant_id = grant_directly(engine, partner, account.id, scopes=("workouts:read",))
    create_endpoint(hooks_client, partner, events=["workout.synced"])
    with Session(engine) as session, session.begin():
        session.get_one(Grant, (account.id, grant_id)).revoked_at = utcnow()
    push_workout(hooks_client, account)
    assert event_rows(engine, account.id, "workout.synced") == []
