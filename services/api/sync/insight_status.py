"""Pushed insights: the phone may change only `status` (accept or dismiss), and pushes the whole
row. Columns other than `status` must equal the stored ones: 422 if they differ, or 409 when the
server changed the insight after the client's pull (sync-protocol.md, "Push")."""

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from services.api.sync.tables import INSIGHTS
from services.core.errors import FieldError
from services.core.models import Insight
from services.core.repositories import insights
from services.training.types import InsightStatus

IGNORED = frozenset({"id", "status", "_status", "_changed"})


@dataclass
class StatusPlan:
    changes: list[tuple[Insight, InsightStatus]] = field(default_factory=list)
    conflicts: list[dict[str, str]] = field(default_factory=list)
    errors: list[FieldError] = field(default_factory=list)


def parse(lists: Mapping[str, list[Any]], valid_id: Any, errors: list[FieldError]) -> list[dict[str, Any]]:
    if lists.get("created") or lists.get("deleted"):
        errors.append(
            FieldError(
                table=INSIGHTS.name, message="insights are written by the server; only status may change"
            )
        )
    records = []
    for raw in lists.get("updated", []):
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str) or not valid_id.match(raw["id"]):
            errors.append(FieldError(table=INSIGHTS.name, field="id", message="not a valid id"))
        elif raw.get("status") not in ("open", "expired", *insights.USER_SETTABLE_STATUSES):
            errors.append(
                FieldError(
                    table=INSIGHTS.name, id=raw["id"], field="status", message="must be accepted or dismissed"
                )
            )
        else:
            records.append(raw)
    return records


def plan(
    session: Session, user_id: uuid.UUID, zone: ZoneInfo, pushed: Sequence[dict[str, Any]], base_version: int
) -> StatusPlan:
    result = StatusPlan()
    stored = insights.insights_by_id(session, user_id=user_id, ids=[r["id"] for r in pushed])
    for record in pushed:
        row = stored.get(record["id"])
        if row is None or row.deleted:
            result.errors.append(FieldError(table=INSIGHTS.name, id=record["id"], message="no such insight"))
            continue
        changed_after_pull = row.version > base_version
        mismatched = _mismatched_columns(record, row, zone)
        status_changes = record["status"] != row.status
        if changed_after_pull and (mismatched or status_changes):
            result.conflicts.append({"table": INSIGHTS.name, "id": row.id})
        elif mismatched:
            result.errors += [
                FieldError(table=INSIGHTS.name, id=row.id, field=c, message="only status may change")
                for c in mismatched
            ]
        elif status_changes and record["status"] not in insights.USER_SETTABLE_STATUSES:
            result.errors.append(
                FieldError(
                    table=INSIGHTS.name, id=row.id, field="status", message="must be accepted or dismissed"
                )
            )
        elif status_changes:
            result.changes.append((row, record["status"]))
    return result


def _mismatched_columns(record: Mapping[str, Any], row: Insight, zone: ZoneInfo) -> list[str]:
    keys = ("id", *INSIGHTS.columns)
    stored = INSIGHTS.to_record({k: getattr(row, k) for k in keys}, zone)
    return sorted(k for k, v in record.items() if k not in IGNORED and k in stored and stored[k] != v)
