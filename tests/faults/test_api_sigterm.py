"""SIGTERM to the API under load (what Kubernetes sends after the preStop sleep): every request in
flight completes — none is cut — new connections are refused, and the process exits 0 within the
grace period.

Several phones' pushes are caught in flight deterministically: the test holds each phone's sync
lock, which every push takes first, so the pushes are inside the server, mid-transaction, waiting,
until the test lets go after the signal."""

import signal
import threading
import time
from contextlib import ExitStack

import httpx
import pytest

from tests.e2e.processes import wait_for
from tests.faults.devices import Answer, Device, stored_sets, workout_push
from tests.faults.postgres import holding_sync_lock, waiting_backends

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]

DEVICES = 4
SETS = 1000  # a long push: the drain has real work to wait for
GRACE_S = 20  # uvicorn's timeout_graceful_shutdown (services/entrypoint.py); Kubernetes allows 40


def refuses_new_connections(base_url: str) -> bool:
    try:
        httpx.get(f"{base_url}/healthz", timeout=1)
    except httpx.ConnectError:
        return True
    return False


def test_sigterm_under_load_lets_every_push_in_flight_finish_and_exits_0(stack, faults_engine):
    api = stack.api()
    devices = [Device.register(api.base_url) for _ in range(DEVICES)]
    pushes = [workout_push(sets=SETS) for _ in devices]
    answers: list[Answer] = []

    def push(device: Device, body: dict, set_ids: tuple[str, ...]) -> None:
        with httpx.Client(base_url=api.base_url, timeout=60) as http:
            answers.append(device.push(http, body, set_ids))

    in_flight = [threading.Thread(target=push, args=(d, *p)) for d, p in zip(devices, pushes, strict=True)]
    with ExitStack() as locks:
        for device in devices:
            locks.enter_context(holding_sync_lock(faults_engine, device.account.id))
        for thread in in_flight:
            thread.start()
        wait_for(
            lambda: len(waiting_backends(faults_engine)) == DEVICES,
            timeout_s=30,
            what="every push to be inside the server",
        )
        api.process.send_signal(signal.SIGTERM)
        terminated = time.monotonic()
        wait_for(lambda: refuses_new_connections(api.base_url), timeout_s=5, what="new connections refused")
        assert api.process.poll() is None  # still draining
    for thread in in_flight:
        thread.join(timeout=60)

    assert [(a.status, a.error) for a in answers] == [(200, None)] * DEVICES  # none cut
    for device, (_body, set_ids) in zip(devices, pushes, strict=True):
        assert stored_sets(faults_engine, device.account.id) == (SETS, set(set_ids))
    assert api.process.wait(timeout=GRACE_S) == 0
    drained_s = time.monotonic() - terminated
    print(f"\n{DEVICES} pushes of {SETS} sets in flight finished; exit 0 {drained_s:.1f} s after SIGTERM")
    assert drained_s < GRACE_S
