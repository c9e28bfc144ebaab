"""The weekly fan-out: which active users just finished a local week and still need their
end-of-week recompute. Marking them in the same transaction makes a second run a no-op."""

import uuid
import zoneinfo
from datetime import date, datetime, timedelta

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from services.core.models import User, Workout

ACTIVE_WITHIN = timedelta(weeks=8)
WEEKDAY = {"monday": 0, "sunday": 6}


def local_week_start(now: datetime, timezone: str, week_start: str) -> date:
    today = now.astimezone(zoneinfo.ZoneInfo(timezone)).date()
    return today - timedelta(days=(today.weekday() - WEEKDAY[week_start]) % 7)


def claim_users_due(session: Session, now: datetime) -> list[uuid.UUID]:
    since_ms = int((now - ACTIVE_WITHIN).timestamp() * 1000)
    active = exists().where(
        Workout.user_id == User.id, Workout.deleted.is_(False), Workout.started_at >= since_ms
    )
    due = []
    for user in session.scalars(select(User).where(active).with_for_update(skip_locked=True)):
        week = local_week_start(now, user.timezone, user.week_start)
        if user.weekly_recompute_week != week:
            user.weekly_recompute_week = week
            due.append(user.id)
    return due
