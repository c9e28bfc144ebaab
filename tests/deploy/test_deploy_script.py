"""deploy/k8s/deploy.sh: the migrate Job runs, and succeeds, before anything rolls out."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.deploy.conftest import K8S, find_tool, run

SCRIPT = K8S / "deploy.sh"

# Stands in for kubectl: logs every call, renders for real, reports the Job as $JOB_RESULT.
FAKE_KUBECTL = """#!/usr/bin/env bash
printf '%s\\n' "$*" >> "$KUBECTL_LOG"
if [[ "$1" == kustomize ]]; then exec "$REAL_KUBECTL" "$@"; fi
if [[ "$1" == apply ]]; then cp "$3" "$KUBECTL_LOG.applied"; fi
if [[ "$*" == *"get job posterior-migrate"* ]]; then printf '%s=True\\n' "$JOB_RESULT"; fi
if [[ "$*" == *"get secret posterior-secrets"* && -n "$NO_SECRET" ]]; then exit 1; fi
exit 0
"""


def _deploy(
    tmp_path: Path, job_result: str, *args: str, no_secret: bool = False
) -> tuple[int, list[str], str]:
    fake = tmp_path / "kubectl"
    fake.write_text(FAKE_KUBECTL)
    fake.chmod(0o755)
    log = tmp_path / "calls.log"
    env = {
        **os.environ,
        "KUBECTL": str(fake),
        "REAL_KUBECTL": find_tool("kubectl"),
        "KUBECTL_LOG": str(log),
        "JOB_RESULT": job_result,
        "NO_SECRET": "1" if no_secret else "",
    }
    proc = run(["bash", str(SCRIPT), *args], check=False, env=env)
    calls = log.read_text().splitlines() if log.exists() else []
    return proc.returncode, calls, proc.stdout + proc.stderr


def _index(calls: list[str], *fragments: str) -> int:
    for i, call in enumerate(calls):
        if all(fragment in call for fragment in fragments):
            return i
    pytest.fail(f"no call with {fragments} in:\n" + "\n".join(calls))
    raise AssertionError("unreachable")


def test_deploy_script_passes_shellcheck() -> None:
    run([find_tool("shellcheck"), "--severity=style", str(SCRIPT)])


def test_deploy_applies_prereq_then_waits_for_migration_then_rolls_out(tmp_path: Path) -> None:
    code, calls, output = _deploy(tmp_path, "Complete", "prod")
    assert code == 0, output
    order = [
        _index(calls, "apply", "deploy-phase=prereq"),
        _index(calls, "get secret posterior-secrets"),
        _index(calls, "delete job posterior-migrate"),
        _index(calls, "apply", "deploy-phase=migrate"),
        _index(calls, "get job posterior-migrate"),
        _index(calls, "apply", "deploy-phase=rollout"),
        _index(calls, "rollout status", "deployment/posterior-api"),
    ]
    assert order == sorted(order)
    assert all("-n posterior " in call for call in calls if call.startswith("-n "))


def test_deploy_stops_before_the_rollout_when_the_migration_fails(tmp_path: Path) -> None:
    code, calls, output = _deploy(tmp_path, "Failed", "prod")
    assert code != 0
    assert "migration failed" in output
    assert not [call for call in calls if "deploy-phase=rollout" in call]


def test_deploy_refuses_to_run_without_the_out_of_band_secret(tmp_path: Path) -> None:
    code, calls, output = _deploy(tmp_path, "Complete", "dev", no_secret=True)
    assert code != 0
    assert "posterior-secrets is missing in posterior-dev" in output
    assert not [call for call in calls if "deploy-phase=migrate" in call]


def test_deploy_rejects_an_unknown_overlay(tmp_path: Path) -> None:
    code, calls, output = _deploy(tmp_path, "Complete", "staging")
    assert code == 2
    assert "no overlay 'staging'" in output
    assert not calls


def test_deploy_can_override_the_image_tag_for_one_run(tmp_path: Path) -> None:
    code, _, output = _deploy(tmp_path, "Complete", "prod", "0.2.0")
    assert code == 0, output
    applied = (tmp_path / "calls.log.applied").read_text()
    images = {line.split("image:")[1].strip() for line in applied.splitlines() if "image:" in line}
    assert images == {"registry.example.com/posterior/posterior:0.2.0"}
