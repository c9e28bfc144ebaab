"""Celery worker and beat processes, started the way the container starts them
(`python -m services.entrypoint worker|beat`), and private Redis servers for fault tests.

Every process gets its own session (process group), so a test can kill a worker together with its
prefork children, and cleanup never leaves a child behind.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import redis

from tests.e2e.servers import ROOT, free_port
from tests.factories.mailbox import run_smtp

STOP_TIMEOUT_S = 20


def wait_for(
    condition: Callable[[], object], *, timeout_s: float, interval_s: float = 0.1, what: str = ""
) -> object:
    """Polls until `condition()` is truthy and returns its value; fails after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"gave up after {timeout_s} s waiting for {what or condition}")
        time.sleep(interval_s)


@dataclass
class Process:
    name: str
    process: subprocess.Popen
    log_path: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def children(self) -> list[int]:
        """Direct children (a prefork worker's pool processes)."""
        path = Path(f"/proc/{self.pid}/task/{self.pid}/children")
        try:
            return [int(pid) for pid in path.read_text().split()]
        except FileNotFoundError:
            return []

    def kill(self) -> None:
        """SIGKILL to the whole process group: what an OOM kill or a lost node does to a pod."""
        if self.alive():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.pid, signal.SIGKILL)
            self.process.wait(timeout=STOP_TIMEOUT_S)

    def stop(self) -> None:
        """SIGTERM (Celery's warm shutdown), then SIGKILL to the group if it does not exit in time."""
        if self.alive():
            self.process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=STOP_TIMEOUT_S)
        # Pool children that outlived their parent are still in its process group.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGKILL)
        if self.alive():
            self.process.wait(timeout=STOP_TIMEOUT_S)

    def log(self, tail: int = 6000) -> str:
        return self.log_path.read_text(errors="replace")[-tail:]


def spawn(name: str, argv: Sequence[str], env: Mapping[str, str], workdir: Path) -> Process:
    log_path = workdir / f"{name}.log"
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            list(argv),
            cwd=workdir,
            # Account mail goes to the test run's SMTP server unless `env` says otherwise.
            env={**os.environ, "SMTP_URL": run_smtp().url, **env, "PYTHONPATH": str(ROOT)},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Process(name, process, log_path)


@dataclass
class Worker(Process):
    metrics_port: int = 0

    @property
    def metrics_url(self) -> str:
        return f"http://127.0.0.1:{self.metrics_port}/metrics"

    def metrics(self) -> str:
        return httpx.get(self.metrics_url, timeout=5).text


def start_worker(
    env: Mapping[str, str], workdir: Path, *, concurrency: int = 1, timeout_s: float = 60
) -> Worker:
    """`python -m services.entrypoint worker` with one pool process; ready once the metrics endpoint
    (served from Celery's worker_ready signal) answers."""
    port = free_port()
    name = f"worker-{port}"
    argv = [sys.executable, "-m", "services.entrypoint", "worker"]
    argv += ["--concurrency", str(concurrency), "--hostname", f"{name}@%h"]
    spawned = spawn(name, argv, {**env, "WORKER_METRICS_PORT": str(port)}, workdir)
    worker = Worker(spawned.name, spawned.process, spawned.log_path, metrics_port=port)

    def ready() -> bool:
        if not worker.alive():
            raise RuntimeError(f"worker exited with {worker.process.returncode}:\n{worker.log()}")
        try:
            return httpx.get(worker.metrics_url, timeout=1).status_code == 200
        except httpx.TransportError:
            return False

    try:
        wait_for(ready, timeout_s=timeout_s, interval_s=0.2, what="the worker to be ready")
    except BaseException:
        worker.stop()
        raise
    return worker


def start_beat(env: Mapping[str, str], workdir: Path, *, timeout_s: float = 60) -> Process:
    """`python -m services.entrypoint beat`, in `workdir` (where beat keeps its schedule file, like
    the beat Deployment's `workingDir: /tmp`)."""
    beat = spawn(f"beat-{free_port()}", [sys.executable, "-m", "services.entrypoint", "beat"], env, workdir)

    def started() -> bool:
        if not beat.alive():
            raise RuntimeError(f"beat exited with {beat.process.returncode}:\n{beat.log()}")
        return "beat: Starting" in beat.log()

    try:
        wait_for(started, timeout_s=timeout_s, interval_s=0.2, what="beat to start")
    except BaseException:
        beat.stop()
        raise
    return beat


@dataclass
class RedisServer:
    """A private `redis-server` on a loopback port of its own; restartable on the same port."""

    port: int
    workdir: Path
    process: subprocess.Popen | None = None
    starts: int = field(default=0)

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self, timeout_s: float = 20) -> None:
        assert self.process is None or self.process.poll() is not None, "already running"
        self.starts += 1
        log_path = self.workdir / f"redis-{self.port}-{self.starts}.log"
        with log_path.open("wb") as log:
            self.process = subprocess.Popen(
                ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                 "--daemonize", "no", "--dir", str(self.workdir)],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        client = redis.Redis(port=self.port, socket_timeout=1, socket_connect_timeout=1)

        def answers() -> bool:
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server exited:\n{log_path.read_text(errors='replace')}")
            try:
                return bool(client.ping())
            except redis.RedisError:
                return False

        try:
            wait_for(answers, timeout_s=timeout_s, what=f"redis-server on port {self.port}")
        except BaseException:
            self.stop()
            raise
        finally:
            client.close()

    def flush(self) -> None:
        client = redis.Redis(port=self.port, socket_timeout=5, socket_connect_timeout=5)
        try:
            client.flushall()
        finally:
            client.close()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_redis(workdir: Path, port: int | None = None) -> RedisServer:
    server = RedisServer(port or free_port(), workdir)
    server.start()
    return server
