"""Estimated 1RM (training-rules.md §1.5).

Epley on RIR-adjusted reps is canonical: `n = reps + rir_eff` treats 5 reps at 5 RIR like a
10RM [cited: R9]. Brzycki [cited: R16] is computed for display and cross-checking only.
Linear equations are advised to use ≤ 10 reps [cited: R17]; the general cap of 12 and the
isolation cap of 15 (low confidence) are [house].
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from services.training.custom import user_catalog
from services.training.history import History, SetFact
from services.training.types import BodyWeight, CustomExercise, UserProfile, WeekE1rm, Workout

REP_CAP = 12
ISOLATION_REP_CAP = 15  # only the strength-ratio (§4.4) and left/right (§4.5) rules


def rep_equivalent(fact: SetFact) -> float:
    """Reps the load allows to failure; unknown effort counts as RIR 0 (underestimates, on purpose)."""
    return fact.reps + (fact.rir_eff or 0.0)


def epley(load_kg: float, n: float) -> float:
    return load_kg if n == 1 else load_kg * (1 + n / 30)


def brzycki(load_kg: float, n: float) -> float:
    return load_kg * 36 / (37 - n)


def set_e1rm(fact: SetFact, *, rep_cap: int = REP_CAP) -> float | None:
    """Epley e1RM of a working set, or None where §1.5 gives none (assisted external load, bodyweight
    without a weigh-in or a fraction (§1.7), a ballistic swing, n out of range)."""
    load = fact.e1rm_load_kg
    if not fact.working or load is None:
        return None
    n = rep_equivalent(fact)
    return epley(load, n) if 1 <= n <= rep_cap else None


def best_set(facts: Iterable[SetFact], *, rep_cap: int = REP_CAP) -> tuple[float, SetFact] | None:
    """The highest valid e1RM among `facts` with the set that produced it (first one wins a tie)."""
    best: tuple[float, SetFact] | None = None
    for fact in facts:
        value = set_e1rm(fact, rep_cap=rep_cap)
        if value is not None and (best is None or value > best[0]):
            best = (value, fact)
    return best


def week_best(history: History, exercise_id: str, week: date) -> tuple[float, SetFact] | None:
    """Weekly best e1RM: the best valid e1RM among the week's `side = both` sets of the exercise."""
    return best_set(f for f in history.exercise_week(exercise_id, week) if f.side == "both")


def weekly_best_e1rm(
    workouts: Iterable[Workout],
    user: UserProfile,
    now: datetime,
    exercise_id: str,
    weeks: int,
    *,
    custom_exercises: Sequence[CustomExercise] = (),
    body_weights: Sequence[BodyWeight] = (),
) -> list[WeekE1rm]:
    """Weekly best e1RM of one exercise for the last `weeks` completed weeks, oldest first, for display
    (kilograms; `units.from_kg` gives the user's unit). A user's own exercise (in `custom_exercises`)
    has one only if it is externally loaded (§0.3); a catalog body-weight exercise with a body-mass
    fraction has one once `body_weights` holds a weigh-in (§1.7)."""
    history = History.build(workouts, user, now, user_catalog(custom_exercises), body_weights=body_weights)
    rows = []
    for week in history.cal.completed_weeks(weeks):
        best = week_best(history, exercise_id, week)
        if best is None:
            rows.append(WeekE1rm(week, None, None, None))
            continue
        value, fact = best
        n = rep_equivalent(fact)
        rows.append(
            WeekE1rm(week, round(value, 1), round(brzycki(fact.e1rm_load_kg or 0.0, n), 1), fact.set.id)
        )
    return rows
