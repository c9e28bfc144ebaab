import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from services.core.errors import NotFound
from services.core.models import Enrollment, Program, ProgramDay


def list_programs(session: Session, *, after_slug: str | None, limit: int) -> Sequence[Program]:
    stmt = select(Program).order_by(Program.slug).limit(limit)
    if after_slug is not None:
        stmt = stmt.where(Program.slug > after_slug)
    return session.scalars(stmt).all()


def get_program(session: Session, program_id: uuid.UUID) -> Program:
    stmt = (
        select(Program)
        .where(Program.id == program_id)
        .options(selectinload(Program.days).selectinload(ProgramDay.slots))
    )
    program = session.scalar(stmt)
    if program is None:
        raise NotFound("program", program_id)
    return program


def get_enrollment(session: Session, *, user_id: uuid.UUID) -> Enrollment:
    enrollment = session.get(Enrollment, user_id)
    if enrollment is None:
        raise NotFound("enrollment", "me")
    return enrollment


def find_enrollment(session: Session, *, user_id: uuid.UUID) -> Enrollment | None:
    return session.get(Enrollment, user_id)
