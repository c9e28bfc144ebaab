"""§2.6 substitution transfer, `prog.transfer@1.1.0`: one behaviour per test."""

from __future__ import annotations

import pytest

from services.training import CustomExercise, ProgramSlot, evaluate, transfer_target
from services.training.transfer import TRANSFER_RATIOS, TRANSFER_RULE_ID
from tests.training.builders import NOW, a_program, a_set, a_slot, a_workout, at, engine_input, sets, user


def seated_curls(load_kg: float = 45, reps: int = 13, week: int = -1):
    return [a_workout(at(week), sets(3, "seated-leg-curl", load_kg=load_kg, reps=reps, to_failure=True))]


def target(old: str, new: str, workouts=(), **kwargs):
    return transfer_target(old, new, list(workouts), user(), NOW, **kwargs)


class TestRelatedWithRatio:
    def test_seated_to_lying_curl_scales_the_e1rm_to_the_top_of_the_new_range_rounded_down(self):
        # 45 × 13 to failure: e1RM 45 × (1 + 13/30) = 64.5; × 1.0; 15 reps at RIR 0 → 64.5 / 1.5 = 43 → 40.
        found = target("seated-leg-curl", "lying-leg-curl", seated_curls())
        assert (found.load_kg, found.ratio, found.reason["case"]) == (40, 1.0, "ratio")

    def test_the_reverse_swap_uses_the_inverse_ratio(self):
        rdl = [a_workout(at(-1), sets(3, "romanian-deadlift", load_kg=80, reps=8, rir=2))]
        # DB RDL 64 × 10 @ RIR 2: e1RM 64 × 1.4 = 89.6; × 1 / 0.8 = 112; 8 reps at RIR 2 → 112 / 1.333 = 84 → 82.5.
        found = target(
            "dumbbell-romanian-deadlift",
            "romanian-deadlift",
            [a_workout(at(-1), sets(3, "dumbbell-romanian-deadlift", load_kg=64, reps=10, rir=2))],
        )
        assert (found.load_kg, found.ratio) == (82.5, 1.25)
        # RDL 80 × 8 @ RIR 2: 106.7 × 0.8 = 85.3; 10 reps at RIR 2 → 85.3 / 1.4 = 61 → 60 (4 kg steps).
        assert target("romanian-deadlift", "dumbbell-romanian-deadlift", rdl).load_kg == 60

    def test_the_reason_carries_the_rule_id_the_case_and_the_numbers(self):
        reason = target("seated-leg-curl", "lying-leg-curl", seated_curls()).reason
        assert (reason["rule"], reason["rule_id"], reason["old_e1rm"], reason["new_e1rm"]) == (
            "transfer",
            TRANSFER_RULE_ID,
            64.5,
            64.5,
        )

    def test_isolation_sets_above_12_reps_are_low_confidence(self):
        assert target("seated-leg-curl", "lying-leg-curl", seated_curls()).reason["confidence"] == "low"

    def test_the_slot_range_and_step_override_the_catalog(self):
        slot = ProgramSlot(0, "lying-leg-curl", 3, 8, 10, increment_kg=2.5)
        # 64.5 / (1 + 10/30) = 48.4 → 47.5 on a 2.5 kg grid.
        assert target("seated-leg-curl", "lying-leg-curl", seated_curls(), slot=slot).load_kg == 47.5

    def test_a_unilateral_target_uses_half_of_the_bilateral_e1rm(self):
        assert target("seated-leg-curl", "single-leg-curl", seated_curls()).load_kg == 20

    def test_a_unilateral_source_gives_its_weaker_side(self):
        workouts = [
            a_workout(
                at(-1),
                sets(2, "single-leg-curl", load_kg=20, reps=12, to_failure=True, side="left"),
                sets(2, "single-leg-curl", load_kg=30, reps=12, to_failure=True, side="right"),
            )
        ]
        # left e1RM 20 × 1.4 = 28 → × 2 = 56 → / 1.5 = 37.3 → 35.
        assert target("single-leg-curl", "seated-leg-curl", workouts).load_kg == 35

    def test_every_ratio_is_between_related_exercises_of_one_pattern_or_documented(self):
        assert all(0 < ratio <= 1 for ratio in TRANSFER_RATIOS.values())


class TestConservativeStart:
    @pytest.mark.parametrize(
        ("old", "new", "case"),
        [
            ("seated-leg-curl", "romanian-deadlift", "unrelated"),
            ("seated-leg-curl", "glute-ham-raise", "no_e1rm"),
            ("back-extension-45", "romanian-deadlift", "no_e1rm"),
            ("romanian-deadlift", "conventional-deadlift", "no_history"),
            ("leg-press", "hack-squat", "related_no_ratio"),
        ],
    )
    def test_each_case_starts_with_no_load_and_says_why(self, old, new, case):
        workouts = [a_workout(at(-1), sets(3, old, load_kg=50, reps=10, rir=2))]
        if case == "no_history":
            workouts = []
        found = target(old, new, workouts)
        assert (found.load_kg, found.reason["case"], found.reason["rule_id"]) == (
            None,
            case,
            TRANSFER_RULE_ID,
        )
        assert found.note.startswith("Start light")

    def test_sets_older_than_28_days_are_not_carried_over(self):
        assert (
            target("seated-leg-curl", "lying-leg-curl", seated_curls(week=-5)).reason["case"] == "no_history"
        )

    def test_an_assisted_start_talks_about_band_help(self):
        assert "band help" in target("seated-leg-curl", "nordic-curl").note

    def test_an_unknown_exercise_is_an_unrelated_start(self):
        assert target("seated-leg-curl", "cx_unknown").reason["case"] == "unrelated"

    def test_a_users_own_exercise_of_the_same_pattern_has_no_ratio(self):
        own = CustomExercise(
            "cx_curl", "Cable curl", "knee_flexion", {"hamstrings": 1.0}, equipment="machine_stack"
        )
        found = target("seated-leg-curl", "cx_curl", seated_curls(), custom_exercises=[own])
        assert (found.load_kg, found.reason["case"]) == (None, "related_no_ratio")


def test_the_same_exercise_keeps_its_e1rm():
    found = target(
        "seated-leg-curl",
        "seated-leg-curl",
        [a_workout(at(-1), [a_set("seated-leg-curl", 45, 13, to_failure=True)] * 2)],
    )
    assert (found.load_kg, found.reason["case"]) == (40, "same_exercise")


class TestSubstitutedSlotInThePlan:
    """§2.6 in the engine: a program slot that names the exercise it replaced starts from it."""

    def prescription(self, **slot_overrides):
        program = a_program(a_slot("lying-leg-curl", **slot_overrides))
        [row] = evaluate(engine_input(seated_curls(), program=program)).prescriptions
        return row

    def test_its_first_prescription_carries_the_replaced_exercises_e1rm_over(self):
        row = self.prescription(substituted_from="seated-leg-curl")
        assert (row.exercise_id, row.load_kg) == ("lying-leg-curl", 40)
        assert (row.reason["rule"], row.reason["rule_id"]) == ("transfer", TRANSFER_RULE_ID)

    def test_without_a_substitution_it_starts_from_nothing(self):
        row = self.prescription()
        assert (row.load_kg, row.reason["rule"]) == (None, "start")

    def test_once_the_new_exercise_has_logs_its_own_progression_takes_over(self):
        lying = [
            a_workout(at(-1, weekday=4), sets(3, "lying-leg-curl", load_kg=40, reps=12, to_failure=True))
        ]
        program = a_program(a_slot("lying-leg-curl", substituted_from="seated-leg-curl"))
        [row] = evaluate(engine_input([*seated_curls(), *lying], program=program)).prescriptions
        assert row.reason["rule"] in ("hold", "increase", "miss")
