from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Pattern = Literal["hip_hinge", "knee_flexion", "knee_extension", "squat", "lunge"]
Muscle = Literal["hamstrings", "glutes", "lower_back", "quadriceps", "adductors"]
Equipment = Literal[
    "barbell",
    "dumbbell",
    "dumbbell_pair",
    "machine_stack",
    "plate_loaded_machine",
    "weighted_bodyweight",
    "assisted_bodyweight",
]


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
