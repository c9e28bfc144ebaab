"""What a deleted account leaves for the partners it had granted: a tombstone per partner, so that
their change feeds can still tell them which of the user's workouts and insights are gone.

It holds ids and times only (the user's random id, the ids of the rows deleted, the grant's
scopes), no training data, and is purged after `TOMBSTONE_KEPT` (services/core/usecases/retention.py).
No foreign key to users: the user row is gone by the time anyone reads it.
"""

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from services.core.models.base import Base


class AccountTombstone(Base):
    __tablename__ = "account_tombstones"

    partner_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("partners.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    deleted_at: Mapped[datetime] = mapped_column(index=True)
    scopes: Mapped[list[str]]  # the grant's: which feeds the partner may still read
    # The user's sync version at deletion: the feeds number the tombstones after it, so a partner's
    # cursor from before the deletion resumes exactly at them.
    sync_version: Mapped[int] = mapped_column(BigInteger)
    workout_ids: Mapped[list[str]]  # live workouts at deletion, if the grant covered workouts:read
    insight_ids: Mapped[list[str]]  # live insights at deletion, if it covered insights:read
