"""Accepted advice lands in the program: accepting an alert that adds exercises puts them in the
program the user follows (a starter is copied into their own first), so the next session shows
them with the alert as their reason; dismissing leaves the program as it was."""

import pytest

from tests.api.programs.test_programs import program_by_slug
from tests.factories.partners import an_insight
from tests.factories.scenarios import push_body, recompute, scenario_now, scenarios
from tests.factories.sync import pull, push
from tests.factories.users import register

HINGE_ONLY = "4 hinge-only"
COVERAGE = "imbalance.pattern_coverage"
NORDICS = {"add": [{"exercise_id": "nordic-curl", "sets": 2, "rep_min": 4, "rep_max": 6, "order": 1}]}


def hinges(name: str) -> dict:
    return {
        "name": name,
        "slots": [{"exercise_id": "romanian-deadlift", "sets": 3, "rep_min": 6, "rep_max": 8}],
    }


@pytest.fixture
def hinge_only(client, engine):
    """S4's lifter (RDLs and back extensions, no knee flexion) following a program of their own."""
    user = scenarios()[HINGE_ONLY]["user"]
    account = register(client, timezone=user["timezone"], week_start=user["week_start"])
    push(client, account, push_body(HINGE_ONLY)).raise_for_status()
    program = client.post(
        "/v1/me/programs",
        json={"name": "Hinges", "days": [hinges("A"), hinges("B")]},
        headers=account.headers,
    ).json()
    enroll = {"program_id": program["id"], "start_date": "2026-01-05"}
    client.put("/v1/me/enrollment", json=enroll, headers=account.headers).raise_for_status()
    recompute(engine, account.id, scenario_now(HINGE_ONLY))
    return account, program


def coverage_alert(client, account) -> dict:
    items = client.get("/v1/me/insights", params={"kind": COVERAGE}, headers=account.headers).json()["items"]
    return items[0]


def next_exercises(client, account) -> list[dict]:
    return client.get("/v1/me/next-session", headers=account.headers).json()["exercises"]


def test_accepting_a_coverage_alert_adds_its_exercise_to_the_followed_program(client, hinge_only):
    account, program = hinge_only
    alert = coverage_alert(client, account)
    answer = client.post(f"/v1/me/insights/{alert['id']}/accept", headers=account.headers).json()
    change = answer["program_change"]
    assert (change["program_id"], change["copied_from"]) == (program["id"], None)
    [added] = change["added"]
    assert added["exercise_id"] == alert["recommendation"]["add"][0]["exercise_id"]


def test_the_next_session_shows_the_added_exercise_with_the_alert_as_its_reason(client, hinge_only):
    account, _ = hinge_only
    alert = coverage_alert(client, account)
    client.post(f"/v1/me/insights/{alert['id']}/accept", headers=account.headers).raise_for_status()
    [added] = [e for e in next_exercises(client, account) if e["exercise_id"] != "romanian-deadlift"]
    assert added["exercise_id"] == alert["recommendation"]["add"][0]["exercise_id"]
    program = client.get("/v1/me/programs", headers=account.headers).json()["items"][0]
    [slot] = [s for s in program["days"][0]["slots"] if s["exercise_id"] == added["exercise_id"]]
    assert alert["title"] in slot["note"]


def test_dismissing_leaves_the_program_as_it_was(client, hinge_only):
    account, program = hinge_only
    alert = coverage_alert(client, account)
    answer = client.post(f"/v1/me/insights/{alert['id']}/dismiss", headers=account.headers).json()
    assert answer["program_change"] is None
    after = client.get(f"/v1/me/programs/{program['id']}", headers=account.headers).json()
    assert (after["revision"], after["days"]) == (program["revision"], program["days"])


def test_accepting_on_the_phone_lands_the_advice_too(client, hinge_only):
    account, program = hinge_only
    body = pull(client, account)
    [alert] = [i for i in body["changes"]["insights"]["updated"] if i["kind"] == COVERAGE]
    changes = {"insights": {"created": [], "updated": [alert | {"status": "accepted"}], "deleted": []}}
    push(client, account, changes, body["timestamp"]).raise_for_status()
    after = client.get(f"/v1/me/programs/{program['id']}", headers=account.headers).json()
    assert after["revision"] == program["revision"] + 1
    assert len(after["days"][0]["slots"]) == 2


def test_a_followed_starter_is_copied_into_the_users_own_program_first(client, engine):
    account = register(client)
    builder = program_by_slug(client, "posterior-chain-builder")
    enroll = {"program_id": builder["id"], "start_date": "2026-03-02"}
    client.put("/v1/me/enrollment", json=enroll, headers=account.headers).raise_for_status()
    insight_id = an_insight(engine, account.id, recommendation=NORDICS)
    change = client.post(f"/v1/me/insights/{insight_id}/accept", headers=account.headers).json()[
        "program_change"
    ]
    assert change["copied_from"] == builder["id"]
    assert change["added"] == [{"day_key": "A", "slot_id": "A1", "exercise_id": "nordic-curl"}]
    assert (
        client.get("/v1/me/enrollment", headers=account.headers).json()["program_id"] == change["program_id"]
    )
    assert next_exercises(client, account)[0]["exercise_id"] == "nordic-curl"
    assert client.get(f"/v1/programs/{builder['id']}").json() == builder  # the starter is unchanged
