"""From decisions to `prescriptions` rows (training-rules.md §2, §3.4 and the "acts on" column of §6).

One row per program slot and side, or, without a program, per recently trained exercise and side.
Accepted insights act here: a deload week replaces the rows (§3.4), a left/right alert puts the
weaker side first (note), a pattern-coverage or posterior-chain alert adds its missing exercises,
and the posterior-chain alert holds the squat while the knee hurts (§4.6).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from services.training.catalog import NORDIC, ExerciseSpec
from services.training.deload import RULE_ID as DELOAD_RULE_ID
from services.training.equipment import EquipmentProfile
from services.training.findings import Finding
from services.training.history import History
from services.training.imbalance import (
    LEFT_RIGHT_KIND,
    LEFT_RIGHT_PREFIX,
    PATTERN_KIND,
    PATTERN_SUGGESTION,
    POSTERIOR_KIND,
    POSTERIOR_RULE_ID,
    posterior_chain_recommendation,
)
from services.training.pain import recent_reports
from services.training.progression import (
    NORDIC_RULE_ID,
    RULE_ID,
    Decision,
    SessionIndex,
    SlotParams,
    decide,
    decide_deload,
    held,
    sides_of,
)
from services.training.transfer import TRANSFER_RULE_ID, transfer_target
from services.training.types import (
    EngineInput,
    ExistingInsight,
    JsonDict,
    PainReport,
    PrescriptionOut,
    ProgramPlan,
    ProgramSlot,
)
from services.training.volume import pattern_sets
from services.training.weeks import as_utc

KNEE_HOLD_DAYS = 14
KNEE_NOTE = "Knee pain reported in the last 2 weeks: keep this load for now."
ADDED_PATTERN_SETS = 3  # §6: "seated leg curl or RDL, 3 sets"
ADDED_WINDOW_DAYS = 14
_SIDE_ORDER = {"both": 0, "left": 1, "right": 2}


@dataclass(frozen=True, slots=True)
class Slot:
    program_day_id: str | None
    slot_index: int
    params: SlotParams
    program_slot: ProgramSlot | None = None  # the program's slot it plans, if any


@dataclass(frozen=True, slots=True)
class Planned:
    slot: Slot
    decision: Decision
    insight_id: str | None = None  # the accepted insight that put or changed this row


def plan_slots(
    program: ProgramPlan | None,
    index: SessionIndex,
    catalog: Mapping[str, ExerciseSpec],
    equipment: EquipmentProfile | None = None,
) -> list[Slot]:
    """Program slots of exercises in the user's catalog (the catalog and the user's own exercises,
    §0.3; any other id cannot be judged and is skipped), else the recently trained exercises in that
    catalog's order: hamstrings first, the user's own exercises last. `equipment` is the user's gym
    in their unit (`History.equipment`)."""
    if program is not None:
        return [
            Slot(
                day.program_day_id,
                slot.slot_index,
                SlotParams.for_exercise(catalog[slot.exercise_id], slot, equipment),
                slot,
            )
            for day in program.days
            for slot in sorted(day.slots, key=lambda s: s.slot_index)
            if slot.exercise_id in catalog
        ]
    recent = set(index.recently_trained())
    specs = [spec for spec in catalog.values() if spec.id in recent]
    return [
        Slot(None, position, SlotParams.for_exercise(spec, None, equipment))
        for position, spec in enumerate(specs)
    ]


def plan(index: SessionIndex, slots: Iterable[Slot], *, deload: bool = False) -> list[Planned]:
    judge = decide_deload if deload else decide
    return [
        Planned(slot, judge(index, slot.params, side))
        for slot in slots
        for side in sides_of(slot.params.spec)
    ]


def carry_over_substitutions(planned: Sequence[Planned], inputs: EngineInput) -> list[Planned]:
    """§2.6: a substituted slot whose new exercise would start from nothing (no recent logs of its
    own) starts from the replaced exercise's e1RM instead, when the two are related and it has one."""
    result = []
    for p in planned:
        replaced = p.slot.program_slot.substituted_from if p.slot.program_slot else None
        if replaced is None or p.decision.rule != "start":
            result.append(p)
            continue
        target = transfer_target(
            replaced,
            p.decision.exercise_id,
            inputs.workouts,
            inputs.user,
            inputs.now,
            inputs.custom_exercises,
            slot=p.slot.program_slot,
            equipment=inputs.equipment,
        )
        if target.load is None:
            result.append(p)
            continue
        decision = replace(
            p.decision, rule="transfer", load=target.load, reason=target.reason, note=target.note
        )
        result.append(replace(p, decision=decision))
    return result


def accepted(insights: Sequence[ExistingInsight], kind: str) -> list[ExistingInsight]:
    rows = [row for row in insights if row.kind == kind and row.status == "accepted"]
    return sorted(rows, key=lambda r: (as_utc(r.status_changed_at or r.updated_at), r.id))


def hold_squat_for_knee(
    planned: Sequence[Planned],
    insights: Sequence[ExistingInsight],
    pain: Sequence[PainReport],
    history: History,
) -> list[Planned]:
    """§4.6 accepted: no squat increase while any knee report ≥ 3 in the last 14 days."""
    if not recent_reports(pain, history.cal, parts=("knee",), days=KNEE_HOLD_DAYS):
        return list(planned)
    holds = {
        row.evidence.get("inputs", {}).get("squat_exercise"): row.id
        for row in accepted(insights, POSTERIOR_KIND)
    }
    return [
        replace(
            p, decision=held(p.decision, "knee_pain", KNEE_NOTE), insight_id=holds[p.decision.exercise_id]
        )
        if p.decision.rule == "increase" and p.decision.exercise_id in holds
        else p
        for p in planned
    ]


def weaker_side_first(
    planned: Sequence[Planned], insights: Sequence[ExistingInsight], found: Sequence[Finding]
) -> list[Planned]:
    """§6 accepted left/right: weaker side first, stronger side capped at its reps, while it still holds."""
    still = {f.subject: f.evidence["inputs"]["weaker_side"] for f in found if f.kind == LEFT_RIGHT_KIND}
    weaker = {
        row.subject.removeprefix(LEFT_RIGHT_PREFIX): still[row.subject]
        for row in accepted(insights, LEFT_RIGHT_KIND)
        if row.subject in still
    }
    result = []
    for p in planned:
        side = weaker.get(p.decision.exercise_id)
        if side is None:
            result.append(p)
            continue
        other = "right" if side == "left" else "left"
        note = (
            f"{p.decision.note} Start with your {side} side; stop the {other} side at the {side} side's reps."
        )
        result.append(replace(p, decision=replace(p.decision, note=note)))
    return result


# Added slots sort before the plan's own (hamstrings first, §4.6) without renumbering the plan's
# slots, so the prescriptions already on the phone keep their ids.
ADDED_SLOT_BASE = -100


def added_slots(
    planned: Sequence[Planned],
    insights: Sequence[ExistingInsight],
    pain: Sequence[PainReport],
    index: SessionIndex,
    history: History,
    left_right_found: Sequence[Finding],
) -> list[Planned]:
    """Exercises that accepted pattern-coverage (§4.3) and posterior-chain (§4.6) alerts add,
    until the user's plan or recent training covers them."""
    present = {p.decision.exercise_id for p in planned}
    patterns = {p.slot.params.spec.pattern for p in planned}
    recent_patterns = pattern_sets(history.last_days(ADDED_WINDOW_DAYS))
    wanted: list[tuple[str, JsonDict, str]] = []
    for row in accepted(insights, PATTERN_KIND):
        missing = row.evidence.get("inputs", {}).get("missing_pattern")
        if missing in PATTERN_SUGGESTION and missing not in patterns and recent_patterns[missing] == 0:
            entry: JsonDict = {"exercise_id": PATTERN_SUGGESTION[missing], "sets": ADDED_PATTERN_SETS}
            wanted.append(
                (row.id, entry, "Added to your next leg day: it trains the pattern your hamstrings missed.")
            )
    for row in accepted(insights, POSTERIOR_KIND):
        default = posterior_chain_recommendation(history, pain, left_right_found)["add"]
        for entry in row.recommendation.get("add") or default:
            wanted.append(
                (
                    row.id,
                    entry,
                    f"Added on day {entry.get('day', 'A')}, before anything else: hamstrings first.",
                )
            )
    added: list[Planned] = []
    for insight_id, entry, note in wanted:
        spec = history.catalog.get(entry["exercise_id"])
        if spec is None or spec.id in present:
            continue
        present.add(spec.id)
        params = replace(
            SlotParams.for_exercise(spec, None, history.equipment),
            sets=int(entry.get("sets", ADDED_PATTERN_SETS)),
            rep_min=int(entry.get("rep_min", spec.rep_min)),
            rep_max=int(entry.get("rep_max", spec.rep_max)),
        )
        slot = Slot(None, ADDED_SLOT_BASE + len(added), params)
        for side in sides_of(spec):
            decision = decide(index, params, side)
            added.append(Planned(slot, replace(decision, note=f"{decision.note} {note}"), insight_id))
    return added


def to_rows(planned: Iterable[Planned], valid_from: date) -> list[PrescriptionOut]:
    return [_row(p, valid_from) for p in planned]


def _row(p: Planned, valid_from: date) -> PrescriptionOut:
    """One row; the load also in the user's unit, with the plates a side or the stack pin (§2.8)."""
    loading, load = p.slot.params.loading, p.decision.load
    plates = loading.plates_per_side(load)
    return PrescriptionOut(
        program_day_id=p.slot.program_day_id,
        slot_index=p.slot.slot_index,
        exercise_id=p.decision.exercise_id,
        side=p.decision.side,
        sets=p.decision.sets,
        rep_min=p.slot.params.rep_min,
        rep_max=p.slot.params.rep_max,
        load_kg=p.decision.load_kg,
        eccentric_s=p.decision.eccentric_s,
        assistance_kg=p.decision.assistance_kg,
        note=p.decision.note,
        reason=_reason(p.decision, p.insight_id),
        valid_from=valid_from,
        unit=p.decision.unit,
        load=load,
        assistance=p.decision.assistance,
        bar=None if plates is None else loading.base,
        plates_per_side=plates,
        stack=loading.stack_position(load),
    )


def _reason(decision: Decision, insight_id: str | None) -> JsonDict:
    """`reason_json`: the decision's numbers, the versioned rule that wrote the row (§5.2's `rule_id`,
    as insights carry it) and the accepted insight that put or changed it, if any."""
    reason: JsonDict = {**decision.reason, "rule_id": rule_id_of(decision)}
    return {**reason, "insight_id": insight_id} if insight_id is not None else reason


def rule_id_of(decision: Decision) -> str:
    """The rule that decided a row: a deload week (§3.3), the §4.6 knee hold, the Nordic ladder
    (§2.4), else double progression (§2: increase, hold, miss, start)."""
    if decision.rule == "deload":
        return DELOAD_RULE_ID
    if decision.rule == "transfer":
        return TRANSFER_RULE_ID
    if decision.reason.get("knee_pain"):
        return POSTERIOR_RULE_ID
    return NORDIC_RULE_ID if decision.exercise_id == NORDIC else RULE_ID


def sort_key(row: PrescriptionOut) -> tuple[str, int, int, str]:
    return (row.program_day_id or "", row.slot_index, _SIDE_ORDER[row.side], row.exercise_id)
