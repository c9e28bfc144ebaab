"""Reads and bulk writes of synced rows. Every statement is scoped to the owner."""

import uuid
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from services.core.models import Exercise, User, WorkoutSet
from services.core.models.base import Base, utcnow

CHUNK = 1000  # rows per IN list / fetch batch: bounded statements, bounded memory


def rows_by_id(
    session: Session, model: type[Base], *, user_id: uuid.UUID, ids: Iterable[str]
) -> dict[str, Any]:
    wanted = sorted(set(ids))
    found: dict[str, Any] = {}
    for start in range(0, len(wanted), CHUNK):
        stmt = select(model).where(model.user_id == user_id, model.id.in_(wanted[start : start + CHUNK]))  # type: ignore[attr-defined]
        found.update((row.id, row) for row in session.scalars(stmt))
    return found


def insert_rows(session: Session, model: type[Base], rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        session.execute(insert(model), list(rows))


def update_rows(session: Session, model: type[Base], rows: Sequence[dict[str, Any]]) -> None:
    """Bulk UPDATE by primary key; each dict carries user_id and id."""
    if rows:
        session.execute(update(model), list(rows))


def tombstone(
    session: Session, model: type[Base], *, user_id: uuid.UUID, ids: Sequence[str], version: int
) -> None:
    for start in range(0, len(ids), CHUNK):
        session.execute(
            update(model)
            .where(model.user_id == user_id, model.id.in_(ids[start : start + CHUNK]))  # type: ignore[attr-defined]
            .values(deleted=True, version=version, server_updated_at=utcnow())
        )


def tombstone_sets_of_workouts(
    session: Session, *, user_id: uuid.UUID, workout_ids: Sequence[str], version: int
) -> int:
    count = 0
    for start in range(0, len(workout_ids), CHUNK):
        result = session.execute(
            update(WorkoutSet)
            .where(
                WorkoutSet.user_id == user_id,
                WorkoutSet.workout_id.in_(workout_ids[start : start + CHUNK]),
                WorkoutSet.deleted.is_(False),
            )
            .values(deleted=True, version=version, server_updated_at=utcnow())
        )
        count += result.rowcount
    return count


def current_user_version(session: Session, *, user_id: uuid.UUID) -> int:
    return session.scalar(select(User.sync_version).where(User.id == user_id)) or 0


def catalog_revision(session: Session) -> int:
    return session.scalar(select(func.max(Exercise.revision))) or 0


def changed_rows(
    session: Session,
    model: type[Base],
    columns: Sequence[str],
    *,
    user_id: uuid.UUID,
    after_version: int,
    up_to_version: int,
    deleted: bool,
) -> Iterator[Sequence[Any]]:
    """Rows (or, for tombstones, ids) changed in (after_version, up_to_version], streamed in batches."""
    selected = [model.id] if deleted else [model.id, *(getattr(model, c) for c in columns)]  # type: ignore[attr-defined]
    stmt = (
        select(*selected)
        .where(
            model.user_id == user_id,
            model.deleted.is_(deleted),  # type: ignore[attr-defined]
            model.version > after_version,
            model.version <= up_to_version,
        )  # type: ignore[attr-defined]
        .execution_options(yield_per=CHUNK)
    )
    yield from session.execute(stmt)


def exercises_after(session: Session, revision: int) -> Sequence[Exercise]:
    return session.scalars(select(Exercise).where(Exercise.revision > revision).order_by(Exercise.id)).all()
