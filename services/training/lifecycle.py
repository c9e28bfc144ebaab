"""Reconcile this run's findings with the user's stored insights (training-rules.md §1.6, §2, §3.5).

- At most one `open` insight per (kind, subject): a finding that is still true updates it in place.
- An open insight whose condition no longer holds becomes `expired`.
- After the user dismissed (or accepted) an insight, no new one for that (kind, subject) for
  14 days [house], unless the rule's own override says otherwise (the deload pain override).
- `progression.load_increase` expires at the end of the week it was written for, and the same
  increase (same last sessions) is never announced twice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from services.training.findings import Finding
from services.training.types import ExistingInsight, InsightOut
from services.training.weeks import LocalCalendar, as_utc

DEFAULT_COOLDOWN_DAYS = 14
PROGRESSION_KIND = "progression.load_increase"
DECIDED = ("dismissed", "accepted")

CooldownOverride = Callable[[Finding, ExistingInsight], bool]


def reconcile(
    findings: Sequence[Finding],
    existing: Sequence[ExistingInsight],
    cal: LocalCalendar,
    *,
    known_kinds: Collection[str],
    overrides: Mapping[str, CooldownOverride] | None = None,
) -> list[InsightOut]:
    """The insight rows to write, each with its final status. Rows of kinds this engine does not
    produce are left alone."""
    rows: list[InsightOut] = []
    current: dict[tuple[str, str], ExistingInsight] = {}
    for key, candidates in _open_rows(existing, known_kinds).items():
        keep, *duplicates = candidates
        if keep.kind == PROGRESSION_KIND and _week_of(keep, cal) < cal.w0:
            duplicates = candidates
        else:
            current[key] = keep
        rows.extend(_expired(row, cal) for row in duplicates)
    found = set()
    for finding in sorted(findings, key=lambda f: (f.kind, f.subject)):
        key = (finding.kind, finding.subject)
        found.add(key)
        row = current.get(key)
        if row is not None:
            rows.append(_written(finding, cal, row.id))
        elif not _held_back(finding, existing, cal, (overrides or {}).get(finding.kind)):
            rows.append(_written(finding, cal, None))
    rows.extend(_expired(row, cal) for key, row in current.items() if key not in found)
    return sorted(rows, key=lambda r: (r.kind, r.subject, r.status, r.existing_id or ""))


def _open_rows(
    existing: Sequence[ExistingInsight], known_kinds: Collection[str]
) -> dict[tuple[str, str], list[ExistingInsight]]:
    """Open rows per (kind, subject), newest first; more than one is a data error we repair."""
    grouped: defaultdict[tuple[str, str], list[ExistingInsight]] = defaultdict(list)
    for row in existing:
        if row.status == "open" and row.kind in known_kinds:
            grouped[(row.kind, row.subject)].append(row)
    for rows in grouped.values():
        rows.sort(key=lambda r: (as_utc(r.updated_at), as_utc(r.created_at), r.id), reverse=True)
    return dict(sorted(grouped.items()))


def _held_back(
    finding: Finding,
    existing: Sequence[ExistingInsight],
    cal: LocalCalendar,
    override: CooldownOverride | None,
) -> bool:
    """No new row during a cooldown (§1.6, §3.5), nor for an increase that was already announced."""
    same = [row for row in existing if (row.kind, row.subject) == (finding.kind, finding.subject)]
    if finding.kind == PROGRESSION_KIND and any(
        _sessions(row.evidence) == _sessions(finding.evidence) for row in same
    ):
        return True
    decided = [row for row in same if row.status in DECIDED]
    if not decided:
        return False
    latest = max(decided, key=lambda r: (_decided_at(r), r.id))
    if cal.now >= _decided_at(latest) + timedelta(days=DEFAULT_COOLDOWN_DAYS):
        return False
    return not (latest.status == "dismissed" and override is not None and override(finding, latest))


def _sessions(evidence: Mapping[str, Any]) -> list[tuple[str, str]]:
    changes = evidence.get("inputs", {}).get("changes", [])
    return sorted((change.get("side", ""), change.get("last_session_id", "")) for change in changes)


def _decided_at(row: ExistingInsight) -> datetime:
    return as_utc(row.status_changed_at or row.updated_at)


def _week_of(row: ExistingInsight, cal: LocalCalendar) -> date:
    return row.week_start or cal.week_of(row.created_at)


def _written(finding: Finding, cal: LocalCalendar, existing_id: str | None) -> InsightOut:
    return InsightOut(
        kind=finding.kind,
        subject=finding.subject,
        severity=finding.severity,
        status="open",
        title=finding.title,
        explanation=finding.explanation,
        evidence=finding.evidence,
        recommendation=finding.recommendation,
        rule_id=finding.rule_id,
        week_start=cal.w0,
        existing_id=existing_id,
    )


def _expired(row: ExistingInsight, cal: LocalCalendar) -> InsightOut:
    return InsightOut(
        kind=row.kind,
        subject=row.subject,
        severity=row.severity,
        status="expired",
        title=row.title,
        explanation=row.explanation,
        evidence=dict(row.evidence),
        recommendation=dict(row.recommendation),
        rule_id=row.rule_id,
        week_start=_week_of(row, cal),
        existing_id=row.id,
    )
