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
Muscle = Literal["hamstrings", "glutes", "lower_back", "quadriceps", "adductors"]
# §0's "equipment class", which picks the progression step rule in §2.1.
Equipment = Literal[
    "barbell",
    "dumbbell",
    "dumbbell_pair",
    "machine_stack",
    "plate_loaded_machine",
    "weighted_bodyweight",
    "assisted_bodyweight",
]

HAMSTRINGS: Muscle = "hamstrings"
QUADRICEPS: Muscle = "quadriceps"
MUSCLES = ("adductors", "glutes", HAMSTRINGS, "lower_back", QUADRICEPS)
PATTERNS: tuple[Pattern, ...] = ("hip_hinge", "knee_flexion", "knee_extension", "squat", "lunge", "other")
# Patterns whose negative the product coaches (3 s prescribed, §2 and §2.5).
TEMPO_PATTERNS = frozenset({"hip_hinge", "knee_flexion"})
NORDIC = "nordic-curl"
# The prescribed negative for every hip_hinge and knee_flexion exercise, Nordic included (§2, §2.4).
ECCENTRIC_S = 3.0


@dataclass(frozen=True, slots=True)
class ExerciseSpec:
    id: str
    name: str  # as written mid-sentence in explanations ("seated leg curl", "Romanian deadlift")
    pattern: Pattern
    primary: tuple[Muscle, ...]
    secondary: tuple[Muscle, ...]
    unilateral: bool
    equipment: Equipment
    rep_min: int
    rep_max: int
    target_rir: int  # 0 = to failure
    step_kg: float  # load step, or assistance step for assisted bodyweight exercises
    key_lift: bool  # its e1RM trend feeds the deload rule (§3)
    rest_s: int  # rest between sets [seed]
    # Loads the hamstrings with the hip flexed, which lengthens them at the hip; training in that
    # position grew them more than training with the hip extended (R1: seated vs lying curl).
    # Only ever true for hamstring exercises.
    long_length: bool

    @property
    def title(self) -> str:
        """The name at the start of a sentence or as a heading ("Seated leg curl")."""
        return self.name[:1].upper() + self.name[1:]

    @property
    def to_failure(self) -> bool:
        return self.target_rir == 0

    @property
    def eccentric_s(self) -> float | None:
        """The prescribed lowering time, for the patterns whose negative the product coaches."""
        return ECCENTRIC_S if self.controls_eccentric else None

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
    primary: tuple[Muscle, ...],
    secondary: tuple[Muscle, ...],
    equipment: Equipment,
    reps: tuple[int, int],
    target_rir: int,
    step_kg: float,
    rest_s: int,
    *,
    unilateral: bool = False,
    key_lift: bool = False,
    long_length: bool = False,
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
        rest_s=rest_s,
        long_length=long_length,
    )


_HG: tuple[Muscle, ...] = (HAMSTRINGS, "glutes")
_QG: tuple[Muscle, ...] = (QUADRICEPS, "glutes")

# Order matters only for display: hamstring exercises first, the product's "hamstrings first".
# fmt: off
CATALOG: Mapping[str, ExerciseSpec] = {
    spec.id: spec
    for spec in (
        _spec("romanian-deadlift", "Romanian deadlift", "hip_hinge", _HG, ("lower_back",), "barbell",
              (6, 8), 2, 2.5, 180, key_lift=True, long_length=True),
        _spec("dumbbell-romanian-deadlift", "dumbbell Romanian deadlift", "hip_hinge", _HG, ("lower_back",),
              "dumbbell_pair", (8, 10), 2, 4.0, 150, key_lift=True, long_length=True),
        _spec("single-leg-romanian-deadlift", "single-leg Romanian deadlift", "hip_hinge", _HG,
              ("lower_back",), "dumbbell", (8, 10), 2, 2.0, 120, unilateral=True, long_length=True),
        _spec("back-extension-45", "45° back extension", "hip_hinge", _HG, ("lower_back",),
              "weighted_bodyweight", (10, 15), 1, 2.5, 120, long_length=True),
        _spec("glute-ham-raise", "glute-ham raise", "knee_flexion", (HAMSTRINGS,), ("glutes",),
              "assisted_bodyweight", (5, 8), 1, 5.0, 120),
        _spec(NORDIC, "Nordic curl", "knee_flexion", (HAMSTRINGS,), (), "assisted_bodyweight",
              (4, 6), 1, 5.0, 120),
        _spec("seated-leg-curl", "seated leg curl", "knee_flexion", (HAMSTRINGS,), (), "machine_stack",
              (12, 15), 0, 5.0, 90, long_length=True),
        _spec("lying-leg-curl", "lying leg curl", "knee_flexion", (HAMSTRINGS,), (), "machine_stack",
              (12, 15), 0, 5.0, 90),
        _spec("single-leg-curl", "single-leg curl", "knee_flexion", (HAMSTRINGS,), (), "machine_stack",
              (12, 15), 0, 2.5, 90, unilateral=True),
        _spec("back-squat", "back squat", "squat", _QG, ("adductors", "lower_back"), "barbell",
              (6, 8), 2, 2.5, 180, key_lift=True),
        _spec("leg-press", "leg press", "squat", _QG, ("adductors",), "plate_loaded_machine",
              (8, 12), 2, 10.0, 150, key_lift=True),
        _spec("leg-extension", "leg extension", "knee_extension", (QUADRICEPS,), (), "machine_stack",
              (12, 15), 0, 5.0, 90),
        _spec("bulgarian-split-squat", "Bulgarian split squat", "lunge", _QG, ("adductors",), "dumbbell_pair",
              (8, 10), 2, 4.0, 120, unilateral=True),
    )
}
# fmt: on

# Ties between exercises are broken in catalog order: hamstrings first.
CATALOG_ORDER: Mapping[str, int] = {exercise_id: position for position, exercise_id in enumerate(CATALOG)}
