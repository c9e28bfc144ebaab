"""Double progression, rules `prog.double_progression@1.1.0` and `prog.nordic@1.1.0` (training-rules.md §2).

Each (exercise, side) is judged on its last session: every set at the top of the range with the
effort and the negative under control → a step up; two sessions in a row under the range at the
same load → −10 %; anything else → hold. The RIR scale is [cited: R6, R7] and the miss rule has a
precedent in Liftosaur [cited: R15]; every step, gate and day limit is [house], the 3 s eccentric
is [seed]. The Nordic ladder (§2.4) is [house]; the exercise's value is [cited: R2].

Loads are read, computed and written in the user's unit, on their equipment's grid (§2.8): the
rule's step (kilograms in the catalog) is converted, and every new load is one the equipment makes
(`loads.stepped_up`, `loads.cut`, `loads.stepped_down`, `loads.nearest`). The reason keeps the exact
computed value beside the loadable one.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Literal, TypedDict

from services.training.catalog import NORDIC, ExerciseSpec
from services.training.equipment import EquipmentProfile, Loading, default_profile, loading_for
from services.training.findings import EPS, fmt
from services.training.history import History, SetFact
from services.training.loads import REDUCTION_FACTOR, SLACK, cut, nearest, stepped_down, stepped_up
from services.training.types import JsonDict, ProgramSlot, Side
from services.training.units import Unit, from_kg, read_load, show_kg, stored_kg

RULE_ID = "prog.double_progression@1.1.0"
NORDIC_RULE_ID = "prog.nordic@1.1.0"

PRESCRIBED_ECCENTRIC_S = 3.0  # [seed] "control the negative"
MIN_ECCENTRIC_S = 2.5  # 3 s minus 0.5 s of logging tolerance [seed]/[house]
MIN_SETS = 2
START_SETS = 3  # a side with no recent session, when no program slot says otherwise [house]
STALE_AFTER_DAYS = 14
MISS_WINDOW_DAYS = 21
ASSISTANCE_STEP_KG = 5.0  # the rule's step; the equipment's assistance grid decides where it lands
HELD_LOAD_STEP_KG = 2.5  # GHR (and Nordic) once assistance is 0
COMPUTED_DECIMALS = 4  # `reason.computed`: the exact value, to a ten-thousandth of the unit
NORDIC_E_START_S = 3.0
NORDIC_E_MAX_S = 6.0
NORDIC_E_STEP_S = 1.0

UNILATERAL_SIDES: tuple[Side, ...] = ("left", "right")
BILATERAL_SIDES: tuple[Side, ...] = ("both",)


def sides_of(spec: ExerciseSpec) -> tuple[Side, ...]:
    return UNILATERAL_SIDES if spec.unilateral else BILATERAL_SIDES


@dataclass(frozen=True, slots=True)
class SlotParams:
    """Slot parameters, falling back to the catalog when the program has no slot (§2)."""

    spec: ExerciseSpec
    sets: int | None  # None: no program slot, so the last session's set count is kept
    rep_min: int
    rep_max: int
    step_kg: float  # the rule's step (§2.1): the catalog's, or the slot's own increment
    eccentric_s: float | None
    loading: Loading  # the user's equipment for this exercise, in the user's unit (§2.8)

    @classmethod
    def for_exercise(
        cls,
        spec: ExerciseSpec,
        slot: ProgramSlot | None = None,
        equipment: EquipmentProfile | None = None,
    ) -> SlotParams:
        """`equipment` is the user's gym in the user's unit (`History.equipment`); None = the default
        kilogram gym. A slot's `increment_kg` replaces both the step and the grid (§2.1 "gym
        override"), except for assisted exercises, whose held load keeps the added-load grid."""
        profile = equipment or default_profile("kg")
        default_eccentric = PRESCRIBED_ECCENTRIC_S if spec.controls_eccentric else None
        increment = None if slot is None or spec.assisted else slot.increment_kg
        loading = loading_for(
            spec, profile, increment=None if not increment else read_load(increment, profile.unit)
        )
        if slot is None:
            return cls(spec, None, spec.rep_min, spec.rep_max, spec.step_kg, default_eccentric, loading)
        return cls(
            spec,
            slot.sets,
            slot.rep_min,
            slot.rep_max,
            slot.increment_kg or spec.step_kg,
            slot.eccentric_s if slot.eccentric_s is not None else default_eccentric,
            loading,
        )

    @property
    def unit(self) -> Unit:
        return self.loading.unit

    @property
    def load_step(self) -> float:
        """The rule's step for the load, in the user's unit: held load for assisted exercises."""
        return from_kg(HELD_LOAD_STEP_KG if self.spec.assisted else self.step_kg, self.unit)

    @property
    def assistance_step(self) -> float:
        return from_kg(ASSISTANCE_STEP_KG, self.unit)


@dataclass(frozen=True, slots=True)
class Session:
    """One workout's non-warm-up attempts at one (exercise, side), failed attempts included."""

    workout_id: str
    facts: tuple[SetFact, ...]

    @property
    def at(self) -> datetime:
        return self.facts[-1].at

    @property
    def load_kg(self) -> float:
        return max(f.load_kg for f in self.facts)

    @property
    def assistance_kg(self) -> float:
        return min(f.assistance_kg for f in self.facts)

    @property
    def load(self) -> float:
        """The heaviest set's load in the user's unit (as entered when entered in it, §2.8)."""
        return max(f.load for f in self.facts)

    @property
    def assistance(self) -> float:
        return min(f.assistance for f in self.facts)

    @property
    def level(self) -> tuple[float, float]:
        """What "the same load" compares (§2.3), in the user's unit."""
        return (self.load, self.assistance)

    @property
    def working(self) -> list[SetFact]:
        return [f for f in self.facts if f.working]

    def any_below(self, reps: int) -> bool:
        return any(f.reps < reps for f in self.facts)

    def median_eccentric_s(self) -> float | None:
        logged = [f.eccentric_s for f in self.facts if f.eccentric_s is not None]
        return statistics.median(logged) if logged else None

    def set_summaries(self) -> list[JsonDict]:
        return [{"reps": f.reps, "rir_eff": f.rir_eff, "eccentric_s": f.eccentric_s} for f in self.facts]


@dataclass(frozen=True, slots=True)
class Decision:
    """The next prescription for one (exercise, side), before it is placed in a slot."""

    params: SlotParams
    side: Side
    rule: str  # increase | hold | miss | start | deload | transfer (a substituted slot, §2.6)
    sets: int
    load: float | None  # in the user's unit, on their equipment (§2.8)
    assistance: float | None
    eccentric_s: float | None
    reason: JsonDict
    note: str
    last: Session | None = None
    # (from, to) of an increase (§5.2) or a deload, in kilograms (`load_kg`, `assistance_kg`, …).
    change: tuple[JsonDict, JsonDict] | None = None

    @property
    def exercise_id(self) -> str:
        return self.params.spec.id

    @property
    def unit(self) -> Unit:
        return self.params.unit

    @property
    def load_kg(self) -> float | None:
        return None if self.load is None else stored_kg(self.load, self.unit)

    @property
    def assistance_kg(self) -> float | None:
        return None if self.assistance is None else stored_kg(self.assistance, self.unit)


class SessionIndex:
    """Sessions per (exercise, side), chronological, with deload-week sets left out (§3.4)."""

    def __init__(self, history: History, deload_weeks: frozenset[date]) -> None:
        self._history = history
        self._deload_weeks = deload_weeks
        grouped: defaultdict[tuple[str, Side], dict[str, list[SetFact]]] = defaultdict(dict)
        for fact in history.facts:
            if fact.week in deload_weeks:
                continue
            # A `both` set of a unilateral exercise stands for each leg.
            sides = UNILATERAL_SIDES if fact.side == "both" and fact.spec.unilateral else (fact.side,)
            for side in sides:
                grouped[(fact.exercise_id, side)].setdefault(fact.workout_id, []).append(fact)
        self._sessions = {
            key: sorted((Session(wid, tuple(facts)) for wid, facts in workouts.items()), key=lambda s: s.at)
            for key, workouts in grouped.items()
        }

    @property
    def deload_weeks(self) -> frozenset[date]:
        return self._deload_weeks

    def sessions(self, exercise_id: str, side: Side) -> list[Session]:
        return self._sessions.get((exercise_id, side), [])

    def age_days(self, session: Session) -> float:
        """Days since the session, not counting deload weeks in between: a deload is not a lay-off."""
        cal = self._history.cal
        session_week = session.facts[-1].week
        deload_days = 7 * sum(1 for week in self._deload_weeks if session_week < week <= cal.w0)
        return (cal.now - session.at) / timedelta(days=1) - deload_days

    def recent(self, session: Session, days: float) -> bool:
        return self.age_days(session) < days

    def recently_trained(self) -> list[str]:
        """Exercise ids with a session in the last 14 days: the prescriptions when there is no program."""
        return sorted(
            {
                exercise_id
                for (exercise_id, _), runs in self._sessions.items()
                if self.recent(runs[-1], STALE_AFTER_DAYS)
            }
        )


def decide(index: SessionIndex, params: SlotParams, side: Side) -> Decision:
    """The next prescription for one (exercise, side): start, increase, miss or hold (§2.1–§2.4)."""
    sessions = index.sessions(params.spec.id, side)
    if not sessions or not index.recent(sessions[-1], STALE_AFTER_DAYS):
        return _start(params, side)
    if params.spec.id == NORDIC:
        return _decide_nordic(index, params, side, sessions)
    last = sessions[-1]
    if tops_the_range(last, params):
        return _increase(params, side, last, params.eccentric_s)
    if (
        len(sessions) > 1
        and _comparable(index, sessions[-2], last)
        and all(s.any_below(params.rep_min) for s in sessions[-2:])
    ):
        return _miss(params, side, last, params.eccentric_s)
    return _hold(params, side, last, params.eccentric_s)


def tops_the_range(session: Session, params: SlotParams) -> bool:
    """§2.1: enough working sets, every one at the top of the range within the effort and tempo gates."""
    return _enough_sets(session, params) and all(_counts_toward_increase(f, params) for f in session.facts)


def _enough_sets(session: Session, params: SlotParams) -> bool:
    return len(session.working) >= (params.sets or MIN_SETS)


def _counts_toward_increase(fact: SetFact, params: SlotParams) -> bool:
    """§2.1: top of the range, effort not past target RIR − 1, negative not dropped."""
    eccentric = fact.eccentric_s
    return (
        fact.working
        and fact.reps >= params.rep_max
        and (fact.rir_eff is None or fact.rir_eff >= max(0, params.spec.target_rir - 1))
        and (not params.spec.controls_eccentric or eccentric is None or eccentric >= MIN_ECCENTRIC_S)
    )


def _comparable(index: SessionIndex, previous: Session, last: Session) -> bool:
    """§2.3: the last two sessions are both within 21 days and at the same load (and assistance), to
    the hundredth of the unit loads are read to (§2.8: 225 lb typed, and 102.0582 kg, are one load)."""
    return index.recent(previous, MISS_WINDOW_DAYS) and all(
        math.isclose(a, b, abs_tol=SLACK) for a, b in zip(previous.level, last.level, strict=True)
    )


def _next_sets(params: SlotParams, last: Session | None) -> int:
    if params.sets is not None:
        return params.sets
    return max(1, len(last.working)) if last is not None else START_SETS


def _decision(
    params: SlotParams,
    side: Side,
    rule: str,
    last: Session | None,
    *,
    load: float | None,
    assistance: float | None,
    eccentric_s: float | None,
    reason: JsonDict,
    note: str,
    change: tuple[JsonDict, JsonDict] | None = None,
    sets: int | None = None,
) -> Decision:
    return Decision(
        params,
        side,
        rule,
        _next_sets(params, last) if sets is None else sets,
        load,
        assistance,
        eccentric_s,
        reason,
        note,
        last,
        change,
    )


class LoadFields(TypedDict):
    """What a prescription loads, in the user's unit: the bar's or stack's load, and a machine's or
    band's help."""

    load: float | None
    assistance: float | None


def _logged(params: SlotParams, last: Session) -> LoadFields:
    """The last session's load fields as logged: assistance only exists for assisted exercises."""
    return {"load": last.load, "assistance": last.assistance if params.spec.assisted else None}


def _held(params: SlotParams, last: Session) -> LoadFields:
    """The load fields a prescription repeats: the logged ones on the user's equipment (the nearest
    load it makes; a log lighter than anything it makes stays as logged)."""
    logged = _logged(params, last)
    assistance = logged["assistance"]
    return {
        "load": nearest(last.load, params.loading.load),
        "assistance": None if assistance is None else nearest(assistance, params.loading.assistance),
    }


def in_kg(fields: Mapping[str, float | None], unit: Unit) -> JsonDict:
    """Load fields in the user's unit as the `load_kg` / `assistance_kg` of a change (§5.2)."""
    return {f"{key}_kg": None if value is None else stored_kg(value, unit) for key, value in fields.items()}


def _fields_kg(fields: LoadFields, unit: Unit) -> JsonDict:
    return in_kg({"load": fields["load"], "assistance": fields["assistance"]}, unit)


def computed(quantity: str, exact: float, loadable: float, unit: Unit) -> JsonDict:
    """`reason.computed` and `reason.loadable` (§2.8): what the rule asked for, and what the user's
    equipment makes of it."""
    return {
        "computed": {"quantity": quantity, "value": round(exact, COMPUTED_DECIMALS), "unit": unit},
        "loadable": {"quantity": quantity, "value": loadable, "unit": unit},
    }


def _lighter(params: SlotParams, last: Session) -> tuple[LoadFields, JsonDict]:
    """−10 % on the equipment (§2.3, §3.3), or one assistance step more for an assisted exercise with
    no load; with the reason's computed and loadable values."""
    fields = _held(params, last)
    if params.spec.assisted and last.load == 0:
        exact = last.assistance + params.assistance_step
        more = stepped_up(last.assistance, params.assistance_step, params.loading.assistance)
        fields["assistance"] = more
        return fields, computed("assistance", exact, more, params.unit)
    lighter = cut(last.load, params.loading.load)
    fields["load"] = lighter
    return fields, computed("load", last.load * REDUCTION_FACTOR, lighter, params.unit)


def _start(params: SlotParams, side: Side) -> Decision:
    eccentric = NORDIC_E_START_S if params.spec.id == NORDIC else params.eccentric_s
    note = f"Pick a load you can lift for {params.rep_min}–{params.rep_max} reps with good form."
    return _decision(
        params,
        side,
        "start",
        None,
        load=None,
        assistance=None,
        eccentric_s=eccentric,
        reason={"rule": "start"},
        note=note,
    )


def _increase(params: SlotParams, side: Side, last: Session, eccentric_s: float | None) -> Decision:
    """One step up (§2.1): an assistance step off while there is any, else a load step, on the user's
    equipment (§2.8: never past the step unless nothing lies within it, never not up)."""
    fields = _held(params, last)
    moved: Literal["load", "assistance"]
    unit = params.unit
    if params.spec.assisted and last.assistance > 0:
        moved = "assistance"
        exact = max(0.0, last.assistance - params.assistance_step)
        new = stepped_down(last.assistance, params.assistance_step, params.loading.assistance)
        reason: JsonDict = {"rule": "increase", "assistance_step": round(new - last.assistance, 6)}
    else:
        moved = "load"
        exact = last.load + params.load_step
        new = stepped_up(last.load, params.load_step, params.loading.load)
        reason = {"rule": "increase", "load_step": round(new - last.load, 6)}
    fields[moved] = new
    reason.update(computed(moved, exact, new, unit))
    change = (in_kg({moved: _logged(params, last)[moved]}, unit), in_kg({moved: new}, unit))
    note = (
        f"All sets hit {params.rep_max} reps: {describe(change[1], unit)} next; "
        f"reps restart at {params.rep_min}."
    )
    return _decision(
        params,
        side,
        "increase",
        last,
        **fields,
        eccentric_s=eccentric_s,
        reason=reason,
        note=note,
        change=change,
    )


def _miss(params: SlotParams, side: Side, last: Session, eccentric_s: float | None) -> Decision:
    """§2.3: two sessions in a row under the range at the same load → lighter."""
    fields, numbers = _lighter(params, last)
    more_assistance = numbers["loadable"]["quantity"] == "assistance"
    if more_assistance:
        assistance = fields["assistance"] or 0.0
        reason: JsonDict = {"rule": "miss", "assistance_step": round(assistance - last.assistance, 6)}
        what = describe(in_kg({"assistance": fields["assistance"]}, params.unit), params.unit)
    else:
        reason = {"rule": "miss", "load_factor": REDUCTION_FACTOR}
        what = describe(in_kg({"load": fields["load"]}, params.unit), params.unit)
    note = f"Two sessions in a row under {params.rep_min} reps at this load: {what} next, then build back up."
    return _decision(
        params,
        side,
        "miss",
        last,
        **fields,
        eccentric_s=eccentric_s,
        reason={**reason, **numbers},
        note=note,
    )


def _hold(
    params: SlotParams,
    side: Side,
    last: Session,
    eccentric_s: float | None,
    min_eccentric_s: float = MIN_ECCENTRIC_S,
) -> Decision:
    """§2.2: same load, one more rep on the set with the fewest. When the reps were all there, the
    reason names the gate that held the load (`blocked_by`)."""
    fewest = min(f.reps for f in last.facts)
    target = min(fewest + 1, params.rep_max)
    reason: JsonDict = {"rule": "hold", "fewest_reps": fewest, "target_reps": target}
    note = f"Same load; aim for {target} reps on the set that got {fewest} last time."
    if fewest >= params.rep_max:
        min_rir = max(0, params.spec.target_rir - 1)
        blockers = {
            "sets": (not _enough_sets(last, params), f"fewer than {params.sets or MIN_SETS} sets"),
            "effort": (
                any(f.rir_eff is not None and f.rir_eff < min_rir for f in last.facts),
                f"some sets ended with less than {min_rir} in reserve",
            ),
            "eccentric": (
                params.spec.controls_eccentric
                and any(f.eccentric_s is not None and f.eccentric_s < min_eccentric_s for f in last.facts),
                f"some negatives were under {fmt(min_eccentric_s)} s",
            ),
        }
        failed = [name for name, (blocked, _) in blockers.items() if blocked]
        reason["blocked_by"] = failed
        why = ", ".join(blockers[name][1] for name in failed)
        note = f"All sets hit {params.rep_max} reps, but {why}: same load next time."
    return _decision(
        params,
        side,
        "hold",
        last,
        **_held(params, last),
        eccentric_s=eccentric_s,
        reason=reason,
        note=note,
    )


def held(decision: Decision, cause: str, note: str) -> Decision:
    """The hold that replaces an increase an accepted alert vetoes; `cause` is flagged in the reason."""
    if decision.last is None:
        return decision
    hold = _hold(decision.params, decision.side, decision.last, decision.params.eccentric_s)
    return replace(hold, reason={**hold.reason, cause: True}, note=f"{note} {hold.note}")


def nordic_targets(sessions: Sequence[Session], rep_max: int) -> list[float]:
    """The eccentric target E each Nordic session was prescribed, replayed from the log (§2.4).

    The engine keeps no prescription history, so the ladder is re-run over the sessions it is
    given: E starts at 3 s, goes +1 s after a session with every set at `rep_max` reps and ≥ E s,
    and restarts at 3 s after 6 s or whenever the logged assistance went down.
    """
    targets = []
    target = NORDIC_E_START_S
    previous: Session | None = None
    for session in sessions:
        if previous is not None and session.assistance < previous.assistance - EPS:
            target = NORDIC_E_START_S
        targets.append(target)
        if _nordic_success(session, target, rep_max):
            target = target + NORDIC_E_STEP_S if target < NORDIC_E_MAX_S else NORDIC_E_START_S
        previous = session
    return targets


def _nordic_success(session: Session, target: float, rep_max: int) -> bool:
    # An unlogged negative does not block, as in §2.1.
    return all(
        f.working and f.reps >= rep_max and (f.eccentric_s is None or f.eccentric_s >= target)
        for f in session.facts
    )


def _nordic_missed(session: Session, target: float, rep_min: int) -> bool:
    median = session.median_eccentric_s()
    return session.any_below(rep_min) or (median is not None and median < target - NORDIC_E_STEP_S)


def _decide_nordic(
    index: SessionIndex, params: SlotParams, side: Side, sessions: Sequence[Session]
) -> Decision:
    """§2.4: lengthen the negative 3 → 6 s first, then take 5 kg of assistance off and restart at 3 s."""
    targets = nordic_targets(sessions, params.rep_max)
    last, target = sessions[-1], targets[-1]
    if _nordic_success(last, target, params.rep_max):
        if target >= NORDIC_E_MAX_S:
            decision = _increase(params, side, last, NORDIC_E_START_S)
            return replace(decision, reason={**decision.reason, "eccentric_step": NORDIC_E_START_S - target})
        longer = target + NORDIC_E_STEP_S
        change = ({"eccentric_s": target}, {"eccentric_s": longer})
        note = f"Every set reached {params.rep_max} reps at {fmt(target)} s: lower over {fmt(longer)} s next."
        return _decision(
            params,
            side,
            "increase",
            last,
            **_held(params, last),
            eccentric_s=longer,
            reason={"rule": "increase", "eccentric_step": NORDIC_E_STEP_S},
            note=note,
            change=change,
        )
    if (
        len(sessions) > 1
        and _comparable(index, sessions[-2], last)
        and all(
            _nordic_missed(s, t, params.rep_min) for s, t in zip(sessions[-2:], targets[-2:], strict=True)
        )
    ):
        return _miss(params, side, last, target)
    return _hold(params, side, last, target, min_eccentric_s=target)


def decide_deload(index: SessionIndex, params: SlotParams, side: Side) -> Decision:
    """The deload-week version of a slot (§3.3) [house]: half the sets rounded up, −10 % on the grid,
    +5 kg assistance where there is no load, the same rep range and the same Nordic target E.

    It starts from the last pre-deload session, so the week after, normal progression picks up
    from the pre-deload loads (§3.4).
    """
    sessions = index.sessions(params.spec.id, side)
    last = sessions[-1] if sessions and index.recent(sessions[-1], STALE_AFTER_DAYS) else None
    sets_before = _next_sets(params, last)
    sets = math.ceil(sets_before / 2)
    eccentric = params.eccentric_s
    if params.spec.id == NORDIC:
        eccentric = nordic_targets(sessions, params.rep_max)[-1] if last else NORDIC_E_START_S
    before: LoadFields = {"load": None, "assistance": None}
    fields: LoadFields = {"load": None, "assistance": None}
    reason: JsonDict = {"rule": "deload"}
    if last is not None:
        before = _logged(params, last)
        fields, numbers = _lighter(params, last)
        reason.update(numbers)
    note = f"Deload week: {sets} sets at about 90 % of your load, every set stopped 3+ reps short of failure."
    unit = params.unit
    return _decision(
        params,
        side,
        "deload",
        last,
        **fields,
        eccentric_s=eccentric,
        reason=reason,
        note=note,
        change=(
            {"sets": sets_before, **_fields_kg(before, unit)},
            {"sets": sets, **_fields_kg(fields, unit)},
        ),
        sets=sets,
    )


def describe(change: Mapping[str, float | None], unit: Unit = "kg") -> str:
    """`{"assistance_kg": 15}` → "15 kg assistance" (or in pounds for a pound user), for explanations
    and notes. Loads are kept in kilograms and shown in `unit`."""
    words = []
    for key, value in change.items():
        if value is None:
            continue
        if key == "eccentric_s":
            words.append(f"{fmt(value)} s negative")
        else:
            words.append(show_kg(value, unit) + (" assistance" if key == "assistance_kg" else ""))
    return ", ".join(words)


def decisions_by_exercise(decisions: Iterable[Decision]) -> Mapping[str, list[Decision]]:
    grouped: defaultdict[str, list[Decision]] = defaultdict(list)
    for decision in decisions:
        grouped[decision.exercise_id].append(decision)
    return grouped
