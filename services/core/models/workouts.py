"""Rows the phone writes: workouts, their sets, pain reports and the user's own exercises
(sync-protocol.md, "Tables").

Every table is keyed by (user_id, id): ids are chosen by clients, so two users may use the same one.
Times are epoch milliseconds, exactly as the protocol carries them.
"""

import json
import uuid
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, ForeignKeyConstraint, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from services.core.models.base import Base, SyncedRow
from services.core.partitioning import partitioned_by_user
from services.training.types import LoadType


class Workout(SyncedRow, Base):
    __tablename__ = "workouts"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    started_at: Mapped[int] = mapped_column(BigInteger)
    ended_at: Mapped[int | None] = mapped_column(BigInteger)
    program_day_id: Mapped[str | None] = mapped_column(String(64))
    notes: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        Index("ix_workouts_user_version", "user_id", "version"),
        Index("ix_workouts_user_started", "user_id", "started_at"),
        partitioned_by_user(),
    )


class WorkoutSet(SyncedRow, Base):
    __tablename__ = "workout_sets"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    workout_id: Mapped[str] = mapped_column(String(64))
    # A catalog exercise or one of the user's own (custom_exercises): the push checks which, so
    # there is no foreign key (one column cannot reference two tables).
    exercise_id: Mapped[str] = mapped_column(String(80))
    set_index: Mapped[int]
    side: Mapped[str] = mapped_column(String(5))
    load_kg: Mapped[float]
    reps: Mapped[int]
    rir: Mapped[float | None]
    rpe: Mapped[float | None]
    eccentric_s: Mapped[float | None]
    assistance_kg: Mapped[float | None]
    to_failure: Mapped[bool]
    is_warmup: Mapped[bool]
    performed_at: Mapped[int | None] = mapped_column(BigInteger)
    # What the user typed and its unit (training-rules.md §2.8), beside the kilograms every rule
    # reads: 225 lb reads back as exactly 225 whatever float `load_kg` holds. Both or neither; the
    # push checks that `load_kg` is the same load (sync-protocol.md, "Units").
    entered_load: Mapped[float | None]
    entered_unit: Mapped[str | None] = mapped_column(String(2))

    __table_args__ = (
        ForeignKeyConstraint(
            ["user_id", "workout_id"], ["workouts.user_id", "workouts.id"], ondelete="CASCADE"
        ),
        Index("ix_workout_sets_user_version", "user_id", "version"),
        Index("ix_workout_sets_user_workout", "user_id", "workout_id"),
        Index("ix_workout_sets_user_exercise_performed", "user_id", "exercise_id", "performed_at"),
        partitioned_by_user(),
    )


class PainReport(SyncedRow, Base):
    __tablename__ = "pain_reports"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    body_part: Mapped[str] = mapped_column(String(16))
    side: Mapped[str] = mapped_column(String(5))
    severity: Mapped[int]
    reported_at: Mapped[int] = mapped_column(BigInteger)
    note: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        Index("ix_pain_reports_user_version", "user_id", "version"),
        Index("ix_pain_reports_user_reported", "user_id", "reported_at"),
        partitioned_by_user(),
    )


class CustomExercise(SyncedRow, Base):
    """An exercise a user made up, created on the phone (training-rules.md §0.3).

    Deleting one archives it: the row becomes a tombstone that sets logged with it keep reading,
    so their volume and history stay as they were (sync-protocol.md, "Custom exercises").
    """

    __tablename__ = "custom_exercises"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    pattern: Mapped[str] = mapped_column(String(20))
    # {"primary": {muscle: credit}, "secondary": {muscle: credit}} as canonical JSON text, exactly
    # as it travels: the phone keeps it in a string column and a retried push compares equal.
    muscles_json: Mapped[str] = mapped_column(Text)
    equipment: Mapped[str] = mapped_column(String(40))
    unilateral: Mapped[bool]
    load_type: Mapped[LoadType] = mapped_column(String(10))

    __table_args__ = (Index("ix_custom_exercises_user_version", "user_id", "version"), partitioned_by_user())

    def declared(self) -> dict[str, Any]:
        """What the user declared, with `muscles_json` (checked at push) parsed into its `primary`
        and `secondary` credits: the fields of the engine's CustomExercise and of the API's read."""
        credits: dict[str, Any] = json.loads(self.muscles_json)
        columns: dict[str, Any] = {"id": self.id, "name": self.name, "pattern": self.pattern}
        return (
            columns
            | {"equipment": self.equipment, "unilateral": self.unilateral, "load_type": self.load_type}
            | credits
        )


class BodyWeight(SyncedRow, Base):
    """A weigh-in logged on the phone (training-rules.md §1.7): the weight on a local day, in the unit
    it was typed in. Body-weight exercises get an effective load, so an e1RM, from it."""

    __tablename__ = "body_weights"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    measured_on: Mapped[int] = mapped_column(BigInteger)  # epoch ms of the local midnight of that day
    weight: Mapped[float]
    unit: Mapped[str] = mapped_column(String(2))

    __table_args__ = (Index("ix_body_weights_user_version", "user_id", "version"), partitioned_by_user())
