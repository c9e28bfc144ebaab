"""Every process starts from the image's command line — the Dockerfile's ENTRYPOINT plus one of
migrate | api | worker | beat — comes up, and stops cleanly on SIGTERM (exit status 0)."""

import json
import os
import re
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path

import httpx
import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text

from services.core.db import normalize_url
from services.core.migrate import alembic_config
from tests.conftest import create_throwaway_database, drop_database
from tests.e2e.processes import wait_for
from tests.e2e.servers import ROOT, Server, free_port, wait_until_healthy

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]

DOCKERFILE = ROOT / "deploy" / "docker" / "Dockerfile"
STOPS_WITHIN_S = 30


def image_instruction(name: str) -> list[str]:
    [exec_form] = re.findall(rf"^{name} (\[.*\])\s*$", DOCKERFILE.read_text(), re.M)
    return json.loads(exec_form)


def image_command(*args: str) -> list[str]:
    """The container's argv; the image's `python` is its virtualenv's, here the one running us."""
    entrypoint = image_instruction("ENTRYPOINT")
    assert entrypoint[0] == "python"
    return [sys.executable, *entrypoint[1:], *(args or image_instruction("CMD"))]


def spawn(
    argv: Sequence[str], env: dict[str, str], workdir: Path, name: str
) -> tuple[subprocess.Popen, Path]:
    log_path = workdir / f"{name}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            list(argv),
            cwd=workdir,
            env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return process, log_path


def stop(process: subprocess.Popen) -> int:
    """SIGTERM, as Kubernetes stops a pod; the exit status, or a kill if it hangs."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout=STOPS_WITHIN_S)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise


@pytest.fixture
def broker_env(ops_env, ops_redis) -> dict[str, str]:
    ops_redis.flush()
    return ops_env | {"REDIS_URL": ops_redis.url(2)}


@pytest.fixture
def empty_database(worker_id: str) -> Iterator[str]:
    name = f"posterior_test_{worker_id}_{os.getpid()}_migrate_{uuid.uuid4().hex[:6]}"
    url = create_throwaway_database(name).render_as_string(hide_password=False)
    yield url
    drop_database(name)


def schema_state(url: str) -> tuple[str, int, int]:
    """(alembic revision, exercises, programs) of the database."""
    engine = create_engine(normalize_url(url))
    with engine.connect() as connection:
        state = (
            connection.scalar(text("SELECT version_num FROM alembic_version")),
            connection.scalar(text("SELECT count(*) FROM exercises")),
            connection.scalar(text("SELECT count(*) FROM programs")),
        )
    engine.dispose()
    return state


def run_to_completion(argv: Sequence[str], env: dict[str, str], workdir: Path) -> None:
    done = subprocess.run(
        list(argv),
        cwd=workdir,
        env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-3000:]


def test_migrate_brings_an_empty_database_to_head_and_a_second_run_changes_nothing(
    pg_env, empty_database, workdir
):
    env = pg_env | {"DATABASE_URL": empty_database}
    run_to_completion(image_command("migrate"), env, workdir)
    migrated = schema_state(empty_database)
    run_to_completion(image_command("migrate"), env, workdir)

    revision, exercises, programs = migrated
    assert revision == ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert exercises > 0
    assert programs > 0
    assert schema_state(empty_database) == migrated


def test_the_default_command_serves_the_api_and_stops_cleanly(ops_env, workdir):
    port = free_port()
    env = ops_env | {"API_PORT": str(port), "API_HOST": "127.0.0.1", "API_WORKERS": "1"}
    process, log_path = spawn(image_command(), env, workdir, "api")  # CMD ["api"]
    server = Server(process, f"http://127.0.0.1:{port}", log_path)
    try:
        wait_until_healthy(server)
        assert httpx.get(f"{server.base_url}/readyz", timeout=10).status_code == 200
    finally:
        status = stop(process)
    assert status == 0, server.log()


def test_the_worker_command_serves_its_metrics_and_stops_cleanly(broker_env, workdir):
    port = free_port()
    argv = image_command("worker", "--concurrency", "1")
    process, log_path = spawn(argv, broker_env | {"WORKER_METRICS_PORT": str(port)}, workdir, "worker")

    def metrics() -> str:
        if process.poll() is not None:
            raise RuntimeError(f"worker exited with {process.returncode}:\n{log_path.read_text()[-3000:]}")
        try:
            return httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=1).text
        except httpx.TransportError:
            return ""

    try:
        exposition = wait_for(metrics, timeout_s=60, interval_s=0.2, what="the worker's metrics endpoint")
        assert "posterior_insight_age_seconds_count" in exposition
    finally:
        status = stop(process)
    assert status == 0, log_path.read_text()[-3000:]


def test_the_beat_command_starts_the_scheduler_and_stops_cleanly(broker_env, workdir):
    process, log_path = spawn(image_command("beat"), broker_env, workdir, "beat")

    def started() -> bool:
        if process.poll() is not None:
            raise RuntimeError(f"beat exited with {process.returncode}:\n{log_path.read_text()[-3000:]}")
        return "beat: Starting" in log_path.read_text(errors="replace")

    try:
        wait_for(started, timeout_s=60, interval_s=0.2, what="beat to log that it started")
    finally:
        status = stop(process)
    assert status == 0, log_path.read_text()[-3000:]
