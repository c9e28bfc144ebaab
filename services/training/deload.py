"""Deload suggestions from the logs, rule `deload.detect@1.2.0` → `deload.suggested` (training-rules.md §3).

A deload is "a period of reduced training stress designed to mitigate physiological and
psychological fatigue" [cited: R3]; athletes deload about every 5.6 ± 2.3 weeks, when performance
stalls or joints ache [cited: R5]. Every window, cut-off and point value below is [house]; the
streak cut-offs 6 and 8 are anchored on that survey interval (mean, mean + 1 SD).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from services.training.catalog import CATALOG
from services.training.e1rm import week_best
from services.training.findings import Finding, at_most, below, evidence, fmt, kg, pct, week_window
from services.training.history import History, SetFact
from services.training.loads import REDUCTION_FACTOR
from services.training.pain import CLINICIAN_SENTENCE, PAIN_MIN_SEVERITY, needs_clinician, recent_reports
from services.training.progression import Decision
from services.training.types import ExistingInsight, JsonDict, PainReport, Severity
from services.training.units import show_kg
from services.training.weeks import LocalCalendar, as_utc

# 1.1.0: a lower e1RM at a heavier load than the reference week is the dip double progression
# makes by design (reps restart at rep_min after a load step), not a regression (README).
RULE_ID = "deload.detect@1.2.0"
KIND = "deload.suggested"
SUBJECT = "program"

ELIGIBILITY_WEEKS = 6
MIN_TRAINED_WEEKS = 4
SIGNAL_WEEKS = 4
PLATEAU_GAIN = 1.01
REGRESSION_FACTOR = 0.97
CREEP_POINTS = ((2.0, 2), (1.0, 1))
REP_DROP_REPS = 2.0
STREAK_WINDOW_WEEKS = 12
STREAK_MIN_SETS = 6.0
STREAK_MEDIAN_SHARE = 0.6
STREAK_POINTS = ((8, 2), (6, 1))  # ≈ the surveyed interval's mean + 1 SD and mean [cited: R5]
PAIN_DAYS = 14
PAIN_PARTS = ("knee", "hamstring")
PAIN_SEVERE = 5
SUGGEST_SCORE = 3
WARNING_SCORE = 4
DELOAD_MIN_RIR = 3  # "an increase in repetitions in reserve" [cited: R5]; the 3 is [house]


@dataclass(frozen=True, slots=True)
class AcceptedDeload:
    insight_id: str
    week: date  # first local day of the deload week


@dataclass(frozen=True, slots=True)
class Signal:
    points: int
    detail: JsonDict | None = None  # the evidence piece that produced the points
    reason: str = ""  # fragment of the explanation, when it scored


def accepted_deloads(history: History, insights: Sequence[ExistingInsight]) -> list[AcceptedDeload]:
    """Each accepted suggestion's deload week (§3.4): the week of acceptance if no leg workout had been
    logged in it yet, otherwise the week after."""
    cal = history.cal
    deloads = []
    for row in insights:
        if row.kind != KIND or row.status != "accepted":
            continue
        accepted_at = as_utc(row.status_changed_at or row.updated_at)
        week = cal.week_of(accepted_at)
        trained = history.leg_trained_before(week, accepted_at)
        deloads.append(AcceptedDeload(row.id, week + timedelta(weeks=1) if trained else week))
    return sorted(deloads, key=lambda d: (d.week, d.insight_id))


def times_declined(insights: Sequence[ExistingInsight]) -> int:
    return sum(1 for row in insights if row.kind == KIND and row.status == "dismissed")


def pain_overrides_cooldown(finding: Finding, declined: ExistingInsight) -> bool:
    """§3.5 safety override: pain scores 2 now and did not score in the declined suggestion."""
    now = finding.evidence["inputs"]["points"]["pain"]
    before = declined.evidence.get("inputs", {}).get("points", {}).get("pain", 0)
    return now == 2 and not before


@dataclass(frozen=True, slots=True)
class Scorecard:
    """The §3.2 signals over the signal weeks (W-4..W-1, deload weeks skipped)."""

    weeks: list[date]
    signals: dict[str, Signal]  # stall, creep, rep_drop, streak, pain
    weekly_hard_sets: list[float]  # W-1 first
    streak: int
    pain_reports: list[PainReport]

    @property
    def score(self) -> int:
        return sum(signal.points for signal in self.signals.values())

    @property
    def performance(self) -> bool:
        return any(self.signals[name].points for name in ("stall", "creep", "rep_drop"))

    @property
    def suggests(self) -> bool:
        """Score ≥ 3 and a performance signal, or pain at 2 points (§3.2 "Suggest")."""
        return self.score >= SUGGEST_SCORE and (self.performance or self.signals["pain"].points == 2)


def eligible(history: History, deload_weeks: frozenset[date]) -> bool:
    """§3.1: 4 of W-6..W-1 trained, and no accepted deload in W0, W-1, W-2 (or already set for W+1)."""
    cal = history.cal
    trained = sum(history.has_leg_workout(week) for week in cal.completed_weeks(ELIGIBILITY_WEEKS))
    return trained >= MIN_TRAINED_WEEKS and not any(cal.week(k) in deload_weeks for k in (1, 0, -1, -2))


def score(history: History, pain: Sequence[PainReport], deload_weeks: frozenset[date]) -> Scorecard:
    cal = history.cal
    weeks = _non_deload_weeks(cal, SIGNAL_WEEKS, deload_weeks)
    streak, weekly_hard_sets = _streak(history, deload_weeks)
    reports = recent_reports(pain, cal, parts=PAIN_PARTS, days=PAIN_DAYS)
    signals = {
        "stall": _stall(history, weeks),
        "creep": _creep(history, weeks),
        "rep_drop": _rep_drop(history, weeks),
        "streak": _streak_signal(streak),
        "pain": _pain(reports, cal),
    }
    return Scorecard(weeks, signals, weekly_hard_sets, streak, reports)


def detect_deload(
    history: History,
    pain: Sequence[PainReport],
    insights: Sequence[ExistingInsight],
    deload_weeks: frozenset[date],
    deload_slots: Sequence[Decision],
) -> Finding | None:
    """Suggest a deload when the fatigue score says so (§3.1–§3.3).

    `deload_slots` are the deload-week versions of the user's slots; they become the recommendation.
    The 14-day cooldown after a decline (§3.5) is applied by the lifecycle.
    """
    if not eligible(history, deload_weeks):
        return None
    card = score(history, pain, deload_weeks)
    if not card.suggests:
        return None
    cal = history.cal
    declined = times_declined(insights)
    critical = needs_clinician(pain, cal, PAIN_PARTS)
    severity: Severity
    if critical:
        severity = "critical"
    elif card.score >= WARNING_SCORE or card.signals["pain"].points == 2 or declined >= 1:
        severity = "warning"
    else:
        severity = "info"
    explanation = _explanation([s.reason for s in card.signals.values() if s.points], deload_slots)
    return Finding(
        kind=KIND,
        subject=SUBJECT,
        severity=severity,
        rule_id=RULE_ID,
        title="Consider a lighter week",
        explanation=f"{explanation} {CLINICIAN_SENTENCE}" if critical else explanation,
        evidence=evidence(
            week_window(card.weeks),
            {
                "score": SUGGEST_SCORE,
                "warning_score": WARNING_SCORE,
                "plateau_gain": PLATEAU_GAIN,
                "regression_factor": REGRESSION_FACTOR,
                "creep_rir": [cut for cut, _ in reversed(CREEP_POINTS)],
                "rep_drop": REP_DROP_REPS,
                "streak_weeks": [cut for cut, _ in reversed(STREAK_POINTS)],
                "streak_min_sets": STREAK_MIN_SETS,
                "streak_median_share": STREAK_MEDIAN_SHARE,
                "pain_min_severity": PAIN_MIN_SEVERITY,
                "pain_days": PAIN_DAYS,
            },
            {
                "points": {name: signal.points for name, signal in card.signals.items()},
                "score": card.score,
                "stall_lifts": card.signals["stall"].detail or {},
                "creep": card.signals["creep"].detail,
                "rep_drop": card.signals["rep_drop"].detail,
                "weekly_hard_sets": card.weekly_hard_sets,
                "streak": card.streak,
                "pain_reports": [r.id for r in card.pain_reports],
                "times_declined": declined,
            },
        ),
        recommendation=deload_recommendation(deload_slots),
    )


def _non_deload_weeks(cal: LocalCalendar, count: int, deload_weeks: frozenset[date]) -> list[date]:
    """The `count` most recent completed weeks that were not deload weeks, oldest first (§1.2)."""
    weeks: list[date] = []
    offset = -1
    while len(weeks) < count:
        if cal.week(offset) not in deload_weeks:
            weeks.append(cal.week(offset))
        offset -= 1
    return weeks[::-1]


def _stall(history: History, weeks: Sequence[date]) -> Signal:
    """Plateau (1 point) or regression (2) of a key lift's weekly best e1RM over W-4..W-1."""
    lifts: dict[str, list[float]] = {}
    worst: tuple[int, float, str] = (0, 0.0, "")
    # Key lifts are catalog rows only: a user's own exercise is never one (§0.3).
    for spec in CATALOG.values():
        if not spec.key_lift:
            continue
        bests = [best for week in weeks if (best := week_best(history, spec.id, week)) is not None]
        if len(bests) < len(weeks):
            continue
        w4, w3, w2, w1 = (best[0] for best in bests)
        reference_load = max(bests[:3], key=lambda best: best[0])[1].load_kg
        stepped_up = bests[3][1].load_kg > reference_load
        if at_most(w1, REGRESSION_FACTOR * max(w4, w3, w2)) and not stepped_up:
            drop = (1 - w1 / max(w4, w3, w2)) * 100
            candidate = (2, drop, f"{spec.name} e1RM down {fmt(pct(drop))} % in 3 weeks")
        elif below(max(w3, w2, w1), PLATEAU_GAIN * w4):
            gain = (max(w3, w2, w1) / w4 - 1) * 100
            candidate = (1, -gain, f"{spec.name} e1RM flat for 4 weeks ({gain:+.1f} %)")
        else:
            continue
        lifts[spec.id] = [kg(value) for value in (w4, w3, w2, w1)]
        worst = max(worst, candidate, key=lambda c: (c[0], c[1]))
    return Signal(worst[0], lifts or None, worst[2])


class _Key(NamedTuple):
    """How a week's sets are grouped: by exercise and load (assistance counts as load) and, for
    effort, by reps too."""

    exercise_id: str
    load_kg: float
    assistance_kg: float
    reps: int | None


def _keyed(facts: Sequence[SetFact], *, with_reps: bool) -> dict[_Key, list[float]]:
    """Group a week's sets by exercise and load (assistance counts as load), optionally by reps."""
    table: defaultdict[_Key, list[float]] = defaultdict(list)
    for f in facts:
        key = _Key(f.exercise_id, f.load_kg, f.assistance_kg, f.reps if with_reps else None)
        if with_reps and f.hard and f.rir_eff is not None:
            table[key].append(f.rir_eff)
        elif not with_reps and f.working:
            table[key].append(f.reps)
    return table


def _catalog_first(order: Mapping[str, int], key: _Key) -> tuple[int, float, float, int | None]:
    """Catalog order (hamstrings first), then the user's own exercises (§0.3)."""
    return (order[key.exercise_id], key.load_kg, key.assistance_kg, key.reps)


@dataclass(frozen=True, slots=True)
class _Fall:
    """The largest `mean(early) − mean(W-1)` over the keys of W-1."""

    value: float
    key: _Key
    early_week: date
    early: float
    late: float


def _largest_fall(
    late: dict[_Key, list[float]],
    earlier: Sequence[tuple[date, dict[_Key, list[float]]]],
    order: Mapping[str, int],
) -> _Fall | None:
    """Each key of W-1 is compared with the first week of `earlier` that has it; ties go to catalog order."""
    best: _Fall | None = None
    for key in sorted(late, key=lambda k: _catalog_first(order, k)):
        found = next(((week, table[key]) for week, table in earlier if key in table), None)
        if found is None:
            continue
        early, now = statistics.fmean(found[1]), statistics.fmean(late[key])
        if best is None or early - now > best.value:
            best = _Fall(early - now, key, found[0], early, now)
    return best


def _creep(history: History, weeks: Sequence[date]) -> Signal:
    """Same load and reps at a lower RIR than in the earliest of W-4..W-2 that has the pair."""
    tables = [(week, _keyed(history.week(week), with_reps=True)) for week in weeks]
    fall = _largest_fall(tables[-1][1], tables[:-1], history.order)
    if fall is None:
        return Signal(0)
    exercise_id, load, assistance, reps = fall.key
    detail = {
        "exercise_id": exercise_id,
        "load_kg": load,
        "assistance_kg": assistance,
        "reps": reps,
        "early_week": fall.early_week.isoformat(),
        "early_rir": round(fall.early, 1),
        "late_rir": round(fall.late, 1),
        "creep": round(fall.value, 1),
    }
    points = next((p for cut, p in CREEP_POINTS if fall.value >= cut), 0)
    name = history.spec(exercise_id).name
    reason = f"{name} {show_kg(load, history.unit)} × {reps} feels harder (RIR {fmt(fall.early)} → {fmt(fall.late)})"
    return Signal(points, detail, reason)


def _rep_drop(history: History, weeks: Sequence[date]) -> Signal:
    """Fewer reps at a W-1 load than in the most recent of W-2..W-4 that used it."""
    tables = [(week, _keyed(history.week(week), with_reps=False)) for week in weeks]
    fall = _largest_fall(tables[-1][1], tables[-2::-1], history.order)
    if fall is None:
        return Signal(0)
    exercise_id, load, assistance, _reps = fall.key
    detail = {
        "exercise_id": exercise_id,
        "load_kg": load,
        "assistance_kg": assistance,
        "early_reps": round(fall.early, 1),
        "late_reps": round(fall.late, 1),
        "drop": round(fall.value, 1),
    }
    name = history.spec(exercise_id).name
    reason = f"{name} at {show_kg(load, history.unit)} down from {fmt(fall.early)} to {fmt(fall.late)} reps"
    return Signal(1 if fall.value >= REP_DROP_REPS else 0, detail, reason)


def _streak(history: History, deload_weeks: frozenset[date]) -> tuple[int, list[float]]:
    """Consecutive hard weeks back from W-1 (a deload week ends the run), and `weekly_hard_sets`."""
    cal = history.cal
    window = _non_deload_weeks(cal, STREAK_WINDOW_WEEKS, deload_weeks)[::-1]  # W-1 first
    counts = [history.hard_sets(week) for week in window]
    trained = [c for c in counts if c > 0]
    streak = 0
    if trained:
        threshold = max(STREAK_MIN_SETS, STREAK_MEDIAN_SHARE * statistics.median(trained))
        week = cal.week(-1)
        while week not in deload_weeks and not below(history.hard_sets(week), threshold):
            streak += 1
            week -= timedelta(weeks=1)
    return streak, [round(c, 2) for c in counts]


def _streak_signal(streak: int) -> Signal:
    points = next((p for cut, p in STREAK_POINTS if streak >= cut), 0)
    return Signal(points, None, f"{streak} hard weeks in a row")


def _pain(reports: Sequence[PainReport], cal: LocalCalendar) -> Signal:
    days = {cal.local_date(r.reported_at) for r in reports}
    if len(days) >= 2:
        return Signal(2, None, f"knee or hamstring pain reported on {len(days)} days in 2 weeks")
    worst = max((r.severity for r in reports), default=0)
    if worst >= PAIN_SEVERE:
        return Signal(1, None, f"knee or hamstring pain of {worst}/10")
    return Signal(0)


def _explanation(reasons: Sequence[str], slots: Sequence[Decision]) -> str:
    pairs = sorted({(d.change[0]["sets"], d.sets) for d in slots if d.change})
    sets = ", ".join(f"{before}→{after}" for before, after in pairs) or "about half"
    return (
        f"Signs of accumulated fatigue: {', '.join(reasons)}. We suggest a lighter week: fewer sets "
        f"({sets} per exercise), about 90 % of your loads, and no sets to failure. "
        "Your loads return next week. A deload manages fatigue; it does not promise extra gains."
    )


def deload_recommendation(slots: Sequence[Decision]) -> JsonDict:
    """`recommendation_json` of §3.3: one entry per slot, same exercises and rep ranges."""
    return {
        "sets": "ceil(sets / 2)",
        "load_factor": REDUCTION_FACTOR,
        "rir_min": DELOAD_MIN_RIR,
        "to_failure": False,
        "keep": ["exercise selection", "training frequency", "rep range"],
        "slots": [deload_slot(d) for d in slots],
    }


def deload_slot(d: Decision) -> JsonDict:
    before = d.change[0] if d.change else {}
    return {
        "exercise_id": d.exercise_id,
        "side": d.side,
        "sets_from": before.get("sets"),
        "sets": d.sets,
        "load_kg_from": before.get("load_kg"),
        "rep_min": d.params.rep_min,
        "rep_max": d.params.rep_max,
        "load_kg": d.load_kg,
        "assistance_kg": d.assistance_kg,
        "eccentric_s": d.eccentric_s,
        "rir_min": DELOAD_MIN_RIR,
        # The same loads in the user's unit, on their equipment (§2.8).
        "unit": d.unit,
        "load": d.load,
        "assistance": d.assistance,
    }
