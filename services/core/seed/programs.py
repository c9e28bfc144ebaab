"""Starter programs seeded with the catalog.

Ids are fixed literals so that seeding twice upserts the same rows and phones keep their
`program_day_id` references across re-seeds. Slots take rep range, effort, eccentric and rest
from the catalog (training-rules.md §0, §2) unless a slot says otherwise; programs differ in
exercise choice, order and sets.
"""

import uuid
from dataclasses import dataclass

from services.core.seed.exercises import EXERCISES


@dataclass(frozen=True, slots=True)
class SlotSeed:
    exercise_id: str
    sets: int
    rep_min: int
    rep_max: int
    target_rir: int
    to_failure: bool
    eccentric_s: float | None
    rest_s: int
    assistance_kg: float | None  # band or machine help on glute-ham raises and Nordics (§0)
    note: str
    superset_group: str | None  # slots of a day with the same group are done back to back
    substituted_from: str | None  # the exercise a user's substitution replaced (never in a starter)


@dataclass(frozen=True, slots=True)
class DaySeed:
    id: uuid.UUID
    key: str  # days rotate in key order: A, B, A, B, …
    name: str
    slots: tuple[SlotSeed, ...]  # in the order they are performed


@dataclass(frozen=True, slots=True)
class ProgramSeed:
    id: uuid.UUID
    slug: str | None  # a starter's; a user's own program has none
    name: str
    summary: str
    audience: str
    days_per_week: int
    days: tuple[DaySeed, ...]


_CATALOG = {exercise.id: exercise for exercise in EXERCISES}


def _slot(exercise_id: str, *, sets: int, note: str, assistance_kg: float | None = None) -> SlotSeed:
    exercise = _CATALOG[exercise_id]  # a typo fails at import, before anything is seeded
    return SlotSeed(
        exercise_id=exercise_id,
        sets=sets,
        rep_min=exercise.rep_min,
        rep_max=exercise.rep_max,
        target_rir=exercise.target_rir,
        to_failure=exercise.to_failure,
        eccentric_s=exercise.eccentric_s,
        rest_s=exercise.rest_s,
        assistance_kg=assistance_kg,
        note=note,
        superset_group=None,  # the starters do every exercise on its own
        substituted_from=None,
    )


_HEAVY_RDL = _slot(
    "romanian-deadlift",
    sets=3,
    note="3 s down; stop when your hips stop moving back. Leave 2 reps in the tank.",
)
_SEATED_CURL = _slot(
    "seated-leg-curl",
    sets=3,
    note="To failure with clean reps: thigh pad locked down, 3 s negative.",
)
_BACK_EXTENSION = _slot(
    "back-extension-45",
    sets=3,
    note="Pad below the hip crease; 3 s down. Add a plate once 15 reps come easily.",
)
_LYING_CURL = _slot(
    "lying-leg-curl",
    sets=3,
    note="To failure with clean reps: hips stay on the pad, 3 s negative.",
)

POSTERIOR_CHAIN_BUILDER = ProgramSeed(
    id=uuid.UUID("ffaefaca-ee5f-420a-bd44-045d1da7a091"),
    slug="posterior-chain-builder",
    name="Posterior chain builder",
    summary=(
        "Two leg days a week, each with one hip hinge and one leg curl: the hamstrings cross both "
        "the hip and the knee, so they need both movements. Day A is heavy: Romanian deadlifts, "
        "then seated leg curls, which train the hamstrings at long length because the bent hip "
        "stretches them; in a 12-week study they grew the hamstrings more than lying curls. "
        "Day B adds volume with 45° back extensions and lying leg curls."
    ),
    audience="Lifters who already train their quads and want dedicated hamstring and glute work.",
    days_per_week=2,
    days=(
        DaySeed(
            id=uuid.UUID("231e5809-c888-41ca-b401-e47024c5cd69"),
            key="A",
            name="Heavy hinge",
            slots=(_HEAVY_RDL, _SEATED_CURL),
        ),
        DaySeed(
            id=uuid.UUID("c4ed97e9-55e8-4009-b8ed-dbf4ebaa6c8a"),
            key="B",
            name="Hinge volume",
            slots=(_BACK_EXTENSION, _LYING_CURL),
        ),
    ),
)

HAMSTRINGS_FIRST = ProgramSeed(
    id=uuid.UUID("47bf561c-1903-46b8-b0d2-8686a31c5752"),
    slug="hamstrings-first",
    name="Hamstrings first",
    summary=(
        "A full leg program for lifters whose hamstrings lag behind their quads. Every day starts "
        "with hamstring work, while you are fresh, and finishes with a squat pattern, so the weak "
        "point gets your best effort. Squats and leg presses train the quads, not the hamstrings, "
        "so each day pairs them with a hinge and a curl."
    ),
    audience="Lifters who squat or leg press regularly and do little hamstring work.",
    days_per_week=2,
    days=(
        DaySeed(
            id=uuid.UUID("2520a841-027c-49a4-9558-a2123f40fcd5"),
            key="A",
            name="Hinge first, then squat",
            slots=(
                _HEAVY_RDL,
                _SEATED_CURL,
                _slot("back-squat", sets=3, note="After the hamstring work; leave 2 reps in the tank."),
            ),
        ),
        DaySeed(
            id=uuid.UUID("55a57054-17b7-4538-8934-8e861d35c562"),
            key="B",
            name="Curl first, then press",
            # Day B leads with the curl so knee flexion, not only the hinge, gets a fresh start
            # once a week.
            slots=(
                _LYING_CURL,
                _BACK_EXTENSION,
                _slot("leg-press", sets=3, note="Lower back stays on the pad; leave 2 reps in the tank."),
            ),
        ),
    ),
)

POSTERIOR_CHAIN_BEGINNER = ProgramSeed(
    id=uuid.UUID("afad5afa-e83c-4166-a339-7c71db185879"),
    slug="posterior-chain-beginner",
    name="Posterior chain for beginners",
    summary=(
        "A gentle start: two sets per exercise, dumbbell Romanian deadlifts and back extensions to "
        "learn the hip hinge, and leg curls for the knee. The glute-ham raise starts with a band "
        "taking 20 kg of your weight; the app removes 5 kg of help each time you hit the top of "
        "the rep range."
    ),
    audience="New lifters, and anyone who can't yet do an unassisted glute-ham raise or hinge a barbell.",
    days_per_week=2,
    days=(
        DaySeed(
            id=uuid.UUID("866f1db7-db95-4aea-b63b-180da785e884"),
            key="A",
            name="Learn the hinge",
            slots=(
                _slot(
                    "dumbbell-romanian-deadlift",
                    sets=2,
                    note="Light enough to own the position: soft knees, hips back, 3 s down.",
                ),
                _slot(
                    "seated-leg-curl",
                    sets=2,
                    note="To failure with clean reps: thigh pad locked down, 3 s negative.",
                ),
            ),
        ),
        DaySeed(
            id=uuid.UUID("c0d02412-c470-4070-884c-541eba7fc79e"),
            key="B",
            name="Back extension and glute-ham raise",
            slots=(
                _slot(
                    "back-extension-45",
                    sets=2,
                    note="Bodyweight only at first; pad below the hip crease, 3 s down.",
                ),
                _slot(
                    "glute-ham-raise",
                    sets=2,
                    # A starting point; the user sets the real band value, and §2.1 lowers it 5 kg at a time.
                    assistance_kg=20.0,
                    note="Band-assisted: hips locked forward, 3 s down, pull up with the hamstrings.",
                ),
            ),
        ),
    ),
)

# Nordic quality depends on fresh hamstrings, so it goes after the hinge but before the curl
# that is taken to failure.
_NORDIC_NOTE = "Lower as slowly as possible, hips extended; catch yourself with your hands."

NORDIC_ADD_ON = ProgramSeed(
    id=uuid.UUID("b9c0dfbf-b4b0-49ea-8419-d668175f0724"),
    slug="nordic-add-on",
    name="Posterior chain builder + Nordic curls",
    summary=(
        "The Posterior chain builder with Nordic curls added to both days, for athletes who sprint "
        "or jump. Across 15 studies and 8,459 athletes, programmes that included the Nordic curl "
        "roughly halved hamstring injuries. It is done as a slow lowering: start at 3 seconds, "
        "and the target grows a second at a time up to 6 seconds before the band help comes off."
    ),
    audience="Athletes in sprinting, jumping or field sports.",
    days_per_week=2,
    days=(
        DaySeed(
            id=uuid.UUID("e95125d1-57ba-4f98-abf4-d86d195631dc"),
            key="A",
            name="Heavy hinge + Nordic",
            # Two sets here, three on day B: day A's heavy RDL already tires the hamstrings.
            slots=(_HEAVY_RDL, _slot("nordic-curl", sets=2, note=_NORDIC_NOTE), _SEATED_CURL),
        ),
        DaySeed(
            id=uuid.UUID("0779ddcf-ff2b-4eb6-9ecf-5103cb5548f5"),
            key="B",
            name="Hinge volume + Nordic",
            slots=(_BACK_EXTENSION, _slot("nordic-curl", sets=3, note=_NORDIC_NOTE), _LYING_CURL),
        ),
    ),
)

PROGRAMS: tuple[ProgramSeed, ...] = (
    POSTERIOR_CHAIN_BUILDER,
    HAMSTRINGS_FIRST,
    POSTERIOR_CHAIN_BEGINNER,
    NORDIC_ADD_ON,
)
