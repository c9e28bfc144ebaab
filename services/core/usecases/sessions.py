"""The next session: the next day of the followed program's rotation with sets, reps, tempo and
loads, as plain JSON-ready data.

It is a read model (ARCHITECTURE.md, "Read models"): computed by `read_models.refresh` at every
write that can change it and stored, so the app's home screen (`GET /v1/me/next-session`) and the
phone's offline copy (the synced `planned_sessions` table) read it without computing it. It reads
only stored rows, never the clock, so the stored answer stays right until one of them changes.
"""

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from services import training
from services.core.models import Prescription, User
from services.core.repositories import insights, programs, workouts

# The module, not its names: recompute keeps the read models, which render this.
from services.core.usecases import plans, recompute
from services.core.usecases.plans import SlotPlan
from services.training.units import lb_for

NO_HISTORY_NOTE = "Work up to a weight you can lift for the top of the range with 2 reps left."

NextSession = dict[str, Any]  # the body of GET /v1/me/next-session (api/me/schemas.NextSession)


def next_session(session: Session, user: User) -> NextSession | None:
    """The user's next session; None when they follow no program."""
    enrollment = programs.find_enrollment(session, user_id=user.id)
    if enrollment is None:
        return None
    plan = plans.program_plan(session, enrollment.program_id)
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
    return {
        "program_id": str(plan.id),
        "program_name": plan.name,
        "day": {"id": str(day.id), "key": day.key, "name": day.name},
        "exercises": [
            _next_exercise(user, slot, prescribed.get(slot.slot_index, []), last_loads.get(slot.exercise_id))
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
    user: User, slot: SlotPlan, prescribed: list[Prescription], last_load: float | None
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
        "target": _prescribed_target(user, main, prescribed)
        if main
        else _last_session_target(user, slot, last_load),
    }


def _prescribed_target(user: User, main: Prescription, prescribed: list[Prescription]) -> dict[str, Any]:
    per_side = {p.side: p.load_kg for p in prescribed if p.side != "both"} or None
    return {
        "load_kg": main.load_kg,
        "load_lb": lb_for(main.load_kg, user.unit),
        "assistance_kg": main.assistance_kg,
        "basis": "prescription",
        "note": main.note or NO_HISTORY_NOTE,
        "reason": main.reason,
        "per_side_kg": per_side,
    }


def _last_session_target(user: User, slot: SlotPlan, last_load: float | None) -> dict[str, Any]:
    if last_load is None:
        return {
            "load_kg": None,
            "load_lb": None,
            "assistance_kg": slot.assistance_kg,
            "basis": "none",
            "note": NO_HISTORY_NOTE,
            "reason": None,
            "per_side_kg": None,
        }
    return {
        "load_kg": last_load,
        "load_lb": lb_for(last_load, user.unit),
        "assistance_kg": slot.assistance_kg,
        "basis": "last_session",
        "note": f"Same load as your last session; aim for {slot.rep_max} reps on every set before adding weight.",
        "reason": None,
        "per_side_kg": None,
    }
