from fastapi import APIRouter

from services.api.deps import CurrentUser, SessionDep
from services.api.equipment import service
from services.api.equipment.schemas import EquipmentIn, EquipmentRead
from services.api.problems import problem_responses

router = APIRouter(prefix="/v1/me/equipment", tags=["me"])


@router.get(
    "",
    operation_id="get_equipment",
    response_model=EquipmentRead,
    summary="Your gym: bars, plates, dumbbells and machines your loads are made with",
    description="Without one of your own, the default gym of your unit (`stored: false`; "
    "training-rules.md §2.8).",
    responses=problem_responses(401),
)
def get_equipment(user: CurrentUser, session: SessionDep) -> EquipmentRead:
    return service.get_equipment(session, user)


@router.put(
    "",
    operation_id="put_equipment",
    response_model=EquipmentRead,
    summary="Replace your gym; parts left out take your unit's defaults",
    description="Every prescription is recomputed on the new gym before the answer, so "
    "`GET /v1/me/next-session` shows loads it can make at once; phones pull it as `equipment_profiles` "
    "(sync schema 4). A gym that cannot make loads (a step of 0, a negative plate) is a 422 that "
    "changes nothing.",
    responses=problem_responses(401, 413, 422),
)
def put_equipment(body: EquipmentIn, user: CurrentUser, session: SessionDep) -> EquipmentRead:
    return service.put_equipment(session, user, body)
