"""Coaches: a partner with `programs:write` makes programs for a user and enrolls them
(`/v1/users/{user_id}/…`, like the other partner routes). The user sees who assigned a program and
may edit, leave or delete it; the partner hears of that through `program.changed`."""

from typing import Annotated

from fastapi import APIRouter, Body, Depends

from services.api.coaching import service
from services.api.deps import SessionDep
from services.api.me.schemas import EnrollmentIn, EnrollmentRead
from services.api.partners.router import partner_with_scopes
from services.api.partners.service import PartnerGrant
from services.api.problems import problem_responses
from services.api.programs.schemas import ProgramIn, UserProgramRead

router = APIRouter(prefix="/v1/users/{user_id}", tags=["partners"])

ProgramsWriter = Annotated[PartnerGrant, Depends(partner_with_scopes("programs:write"))]


@router.post(
    "/programs",
    operation_id="create_user_program",
    status_code=201,
    response_model=UserProgramRead,
    summary="Make a program for the user (scope programs:write)",
    description="The body is that of `POST /v1/me/programs`: days and slots, or `source_program_id` to "
    "copy a starter or a program you assigned to this user (any other program is a 404). The program "
    "is the user's, with `assigned_by` naming you; enroll the user in it with "
    "`PUT /v1/users/{user_id}/enrollment`.",
    responses=problem_responses(401, 403, 404, 409, 413, 422),
)
def create_user_program(
    body: Annotated[ProgramIn, Body()], grant: ProgramsWriter, session: SessionDep
) -> UserProgramRead:
    return service.assign_program(session, grant, body)


@router.put(
    "/enrollment",
    operation_id="put_user_enrollment",
    response_model=EnrollmentRead,
    summary="Enroll the user in a program you assigned them, or a starter (scope programs:write)",
    description="Replaces the user's enrollment. A program the user made, or another partner assigned, "
    "is a 404 like a missing one.",
    responses=problem_responses(401, 403, 404, 413, 422),
)
def put_user_enrollment(body: EnrollmentIn, grant: ProgramsWriter, session: SessionDep) -> EnrollmentRead:
    return service.enroll(session, grant, body)
