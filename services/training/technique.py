"""Eccentric tempo (training-rules.md §2.5): `tech.eccentric_tempo@1.0.0` → `technique.eccentric_too_fast`.

A technique cue only: hypertrophy is similar for repetition durations of 0.5–8 s [cited: R12], so
the text never says a fast negative costs growth. The 3 s target is [seed]; 2.5 s, the 50 % share
and the 4-set minimum are [house].
"""

from __future__ import annotations

import statistics
from collections import defaultdict

from services.training.findings import Finding, day_window, evidence, fmt, ratio
from services.training.history import History, SetFact
from services.training.progression import MIN_ECCENTRIC_S

RULE_ID = "tech.eccentric_tempo@1.0.0"
KIND = "technique.eccentric_too_fast"
WINDOW_DAYS = 14
MIN_SETS = 4
FAST_SHARE = 0.5
WARNING_MEDIAN_S = 1.5


def eccentric_too_fast(history: History) -> list[Finding]:
    logged: defaultdict[str, list[SetFact]] = defaultdict(list)
    for fact in history.last_days(WINDOW_DAYS):
        if fact.working and fact.spec.controls_eccentric and fact.eccentric_s is not None:
            logged[fact.exercise_id].append(fact)
    return [
        finding
        for exercise_id in sorted(logged)
        if (finding := _judge(history, exercise_id, logged[exercise_id])) is not None
    ]


def _judge(history: History, exercise_id: str, facts: list[SetFact]) -> Finding | None:
    if len(facts) < MIN_SETS:
        return None
    eccentrics = [f.eccentric_s or 0.0 for f in facts]
    share = sum(1 for e in eccentrics if e < MIN_ECCENTRIC_S) / len(eccentrics)
    if share < FAST_SHARE:
        return None
    median = statistics.median(eccentrics)
    name = history.spec(exercise_id).name
    explanation = (
        f"{round(share * 100)}% of your {name} sets in the last 14 days had a lowering phase under 3 s "
        f"(median {fmt(median)} s). Control the negative: 3 seconds down. "
        "Fast sets don't count toward your next weight increase."
    )
    return Finding(
        kind=KIND,
        subject=exercise_id,
        severity="warning" if median < WARNING_MEDIAN_S else "info",
        rule_id=RULE_ID,
        title=f"Slow down the lowering on {name}",
        explanation=explanation,
        evidence=evidence(
            day_window(history.cal, WINDOW_DAYS),
            {
                "threshold_s": MIN_ECCENTRIC_S,
                "fast_share": FAST_SHARE,
                "min_sets": MIN_SETS,
                "warning_median_s": WARNING_MEDIAN_S,
            },
            {
                "n_sets": len(facts),
                "fast_share": ratio(share),
                "median_eccentric_s": round(median, 1),
                "threshold_s": MIN_ECCENTRIC_S,
            },
        ),
        recommendation={"eccentric_s": 3.0, "cue": "3 seconds down on every rep"},
    )
