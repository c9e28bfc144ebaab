"""§1.5: estimated 1RM."""

import pytest

from services.training.e1rm import ISOLATION_REP_CAP, brzycki, set_e1rm, week_best, weekly_best_e1rm
from tests.training.builders import NOW, a_set, a_workout, at, history, user, week


def e1rm_of(**set_fields):
    return set_e1rm(history([a_workout(at(-1), [a_set(**set_fields)])]).facts[0])


class TestSetE1rm:
    def test_epley_counts_reps_in_reserve_as_reps(self):
        # 5 reps at 5 RIR is treated like a 10RM [R9].
        assert e1rm_of(load_kg=100, reps=5, rir=5) == pytest.approx(100 * (1 + 10 / 30))

    def test_unknown_effort_is_taken_as_failure(self):
        assert e1rm_of(load_kg=100, reps=5) == pytest.approx(100 * (1 + 5 / 30))

    def test_a_true_single_is_the_load_itself(self):
        assert e1rm_of(load_kg=140, reps=1, to_failure=True) == 140

    def test_twelve_rep_equivalents_is_the_general_cap(self):
        assert e1rm_of(load_kg=50, reps=10, rir=2) == pytest.approx(70)

    def test_above_twelve_rep_equivalents_there_is_no_estimate(self):
        assert e1rm_of(load_kg=50, reps=13, to_failure=True) is None

    def test_the_isolation_cap_allows_fifteen(self):
        fact = history([a_workout(at(-1), [a_set("seated-leg-curl", 45, 13, to_failure=True)])]).facts[0]
        assert set_e1rm(fact, rep_cap=ISOLATION_REP_CAP) == pytest.approx(64.5)

    @pytest.mark.parametrize("exercise_id", ["glute-ham-raise", "nordic-curl", "back-extension-45"])
    def test_bodyweight_exercises_have_no_e1rm(self, exercise_id):
        assert e1rm_of(exercise_id=exercise_id, load_kg=10, reps=5) is None

    def test_assisted_sets_have_no_e1rm(self):
        assert e1rm_of(load_kg=100, reps=5, assistance_kg=10) is None

    def test_unloaded_sets_have_no_e1rm(self):
        assert e1rm_of(load_kg=0, reps=5) is None

    def test_failed_attempts_have_no_e1rm(self):
        assert e1rm_of(load_kg=100, reps=0) is None

    def test_brzycki_is_the_cross_check_formula(self):
        assert brzycki(100, 10) == pytest.approx(100 * 36 / 27)


class TestWeeklyBest:
    def test_takes_the_best_valid_set_of_the_week(self):
        workout = a_workout(at(-1), [a_set(load_kg=100, reps=8), a_set(load_kg=110, reps=6)])
        value, _ = week_best(history([workout]), "romanian-deadlift", week(-1))
        assert value == pytest.approx(110 * 1.2)

    def test_ignores_side_specific_sets(self):
        workout = a_workout(at(-1), [a_set("single-leg-romanian-deadlift", 20, 8, side="left")])
        assert week_best(history([workout]), "single-leg-romanian-deadlift", week(-1)) is None

    def test_helper_rounds_for_display_and_names_the_set(self):
        best = a_set(load_kg=92.5, reps=7, rir=2)
        row = weekly_best_e1rm([a_workout(at(-1), [best])], user(), NOW, "romanian-deadlift", 1)[0]
        assert (row.e1rm_kg, row.brzycki_kg, row.set_id) == (120.2, 118.9, best.id)

    def test_helper_reports_empty_weeks_as_none(self):
        rows = weekly_best_e1rm([a_workout(at(-1), [a_set()])], user(), NOW, "romanian-deadlift", 2)
        assert [row.e1rm_kg is None for row in rows] == [True, False]
