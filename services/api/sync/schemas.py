"""Validation of pushed records. Strict types: a phone that sends "100" for a load has a bug we
want to see, and a silently coerced value would be stored as if it were right."""

import json
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from services.api.text import Text
from services.training.catalog import MUSCLES, Equipment, Muscle, Pattern
from services.training.types import LoadType
from services.training.units import to_kg

CLIENT_ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"  # WatermelonDB makes 16-character ids
ClientId = Annotated[str, StringConstraints(pattern=CLIENT_ID_PATTERN)]
EpochMs = Annotated[int, Field(ge=0, le=32503680000000)]  # up to year 3000
# How far a set's load_kg may be from its entered load converted [house]: 5 g, half of the 0.01 kg a
# phone that keeps kilograms to 2 decimals rounds to; any coarser and a pound load drifts.
LOAD_KG_TOLERANCE = 0.005
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
    exercise_id: Annotated[
        str,
        StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,80}$"),
        Field(description="A catalog exercise (`exercises`) or one of the user's own (`custom_exercises`)"),
    ]
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
    entered_load: (
        Annotated[
            float,
            Field(
                ge=0,
                le=2205,
                allow_inf_nan=False,
                description="The load as the user typed it, in `entered_unit` (since schema version 4); "
                "`load_kg` is the same load in kilograms, to at least 4 decimals",
                examples=[225],
            ),
        ]
        | None
    ) = None
    entered_unit: Literal["kg", "lb"] | None = Field(
        default=None, description="The unit `entered_load` was typed in; set with it, or neither"
    )

    @model_validator(mode="after")
    def _entered_is_load_kg(self) -> "WorkoutSetIn":
        if (self.entered_load is None) != (self.entered_unit is None):
            raise ValueError("entered_load and entered_unit go together: both or neither")
        if self.entered_load is not None and self.entered_unit is not None:
            expected = to_kg(self.entered_load, self.entered_unit)
            if abs(self.load_kg - expected) > LOAD_KG_TOLERANCE:
                raise ValueError(
                    f"load_kg must be entered_load in kilograms ({expected:.4f}, within {LOAD_KG_TOLERANCE})"
                )
        return self


class BodyWeightIn(RecordIn):
    """A weigh-in (since schema version 4): body-weight exercises get an effective load from it
    (training-rules.md §1.7)."""

    measured_on: EpochMs = Field(description="Local midnight of the day it was measured")
    weight: Annotated[float, Field(gt=0, le=1500, allow_inf_nan=False)]
    unit: Literal["kg", "lb"]


class PainReportIn(RecordIn):
    body_part: Literal["knee", "hamstring", "lower_back", "hip", "other"]
    side: Side
    severity: Annotated[int, Field(ge=0, le=10)]
    reported_at: EpochMs
    note: Annotated[Text, StringConstraints(max_length=2000)] | None = None


Credit = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
# A custom exercise's equipment: §0's classes, or `other` (a cable, a sled, a band) [house: read as
# the barbell class, training-rules.md §0.3].
# One enum (not a union of two), so the contract and the SDK show one list of values.
CustomEquipment: Any = Literal[(*get_args(Equipment), "other")]


class MuscleCredits(BaseModel):
    """What one hard set of the exercise credits each muscle (training-rules.md §0.3)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    primary: dict[Muscle, Credit] = Field(default_factory=dict, max_length=len(MUSCLES))
    secondary: dict[Muscle, Credit] = Field(default_factory=dict, max_length=len(MUSCLES))

    @model_validator(mode="after")
    def _one_role_per_muscle(self) -> "MuscleCredits":
        if both := sorted(self.primary.keys() & self.secondary.keys()):
            raise ValueError(f"declared both primary and secondary: {', '.join(both)}")
        return self


class CustomExerciseIn(RecordIn):
    """One of the user's own exercises. Deleting it archives it: its sets keep their credit."""

    name: Annotated[Text, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
    pattern: Pattern
    muscles_json: Annotated[
        str,
        Field(
            max_length=2000,
            description='JSON text: `{"primary": {muscle: credit}, "secondary": {muscle: credit}}`, '
            "each credit 0..1 of a hard set; stored and sent back canonical (sorted keys, no spaces)",
            examples=['{"primary":{"hamstrings":1.0},"secondary":{"glutes":0.2}}'],
        ),
    ]
    equipment: CustomEquipment
    unilateral: bool
    load_type: LoadType = Field(description="How a set's load_kg reads: external load, added or assistance")

    @field_validator("muscles_json")
    @classmethod
    def _credits(cls, text: str) -> str:
        try:
            credits = MuscleCredits.model_validate_json(text)
        except ValidationError as exc:
            raise ValueError("; ".join(_described(err) for err in exc.errors())) from None
        return canonical_muscles(credits)


def canonical_muscles(credits: MuscleCredits) -> str:
    return json.dumps(credits.model_dump(), sort_keys=True, separators=(",", ":"))


def _described(error: Any) -> str:
    where = ".".join(str(part) for part in error["loc"])
    return f"{where}: {error['msg']}" if where else error["msg"]


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
    rule_id: Text64 = Field(description="The rule and its version, e.g. `deload.detect@1.2.0`")
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
    unit: Literal["kg", "lb"] | None = Field(
        default=None, description="The user's unit when it was written (since schema version 4)"
    )
    load: float | None = Field(default=None, description="The load in `unit`, one the user's equipment makes")
    assistance: float | None = Field(default=None, description="The assistance in `unit`")
    bar: float | None = Field(
        default=None,
        description="Barbell and plate-loaded slots: the bar (or the empty machine) under the plates",
    )
    plates_per_side_json: JsonText | None = Field(
        default=None, description="JSON text: the plates on each side, heaviest first, e.g. `[45, 45, 2.5]`"
    )
    stack_json: JsonText | None = Field(
        default=None,
        description='JSON text: a pin-loaded slot\'s pin from the lightest, e.g. `{"pin": 10, "add_on": false}`',
    )


class ProgramRecord(ServerRecord):
    """One of the user's own programs (since schema version 3), read-only on the phone: edits go
    through `PATCH /v1/me/programs/{id}` (sync-protocol.md, "Programs and the next session")."""

    name: Text120
    summary: str
    days_per_week: int
    revision: int = Field(description="Raised by every edit of the program")
    source_program_id: Text64 | None = Field(description="The program it was copied from")
    assigned_by: Text64 | None = Field(description="The partner (a coach's app) that made it for the user")
    assigned_by_name: Text120 | None
    days_json: JsonText = Field(
        description="The days in rotation order, JSON text: [{id, key, name, slots: [{slot_id, slot_index, "
        "exercise_id, sets, rep_min, rep_max, target_rir, to_failure, eccentric_s, rest_s, assistance_kg, "
        "note, superset_group, substituted_from}]}]"
    )


class PlannedSessionRecord(ServerRecord):
    """The next session (since schema version 3): one row, id `next`, while the user follows a
    program; a tombstone when they leave it."""

    program_id: Text64
    program_day_id: Text64
    day_name: Text120
    session_json: JsonText = Field(description="The body of GET /v1/me/next-session, as JSON text")


class EquipmentProfileRecord(ServerRecord):
    """The user's gym (since schema version 4): one row, id `gym`, once the user has set it through
    `PUT /v1/me/equipment`; without it the default gym of the user's unit applies."""

    unit: Literal["kg", "lb"]
    profile_json: JsonText = Field(description="JSON text: the body of GET /v1/me/equipment")


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
