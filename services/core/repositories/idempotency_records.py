"""Idempotency records: one per (caller, Idempotency-Key), holding the first response for replays."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import delete, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from services.core.models import (
    IdempotencyRecord,
)
from services.core.repositories.statements import rows_affected


def user_caller(user_id: uuid.UUID) -> str:
    """How a user's keys are scoped ("user:<uuid>"; a partner's are "partner:<uuid>")."""
    return f"user:{user_id}"


def claim_idempotency_key(
    session: Session,
    *,
    caller: str,
    key: str,
    request_hash: str,
    now: datetime,
    expires_at: datetime,
    abandoned_before: datetime,
) -> IdempotencyRecord | None:
    """Reserves (caller, key) for a new request and returns None, or returns the record that
    holds the key. An expired record, or a pending one whose request died before finishing,
    is taken over."""
    values: dict[str, Any] = {
        "caller": caller,
        "key": key,
        "request_hash": request_hash,
        "status_code": None,
        "headers": None,
        "body": None,
        "created_at": now,
        "expires_at": expires_at,
    }
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    record = None
    while record is None:  # a failed first request deletes its pending record: insert again
        insert = dialect.insert(IdempotencyRecord).values(values).on_conflict_do_nothing()
        if session.scalar(insert.returning(IdempotencyRecord.key)) is not None:
            return None
        record = session.get(IdempotencyRecord, (caller, key), with_for_update=True, populate_existing=True)
    if record.expires_at <= now or (record.status_code is None and record.created_at < abandoned_before):
        for column, value in values.items():
            setattr(record, column, value)
        return None
    return record


def store_idempotent_response(
    session: Session, *, caller: str, key: str, status_code: int, headers: dict[str, Any], body: bytes
) -> None:
    session.execute(
        update(IdempotencyRecord)
        .where(IdempotencyRecord.caller == caller, IdempotencyRecord.key == key)
        .values(status_code=status_code, headers=headers, body=body)
    )


def release_idempotency_key(session: Session, *, caller: str, key: str) -> None:
    session.execute(
        delete(IdempotencyRecord).where(
            IdempotencyRecord.caller == caller,
            IdempotencyRecord.key == key,
            IdempotencyRecord.status_code.is_(None),
        )
    )


def delete_expired_idempotency_records(session: Session, *, now: datetime) -> int:
    """For a periodic sweep; reads already ignore expired records."""
    return rows_affected(session, delete(IdempotencyRecord).where(IdempotencyRecord.expires_at <= now))


def delete_of_caller(session: Session, *, caller: str) -> int:
    """A deleted account's records, whose stored responses carry its data."""
    return rows_affected(session, delete(IdempotencyRecord).where(IdempotencyRecord.caller == caller))
