import uuid
from datetime import date

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.core.models.base import Base, Timestamps


class Program(Base):
    __tablename__ = "programs"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    summary: Mapped[str] = mapped_column(Text)
    audience: Mapped[str] = mapped_column(Text)
    days_per_week: Mapped[int]
    days: Mapped[list["ProgramDay"]] = relationship(
        order_by="ProgramDay.position", lazy="raise", cascade="all, delete-orphan"
    )


class ProgramDay(Base):
    __tablename__ = "program_days"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    program_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]  # rotation order: A=0, B=1, …
    key: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(120))
    slots: Mapped[list["ProgramSlot"]] = relationship(
        order_by="ProgramSlot.slot_index", lazy="raise", cascade="all, delete-orphan"
    )


class ProgramSlot(Base):
    __tablename__ = "program_slots"

    program_day_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("program_days.id", ondelete="CASCADE"), primary_key=True
    )
    slot_index: Mapped[int] = mapped_column(primary_key=True)
    exercise_id: Mapped[str] = mapped_column(ForeignKey("exercises.id"))
    sets: Mapped[int]
    rep_min: Mapped[int]
    rep_max: Mapped[int]
    target_rir: Mapped[int]
    to_failure: Mapped[bool]
    eccentric_s: Mapped[float | None]
    rest_s: Mapped[int]
    assistance_kg: Mapped[float | None]
    note: Mapped[str] = mapped_column(Text, default="")


class Enrollment(Timestamps, Base):
    """The program a user follows; one at a time, so the user id is the key."""

    __tablename__ = "enrollments"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    program_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("programs.id"))
    start_date: Mapped[date]
