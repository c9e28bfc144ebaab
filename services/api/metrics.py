"""Prometheus metrics of the API process (names are the contract of deploy/grafana and alerts).

With several uvicorn workers (`API_WORKERS` > 1) each process counts only the requests it served,
so the entry point sets PROMETHEUS_MULTIPROC_DIR: every process writes its values to files there
(prometheus-client multiprocess mode) and `/metrics`, whichever process answers it, adds them up.
"""

import os

from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

REQUESTS = Counter("posterior_http_requests", "HTTP requests", ["method", "route", "status"])
REQUEST_DURATION = Histogram(
    "posterior_http_request_duration_seconds",
    "HTTP request duration",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
SYNC_PUSHED = Counter("posterior_sync_records_pushed", "Records applied by pushes", ["table"])
SYNC_PULLED = Counter("posterior_sync_records_pulled", "Records sent by pulls", ["table"])
SYNC_CONFLICTS = Counter("posterior_sync_conflicts", "Pushes answered with 409 sync-conflict")
SYNC_PUSH_RECORDS = Histogram(
    "posterior_sync_push_records", "Records per push", buckets=(1, 5, 10, 25, 50, 100, 250, 1000, 5000)
)
# 1 while a dependency answered this process's last readiness check (ops/readiness.py), 0 while it
# did not. Optional dependencies never fail /readyz, so this is where their outage shows
# (alert PosteriorRedisUnreachable). "mostrecent": the check of whichever process ran it last.
DEPENDENCY_UP = Gauge(
    "posterior_dependency_up",
    "Whether a dependency answered the last readiness check",
    ["dependency"],
    multiprocess_mode="mostrecent",
)


def observe_request(method: str, route: str, status: int, duration_s: float) -> None:
    REQUESTS.labels(method, route, str(status)).inc()
    REQUEST_DURATION.labels(method, route).observe(duration_s)


def exposition() -> bytes:
    """What `/metrics` serves (text format, CONTENT_TYPE_LATEST)."""
    # prometheus-client reads this variable itself (at import, to pick where values live); the
    # entry point sets it, so it is not one of our settings.
    if "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
        return generate_latest(REGISTRY)
    registry = CollectorRegistry()  # a fresh one per scrape, as the multiprocess docs require
    multiprocess.MultiProcessCollector(registry)
    return generate_latest(registry)
