"""Swapping a slot's exercise (the machine is taken) without losing progress: the new target comes
from the old exercise's e1RM through a documented ratio (training-rules.md §2.6), a starter is copied
into the user's own program first, and swapping back ends the substitution."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.api.programs.test_programs import program_by_slug
from tests.factories.users import register
from tests.factories.workouts import log_workout

CURLS = {
    "name": "Curls",
    "slots": [{"exercise_id": "seated-leg-curl", "sets": 3, "rep_min": 12, "rep_max": 15}],
}


@pytest.fixture
def account(client):
    return register(client)


@pytest.fixture
def program(client, account) -> dict:
    response = client.post(
        "/v1/me/programs", json={"name": "Curls", "days": [CURLS]}, headers=account.headers
    )
    assert response.status_code == 201, response.text
    return response.json()


def seated_curls_last_week(engine, account) -> None:
    log_workout(
        engine,
        account.id,
        started_at=datetime.now(UTC) - timedelta(days=7),
        sets=[{"exercise_id": "seated-leg-curl", "load_kg": 50.0, "reps": 12, "rir": 1}] * 3,
    )


def substitute(client, account, program_id: str, slot_id: str, exercise_id: str):
    return client.post(
        f"/v1/me/programs/{program_id}/slots/{slot_id}/substitute",
        json={"exercise_id": exercise_id},
        headers=account.headers,
    )


def test_a_swap_to_a_related_exercise_carries_the_e1rm_over_by_its_ratio(client, engine, account, program):
    seated_curls_last_week(engine, account)
    answer = substitute(client, account, program["id"], "A1", "lying-leg-curl").json()
    assert (answer["old_exercise_id"], answer["new_exercise_id"]) == ("seated-leg-curl", "lying-leg-curl")
    assert answer["target"]["reason"]["case"] == "ratio"
    assert answer["target"]["reason"]["rule_id"].startswith("prog.transfer@")
    assert 40 <= answer["target"]["load_kg"] <= 55


def test_the_slot_names_the_exercise_it_replaced_and_the_revision_rises(client, account, program):
    answer = substitute(client, account, program["id"], "A1", "lying-leg-curl").json()
    [slot] = answer["program"]["days"][0]["slots"]
    assert (slot["exercise_id"], slot["substituted_from"]) == ("lying-leg-curl", "seated-leg-curl")
    assert answer["program"]["revision"] == program["revision"] + 1


def test_swapping_back_ends_the_substitution(client, account, program):
    substitute(client, account, program["id"], "A1", "lying-leg-curl").raise_for_status()
    answer = substitute(client, account, program["id"], "A1", "seated-leg-curl").json()
    [slot] = answer["program"]["days"][0]["slots"]
    assert (slot["exercise_id"], slot["substituted_from"]) == ("seated-leg-curl", None)


def test_an_unrelated_exercise_starts_conservatively_and_says_why(client, engine, account, program):
    seated_curls_last_week(engine, account)
    target = substitute(client, account, program["id"], "A1", "bench-press").json()["target"]
    assert target["load_kg"] is None
    assert target["reason"]["case"] == "unrelated"
    assert target["note"]


def test_a_followed_starter_is_copied_first_and_the_user_follows_the_copy(client, account):
    builder = program_by_slug(client, "posterior-chain-builder")
    enroll = {"program_id": builder["id"], "start_date": "2026-03-02"}
    client.put("/v1/me/enrollment", json=enroll, headers=account.headers).raise_for_status()
    answer = substitute(client, account, builder["id"], "A2", "lying-leg-curl").json()
    copy = answer["program"]
    assert (answer["copied_from"], copy["source_program_id"], copy["enrolled"]) == (
        builder["id"],
        builder["id"],
        True,
    )
    assert copy["days"][0]["slots"][1]["exercise_id"] == "lying-leg-curl"
    assert client.get(f"/v1/programs/{builder['id']}").json() == builder


def test_an_exercise_the_user_cannot_see_is_a_422_and_nothing_changes(client, account, program):
    response = substitute(client, account, program["id"], "A1", "leg-blaster")
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "exercise_id", "message": "not in the catalog nor one of yours"}
    ]
    assert client.get(f"/v1/me/programs/{program['id']}", headers=account.headers).json() == program


def test_a_slot_the_program_does_not_have_is_a_404(client, account, program):
    assert substitute(client, account, program["id"], "B1", "lying-leg-curl").status_code == 404
    assert substitute(client, account, program["id"], "A9", "lying-leg-curl").status_code == 404
