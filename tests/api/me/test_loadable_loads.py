"""Loads a pound user's gym can make, end to end through the API (issue 17; training-rules.md §2.8,
§1.7): sets pushed with what was typed, the recompute, the next session with its plates, the gym,
weigh-ins, and what an app of sync schema 3 sees."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session

from services.core.usecases.recompute import recompute_user
from tests.api.programs.test_programs import program_by_slug
from tests.factories.sync import a_body_weight, a_set, a_workout, changes, new_id, pull, push
from tests.factories.users import Account, register

# Last week, by the clock: a PUT of the gym or a unit change recomputes at the request's time, and
# progress shows completed weeks.
LOGGED = datetime.now(UTC).replace(microsecond=0) - timedelta(days=8)
RDL_225_LB = {"load_kg": 102.0582, "entered_load": 225, "entered_unit": "lb"}


@pytest.fixture
def builder(client) -> dict:
    return program_by_slug(client, "posterior-chain-builder")


def enrolled(client, builder: dict, **settings: Any) -> Account:
    account = register(client, **settings)
    body = {"program_id": builder["id"], "start_date": "2026-01-05"}
    assert client.put("/v1/me/enrollment", json=body, headers=account.headers).status_code == 200
    return account


def log(client, account: Account, *sets: dict, at: datetime = LOGGED) -> None:
    """One workout of the given sets (three of each dict), pushed as the phone does."""
    started = int(at.timestamp() * 1000)
    workout = a_workout(started_at=started)
    rows = [
        a_set(workout["id"], set_index=i, performed_at=started + 60_000 * (i + 1), **overrides)
        for i, overrides in enumerate(s for s in sets for _ in range(3))
    ]
    response = push(client, account, changes(workouts=[workout], sets=rows))
    assert response.status_code == 200, response.text


def recompute(client, account: Account) -> None:
    with Session(client.app.state.engine) as session:
        recompute_user(session, account.id)
        session.commit()


def target(client, account: Account, exercise_id: str = "romanian-deadlift") -> dict:
    session = client.get("/v1/me/next-session", headers=account.headers).json()
    return next(e["target"] for e in session["exercises"] if e["exercise_id"] == exercise_id)


def test_a_pound_user_who_tops_the_range_at_225_lb_is_told_230_lb_with_its_plates(client, builder):
    account = enrolled(client, builder, unit="lb")
    log(client, account, RDL_225_LB)
    recompute(client, account)
    rdl = target(client, account)
    assert (rdl["unit"], rdl["load"], rdl["load_lb"]) == ("lb", 230, 230)
    assert (rdl["bar"], rdl["plates_per_side"]) == (45, [45, 45, 2.5])
    assert rdl["load_kg"] == 104.326245
    assert rdl["note"].startswith("All sets hit 8 reps: 230 lb next")


def test_the_reason_keeps_the_computed_pounds_beside_the_loadable_ones(client, builder):
    account = enrolled(client, builder, unit="lb")
    log(client, account, RDL_225_LB)
    recompute(client, account)
    reason = target(client, account)["reason"]
    assert reason["computed"] == {"quantity": "load", "value": 230.5116, "unit": "lb"}
    assert reason["loadable"] == {"quantity": "load", "value": 230, "unit": "lb"}


def test_a_default_kg_user_keeps_the_2_5_kg_barbell_and_5_kg_machine_steps(client, builder):
    account = enrolled(client, builder)
    curl = {"exercise_id": "seated-leg-curl", "load_kg": 45, "reps": 15, "rir": 0, "to_failure": True}
    log(client, account, {"load_kg": 100}, curl)
    recompute(client, account)
    rdl, seated = target(client, account), target(client, account, "seated-leg-curl")
    assert (rdl["unit"], rdl["load"], rdl["load_kg"], rdl["load_lb"]) == ("kg", 102.5, 102.5, None)
    assert (rdl["bar"], rdl["plates_per_side"]) == (20, [25, 15, 1.25])
    assert (seated["load"], seated["stack"], seated["plates_per_side"]) == (
        50,
        {"pin": 10, "add_on": False},
        None,
    )


def test_the_prescriptions_pulled_by_the_phone_carry_the_loadable_pounds_and_plates(client, builder):
    account = enrolled(client, builder, unit="lb")
    log(client, account, RDL_225_LB)
    recompute(client, account)
    rows = pull(client, account)["changes"]["prescriptions"]["updated"]
    rdl = next(r for r in rows if r["exercise_id"] == "romanian-deadlift")
    assert (rdl["unit"], rdl["load"], rdl["bar"], rdl["plates_per_side_json"]) == (
        "lb",
        230,
        45,
        "[45.0, 45.0, 2.5]",
    )


def test_without_a_stored_gym_the_equipment_is_the_default_of_the_users_unit(client):
    account = register(client, unit="lb")
    gym = client.get("/v1/me/equipment", headers=account.headers).json()
    assert (gym["stored"], gym["unit"], gym["bars"]["standard"], gym["plates"]) == (
        False,
        "lb",
        45,
        [45, 35, 25, 10, 5, 2.5],
    )


def test_microplates_in_the_gym_change_the_next_session_at_once(client, builder):
    account = enrolled(client, builder)
    log(client, account, {"load_kg": 101})
    recompute(client, account)
    assert target(client, account)["load"] == 102.5
    with_microplates = {"unit": "kg", "plates": [25, 20, 15, 10, 5, 2.5, 1.25, 0.5, 0.25]}
    response = client.put("/v1/me/equipment", json=with_microplates, headers=account.headers)
    assert response.status_code == 200, response.text
    rdl = target(client, account)
    assert (rdl["load"], rdl["plates_per_side"]) == (103.5, [25, 15, 1.25, 0.5])


def test_taking_the_microplates_away_again_restores_the_coarser_load(client, builder):
    account = enrolled(client, builder)
    log(client, account, {"load_kg": 101})
    micro = {"unit": "kg", "plates": [25, 20, 15, 10, 5, 2.5, 1.25, 0.5, 0.25]}
    client.put("/v1/me/equipment", json=micro, headers=account.headers).raise_for_status()
    client.put("/v1/me/equipment", json={"unit": "kg"}, headers=account.headers).raise_for_status()
    assert target(client, account)["load"] == 102.5


def test_a_gym_that_cannot_make_loads_is_a_422_that_changes_nothing(client, builder):
    account = enrolled(client, builder)
    log(client, account, {"load_kg": 100})
    recompute(client, account)
    before = client.get("/v1/me/next-session", headers=account.headers)
    response = client.put("/v1/me/equipment", json={"unit": "kg", "plates": [0]}, headers=account.headers)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["message"] == "plates must be positive"
    assert client.get("/v1/me/equipment", headers=account.headers).json()["stored"] is False
    after = client.get("/v1/me/next-session", headers=account.headers)
    assert (after.headers["etag"], after.json()) == (before.headers["etag"], before.json())


def test_a_stored_gym_reaches_the_phone_as_its_equipment_profile(client):
    account = register(client)
    client.put("/v1/me/equipment", json={"unit": "lb"}, headers=account.headers).raise_for_status()
    rows = pull(client, account)["changes"]["equipment_profiles"]["updated"]
    assert [(r["id"], r["unit"]) for r in rows] == [("gym", "lb")]
    assert '"standard": 45.0' in rows[0]["profile_json"]


NORDICS = {"exercise_id": "nordic-curl", "load_kg": 0, "reps": 5, "rir": 2, "eccentric_s": 4}


def test_a_pushed_body_weight_gives_a_nordic_an_e1rm_in_progress(client):
    account = register(client)
    log(client, account, NORDICS)
    path = "/v1/me/progress/nordic-curl"
    assert all(w["e1rm"] is None for w in client.get(path, headers=account.headers).json()["weeks"])
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    weighed = a_body_weight(measured_on=int((today - timedelta(days=30)).timestamp() * 1000))
    assert push(client, account, changes(body_weights=[weighed])).status_code == 200
    weeks = client.get(path, headers=account.headers).json()["weeks"]
    assert any(w["e1rm"] for w in weeks)


def test_progress_answers_in_the_users_unit(client):
    account = register(client, unit="lb")
    log(client, account, RDL_225_LB)
    body = client.get("/v1/me/progress/romanian-deadlift", headers=account.headers).json()
    best = next(w for w in body["weeks"] if w["e1rm_kg"])
    assert body["unit"] == "lb"
    assert best["e1rm"] == round(best["e1rm_kg"] / 0.45359237, 1)


def test_a_user_who_switches_to_pounds_sees_the_same_physical_load_on_a_pound_grid(client, builder):
    account = enrolled(client, builder)
    log(client, account, {"load_kg": 100})
    recompute(client, account)
    assert target(client, account)["load"] == 102.5
    # The switch recomputes at once: 100 kg is 220.46 lb, + 5.51 = 225.97, on the pound bar 225 lb.
    assert client.patch("/v1/me", json={"unit": "lb"}, headers=account.headers).status_code == 200
    rdl = target(client, account)
    assert (rdl["unit"], rdl["load"], rdl["plates_per_side"]) == ("lb", 225, [45, 45])


def test_a_user_who_switches_to_kilograms_reads_their_pound_logs_in_kilograms(client, builder):
    account = enrolled(client, builder, unit="lb")
    log(client, account, RDL_225_LB)
    assert client.patch("/v1/me", json={"unit": "kg"}, headers=account.headers).status_code == 200
    workouts = client.get("/v1/me/workouts", headers=account.headers).json()["items"]
    logged = workouts[0]["sets"][0]
    assert (logged["unit"], logged["load"], logged["entered_load"], logged["entered_unit"]) == (
        "kg",
        102.06,
        225,
        "lb",
    )


def test_the_e1rm_of_a_user_who_switches_unit_does_not_change(client):
    account = register(client, unit="lb")
    log(client, account, RDL_225_LB)
    path = "/v1/me/progress/romanian-deadlift"
    in_pounds = client.get(path, headers=account.headers).json()["weeks"]
    client.patch("/v1/me", json={"unit": "kg"}, headers=account.headers).raise_for_status()
    in_kilograms = client.get(path, headers=account.headers).json()["weeks"]
    assert [w["e1rm_kg"] for w in in_pounds] == [w["e1rm_kg"] for w in in_kilograms]


class TestPushedUnits:
    def test_a_load_kg_that_is_not_the_entered_load_is_a_422(self, client):
        account = register(client)
        workout = a_workout()
        wrong = a_set(workout["id"], load_kg=100, entered_load=225, entered_unit="lb")
        response = push(client, account, changes(workouts=[workout], sets=[wrong]))
        assert response.status_code == 422
        assert "load_kg must be entered_load in kilograms" in response.json()["errors"][0]["message"]

    def test_an_entered_load_without_its_unit_is_a_422(self, client):
        account = register(client)
        workout = a_workout()
        half = a_set(workout["id"], load_kg=102.0582, entered_load=225)
        assert push(client, account, changes(workouts=[workout], sets=[half])).status_code == 422

    def test_a_load_kg_rounded_to_two_decimals_is_accepted(self, client):
        account = register(client)
        workout = a_workout()
        rounded = a_set(workout["id"], load_kg=102.06, entered_load=225, entered_unit="lb")
        assert push(client, account, changes(workouts=[workout], sets=[rounded])).status_code == 200


class TestSchemaVersion3:
    def test_a_schema_3_pull_has_neither_the_new_tables_nor_the_new_columns(self, client):
        account = register(client, unit="lb")
        workout = a_workout()
        push(client, account, changes(workouts=[workout], sets=[a_set(workout["id"], **RDL_225_LB)]))
        params = {"schema_version": 3, "last_pulled_at": "null", "migration": "null"}
        body = client.get("/v1/sync/pull", params=params, headers=account.headers).json()
        assert {"body_weights", "equipment_profiles"}.isdisjoint(body["changes"])
        assert "entered_load" not in body["changes"]["workout_sets"]["updated"][0]

    def test_a_schema_3_push_of_body_weights_is_a_422(self, client):
        account = register(client)
        response = client.post(
            "/v1/sync/push",
            json={"changes": changes(body_weights=[a_body_weight()])},
            params={"schema_version": 3},
            headers=account.headers,
        )
        assert response.status_code == 422
        assert response.json()["errors"][0]["table"] == "body_weights"

    def test_a_schema_3_push_ignores_the_entered_load_it_cannot_have(self, client):
        account = register(client)
        workout = a_workout()
        logged = a_set(workout["id"], load_kg=100, entered_load=1, entered_unit="lb")
        response = client.post(
            "/v1/sync/push",
            json={"changes": changes(workouts=[workout], sets=[logged])},
            params={"schema_version": 3},
            headers=account.headers,
        )
        assert response.status_code == 200, response.text
        stored = pull(client, account)["changes"]["workout_sets"]["updated"][0]
        assert (stored["load_kg"], stored["entered_load"], stored["entered_unit"]) == (100, None, None)

    def test_a_schema_3_edit_of_reps_keeps_the_entered_load(self, client):
        account = register(client, unit="lb")
        workout, set_id = a_workout(), new_id()
        logged = a_set(workout["id"], set_id, **RDL_225_LB)
        push(client, account, changes(workouts=[workout], sets=[logged])).raise_for_status()
        cursor = pull(client, account)["timestamp"]
        old_app = {k: v for k, v in logged.items() if not k.startswith("entered_")} | {"reps": 7}
        client.post(
            "/v1/sync/push",
            json={"changes": changes(updated_sets=[old_app])},
            params={"schema_version": 3, "last_pulled_at": cursor},
            headers=account.headers,
        ).raise_for_status()
        stored = pull(client, account)["changes"]["workout_sets"]["updated"][0]
        assert (stored["reps"], stored["entered_load"], stored["entered_unit"]) == (7, 225, "lb")

    def test_a_schema_3_change_of_the_kilograms_drops_the_entered_load(self, client):
        account = register(client, unit="lb")
        workout, set_id = a_workout(), new_id()
        logged = a_set(workout["id"], set_id, **RDL_225_LB)
        push(client, account, changes(workouts=[workout], sets=[logged])).raise_for_status()
        cursor = pull(client, account)["timestamp"]
        old_app = {k: v for k, v in logged.items() if not k.startswith("entered_")} | {"load_kg": 105}
        client.post(
            "/v1/sync/push",
            json={"changes": changes(updated_sets=[old_app])},
            params={"schema_version": 3, "last_pulled_at": cursor},
            headers=account.headers,
        ).raise_for_status()
        stored = pull(client, account)["changes"]["workout_sets"]["updated"][0]
        assert (stored["load_kg"], stored["entered_load"], stored["entered_unit"]) == (105, None, None)


class TestOwnership:
    def test_another_users_body_weights_never_reach_my_pull(self, client):
        alice, bob = register(client), register(client)
        push(client, alice, changes(body_weights=[a_body_weight()])).raise_for_status()
        assert pull(client, bob)["changes"]["body_weights"]["updated"] == []

    def test_another_users_gym_is_never_mine(self, client):
        alice, bob = register(client), register(client)
        client.put("/v1/me/equipment", json={"unit": "lb"}, headers=alice.headers).raise_for_status()
        mine = client.get("/v1/me/equipment", headers=bob.headers).json()
        assert (mine["stored"], mine["unit"]) == (False, "kg")
        assert pull(client, bob)["changes"]["equipment_profiles"]["updated"] == []

    def test_the_same_body_weight_id_under_two_users_is_two_weigh_ins(self, client):
        alice, bob = register(client), register(client)
        weight_id = new_id()
        push(client, alice, changes(body_weights=[a_body_weight(weight_id, weight=60)])).raise_for_status()
        push(client, bob, changes(body_weights=[a_body_weight(weight_id, weight=90)])).raise_for_status()
        assert [w["weight"] for w in pull(client, alice)["changes"]["body_weights"]["updated"]] == [60]
