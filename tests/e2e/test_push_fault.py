"""A server process killed with SIGKILL in the middle of a large push leaves the push either fully
stored or not at all, and the client's retry converges."""

import signal
import threading
import time

import httpx
import pytest

from tests.e2e.conftest import login
from tests.e2e.servers import start_api
from tests.factories.sync import a_set, a_workout, changes

pytestmark = pytest.mark.e2e

SETS = 4000


def stored_set_ids(base_url: str, headers: dict[str, str]) -> set[str]:
    body = httpx.get(f"{base_url}/v1/sync/pull", headers=headers, timeout=60).json()
    return {r["id"] for r in body["changes"]["workout_sets"]["updated"]}


@pytest.mark.parametrize("kill_after_s", [0.15, 0.4, 0.8])
def test_sigkill_during_a_push_stores_all_or_nothing_and_the_retry_converges(pg_env, workdir, kill_after_s):
    server = start_api(pg_env, workdir, migrate=False)
    headers = login(server.base_url)
    workout_id = f"faultworkout{int(kill_after_s * 100):04d}"
    body = {
        "changes": changes(
            workouts=[a_workout(workout_id)],
            sets=[a_set(workout_id, f"fault{n:06d}", set_index=n % 1000) for n in range(SETS)],
        )
    }
    outcome: dict = {}

    def send() -> None:
        try:
            outcome["status"] = httpx.post(
                f"{server.base_url}/v1/sync/push", json=body, headers=headers, timeout=60
            ).status_code
        except httpx.TransportError as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=send)
    thread.start()
    time.sleep(kill_after_s)
    server.stop(signal.SIGKILL)
    thread.join()

    server = start_api(pg_env, workdir, migrate=False)
    try:
        after_crash = stored_set_ids(server.base_url, headers)
        assert len(after_crash) in (0, SETS)  # atomic: never a partial push
        if outcome.get("status") == 200:
            assert len(after_crash) == SETS  # an acknowledged push is never lost
        retry = httpx.post(f"{server.base_url}/v1/sync/push", json=body, headers=headers, timeout=60)
        assert retry.status_code == 200
        assert len(stored_set_ids(server.base_url, headers)) == SETS
    finally:
        server.stop()
