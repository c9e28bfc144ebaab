"""§0: what the grown catalog credits, and which rules read the new exercises.

The hamstring rules read only `hip_hinge` and `knee_flexion` and the hamstring and quadriceps
credit; hip thrusts are the glutes' lift (§0.2); upper-body lifts are logged and credited, never
leg training.
"""

from pathlib import Path

import pytest

from services.training.catalog import CATALOG, HAMSTRING_PATTERNS, LOWER_BODY_PATTERNS, MUSCLES, PATTERNS
from services.training.e1rm import weekly_best_e1rm
from services.training.imbalance import hamstring_neglect, hamstring_quad_volume, pattern_coverage
from services.training.progression import SessionIndex, SlotParams, decide
from services.training.technique import eccentric_too_fast
from services.training.volume import muscle_credit, pattern_sets
from tests.training.builders import NOW, a_workout, at, history, sets, user

RULES = Path(__file__).parents[2] / "docs" / "design" / "training-rules.md"


def documented_rows() -> dict[str, list[str]]:
    """The §0 table of training-rules.md, one list of cells per exercise id."""
    table = RULES.read_text().split("| id | pattern | primary |")[1].split("\n\n")[0]
    rows = [line.strip("|").split("|") for line in table.splitlines() if line.startswith("| `")]
    return {cells[0].strip().strip("`"): [c.strip() for c in cells[1:]] for cells in rows}


def credit(exercise_id: str, count: int = 1) -> dict[str, float]:
    return muscle_credit(history([a_workout(at(-1), sets(count, exercise_id))]).facts)


def next_step(exercise_id: str, side: str = "both", **logged):
    index = SessionIndex(history([a_workout(at(-1), sets(3, exercise_id, side=side, **logged))]), frozenset())
    return decide(index, SlotParams.for_exercise(CATALOG[exercise_id]), side)


class TestVocabulary:
    def test_every_credited_muscle_and_every_pattern_is_known_to_the_volume_tables(self):
        for spec in CATALOG.values():
            assert set(spec.primary + spec.secondary) <= set(MUSCLES), spec.id
            assert spec.pattern in PATTERNS, spec.id

    def test_the_hamstring_patterns_are_the_hinge_and_the_curl_only(self):
        assert {"hip_hinge", "knee_flexion"} == HAMSTRING_PATTERNS

    def test_push_pull_core_and_other_are_not_lower_body(self):
        assert not LOWER_BODY_PATTERNS & {"push", "pull", "core", "other"}
        assert set(PATTERNS) - LOWER_BODY_PATTERNS == {"push", "pull", "core", "other"}


class TestDocumentedTable:
    def test_training_rules_list_every_catalog_exercise_in_catalog_order(self):
        assert list(documented_rows()) == list(CATALOG)

    def test_each_documented_row_says_what_the_engine_computes(self):
        for exercise_id, cells in documented_rows().items():
            spec = CATALOG[exercise_id]
            pattern, primary, secondary, unilateral, _, reps, _, _, key_lift, long_length = cells
            assert pattern == spec.pattern, exercise_id
            assert primary == ", ".join(spec.primary), exercise_id
            assert secondary == (", ".join(spec.secondary) or "—"), exercise_id
            assert reps.removesuffix(" s") == f"{spec.rep_min}–{spec.rep_max}", exercise_id
            flags = (unilateral, key_lift, long_length)
            assert flags == tuple(
                "yes" if f else "no" for f in (spec.unilateral, spec.key_lift, spec.long_length)
            )


class TestHipThrust:
    """Hip extension with the knees bent: the hamstrings are active (R23) but did not grow (R24)."""

    def test_a_hip_thrust_set_is_one_glute_set_and_no_hamstring_set(self):
        thrust = credit("hip-thrust")
        assert (thrust["glutes"], thrust["hamstrings"]) == (1.0, 0.0)

    def test_a_hip_thrust_is_not_a_hinge_for_pattern_coverage(self):
        counts = pattern_sets(history([a_workout(at(-1), sets(4, "hip-thrust"))]).facts)
        assert (counts["hip_extension"], counts["hip_hinge"]) == (4, 0)

    def test_curls_and_hip_thrusts_still_miss_the_hinge(self):
        workouts = [
            a_workout(NOW.replace(day=1), sets(4, "seated-leg-curl", to_failure=True), sets(4, "hip-thrust"))
        ]
        [finding] = pattern_coverage(history(workouts))
        assert finding.evidence["inputs"]["missing_pattern"] == "hip_hinge"

    def test_hip_thrusts_do_not_reset_hamstring_neglect(self):
        legs = [a_workout(at(-1, day), sets(3, "back-squat"), sets(3, "hip-thrust")) for day in (1, 4)]
        assert [f.kind for f in hamstring_neglect(history(legs))] == ["imbalance.hamstring_neglect"]


class TestNewHinge:
    """A good morning counts like an RDL: hinge coverage, hamstring volume, e1RM, progression."""

    def test_a_good_morning_set_is_one_hamstring_set(self):
        assert credit("good-morning")["hamstrings"] == 1.0

    def test_good_mornings_cover_the_hinge_so_curls_alone_are_not_flagged(self):
        workouts = [a_workout(NOW.replace(day=1), sets(4, "good-morning"), sets(4, "seated-leg-curl"))]
        assert pattern_coverage(history(workouts)) == []

    def test_good_mornings_without_curls_miss_knee_flexion(self):
        [finding] = pattern_coverage(history([a_workout(NOW.replace(day=1), sets(4, "good-morning"))]))
        assert finding.evidence["inputs"]["missing_pattern"] == "knee_flexion"

    def test_a_good_morning_has_a_weekly_best_e1rm(self):
        workout = a_workout(at(-1), sets(3, "good-morning", load_kg=60, reps=10, rir=2))
        [row] = weekly_best_e1rm([workout], user(), NOW, "good-morning", 1)
        assert row.e1rm_kg == pytest.approx(60 * (1 + 12 / 30))

    def test_a_good_morning_at_the_top_of_its_range_steps_up_like_a_barbell_hinge(self):
        decision = next_step("good-morning", load_kg=60, reps=10, rir=2, eccentric_s=3)
        assert (decision.rule, decision.load_kg, decision.eccentric_s) == ("increase", 62.5, 3.0)

    def test_the_trap_bar_deadlift_is_a_hinge_worth_half_a_hamstring_set(self):
        trap_bar = credit("trap-bar-deadlift")
        assert (trap_bar["hamstrings"], trap_bar["quadriceps"]) == (0.5, 1.0)


class TestUpperBody:
    def test_a_bench_press_set_credits_the_chest_and_no_leg_muscle(self):
        bench = credit("bench-press")
        assert (bench["chest"], bench["triceps"], bench["shoulders"]) == (1.0, 0.5, 0.5)
        assert bench["hamstrings"] == bench["quadriceps"] == bench["glutes"] == 0

    def test_bench_press_does_not_change_the_hamstring_rules(self):
        legs = [a_workout(at(k), sets(4, "back-squat"), sets(3, "leg-press")) for k in range(-4, 0)]
        upper = [a_workout(at(k, 3), sets(10, "bench-press"), sets(10, "barbell-row")) for k in range(-4, 0)]
        for rule in (hamstring_quad_volume, hamstring_neglect, pattern_coverage):
            assert rule(history(legs + upper)) == rule(history(legs)), rule.__name__

    def test_upper_body_weeks_do_not_make_up_the_leg_weeks_the_volume_ratio_needs(self):
        legs = [a_workout(at(k), sets(4, "back-squat"), sets(3, "leg-press")) for k in (-2, -1)]
        upper = [a_workout(at(k, 3), sets(10, "bench-press")) for k in range(-4, 0)]
        assert hamstring_quad_volume(history(legs + upper)) == []

    def test_an_upper_body_day_is_not_a_leg_workout(self):
        upper_only = history(
            [a_workout(at(-1), sets(5, "bench-press"), sets(3, "plank", load_kg=0, reps=45))]
        )
        assert not upper_only.has_leg_workout(upper_only.cal.week(-1))

    def test_a_pull_up_loses_assistance_five_kilos_at_a_time(self):
        decision = next_step("pull-up", load_kg=0, assistance_kg=20, reps=10, rir=1)
        assert (decision.rule, decision.assistance_kg) == ("increase", 15)


class TestPlank:
    """Reps are seconds held (§0.1)."""

    def test_a_plank_has_no_e1rm(self):
        workout = a_workout(at(-1), sets(3, "plank", load_kg=10, reps=40, rir=1))
        assert weekly_best_e1rm([workout], user(), NOW, "plank", 1)[0].e1rm_kg is None

    def test_sixty_seconds_on_every_set_adds_a_plate(self):
        decision = next_step("plank", load_kg=0, reps=60, rir=1)
        assert (decision.rule, decision.load_kg) == ("increase", 2.5)


class TestKettlebellSwing:
    """Ballistic: a 4 kg bell step, no prescribed negative, no e1RM, no tempo alert."""

    def test_the_kettlebell_class_steps_up_one_bell_size(self):
        decision = next_step("kettlebell-swing", load_kg=16, reps=20, rir=2)
        assert (decision.rule, decision.load_kg, decision.eccentric_s) == ("increase", 20, None)

    def test_a_fast_swing_is_not_a_dropped_negative(self):
        workouts = [
            a_workout(NOW.replace(day=1), sets(6, "kettlebell-swing", load_kg=16, reps=15, eccentric_s=0.5))
        ]
        assert eccentric_too_fast(history(workouts)) == []

    def test_a_swing_has_no_e1rm_but_still_counts_as_hamstring_volume(self):
        workout = a_workout(at(-1), sets(3, "kettlebell-swing", load_kg=24, reps=10, rir=2))
        assert weekly_best_e1rm([workout], user(), NOW, "kettlebell-swing", 1)[0].e1rm_kg is None
        assert credit("kettlebell-swing", 3)["hamstrings"] == 3
