"""The user's gym as the API shows and takes it (training-rules.md §2.8 "The equipment profile").

Weights are in the profile's `unit`. A PUT may leave parts out: they take the defaults of its unit.
Bounds here keep the body small; what makes a gym impossible (a non-positive step, a plate of 0) is
the engine's to say (`training.profile_from_json`), and comes back as a 422 naming it."""

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from services.api.loads import Unit

Weight = Annotated[float, Field(ge=0, le=2205, allow_inf_nan=False)]  # 1000 kg in pounds
ExerciseKey = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,80}$")]
BarKind = Literal["standard", "trap", "ez"]


class Bars(BaseModel):
    model_config = ConfigDict(extra="forbid")

    standard: Weight = Field(examples=[45])
    trap: Weight = Field(examples=[55])
    ez: Weight = Field(examples=[25])


class Rack(BaseModel):
    model_config = ConfigDict(extra="forbid")

    first: Weight = Field(description="The lightest one")
    step: Weight


class Stack(BaseModel):
    model_config = ConfigDict(extra="forbid")

    step: Weight = Field(description="Per pin (pin-loaded) or the smallest pair (plate-loaded)")
    offset: Weight = Field(default=0.0, description="What the first pin lifts, or the empty machine")
    add_on: Weight = Field(default=0.0, description="A small weight that goes on top of the stack")


LB_EXAMPLE: dict[str, Any] = {
    "unit": "lb",
    "bars": {"standard": 45, "trap": 55, "ez": 25},
    "plates": [45, 35, 25, 10, 5, 2.5],
    "dumbbells": {"first": 5, "step": 5},
    "kettlebells": {"first": 10, "step": 5},
    "machine": {"step": 10, "offset": 10, "add_on": 5},
    "plate_loaded": {"step": 10, "offset": 0, "add_on": 0},
    "added_load_step": 5,
    "assistance_step": 10,
    "machines": {
        "hack-squat": {"step": 20, "offset": 0, "add_on": 0},
        "leg-press": {"step": 20, "offset": 0, "add_on": 0},
    },
    "bar_for": {},
}


class EquipmentIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"unit": "kg", "plates": [25, 20, 15, 10, 5, 2.5, 1.25, 0.5, 0.25]},
                {"unit": "lb", "machines": {"seated-leg-curl": {"step": 10, "offset": 10, "add_on": 5}}},
            ]
        },
    )

    unit: Unit = Field(description="The unit every weight of the profile is in")
    bars: Bars | None = None
    plates: list[Weight] | None = Field(
        default=None, max_length=30, description="The plate pairs you have (with microplates if any)"
    )
    dumbbells: Rack | None = None
    kettlebells: Rack | None = None
    machine: Stack | None = Field(default=None, description="Every pin-loaded machine without its own entry")
    plate_loaded: Stack | None = Field(
        default=None, description="Every plate-loaded machine without its own entry"
    )
    added_load_step: Weight | None = Field(default=None, description="A plate held or on a belt")
    assistance_step: Weight | None = Field(default=None, description="Bands or an assisted machine")
    machines: dict[ExerciseKey, Stack] | None = Field(
        default=None,
        max_length=100,
        description="A machine of its own, by exercise id (replaces the defaults')",
    )
    bar_for: dict[ExerciseKey, BarKind] | None = Field(
        default=None, max_length=100, description="A bar other than the standard one, by exercise id"
    )


class EquipmentRead(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [LB_EXAMPLE | {"stored": True}]})

    unit: Unit
    bars: Bars
    plates: list[float]
    dumbbells: Rack
    kettlebells: Rack
    machine: Stack
    plate_loaded: Stack
    added_load_step: float
    assistance_step: float
    machines: dict[str, Stack]
    bar_for: dict[str, BarKind]
    stored: bool = Field(description="False: you never set one, this is the default gym of your unit")
