from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from services.api.catalog.schemas import CustomExerciseRead


class SetRead(BaseModel):
    id: str
    exercise_id: str = Field(examples=["romanian-deadlift"])
    set_index: int
    side: str = Field(examples=["both"])
    load_kg: float = Field(examples=[102.0582])
    load_lb: float | None = Field(
        default=None,
        description="Pound users: `load_kg` to 0.1 lb (kept for older clients; read `unit` and `load`)",
    )
    unit: Literal["kg", "lb"] = Field(description="The user's unit")
    load: float = Field(
        description="The load in `unit`: exactly as typed when typed in it, else converted to 0.01",
        examples=[225],
    )
    entered_load: float | None = Field(default=None, description="What the user typed, in `entered_unit`")
    entered_unit: Literal["kg", "lb"] | None = None
    reps: int = Field(examples=[8])
    rir: float | None
    rpe: float | None
    eccentric_s: float | None
    assistance_kg: float | None
    to_failure: bool
    is_warmup: bool
    performed_at: datetime | None


class WorkoutRead(BaseModel):
    id: str = Field(examples=["a1b2c3d4e5f6g7h8"])
    started_at: datetime
    ended_at: datetime | None
    program_day_id: str | None
    notes: str | None
    sets: list[SetRead]
    custom_exercises: list[CustomExerciseRead] = Field(
        default_factory=list,
        description="The user's own exercises its sets name (catalog ones are in `/v1/exercises`)",
    )
