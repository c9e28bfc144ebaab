"""A real Prometheus server (Debian's `prometheus` package) scraping the processes under test, with
the project's scrape configuration and alerting rules: deploy/prometheus/prometheus.yml says to
load it, replace the targets and write a copy, which is what this does."""

import contextlib
import json
import math
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import yaml

from tests.e2e.servers import ROOT, free_port

DEPLOY = ROOT / "deploy"
PROMETHEUS_CONFIG = DEPLOY / "prometheus" / "prometheus.yml"
ALERTS = DEPLOY / "prometheus" / "alerts.yaml"
DASHBOARD = DEPLOY / "grafana" / "posterior.json"
INTERVAL = "1s"  # scrape and rule evaluation: a few seconds of traffic give rates


@dataclass
class Prometheus:
    process: subprocess.Popen
    base_url: str
    log_path: Path

    def query(self, expr: str) -> dict[str, Any]:
        """The JSON answer of /api/v1/query, errors included (status "error", HTTP 400/422)."""
        return httpx.get(f"{self.base_url}/api/v1/query", params={"query": expr}, timeout=10).json()

    def rules(self) -> list[dict[str, Any]]:
        body = httpx.get(f"{self.base_url}/api/v1/rules", timeout=10).json()
        return [rule for group in body["data"]["groups"] for rule in group["rules"]]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-5000:]


def start_prometheus(workdir: Path, targets: dict[str, str], timeout_s: float = 30) -> Prometheus:
    """`targets`: job name (posterior-api, posterior-worker) → host:port."""
    binary = shutil.which("prometheus")
    assert binary, "Prometheus is required: apt-get install -y --no-install-recommends prometheus"
    config = yaml.safe_load(PROMETHEUS_CONFIG.read_text())
    config["global"].update(scrape_interval=INTERVAL, scrape_timeout=INTERVAL, evaluation_interval=INTERVAL)
    config["rule_files"] = [str(ALERTS)]
    assert {job["job_name"] for job in config["scrape_configs"]} == set(targets)
    for job in config["scrape_configs"]:
        job["static_configs"] = [{"targets": [targets[job["job_name"]]]}]
    config_path = workdir / "prometheus.yml"
    config_path.write_text(yaml.safe_dump(config))

    port = free_port()
    log_path = workdir / "prometheus.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                binary,
                f"--config.file={config_path}",
                f"--storage.tsdb.path={workdir / 'tsdb'}",
                f"--web.listen-address=127.0.0.1:{port}",
                "--log.level=warn",
            ],
            cwd=workdir,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    prometheus = Prometheus(process, f"http://127.0.0.1:{port}", log_path)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"prometheus exited with {process.returncode}:\n{prometheus.log()}")
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(f"{prometheus.base_url}/-/ready", timeout=1).status_code == 200:
                return prometheus
        time.sleep(0.2)
    prometheus.stop()
    raise RuntimeError(f"prometheus did not become ready:\n{prometheus.log()}")


def has_numbers(answer: dict[str, Any]) -> bool:
    """The query succeeded and returned at least one sample with a finite value."""
    if answer.get("status") != "success":
        return False
    result = answer["data"]["result"]
    if answer["data"]["resultType"] == "scalar":
        result = [{"value": result}]
    return any(math.isfinite(float(series["value"][1])) for series in result)


def dashboard_targets() -> dict[str, str]:
    """`panel title [refId]` → the panel's PromQL as written in the dashboard."""
    panels = []
    for panel in json.loads(DASHBOARD.read_text())["panels"]:
        panels.append(panel)
        panels.extend(panel.get("panels", []))  # collapsed rows nest their panels
    return {
        f"{panel['title']} [{target['refId']}]": target["expr"]
        for panel in panels
        for target in panel.get("targets", [])
    }


def alert_exprs() -> dict[str, str]:
    groups = yaml.safe_load(ALERTS.read_text())["groups"]
    return {rule["alert"]: rule["expr"] for group in groups for rule in group["rules"]}
