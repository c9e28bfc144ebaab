"""Two roads to the Nordic curl (training-rules.md §4.7, §4.8): the athletic goal's add-on
(`prog.nordic_addon@1.0.0` → `program.nordic_addon`) and the glute-ham raise outgrown
(`prog.ghr_to_nordic@1.0.0` → `progression.ghr_to_nordic`).

Programmes that included the Nordic curl cut hamstring injuries in sprinting and jumping athletes
(risk ratio 0.49 across 15 studies and 8,459 athletes) [cited: R2]. The windows, the session count
and the 2 × 4–6 dose are [house]; the way it is done is the seed's [seed].
"""

from __future__ import annotations

from services.training.catalog import CATALOG, NORDIC
from services.training.findings import Finding, day_window, evidence, iso
from services.training.history import History
from services.training.progression import (
    PRESCRIBED_ECCENTRIC_S,
    STALE_AFTER_DAYS,
    SessionIndex,
    SlotParams,
    tops_the_range,
)
from services.training.types import JsonDict, ProgramPlan, ProgramSlot, UserProfile

ADDON_RULE_ID = "prog.nordic_addon@1.0.0"
ADDON_KIND = "program.nordic_addon"
GHR_RULE_ID = "prog.ghr_to_nordic@1.0.0"
GHR_KIND = "progression.ghr_to_nordic"
GHR = "glute-ham-raise"

NORDIC_LOOKBACK_DAYS = 28  # "no Nordic work lately": none in 4 weeks [house]
NORDIC_ADDED_SETS = 2  # the seed's day-A Nordic dose; new Nordic work makes the hamstrings very sore [seed]
NORDIC_SLOT_ORDER = 2  # after the day's first exercise (the hinge), before the curl taken to failure [seed]
GHR_SESSIONS = 3  # unassisted at the top of the range in each of the last 3 sessions [house]
# The seed article's advice on how to do it.
NORDIC_ADVICE = "lower as slowly as you can; it is fine not to come back up"


def nordic_recommendation() -> JsonDict:
    """The slot to add (the shape of §4.6's `add`, which the API lands in the program)."""
    spec = CATALOG[NORDIC]
    return {
        "add": [
            {
                "order": NORDIC_SLOT_ORDER,
                "exercise_id": NORDIC,
                "sets": NORDIC_ADDED_SETS,
                "rep_min": spec.rep_min,
                "rep_max": spec.rep_max,
                "eccentric_s": PRESCRIBED_ECCENTRIC_S,
            }
        ],
        "how": NORDIC_ADVICE,
    }


def _nordic_lately(history: History, program: ProgramPlan | None) -> bool:
    """A Nordic working set in the last 28 days, or a Nordic slot in the program."""
    logged = any(f.exercise_id == NORDIC and f.working for f in history.last_days(NORDIC_LOOKBACK_DAYS))
    return logged or _slot_of(program, NORDIC) is not None


def _slot_of(program: ProgramPlan | None, exercise_id: str) -> ProgramSlot | None:
    slots = [] if program is None else [s for day in program.days for s in day.slots]
    return next((s for s in slots if s.exercise_id == exercise_id), None)


def nordic_addon(history: History, user: UserProfile, program: ProgramPlan | None) -> list[Finding]:
    """`goal = athletic` and no Nordic curl in 28 days (logged or planned), while legs are trained."""
    cal = history.cal
    leg_workouts = {
        f.workout_id for f in history.last_days(NORDIC_LOOKBACK_DAYS) if f.hard and f.spec.lower_body
    }
    if user.goal != "athletic" or not leg_workouts or _nordic_lately(history, program):
        return []
    last = next((f.at for f in reversed(history.facts) if f.exercise_id == NORDIC and f.working), None)
    return [
        Finding(
            kind=ADDON_KIND,
            subject=NORDIC,
            severity="info",
            rule_id=ADDON_RULE_ID,
            title="Add Nordic curls for sprinting and jumping",
            explanation=(
                "You train for athletic performance and have done no Nordic curls in 4 weeks. Programmes "
                "that included them cut hamstring injuries by about half in sprinting and jumping athletes. "
                f"Add {NORDIC_ADDED_SETS} sets of 4–6 to one leg day, after your hinge: {NORDIC_ADVICE}."
            ),
            evidence=evidence(
                day_window(cal, NORDIC_LOOKBACK_DAYS),
                {"lookback_days": NORDIC_LOOKBACK_DAYS, "goal": "athletic"},
                {
                    "goal": user.goal,
                    "nordic_sets": 0,
                    "last_nordic_at": None if last is None else iso(last),
                    "nordic_in_program": False,
                    "leg_workouts": len(leg_workouts),
                    "risk_ratio": 0.49,
                },
            ),
            recommendation=nordic_recommendation(),
        )
    ]


def ghr_to_nordic(history: History, index: SessionIndex, program: ProgramPlan | None) -> list[Finding]:
    """Glute-ham raises without assistance at the top of the range (§2.1's test, the slot's range)
    in each of the last 3 sessions, the last within 14 days, and no Nordic work yet → suggest it."""
    params = SlotParams.for_exercise(CATALOG[GHR], _slot_of(program, GHR), history.equipment)
    sessions = index.sessions(GHR, "both")[-GHR_SESSIONS:]
    if (
        len(sessions) < GHR_SESSIONS
        or not index.recent(sessions[-1], STALE_AFTER_DAYS)
        or not all(s.assistance_kg == 0 and tops_the_range(s, params) for s in sessions)
        or _nordic_lately(history, program)
    ):
        return []
    return [
        Finding(
            kind=GHR_KIND,
            subject=GHR,
            severity="info",
            rule_id=GHR_RULE_ID,
            title="Ready for Nordic curls",
            explanation=(
                f"Your last {GHR_SESSIONS} glute-ham raise sessions hit {params.rep_max} reps on every set "
                f"without a band. The next step is the Nordic curl: {NORDIC_ADVICE}."
            ),
            evidence=evidence(
                day_window(history.cal, STALE_AFTER_DAYS),
                {"sessions": GHR_SESSIONS, "rep_max": params.rep_max, "assistance_kg": 0},
                {
                    "exercise_id": GHR,
                    "sessions": [
                        {"workout_id": s.workout_id, "at": iso(s.at), "sets": s.set_summaries()}
                        for s in sessions
                    ],
                },
            ),
            recommendation=nordic_recommendation(),
        )
    ]
