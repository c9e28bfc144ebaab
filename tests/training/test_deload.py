"""§3: deload detection (`deload.detect@1.2.0`), its recommendation, acceptance and decline."""

from datetime import timedelta

import pytest

from services.training import evaluate
from services.training.deload import accepted_deloads, detect_deload, eligible, score
from tests.training.builders import (
    FRI,
    MON,
    NOW,
    a_pain,
    a_workout,
    an_insight,
    at,
    engine_input,
    history,
    sets,
    week,
)

NO_DELOADS = frozenset()


def rdl_weeks(loads_reps, first=-4, **fields):
    """One RDL workout per week from W{first}, 3 sets each: `loads_reps` = [(load, reps), ...]."""
    fields = {"rir": 2, "eccentric_s": 3, **fields}
    return [
        a_workout(at(first + i), sets(3, "romanian-deadlift", load_kg=load, reps=reps, **fields))
        for i, (load, reps) in enumerate(loads_reps)
    ]


def signal(workouts, name, pain=(), deload_weeks=NO_DELOADS):
    return score(history(workouts), pain, deload_weeks).signals[name].points


# A 4-week block that scores exactly 3 (regression 2 + rep drop 1) and nothing else.
def score_three():
    return rdl_weeks([(100, 8), (100, 8), (100, 8), (100, 6)])


class TestEligibility:
    def test_four_trained_weeks_of_the_last_six_are_enough(self):
        assert eligible(history(score_three()), NO_DELOADS)

    def test_three_trained_weeks_are_not(self):
        assert not eligible(history(score_three()[1:]), NO_DELOADS)

    @pytest.mark.parametrize("offset", [1, 0, -1, -2])
    def test_an_accepted_deload_near_now_skips_detection(self, offset):
        assert not eligible(history(score_three()), frozenset({week(offset)}))

    def test_a_deload_three_weeks_ago_no_longer_blocks(self):
        assert eligible(history(rdl_weeks([(100, 8)] * 5, first=-5)), frozenset({week(-3)}))


class TestStall:
    def test_a_key_lift_under_one_percent_up_in_three_weeks_is_a_plateau(self):
        assert signal(rdl_weeks([(100, 8), (100, 8), (100.5, 8), (100, 8)]), "stall") == 1

    def test_exactly_one_percent_up_is_progress(self):
        assert signal(rdl_weeks([(100, 8), (100, 8), (101, 8), (100, 8)]), "stall") == 0

    def test_a_drop_of_exactly_three_percent_is_a_regression(self):
        assert signal(rdl_weeks([(100, 8), (100, 8), (100, 8), (97, 8)]), "stall") == 2

    def test_a_smaller_drop_is_only_a_plateau(self):
        assert signal(rdl_weeks([(100, 8), (100, 8), (100, 8), (97.5, 8)]), "stall") == 1

    def test_a_lower_e1rm_right_after_a_load_step_is_not_a_regression(self):
        # Double progression restarts reps at rep_min after +2.5 kg: Epley dips by design.
        assert signal(rdl_weeks([(117.5, 8), (120, 8), (120, 8), (122.5, 6)]), "stall") == 0

    def test_the_same_drop_at_an_unchanged_load_is_a_regression(self):
        assert signal(rdl_weeks([(117.5, 8), (120, 8), (120, 8), (120, 6)]), "stall") == 2

    def test_a_lift_missing_a_week_is_not_judged(self):
        workouts = rdl_weeks([(100, 8), (100, 8), (97, 8)], first=-3)
        assert signal(workouts, "stall") == 0

    def test_lifts_that_are_not_key_lifts_are_not_judged(self):
        workouts = [
            a_workout(at(w), sets(3, "leg-extension", load_kg=50, reps=10, rir=2)) for w in range(-4, 0)
        ]
        assert signal(workouts, "stall") == 0

    def test_deload_weeks_are_stepped_over(self):
        # W-4 was a deload week at 90 kg: the window is W-5, W-3, W-2, W-1 and stays flat.
        workouts = rdl_weeks([(100, 8), (90, 8), (100, 8), (100, 8), (100, 8)], first=-5)
        assert signal(workouts, "stall", deload_weeks=frozenset({week(-4)})) == 1


class TestEffortCreep:
    def creep(self, *rirs):
        """Back extensions at the same load and reps, one week each, ending in W-1."""
        first = -len(rirs)
        workouts = [
            a_workout(at(first + i), sets(3, "back-extension-45", load_kg=10, reps=12, rir=rir))
            for i, rir in enumerate(rirs)
        ]
        return signal(workouts, "creep")

    def test_one_rir_lower_at_the_same_load_and_reps_scores_one(self):
        assert self.creep(3, 3, 3, 2) == 1

    def test_two_rir_lower_scores_two(self):
        assert self.creep(3, 3, 3, 1) == 2

    def test_less_than_one_rir_lower_scores_nothing(self):
        assert self.creep(3, 3, 3, 2.5) == 0

    def test_the_earliest_week_with_the_pair_is_the_reference(self):
        assert self.creep(3, 2, 2, 1.5) == 1

    def test_sets_without_logged_effort_are_not_compared(self):
        workouts = [a_workout(at(w), sets(3, "back-extension-45", load_kg=10, reps=12)) for w in (-4, -1)]
        assert score(history(workouts), (), NO_DELOADS).signals["creep"].detail is None


class TestRepDrop:
    def test_two_reps_fewer_at_a_load_scores_one(self):
        assert signal(rdl_weeks([(100, 8), (100, 6)], first=-2), "rep_drop") == 1

    def test_one_and_a_half_reps_fewer_scores_nothing(self):
        last_week = a_workout(at(-1), sets(2, load_kg=100, reps=7) + sets(2, load_kg=100, reps=6))
        workouts = [*rdl_weeks([(100, 8)], first=-2), last_week]
        assert signal(workouts, "rep_drop") == 0

    def test_the_most_recent_week_with_the_load_is_the_reference(self):
        assert signal(rdl_weeks([(100, 8), (100, 6), (100, 6)], first=-3), "rep_drop") == 0


class TestHardWeekStreak:
    def streak(self, hard_sets_per_week, deload_weeks=NO_DELOADS):
        first = -len(hard_sets_per_week)
        workouts = [a_workout(at(first + i), sets(n, rir=2)) for i, n in enumerate(hard_sets_per_week) if n]
        return score(history(workouts), (), frozenset(deload_weeks))

    def test_six_hard_weeks_score_one(self):
        assert self.streak([6] * 6).signals["streak"].points == 1

    def test_eight_hard_weeks_score_two(self):
        assert self.streak([6] * 8).signals["streak"].points == 2

    def test_five_hard_weeks_score_nothing(self):
        assert self.streak([6] * 5).signals["streak"].points == 0

    def test_fewer_than_six_hard_sets_is_never_a_hard_week(self):
        assert self.streak([5] * 8).streak == 0

    def test_a_week_under_sixty_percent_of_the_median_breaks_the_streak(self):
        assert self.streak([20] * 6 + [11, 20]).streak == 1

    def test_a_deload_week_ends_the_streak(self):
        assert self.streak([6] * 8, deload_weeks={week(-3)}).streak == 2

    def test_weekly_hard_sets_list_w_minus_1_first(self):
        assert self.streak([3, 4, 5]).weekly_hard_sets[:3] == [5, 4, 3]


class TestPain:
    def test_reports_on_two_local_dates_score_two(self):
        pain = [a_pain(at(-1), severity=3), a_pain(at(-1, FRI), body_part="hamstring", severity=3)]
        assert signal([], "pain", pain) == 2

    def test_two_reports_on_one_local_date_across_utc_midnight_do_not(self):
        # 00:30 and 01:30 in Berlin are the previous UTC day and the same local day.
        pain = [
            a_pain(at(-1, hour=0) + timedelta(minutes=30)),
            a_pain(at(-1, hour=1) + timedelta(minutes=30)),
        ]
        assert signal([], "pain", pain) == 0

    def test_one_report_of_severity_5_scores_one(self):
        assert signal([], "pain", [a_pain(at(-1), severity=5)]) == 1

    def test_one_report_of_severity_4_scores_nothing(self):
        assert signal([], "pain", [a_pain(at(-1), severity=4)]) == 0

    def test_lower_back_pain_is_not_a_deload_signal(self):
        assert signal([], "pain", [a_pain(at(-1), "lower_back", 6), a_pain(at(-2), "lower_back", 6)]) == 0

    def test_reports_older_than_14_days_do_not_count(self):
        assert signal([], "pain", [a_pain(NOW - timedelta(days=14), severity=6)]) == 0


class TestSuggestion:
    def detect(self, workouts, pain=(), insights=()):
        return detect_deload(history(workouts), pain, insights, NO_DELOADS, [])

    def test_a_score_of_three_with_a_performance_signal_is_an_info_suggestion(self):
        finding = self.detect(score_three())
        assert (finding.kind, finding.subject, finding.severity, finding.rule_id) == (
            "deload.suggested",
            "program",
            "info",
            "deload.detect@1.2.0",
        )

    def test_a_score_of_two_is_not_enough(self):
        assert self.detect(rdl_weeks([(100, 8), (100, 8), (100, 8), (97, 8)])) is None

    def test_streak_and_mild_pain_alone_suggest_nothing(self):
        workouts = [a_workout(at(w), sets(6, rir=2, load_kg=100 + w)) for w in range(-8, 0)]
        assert self.detect(workouts, [a_pain(at(-1), severity=5)]) is None

    def test_pain_on_two_days_suggests_without_a_performance_signal(self):
        workouts = [a_workout(at(w), sets(6, rir=2, load_kg=200 + 5 * w)) for w in range(-6, 0)]
        pain = [a_pain(at(-1)), a_pain(at(-1, FRI))]
        assert self.detect(workouts, pain).severity == "warning"

    def test_a_score_of_four_is_a_warning(self):
        assert self.detect(score_three(), [a_pain(at(-1), severity=5)]).severity == "warning"

    def test_a_previous_decline_makes_it_a_warning(self):
        declined = an_insight("deload.suggested", "program", "dismissed", NOW - timedelta(days=30))
        assert self.detect(score_three(), insights=[declined]).severity == "warning"

    def test_severe_knee_pain_is_critical_and_points_to_a_clinician(self):
        finding = self.detect(score_three(), [a_pain(at(-1), severity=7)])
        assert finding.severity == "critical"
        assert "clinician" in finding.explanation

    def test_evidence_lists_points_and_the_lifts(self):
        inputs = self.detect(score_three()).evidence["inputs"]
        assert inputs["points"] == {"stall": 2, "creep": 0, "rep_drop": 1, "streak": 0, "pain": 0}
        assert inputs["stall_lifts"] == {"romanian-deadlift": [133.3, 133.3, 133.3, 126.7]}


def deload_insights(**inputs):
    return [
        i for i in evaluate(engine_input(score_three(), **inputs)).insights if i.kind == "deload.suggested"
    ]


class TestRecommendationThroughTheEngine:
    def test_each_slot_gets_half_the_sets_and_ninety_percent_of_the_load(self):
        [insight] = deload_insights()
        [slot] = insight.recommendation["slots"]
        assert (slot["sets_from"], slot["sets"], slot["load_kg_from"], slot["load_kg"], slot["rir_min"]) == (
            3,
            2,
            100.0,
            90.0,
            3,
        )

    def test_the_text_promises_no_extra_gains(self):
        [insight] = deload_insights()
        assert "(3→2 per exercise)" in insight.explanation
        assert "does not promise extra gains" in insight.explanation


class TestDeclineCooldown:
    def kinds(self, insights, pain=()):
        found = deload_insights(insights=insights, pain_reports=pain)
        return [(i.kind, i.severity, i.evidence["inputs"]["times_declined"]) for i in found]

    def test_no_new_suggestion_within_14_days_of_a_decline(self):
        declined = an_insight("deload.suggested", "program", "dismissed", NOW - timedelta(days=7))
        assert self.kinds([declined]) == []

    def test_after_14_days_it_comes_back_as_a_warning_that_counts_the_decline(self):
        declined = an_insight("deload.suggested", "program", "dismissed", NOW - timedelta(days=14))
        assert self.kinds([declined]) == [("deload.suggested", "warning", 1)]

    def test_new_pain_on_two_days_overrides_the_cooldown(self):
        declined = an_insight("deload.suggested", "program", "dismissed", NOW - timedelta(days=3))
        pain = [a_pain(at(-1), severity=3), a_pain(at(-1, FRI), severity=3)]
        assert self.kinds([declined], pain) == [("deload.suggested", "warning", 1)]

    def test_pain_that_already_scored_in_the_declined_suggestion_does_not_override(self):
        evidence = {"inputs": {"points": {"pain": 2}}}
        declined = an_insight(
            "deload.suggested", "program", "dismissed", NOW - timedelta(days=3), evidence=evidence
        )
        pain = [a_pain(at(-1), severity=3), a_pain(at(-1, FRI), severity=3)]
        assert self.kinds([declined], pain) == []


class TestAcceptedDeload:
    def test_accepted_before_any_leg_workout_this_week_makes_this_week_the_deload(self):
        accepted = an_insight("deload.suggested", "program", "accepted", NOW - timedelta(hours=1))
        [deload] = accepted_deloads(history(score_three()), [accepted])
        assert deload.week == week(0)

    def test_accepted_after_a_leg_workout_this_week_moves_it_to_next_week(self):
        workouts = [*score_three(), a_workout(at(0, MON, hour=8), sets(3, rir=2))]
        accepted = an_insight("deload.suggested", "program", "accepted", NOW - timedelta(hours=1))
        [deload] = accepted_deloads(history(workouts), [accepted])
        assert deload.week == week(1)

    def test_a_deload_in_force_replaces_the_prescriptions(self):
        accepted = an_insight("deload.suggested", "program", "accepted", NOW - timedelta(hours=1))
        [row] = evaluate(engine_input(score_three(), insights=[accepted])).prescriptions
        assert (row.sets, row.load_kg, row.reason, row.valid_from) == (
            2,
            90.0,
            {
                "rule": "deload",
                "rule_id": "deload.detect@1.2.0",
                "insight_id": accepted.id,
                "computed": {"quantity": "load", "value": 90.0, "unit": "kg"},
                "loadable": {"quantity": "load", "value": 90.0, "unit": "kg"},
            },
            week(0),
        )

    def test_a_deload_set_for_next_week_leaves_this_weeks_rows_alone(self):
        workouts = [*score_three(), a_workout(at(0, MON, hour=8), sets(3, reps=7, rir=2))]
        accepted = an_insight("deload.suggested", "program", "accepted", NOW - timedelta(hours=1))
        rows = evaluate(engine_input(workouts, insights=[accepted])).prescriptions
        assert [r.reason["rule"] for r in rows] == ["hold"]

    def test_the_deload_rows_arrive_when_the_deload_week_starts(self):
        workouts = [*score_three(), a_workout(at(0, MON, hour=8), sets(3, reps=7, rir=2))]
        accepted = an_insight("deload.suggested", "program", "accepted", NOW - timedelta(hours=1))
        [row] = evaluate(
            engine_input(workouts, insights=[accepted], now=NOW + timedelta(weeks=1))
        ).prescriptions
        assert (row.reason["rule"], row.valid_from) == ("deload", week(1))

    def test_no_new_suggestion_while_a_deload_is_in_force(self):
        accepted = an_insight("deload.suggested", "program", "accepted", NOW - timedelta(hours=1))
        assert deload_insights(insights=[accepted]) == []
