import uuid
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

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


class TargetLoad(BaseModel):
    load_kg: float | None = Field(description="Target working load; null when there is no history")
    load_lb: float | None = Field(default=None, description="Present when the user prefers pounds")
    assistance_kg: float | None = None
    basis: Literal["last_session", "prescription", "none"]
    note: str
    reason: dict[str, object] | None = Field(default=None, description="Why this target (rule and numbers)")
    per_side_kg: dict[str, float | None] | None = Field(
        default=None, description="Unilateral exercises: the target of each side (the weaker side may differ)"
    )


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
                            "rep_max": 10,
                            "target_rir": 2,
                            "to_failure": False,
                            "eccentric_s": 3.0,
                            "rest_s": 180,
                            "cues": ["Soft knees, push the hips back", "Bar close to the legs"],
                            "target": {
                                "load_kg": 102.5,
                                "load_lb": None,
                                "assistance_kg": None,
                                "basis": "prescription",
                                "note": "All sets reached 10 reps at RIR 2 last week: +2.5 kg.",
                                "reason": {"rule_id": "prog.double_progression@1.0.0", "previous_kg": 100.0},
                                "per_side_kg": None,
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
