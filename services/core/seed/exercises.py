"""The v1 exercise catalog (training-rules.md §0) with its coaching content.

Numbers follow §0: rep ranges, target RIR and steps are the progression defaults, and muscle
lists drive muscle credit (§1.4), so they must match the table exactly.
"""

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

# The prescribed negative for every hip_hinge and knee_flexion exercise, Nordic included (§2, §2.4).
ECCENTRIC_S = 3.0


@dataclass(frozen=True, slots=True)
class ExerciseSeed:
    """One catalog row plus the coaching text the app shows with it.

    `load_kg` conventions are §0's: two-dumbbell loads are the sum of both bells, and for
    `glute-ham-raise` and `nordic-curl` band or machine help is logged as `assistance_kg`.

    `long_length` means the exercise loads the hamstrings with the hip flexed, which lengthens
    them at the hip; training in that position grew them more than training with the hip
    extended (R1: seated vs lying curl). It is only ever true for hamstring exercises.

    `regressions` and `progressions` hold references of two forms:
    - a catalog slug (`"nordic-curl"`): switch to that exercise;
    - `"<slug>:<variant>"` (`"glute-ham-raise:band-assisted"`): the same catalog exercise done a
      named way and logged under `<slug>`, e.g. with `assistance_kg` or a shorter range. The
      part before the colon is always a catalog slug.
    Each tuple is ordered nearest step first.
    """

    id: str
    name: str
    pattern: Pattern
    primary_muscles: tuple[Muscle, ...]
    secondary_muscles: tuple[Muscle, ...]
    equipment: Equipment
    unilateral: bool
    rep_min: int
    rep_max: int
    target_rir: int
    to_failure: bool
    eccentric_s: float | None
    increment_kg: float
    rest_s: int
    long_length: bool
    key_lift: bool
    cues: tuple[str, ...]
    mistakes: tuple[str, ...]
    regressions: tuple[str, ...]
    progressions: tuple[str, ...]
    description: str


EXERCISES: tuple[ExerciseSeed, ...] = (
    ExerciseSeed(
        id="romanian-deadlift",
        name="Romanian deadlift",
        pattern="hip_hinge",
        primary_muscles=("hamstrings", "glutes"),
        secondary_muscles=("lower_back",),
        equipment="barbell",
        unilateral=False,
        rep_min=6,
        rep_max=8,
        target_rir=2,
        to_failure=False,
        eccentric_s=ECCENTRIC_S,
        increment_kg=2.5,
        rest_s=180,
        long_length=True,
        key_lift=True,
        cues=(
            "Start standing tall with the bar at your thighs; unlock the knees slightly and keep "
            "that bend the whole set.",
            "Push your hips back, like closing a car door with your backside.",
            "Keep the bar close: let it slide down your thighs and shins.",
            "Keep a neutral spine: chest proud, lats tight, eyes on the floor a few metres ahead.",
            "Take 3 seconds on the way down and stop when your hips stop moving back, usually "
            "just below the knees.",
            "Stand up by driving the hips forward and squeezing the glutes.",
        ),
        mistakes=(
            "Bending the knees more as you go down, which turns the lift into a squat or a "
            "deadlift and takes the stretch off the hamstrings.",
            "Rounding the lower back to get the bar lower.",
            "Going deeper after the hips have stopped moving back.",
            "Letting the bar drift away from the legs, which loads the lower back.",
            "Dropping into the bottom instead of lowering for 3 seconds.",
            "Leaning back at the top instead of finishing with the glutes.",
        ),
        regressions=("dumbbell-romanian-deadlift", "back-extension-45"),
        progressions=("single-leg-romanian-deadlift",),
        description="A hip hinge with a barbell that loads the hamstrings under stretch. It is the "
        "heavy hamstring lift of most Posterior programs.",
    ),
    ExerciseSeed(
        id="dumbbell-romanian-deadlift",
        name="Dumbbell Romanian deadlift",
        pattern="hip_hinge",
        primary_muscles=("hamstrings", "glutes"),
        secondary_muscles=("lower_back",),
        equipment="dumbbell_pair",
        unilateral=False,
        rep_min=8,
        rep_max=10,
        target_rir=2,
        to_failure=False,
        eccentric_s=ECCENTRIC_S,
        increment_kg=4.0,
        rest_s=150,
        long_length=True,
        key_lift=True,
        cues=(
            "Hold a dumbbell in each hand in front of your thighs, palms facing you.",
            "Soft knees; push your hips back like closing a car door with your backside.",
            "Keep the dumbbells close and let them run down the front of your legs.",
            "Neutral spine from head to hips.",
            "Lower for 3 seconds and stop when your hips stop moving back.",
            "Drive your hips forward to stand up.",
        ),
        mistakes=(
            "Letting the dumbbells hang away from the legs.",
            "Rounding the back to touch the dumbbells to the floor.",
            "Squatting down instead of hinging back.",
            "Rushing the lowering phase.",
        ),
        regressions=("back-extension-45",),
        progressions=("romanian-deadlift", "single-leg-romanian-deadlift"),
        description="The Romanian deadlift with two dumbbells: easier to learn and to set up than "
        "the barbell, with the same hinge.",
    ),
    ExerciseSeed(
        id="single-leg-romanian-deadlift",
        name="Single-leg Romanian deadlift",
        pattern="hip_hinge",
        primary_muscles=("hamstrings", "glutes"),
        secondary_muscles=("lower_back",),
        equipment="dumbbell",
        unilateral=True,
        rep_min=8,
        rep_max=10,
        target_rir=2,
        to_failure=False,
        eccentric_s=ECCENTRIC_S,
        increment_kg=2.0,
        rest_s=120,
        long_length=True,
        key_lift=False,
        cues=(
            "Hold one dumbbell in the hand opposite the standing leg.",
            "Keep a slight bend in the standing knee.",
            "Tip forward like a see-saw: the free leg rises behind you in line with your torso.",
            "Keep your hips square to the floor: point the back toes down.",
            "Lower for 3 seconds and stop when your hips stop moving back.",
            "Touch a rack or wall with your free hand if you wobble; balance is not the point.",
            "Log each side separately, starting with the weaker one.",
        ),
        mistakes=(
            "Opening the hips toward the ceiling on the free-leg side.",
            "Locking the standing knee straight.",
            "Rounding the back to reach the floor.",
            "Rushing the descent to keep balance.",
        ),
        regressions=(
            "single-leg-romanian-deadlift:kickstand",
            "dumbbell-romanian-deadlift",
            "romanian-deadlift",
        ),
        progressions=(),
        description="A one-leg hinge with a dumbbell. It trains each side on its own, which "
        "shows and evens out left/right differences.",
    ),
    ExerciseSeed(
        id="back-extension-45",
        name="45° back extension",
        pattern="hip_hinge",
        primary_muscles=("hamstrings", "glutes"),
        secondary_muscles=("lower_back",),
        equipment="weighted_bodyweight",
        unilateral=False,
        rep_min=10,
        rep_max=15,
        target_rir=1,
        to_failure=False,
        eccentric_s=ECCENTRIC_S,
        increment_kg=2.5,
        rest_s=120,
        # The hip folds to about 90° over the pad with the knees straight: a hamstring stretch.
        long_length=True,
        key_lift=False,
        cues=(
            "Set the pad just below the hip crease so your hips can fold over it.",
            "Hinge at the hips, not at the waist: keep your spine neutral.",
            "Lower for 3 seconds until you feel a stretch in the hamstrings.",
            "Rise until your body is in a straight line and squeeze your glutes.",
            "Hold a plate or dumbbell at your chest to add load; log only that added load.",
        ),
        mistakes=(
            "Setting the pad on the belly, which blocks the hinge so the lower back does the work.",
            "Rounding and unrounding the spine instead of moving at the hips.",
            "Arching past a straight line at the top.",
            "Swinging up with momentum.",
        ),
        regressions=("back-extension-45:partial-range",),
        progressions=("back-extension-45:single-leg", "romanian-deadlift"),
        description="A hip hinge on a 45° bench with bodyweight or a held plate. It is easy on the "
        "lower back and good for hinge volume.",
    ),
    ExerciseSeed(
        id="glute-ham-raise",
        name="Glute-ham raise",
        pattern="knee_flexion",
        primary_muscles=("hamstrings",),
        secondary_muscles=("glutes",),
        equipment="assisted_bodyweight",
        unilateral=False,
        rep_min=5,
        rep_max=8,
        target_rir=1,
        to_failure=False,
        eccentric_s=ECCENTRIC_S,
        # The step is the assistance taken away (§2.1), not load added.
        increment_kg=5.0,
        rest_s=120,
        # The hips stay extended, the lying-curl position R1 found less effective, so it gets no
        # long-length credit even though the knees straighten fully under load.
        long_length=False,
        key_lift=False,
        cues=(
            "Set the foot plate so your knees sit just behind the pad.",
            "Lock your hips forward: a straight line from knees to shoulders the whole rep.",
            "Lower for 3 seconds by straightening the knees.",
            "Pull yourself back up with your hamstrings, pressing your toes into the foot plate.",
            "Use a band or push a PVC pipe against the floor for help; log the help as assistance.",
        ),
        mistakes=(
            "Bending at the hips, which turns the rep into a back extension.",
            "Dropping fast and bouncing out of the bottom.",
            "Pushing with the hands or pipe harder than you need to.",
        ),
        regressions=("glute-ham-raise:band-assisted",),
        progressions=("nordic-curl",),
        description="A bodyweight knee curl on a glute-ham bench, with the hips locked straight. "
        "Band assistance makes it possible from day one and comes off 5 kg at a time.",
    ),
    ExerciseSeed(
        id="nordic-curl",
        name="Nordic curl",
        pattern="knee_flexion",
        primary_muscles=("hamstrings",),
        secondary_muscles=(),
        equipment="assisted_bodyweight",
        unilateral=False,
        rep_min=4,
        rep_max=6,
        target_rir=1,
        to_failure=False,
        # The starting eccentric target; §2.4 lengthens it a second at a time up to 6 s.
        eccentric_s=ECCENTRIC_S,
        # Assistance taken away once the 6 s eccentric is reached (§2.4).
        increment_kg=5.0,
        rest_s=120,
        # Same call as the glute-ham raise: the hips stay extended, so no long-length credit.
        long_length=False,
        key_lift=False,
        cues=(
            "Kneel on a pad with your ankles held by a partner, a strap or a bench.",
            "Keep your hips extended: a straight line from knees to shoulders.",
            "Lower yourself as slowly as possible and fight the fall the whole way.",
            "Catch yourself with your hands when you can't hold it, then push back up gently.",
            "A band anchored behind you makes it easier; log its help as assistance.",
        ),
        mistakes=(
            "Bending at the hips to shorten the lever.",
            "Giving up halfway and falling to the floor.",
            "Starting with a lot of sets: new Nordic work makes the hamstrings very sore.",
        ),
        regressions=("nordic-curl:band-assisted", "glute-ham-raise"),
        progressions=("nordic-curl:weighted",),
        description="A kneeling hamstring exercise done as a slow lowering. Programmes that "
        "include it cut hamstring injuries in sprinting and jumping athletes.",
    ),
    ExerciseSeed(
        id="seated-leg-curl",
        name="Seated leg curl",
        pattern="knee_flexion",
        primary_muscles=("hamstrings",),
        secondary_muscles=(),
        equipment="machine_stack",
        unilateral=False,
        rep_min=12,
        rep_max=15,
        target_rir=0,
        to_failure=True,
        eccentric_s=ECCENTRIC_S,
        increment_kg=5.0,
        rest_s=90,
        long_length=True,
        key_lift=False,
        cues=(
            "Set the backrest so your knees line up with the machine's pivot.",
            "Lock the thigh pad down firmly just above your knees.",
            "Sit tall or lean slightly forward: the bent hip stretches the hamstrings.",
            "Curl until the pad is under the seat, with no momentum.",
            "Control the negative for 3 seconds back to straight legs.",
        ),
        mistakes=(
            "A loose thigh pad that lets your hips lift off the seat.",
            "Swinging the weight up.",
            "Stopping short of straight legs, which skips the stretched position.",
            "Letting the stack drop on the way back.",
        ),
        # For a sore or recently strained hamstring the lying curl loads a shorter muscle.
        regressions=("lying-leg-curl",),
        progressions=("single-leg-curl", "glute-ham-raise"),
        description="A machine knee curl done seated. The bent hip keeps the hamstrings long, and "
        "it grew them more than the lying curl over 12 weeks.",
    ),
    ExerciseSeed(
        id="lying-leg-curl",
        name="Lying leg curl",
        pattern="knee_flexion",
        primary_muscles=("hamstrings",),
        secondary_muscles=(),
        equipment="machine_stack",
        unilateral=False,
        rep_min=12,
        rep_max=15,
        target_rir=0,
        to_failure=True,
        eccentric_s=ECCENTRIC_S,
        increment_kg=5.0,
        rest_s=90,
        # Lying face down keeps the hip extended, so the hamstrings work at a shorter length.
        long_length=False,
        key_lift=False,
        cues=(
            "Lie face down with your knees just off the end of the bench, in line with the pivot.",
            "Keep your hips pressed into the pad.",
            "Curl the pad toward your glutes with no momentum.",
            "Control the negative for 3 seconds back to straight legs.",
        ),
        mistakes=(
            "Lifting the hips off the pad to finish the rep.",
            "Jerking the weight up.",
            "Stopping short of straight legs.",
            "Letting the stack slam between reps.",
        ),
        regressions=(),
        progressions=("seated-leg-curl", "glute-ham-raise"),
        description="A machine knee curl done face down. Use it when no seated curl is "
        "available, or to vary the knee-flexion work.",
    ),
    ExerciseSeed(
        id="single-leg-curl",
        name="Single-leg curl",
        pattern="knee_flexion",
        primary_muscles=("hamstrings",),
        secondary_muscles=(),
        equipment="machine_stack",
        unilateral=True,
        rep_min=12,
        rep_max=15,
        target_rir=0,
        to_failure=True,
        eccentric_s=ECCENTRIC_S,
        increment_kg=2.5,
        rest_s=90,
        # Done on a lying or standing machine: hip extended, as in the lying curl.
        long_length=False,
        key_lift=False,
        cues=(
            "Start with the weaker leg and match its reps on the stronger one.",
            "Keep your hips square and still.",
            "Curl with no momentum and control the negative for 3 seconds.",
            "Log each side separately.",
        ),
        mistakes=(
            "Twisting the hips to help the curl.",
            "Doing extra reps on the stronger side.",
            "Dropping the negative.",
        ),
        regressions=("seated-leg-curl", "lying-leg-curl"),
        progressions=(),
        description="A machine knee curl one leg at a time, for finding and evening out a "
        "left/right difference.",
    ),
    ExerciseSeed(
        id="back-squat",
        name="Back squat",
        pattern="squat",
        primary_muscles=("quadriceps", "glutes"),
        secondary_muscles=("adductors", "lower_back"),
        equipment="barbell",
        unilateral=False,
        rep_min=6,
        rep_max=8,
        target_rir=2,
        to_failure=False,
        eccentric_s=None,
        increment_kg=2.5,
        rest_s=180,
        long_length=False,
        key_lift=True,
        cues=(
            "Bar on your upper back, hands tight, elbows under the bar.",
            "Breathe in and brace your trunk before each rep.",
            "Feet about shoulder width, toes turned slightly out.",
            "Sit down between your heels with knees tracking over your toes.",
            "Go to at least parallel if you can keep your back neutral.",
            "Stand up with chest and hips rising together.",
        ),
        mistakes=(
            "Knees caving inward on the way up.",
            "Heels lifting off the floor.",
            "Hips shooting up first, which turns the squat into a good morning.",
            "Losing the brace at the bottom.",
        ),
        regressions=("back-squat:box", "leg-press"),
        progressions=("back-squat:paused",),
        description="The barbell squat, the main quadriceps lift. It does not train the "
        "hamstrings, so pair it with hinges and curls.",
    ),
    ExerciseSeed(
        id="leg-press",
        name="Leg press",
        pattern="squat",
        primary_muscles=("quadriceps", "glutes"),
        secondary_muscles=("adductors",),
        equipment="plate_loaded_machine",
        unilateral=False,
        rep_min=8,
        rep_max=12,
        target_rir=2,
        to_failure=False,
        eccentric_s=None,
        increment_kg=10.0,
        rest_s=150,
        long_length=False,
        key_lift=True,
        cues=(
            "Feet in the middle of the platform, about hip width apart.",
            "Lower until your knees come toward your chest while your lower back stays on the pad.",
            "Push through your whole foot.",
            "Stop just short of locking your knees at the top.",
        ),
        mistakes=(
            "Letting the lower back and tailbone roll off the pad at the bottom.",
            "Snapping the knees into lockout.",
            "Half reps with a heavy load.",
            "Knees caving inward.",
        ),
        regressions=(),
        progressions=("leg-press:single-leg", "back-squat"),
        description="A machine squat that loads the quadriceps without balancing a bar. Like the "
        "squat, it does not train the hamstrings.",
    ),
    ExerciseSeed(
        id="leg-extension",
        name="Leg extension",
        pattern="knee_extension",
        primary_muscles=("quadriceps",),
        secondary_muscles=(),
        equipment="machine_stack",
        unilateral=False,
        rep_min=12,
        rep_max=15,
        target_rir=0,
        to_failure=True,
        eccentric_s=None,
        increment_kg=5.0,
        rest_s=90,
        long_length=False,
        key_lift=False,
        cues=(
            "Line your knees up with the machine's pivot; the shin pad sits just above the ankles.",
            "Hold the handles and keep your hips down on the seat.",
            "Straighten your legs fully and pause for a moment at the top.",
            "Lower under control.",
        ),
        mistakes=(
            "Kicking the weight up with momentum.",
            "Hips lifting off the seat.",
            "Cutting the range short at either end.",
        ),
        regressions=(),
        progressions=(),
        description="A machine knee extension that isolates the quadriceps. Its strength, next "
        "to the leg curl's, feeds the curl-to-extension comparison.",
    ),
    ExerciseSeed(
        id="bulgarian-split-squat",
        name="Bulgarian split squat",
        pattern="lunge",
        primary_muscles=("quadriceps", "glutes"),
        secondary_muscles=("adductors",),
        equipment="dumbbell_pair",
        unilateral=True,
        rep_min=8,
        rep_max=10,
        target_rir=2,
        to_failure=False,
        eccentric_s=None,
        increment_kg=4.0,
        rest_s=120,
        long_length=False,
        key_lift=False,
        cues=(
            "Rear foot laces-down on a bench; front foot far enough forward to drop straight down.",
            "Keep most of your weight on the front foot.",
            "Lower until the rear knee nearly touches the floor.",
            "A slight forward lean is fine; the front knee tracks over the toes.",
            "Do the weaker leg first and log each side separately.",
        ),
        mistakes=(
            "Front foot too close to the bench, so the front heel lifts.",
            "Pushing off the back leg.",
            "Front knee caving inward.",
            "Bouncing out of the bottom.",
        ),
        regressions=("bulgarian-split-squat:rear-foot-on-floor", "leg-press"),
        progressions=("bulgarian-split-squat:front-foot-elevated",),
        description="A one-leg squat with the rear foot on a bench. It trains the quadriceps and "
        "glutes of each leg on its own, not the hamstrings.",
    ),
)
