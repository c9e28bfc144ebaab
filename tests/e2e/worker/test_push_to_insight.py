"""The production pipeline end to end: a push through the API writes an outbox row, beat's relay
hands it to Redis, a Celery worker recomputes, and the phone's next pull carries the result."""

import re
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.e2e.processes import wait_for
from tests.factories.history import moved_to_week_of, scenario
from tests.factories.phone import Phone, open_insights
from tests.factories.rows import all_processed

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]

VISIBLE_WITHIN_S = 60


@pytest.fixture
def phone(stack) -> Iterator[Phone]:
    with httpx.Client(base_url=stack.api.base_url, timeout=30) as http:
        yield Phone(http, timezone="Europe/Berlin")


def expected(number: str) -> set[tuple[str, str, str]]:
    return {(i["kind"], i["subject"], i["severity"]) for i in scenario(number)["expect"]["insights"]}


def test_pushed_quad_only_logs_show_up_as_hamstring_alerts_in_the_next_pull(stack, phone):
    quad_only = moved_to_week_of(scenario("3"))
    started = time.monotonic()
    phone.push_history(quad_only)
    alerts = wait_for(
        lambda: open_insights(phone.insights()), timeout_s=VISIBLE_WITHIN_S, interval_s=0.1, what="insights"
    )
    latency_s = time.monotonic() - started
    print(f"\npush → insight visible in pull: {latency_s:.2f} s")
    assert alerts == expected("3")


def test_pushed_logs_show_up_as_next_session_prescriptions_in_the_next_pull(stack, phone):
    phone.push_history(moved_to_week_of(scenario("3")))
    prescriptions = wait_for(phone.prescriptions, timeout_s=VISIBLE_WITHIN_S, what="prescriptions")
    # The S3 lifter's recent exercises, one row per side of the unilateral split squat.
    assert sorted((p["exercise_id"], p["reason_json"]["side"]) for p in prescriptions) == [
        ("back-squat", "both"),
        ("bulgarian-split-squat", "left"),
        ("bulgarian-split-squat", "right"),
        ("leg-extension", "both"),
        ("leg-press", "both"),
    ]


def test_worker_metrics_show_recompute_durations(stack, phone, engine):
    phone.push_history(moved_to_week_of(scenario("1")))
    wait_for(lambda: all_processed(engine, phone.user_id), timeout_s=VISIBLE_WITHIN_S, what="the recompute")
    metrics = stack.worker.metrics()
    count = re.search(
        r'^posterior_task_duration_seconds_count\{task="insights.recompute_user"\} (\S+)$', metrics, re.M
    )
    # Prefork pool processes record task metrics; only with PROMETHEUS_MULTIPROC_DIR set does the
    # main process (which serves /metrics) see them (worker/metrics.py).
    assert count is not None, "no recompute durations on the worker's /metrics:\n" + metrics
    assert float(count.group(1)) >= 1
