"""SIGTERM (what Kubernetes sends after the preStop sleep) drains the API: the request in flight
completes, new connections are refused, and the process exits 0 within the grace period.

The request is caught in flight deterministically: the test holds the user's sync lock, which every
push takes first, so the push is inside the server, waiting, until the test lets go."""

import signal
import threading
import time
import uuid
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import Engine, func, select

from services.core.models import WorkoutSet
from tests.e2e.ops.locks import holding_sync_lock, lock_waiters
from tests.e2e.processes import wait_for
from tests.e2e.servers import Server, start_api
from tests.factories.sync import a_set, a_workout, changes
from tests.factories.users import register

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]

SETS = 4000
GRACE_S = 20  # uvicorn's timeout_graceful_shutdown (services/entrypoint.py); Kubernetes allows 40


@pytest.fixture
def api(ops_env, workdir) -> Iterator[Server]:
    server = start_api(ops_env | {"API_WORKERS": "1"}, workdir, migrate=False)  # one per pod, as deployed
    yield server
    server.stop()


def stored_sets(engine: Engine, user_id: uuid.UUID) -> int:
    with engine.connect() as connection:
        return connection.scalar(
            select(func.count()).select_from(WorkoutSet).where(WorkoutSet.user_id == user_id)
        )


def test_sigterm_lets_the_request_in_flight_finish_refuses_new_connections_and_exits_0(api, engine):
    account = register(httpx.Client(base_url=api.base_url, timeout=15))
    workout = a_workout()
    sets = [a_set(workout["id"], f"drain{n:05d}", set_index=n % 1000) for n in range(SETS)]
    body = {"changes": changes(workouts=[workout], sets=sets)}
    answer: dict[str, object] = {}

    def push() -> None:
        try:
            answer["status"] = httpx.post(
                f"{api.base_url}/v1/sync/push", json=body, headers=account.headers, timeout=60
            ).status_code
        except httpx.HTTPError as exc:
            answer["error"] = exc

    in_flight = threading.Thread(target=push)
    with holding_sync_lock(engine, account.id):
        in_flight.start()
        wait_for(lambda: lock_waiters(engine), timeout_s=15, what="the push to reach the database")
        api.process.send_signal(signal.SIGTERM)
        terminated = time.monotonic()

        def refused() -> bool:
            try:
                httpx.get(f"{api.base_url}/healthz", timeout=1)
            except httpx.ConnectError:
                return True
            return False

        wait_for(refused, timeout_s=5, what="new connections to be refused")
        assert api.process.poll() is None  # still draining
    in_flight.join(timeout=30)

    assert answer == {"status": 200}
    assert stored_sets(engine, account.id) == SETS
    assert api.process.wait(timeout=GRACE_S) == 0
    assert time.monotonic() - terminated < GRACE_S
