"""The exercise catalog of training-rules.md §0, as data.

Rules key on these ids, never on names. Rep ranges of the v1 compounds and machine isolation are
[seed]; the other ranges and every step are [house]. Muscle credit follows §0.2: squats, leg press,
lunges and hip thrusts give the hamstrings no credit at all [cited: R10, R24]. Only `hip_hinge` and
`knee_flexion` are hamstring patterns; the upper-body and core patterns exist so a whole workout
can be logged, and no hamstring rule reads them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, get_args

Pattern = Literal[
    "hip_hinge",
    "knee_flexion",
    "hip_extension",
    "knee_extension",
    "squat",
    "lunge",
    "calf",
    "hip_adduction",
    "hip_abduction",
    "push",
    "pull",
    "core",
    "other",
]
Muscle = Literal[
    "hamstrings",
    "glutes",
    "lower_back",
    "quadriceps",
    "adductors",
    "abductors",
    "calves",
    "chest",
    "back",
    "shoulders",
    "biceps",
    "triceps",
    "abs",
]
# §0's "equipment class", which picks the progression step rule in §2.1.
Equipment = Literal[
    "barbell",
    "dumbbell",
    "dumbbell_pair",
    "kettlebell",
    "machine_stack",
    "plate_loaded_machine",
    "weighted_bodyweight",
    "assisted_bodyweight",
]

HAMSTRINGS: Muscle = "hamstrings"
QUADRICEPS: Muscle = "quadriceps"
MUSCLES: tuple[Muscle, ...] = (
    "abductors",
    "abs",
    "adductors",
    "back",
    "biceps",
    "calves",
    "chest",
    "glutes",
    HAMSTRINGS,
    "lower_back",
    QUADRICEPS,
    "shoulders",
    "triceps",
)
PATTERNS: tuple[Pattern, ...] = get_args(Pattern)
# The two patterns of the hamstrings' two joints (§4.3); no hamstring rule reads any other.
HAMSTRING_PATTERNS = frozenset({"hip_hinge", "knee_flexion"})
# Exercises of these patterns make a workout a leg workout (§1.2); push, pull, core and other do not.
LOWER_BODY_PATTERNS = frozenset(
    {"hip_hinge", "knee_flexion", "hip_extension", "knee_extension", "squat", "lunge", "calf"}
    | {"hip_adduction", "hip_abduction"}
)
# Patterns whose negative the product coaches (3 s prescribed, §2 and §2.5).
TEMPO_PATTERNS = frozenset({"hip_hinge", "knee_flexion"})
NORDIC = "nordic-curl"
# The prescribed negative for every hip_hinge and knee_flexion exercise, Nordic included (§2, §2.4).
ECCENTRIC_S = 3.0
# §1.4: each primary muscle gets 1 set per hard set, each secondary muscle half a set [cited: R4, R15].
PRIMARY_CREDIT = 1.0
SECONDARY_CREDIT = 0.5


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
    # Thrown, not lowered (the kettlebell swing): no prescribed negative and no e1RM (§0.2).
    ballistic: bool = False
    # Credit per hard set for each muscle (§1.4). Left empty, it is filled in from `primary` (1.0)
    # and `secondary` (0.5), as for every catalog row; a user's own exercise declares it (§0.3).
    credits: tuple[tuple[Muscle, float], ...] = ()
    # A user's own exercise (§0.3), not a catalog row.
    custom: bool = False
    # A barbell-class exercise loaded on a bar (§2.8). False for a user's own exercise whose equipment is
    # not a §0 class (a cable attachment, a sled): read as the barbell class, its plates carry no bar.
    on_bar: bool = True

    def __post_init__(self) -> None:
        if not self.credits:
            default = tuple((m, PRIMARY_CREDIT) for m in self.primary) + tuple(
                (m, SECONDARY_CREDIT) for m in self.secondary
            )
            object.__setattr__(self, "credits", default)

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
        """Bodyweight is not logged, so bodyweight exercises have no e1RM; nor has a ballistic
        swing, whose load says nothing of a maximal lift (§1.5)."""
        return not self.ballistic and self.equipment not in ("assisted_bodyweight", "weighted_bodyweight")

    @property
    def controls_eccentric(self) -> bool:
        return self.pattern in TEMPO_PATTERNS and not self.ballistic

    @property
    def lower_body(self) -> bool:
        return self.pattern in LOWER_BODY_PATTERNS


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
    ballistic: bool = False,
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
        ballistic=ballistic,
    )


_HG: tuple[Muscle, ...] = (HAMSTRINGS, "glutes")
_QG: tuple[Muscle, ...] = (QUADRICEPS, "glutes")
_PRESS: tuple[Muscle, ...] = ("triceps", "shoulders")

# Order matters only for display and for ties: hamstring exercises first, the product's
# "hamstrings first"; the v1 rows keep their relative order (§7's S7 tie-break depends on it).
# Every credit below is argued in training-rules.md §0.2.
# fmt: off
CATALOG: Mapping[str, ExerciseSpec] = {
    spec.id: spec
    for spec in (
        # Hip hinge: hip extension with the knees fixed or nearly so; the hamstrings' hip work.
        _spec("romanian-deadlift", "Romanian deadlift", "hip_hinge", _HG, ("lower_back",), "barbell",
              (6, 8), 2, 2.5, 180, key_lift=True, long_length=True),
        _spec("dumbbell-romanian-deadlift", "dumbbell Romanian deadlift", "hip_hinge", _HG, ("lower_back",),
              "dumbbell_pair", (8, 10), 2, 4.0, 150, key_lift=True, long_length=True),
        _spec("single-leg-romanian-deadlift", "single-leg Romanian deadlift", "hip_hinge", _HG,
              ("lower_back",), "dumbbell", (8, 10), 2, 2.0, 120, unilateral=True, long_length=True),
        _spec("back-extension-45", "45° back extension", "hip_hinge", _HG, ("lower_back",),
              "weighted_bodyweight", (10, 15), 1, 2.5, 120, long_length=True),
        _spec("stiff-leg-deadlift", "stiff-leg deadlift", "hip_hinge", _HG, ("lower_back",), "barbell",
              (6, 8), 2, 2.5, 180, long_length=True),
        _spec("good-morning", "good morning", "hip_hinge", _HG, ("lower_back",), "barbell",
              (8, 10), 2, 2.5, 150, long_length=True),
        _spec("conventional-deadlift", "conventional deadlift", "hip_hinge", _HG, ("lower_back", QUADRICEPS),
              "barbell", (6, 8), 2, 2.5, 180, key_lift=True),
        _spec("trap-bar-deadlift", "trap-bar deadlift", "hip_hinge", _QG, (HAMSTRINGS, "lower_back"),
              "barbell", (6, 8), 2, 2.5, 180, key_lift=True),
        _spec("reverse-hyperextension", "reverse hyperextension", "hip_hinge", _HG, ("lower_back",),
              "plate_loaded_machine", (10, 15), 1, 5.0, 90),
        _spec("cable-pull-through", "cable pull-through", "hip_hinge", _HG, (), "machine_stack",
              (12, 15), 1, 5.0, 90),
        _spec("kettlebell-swing", "kettlebell swing", "hip_hinge", _HG, ("lower_back",), "kettlebell",
              (15, 20), 2, 4.0, 90, ballistic=True),
        # Knee flexion: the hamstrings' knee work.
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
        _spec("razor-curl", "razor curl", "knee_flexion", (HAMSTRINGS,), (), "assisted_bodyweight",
              (5, 8), 1, 5.0, 120),
        _spec("sliding-leg-curl", "sliding leg curl", "knee_flexion", (HAMSTRINGS,), ("glutes",),
              "weighted_bodyweight", (8, 12), 1, 2.5, 90),
        _spec("stability-ball-leg-curl", "stability-ball leg curl", "knee_flexion", (HAMSTRINGS,), ("glutes",),
              "weighted_bodyweight", (10, 15), 1, 2.5, 90),
        # Hip extension with the knees bent: the glutes' lift, not a hamstring pattern (§0.2).
        _spec("hip-thrust", "hip thrust", "hip_extension", ("glutes",), (), "barbell",
              (8, 12), 2, 2.5, 120),
        _spec("single-leg-hip-thrust", "single-leg hip thrust", "hip_extension", ("glutes",), (),
              "weighted_bodyweight", (8, 12), 1, 2.5, 90, unilateral=True),
        _spec("glute-bridge", "glute bridge", "hip_extension", ("glutes",), (), "weighted_bodyweight",
              (12, 15), 1, 2.5, 90),
        # Quadriceps: no hamstring credit (R10).
        _spec("back-squat", "back squat", "squat", _QG, ("adductors", "lower_back"), "barbell",
              (6, 8), 2, 2.5, 180, key_lift=True),
        _spec("leg-press", "leg press", "squat", _QG, ("adductors",), "plate_loaded_machine",
              (8, 12), 2, 10.0, 150, key_lift=True),
        _spec("front-squat", "front squat", "squat", _QG, ("adductors",), "barbell",
              (6, 8), 2, 2.5, 180, key_lift=True),
        _spec("hack-squat", "hack squat", "squat", _QG, ("adductors",), "plate_loaded_machine",
              (8, 12), 2, 10.0, 150, key_lift=True),
        _spec("goblet-squat", "goblet squat", "squat", _QG, ("adductors",), "dumbbell",
              (8, 12), 2, 2.0, 90),
        _spec("leg-extension", "leg extension", "knee_extension", (QUADRICEPS,), (), "machine_stack",
              (12, 15), 0, 5.0, 90),
        _spec("bulgarian-split-squat", "Bulgarian split squat", "lunge", _QG, ("adductors",), "dumbbell_pair",
              (8, 10), 2, 4.0, 120, unilateral=True),
        _spec("walking-lunge", "walking lunge", "lunge", _QG, ("adductors",), "dumbbell_pair",
              (8, 12), 2, 4.0, 120),
        _spec("step-up", "step-up", "lunge", _QG, (), "dumbbell_pair",
              (8, 12), 2, 4.0, 90, unilateral=True),
        # The rest of a leg day.
        _spec("standing-calf-raise", "standing calf raise", "calf", ("calves",), (), "machine_stack",
              (12, 15), 0, 5.0, 60),
        _spec("seated-calf-raise", "seated calf raise", "calf", ("calves",), (), "machine_stack",
              (12, 15), 0, 5.0, 60),
        _spec("hip-adduction", "hip adduction", "hip_adduction", ("adductors",), (), "machine_stack",
              (12, 15), 0, 5.0, 60),
        _spec("hip-abduction", "hip abduction", "hip_abduction", ("abductors",), (), "machine_stack",
              (12, 15), 0, 5.0, 60),
        # Upper body and core, logged on the same days; credited, never read by a hamstring rule.
        _spec("bench-press", "bench press", "push", ("chest",), _PRESS, "barbell",
              (6, 8), 2, 2.5, 180),
        _spec("dumbbell-bench-press", "dumbbell bench press", "push", ("chest",), _PRESS, "dumbbell_pair",
              (8, 10), 2, 4.0, 150),
        _spec("incline-dumbbell-press", "incline dumbbell press", "push", ("chest",), _PRESS, "dumbbell_pair",
              (8, 10), 2, 4.0, 120),
        _spec("overhead-press", "overhead press", "push", ("shoulders",), ("triceps",), "barbell",
              (6, 8), 2, 2.5, 150),
        _spec("dumbbell-shoulder-press", "dumbbell shoulder press", "push", ("shoulders",), ("triceps",),
              "dumbbell_pair", (8, 10), 2, 4.0, 120),
        _spec("push-up", "push-up", "push", ("chest",), _PRESS, "weighted_bodyweight",
              (10, 20), 2, 2.5, 90),
        _spec("dip", "dip", "push", ("chest", "triceps"), ("shoulders",), "assisted_bodyweight",
              (6, 10), 1, 5.0, 120),
        _spec("triceps-pushdown", "triceps pushdown", "push", ("triceps",), (), "machine_stack",
              (12, 15), 0, 5.0, 60),
        _spec("overhead-triceps-extension", "overhead triceps extension", "push", ("triceps",), (), "dumbbell",
              (10, 12), 1, 2.0, 60),
        _spec("barbell-row", "barbell row", "pull", ("back",), ("biceps", "lower_back"), "barbell",
              (6, 8), 2, 2.5, 150),
        _spec("dumbbell-row", "one-arm dumbbell row", "pull", ("back",), ("biceps",), "dumbbell",
              (8, 12), 2, 2.0, 90, unilateral=True),
        _spec("seated-cable-row", "seated cable row", "pull", ("back",), ("biceps",), "machine_stack",
              (10, 12), 1, 5.0, 120),
        _spec("lat-pulldown", "lat pulldown", "pull", ("back",), ("biceps",), "machine_stack",
              (10, 12), 1, 5.0, 120),
        _spec("pull-up", "pull-up", "pull", ("back",), ("biceps",), "assisted_bodyweight",
              (6, 10), 1, 5.0, 150),
        _spec("chin-up", "chin-up", "pull", ("back", "biceps"), (), "assisted_bodyweight",
              (6, 10), 1, 5.0, 150),
        _spec("face-pull", "face pull", "pull", ("shoulders",), ("back",), "machine_stack",
              (12, 15), 1, 5.0, 60),
        _spec("barbell-curl", "barbell curl", "pull", ("biceps",), (), "barbell",
              (8, 12), 1, 2.5, 90),
        _spec("dumbbell-curl", "dumbbell curl", "pull", ("biceps",), (), "dumbbell_pair",
              (8, 12), 1, 4.0, 90),
        _spec("lateral-raise", "lateral raise", "other", ("shoulders",), (), "dumbbell_pair",
              (12, 15), 1, 4.0, 60),
        # Time-based: `reps` is the seconds held (§0.1), so it has no e1RM (bodyweight, §1.5).
        _spec("plank", "plank", "core", ("abs",), (), "weighted_bodyweight",
              (30, 60), 1, 2.5, 60),
    )
}
# fmt: on

# Ties between exercises are broken in catalog order: hamstrings first.
CATALOG_ORDER: Mapping[str, int] = {exercise_id: position for position, exercise_id in enumerate(CATALOG)}
