"""An API process killed with SIGKILL in the middle of a large push (an OOM kill, a lost node)
leaves the push either fully stored or not at all, and the client's retry converges."""

import signal
import threading
import time

import httpx
import pytest

from tests.faults.devices import Device, stored_sets, workout_push

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]

SETS = 4000


@pytest.mark.parametrize("kill_after_s", [0.15, 0.8])  # early in the push, and late
def test_sigkill_during_a_push_stores_all_or_nothing_and_the_retry_converges(
    stack, faults_engine, kill_after_s
):
    server = stack.api()
    device = Device.register(server.base_url)
    body, set_ids = workout_push(sets=SETS)
    outcome: dict = {}

    def send() -> None:
        try:
            outcome["status"] = httpx.post(
                f"{server.base_url}/v1/sync/push", json=body, headers=device.account.headers, timeout=60
            ).status_code
        except httpx.TransportError as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=send)
    thread.start()
    time.sleep(kill_after_s)
    server.stop(signal.SIGKILL)
    thread.join()

    rows, after_crash = stored_sets(faults_engine, device.account.id)
    assert rows in (0, SETS)  # atomic: never a partial push
    if outcome.get("status") == 200:
        assert after_crash == set(set_ids)  # an acknowledged push is never lost
    restarted = stack.api()
    with httpx.Client(base_url=restarted.base_url, timeout=60) as http:
        assert device.push(http, body, set_ids).status == 200
    assert stored_sets(faults_engine, device.account.id) == (SETS, set(set_ids))
