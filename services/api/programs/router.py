import uuid
from typing import Annotated

from fastapi import APIRouter, Body, Path, Request, Response

from services.api.deps import CurrentUser, SessionDep
from services.api.pagination import Cursor, Limit, Page
from services.api.problems import problem_responses
from services.api.programs import service
from services.api.programs.schemas import (
    ProgramIn,
    ProgramPatch,
    ProgramRead,
    ProgramSummary,
    SubstitutionIn,
    SubstitutionRead,
    UserProgramRead,
)
from services.core.repositories import programs

router = APIRouter(tags=["programs"])
MINE = "/v1/me/programs"
# A slot by its day's key and its position in the day, from 1: `A2` is day A's second exercise.
SlotId = Annotated[str, Path(max_length=10, pattern=r"^[A-Z]{1,8}[1-9][0-9]?$", examples=["A2"])]


@router.get(
    "/v1/programs",
    operation_id="list_programs",
    response_model=Page[ProgramSummary],
    summary="List the starter programs",
    responses=problem_responses(422),
)
def list_programs(request: Request, limit: Limit = 50, cursor: Cursor = None) -> Response:
    # The page is served already rendered (a Page[ProgramSummary]); the session is opened only
    # when it is not cached.
    body = service.programs_page(request.app.state.sessionmaker, limit=limit, cursor=cursor)
    return Response(body, media_type="application/json")


@router.get(
    "/v1/programs/{program_id}",
    operation_id="get_program",
    response_model=ProgramRead,
    summary="Get a program with its days and slots (sets, rep ranges, tempo, rest, cues)",
    responses=problem_responses(404, 422),
)
def get_program(program_id: uuid.UUID, session: SessionDep) -> ProgramRead:
    return service.program_read(session, program_id)


@router.get(
    MINE,
    operation_id="list_my_programs",
    response_model=Page[UserProgramRead],
    summary="List the programs you own",
    responses=problem_responses(401, 422),
)
def list_my_programs(
    user: CurrentUser, session: SessionDep, limit: Limit = 50, cursor: Cursor = None
) -> Page[UserProgramRead]:
    return service.user_programs(session, user, limit=limit, cursor=cursor)


@router.post(
    MINE,
    operation_id="create_my_program",
    response_model=UserProgramRead,
    status_code=201,
    summary="Build a program, or copy a starter to make it yours",
    description="Days and slots (exercise — catalog or your own — sets, rep range, target RIR or to "
    "failure, eccentric tempo, rest, an optional superset group), or `source_program_id` to copy a "
    "starter's or one of your programs' days. Starter programs stay read-only.",
    responses=problem_responses(401, 404, 422),
)
def create_my_program(
    body: Annotated[ProgramIn, Body()], user: CurrentUser, session: SessionDep
) -> UserProgramRead:
    program = service.create_program(session, user, body)
    session.commit()
    return service.user_program_read(session, user, program)


@router.get(
    MINE + "/{program_id}",
    operation_id="get_my_program",
    response_model=UserProgramRead,
    summary="Get one of your programs",
    responses=problem_responses(401, 404, 422),
)
def get_my_program(program_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> UserProgramRead:
    program = programs.get_owned(session, owner_id=user.id, program_id=program_id)
    return service.user_program_read(session, user, program)


@router.patch(
    MINE + "/{program_id}",
    operation_id="update_my_program",
    response_model=UserProgramRead,
    summary="Edit one of your programs",
    description="Name, summary, days per week, or all the days (a day sent with its `id` keeps it). "
    "If you follow the program, the next session shows the edit; an exercise that stays keeps its "
    "progression, which the engine reads from your logs.",
    responses=problem_responses(401, 404, 422),
)
def update_my_program(
    program_id: uuid.UUID, patch: ProgramPatch, request: Request, user: CurrentUser, session: SessionDep
) -> UserProgramRead:
    program = programs.get_owned(session, owner_id=user.id, program_id=program_id)
    service.update_program(session, user, program, patch)
    session.commit()
    request.app.state.jobs.user_changed(user.id)  # prescriptions follow the edited slots
    return service.user_program_read(session, user, program)


@router.delete(
    MINE + "/{program_id}",
    operation_id="delete_my_program",
    status_code=204,
    summary="Delete one of your programs",
    responses=problem_responses(401, 404, 409, 422),
)
def delete_my_program(program_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> Response:
    program = programs.get_owned(session, owner_id=user.id, program_id=program_id)
    service.delete_program(session, user, program)
    session.commit()
    return Response(status_code=204)


@router.post(
    MINE + "/{program_id}/slots/{slot_id}/substitute",
    operation_id="substitute_my_program_slot",
    response_model=SubstitutionRead,
    summary="Swap a slot's exercise (the machine is taken), keeping your progress",
    description="`slot_id` is the day's key and the slot's position, e.g. `A2`. A starter program is "
    "copied into one of yours first (the answer says so). The new target load comes from the old "
    "exercise's e1RM scaled by a documented ratio when the two are related, else a conservative "
    "start; `target.reason` says which.",
    responses=problem_responses(401, 404, 422),
)
def substitute_my_program_slot(
    program_id: uuid.UUID,
    slot_id: SlotId,
    body: SubstitutionIn,
    request: Request,
    user: CurrentUser,
    session: SessionDep,
) -> SubstitutionRead:
    answer = service.substitute(session, user, program_id, slot_id, body.exercise_id)
    session.commit()
    request.app.state.jobs.user_changed(user.id)
    return answer
