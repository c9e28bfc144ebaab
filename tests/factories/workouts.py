"""Logged workouts written straight into the database, for tests of code that reads logs."""

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from services.core.models import Workout, WorkoutSet
from services.core.repositories import aggregates, users
from services.core.usecases import read_models


def epoch_ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def log_workout(
    engine: Engine,
    user_id: uuid.UUID,
    *,
    started_at: datetime,
    sets: Sequence[dict],
    program_day_id: str | None = None,
    deleted: bool = False,
) -> str:
    """Stores one workout with the given sets (each a dict of workout_sets columns to override);
    `deleted` stores the workout as a tombstone, its sets as given."""
    workout_id = uuid.uuid4().hex[:16]
    with Session(engine) as session:
        user = users.lock_for_sync(session, user_id)
        versions = users.SyncVersions(user)
        session.add(
            Workout(
                user_id=user_id,
                id=workout_id,
                started_at=epoch_ms(started_at),
                ended_at=None,
                program_day_id=program_day_id,
                notes=None,
                version=versions.next(),
                deleted=deleted,
            )
        )
        session.flush()
        for index, overrides in enumerate(sets):
            columns = {
                "exercise_id": "romanian-deadlift",
                "set_index": index,
                "side": "both",
                "load_kg": 100.0,
                "reps": 8,
                "rir": 2.0,
                "rpe": None,
                "eccentric_s": 3.0,
                "assistance_kg": None,
                "to_failure": False,
                "is_warmup": False,
                "performed_at": epoch_ms(started_at),
            } | overrides
            session.add(
                WorkoutSet(
                    user_id=user_id,
                    id=uuid.uuid4().hex[:16],
                    workout_id=workout_id,
                    version=versions.next(),
                    **columns,
                )
            )
        session.flush()
        # Like every write of logs: the weekly aggregates and the next session follow them.
        if aggregates.kept(session):
            aggregates.refresh(session, user, set_ids=[], workout_ids=[workout_id])
        read_models.refresh(session, user_id, versions)
        versions.save()
        session.commit()
    return workout_id
