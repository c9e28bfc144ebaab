"""`weekly_exercise_aggregates`: built and kept in SQL, on PostgreSQL (ARCHITECTURE.md, "Read
models"). Every statement takes the owner; each week is the user's local week (training-rules.md
§1.2), computed by PostgreSQL from the same IANA zone the engine reads.

The set classes are §1.1's, written once here as SQL: a non-warm-up set of a live workout counts;
`reps ≥ 1` makes it working; working with `rir_eff ≤ 4` or no effort logged makes it hard. The e1RM
is §1.5's Epley on an external load without assistance, on `side = both`, with the same float
operations as `services.training.e1rm`, so a stored value equals the engine's.
"""

import uuid
from collections.abc import Collection, Iterable, Sequence
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import bindparam, delete, select, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session
from sqlalchemy.types import Date, String

from services.core.models import User, WeeklyExerciseAggregate
from services.training.sets import HARD_SET_MAX_RIR
from services.training.weeks import first_weekday

COLUMNS = (
    "working_sets",
    "hard_sets",
    "first_hard_at",
    "top_load_kg",
    "best_e1rm_kg",
)


class Key(NamedTuple):
    week_start: date
    exercise_id: str


# The user's live non-warm-up sets, each with its local week and what the aggregates sum of it.
# `:zone` and `:first_weekday` (0 = Monday … 6 = Sunday) are the user's calendar.
_SETS = f"""
SELECT s.id, s.workout_id, s.exercise_id, s.load_kg, p.at,
       p.day - (CAST(extract(isodow FROM p.day) AS integer) + 6 - :first_weekday) % 7 AS week_start,
       s.reps >= 1 AS working,
       s.reps >= 1 AND (e.rir_eff IS NULL OR e.rir_eff <= {HARD_SET_MAX_RIR}) AS hard,
       CASE WHEN s.side = 'both' THEN 1.0 ELSE 0.5 END AS weight,
       CASE WHEN s.reps >= 1 AND s.side = 'both' AND s.load_kg > 0 AND coalesce(s.assistance_kg, 0) = 0
                 AND e.n BETWEEN 1 AND 12
            THEN CASE WHEN e.n = 1 THEN s.load_kg ELSE s.load_kg * (1 + e.n / 30) END
       END AS e1rm
FROM workout_sets s
JOIN workouts w ON w.user_id = s.user_id AND w.id = s.workout_id AND NOT w.deleted
CROSS JOIN LATERAL (
    SELECT coalesce(s.performed_at, w.started_at) AS at,
           CAST(to_timestamp(CAST(coalesce(s.performed_at, w.started_at) AS double precision) / 1000)
                AT TIME ZONE :zone AS date) AS day
) p
CROSS JOIN LATERAL (
    SELECT r.rir_eff, s.reps + coalesce(r.rir_eff, 0) AS n
    FROM (SELECT CASE WHEN s.to_failure THEN CAST(0 AS double precision) WHEN s.rir IS NOT NULL THEN s.rir
                      WHEN s.rpe IS NOT NULL THEN 10 - s.rpe END AS rir_eff) r
) e
WHERE s.user_id = :user_id AND NOT s.deleted AND NOT s.is_warmup
"""

# The aggregates of the sets above, one row per (week, exercise).
_GROUPED = """
SELECT week_start, exercise_id,
       count(*) FILTER (WHERE working) AS working_sets,
       CAST(coalesce(sum(weight) FILTER (WHERE hard), 0) AS double precision) AS hard_sets,
       min(at) FILTER (WHERE hard) AS first_hard_at,
       max(load_kg) FILTER (WHERE working) AS top_load_kg,
       max(e1rm) AS best_e1rm_kg
FROM ({sets}) f
{where}
GROUP BY week_start, exercise_id
"""

_UPSERT = f"""
INSERT INTO weekly_exercise_aggregates (user_id, week_start, exercise_id, {", ".join(COLUMNS)})
SELECT :user_id, week_start, exercise_id, {", ".join(COLUMNS)} FROM fresh
ON CONFLICT (user_id, week_start, exercise_id) DO UPDATE SET
{", ".join(f"{c} = excluded.{c}" for c in COLUMNS)}
"""

_TOUCHED = "f.id = ANY(:set_ids) OR f.workout_id = ANY(:workout_ids)"

# Recomputes the keys the push touched: those its sets had before the writes (`:old_weeks`,
# `:old_exercises`) and those they have now; a key left without sets is deleted. One statement.
_REFRESH = text(
    f"""
WITH changed AS (
    SELECT * FROM unnest(CAST(:old_weeks AS date[]), CAST(:old_exercises AS text[])) AS k(week_start, exercise_id)
    UNION
    SELECT f.week_start, f.exercise_id FROM ({_SETS}) f WHERE {_TOUCHED}
),
fresh AS (
    {
        _GROUPED.format(
            sets=_SETS + " AND s.exercise_id IN (SELECT exercise_id FROM changed)",
            where="WHERE (week_start, exercise_id) IN (SELECT week_start, exercise_id FROM changed)",
        )
    }
),
upserted AS ({_UPSERT})
DELETE FROM weekly_exercise_aggregates a
USING (SELECT week_start, exercise_id FROM changed EXCEPT SELECT week_start, exercise_id FROM fresh) gone
WHERE a.user_id = :user_id AND a.week_start = gone.week_start AND a.exercise_id = gone.exercise_id
"""
).bindparams(
    bindparam("old_weeks", type_=ARRAY(Date)),
    bindparam("old_exercises", type_=ARRAY(String)),
    bindparam("set_ids", type_=ARRAY(String)),
    bindparam("workout_ids", type_=ARRAY(String)),
)

_KEYS = text(f"SELECT DISTINCT f.week_start, f.exercise_id FROM ({_SETS}) f WHERE {_TOUCHED}").bindparams(
    bindparam("set_ids", type_=ARRAY(String)), bindparam("workout_ids", type_=ARRAY(String))
)

_FRESH = text(_GROUPED.format(sets=_SETS, where=""))
_INSERT_ALL = text(f"WITH fresh AS ({_GROUPED.format(sets=_SETS, where='')}) {_UPSERT}")


def kept(session: Session) -> bool:
    """The aggregates are a PostgreSQL read model; embedded SQLite reads every week set by set."""
    return session.get_bind().dialect.name == "postgresql"


def current(user: User) -> bool:
    """Built, and in the user's calendar as it is now."""
    return user.aggregates_zone == user.timezone and user.aggregates_week_start == user.week_start


def keys_of(
    session: Session, user: User, *, set_ids: Collection[str], workout_ids: Collection[str]
) -> list[Key]:
    """The keys these live sets, and the live sets of these workouts, are counted under now: read
    before a write that moves or deletes them, so their old keys are recomputed after it."""
    if not (set_ids or workout_ids):
        return []
    params = _calendar(user) | {"set_ids": list(set_ids), "workout_ids": list(workout_ids)}
    return [Key(*row) for row in session.execute(_KEYS, params)]


def refresh(
    session: Session,
    user: User,
    *,
    set_ids: Collection[str],
    workout_ids: Collection[str],
    old_keys: Iterable[Key] = (),
) -> None:
    """Recomputes the keys of these sets and workouts' sets (after a write) and `old_keys` (theirs
    before it). Aggregates in another calendar than the user's are rebuilt whole instead."""
    if not current(user):
        rebuild(session, user)
        return
    old = list(old_keys)
    if not (set_ids or workout_ids or old):
        return
    params = _calendar(user) | {
        "old_weeks": [k.week_start for k in old],
        "old_exercises": [k.exercise_id for k in old],
        "set_ids": list(set_ids),
        "workout_ids": list(workout_ids),
    }
    session.execute(_REFRESH, params)


def rebuild(session: Session, user: User) -> None:
    """Every aggregate of the user from their sets, in their calendar as it is now."""
    session.execute(delete(WeeklyExerciseAggregate).where(WeeklyExerciseAggregate.user_id == user.id))
    session.execute(_INSERT_ALL, _calendar(user))
    user.aggregates_zone, user.aggregates_week_start = user.timezone, user.week_start


def stored(session: Session, *, user_id: uuid.UUID) -> dict[Key, tuple[Any, ...]]:
    table = WeeklyExerciseAggregate.__table__
    stmt = select(table.c.week_start, table.c.exercise_id, *(table.c[c] for c in COLUMNS)).where(
        table.c.user_id == user_id
    )
    return {Key(row[0], row[1]): tuple(row[2:]) for row in session.execute(stmt)}


def from_scratch(session: Session, user: User) -> dict[Key, tuple[Any, ...]]:
    """What `rebuild` would store, computed from the sets without writing."""
    return {Key(row[0], row[1]): tuple(row[2:]) for row in session.execute(_FRESH, _calendar(user))}


def before(
    session: Session, *, user_id: uuid.UUID, since: date, until: date, without: Collection[str]
) -> Sequence[Any]:
    """Rows of (week_start, exercise_id, hard_sets, first_hard_at) for the weeks in [since, until),
    leaving out the exercises in `without` (read set by set instead)."""
    table = WeeklyExerciseAggregate.__table__
    stmt = select(table.c.week_start, table.c.exercise_id, table.c.hard_sets, table.c.first_hard_at).where(
        table.c.user_id == user_id,
        table.c.week_start >= since,
        table.c.week_start < until,
        table.c.exercise_id.not_in(without),
    )
    return session.execute(stmt).all()


def _calendar(user: User) -> dict[str, Any]:
    return {"user_id": user.id, "zone": user.timezone, "first_weekday": first_weekday(user.week_start)}
