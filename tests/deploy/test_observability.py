"""Grafana dashboard, Prometheus alerts and scrape config: valid PromQL over known metrics."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.deploy.conftest import DEPLOY, REPO, by_kind, find_tool, render, run

try:
    import promql_parser
except ImportError as exc:  # pragma: no cover - a hint, not a skip
    raise ImportError("promql-parser is required: pip install promql-parser==0.11.0") from exc

DASHBOARD = DEPLOY / "grafana" / "posterior.json"
ALERTS = DEPLOY / "prometheus" / "alerts.yaml"
ALERT_TESTS = DEPLOY / "prometheus" / "alerts.test.yaml"
PROMETHEUS_CONFIG = DEPLOY / "prometheus" / "prometheus.yml"
OPERATIONS = REPO / "docs" / "operations.md"

# The metrics the services export (names agreed with the application code).
COUNTERS = {
    "posterior_http_requests_total",
    "posterior_sync_records_pushed_total",
    "posterior_sync_records_pulled_total",
    "posterior_sync_conflicts_total",
    "posterior_task_failures_total",
    "posterior_webhook_deliveries_total",
}
HISTOGRAMS = {
    "posterior_http_request_duration_seconds",
    "posterior_sync_push_records",
    "posterior_task_duration_seconds",
    "posterior_insight_age_seconds",
}
GAUGES = {
    "posterior_dependency_up",
    "posterior_queue_depth",
    "posterior_outbox_lag_seconds",
    "posterior_insight_age_seconds",  # histogram or gauge: the dashboard reads either
}
KNOWN_METRICS = (
    COUNTERS
    | GAUGES
    | {"up"}
    | {f"{h}{suffix}" for h in HISTOGRAMS for suffix in ("_bucket", "_sum", "_count")}
)

# Grafana variables in panel queries, replaced by what Grafana would send.
GRAFANA_VARIABLES = {"$__rate_interval": "5m", "$__interval": "1m", "$__range": "1h", "$namespace": ".*"}

REQUIRED_ROWS = {"API (RED)", "Sync health", "Worker & queue", "Outbox", "Webhooks", "Insight freshness"}


# --------------------------------------------------------------------------- helpers


def _dashboard() -> dict[str, Any]:
    return json.loads(DASHBOARD.read_text())


def _panels(dashboard: dict[str, Any]) -> list[dict[str, Any]]:
    panels = []
    for panel in dashboard["panels"]:
        panels.append(panel)
        panels.extend(panel.get("panels", []))  # collapsed rows nest their panels
    return panels


def _dashboard_exprs() -> dict[str, str]:
    """`panel title [refId]` -> PromQL with Grafana variables substituted."""
    exprs = {}
    for panel in _panels(_dashboard()):
        for target in panel.get("targets", []):
            expr = target["expr"]
            for variable, value in GRAFANA_VARIABLES.items():
                expr = expr.replace(variable, value)
            exprs[f"{panel['title']} [{target['refId']}]"] = expr
    return exprs


def _alert_rules() -> list[dict[str, Any]]:
    return [rule for group in yaml.safe_load(ALERTS.read_text())["groups"] for rule in group["rules"]]


def _metric_names(expr: str) -> set[str]:
    names: set[str] = set()

    def visit(node: Any) -> bool:
        if isinstance(node, promql_parser.VectorSelector):
            if node.name:
                names.add(node.name)
            else:
                names.add(f"<selector without a metric name: {node}>")
        return True

    promql_parser.walk(promql_parser.parse(expr), visit)
    return names


def _promtool_check_exprs(exprs: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    rules = {
        "groups": [
            {
                "name": "expressions-under-test",
                "rules": [
                    {"record": f"check:expr_{i}", "expr": expr} for i, expr in enumerate(exprs.values())
                ],
            }
        ]
    }
    path = tmp_path / "exprs.rules.yaml"
    path.write_text(yaml.safe_dump(rules))
    return run([find_tool("promtool"), "check", "rules", str(path)], check=False)


def _github_anchors(markdown: str) -> set[str]:
    anchors = set()
    for heading in re.findall(r"^#{1,6} (.+)$", markdown, re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        anchors.add(slug)
    return anchors


# --------------------------------------------------------------------------- dashboard


def test_dashboard_is_json_with_schema_version_38_or_later() -> None:
    dashboard = _dashboard()
    assert dashboard["schemaVersion"] >= 38
    assert dashboard["uid"]
    assert dashboard["title"]


def test_dashboard_queries_go_through_the_datasource_variable() -> None:
    dashboard = _dashboard()
    variables = {v["name"]: v for v in dashboard["templating"]["list"]}
    assert variables["datasource"]["type"] == "datasource"
    assert variables["datasource"]["query"] == "prometheus"
    for panel in _panels(dashboard):
        if panel["type"] == "row":
            continue
        assert panel["datasource"] == {"type": "prometheus", "uid": "${datasource}"}, panel["title"]
        assert panel["targets"], panel["title"]
        for target in panel["targets"]:
            assert target["datasource"]["uid"] == "${datasource}", panel["title"]


def test_dashboard_has_a_row_for_each_area() -> None:
    rows = {panel["title"] for panel in _panels(_dashboard()) if panel["type"] == "row"}
    assert rows >= REQUIRED_ROWS


def test_dashboard_panel_ids_are_unique_and_panels_fit_the_grid() -> None:
    panels = _panels(_dashboard())
    ids = [panel["id"] for panel in panels]
    assert len(ids) == len(set(ids))
    for panel in panels:
        grid = panel["gridPos"]
        assert grid["x"] >= 0, panel["title"]
        assert grid["x"] + grid["w"] <= 24, panel["title"]


def test_dashboard_shows_latency_percentiles_by_route() -> None:
    exprs = " ".join(_dashboard_exprs().values())
    for quantile in ("0.5", "0.95", "0.99"):
        assert (
            f"histogram_quantile({quantile}, sum by (le, route) (rate(posterior_http_request_duration_seconds_bucket"
            in exprs
        )


def test_every_dashboard_expression_parses_as_promql() -> None:
    errors = {}
    for where, expr in _dashboard_exprs().items():
        assert "$" not in expr, f"{where}: unsubstituted Grafana variable in {expr}"
        try:
            promql_parser.parse(expr)
        except ValueError as exc:
            errors[where] = str(exc)
    assert not errors


def test_every_dashboard_expression_passes_promtool(tmp_path: Path) -> None:
    exprs = _dashboard_exprs()
    proc = _promtool_check_exprs(exprs, tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"SUCCESS: {len(exprs)} rules found" in proc.stdout


def test_promtool_expression_check_rejects_invalid_promql(tmp_path: Path) -> None:
    """Negative control for the check above."""
    proc = _promtool_check_exprs(
        {"broken": "sum by (route (rate(posterior_http_requests_total[5m]))"}, tmp_path
    )
    assert proc.returncode != 0


def test_dashboard_uses_only_exported_metrics() -> None:
    used = set().union(*(_metric_names(expr) for expr in _dashboard_exprs().values()))
    assert used <= KNOWN_METRICS, used - KNOWN_METRICS


def test_dashboard_charts_every_exported_metric() -> None:
    used = set().union(*(_metric_names(expr) for expr in _dashboard_exprs().values()))
    families = {re.sub(r"_(bucket|sum|count)$", "", name) if name not in COUNTERS else name for name in used}
    exported = COUNTERS | HISTOGRAMS | GAUGES
    assert not exported - families, exported - families


# --------------------------------------------------------------------------- alerts


def test_alert_rules_pass_promtool_check() -> None:
    proc = run([find_tool("promtool"), "check", "rules", str(ALERTS)])
    assert f"SUCCESS: {len(_alert_rules())} rules found" in proc.stdout


def test_alert_rules_fire_as_their_unit_tests_expect() -> None:
    run([find_tool("promtool"), "test", "rules", str(ALERT_TESTS)])


def test_every_alert_has_a_unit_test() -> None:
    tested = {
        case["alertname"]
        for test in yaml.safe_load(ALERT_TESTS.read_text())["tests"]
        for case in test["alert_rule_test"]
    }
    assert {rule["alert"] for rule in _alert_rules()} == tested


def test_alerts_use_only_exported_metrics() -> None:
    used = set().union(*(_metric_names(rule["expr"]) for rule in _alert_rules()))
    assert used <= KNOWN_METRICS, used - KNOWN_METRICS


def test_every_alert_has_severity_summary_description_and_runbook() -> None:
    for rule in _alert_rules():
        assert rule["labels"]["severity"] in {"critical", "warning"}, rule["alert"]
        annotations = rule["annotations"]
        assert {"summary", "description", "runbook_url"} <= set(annotations), rule["alert"]
        assert annotations["runbook_url"] == f"docs/operations.md#{rule['alert'].lower()}"


def test_every_runbook_url_points_to_a_section_of_operations_md() -> None:
    anchors = _github_anchors(OPERATIONS.read_text())
    for rule in _alert_rules():
        path, anchor = rule["annotations"]["runbook_url"].split("#")
        assert (REPO / path) == OPERATIONS
        assert anchor in anchors, f"{rule['alert']}: no heading for #{anchor} in docs/operations.md"


@pytest.mark.parametrize(
    ("alert", "metric", "threshold", "duration", "severity"),
    [
        ("PosteriorApiHighErrorRatio", "posterior_http_requests_total", "> 0.02", "10m", "critical"),
        (
            "PosteriorApiHighLatencyP99",
            "posterior_http_request_duration_seconds_bucket",
            "> 1",
            "10m",
            "warning",
        ),
        ("PosteriorQueueBacklog", "posterior_queue_depth", "> 1000", "15m", "warning"),
        ("PosteriorOutboxLag", "posterior_outbox_lag_seconds", "> 300", "10m", "critical"),
        ("PosteriorWebhookFailureRatio", "posterior_webhook_deliveries_total", "> 0.2", "30m", "warning"),
        ("PosteriorTaskFailureRatio", "posterior_task_failures_total", "> 0.05", "15m", "warning"),
        ("PosteriorRedisUnreachable", "posterior_dependency_up", "== 0", "5m", "critical"),
    ],
)
def test_required_alert_has_its_threshold_and_duration(
    alert: str, metric: str, threshold: str, duration: str, severity: str
) -> None:
    (rule,) = [rule for rule in _alert_rules() if rule.get("alert") == alert]
    assert metric in _metric_names(rule["expr"])
    assert threshold in rule["expr"]
    assert rule["for"] == duration
    assert rule["labels"]["severity"] == severity


# --------------------------------------------------------------------------- scrape config


def test_prometheus_config_passes_promtool() -> None:
    run([find_tool("promtool"), "check", "config", str(PROMETHEUS_CONFIG)])


def test_scrape_job_names_match_the_kubernetes_service_names() -> None:
    """Alerts and dashboard select on job=posterior-api|posterior-worker in both setups."""
    config = yaml.safe_load(PROMETHEUS_CONFIG.read_text())
    jobs = {job["job_name"]: job for job in config["scrape_configs"]}
    services = by_kind(render("overlays/prod"), "Service")
    assert set(jobs) == set(services) == {"posterior-api", "posterior-worker"}
    assert jobs["posterior-api"]["static_configs"][0]["targets"][0].endswith(":8000")
    assert jobs["posterior-worker"]["static_configs"][0]["targets"][0].endswith(":9808")
    assert config["rule_files"] == [ALERTS.name]
