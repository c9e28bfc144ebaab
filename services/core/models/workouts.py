"""Rows the phone writes: workouts, their sets and pain reports (sync-protocol.md, "Tables").

Every table is keyed by (user_id, id): ids are chosen by clients, so two users may use the same one.
Times are epoch milliseconds, exactly as the protocol carries them.
"""

import uuid

from sqlalchemy import BigInteger, ForeignKey, ForeignKeyConstraint, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from services.core.models.base import Base, SyncedRow


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
    )


class WorkoutSet(SyncedRow, Base):
    __tablename__ = "workout_sets"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    workout_id: Mapped[str] = mapped_column(String(64))
    exercise_id: Mapped[str] = mapped_column(ForeignKey("exercises.id"))
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

    __table_args__ = (
        ForeignKeyConstraint(
            ["user_id", "workout_id"], ["workouts.user_id", "workouts.id"], ondelete="CASCADE"
        ),
        Index("ix_workout_sets_user_version", "user_id", "version"),
        Index("ix_workout_sets_user_workout", "user_id", "workout_id"),
        Index("ix_workout_sets_user_exercise_performed", "user_id", "exercise_id", "performed_at"),
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
    )
