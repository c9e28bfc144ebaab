"""Rows the server writes for the phone: insights (alerts, deload suggestions) and prescriptions
(next loads). Both are pulled by devices, so they carry the sync version and tombstone flag."""

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from services.core.models.base import Base, JSONType, SyncedRow, utcnow
from services.core.partitioning import partitioned_by_user
from services.training.types import InsightStatus, Severity

# What a recompute writes (and compares, to leave unchanged rows alone); also what devices pull.
INSIGHT_CONTENT_COLUMNS = (
    "kind",
    "subject",
    "severity",
    "status",
    "title",
    "explanation",
    "evidence",
    "recommendation",
    "rule_id",
    "week_start",
)
# An insight as GET /v1/me/insights serves it, in the order of its fields (InsightRead).
INSIGHT_SERVED_COLUMNS = ("id", *INSIGHT_CONTENT_COLUMNS, "created_at", "updated_at", "status_changed_at")
PRESCRIPTION_COLUMNS = (
    "program_day_id",
    "slot_index",
    "side",
    "exercise_id",
    "sets",
    "rep_min",
    "rep_max",
    "load_kg",
    "eccentric_s",
    "assistance_kg",
    "note",
    "reason",
    "valid_from",
    "unit",
    "load",
    "assistance",
    "bar",
    "plates_per_side",
    "stack",
)


class Insight(SyncedRow, Base):
    __tablename__ = "insights"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(120))
    severity: Mapped[Severity] = mapped_column(String(8))
    status: Mapped[InsightStatus] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(200))
    explanation: Mapped[str] = mapped_column(Text)
    evidence: Mapped[dict[str, Any]]
    recommendation: Mapped[dict[str, Any]]
    rule_id: Mapped[str] = mapped_column(String(64))
    week_start: Mapped[date]  # local date of the first day of W0 when the insight was written
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    status_changed_at: Mapped[datetime | None]  # when the user accepted or dismissed it

    __table_args__ = (
        Index("ix_insights_user_version", "user_id", "version"),
        Index("ix_insights_user_status_kind", "user_id", "status", "kind"),
        # training-rules.md §1.6: at most one open insight per (kind, subject).
        Index(
            "uq_insights_one_open",
            "user_id",
            "kind",
            "subject",
            unique=True,
            postgresql_where=text("status = 'open' AND NOT deleted"),
            sqlite_where=text("status = 'open' AND NOT deleted"),
        ),
        partitioned_by_user(),
    )


class InsightList(Base):
    """The first page of the user's insights, rendered (the body of GET /v1/me/insights), per view:
    `all` or `open`. A read model (ARCHITECTURE.md, "Read models"): rewritten in the transaction
    of every write that changes an insight; served as stored, with `version` as its ETag."""

    __tablename__ = "insight_lists"
    __table_args__ = (partitioned_by_user(),)

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    view: Mapped[str] = mapped_column(String(8), primary_key=True)
    page_json: Mapped[str] = mapped_column(Text)  # the answer as served
    # The sync version of the insight write that last changed the page: the ETag.
    version: Mapped[int] = mapped_column(BigInteger)
    # The newest insight version (of any insight, tombstones included) the page was rendered from:
    # every insight write takes a new one, so an equal one means nothing to render again.
    insights_version: Mapped[int] = mapped_column(BigInteger)


class Prescription(SyncedRow, Base):
    __tablename__ = "prescriptions"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    # Derived from (program day, slot, side), so a recompute rewrites the same row.
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    program_day_id: Mapped[str | None] = mapped_column(String(64))
    slot_index: Mapped[int]
    side: Mapped[str] = mapped_column(String(5))
    # Like a set's: a catalog exercise or one of the user's own, which the engine progresses too.
    exercise_id: Mapped[str] = mapped_column(String(80))
    sets: Mapped[int]
    rep_min: Mapped[int]
    rep_max: Mapped[int]
    load_kg: Mapped[float | None]
    eccentric_s: Mapped[float | None]
    assistance_kg: Mapped[float | None]
    note: Mapped[str] = mapped_column(Text)
    reason: Mapped[dict[str, Any]]
    valid_from: Mapped[date]
    # The same prescription in the user's unit on their equipment (training-rules.md §2.8): `load`
    # and `assistance` exactly as the engine made them (230 lb, not 104.326245 kg converted back),
    # `bar` + `plates_per_side` for barbell and plate-loaded slots, `stack` ({pin, add_on}) for
    # pin-loaded ones. Null on rows written before units were native, until the next recompute.
    unit: Mapped[str | None] = mapped_column(String(2))
    load: Mapped[float | None]
    assistance: Mapped[float | None]
    bar: Mapped[float | None]
    plates_per_side: Mapped[list[float] | None] = mapped_column(JSONType)
    stack: Mapped[dict[str, Any] | None]

    __table_args__ = (Index("ix_prescriptions_user_version", "user_id", "version"), partitioned_by_user())
