import uuid
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from services.api.loads import Loadable

WeekStart = Literal["monday", "sunday"]
Unit = Literal["kg", "lb"]
Goal = Literal["hypertrophy", "athletic"]


class MeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    email: str
    timezone: str = Field(examples=["Europe/Berlin"])
    week_start: WeekStart
    unit: Unit
    goal: Goal
    hamstrings_weak_point: bool
    created_at: datetime


class MePatch(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"timezone": "Europe/Berlin", "unit": "lb", "hamstrings_weak_point": True}]
        },
    )

    timezone: str | None = Field(default=None, max_length=64)
    week_start: WeekStart | None = None
    unit: Unit | None = None
    goal: Goal | None = None
    hamstrings_weak_point: bool | None = None


class EnrollmentIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"program_id": "0b6f3d2e-58a4-4c1e-9a51-7f0f6f1b2a01", "start_date": "2026-03-02"}]
        }
    )

    program_id: uuid.UUID
    start_date: date


class EnrollmentRead(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "program_id": "0b6f3d2e-58a4-4c1e-9a51-7f0f6f1b2a01",
                    "program_name": "Hamstrings first",
                    "start_date": "2026-03-02",
                }
            ]
        }
    )

    program_id: uuid.UUID
    program_name: str
    start_date: date


class TargetLoad(Loadable):
    load_kg: float | None = Field(
        description="Target working load in kilograms (`load` in kilograms); null when there is no history"
    )
    load_lb: float | None = Field(
        default=None, description="Pound users: `load` (kept for older clients; read `unit` and `load`)"
    )
    assistance_kg: float | None = None
    basis: Literal["last_session", "prescription", "none"]
    note: str = Field(description="In the user's unit")
    reason: dict[str, object] | None = Field(default=None, description="Why this target (rule and numbers)")
    per_side_kg: dict[str, float | None] | None = Field(
        default=None, description="Unilateral exercises: the target of each side (the weaker side may differ)"
    )
    per_side: dict[str, float | None] | None = Field(default=None, description="`per_side_kg` in `unit`")


class NextExercise(BaseModel):
    slot_index: int
    exercise_id: str
    name: str
    sets: int
    rep_min: int
    rep_max: int
    target_rir: int
    to_failure: bool
    eccentric_s: float | None = Field(description="Tempo: seconds of the lowering phase")
    rest_s: int
    cues: list[str]
    target: TargetLoad


class NextDay(BaseModel):
    id: uuid.UUID
    key: str
    name: str


class Order(BaseModel):
    note: str = Field(
        examples=["Your hamstrings are your weak point, so seated leg curl moved before your quad work."]
    )
    reason: dict[str, Any] = Field(description="`rule_id` and what moved")


class NextSession(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "program_id": "0b6f3d2e-58a4-4c1e-9a51-7f0f6f1b2a01",
                    "program_name": "Hamstrings first",
                    "day": {"id": "5d0f1e2a-3b4c-4d5e-8f70-8192a3b4c5d6", "key": "A", "name": "Leg day A"},
                    "exercises": [
                        {
                            "slot_index": 0,
                            "exercise_id": "romanian-deadlift",
                            "name": "Romanian deadlift",
                            "sets": 3,
                            "rep_min": 6,
                            "rep_max": 8,
                            "target_rir": 2,
                            "to_failure": False,
                            "eccentric_s": 3.0,
                            "rest_s": 180,
                            "cues": ["Soft knees, push the hips back", "Bar close to the legs"],
                            "target": {
                                "load_kg": 104.326245,
                                "load_lb": 230,
                                "assistance_kg": None,
                                "unit": "lb",
                                "load": 230,
                                "assistance": None,
                                "bar": 45,
                                "plates_per_side": [45, 45, 2.5],
                                "stack": None,
                                "basis": "prescription",
                                "note": "All sets hit 8 reps: 230 lb next; reps restart at 6.",
                                "reason": {
                                    "rule": "increase",
                                    "rule_id": "prog.double_progression@1.1.0",
                                    "load_step": 5.0,
                                    "computed": {"quantity": "load", "value": 230.5116, "unit": "lb"},
                                    "loadable": {"quantity": "load", "value": 230, "unit": "lb"},
                                },
                                "per_side_kg": None,
                                "per_side": None,
                            },
                        }
                    ],
                }
            ]
        }
    )

    program_id: uuid.UUID
    program_name: str
    day: NextDay
    exercises: list[NextExercise]
    order: Order | None = Field(
        default=None, description="Why the exercises are not in the program's order (your settings)"
    )


class AccountDeletion(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"password": "your-current-password"}]}
    )

    password: str = Field(max_length=128, description="Your current password, asked again")
