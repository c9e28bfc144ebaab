from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from services.training.catalog import CATALOG, PATTERNS, Equipment, Muscle

__all__ = ["CustomExerciseRead", "Equipment", "ExerciseRead", "Muscle", "MyExercisesRead", "Pattern"]

# The engine's patterns that catalog exercises have: derived from its table, so an exercise of a
# new pattern is filterable the day it is added.
Pattern: Any = Literal[tuple(p for p in PATTERNS if any(spec.pattern == p for spec in CATALOG.values()))]


class ExerciseRead(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": "seated-leg-curl",
                    "name": "Seated leg curl",
                    "pattern": "knee_flexion",
                    "primary_muscles": ["hamstrings"],
                    "secondary_muscles": [],
                    "equipment": "machine_stack",
                    "unilateral": False,
                    "rep_min": 12,
                    "rep_max": 15,
                    "target_rir": 0,
                    "to_failure": True,
                    "eccentric_s": 3.0,
                    "increment_kg": 5.0,
                    "rest_s": 90,
                    "long_length": True,
                    "key_lift": False,
                    "description": "Knee flexion with the hip flexed, which trains the hamstrings at long length.",
                    "cues": ["Lock the thigh pad down"],
                    "mistakes": ["Swinging the weight"],
                    "regressions": ["lying-leg-curl"],
                    "progressions": ["nordic-curl"],
                }
            ]
        },
    )

    id: str = Field(description="Catalog slug")
    name: str
    description: str
    pattern: Pattern
    primary_muscles: list[str]
    secondary_muscles: list[str]
    equipment: str
    unilateral: bool
    rep_min: int
    rep_max: int
    target_rir: int = Field(description="Reps in reserve to stop at; 0 means to failure")
    to_failure: bool
    eccentric_s: float | None = Field(description="Prescribed lowering time in seconds")
    increment_kg: float = Field(description="Load step for progression")
    rest_s: int
    long_length: bool = Field(description="Trains the hamstrings at long muscle length")
    key_lift: bool
    cues: list[str]
    mistakes: list[str]
    regressions: list[str]
    progressions: list[str]


class CustomExerciseRead(BaseModel):
    """One of the user's own exercises, as they declared it (training-rules.md §0.3)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "k3j2h1g0f9e8d7c6",
                    "name": "Nordic on a lat pulldown seat",
                    "pattern": "knee_flexion",
                    "primary": {"hamstrings": 1.0},
                    "secondary": {"calves": 0.25},
                    "equipment": "machine_stack",
                    "unilateral": False,
                    "load_type": "bodyweight",
                    "archived": False,
                }
            ]
        }
    )

    id: str = Field(description="The id the phone gave it; sets name it in `exercise_id`")
    name: str
    pattern: str
    primary: dict[str, float] = Field(description="Muscle → the hard sets one hard set credits it (0..1)")
    secondary: dict[str, float]
    equipment: str
    unilateral: bool
    load_type: Literal["external", "bodyweight", "assisted"]
    archived: bool = Field(description="Deleted by the user: gone from the picker, still named by its sets")


class MyExercisesRead(BaseModel):
    catalog: list[ExerciseRead]
    custom: list[CustomExerciseRead] = Field(description="The caller's own exercises, by name")
