"""A user's phone as the worker tests need it: it registers, logs workouts through sync pushes,
pulls what the workers wrote, and accepts an insight. Works over a real server (`httpx.Client`)
or in process (`TestClient`), which share one interface."""

import json
import uuid
from typing import Any

import httpx

from tests.factories.history import History, push_changes
from tests.factories.users import sign_up


class Phone:
    def __init__(
        self, http: httpx.Client, *, timezone: str = "Europe/Berlin", week_start: str = "monday"
    ) -> None:
        self.http = http
        token = sign_up(http, f"worker-{uuid.uuid4().hex[:12]}@example.com")["access_token"]
        self.headers = {"Authorization": f"Bearer {token}"}
        me = http.patch("/v1/me", json={"timezone": timezone, "week_start": week_start}, headers=self.headers)
        assert me.status_code == 200, me.text
        self.user_id = uuid.UUID(me.json()["id"])

    def push(self, changes: dict[str, Any], last_pulled_at: int | None = None) -> httpx.Response:
        params = {} if last_pulled_at is None else {"last_pulled_at": last_pulled_at}
        return self.http.post("/v1/sync/push", json={"changes": changes}, params=params, headers=self.headers)

    def push_history(self, history: History) -> None:
        for changes in push_changes(history):
            response = self.push(changes)
            assert response.status_code == 200, response.text

    def pull(self, schema_version: int = 1) -> dict[str, Any]:
        """A first sync: every live row of every table an app on `schema_version` has."""
        params = {"schema_version": schema_version, "migration": "null", "last_pulled_at": "null"}
        response = self.http.get("/v1/sync/pull", params=params, headers=self.headers)
        assert response.status_code == 200, response.text
        return response.json()

    def insights(self) -> list[dict[str, Any]]:
        return records(self.pull(), "insights")

    def prescriptions(self) -> list[dict[str, Any]]:
        return records(self.pull(), "prescriptions")

    def answer(self, insight_id: str, status: str) -> None:
        """Accepts or dismisses an insight the way the app does: the pulled row back, new status."""
        pulled = self.pull()
        table = pulled["changes"]["insights"]
        [record] = [r for r in table["created"] + table["updated"] if r["id"] == insight_id]
        changes = {"insights": {"created": [], "updated": [record | {"status": status}], "deleted": []}}
        response = self.push(changes, last_pulled_at=pulled["timestamp"])
        assert response.status_code == 200, response.text


def records(pulled: dict[str, Any], table: str) -> list[dict[str, Any]]:
    """Pulled records of one table, with their *_json columns decoded."""
    decoded = []
    for record in pulled["changes"][table]["created"] + pulled["changes"][table]["updated"]:
        decoded.append(
            {key: json.loads(value) if key.endswith("_json") else value for key, value in record.items()}
        )
    return decoded


def open_insights(insights: list[dict[str, Any]]) -> set[tuple[str, str, str]]:
    return {(i["kind"], i["subject"], i["severity"]) for i in insights if i["status"] == "open"}
