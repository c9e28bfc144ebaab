"""The weekly fan-out: which active users just finished a local week and still need their
end-of-week recompute. Marking them in the same transaction makes a second run a no-op."""

import uuid
import zoneinfo
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from services.core.repositories import users

ACTIVE_WITHIN = timedelta(weeks=8)
WEEKDAY = {"monday": 0, "sunday": 6}
BATCH = 500
# A local week starts at most once every 7 days and local dates are within a day of UTC's, so a
# user marked in the last 5 days cannot be due yet: skipping them in SQL keeps the scan small.
RECENTLY_MARKED = timedelta(days=5)


def local_week_start(now: datetime, timezone: str, week_start: str) -> date:
    today = now.astimezone(zoneinfo.ZoneInfo(timezone)).date()
    return today - timedelta(days=(today.weekday() - WEEKDAY[week_start]) % 7)


def claim_users_due(
    session: Session, now: datetime, *, after: uuid.UUID | None = None
) -> tuple[list[uuid.UUID], uuid.UUID | None]:
    """Claims the due users among the next BATCH candidates after `after` (ordered by id).

    Returns (due user ids, the cursor for the next batch or None when done). Each batch is meant
    for its own short transaction, so pushes of users not in it never wait on the fan-out.
    """
    candidates = users.lock_weekly_candidates(
        session,
        active_since_ms=int((now - ACTIVE_WITHIN).timestamp() * 1000),
        marked_before=(now - RECENTLY_MARKED).date(),
        after=after,
        limit=BATCH,
    )
    due = []
    for user in candidates:
        week = local_week_start(now, user.timezone, user.week_start)
        if user.weekly_recompute_week != week:
            user.weekly_recompute_week = week
            due.append(user.id)
    return due, (candidates[-1].id if len(candidates) == BATCH else None)
