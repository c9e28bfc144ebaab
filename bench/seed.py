"""Fast seeding straight into PostgreSQL (never through the API): users, enrollments and logs
generated server-side with `generate_series`, and access tokens minted with the suite's secret.

Logs follow a realistic leg day of the "posterior chain builder" program (~25 sets: the program's
hinge and curl slots plus warm-ups and quad work), two days a week, loads rising over the weeks and
varying by user, so the training engine has real work to do (volume, e1RM, progression, deloads,
imbalance rules).
"""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg

from services.api.auth.tokens import issue_access_token
from services.core.seed.programs import POSTERIOR_CHAIN_BUILDER

PROGRAM = POSTERIOR_CHAIN_BUILDER
DAY_A, DAY_B = (str(day.id) for day in PROGRAM.days)
WEEK_MS = 7 * 86_400_000
DAY_MS = 86_400_000
SETS_PER_WORKOUT = 25

# (exercise, side, warm-up, load kg at week 0, kg added per 2 weeks, reps, rir, eccentric s, to failure)
_A = (
    [("romanian-deadlift", "both", True, 40.0, 0.0, 8, 5, None, False)] * 2
    + [("romanian-deadlift", "both", False, 90.0, 2.5, 8, 2, 3.0, False)] * 4
    + [("seated-leg-curl", "both", False, 45.0, 2.5, 10, 0, 3.0, True)] * 3
    + [("back-squat", "both", True, 50.0, 0.0, 5, 5, None, False)]
    + [("back-squat", "both", False, 100.0, 2.5, 6, 2, 2.0, False)] * 4
    + [("leg-press", "both", False, 160.0, 5.0, 10, 2, 2.0, False)] * 3
    + [("leg-extension", "both", False, 50.0, 2.5, 12, 1, 2.0, False)] * 3
    + [("nordic-curl", "both", False, 0.0, 0.0, 5, 1, 5.0, False)] * 2
    + [("back-extension-45", "both", False, 20.0, 2.5, 12, 2, 3.0, False)] * 3
)
_B = (
    [("back-extension-45", "both", False, 20.0, 2.5, 12, 2, 3.0, False)] * 3
    + [("lying-leg-curl", "both", False, 40.0, 2.5, 10, 0, 3.0, True)] * 3
    + [("bulgarian-split-squat", "left", False, 20.0, 2.0, 10, 2, 2.0, False)] * 3
    + [("bulgarian-split-squat", "right", False, 20.0, 2.0, 9, 2, 2.0, False)] * 3
    + [("single-leg-romanian-deadlift", "left", False, 24.0, 2.0, 10, 2, 3.0, False)] * 2
    + [("single-leg-romanian-deadlift", "right", False, 24.0, 2.0, 10, 2, 3.0, False)] * 2
    + [("leg-press", "both", False, 160.0, 5.0, 12, 2, 2.0, False)] * 4
    + [("seated-leg-curl", "both", False, 45.0, 2.5, 10, 0, 3.0, True)] * 4
    + [("leg-extension", "both", False, 50.0, 2.5, 12, 1, 2.0, False)]
)
assert len(_A) == len(_B) == SETS_PER_WORKOUT
TEMPLATE = {"A": _A, "B": _B}


def week_start_ms(now: datetime) -> int:
    """Monday 00:00 UTC of `now`'s week (bench users live in UTC and start weeks on Monday)."""
    monday = (now - timedelta(days=now.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    return int(monday.timestamp() * 1000)


def create_users(conn: psycopg.Connection, count: int, tag: str, *, enroll: bool = True) -> list[uuid.UUID]:
    """`count` users (UTC, Monday weeks), enrolled in the program; the caller commits."""
    ids = conn.execute(
        """
        INSERT INTO users (id, email, password_hash, timezone, week_start, unit, goal,
                           hamstrings_weak_point, sync_version)
        SELECT gen_random_uuid(), format('bench-%%s-%%s@example.com', %(tag)s::text, n),
               'not-a-password-hash', 'UTC', 'monday', 'kg', 'hypertrophy', n %% 3 = 0, 1
        FROM generate_series(1, %(count)s) AS n
        RETURNING id
        """,
        {"tag": tag, "count": count},
    ).fetchall()
    user_ids = [row[0] for row in ids]
    if enroll:
        start = (datetime.now(UTC) - timedelta(weeks=60)).date()
        conn.execute(
            "INSERT INTO enrollments (user_id, program_id, start_date) SELECT u, %s, %s FROM unnest(%s::uuid[]) u",
            (PROGRAM.id, start, user_ids),
        )
    return user_ids


def tokens(user_ids: Sequence[uuid.UUID], secret: str) -> list[str]:
    now = datetime.now(UTC)
    # A session with no refresh tokens is never ended: the bench's tokens stay valid for its run.
    return [
        issue_access_token(u, session_id=uuid.uuid4(), secret=secret, now=now, ttl_s=4 * 3600)
        for u in user_ids
    ]


def _template_values() -> tuple[str, dict[str, Any]]:
    """The templates as a VALUES list with named parameters."""
    rows, params = [], {}
    for day, sets in TEMPLATE.items():
        for index, values in enumerate(sets):
            names = []
            for column, value in enumerate((day, index, *values)):
                name = f"t_{day}_{index}_{column}"
                params[name] = value
                names.append(f"%({name})s")
            casts = (
                "",
                "::int",
                "",
                "",
                "::bool",
                "::float8",
                "::float8",
                "::int",
                "::float8",
                "::float8",
                "::bool",
            )
            rows.append("(" + ", ".join(n + c for n, c in zip(names, casts, strict=True)) + ")")
    return ",".join(rows), params


def seed_logs(
    conn: psycopg.Connection, user_ids: Sequence[uuid.UUID], *, workouts: int, now: datetime
) -> int:
    """`workouts` workouts of 25 sets per user, two a week (Tuesday A, Friday B, 18:00 UTC), the
    newest in the week before `now`'s. Returns the number of sets written; the caller commits."""
    last_week = week_start_ms(now) - WEEK_MS
    # Each row its own sync version, as the API writes them: workout k, then its sets.
    stride = SETS_PER_WORKOUT + 1
    params = {
        "users": list(user_ids),
        "n": workouts,
        "last_week": last_week,
        "a": DAY_A,
        "b": DAY_B,
        "stride": stride,
    }
    # Workout k (0 = oldest) falls in week (k // 2) counted back from last week, day A or B.
    conn.execute(
        """
        INSERT INTO workouts (user_id, id, started_at, ended_at, program_day_id, notes, version, deleted,
                              server_updated_at)
        SELECT u, 'w' || lpad(k::text, 5, '0'), s, s + 4200000,
               CASE WHEN k %% 2 = 0 THEN %(a)s ELSE %(b)s END, NULL, k * %(stride)s + 1, false, now()
        FROM unnest(%(users)s::uuid[]) AS u, generate_series(0, %(n)s - 1) AS k,
             LATERAL (SELECT %(last_week)s::bigint - ((%(n)s - 1 - k) / 2) * 604800000::bigint
                             + CASE WHEN k %% 2 = 0 THEN 86400000 ELSE 4 * 86400000 END
                             + 18 * 3600000 AS s) AS t
        """,
        params,
    )
    values, template_params = _template_values()
    result = conn.execute(
        f"""
        WITH t(day, set_index, exercise_id, side, is_warmup, load0, inc, reps, rir, ecc, to_failure)
             AS (VALUES {values}),
             w AS MATERIALIZED (
                 SELECT u, (abs(hashtext(u::text)) %% 41) / 100.0 + 0.8 AS strength, k,
                        'w' || lpad(k::text, 5, '0') AS id,
                        %(last_week)s::bigint - ((%(n)s - 1 - k) / 2) * 604800000::bigint
                            + CASE WHEN k %% 2 = 0 THEN 86400000 ELSE 4 * 86400000 END
                            + 18 * 3600000 AS started_at
                 FROM unnest(%(users)s::uuid[]) AS u, generate_series(0, %(n)s - 1) AS k)
        INSERT INTO workout_sets (user_id, id, workout_id, exercise_id, set_index, side, load_kg, reps, rir,
                                  rpe, eccentric_s, assistance_kg, to_failure, is_warmup, performed_at,
                                  version, deleted, server_updated_at)
        SELECT w.u, w.id || '-' || t.set_index, w.id, t.exercise_id, t.set_index, t.side,
               round((t.load0 * w.strength + t.inc * (w.k / 4))::numeric, 1)::float8,
               t.reps - (w.k %% 3), t.rir, NULL, t.ecc, NULL, t.to_failure, t.is_warmup,
               w.started_at + t.set_index * 180000, w.k * %(stride)s + 2 + t.set_index, false, now()
        FROM w JOIN t ON t.day = CASE WHEN w.k %% 2 = 0 THEN 'A' ELSE 'B' END
        ORDER BY w.u, w.k, t.set_index
        """,
        params | template_params,
    )
    conn.execute(
        "UPDATE users SET sync_version = %(last)s WHERE id = ANY(%(users)s)",
        {"last": workouts * stride, "users": list(user_ids)},
    )
    return result.rowcount


# -- records as a phone pushes them -------------------------------------------------------------------


def workout_records(
    prefix: str, count: int, *, sets_per_workout: int, started_at: int
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """`count` new workouts with their sets, as WatermelonDB pushes them (ids unique by `prefix`)."""
    workouts, sets = [], []
    for k in range(count):
        day = "A" if k % 2 == 0 else "B"
        workout_id = f"{prefix}{k:04d}"
        start = started_at + k * 3 * DAY_MS
        workouts.append(
            {
                "id": workout_id,
                "started_at": start,
                "ended_at": start + 4_200_000,
                "program_day_id": DAY_A if day == "A" else DAY_B,
                "notes": None,
                "_status": "created",
                "_changed": "",
            }
        )
        for index, (exercise, side, warmup, load, _inc, reps, rir, ecc, failure) in enumerate(
            TEMPLATE[day][:sets_per_workout]
        ):
            sets.append(
                {
                    "id": f"{workout_id}-{index}",
                    "workout_id": workout_id,
                    "exercise_id": exercise,
                    "set_index": index,
                    "side": side,
                    "load_kg": load,
                    "reps": reps,
                    "rir": rir,
                    "rpe": None,
                    "eccentric_s": ecc,
                    "assistance_kg": None,
                    "to_failure": failure,
                    "is_warmup": warmup,
                    "performed_at": start + index * 180_000,
                    "_status": "created",
                    "_changed": "",
                }
            )
    return workouts, sets


def changes(workouts: list[dict[str, Any]], sets: list[dict[str, Any]]) -> dict[str, Any]:
    """A whole push body: every table listed, server-owned ones empty (sync-protocol.md)."""

    def table(created: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        return {"created": created or [], "updated": [], "deleted": []}

    return {
        "changes": {
            "workouts": table(workouts),
            "workout_sets": table(sets),
            "pain_reports": table(),
            "insights": table(),
            "prescriptions": table(),
            "exercises": table(),
        }
    }
