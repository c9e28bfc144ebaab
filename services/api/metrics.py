"""Prometheus metrics of the API process (names are the contract of deploy/grafana and alerts)."""

from prometheus_client import Counter, Histogram

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


def observe_request(method: str, route: str, status: int, duration_s: float) -> None:
    REQUESTS.labels(method, route, str(status)).inc()
    REQUEST_DURATION.labels(method, route).observe(duration_s)
