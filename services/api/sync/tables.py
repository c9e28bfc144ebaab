"""The tables of the sync protocol (sync-protocol.md, "Tables"): who writes them, their columns,
how a stored row becomes a pulled record, and which schema version brought each of them.

One source: the record models here validate pushes, describe pull and push bodies in the OpenAPI
contract, and generate the mobile SDK's WatermelonDB schema (`make sdk`, `sync_schema()`).
"""

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cached_property
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from services.api.sync.schemas import (
    BodyWeightIn,
    CustomExerciseIn,
    EquipmentProfileRecord,
    ExerciseRecord,
    InsightRecord,
    PainReportIn,
    PlannedSessionRecord,
    PrescriptionRecord,
    ProgramRecord,
    WorkoutIn,
    WorkoutSetIn,
)
from services.core.models import (
    BodyWeight,
    CustomExercise,
    EquipmentProfile,
    Exercise,
    Insight,
    PainReport,
    PlannedSession,
    Prescription,
    Workout,
    WorkoutSet,
)
from services.core.models import ProgramRecord as StoredProgram
from services.core.models.base import Base
from services.core.models.insights import INSIGHT_CONTENT_COLUMNS, PRESCRIPTION_COLUMNS

Record = dict[str, Any]

# The sync schema versions this server speaks (sync-protocol.md, "Schema versions"). A new table
# or column raises SCHEMA_VERSION; MIN_SCHEMA_VERSION rises only when a version's support ends.
# Version 2 brought `custom_exercises`; version 3 `programs` and `planned_sessions`; version 4 units
# and equipment: `workout_sets.entered_load/entered_unit`, the prescriptions' loads in the user's unit,
# `equipment_profiles` and `body_weights`.
SCHEMA_VERSION = 4
MIN_SCHEMA_VERSION = 1


def _as_stored(row: Record, _zone: ZoneInfo) -> Record:
    return row


@dataclass(frozen=True)
class SyncedTable:
    """A table devices pull. User tables are keyed by (user_id, id) and carry version + tombstone;
    the catalog (`exercises`) is shared and revisioned."""

    name: str
    record: type[BaseModel]  # the record on the wire, pulled and (device tables) pushed
    device_writes: bool  # pushed by phones; otherwise written by the server only
    model: type[Base] | None = None  # the stored rows of a user table
    stored: tuple[str, ...] = ()  # stored columns a pull selects, when they differ from the record's
    # How a stored row becomes a pulled record (time zone: for local dates sent as epoch ms).
    to_record: Callable[[Record, ZoneInfo], Record] = _as_stored
    since: int = 1  # the schema version that brought the table
    column_since: Mapping[str, int] = field(default_factory=dict)  # columns added after the table
    indexed: tuple[str, ...] = ()  # columns WatermelonDB indexes (foreign keys the app queries by)
    belongs_to: Mapping[str, str] = field(default_factory=dict)  # column -> table it references

    @property
    def rows(self) -> type[Base]:
        """The stored model of a user table (the catalog has none: it is not per user)."""
        if self.model is None:
            raise TypeError(f"{self.name} is not a user table")
        return self.model

    # Cached: a push reads them for every record and a pull for every table (frozen dataclasses
    # still have the instance dict cached_property writes to).
    @cached_property
    def record_columns(self) -> tuple[str, ...]:
        """The wire columns besides `id`, in pull order."""
        return tuple(name for name in self.record.model_fields if name != "id")

    @cached_property
    def columns(self) -> tuple[str, ...]:
        """The stored columns besides `id` that a pull reads and a push writes."""
        return self.stored or self.record_columns

    @property
    def sent_as_stored(self) -> bool:
        """Whether a pulled record is the stored row's columns as they are (no `to_record` work):
        a pull then selects just the columns the client has and sends them."""
        return self.to_record is _as_stored and not self.stored

    def columns_at(self, schema_version: int) -> tuple[str, ...]:
        """The wire columns a client on `schema_version` has."""
        return tuple(c for c in self.record_columns if self.column_since.get(c, self.since) <= schema_version)


WORKOUTS = SyncedTable("workouts", WorkoutIn, True, Workout)
WORKOUT_SETS = SyncedTable(
    "workout_sets",
    WorkoutSetIn,
    True,
    WorkoutSet,
    column_since={"entered_load": 4, "entered_unit": 4},
    indexed=("workout_id",),
    belongs_to={"workout_id": "workouts", "exercise_id": "exercises"},
)
PAIN_REPORTS = SyncedTable("pain_reports", PainReportIn, True, PainReport)
CUSTOM_EXERCISES = SyncedTable("custom_exercises", CustomExerciseIn, True, CustomExercise, since=2)
BODY_WEIGHTS = SyncedTable("body_weights", BodyWeightIn, True, BodyWeight, since=4)


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
    record = {k: v for k, v in row.items() if k not in ("reason", "side", "plates_per_side", "stack")}
    return record | {
        "reason_json": json.dumps(row["reason"] | {"side": row["side"]}, sort_keys=True),
        "valid_from": local_midnight_ms(row["valid_from"], zone),
        "plates_per_side_json": _json_or_none(row["plates_per_side"]),
        "stack_json": _json_or_none(row["stack"]),
    }


def _json_or_none(value: Any) -> str | None:
    return None if value is None else json.dumps(value, sort_keys=True)


def _equipment_record(row: Record, _zone: ZoneInfo) -> Record:
    return {"id": row["id"], "unit": row["unit"], "profile_json": json.dumps(row["profile"], sort_keys=True)}


INSIGHTS = SyncedTable(
    "insights",
    InsightRecord,
    False,
    Insight,
    stored=(*INSIGHT_CONTENT_COLUMNS, "created_at", "updated_at", "status_changed_at"),
    to_record=_insight_record,
)
PRESCRIPTIONS = SyncedTable(
    "prescriptions",
    PrescriptionRecord,
    False,
    Prescription,
    stored=PRESCRIPTION_COLUMNS,
    to_record=_prescription_record,
    column_since=dict.fromkeys(
        ("unit", "load", "assistance", "bar", "plates_per_side_json", "stack_json"), 4
    ),
    belongs_to={"exercise_id": "exercises"},
)
# The user's gym, written through PUT /v1/me/equipment (validated by the engine, and the
# prescriptions recomputed at once), so pull-only like the read models.
EQUIPMENT_PROFILES = SyncedTable(
    "equipment_profiles",
    EquipmentProfileRecord,
    False,
    EquipmentProfile,
    stored=("unit", "profile"),
    to_record=_equipment_record,
    since=4,
)
# Read models the server keeps at write time (services/core/usecases/read_models.py), pull-only.
PROGRAMS = SyncedTable("programs", ProgramRecord, False, StoredProgram, since=3)
PLANNED_SESSIONS = SyncedTable(
    "planned_sessions",
    PlannedSessionRecord,
    False,
    PlannedSession,
    since=3,
    belongs_to={"program_id": "programs"},
)
# The catalog is shared reference data with its own revision counter; pull-only like insights
# and prescriptions (a push may only change an insight's status).
EXERCISES = SyncedTable("exercises", ExerciseRecord, False)

DEVICE_TABLES = {t.name: t for t in (WORKOUTS, WORKOUT_SETS, PAIN_REPORTS, CUSTOM_EXERCISES, BODY_WEIGHTS)}
USER_TABLES = {
    t.name: t
    for t in (
        *DEVICE_TABLES.values(),
        INSIGHTS,
        PRESCRIPTIONS,
        PROGRAMS,
        PLANNED_SESSIONS,
        EQUIPMENT_PROFILES,
    )
}
TABLES = {**USER_TABLES, EXERCISES.name: EXERCISES}
ALL_TABLES = tuple(TABLES)


def tables_at(schema_version: int) -> dict[str, SyncedTable]:
    """The tables a client on `schema_version` has."""
    return {name: t for name, t in TABLES.items() if t.since <= schema_version}


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


# -- the schema as data: for the mobile SDK's generator and the contract's drift tests ----------

ColumnType = Literal["string", "number", "boolean"]


def _column(table: SyncedTable, name: str) -> dict[str, Any]:
    schema = table.record.model_json_schema()["properties"][name]
    variants = schema.get("anyOf", [schema])
    kinds = [v.get("type") for v in variants if v.get("type") != "null"]
    enum = next((v["enum"] for v in variants if "enum" in v), None)
    if enum is None:
        enum = next(([v["const"]] for v in variants if "const" in v), None)
    column: dict[str, Any] = {
        "name": name,
        "type": _watermelon_type(kinds[0] if kinds else "string", enum),
        "optional": len(kinds) < len(variants),
        "indexed": name in table.indexed,
        "since": table.column_since.get(name, table.since),
    }
    if enum is not None:
        column["enum"] = enum
    if name in table.belongs_to:
        column["references"] = table.belongs_to[name]
    if "description" in schema:
        column["description"] = schema["description"]
    return column


WATERMELON_TYPES: dict[str, ColumnType] = {
    "string": "string",
    "boolean": "boolean",
    "integer": "number",
    "number": "number",
}


def _watermelon_type(json_type: str, enum: list[Any] | None) -> ColumnType:
    if enum is not None:
        json_type = {str: "string", bool: "boolean"}.get(type(enum[0]), "number")
    return WATERMELON_TYPES[json_type]


def sync_schema() -> dict[str, Any]:
    """Every table and column with its WatermelonDB type and the schema version that brought it."""
    return {
        "version": SCHEMA_VERSION,
        "min_version": MIN_SCHEMA_VERSION,
        "tables": [
            {
                "name": table.name,
                "device_writes": table.device_writes,
                "since": table.since,
                "columns": [_column(table, name) for name in table.record_columns],
            }
            for table in TABLES.values()
        ],
    }
