"""The tables of the sync protocol (sync-protocol.md, "Tables"): who writes them, their columns,
and how a stored row becomes a pulled record."""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from services.api.sync.schemas import PainReportIn, WorkoutIn, WorkoutSetIn
from services.core.models import Exercise, Insight, PainReport, Prescription, Workout, WorkoutSet
from services.core.models.base import Base
from services.core.models.insights import INSIGHT_CONTENT_COLUMNS, PRESCRIPTION_COLUMNS

Record = dict[str, Any]


def _as_stored(row: Record, _zone: ZoneInfo) -> Record:
    return row


@dataclass(frozen=True)
class SyncedTable:
    """A user-owned table devices pull; rows are keyed by (user_id, id) and carry version + tombstone."""

    name: str
    model: type[Base]
    schema: type[BaseModel] | None  # how a device's push is validated; None = written by the server only
    columns: tuple[str, ...]  # stored columns besides `id`, in pull order
    # How a stored row becomes a pulled record (time zone: for local dates sent as epoch ms).
    to_record: Callable[[Record, ZoneInfo], Record] = _as_stored


WORKOUTS = SyncedTable("workouts", Workout, WorkoutIn, ("started_at", "ended_at", "program_day_id", "notes"))
WORKOUT_SETS = SyncedTable(
    "workout_sets",
    WorkoutSet,
    WorkoutSetIn,
    (
        "workout_id",
        "exercise_id",
        "set_index",
        "side",
        "load_kg",
        "reps",
        "rir",
        "rpe",
        "eccentric_s",
        "assistance_kg",
        "to_failure",
        "is_warmup",
        "performed_at",
    ),
)
PAIN_REPORTS = SyncedTable(
    "pain_reports", PainReport, PainReportIn, ("body_part", "side", "severity", "reported_at", "note")
)


def local_midnight_ms(day: date, zone: ZoneInfo) -> int:
    return int(datetime.combine(day, time.min, zone).timestamp() * 1000)


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def _insight_record(row: Record, zone: ZoneInfo) -> Record:
    record = {k: v for k, v in row.items() if k not in ("evidence", "recommendation", "status_changed_at")}
    # *_json columns travel as JSON text: WatermelonDB stores them in string columns.
    return record | {
        "evidence_json": json.dumps(row["evidence"], sort_keys=True),
        "recommendation_json": json.dumps(row["recommendation"], sort_keys=True),
        "week_start": local_midnight_ms(row["week_start"], zone),
        "created_at": _ms(row["created_at"]),
        "updated_at": _ms(row["updated_at"]),
    }


def _prescription_record(row: Record, zone: ZoneInfo) -> Record:
    record = {k: v for k, v in row.items() if k not in ("reason", "side")}
    return record | {
        "reason_json": json.dumps(row["reason"] | {"side": row["side"]}, sort_keys=True),
        "valid_from": local_midnight_ms(row["valid_from"], zone),
    }


INSIGHTS = SyncedTable(
    "insights",
    Insight,
    None,
    (*INSIGHT_CONTENT_COLUMNS, "created_at", "updated_at", "status_changed_at"),
    _insight_record,
)
PRESCRIPTIONS = SyncedTable("prescriptions", Prescription, None, PRESCRIPTION_COLUMNS, _prescription_record)

DEVICE_TABLES = {t.name: t for t in (WORKOUTS, WORKOUT_SETS, PAIN_REPORTS)}
USER_TABLES = {t.name: t for t in (WORKOUTS, WORKOUT_SETS, PAIN_REPORTS, INSIGHTS, PRESCRIPTIONS)}
# The catalog is shared reference data with its own revision counter; pull-only like insights
# and prescriptions (a push may only change an insight's status).
ALL_TABLES = (*USER_TABLES, "exercises")


def exercise_record(exercise: Exercise) -> dict[str, Any]:
    return {
        "id": exercise.id,
        "name": exercise.name,
        "pattern": exercise.pattern,
        # *_json columns travel as JSON text: WatermelonDB stores them in string columns.
        "muscles_json": json.dumps(
            {"primary": exercise.primary_muscles, "secondary": exercise.secondary_muscles}
        ),
        "equipment": exercise.equipment,
        "unilateral": exercise.unilateral,
        "rep_min": exercise.rep_min,
        "rep_max": exercise.rep_max,
        "increment_kg": exercise.increment_kg,
        "cues_json": json.dumps(exercise.cues),
    }
