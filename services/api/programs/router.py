import uuid

from fastapi import APIRouter, Request, Response

from services.api.deps import SessionDep
from services.api.pagination import Cursor, Limit, Page
from services.api.problems import problem_responses
from services.api.programs.schemas import ProgramRead, ProgramSummary
from services.api.programs.service import program_read, programs_page

router = APIRouter(prefix="/v1/programs", tags=["programs"])


@router.get(
    "",
    operation_id="list_programs",
    response_model=Page[ProgramSummary],
    summary="List the starter programs",
    responses=problem_responses(422),
)
def list_programs(request: Request, limit: Limit = 50, cursor: Cursor = None) -> Response:
    # The page is served already rendered (a Page[ProgramSummary]); the session is opened only
    # when it is not cached.
    body = programs_page(request.app.state.sessionmaker, limit=limit, cursor=cursor)
    return Response(body, media_type="application/json")


@router.get(
    "/{program_id}",
    operation_id="get_program",
    response_model=ProgramRead,
    summary="Get a program with its days and slots (sets, rep ranges, tempo, rest, cues)",
    responses=problem_responses(404, 422),
)
def get_program(program_id: uuid.UUID, session: SessionDep) -> ProgramRead:
    return program_read(session, program_id)
