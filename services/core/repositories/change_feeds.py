"""The change feeds partners read: a user's workouts and insights in the order they last changed.
Every query takes the user."""

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Row, case, func, select
from sqlalchemy.orm import Session

from services.core.models import (
    Insight,
    Workout,
    WorkoutSet,
)


def workout_changes(
    session: Session,
    *,
    user_id: uuid.UUID,
    since: datetime | None,
    after_version: int | None,
    limit: int,
) -> Sequence[Row[Workout, datetime, int]]:
    """Workouts (deleted ones too) in the order they or one of their sets last changed, with that
    time and sync version: a set logged into an old workout makes the workout show up again.

    Ordered and resumed by the user's sync version, not by time: versions commit in order under
    the user's lock, so a change committed after a partner read a page is never behind its
    cursor (a timestamp taken before a slow commit, or on a pod whose clock lags, could be).
    """
    sets_changed = (
        select(
            WorkoutSet.workout_id,
            func.max(WorkoutSet.server_updated_at).label("changed_at"),
            func.max(WorkoutSet.version).label("version"),
        )
        .where(WorkoutSet.user_id == user_id)
        .group_by(WorkoutSet.workout_id)
        .subquery()
    )
    changed_at = case(
        (sets_changed.c.changed_at > Workout.server_updated_at, sets_changed.c.changed_at),
        else_=Workout.server_updated_at,
    )
    version = case((sets_changed.c.version > Workout.version, sets_changed.c.version), else_=Workout.version)
    stmt = (
        select(Workout, changed_at.label("changed_at"), version.label("change_version"))
        .outerjoin(sets_changed, sets_changed.c.workout_id == Workout.id)
        .where(Workout.user_id == user_id)
        .order_by(version)
        .limit(limit)
    )
    if since is not None:
        stmt = stmt.where(changed_at >= since)
    if after_version is not None:
        stmt = stmt.where(version > after_version)
    return session.execute(stmt).all()


def insight_changes(
    session: Session,
    *,
    user_id: uuid.UUID,
    since: datetime | None,
    after_version: int | None,
    limit: int,
) -> Sequence[Insight]:
    """Insights (deleted ones too) in the order the server last wrote them, by sync version (see
    workout_changes)."""
    stmt = select(Insight).where(Insight.user_id == user_id).order_by(Insight.version).limit(limit)
    if since is not None:
        stmt = stmt.where(Insight.server_updated_at >= since)
    if after_version is not None:
        stmt = stmt.where(Insight.version > after_version)
    return session.scalars(stmt).all()
