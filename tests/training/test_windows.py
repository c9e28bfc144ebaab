"""Which weeks the engine reads set by set and which as weekly summaries (training-rules.md §1.8),
and the two questions a summarised week answers: its hard sets and whether legs were trained before
a deload was accepted."""

from datetime import timedelta

from services.training import evaluate
from services.training.history import History
from services.training.types import WeeklyAggregate
from services.training.windows import history_since, set_by_set_since
from tests.training.builders import (
    NOW,
    THU,
    an_insight,
    at,
    engine_input,
    sets,
    user,
    week,
    weekly,
)


def test_the_sets_are_read_one_by_one_from_w_minus_9():
    # NOW is Monday 2 March 2026 in Berlin: W-9 starts on Monday 29 December 2025.
    assert set_by_set_since(user(), NOW, []) == week(-9)


def test_each_accepted_deload_reaches_a_week_further_back():
    accepted = [an_insight("deload.suggested", "program", "accepted") for _ in range(2)]
    declined = an_insight("deload.suggested", "program", "dismissed")

    assert set_by_set_since(user(), NOW, [*accepted, declined]) == week(-11)


def test_the_window_never_starts_before_the_history():
    accepted = [an_insight("deload.suggested", "program", "accepted") for _ in range(30)]

    assert set_by_set_since(user(), NOW, accepted) == history_since(user(), NOW) == week(-26)


def test_a_summarised_week_counts_its_hard_sets_beside_the_sets_read_one_by_one():
    # W-12: 3 hard Romanian deadlift sets and 1.5 of split squats (left/right sets count 0.5) as
    # summaries; W-1: 2 sets read one by one.
    summaries = [
        WeeklyAggregate(week(-12), "romanian-deadlift", 3.0, at(-12)),
        WeeklyAggregate(week(-12), "bulgarian-split-squat", 1.5, at(-12, THU)),
    ]
    h = History.build(weekly([-1], lambda _: sets(2)), user(), NOW, weekly=summaries)

    assert (h.hard_sets(week(-12)), h.hard_sets(week(-1)), h.hard_sets(week(-2))) == (4.5, 2.0, 0.0)


def test_a_summary_of_an_exercise_outside_the_catalog_is_ignored_like_its_sets():
    summaries = [WeeklyAggregate(week(-12), "cx_deleted-long-ago", 3.0, at(-12))]
    h = History.build([], user(), NOW, weekly=summaries)

    assert h.hard_sets(week(-12)) == 0.0


def test_legs_trained_before_a_moment_are_read_from_the_first_hard_set_of_a_summary():
    summaries = [
        WeeklyAggregate(week(-12), "lat-pulldown", 4.0, at(-12, hour=8)),  # upper body: not legs
        WeeklyAggregate(week(-12), "back-squat", 3.0, at(-12, THU)),
    ]
    h = History.build([], user(), NOW, weekly=summaries)

    assert not h.leg_trained_before(week(-12), at(-12, THU))
    assert h.leg_trained_before(week(-12), at(-12, THU) + timedelta(minutes=1))
    assert h.has_leg_workout(week(-12))


def test_the_engine_gives_the_same_streak_from_summaries_as_from_sets():
    # 10 hard weeks in a row, W-10..W-1, 6 sets each: the streak (§3.2) reaches back past W-9.
    workouts = weekly(range(-10, 0), lambda _: sets(6, rir=2))
    older = [w for w in workouts if w.started_at < at(-9, 0, 0)]
    summaries = [WeeklyAggregate(week(-10), "romanian-deadlift", 6.0, older[0].started_at)]

    from_sets = evaluate(engine_input(workouts))
    from_summaries = evaluate(engine_input([w for w in workouts if w not in older], weekly=summaries))

    assert from_summaries == from_sets
