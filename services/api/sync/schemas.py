"""Validation of pushed records. Strict types: a phone that sends "100" for a load has a bug we
want to see, and a silently coerced value would be stored as if it were right."""

from typing import Annotated, Any, Literal

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


class PullResponse(BaseModel):
    """Documented shape of a pull; the body is streamed, not built from this model."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "changes": {
                        "workouts": {
                            "created": [],
                            "updated": [
                                {
                                    "id": "a1b2c3d4e5f6g7h8",
                                    "started_at": 1772470800000,
                                    "ended_at": None,
                                    "program_day_id": None,
                                    "notes": None,
                                }
                            ],
                            "deleted": [],
                        },
                        "workout_sets": {"created": [], "updated": [], "deleted": ["q1w2e3r4t5y6u7i8"]},
                        "pain_reports": {"created": [], "updated": [], "deleted": []},
                        "insights": {"created": [], "updated": [], "deleted": []},
                        "prescriptions": {"created": [], "updated": [], "deleted": []},
                        "exercises": {"created": [], "updated": [], "deleted": []},
                    },
                    "timestamp": 42000003,
                }
            ]
        }
    )

    changes: dict[str, dict[str, list[Any]]]
    timestamp: int = Field(ge=1, description="Opaque cursor: send it back as last_pulled_at")
