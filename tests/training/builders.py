"""Small builders for engine tests. Every test builds only what it needs.

Time base: `NOW` is Monday 2026-03-02 12:00 UTC, so in Europe/Berlin W0 starts 2026-03-02 and
`at(-1)` is Tuesday 2026-02-24 18:00 local, as in training-rules.md §7.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from services.training.catalog import CATALOG
from services.training.custom import user_catalog
from services.training.findings import Finding
from services.training.history import History
from services.training.types import (
    BodyWeight,
    CustomExercise,
    EngineInput,
    ExistingInsight,
    PainReport,
    ProgramDay,
    ProgramPlan,
    ProgramSlot,
    UserProfile,
    Workout,
    WorkoutSet,
)
from services.training.weeks import LocalCalendar

BERLIN = "Europe/Berlin"
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
W0 = date(2026, 3, 2)
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)

_ids = itertools.count(1)


def week(offset: int) -> date:
    """First day of W{offset}."""
    return W0 + timedelta(weeks=offset)


def at(week: int, weekday: int = TUE, hour: int = 18) -> datetime:
    """`hour`:00 Berlin time on `weekday` of week W{week}, in UTC."""
    local = datetime(2026, 3, 2, hour, tzinfo=ZoneInfo(BERLIN)) + timedelta(weeks=week, days=weekday)
    return local.astimezone(UTC)


def user(**overrides: Any) -> UserProfile:
    return UserProfile(**{"timezone": BERLIN, "week_start": "monday", **overrides})


def calendar(now: datetime = NOW, **user_overrides: Any) -> LocalCalendar:
    return LocalCalendar.for_user(user(**user_overrides), now)


def a_set(
    exercise_id: str = "romanian-deadlift", load_kg: float = 100.0, reps: int = 8, **overrides: Any
) -> WorkoutSet:
    n = next(_ids)
    fields: dict[str, Any] = {"id": f"s{n}", "set_index": n, "side": "both"}
    return WorkoutSet(**{**fields, "exercise_id": exercise_id, "load_kg": load_kg, "reps": reps, **overrides})


def sets(count: int, exercise_id: str = "romanian-deadlift", **overrides: Any) -> list[WorkoutSet]:
    return [a_set(exercise_id, **overrides) for _ in range(count)]


def a_workout(when: datetime, *groups: Iterable[WorkoutSet], workout_id: str | None = None) -> Workout:
    return Workout(workout_id or f"w{next(_ids)}", when, tuple(s for group in groups for s in group))


def weekly(
    weeks: Iterable[int], make: Callable[[int], Iterable[WorkoutSet]], weekday: int = TUE
) -> list[Workout]:
    """One workout per week offset (e.g. `range(-4, 0)` for W-4..W-1), its sets from `make(week)`."""
    return [a_workout(at(week, weekday), make(week)) for week in weeks]


def history(
    workouts: Iterable[Workout],
    now: datetime = NOW,
    custom: Sequence[CustomExercise] = (),
    *,
    body_weights: Sequence[BodyWeight] = (),
    **user_overrides: Any,
) -> History:
    """The user's history; `custom` are the user's own exercises (§0.3), `body_weights` their
    weigh-ins (§1.7)."""
    return History.build(
        workouts, user(**user_overrides), now, user_catalog(custom), body_weights=body_weights
    )


def a_custom(
    exercise_id: str = "cx_nordic-lat-pulldown",
    name: str = "Nordic on a lat pulldown seat",
    pattern: str = "knee_flexion",
    primary: Mapping[str, float] | None = None,
    **overrides: Any,
) -> CustomExercise:
    """A user's own exercise; by default §7 S11's Nordic on a lat pulldown seat (hamstrings 1.0)."""
    fields: dict[str, Any] = {"load_type": "bodyweight", "equipment": "other"}
    return CustomExercise(
        **{
            **fields,
            "id": exercise_id,
            "name": name,
            "pattern": pattern,
            "primary": {"hamstrings": 1.0} if primary is None else primary,
            **overrides,
        }
    )


def a_pain(when: datetime, body_part: str = "knee", severity: int = 4, **overrides: Any) -> PainReport:
    fields = {"id": f"p{next(_ids)}", "side": "left", "body_part": body_part, "severity": severity}
    return PainReport(**{**fields, "reported_at": when, **overrides})


def an_insight(
    kind: str = "imbalance.hamstring_neglect",
    subject: str = "hamstrings",
    status: str = "open",
    when: datetime = NOW - timedelta(days=1),
    **overrides: Any,
) -> ExistingInsight:
    fields: dict[str, Any] = {
        "id": f"i{next(_ids)}",
        "severity": "warning",
        "evidence": {},
        "created_at": when,
        "updated_at": when,
        "status_changed_at": None if status == "open" else when,
    }
    return ExistingInsight(**{**fields, "kind": kind, "subject": subject, "status": status, **overrides})


def a_finding(
    kind: str = "imbalance.hamstring_neglect", subject: str = "hamstrings", **overrides: Any
) -> Finding:
    fields: dict[str, Any] = {
        "severity": "warning",
        "rule_id": "imb.ham_neglect@1.0.0",
        "title": "t",
        "explanation": "e",
        "evidence": {"window": {}, "thresholds": {}, "inputs": {}},
    }
    return Finding(**{**fields, "kind": kind, "subject": subject, **overrides})


def a_program(*slots: ProgramSlot, day_id: str = "day-a") -> ProgramPlan:
    return ProgramPlan((ProgramDay(day_id, tuple(slots)),))


def a_slot(exercise_id: str, slot_index: int = 0, sets: int = 3, **overrides: Any) -> ProgramSlot:
    spec = CATALOG[exercise_id]
    fields = {"rep_min": spec.rep_min, "rep_max": spec.rep_max}
    return ProgramSlot(
        **{**fields, "slot_index": slot_index, "exercise_id": exercise_id, "sets": sets, **overrides}
    )


def engine_input(workouts: Iterable[Workout] = (), **overrides: Any) -> EngineInput:
    fields: dict[str, Any] = {"user": user(), "now": NOW}
    return EngineInput(**{**fields, "workouts": tuple(workouts), **overrides})
