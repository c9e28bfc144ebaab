import re
import typing

import pytest

from services.api.catalog import schemas as api
from services.core.seed.exercises import EXERCISES, Equipment, ExerciseSeed, Muscle, Pattern
from services.core.seed.programs import PROGRAMS, ProgramSeed, SlotSeed
from services.training.catalog import CATALOG as ENGINE

CATALOG = {exercise.id: exercise for exercise in EXERCISES}
PROGRAM = {program.slug: program for program in PROGRAMS}
HAMSTRING_PATTERNS = {"hip_hinge", "knee_flexion"}
QUAD_PATTERNS = {"squat", "lunge", "knee_extension"}
UPPER_BODY_PATTERNS = {"push", "pull", "core", "other"}
REFERENCE = re.compile(r"^(?P<slug>[a-z0-9-]+)(?::(?P<variant>[a-z0-9-]+))?$")

V1_SLUGS = {
    "romanian-deadlift",
    "dumbbell-romanian-deadlift",
    "single-leg-romanian-deadlift",
    "back-extension-45",
    "glute-ham-raise",
    "nordic-curl",
    "seated-leg-curl",
    "lying-leg-curl",
    "single-leg-curl",
    "back-squat",
    "leg-press",
    "leg-extension",
    "bulgarian-split-squat",
}


def all_slots() -> list[SlotSeed]:
    return [slot for program in PROGRAMS for day in program.days for slot in day.slots]


def exercise_of(slot: SlotSeed) -> ExerciseSeed:
    return CATALOG[slot.exercise_id]


def day(program: ProgramSeed, key: str) -> tuple[SlotSeed, ...]:
    return next(d.slots for d in program.days if d.key == key)


# Catalog


def test_catalog_keeps_the_thirteen_v1_slugs_and_holds_at_least_fifty_exercises_once_each():
    ids = [exercise.id for exercise in EXERCISES]
    assert len(ids) == len(set(ids)) >= 50
    assert set(ids) >= V1_SLUGS


@pytest.mark.parametrize(
    "slug",
    [
        # Posterior chain
        "conventional-deadlift",
        "stiff-leg-deadlift",
        "trap-bar-deadlift",
        "good-morning",
        "hip-thrust",
        "glute-bridge",
        "kettlebell-swing",
        "cable-pull-through",
        "reverse-hyperextension",
        "sliding-leg-curl",
        "stability-ball-leg-curl",
        "razor-curl",
        "single-leg-hip-thrust",
        # The rest of a leg day
        "front-squat",
        "hack-squat",
        "goblet-squat",
        "walking-lunge",
        "step-up",
        "standing-calf-raise",
        "hip-adduction",
        "hip-abduction",
        # Upper body logged on the same days
        "bench-press",
        "incline-dumbbell-press",
        "overhead-press",
        "barbell-row",
        "dumbbell-row",
        "seated-cable-row",
        "pull-up",
        "lat-pulldown",
        "dip",
        "barbell-curl",
        "triceps-pushdown",
        "lateral-raise",
        "face-pull",
        "plank",
    ],
)
def test_a_whole_workout_can_be_logged(slug: str):
    assert slug in CATALOG


def test_a_band_assisted_nordic_is_the_nordic_curl_with_assistance_not_an_exercise_of_its_own():
    assert "nordic-curl:band-assisted" in CATALOG["nordic-curl"].regressions
    assert CATALOG["nordic-curl"].equipment == "assisted_bodyweight"


def test_the_hamstring_biased_back_extension_is_a_variant_with_its_own_cue():
    back_extension = CATALOG["back-extension-45"]
    assert "back-extension-45:hamstring-biased" in back_extension.progressions
    assert any("Hamstring-biased" in cue and "round your upper back" in cue for cue in back_extension.cues)


def test_catalog_values_come_from_the_training_rules_vocabularies():
    patterns, muscles, equipment = (set(typing.get_args(t)) for t in (Pattern, Muscle, Equipment))
    for exercise in EXERCISES:
        assert exercise.pattern in patterns, exercise.id
        assert set(exercise.primary_muscles) | set(exercise.secondary_muscles) <= muscles, exercise.id
        assert exercise.equipment in equipment, exercise.id


def test_no_muscle_is_credited_as_both_primary_and_secondary():
    for exercise in EXERCISES:
        assert not set(exercise.primary_muscles) & set(exercise.secondary_muscles), exercise.id


def test_every_hinge_and_knee_flexion_exercise_but_the_swing_prescribes_a_3_s_eccentric():
    for exercise in EXERCISES:
        if exercise.pattern in HAMSTRING_PATTERNS and exercise.id != "kettlebell-swing":
            assert exercise.eccentric_s == 3.0, exercise.id


def test_the_ballistic_kettlebell_swing_prescribes_no_eccentric():
    assert CATALOG["kettlebell-swing"].eccentric_s is None


def test_only_hamstring_exercises_prescribe_an_eccentric():
    for exercise in EXERCISES:
        if exercise.pattern not in HAMSTRING_PATTERNS:
            assert exercise.eccentric_s is None, exercise.id


def test_quad_exercises_credit_no_hamstrings():
    for exercise in EXERCISES:
        if exercise.pattern in QUAD_PATTERNS:
            assert "hamstrings" not in exercise.primary_muscles + exercise.secondary_muscles, exercise.id


@pytest.mark.parametrize("slug", ["hip-thrust", "single-leg-hip-thrust", "glute-bridge"])
def test_hip_thrusts_and_bridges_are_glute_hip_extension_with_no_hamstring_credit(slug: str):
    exercise = CATALOG[slug]
    assert exercise.pattern == "hip_extension"
    assert exercise.primary_muscles == ("glutes",)
    assert "hamstrings" not in exercise.secondary_muscles


def test_every_hamstring_pattern_exercise_credits_the_hamstrings():
    for exercise in EXERCISES:
        if exercise.pattern in HAMSTRING_PATTERNS:
            assert "hamstrings" in exercise.primary_muscles + exercise.secondary_muscles, exercise.id


def test_only_the_knee_dominant_trap_bar_deadlift_credits_the_hamstrings_as_secondary():
    secondary = {e.id for e in EXERCISES if "hamstrings" in e.secondary_muscles}
    assert secondary == {"trap-bar-deadlift"}


def test_upper_body_and_core_exercises_credit_no_leg_muscle():
    legs = {"hamstrings", "quadriceps", "glutes", "adductors", "abductors", "calves"}
    for exercise in EXERCISES:
        if exercise.pattern in UPPER_BODY_PATTERNS:
            assert not legs & set(exercise.primary_muscles + exercise.secondary_muscles), exercise.id


def test_only_machine_isolation_goes_to_failure_and_always_at_12_to_15_reps():
    for exercise in EXERCISES:
        assert (exercise.target_rir == 0) is exercise.to_failure, exercise.id
        if exercise.to_failure:
            assert exercise.equipment == "machine_stack", exercise.id
            assert (exercise.rep_min, exercise.rep_max) == (12, 15), exercise.id


def test_every_leg_machine_isolation_goes_to_failure():
    for exercise in EXERCISES:
        if exercise.equipment == "machine_stack" and exercise.pattern in {"knee_flexion", "knee_extension"}:
            assert exercise.to_failure, exercise.id


def test_heavy_barbell_lifts_are_6_to_8_reps():
    for exercise in EXERCISES:
        if exercise.equipment == "barbell" and (exercise.key_lift or exercise.id == "bench-press"):
            assert (exercise.rep_min, exercise.rep_max) == (6, 8), exercise.id


def test_every_rep_range_is_ordered_and_positive():
    for exercise in EXERCISES:
        assert 1 <= exercise.rep_min <= exercise.rep_max, exercise.id


def test_seated_curl_trains_long_length_and_lying_curl_does_not():
    assert CATALOG["seated-leg-curl"].long_length
    assert not CATALOG["lying-leg-curl"].long_length


def test_only_hamstring_exercises_claim_long_length():
    for exercise in EXERCISES:
        if exercise.long_length:
            assert "hamstrings" in exercise.primary_muscles, exercise.id


def test_key_lifts_are_the_heavy_lower_body_compounds():
    key_lifts = {exercise.id for exercise in EXERCISES if exercise.key_lift}
    assert key_lifts == {
        "romanian-deadlift",
        "dumbbell-romanian-deadlift",
        "conventional-deadlift",
        "trap-bar-deadlift",
        "back-squat",
        "front-squat",
        "leg-press",
        "hack-squat",
    }


# The cues users asked for by name: they must not silently disappear in a rewrite.
SIGNATURE_CUES = [
    ("romanian-deadlift", "cues", "Your hands are hooks: the hips do the work."),
    ("seated-leg-curl", "cues", "Drive your heels toward your glutes."),
    ("glute-ham-raise", "cues", "Lower until your body is parallel to the floor."),
    ("glute-ham-raise", "cues", "Cramping at first is normal."),
    ("lying-leg-curl", "cues", "If your hips leave the pad, the weight is too heavy: drop it."),
    (
        "romanian-deadlift",
        "mistakes",
        "Felt in the lower back → you are bending at the waist: stop when the hips stop moving back.",
    ),
]


@pytest.mark.parametrize(("slug", "field", "text"), SIGNATURE_CUES)
def test_signature_cues_are_there_word_for_word(slug: str, field: str, text: str):
    assert text in getattr(CATALOG[slug], field)


def test_the_plank_is_logged_in_seconds_and_says_so():
    plank = CATALOG["plank"]
    assert (plank.rep_min, plank.rep_max) == (30, 60)
    assert any("seconds you hold as reps" in cue for cue in plank.cues)
    assert "seconds" in plank.description


def test_every_exercise_has_cues_mistakes_and_a_description():
    for exercise in EXERCISES:
        assert exercise.cues, exercise.id
        assert exercise.mistakes, exercise.id
        assert exercise.description.strip(), exercise.id


def test_regressions_and_progressions_name_a_catalog_exercise_or_a_variant_of_one():
    for exercise in EXERCISES:
        for reference in exercise.regressions + exercise.progressions:
            match = REFERENCE.fullmatch(reference)
            assert match is not None, (exercise.id, reference)
            assert match["slug"] in CATALOG, (exercise.id, reference)
            assert match["variant"] is not None or match["slug"] != exercise.id, (exercise.id, reference)


def test_band_assisted_ghr_leads_to_ghr_which_leads_to_nordic():
    assert "glute-ham-raise:band-assisted" in CATALOG["glute-ham-raise"].regressions
    assert "nordic-curl" in CATALOG["glute-ham-raise"].progressions
    assert "glute-ham-raise" in CATALOG["nordic-curl"].regressions


def test_dumbbell_rdl_leads_to_rdl_which_leads_to_single_leg_rdl():
    assert "romanian-deadlift" in CATALOG["dumbbell-romanian-deadlift"].progressions
    assert "dumbbell-romanian-deadlift" in CATALOG["romanian-deadlift"].regressions
    assert "single-leg-romanian-deadlift" in CATALOG["romanian-deadlift"].progressions
    assert "romanian-deadlift" in CATALOG["single-leg-romanian-deadlift"].regressions


def test_lying_and_seated_curl_point_at_each_other():
    assert "seated-leg-curl" in CATALOG["lying-leg-curl"].progressions
    assert "lying-leg-curl" in CATALOG["seated-leg-curl"].regressions


# Programs


def test_the_four_starter_programs_are_seeded():
    assert set(PROGRAM) >= {
        "posterior-chain-builder",
        "hamstrings-first",
        "posterior-chain-beginner",
        "nordic-add-on",
    }


def test_program_slugs_are_unique():
    slugs = [program.slug for program in PROGRAMS]
    assert len(slugs) == len(set(slugs))


def test_program_and_day_ids_are_unique_across_all_programs():
    ids = [program.id for program in PROGRAMS] + [d.id for program in PROGRAMS for d in program.days]
    assert len(ids) == len(set(ids))


def test_day_keys_are_unique_within_each_program():
    for program in PROGRAMS:
        keys = [d.key for d in program.days]
        assert len(keys) == len(set(keys)), program.slug


def test_every_day_has_at_least_one_slot():
    for program in PROGRAMS:
        for d in program.days:
            assert d.slots, (program.slug, d.key)


def test_every_program_references_only_catalog_exercises():
    for slot in all_slots():
        assert slot.exercise_id in CATALOG


def test_slots_follow_the_catalog_rep_range_effort_and_eccentric():
    for slot in all_slots():
        exercise = exercise_of(slot)
        assert (slot.rep_min, slot.rep_max) == (exercise.rep_min, exercise.rep_max), slot.exercise_id
        assert (slot.target_rir, slot.to_failure) == (exercise.target_rir, exercise.to_failure)
        assert slot.eccentric_s == exercise.eccentric_s, slot.exercise_id


def test_every_hinge_and_knee_flexion_slot_prescribes_a_3_s_eccentric():
    for slot in all_slots():
        if exercise_of(slot).pattern in HAMSTRING_PATTERNS:
            assert slot.eccentric_s == 3.0, slot.exercise_id


def test_assistance_is_prescribed_only_for_assisted_bodyweight_exercises():
    for slot in all_slots():
        if slot.assistance_kg is not None:
            assert exercise_of(slot).equipment == "assisted_bodyweight", slot.exercise_id


def test_builder_runs_two_leg_days_rotating_a_and_b():
    builder = PROGRAM["posterior-chain-builder"]
    assert builder.days_per_week == 2
    assert [d.key for d in builder.days] == ["A", "B"]


def test_builder_day_a_is_one_heavy_hinge_then_one_knee_flexion_isolation():
    hinge, curl = day(PROGRAM["posterior-chain-builder"], "A")
    assert (hinge.exercise_id, hinge.sets, hinge.rep_min, hinge.rep_max) == ("romanian-deadlift", 3, 6, 8)
    assert (hinge.target_rir, hinge.eccentric_s) == (2, 3.0)
    assert exercise_of(hinge).key_lift
    assert (curl.exercise_id, curl.sets, curl.rep_min, curl.rep_max) == ("seated-leg-curl", 3, 12, 15)
    assert curl.to_failure


def test_builder_day_b_is_back_extension_then_lying_curl_to_failure():
    hinge, curl = day(PROGRAM["posterior-chain-builder"], "B")
    assert (hinge.exercise_id, hinge.sets, hinge.rep_min, hinge.rep_max) == ("back-extension-45", 3, 10, 15)
    assert (curl.exercise_id, curl.sets, curl.rep_min, curl.rep_max) == ("lying-leg-curl", 3, 12, 15)
    assert curl.to_failure


def test_builder_summary_explains_the_seated_curls_long_length():
    assert "long length" in PROGRAM["posterior-chain-builder"].summary


def test_hamstrings_first_orders_every_hamstring_slot_before_every_quad_slot():
    for d in PROGRAM["hamstrings-first"].days:
        patterns = [exercise_of(slot).pattern for slot in d.slots]
        hamstring_positions = [i for i, p in enumerate(patterns) if p in HAMSTRING_PATTERNS]
        quad_positions = [i for i, p in enumerate(patterns) if p in QUAD_PATTERNS]
        assert hamstring_positions, d.key
        assert quad_positions, d.key
        assert max(hamstring_positions) < min(quad_positions), d.key


def test_hamstrings_first_trains_both_hinge_and_curl_every_day():
    for d in PROGRAM["hamstrings-first"].days:
        assert {exercise_of(slot).pattern for slot in d.slots} >= HAMSTRING_PATTERNS, d.key


def test_beginner_program_uses_a_band_assisted_ghr_and_fewer_sets_than_the_builder():
    beginner = PROGRAM["posterior-chain-beginner"]
    ghr = [slot for d in beginner.days for slot in d.slots if slot.exercise_id == "glute-ham-raise"]
    assert ghr
    assert all(slot.assistance_kg is not None and slot.assistance_kg > 0 for slot in ghr)
    beginner_sets = sum(slot.sets for d in beginner.days for slot in d.slots)
    builder_sets = sum(slot.sets for d in PROGRAM["posterior-chain-builder"].days for slot in d.slots)
    assert beginner_sets < builder_sets


def test_beginner_program_hinges_without_a_barbell():
    exercise_ids = {slot.exercise_id for d in PROGRAM["posterior-chain-beginner"].days for slot in d.slots}
    assert "romanian-deadlift" not in exercise_ids
    assert exercise_ids & {"dumbbell-romanian-deadlift", "back-extension-45"}


def test_nordic_add_on_keeps_the_builders_slots_and_adds_an_eccentric_nordic_each_day():
    add_on, builder = PROGRAM["nordic-add-on"], PROGRAM["posterior-chain-builder"]
    for builder_day in builder.days:
        slots = day(add_on, builder_day.key)
        assert [s for s in slots if s.exercise_id != "nordic-curl"] == list(builder_day.slots)
        nordics = [s for s in slots if s.exercise_id == "nordic-curl"]
        assert len(nordics) == 1, builder_day.key
        assert 2 <= nordics[0].sets <= 3
        assert (nordics[0].rep_min, nordics[0].rep_max, nordics[0].eccentric_s) == (4, 6, 3.0)
        assert "slowly" in nordics[0].note


def test_nordic_add_on_summary_cites_the_halved_injury_rate():
    assert "halved hamstring injuries" in PROGRAM["nordic-add-on"].summary


# One source: the engine's table decides every number the app shows


def test_every_seeded_number_is_the_engines():
    assert [e.id for e in EXERCISES] == list(ENGINE)
    for exercise in EXERCISES:
        spec = ENGINE[exercise.id]
        assert (exercise.pattern, exercise.primary_muscles, exercise.secondary_muscles) == (
            spec.pattern,
            spec.primary,
            spec.secondary,
        )
        assert (exercise.equipment, exercise.unilateral, exercise.key_lift, exercise.long_length) == (
            spec.equipment,
            spec.unilateral,
            spec.key_lift,
            spec.long_length,
        )
        assert (exercise.rep_min, exercise.rep_max, exercise.target_rir, exercise.increment_kg) == (
            spec.rep_min,
            spec.rep_max,
            spec.target_rir,
            spec.step_kg,
        )


def test_the_apis_filters_offer_exactly_the_catalogs_vocabularies():
    assert set(typing.get_args(api.Pattern)) == {spec.pattern for spec in ENGINE.values()}
    assert api.Muscle is Muscle
    assert api.Equipment is Equipment
