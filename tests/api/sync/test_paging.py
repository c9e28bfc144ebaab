"""Paged pulls (sync-protocol.md, "Paging"): `limit` records a page, `has_more`, and a cursor that
resumes exactly after the last record sent."""

from tests.factories.sync import a_set, a_workout, changes, pull, push
from tests.factories.users import register

USER_TABLES = ("workouts", "workout_sets", "pain_reports", "insights", "prescriptions")


def page(client, account, cursor=None, limit=10, **params):
    query = {"last_pulled_at": "null" if cursor is None else cursor, "limit": limit, **params}
    response = client.get("/v1/sync/pull", params=query, headers=account.headers)
    assert response.status_code == 200, response.text
    return response.json()


def records(body, table):
    return [r["id"] for r in body["changes"][table]["updated"]]


def all_pages(client, account, cursor=None, limit=10):
    """Pages until has_more is false; returns (pages, last cursor)."""
    pages = []
    while True:
        body = page(client, account, cursor, limit)
        pages.append(body)
        cursor = body["timestamp"]
        if not body["has_more"]:
            return pages, cursor


def sent_count(body):
    return sum(
        len(body["changes"][t]["updated"]) + len(body["changes"][t]["deleted"])
        for t in (*USER_TABLES, "exercises")
    )


def a_logged_workout(client, account, sets=5):
    workout = a_workout()
    the_sets = [a_set(workout["id"], set_index=i) for i in range(sets)]
    push(client, account, changes(workouts=[workout], sets=the_sets))
    return workout, the_sets


def test_without_limit_the_answer_has_no_has_more(client):
    assert "has_more" not in pull(client, register(client))


def test_no_page_holds_more_than_limit_records_across_tables(client):
    account = register(client)
    a_logged_workout(client, account, sets=12)
    pages, _ = all_pages(client, account, limit=7)
    assert len(pages) > 2
    assert all(sent_count(body) <= 7 for body in pages)
    assert all(body["has_more"] for body in pages[:-1])


def test_paged_pulls_deliver_every_record_exactly_once_even_inside_one_push(client):
    account = register(client)
    workout, the_sets = a_logged_workout(client, account, sets=12)  # one push: 13 rows
    pages, _ = all_pages(client, account, limit=5)
    pulled_sets = [i for body in pages for i in records(body, "workout_sets")]
    assert sorted(pulled_sets) == sorted(s["id"] for s in the_sets)
    assert [i for body in pages for i in records(body, "workouts")] == [workout["id"]]
    exercises = [i for body in pages for i in records(body, "exercises")]
    assert len(exercises) == len(set(exercises)) >= 13


def test_the_cursor_grows_page_after_page(client):
    account = register(client)
    a_logged_workout(client, account, sets=8)
    pages, _ = all_pages(client, account, limit=4)
    stamps = [body["timestamp"] for body in pages]
    assert stamps == sorted(set(stamps))


def test_changes_between_pages_arrive_on_later_pages(client):
    account = register(client)
    workout, the_sets = a_logged_workout(client, account, sets=6)
    first = page(client, account, limit=20)  # the catalog and more
    while first["has_more"] and not records(first, "workout_sets"):
        first = page(client, account, first["timestamp"], limit=3)
    delivered = records(first, "workout_sets")
    assert delivered
    # Between pages: one delivered set changes, one delivered set is deleted, a new set comes.
    changed = next(s for s in the_sets if s["id"] == delivered[0])
    cursor = first["timestamp"]
    assert push(client, account, changes(updated_sets=[changed | {"reps": 3}]), cursor).status_code == 200
    gone = delivered[-1] if len(delivered) > 1 else delivered[0]
    newcomer = a_set(workout["id"], set_index=99)
    assert push(client, account, changes(sets=[newcomer], deleted_sets=[gone]), cursor).status_code == 200
    rest, _ = all_pages(client, account, cursor, limit=3)
    later = {i for body in rest for i in records(body, "workout_sets")}
    tombstones = {i for body in rest for i in body["changes"]["workout_sets"]["deleted"]}
    assert gone in tombstones
    assert newcomer["id"] in later
    if changed["id"] != gone:
        assert changed["id"] in later
    undelivered = {s["id"] for s in the_sets} - set(delivered) - {gone}
    assert undelivered <= later


def test_a_cursor_at_the_end_pages_nothing_more(client):
    account = register(client)
    a_logged_workout(client, account, sets=3)
    _, cursor = all_pages(client, account, limit=4)
    body = page(client, account, cursor, limit=4)
    assert (sent_count(body), body["has_more"], body["timestamp"]) == (0, False, cursor)


def test_a_limit_outside_1_to_10000_is_a_422(client):
    account = register(client)
    for limit in (0, 10_001, -3):
        response = client.get("/v1/sync/pull", params={"limit": limit}, headers=account.headers)
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "query.limit"


def test_a_pull_is_gzip_compressed_for_a_client_that_accepts_it(client):
    account = register(client)
    a_logged_workout(client, account, sets=50)
    response = client.get(
        "/v1/sync/pull", headers=account.headers | {"Accept-Encoding": "gzip"}, params={"limit": 1000}
    )
    assert response.headers["content-encoding"] == "gzip"
    assert len(response.json()["changes"]["workout_sets"]["updated"]) == 50
