import csv
import io

from tests.factories.sync import STARTED_AT, a_pain_report, a_set, a_workout, changes, pull, push
from tests.factories.users import register

DAY_MS = 24 * 3600 * 1000


def log(client, account, *, days_ago_from_start: int = 0, sets: int = 2, **set_overrides) -> dict:
    workout = a_workout(started_at=STARTED_AT - days_ago_from_start * DAY_MS)
    records = [a_set(workout["id"], set_index=i, **set_overrides) for i in range(sets)]
    assert push(client, account, changes(workouts=[workout], sets=records)).status_code == 200
    return workout


def test_workouts_are_listed_newest_first_with_their_sets(client):
    account = register(client)
    older, newer = log(client, account, days_ago_from_start=7), log(client, account, days_ago_from_start=0)
    items = client.get("/v1/me/workouts", headers=account.headers).json()["items"]
    assert [w["id"] for w in items] == [newer["id"], older["id"]]
    assert len(items[0]["sets"]) == 2
    assert items[0]["started_at"] == "2026-03-02T17:00:00Z"


def test_workout_pages_follow_the_cursor_without_gaps(client):
    account = register(client)
    logged = [log(client, account, days_ago_from_start=d, sets=1)["id"] for d in range(5)]
    seen, cursor = [], None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = client.get("/v1/me/workouts", params=params, headers=account.headers).json()
        seen += [w["id"] for w in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == logged


def test_deleted_workouts_are_not_listed(client):
    account = register(client)
    workout = log(client, account)
    push(client, account, changes(deleted_workouts=[workout["id"]]), pull(client, account)["timestamp"])
    assert client.get("/v1/me/workouts", headers=account.headers).json()["items"] == []


def test_loads_are_also_in_pounds_for_users_who_prefer_pounds(client):
    account = register(client, unit="lb")
    log(client, account, load_kg=100)
    the_set = client.get("/v1/me/workouts", headers=account.headers).json()["items"][0]["sets"][0]
    assert (the_set["load_kg"], the_set["load_lb"]) == (100, 220.5)


def test_a_workout_can_be_read_by_its_id(client):
    account = register(client)
    workout = log(client, account)
    response = client.get(f"/v1/me/workouts/{workout['id']}", headers=account.headers)
    assert response.status_code == 200
    assert len(response.json()["sets"]) == 2


def test_another_users_workout_is_a_404(client):
    alice, bob = register(client), register(client)
    workout = log(client, alice)
    response = client.get(f"/v1/me/workouts/{workout['id']}", headers=bob.headers)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


def test_csv_export_has_one_row_per_set_with_names_and_both_units(client):
    account = register(client)
    log(client, account, sets=3, load_kg=100)
    response = client.get("/v1/me/export", params={"format": "csv"}, headers=account.headers)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 3
    assert (rows[0]["exercise_name"], rows[0]["load_kg"], rows[0]["load_lb"]) == (
        "Romanian deadlift",
        "100.0",
        "220.5",
    )


def test_json_export_holds_everything_the_user_owns(client):
    account = register(client)
    workout = log(client, account, sets=2)
    push(client, account, changes(pain_reports=[a_pain_report()]))
    export = client.get("/v1/me/export", params={"format": "json"}, headers=account.headers).json()
    assert export["account"]["email"] == account.email
    assert [w["id"] for w in export["workouts"]] == [workout["id"]]
    assert len(export["workout_sets"]) == 2
    assert len(export["pain_reports"]) == 1


def test_exports_never_include_another_users_data(client):
    alice, bob = register(client), register(client)
    log(client, alice, sets=4)
    export = client.get("/v1/me/export", params={"format": "json"}, headers=bob.headers).json()
    assert export["workouts"] == []
    assert export["workout_sets"] == []


def test_an_unknown_export_format_is_422(client):
    response = client.get("/v1/me/export", params={"format": "xlsx"}, headers=register(client).headers)
    assert response.status_code == 422
