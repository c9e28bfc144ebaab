"""One pass over a user's logs that every rule then filters: placement in time, effort, hardness.

Warm-up sets (excluded from every rule, §1.1), sets of exercises outside the user's catalog (the
catalog plus the user's own exercises, §0.3) and sets placed after `now` (a phone clock ahead of the
server) are dropped here, once. Every rule then looks exercises up in `History.catalog`.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from operator import attrgetter
from typing import NamedTuple

from services.training.bodyweight import BodyWeights, effective_load_kg
from services.training.catalog import CATALOG, ExerciseSpec
from services.training.custom import catalog_order
from services.training.equipment import EquipmentProfile, default_profile
from services.training.sets import is_hard, is_working, rir_eff, side_weight
from services.training.types import BodyWeight, Side, UserProfile, WeeklyAggregate, Workout, WorkoutSet
from services.training.units import Unit, read_load
from services.training.weeks import LocalCalendar, as_utc


class SetFact(NamedTuple):
    """A logged set with what every rule asks of it computed once. A NamedTuple, not a frozen
    dataclass: it is built once per logged set and a frozen dataclass's __init__ is several times slower
    (so are keyword arguments: `History.build` passes the fields positionally, in this order)."""

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
    load: float  # `load_kg` in the user's unit, as entered when entered in it (§2.8)
    assistance: float  # `assistance_kg` in the user's unit
    # The load an e1RM reads (§1.5, §1.7): an external load without assistance, or a body-weight
    # exercise's effective load; None where there is none.
    e1rm_load_kg: float | None


# Time, then log order for sets logged at the same moment.
_CHRONOLOGICAL = attrgetter("at", "workout_id", "set.set_index", "set.id")
_AT = attrgetter("at")


@dataclass(frozen=True, slots=True)
class History:
    cal: LocalCalendar
    facts: tuple[SetFact, ...]  # chronological
    by_week: Mapping[date, tuple[SetFact, ...]]
    by_exercise_week: Mapping[tuple[str, date], tuple[SetFact, ...]]
    # The user's catalog (§0.3: `custom.user_catalog`) and its tie-break order, catalog rows first.
    catalog: Mapping[str, ExerciseSpec]
    order: Mapping[str, int]
    unit: Unit  # the user's: loads are read, computed and shown in it (§2.8)
    equipment: EquipmentProfile  # the user's gym, in `unit`
    # Side-weighted hard sets per week, the summarised weeks (§1.8) included.
    hard_sets_by_week: Mapping[date, float]
    # The summaries of the weeks read as such (§1.8), of exercises of the user's catalog.
    summaries: Mapping[date, tuple[WeeklyAggregate, ...]]

    @classmethod
    def build(
        cls,
        workouts: Iterable[Workout],
        user: UserProfile,
        now: datetime,
        catalog: Mapping[str, ExerciseSpec] = CATALOG,
        *,
        equipment: EquipmentProfile | None = None,
        body_weights: Sequence[BodyWeight] = (),
        weekly: Sequence[WeeklyAggregate] = (),
    ) -> History:
        cal = LocalCalendar.for_user(user, now)
        unit = user.unit
        weighed = BodyWeights.of(body_weights)
        # Sets carry their own times, so the week is memoised by local day (a workout's sets share
        # one), not by timestamp.
        weeks: dict[date, date] = {}
        facts = []
        for workout in workouts:
            started_at = as_utc(workout.started_at)
            for s in workout.sets:
                spec = catalog.get(s.exercise_id)
                at = started_at if s.performed_at is None else as_utc(s.performed_at)
                if s.is_warmup or spec is None or at > cal.now:
                    continue
                day = cal.local_date(at)
                week = weeks.get(day)
                if week is None:
                    week = weeks[day] = cal.week_of_date(day)
                effort = rir_eff(s)
                load_kg, assistance_kg = float(s.load_kg), float(s.assistance_kg or 0.0)
                if spec.has_e1rm:
                    e1rm_load: float | None = load_kg if load_kg > 0 and assistance_kg == 0 else None
                else:
                    e1rm_load = effective_load_kg(spec, weighed.on(day), load_kg, assistance_kg)
                facts.append(
                    SetFact(
                        s,
                        workout.id,
                        spec,
                        spec.id,
                        s.side,
                        load_kg,
                        assistance_kg,
                        s.reps,
                        None if s.eccentric_s is None else float(s.eccentric_s),
                        at,
                        week,
                        effort,
                        is_working(s),
                        is_hard(s, effort),
                        side_weight(s.side),
                        read_load(load_kg, unit, s.entered_load, s.entered_unit),
                        read_load(assistance_kg, unit),
                        e1rm_load,
                    )
                )
        facts.sort(key=_CHRONOLOGICAL)
        by_week: defaultdict[date, list[SetFact]] = defaultdict(list)
        by_exercise_week: defaultdict[tuple[str, date], list[SetFact]] = defaultdict(list)
        hard_sets: defaultdict[date, float] = defaultdict(float)
        for fact in facts:
            by_week[fact.week].append(fact)
            by_exercise_week[(fact.exercise_id, fact.week)].append(fact)
            if fact.hard:
                hard_sets[fact.week] += fact.weight
        summaries: defaultdict[date, list[WeeklyAggregate]] = defaultdict(list)
        for row in weekly:
            if row.exercise_id in catalog:
                summaries[row.week_start].append(row)
                hard_sets[row.week_start] += row.hard_sets
        return cls(
            cal,
            tuple(facts),
            {key: tuple(rows) for key, rows in by_week.items()},
            {key: tuple(rows) for key, rows in by_exercise_week.items()},
            catalog,
            catalog_order(catalog),
            unit,
            (equipment or default_profile(unit)).in_unit(unit),
            dict(hard_sets),
            {key: tuple(rows) for key, rows in summaries.items()},
        )

    def spec(self, exercise_id: str) -> ExerciseSpec:
        """An exercise of the user's catalog: every id a logged set or finding carries is in it."""
        return self.catalog[exercise_id]

    def week(self, week: date) -> tuple[SetFact, ...]:
        return self.by_week.get(week, ())

    def exercise_week(self, exercise_id: str, week: date) -> tuple[SetFact, ...]:
        return self.by_exercise_week.get((exercise_id, week), ())

    def weeks(self, weeks: Iterable[date]) -> list[SetFact]:
        return [fact for week in weeks for fact in self.week(week)]

    def last_days(self, days: float) -> list[SetFact]:
        """The sets placed in `(now - days, now]`: a suffix of the chronological facts."""
        return list(self.facts[bisect_right(self.facts, self.cal.days_ago(days), key=_AT) :])

    def has_leg_workout(self, week: date) -> bool:
        """A leg workout has at least one hard set of a lower-body exercise (§1.2): an upper-body
        day is logged and credited but is not leg training."""
        return self.leg_trained_before(week, None)

    def leg_trained_before(self, week: date, moment: datetime | None) -> bool:
        """A hard set of a lower-body exercise in `week`, before `moment` (None: at any time), read
        from the week's sets or its summaries (§1.8)."""
        return any(
            fact.hard and fact.spec.lower_body and (moment is None or fact.at < moment)
            for fact in self.week(week)
        ) or any(
            row.first_hard_at is not None
            and self.catalog[row.exercise_id].lower_body
            and (moment is None or as_utc(row.first_hard_at) < moment)
            for row in self.summaries.get(week, ())
        )

    def hard_sets(self, week: date) -> float:
        """Side-weighted hard sets of `week` (§1.1, §1.3), from its sets or its summaries."""
        return self.hard_sets_by_week.get(week, 0.0)
