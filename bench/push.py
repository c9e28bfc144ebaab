"""Benchmarks 1 and 2: push throughput against a raw bulk upsert, and push latency under load."""

import uuid
from typing import Any

import httpx
import orjson
import psycopg

from bench import seed
from bench.common import Context, CpuMeter, Row, auth, median, run_load, timed
from bench.profiling import profiled

SETS_PER_PUSH = 1000
WORKOUTS_PER_PUSH = SETS_PER_PUSH // seed.SETS_PER_WORKOUT  # 40 workouts of 25 sets
STARTED_AT = 1_760_000_000_000

WORKOUT_COLUMNS = ("id", "started_at", "ended_at", "program_day_id", "notes")
SET_COLUMNS = (
    "id", "workout_id", "exercise_id", "set_index", "side", "load_kg", "reps", "rir", "rpe", "eccentric_s",
    "assistance_kg", "to_failure", "is_warmup", "performed_at",
)  # fmt: skip
SET_TYPES = (
    "text", "text", "text", "int", "text", "float8", "int", "float8", "float8", "float8", "float8", "bool",
    "bool", "int8",
)  # fmt: skip
WORKOUT_TYPES = ("text", "int8", "int8", "text", "text")


def _upsert_sql(table: str, columns: tuple[str, ...], types: tuple[str, ...]) -> str:
    names = ", ".join(columns)
    arrays = ", ".join(f"%s::{t}[]" for t in types)
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c != "id")
    return (
        f"INSERT INTO {table} (user_id, version, deleted, server_updated_at, {names}) "
        f"SELECT %s, 1, false, now(), * FROM unnest({arrays}) "
        f"ON CONFLICT (user_id, id) DO UPDATE SET {updates}, version = excluded.version, "
        "deleted = excluded.deleted, server_updated_at = excluded.server_updated_at"
    )


UPSERT_WORKOUTS = _upsert_sql("workouts", WORKOUT_COLUMNS, WORKOUT_TYPES)
UPSERT_SETS = _upsert_sql("workout_sets", SET_COLUMNS, SET_TYPES)


def raw_upsert(conn: psycopg.Connection, user_id: uuid.UUID, body: dict[str, Any]) -> None:
    """The baseline: the same workouts and sets, one INSERT … ON CONFLICT per table, one commit."""
    changes = body["changes"]
    workouts, sets = changes["workouts"]["created"], changes["workout_sets"]["created"]
    conn.execute(UPSERT_WORKOUTS, [user_id, *([w[c] for w in workouts] for c in WORKOUT_COLUMNS)])
    conn.execute(UPSERT_SETS, [user_id, *([s[c] for s in sets] for c in SET_COLUMNS)])
    conn.commit()


def push_throughput(ctx: Context) -> None:
    reps = 3 if ctx.quick else 9
    with ctx.connect() as conn:
        users = seed.create_users(conn, 2 * (reps + 1), "push1k")
        conn.commit()
    tokens = seed.tokens(users, ctx.env["JWT_SECRET"])
    workouts, sets = seed.workout_records(
        "p", WORKOUTS_PER_PUSH, sets_per_workout=seed.SETS_PER_WORKOUT, started_at=STARTED_AT
    )
    assert len(sets) == SETS_PER_PUSH
    body = seed.changes(workouts, sets)
    payload = orjson.dumps(body)
    push_rates, raw_rates, push_s = [], [], []
    with httpx.Client(base_url=ctx.api.base_url, timeout=60) as http, ctx.connect() as conn:

        def push(token: str) -> None:
            response = http.post(
                "/v1/sync/push", content=payload, headers=auth(token) | {"content-type": "application/json"}
            )
            assert response.status_code == 200, response.text
            assert response.json()["applied"]["workout_sets"]["upserted"] == SETS_PER_PUSH, response.text

        # Warm-up: one of each (first-use costs: statement caches, pools, imports).
        push(tokens[0])
        raw_upsert(conn, users[1], body)
        with profiled(ctx, "push-1000", ctx.api.workers()):
            for rep in range(1, reps + 1):  # interleaved, so machine noise hits both alike
                elapsed, _ = timed(push, tokens[2 * rep])
                push_s.append(elapsed)
                push_rates.append(SETS_PER_PUSH / elapsed)
                elapsed, _ = timed(raw_upsert, conn, users[2 * rep + 1], body)
                raw_rates.append(SETS_PER_PUSH / elapsed)
    push_rate, raw_rate = median(push_rates), median(raw_rates)
    ctx.add(
        Row(
            "push_throughput",
            "1. push of 1,000 sets (+40 workouts), sets/s",
            push_rate,
            "sets/s",
            "≥ 0.6",
            baseline=raw_rate,
            baseline_name="psycopg unnest INSERT … ON CONFLICT, same rows and table",
            ratio=push_rate / raw_rate,
            details={
                "push_ms": [round(s * 1000, 1) for s in push_s],
                "push_rates": push_rates,
                "raw_rates": raw_rates,
                "body_bytes": len(payload),
            },
        )
    )


def push_latency(ctx: Context, *, devices: int = 64, rate_per_device: float = 0.5) -> None:
    """64 phones, each pushing a new 24-set workout every 2 s (32 pushes/s), then the same phones
    and schedule on GET /healthz (the hello-world baseline) on the same server."""
    duration = 8 if ctx.quick else 15
    with ctx.connect() as conn:
        users = seed.create_users(conn, devices, "latency")
        conn.commit()
    tokens = seed.tokens(users, ctx.env["JWT_SECRET"])
    common = {
        "base_url": ctx.api.base_url,
        "mode": "open",
        "rate_per_device": rate_per_device,
        "duration_s": duration,
        "warmup_s": 3,
        "devices": [{"headers": auth(t)} for t in tokens],
    }
    request = {"method": "POST", "paths": ["/v1/sync/push"], "body": "push_workout", "sets_per_workout": 24}
    with profiled(ctx, "push-latency", ctx.api.workers()), CpuMeter(ctx) as meter:
        pushes = run_load(common | {"request": request}, timeout_s=duration + 120)
    pushes |= meter.per_request_ms(pushes["sent"])
    with CpuMeter(ctx) as meter:
        hello = run_load(
            common | {"request": {"method": "GET", "paths": ["/healthz"]}}, timeout_s=duration + 120
        )
    hello |= meter.per_request_ms(hello["sent"])
    for result in (pushes, hello):
        if result["errors"]:
            raise RuntimeError(f"requests failed: {result['errors']}")
    load = f"{devices} devices x {rate_per_device}/s"
    details = {"load": load, "pushes": pushes, "hello_world": hello}
    ctx.add(
        Row(
            "push_latency_p99",
            f"2. push p99 under load ({load}, 24-set workouts), ms",
            pushes["p99_ms"],
            "ms",
            "≤ 30",
            details=details,
        )
    )
    for q in ("p50", "p95", "p99"):
        ctx.add(
            Row(
                f"push_latency_{q}_vs_hello",
                f"2. push {q} ÷ hello-world {q} (same server, same load)",
                pushes[f"{q}_ms"],
                "ms",
                "info",
                baseline=hello[f"{q}_ms"],
                baseline_name="GET /healthz, same devices and schedule",
                ratio=pushes[f"{q}_ms"] / hello[f"{q}_ms"],
            )
        )
