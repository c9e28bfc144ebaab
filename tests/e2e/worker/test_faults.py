"""Faults between the outbox and the insights table: a worker killed in the middle of a recompute,
and Redis gone while pushes arrive. Each test runs its own Redis server on a loopback port of its
own, so stopping it touches nothing else.

A recompute is caught in the middle deterministically by holding the user's sync lock, which every
recompute takes first (core/recompute.py): the task has started, its message is unacknowledged and
its database transaction is open, and it waits until the test lets go.
"""

import os
import signal
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

import httpx
import pytest
from sqlalchemy import Engine, text

from tests.e2e.processes import RedisServer, start_beat, start_redis, start_worker, wait_for
from tests.e2e.servers import Server, start_api
from tests.e2e.worker.phone import Phone, open_insights
from tests.e2e.worker.rows import all_processed, duplicate_insights, duplicate_prescriptions, outbox_rows
from tests.factories.history import moved_to_week_of, scenario

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(240)]

WITHIN_S = 60
QUAD_ONLY_ALERTS = {
    ("imbalance.hamstring_quad_volume", "hamstrings", "warning"),
    ("imbalance.hamstring_neglect", "hamstrings", "warning"),
}


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory) -> Iterator[RedisServer]:
    server = start_redis(tmp_path_factory.mktemp("redis"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def fault_env(worker_env, redis_server) -> dict[str, str]:
    return worker_env | {"REDIS_URL": redis_server.url(0)}


@pytest.fixture(scope="module")
def api(fault_env, tmp_path_factory) -> Iterator[Server]:
    server = start_api(fault_env, tmp_path_factory.mktemp("fault-api"), migrate=False)
    yield server
    server.stop()


@pytest.fixture
def phone(api) -> Iterator[Phone]:
    with httpx.Client(base_url=api.base_url, timeout=30) as http:
        yield Phone(http, timezone="Europe/Berlin")


@pytest.fixture
def processes(redis_server: RedisServer) -> Iterator[ExitStack]:
    """Every worker and beat a test starts is stopped when it ends, whatever happened; each test
    starts from an empty broker."""
    redis_server.flush()
    with ExitStack() as cleanup:
        yield cleanup


@contextmanager
def holding_sync_lock(engine: Engine, user_id: uuid.UUID) -> Iterator[None]:
    with engine.connect() as connection, connection.begin():
        connection.execute(text("SELECT 1 FROM users WHERE id = :id FOR UPDATE"), {"id": user_id})
        yield


def lock_waiters(engine: Engine) -> set[int]:
    """Backends waiting for a user's sync lock: recomputes caught in the middle."""
    query = text(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
        "AND wait_event_type = 'Lock' AND query ILIKE '%FROM users%FOR UPDATE%'"
    )
    with engine.connect() as connection:
        return set(connection.scalars(query))


def assert_one_set_of_rows(engine: Engine, phone: Phone) -> None:
    assert all_processed(engine, phone.user_id)
    assert duplicate_insights(engine, phone.user_id) == []
    assert duplicate_prescriptions(engine, phone.user_id) == []
    assert open_insights(phone.insights()) == QUAD_ONLY_ALERTS


def test_a_recompute_whose_pool_process_is_killed_is_redelivered_and_writes_one_set_of_rows(
    fault_env, processes, phone, engine, tmp_path
):
    worker = start_worker(fault_env, tmp_path)
    processes.callback(worker.stop)
    phone.push_history(moved_to_week_of(scenario("3")))
    with holding_sync_lock(engine, phone.user_id):
        processes.callback(start_beat(fault_env, tmp_path).stop)  # now the relay hands the row over
        caught = wait_for(lambda: lock_waiters(engine), timeout_s=WITHIN_S, what="the recompute to start")
        [pool_process] = worker.children()
        os.kill(pool_process, signal.SIGKILL)
        # reject_on_worker_lost: the message goes back to the queue and a new pool process takes it.
        wait_for(lambda: lock_waiters(engine) - caught, timeout_s=WITHIN_S, what="the task to be redelivered")
    wait_for(
        lambda: all_processed(engine, phone.user_id), timeout_s=WITHIN_S, what="the outbox row processed"
    )
    assert worker.alive()
    assert_one_set_of_rows(engine, phone)


def test_a_recompute_lost_with_its_whole_worker_is_redelivered_to_the_next_worker(
    fault_env, processes, phone, engine, tmp_path
):
    # Redis gives an unacknowledged message back to the queue once it is older than the visibility
    # timeout; a starting worker looks for such messages first thing (kombu's Redis transport,
    # `restore_visible`), then only every 100 s, so the replacement starts once the timeout is over.
    visibility_timeout_s = 5
    env = fault_env | {"BROKER_VISIBILITY_TIMEOUT_S": str(visibility_timeout_s)}
    worker = start_worker(env, tmp_path)
    processes.callback(worker.stop)
    phone.push_history(moved_to_week_of(scenario("3")))
    with holding_sync_lock(engine, phone.user_id):
        processes.callback(start_beat(env, tmp_path).stop)
        wait_for(lambda: lock_waiters(engine), timeout_s=WITHIN_S, what="the recompute to start")
        delivered = time.monotonic()
        worker.kill()  # the worker and its pool process, mid-task: a lost node
    time.sleep(max(0.0, delivered + visibility_timeout_s + 1 - time.monotonic()))
    replacement = start_worker(env, tmp_path)
    processes.callback(replacement.stop)
    started = time.monotonic()
    wait_for(
        lambda: all_processed(engine, phone.user_id), timeout_s=WITHIN_S, what="the outbox row processed"
    )
    print(f"\nredelivered to the replacement worker after {time.monotonic() - started:.1f} s")
    assert_one_set_of_rows(engine, phone)


def test_two_workers_given_the_same_recompute_at_once_write_one_set_of_rows(
    fault_env, processes, phone, engine, tmp_path
):
    # At-least-once delivery: a task still running after the visibility timeout is handed to a
    # second worker too. Both runs go through; the user's sync lock puts them one after the other.
    visibility_timeout_s = 5
    env = fault_env | {"BROKER_VISIBILITY_TIMEOUT_S": str(visibility_timeout_s)}
    processes.callback(start_worker(env, tmp_path).stop)
    phone.push_history(moved_to_week_of(scenario("3")))
    with holding_sync_lock(engine, phone.user_id):
        processes.callback(start_beat(env, tmp_path).stop)
        first = wait_for(lambda: lock_waiters(engine), timeout_s=WITHIN_S, what="the recompute to start")
        time.sleep(visibility_timeout_s + 1)
        processes.callback(start_worker(env, tmp_path).stop)
        wait_for(lambda: lock_waiters(engine) - first, timeout_s=WITHIN_S, what="the second delivery")
    wait_for(lambda: not lock_waiters(engine), timeout_s=WITHIN_S, what="both runs to finish")
    wait_for(
        lambda: all_processed(engine, phone.user_id), timeout_s=WITHIN_S, what="the outbox row processed"
    )
    assert_one_set_of_rows(engine, phone)


def test_pushes_while_redis_is_down_succeed_and_are_recomputed_once_it_is_back(
    fault_env, redis_server, processes, phone, engine, tmp_path
):
    processes.callback(start_worker(fault_env, tmp_path).stop)
    processes.callback(start_beat(fault_env, tmp_path).stop)
    redis_server.stop()
    processes.callback(lambda: redis_server.process.poll() is None or redis_server.start())
    phone.push_history(moved_to_week_of(scenario("3")))  # asserts 200
    time.sleep(3)  # six relay intervals with no broker
    assert [(row.dispatched_at, row.processed_at) for row in outbox_rows(engine, phone.user_id)] == [
        (None, None)
    ]

    redis_server.start()
    started = time.monotonic()
    wait_for(
        lambda: all_processed(engine, phone.user_id), timeout_s=WITHIN_S, what="the outbox row processed"
    )
    print(f"\nrecomputed {time.monotonic() - started:.1f} s after Redis came back")
    assert_one_set_of_rows(engine, phone)
