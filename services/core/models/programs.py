import uuid
from datetime import date

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.core.models.base import Base, SyncedRow, Timestamps
from services.core.partitioning import partitioned_by_user


class Program(Base):
    """A starter program (seeded, read-only, `owner_id` NULL) or one a user owns: built from
    scratch, copied from another (`source_program_id`), or assigned by a coach (`assigned_by`)."""

    __tablename__ = "programs"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    slug: Mapped[str | None] = mapped_column(String(80), unique=True)  # starters only
    name: Mapped[str] = mapped_column(String(120))
    summary: Mapped[str] = mapped_column(Text)
    audience: Mapped[str] = mapped_column(Text)
    days_per_week: Mapped[int]
    owner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    source_program_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("programs.id", ondelete="SET NULL")
    )
    # The partner (a coach's app) that made it for the user; NULL when the user made it.
    assigned_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("partners.id", ondelete="SET NULL"))
    # Raised by every edit (and by the seed when a starter's content changes): cached plans are
    # keyed by it, so an edit is served at once.
    revision: Mapped[int] = mapped_column(default=1)
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
    # A catalog exercise or, in a user's program, one of their own: the API checks which.
    exercise_id: Mapped[str] = mapped_column(String(80))
    sets: Mapped[int]
    rep_min: Mapped[int]
    rep_max: Mapped[int]
    target_rir: Mapped[int]
    to_failure: Mapped[bool]
    eccentric_s: Mapped[float | None]
    rest_s: Mapped[int]
    assistance_kg: Mapped[float | None]
    note: Mapped[str] = mapped_column(Text, default="")
    # Slots of a day sharing a group are done back to back (a superset); NULL: on their own.
    superset_group: Mapped[str | None] = mapped_column(String(8))
    # The exercise this slot's replaced in a substitution: until the new one has logs of its own,
    # its first target comes from the old one's e1RM (training-rules.md, substitutions).
    substituted_from: Mapped[str | None] = mapped_column(String(80))


class Enrollment(Timestamps, Base):
    """The program a user follows; one at a time, so the user id is the key."""

    __tablename__ = "enrollments"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    program_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("programs.id"))
    start_date: Mapped[date]


class ProgramRecord(SyncedRow, Base):
    """A user's own program as phones pull it (the synced `programs` table): a read model written
    with every change of the program (services/core/usecases/read_models.py). A deleted program
    leaves a tombstone, like any synced row."""

    __tablename__ = "program_records"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # the program's id
    revision: Mapped[int]  # the program's revision it shows: unchanged, nothing is rewritten
    name: Mapped[str] = mapped_column(String(120))
    summary: Mapped[str] = mapped_column(Text)
    days_per_week: Mapped[int]
    source_program_id: Mapped[str | None] = mapped_column(String(64))
    assigned_by: Mapped[str | None] = mapped_column(String(64))
    assigned_by_name: Mapped[str | None] = mapped_column(String(120))
    # The days with their slots as JSON text, exactly as it travels: the phone keeps it in a
    # string column (a program is read and shown whole, never queried by slot).
    days_json: Mapped[str] = mapped_column(Text)

    __table_args__ = (Index("ix_program_records_user_version", "user_id", "version"), partitioned_by_user())


class PlannedSession(SyncedRow, Base):
    """The user's next session, rendered (the body of GET /v1/me/next-session) and synced to the
    phone as the one row of `planned_sessions` (id `next`). A read model: rewritten by every write
    that changes it, in that write's transaction; a tombstone while the user follows no program."""

    __tablename__ = "planned_sessions"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    program_id: Mapped[str] = mapped_column(String(64))
    program_day_id: Mapped[str] = mapped_column(String(64))
    day_name: Mapped[str] = mapped_column(String(120))
    # The answer as served, JSON text: the GET sends these bytes, the phone stores the string.
    session_json: Mapped[str] = mapped_column(Text)

    __table_args__ = (Index("ix_planned_sessions_user_version", "user_id", "version"), partitioned_by_user())
