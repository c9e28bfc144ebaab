"""A user's own exercises as catalog entries, merged with the catalog (training-rules.md §0.3).

The engine judges a custom exercise by what the user declared: its pattern, the credit of each
muscle, how it is loaded, its equipment. What a user cannot declare takes a default, every one
[house]: 8–12 reps at a target RIR of 2, §2.1's step of its equipment class, never a key lift,
never long length, never ballistic. A catalog id always wins over a custom id.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

from services.training.catalog import (
    CATALOG,
    CATALOG_ORDER,
    MUSCLES,
    PATTERNS,
    Equipment,
    ExerciseSpec,
    Muscle,
    Pattern,
)
from services.training.types import CustomExercise

CUSTOM_REP_MIN = 8  # [house] the middle of the catalog's ranges; a program slot overrides it
CUSTOM_REP_MAX = 12
# [house] the catalog's compound effort: an unknown lift is not pushed to failure, so a set at RIR 0
# holds the load instead of stepping up (§2.1's gate: RIR ≥ target − 1).
CUSTOM_TARGET_RIR = 2
CUSTOM_REST_S = 120  # [house] read by no rule
OTHER_PATTERN: Pattern = "other"
# §2.1's step per external equipment class; an unknown plate-loaded machine gets the small plates'
# step (5 kg, like the reverse hyperextension) [house].
EXTERNAL_STEP_KG: Mapping[Equipment, float] = {
    "barbell": 2.5,
    "dumbbell": 2.0,
    "dumbbell_pair": 4.0,
    "kettlebell": 4.0,
    "machine_stack": 5.0,
    "plate_loaded_machine": 5.0,
}
# Any other external equipment (a cable attachment, a sled, a landmine) is read as the barbell class:
# 2.5 kg steps, the smallest common pair of plates [house]. Equipment is §0's vocabulary, which the
# API publishes, so it gets no class of its own.
OTHER_EQUIPMENT: Equipment = "barbell"
# `bodyweight` and `assisted` exercises are read as §0's weighted and assisted bodyweight classes:
# added load in 2.5 kg steps, or 5 kg of assistance off at a time (§2.1), and no e1RM (§1.5).
LOAD_TYPE_EQUIPMENT: Mapping[str, tuple[Equipment, float]] = {
    "bodyweight": ("weighted_bodyweight", 2.5),
    "assisted": ("assisted_bodyweight", 5.0),
}

_MUSCLE: Mapping[str, Muscle] = {muscle: muscle for muscle in MUSCLES}
_PATTERN: Mapping[str, Pattern] = {pattern: pattern for pattern in PATTERNS}
_EXTERNAL: Mapping[str, Equipment] = {equipment: equipment for equipment in EXTERNAL_STEP_KG}


def declared_credit(value: object) -> float:
    """A declared credit as a share of a set: clamped to 0..1; anything but a finite number is 0."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return 0.0
    return min(1.0, max(0.0, float(value)))


def custom_credits(
    exercise: CustomExercise,
) -> tuple[tuple[Muscle, ...], tuple[Muscle, ...], tuple[tuple[Muscle, float], ...]]:
    """Primary muscles, secondary muscles and the credit of each, as declared.

    Muscles outside §0's list and credits of 0 are dropped (a muscle credited nothing is not worked);
    a muscle declared both primary and secondary keeps its primary credit.
    """
    roles: list[list[Muscle]] = [[], []]
    credits: dict[Muscle, float] = {}
    for role, declared in zip(roles, (exercise.primary, exercise.secondary), strict=True):
        for name in sorted(declared):
            muscle = _MUSCLE.get(name)
            share = declared_credit(declared[name])
            if muscle is None or share == 0 or muscle in credits:
                continue
            role.append(muscle)
            credits[muscle] = share
    primary, secondary = roles
    return tuple(primary), tuple(secondary), tuple(credits.items())


def equipment_and_step(exercise: CustomExercise) -> tuple[Equipment, float]:
    """The load type decides how a set's load is read; for external load, the equipment picks the step."""
    by_load_type = LOAD_TYPE_EQUIPMENT.get(exercise.load_type)
    if by_load_type is not None:
        return by_load_type
    equipment = _EXTERNAL.get(exercise.equipment, OTHER_EQUIPMENT)
    return equipment, EXTERNAL_STEP_KG[equipment]


def custom_spec(exercise: CustomExercise) -> ExerciseSpec:
    primary, secondary, credits = custom_credits(exercise)
    equipment, step_kg = equipment_and_step(exercise)
    return ExerciseSpec(
        id=exercise.id,
        # As typed: a user's own name keeps its capitals mid-sentence; an empty one reads as the id.
        name=exercise.name.strip() or exercise.id,
        pattern=_PATTERN.get(exercise.pattern, OTHER_PATTERN),
        primary=primary,
        secondary=secondary,
        unilateral=exercise.unilateral,
        equipment=equipment,
        rep_min=CUSTOM_REP_MIN,
        rep_max=CUSTOM_REP_MAX,
        target_rir=CUSTOM_TARGET_RIR,
        step_kg=step_kg,
        key_lift=False,
        rest_s=CUSTOM_REST_S,
        long_length=False,
        ballistic=False,
        credits=credits,
        custom=True,
        on_bar=exercise.load_type != "external" or exercise.equipment in _EXTERNAL,
    )


def user_catalog(custom_exercises: Iterable[CustomExercise]) -> Mapping[str, ExerciseSpec]:
    """The catalog the engine uses for one user: every catalog row in catalog order, then the user's
    own exercises by id. A catalog id always wins a collision; of two own exercises with one id, the
    first given is kept."""
    merged: dict[str, ExerciseSpec] = dict(CATALOG)
    for exercise in sorted(custom_exercises, key=lambda e: e.id):
        if exercise.id not in merged:
            merged[exercise.id] = custom_spec(exercise)
    return CATALOG if len(merged) == len(CATALOG) else merged


def catalog_order(catalog: Mapping[str, ExerciseSpec]) -> Mapping[str, int]:
    """Ties between exercises go to this order: the catalog's (hamstrings first), then own exercises."""
    if catalog is CATALOG:
        return CATALOG_ORDER
    return {exercise_id: position for position, exercise_id in enumerate(catalog)}
