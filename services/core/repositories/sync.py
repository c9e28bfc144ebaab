"""Reads and bulk writes of synced rows. Every statement is scoped to the owner."""

import functools
import uuid
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, cast

import psycopg
from sqlalchemy import (
    Select,
    Table,
    and_,
    any_,
    bindparam,
    func,
    insert,
    literal,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY, Insert
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from services.core.models import Exercise, User, WorkoutSet
from services.core.models.base import Base, utcnow

CHUNK = 1000  # rows per IN list / fetch batch: bounded statements, bounded memory


def rows_by_id(
    session: Session, model: type[Base], *, user_id: uuid.UUID, ids: Iterable[str]
) -> dict[str, Any]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    table = _table(model)
    if _is_postgresql(session):
        # One array parameter: no 1,000-literal IN list to render and plan.
        stmt = select(table.c.id, model).where(
            table.c.user_id == user_id, table.c.id == any_(_array(model, "id", wanted))
        )
        return dict(session.execute(stmt).all())
    found: dict[str, Any] = {}
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        stmt = select(table.c.id, model).where(table.c.user_id == user_id, table.c.id.in_(chunk))
        found.update(session.execute(stmt).all())
    return found


def write_rows(
    session: Session,
    model: type[Base],
    *,
    user_id: uuid.UUID,
    inserts: Sequence[dict[str, Any]],
    updates: Sequence[dict[str, Any]],
) -> None:
    """Writes one push's new rows (`inserts`) and stored rows it changed (`updates`) of a table,
    all owned by `user_id`.

    Every dict carries the same keys: `id`, `version` (the row's own sync version) and the
    columns to set (an update sets exactly those, plus `server_updated_at`). The caller holds the
    user's sync lock: the rows of `inserts` are still absent and those of `updates` still stored,
    so on PostgreSQL one upsert does both.
    """
    if not inserts and not updates:
        return
    if _is_postgresql(session):
        _upsert(session, model, [*inserts, *updates], user_id=user_id)
        return
    if inserts:
        session.execute(insert(model), [{**row, "user_id": user_id} for row in inserts])
    if updates:  # ORM bulk UPDATE by primary key
        session.execute(update(model), [{**row, "user_id": user_id} for row in updates])


def _upsert(
    session: Session, model: type[Base], rows: Sequence[dict[str, Any]], *, user_id: uuid.UUID
) -> None:
    """`INSERT … SELECT unnest(:a), unnest(:b), … ON CONFLICT (user_id, id) DO UPDATE`: one array
    parameter per column, so the statement text is the same for 1 or 5,000 rows and PostgreSQL
    runs one statement (the ORM bulk INSERT runs one per row: rows with and without NULLs get
    different parameter sets, which breaks its batches)."""
    names = tuple(rows[0])
    params = {name: [row[name] for row in rows] for name in names}
    session.execute(_upsert_statement(model, names), params | {"owner": user_id})


@functools.cache
def _upsert_statement(model: type[Base], names: tuple[str, ...]) -> Insert:
    """Built once per table and column list (a push's construct cost more than its execution):
    every value is a bound parameter, an array per column and the owner a scalar."""
    table = _table(model)
    columns = [func.unnest(bindparam(name, type_=ARRAY(table.c[name].type))).label(name) for name in names]
    owner = bindparam("owner", type_=table.c.user_id.type).label("user_id")
    # server_updated_at is not among the names: its Python default is evaluated at each execution,
    # once for the whole statement (as a tombstone UPDATE has).
    stmt = pg_insert(table).from_select([*names, "user_id"], select(*columns, owner))
    changed = [name for name in [*names, "server_updated_at"] if name != "id"]
    return stmt.on_conflict_do_update(
        index_elements=[table.c.user_id, table.c.id], set_={name: stmt.excluded[name] for name in changed}
    )


def _array(model: type[Base], column: str, values: list[Any]) -> Any:
    """A bound parameter holding `values` as an array of the column's type (`:param::type[]`)."""
    return literal(values, ARRAY(_table(model).c[column].type))


def _table(model: type[Base]) -> Table:
    # Declarative types __table__ as a FromClause because a class may map a join or a select;
    # every synced model here maps one table.
    return cast(Table, model.__table__)


def _is_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def tombstone(
    session: Session, model: type[Base], *, user_id: uuid.UUID, ids: Sequence[str], versions: Sequence[int]
) -> None:
    """Marks the rows `ids` deleted, each with its own sync version (`versions`, in the same order)."""
    if not ids:
        return
    table = _table(model)
    stmt = (
        update(table)
        .where(table.c.user_id == user_id, table.c.id == bindparam("row_id"))
        .values(deleted=True, version=bindparam("row_version"), server_updated_at=utcnow())
    )
    session.execute(stmt, [{"row_id": i, "row_version": v} for i, v in zip(ids, versions, strict=True)])


def live_sets_of_workouts(session: Session, *, user_id: uuid.UUID, workout_ids: Sequence[str]) -> list[str]:
    """Ids of the sets still alive under `workout_ids`, in id order (a deleted workout takes them)."""
    found: list[str] = []
    for start in range(0, len(workout_ids), CHUNK):
        found += session.scalars(
            select(WorkoutSet.id).where(
                WorkoutSet.user_id == user_id,
                WorkoutSet.workout_id.in_(workout_ids[start : start + CHUNK]),
                WorkoutSet.deleted.is_(False),
            )
        )
    return sorted(found)


def current_user_version(session: Session, *, user_id: uuid.UUID) -> int:
    return session.scalar(select(User.sync_version).where(User.id == user_id)) or 0


def catalog_revision(session: Session) -> int:
    return session.scalar(select(func.max(Exercise.revision))) or 0


def changed_batches(
    session: Session,
    model: type[Base],
    columns: Sequence[str],
    *,
    user_id: uuid.UUID,
    after_version: int,
    up_to_version: int,
    deleted: bool,
) -> Iterator[Sequence[Sequence[Any]]]:
    """Rows (or, for tombstones, ids) changed in (after_version, up_to_version], in batches of at
    most CHUNK plain tuples, without the ORM loader (a quarter of a big pull's CPU once)."""
    stmt = changed_rows(
        model,
        columns,
        user_id=user_id,
        after_version=after_version,
        up_to_version=up_to_version,
        deleted=deleted,
    )
    if _is_postgresql(session):
        yield from _streamed(session, stmt)
        return
    result = session.connection().execution_options(yield_per=CHUNK).execute(stmt)
    yield from result.partitions()


def changed_rows(
    model: type[Base],
    columns: Sequence[str],
    *,
    user_id: uuid.UUID,
    after_version: int,
    up_to_version: int,
    deleted: bool,
) -> Select[Any]:
    """The statement of `changed_batches` (streamed past SQLAlchemy's execution events, so the
    partitioning tests explain it from here)."""
    table = _table(model)
    selected = [table.c.id] if deleted else [table.c.id, *(table.c[c] for c in columns)]
    return select(*selected).where(
        table.c.user_id == user_id,
        table.c.deleted.is_(deleted),
        table.c.version > after_version,
        table.c.version <= up_to_version,
    )


def _streamed(session: Session, stmt: Select[Any]) -> Iterator[list[Any]]:
    """The rows of `stmt` in libpq's chunked mode (libpq 17+, which psycopg-binary bundles), on the
    session's connection and transaction: one query, its rows handed over CHUNK at a time as they
    arrive. A server-side cursor (SQLAlchemy's `yield_per`) waits a FETCH round trip per chunk,
    and took twice as long to read a 15,000-set user's sets (bench/README.md, finding 3). Memory
    stays bounded by the chunk, as with the cursor; a caller that stops early (a client gone
    mid-pull) leaves psycopg to cancel the query and drain what was sent.

    The statement's parameters (the owner's UUID, versions) are adapted by psycopg as SQLAlchemy
    would; psycopg's errors are raised as SQLAlchemy's (a lost connection a 503, as everywhere).
    """
    connection = session.connection()
    compiled = stmt.compile(dialect=connection.dialect)
    # The PostgreSQL dialect's driver is psycopg (services/core/db.py).
    driver = cast(psycopg.Connection[Any], connection.connection.driver_connection)
    try:
        with driver.cursor() as cursor:
            batch: list[Any] = []
            for row in cursor.stream(compiled.string, compiled.params, size=CHUNK):
                batch.append(row)
                if len(batch) == CHUNK:
                    yield batch
                    batch = []
            if batch:
                yield batch
    except psycopg.Error as exc:
        # What SQLAlchemy does for its own statements: a dead connection leaves the pool.
        lost = connection.dialect.is_disconnect(cast(Any, exc), connection.connection, None)
        if lost:
            connection.invalidate(exc)
        raise DBAPIError.instance(
            compiled.string, compiled.params, exc, psycopg.Error, connection_invalidated=lost
        ) from exc


def versions_from(
    session: Session,
    *,
    user_id: uuid.UUID,
    windows: Sequence[tuple[type[Base], int, int | None]],
    up_to_version: int,
    offset: int,
    count: int,
) -> list[int]:
    """The versions at positions offset, offset + 1, … (at most `count`) among the user's rows
    that a pull sends, in version order. A window is (model, live rows after this version,
    tombstones after this version or None for none): one index range scan per table, merged.
    """
    branches = []
    for model, live_after, tombstones_after in windows:
        table = _table(model)
        sent = and_(table.c.deleted.is_(False), table.c.version > live_after)
        if tombstones_after is not None:
            sent = or_(sent, and_(table.c.deleted.is_(True), table.c.version > tombstones_after))
        branches.append(
            select(table.c.version.label("version")).where(
                table.c.user_id == user_id, table.c.version <= up_to_version, sent
            )
        )
    if not branches:
        return []
    merged = union_all(*branches).subquery()
    stmt = select(merged.c.version).order_by(merged.c.version).offset(offset).limit(count)
    return list(session.scalars(stmt))


def exercises_after(session: Session, revision: int, *, limit: int | None = None) -> Sequence[Exercise]:
    """Exercises changed after `revision`, in revision order (each has a revision of its own)."""
    stmt = select(Exercise).where(Exercise.revision > revision).order_by(Exercise.revision, Exercise.id)
    return session.scalars(stmt.limit(limit)).all()
