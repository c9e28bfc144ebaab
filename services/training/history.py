"""One pass over a user's logs that every rule then filters: placement in time, effort, hardness.

Warm-up sets (excluded from every rule, §1.1), sets of exercises outside the catalog and sets
placed after `now` (a phone clock ahead of the server) are dropped here, once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from services.training.catalog import CATALOG, ExerciseSpec
from services.training.sets import is_hard, is_working, rir_eff, side_weight
from services.training.types import Side, UserProfile, Workout, WorkoutSet
from services.training.weeks import LocalCalendar, as_utc


class SetFact(NamedTuple):
    """A logged set with what every rule asks of it computed once. A NamedTuple, not a frozen
    dataclass: it is built once per logged set and a frozen dataclass's __init__ is several times slower."""

    set: WorkoutSet
    workout_id: str
    spec: ExerciseSpec
    exercise_id: str
    side: Side
    load_kg: float
    assistance_kg: float  # 0 when not logged
    reps: int
    eccentric_s: float | None
    at: datetime  # UTC placement: performed_at, else the workout's started_at (§1.2)
    week: date  # first local day of the set's week
    rir_eff: float | None
    working: bool
    hard: bool
    weight: float  # side weight (§1.3)


@dataclass(frozen=True, slots=True)
class History:
    cal: LocalCalendar
    facts: tuple[SetFact, ...]  # chronological
    by_week: Mapping[date, tuple[SetFact, ...]]
    by_exercise_week: Mapping[tuple[str, date], tuple[SetFact, ...]]

    @classmethod
    def build(cls, workouts: Iterable[Workout], user: UserProfile, now: datetime) -> History:
        cal = LocalCalendar.for_user(user, now)
        weeks: dict[datetime, date] = {}  # the sets of a workout mostly share one timestamp
        facts = []
        for workout in workouts:
            for s in workout.sets:
                spec = CATALOG.get(s.exercise_id)
                at = as_utc(s.performed_at or workout.started_at)
                if s.is_warmup or spec is None or at > cal.now:
                    continue
                if at not in weeks:
                    weeks[at] = cal.week_of(at)
                effort = rir_eff(s)
                facts.append(
                    SetFact(
                        set=s,
                        workout_id=workout.id,
                        spec=spec,
                        exercise_id=spec.id,
                        side=s.side,
                        load_kg=float(s.load_kg),
                        assistance_kg=float(s.assistance_kg or 0.0),
                        reps=s.reps,
                        eccentric_s=None if s.eccentric_s is None else float(s.eccentric_s),
                        at=at,
                        week=weeks[at],
                        rir_eff=effort,
                        working=is_working(s),
                        hard=is_hard(s, effort),
                        weight=side_weight(s.side),
                    )
                )
        facts.sort(key=lambda f: (f.at, f.workout_id, f.set.set_index, f.set.id))
        by_week: defaultdict[date, list[SetFact]] = defaultdict(list)
        by_exercise_week: defaultdict[tuple[str, date], list[SetFact]] = defaultdict(list)
        for fact in facts:
            by_week[fact.week].append(fact)
            by_exercise_week[(fact.exercise_id, fact.week)].append(fact)
        return cls(
            cal,
            tuple(facts),
            {key: tuple(rows) for key, rows in by_week.items()},
            {key: tuple(rows) for key, rows in by_exercise_week.items()},
        )

    def week(self, week: date) -> tuple[SetFact, ...]:
        return self.by_week.get(week, ())

    def exercise_week(self, exercise_id: str, week: date) -> tuple[SetFact, ...]:
        return self.by_exercise_week.get((exercise_id, week), ())

    def weeks(self, weeks: Iterable[date]) -> list[SetFact]:
        return [fact for week in weeks for fact in self.week(week)]

    def last_days(self, days: float) -> list[SetFact]:
        start = self.cal.days_ago(days)
        return [fact for fact in self.facts if fact.at > start]

    def has_leg_workout(self, week: date) -> bool:
        """A leg workout has at least one hard set of a catalog exercise (§1.2)."""
        return any(fact.hard for fact in self.week(week))
