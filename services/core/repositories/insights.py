"""Insights and prescriptions of one user. Every function takes the owner, but for the one
measurement across users at the end."""

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import RowMapping, Select, exists, func, select, tuple_
from sqlalchemy.orm import Session

from services.core.errors import NotFound
from services.core.models import Insight, Prescription, Workout
from services.core.models.insights import INSIGHT_SERVED_COLUMNS
from services.training.types import InsightStatus


def list_insights(
    session: Session,
    *,
    user_id: uuid.UUID,
    status: str | None,
    kind: str | None,
    before: tuple[datetime, str] | None,
    limit: int,
) -> Sequence[Insight]:
    """Newest first by (updated_at, id); `before` is the key of the previous page's last item."""
    return session.scalars(_newest_first(select(Insight), user_id, status, kind, before, limit)).all()


def first_served_insights(
    session: Session, *, user_id: uuid.UUID, status: str | None, limit: int
) -> Sequence[RowMapping]:
    """The first `list_insights` page as served (INSIGHT_SERVED_COLUMNS), read from the database
    rather than from the session's objects, which hold what the writer set: a JSONB column's keys
    in the writer's order, not in the order every later read returns them."""
    columns = [Insight.__table__.c[name] for name in INSIGHT_SERVED_COLUMNS]
    stmt = _newest_first(select(*columns), user_id, status, None, None, limit)
    return session.execute(stmt).mappings().all()


def _newest_first(
    stmt: Select[Any],
    user_id: uuid.UUID,
    status: str | None,
    kind: str | None,
    before: tuple[datetime, str] | None,
    limit: int,
) -> Select[Any]:
    stmt = (
        stmt.where(Insight.user_id == user_id, Insight.deleted.is_(False))
        .order_by(Insight.updated_at.desc(), Insight.id.desc())
        .limit(limit)
    )
    if status is not None:
        stmt = stmt.where(Insight.status == status)
    if kind is not None:
        stmt = stmt.where(Insight.kind == kind)
    if before is not None:
        stmt = stmt.where(tuple_(Insight.updated_at, Insight.id) < tuple_(*before))
    return stmt


def get_insight(session: Session, *, user_id: uuid.UUID, insight_id: str) -> Insight:
    insight = session.scalar(
        select(Insight).where(
            Insight.user_id == user_id, Insight.id == insight_id, Insight.deleted.is_(False)
        )
    )
    if insight is None:
        raise NotFound("insight", insight_id)
    return insight


def all_insights(session: Session, *, user_id: uuid.UUID) -> Sequence[Insight]:
    return session.scalars(
        select(Insight).where(Insight.user_id == user_id, Insight.deleted.is_(False))
    ).all()


def insights_by_id(session: Session, *, user_id: uuid.UUID, ids: Sequence[str]) -> dict[str, Insight]:
    if not ids:
        return {}
    stmt = select(Insight).where(Insight.user_id == user_id, Insight.id.in_(ids))
    return {i.id: i for i in session.scalars(stmt)}


def prescriptions_by_id(session: Session, *, user_id: uuid.UUID) -> dict[str, Prescription]:
    """Every prescription of the user, tombstones included (a recompute may revive one)."""
    stmt = select(Prescription).where(Prescription.user_id == user_id)
    return {p.id: p for p in session.scalars(stmt)}


USER_SETTABLE_STATUSES = ("accepted", "dismissed")


def change_status(insight: Insight, *, status: InsightStatus, version: int, now: datetime) -> None:
    """The user's answer to an insight (accept a deload, dismiss an alert); the caller holds the
    user's sync lock, passes the new sync version and records the change in the outbox."""
    insight.status, insight.status_changed_at, insight.updated_at, insight.version = status, now, now, version


def prescriptions_for_day(
    session: Session, *, user_id: uuid.UUID, program_day_id: str
) -> dict[int, list[Prescription]]:
    stmt = (
        select(Prescription)
        .where(
            Prescription.user_id == user_id,
            Prescription.program_day_id == program_day_id,
            Prescription.deleted.is_(False),
        )
        .order_by(Prescription.slot_index, Prescription.side)
    )
    by_slot: dict[int, list[Prescription]] = {}
    for row in session.scalars(stmt):
        by_slot.setdefault(row.slot_index, []).append(row)
    return by_slot


def newest_creation_per_active_user(session: Session, *, active_since_ms: int) -> Sequence[datetime]:
    """When the newest live insight of each user with a workout since `active_since_ms` was created
    (users without any insight have none). created_at, not updated_at: a user accepting an insight
    touches updated_at; only a recompute creates insights, and that is the pipeline measured."""
    active = exists().where(
        Workout.user_id == Insight.user_id, Workout.deleted.is_(False), Workout.started_at >= active_since_ms
    )
    stmt = (
        select(func.max(Insight.created_at))
        .where(Insight.deleted.is_(False), active)
        .group_by(Insight.user_id)
    )
    return session.scalars(stmt).all()
