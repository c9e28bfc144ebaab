"""Benchmark 5: the weekly batch — 5,000 users with 12 weeks of logs, recomputed by
`services.core.usecases.recompute.recompute_user` in one process, one transaction per user, exactly as a
Celery worker process runs it (`services/worker/tasks/recompute.py`), minus the broker.

`python -m bench.batch < spec.json` is that process (so it can be profiled on its own)."""

import json
import os
import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from bench import experiments, seed, stack
from bench.common import Context, Row
from bench.profiling import profiled
from services.core.db import create_db_engine, create_session_factory
from services.core.models import Base, User
from services.core.partitioning import partitioned_tables
from services.core.repositories import aggregates
from services.core.settings import Settings
from services.core.usecases.recompute import recompute_user

USERS = 5000
WEEKS = 12


def seed_batch(ctx: Context, users: int) -> list[uuid.UUID]:
    """Bulk SQL, two connections in parallel (one per core), FK triggers off while seeding (the
    generated rows are consistent by construction), then ANALYZE."""
    with ctx.connect() as conn:
        user_ids = seed.create_users(conn, users, "batch")
        conn.commit()
    now = datetime.now(UTC)
    halves = [user_ids[: users // 2], user_ids[users // 2 :]]
    errors: list[BaseException] = []

    def fill(part: list[uuid.UUID]) -> None:
        try:
            with ctx.connect() as conn:
                conn.execute("SET session_replication_role = replica")
                conn.execute("SET work_mem = '128MB'")
                for start in range(0, len(part), 500):
                    seed.seed_logs(conn, part[start : start + 500], workouts=2 * WEEKS, now=now)
                    conn.commit()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=fill, args=(part,)) for part in halves]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    build_aggregates(ctx, user_ids)
    with ctx.connect() as conn:
        conn.autocommit = True
        conn.execute("ANALYZE")
    return user_ids


def build_aggregates(ctx: Context, user_ids: list[uuid.UUID]) -> None:
    """The weekly aggregates the pushes of these logs would have kept (the seed writes the tables
    directly), so the recompute finds them built, as in production."""
    settings = Settings(database_url=ctx.database_url, jwt_secret="x" * 32, environment="production")
    engine = create_db_engine(settings)
    factory = create_session_factory(engine)
    for start in range(0, len(user_ids), 500):
        with factory.begin() as session:
            for user_id in user_ids[start : start + 500]:
                aggregates.rebuild(session, session.get_one(User, user_id))
    engine.dispose()


def weekly_batch(ctx: Context) -> None:
    users = 1000 if ctx.quick else USERS
    started = time.perf_counter()
    user_ids = seed_batch(ctx, users)
    seeded_s = time.perf_counter() - started
    storage = storage_per_user(ctx, users)
    spec = {
        "database_url": ctx.database_url,
        "users": [str(u) for u in user_ids],
        "time_cap_s": 30 if ctx.quick else 60,
    }
    result = run_batch_process(ctx, spec)
    ctx.notes["batch_users"] = [str(u) for u in user_ids[:64]]
    ctx.add(
        Row(
            "batch_users_per_s",
            f"5. weekly recompute, {users:,} users x {WEEKS} weeks of logs, users/s per process",
            result["users_per_s"],
            "users/s",
            "≥ 170",
            details=result
            | {"seed_s": seeded_s, "sets": users * WEEKS * 2 * seed.SETS_PER_WORKOUT, "storage": storage},
        )
    )


def storage_per_user(ctx: Context, users: int) -> dict[str, Any]:
    """What the seeded logs occupy: bytes per user of each per-user table (heap, TOAST and indexes,
    summed over its partitions), for WEEKS weeks of logs; the capacity plan's storage input
    (docs/operations.md)."""
    with ctx.connect() as conn:
        rows = conn.execute(
            "SELECT t, (SELECT coalesce(sum(pg_total_relation_size(relid)), 0)::bigint FROM pg_partition_tree(t::regclass) "
            "WHERE isleaf) FROM unnest(%s::text[]) AS t",
            [sorted(partitioned_tables(Base.metadata))],
        ).fetchall()
    by_table = {table: size / users for table, size in rows if size}
    return {"weeks": WEEKS, "bytes_per_user": sum(by_table.values()), "bytes_per_user_by_table": by_table}


def run_batch_process(ctx: Context, spec: dict[str, Any]) -> dict[str, Any]:
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.batch"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, **ctx.env, "PYTHONPATH": str(stack.ROOT)},
    )
    try:
        with profiled(ctx, "batch-recompute", [process.pid]):
            out, _ = process.communicate(json.dumps(spec), timeout=spec["time_cap_s"] + 120)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    if process.returncode != 0:
        raise RuntimeError(f"the batch process exited with {process.returncode}")
    return json.loads(out)


def main() -> None:
    """One worker process' loop: a session and a commit per user, like the Celery task."""
    spec = json.load(sys.stdin)
    experiments.apply_from_env()
    settings = Settings(database_url=spec["database_url"], jwt_secret="x" * 32, environment="production")
    factory = create_session_factory(create_db_engine(settings))
    users = [uuid.UUID(u) for u in spec["users"]]
    now = datetime.now(UTC)
    # First-use costs (imports, mapper configuration, connection) are not part of a weekly run.
    with factory.begin() as session:
        recompute_user(session, users[0], now=now)
    done, insights, prescriptions = 0, 0, 0
    started, cpu_started = time.perf_counter(), time.process_time()
    for user_id in users[1:]:
        with factory.begin() as session:
            result = recompute_user(session, user_id, now=now)
        done += 1
        insights += result.insights_written
        prescriptions += result.prescriptions_written
        if time.perf_counter() - started > spec["time_cap_s"]:
            break
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    json.dump(
        {
            "cpu_ms_per_user": cpu * 1000 / done,
            "users_per_cpu_s": done / cpu,
            "users": done,
            "elapsed_s": elapsed,
            "users_per_s": done / elapsed,
            "ms_per_user": elapsed * 1000 / done,
            "insights_written": insights,
            "prescriptions_written": prescriptions,
            "capped": done < len(users) - 1,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
