"""Muscle credit and weekly volume (training-rules.md §1.3, §1.4, §0.3).

Fractional counting: a primary muscle gets 1.0 × side weight per hard set, a secondary muscle 0.5 ×.
The 0.5 for indirect work is the method with the strongest evidence in a 67-study meta-regression
[cited: R4] and Liftosaur's default synergist multiplier [cited: R15]. A user's own exercise credits
each muscle its declared share instead (§0.3); `ExerciseSpec.credits` holds either.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from services.training.catalog import HAMSTRINGS, MUSCLES, PATTERNS, QUADRICEPS
from services.training.custom import user_catalog
from services.training.history import History, SetFact
from services.training.types import CustomExercise, UserProfile, WeekVolume, Workout


def muscle_credit(facts: Iterable[SetFact]) -> dict[str, float]:
    """Credit per muscle over the hard sets among `facts`; every catalog muscle is present."""
    credit: dict[str, float] = dict.fromkeys(MUSCLES, 0.0)
    for fact in facts:
        if not fact.hard:
            continue
        for muscle, share in fact.spec.credits:
            credit[muscle] += share * fact.weight
    return credit


def pattern_sets(facts: Iterable[SetFact]) -> dict[str, float]:
    """Side-weighted hard sets per movement pattern; every pattern is present."""
    counts: dict[str, float] = dict.fromkeys(PATTERNS, 0.0)
    for fact in facts:
        if fact.hard:
            counts[fact.spec.pattern] += fact.weight
    return counts


def hard_set_count(facts: Iterable[SetFact]) -> float:
    return sum((fact.weight for fact in facts if fact.hard), 0.0)


def week_volume(history: History, week_start: date) -> WeekVolume:
    facts = history.week(week_start)
    credit = muscle_credit(facts)
    quads = credit[QUADRICEPS]
    return WeekVolume(
        week_start=week_start,
        muscles=credit,
        patterns=pattern_sets(facts),
        hard_sets=hard_set_count(facts),
        hamstring_quad_ratio=round(credit[HAMSTRINGS] / quads, 2) if quads else None,
    )


def weekly_volume(
    workouts: Iterable[Workout],
    user: UserProfile,
    now: datetime,
    weeks: int,
    *,
    custom_exercises: Sequence[CustomExercise] = (),
) -> list[WeekVolume]:
    """Hard-set credit per muscle for each of the last `weeks` completed weeks, oldest first; sets of
    the user's own exercises count when `custom_exercises` declares them (§0.3)."""
    history = History.build(workouts, user, now, user_catalog(custom_exercises))
    return [week_volume(history, week) for week in history.cal.completed_weeks(weeks)]
