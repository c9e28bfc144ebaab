"""Validation of pushed records. Strict types: a phone that sends "100" for a load has a bug we
want to see, and a silently coerced value would be stored as if it were right."""

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from services.api.text import Text

CLIENT_ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"  # WatermelonDB makes 16-character ids
ClientId = Annotated[str, StringConstraints(pattern=CLIENT_ID_PATTERN)]
EpochMs = Annotated[int, Field(ge=0, le=32503680000000)]  # up to year 3000
Side = Literal["both", "left", "right"]


class RecordIn(BaseModel):
    # `_status`, `_changed` (WatermelonDB bookkeeping) and unknown columns are ignored.
    model_config = ConfigDict(extra="ignore", strict=True)

    id: ClientId


class WorkoutIn(RecordIn):
    started_at: EpochMs
    ended_at: EpochMs | None = None
    program_day_id: Annotated[Text, StringConstraints(max_length=64)] | None = None
    notes: Annotated[Text, StringConstraints(max_length=2000)] | None = None

    @model_validator(mode="after")
    def _ends_after_start(self) -> "WorkoutIn":
        if self.ended_at is not None and self.ended_at < self.started_at:
            raise ValueError("ended_at must not be before started_at")
        return self


class WorkoutSetIn(RecordIn):
    workout_id: ClientId
    exercise_id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]{1,80}$")]
    set_index: Annotated[int, Field(ge=0, le=1000)]
    side: Side
    load_kg: Annotated[float, Field(ge=0, le=1000, allow_inf_nan=False)]
    reps: Annotated[int, Field(ge=0, le=100)]
    rir: Annotated[float, Field(ge=0, le=10)] | None = None
    rpe: Annotated[float, Field(ge=1, le=10)] | None = None
    eccentric_s: Annotated[float, Field(ge=0, le=30)] | None = None
    assistance_kg: Annotated[float, Field(ge=0, le=500)] | None = None
    to_failure: bool
    is_warmup: bool
    performed_at: EpochMs | None = None


class PainReportIn(RecordIn):
    body_part: Literal["knee", "hamstring", "lower_back", "hip", "other"]
    side: Side
    severity: Annotated[int, Field(ge=0, le=10)]
    reported_at: EpochMs
    note: Annotated[Text, StringConstraints(max_length=2000)] | None = None


# -- records the server writes (pull only): the wire shape, for the contract and the mobile SDK --


class ServerRecord(BaseModel):
    """A pulled record of a server-owned table. Its fields are the wire columns, in pull order."""

    model_config = ConfigDict(extra="forbid", strict=True)

    id: ClientId


JsonText = Annotated[
    str, Field(max_length=100_000, description="JSON text (WatermelonDB keeps it in a string column)")
]


Text64 = Annotated[str, StringConstraints(max_length=64)]
Text80 = Annotated[str, StringConstraints(max_length=80)]
Text120 = Annotated[str, StringConstraints(max_length=120)]
Text200 = Annotated[str, StringConstraints(max_length=200)]
Text2000 = Annotated[str, StringConstraints(max_length=2000)]
Text10000 = Annotated[str, StringConstraints(max_length=10_000)]


class InsightRecord(ServerRecord):
    kind: Text64
    subject: Text120
    severity: Literal["info", "warning", "critical"]
    status: Literal["open", "accepted", "dismissed", "expired"]
    title: Text200
    explanation: Text10000
    evidence_json: JsonText
    recommendation_json: JsonText
    rule_id: Text64 = Field(description="The rule and its version, e.g. `deload.detect@1.1.0`")
    week_start: EpochMs = Field(description="Local midnight that starts the week the insight is about")
    created_at: EpochMs
    updated_at: EpochMs


class PrescriptionRecord(ServerRecord):
    program_day_id: Text64 | None
    slot_index: int
    exercise_id: Text80
    sets: int
    rep_min: int
    rep_max: int
    load_kg: float | None
    eccentric_s: float | None
    assistance_kg: float | None
    note: Text2000 | None
    reason_json: JsonText
    valid_from: EpochMs = Field(description="Local midnight of the day it applies from")


class ExerciseRecord(ServerRecord):
    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]{1,80}$")]
    name: Text120
    pattern: Annotated[str, StringConstraints(max_length=20)]
    muscles_json: JsonText
    equipment: Annotated[str, StringConstraints(max_length=40)]
    unilateral: bool
    rep_min: int
    rep_max: int
    increment_kg: float
    cues_json: JsonText


class PushResult(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "ok": True,
                    "changed": True,
                    "applied": {
                        "workouts": {"upserted": 1, "deleted": 0},
                        "workout_sets": {"upserted": 3, "deleted": 0},
                    },
                }
            ]
        }
    )

    ok: Literal[True] = True
    changed: bool = Field(description="False when every record already matched the server (a retried push)")
    applied: dict[str, dict[str, int]] = Field(description="Per table: records upserted and tombstoned")
