"""Imbalance alerts (training-rules.md §4). Rules run independently; none suppresses another."""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from services.training.catalog import CATALOG, HAMSTRINGS, QUADRICEPS
from services.training.e1rm import ISOLATION_REP_CAP, REP_CAP, best_set, rep_equivalent, set_e1rm, week_best
from services.training.findings import (
    Finding,
    at_most,
    below,
    capitalized,
    day_window,
    evidence,
    fmt,
    iso,
    kg,
    pct,
    ratio,
    week_window,
)
from services.training.history import History, SetFact
from services.training.pain import CLINICIAN_SENTENCE, needs_clinician, recent_reports
from services.training.progression import PRESCRIBED_ECCENTRIC_S
from services.training.types import JsonDict, PainReport
from services.training.volume import muscle_credit, pattern_sets

HQ_RULE_ID = "imb.hq_volume@1.0.0"
HQ_KIND = "imbalance.hamstring_quad_volume"
NEGLECT_RULE_ID = "imb.ham_neglect@1.0.0"
NEGLECT_KIND = "imbalance.hamstring_neglect"
PATTERN_RULE_ID = "imb.pattern_coverage@1.0.0"
PATTERN_KIND = "imbalance.pattern_coverage"
# 1.1.0: with a weigh-in, a Nordic or glute-ham raise stands in for a missing machine curl (§1.7).
RATIO_RULE_ID = "imb.strength_ratio@1.1.0"
RATIO_KIND = "imbalance.strength_ratio"
LEFT_RIGHT_RULE_ID = "imb.left_right@1.0.0"
LEFT_RIGHT_KIND = "imbalance.left_right"
POSTERIOR_RULE_ID = "imb.posterior_chain@1.0.0"
POSTERIOR_KIND = "imbalance.posterior_chain_deficit"
LEFT_RIGHT_PREFIX = "left/right:"


def _credit(value: float) -> float:
    """Set credits move in steps of 0.25 (a secondary muscle on a one-side set); 2 decimals are exact."""
    return round(value, 2)


# §4.1 ---------------------------------------------------------------------------------------------

HQ_WEEKS = 4
HQ_MIN_LEG_WEEKS = 3
HQ_MIN_SETS = 12.0
HQ_RATIO = 0.5
HQ_WARNING_RATIO = 0.25

# Per subject: title, explanation template, exercises the recommendation adds.
_HQ_SUBJECTS = {
    HAMSTRINGS: (
        "Hamstring volume is low next to quads",
        "In the last 4 weeks you did {H} hamstring sets against {Q} quad sets (ratio {ratio}). "
        "Hamstrings cross the hip and the knee; add an RDL and a leg curl.",
        ("romanian-deadlift", "seated-leg-curl"),
    ),
    QUADRICEPS: (
        "Quad volume is low next to hamstrings",
        "In the last 4 weeks you did {Q} quad sets against {H} hamstring sets (ratio {ratio}). "
        "Your quads get under half the work of your hamstrings; add a squat or a leg press.",
        ("back-squat",),
    ),
}


def hamstring_quad_volume(history: History) -> list[Finding]:
    """Weekly hard-set ratio over W-4..W-1 [house]: 0.5 / 0.25 and Q ≥ 12 are product choices.

    No study prescribes a hamstring:quad set ratio; the context is the graded dose-response of
    weekly sets [cited: R11] and fractional counting [cited: R4].
    """
    weeks = history.cal.completed_weeks(HQ_WEEKS)
    if sum(history.has_leg_workout(week) for week in weeks) < HQ_MIN_LEG_WEEKS:
        return []
    weekly = [(week, muscle_credit(history.week(week))) for week in weeks]
    ham = sum(credit[HAMSTRINGS] for _, credit in weekly)
    quad = sum(credit[QUADRICEPS] for _, credit in weekly)
    findings = []
    for subject, low, high in ((HAMSTRINGS, ham, quad), (QUADRICEPS, quad, ham)):
        if high < HQ_MIN_SETS or not below(low / high, HQ_RATIO):
            continue
        value = ratio(low / high)
        title, text, exercises = _HQ_SUBJECTS[subject]
        findings.append(
            Finding(
                kind=HQ_KIND,
                subject=subject,
                severity="warning" if below(low / high, HQ_WARNING_RATIO) else "info",
                rule_id=HQ_RULE_ID,
                title=title,
                explanation=text.format(H=fmt(_credit(ham)), Q=fmt(_credit(quad)), ratio=f"{value:.2f}"),
                evidence=evidence(
                    week_window(weeks),
                    {
                        "ratio": HQ_RATIO,
                        "warning_ratio": HQ_WARNING_RATIO,
                        "min_sets": HQ_MIN_SETS,
                        "min_leg_weeks": HQ_MIN_LEG_WEEKS,
                    },
                    {
                        "H": _credit(ham),
                        "Q": _credit(quad),
                        "ratio": value,
                        "H_weekly_avg": _credit(ham / HQ_WEEKS),
                        "Q_weekly_avg": _credit(quad / HQ_WEEKS),
                        "weekly": [
                            {
                                "week": week.isoformat(),
                                "H": _credit(credit[HAMSTRINGS]),
                                "Q": _credit(credit[QUADRICEPS]),
                            }
                            for week, credit in weekly
                        ],
                    },
                ),
                recommendation=_add(exercises),
            )
        )
    return findings


def _add(exercise_ids: Sequence[str], sets: int = 3) -> JsonDict:
    return {
        "add": [
            {
                "exercise_id": exercise_id,
                "sets": sets,
                "rep_min": CATALOG[exercise_id].rep_min,
                "rep_max": CATALOG[exercise_id].rep_max,
            }
            for exercise_id in exercise_ids
        ]
    }


# §4.2 ---------------------------------------------------------------------------------------------

NEGLECT_LOOKBACK_DAYS = 56
NEGLECT_QUAD_DAYS = 14
NEGLECT_MIN_QUAD_WORKOUTS = 2
NEGLECT_DAYS = 14
NEGLECT_WARNING_DAYS = 21


def hamstring_neglect(history: History) -> list[Finding]:
    """No hard hamstring-primary set for 14+ days while legs are trained [house]."""
    cal = history.cal
    quad_workouts = {
        f.workout_id for f in history.last_days(NEGLECT_QUAD_DAYS) if f.hard and QUADRICEPS in f.spec.primary
    }
    if len(quad_workouts) < NEGLECT_MIN_QUAD_WORKOUTS:
        return []
    hamstring_sets = [
        f for f in history.last_days(NEGLECT_LOOKBACK_DAYS) if f.hard and HAMSTRINGS in f.spec.primary
    ]
    last = hamstring_sets[-1].at if hamstring_sets else None
    days_since = math.floor((cal.now - last) / timedelta(days=1)) if last is not None else None
    if days_since is not None and days_since < NEGLECT_DAYS:
        return []
    shown = f"over {NEGLECT_LOOKBACK_DAYS}" if days_since is None else str(days_since)
    return [
        Finding(
            kind=NEGLECT_KIND,
            subject=HAMSTRINGS,
            severity="warning" if days_since is None or days_since >= NEGLECT_WARNING_DAYS else "info",
            rule_id=NEGLECT_RULE_ID,
            title="No hamstring work lately",
            explanation=(
                f"No hard hamstring set in {shown} days, while you trained legs "
                f"{len(quad_workouts)} times in 2 weeks."
            ),
            evidence=evidence(
                day_window(cal, NEGLECT_LOOKBACK_DAYS),
                {
                    "days": NEGLECT_DAYS,
                    "warning_days": NEGLECT_WARNING_DAYS,
                    "lookback_days": NEGLECT_LOOKBACK_DAYS,
                    "min_quad_workouts_14d": NEGLECT_MIN_QUAD_WORKOUTS,
                },
                {
                    "days_since": days_since,
                    "last_hamstring_set_at": iso(last) if last else None,
                    "quad_workouts_14d": len(quad_workouts),
                },
            ),
            recommendation=_add(("romanian-deadlift", "seated-leg-curl")),
        )
    ]


# §4.3 ---------------------------------------------------------------------------------------------

PATTERN_DAYS = 14
PATTERN_SEVERITY_DAYS = 28
PATTERN_MIN_SETS = 4.0
_PATTERN_WORDS = {"hip_hinge": "hip-hinge", "knee_flexion": "knee-flexion (curl)"}
PATTERN_SUGGESTION = {"knee_flexion": "seated-leg-curl", "hip_hinge": "romanian-deadlift"}
_SUGGESTION_TEXT = {"knee_flexion": "a seated leg curl", "hip_hinge": "a Romanian deadlift"}


def pattern_coverage(history: History) -> list[Finding]:
    """Hinge without curl, or curl without hinge, over 14 days [house].

    The hamstrings cross hip and knee; training them lengthened at the hip grew them more
    [cited: R1]. 4 sets / 14 days / 28 days are [house].
    """
    counts = pattern_sets(history.last_days(PATTERN_DAYS))
    hinge, curl = counts["hip_hinge"], counts["knee_flexion"]
    if hinge >= PATTERN_MIN_SETS and curl == 0:
        present, missing = "hip_hinge", "knee_flexion"
    elif curl >= PATTERN_MIN_SETS and hinge == 0:
        present, missing = "knee_flexion", "hip_hinge"
    else:
        return []
    missing_28d = pattern_sets(history.last_days(PATTERN_SEVERITY_DAYS))[missing]
    return [
        Finding(
            kind=PATTERN_KIND,
            subject=HAMSTRINGS,
            severity="warning" if missing_28d == 0 else "info",
            rule_id=PATTERN_RULE_ID,
            title=f"Hamstrings missing {_PATTERN_WORDS[missing]} work",
            explanation=(
                f"Your hamstrings got {_PATTERN_WORDS[present]} work but no {_PATTERN_WORDS[missing]} work "
                f"in 14 days. They work at both hip and knee: add {_SUGGESTION_TEXT[missing]}."
            ),
            evidence=evidence(
                day_window(history.cal, PATTERN_DAYS),
                {"min_sets": PATTERN_MIN_SETS, "severity_window_days": PATTERN_SEVERITY_DAYS},
                {
                    "missing_pattern": missing,
                    "HH_14d": _credit(hinge),
                    "KF_14d": _credit(curl),
                    "missing_28d": _credit(missing_28d),
                },
            ),
            recommendation=_add((PATTERN_SUGGESTION[missing],)),
        )
    ]


# §4.4 ---------------------------------------------------------------------------------------------

RATIO_DAYS = 28
RATIO_MIN_SETS = 2
RATIO_THRESHOLD = 0.45
RATIO_CONVENTION = 0.6  # isokinetic concentric H/Q norm [cited: R18]; a machine ratio is not that
CURL_PREFERENCE = ("seated-leg-curl", "lying-leg-curl")  # seated grew hamstrings more [cited: R1]
# Without a machine curl, the body-weight curls' effective loads (§1.7) [house]: they have an e1RM only
# with a weigh-in, so without one the rule reads the machines alone, as in 1.0.0.
BODY_WEIGHT_CURLS = ("nordic-curl", "glute-ham-raise")
EXTENSION = "leg-extension"


def strength_ratio(history: History) -> list[Finding]:
    """Curl vs leg-extension e1RM below 0.45 [house]; always `info`, always low confidence.

    Machine stacks differ in cams, lever arms, pads and hip angle, so this is never presented as
    an H:Q ratio nor as an injury risk (§4.4). A body-weight curl's effective load (§1.7) is a
    rougher proxy still, and only read when no machine curl has enough sets.
    """
    window = [f for f in history.last_days(RATIO_DAYS) if f.side == "both"]
    curls = (*CURL_PREFERENCE, *BODY_WEIGHT_CURLS)
    curl = next((best for ex in curls if (best := _best_of(window, ex)) is not None), None)
    extension = _best_of(window, EXTENSION)
    if curl is None or extension is None:
        return []
    value = curl[0] / extension[0]
    if not below(value, RATIO_THRESHOLD):
        return []
    curl_name = curl[1].spec.name
    body_weight = curl[1].exercise_id in BODY_WEIGHT_CURLS
    proxy = "Body-weight and machine numbers are" if body_weight else "Machine numbers are"
    return [
        Finding(
            kind=RATIO_KIND,
            subject=HAMSTRINGS,
            severity="info",
            rule_id=RATIO_RULE_ID,
            title=f"{capitalized(curl_name)} is light next to leg extension",
            explanation=(
                f"Your {curl_name} estimate is {ratio(value):.2f} of your leg extension estimate. "
                f"{proxy} a rough proxy, not a lab H:Q ratio."
            ),
            evidence=evidence(
                day_window(history.cal, RATIO_DAYS),
                {
                    "threshold": RATIO_THRESHOLD,
                    "convention": RATIO_CONVENTION,
                    "min_valid_sets": RATIO_MIN_SETS,
                    "rep_cap": ISOLATION_REP_CAP,
                },
                {
                    "curl_exercise": curl[1].exercise_id,
                    "curl_source": "body_weight" if body_weight else "machine",
                    "curl_e1rm": kg(curl[0]),
                    "extension_e1rm": kg(extension[0]),
                    "ratio": ratio(value),
                    "threshold": RATIO_THRESHOLD,
                    "convention": RATIO_CONVENTION,
                    "confidence": "low",
                },
            ),
        )
    ]


def _best_of(facts: Sequence[SetFact], exercise_id: str) -> tuple[float, SetFact] | None:
    valid = [
        f
        for f in facts
        if f.exercise_id == exercise_id and set_e1rm(f, rep_cap=ISOLATION_REP_CAP) is not None
    ]
    return best_set(valid, rep_cap=ISOLATION_REP_CAP) if len(valid) >= RATIO_MIN_SETS else None


# §4.5 ---------------------------------------------------------------------------------------------

LR_DAYS = 28
LR_MIN_WORKOUTS = 2
LR_CONSISTENCY = 0.75
LR_INFO_PCT = 10.0  # [house]
LR_WARNING_PCT = 15.0  # a literature convention whose prospective support is thin [cited: R20]


def left_right(history: History) -> list[Finding]:
    """Per-side e1RM asymmetry over 28 days, stronger limb as the reference [house] (§4.5).

    Asymmetry has not been shown to raise injury risk [cited: R22]; the text is about balance only.
    """
    per_side: defaultdict[str, dict[str, dict[str, list[SetFact]]]] = defaultdict(dict)
    for fact in history.last_days(LR_DAYS):
        if fact.side != "both":
            per_side[fact.exercise_id].setdefault(fact.workout_id, {}).setdefault(fact.side, []).append(fact)
    findings = []
    for exercise_id in sorted(per_side):
        finding = _left_right_for(history, exercise_id, per_side[exercise_id])
        if finding is not None:
            findings.append(finding)
    return findings


@dataclass(frozen=True, slots=True)
class _SidePair:
    """One workout's best left and right e1RM of an exercise."""

    workout_id: str
    at: datetime
    left: float
    right: float
    max_reps: float  # the higher rep equivalent behind the two estimates

    @property
    def weaker(self) -> str | None:
        if self.left == self.right:
            return None
        return "left" if self.left < self.right else "right"

    @property
    def asym_pct(self) -> float:
        """Stronger limb as the reference, one of the formulas R20 compares [house]."""
        return (max(self.left, self.right) - min(self.left, self.right)) / max(self.left, self.right) * 100


def _side_pairs(workouts: dict[str, dict[str, list[SetFact]]]) -> list[_SidePair]:
    pairs = []
    for workout_id, sides in workouts.items():
        left = best_set(sides.get("left", []), rep_cap=ISOLATION_REP_CAP)
        right = best_set(sides.get("right", []), rep_cap=ISOLATION_REP_CAP)
        if left is not None and right is not None:
            at = min(left[1].at, right[1].at)
            reps = max(rep_equivalent(left[1]), rep_equivalent(right[1]))
            pairs.append(_SidePair(workout_id, at, left[0], right[0], reps))
    return sorted(pairs, key=lambda p: (p.at, p.workout_id))


def _left_right_for(
    history: History, exercise_id: str, workouts: dict[str, dict[str, list[SetFact]]]
) -> Finding | None:
    pairs = _side_pairs(workouts)
    if len(pairs) < LR_MIN_WORKOUTS:
        return None
    weaker = Counter(p.weaker for p in pairs if p.weaker is not None)
    if not weaker:
        return None
    side, count = weaker.most_common(1)[0]  # a tie is ≤ 50 %, below the consistency bar anyway
    if below(count / len(pairs), LR_CONSISTENCY):
        return None
    asym_pct = statistics.median(p.asym_pct for p in pairs)
    if at_most(asym_pct, LR_INFO_PCT):
        return None
    name = history.spec(exercise_id).name
    return Finding(
        kind=LEFT_RIGHT_KIND,
        subject=f"{LEFT_RIGHT_PREFIX}{exercise_id}",
        severity="info" if at_most(asym_pct, LR_WARNING_PCT) else "warning",
        rule_id=LEFT_RIGHT_RULE_ID,
        title=f"{side.capitalize()} side lagging on {name}",
        explanation=(
            f"Your {side} side is {fmt(pct(asym_pct))}% weaker on {name}. Start with the {side} side "
            "and match its reps on the other."
        ),
        evidence=evidence(
            day_window(history.cal, LR_DAYS),
            {
                "info_pct": LR_INFO_PCT,
                "warning_pct": LR_WARNING_PCT,
                "consistency": LR_CONSISTENCY,
                "min_workouts": LR_MIN_WORKOUTS,
                "rep_cap": ISOLATION_REP_CAP,
            },
            {
                "exercise_id": exercise_id,
                "weaker_side": side,
                "asym_pct": pct(asym_pct),
                "confidence": "low" if any(p.max_reps > REP_CAP for p in pairs) else "normal",
                "sessions": [
                    {
                        "workout_id": p.workout_id,
                        "left_e1rm": kg(p.left),
                        "right_e1rm": kg(p.right),
                        "asym_pct": pct(p.asym_pct),
                    }
                    for p in pairs
                ],
            },
        ),
        recommendation={
            "order": "weaker_side_first",
            "weaker_side": side,
            "stronger_side": "match the weaker side's reps",
        },
    )


# §4.6 ---------------------------------------------------------------------------------------------

PC_WEEKS = 6
PC_MIN_E1RM_WEEKS = 4
PC_FLAT_GAIN = 1.025
PC_MIN_WEEKLY_HAMSTRINGS = 4.0
PC_HQ_RATIO = 0.35
PC_KNEE_DAYS = 42
PC_SQUATS = ("back-squat", "leg-press")
_HINGE_PAIN_PARTS = ("lower_back",)


def posterior_chain_deficit(
    history: History, pain: Sequence[PainReport], left_right_findings: Sequence[Finding]
) -> list[Finding]:
    """The seed story: a flat squat, little hamstring work and knee pain together [seed]/[house].

    An anecdote, not evidence: the text says "may help" and claims no causal link. That squats
    leave hamstring volume unchanged is [cited: R10].
    """
    cal = history.cal
    weeks = cal.completed_weeks(PC_WEEKS)
    trend = _squat_trend(history, weeks)
    knee = recent_reports(pain, cal, parts=("knee",), days=PC_KNEE_DAYS)
    if trend is None or not knee:
        return []
    squat, series = trend
    first, best_later = series[0][1], max(value for _, value in series[1:])
    credit = muscle_credit(history.weeks(weeks))
    ham, quad = credit[HAMSTRINGS], credit[QUADRICEPS]
    average = ham / PC_WEEKS
    little_work = below(average, PC_MIN_WEEKLY_HAMSTRINGS) or (quad > 0 and below(ham / quad, PC_HQ_RATIO))
    if not (below(best_later, PC_FLAT_GAIN * first) and little_work):
        return []
    critical = needs_clinician(pain, cal, ("knee",))
    span_weeks = (weeks[-1] - series[0][0]).days // 7 + 1
    name = CATALOG[squat].name
    explanation = (
        f"Your {name} has been flat for {span_weeks} weeks, you reported knee pain, and you average "
        f"{fmt(_credit(average))} hamstring sets a week. More hamstring work may help: add RDLs and seated "
        "curls, and train hamstrings first. This is not a diagnosis."
    )
    return [
        Finding(
            kind=POSTERIOR_KIND,
            subject=HAMSTRINGS,
            severity="critical" if critical else "warning",
            rule_id=POSTERIOR_RULE_ID,
            title=f"More hamstring work may help your {name}",
            explanation=f"{explanation} {CLINICIAN_SENTENCE}" if critical else explanation,
            evidence=evidence(
                week_window(weeks),
                {
                    "flat_gain": PC_FLAT_GAIN,
                    "min_e1rm_weeks": PC_MIN_E1RM_WEEKS,
                    "min_weekly_hamstring_sets": PC_MIN_WEEKLY_HAMSTRINGS,
                    "hq_ratio": PC_HQ_RATIO,
                    "knee_days": PC_KNEE_DAYS,
                },
                {
                    "squat_exercise": squat,
                    "weekly_e1rm": [{"week": week.isoformat(), "e1rm": kg(value)} for week, value in series],
                    "gain_pct": pct((best_later / first - 1) * 100),
                    "avg_weekly_hamstring_sets": _credit(average),
                    "H": _credit(ham),
                    "Q": _credit(quad),
                    "ratio": ratio(ham / quad) if quad else None,
                    "knee_reports": [
                        {
                            "id": r.id,
                            "severity": r.severity,
                            "date": cal.local_date(r.reported_at).isoformat(),
                        }
                        for r in knee
                    ],
                },
            ),
            recommendation=posterior_chain_recommendation(history, pain, left_right_findings),
        )
    ]


def _squat_trend(history: History, weeks: Sequence[date]) -> tuple[str, list[tuple[date, float]]] | None:
    """Back squat if it has a weekly best in ≥ 4 of the weeks, else leg press, else nothing."""
    for squat in PC_SQUATS:
        series = [(week, best[0]) for week in weeks if (best := week_best(history, squat, week)) is not None]
        if len(series) >= PC_MIN_E1RM_WEEKS:
            return squat, series
    return None


def posterior_chain_recommendation(
    history: History, pain: Sequence[PainReport], left_right_findings: Sequence[Finding]
) -> JsonDict:
    """The §4.6 `recommendation_json`, with the two substitutions the section names."""
    hinge_asymmetry = any(
        history.spec(f.subject.removeprefix(LEFT_RIGHT_PREFIX)).pattern == "hip_hinge"
        for f in left_right_findings
    )
    hinge_pain = recent_reports(pain, history.cal, parts=_HINGE_PAIN_PARTS, days=PC_KNEE_DAYS)
    curl = _first_on_day("B", "seated-leg-curl", to_failure=True)
    if hinge_pain:
        # Lower-back strain on hinges: the 45° back extension replaces the RDL, on day B, and the curl
        # moves to day A so both days still start with hamstrings.
        add = [{**curl, "day": "A"}, _first_on_day("B", "back-extension-45")]
    else:
        add = [
            _first_on_day("A", "dumbbell-romanian-deadlift" if hinge_asymmetry else "romanian-deadlift"),
            curl,
        ]
    return {
        "add": add,
        "order": "hamstrings_first",
        "squat": "hold load (no increase) while any knee report ≥ 3 in the last 14 days",
        "note": "not a diagnosis; persistent knee pain should be assessed by a clinician",
    }


def _first_on_day(day: str, exercise_id: str, **extra: object) -> JsonDict:
    spec = CATALOG[exercise_id]
    return {
        "day": day,
        "order": 1,
        "exercise_id": exercise_id,
        "sets": 3,
        "rep_min": spec.rep_min,
        "rep_max": spec.rep_max,
        **extra,
        "eccentric_s": PRESCRIBED_ECCENTRIC_S,
    }
