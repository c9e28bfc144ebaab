"""Pulls (sync-protocol.md, "Pull"), streamed: a user with five years of logs (~100,000 sets)
is sent in batches from a server-side cursor, never held in memory whole."""

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
from services.api.sync.tables import ALL_TABLES, USER_TABLES, SyncedTable, exercise_record
from services.core.db import snapshot
from services.core.errors import FieldError, InvalidInput
from services.core.repositories import sync, users

SUPPORTED_SCHEMA_VERSION = 1


@dataclass(frozen=True)
class PullRequest:
    base: cursor.Cursor
    full_tables: frozenset[str]  # tables a local migration needs in full


def parse_pull(last_pulled_at: str | None, schema_version: int, migration: str | None) -> PullRequest:
    """Accepts what WatermelonDB sends: `last_pulled_at=null` and `migration=null` included."""
    if schema_version > SUPPORTED_SCHEMA_VERSION:
        raise InvalidInput(
            f"This server speaks sync schema version {SUPPORTED_SCHEMA_VERSION}.",
            [FieldError(field="schema_version", message="unsupported schema version")],
        )
    return PullRequest(
        base=cursor.decode(_cursor_value(last_pulled_at)), full_tables=_migration_tables(migration)
    )


def _cursor_value(raw: str | None) -> int | None:
    if raw in (None, "", "null"):
        return None
    if not raw.isdigit() or len(raw) > 18:
        raise InvalidInput(
            "last_pulled_at must be the timestamp of a previous pull.",
            [FieldError(field="last_pulled_at", message="not a cursor we issued")],
        )
    return int(raw)


def _migration_tables(raw: str | None) -> frozenset[str]:
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
    unknown = tables - set(ALL_TABLES)
    if unknown:
        raise InvalidInput(
            "migration names unknown tables.",
            [FieldError(field="migration", message=f"unknown table {sorted(unknown)[0]!r}")],
        )
    return frozenset(tables)


def stream_pull(factory: sessionmaker[Session], user_id: uuid.UUID, request: PullRequest) -> Iterator[bytes]:
    """Yields the JSON body in pieces, all read from one snapshot."""
    with snapshot(factory) as session:
        up_to = sync.current_user_version(session, user_id=user_id)
        base = request.base
        if base.user_version > up_to:
            # A cursor from the future (e.g. after a database restore): resend everything rather
            # than silently skip what the client never had.
            base = cursor.FIRST_SYNC
        zone = ZoneInfo(users.get(session, user_id).timezone)
        yield b'{"changes":{'
        for index, (name, table) in enumerate(USER_TABLES.items()):
            yield (b"," if index else b"") + orjson.dumps(name) + b":{"
            after = 0 if name in request.full_tables else base.user_version
            yield from _table_body(session, table, zone, user_id, after, up_to, with_tombstones=after > 0)
            yield b"}"
        revision = sync.catalog_revision(session)
        after_revision = 0 if "exercises" in request.full_tables else base.catalog_revision
        exercises = [exercise_record(e) for e in sync.exercises_after(session, after_revision)]
        metrics.SYNC_PULLED.labels("exercises").inc(len(exercises))
        yield b',"exercises":{"created":[],"updated":' + orjson.dumps(exercises) + b',"deleted":[]}}'
        timestamp = cursor.Cursor(up_to, revision).encode()
        yield b',"timestamp":' + str(max(timestamp, 1)).encode() + b"}"


def _table_body(
    session: Session,
    table: SyncedTable,
    zone: ZoneInfo,
    user_id: uuid.UUID,
    after: int,
    up_to: int,
    *,
    with_tombstones: bool,
) -> Iterator[bytes]:
    # Everything goes under `updated`: WatermelonDB treats it as an upsert (sync-protocol.md).
    def changed(deleted: bool) -> Iterator[Sequence[Any]]:
        return sync.changed_rows(
            session,
            table.model,
            table.columns,
            user_id=user_id,
            after_version=after,
            up_to_version=up_to,
            deleted=deleted,
        )

    yield b'"created":[],"updated":['
    keys = ("id", *table.columns)
    count = 0
    for batch in _batches(changed(deleted=False)):
        records = [table.to_record(dict(zip(keys, row, strict=True)), zone) for row in batch]
        yield (b"," if count else b"") + orjson.dumps(records)[1:-1]
        count += len(batch)
    yield b'],"deleted":'
    tombstones = [row[0] for row in changed(deleted=True)] if with_tombstones else []
    yield orjson.dumps(tombstones)
    metrics.SYNC_PULLED.labels(table.name).inc(count + len(tombstones))


def _batches(rows: Iterator[Sequence[Any]], size: int = 1000) -> Iterator[list[Sequence[Any]]]:
    batch: list[Sequence[Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
