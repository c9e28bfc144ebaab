"""§4: imbalance alerts."""

from datetime import timedelta

import pytest

from services.training.imbalance import (
    hamstring_neglect,
    hamstring_quad_volume,
    left_right,
    pattern_coverage,
    posterior_chain_deficit,
    strength_ratio,
)
from tests.training.builders import FRI, NOW, a_finding, a_pain, a_workout, at, history, sets


def volume_weeks(ham_sets, quad_sets, weeks=range(-4, 0)):
    """Per week: `ham_sets` RDL sets (hamstrings 1.0 each) and `quad_sets` leg extensions (quads 1.0)."""
    return [a_workout(at(w), sets(ham_sets, rir=2), sets(quad_sets, "leg-extension", rir=1)) for w in weeks]


class TestHamstringQuadVolume:
    def test_a_ratio_under_half_is_info(self):
        [finding] = hamstring_quad_volume(history(volume_weeks(1, 3)))
        assert (finding.kind, finding.subject, finding.severity, finding.rule_id) == (
            "imbalance.hamstring_quad_volume",
            "hamstrings",
            "info",
            "imb.hq_volume@1.0.0",
        )

    def test_exactly_half_is_fine(self):
        assert hamstring_quad_volume(history(volume_weeks(2, 4))) == []

    def test_under_a_quarter_is_a_warning(self):
        assert hamstring_quad_volume(history(volume_weeks(1, 5)))[0].severity == "warning"

    def test_exactly_a_quarter_stays_info(self):
        assert hamstring_quad_volume(history(volume_weeks(1, 4)))[0].severity == "info"

    def test_needs_at_least_12_quad_sets(self):
        workouts = volume_weeks(0, 3, range(-4, -1)) + volume_weeks(0, 2, [-1])
        assert hamstring_quad_volume(history(workouts)) == []

    def test_needs_three_trained_weeks_of_four(self):
        assert hamstring_quad_volume(history(volume_weeks(0, 8, [-2, -1]))) == []

    def test_the_reverse_alert_names_the_quadriceps(self):
        [finding] = hamstring_quad_volume(history(volume_weeks(4, 1)))
        assert (finding.subject, finding.evidence["inputs"]["ratio"]) == ("quadriceps", 0.25)

    def test_evidence_carries_totals_weekly_rows_and_the_weekly_average(self):
        inputs = hamstring_quad_volume(history(volume_weeks(1, 3)))[0].evidence["inputs"]
        assert (inputs["H"], inputs["Q"], inputs["ratio"], inputs["H_weekly_avg"]) == (4, 12, 0.33, 1)
        assert inputs["weekly"][0] == {"week": "2026-02-02", "H": 1, "Q": 3}

    def test_the_text_fills_in_the_numbers(self):
        finding = hamstring_quad_volume(history(volume_weeks(1, 3)))[0]
        assert "you did 4 hamstring sets against 12 quad sets (ratio 0.33)" in finding.explanation


def quad_workouts(days_ago=(2, 5)):
    return [a_workout(NOW - timedelta(days=d), sets(3, "back-squat", rir=2)) for d in days_ago]


def hamstrings_at(days_ago, **fields):
    return a_workout(
        NOW - timedelta(days=days_ago), sets(3, "seated-leg-curl", **{"to_failure": True, **fields})
    )


class TestHamstringNeglect:
    def test_no_hamstring_set_in_56_days_while_training_legs_is_a_warning(self):
        [finding] = hamstring_neglect(history(quad_workouts()))
        assert (finding.severity, finding.evidence["inputs"]["days_since"]) == ("warning", None)
        assert "over 56 days" in finding.explanation

    def test_14_days_without_hamstrings_is_info(self):
        [finding] = hamstring_neglect(history([*quad_workouts(), hamstrings_at(14)]))
        assert (finding.severity, finding.evidence["inputs"]["days_since"]) == ("info", 14)

    def test_13_whole_days_is_not_neglect(self):
        assert hamstring_neglect(history([*quad_workouts(), hamstrings_at(13.9)])) == []

    def test_21_days_is_a_warning(self):
        assert hamstring_neglect(history([*quad_workouts(), hamstrings_at(21)]))[0].severity == "warning"

    def test_one_quad_workout_in_14_days_is_not_training_legs(self):
        assert hamstring_neglect(history(quad_workouts(days_ago=(2,)))) == []

    def test_easy_hamstring_sets_do_not_count(self):
        easy = hamstrings_at(3, to_failure=False, rir=6)
        assert (
            hamstring_neglect(history([*quad_workouts(), easy]))[0].evidence["inputs"]["days_since"] is None
        )

    def test_evidence_counts_quad_workouts(self):
        inputs = hamstring_neglect(history(quad_workouts((1, 3, 6))))[0].evidence["inputs"]
        assert (inputs["quad_workouts_14d"], inputs["last_hamstring_set_at"]) == (3, None)


def pattern_workouts(hinge_sets, curl_sets, days_ago=3):
    when = NOW - timedelta(days=days_ago)
    return [a_workout(when, sets(hinge_sets, rir=2), sets(curl_sets, "seated-leg-curl", to_failure=True))]


class TestPatternCoverage:
    def test_hinges_without_curls_miss_knee_flexion(self):
        [finding] = pattern_coverage(history(pattern_workouts(4, 0)))
        assert (finding.subject, finding.severity, finding.evidence["inputs"]["missing_pattern"]) == (
            "hamstrings",
            "warning",
            "knee_flexion",
        )

    def test_curls_without_hinges_miss_the_hip_hinge(self):
        [finding] = pattern_coverage(history(pattern_workouts(0, 4)))
        assert finding.evidence["inputs"] == {
            "missing_pattern": "hip_hinge",
            "HH_14d": 0,
            "KF_14d": 4,
            "missing_28d": 0,
        }

    def test_fewer_than_four_sets_of_the_present_pattern_say_nothing(self):
        assert pattern_coverage(history(pattern_workouts(3, 0))) == []

    def test_a_little_of_the_missing_pattern_is_enough(self):
        assert pattern_coverage(history(pattern_workouts(4, 1))) == []

    def test_one_side_sets_count_half(self):
        workout = a_workout(NOW - timedelta(days=2), sets(7, "single-leg-curl", side="left", to_failure=True))
        assert pattern_coverage(history([workout])) == []

    def test_the_missing_pattern_trained_15_to_28_days_ago_makes_it_info(self):
        workouts = pattern_workouts(4, 0) + pattern_workouts(0, 2, days_ago=20)
        assert pattern_coverage(history(workouts))[0].severity == "info"

    def test_the_suggestion_names_the_missing_exercise(self):
        finding = pattern_coverage(history(pattern_workouts(4, 0)))[0]
        assert finding.explanation.endswith("add a seated leg curl.")
        assert finding.recommendation["add"][0]["exercise_id"] == "seated-leg-curl"


def machines(curl_kg, extension_kg, curl="seated-leg-curl", curl_sets=2, reps=12):
    when = NOW - timedelta(days=3)
    return [
        a_workout(
            when,
            sets(curl_sets, curl, load_kg=curl_kg, reps=reps, to_failure=True),
            sets(2, "leg-extension", load_kg=extension_kg, reps=reps, to_failure=True),
        )
    ]


class TestStrengthRatio:
    def test_a_curl_under_045_of_the_extension_is_always_info_and_low_confidence(self):
        [finding] = strength_ratio(history(machines(44, 100)))
        inputs = finding.evidence["inputs"]
        assert (finding.severity, inputs["ratio"], inputs["confidence"], inputs["convention"]) == (
            "info",
            0.44,
            "low",
            0.6,
        )

    def test_exactly_045_is_fine(self):
        assert strength_ratio(history(machines(45, 100))) == []

    def test_one_valid_seated_set_falls_back_to_the_lying_curl(self):
        workouts = machines(44, 100, curl_sets=1) + machines(20, 100, curl="lying-leg-curl")
        assert strength_ratio(history(workouts))[0].evidence["inputs"]["curl_exercise"] == "lying-leg-curl"

    def test_without_two_valid_extension_sets_there_is_no_ratio(self):
        workout = a_workout(
            NOW - timedelta(days=3), sets(2, "seated-leg-curl", load_kg=20, reps=12, to_failure=True)
        )
        assert strength_ratio(history([workout])) == []

    def test_sets_of_13_to_15_reps_are_used(self):
        assert len(strength_ratio(history(machines(40, 100, reps=15)))) == 1

    def test_sets_older_than_28_days_are_ignored(self):
        old = [
            a_workout(
                NOW - timedelta(days=28), sets(2, "seated-leg-curl", load_kg=20, reps=12, to_failure=True)
            )
        ]
        assert strength_ratio(history(old + machines(60, 100))) == []

    def test_the_text_never_calls_it_an_hq_ratio_or_a_risk(self):
        text = strength_ratio(history(machines(44, 100)))[0].explanation
        assert "not a lab H:Q ratio" in text
        assert "risk" not in text


def sided(left_kg, right_kg, exercise_id="single-leg-curl", weeks=(-2, -1), reps=12):
    return [
        a_workout(
            at(w),
            sets(2, exercise_id, load_kg=left_kg, reps=reps, to_failure=True, side="left"),
            sets(2, exercise_id, load_kg=right_kg, reps=reps, to_failure=True, side="right"),
        )
        for w in weeks
    ]


class TestLeftRight:
    def test_more_than_15_percent_is_a_warning_naming_the_weaker_side(self):
        [finding] = left_right(history(sided(20, 25)))
        inputs = finding.evidence["inputs"]
        assert (finding.subject, finding.severity, inputs["weaker_side"], inputs["asym_pct"]) == (
            "left/right:single-leg-curl",
            "warning",
            "left",
            20.0,
        )

    def test_exactly_15_percent_is_info(self):
        assert left_right(history(sided(100, 85)))[0].severity == "info"

    def test_exactly_10_percent_says_nothing(self):
        assert left_right(history(sided(90, 100))) == []

    def test_one_workout_is_not_enough(self):
        assert left_right(history(sided(20, 25, weeks=(-1,)))) == []

    def test_three_of_four_workouts_in_one_direction_is_consistent(self):
        workouts = sided(20, 25, weeks=(-4, -3, -2)) + sided(25, 20, weeks=(-1,))
        assert left_right(history(workouts))[0].evidence["inputs"]["weaker_side"] == "left"

    def test_a_split_direction_says_nothing(self):
        assert left_right(history(sided(20, 25, weeks=(-2,)) + sided(25, 20, weeks=(-1,)))) == []

    def test_the_asymmetry_is_the_median_across_workouts(self):
        workouts = sided(20, 25, weeks=(-3,)) + sided(22, 25, weeks=(-2,)) + sided(23, 25, weeks=(-1,))
        assert left_right(history(workouts))[0].evidence["inputs"]["asym_pct"] == 12.0

    def test_isolation_sets_past_12_reps_are_low_confidence(self):
        assert left_right(history(sided(20, 25, reps=14)))[0].evidence["inputs"]["confidence"] == "low"

    def test_the_text_is_about_balance_not_injury(self):
        text = left_right(history(sided(20, 25)))[0].explanation
        assert text == (
            "Your left side is 20% weaker on single-leg curl. "
            "Start with the left side and match its reps on the other."
        )


def seed_story(squat_kg=(120,) * 6, curl_sets=2, extension_sets=3, knee=((-2, 4),), extra=()):
    """W-6..W-1: back squat 4×6 r1 (none where the load is None), leg extensions, lying curls;
    knee reports as (week, severity) on Fridays."""
    workouts = [
        a_workout(
            at(w),
            sets(4, "back-squat", load_kg=load, reps=6, rir=1) if load else [],
            sets(extension_sets, "leg-extension", load_kg=50, reps=12, to_failure=True),
            sets(curl_sets, "lying-leg-curl", load_kg=20, reps=12, to_failure=True),
        )
        for w, load in zip(range(-6, 0), squat_kg, strict=True)
    ]
    pain = [a_pain(at(w, FRI), severity=s) for w, s in knee]
    return history([*workouts, *extra]), pain


class TestPosteriorChainDeficit:
    def test_flat_squat_little_hamstring_work_and_knee_pain_is_a_warning(self):
        [finding] = posterior_chain_deficit(*seed_story(), [])
        assert (finding.kind, finding.subject, finding.severity) == (
            "imbalance.posterior_chain_deficit",
            "hamstrings",
            "warning",
        )

    def test_severe_recent_knee_pain_is_critical_with_the_clinician_sentence(self):
        [finding] = posterior_chain_deficit(*seed_story(knee=((-1, 7),)), [])
        assert finding.severity == "critical"
        assert "clinician" in finding.explanation

    def test_no_knee_report_in_42_days_means_no_alert(self):
        workouts, _ = seed_story()
        assert posterior_chain_deficit(workouts, [a_pain(NOW - timedelta(days=42))], []) == []

    def test_a_squat_up_2_5_percent_is_not_flat(self):
        assert posterior_chain_deficit(*seed_story(squat_kg=(120, 120, 121, 122, 123, 123)), []) == []

    def test_enough_hamstring_work_means_no_alert(self):
        assert posterior_chain_deficit(*seed_story(curl_sets=5), []) == []

    def test_a_low_hamstring_to_quad_ratio_is_little_work_even_at_four_sets_a_week(self):
        # 4.0 hamstring sets a week, but 24 / 78 = 0.31 of the quad work.
        assert len(posterior_chain_deficit(*seed_story(curl_sets=4, extension_sets=9), [])) == 1

    def test_the_leg_press_stands_in_when_the_squat_has_too_few_weeks(self):
        leg_press = [
            a_workout(at(w, FRI), sets(3, "leg-press", load_kg=180, reps=10, rir=2)) for w in range(-4, 0)
        ]
        workouts, pain = seed_story(squat_kg=(None,) * 6, extra=leg_press)
        [finding] = posterior_chain_deficit(workouts, pain, [])
        assert finding.evidence["inputs"]["squat_exercise"] == "leg-press"

    def test_evidence_has_the_trend_the_work_and_the_reports(self):
        inputs = posterior_chain_deficit(*seed_story(), [])[0].evidence["inputs"]
        assert (inputs["gain_pct"], inputs["avg_weekly_hamstring_sets"], inputs["H"], inputs["Q"]) == (
            0.0,
            2,
            12,
            42,
        )
        assert [r["severity"] for r in inputs["knee_reports"]] == [4]

    def test_the_recommendation_adds_an_rdl_and_a_seated_curl_hamstrings_first(self):
        rec = posterior_chain_deficit(*seed_story(), [])[0].recommendation
        assert [(a["day"], a["exercise_id"]) for a in rec["add"]] == [
            ("A", "romanian-deadlift"),
            ("B", "seated-leg-curl"),
        ]
        assert rec["order"] == "hamstrings_first"

    def test_a_hinge_asymmetry_swaps_in_the_dumbbell_rdl(self):
        asymmetry = a_finding("imbalance.left_right", "left/right:single-leg-romanian-deadlift")
        rec = posterior_chain_deficit(*seed_story(), [asymmetry])[0].recommendation
        assert rec["add"][0]["exercise_id"] == "dumbbell-romanian-deadlift"

    def test_lower_back_pain_makes_the_back_extension_the_day_b_hinge(self):
        workouts, pain = seed_story()
        rec = posterior_chain_deficit(workouts, [*pain, a_pain(at(-1), "lower_back", 4)], [])[
            0
        ].recommendation
        assert [(a["day"], a["exercise_id"]) for a in rec["add"]] == [
            ("A", "seated-leg-curl"),
            ("B", "back-extension-45"),
        ]

    def test_the_text_says_may_help_and_not_a_diagnosis(self):
        text = posterior_chain_deficit(*seed_story(), [])[0].explanation
        assert "may help" in text
        assert "This is not a diagnosis." in text


@pytest.mark.parametrize(
    "rule", [hamstring_quad_volume, hamstring_neglect, pattern_coverage, strength_ratio, left_right]
)
def test_no_logs_no_alerts(rule):
    assert rule(history([])) == []
