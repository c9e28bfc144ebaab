"""Insights and prescriptions written by the recompute, as the API and sync pulls serve them."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from services.core.models import Insight
from tests.factories.scenarios import push_body, recompute, scenario_now, scenarios, shift_to_today
from tests.factories.sync import pull, push
from tests.factories.users import register

QUAD_ONLY = "3 quad-only"
PLATEAU = "6 plateau deload"


def logged(client, name: str, *, shift: timedelta = timedelta(0)):
    account = register(
        client,
        timezone=scenarios()[name]["user"]["timezone"],
        week_start=scenarios()[name]["user"]["week_start"],
    )
    response = client.post(
        "/v1/sync/push", json={"changes": push_body(name, shift=shift)}, headers=account.headers
    )
    assert response.status_code == 200, response.text
    return account


@pytest.fixture
def quad_only(client, engine):
    account = logged(client, QUAD_ONLY)
    recompute(engine, account.id, scenario_now(QUAD_ONLY))
    return account


def open_insights(client, account) -> dict[tuple[str, str], dict]:
    items = client.get("/v1/me/insights", params={"status": "open"}, headers=account.headers).json()["items"]
    return {(i["kind"], i["subject"]): i for i in items}


def test_a_quad_only_lifter_gets_hamstring_volume_and_neglect_alerts(client, quad_only):
    found = open_insights(client, quad_only)
    assert found[("imbalance.hamstring_quad_volume", "hamstrings")]["severity"] == "warning"
    assert found[("imbalance.hamstring_neglect", "hamstrings")]["severity"] == "warning"


def test_every_insight_explains_itself_with_evidence_and_a_rule(client, quad_only):
    for insight in open_insights(client, quad_only).values():
        assert insight["explanation"]
        assert insight["evidence"]
        assert "@" in insight["rule_id"]


def test_insights_can_be_filtered_by_kind(client, quad_only):
    params = {"kind": "imbalance.hamstring_neglect"}
    items = client.get("/v1/me/insights", params=params, headers=quad_only.headers).json()["items"]
    assert [i["kind"] for i in items] == ["imbalance.hamstring_neglect"]


def test_insight_pages_follow_the_cursor(client, quad_only):
    first = client.get("/v1/me/insights", params={"limit": 1}, headers=quad_only.headers).json()
    second = client.get(
        "/v1/me/insights", params={"limit": 1, "cursor": first["next_cursor"]}, headers=quad_only.headers
    ).json()
    assert first["items"][0]["id"] != second["items"][0]["id"]


def test_recomputing_twice_gives_the_same_rows(client, engine, quad_only):
    again = recompute(engine, quad_only.id, scenario_now(QUAD_ONLY))
    assert again.changed is False
    with engine.connect() as connection:
        count = connection.scalar(
            select(func.count()).select_from(Insight).where(Insight.user_id == quad_only.id)
        )
    assert count == len(client.get("/v1/me/insights", headers=quad_only.headers).json()["items"])


def test_an_insight_that_no_longer_holds_expires_instead_of_duplicating(client, engine, quad_only):
    recompute(engine, quad_only.id, scenario_now(QUAD_ONLY) + timedelta(weeks=20))
    assert open_insights(client, quad_only) == {}
    expired = client.get("/v1/me/insights", params={"status": "expired"}, headers=quad_only.headers).json()[
        "items"
    ]
    assert {i["kind"] for i in expired} >= {"imbalance.hamstring_quad_volume", "imbalance.hamstring_neglect"}


def test_insights_and_prescriptions_reach_the_phone_through_a_pull(client, quad_only):
    changes = pull(client, quad_only)["changes"]
    kinds = {i["kind"] for i in changes["insights"]["updated"]}
    assert "imbalance.hamstring_neglect" in kinds
    assert isinstance(changes["insights"]["updated"][0]["evidence_json"], str)
    assert isinstance(changes["insights"]["updated"][0]["week_start"], int)
    assert changes["prescriptions"]["updated"]


def test_dismissing_an_insight_sets_its_status(client, quad_only):
    insight = open_insights(client, quad_only)[("imbalance.hamstring_neglect", "hamstrings")]
    response = client.post(f"/v1/me/insights/{insight['id']}/dismiss", headers=quad_only.headers)
    assert response.status_code == 200
    assert response.json()["status"] == "dismissed"


def test_answering_an_insight_twice_is_harmless(client, quad_only):
    insight = open_insights(client, quad_only)[("imbalance.hamstring_neglect", "hamstrings")]
    client.post(f"/v1/me/insights/{insight['id']}/accept", headers=quad_only.headers)
    assert (
        client.post(f"/v1/me/insights/{insight['id']}/accept", headers=quad_only.headers).status_code == 200
    )


def test_an_expired_insight_cannot_be_accepted(client, engine, quad_only):
    insight = open_insights(client, quad_only)[("imbalance.hamstring_neglect", "hamstrings")]
    recompute(engine, quad_only.id, scenario_now(QUAD_ONLY) + timedelta(weeks=20))
    response = client.post(f"/v1/me/insights/{insight['id']}/accept", headers=quad_only.headers)
    assert response.status_code == 409


def test_another_users_insight_is_a_404(client, quad_only):
    insight = next(iter(open_insights(client, quad_only).values()))
    stranger = register(client)
    assert (
        client.post(f"/v1/me/insights/{insight['id']}/dismiss", headers=stranger.headers).status_code == 404
    )
    assert open_insights(client, quad_only)[(insight["kind"], insight["subject"])]["status"] == "open"


def test_a_phone_dismisses_an_insight_by_pushing_its_status(client, quad_only):
    pulled = pull(client, quad_only)
    row = next(
        i for i in pulled["changes"]["insights"]["updated"] if i["kind"] == "imbalance.hamstring_neglect"
    )
    body = {
        "insights": {
            "created": [],
            "updated": [row | {"status": "dismissed", "_status": "updated"}],
            "deleted": [],
        }
    }
    assert push(client, quad_only, body, pulled["timestamp"]).status_code == 200
    assert ("imbalance.hamstring_neglect", "hamstrings") not in open_insights(client, quad_only)


def test_a_pushed_insight_with_another_changed_column_is_422(client, quad_only):
    pulled = pull(client, quad_only)
    row = pulled["changes"]["insights"]["updated"][0]
    body = {
        "insights": {
            "created": [],
            "updated": [row | {"status": "accepted", "title": "I rewrote this"}],
            "deleted": [],
        }
    }
    response = push(client, quad_only, body, pulled["timestamp"])
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "title"


def test_a_pushed_status_for_an_insight_changed_since_the_pull_is_409(client, engine, quad_only):
    pulled = pull(client, quad_only)
    row = next(
        i for i in pulled["changes"]["insights"]["updated"] if i["kind"] == "imbalance.hamstring_neglect"
    )
    recompute(engine, quad_only.id, scenario_now(QUAD_ONLY) + timedelta(weeks=20))  # the server expires it
    body = {"insights": {"created": [], "updated": [row | {"status": "accepted"}], "deleted": []}}
    assert push(client, quad_only, body, pulled["timestamp"]).status_code == 409


def test_a_phone_may_not_create_insights(client, quad_only):
    body = {
        "insights": {"created": [{"id": "mine0000000001", "status": "open"}], "updated": [], "deleted": []}
    }
    assert push(client, quad_only, body).status_code == 422


def test_an_accepted_deload_changes_next_weeks_prescriptions(client, engine):
    # Moved to today: the acceptance is stamped with the real time, and the deload week follows it.
    shift = shift_to_today(PLATEAU)
    account = logged(client, PLATEAU, shift=shift)
    now = scenario_now(PLATEAU) + shift
    recompute(engine, account.id, now)
    deload = open_insights(client, account)[("deload.suggested", "program")]
    client.post(f"/v1/me/insights/{deload['id']}/accept", headers=account.headers)
    # Nothing logged yet this week, so the deload is in force now (training-rules.md §3.4).
    recompute(engine, account.id, datetime.now(UTC))
    rows = pull(client, account)["changes"]["prescriptions"]["updated"]
    rdl = next(r for r in rows if r["exercise_id"] == "romanian-deadlift")
    assert '"deload"' in rdl["reason_json"]
    assert rdl["load_kg"] == 107.5
    assert rdl["sets"] == 2


def test_a_dismissed_deload_stays_quiet_during_its_cooldown(client, engine):
    account = logged(client, PLATEAU)
    now = scenario_now(PLATEAU)
    recompute(engine, account.id, now)
    deload = open_insights(client, account)[("deload.suggested", "program")]
    client.post(f"/v1/me/insights/{deload['id']}/dismiss", headers=account.headers)
    recompute(engine, account.id, now + timedelta(days=2))
    assert ("deload.suggested", "program") not in open_insights(client, account)


def test_volume_reports_hard_sets_per_muscle_and_the_hamstring_quad_ratio(client):
    account = logged(client, QUAD_ONLY, shift=shift_to_today(QUAD_ONLY))
    weeks = client.get("/v1/me/volume", params={"weeks": 4}, headers=account.headers).json()["weeks"]
    assert len(weeks) == 4
    assert all(w["hard_sets"]["hamstrings"] == 0 for w in weeks)
    assert sum(w["hard_sets"]["quadriceps"] for w in weeks) == 52
    assert weeks[-1]["hamstring_quad_ratio"] == 0


def test_progress_reports_the_weekly_best_e1rm(client):
    account = logged(client, QUAD_ONLY, shift=shift_to_today(QUAD_ONLY))
    weeks = client.get("/v1/me/progress/back-squat", params={"weeks": 6}, headers=account.headers).json()[
        "weeks"
    ]
    e1rms = [w["e1rm_kg"] for w in weeks]
    assert all(e is not None for e in e1rms)
    assert e1rms == sorted(e1rms)  # the squat goes up 2.5 kg a week in this scenario


def test_progress_of_an_unknown_exercise_is_404(client):
    account = register(client)
    assert client.get("/v1/me/progress/not-a-catalog-exercise", headers=account.headers).status_code == 404


def test_next_session_serves_the_prescription_with_its_reason(client, engine):
    account = logged(client, PLATEAU, shift=shift_to_today(PLATEAU))
    builder = next(
        p for p in client.get("/v1/programs").json()["items"] if p["slug"] == "posterior-chain-builder"
    )
    client.put(
        "/v1/me/enrollment",
        json={"program_id": builder["id"], "start_date": "2025-01-06"},
        headers=account.headers,
    )
    recompute(engine, account.id, scenario_now(PLATEAU) + shift_to_today(PLATEAU))
    rdl = client.get("/v1/me/next-session", headers=account.headers).json()["exercises"][0]
    assert rdl["target"]["basis"] == "prescription"
    assert rdl["target"]["reason"]["rule"]
    assert rdl["target"]["load_kg"] is not None
