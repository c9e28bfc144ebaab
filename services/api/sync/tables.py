"""The tables of the sync protocol (sync-protocol.md, "Tables"): who writes them, their columns,
and how a stored row becomes a pulled record."""

import json
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from services.api.sync.schemas import PainReportIn, WorkoutIn, WorkoutSetIn
from services.core.models import Exercise, PainReport, Workout, WorkoutSet
from services.core.models.base import Base


@dataclass(frozen=True)
class DeviceTable:
    """A table the phone writes; rows are keyed by (user_id, id) and carry version + tombstone."""

    name: str
    model: type[Base]
    schema: type[BaseModel]
    columns: tuple[str, ...]  # protocol columns besides `id`, in pull order


WORKOUTS = DeviceTable("workouts", Workout, WorkoutIn, ("started_at", "ended_at", "program_day_id", "notes"))
WORKOUT_SETS = DeviceTable(
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
PAIN_REPORTS = DeviceTable(
    "pain_reports", PainReport, PainReportIn, ("body_part", "side", "severity", "reported_at", "note")
)

DEVICE_TABLES = {t.name: t for t in (WORKOUTS, WORKOUT_SETS, PAIN_REPORTS)}

# Written by the server only. Insights and prescriptions are pulled empty until the training
# engine fills them; a push may not touch any of them.
SERVER_TABLES = ("insights", "prescriptions", "exercises")
ALL_TABLES = (*DEVICE_TABLES, *SERVER_TABLES)


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
