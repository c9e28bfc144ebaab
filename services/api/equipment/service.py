"""The user's gym: read it (the default of their unit when none is stored) and replace it. A new gym
changes what loads can be made, so the prescriptions are recomputed and the next session rendered
again in the same transaction (ARCHITECTURE.md, "Read models")."""

from typing import Any

from sqlalchemy.orm import Session

from services import training
from services.api.equipment.schemas import EquipmentIn, EquipmentRead
from services.core.errors import FieldError, InvalidInput
from services.core.models import User
from services.core.repositories import equipment, users
from services.core.usecases import recompute


def get_equipment(session: Session, user: User) -> EquipmentRead:
    row = equipment.find_profile(session, user_id=user.id)
    if row is None:
        default = training.default_profile("lb" if user.unit == "lb" else "kg")
        return EquipmentRead(**training.profile_to_json(default), stored=False)
    return EquipmentRead(**row.profile, stored=True)


def put_equipment(session: Session, user: User, body: EquipmentIn) -> EquipmentRead:
    user = users.lock_for_sync(session, user.id)
    profile = _checked(body.model_dump(exclude_none=True))
    stored = equipment.find_profile(session, user_id=user.id)
    if stored is None or stored.profile != profile:
        versions = users.SyncVersions(user)
        equipment.put_profile(
            session, user_id=user.id, unit=profile["unit"], profile=profile, version=versions.next()
        )
        versions.save()
        # The loads the gym makes changed: prescriptions and the next session follow at once.
        recompute.recompute_user(session, user.id)
    session.commit()
    return EquipmentRead(**profile, stored=True)


def _checked(data: dict[str, Any]) -> dict[str, Any]:
    """The profile as the engine reads it, complete (missing parts: the unit's defaults), or a 422."""
    try:
        return training.profile_to_json(training.profile_from_json(data))
    except (ValueError, TypeError) as exc:
        raise InvalidInput(
            "This gym cannot make any load; nothing was changed.",
            [FieldError(field="body", message=str(exc))],
        ) from None
