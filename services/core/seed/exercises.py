"""The exercise catalog's coaching content: what the app shows with each exercise.

Every number (pattern, muscles and their credit, equipment, rep range, RIR, steps, rest, long
length, key lift) comes from the training engine's table, `services/training/catalog.py`, the one
source of what the engine computes; a row here adds only text. `EXERCISES` joins the two into the
catalog rows that `migrate` seeds and the API serves.
"""

from dataclasses import dataclass

from services.training.catalog import CATALOG, Equipment, ExerciseSpec, Muscle, Pattern


@dataclass(frozen=True, slots=True)
class Coaching:
    """The text of one exercise.

    `regressions` and `progressions` hold references of two forms:
    - a catalog slug (`"nordic-curl"`): switch to that exercise;
    - `"<slug>:<variant>"` (`"glute-ham-raise:band-assisted"`): the same catalog exercise done a
      named way and logged under `<slug>`, e.g. with `assistance_kg` or a shorter range. The
      part before the colon is always a catalog slug.
    Each tuple is ordered nearest step first.
    """

    id: str
    cues: tuple[str, ...]
    mistakes: tuple[str, ...]
    regressions: tuple[str, ...]
    progressions: tuple[str, ...]
    description: str


@dataclass(frozen=True, slots=True)
class ExerciseSeed:
    """One catalog row: the engine's numbers and the coaching text, as stored and served.

    `load_kg` conventions are §0's: two-dumbbell loads are the sum of both bells, and for
    `glute-ham-raise` and `nordic-curl` band or machine help is logged as `assistance_kg`.
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


COACHING: tuple[Coaching, ...] = (
    Coaching(
        id="romanian-deadlift",
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
    Coaching(
        id="dumbbell-romanian-deadlift",
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
    Coaching(
        id="single-leg-romanian-deadlift",
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
    Coaching(
        id="back-extension-45",
        # The hip folds to about 90° over the pad with the knees straight: a hamstring stretch.
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
    Coaching(
        id="glute-ham-raise",
        # The step is the assistance taken away (§2.1), not load added.
        # The hips stay extended, the lying-curl position R1 found less effective, so it gets no
        # long-length credit even though the knees straighten fully under load.
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
    Coaching(
        id="nordic-curl",
        # The starting eccentric target; §2.4 lengthens it a second at a time up to 6 s.
        # Assistance taken away once the 6 s eccentric is reached (§2.4).
        # Same call as the glute-ham raise: the hips stay extended, so no long-length credit.
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
    Coaching(
        id="seated-leg-curl",
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
    Coaching(
        id="lying-leg-curl",
        # Lying face down keeps the hip extended, so the hamstrings work at a shorter length.
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
    Coaching(
        id="single-leg-curl",
        # Done on a lying or standing machine: hip extended, as in the lying curl.
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
    Coaching(
        id="back-squat",
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
    Coaching(
        id="leg-press",
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
    Coaching(
        id="leg-extension",
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
    Coaching(
        id="bulgarian-split-squat",
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


def _row(spec: ExerciseSpec, text: Coaching) -> ExerciseSeed:
    return ExerciseSeed(
        id=spec.id,
        name=spec.title,
        pattern=spec.pattern,
        primary_muscles=spec.primary,
        secondary_muscles=spec.secondary,
        equipment=spec.equipment,
        unilateral=spec.unilateral,
        rep_min=spec.rep_min,
        rep_max=spec.rep_max,
        target_rir=spec.target_rir,
        to_failure=spec.to_failure,
        eccentric_s=spec.eccentric_s,
        increment_kg=spec.step_kg,
        rest_s=spec.rest_s,
        long_length=spec.long_length,
        key_lift=spec.key_lift,
        cues=text.cues,
        mistakes=text.mistakes,
        regressions=text.regressions,
        progressions=text.progressions,
        description=text.description,
    )


_TEXT = {text.id: text for text in COACHING}
# In the engine's order (hamstrings first); a catalog exercise without coaching fails here, at import.
EXERCISES: tuple[ExerciseSeed, ...] = tuple(_row(spec, _TEXT[spec.id]) for spec in CATALOG.values())
