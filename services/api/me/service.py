"""The caller's own settings, enrollment and next session, and the deletion of the account."""

from datetime import UTC, date, datetime, time

from sqlalchemy.orm import Session

from services.api.auth.service import confirm_password, validate_timezone
from services.api.me.schemas import (
    AccountDeletion,
    EnrollmentIn,
    EnrollmentRead,
    MePatch,
    NextDay,
    NextExercise,
    NextSession,
    TargetLoad,
)
from services.api.ratelimit import LoginLimits
from services.core.models import Enrollment, Prescription, User
from services.core.models.base import utcnow
from services.core.repositories import insights, programs, workouts
from services.core.usecases import erasure, plans
from services.core.usecases.plans import DayPlan, ProgramPlan, SlotPlan
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
    enrollment = programs.find_enrollment(session, user_id=user.id) or Enrollment(user_id=user.id)
    enrollment.program_id, enrollment.start_date = program.id, body.start_date
    session.add(enrollment)
    session.commit()
    return EnrollmentRead(program_id=program.id, program_name=program.name, start_date=body.start_date)


def get_enrollment(session: Session, user: User) -> EnrollmentRead:
    enrollment = programs.get_enrollment(session, user_id=user.id)
    program = programs.get_program(session, enrollment.program_id)
    return EnrollmentRead(program_id=program.id, program_name=program.name, start_date=enrollment.start_date)


def next_session(session: Session, user: User) -> NextSession:
    enrollment, revision = programs.get_enrollment_and_revision(session, user_id=user.id)
    plan = plans.program_plan(session, enrollment.program_id, revision)
    day = _next_day(session, user, plan, enrollment.start_date)
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
    return NextSession(
        program_id=plan.id,
        program_name=plan.name,
        day=NextDay(id=day.id, key=day.key, name=day.name),
        exercises=[
            _next_exercise(user, slot, prescribed.get(slot.slot_index, []), last_loads.get(slot.exercise_id))
            for slot in day.slots
        ],
    )


def _next_day(session: Session, user: User, plan: ProgramPlan, start_date: date) -> DayPlan:
    """Days rotate A, B, A, …: the next one follows the program day the user logged last."""
    days = plan.days
    positions = {str(d.id): i for i, d in enumerate(days)}
    if plan.source_program_id is not None:
        # A copy carries on the rotation of the program it was copied from: the logs made before
        # the copy name that program's days, by position.
        source = plans.program_plan(session, plan.source_program_id)
        positions = {str(d.id): i for i, d in enumerate(source.days) if i < len(days)} | positions
    start_ms = int(datetime.combine(start_date, time.min, UTC).timestamp() * 1000)
    last_day_id = workouts.last_program_day(
        session, user_id=user.id, day_ids=list(positions), since_ms=start_ms
    )
    if last_day_id is None:
        return days[0]
    return days[(positions[last_day_id] + 1) % len(days)]


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
