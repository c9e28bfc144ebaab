"""Worker metrics. Prefork children write to PROMETHEUS_MULTIPROC_DIR (set by the entry point);
the main process serves them all on `worker_metrics_port` (prometheus-client multiprocess mode)."""

import os
import time

from celery.signals import task_failure, task_postrun, task_prerun
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, multiprocess, start_http_server

TASK_DURATION = Histogram(
    "posterior_task_duration_seconds",
    "Task run time",
    ["task"],
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)
TASK_FAILURES = Counter("posterior_task_failures", "Tasks that raised", ["task"])
QUEUE_DEPTH = Gauge(
    "posterior_queue_depth", "Messages waiting in a broker queue", ["queue"], multiprocess_mode="livemax"
)
OUTBOX_LAG = Gauge(
    "posterior_outbox_lag_seconds", "Age of the oldest unprocessed outbox row", multiprocess_mode="livemax"
)
INSIGHT_AGE = Histogram(
    "posterior_insight_age_seconds",
    "Age of the newest insight of each active user",
    buckets=(60, 600, 3600, 6 * 3600, 86400, 3 * 86400, 7 * 86400, 14 * 86400),
)

_started: dict[str, float] = {}


def serve(port: int) -> None:
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        start_http_server(port, registry=registry)
    else:
        start_http_server(port)


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
