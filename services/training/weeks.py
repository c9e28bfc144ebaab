"""Local days and weeks (training-rules.md §1.2).

Weeks are counted on local calendar dates, so a DST week is simply 167 or 169 hours long; nothing
here ever adds 168 hours. Day windows ("last 14 days") are the other way round: absolute
half-open intervals `(now - N×24 h, now]`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from services.training.types import UserProfile, WeekStartDay

_FIRST_WEEKDAY = {"monday": 0, "sunday": 6}


def first_weekday(week_start: WeekStartDay) -> int:
    """The weekday a week starts on, as `date.weekday()` counts (0 = Monday)."""
    return _FIRST_WEEKDAY[week_start]


def as_utc(ts: datetime) -> datetime:
    """Naive datetimes are read as UTC: SQLite (embedded mode) hands them back without a zone."""
    if ts.tzinfo is UTC:
        return ts
    return ts.replace(tzinfo=UTC) if ts.tzinfo is None else ts.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class LocalCalendar:
    tz: ZoneInfo
    first_weekday: int
    now: datetime
    today: date  # local date of `now`
    w0: date  # first local day of the week that contains `now`; also `insights.week_start`

    @classmethod
    def for_user(cls, user: UserProfile, now: datetime) -> LocalCalendar:
        tz, weekday, now = ZoneInfo(user.timezone), first_weekday(user.week_start), as_utc(now)
        today = now.astimezone(tz).date()
        return cls(tz, weekday, now, today, _week_start(today, weekday))

    def local_date(self, ts: datetime) -> date:
        return as_utc(ts).astimezone(self.tz).date()

    def week_of_date(self, day: date) -> date:
        return _week_start(day, self.first_weekday)

    def week_of(self, ts: datetime) -> date:
        return self.week_of_date(self.local_date(ts))

    def week(self, offset: int) -> date:
        """`week(-1)` is W-1, the last completed week; `week(1)` is W+1."""
        return self.w0 + timedelta(weeks=offset)

    def completed_weeks(self, count: int) -> list[date]:
        """W-count .. W-1, oldest first."""
        return [self.week(-k) for k in range(count, 0, -1)]

    def days_ago(self, days: float) -> datetime:
        return self.now - timedelta(days=days)

    def within_days(self, ts: datetime, days: float) -> bool:
        return self.days_ago(days) < as_utc(ts) <= self.now


def _week_start(day: date, first_weekday: int) -> date:
    return day - timedelta(days=(day.weekday() - first_weekday) % 7)
