"""The caller's own settings, enrollment and next session."""

from datetime import UTC, date, datetime, time

from sqlalchemy.orm import Session

from services.api.auth.service import validate_timezone
from services.api.me.schemas import (
    EnrollmentIn,
    EnrollmentRead,
    MePatch,
    NextDay,
    NextExercise,
    NextSession,
    TargetLoad,
)
from services.core.models import Enrollment, Exercise, ProgramDay, ProgramSlot, User
from services.core.repositories import catalog, programs, workouts

KG_PER_LB = 0.45359237
NO_HISTORY_NOTE = "Work up to a weight you can lift for the top of the range with 2 reps left."


def update_me(session: Session, user: User, patch: MePatch) -> User:
    changes = patch.model_dump(exclude_unset=True, exclude_none=True)
    if "timezone" in changes:
        validate_timezone(changes["timezone"])
    for key, value in changes.items():
        setattr(user, key, value)
    session.commit()
    return user


def enroll(session: Session, user: User, body: EnrollmentIn) -> EnrollmentRead:
    program = programs.get_program(session, body.program_id)
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
    enrollment = programs.get_enrollment(session, user_id=user.id)
    program = programs.get_program(session, enrollment.program_id)
    day = _next_day(session, user, program.days, enrollment.start_date)
    exercises = [
        _next_exercise(session, user, slot, catalog.get_exercise(session, slot.exercise_id))
        for slot in day.slots
    ]
    return NextSession(
        program_id=program.id,
        program_name=program.name,
        day=NextDay(id=day.id, key=day.key, name=day.name),
        exercises=exercises,
    )


def _next_day(session: Session, user: User, days: list[ProgramDay], start_date: date) -> ProgramDay:
    """Days rotate A, B, A, …: the next one follows the program day the user logged last."""
    start_ms = int(datetime.combine(start_date, time.min, UTC).timestamp() * 1000)
    last_day_id = workouts.last_program_day(
        session, user_id=user.id, day_ids=[str(d.id) for d in days], since_ms=start_ms
    )
    positions = {str(d.id): i for i, d in enumerate(days)}
    if last_day_id is None:
        return days[0]
    return days[(positions[last_day_id] + 1) % len(days)]


def _next_exercise(session: Session, user: User, slot: ProgramSlot, exercise: Exercise) -> NextExercise:
    return NextExercise(
        slot_index=slot.slot_index,
        exercise_id=exercise.id,
        name=exercise.name,
        sets=slot.sets,
        rep_min=slot.rep_min,
        rep_max=slot.rep_max,
        target_rir=slot.target_rir,
        to_failure=slot.to_failure,
        eccentric_s=slot.eccentric_s,
        rest_s=slot.rest_s,
        cues=exercise.cues,
        target=_target(session, user, slot),
    )


def _target(session: Session, user: User, slot: ProgramSlot) -> TargetLoad:
    # The seam for the training engine: its prescriptions replace this last-session rule.
    last_load = workouts.last_working_load(session, user_id=user.id, exercise_id=slot.exercise_id)
    if last_load is None:
        return TargetLoad(load_kg=None, assistance_kg=slot.assistance_kg, basis="none", note=NO_HISTORY_NOTE)
    return TargetLoad(
        load_kg=last_load,
        load_lb=to_lb(last_load) if user.unit == "lb" else None,
        assistance_kg=slot.assistance_kg,
        basis="last_session",
        note=f"Same load as your last session; aim for {slot.rep_max} reps on every set before adding weight.",
    )


def to_lb(load_kg: float) -> float:
    return round(load_kg / KG_PER_LB, 1)
