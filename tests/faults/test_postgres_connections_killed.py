"""PostgreSQL connections killed with `pg_terminate_backend` (a failover, an operator, a crashed
backend): a push or a pull whose connection dies mid-request is answered 503 problem+json with
Retry-After — never 500, never a half-stored push — the pool replaces dead connections without a
restart, and the client's retry with the same data converges.

A request is caught mid-transaction deterministically: a push waits for its user's row lock, a
pull for a table the test holds, so the backend killed is the one serving that request."""

import contextlib
import threading
import time
from collections.abc import Callable, Iterator

import httpx
import pytest
from sqlalchemy import Engine

from tests.e2e.processes import wait_for
from tests.e2e.servers import Server
from tests.faults.conftest import running_stack
from tests.faults.devices import Device, stored_sets, workout_push
from tests.faults.postgres import (
    holding_sync_lock,
    holding_table,
    terminate,
    terminate_every_other_connection,
    waiting_backends,
)

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]

RECOVERS_WITHIN_S = 10


@pytest.fixture(scope="module")
def api(faults_database, tmp_path_factory) -> Iterator[Server]:
    with running_stack(faults_database, tmp_path_factory.mktemp("connections-killed")) as stack:
        yield stack.api()


@pytest.fixture
def device(api) -> Device:
    return Device.register(api.base_url)


def killed_mid_request(
    engine: Engine,
    hold: Callable[[], contextlib.AbstractContextManager[None]],
    request: Callable[[], httpx.Response],
) -> httpx.Response:
    """Sends `request` while `hold` keeps it waiting on a lock, kills the backend serving it, and
    returns the response once the lock is let go (or raises what the client got instead)."""
    answer: dict[str, httpx.Response | httpx.HTTPError] = {}

    def send() -> None:
        try:
            answer["response"] = request()
        except httpx.HTTPError as exc:
            answer["error"] = exc

    thread = threading.Thread(target=send)
    with hold():
        thread.start()
        waiting = wait_for(
            lambda: waiting_backends(engine), timeout_s=15, what="the request to wait on the lock"
        )
        assert terminate(engine, waiting) == len(waiting)
    thread.join(timeout=30)
    if "error" in answer:
        raise answer["error"]
    return answer["response"]


def assert_retryable(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert int(response.headers["retry-after"]) > 0
    assert response.json()["type"] == "/problems/service-unavailable"


def pull(base_url: str, device: Device) -> httpx.Response:
    params = {"last_pulled_at": "null", "schema_version": 1, "migration": "null"}
    return httpx.get(f"{base_url}/v1/sync/pull", params=params, headers=device.account.headers, timeout=30)


@pytest.fixture
def pushed_through_a_killed_connection(api, device, faults_engine) -> tuple[dict, tuple, httpx.Response]:
    body, set_ids = workout_push(sets=50)
    response = killed_mid_request(
        faults_engine,
        lambda: holding_sync_lock(faults_engine, device.account.id),
        lambda: httpx.post(
            f"{api.base_url}/v1/sync/push", json=body, headers=device.account.headers, timeout=30
        ),
    )
    return body, set_ids, response


def test_a_push_whose_connection_is_killed_is_answered_503_with_retry_after(
    pushed_through_a_killed_connection,
):
    _body, _set_ids, response = pushed_through_a_killed_connection
    assert_retryable(response)


def test_a_push_whose_connection_is_killed_stores_nothing(
    pushed_through_a_killed_connection, device, faults_engine
):
    assert stored_sets(faults_engine, device.account.id) == (0, set())


def test_the_retried_push_stores_every_set_exactly_once(
    pushed_through_a_killed_connection, api, device, faults_engine
):
    body, set_ids, _response = pushed_through_a_killed_connection
    with httpx.Client(base_url=api.base_url, timeout=30) as http:
        assert device.push(http, body, set_ids).status == 200
        assert device.push(http, body, set_ids).status == 200  # a second retry changes nothing
    assert stored_sets(faults_engine, device.account.id) == (len(set_ids), set(set_ids))


@pytest.fixture
def pushed_before(api, device) -> list[str]:
    """Set ids the device pushed before it pulls."""
    body, set_ids = workout_push(sets=20)
    with httpx.Client(base_url=api.base_url, timeout=30) as http:
        assert device.push(http, body, set_ids).status == 200
    return sorted(set_ids)


def pulled_set_ids(response: httpx.Response) -> list[str]:
    table = response.json()["changes"]["workout_sets"]
    return sorted(record["id"] for record in table["created"] + table["updated"])


def test_a_pull_whose_connection_is_killed_before_it_answers_gets_503_with_retry_after(
    api, device, pushed_before, faults_engine
):
    # Every request reads its caller's account first: holding `users` catches the pull there.
    response = killed_mid_request(
        faults_engine, lambda: holding_table(faults_engine, "users"), lambda: pull(api.base_url, device)
    )
    assert_retryable(response)


@pytest.mark.xfail(
    strict=True,
    raises=httpx.RemoteProtocolError,
    reason="services/api/sync (not this suite's to change) streams an unpaged pull (a paged one is read "
    "whole first since d4bdfa0): its 200 status line is sent before the snapshot is read, so a connection killed mid-read cuts the body (an incomplete "
    "chunked read, which no client takes for a complete answer) instead of answering 503",
)
def test_a_pull_whose_connection_is_killed_while_it_reads_gets_503_with_retry_after(
    api, device, pushed_before, faults_engine
):
    response = killed_mid_request(
        faults_engine,
        lambda: holding_table(faults_engine, "workout_sets"),
        lambda: pull(api.base_url, device),
    )
    assert_retryable(response)


def test_the_pull_retried_after_a_killed_connection_gets_every_set_once(
    api, device, pushed_before, faults_engine
):
    with contextlib.suppress(httpx.RemoteProtocolError):  # the cut stream of the test above
        killed_mid_request(
            faults_engine,
            lambda: holding_table(faults_engine, "workout_sets"),
            lambda: pull(api.base_url, device),
        )
    retry = pull(api.base_url, device)
    assert retry.status_code == 200
    assert pulled_set_ids(retry) == pushed_before


def test_after_every_connection_is_killed_the_pool_recovers_without_a_restart(api, device, faults_engine):
    with httpx.Client(base_url=api.base_url, timeout=30) as http:
        for _ in range(5):  # fill the pool with connections that are about to die
            assert http.get("/readyz").status_code == 200
        assert terminate_every_other_connection(faults_engine) > 0
        killed = time.monotonic()

        def serves() -> bool:
            body, set_ids = workout_push()
            return device.push(http, body, set_ids).status == 200 and http.get("/readyz").status_code == 200

        wait_for(serves, timeout_s=RECOVERS_WITHIN_S, interval_s=0.1, what="the API to serve again")
        print(f"\nserving again {time.monotonic() - killed:.2f} s after every connection was killed")
    assert api.process.poll() is None  # the same process all along
    assert {a.status for a in device.answers} <= {200, 503}
