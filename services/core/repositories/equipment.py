"""The user's gym (`equipment_profiles`: one row per user, id `gym`). Scoped to the owner."""

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.core.models import EquipmentProfile

GYM = "gym"  # the id of the one equipment_profiles row a user has


def find_profile(session: Session, *, user_id: uuid.UUID) -> EquipmentProfile | None:
    """The stored gym, or None when the user never set one (a tombstone counts as none)."""
    row = session.scalar(
        select(EquipmentProfile).where(EquipmentProfile.user_id == user_id, EquipmentProfile.id == GYM)
    )
    return row if row is not None and not row.deleted else None


def put_profile(
    session: Session, *, user_id: uuid.UUID, unit: str, profile: dict[str, Any], version: int
) -> EquipmentProfile:
    row = session.get(EquipmentProfile, (user_id, GYM))
    if row is None:
        row = EquipmentProfile(user_id=user_id, id=GYM)
        session.add(row)
    row.unit, row.profile, row.deleted, row.version = unit, profile, False, version
    return row
