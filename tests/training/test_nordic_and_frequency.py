"""§4.7 Nordic add-on (`prog.nordic_addon@1.0.0`), §4.8 GHR → Nordic (`prog.ghr_to_nordic@1.0.0`) and
§4.9 hamstring frequency (`imb.ham_frequency@1.0.0`): one behaviour per test."""

from datetime import timedelta

from services.training import evaluate
from services.training.frequency import FREQUENCY_KIND, hamstring_frequency
from services.training.nordic import ADDON_KIND, GHR_KIND, NORDIC_ADVICE, ghr_to_nordic, nordic_addon
from services.training.progression import SessionIndex
from tests.training.builders import (
    FRI,
    NOW,
    a_program,
    a_slot,
    a_workout,
    an_insight,
    at,
    engine_input,
    history,
    sets,
    user,
)

ATHLETE = user(goal="athletic")


def leg_day(week=-1, weekday=1, *extra):
    return a_workout(at(week, weekday), sets(3, reps=7, rir=2), sets(3, "back-squat", reps=7, rir=2), *extra)


class TestNordicAddOn:
    def test_an_athlete_without_nordic_work_gets_the_add_on(self):
        [found] = nordic_addon(history([leg_day()]), ATHLETE, None)
        assert (found.kind, found.subject, found.severity, found.rule_id) == (
            ADDON_KIND,
            "nordic-curl",
            "info",
            "prog.nordic_addon@1.0.0",
        )

    def test_the_recommendation_adds_two_nordic_sets_after_the_hinge(self):
        [found] = nordic_addon(history([leg_day()]), ATHLETE, None)
        assert found.recommendation["add"] == [
            {
                "order": 2,
                "exercise_id": "nordic-curl",
                "sets": 2,
                "rep_min": 4,
                "rep_max": 6,
                "eccentric_s": 3.0,
            }
        ]
        assert NORDIC_ADVICE in found.explanation

    def test_a_hypertrophy_goal_gets_nothing(self):
        assert nordic_addon(history([leg_day()]), user(), None) == []

    def test_nordic_sets_in_the_last_28_days_end_it(self):
        workouts = [leg_day(-1, 1, sets(2, "nordic-curl", load_kg=0, reps=4, rir=1))]
        assert nordic_addon(history(workouts), ATHLETE, None) == []

    def test_a_nordic_slot_in_the_program_ends_it(self):
        assert nordic_addon(history([leg_day()]), ATHLETE, a_program(a_slot("nordic-curl"))) == []

    def test_nordic_sets_older_than_28_days_do_not_count(self):
        old = a_workout(at(-6), sets(2, "nordic-curl", load_kg=0, reps=4, rir=1))
        [found] = nordic_addon(history([old, leg_day()]), ATHLETE, None)
        assert found.evidence["inputs"]["last_nordic_at"] is not None

    def test_without_leg_training_there_is_nothing_to_add_to(self):
        assert nordic_addon(history([]), ATHLETE, None) == []

    def test_a_dismissed_add_on_keeps_the_default_cooldown(self):
        dismissed = an_insight(ADDON_KIND, "nordic-curl", "dismissed", NOW - timedelta(days=3))
        inputs = engine_input([leg_day()], user=ATHLETE, insights=[dismissed])
        assert ADDON_KIND not in {i.kind for i in evaluate(inputs).insights}


def ghr_session(week, assistance_kg=0.0, reps=8, weekday=FRI):
    return a_workout(
        at(week, weekday),
        sets(3, "glute-ham-raise", load_kg=0, reps=reps, rir=1, eccentric_s=3, assistance_kg=assistance_kg),
    )


def ghr(workouts, program=None):
    h = history(workouts)
    return ghr_to_nordic(h, SessionIndex(h, frozenset()), program)


class TestGhrToNordic:
    def test_three_unassisted_sessions_at_the_top_of_the_range_suggest_nordics(self):
        [found] = ghr([ghr_session(w) for w in (-3, -2, -1)])
        assert (found.kind, found.subject, found.rule_id, found.recommendation["add"][0]["exercise_id"]) == (
            GHR_KIND,
            "glute-ham-raise",
            "prog.ghr_to_nordic@1.0.0",
            "nordic-curl",
        )

    def test_the_explanation_gives_the_seed_advice(self):
        [found] = ghr([ghr_session(w) for w in (-3, -2, -1)])
        assert NORDIC_ADVICE in found.explanation

    def test_two_sessions_are_not_enough(self):
        assert ghr([ghr_session(w) for w in (-2, -1)]) == []

    def test_any_assistance_in_the_last_three_sessions_holds_it_back(self):
        assert ghr([ghr_session(-3, assistance_kg=5), ghr_session(-2), ghr_session(-1)]) == []

    def test_a_session_under_the_top_of_the_range_holds_it_back(self):
        assert ghr([ghr_session(-3), ghr_session(-2, reps=7), ghr_session(-1)]) == []

    def test_the_slot_range_is_the_top(self):
        program = a_program(a_slot("glute-ham-raise", rep_min=8, rep_max=10))
        assert ghr([ghr_session(w) for w in (-3, -2, -1)], program) == []

    def test_nordic_work_already_done_ends_it(self):
        nordic = a_workout(at(-1), sets(2, "nordic-curl", load_kg=0, reps=4, rir=1))
        assert ghr([ghr_session(w) for w in (-3, -2, -1)] + [nordic]) == []

    def test_a_stale_last_session_ends_it(self):
        assert ghr([ghr_session(w) for w in (-6, -5, -4)]) == []


def hamstring_day(week, weekday, count=4, exercise_id="romanian-deadlift"):
    return a_workout(at(week, weekday), sets(count, exercise_id, reps=7, rir=2))


class TestHamstringFrequency:
    def test_one_hamstring_day_a_week_for_three_weeks_is_flagged(self):
        [found] = hamstring_frequency(history([hamstring_day(w, 1) for w in (-3, -2, -1)]))
        assert (found.kind, found.subject, found.severity, found.rule_id) == (
            FREQUENCY_KIND,
            "hamstrings",
            "info",
            "imb.ham_frequency@1.0.0",
        )

    def test_the_evidence_has_each_weeks_days_and_sets(self):
        [found] = hamstring_frequency(history([hamstring_day(w, 1) for w in (-3, -2, -1)]))
        assert [(w["days"], w["H"]) for w in found.evidence["inputs"]["weekly"]] == [(1, 4.0)] * 3

    def test_two_days_in_any_of_the_weeks_clears_it(self):
        workouts = [hamstring_day(w, 1) for w in (-3, -2, -1)] + [
            hamstring_day(-2, FRI, 2, "seated-leg-curl")
        ]
        assert hamstring_frequency(history(workouts)) == []

    def test_under_four_sets_a_week_is_left_to_the_volume_rules(self):
        assert hamstring_frequency(history([hamstring_day(w, 1, count=3) for w in (-3, -2, -1)])) == []

    def test_two_weeks_are_not_enough(self):
        assert hamstring_frequency(history([hamstring_day(w, 1) for w in (-2, -1)])) == []

    def test_a_squat_day_is_not_a_hamstring_day(self):
        workouts = [a_workout(at(w, 1), sets(4, reps=7, rir=2)) for w in (-3, -2, -1)]
        workouts += [a_workout(at(w, FRI), sets(4, "back-squat", reps=7, rir=2)) for w in (-3, -2, -1)]
        assert len(hamstring_frequency(history(workouts))) == 1


class TestWorkedExamples:
    """§4.7's worked example on S4's logs."""

    def test_s4_with_an_athletic_goal_gets_the_add_on_and_with_hypertrophy_does_not(self):
        from dataclasses import replace

        from tests.training.test_worked_scenarios import engine_input as scenario

        s4 = scenario("4")
        athletic = evaluate(replace(s4, user=replace(s4.user, goal="athletic"))).insights
        assert [(i.kind, i.severity) for i in athletic if i.kind == ADDON_KIND] == [(ADDON_KIND, "info")]
        assert ADDON_KIND not in {i.kind for i in evaluate(s4).insights}
