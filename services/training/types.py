"""Inputs and outputs of the training engine: plain frozen dataclasses, no behaviour.

Field names mirror the sync tables of `docs/design/sync-protocol.md` so repositories can map rows
one to one. Times are aware datetimes (UTC); the engine converts to `UserProfile.timezone` itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from services.training.equipment import EquipmentProfile, StackPosition
from services.training.units import KG_PER_LB, Unit

Side = Literal["both", "left", "right"]
WeekStartDay = Literal["monday", "sunday"]
Goal = Literal["hypertrophy", "athletic"]
Severity = Literal["info", "warning", "critical"]
InsightStatus = Literal["open", "accepted", "dismissed", "expired"]
# How a user's own exercise is loaded (§0.3): `external` = `load_kg` is the whole load (bar, dumbbells,
# stack); `bodyweight` = `load_kg` is load added to the body (0 = bodyweight only); `assisted` =
# help from a band or machine goes in `assistance_kg`.
LoadType = Literal["external", "bodyweight", "assisted"]
JsonDict = dict[str, Any]


@dataclass(frozen=True, slots=True)
class UserProfile:
    timezone: str  # IANA name, e.g. "Europe/Berlin"
    week_start: WeekStartDay = "monday"
    # `goal = athletic` feeds the Nordic add-on (§4.7); the weak point orders sessions (§2.7).
    goal: Goal = "hypertrophy"
    hamstrings_weak_point: bool = False
    # The unit the user reads and enters loads in; the engine computes on this unit's grid (§2.8).
    unit: Unit = "kg"


@dataclass(frozen=True, slots=True)
class WorkoutSet:
    id: str
    exercise_id: str
    set_index: int
    side: Side
    load_kg: float
    reps: int
    rir: float | None = None
    rpe: float | None = None
    eccentric_s: float | None = None
    assistance_kg: float | None = None
    to_failure: bool = False
    is_warmup: bool = False
    performed_at: datetime | None = None  # falls back to the workout's started_at (§1.2)
    # What the user typed and in which unit (§2.8): read back exactly when it is the user's unit, so
    # 225 lb stays 225 lb whatever float `load_kg` holds. `load_kg` must be the same load in kilograms.
    entered_load: float | None = None
    entered_unit: Unit | None = None


@dataclass(frozen=True, slots=True)
class Workout:
    id: str
    started_at: datetime
    sets: Sequence[WorkoutSet] = ()


@dataclass(frozen=True, slots=True)
class PainReport:
    id: str
    body_part: str  # knee | hamstring | lower_back | hip | other
    side: str
    severity: int  # 0..10
    reported_at: datetime


@dataclass(frozen=True, slots=True)
class CustomExercise:
    """One of the user's own exercises (the synced `custom_exercises` table), read as in §0.3.

    `primary` and `secondary` map a muscle of §0 (`hamstrings`, `quadriceps`, …) to the sets one hard
    set credits it (0..1); both count at their declared value, so the split only decides which
    muscles are "primary" for §4.2. `pattern` is one of §0's patterns (anything else reads as
    `other`) and `equipment` one of its equipment classes (for external load, anything else reads as
    `barbell`: 2.5 kg steps). Sets reference it by `id`.
    """

    id: str
    name: str
    pattern: str
    primary: Mapping[str, float] = field(default_factory=dict)
    secondary: Mapping[str, float] = field(default_factory=dict)
    equipment: str = "other"
    unilateral: bool = False
    load_type: LoadType = "external"


@dataclass(frozen=True, slots=True)
class BodyWeight:
    """One weigh-in (the synced `body_weights` table): the weight on a local date, in `unit`."""

    on: date
    value: float
    unit: Unit = "kg"

    @property
    def weight_kg(self) -> float:
        return self.value * KG_PER_LB if self.unit == "lb" else self.value


@dataclass(frozen=True, slots=True)
class ExistingInsight:
    """A stored `insights` row. The last five fields let an expired row be written back whole."""

    id: str
    kind: str
    subject: str
    status: InsightStatus
    severity: Severity
    evidence: Mapping[str, Any]
    created_at: datetime
    updated_at: datetime
    status_changed_at: datetime | None = None  # when the phone accepted/dismissed it
    rule_id: str = ""
    week_start: date | None = None
    title: str = ""
    explanation: str = ""
    recommendation: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ProgramSlot:
    slot_index: int
    exercise_id: str
    sets: int
    rep_min: int
    rep_max: int
    eccentric_s: float | None = None
    rest_s: int | None = None
    increment_kg: float | None = None  # the gym's own step (§2.1 "gym override"); None = catalog step
    # The exercise a substitution replaced: until the new one has logs, its first target carries the
    # old one's e1RM over (§2.6).
    substituted_from: str | None = None


@dataclass(frozen=True, slots=True)
class ProgramDay:
    program_day_id: str
    slots: Sequence[ProgramSlot] = ()


@dataclass(frozen=True, slots=True)
class ProgramPlan:
    days: Sequence[ProgramDay] = ()


@dataclass(frozen=True, slots=True)
class WeeklyAggregate:
    """What the rules read of one exercise's non-warm-up sets in one local week older than the
    weeks they read set by set (§1.8): the stored `weekly_exercise_aggregates` row."""

    week_start: date  # first local day of the week (§1.2)
    exercise_id: str
    hard_sets: float  # side-weighted hard sets (§1.1, §1.3)
    first_hard_at: datetime | None = None  # the week's earliest hard set (aware UTC)


@dataclass(frozen=True, slots=True)
class EngineInput:
    user: UserProfile
    now: datetime  # aware UTC; the engine never reads the wall clock
    workouts: Sequence[Workout] = ()
    pain_reports: Sequence[PainReport] = ()
    insights: Sequence[ExistingInsight] = ()
    program: ProgramPlan | None = None
    # The user's own exercises, deleted ones included while sets still reference them (§0.3).
    custom_exercises: Sequence[CustomExercise] = ()
    # The user's gym (§2.8); None = `default_profile(user.unit)`. A profile in the other unit is
    # converted to the user's unit (the same physical loads).
    equipment: EquipmentProfile | None = None
    # Weigh-ins, any order: body-weight and assisted exercises get an effective load (§1.7).
    body_weights: Sequence[BodyWeight] = ()
    # Summaries of the weeks before `set_by_set_since` (§1.8), for the sets `workouts` leaves out:
    # a set is either in `workouts` or in one of these, never in both.
    weekly: Sequence[WeeklyAggregate] = ()


@dataclass(frozen=True, slots=True)
class InsightOut:
    kind: str
    subject: str
    severity: Severity
    status: InsightStatus
    title: str
    explanation: str
    evidence: JsonDict
    recommendation: JsonDict
    rule_id: str
    week_start: date
    existing_id: str | None = None  # set when the row updates or expires a stored insight


@dataclass(frozen=True, slots=True)
class PrescriptionOut:
    program_day_id: str | None
    slot_index: int
    exercise_id: str
    side: Side
    sets: int
    rep_min: int
    rep_max: int
    load_kg: float | None
    eccentric_s: float | None
    assistance_kg: float | None
    note: str
    reason: JsonDict  # reason_json; always has "rule"
    valid_from: date
    # The same prescription in the user's unit, on their equipment's grid (§2.8): `load` is exactly
    # what `load_kg` is in kilograms; `bar` and `plates_per_side` show a barbell or plate-loaded slot
    # (`bar`: the bar or the machine's offset under the plates), `stack` a pin-loaded machine.
    unit: Unit = "kg"
    load: float | None = None
    assistance: float | None = None
    bar: float | None = None
    plates_per_side: tuple[float, ...] | None = None
    stack: StackPosition | None = None


@dataclass(frozen=True, slots=True)
class EngineOutput:
    insights: tuple[InsightOut, ...]
    prescriptions: tuple[PrescriptionOut, ...]


@dataclass(frozen=True, slots=True)
class WeekVolume:
    week_start: date
    muscles: Mapping[str, float]  # hard-set credit per muscle (§1.4), every catalog muscle present
    patterns: Mapping[str, float]  # side-weighted hard sets per movement pattern
    hard_sets: float
    hamstring_quad_ratio: float | None  # None when the week has no quadriceps credit


@dataclass(frozen=True, slots=True)
class WeekE1rm:
    week_start: date
    e1rm_kg: float | None  # Epley, rounded to 0.1 kg for display (§1.5)
    brzycki_kg: float | None  # cross-check only
    set_id: str | None  # the set that produced the best
