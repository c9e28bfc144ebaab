"""Benchmark 4: push → insight visible, through the real pipeline (API → outbox → beat's relay →
Redis → Celery worker → recompute → PostgreSQL → GET /v1/me/insights)."""

import warnings
from typing import Any

from bench import seed, stack
from bench.common import Context, Row, auth, run_load
from bench.profiling import profiled

with warnings.catch_warnings():
    # tests.factories imports starlette's TestClient, which warns about httpx; not our concern here.
    warnings.simplefilter("ignore")
    from tests.factories.history import moved_to_week_of, push_changes, scenario

# Worked scenarios (tests/fixtures/worked_scenarios.json) whose logs raise at least one insight.
SCENARIOS = ("2", "3", "4", "5", "6", "7", "8", "9")
POLL_INTERVAL_S = 0.2


def _bodies(number: str) -> list[dict[str, Any]]:
    history = moved_to_week_of(scenario(number))
    return [{"changes": changes} for changes in push_changes(history)]


def push_to_insight(ctx: Context, *, pushes: int = 200, rate: float = 5.0) -> None:
    """`pushes` first syncs of different users (one every 1/`rate` s), each a worked scenario's logs;
    latency = from the push being sent until GET /v1/me/insights lists the insight it raised."""
    pushes = 60 if ctx.quick else pushes
    with ctx.connect() as conn:
        users = seed.create_users(conn, pushes, "pipeline", enroll=False)
        conn.execute("UPDATE users SET timezone = 'Europe/Berlin' WHERE id = ANY(%s)", (users,))
        conn.commit()
    tokens = seed.tokens(users, ctx.env["JWT_SECRET"])
    bodies = {number: _bodies(number) for number in SCENARIOS}
    devices = [
        {"headers": auth(token), "bodies": bodies[SCENARIOS[i % len(SCENARIOS)]], "start_s": i / rate}
        for i, token in enumerate(tokens)
    ]
    spec = {
        "base_url": ctx.api.base_url,
        "mode": "pipeline",
        "poll_path": "/v1/me/insights?status=open&limit=1",
        "poll_interval_s": POLL_INTERVAL_S,
        "give_up_s": 30,
        "devices": devices,
    }
    worker = stack.start_worker(ctx.env, ctx.workdir)
    beat = None
    try:
        beat = stack.start_beat(ctx.env | {"LOG_LEVEL": "INFO"}, ctx.workdir)
        with profiled(ctx, "pipeline-worker", worker.children()):
            result = run_load(spec, timeout_s=pushes / rate + 120)
    finally:
        if beat is not None:
            beat.stop()
        worker.stop()
    if result["failed"]:
        raise RuntimeError(f"{result['failed']} pushes never showed an insight: {result['failures']}")
    ctx.add(
        Row(
            "push_to_insight_p95",
            f"4. push → insight visible, p95 over {pushes} first syncs ({rate:g}/s), s",
            result["p95_s"],
            "s",
            "≤ 1",
            details=result,
        )
    )
