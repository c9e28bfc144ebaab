"""Benchmark 6: the read endpoints' throughput against the hello-world endpoint (GET /healthz of
the same server), closed loop at the same concurrency, rounds interleaved."""

from bench import seed
from bench.common import Context, CpuMeter, Row, auth, median, run_load
from bench.profiling import profiled

CPU_KEYS = ("api_cpu_ms_per_request", "db_cpu_ms_per_request")
ENDPOINTS = {
    "programs": "/v1/programs",
    "next_session": "/v1/me/next-session",
    "insights": "/v1/me/insights",
}


def read_endpoints(ctx: Context, *, connections: int = 16) -> None:
    """Users are the batch users (enrolled, 12 weeks of logs, insights and prescriptions written)."""
    rounds, duration = (1, 4) if ctx.quick else (3, 5)
    users = ctx.notes.get("batch_users")
    if not users:  # run on its own: enrolled users without logs
        with ctx.connect() as conn:
            users = seed.create_users(conn, connections, "reads")
            conn.commit()
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
                "≥ 0.5",
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
