"""A real Prometheus scrapes the API (two uvicorn workers) and a Celery worker while we generate
traffic; every dashboard panel and every alert is then evaluated by Prometheus itself, so a query
that does not parse, names a metric we do not export, or reads it the wrong way fails here."""

import contextlib
import math
import os
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from prometheus_client import multiprocess
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import Engine, create_engine, func, select

from services.core.db import normalize_url
from services.core.migrate import migrate
from services.core.models import Insight
from services.core.settings import Settings
from tests.conftest import TEST_JWT_SECRET, create_throwaway_database, drop_database
from tests.e2e.ops.celery_client import send_task
from tests.e2e.ops.prometheus_server import (
    Prometheus,
    alert_exprs,
    dashboard_targets,
    has_numbers,
    start_prometheus,
)
from tests.e2e.processes import Worker, start_beat, start_worker, wait_for
from tests.e2e.servers import Server, start_api
from tests.factories.history import moved_to_week_of, scenario
from tests.factories.phone import Phone
from tests.factories.sync import a_set, a_workout, changes, pull, push
from tests.factories.users import register

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]

# What Grafana would put in place of its variables. Rate windows reach back over the whole test,
# so every increase since the first scrape counts, however slow the machine is.
GRAFANA_VARIABLES = {"$__rate_interval": "5m", "$__interval": "15s", "$__range": "5m", "$namespace": ".*"}

# Panels that stay empty after our traffic, and why. Every other target must show numbers.
MAY_BE_EMPTY = {
    "5xx ratio (5m) [A]": "no request failed with 5xx, so the numerator has no series",
    "Error ratio [A]": "no request failed with 5xx",
    "5xx by route [A]": "no request failed with 5xx",
    "Task failures by task [A]": "no task raised",
    # posterior_webhook_deliveries_total counts deliveries to partner endpoints; no partner has one
    # here, so both webhook panels have no data whether or not the counter is exported (their PromQL
    # is still checked above).
    "Deliveries by result [A]": "no webhook endpoint, no delivery",
    "Failure ratio [A]": "no webhook endpoint, no delivery",
    # The age is exported as a histogram (worker/metrics.py); target C reads the gauge form, and
    # the panel says one of the two stays empty.
    "Insight age [C]": "the insight age is a histogram, not a gauge",
}
DATA_WITHIN_S = 45


@dataclass
class Stack:
    api: Server
    api_metrics_dir: Path
    worker: Worker
    prometheus: Prometheus
    broker_url: str


@pytest.fixture(scope="module")
def stack_database(worker_id: str) -> Iterator[str]:
    """A database of this module's own. Beat relays every pending outbox row of its database and
    the insight-age histogram covers every active user in it: on the run's shared database both
    would depend on what other tests left behind."""
    name = f"posterior_test_{worker_id}_{os.getpid()}_prometheus"
    url = create_throwaway_database(name).render_as_string(hide_password=False)
    migrate(Settings(database_url=url, jwt_secret=TEST_JWT_SECRET))
    yield url
    drop_database(name)


@pytest.fixture(scope="module")
def stack_engine(stack_database: str) -> Iterator[Engine]:
    engine = create_engine(normalize_url(stack_database))
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def stack(ops_env, ops_redis, stack_database, tmp_path_factory) -> Iterator[Stack]:
    ops_redis.flush()
    env = ops_env | {"DATABASE_URL": stack_database}
    workdir = tmp_path_factory.mktemp("prometheus-stack")
    # Given explicitly (the entry point empties it) so a test can look at the per-process files.
    api_metrics_dir = workdir / "api-metrics"
    api_env = env | {"API_WORKERS": "2", "PROMETHEUS_MULTIPROC_DIR": str(api_metrics_dir)}
    with contextlib.ExitStack() as cleanup, ThreadPoolExecutor(3) as starting:
        # Started side by side: most of each start is waiting (imports, broker, health checks).
        starts = [
            starting.submit(start_api, api_env, workdir, migrate=False),
            starting.submit(start_worker, env, workdir),
            starting.submit(start_beat, env, workdir),
        ]
        for start in starts:
            cleanup.callback(stop_if_started, start)
        api, worker, _beat = (start.result() for start in starts)
        targets = {
            "posterior-api": api.base_url.removeprefix("http://"),
            "posterior-worker": f"127.0.0.1:{worker.metrics_port}",
        }
        prometheus = start_prometheus(workdir, targets)
        cleanup.callback(prometheus.stop)
        yield Stack(api, api_metrics_dir, worker, prometheus, ops_env["REDIS_URL"])


def stop_if_started(start: Future) -> None:
    if start.exception() is None:
        start.result().stop()


def insights_of(engine: Engine, user_id: uuid.UUID) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(Insight).where(Insight.user_id == user_id))


@pytest.fixture(scope="module")
def traffic(stack: Stack, stack_engine: Engine) -> None:
    """What the panels should show: a readiness probe, accounts, pushes and pulls, a 404, a 409
    sync conflict, a recompute through outbox → relay → worker, and measurements of queue, outbox
    and insights."""
    # rate() needs two samples of a series: traffic that creates a labelled series (the first push
    # to a table, say) only shows once more traffic follows a scrape that saw it.
    scraped(stack, 'up{job="posterior-api"} == 1', 'up{job="posterior-worker"} == 1')
    with httpx.Client(base_url=stack.api.base_url, timeout=30) as http:
        assert http.get("/readyz").status_code == 200  # the kubelet's probe sets posterior_dependency_up
        account = register(http)
        base = pull(http, account)["timestamp"]
        workout = a_workout()
        the_set = a_set(workout["id"], reps=8)
        assert push(http, account, changes(workouts=[workout], sets=[the_set]), base).status_code == 200
        scraped(stack, "posterior_sync_records_pushed_total", "posterior_sync_records_pulled_total")

        phone = Phone(http)  # register, login, settings
        phone.push_history(moved_to_week_of(scenario("3")))  # insights (quad-only alerts) follow
        phone.pull()
        conflict = push(http, account, changes(updated_sets=[the_set | {"reps": 5}]), base)
        assert conflict.status_code == 409, conflict.text
        assert http.get("/v1/no-such-thing").status_code == 404

    wait_for(lambda: insights_of(stack_engine, phone.user_id), timeout_s=DATA_WITHIN_S, what="the recompute")
    # Beat measures every 15 s; two measurements a scrape apart give the insight-age histogram a
    # rate without waiting for the schedule.
    send_task(stack.broker_url, "outbox.measure")
    time.sleep(2.5)
    send_task(stack.broker_url, "outbox.measure")

    expected = {name: expr for name, expr in grafana_exprs().items() if name not in MAY_BE_EMPTY}
    with contextlib.suppress(TimeoutError):  # the test below names the panels without data
        scraped(stack, *expected.values())


def scraped(stack: Stack, *exprs: str) -> None:
    """Waits until every expression has data in Prometheus."""
    wait_for(
        lambda: all(has_numbers(stack.prometheus.query(expr)) for expr in exprs),
        timeout_s=DATA_WITHIN_S,
        interval_s=0.5,
        what=f"data for {exprs}",
    )


def grafana_exprs() -> dict[str, str]:
    exprs = {}
    for name, expr in dashboard_targets().items():
        for variable, value in GRAFANA_VARIABLES.items():
            expr = expr.replace(variable, value)
        assert "$" not in expr, f"{name}: a Grafana variable we do not substitute: {expr}"
        exprs[name] = expr
    return exprs


def test_every_dashboard_query_is_accepted_by_prometheus(stack, traffic):
    errors = {}
    for name, expr in grafana_exprs().items():
        answer = stack.prometheus.query(expr)
        if answer.get("status") != "success" or answer.get("warnings"):
            errors[name] = answer
    assert errors == {}


def test_every_dashboard_panel_shows_the_traffic_we_generated(stack, traffic):
    empty = [
        name
        for name, expr in grafana_exprs().items()
        if name not in MAY_BE_EMPTY and not has_numbers(stack.prometheus.query(expr))
    ]
    assert empty == [], f"panels without data: {empty}\nworker metrics:\n{stack.worker.metrics()}"


def test_every_alert_expression_is_accepted_by_prometheus(stack, traffic):
    errors = {}
    for alert, expr in alert_exprs().items():
        answer = stack.prometheus.query(expr)
        if answer.get("status") != "success" or answer.get("warnings"):
            errors[alert] = answer
    assert errors == {}


def test_prometheus_evaluates_every_alerting_rule_without_error(stack, traffic):
    def evaluated() -> list[dict]:
        rules = stack.prometheus.rules()
        return rules if all(rule["health"] != "unknown" for rule in rules) else []

    rules = wait_for(evaluated, timeout_s=15, what="every rule to be evaluated")
    assert {rule["name"] for rule in rules} == set(alert_exprs())
    assert {rule["name"]: rule.get("lastError", "") for rule in rules if rule["health"] != "ok"} == {}


def test_insight_age_quantiles_match_the_age_of_the_newest_insight(stack, traffic):
    # The one active user of this module's database got insights moments ago: every age observed
    # is under a minute (the first bucket), so histogram_quantile interpolates within 0..60 s.
    answer = stack.prometheus.query(grafana_exprs()["Insight age [A]"])
    [series] = answer["data"]["result"]
    age_s = float(series["value"][1])
    assert math.isfinite(age_s)
    assert 0 <= age_s <= 60


def requests_counted(api: Server, route: str) -> float:
    families = text_string_to_metric_families(httpx.get(f"{api.base_url}/metrics", timeout=10).text)
    return sum(
        sample.value
        for family in families
        if family.name == "posterior_http_requests"
        for sample in family.samples
        if sample.name == "posterior_http_requests_total" and sample.labels["route"] == route
    )


def processes_that_served(metrics_dir: Path, route: str) -> set[str]:
    """The pids whose own counter file (multiprocess mode keeps one per process, named
    counter_<pid>.db) counts requests to `route`."""
    served = set()
    for path in metrics_dir.glob("counter_*.db"):
        for metric in multiprocess.MultiProcessCollector.merge([str(path)]):
            if metric.name == "posterior_http_requests" and any(
                sample.labels.get("route") == route and sample.value > 0 for sample in metric.samples
            ):
                served.add(path.stem.removeprefix("counter_"))
    return served


def test_api_metrics_add_up_the_requests_of_every_uvicorn_worker(stack):
    route = "/problems/{slug}"
    before = requests_counted(stack.api, route)
    sent = 0
    # A new connection per request; the kernel hands them to either worker. Keep going until both
    # have served some, so the sum below is really across processes.
    while sent < 400 and (sent < 20 or len(processes_that_served(stack.api_metrics_dir, route)) < 2):
        assert httpx.get(f"{stack.api.base_url}/problems/not-found", timeout=10).status_code == 200
        sent += 1
    assert len(processes_that_served(stack.api_metrics_dir, route)) == 2
    # Each scrape is answered by either worker; every one must see every request.
    scrapes = [requests_counted(stack.api, route) for _ in range(8)]
    assert scrapes == [before + sent] * 8
