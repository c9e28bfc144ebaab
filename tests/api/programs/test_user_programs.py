"""Programs a user owns: built from scratch or copied from a starter, edited, enrolled in, deleted;
starters stay read-only and another user's program is a 404."""

import pytest

from tests.api.programs.test_programs import program_by_slug
from tests.factories.sync import a_custom_exercise, changes, push
from tests.factories.users import register

BUILDER = "posterior-chain-builder"


def a_program(**overrides) -> dict:
    return {
        "name": "Hinge and curl",
        "days": [
            {
                "name": "Heavy hinge",
                "slots": [
                    {"exercise_id": "romanian-deadlift", "sets": 3, "rep_min": 6, "rep_max": 8},
                    {
                        "exercise_id": "seated-leg-curl",
                        "sets": 3,
                        "rep_min": 10,
                        "rep_max": 15,
                        "target_rir": 0,
                    },
                ],
            },
            {
                "name": "Back extensions",
                "slots": [{"exercise_id": "back-extension-45", "sets": 3, "rep_min": 10, "rep_max": 15}],
            },
        ],
    } | overrides


@pytest.fixture
def account(client):
    return register(client)


def create(client, account, body: dict) -> dict:
    response = client.post("/v1/me/programs", json=body, headers=account.headers)
    assert response.status_code == 201, response.text
    return response.json()


def errors_of(response) -> list[dict]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return response.json()["errors"]


def test_a_program_built_from_scratch_has_its_days_and_slots(client, account):
    program = create(client, account, a_program())
    assert [d["key"] for d in program["days"]] == ["A", "B"]
    assert [s["exercise_id"] for s in program["days"][0]["slots"]] == ["romanian-deadlift", "seated-leg-curl"]
    assert program["days"][0]["slots"][0]["exercise_name"] == "Romanian deadlift"
    assert program["days_per_week"] == 2
    assert (program["revision"], program["enrolled"], program["source_program_id"]) == (1, False, None)


def test_a_copy_of_a_starter_has_its_days_and_names_its_source(client, account):
    starter = program_by_slug(client, BUILDER)
    copy = create(client, account, {"name": "My builder", "source_program_id": starter["id"]})
    assert copy["source_program_id"] == starter["id"]
    assert [[s["exercise_id"] for s in d["slots"]] for d in copy["days"]] == [
        [s["exercise_id"] for s in d["slots"]] for d in starter["days"]
    ]
    assert {d["id"] for d in copy["days"]}.isdisjoint({d["id"] for d in starter["days"]})


def test_a_slot_may_use_the_users_own_exercise(client, account):
    own = a_custom_exercise()
    push(client, account, changes(custom_exercises=[own])).raise_for_status()
    body = a_program(
        days=[{"name": "Curls", "slots": [{"exercise_id": own["id"], "sets": 3, "rep_min": 5, "rep_max": 8}]}]
    )
    program = create(client, account, body)
    assert program["days"][0]["slots"][0]["exercise_name"] == own["name"]


def test_another_users_own_exercise_is_refused(client, account):
    other = register(client)
    theirs = a_custom_exercise()
    push(client, other, changes(custom_exercises=[theirs])).raise_for_status()
    body = a_program(
        days=[
            {"name": "Curls", "slots": [{"exercise_id": theirs["id"], "sets": 3, "rep_min": 5, "rep_max": 8}]}
        ]
    )
    [error] = errors_of(client.post("/v1/me/programs", json=body, headers=account.headers))
    assert error["field"] == "days.0.slots.0.exercise_id"


BAD_PROGRAMS = {
    "no days and no source": ({"name": "Empty", "days": None}, None),
    "a day without slots": ({"days": [{"name": "Rest", "slots": []}]}, "days.0.slots"),
    "rep_min above rep_max": (
        {
            "days": [
                {
                    "name": "A",
                    "slots": [{"exercise_id": "romanian-deadlift", "sets": 3, "rep_min": 9, "rep_max": 6}],
                }
            ]
        },
        "days.0.slots.0",
    ),
    "eleven sets": (
        {
            "days": [
                {
                    "name": "A",
                    "slots": [{"exercise_id": "romanian-deadlift", "sets": 11, "rep_min": 6, "rep_max": 8}],
                }
            ]
        },
        "days.0.slots.0.sets",
    ),
    "an unknown exercise": (
        {
            "days": [
                {
                    "name": "A",
                    "slots": [{"exercise_id": "leg-blaster", "sets": 3, "rep_min": 6, "rep_max": 8}],
                }
            ]
        },
        "days.0.slots.0.exercise_id",
    ),
    "a day key given twice": (
        {
            "days": [
                {
                    "key": "A",
                    "name": "One",
                    "slots": [{"exercise_id": "romanian-deadlift", "sets": 3, "rep_min": 6, "rep_max": 8}],
                },
                {
                    "key": "A",
                    "name": "Two",
                    "slots": [{"exercise_id": "nordic-curl", "sets": 3, "rep_min": 4, "rep_max": 6}],
                },
            ]
        },
        "days.1.key",
    ),
    "eight days": (
        {
            "days": [
                {
                    "name": f"Day {i}",
                    "slots": [{"exercise_id": "nordic-curl", "sets": 3, "rep_min": 4, "rep_max": 6}],
                }
                for i in range(8)
            ]
        },
        "days",
    ),
}


@pytest.mark.parametrize("case", BAD_PROGRAMS)
def test_a_bad_program_is_a_422_naming_the_field_and_nothing_is_stored(client, account, case):
    overrides, field = BAD_PROGRAMS[case]
    errors = errors_of(client.post("/v1/me/programs", json=a_program(**overrides), headers=account.headers))
    if field is not None:
        assert field in {e.get("field") for e in errors}
    assert client.get("/v1/me/programs", headers=account.headers).json()["items"] == []


def test_my_programs_list_only_mine(client, account):
    mine = create(client, account, a_program())
    create(client, register(client), a_program(name="Theirs"))
    items = client.get("/v1/me/programs", headers=account.headers).json()["items"]
    assert [p["id"] for p in items] == [mine["id"]]


def test_another_users_program_is_a_404_to_read_edit_delete_or_enroll(client, account):
    theirs = create(client, register(client), a_program())
    path = f"/v1/me/programs/{theirs['id']}"
    assert client.get(path, headers=account.headers).status_code == 404
    assert client.patch(path, json={"name": "Mine now"}, headers=account.headers).status_code == 404
    assert client.delete(path, headers=account.headers).status_code == 404
    enroll = {"program_id": theirs["id"], "start_date": "2026-03-02"}
    assert client.put("/v1/me/enrollment", json=enroll, headers=account.headers).status_code == 404


def test_a_users_program_is_not_listed_or_shown_as_a_starter(client, account):
    mine = create(client, account, a_program())
    assert client.get(f"/v1/programs/{mine['id']}", headers=account.headers).status_code == 404
    slugs = [p["slug"] for p in client.get("/v1/programs").json()["items"]]
    assert None not in slugs


def test_a_starter_cannot_be_edited_through_my_programs(client, account):
    starter = program_by_slug(client, BUILDER)
    response = client.patch(
        f"/v1/me/programs/{starter['id']}", json={"name": "Mine"}, headers=account.headers
    )
    assert response.status_code == 404


def test_an_edit_raises_the_revision_and_a_kept_day_keeps_its_id(client, account):
    program = create(client, account, a_program())
    day_a = program["days"][0]
    days = [
        {
            "id": day_a["id"],
            "name": day_a["name"],
            "slots": [{"exercise_id": "nordic-curl", "sets": 3, "rep_min": 4, "rep_max": 6}],
        }
    ]
    response = client.patch(f"/v1/me/programs/{program['id']}", json={"days": days}, headers=account.headers)
    assert response.status_code == 200, response.text
    edited = response.json()
    assert edited["revision"] == 2
    assert [d["id"] for d in edited["days"]] == [day_a["id"]]
    assert edited["days"][0]["slots"][0]["exercise_id"] == "nordic-curl"
    assert edited["days_per_week"] == 1


def test_a_day_id_of_another_program_is_refused(client, account):
    first, second = create(client, account, a_program()), create(client, account, a_program(name="Two"))
    foreign = {
        "id": second["days"][0]["id"],
        "name": "Borrowed",
        "slots": [{"exercise_id": "nordic-curl", "sets": 3, "rep_min": 4, "rep_max": 6}],
    }
    errors = errors_of(
        client.patch(f"/v1/me/programs/{first['id']}", json={"days": [foreign]}, headers=account.headers)
    )
    assert errors[0]["field"] == "days.0.id"


def test_enrolling_in_my_program_makes_the_next_session_its_first_day(client, account):
    program = create(client, account, a_program())
    enroll = {"program_id": program["id"], "start_date": "2026-03-02"}
    assert client.put("/v1/me/enrollment", json=enroll, headers=account.headers).status_code == 200
    session = client.get("/v1/me/next-session", headers=account.headers).json()
    assert session["day"]["id"] == program["days"][0]["id"]
    assert [e["exercise_id"] for e in session["exercises"]] == ["romanian-deadlift", "seated-leg-curl"]


def test_an_edit_of_the_followed_program_shows_in_the_next_session_at_once(client, account):
    program = create(client, account, a_program())
    client.put(
        "/v1/me/enrollment",
        json={"program_id": program["id"], "start_date": "2026-03-02"},
        headers=account.headers,
    )
    client.get("/v1/me/next-session", headers=account.headers).raise_for_status()  # cache the plan
    day_a = program["days"][0]
    slots = [{"exercise_id": "lying-leg-curl", "sets": 4, "rep_min": 10, "rep_max": 12}, *day_a["slots"][:1]]
    days = [
        {"id": day_a["id"], "name": day_a["name"], "slots": slots},
        {"id": program["days"][1]["id"], "name": "B", "slots": program["days"][1]["slots"][:1]},
    ]
    days[1]["slots"] = [
        {k: s[k] for k in ("exercise_id", "sets", "rep_min", "rep_max")} for s in days[1]["slots"]
    ]
    days[0]["slots"] = [{k: s[k] for k in ("exercise_id", "sets", "rep_min", "rep_max")} for s in slots]
    client.patch(
        f"/v1/me/programs/{program['id']}", json={"days": days}, headers=account.headers
    ).raise_for_status()
    session = client.get("/v1/me/next-session", headers=account.headers).json()
    assert [(e["exercise_id"], e["sets"]) for e in session["exercises"]] == [
        ("lying-leg-curl", 4),
        ("romanian-deadlift", 3),
    ]


def test_the_followed_program_cannot_be_deleted(client, account):
    program = create(client, account, a_program())
    client.put(
        "/v1/me/enrollment",
        json={"program_id": program["id"], "start_date": "2026-03-02"},
        headers=account.headers,
    )
    response = client.delete(f"/v1/me/programs/{program['id']}", headers=account.headers)
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"


def test_a_deleted_program_is_gone(client, account):
    program = create(client, account, a_program())
    assert client.delete(f"/v1/me/programs/{program['id']}", headers=account.headers).status_code == 204
    assert client.get(f"/v1/me/programs/{program['id']}", headers=account.headers).status_code == 404
