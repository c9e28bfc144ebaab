"""§1.1–§1.4: set classes, local weeks, side weighting, muscle credit, weekly volume."""

from datetime import UTC, date, datetime, timedelta

import pytest

from services.training.sets import rir_eff
from services.training.volume import muscle_credit, pattern_sets, weekly_volume
from tests.training.builders import NOW, SUN, W0, a_set, a_workout, at, calendar, history, sets, user


class TestEffectiveRir:
    def test_to_failure_is_zero_rir_whatever_was_logged(self):
        assert rir_eff(a_set(to_failure=True, rir=3, rpe=6)) == 0

    def test_rir_wins_over_rpe(self):
        assert rir_eff(a_set(rir=2, rpe=9)) == 2

    def test_rpe_converts_on_the_rir_scale_with_half_points(self):
        assert rir_eff(a_set(rpe=8.5)) == 1.5

    def test_no_effort_logged_is_unknown(self):
        assert rir_eff(a_set()) is None


class TestHardSets:
    def test_rir_4_is_hard(self):
        assert history([a_workout(at(-1), [a_set(rir=4)])]).facts[0].hard

    def test_rir_above_4_is_not_hard(self):
        assert not history([a_workout(at(-1), [a_set(rir=4.5)])]).facts[0].hard

    def test_unknown_effort_counts_as_hard(self):
        assert history([a_workout(at(-1), [a_set()])]).facts[0].hard

    def test_zero_rep_attempt_is_neither_working_nor_hard(self):
        fact = history([a_workout(at(-1), [a_set(reps=0)])]).facts[0]
        assert (fact.working, fact.hard) == (False, False)

    def test_warmup_sets_are_dropped_from_every_rule(self):
        assert history([a_workout(at(-1), [a_set(is_warmup=True)])]).facts == ()

    def test_exercises_outside_the_catalog_are_ignored(self):
        assert history([a_workout(at(-1), [a_set("cable-kickback")])]).facts == ()

    def test_sets_after_now_are_ignored(self):
        assert history([a_workout(NOW + timedelta(minutes=1), [a_set()])]).facts == ()


class TestMuscleCredit:
    def test_primary_muscles_get_one_and_secondary_half(self):
        credit = muscle_credit(history([a_workout(at(-1), [a_set("romanian-deadlift")])]).facts)
        assert (credit["hamstrings"], credit["glutes"], credit["lower_back"]) == (1.0, 1.0, 0.5)

    def test_squat_gives_the_hamstrings_no_credit(self):
        credit = muscle_credit(history([a_workout(at(-1), [a_set("back-squat")])]).facts)
        assert credit["hamstrings"] == 0

    def test_a_left_and_a_right_set_make_one_set(self):
        split = [a_set("bulgarian-split-squat", side="left"), a_set("bulgarian-split-squat", side="right")]
        assert muscle_credit(history([a_workout(at(-1), split)]).facts)["quadriceps"] == 1.0

    def test_sets_that_are_not_hard_give_no_credit(self):
        credit = muscle_credit(history([a_workout(at(-1), [a_set(rir=6)])]).facts)
        assert credit["hamstrings"] == 0

    def test_pattern_counts_are_side_weighted(self):
        counts = pattern_sets(history([a_workout(at(-1), [a_set("single-leg-curl", side="left")])]).facts)
        assert counts["knee_flexion"] == 0.5


class TestLocalWeeks:
    def test_w0_is_the_local_week_containing_now(self):
        assert calendar().w0 == W0

    def test_sunday_evening_local_belongs_to_the_week_that_started_monday(self):
        late_sunday = datetime(2026, 3, 1, 22, 30, tzinfo=UTC)  # 23:30 in Berlin
        assert history([a_workout(late_sunday, [a_set()])]).facts[0].week == date(2026, 2, 23)

    def test_a_sunday_week_start_moves_sunday_into_the_next_week(self):
        sunday = at(-1, SUN)
        assert history([a_workout(sunday, [a_set()])], week_start="sunday").facts[0].week == date(2026, 3, 1)

    def test_performed_at_places_a_set_before_the_workout_start(self):
        workout = a_workout(at(0, hour=0), [a_set(performed_at=at(-1))])
        assert history([workout]).facts[0].week == date(2026, 2, 23)

    def test_dst_week_starts_at_local_midnight_not_168_hours_later(self):
        # Berlin springs forward on Sunday 2026-03-29; Monday 00:30 CEST is 22:30 UTC on Sunday.
        monday_after_dst = datetime(2026, 3, 29, 22, 30, tzinfo=UTC)
        later = datetime(2026, 4, 1, tzinfo=UTC)
        assert history([a_workout(monday_after_dst, [a_set()])], now=later).facts[0].week == date(2026, 3, 30)

    def test_naive_datetimes_are_read_as_utc(self):
        naive = datetime(2026, 3, 1, 22, 30)
        assert history([a_workout(naive, [a_set()])]).facts[0].week == date(2026, 2, 23)


class TestDayWindows:
    def test_the_window_excludes_its_start(self):
        start = NOW - timedelta(days=14)
        assert history([a_workout(start, [a_set()])]).last_days(14) == []

    def test_the_window_includes_now(self):
        assert len(history([a_workout(NOW, [a_set()])]).last_days(14)) == 1


class TestWeeklyVolume:
    def test_covers_completed_weeks_oldest_first(self):
        rows = weekly_volume([], user(), NOW, 3)
        assert [row.week_start for row in rows] == [date(2026, 2, 9), date(2026, 2, 16), date(2026, 2, 23)]

    def test_leaves_out_the_current_week(self):
        rows = weekly_volume([a_workout(NOW, sets(3))], user(), NOW, 1)
        assert rows[0].hard_sets == 0

    def test_reports_credit_ratio_and_patterns(self):
        workout = a_workout(at(-1), sets(4, "romanian-deadlift"), sets(2, "leg-extension"))
        row = weekly_volume([workout], user(), NOW, 1)[0]
        assert (row.muscles["hamstrings"], row.hamstring_quad_ratio, row.patterns["hip_hinge"]) == (4, 2.0, 4)

    def test_ratio_is_none_without_quad_work(self):
        assert weekly_volume([a_workout(at(-1), sets(3))], user(), NOW, 1)[0].hamstring_quad_ratio is None

    @pytest.mark.parametrize("muscle", ["hamstrings", "quadriceps", "glutes", "lower_back", "adductors"])
    def test_every_muscle_is_present_even_at_zero(self, muscle):
        assert weekly_volume([], user(), NOW, 1)[0].muscles[muscle] == 0
