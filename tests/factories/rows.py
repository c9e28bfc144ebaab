"""What the workers wrote, read straight from PostgreSQL: outbox state and row uniqueness."""

import uuid
from collections import Counter
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from services.core.models import Insight, OutboxEvent, Prescription


def outbox_rows(engine: Engine, user_id: uuid.UUID) -> list[OutboxEvent]:
    with Session(engine) as session:
        stmt = select(OutboxEvent).where(OutboxEvent.user_id == user_id).order_by(OutboxEvent.id)
        return list(session.scalars(stmt))


def all_processed(engine: Engine, user_id: uuid.UUID) -> bool:
    rows = outbox_rows(engine, user_id)
    return bool(rows) and all(row.processed_at is not None for row in rows)


def insight_rows(engine: Engine, user_id: uuid.UUID) -> list[Insight]:
    with Session(engine) as session:
        return list(session.scalars(select(Insight).where(Insight.user_id == user_id).order_by(Insight.id)))


def prescription_rows(engine: Engine, user_id: uuid.UUID) -> list[Prescription]:
    with Session(engine) as session:
        stmt = select(Prescription).where(Prescription.user_id == user_id).order_by(Prescription.id)
        return list(session.scalars(stmt))


def duplicates(keys: list[Any]) -> list[Any]:
    return sorted((key for key, count in Counter(keys).items() if count > 1), key=str)


def duplicate_insights(engine: Engine, user_id: uuid.UUID) -> list[tuple[str, str]]:
    """(kind, subject) pairs stored more than once: one recompute of fresh logs writes each once."""
    return duplicates([(row.kind, row.subject) for row in insight_rows(engine, user_id) if not row.deleted])


def duplicate_prescriptions(engine: Engine, user_id: uuid.UUID) -> list[tuple]:
    keys = [
        (row.program_day_id, row.slot_index, row.side, row.exercise_id)
        for row in prescription_rows(engine, user_id)
        if not row.deleted
    ]
    return duplicates(keys)
