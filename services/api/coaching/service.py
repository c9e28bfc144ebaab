from sqlalchemy.orm import Session

from services.api.me import service as me
from services.api.me.schemas import EnrollmentIn, EnrollmentRead
from services.api.partners.service import PartnerGrant
from services.api.programs import service as user_programs
from services.api.programs.schemas import ProgramIn, UserProgramRead
from services.core.repositories import programs


def assign_program(session: Session, grant: PartnerGrant, body: ProgramIn) -> UserProgramRead:
    program = user_programs.create_program(session, grant.user, body, assigned_by=grant.partner_id)
    session.commit()
    return user_programs.user_program_read(session, grant.user, program)


def enroll(session: Session, grant: PartnerGrant, body: EnrollmentIn) -> EnrollmentRead:
    program = programs.get_assignable(
        session, user_id=grant.user.id, partner_id=grant.partner_id, program_id=body.program_id
    )
    return me.enroll_in(session, grant.user, program, body, by_partner=grant.partner_id)
