"""The sync protocol on the embedded default (SQLite, one process): same contract as PostgreSQL."""

import httpx
import pytest

from tests.e2e.conftest import login
from tests.factories.sync import a_set, a_workout, changes

pytestmark = pytest.mark.e2e


def test_push_pull_conflict_and_delete_work_on_sqlite(embedded_server):
    headers = login(embedded_server.base_url)
    with httpx.Client(base_url=embedded_server.base_url, headers=headers, timeout=30) as http:
        first = http.get("/v1/sync/pull", params={"last_pulled_at": "null"}).json()
        workout = a_workout()
        the_set = a_set(workout["id"], reps=8)
        body = {"changes": changes(workouts=[workout], sets=[the_set])}
        assert (
            http.post("/v1/sync/push", json=body, params={"last_pulled_at": first["timestamp"]}).status_code
            == 200
        )
        assert (
            http.post("/v1/sync/push", json=body, params={"last_pulled_at": first["timestamp"]}).status_code
            == 200
        )
        stale = {"changes": changes(updated_sets=[the_set | {"reps": 5}])}
        assert (
            http.post("/v1/sync/push", json=stale, params={"last_pulled_at": first["timestamp"]}).status_code
            == 409
        )
        second = http.get("/v1/sync/pull", params={"last_pulled_at": first["timestamp"]}).json()
        assert [s["reps"] for s in second["changes"]["workout_sets"]["updated"]] == [8]
        delete = {"changes": changes(deleted_workouts=[workout["id"]])}
        assert (
            http.post(
                "/v1/sync/push", json=delete, params={"last_pulled_at": second["timestamp"]}
            ).status_code
            == 200
        )
        third = http.get("/v1/sync/pull", params={"last_pulled_at": second["timestamp"]}).json()
    assert third["changes"]["workout_sets"]["deleted"] == [the_set["id"]]
    assert third["timestamp"] > second["timestamp"] > first["timestamp"]
