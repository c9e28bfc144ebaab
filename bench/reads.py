"""Benchmark 6: the read endpoints' throughput against the hello-world endpoint (GET /healthz of
the same server), closed loop at the same concurrency, rounds interleaved."""

import uuid
from datetime import UTC, datetime

from bench import batch, seed, stack
from bench.common import Context, CpuMeter, Row, auth, median, run_load
from bench.profiling import profiled
from services.core.db import create_db_engine, create_session_factory
from services.core.settings import Settings
from services.core.usecases.recompute import recompute_user

CPU_KEYS = ("api_cpu_ms_per_request", "db_cpu_ms_per_request")
ENDPOINTS = {
    "programs": "/v1/programs",
    "next_session": "/v1/me/next-session",
    "insights": "/v1/me/insights",
}
# Issue 19's targets: the per-user reads are read models (one indexed read plus authentication),
# the programs page is reference data cached per process.
TARGETS = {"programs": "≥ 0.6", "next_session": "≥ 0.3", "insights": "≥ 0.3"}


def read_endpoints(ctx: Context, *, connections: int = 16) -> None:
    """Users are the batch users (enrolled, 12 weeks of logs, insights and prescriptions written)."""
    rounds, duration = (1, 4) if ctx.quick else (3, 5)
    users = ctx.notes.get("batch_users") or logged_users(ctx, connections)
    tokens = seed.tokens(users[:connections], ctx.env["JWT_SECRET"])
    devices = [{"headers": auth(tokens[i % len(tokens)])} for i in range(connections)]

    def rps(path: str, name: str) -> dict:
        spec = {
            "base_url": ctx.api.base_url,
            "mode": "closed",
            "duration_s": duration,
            "warmup_s": 1,
            "devices": devices,
            "request": {"method": "GET", "paths": [path]},
        }
        with profiled(ctx, f"read-{name}", ctx.api.workers()), CpuMeter(ctx) as meter:
            result = run_load(spec, timeout_s=duration + 60)
        result |= meter.per_request_ms(result["sent"])
        if result["errors"]:
            raise RuntimeError(f"{path}: {result['errors']}")
        return result

    measured: dict[str, list[dict]] = {name: [] for name in ["hello", *ENDPOINTS]}
    for _ in range(rounds):
        measured["hello"].append(rps("/healthz", "hello"))
        for name, path in ENDPOINTS.items():
            measured[name].append(rps(path, name))
    hello = median([r["rps"] for r in measured["hello"]])
    for name, path in ENDPOINTS.items():
        # Ratio per round against that round's hello-world, then the median: noise hits both alike.
        ratios = [r["rps"] / h["rps"] for r, h in zip(measured[name], measured["hello"], strict=True)]
        ctx.add(
            Row(
                f"read_{name}",
                f"6. GET {path}, req/s ({connections} connections)",
                median([r["rps"] for r in measured[name]]),
                "req/s",
                TARGETS[name],
                baseline=hello,
                baseline_name="GET /healthz, same server and concurrency",
                ratio=median(ratios),
                details={
                    "rounds": [
                        {k: r[k] for k in ("rps", "p50_ms", "p99_ms", "statuses", *CPU_KEYS)}
                        for r in measured[name]
                    ],
                    "hello_rounds": [
                        {k: r[k] for k in ("rps", "p50_ms", "p99_ms", *CPU_KEYS)} for r in measured["hello"]
                    ],
                    # CPU per request, robust to a busy machine: hello-world's over the endpoint's is
                    # the throughput ratio a CPU-bound server would reach.
                    "cpu_ratio": median([h["api_cpu_ms_per_request"] for h in measured["hello"]])
                    / median(
                        [r["api_cpu_ms_per_request"] + r["db_cpu_ms_per_request"] for r in measured[name]]
                    ),
                },
            )
        )


def logged_users(ctx: Context, count: int) -> list[uuid.UUID]:
    """Run on its own: `count` users like the batch's (enrolled, its weeks of logs), recomputed
    in this process, so that their next session and insights are written as the batch leaves them."""
    now = datetime.now(UTC)
    with ctx.connect() as conn:
        users = seed.create_users(conn, count, "reads")
        seed.seed_logs(conn, users, workouts=2 * batch.WEEKS, now=now)
        conn.commit()
    settings = Settings(database_url=ctx.database_url, jwt_secret=stack.JWT_SECRET, environment="production")
    engine = create_db_engine(settings)
    try:
        factory = create_session_factory(engine)
        for user_id in users:
            with factory.begin() as session:
                recompute_user(session, user_id, now=now)
    finally:
        engine.dispose()
    return users
