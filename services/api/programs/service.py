import uuid

from sqlalchemy.orm import Session, sessionmaker

from services.api.pagination import Page, decode_cursor, each, page_of, text_key
from services.api.programs.schemas import ProgramRead, ProgramSummary
from services.core.cache import TTLCache
from services.core.repositories import programs
from services.core.usecases import plans

# The rendered pages of GET /v1/programs, per process: the hottest read, and the same for every
# caller. The starter programs are reference data that only the seed changes, at a release's
# migration: for up to PAGES_TTL_S after it, a process may still list the previous names and
# summaries (ids and slugs are fixed in the seed, so links and cursors stay valid).
PAGES_TTL_S = 60.0
_pages: TTLCache[tuple[int, str | None], bytes] = TTLCache(ttl_s=PAGES_TTL_S, max_entries=64)


def programs_page(factory: sessionmaker[Session], *, limit: int, cursor: str | None) -> bytes:
    """The JSON of a Page[ProgramSummary] (slug order); a bad cursor raises, and is not cached."""

    def render() -> bytes:
        with factory() as session:
            return _page(session, limit, cursor).model_dump_json().encode()

    return _pages.get_or_load((limit, cursor), render)


def _page(session: Session, limit: int, cursor: str | None) -> Page[ProgramSummary]:
    after = decode_cursor(cursor, text_key)
    rows = programs.list_programs(session, after_slug=after[0] if after else None, limit=limit + 1)
    return page_of(rows, limit, each(ProgramSummary.model_validate), lambda p: [p.slug])


def program_read(session: Session, program_id: uuid.UUID) -> ProgramRead:
    # The plan's fields are named as the response's: the cached plan renders as it is.
    return ProgramRead.model_validate(plans.program_plan(session, program_id), from_attributes=True)
