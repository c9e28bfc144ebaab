"""What every benchmark shares: the running stack, the load driver, and the results table."""

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import psycopg

from bench import stack

RESULTS = Path(__file__).resolve().parent / "results"


@dataclass
class Row:
    """One line of the results table: a measured value, its baseline, the ratio and the target."""

    key: str
    name: str
    value: float | None
    unit: str
    target: str  # e.g. "≥ 0.5", "≤ 30", "info"
    baseline: float | None = None
    baseline_name: str = ""
    ratio: float | None = None
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def compared(self) -> float | None:
        """What the target is checked against: the ratio when there is a baseline, else the value."""
        return self.ratio if self.baseline is not None or self.ratio is not None else self.value

    @property
    def met(self) -> bool | None:
        if self.target == "info" or self.compared is None:
            return None
        op, bound = self.target.split()
        return self.compared >= float(bound) if op == "≥" else self.compared <= float(bound)

    def as_json(self) -> dict[str, Any]:
        return asdict(self) | {"met": self.met}


@dataclass
class Context:
    database_url: str
    redis_url: str
    api: stack.Api
    workdir: Path
    env: dict[str, str]
    quick: bool = False
    profile: bool = False
    rows: list[Row] = field(default_factory=list)
    notes: dict[str, Any] = field(default_factory=dict)

    @property
    def pg(self) -> str:
        return stack.libpq_url(self.database_url)

    def connect(self) -> psycopg.Connection:
        return psycopg.connect(self.pg)

    def add(self, row: Row) -> Row:
        self.rows.append(row)
        return row


def run_load(spec: dict[str, Any], *, timeout_s: float) -> dict[str, Any]:
    """Runs the load driver in its own process and returns its summary."""
    completed = subprocess.run(
        [sys.executable, "-m", "bench.load"],
        input=json.dumps(spec),
        capture_output=True,
        text=True,
        timeout=timeout_s,
        env={**os.environ, "PYTHONPATH": str(stack.ROOT)},
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"load driver failed:\n{completed.stderr[-3000:]}")
    return json.loads(completed.stdout)


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def timed(fn: Any, *args: Any, **kwargs: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    value = fn(*args, **kwargs)
    return time.perf_counter() - started, value


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def process_cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process (all its threads), from /proc/<pid>/stat."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class CpuMeter:
    """CPU seconds spent by the API worker processes and by the PostgreSQL backends serving this
    run's database while a phase runs: a cost per request that contention on a shared machine does
    not inflate the way it inflates latencies and throughputs."""

    def __init__(self, ctx: "Context") -> None:
        self.ctx = ctx
        self.api_pids = ctx.api.workers()

    def _backends(self) -> list[int]:
        with self.ctx.connect() as conn:
            rows = conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            ).fetchall()
        return [r[0] for r in rows]

    def __enter__(self) -> "CpuMeter":
        self.db_before = {pid: process_cpu_s(pid) for pid in self._backends()}
        self.api_before = sum(process_cpu_s(pid) for pid in self.api_pids)
        return self

    def __exit__(self, *_exc: object) -> None:
        self.api_s = sum(process_cpu_s(pid) for pid in self.api_pids) - self.api_before
        self.db_s = sum(process_cpu_s(pid) - self.db_before.get(pid, 0.0) for pid in self._backends())

    def per_request_ms(self, requests: int) -> dict[str, float]:
        return {
            "api_cpu_ms_per_request": self.api_s * 1000 / max(requests, 1),
            "db_cpu_ms_per_request": self.db_s * 1000 / max(requests, 1),
        }
