import uuid
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Status = Literal["open", "accepted", "dismissed", "expired"]


class InsightRead(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": "4fceb4302da049aab9b8dbfcd9030305",
                    "kind": "imbalance.hamstring_quad_volume",
                    "subject": "hamstrings",
                    "severity": "warning",
                    "status": "open",
                    "title": "Hamstring volume is low next to quads",
                    "explanation": "In the last 4 weeks you did 8 hamstring sets against 52 quad sets (ratio 0.15).",
                    "evidence": {"inputs": {"H": 8.0, "Q": 52.0, "ratio": 0.15}},
                    "recommendation": {"add": []},
                    "rule_id": "imb.hq_volume@1.0.0",
                    "week_start": "2026-03-02",
                    "created_at": "2026-03-02T12:00:00Z",
                    "updated_at": "2026-03-02T12:00:00Z",
                    "status_changed_at": None,
                }
            ]
        },
    )

    id: str
    kind: str = Field(description="e.g. deload.suggested, imbalance.posterior_chain_deficit")
    subject: str = Field(description="A muscle, an exercise id, left/right:<exercise>, or program")
    severity: Literal["info", "warning", "critical"]
    status: Status
    title: str
    explanation: str = Field(description="Why, in plain words, with the numbers")
    evidence: dict[str, Any] = Field(description="The numbers the rule used")
    recommendation: dict[str, Any]
    rule_id: str = Field(examples=["deload.detect@1.2.0"])
    week_start: date
    created_at: datetime
    updated_at: datetime
    status_changed_at: datetime | None


class WeekVolumeRead(BaseModel):
    week_start: date
    hard_sets: dict[str, float] = Field(
        description="Hard-set credit per muscle (secondary muscles count 0.5)"
    )
    patterns: dict[str, float] = Field(description="Hard sets per movement pattern (coverage)")
    total_hard_sets: float
    hamstring_quad_ratio: float | None = Field(
        description="Hamstring ÷ quadriceps credit; null without quad work"
    )


class VolumeRead(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "weeks": [
                        {
                            "week_start": "2026-03-02",
                            "hard_sets": {"hamstrings": 12.0, "glutes": 7.5, "quadriceps": 10.0},
                            "patterns": {"hip_hinge": 6.0, "knee_flexion": 6.0, "squat": 10.0},
                            "total_hard_sets": 22.0,
                            "hamstring_quad_ratio": 1.2,
                        }
                    ]
                }
            ]
        }
    )

    weeks: list[WeekVolumeRead] = Field(description="Completed local weeks, oldest first")


class WeekE1rmRead(BaseModel):
    week_start: date
    e1rm: float | None = Field(description="Best estimated 1RM of the week (Epley, RIR-adjusted), in `unit`")
    e1rm_kg: float | None = Field(description="`e1rm` in kilograms")
    e1rm_lb: float | None = None
    brzycki_kg: float | None = Field(description="Cross-check only")


class ProgressRead(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "exercise_id": "romanian-deadlift",
                    "unit": "kg",
                    "weeks": [
                        {
                            "week_start": "2026-02-23",
                            "e1rm": 131.3,
                            "e1rm_kg": 131.3,
                            "e1rm_lb": None,
                            "brzycki_kg": 128.6,
                        },
                        {
                            "week_start": "2026-03-02",
                            "e1rm": 134.6,
                            "e1rm_kg": 134.6,
                            "e1rm_lb": None,
                            "brzycki_kg": 131.8,
                        },
                    ],
                }
            ]
        }
    )

    exercise_id: str
    unit: Literal["kg", "lb"] = Field(description="Your unit: `e1rm` is in it")
    weeks: list[WeekE1rmRead]


class AddedSlotRead(BaseModel):
    day_key: str = Field(examples=["A"])
    slot_id: str = Field(examples=["A1"], description="For /v1/me/programs/{id}/slots/{slot_id}/substitute")
    exercise_id: str = Field(examples=["romanian-deadlift"])


class ProgramChangeRead(BaseModel):
    program_id: uuid.UUID = Field(description="The program you follow, now with the added exercises")
    copied_from: uuid.UUID | None = Field(
        description="The starter program copied into one of yours to make the change; you follow the copy"
    )
    added: list[AddedSlotRead]


class InsightAnswer(InsightRead):
    program_change: ProgramChangeRead | None = Field(
        default=None,
        description="What accepting changed in the program you follow: the exercises the alert "
        "recommends, added to it (the next session shows them). Null when nothing changed.",
    )
