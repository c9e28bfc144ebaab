"""What a granted partner reads and writes under /v1/users/{user_id}, and the change feeds."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.core.models import Insight, OutboxEvent, Workout, WorkoutSet
from services.core.repositories import sync, users
from tests.factories.partners import an_insight, grant_directly, make_partner
from tests.factories.sync import a_custom_exercise, a_set, a_workout, changes, pull, push
from tests.factories.users import register


@pytest.fixture(scope="module")
def partner(engine):
    return make_partner(engine)


@pytest.fixture
def account(client, engine, partner):
    account = register(client)
    grant_directly(engine, partner, account.id)
    return account


def a_rest_workout(**overrides) -> dict:
    return {
        "started_at": "2026-03-02T17:00:00Z",
        "ended_at": "2026-03-02T18:00:00Z",
        "notes": "From the partner",
        "sets": [
            {
                "exercise_id": "romanian-deadlift",
                "set_index": i,
                "side": "both",
                "load_kg": 100,
                "reps": 8,
                "rir": 2,
                "to_failure": False,
                "is_warmup": False,
                "performed_at": f"2026-03-02T17:1{i}:00Z",
            }
            for i in range(2)
        ],
    } | overrides


def logged(client, account, **overrides) -> str:
    workout = a_workout(**overrides)
    assert push(client, account, changes(workouts=[workout], sets=[a_set(workout["id"])])).status_code == 200
    return workout["id"]


def feed(client, partner, account, table: str, **params) -> dict:
    response = client.get(f"/v1/users/{account.id}/changes/{table}", params=params, headers=partner.headers)
    assert response.status_code == 200, response.text
    return response.json()


def count(engine, model, account) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(model).where(model.user_id == account.id)) or 0


# -- reads -----------------------------------------------------------------------------------


def test_the_partner_reads_the_users_workouts_with_their_sets(client, partner, account):
    workout_id = logged(client, account)
    page = client.get(f"/v1/users/{account.id}/workouts", headers=partner.headers).json()
    assert [w["id"] for w in page["items"]] == [workout_id]
    assert page["items"][0]["sets"][0]["exercise_id"] == "romanian-deadlift"


def test_the_partner_reads_one_workout_by_its_id(client, partner, account):
    workout_id = logged(client, account)
    response = client.get(f"/v1/users/{account.id}/workouts/{workout_id}", headers=partner.headers)
    assert response.status_code == 200
    assert len(response.json()["sets"]) == 1


def test_the_partner_reads_the_enrollment_and_next_session(client, partner, account):
    program = client.get("/v1/programs").json()["items"][0]
    enrollment = {"program_id": program["id"], "start_date": "2026-03-02"}
    client.put("/v1/me/enrollment", json=enrollment, headers=account.headers)
    got = client.get(f"/v1/users/{account.id}/enrollment", headers=partner.headers).json()
    assert got["program_id"] == program["id"]
    session = client.get(f"/v1/users/{account.id}/next-session", headers=partner.headers).json()
    assert session["program_id"] == program["id"]
    assert session["exercises"]


def test_the_partner_reads_insights_and_volume(client, engine, partner, account):
    insight_id = an_insight(engine, account.id)
    insights = client.get(f"/v1/users/{account.id}/insights", headers=partner.headers).json()
    assert [i["id"] for i in insights["items"]] == [insight_id]
    volume = client.get(f"/v1/users/{account.id}/volume", params={"weeks": 2}, headers=partner.headers).json()
    assert len(volume["weeks"]) == 2


# -- writes ----------------------------------------------------------------------------------


def test_a_created_workout_is_stored_with_its_sets_and_can_be_read_back(client, partner, account):
    created = client.post(f"/v1/users/{account.id}/workouts", json=a_rest_workout(), headers=partner.headers)
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["started_at"], body["notes"], len(body["sets"])) == (
        "2026-03-02T17:00:00Z",
        "From the partner",
        2,
    )
    assert body["sets"][1]["performed_at"] == "2026-03-02T17:11:00Z"
    read = client.get(created.headers["location"], headers=partner.headers)
    assert read.json() == body


def test_a_created_workout_writes_one_outbox_row_for_the_recompute(client, engine, partner, account):
    client.post(f"/v1/users/{account.id}/workouts", json=a_rest_workout(), headers=partner.headers)
    with Session(engine) as session:
        topics = session.scalars(select(OutboxEvent.topic).where(OutboxEvent.user_id == account.id)).all()
    assert topics.count("user.logs_changed") == 1


def test_the_user_sees_a_workout_the_partner_logged_on_the_next_pull(client, partner, account):
    created = client.post(
        f"/v1/users/{account.id}/workouts", json=a_rest_workout(), headers=partner.headers
    ).json()
    pulled = pull(client, account)["changes"]
    assert [w["id"] for w in pulled["workouts"]["updated"]] == [created["id"]]
    assert len(pulled["workout_sets"]["updated"]) == 2


def test_an_unknown_exercise_is_a_422_naming_the_set_and_nothing_is_stored(client, engine, partner, account):
    workout = a_rest_workout()
    workout["sets"][1]["exercise_id"] = "leg-extension-deluxe"
    response = client.post(f"/v1/users/{account.id}/workouts", json=workout, headers=partner.headers)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "sets.1.exercise_id", "message": "not in the catalog nor one of yours"}
    ]
    assert count(engine, Workout, account) == count(engine, WorkoutSet, account) == 0


def test_a_workout_ending_before_it_starts_is_refused_like_in_a_push(client, engine, partner, account):
    workout = a_rest_workout(ended_at="2026-03-02T16:00:00Z")
    response = client.post(f"/v1/users/{account.id}/workouts", json=workout, headers=partner.headers)
    assert response.status_code == 422
    assert "ended_at must not be before started_at" in response.text
    assert count(engine, Workout, account) == 0


def test_a_load_sent_as_a_string_is_refused_like_in_a_push(client, partner, account):
    workout = a_rest_workout()
    workout["sets"][0]["load_kg"] = "100"
    response = client.post(f"/v1/users/{account.id}/workouts", json=workout, headers=partner.headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "sets.0.load_kg"


def test_a_time_without_an_offset_is_refused(client, partner, account):
    response = client.post(
        f"/v1/users/{account.id}/workouts",
        json=a_rest_workout(started_at="2026-03-02T17:00:00"),
        headers=partner.headers,
    )
    assert response.status_code == 422


# -- change feeds ----------------------------------------------------------------------------


def test_the_workout_feed_lists_a_deleted_workout_as_a_tombstone(client, partner, account):
    kept, deleted = logged(client, account), logged(client, account)
    push(client, account, changes(deleted_workouts=[deleted]), pull(client, account)["timestamp"])
    items = {i["id"]: i for i in feed(client, partner, account, "workouts")["items"]}
    assert set(items[deleted]) == {"id", "deleted", "changed_at"}
    assert items[deleted]["deleted"] is True
    assert items[kept]["deleted"] is False
    assert len(items[kept]["sets"]) == 1


def test_the_workout_feed_shows_the_users_own_exercises_its_sets_name(client, partner, account):
    own, workout = a_custom_exercise(), a_workout()
    the_set = a_set(workout["id"], exercise_id=own["id"], load_kg=0)
    push(
        client, account, changes(workouts=[workout], sets=[the_set], custom_exercises=[own])
    ).raise_for_status()
    [item] = feed(client, partner, account, "workouts")["items"]
    assert [(e["id"], e["name"], e["primary"]) for e in item["custom_exercises"]] == [
        (own["id"], own["name"], {"hamstrings": 1.0})
    ]


def test_a_partner_may_log_sets_of_the_users_own_exercise(client, partner, account):
    own = a_custom_exercise()
    push(client, account, changes(custom_exercises=[own])).raise_for_status()
    workout = a_rest_workout()
    workout["sets"][1]["exercise_id"] = own["id"]
    response = client.post(f"/v1/users/{account.id}/workouts", json=workout, headers=partner.headers)
    assert response.status_code == 201, response.text
    assert [e["id"] for e in response.json()["custom_exercises"]] == [own["id"]]


def test_the_workout_feed_leaves_out_what_changed_before_updated_since(client, partner, account):
    first = logged(client, account)
    [item] = feed(client, partner, account, "workouts")["items"]
    later = logged(client, account)
    since = datetime.fromisoformat(item["changed_at"]) + timedelta(microseconds=1)
    items = feed(
        client, partner, account, "workouts", updated_since=since.isoformat().replace("+00:00", "Z")
    )["items"]
    assert [i["id"] for i in items] == [later]
    assert first != later


def test_a_set_logged_later_brings_its_workout_back_into_the_feed(client, partner, account):
    workout_id = logged(client, account)
    [item] = feed(client, partner, account, "workouts")["items"]
    push(client, account, changes(sets=[a_set(workout_id, set_index=1)]), pull(client, account)["timestamp"])
    since = item["changed_at"].replace("+00:00", "Z")
    [again] = feed(client, partner, account, "workouts", updated_since=since)["items"]
    assert again["id"] == workout_id
    assert len(again["sets"]) == 2


def test_the_workout_feed_pages_follow_the_cursor_oldest_change_first(client, partner, account):
    logged_ids = [logged(client, account) for _ in range(3)]
    first = feed(client, partner, account, "workouts", limit=2)
    rest = feed(client, partner, account, "workouts", limit=2, cursor=first["next_cursor"])
    assert [i["id"] for i in first["items"] + rest["items"]] == logged_ids
    assert rest["next_cursor"] is None


def test_a_change_committed_after_a_page_is_on_the_next_page_whatever_its_clock_said(client, engine, partner):
    # A write stamped earlier than what the partner already read (a pod whose clock lags, or a
    # slow commit) still comes after the partner's cursor: feeds resume by sync version.
    account = register(client)
    grant_directly(engine, partner, account.id)
    first, second = an_insight(engine, account.id), an_insight(engine, account.id)
    page = feed(client, partner, account, "insights", limit=1)
    assert [i["id"] for i in page["items"]] == [first]
    late = an_insight(engine, account.id, server_updated_at=datetime.now(UTC) - timedelta(hours=1))
    rest = feed(client, partner, account, "insights", cursor=page["next_cursor"])
    assert [i["id"] for i in rest["items"]] == [second, late]


def test_polling_from_the_last_pages_poll_cursor_gets_a_change_stamped_earlier(client, engine, partner):
    account = register(client)
    grant_directly(engine, partner, account.id)
    seen = an_insight(engine, account.id)
    last_page = feed(client, partner, account, "insights")
    assert ([i["id"] for i in last_page["items"]], last_page["next_cursor"]) == ([seen], None)
    late = an_insight(engine, account.id, server_updated_at=datetime.now(UTC) - timedelta(hours=1))
    polled = feed(client, partner, account, "insights", cursor=last_page["poll_cursor"])
    assert [i["id"] for i in polled["items"]] == [late]
    assert feed(client, partner, account, "insights", cursor=polled["poll_cursor"])["items"] == []


def test_the_insight_feed_lists_a_deleted_insight_as_a_tombstone(client, engine, partner, account):
    kept, deleted = an_insight(engine, account.id), an_insight(engine, account.id)
    with Session(engine) as session:
        versions = users.SyncVersions(users.lock_for_sync(session, account.id))
        sync.tombstone(session, Insight, user_id=account.id, ids=[deleted], versions=[versions.next()])
        versions.save()
        session.commit()
    items = feed(client, partner, account, "insights")["items"]
    assert [(i["id"], i["deleted"]) for i in items] == [(kept, False), (deleted, True)]
    assert items[0]["kind"] == "imbalance.hamstring_neglect"


def test_updated_since_without_an_offset_is_a_422(client, partner, account):
    response = client.get(
        f"/v1/users/{account.id}/changes/workouts",
        params={"updated_since": "2026-03-02T12:00:00"},
        headers=partner.headers,
    )
    assert response.status_code == 422
