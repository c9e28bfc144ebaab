"""§2: double progression, misses, GHR assistance, the Nordic ladder, and the deload-week slot (§3.3)."""

from datetime import timedelta

import pytest

from services.training.catalog import CATALOG
from services.training.loads import increased, reduced
from services.training.progression import SessionIndex, SlotParams, decide, decide_deload
from tests.training.builders import NOW, a_set, a_slot, a_workout, at, history, sets, week


def judge(
    workouts, exercise_id="romanian-deadlift", side="both", slot=None, deload_weeks=frozenset(), deload=False
):
    index = SessionIndex(history(workouts), frozenset(deload_weeks))
    params = SlotParams.for_exercise(CATALOG[exercise_id], slot)
    return (decide_deload if deload else decide)(index, params, side)


def rdl(week_offset, count=3, **fields):
    return a_workout(at(week_offset), sets(count, "romanian-deadlift", **fields))


class TestIncrease:
    def test_every_set_at_rep_max_within_target_rir_adds_the_barbell_step(self):
        decision = judge([rdl(-1, load_kg=100, reps=8, rir=2, eccentric_s=3)])
        assert (decision.rule, decision.load_kg, decision.reason) == (
            "increase",
            102.5,
            {
                "rule": "increase",
                "load_step": 2.5,
                "computed": {"quantity": "load", "value": 102.5, "unit": "kg"},
                "loadable": {"quantity": "load", "value": 102.5, "unit": "kg"},
            },
        )

    def test_one_rir_below_target_still_counts(self):
        assert judge([rdl(-1, reps=8, rir=1)]).rule == "increase"

    def test_two_rir_below_target_holds_and_says_why(self):
        decision = judge([rdl(-1, reps=8, rir=0)])
        assert (decision.rule, decision.reason["blocked_by"]) == ("hold", ["effort"])

    def test_sets_to_failure_pass_when_the_target_is_failure(self):
        decision = judge(
            [a_workout(at(-1), sets(3, "seated-leg-curl", load_kg=45, reps=15, to_failure=True))],
            "seated-leg-curl",
        )
        assert decision.load_kg == 50

    def test_a_negative_under_2_5_s_blocks_the_increase(self):
        decision = judge([rdl(-1, reps=8, rir=2, eccentric_s=2.4)])
        assert (decision.rule, decision.reason["blocked_by"]) == ("hold", ["eccentric"])

    def test_a_negative_of_exactly_2_5_s_counts(self):
        assert judge([rdl(-1, reps=8, rir=2, eccentric_s=2.5)]).rule == "increase"

    def test_an_unlogged_negative_does_not_block(self):
        assert judge([rdl(-1, reps=8, rir=2)]).rule == "increase"

    def test_the_negative_gate_does_not_apply_to_squats(self):
        workout = a_workout(at(-1), sets(3, "back-squat", load_kg=100, reps=8, rir=2, eccentric_s=1))
        assert judge([workout], "back-squat").rule == "increase"

    def test_one_set_is_not_enough_without_a_program(self):
        assert judge([rdl(-1, count=1, reps=8, rir=2)]).rule == "hold"

    def test_a_program_slot_requires_its_set_count(self):
        decision = judge([rdl(-1, count=3, reps=8, rir=2)], slot=a_slot("romanian-deadlift", sets=4))
        assert (decision.rule, decision.reason["blocked_by"]) == ("hold", ["sets"])

    def test_the_program_slot_rep_range_is_the_target(self):
        decision = judge([rdl(-1, reps=6, rir=2)], slot=a_slot("romanian-deadlift", rep_min=4, rep_max=6))
        assert decision.rule == "increase"

    @pytest.mark.parametrize(
        ("exercise_id", "side", "load_kg", "reps", "effort", "expected"),
        [
            ("dumbbell-romanian-deadlift", "both", 24, 10, {"rir": 2}, 28),
            ("single-leg-romanian-deadlift", "left", 16, 10, {"rir": 2}, 18),
            ("bulgarian-split-squat", "right", 24, 10, {"rir": 2}, 28),
            ("leg-press", "both", 160, 12, {"rir": 2}, 170),
            ("leg-extension", "both", 50, 15, {"to_failure": True}, 55),
            ("single-leg-curl", "left", 20, 15, {"to_failure": True}, 22.5),
            ("back-extension-45", "both", 10, 15, {"rir": 1}, 12.5),
        ],
    )
    def test_each_equipment_class_has_its_step(self, exercise_id, side, load_kg, reps, effort, expected):
        workout = a_workout(at(-1), sets(3, exercise_id, load_kg=load_kg, reps=reps, side=side, **effort))
        assert judge([workout], exercise_id, side).load_kg == expected

    def test_a_gym_increment_on_the_slot_replaces_the_step(self):
        workout = a_workout(at(-1), sets(3, "leg-extension", load_kg=50, reps=15, to_failure=True))
        slot = a_slot("leg-extension", increment_kg=2.5)
        assert judge([workout], "leg-extension", slot=slot).load_kg == 52.5

    def test_an_off_grid_load_is_rounded_down_to_the_grid(self):
        assert judge([rdl(-1, load_kg=101, reps=8, rir=2)]).load_kg == 102.5

    def test_reps_restart_at_the_bottom_of_the_range(self):
        assert "reps restart at 6" in judge([rdl(-1, reps=8, rir=2)]).note


class TestGridArithmetic:
    def test_a_step_that_lands_on_the_old_load_adds_one_more_grid_step(self):
        assert increased(100, 1, 2.5) == 102.5

    def test_a_decrease_floors_ninety_percent_to_the_grid(self):
        assert reduced(120, 2.5) == 107.5

    def test_a_decrease_is_not_fooled_by_float_noise(self):
        assert reduced(50, 5) == 45


class TestUnilateral:
    def test_each_side_is_judged_on_its_own(self):
        workout = a_workout(
            at(-1),
            sets(3, "single-leg-curl", load_kg=20, reps=15, to_failure=True, side="left"),
            sets(3, "single-leg-curl", load_kg=25, reps=14, to_failure=True, side="right"),
        )
        assert [judge([workout], "single-leg-curl", side).rule for side in ("left", "right")] == [
            "increase",
            "hold",
        ]

    def test_a_both_set_of_a_unilateral_exercise_counts_for_each_leg(self):
        workout = a_workout(at(-1), sets(3, "single-leg-curl", load_kg=20, reps=15, to_failure=True))
        assert judge([workout], "single-leg-curl", "right").load_kg == 22.5


class TestHold:
    def test_hold_keeps_the_load_and_aims_one_more_rep_on_the_weakest_set(self):
        workout = a_workout(at(-1), [a_set(reps=8, rir=2), a_set(reps=7, rir=2), a_set(reps=6, rir=2)])
        decision = judge([workout])
        assert (decision.load_kg, decision.reason) == (
            100,
            {"rule": "hold", "fewest_reps": 6, "target_reps": 7},
        )


class TestMisses:
    def test_two_sessions_under_rep_min_at_the_same_load_cut_ten_percent(self):
        decision = judge([rdl(-2, load_kg=120, reps=5, rir=1), rdl(-1, load_kg=120, reps=5, rir=1)])
        assert (decision.rule, decision.load_kg, decision.sets) == ("miss", 107.5, 3)

    def test_one_missed_session_holds(self):
        decision = judge([rdl(-2, load_kg=120, reps=7, rir=1), rdl(-1, load_kg=120, reps=5, rir=1)])
        assert decision.rule == "hold"

    def test_misses_at_different_loads_hold(self):
        decision = judge([rdl(-2, load_kg=117.5, reps=5, rir=1), rdl(-1, load_kg=120, reps=5, rir=1)])
        assert decision.rule == "hold"

    def test_a_miss_more_than_21_days_ago_does_not_count(self):
        decision = judge([rdl(-4, load_kg=120, reps=5, rir=1), rdl(-1, load_kg=120, reps=5, rir=1)])
        assert decision.rule == "hold"

    def test_a_failed_attempt_counts_as_a_miss(self):
        workouts = [
            a_workout(at(w), sets(3, load_kg=120, reps=6, rir=1), [a_set(load_kg=120, reps=0)])
            for w in (-2, -1)
        ]
        assert judge(workouts).rule == "miss"

    def test_an_assisted_exercise_gets_more_assistance_instead(self):
        workouts = [
            a_workout(at(w), sets(3, "glute-ham-raise", load_kg=0, reps=4, rir=1, assistance_kg=20))
            for w in (-2, -1)
        ]
        decision = judge(workouts, "glute-ham-raise")
        assert (decision.rule, decision.assistance_kg, decision.load_kg) == ("miss", 25, 0)


class TestGluteHamRaise:
    def ghr(self, assistance_kg, load_kg=0):
        workout = a_workout(
            at(-1), sets(3, "glute-ham-raise", load_kg=load_kg, reps=8, rir=1, assistance_kg=assistance_kg)
        )
        return judge([workout], "glute-ham-raise")

    def test_hitting_rep_max_takes_5_kg_of_assistance_off(self):
        decision = self.ghr(20)
        assert (decision.assistance_kg, decision.reason) == (
            15,
            {
                "rule": "increase",
                "assistance_step": -5,
                "computed": {"quantity": "assistance", "value": 15, "unit": "kg"},
                "loadable": {"quantity": "assistance", "value": 15, "unit": "kg"},
            },
        )

    def test_assistance_is_floored_at_zero(self):
        assert self.ghr(3).assistance_kg == 0

    def test_without_assistance_it_adds_held_load(self):
        decision = self.ghr(None)
        assert (decision.load_kg, decision.reason["load_step"], decision.reason["loadable"]["value"]) == (
            2.5,
            2.5,
            2.5,
        )


class TestNordic:
    def nordic(self, *sessions):
        """Sessions oldest first, ending in W-1: (reps, eccentric_s, assistance_kg)."""
        start = -len(sessions)
        workouts = [
            a_workout(
                at(start + i),
                sets(3, "nordic-curl", load_kg=0, reps=reps, rir=1, eccentric_s=ecc, assistance_kg=assist),
            )
            for i, (reps, ecc, assist) in enumerate(sessions)
        ]
        return judge(workouts, "nordic-curl")

    def test_six_reps_at_the_target_lengthen_the_negative_first(self):
        decision = self.nordic((6, 3, 10))
        assert (decision.eccentric_s, decision.assistance_kg, decision.reason) == (
            4,
            10,
            {"rule": "increase", "eccentric_step": 1},
        )

    def test_the_target_is_replayed_from_earlier_sessions(self):
        assert self.nordic((6, 3, 10), (6, 4, 10), (6, 5, 10)).eccentric_s == 6

    def test_a_negative_short_of_the_target_holds_at_the_target(self):
        decision = self.nordic((6, 3, 10), (6, 3.5, 10))
        assert (decision.rule, decision.eccentric_s) == ("hold", 4)

    def test_at_six_seconds_assistance_drops_and_the_target_restarts_at_three(self):
        decision = self.nordic((6, 3, 10), (6, 4, 10), (6, 5, 10), (6, 6, 10))
        assert (decision.assistance_kg, decision.eccentric_s) == (5, 3)

    def test_at_six_seconds_without_assistance_it_adds_held_load(self):
        decision = self.nordic((6, 3, 0), (6, 4, 0), (6, 5, 0), (6, 6, 0))
        assert (decision.load_kg, decision.eccentric_s) == (2.5, 3)

    def test_a_lower_logged_assistance_restarts_the_ladder(self):
        assert self.nordic((6, 3, 10), (6, 4, 5)).eccentric_s == 4

    def test_two_sessions_below_rep_min_add_assistance(self):
        decision = self.nordic((3, 3, 10), (3, 3, 10))
        assert (decision.rule, decision.assistance_kg) == ("miss", 15)

    def test_two_sessions_with_negatives_well_under_target_add_assistance(self):
        decision = self.nordic((6, 3, 10), (6, 4, 10), (5, 3, 10), (5, 3, 10))
        assert (decision.rule, decision.assistance_kg, decision.eccentric_s) == ("miss", 15, 5)

    def test_four_reps_at_the_target_hold(self):
        assert self.nordic((4, 4, 10), (4, 4, 10)).rule == "hold"


class TestStaleSessions:
    def test_a_last_session_14_days_old_is_not_judged(self):
        decision = judge([a_workout(NOW - timedelta(days=14), sets(3, reps=8, rir=2))])
        assert (decision.rule, decision.load_kg) == ("start", None)

    def test_a_last_session_just_under_14_days_old_is_judged(self):
        assert judge([a_workout(NOW - timedelta(days=13.9), sets(3, reps=8, rir=2))]).rule == "increase"

    def test_deload_week_days_do_not_age_a_session(self):
        assert judge([rdl(-3, reps=8, rir=2)], deload_weeks={week(-2), week(-1)}).rule == "increase"

    def test_deload_week_sets_are_not_judged(self):
        decision = judge(
            [rdl(-2, reps=8, rir=2), rdl(-1, count=2, load_kg=90, reps=6, rir=3)], deload_weeks={week(-1)}
        )
        assert decision.load_kg == 102.5


class TestDeloadSlot:
    def test_sets_are_halved_rounding_up(self):
        assert judge([rdl(-1, count=5, reps=6, rir=2)], deload=True).sets == 3

    def test_load_is_ninety_percent_floored_to_the_grid(self):
        assert judge([rdl(-1, load_kg=120, reps=6, rir=2)], deload=True).load_kg == 107.5

    def test_unloaded_assisted_exercises_get_5_kg_more_assistance(self):
        workout = a_workout(at(-1), sets(3, "glute-ham-raise", load_kg=0, reps=6, rir=1, assistance_kg=20))
        assert judge([workout], "glute-ham-raise", deload=True).assistance_kg == 25

    def test_the_nordic_keeps_its_current_target(self):
        workouts = [
            a_workout(
                at(w), sets(3, "nordic-curl", load_kg=0, reps=6, eccentric_s=3 + (w + 2), assistance_kg=10)
            )
            for w in (-2, -1)
        ]
        assert judge(workouts, "nordic-curl", deload=True).eccentric_s == 4

    def test_an_untrained_slot_has_no_load(self):
        decision = judge([], slot=a_slot("romanian-deadlift", sets=3), deload=True)
        assert (decision.sets, decision.load_kg) == (2, None)
