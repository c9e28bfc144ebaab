import uuid

from fastapi import APIRouter

from services.api.deps import SessionDep
from services.api.pagination import Cursor, Limit, Page, decode_cursor, encode_cursor
from services.api.problems import problem_responses
from services.api.programs.schemas import ProgramRead, ProgramSummary
from services.api.programs.service import program_read
from services.core.repositories import programs

router = APIRouter(prefix="/v1/programs", tags=["programs"])


@router.get(
    "",
    operation_id="list_programs",
    response_model=Page[ProgramSummary],
    summary="List the starter programs",
    responses=problem_responses(422),
)
def list_programs(session: SessionDep, limit: Limit = 50, cursor: Cursor = None) -> Page[ProgramSummary]:
    after = decode_cursor(cursor, 1)
    rows = programs.list_programs(session, after_slug=after[0] if after else None, limit=limit + 1)
    items = [ProgramSummary.model_validate(p) for p in rows[:limit]]
    return Page(items=items, next_cursor=encode_cursor([items[-1].slug]) if len(rows) > limit else None)


@router.get(
    "/{program_id}",
    operation_id="get_program",
    response_model=ProgramRead,
    summary="Get a program with its days and slots (sets, rep ranges, tempo, rest, cues)",
    responses=problem_responses(404, 422),
)
def get_program(program_id: uuid.UUID, session: SessionDep) -> ProgramRead:
    return program_read(session, programs.get_program(session, program_id))
