"""Benchmark 3: a full first pull against a raw SELECT + orjson of the same rows, and the API
process' memory while a user with 100,000 sets pulls."""

import threading
import time
import uuid
import zlib
from datetime import UTC, datetime
from typing import Any

import httpx
import orjson
from psycopg.rows import dict_row

from bench import seed, stack
from bench.common import Context, Row, auth, median, timed
from bench.profiling import profiled

PULL_PARAMS = {"last_pulled_at": "null", "schema_version": 1, "migration": "null"}
# What a pull sends of each row (services/api/sync/tables.py): the id and the synced columns.
WORKOUT_SELECT = "SELECT id, started_at, ended_at, program_day_id, notes FROM workouts"
SET_SELECT = (
    "SELECT id, workout_id, exercise_id, set_index, side, load_kg, reps, rir, rpe, eccentric_s, assistance_kg, "
    "to_failure, is_warmup, performed_at FROM workout_sets"
)


def _seed_user(ctx: Context, sets: int, tag: str) -> tuple[uuid.UUID, str]:
    with ctx.connect() as conn:
        [user] = seed.create_users(conn, 1, tag)
        written = seed.seed_logs(conn, [user], workouts=sets // seed.SETS_PER_WORKOUT, now=datetime.now(UTC))
        conn.commit()
        conn.execute("ANALYZE workouts")
        conn.execute("ANALYZE workout_sets")
        conn.commit()
    assert written == sets, written
    [token] = seed.tokens([user], ctx.env["JWT_SECRET"])
    return user, token


def _pull(http: httpx.Client, token: str) -> bytes:
    # Uncompressed, like the baseline's orjson bytes: this measures the pull, not gzip.
    headers = auth(token) | {"Accept-Encoding": "identity"}
    with http.stream("GET", "/v1/sync/pull", params=PULL_PARAMS, headers=headers) as response:
        assert response.status_code == 200, response.read()
        return response.read()


def _first_sync(http: httpx.Client, token: str, *, limit: int | None, gzip: bool) -> tuple[int, int, int]:
    """A device's whole first sync: (pages, bytes on the wire, sets received)."""
    headers = auth(token) | {"Accept-Encoding": "gzip" if gzip else "identity"}
    cursor, pages, wire, sets = "null", 0, 0, 0
    while True:
        params = PULL_PARAMS | {"last_pulled_at": cursor} | ({"limit": limit} if limit else {})
        with http.stream("GET", "/v1/sync/pull", params=params, headers=headers) as response:
            assert response.status_code == 200, response.read()
            assert (response.headers.get("content-encoding") == "gzip") == gzip
            raw = b"".join(response.iter_raw())
        body = orjson.loads(zlib.decompress(raw, wbits=31) if gzip else raw)
        pages, wire = pages + 1, wire + len(raw)
        sets += len(body["changes"]["workout_sets"]["updated"])
        if not body.get("has_more"):
            return pages, wire, sets
        cursor = body["timestamp"]


def first_sync(ctx: Context) -> None:
    """A first sync of 100,000 sets, whole and in pages of 5,000, with and without gzip."""
    sets = 100_000
    _user, token = _seed_user(ctx, sets, "first100k")
    variants = {}
    with httpx.Client(base_url=ctx.api.base_url, timeout=300) as http:
        for name, limit, gzip in (
            ("whole", None, False),
            ("whole_gzip", None, True),
            ("paged_5000", 5000, False),
            ("paged_5000_gzip", 5000, True),
        ):
            elapsed, (pages, wire, received) = timed(_first_sync, http, token, limit=limit, gzip=gzip)
            assert received == sets, (name, received)
            variants[name] = {"seconds": elapsed, "pages": pages, "wire_bytes": wire}
    for name, measured in variants.items():
        ctx.add(
            Row(
                f"first_sync_{name}",
                f"3. first sync of 100,000 sets, {name.replace('_', ' ')}: MB on the wire",
                measured["wire_bytes"] / 2**20,
                "MB",
                "info",
                details=measured,
            )
        )


def raw_select(conn: Any, user_id: uuid.UUID) -> bytes:
    """The baseline: the same live rows, selected and serialised as records with orjson."""
    where = " WHERE user_id = %s AND NOT deleted"
    with conn.cursor(row_factory=dict_row) as cursor:
        workouts = cursor.execute(WORKOUT_SELECT + where, (user_id,)).fetchall()
        sets = cursor.execute(SET_SELECT + where, (user_id,)).fetchall()
    conn.commit()
    return orjson.dumps({"workouts": workouts, "workout_sets": sets})


def pull_throughput(ctx: Context) -> None:
    sets = 15_000
    reps = 3 if ctx.quick else 9
    user, token = _seed_user(ctx, sets, "pull15k")
    pull_rates, raw_rates, sizes = [], [], []
    with httpx.Client(base_url=ctx.api.base_url, timeout=120) as http, ctx.connect() as conn:
        body = orjson.loads(_pull(http, token))
        assert len(body["changes"]["workout_sets"]["updated"]) == sets
        raw_select(conn, user)
        with profiled(ctx, "pull-15k", ctx.api.workers()):
            for _ in range(reps):
                elapsed, payload = timed(_pull, http, token)
                pull_rates.append(sets / elapsed)
                sizes.append(len(payload))
                elapsed, _ = timed(raw_select, conn, user)
                raw_rates.append(sets / elapsed)
    pull_rate, raw_rate = median(pull_rates), median(raw_rates)
    ctx.add(
        Row(
            "pull_throughput",
            "3. full first pull of 15,000 sets (+600 workouts), sets/s",
            pull_rate,
            "sets/s",
            "≥ 0.6",
            baseline=raw_rate,
            baseline_name="psycopg SELECT + orjson.dumps of the same rows",
            ratio=pull_rate / raw_rate,
            details={"pull_rates": pull_rates, "raw_rates": raw_rates, "body_bytes": sizes[0]},
        )
    )


class RssSampler:
    """Samples the RSS of the API's worker processes every few milliseconds in a thread."""

    def __init__(self, pids: list[int], interval_s: float = 0.005) -> None:
        self.pids, self.interval_s = pids, interval_s
        self.before = {pid: stack.rss_bytes(pid) for pid in pids}
        self.peak = dict(self.before)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            for pid in self.pids:
                self.peak[pid] = max(self.peak[pid], stack.rss_bytes(pid))
            time.sleep(self.interval_s)

    def __enter__(self) -> "RssSampler":
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def rise_mb(self) -> dict[int, float]:
        return {pid: (self.peak[pid] - self.before[pid]) / 2**20 for pid in self.pids}


def pull_memory(ctx: Context) -> None:
    sets = 100_000
    _user, token = _seed_user(ctx, sets, "pull100k")
    workers = ctx.api.workers()
    with httpx.Client(base_url=ctx.api.base_url, timeout=300) as http:
        with RssSampler(workers) as sampler:
            elapsed, payload = timed(_pull, http, token)
        rise = sampler.rise_mb()
        pulled = len(orjson.loads(payload)["changes"]["workout_sets"]["updated"])
        assert pulled == sets, pulled
        with RssSampler(workers) as again:
            second_s, _ = timed(_pull, http, token)
    ctx.add(
        Row(
            "pull_memory",
            "3. API process RSS rise while pulling 100,000 sets, MB",
            max(rise.values()),
            "MB",
            "≤ 100",
            details={
                "rise_mb_per_worker": rise,
                "second_pull_rise_mb_per_worker": again.rise_mb(),
                "rss_before_mb": {p: b / 2**20 for p, b in sampler.before.items()},
                "rss_peak_mb": {p: b / 2**20 for p, b in sampler.peak.items()},
                "pull_s": elapsed,
                "second_pull_s": second_s,
                "body_bytes": len(payload),
            },
        )
    )
