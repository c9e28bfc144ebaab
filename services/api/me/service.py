"""The caller's own settings, enrollment and next session, and the deletion of the account."""

import uuid
from collections.abc import Sequence

from sqlalchemy.orm import Session

from services import training
from services.api.auth.service import confirm_password, validate_timezone
from services.api.me.schemas import (
    AccountDeletion,
    EnrollmentIn,
    EnrollmentRead,
    MePatch,
    NextDay,
    NextExercise,
    NextSession,
    Order,
    TargetLoad,
)
from services.api.ratelimit import LoginLimits
from services.core.models import Enrollment, Prescription, Program, User
from services.core.models.base import utcnow
from services.core.repositories import insights, programs, webhooks, workouts
from services.core.usecases import erasure, plans
from services.core.usecases.plans import SlotPlan
from services.core.usecases.recompute import custom_exercises, profile
from services.training.units import lb_for

NO_HISTORY_NOTE = "Work up to a weight you can lift for the top of the range with 2 reps left."


def update_me(session: Session, user: User, patch: MePatch) -> User:
    changes = patch.model_dump(exclude_unset=True, exclude_none=True)
    if "timezone" in changes:
        validate_timezone(changes["timezone"])
    for key, value in changes.items():
        setattr(user, key, value)
    session.commit()
    return user


def delete_me(session: Session, user: User, body: AccountDeletion, limits: LoginLimits) -> None:
    confirm_password(user, body.password, limits)
    erasure.delete_account(session, user.id, utcnow())
    session.commit()


def enroll(session: Session, user: User, body: EnrollmentIn) -> EnrollmentRead:
    program = programs.get_visible(session, user_id=user.id, program_id=body.program_id)
    return enroll_in(session, user, program, body)


def enroll_in(
    session: Session, user: User, program: Program, body: EnrollmentIn, *, by_partner: uuid.UUID | None = None
) -> EnrollmentRead:
    """Enrolls `user` in `program`, which the caller checked they may follow, and commits. A coach
    whose program the enrollment leaves hears of it, unless it moved the user itself."""
    enrollment = programs.find_enrollment(session, user_id=user.id)
    if enrollment is None:
        enrollment = Enrollment(user_id=user.id)
        session.add(enrollment)
    elif enrollment.program_id != program.id:
        left = programs.get_program(session, enrollment.program_id)
        webhooks.record_program_changed(session, left, "left", by_partner=by_partner)
    enrollment.program_id, enrollment.start_date = program.id, body.start_date
    session.commit()
    return EnrollmentRead(program_id=program.id, program_name=program.name, start_date=body.start_date)


def leave(session: Session, user: User) -> None:
    """Ends the enrollment: no program is followed, so there is no next session until the user
    enrolls again. The program stays the user's."""
    enrollment = programs.get_enrollment(session, user_id=user.id)
    webhooks.record_program_changed(session, programs.get_program(session, enrollment.program_id), "left")
    session.delete(enrollment)
    session.commit()


def get_enrollment(session: Session, user: User) -> EnrollmentRead:
    enrollment = programs.get_enrollment(session, user_id=user.id)
    program = programs.get_program(session, enrollment.program_id)
    return EnrollmentRead(program_id=program.id, program_name=program.name, start_date=enrollment.start_date)


def next_session(session: Session, user: User) -> NextSession:
    enrollment, revision = programs.get_enrollment_and_revision(session, user_id=user.id)
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
    return NextSession(
        program_id=plan.id,
        program_name=plan.name,
        day=NextDay(id=day.id, key=day.key, name=day.name),
        exercises=[
            _next_exercise(user, slot, prescribed.get(slot.slot_index, []), last_loads.get(slot.exercise_id))
            for slot in order.slots
        ],
        order=Order(note=order.note, reason=order.reason) if order.reason else None,
    )


def _weak_point_order(
    session: Session, user: User, slots: Sequence[SlotPlan]
) -> training.WeakPointOrder[SlotPlan]:
    """§2.7: hamstring slots first for a user whose hamstrings are a weak point. The user's own
    exercises are read only when the day has some (the catalog's patterns are known)."""
    own = (
        custom_exercises(session, user.id)
        if user.hamstrings_weak_point and any(s.exercise_id not in training.CATALOG for s in slots)
        else []
    )
    return training.order_for_weak_point(slots, profile(user), own)


def _next_exercise(
    user: User, slot: SlotPlan, prescribed: list[Prescription], last_load: float | None
) -> NextExercise:
    # The training engine's prescription for this slot wins (it may change sets, reps and tempo,
    # e.g. in a deload week); without one, the last session's load is the target.
    main = next((p for p in prescribed if p.side == "both"), prescribed[0] if prescribed else None)
    return NextExercise(
        slot_index=slot.slot_index,
        exercise_id=slot.exercise_id,
        name=slot.exercise_name,
        sets=main.sets if main else slot.sets,
        rep_min=main.rep_min if main else slot.rep_min,
        rep_max=main.rep_max if main else slot.rep_max,
        target_rir=slot.target_rir,
        to_failure=slot.to_failure,
        eccentric_s=main.eccentric_s if main else slot.eccentric_s,
        rest_s=slot.rest_s,
        cues=list(slot.cues),
        target=_prescribed_target(user, main, prescribed)
        if main
        else _last_session_target(user, slot, last_load),
    )


def _prescribed_target(user: User, main: Prescription, prescribed: list[Prescription]) -> TargetLoad:
    per_side = {p.side: p.load_kg for p in prescribed if p.side != "both"} or None
    return TargetLoad(
        load_kg=main.load_kg,
        load_lb=lb_for(main.load_kg, user.unit),
        assistance_kg=main.assistance_kg,
        basis="prescription",
        note=main.note or NO_HISTORY_NOTE,
        reason=main.reason,
        per_side_kg=per_side,
    )


def _last_session_target(user: User, slot: SlotPlan, last_load: float | None) -> TargetLoad:
    if last_load is None:
        return TargetLoad(load_kg=None, assistance_kg=slot.assistance_kg, basis="none", note=NO_HISTORY_NOTE)
    return TargetLoad(
        load_kg=last_load,
        load_lb=lb_for(last_load, user.unit),
        assistance_kg=slot.assistance_kg,
        basis="last_session",
        note=f"Same load as your last session; aim for {slot.rep_max} reps on every set before adding weight.",
    )
