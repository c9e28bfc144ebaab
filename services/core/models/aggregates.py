"""Weekly aggregates of a user's logs: a read model kept by every write of sets (ARCHITECTURE.md,
"Read models"), so a recompute reads one row per exercise and week instead of the week's sets."""

import uuid
from datetime import date

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from services.core.models.base import Base
from services.core.partitioning import partitioned_by_user


class WeeklyExerciseAggregate(Base):
    """One exercise's live non-warm-up sets in one local week of the user (training-rules.md §1.2,
    §1.8), in the calendar `users.aggregates_zone` and `users.aggregates_week_start` name."""

    __tablename__ = "weekly_exercise_aggregates"
    __table_args__ = (partitioned_by_user(),)

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    week_start: Mapped[date] = mapped_column(primary_key=True)  # the week's first local day
    exercise_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    working_sets: Mapped[int]  # reps ≥ 1 (§1.1)
    hard_sets: Mapped[float]  # side-weighted (§1.3)
    first_hard_at: Mapped[int | None] = mapped_column(BigInteger)  # epoch ms, like the logs
    top_load_kg: Mapped[float | None]  # the heaviest working set
    # The weekly best Epley e1RM of an external load without assistance, on `side = both` (§1.5).
    best_e1rm_kg: Mapped[float | None]
