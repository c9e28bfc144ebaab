"""Pain-report filters shared by the deload (§3.2) and posterior-chain (§4.6) rules."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from services.training.types import PainReport
from services.training.weeks import LocalCalendar, as_utc

PAIN_MIN_SEVERITY = 3  # reports below this are noise for every rule
CLINICIAN_SEVERITY = 7  # a report this bad in 14 days makes an insight `critical` (§5.1)
CLINICIAN_DAYS = 14
CLINICIAN_SENTENCE = (
    "You reported pain of 7/10 or more in the last 2 weeks: please get it checked by a clinician. "
    "This is not a diagnosis."
)


def recent_reports(
    reports: Iterable[PainReport],
    cal: LocalCalendar,
    *,
    parts: Iterable[str],
    days: int,
    min_severity: int = PAIN_MIN_SEVERITY,
) -> list[PainReport]:
    wanted = set(parts)
    found = [
        r
        for r in reports
        if r.body_part in wanted and r.severity >= min_severity and cal.within_days(r.reported_at, days)
    ]
    return sorted(found, key=lambda r: (as_utc(r.reported_at), r.id))


def needs_clinician(reports: Sequence[PainReport], cal: LocalCalendar, parts: Iterable[str]) -> bool:
    return bool(
        recent_reports(reports, cal, parts=parts, days=CLINICIAN_DAYS, min_severity=CLINICIAN_SEVERITY)
    )
