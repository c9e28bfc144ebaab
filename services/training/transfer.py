"""Substitution transfer, rule `prog.transfer@1.1.0` (training-rules.md §2.6).

When a user swaps a slot's exercise (the machine is taken, a regression, a progression), the new
exercise's first target comes from the old one's recent e1RM when the two are related and a ratio
between them is documented: e1RM(new) = e1RM(old) × ratio, then the load for the new exercise's top
of the range at its target RIR (Epley, §1.5 [cited: R9]), rounded **down** to a load the user's equipment makes for it, in the
user's unit (§2.8). Otherwise (unrelated, no ratio, no recent e1RM, a bodyweight or assisted exercise,
a load lighter than the equipment's lightest) a conservative start with no load, like §2's `start`
row. Every ratio and window is [house].
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from services.training.catalog import ExerciseSpec
from services.training.custom import user_catalog
from services.training.e1rm import ISOLATION_REP_CAP, REP_CAP, best_set, epley, rep_equivalent
from services.training.equipment import EquipmentProfile, StackPosition
from services.training.findings import fmt, kg
from services.training.history import History, SetFact
from services.training.loads import round_down
from services.training.progression import SlotParams, computed
from services.training.types import CustomExercise, JsonDict, ProgramSlot, UserProfile, Workout
from services.training.units import Unit, from_kg, show, show_kg, stored_kg

TRANSFER_RULE_ID = "prog.transfer@1.1.0"
TRANSFER_DAYS = 28  # the old exercise's e1RM: its best set in the last 28 days [house], as §4.4's window

# e1RM(second) ≈ ratio × e1RM(first), every one [house]: no study we checked measured these pairs'
# 1RMs against each other. The reverse swap uses 1 / ratio. Rounding down to the new step and
# starting at the top of the range make the first session light rather than heavy.
TRANSFER_RATIOS: Mapping[tuple[str, str], float] = {
    # Two knee-flexion machines with the same stack: the machines, not the muscles, differ.
    ("seated-leg-curl", "lying-leg-curl"): 1.0,
    # One leg on the same kind of machine: half, ignoring the bilateral deficit (lighter, on purpose).
    ("seated-leg-curl", "single-leg-curl"): 0.5,
    ("lying-leg-curl", "single-leg-curl"): 0.5,
    # Hinges: a straighter knee and a longer lever (stiff-leg, good morning) lift less than the RDL;
    # two dumbbells (summed, §0.1) less than the bar; the RDL less than a deadlift from the floor.
    ("romanian-deadlift", "stiff-leg-deadlift"): 0.9,
    ("romanian-deadlift", "dumbbell-romanian-deadlift"): 0.8,
    ("romanian-deadlift", "good-morning"): 0.6,
    ("conventional-deadlift", "romanian-deadlift"): 0.75,
    ("conventional-deadlift", "trap-bar-deadlift"): 1.0,
    # Squat and press variants the catalog links as regressions/progressions.
    ("back-squat", "front-squat"): 0.8,
    ("bench-press", "dumbbell-bench-press"): 0.8,
}

# same_exercise | ratio | related_no_ratio | unrelated | no_history | no_e1rm | too_light
TransferCase = str


@dataclass(frozen=True, slots=True)
class TransferTarget:
    """The first target of a substituted slot. `load_kg` None means "pick a load" (a start). `load` is
    the same load in the user's `unit`, on their equipment (§2.8), with its plates or stack pin."""

    load_kg: float | None
    assistance_kg: float | None
    ratio: float | None
    reason: JsonDict  # always "rule", "rule_id" and "case"
    note: str
    unit: Unit = "kg"
    load: float | None = None
    bar: float | None = None
    plates_per_side: tuple[float, ...] | None = None
    stack: StackPosition | None = None


def transfer_ratio(old: ExerciseSpec, new: ExerciseSpec) -> float | None:
    """The documented e1RM ratio from `old` to `new`, 1.0 for the same exercise, else None."""
    if old.id == new.id:
        return 1.0
    forward = TRANSFER_RATIOS.get((old.id, new.id))
    if forward is not None:
        return forward
    backward = TRANSFER_RATIOS.get((new.id, old.id))
    return None if backward is None else 1 / backward


def related(old: ExerciseSpec, new: ExerciseSpec) -> bool:
    """Same movement pattern, or a documented pair (the catalog's regressions and progressions of
    each other are same-pattern pairs, or in the table)."""
    return old.pattern == new.pattern or transfer_ratio(old, new) is not None


def transfer_target(
    old_exercise_id: str,
    new_exercise_id: str,
    workouts: Sequence[Workout],
    user: UserProfile,
    now: datetime,
    custom_exercises: Sequence[CustomExercise] = (),
    *,
    slot: ProgramSlot | None = None,
    equipment: EquipmentProfile | None = None,
) -> TransferTarget:
    """The new exercise's first target after a swap from `old_exercise_id` (§2.6).

    `workouts` is the user's log (the recompute's 12 weeks are plenty: only the last 28 days are
    read); `slot` the substituted program slot, whose rep range and step override the catalog's;
    `equipment` the user's gym (None: the default gym of `user.unit`, §2.8). Ids outside the user's
    catalog (the catalog and `custom_exercises`) get an unrelated start.
    """
    catalog = user_catalog(custom_exercises)
    history = History.build(workouts, user, now, catalog, equipment=equipment)
    new = catalog.get(new_exercise_id)
    old = catalog.get(old_exercise_id)
    old_name = old_exercise_id if old is None else old.name
    params = None if new is None else SlotParams.for_exercise(new, slot, history.equipment)

    def start(case: TransferCase, ratio: float | None = None) -> TransferTarget:
        return _start(params, old_exercise_id, old_name, new_exercise_id, case, ratio)

    if new is None or old is None or not related(old, new):
        return start("unrelated")
    assert params is not None
    ratio = transfer_ratio(old, new)
    if not (old.has_e1rm and new.has_e1rm):
        return start("no_e1rm", ratio)
    if ratio is None:
        return start("related_no_ratio")
    best = recent_e1rm(history, old)
    if best is None:
        return start("no_history", ratio)
    unit = params.unit
    reps = params.rep_max + new.target_rir
    exact = from_kg(best[0] * ratio / epley(1.0, reps), unit)
    load = round_down(exact, params.loading.load)
    if load is None or load <= 0:
        return start("too_light", ratio)
    old_e1rm, fact = best
    new_e1rm = old_e1rm * ratio
    case = "same_exercise" if old.id == new.id else "ratio"
    reason: JsonDict = {
        **_reason(case, old.id, new.id, ratio),
        "old_e1rm": kg(old_e1rm),
        "old_set_id": fact.set.id,
        "new_e1rm": kg(new_e1rm),
        "reps_to_failure": reps,
        "step_kg": params.step_kg,
        "confidence": "low" if rep_equivalent(fact) > REP_CAP else "normal",
        **computed("load", exact, load, unit),
    }
    in_reserve = _in_reserve(new)
    note = (
        f"From your {old.name} (estimated max {show_kg(kg(old_e1rm), unit)}) × {fmt(round(ratio, 2))}: "
        f"{show(load, unit)} for {params.rep_min}–{params.rep_max} reps {in_reserve}. "
        "Rounded down: adjust after the first set if it is far off."
    )
    plates = params.loading.plates_per_side(load)
    return TransferTarget(
        stored_kg(load, unit),
        None,
        round(ratio, 4),
        reason,
        note,
        unit=unit,
        load=load,
        bar=None if plates is None else params.loading.base,
        plates_per_side=plates,
        stack=params.loading.stack_position(load),
    )


def recent_e1rm(history: History, spec: ExerciseSpec) -> tuple[float, SetFact] | None:
    """The old exercise's best e1RM in the last 28 days. Isolation sets of 13–15 reps count here
    (flagged low confidence, as §4.4); a unilateral exercise gives its weaker side's best."""
    facts = [f for f in history.last_days(TRANSFER_DAYS) if f.exercise_id == spec.id]
    if not spec.unilateral:
        return best_set((f for f in facts if f.side == "both"), rep_cap=ISOLATION_REP_CAP)
    per_side = [
        best
        for side in ("left", "right")
        if (best := best_set((f for f in facts if f.side in (side, "both")), rep_cap=ISOLATION_REP_CAP))
    ]
    return min(per_side, key=lambda best: best[0]) if per_side else None


def _in_reserve(spec: ExerciseSpec) -> str:
    return "taken to failure" if spec.to_failure else f"with {spec.target_rir} reps in reserve"


def _reason(case: TransferCase, old_id: str, new_id: str, ratio: float | None) -> JsonDict:
    return {
        "rule": "transfer",
        "rule_id": TRANSFER_RULE_ID,
        "case": case,
        "from_exercise_id": old_id,
        "to_exercise_id": new_id,
        "ratio": None if ratio is None else round(ratio, 4),
    }


_START_WHY = {
    "unrelated": "it is a different movement from your {old}",
    "related_no_ratio": "there is no documented ratio between it and your {old}",
    "no_history": "there is no recent weighted set of your {old} to go from",
    "no_e1rm": "bodyweight and assisted exercises have no estimated max to carry over",
    "too_light": "the load carried over from your {old} is lighter than anything your equipment makes",
}


def _start(
    params: SlotParams | None,
    old_id: str,
    old_name: str,
    new_id: str,
    case: TransferCase,
    ratio: float | None,
) -> TransferTarget:
    """The conservative start: no load, the user finds it (§2's `start`)."""
    why = _START_WHY[case].format(old=old_name)
    if params is None:
        note = f"Start light: {why}."
    elif params.spec.assisted:
        note = (
            f"Start light: {why}. Use enough band help to do {params.rep_max} controlled reps "
            f"{_in_reserve(params.spec)}, then the app takes it off "
            f"{show(params.loading.assistance.step, params.unit)} at a time."
        )
    else:
        note = (
            f"Start light: {why}. Find a weight you can lift for the top of the range "
            f"({params.rep_max} reps) {_in_reserve(params.spec)}."
        )
    rounded = None if ratio is None else round(ratio, 4)
    unit: Unit = "kg" if params is None else params.unit
    return TransferTarget(None, None, rounded, _reason(case, old_id, new_id, ratio), note, unit=unit)
