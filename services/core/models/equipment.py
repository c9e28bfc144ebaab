"""A user's gym (training-rules.md §2.8): the bars, plates, racks and machines their loads are made
with. One row per user, id `gym`, written through `PUT /v1/me/equipment` and pulled by phones
(sync schema version 4). No row: the default gym of the user's unit."""

import uuid
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from services.core.models.base import Base, SyncedRow
from services.core.partitioning import partitioned_by_user


class EquipmentProfile(SyncedRow, Base):
    __tablename__ = "equipment_profiles"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    unit: Mapped[str] = mapped_column(String(2))
    # training.profile_to_json of the validated profile: complete, so a changed default never
    # changes a stored gym.
    profile: Mapped[dict[str, Any]]

    __table_args__ = (
        Index("ix_equipment_profiles_user_version", "user_id", "version"),
        partitioned_by_user(),
    )
