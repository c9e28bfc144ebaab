import uuid

from pydantic import BaseModel, ConfigDict, Field


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
    cues: list[str]


class DayRead(BaseModel):
    id: uuid.UUID
    key: str = Field(examples=["A"])
    name: str = Field(examples=["Heavy hinge"])
    slots: list[SlotRead]


class ProgramRead(ProgramSummary):
    days: list[DayRead]
