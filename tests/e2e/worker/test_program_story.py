"""A program a lifter owns, end to end on PostgreSQL with a Celery worker and beat:

they copy the posterior chain builder, swap its seated curl for the lying curl while the machine is
taken and back, then trade the builder's day-A hamstring work for squats and leg presses (the seed
story: weeks of squats with almost no hamstring work). The worker raises the posterior-chain
deficit; they accept it, and the RDL and the seated curl come back into their program, first on
their days, where the next session shows them with the alert as their reason; the phone pulls the
program and the next session as they now are."""

from collections.abc import Iterator

import httpx
import pytest

from tests.e2e.processes import wait_for
from tests.factories.history import moved_to_week_of, scenario
from tests.factories.phone import Phone, records

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(240)]

DEFICIT = "imbalance.posterior_chain_deficit"
VISIBLE_WITHIN_S = 60


@pytest.fixture
def lifter(stack) -> Iterator[Phone]:
    with httpx.Client(base_url=stack.api.base_url, timeout=30) as http:
        yield Phone(http, timezone="Europe/Berlin")


def call(lifter: Phone, method: str, path: str, **kwargs) -> dict:
    response = lifter.http.request(method, path, headers=lifter.headers, **kwargs)
    assert response.is_success, response.text
    return response.json()


def exercises(day: dict) -> list[str]:
    return [slot["exercise_id"] for slot in day["slots"]]


def squat_day(day: dict) -> dict:
    squats = [
        {"exercise_id": "back-squat", "sets": 3, "rep_min": 6, "rep_max": 8},
        {"exercise_id": "leg-press", "sets": 3, "rep_min": 8, "rep_max": 12},
    ]
    return {"id": day["id"], "name": "Squat day", "slots": squats}


def test_a_copied_builder_swapped_and_edited_gets_its_hamstring_work_back_from_an_accepted_alert(lifter):
    builder = next(
        p for p in call(lifter, "GET", "/v1/programs")["items"] if p["slug"] == "posterior-chain-builder"
    )
    mine = call(
        lifter, "POST", "/v1/me/programs", json={"name": "My builder", "source_program_id": builder["id"]}
    )
    call(lifter, "PUT", "/v1/me/enrollment", json={"program_id": mine["id"], "start_date": "2026-01-05"})
    day_a, day_b = mine["days"]
    assert exercises(day_a) == ["romanian-deadlift", "seated-leg-curl"]

    # The seated curl machine is taken: the lying curl for today, then back.
    swapped = call(
        lifter,
        "POST",
        f"/v1/me/programs/{mine['id']}/slots/A2/substitute",
        json={"exercise_id": "lying-leg-curl"},
    )
    assert exercises(swapped["program"]["days"][0]) == ["romanian-deadlift", "lying-leg-curl"]
    assert swapped["target"]["reason"]["rule_id"].startswith("prog.transfer@")
    back = call(
        lifter,
        "POST",
        f"/v1/me/programs/{mine['id']}/slots/A2/substitute",
        json={"exercise_id": "seated-leg-curl"},
    )
    assert back["program"]["days"][0]["slots"][1]["substituted_from"] is None

    # Squats instead of the day-A hamstring work; day B keeps its back extension and lying curl.
    days_b = {
        "id": day_b["id"],
        "name": day_b["name"],
        "slots": [{"exercise_id": "leg-extension", "sets": 3, "rep_min": 10, "rep_max": 15}],
    }
    edited = call(lifter, "PATCH", f"/v1/me/programs/{mine['id']}", json={"days": [squat_day(day_a), days_b]})
    assert [exercises(d) for d in edited["days"]] == [["back-squat", "leg-press"], ["leg-extension"]]

    # The seed story's weeks of squats, pushed from the phone: the worker raises the deficit.
    lifter.push_history(moved_to_week_of(scenario("2")))
    deficit = wait_for(
        lambda: next((i for i in lifter.insights() if i["kind"] == DEFICIT and i["status"] == "open"), None),
        timeout_s=VISIBLE_WITHIN_S,
        interval_s=0.2,
        what="the posterior-chain deficit",
    )

    answer = call(lifter, "POST", f"/v1/me/insights/{deficit['id']}/accept")
    added = {(a["day_key"], a["exercise_id"]) for a in answer["program_change"]["added"]}
    assert answer["program_change"]["copied_from"] is None  # it is already theirs
    assert ("A", "romanian-deadlift") in added

    session = call(lifter, "GET", "/v1/me/next-session")
    assert session["day"]["key"] == "A"
    first = session["exercises"][0]
    assert first["exercise_id"] == "romanian-deadlift"  # hamstrings first
    program = call(lifter, "GET", f"/v1/me/programs/{mine['id']}")
    assert deficit["title"] in program["days"][0]["slots"][0]["note"]

    # Offline, the phone has the same: the program as edited and the next session, pulled.
    pulled = lifter.pull(schema_version=3)
    [own] = records(pulled, "programs")
    assert own["days_json"][0]["slots"][0]["exercise_id"] == "romanian-deadlift"
    [planned] = records(pulled, "planned_sessions")
    assert planned["session_json"]["day"]["key"] == "A"
    assert planned["session_json"]["exercises"][0]["exercise_id"] == "romanian-deadlift"
