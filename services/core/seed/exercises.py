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

    `load_kg` and `reps` conventions are §0.1's: two-dumbbell loads are the sum of both bells, for
    assisted bodyweight exercises band or machine help is logged as `assistance_kg`, and a plank's
    `reps` are the seconds held.
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
            "Your hands are hooks: the hips do the work.",
        ),
        mistakes=(
            "Felt in the lower back → you are bending at the waist: stop when the hips stop moving back.",
            "Bending the knees more as you go down, which turns the lift into a squat or a "
            "deadlift and takes the stretch off the hamstrings.",
            "Rounding the lower back to get the bar lower.",
            "Going deeper after the hips have stopped moving back.",
            "Letting the bar drift away from the legs, which loads the lower back.",
            "Dropping into the bottom instead of lowering for 3 seconds.",
            "Leaning back at the top instead of finishing with the glutes.",
        ),
        regressions=("dumbbell-romanian-deadlift", "back-extension-45"),
        progressions=("single-leg-romanian-deadlift", "stiff-leg-deadlift"),
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
            "Hamstring-biased variant: set the pad lower so your hips sit at its edge, round your "
            "upper back and keep it rounded, and move only at the hips.",
        ),
        mistakes=(
            "Setting the pad on the belly, which blocks the hinge so the lower back does the work.",
            "Rounding and unrounding the spine instead of moving at the hips.",
            "Arching past a straight line at the top.",
            "Swinging up with momentum.",
        ),
        regressions=("back-extension-45:partial-range",),
        progressions=(
            "back-extension-45:hamstring-biased",
            "back-extension-45:single-leg",
            "romanian-deadlift",
        ),
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
            "Lower until your body is parallel to the floor.",
            "Pull yourself back up with your hamstrings, pressing your toes into the foot plate.",
            "Cramping at first is normal.",
            "Use a band or push a PVC pipe against the floor for help; log the help as assistance.",
        ),
        mistakes=(
            "Bending at the hips, which turns the rep into a back extension.",
            "Dropping fast and bouncing out of the bottom.",
            "Pushing with the hands or pipe harder than you need to.",
        ),
        regressions=("glute-ham-raise:band-assisted", "sliding-leg-curl"),
        progressions=("razor-curl", "nordic-curl"),
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
        regressions=("nordic-curl:band-assisted", "razor-curl", "glute-ham-raise"),
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
            "Drive your heels toward your glutes.",
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
            "If your hips leave the pad, the weight is too heavy: drop it.",
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
    Coaching(
        id="stiff-leg-deadlift",
        cues=(
            "Start with the bar on the floor over your midfoot and your knees almost straight.",
            "Push your hips back to reach the bar, keeping the back flat; bend the knees only as "
            "much as you need to grip it.",
            "Stand up by driving the hips forward, bar close to the legs.",
            "Lower for 3 seconds back to the floor, hips moving back the whole way.",
        ),
        mistakes=(
            "Rounding the lower back to reach the floor: if you can't reach it flat, pull from blocks.",
            "Bending the knees into a conventional deadlift.",
            "Letting the bar swing away from the legs.",
            "Bouncing the plates off the floor.",
        ),
        regressions=("romanian-deadlift",),
        progressions=("good-morning",),
        description="A hinge from the floor with nearly straight knees: a longer hamstring stretch "
        "than the Romanian deadlift, which stops where the hips stop moving back.",
    ),
    Coaching(
        id="good-morning",
        cues=(
            "Bar on your upper back as for a squat, feet hip width, knees soft.",
            "Brace, then push your hips back and let your chest tip forward.",
            "Lower for 3 seconds until your torso is nearly parallel to the floor or your hips stop "
            "moving back.",
            "Drive the hips forward to stand; the bar travels over your midfoot.",
        ),
        mistakes=(
            "Rounding the lower back at the bottom.",
            "Bending the knees into a squat.",
            "Going heavy before the hinge is solid: start with an empty bar.",
        ),
        regressions=("good-morning:dowel", "romanian-deadlift"),
        progressions=(),
        description="A barbell hinge with the bar on your back. The long lever keeps loads light and "
        "puts the hamstrings under stretch.",
    ),
    Coaching(
        id="conventional-deadlift",
        cues=(
            "Bar over your midfoot, shins close, hands just outside the knees.",
            "Pull the slack out of the bar and set your back flat before it leaves the floor.",
            "Push the floor away, then drive the hips through to stand tall.",
            "Lower under control by pushing the hips back first, then bending the knees once the bar "
            "passes them.",
        ),
        mistakes=(
            "Hips shooting up first, which leaves the back to lift the bar.",
            "Rounding the lower back off the floor.",
            "Leaning back at the top.",
            "Jerking the bar off the floor.",
        ),
        regressions=("trap-bar-deadlift", "romanian-deadlift"),
        progressions=("conventional-deadlift:paused",),
        description="The barbell deadlift from the floor. More knee bend than the Romanian deadlift, "
        "so the quadriceps help and the hamstrings are stretched less.",
    ),
    Coaching(
        id="trap-bar-deadlift",
        cues=(
            "Stand in the middle of the bar, handles in line with your ankles.",
            "Sit the hips down and back until you can grip the handles with a flat back.",
            "Push the floor away and stand tall, hips and shoulders rising together.",
            "Lower under control along the same path.",
        ),
        mistakes=(
            "Squatting too low, which turns it into a squat.",
            "Rounding the back to reach the handles.",
            "Standing off-centre so the bar tips.",
        ),
        regressions=("trap-bar-deadlift:high-handles",),
        progressions=("conventional-deadlift",),
        description="A deadlift inside a hexagonal bar. It is easier to learn than the barbell "
        "deadlift and works the quadriceps more and the hamstrings less.",
    ),
    Coaching(
        id="reverse-hyperextension",
        cues=(
            "Lie face down with your hips at the edge of the pad and hold the handles.",
            "Let your legs hang straight down, knees straight.",
            "Raise your legs by squeezing the glutes until they are level with your body.",
            "Lower for 3 seconds back to hanging.",
        ),
        mistakes=(
            "Swinging the pendulum so momentum does the work.",
            "Arching the lower back past level at the top.",
            "Bending the knees.",
        ),
        regressions=("reverse-hyperextension:bodyweight",),
        progressions=("back-extension-45",),
        description="A hip extension in which the legs move and the torso stays on the pad. It works "
        "the glutes and hamstrings with little load on the spine.",
    ),
    Coaching(
        id="cable-pull-through",
        cues=(
            "Face away from a low cable with a rope between your legs.",
            "Walk forward until the stack lifts, feet shoulder width, knees soft.",
            "Push your hips back and let the rope pull your hands between your legs.",
            "Drive the hips forward to stand tall and squeeze the glutes.",
            "Take 3 seconds on the way back.",
        ),
        mistakes=(
            "Squatting down instead of hinging back.",
            "Pulling with the arms.",
            "Leaning back at the top.",
        ),
        regressions=(),
        progressions=("romanian-deadlift",),
        description="A cable hinge that teaches the hips-back pattern with a light, steady load.",
    ),
    Coaching(
        id="kettlebell-swing",
        # Ballistic: the bell falls, it is not lowered, so no 3 s negative is prescribed.
        cues=(
            "Feet a little wider than the hips, bell a foot in front of you.",
            "Hike the bell back between your thighs by pushing your hips back.",
            "Snap the hips forward to float the bell to chest height; the arms only guide it.",
            "Stand tall and brace at the top, then hinge again as the bell falls.",
        ),
        mistakes=(
            "Squatting the swing instead of hinging.",
            "Lifting the bell with the arms or shoulders.",
            "Leaning back at the top.",
            "Rounding the back as the bell passes between the legs.",
        ),
        regressions=("romanian-deadlift", "cable-pull-through"),
        progressions=("kettlebell-swing:single-arm",),
        description="A fast hip hinge that throws a kettlebell with the glutes and hamstrings. It "
        "trains power, not the slow stretched negative of the Romanian deadlift.",
    ),
    Coaching(
        id="razor-curl",
        # Assistance is taken off 5 kg at a time like the glute-ham raise (§2.1).
        cues=(
            "Kneel with your ankles anchored, as for a Nordic curl.",
            "Lower forward while letting the hips bend, until your torso is about level with the floor.",
            "Curl back up with your hamstrings, straightening the hips at the top.",
            "Lower for 3 seconds; log band help as assistance.",
        ),
        mistakes=(
            "Falling forward instead of lowering.",
            "Pushing off the floor with the hands.",
            "Keeping the hips so bent that the knees barely move.",
        ),
        regressions=("glute-ham-raise",),
        progressions=("nordic-curl",),
        description="A kneeling bodyweight curl that bends at the hips on the way down. Easier than "
        "the Nordic curl, it is the step between the glute-ham raise and the Nordic.",
    ),
    Coaching(
        id="sliding-leg-curl",
        cues=(
            "Lie on your back with your heels on sliders or a towel on a smooth floor.",
            "Lift your hips into a bridge and keep them up the whole set.",
            "Slide your heels out for 3 seconds until your legs are nearly straight.",
            "Curl your heels back toward your glutes.",
        ),
        mistakes=(
            "Letting the hips drop as the legs straighten.",
            "Sliding out fast and losing control.",
            "Pushing with the hands.",
        ),
        regressions=("sliding-leg-curl:eccentric-only",),
        progressions=("sliding-leg-curl:single-leg", "glute-ham-raise"),
        description="A bodyweight hamstring curl on sliders: knee flexion with no machine.",
    ),
    Coaching(
        id="stability-ball-leg-curl",
        cues=(
            "Lie on your back with your heels on a stability ball.",
            "Lift your hips into a bridge and keep them up.",
            "Roll the ball in by curling your heels toward your glutes.",
            "Roll it back out for 3 seconds.",
        ),
        mistakes=(
            "Dropping the hips as the ball rolls in.",
            "Letting the ball wobble side to side.",
            "Rushing the way out.",
        ),
        regressions=(),
        progressions=("stability-ball-leg-curl:single-leg", "sliding-leg-curl"),
        description="A bodyweight hamstring curl on a ball, a good first knee-flexion exercise at home.",
    ),
    Coaching(
        id="hip-thrust",
        # Knees bent, hamstrings short: hip extension for the glutes, not a hamstring exercise (§0.2).
        cues=(
            "Upper back on a bench at the bottom of your shoulder blades, bar padded over your hips.",
            "Feet flat, about hip width, shins vertical at the top.",
            "Tuck your chin and ribs, then drive through your heels to lift the hips.",
            "Squeeze the glutes at the top until your body is flat from shoulders to knees.",
        ),
        mistakes=(
            "Arching the lower back to finish instead of the glutes.",
            "Feet too far out, which shifts the work to the hamstrings and cramps them.",
            "Cutting the range short at the bottom.",
        ),
        regressions=("glute-bridge",),
        progressions=("single-leg-hip-thrust",),
        description="A barbell hip extension with the knees bent. It is a glute exercise; with the "
        "knees bent the hamstrings work at a short length and it does not count as hamstring work.",
    ),
    Coaching(
        id="single-leg-hip-thrust",
        cues=(
            "Upper back on a bench, one foot flat, the other leg lifted.",
            "Drive through the heel of the working leg and keep the hips level.",
            "Squeeze at the top, lower under control.",
            "Do the weaker side first; rest a dumbbell on the working hip to add load.",
        ),
        mistakes=(
            "Letting the free-leg side of the pelvis drop.",
            "Arching the lower back at the top.",
            "Pushing off with the free leg.",
        ),
        regressions=("hip-thrust", "glute-bridge"),
        progressions=(),
        description="The hip thrust on one leg, for each glute on its own.",
    ),
    Coaching(
        id="glute-bridge",
        cues=(
            "Lie on your back, knees bent, feet flat near your glutes.",
            "Drive through your heels and lift your hips until your body is flat from shoulders to knees.",
            "Squeeze your glutes for a moment at the top.",
            "Rest a plate on your hips to add load; log only that load.",
        ),
        mistakes=(
            "Arching the lower back instead of squeezing the glutes.",
            "Pushing through the toes.",
            "Rushing the reps.",
        ),
        regressions=(),
        progressions=("hip-thrust", "single-leg-hip-thrust"),
        description="A hip thrust from the floor: the simplest glute exercise, with bodyweight or a plate.",
    ),
    Coaching(
        id="front-squat",
        cues=(
            "Bar on the front of your shoulders, elbows high.",
            "Brace and sit straight down between your heels.",
            "Keep your chest up and elbows high through the whole rep.",
            "Stand up with the torso upright.",
        ),
        mistakes=(
            "Elbows dropping so the bar rolls forward.",
            "Knees caving inward.",
            "Heels lifting.",
        ),
        regressions=("goblet-squat",),
        progressions=("front-squat:paused",),
        description="A barbell squat with the bar in front. It keeps the torso upright and trains "
        "the quadriceps; like every squat it does not train the hamstrings.",
    ),
    Coaching(
        id="hack-squat",
        cues=(
            "Back flat on the pad, shoulders under the pads, feet mid-platform.",
            "Lower until your thighs are at least parallel to the platform.",
            "Push through your whole foot, stopping short of locking the knees.",
        ),
        mistakes=(
            "Heels lifting off the platform.",
            "Half reps with a heavy load.",
            "Knees caving inward.",
        ),
        regressions=("leg-press",),
        progressions=(),
        description="A machine squat on a sled: heavy quadriceps work without balancing a bar.",
    ),
    Coaching(
        id="goblet-squat",
        cues=(
            "Hold one dumbbell upright against your chest.",
            "Sit down between your heels, elbows inside the knees.",
            "Keep your chest up and heels down.",
            "Stand up by pushing the floor away.",
        ),
        mistakes=(
            "Letting the dumbbell pull you forward.",
            "Knees caving inward.",
            "Heels lifting.",
        ),
        regressions=("goblet-squat:box",),
        progressions=("front-squat", "back-squat"),
        description="A squat holding one dumbbell at the chest: the easiest way to learn to squat.",
    ),
    Coaching(
        id="walking-lunge",
        cues=(
            "Hold a dumbbell in each hand and take a long step forward.",
            "Lower until the back knee nearly touches the floor.",
            "Push through the front foot and step straight into the next lunge.",
            "Count the reps of one leg: 10 means 10 steps with each leg.",
        ),
        mistakes=(
            "Steps so short that the front heel lifts.",
            "Front knee caving inward.",
            "Pushing off the back leg.",
        ),
        regressions=("walking-lunge:bodyweight", "bulgarian-split-squat:rear-foot-on-floor"),
        progressions=("bulgarian-split-squat",),
        description="Lunges stepping forward across the floor. They train the quadriceps and glutes "
        "of each leg, not the hamstrings.",
    ),
    Coaching(
        id="step-up",
        cues=(
            "Put your whole foot on a box at about knee height.",
            "Lean slightly forward and drive up through the front heel.",
            "Stand tall on the box, then step down under control with the same leg leading back.",
            "Do the weaker leg first and log each side separately.",
        ),
        mistakes=(
            "Pushing off the back foot on the floor.",
            "Front knee caving inward.",
            "Dropping down off the box.",
        ),
        regressions=("step-up:low-box",),
        progressions=("bulgarian-split-squat",),
        description="A one-leg step onto a box with dumbbells, for the quadriceps and glutes of each leg.",
    ),
    Coaching(
        id="standing-calf-raise",
        cues=(
            "Balls of the feet on the step, heels free, knees straight.",
            "Lower your heels as far as they go and pause in the stretch.",
            "Rise as high as you can onto your toes.",
        ),
        mistakes=(
            "Bouncing at the bottom.",
            "Bending the knees to help.",
            "Short, fast reps.",
        ),
        regressions=("standing-calf-raise:bodyweight",),
        progressions=("standing-calf-raise:single-leg",),
        description="A calf raise with straight knees, which works the whole calf.",
    ),
    Coaching(
        id="seated-calf-raise",
        cues=(
            "Knees under the pad, balls of the feet on the step.",
            "Lower your heels fully and pause in the stretch.",
            "Rise as high as you can.",
        ),
        mistakes=(
            "Bouncing at the bottom.",
            "Rocking the torso to move the weight.",
        ),
        regressions=(),
        progressions=("standing-calf-raise",),
        description="A calf raise with bent knees, which shifts the work to the deep calf muscle.",
    ),
    Coaching(
        id="hip-adduction",
        cues=(
            "Sit with the pads on the inside of your knees, legs as wide as is comfortable.",
            "Squeeze your legs together with no momentum.",
            "Let them open slowly back to the stretch.",
        ),
        mistakes=(
            "Snapping the pads together.",
            "Cutting the stretch short.",
        ),
        regressions=(),
        progressions=(),
        description="A machine for the inner thigh (adductors).",
    ),
    Coaching(
        id="hip-abduction",
        cues=(
            "Sit with the pads on the outside of your knees.",
            "Push your knees apart with no momentum.",
            "Return slowly.",
        ),
        mistakes=(
            "Rocking the torso to move the weight.",
            "Letting the stack slam between reps.",
        ),
        regressions=(),
        progressions=(),
        description="A machine for the outer hip (gluteus medius and minimus).",
    ),
    Coaching(
        id="bench-press",
        cues=(
            "Eyes under the bar, shoulder blades pulled back and down, feet planted.",
            "Grip a little wider than the shoulders, wrists stacked over the elbows.",
            "Lower the bar to your lower chest with the elbows at about 45°.",
            "Press back up and slightly back over the shoulders.",
        ),
        mistakes=(
            "Bouncing the bar off the chest.",
            "Elbows flared straight out.",
            "Hips lifting off the bench.",
        ),
        regressions=("dumbbell-bench-press", "push-up"),
        progressions=("bench-press:paused",),
        description="The barbell bench press, the main chest lift. Logged with your leg days, it "
        "counts toward chest volume and nothing in the hamstring rules.",
    ),
    Coaching(
        id="dumbbell-bench-press",
        cues=(
            "Lie back with a dumbbell over each shoulder, shoulder blades pulled back.",
            "Lower the dumbbells beside your chest, elbows at about 45°.",
            "Press up and slightly together.",
        ),
        mistakes=(
            "Dropping the dumbbells too low and losing the shoulder position.",
            "Clanging the bells together at the top.",
        ),
        regressions=("push-up",),
        progressions=("bench-press",),
        description="The bench press with two dumbbells: each arm works on its own.",
    ),
    Coaching(
        id="incline-dumbbell-press",
        cues=(
            "Set the bench to about 30°.",
            "Lower the dumbbells to your upper chest, elbows at about 45°.",
            "Press up over your shoulders.",
        ),
        mistakes=(
            "A bench so steep that it becomes a shoulder press.",
            "Arching off the bench.",
        ),
        regressions=("dumbbell-bench-press",),
        progressions=(),
        description="A dumbbell press on an inclined bench, for the upper chest.",
    ),
    Coaching(
        id="overhead-press",
        cues=(
            "Bar on the front of your shoulders, grip just outside them.",
            "Squeeze glutes and brace so the ribs stay down.",
            "Press straight up, moving your head back out of the way, then through under the bar.",
            "Finish with the bar over your midfoot, arms locked.",
        ),
        mistakes=(
            "Leaning back into a standing incline press.",
            "Pressing the bar forward around the face.",
        ),
        regressions=("dumbbell-shoulder-press",),
        progressions=(),
        description="The standing barbell press, for the shoulders.",
    ),
    Coaching(
        id="dumbbell-shoulder-press",
        cues=(
            "Sit or stand with a dumbbell at each shoulder.",
            "Press up until your arms are straight, bells over the shoulders.",
            "Lower under control to shoulder height.",
        ),
        mistakes=(
            "Arching the lower back to finish the press.",
            "Cutting the range short at the bottom.",
        ),
        regressions=(),
        progressions=("overhead-press",),
        description="The shoulder press with two dumbbells.",
    ),
    Coaching(
        id="push-up",
        cues=(
            "Hands a little wider than the shoulders, body straight from head to heels.",
            "Lower your chest to a fist's height from the floor, elbows at about 45°.",
            "Push the floor away to straight arms.",
            "Wear a weight vest or a plate on your back to add load; log only that load.",
        ),
        mistakes=(
            "Hips sagging or piking up.",
            "Half reps.",
            "Elbows flared straight out.",
        ),
        regressions=("push-up:hands-elevated",),
        progressions=("dumbbell-bench-press",),
        description="The bodyweight press, for the chest and triceps.",
    ),
    Coaching(
        id="dip",
        cues=(
            "Support yourself on straight arms between the bars.",
            "Lean slightly forward and lower until the shoulders are just below the elbows.",
            "Press back up to straight arms.",
            "Use the assisted machine or a band if you need help; log it as assistance.",
        ),
        mistakes=(
            "Dropping deeper than your shoulders allow.",
            "Shrugging the shoulders up to the ears.",
            "Swinging the legs.",
        ),
        regressions=("dip:bench",),
        progressions=("dip:weighted",),
        description="A bodyweight press between parallel bars, for the chest and triceps. Assistance "
        "comes off 5 kg at a time, then load goes on.",
    ),
    Coaching(
        id="triceps-pushdown",
        cues=(
            "Stand at a high cable with a rope or bar, elbows pinned to your sides.",
            "Push down until your arms are straight.",
            "Let your forearms rise slowly back up.",
        ),
        mistakes=(
            "Elbows drifting forward.",
            "Leaning over the handle to push with the body.",
        ),
        regressions=(),
        progressions=("overhead-triceps-extension",),
        description="A cable isolation exercise for the triceps.",
    ),
    Coaching(
        id="overhead-triceps-extension",
        cues=(
            "Hold one dumbbell overhead with both hands.",
            "Lower it behind your head by bending the elbows only.",
            "Straighten the arms back overhead.",
        ),
        mistakes=(
            "Elbows flaring wide.",
            "Arching the lower back.",
        ),
        regressions=("triceps-pushdown",),
        progressions=(),
        description="A triceps extension overhead, which works the triceps in a stretched position.",
    ),
    Coaching(
        id="barbell-row",
        cues=(
            "Hinge forward until your torso is about 45° or lower, back flat.",
            "Pull the bar to your lower ribs, elbows back.",
            "Lower under control to straight arms without standing up.",
        ),
        mistakes=(
            "Standing up more with each rep.",
            "Jerking the bar with the hips.",
            "Rounding the back.",
        ),
        regressions=("dumbbell-row",),
        progressions=(),
        description="A bent-over barbell row, for the back.",
    ),
    Coaching(
        id="dumbbell-row",
        cues=(
            "One hand and knee on a bench, back flat.",
            "Pull the dumbbell to your hip, elbow close to your side.",
            "Lower to a straight arm.",
            "Do the weaker side first and log each side separately.",
        ),
        mistakes=(
            "Twisting the torso to lift the weight.",
            "Shrugging the dumbbell up.",
        ),
        regressions=("seated-cable-row",),
        progressions=("barbell-row",),
        description="A one-arm row with a dumbbell, for each side of the back on its own.",
    ),
    Coaching(
        id="seated-cable-row",
        cues=(
            "Sit tall with your knees soft and feet on the platform.",
            "Pull the handle to your stomach, squeezing the shoulder blades together.",
            "Let your arms straighten forward under control.",
        ),
        mistakes=(
            "Rocking the torso back and forth.",
            "Shrugging the shoulders.",
        ),
        regressions=(),
        progressions=("dumbbell-row", "barbell-row"),
        description="A seated cable row, for the back.",
    ),
    Coaching(
        id="lat-pulldown",
        cues=(
            "Thighs under the pads, grip a little wider than the shoulders.",
            "Pull the bar to your upper chest, driving the elbows down.",
            "Let the bar rise until your arms are straight.",
        ),
        mistakes=(
            "Leaning far back to swing the weight.",
            "Pulling the bar behind the neck.",
            "Stopping short of straight arms.",
        ),
        regressions=(),
        progressions=("pull-up",),
        description="A cable pulldown, the machine way to the pull-up.",
    ),
    Coaching(
        id="pull-up",
        cues=(
            "Hang from the bar with an overhand grip a little wider than the shoulders.",
            "Pull until your chin is over the bar, elbows driving down.",
            "Lower to straight arms every rep.",
            "Use the assisted machine or a band if you need help; log it as assistance.",
        ),
        mistakes=(
            "Kipping or swinging.",
            "Half reps that never reach straight arms.",
        ),
        regressions=("lat-pulldown", "pull-up:band-assisted"),
        progressions=("pull-up:weighted",),
        description="The bodyweight pull-up, for the back. Assistance comes off 5 kg at a time, then "
        "load goes on.",
    ),
    Coaching(
        id="chin-up",
        cues=(
            "Hang from the bar with palms facing you, shoulder width.",
            "Pull until your chin is over the bar.",
            "Lower to straight arms every rep.",
            "Use the assisted machine or a band if you need help; log it as assistance.",
        ),
        mistakes=(
            "Kipping or swinging.",
            "Half reps.",
        ),
        regressions=("lat-pulldown",),
        progressions=("chin-up:weighted",),
        description="The pull-up with palms facing you, which brings in more biceps.",
    ),
    Coaching(
        id="face-pull",
        cues=(
            "Set a rope at face height.",
            "Pull the rope toward your forehead, hands apart, elbows high.",
            "Finish with your upper arms out to the sides, then return slowly.",
        ),
        mistakes=(
            "Leaning back to move the weight.",
            "Pulling to the chest with low elbows.",
        ),
        regressions=(),
        progressions=(),
        description="A cable pull to the face, for the rear shoulders and upper back.",
    ),
    Coaching(
        id="barbell-curl",
        cues=(
            "Stand tall, hands shoulder width, elbows at your sides.",
            "Curl the bar up without moving the elbows forward.",
            "Lower it slowly to straight arms.",
        ),
        mistakes=(
            "Swinging the bar up with the hips.",
            "Elbows drifting forward.",
        ),
        regressions=("dumbbell-curl",),
        progressions=(),
        description="A barbell curl, for the biceps.",
    ),
    Coaching(
        id="dumbbell-curl",
        cues=(
            "Hold a dumbbell in each hand, palms forward, elbows at your sides.",
            "Curl both up without swinging.",
            "Lower slowly to straight arms.",
        ),
        mistakes=(
            "Swinging the torso.",
            "Cutting the range short at the bottom.",
        ),
        regressions=(),
        progressions=("barbell-curl",),
        description="A curl with two dumbbells, for the biceps.",
    ),
    Coaching(
        id="lateral-raise",
        cues=(
            "Hold a light dumbbell in each hand at your sides.",
            "Raise them out to the sides to shoulder height, elbows slightly bent.",
            "Lower slowly.",
        ),
        mistakes=(
            "Swinging the weights up.",
            "Shrugging the shoulders.",
            "Going heavier than you can control.",
        ),
        regressions=(),
        progressions=(),
        description="A dumbbell raise to the side, for the side of the shoulders.",
    ),
    Coaching(
        id="plank",
        cues=(
            "Forearms on the floor under your shoulders, body straight from head to heels.",
            "Squeeze glutes and brace as if about to be punched.",
            "Log the seconds you hold as reps: a 45-second plank is 45 reps.",
            "Past 60 seconds, add a plate on your back instead of holding longer; log only that load.",
        ),
        mistakes=(
            "Hips sagging toward the floor.",
            "Hips piked up.",
            "Holding your breath.",
        ),
        regressions=("plank:knees",),
        progressions=("plank:weighted",),
        description="A timed hold for the trunk. Reps are the seconds held.",
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
