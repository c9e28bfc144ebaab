"""Pulls (sync-protocol.md, "Pull"), streamed: a user with five years of logs (~100,000 sets)
is sent in batches from a server-side cursor, never held in memory whole; with `limit`, in pages
that a phone commits one by one and resumes after an interrupted first sync."""

import json
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import orjson
from sqlalchemy.orm import Session, sessionmaker

from services.api import metrics
from services.api.sync import cursor
from services.api.sync.tables import (
    EXERCISES,
    MIN_SCHEMA_VERSION,
    SCHEMA_VERSION,
    USER_TABLES,
    SyncedTable,
    exercise_record,
    tables_at,
)
from services.core.db import snapshot
from services.core.errors import FieldError, InvalidInput, UnsupportedSchemaVersion
from services.core.repositories import sync, users

MAX_LIMIT = 10_000  # records per page: bounds a page's memory, time and size


@dataclass(frozen=True)
class PullRequest:
    base: cursor.Cursor
    # `last_pulled_at` absent: the device has nothing, so tombstones would be wasted bytes. Any
    # cursor the server issued, the empty account's included, needs them.
    first_sync: bool
    schema_version: int
    full_tables: frozenset[str]  # tables a local migration needs in full
    limit: int | None = None  # records per page; None: everything, as WatermelonDB expects


def parse_pull(
    last_pulled_at: str | None, schema_version: int, migration: str | None, limit: int | None = None
) -> PullRequest:
    """Accepts what WatermelonDB sends: `last_pulled_at=null` and `migration=null` included."""
    check_schema_version(schema_version)
    value = _cursor_value(last_pulled_at)
    return PullRequest(
        base=cursor.decode(value),
        first_sync=value is None,
        schema_version=schema_version,
        full_tables=_migration_tables(migration, schema_version),
        limit=limit,
    )


def check_schema_version(schema_version: int) -> None:
    if not MIN_SCHEMA_VERSION <= schema_version <= SCHEMA_VERSION:
        raise UnsupportedSchemaVersion(schema_version, oldest=MIN_SCHEMA_VERSION, newest=SCHEMA_VERSION)


def _cursor_value(raw: str | None) -> int | None:
    if raw in (None, "", "null"):
        return None
    if not raw.isdigit() or len(raw) > 18:
        raise InvalidInput(
            "last_pulled_at must be the timestamp of a previous pull.",
            [FieldError(field="last_pulled_at", message="not a cursor we issued")],
        )
    return int(raw)


def _migration_tables(raw: str | None, schema_version: int) -> frozenset[str]:
    if raw in (None, "", "null"):
        return frozenset()
    try:
        migration = json.loads(raw)
        tables = set(migration.get("tables", []))
        tables |= {entry["table"] for entry in migration.get("columns", [])}
    except (ValueError, AttributeError, TypeError, KeyError) as exc:
        raise InvalidInput(
            "migration must be WatermelonDB's migration JSON.",
            [FieldError(field="migration", message="expected {from, tables, columns}")],
        ) from exc
    unknown = tables - set(tables_at(schema_version))
    if unknown:
        raise InvalidInput(
            "migration names unknown tables.",
            [FieldError(field="migration", message=f"unknown table {sorted(unknown)[0]!r}")],
        )
    return frozenset(tables)


@dataclass(frozen=True)
class _Window:
    """What one table sends: live rows in (live_after, up_to], tombstones in (tombstones_after,
    up_to] (None: no tombstones)."""

    table: SyncedTable
    live_after: int
    tombstones_after: int | None


def stream_pull(factory: sessionmaker[Session], user_id: uuid.UUID, request: PullRequest) -> Iterator[bytes]:
    """Yields the JSON body in pieces, all read from one snapshot."""
    with snapshot(factory) as session:
        base = request.base
        up_to = sync.current_user_version(session, user_id=user_id)
        if base.user_version > up_to:
            # A cursor from the future (e.g. after a database restore): resend everything rather
            # than silently skip what the client never had.
            base = cursor.Cursor(0, base.catalog_revision)
        tables = tables_at(request.schema_version)
        exercises, revision, budget = _catalog_page(session, request, base)
        windows = {
            name: _window(table, request, base) for name, table in tables.items() if name in USER_TABLES
        }
        if budget is None:
            cutoff, more = up_to, False
        elif budget < 0:  # the catalog filled the page: the user's rows start on the next one
            cutoff, more = base.user_version, True
        else:
            cutoff, more = _cutoff(session, user_id, list(windows.values()), base.user_version, up_to, budget)
        zone = ZoneInfo(users.get(session, user_id).timezone)
        yield b'{"changes":{'
        for index, (name, window) in enumerate(windows.items()):
            yield (b"," if index else b"") + orjson.dumps(name) + b":"
            yield from _table_body(session, window, request.schema_version, zone, user_id, cutoff)
        yield b',"exercises":{"created":[],"updated":' + orjson.dumps(exercises) + b',"deleted":[]}}'
        metrics.SYNC_PULLED.labels(EXERCISES.name).inc(len(exercises))
        yield b',"timestamp":' + str(cursor.Cursor(cutoff, revision).encode()).encode()
        if request.limit is not None:
            yield b',"has_more":' + orjson.dumps(more)
        yield b"}"


def _window(table: SyncedTable, request: PullRequest, base: cursor.Cursor) -> _Window:
    # A table a local migration added or changed is sent in full; tombstones go to every device
    # that already holds data, from its cursor on (it has seen the earlier ones).
    live_after = 0 if table.name in request.full_tables else base.user_version
    return _Window(table, live_after, None if request.first_sync else base.user_version)


def _catalog_page(
    session: Session, request: PullRequest, base: cursor.Cursor
) -> tuple[list[dict[str, Any]], int, int | None]:
    """The catalog's changed exercises (first: the app needs them to show any set), the revision
    the cursor carries, and the page's budget left for the user's rows (negative: the catalog
    continues on the next page; None: no limit)."""
    current = sync.catalog_revision(session)
    after = base.catalog_revision if base.catalog_revision <= current else 0
    if EXERCISES.name in request.full_tables:
        # The catalog is small: a migrated one is sent whole, so the cursor never moves back.
        rows = sync.exercises_after(session, 0)
        budget = None if request.limit is None else request.limit - sum(e.revision > after for e in rows)
        return [exercise_record(e) for e in rows], current, budget
    if request.limit is None:
        return [exercise_record(e) for e in sync.exercises_after(session, after)], current, None
    rows = sync.exercises_after(session, after, limit=request.limit + 1)
    if len(rows) > request.limit:
        page = rows[: request.limit]
        return [exercise_record(e) for e in page], page[-1].revision, -1
    return [exercise_record(e) for e in rows], current, request.limit - len(rows)


def _cutoff(
    session: Session,
    user_id: uuid.UUID,
    windows: Sequence[_Window],
    base_version: int,
    up_to: int,
    budget: int,
) -> tuple[int, bool]:
    """The version this page stops at: the budget-th smallest version after the cursor (each row
    has its own), and whether any row comes after it. Rows of a migrated table older than the
    cursor ride along uncounted: the cursor cannot move back to page through them."""
    counted = [(w.table.rows, base_version, w.tombstones_after) for w in windows]
    if budget == 0:
        found = sync.versions_from(
            session, user_id=user_id, windows=counted, up_to_version=up_to, offset=0, count=1
        )
        return base_version, bool(found)
    found = sync.versions_from(
        session, user_id=user_id, windows=counted, up_to_version=up_to, offset=budget - 1, count=2
    )
    if len(found) < 2:
        return up_to, False
    return found[0], True


def _table_body(
    session: Session,
    window: _Window,
    schema_version: int,
    zone: ZoneInfo,
    user_id: uuid.UUID,
    up_to: int,
) -> Iterator[bytes]:
    # Everything goes under `updated`: WatermelonDB treats it as an upsert (sync-protocol.md).
    yield b'{"created":[],"updated":['
    table = window.table
    wire = ("id", *table.columns_at(schema_version))
    # A record that is the stored row as it is: select the client's columns and zip them, no
    # per-row call (the device tables, most of a first pull's rows).
    columns = wire[1:] if table.sent_as_stored else table.columns
    count = 0

    def changed(after: int, *, deleted: bool) -> Iterator[Sequence[Sequence[Any]]]:
        return sync.changed_batches(
            session,
            table.rows,
            columns,
            user_id=user_id,
            after_version=after,
            up_to_version=up_to,
            deleted=deleted,
        )

    for batch in changed(window.live_after, deleted=False):
        yield (b"," if count else b"") + orjson.dumps(_records(table, wire, batch, zone))[1:-1]
        count += len(batch)
    yield b'],"deleted":'
    tombstones: list[str] = []
    if window.tombstones_after is not None and window.tombstones_after < up_to:
        tombstones = [row[0] for batch in changed(window.tombstones_after, deleted=True) for row in batch]
    yield orjson.dumps(tombstones) + b"}"
    metrics.SYNC_PULLED.labels(table.name).inc(count + len(tombstones))


def _records(
    table: SyncedTable, wire: tuple[str, ...], rows: Sequence[Sequence[Any]], zone: ZoneInfo
) -> list[dict[str, Any]]:
    if table.sent_as_stored:  # the rows hold exactly the wire columns
        return [dict(zip(wire, row, strict=True)) for row in rows]
    keys = ("id", *table.columns)
    records = [table.to_record(dict(zip(keys, row, strict=True)), zone) for row in rows]
    if wire[1:] != table.record_columns:  # an older app: only the columns its schema has
        records = [{k: r[k] for k in wire} for r in records]
    return records
