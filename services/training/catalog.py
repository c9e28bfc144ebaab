"""The v1 exercise catalog of training-rules.md §0, as data.

Rules key on these ids, never on names. Rep ranges of compounds and machine isolation are [seed];
the ranges of glute-ham raise, Nordic curl and 45° back extension and every step are [house].
Squat, leg press and split squat give the hamstrings no credit at all [cited: R10].
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

Pattern = Literal["hip_hinge", "knee_flexion", "knee_extension", "squat", "lunge", "other"]
Equipment = Literal[
    "barbell",
    "dumbbell_pair",
    "dumbbell",
    "weighted_bodyweight",
    "assisted_bodyweight",
    "machine_stack",
    "plate_loaded",
]

HAMSTRINGS = "hamstrings"
QUADRICEPS = "quadriceps"
MUSCLES = ("adductors", "glutes", HAMSTRINGS, "lower_back", QUADRICEPS)
PATTERNS: tuple[Pattern, ...] = ("hip_hinge", "knee_flexion", "knee_extension", "squat", "lunge", "other")
# Patterns whose negative the product coaches (3 s prescribed, §2 and §2.5).
TEMPO_PATTERNS = frozenset({"hip_hinge", "knee_flexion"})
NORDIC = "nordic-curl"


@dataclass(frozen=True, slots=True)
class ExerciseSpec:
    id: str
    name: str  # as written mid-sentence in explanations ("seated leg curl", "Romanian deadlift")
    pattern: Pattern
    primary: tuple[str, ...]
    secondary: tuple[str, ...]
    unilateral: bool
    equipment: Equipment
    rep_min: int
    rep_max: int
    target_rir: int  # 0 = to failure
    step_kg: float  # load step, or assistance step for assisted bodyweight exercises
    key_lift: bool  # its e1RM trend feeds the deload rule (§3)

    @property
    def assisted(self) -> bool:
        return self.equipment == "assisted_bodyweight"

    @property
    def has_e1rm(self) -> bool:
        """Bodyweight is not logged, so bodyweight exercises have no e1RM (§1.5)."""
        return self.equipment not in ("assisted_bodyweight", "weighted_bodyweight")

    @property
    def controls_eccentric(self) -> bool:
        return self.pattern in TEMPO_PATTERNS


def _spec(
    exercise_id: str,
    name: str,
    pattern: Pattern,
    primary: tuple[str, ...],
    secondary: tuple[str, ...],
    equipment: Equipment,
    reps: tuple[int, int],
    target_rir: int,
    step_kg: float,
    *,
    unilateral: bool = False,
    key_lift: bool = False,
) -> ExerciseSpec:
    return ExerciseSpec(
        id=exercise_id,
        name=name,
        pattern=pattern,
        primary=primary,
        secondary=secondary,
        unilateral=unilateral,
        equipment=equipment,
        rep_min=reps[0],
        rep_max=reps[1],
        target_rir=target_rir,
        step_kg=step_kg,
        key_lift=key_lift,
    )


_HG = (HAMSTRINGS, "glutes")
_QG = (QUADRICEPS, "glutes")

# Order matters only for display: hamstring exercises first, the product's "hamstrings first".
# fmt: off
CATALOG: Mapping[str, ExerciseSpec] = {
    spec.id: spec
    for spec in (
        _spec("romanian-deadlift", "Romanian deadlift", "hip_hinge", _HG, ("lower_back",), "barbell",
              (6, 8), 2, 2.5, key_lift=True),
        _spec("dumbbell-romanian-deadlift", "dumbbell Romanian deadlift", "hip_hinge", _HG, ("lower_back",),
              "dumbbell_pair", (8, 10), 2, 4.0, key_lift=True),
        _spec("single-leg-romanian-deadlift", "single-leg Romanian deadlift", "hip_hinge", _HG,
              ("lower_back",), "dumbbell", (8, 10), 2, 2.0, unilateral=True),
        _spec("back-extension-45", "45° back extension", "hip_hinge", _HG, ("lower_back",),
              "weighted_bodyweight", (10, 15), 1, 2.5),
        _spec("glute-ham-raise", "glute-ham raise", "knee_flexion", (HAMSTRINGS,), ("glutes",),
              "assisted_bodyweight", (5, 8), 1, 5.0),
        _spec(NORDIC, "Nordic curl", "knee_flexion", (HAMSTRINGS,), (), "assisted_bodyweight",
              (4, 6), 1, 5.0),
        _spec("seated-leg-curl", "seated leg curl", "knee_flexion", (HAMSTRINGS,), (), "machine_stack",
              (12, 15), 0, 5.0),
        _spec("lying-leg-curl", "lying leg curl", "knee_flexion", (HAMSTRINGS,), (), "machine_stack",
              (12, 15), 0, 5.0),
        _spec("single-leg-curl", "single-leg curl", "knee_flexion", (HAMSTRINGS,), (), "machine_stack",
              (12, 15), 0, 2.5, unilateral=True),
        _spec("back-squat", "back squat", "squat", _QG, ("adductors", "lower_back"), "barbell",
              (6, 8), 2, 2.5, key_lift=True),
        _spec("leg-press", "leg press", "squat", _QG, ("adductors",), "plate_loaded", (8, 12), 2, 10.0,
              key_lift=True),
        _spec("leg-extension", "leg extension", "knee_extension", (QUADRICEPS,), (), "machine_stack",
              (12, 15), 0, 5.0),
        _spec("bulgarian-split-squat", "Bulgarian split squat", "lunge", _QG, ("adductors",), "dumbbell_pair",
              (8, 10), 2, 4.0, unilateral=True),
    )
}
# fmt: on

# Ties between exercises are broken in catalog order: hamstrings first.
CATALOG_ORDER: Mapping[str, int] = {exercise_id: position for position, exercise_id in enumerate(CATALOG)}
