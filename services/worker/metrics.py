"""Worker metrics. Prefork children write to PROMETHEUS_MULTIPROC_DIR (set by the entry point);
the main process serves them all on `worker_metrics_port` (prometheus-client multiprocess mode)."""

import os
import time
from bisect import bisect_left
from collections.abc import Sequence

from celery.signals import task_failure, task_postrun, task_prerun, worker_process_shutdown
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, multiprocess, start_http_server

TASK_DURATION = Histogram(
    "posterior_task_duration_seconds",
    "Task run time",
    ["task"],
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)
TASK_FAILURES = Counter("posterior_task_failures", "Tasks that raised", ["task"])
# Queue depth and outbox lag are measured by whichever pool process runs `outbox.measure`:
# "mostrecent" serves the latest measurement, where "max" would keep serving a stale high value
# from another pool process (or one that has since exited) until that process measured again.
QUEUE_DEPTH = Gauge(
    "posterior_queue_depth", "Messages waiting in a broker queue", ["queue"], multiprocess_mode="mostrecent"
)
OUTBOX_LAG = Gauge(
    "posterior_outbox_lag_seconds", "Age of the oldest unprocessed outbox row", multiprocess_mode="mostrecent"
)
# One observation per active user at every measurement: rate(…_bucket) over a window is then the
# distribution of those ages, which is what the dashboard's histogram_quantile reads. Counters
# add up across pool processes and pods, so unlike a gauge no stale value can hide a fresh one.
INSIGHT_AGE = Histogram(
    "posterior_insight_age_seconds",
    "Age of the newest insight of each active user",
    buckets=(60, 600, 3600, 6 * 3600, 86400, 3 * 86400, 7 * 86400, 14 * 86400),
)
# Webhook delivery attempts by result (success | failure), and endpoints disabled after persistent
# failure (disabled); exported as posterior_webhook_deliveries_total.
WEBHOOK_DELIVERIES = Counter("posterior_webhook_deliveries", "Webhook delivery attempts", ["result"])

_started: dict[str, float] = {}


def serve(port: int) -> None:
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        start_http_server(port, registry=registry)
    else:
        start_http_server(port)


def observe_insight_ages(ages_s: Sequence[float]) -> None:
    """Observes every age, with one write per bucket rather than one per user.

    Histogram.observe costs a few microseconds per call in multiprocess mode: seconds every
    measurement with a million active users. This adds the same counts in bulk through the
    histogram's value cells (prometheus-client keeps per-bucket, non-cumulative counts in
    `_buckets` and the total in `_sum`, exactly what `observe` increments).
    """
    bounds = INSIGHT_AGE._upper_bounds  # ends with +Inf, so every age lands in a bucket
    counts = [0] * len(bounds)
    for age in ages_s:
        counts[bisect_left(bounds, age)] += 1  # `le`: an age equal to a bound belongs to it
    for cell, count in zip(INSIGHT_AGE._buckets, counts, strict=True):
        if count:
            cell.inc(count)
    if ages_s:
        INSIGHT_AGE._sum.inc(sum(ages_s))


@task_prerun.connect
def _started_task(task_id: str, **_kwargs: object) -> None:
    _started[task_id] = time.perf_counter()


@task_postrun.connect
def _finished_task(task_id: str, task: object, **_kwargs: object) -> None:
    started = _started.pop(task_id, None)
    if started is not None:
        TASK_DURATION.labels(getattr(task, "name", "unknown")).observe(time.perf_counter() - started)


@task_failure.connect
def _failed_task(sender: object, **_kwargs: object) -> None:
    TASK_FAILURES.labels(getattr(sender, "name", "unknown")).inc()


@worker_process_shutdown.connect
def _forget_pool_process(pid: int, **_kwargs: object) -> None:
    # Drops the exiting pool process's "live" gauge files. Its counters and histograms stay: they
    # are totals, and a counter must not go down when a pool process is replaced.
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        multiprocess.mark_process_dead(pid)
