"""The processes a benchmark runs against, started the way the image starts them: a throwaway
PostgreSQL database, a Redis database index of the suite's own, `python -m services.entrypoint api`
(uvicorn, production settings) and, for the pipeline benchmark, a Celery worker and beat.

Nothing here touches the machine's shared servers beyond creating and dropping its own database
and flushing its own Redis index.
"""

import contextlib
import os
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx
import redis
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from services.core.db import normalize_url
from services.core.migrate import migrate
from services.core.settings import Settings

# The same process handling as the end-to-end tests: what the benchmarks start is started alike.
from tests.e2e.processes import Process, spawn, wait_for
from tests.e2e.servers import free_port

ROOT = Path(__file__).resolve().parents[1]
ADMIN_URL = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
DB_PREFIX = "posterior_bench_"
JWT_SECRET = "bench-secret-" + "b" * 40
RATE_LIMIT_SETTINGS = [name.upper() for name in Settings.model_fields if name.startswith("rate_limit_")]


# -- database and redis ---------------------------------------------------------------------------


def _admin(sql: str) -> None:
    engine = create_engine(normalize_url(ADMIN_URL), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(sql))
    engine.dispose()


def _drop_stale_databases() -> None:
    """Databases of earlier runs that were killed before they could clean up (their pid is gone)."""
    engine = create_engine(normalize_url(ADMIN_URL), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        names = connection.execute(
            text("SELECT datname FROM pg_database WHERE datname LIKE :p"), {"p": DB_PREFIX + "%"}
        ).scalars()
        for name in list(names):
            pid = name.removeprefix(DB_PREFIX)
            if pid.isdigit() and not Path(f"/proc/{pid}").exists():
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


@contextlib.contextmanager
def throwaway_database() -> Iterator[str]:
    """A fresh database, migrated and seeded like production (`services.core.migrate`)."""
    _drop_stale_databases()
    name = f"{DB_PREFIX}{os.getpid()}"
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{name}"')
    url = make_url(normalize_url(ADMIN_URL)).set(database=name).render_as_string(hide_password=False)
    try:
        migrate(Settings(database_url=url, jwt_secret=JWT_SECRET, environment="production"))
        yield url
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def redis_index() -> Iterator[str]:
    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    try:
        yield REDIS_URL
    finally:
        client.flushdb()
        client.close()


def libpq_url(url: str) -> str:
    """The SQLAlchemy URL as plain libpq (for raw psycopg baselines)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


# -- processes ------------------------------------------------------------------------------------


def production_env(database_url: str, redis_url: str, **extra: str) -> dict[str, str]:
    return {
        "ENVIRONMENT": "production",
        "JWT_SECRET": JWT_SECRET,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "API_WORKERS": "2",
        "LOG_LEVEL": "WARNING",
        # A few users send thousands of requests a minute here: limits that never bind, so every
        # request is served — and still counted in Redis, so the limiter's cost is measured.
        **dict.fromkeys(RATE_LIMIT_SETTINGS, "100000000/minute"),
        **extra,
    }


def entrypoint(env: Mapping[str, str]) -> list[str]:
    """How the image starts a process, or the same through bench/experiments.py when proposed
    changes are being measured (`--experiment`)."""
    module = "bench.experiments" if env.get("BENCH_EXPERIMENTS") else "services.entrypoint"
    return [sys.executable, "-m", module]


@dataclass
class Api(Process):
    base_url: str = ""

    def workers(self) -> list[int]:
        """The uvicorn worker processes (children of the supervisor when API_WORKERS > 1; not the
        multiprocessing resource tracker, which is a child too)."""
        found = []
        for pid in self.children():
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            except FileNotFoundError:
                continue
            if b"resource_tracker" not in cmdline:
                found.append(pid)
        return found or [self.pid]


def start_api(env: Mapping[str, str], workdir: Path) -> Api:
    port = free_port()
    spawned = spawn(
        f"api-{port}",
        [*entrypoint(env), "api"],
        {**env, "API_HOST": "127.0.0.1", "API_PORT": str(port)},
        workdir,
    )
    api = Api(spawned.name, spawned.process, spawned.log_path, base_url=f"http://127.0.0.1:{port}")
    expected = int(env.get("API_WORKERS", "1"))

    def healthy() -> bool:
        if not api.alive():
            raise RuntimeError(f"the API exited with {api.process.returncode}:\n{api.log()}")
        try:
            ok = httpx.get(f"{api.base_url}/healthz", timeout=1).status_code == 200
        except httpx.TransportError:
            return False
        return ok and (expected < 2 or len(api.workers()) >= expected)

    try:
        wait_for(healthy, timeout_s=60, interval_s=0.2, what="the API to answer /healthz")
        # Every worker process must have served its first request before anything is measured.
        with httpx.Client(base_url=api.base_url, timeout=5) as client:
            for _ in range(50):
                client.get("/healthz")
    except BaseException:
        api.stop()
        raise
    return api


def start_worker(env: Mapping[str, str], workdir: Path, *, concurrency: int | None = None) -> Process:
    port = free_port()
    argv = [*entrypoint(env), "worker", "--hostname", f"bench-{port}@%h"]
    if concurrency:
        argv += ["--concurrency", str(concurrency)]
    worker = spawn(f"worker-{port}", argv, {**env, "WORKER_METRICS_PORT": str(port)}, workdir)

    def ready() -> bool:
        if not worker.alive():
            raise RuntimeError(f"the worker exited with {worker.process.returncode}:\n{worker.log()}")
        try:
            return httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=1).status_code == 200
        except httpx.TransportError:
            return False

    try:
        wait_for(ready, timeout_s=60, interval_s=0.2, what="the worker to be ready")
    except BaseException:
        worker.stop()
        raise
    return worker


def start_beat(env: Mapping[str, str], workdir: Path) -> Process:
    """Beat keeps its schedule file in its working directory (`workdir`, a temporary one)."""
    beat = spawn(f"beat-{free_port()}", [*entrypoint(env), "beat"], env, workdir)

    def started() -> bool:
        if not beat.alive():
            raise RuntimeError(f"beat exited with {beat.process.returncode}:\n{beat.log()}")
        return "beat: Starting" in beat.log() or "Scheduler:" in beat.log()

    try:
        wait_for(started, timeout_s=60, interval_s=0.2, what="beat to start")
    except BaseException:
        beat.stop()
        raise
    return beat


def rss_bytes(pid: int) -> int:
    """Resident set size from /proc/<pid>/statm (pages × page size)."""
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (FileNotFoundError, ProcessLookupError):
        return 0
