import uuid
from typing import Annotated, Any, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from services.api.loads import Loadable
from services.api.text import Text


class ProgramSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    slug: str = Field(examples=["posterior-chain-builder"])
    name: str = Field(examples=["Posterior chain builder"])
    summary: str
    audience: str
    days_per_week: int = Field(examples=[2])


class SlotRead(BaseModel):
    slot_index: int
    exercise_id: str = Field(examples=["romanian-deadlift"])
    exercise_name: str = Field(examples=["Romanian deadlift"])
    sets: int = Field(examples=[3])
    rep_min: int = Field(examples=[6])
    rep_max: int = Field(examples=[8])
    target_rir: int = Field(description="Reps in reserve; 0 = to failure", examples=[2])
    to_failure: bool
    eccentric_s: float | None = Field(description="Lowering time (tempo) in seconds", examples=[3.0])
    rest_s: int = Field(examples=[180])
    assistance_kg: float | None = Field(description="Band or machine help (GHR, Nordic)")
    note: str
    superset_group: str | None = Field(description="Slots of a day with the same group are done back to back")
    substituted_from: str | None = Field(
        description="The exercise you swapped out of this slot; its e1RM set the first target"
    )
    cues: list[str]


class DayRead(BaseModel):
    id: uuid.UUID
    key: str = Field(examples=["A"])
    name: str = Field(examples=["Heavy hinge"])
    slots: list[SlotRead]


class ProgramRead(ProgramSummary):
    days: list[DayRead]


# -- programs a user owns -----------------------------------------------------------------------

ExerciseRef = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,80}$"),
    Field(description="A catalog exercise or one of the caller's own (GET /v1/me/exercises)"),
]
_IN = ConfigDict(extra="forbid")


class SlotIn(BaseModel):
    model_config = _IN

    exercise_id: ExerciseRef
    sets: int = Field(ge=1, le=10)
    rep_min: int = Field(ge=1, le=50)
    rep_max: int = Field(ge=1, le=50)
    target_rir: int = Field(default=2, ge=0, le=5, description="Reps in reserve; 0 = to failure")
    to_failure: bool = False
    eccentric_s: float | None = Field(default=None, ge=0, le=30, description="Lowering time in seconds")
    rest_s: int = Field(default=120, ge=0, le=900)
    assistance_kg: float | None = Field(default=None, ge=0, le=500)
    note: Annotated[Text, StringConstraints(max_length=500)] = ""
    superset_group: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9]{1,8}$")] | None = None

    @model_validator(mode="after")
    def _range(self) -> Self:
        if self.rep_min > self.rep_max:
            raise ValueError("rep_min must not be above rep_max")
        return self


class DayIn(BaseModel):
    model_config = _IN

    id: uuid.UUID | None = Field(
        default=None, description="An existing day of this program to keep (its logs keep pointing at it)"
    )
    key: Annotated[str, StringConstraints(pattern=r"^[A-Z]{1,8}$")] | None = Field(
        default=None, description="A, B, … by position when absent"
    )
    name: Annotated[Text, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
    slots: list[SlotIn] = Field(min_length=1, max_length=20)


class ProgramIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"name": "My posterior chain", "source_program_id": "0b6f3d2e-58a4-4c1e-9a51-7f0f6f1b2a01"},
                {
                    "name": "Hinge and curl",
                    "days": [
                        {
                            "name": "Heavy hinge",
                            "slots": [
                                {"exercise_id": "romanian-deadlift", "sets": 3, "rep_min": 6, "rep_max": 8},
                                {"exercise_id": "seated-leg-curl", "sets": 3, "rep_min": 10, "rep_max": 15},
                            ],
                        }
                    ],
                },
            ]
        },
    )

    name: Annotated[Text, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
    summary: Annotated[Text, StringConstraints(max_length=2000)] = ""
    source_program_id: uuid.UUID | None = Field(
        default=None, description="Copy this starter or own program's days (when `days` is absent)"
    )
    days: list[DayIn] | None = Field(default=None, min_length=1, max_length=7)
    days_per_week: int | None = Field(default=None, ge=1, le=7, description="The number of days when absent")

    @model_validator(mode="after")
    def _days_or_source(self) -> Self:
        if self.days is None and self.source_program_id is None:
            raise ValueError("give the program's days, or a source_program_id to copy them from")
        return self


class ProgramPatch(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"name": "Hinge and curl, 3 days", "days_per_week": 3}]},
    )

    name: Annotated[Text, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)] | None = (
        None
    )
    summary: Annotated[Text, StringConstraints(max_length=2000)] | None = None
    days: list[DayIn] | None = Field(
        default=None,
        min_length=1,
        max_length=7,
        description="All the days, in rotation order; a day keeps its id (and its logs) when you send it",
    )
    days_per_week: int | None = Field(default=None, ge=1, le=7)


class AssignedBy(BaseModel):
    partner_id: uuid.UUID
    name: str = Field(description="The coach's app, as it registered with Posterior")


class UserProgramRead(BaseModel):
    """A program the caller owns: built, copied or assigned by a coach; editable."""

    id: uuid.UUID
    name: str
    summary: str
    days_per_week: int
    days: list[DayRead]
    revision: int = Field(description="Raised by every edit")
    source_program_id: uuid.UUID | None
    assigned_by: AssignedBy | None = Field(description="The coach's app that made it for you, if one did")
    enrolled: bool = Field(description="You follow this program")


class SubstitutionIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"exercise_id": "lying-leg-curl"}]}
    )

    exercise_id: ExerciseRef


class SubstitutionTarget(Loadable):
    load_kg: float | None = Field(description="The first target of the new exercise; null: start light")
    load_lb: float | None = Field(default=None, description="Pound users: `load` (kept for older clients)")
    assistance_kg: float | None
    note: str
    reason: dict[str, Any] = Field(description="`rule` (with `rule_id`) and the numbers it used")


class SubstitutionRead(BaseModel):
    program: UserProgramRead
    slot_id: str = Field(examples=["A2"])
    old_exercise_id: str = Field(examples=["seated-leg-curl"])
    new_exercise_id: str = Field(examples=["lying-leg-curl"])
    copied_from: uuid.UUID | None = Field(
        description="The starter program copied into one of yours to make the change (you now follow the copy)"
    )
    target: SubstitutionTarget
