"""The next session: the next day of the followed program's rotation with sets, reps, tempo and
loads, as plain JSON-ready data.

It is a read model (ARCHITECTURE.md, "Read models"): computed by `read_models.refresh` at every
write that can change it and stored, so the app's home screen (`GET /v1/me/next-session`) and the
phone's offline copy (the synced `planned_sessions` table) read it without computing it. It reads
only stored rows, never the clock, so the stored answer stays right until one of them changes.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session

from services import training
from services.core.models import Prescription, User
from services.core.repositories import insights, programs, workouts

# The module, not its names: recompute keeps the read models, which render this.
from services.core.usecases import plans, recompute
from services.core.usecases.plans import SlotPlan
from services.training.custom import user_catalog
from services.training.loads import nearest
from services.training.units import read_load, show, stored_kg

NO_HISTORY_NOTE = "Work up to a weight you can lift for the top of the range with 2 reps left."

NextSession = dict[str, Any]  # the body of GET /v1/me/next-session (api/me/schemas.NextSession)


def next_session(session: Session, user: User) -> NextSession | None:
    """The user's next session; None when they follow no program."""
    # The enrollment and its program's revision (the plan cache's key) in one round trip.
    found = programs.find_enrollment_and_revision(session, user_id=user.id)
    if found is None:
        return None
    enrollment, revision = found
    plan = plans.program_plan(session, enrollment.program_id, revision)
    day = plans.next_day(session, user.id, plan, enrollment.start_date)
    prescribed = insights.prescriptions_for_day(session, user_id=user.id, program_day_id=str(day.id))
    # A slot edited since the last recompute keeps no prescription of the exercise it had.
    prescribed = {
        slot.slot_index: [p for p in rows if p.exercise_id == slot.exercise_id]
        for slot in day.slots
        if (rows := prescribed.get(slot.slot_index))
    }
    # Only slots without a prescription fall back to the last session's load: when the engine
    # prescribed every slot, the loads are not read at all.
    last_loads = workouts.last_working_loads(
        session,
        user_id=user.id,
        exercise_ids={s.exercise_id for s in day.slots if not prescribed.get(s.slot_index)},
    )
    order = _weak_point_order(session, user, day.slots)
    gym = _Gym(session, user)
    return {
        "program_id": str(plan.id),
        "program_name": plan.name,
        "day": {"id": str(day.id), "key": day.key, "name": day.name},
        "exercises": [
            _next_exercise(gym, slot, prescribed.get(slot.slot_index, []), last_loads.get(slot.exercise_id))
            for slot in order.slots
        ],
        "order": {"note": order.note, "reason": dict(order.reason)} if order.reason else None,
    }


def _weak_point_order(
    session: Session, user: User, slots: Sequence[SlotPlan]
) -> training.WeakPointOrder[SlotPlan]:
    """§2.7: hamstring slots first for a user whose hamstrings are a weak point. The user's own
    exercises are read only when the day has some (the catalog's patterns are known)."""
    own = (
        recompute.custom_exercises(session, user.id)
        if user.hamstrings_weak_point and any(s.exercise_id not in training.CATALOG for s in slots)
        else []
    )
    return training.order_for_weak_point(slots, recompute.profile(user), own)


def _next_exercise(
    gym: "_Gym", slot: SlotPlan, prescribed: list[Prescription], last_load: workouts.LoggedLoad | None
) -> dict[str, Any]:
    # The training engine's prescription for this slot wins (it may change sets, reps and tempo,
    # e.g. in a deload week); without one, the last session's load is the target.
    main = next((p for p in prescribed if p.side == "both"), prescribed[0] if prescribed else None)
    return {
        "slot_index": slot.slot_index,
        "exercise_id": slot.exercise_id,
        "name": slot.exercise_name,
        "sets": main.sets if main else slot.sets,
        "rep_min": main.rep_min if main else slot.rep_min,
        "rep_max": main.rep_max if main else slot.rep_max,
        "target_rir": slot.target_rir,
        "to_failure": slot.to_failure,
        "eccentric_s": main.eccentric_s if main else slot.eccentric_s,
        "rest_s": slot.rest_s,
        "cues": list(slot.cues),
        "target": _prescribed_target(gym, main, prescribed)
        if main
        else _last_session_target(gym, slot, last_load),
    }


class _Gym:
    """The user's unit and equipment, read once per rendering and only when a target needs them
    (a prescription written before units were native, or a last session's load)."""

    def __init__(self, session: Session, user: User) -> None:
        self.session, self.user = session, user
        self.unit: training.Unit = "lb" if user.unit == "lb" else "kg"
        self._profile: training.EquipmentProfile | None = None
        self._own: Mapping[str, training.ExerciseSpec] | None = None

    def loading(self, exercise_id: str) -> training.Loading | None:
        if self._profile is None:
            stored = recompute.equipment_profile(self.session, self.user.id)
            self._profile = (stored or training.default_profile(self.unit)).in_unit(self.unit)
        spec = training.CATALOG.get(exercise_id)
        if spec is None:
            if self._own is None:
                self._own = user_catalog(recompute.custom_exercises(self.session, self.user.id))
            spec = self._own.get(exercise_id)
        return None if spec is None else training.loading_for(spec, self._profile)


def _loads(
    unit: str, load: float | None, assistance: float | None, loading: training.Loading | None
) -> dict[str, Any]:
    """A load in the user's unit with how it is made: plates a side on a bar, or a stack pin."""
    plates = loading.plates_per_side(load) if loading is not None else None
    stack = loading.stack_position(load) if loading is not None else None
    return {
        "unit": unit,
        "load": load,
        "assistance": assistance,
        "bar": loading.base if loading is not None and plates is not None else None,
        "plates_per_side": None if plates is None else list(plates),
        "stack": None if stack is None else {"pin": stack.pin, "add_on": stack.add_on},
    }


def _in_unit(gym: _Gym, row: Prescription) -> dict[str, Any]:
    """The row's loads in the user's unit: as the engine wrote them, or (a row written before units
    were native, or in the other unit) its kilograms read in the user's unit (§2.8)."""
    if row.unit == gym.unit and (row.load is not None or row.load_kg is None):
        return {
            "unit": row.unit,
            "load": row.load,
            "assistance": row.assistance,
            "bar": row.bar,
            "plates_per_side": row.plates_per_side,
            "stack": row.stack,
        }
    load = None if row.load_kg is None else read_load(row.load_kg, gym.unit)
    assistance = None if row.assistance_kg is None else read_load(row.assistance_kg, gym.unit)
    return _loads(gym.unit, load, assistance, gym.loading(row.exercise_id))


def _prescribed_target(gym: _Gym, main: Prescription, prescribed: list[Prescription]) -> dict[str, Any]:
    loads = _in_unit(gym, main)
    sides = [p for p in prescribed if p.side != "both"]
    return {
        "load_kg": main.load_kg,
        # The pound figure is the loadable one (230, not 104.326245 kg converted back to 230.0).
        "load_lb": loads["load"] if gym.unit == "lb" else None,
        "assistance_kg": main.assistance_kg,
        **loads,
        "basis": "prescription",
        "note": main.note or NO_HISTORY_NOTE,
        "reason": main.reason,
        "per_side_kg": {p.side: p.load_kg for p in sides} or None,
        "per_side": {p.side: _in_unit(gym, p)["load"] for p in sides} or None,
    }


def _last_session_target(gym: _Gym, slot: SlotPlan, last: workouts.LoggedLoad | None) -> dict[str, Any]:
    assistance = None if slot.assistance_kg is None else read_load(slot.assistance_kg, gym.unit)
    if last is None:
        return {
            "load_kg": None,
            "load_lb": None,
            "assistance_kg": slot.assistance_kg,
            **_loads(gym.unit, None, assistance, None),
            "basis": "none",
            "note": NO_HISTORY_NOTE,
            "reason": None,
            "per_side_kg": None,
            "per_side": None,
        }
    # The load as logged, in the user's unit (the typed value when typed in it), repeated on the
    # equipment: the nearest load it makes, like a hold (§2.2, §2.8).
    logged = read_load(last.load_kg, gym.unit, last.entered_load, last.entered_unit)
    loading = gym.loading(slot.exercise_id)
    load = logged if loading is None else nearest(logged, loading.load)
    return {
        "load_kg": stored_kg(load, gym.unit) if load != logged else last.load_kg,
        "load_lb": load if gym.unit == "lb" else None,
        "assistance_kg": slot.assistance_kg,
        **_loads(gym.unit, load, assistance, loading),
        "basis": "last_session",
        "note": f"Same load as your last session ({show(load, gym.unit)}); aim for {slot.rep_max} reps on "
        "every set before adding weight.",
        "reason": None,
        "per_side_kg": None,
        "per_side": None,
    }
