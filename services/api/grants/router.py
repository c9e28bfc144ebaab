import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Response

from services.api.deps import CurrentUser, SessionDep
from services.api.grants import service
from services.api.grants.schemas import GrantRead
from services.api.pagination import Cursor, Limit, Page
from services.api.problems import problem_responses

router = APIRouter(prefix="/v1/me/grants", tags=["grants"])


@router.get(
    "",
    operation_id="list_my_grants",
    response_model=Page[GrantRead],
    summary="The partners you let act on your data, and what each may do",
    responses=problem_responses(401, 422),
)
def list_my_grants(
    user: CurrentUser, session: SessionDep, limit: Limit = 50, cursor: Cursor = None
) -> Page[GrantRead]:
    return service.list_grants(session, user, limit=limit, cursor=cursor)


@router.delete(
    "/{grant_id}",
    operation_id="revoke_my_grant",
    status_code=204,
    response_class=Response,
    summary="Revoke a partner's access: its later calls for your data get 404",
    responses=problem_responses(401, 404, 422),
)
def revoke_my_grant(
    grant_id: Annotated[uuid.UUID, Path()], user: CurrentUser, session: SessionDep
) -> Response:
    service.revoke_grant(session, user, grant_id)
    return Response(status_code=204)
