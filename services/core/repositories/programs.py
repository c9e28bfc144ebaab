import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from services.core.errors import NotFound
from services.core.models import Enrollment, Program, ProgramDay, ProgramSlot


def list_programs(session: Session, *, after_slug: str | None, limit: int) -> Sequence[Program]:
    """The starter programs, by slug."""
    stmt = select(Program).where(Program.owner_id.is_(None)).order_by(Program.slug).limit(limit)
    if after_slug is not None:
        stmt = stmt.where(Program.slug > after_slug)
    return session.scalars(stmt).all()


def list_owned(
    session: Session, *, owner_id: uuid.UUID, after_id: uuid.UUID | None, limit: int
) -> Sequence[Program]:
    stmt = select(Program).where(Program.owner_id == owner_id).order_by(Program.id).limit(limit)
    if after_id is not None:
        stmt = stmt.where(Program.id > after_id)
    return session.scalars(stmt).all()


def get_owned(session: Session, *, owner_id: uuid.UUID, program_id: uuid.UUID) -> Program:
    """The user's own program with its days and slots; another user's, or a starter, is a 404."""
    program = _with_days(session, program_id, Program.owner_id == owner_id)
    if program is None:
        raise NotFound("program", program_id)
    return program


def get_visible(session: Session, *, user_id: uuid.UUID, program_id: uuid.UUID) -> Program:
    """A starter or the user's own program: what the user may enroll in or copy."""
    program = _with_days(session, program_id, (Program.owner_id.is_(None)) | (Program.owner_id == user_id))
    if program is None:
        raise NotFound("program", program_id)
    return program


def get_assignable(
    session: Session, *, user_id: uuid.UUID, partner_id: uuid.UUID, program_id: uuid.UUID
) -> Program:
    """A starter, or a program of the user's that this partner assigned: what a coach may enroll
    the user in. The user's own programs and other coaches' are a 404."""
    assigned = (Program.owner_id == user_id) & (Program.assigned_by == partner_id)
    program = _with_days(session, program_id, Program.owner_id.is_(None) | assigned)
    if program is None:
        raise NotFound("program", program_id)
    return program


def revision_of_starter(session: Session, program_id: uuid.UUID) -> int:
    stmt = select(Program.revision).where(Program.id == program_id, Program.owner_id.is_(None))
    revision = session.scalar(stmt)
    if revision is None:
        raise NotFound("program", program_id)
    return revision


def _with_days(session: Session, program_id: uuid.UUID, *conditions: Any) -> Program | None:
    stmt = (
        select(Program)
        .where(Program.id == program_id, *conditions)
        .options(selectinload(Program.days).selectinload(ProgramDay.slots))
    )
    return session.scalar(stmt)


def enrolled_users(session: Session, program_id: uuid.UUID) -> Sequence[uuid.UUID]:
    return session.scalars(select(Enrollment.user_id).where(Enrollment.program_id == program_id)).all()


def get_program(session: Session, program_id: uuid.UUID) -> Program:
    """Any program, for the plans cache: its callers check who may see it."""
    program = _with_days(session, program_id)
    if program is None:
        raise NotFound("program", program_id)
    return program


def revision_of(session: Session, program_id: uuid.UUID) -> int:
    revision = session.scalar(select(Program.revision).where(Program.id == program_id))
    if revision is None:
        raise NotFound("program", program_id)
    return revision


def get_enrollment(session: Session, *, user_id: uuid.UUID) -> Enrollment:
    enrollment = session.get(Enrollment, user_id)
    if enrollment is None:
        raise NotFound("enrollment", "me")
    return enrollment


def get_enrollment_and_revision(session: Session, *, user_id: uuid.UUID) -> tuple[Enrollment, int]:
    found = find_enrollment_and_revision(session, user_id=user_id)
    if found is None:
        raise NotFound("enrollment", "me")
    return found


def find_enrollment_and_revision(session: Session, *, user_id: uuid.UUID) -> tuple[Enrollment, int] | None:
    """The enrollment and its program's revision in one statement (the plan cache's key)."""
    stmt = (
        select(Enrollment, Program.revision)
        .join(Program, Program.id == Enrollment.program_id)
        .where(Enrollment.user_id == user_id)
    )
    row = session.execute(stmt).one_or_none()
    return None if row is None else (row[0], row[1])


def find_enrollment(session: Session, *, user_id: uuid.UUID) -> Enrollment | None:
    return session.get(Enrollment, user_id)


def renew_revisions_using(session: Session, *, owner_id: uuid.UUID, exercise_ids: Sequence[str]) -> None:
    """The owner's programs with a slot of one of `exercise_ids` (their own exercises, renamed or
    deleted) get a new revision: plans are cached by revision and carry the exercises' names."""
    if not exercise_ids:
        return
    using = (
        select(ProgramDay.program_id)
        .join(ProgramSlot, ProgramSlot.program_day_id == ProgramDay.id)
        .where(ProgramSlot.exercise_id.in_(exercise_ids))
    )
    session.execute(
        update(Program)
        .where(Program.owner_id == owner_id, Program.id.in_(using))
        .values(revision=Program.revision + 1)
    )
