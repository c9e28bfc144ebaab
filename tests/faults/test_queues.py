"""The weekly fan-out cannot starve a push's recompute: with thousands of recomputes waiting on the
`bulk` queue and a single worker process to share, the recompute after a push — on `interactive`
— completes within seconds, long before the bulk backlog is gone (docs/operations.md, "Queues and
recovery bounds")."""

import time

import httpx
import pytest
import redis

from services.worker import queues
from tests.e2e.ops.celery_client import send_tasks
from tests.e2e.processes import wait_for
from tests.factories.rows import all_processed
from tests.faults.devices import Device, workout_push

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]

BULK_BACKLOG = 2000  # recomputes the weekly fan-out queued, as far as one worker is concerned
INTERACTIVE_BOUND_S = 10  # relay (0.5 s) + debounce (0.3 s) + one bulk task, on a loaded machine


def test_a_push_is_recomputed_in_seconds_while_the_bulk_queue_holds_thousands(stack, faults_engine):
    api, _beat = stack.together(stack.api, stack.beat)
    weekly, phone = Device.register(api.base_url), Device.register(api.base_url)
    with httpx.Client(base_url=api.base_url, timeout=30) as http:
        assert weekly.push(http, *workout_push()).status == 200  # real work for each bulk recompute
    broker = stack.redis.url(0)
    send_tasks(
        broker, "insights.recompute_user", [[str(weekly.account.id)]] * BULK_BACKLOG, queue=queues.BULK
    )
    stack.worker()  # one pool process for both queues: the worst case
    backlog = redis.Redis.from_url(broker)
    wait_for(
        lambda: backlog.llen(queues.BULK) < BULK_BACKLOG, timeout_s=30, what="the worker to start on bulk"
    )

    with httpx.Client(base_url=api.base_url, timeout=30) as http:
        pushed = time.monotonic()
        assert phone.push(http, *workout_push()).status == 200
    wait_for(
        lambda: all_processed(faults_engine, phone.account.id),
        timeout_s=INTERACTIVE_BOUND_S + 30,  # fail on the assertion below, with the time measured
        interval_s=0.1,
        what="the push's recompute",
    )
    recomputed_s, still_waiting = time.monotonic() - pushed, backlog.llen(queues.BULK)
    print(f"\npush recomputed in {recomputed_s:.1f} s with {still_waiting} bulk tasks still waiting")
    assert recomputed_s < INTERACTIVE_BOUND_S
    assert still_waiting > BULK_BACKLOG / 2  # it did not wait for the backlog
