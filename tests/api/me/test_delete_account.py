"""DELETE /v1/me: the account and everything it owns go in one transaction, its tokens stop working at
once, the email may register again, and partners that held a grant are told (a signed
`user.deleted` webhook, tombstones in their change feeds)."""

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, Table, func, select
from sqlalchemy.orm import Session

from services.api.sync.tables import USER_TABLES
from services.core.models import AccountTombstone, Base, IdempotencyRecord, User, WebhookDelivery
from services.core.models.base import utcnow
from services.core.repositories import erasure
from services.core.usecases.deliveries import attempt, fan_out_event
from tests.api.programs.test_programs import program_by_slug
from tests.e2e.webhooks.receiver import running_receiver
from tests.factories.apps import an_app
from tests.factories.partners import an_insight, grant_directly, make_partner
from tests.factories.rows import prescription_rows
from tests.factories.scenarios import recompute
from tests.factories.sync import (
    a_body_weight,
    a_custom_exercise,
    a_pain_report,
    a_set,
    a_workout,
    changes,
    push,
)
from tests.factories.users import PASSWORD, Account, delete_account, register
from tests.factories.webhooks import create_endpoint, deliveries_of, event_rows, user_deleted_rows


def a_user_with_everything(client: TestClient, engine: Engine) -> Account:
    """An account with a row in as many user tables as the API can fill: workouts, sets, a pain
    report, a weigh-in, a gym, an own exercise, an own program, an enrollment, insights and prescriptions, a grant, refresh tokens, an
    idempotency record, outbox rows and a webhook delivery about the user."""
    account = register(client)
    program = program_by_slug(client, "posterior-chain-builder")
    body = {"program_id": program["id"], "start_date": "2026-01-05"}
    assert client.put("/v1/me/enrollment", json=body, headers=account.headers).status_code == 200
    own = {"name": "My posterior chain", "source_program_id": program["id"]}
    assert client.post("/v1/me/programs", json=own, headers=account.headers).status_code == 201
    partner = make_partner(engine)
    grant_directly(engine, partner, account.id)
    endpoint = create_endpoint(client, partner, events=["workout.synced"])
    workout, exercise = a_workout(), a_custom_exercise()
    pushed = client.post(
        "/v1/sync/push",
        json={
            "changes": changes(
                workouts=[workout],
                sets=[a_set(workout["id"]), a_set(workout["id"], exercise_id=exercise["id"])],
                pain_reports=[a_pain_report()],
                custom_exercises=[exercise],
                body_weights=[a_body_weight()],
            )
        },
        params={"schema_version": 4},
        headers=account.headers | {"Idempotency-Key": uuid.uuid4().hex},
    )
    assert pushed.status_code == 200, pushed.text
    gym = client.put("/v1/me/equipment", json={"unit": "kg"}, headers=account.headers)
    assert gym.status_code == 200, gym.text
    an_insight(engine, account.id)
    recompute(engine, account.id, datetime.now(UTC))
    with Session(engine) as session, session.begin():
        for row in event_rows(engine, account.id, "workout.synced"):
            fan_out_event(session, row.id, utcnow(), client.app.state.settings)
    assert deliveries_of(engine, endpoint["id"])
    assert prescription_rows(engine, account.id)
    return account


def rows_of(engine: Engine, table: Table, user_id: uuid.UUID) -> int:
    with engine.connect() as connection:
        return (
            connection.scalar(select(func.count()).select_from(table).where(table.c.user_id == user_id)) or 0
        )


def tables_with_a_user_id() -> list[Table]:
    return [table for table in Base.metadata.sorted_tables if "user_id" in table.c]


def user_exists(engine: Engine, user_id: uuid.UUID) -> bool:
    with Session(engine) as session:
        return session.get(User, user_id) is not None


def test_deleting_the_account_removes_its_rows_from_every_table_with_a_user_id(hooks_client, engine):
    account = a_user_with_everything(hooks_client, engine)
    filled = {t.name for t in tables_with_a_user_id() if rows_of(engine, t, account.id)}
    assert {t.rows.__tablename__ for t in USER_TABLES.values()} <= filled  # every synced table
    assert {"enrollments", "grants", "refresh_tokens", "outbox"} <= filled

    assert delete_account(hooks_client, account).status_code == 204

    assert not user_exists(engine, account.id)
    left = {t.name: rows_of(engine, t, account.id) for t in tables_with_a_user_id()}
    # Every table but the partners' tombstones, read from the models: a table added later is held to it.
    assert {name for name, count in left.items() if count} == {"account_tombstones"}
    assert {t.name for t in erasure.KEPT_FOR_PARTNERS} == {"account_tombstones"}


def test_the_webhook_deliveries_and_idempotency_records_about_the_user_are_deleted(hooks_client, engine):
    account = a_user_with_everything(hooks_client, engine)

    delete_account(hooks_client, account)

    with Session(engine) as session:
        about_the_user = [
            d
            for d in session.scalars(select(WebhookDelivery))
            # Other tests' deliveries share the database, some with bodies of other shapes.
            if d.payload.get("data", {}).get("user_id") == str(account.id)
        ]
        # At most the partners' notice of the deletion is left (other tests' users have theirs too).
        assert {d.event_type for d in about_the_user} <= {"user.deleted"}
        assert (
            session.scalars(
                select(IdempotencyRecord).where(IdempotencyRecord.caller == f"user:{account.id}")
            ).all()
            == []
        )


def test_another_users_data_is_untouched(client, engine):
    alice, bob = register(client), register(client)
    workout = a_workout()
    assert push(client, bob, changes(workouts=[workout], sets=[a_set(workout["id"])])).status_code == 200
    before = {t.name: rows_of(engine, t, bob.id) for t in tables_with_a_user_id()}

    assert delete_account(client, alice).status_code == 204

    assert {t.name: rows_of(engine, t, bob.id) for t in tables_with_a_user_id()} == before
    assert client.get("/v1/me/workouts", headers=bob.headers).json()["items"][0]["id"] == workout["id"]


def test_the_access_token_stops_working_at_once_and_a_second_delete_is_401(client):
    account = register(client)

    assert delete_account(client, account).status_code == 204

    assert client.get("/v1/me", headers=account.headers).status_code == 401
    second = delete_account(client, account)
    assert second.status_code == 401
    assert second.headers["content-type"] == "application/problem+json"


def test_the_refresh_token_stops_working_too(client):
    account = register(client)

    delete_account(client, account)

    refreshed = client.post("/v1/auth/refresh", json={"refresh_token": account.refresh_token})
    assert refreshed.status_code == 401


def test_the_email_can_register_again_as_a_new_empty_account(client):
    account = register(client)
    push(client, account, changes(workouts=[a_workout()]))

    delete_account(client, account)
    again = register(client, email=account.email)

    assert again.id != account.id
    assert client.get("/v1/me/workouts", headers=again.headers).json()["items"] == []


def test_a_wrong_password_is_a_403_problem_and_deletes_nothing(client, engine):
    account = register(client)
    workout = a_workout()
    push(client, account, changes(workouts=[workout]))

    response = delete_account(client, account, password="not-" + PASSWORD)

    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "/problems/wrong-password"
    assert user_exists(engine, account.id)
    assert client.get("/v1/me/workouts", headers=account.headers).json()["items"][0]["id"] == workout["id"]


def test_without_a_password_it_is_a_422_and_deletes_nothing(client, engine):
    account = register(client)

    response = client.request("DELETE", "/v1/me", json={}, headers=account.headers)

    assert response.status_code == 422
    assert user_exists(engine, account.id)


def test_wrong_passwords_count_against_the_account_like_failed_logins(settings, engine):
    with an_app(settings, rate_limit_login_failures="2/minute") as app, TestClient(app) as client:
        account = register(client)
        for _ in range(2):
            assert delete_account(client, account, password="guess-" + uuid.uuid4().hex).status_code == 403

        response = delete_account(client, account)

    assert response.status_code == 429
    assert user_exists(engine, account.id)


# -- partners --------------------------------------------------------------------------------


def a_granted_partner(client: TestClient, engine: Engine, account: Account, **endpoint: Any):
    partner = make_partner(engine)
    grant_id = grant_directly(engine, partner, account.id)
    return partner, grant_id, create_endpoint(client, partner, events=["user.deleted"], **endpoint)


def test_a_partner_that_held_a_grant_gets_a_signed_user_deleted_webhook(hooks_client, engine, hooks_settings):
    account = register(hooks_client)
    with running_receiver() as receiver:
        partner, grant_id, endpoint = a_granted_partner(
            hooks_client, engine, account, url=receiver.url("/hooks")
        )
        receiver.expect("/hooks", secrets=[endpoint["secret"]])

        assert delete_account(hooks_client, account).status_code == 204
        [row] = user_deleted_rows(engine, account.id)
        with Session(engine) as session, session.begin():
            [delivery_id] = fan_out_event(session, row.id, utcnow(), hooks_settings)
        attempted = attempt(hooks_client.app.state.sessionmaker, delivery_id, 0, hooks_settings)

    assert attempted.result == "success"
    [received] = receiver.received("/hooks")
    assert received.verified
    body = json.loads(received.body)
    assert (body["type"], body["id"]) == ("user.deleted", received.event_id)
    assert body["data"] == {
        "user_id": str(account.id),
        "partner_id": str(partner.id),
        "grant_id": str(grant_id),
        "deleted_at": body["data"]["deleted_at"],
    }


def test_a_partner_whose_grant_was_revoked_before_is_not_told(hooks_client, engine):
    account = register(hooks_client)
    _, grant_id, _ = a_granted_partner(hooks_client, engine, account)
    assert hooks_client.delete(f"/v1/me/grants/{grant_id}", headers=account.headers).status_code == 204

    delete_account(hooks_client, account)

    assert user_deleted_rows(engine, account.id) == []


def test_the_partners_change_feeds_list_the_users_workouts_and_insights_as_deleted(hooks_client, engine):
    account = register(hooks_client)
    workout = a_workout()
    push(hooks_client, account, changes(workouts=[workout], sets=[a_set(workout["id"])]))
    insight_id = an_insight(engine, account.id)
    partner, _, _ = a_granted_partner(hooks_client, engine, account)
    base = f"/v1/users/{account.id}/changes"
    before = hooks_client.get(f"{base}/workouts", headers=partner.headers).json()

    delete_account(hooks_client, account)

    resumed = hooks_client.get(
        f"{base}/workouts", params={"cursor": before["poll_cursor"]}, headers=partner.headers
    ).json()
    assert [(i["id"], i["deleted"]) for i in resumed["items"]] == [(workout["id"], True)]
    insights = hooks_client.get(f"{base}/insights", headers=partner.headers).json()
    assert [(i["id"], i["deleted"]) for i in insights["items"]] == [(insight_id, True)]
    polled = hooks_client.get(
        f"{base}/workouts", params={"cursor": resumed["poll_cursor"]}, headers=partner.headers
    ).json()
    assert polled["items"] == []


def test_the_tombstone_is_the_partners_own_and_other_calls_are_404(hooks_client, engine):
    account = register(hooks_client)
    partner, _, _ = a_granted_partner(hooks_client, engine, account)
    stranger = make_partner(engine)

    delete_account(hooks_client, account)

    feed = f"/v1/users/{account.id}/changes/workouts"
    assert hooks_client.get(feed, headers=stranger.headers).status_code == 404
    assert hooks_client.get(f"/v1/users/{account.id}/workouts", headers=partner.headers).status_code == 404
    with Session(engine) as session:
        tombstones = session.scalars(
            select(AccountTombstone).where(AccountTombstone.user_id == account.id)
        ).all()
    assert [t.partner_id for t in tombstones] == [partner.id]


# -- the export offered first ----------------------------------------------------------------


def test_the_json_export_includes_insights_and_prescriptions(client, engine):
    account = register(client)
    program = program_by_slug(client, "posterior-chain-builder")
    body = {"program_id": program["id"], "start_date": "2026-01-05"}
    assert client.put("/v1/me/enrollment", json=body, headers=account.headers).status_code == 200
    insight_id = an_insight(engine, account.id)
    recompute(engine, account.id, datetime.now(UTC))
    stored = {p.id for p in prescription_rows(engine, account.id) if not p.deleted}

    export = client.get("/v1/me/export", params={"format": "json"}, headers=account.headers).json()

    assert insight_id in {i["id"] for i in export["insights"]}
    assert {p["id"] for p in export["prescriptions"]} == stored
    assert stored


def test_the_delete_operation_offers_the_json_export_first(client):
    spec = client.get("/openapi.json").json()

    description = spec["paths"]["/v1/me"]["delete"]["description"]

    assert description.startswith("Download your data first: `GET /v1/me/export?format=json`")
