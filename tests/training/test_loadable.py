"""§2.8: loads move on the user's grid, in the user's unit, and never the wrong way because of rounding.

The issue's worked cases: 225 lb × 8 × 3 at the top of the range → 230 lb on a 45 lb bar (45 + 45 +
2.5 a side); a 5 kg-step seated curl stack; microplates on and off; the seed's steps unchanged for a
default kilogram user; a user who switches unit mid-history.
"""

from datetime import timedelta

import pytest

from services.training import evaluate, weekly_best_e1rm
from services.training.deload import score
from services.training.equipment import EquipmentProfile, PlateGrid, StackPosition, StepGrid, default_profile
from services.training.loads import cut, nearest, stepped_down, stepped_up
from services.training.transfer import transfer_target
from services.training.units import stored_kg, to_kg
from tests.training.builders import (
    NOW,
    a_custom,
    a_workout,
    an_insight,
    at,
    engine_input,
    history,
    sets,
    user,
)

LB = user(unit="lb")
KG_BAR = PlateGrid(20.0, default_profile("kg").plates)
LB_BAR = PlateGrid(45.0, default_profile("lb").plates)


def in_lb(value, **fields):
    """Sets entered in pounds, as the phone sends them: the kilograms and what the user typed."""
    return {"load_kg": round(to_kg(value, "lb"), 4), "entered_load": value, "entered_unit": "lb", **fields}


def rows(workouts, **overrides):
    return {(p.exercise_id, p.side): p for p in evaluate(engine_input(workouts, **overrides)).prescriptions}


def row(workouts, exercise_id="romanian-deadlift", **overrides):
    return rows(workouts, **overrides)[(exercise_id, "both")]


def rdl_top(load_kg=100.0, week=-1, reps=8):
    return a_workout(at(week), sets(3, "romanian-deadlift", load_kg=load_kg, reps=reps, rir=2))


def rdl_lb(value, reps=8, week=-1):
    return a_workout(at(week), sets(3, "romanian-deadlift", reps=reps, rir=2, **in_lb(value)))


class TestMovesOnAGrid:
    def test_up_lands_within_the_step(self):
        assert (stepped_up(100, 2.5, KG_BAR), stepped_up(225, 5.51, LB_BAR)) == (102.5, 230)

    def test_up_from_an_off_grid_load_never_lowers_or_keeps_it(self):
        assert (stepped_up(101, 2.5, KG_BAR), stepped_up(102.06, 2.5, KG_BAR)) == (102.5, 102.5)

    def test_a_step_finer_than_the_equipment_moves_one_load_up(self):
        # 2 kg is 4.41 lb; pound dumbbells come in 5 lb.
        assert stepped_up(50, 4.41, StepGrid(5, 5)) == 55

    def test_up_from_under_the_empty_bar_is_the_empty_bar(self):
        assert stepped_up(15, 2.5, KG_BAR) == 20

    def test_down_floors_ninety_percent(self):
        assert (cut(120, KG_BAR), cut(225, LB_BAR)) == (107.5, 200)

    def test_down_never_raises_the_empty_bar_nor_a_lighter_log(self):
        assert (cut(20, KG_BAR), cut(21, KG_BAR), cut(15, KG_BAR)) == (20, 20, 15)

    def test_assistance_off_moves_at_most_a_step_and_stops_at_zero(self):
        grid = StepGrid(0, 5)
        assert (stepped_down(20, 5, grid), stepped_down(12, 5, grid), stepped_down(3, 5, grid)) == (15, 10, 0)
        assert stepped_down(0, 5, grid) == 0

    def test_assistance_off_in_pounds_uses_the_pound_grid(self):
        # 5 kg = 11.02 lb: from 40 lb the lightest within the step on a 10 lb grid is 30.
        assert stepped_down(40, 11.02, StepGrid(0, 10)) == 30

    def test_a_hold_repeats_the_nearest_load(self):
        assert (nearest(101, KG_BAR), nearest(101.5, KG_BAR), nearest(101.25, KG_BAR)) == (100, 102.5, 100)
        assert nearest(15, KG_BAR) == 15


class TestPoundUser:
    def test_225_lb_for_8_8_8_at_the_top_of_the_range_gives_230_lb(self):
        rx = row([rdl_lb(225)], user=LB)
        assert (rx.unit, rx.load, rx.bar, rx.plates_per_side, rx.load_kg) == (
            "lb",
            230,
            45,
            (45, 45, 2.5),
            stored_kg(230, "lb"),
        )
        assert rx.note == "All sets hit 8 reps: 230 lb next; reps restart at 6."

    def test_the_reason_keeps_the_exact_value_beside_the_loadable_one(self):
        reason = row([rdl_lb(225)], user=LB).reason
        assert (reason["load_step"], reason["computed"], reason["loadable"]) == (
            5,
            {"quantity": "load", "value": 230.5116, "unit": "lb"},
            {"quantity": "load", "value": 230, "unit": "lb"},
        )

    def test_kilograms_without_the_entered_value_give_the_same_230_lb(self):
        workout = a_workout(at(-1), sets(3, "romanian-deadlift", load_kg=102.0582, reps=8, rir=2))
        assert row([workout], user=LB).load == 230

    def test_the_step_up_insight_speaks_pounds(self):
        [insight] = evaluate(engine_input([rdl_lb(225)], user=LB)).insights
        change = insight.evidence["inputs"]["changes"][0]
        assert insight.explanation.endswith("Next time: 230 lb (was 225 lb).")
        assert (change["unit"], change["shown_from"], change["shown_to"], change["to"]) == (
            "lb",
            {"load": 225},
            {"load": 230},
            {"load_kg": 104.3},
        )

    def test_two_misses_cut_to_a_pound_load(self):
        rx = row([rdl_lb(225, reps=5, week=-2), rdl_lb(225, reps=5)], user=LB)
        assert (rx.reason["rule"], rx.load, rx.plates_per_side) == ("miss", 200, (45, 25, 5, 2.5))
        assert rx.reason["computed"]["value"] == 202.5
        assert "200 lb next" in rx.note

    def test_a_pound_stack_moves_in_its_own_step(self):
        curls = a_workout(at(-1), sets(3, "seated-leg-curl", reps=15, to_failure=True, **in_lb(100)))
        rx = row([curls], "seated-leg-curl", user=LB)
        assert (rx.load, rx.stack) == (110, StackPosition(pin=11))

    def test_pound_dumbbells_move_one_pair_up(self):
        presses = a_workout(at(-1), sets(3, "dumbbell-bench-press", reps=10, rir=2, **in_lb(100)))
        assert row([presses], "dumbbell-bench-press", user=LB).load == 110

    def test_assistance_comes_off_in_pound_steps(self):
        ghr = a_workout(
            at(-1),
            sets(
                3, "glute-ham-raise", load_kg=0, reps=8, rir=1, eccentric_s=3, assistance_kg=to_kg(40, "lb")
            ),
        )
        rx = row([ghr], "glute-ham-raise", user=LB)
        assert (rx.assistance, rx.note) == (
            30,
            "All sets hit 8 reps: 30 lb assistance next; reps restart at 5.",
        )

    def test_a_deload_week_cuts_to_a_pound_load(self):
        accepted = an_insight("deload.suggested", "program", "accepted", NOW - timedelta(hours=1))
        rx = row([rdl_lb(225, reps=7)], user=LB, insights=[accepted])
        assert (rx.reason["rule"], rx.load, rx.sets) == ("deload", 200, 2)

    def test_the_deload_explanation_speaks_pounds(self):
        workouts = [rdl_lb(225, reps=7, week=-2), rdl_lb(225, reps=5)]
        signal = score(history(workouts, unit="lb"), (), frozenset()).signals["rep_drop"]
        assert signal.reason == "Romanian deadlift at 225 lb down from 7 to 5 reps"

    def test_a_substitution_target_is_a_pound_load(self):
        curls = [a_workout(at(-1), sets(3, "seated-leg-curl", reps=13, to_failure=True, **in_lb(100)))]
        target = transfer_target("seated-leg-curl", "lying-leg-curl", curls, LB, NOW)
        # e1RM 100 × (1 + 13/30) = 143.3 lb; lying curl to failure at 15: 143.3 / 1.5 = 95.6 → 95 lb.
        assert (target.unit, target.load, target.stack, target.load_kg) == (
            "lb",
            95,
            StackPosition(pin=9, add_on=True),
            stored_kg(95, "lb"),
        )
        assert "95 lb for 12–15 reps" in target.note


class TestKilogramUserUnchanged:
    @pytest.mark.parametrize(
        ("exercise_id", "load_kg", "reps", "effort", "expected"),
        [
            ("romanian-deadlift", 100, 8, {"rir": 2}, 102.5),
            ("seated-leg-curl", 45, 15, {"to_failure": True}, 50),
            ("leg-extension", 50, 15, {"to_failure": True}, 55),
            ("leg-press", 160, 12, {"rir": 2}, 170),
        ],
    )
    def test_the_seed_steps(self, exercise_id, load_kg, reps, effort, expected):
        workout = a_workout(at(-1), sets(3, exercise_id, load_kg=load_kg, reps=reps, **effort))
        rx = row([workout], exercise_id)
        assert (rx.unit, rx.load, rx.load_kg) == ("kg", expected, expected)

    def test_the_barbell_shows_its_plates(self):
        rx = row([rdl_top(100)])
        assert (rx.bar, rx.plates_per_side, rx.stack) == (20, (25, 15, 1.25), None)

    def test_a_5_kg_step_seated_curl_stack(self):
        curls = a_workout(at(-1), sets(3, "seated-leg-curl", load_kg=47, reps=15, to_failure=True))
        rx = row([curls], "seated-leg-curl")
        # 47 + 5 = 52 → 50, the heaviest pin within the step: pin 10 of a stack starting at 5 kg.
        assert (rx.load, rx.stack, rx.plates_per_side) == (50, StackPosition(pin=10), None)

    def test_a_seated_curl_miss_lands_on_a_pin(self):
        misses = [
            a_workout(at(week), sets(3, "seated-leg-curl", load_kg=45, reps=10, to_failure=True))
            for week in (-2, -1)
        ]
        rx = row(misses, "seated-leg-curl")
        assert (rx.reason["rule"], rx.load, rx.stack) == ("miss", 40, StackPosition(pin=8))


class TestMicroplates:
    MICRO = default_profile("kg", microplates=True)

    def test_an_off_grid_log_steps_up_to_the_finer_grid_with_microplates(self):
        off = row([rdl_top(101)])
        on = row([rdl_top(101)], equipment=self.MICRO)
        assert (off.load, on.load, on.plates_per_side) == (102.5, 103.5, (25, 15, 1.25, 0.5))

    def test_a_miss_cuts_closer_to_ninety_percent_with_microplates(self):
        misses = [rdl_top(102.5, week=-2, reps=5), rdl_top(102.5, reps=5)]
        off, on = row(misses), row(misses, equipment=self.MICRO)
        assert (off.load, on.load, on.reason["computed"]["value"]) == (90, 92, 92.25)

    def test_the_seed_step_is_still_2_5_kg(self):
        assert row([rdl_top(100)], equipment=self.MICRO).load == 102.5


class TestUnitSwitch:
    def test_kilogram_logs_read_by_a_pound_user(self):
        # 100 kg = 220.46 lb; + 2.5 kg (5.51 lb) = 225.97 → 225 lb, the heaviest within the step.
        rx = row([rdl_top(100)], user=LB)
        assert (rx.load, rx.reason["computed"]["value"]) == (225, 225.9716)

    def test_pound_logs_read_by_a_kilogram_user(self):
        # 225 lb = 102.06 kg; + 2.5 = 104.56 → 102.5 kg: above the log, within the step.
        rx = row([rdl_lb(225)])
        assert (rx.unit, rx.load) == ("kg", 102.5)

    def test_the_same_load_entered_in_each_unit_is_the_same_load_for_a_miss(self):
        workouts = [rdl_lb(225, reps=5, week=-2), rdl_top(102.0582, reps=5)]
        assert (row(workouts).reason["rule"], row(workouts, user=LB).reason["rule"]) == ("miss", "miss")

    def test_estimated_maxes_do_not_depend_on_the_unit(self):
        workouts = [rdl_lb(225, week=-2), rdl_top(105)]
        kg, lb = (weekly_best_e1rm(workouts, u, NOW, "romanian-deadlift", 2) for u in (user(), LB))
        # 225 lb = 102.06 kg × (1 + 10/30) = 136.1; 105 × 1.333 = 140.
        assert kg == lb
        assert [r.e1rm_kg for r in kg] == [136.1, 140.0]

    def test_a_profile_in_the_other_unit_is_the_same_gym(self):
        # A pound user training in a kilogram gym: 100 kg + 2.5 kg, shown in pounds.
        rx = row([rdl_top(100)], user=LB, equipment=default_profile("kg"))
        # The kilogram plates converted to 0.001 lb each: 102.5 kg to within a hundredth of a pound.
        assert (rx.unit, rx.load, rx.load_kg) == (
            "lb",
            pytest.approx(225.97, abs=0.02),
            pytest.approx(102.5, abs=0.01),
        )


def test_a_profile_without_small_plates_jumps_further():
    big = default_profile("kg")
    no_small = EquipmentProfile(
        **{
            **{f: getattr(big, f) for f in EquipmentProfile.__dataclass_fields__},
            "plates": (25, 20, 10, 5, 2.5),
        }
    )
    rx = row([rdl_top(100)], equipment=no_small)
    # The smallest pair is 5 kg: 102.5 cannot be made, so the load goes to 105 (the lightest above).
    assert (rx.load, rx.plates_per_side, rx.reason["computed"]["value"]) == (105, (25, 10, 5, 2.5), 102.5)


class TestOwnExercises:
    def test_an_own_exercise_of_unknown_equipment_has_plates_but_no_bar(self):
        sled = a_custom(
            "cx_sled", "sled push", "other", {"quadriceps": 1.0}, load_type="external", equipment="sled"
        )
        pushes = a_workout(at(-1), sets(3, "cx_sled", load_kg=10, reps=12, rir=2))
        rx = rows([pushes], custom_exercises=[sled])[("cx_sled", "both")]
        # The barbell class's 2.5 kg steps, as before, from 10 kg: no 20 kg bar under it.
        assert (rx.load, rx.bar, rx.plates_per_side) == (12.5, 0, (5, 1.25))

    def test_an_own_barbell_exercise_is_on_the_bar(self):
        lift = a_custom(
            "cx_pin_press", "pin press", "push", {"chest": 1.0}, load_type="external", equipment="barbell"
        )
        presses = a_workout(at(-1), sets(3, "cx_pin_press", load_kg=60, reps=12, rir=2))
        rx = rows([presses], custom_exercises=[lift])[("cx_pin_press", "both")]
        assert (rx.load, rx.bar, rx.plates_per_side) == (62.5, 20, (20, 1.25))
