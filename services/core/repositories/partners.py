"""Partners, their keys, users' grants, authorization codes, idempotency records, and the change
feeds partners read. Every user-owned query takes the owner."""

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, case, delete, func, or_, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from services.core.errors import NotFound
from services.core.models import (
    ApiKey,
    AuthorizationCode,
    Grant,
    IdempotencyRecord,
    Insight,
    OutboxEvent,
    Partner,
    Workout,
    WorkoutSet,
)

GRANT_REVOKED = "grant.revoked"

# -- partners and keys -----------------------------------------------------------------------


def get_partner(session: Session, partner_id: uuid.UUID) -> Partner:
    partner = session.get(Partner, partner_id)
    if partner is None:
        raise NotFound("partner", partner_id)
    return partner


def find_partner_by_client_id(session: Session, client_id: str) -> Partner | None:
    return session.scalar(select(Partner).where(Partner.client_id == client_id))


def get_key(session: Session, key_id: uuid.UUID) -> ApiKey:
    key = session.get(ApiKey, key_id, with_for_update=True)
    if key is None:
        raise NotFound("API key", key_id)
    return key


def keys_of(session: Session, partner_id: uuid.UUID) -> Sequence[ApiKey]:
    return session.scalars(
        select(ApiKey).where(ApiKey.partner_id == partner_id).order_by(ApiKey.created_at)
    ).all()


def find_active_key(session: Session, *, key_hash: str, now: datetime) -> ApiKey | None:
    return session.scalar(
        select(ApiKey).where(
            ApiKey.key_hash == key_hash, or_(ApiKey.revoked_at.is_(None), ApiKey.revoked_at > now)
        )
    )


# -- grants ----------------------------------------------------------------------------------


def find_active_grant(
    session: Session, *, user_id: uuid.UUID, partner_id: uuid.UUID, lock: bool = False
) -> Grant | None:
    stmt = select(Grant).where(
        Grant.user_id == user_id, Grant.partner_id == partner_id, Grant.revoked_at.is_(None)
    )
    return session.scalar(stmt.with_for_update() if lock else stmt)


def get_active_grant(session: Session, *, user_id: uuid.UUID, grant_id: uuid.UUID) -> Grant:
    grant = session.scalar(
        select(Grant)
        .where(Grant.user_id == user_id, Grant.id == grant_id, Grant.revoked_at.is_(None))
        .with_for_update()
    )
    if grant is None:
        raise NotFound("grant", grant_id)  # another user's grant looks exactly like a missing one
    return grant


def list_active_grants(
    session: Session, *, user_id: uuid.UUID, before: tuple[datetime, uuid.UUID] | None, limit: int
) -> Sequence[Row[tuple[Grant, str]]]:
    """Newest first, each with its partner's name; `before` is the previous page's last key."""
    stmt = (
        select(Grant, Partner.name)
        .join(Partner, Partner.id == Grant.partner_id)
        .where(Grant.user_id == user_id, Grant.revoked_at.is_(None))
        .order_by(Grant.created_at.desc(), Grant.id.desc())
        .limit(limit)
    )
    if before is not None:
        stmt = stmt.where(tuple_(Grant.created_at, Grant.id) < tuple_(*before))
    return session.execute(stmt).all()


def record_grant_revoked(session: Session, grant: Grant) -> None:
    """The outbox row from which the webhook deliverer sends `grant.revoked` to the partner."""
    assert grant.revoked_at is not None
    session.add(
        OutboxEvent(
            topic=GRANT_REVOKED,
            user_id=grant.user_id,
            payload={
                "grant_id": str(grant.id),
                "partner_id": str(grant.partner_id),
                "user_id": str(grant.user_id),
                "scopes": list(grant.scopes),
                "revoked_at": grant.revoked_at.isoformat(),
            },
        )
    )


# -- authorization codes ---------------------------------------------------------------------


def find_code(session: Session, code_hash: str) -> AuthorizationCode | None:
    return session.get(AuthorizationCode, code_hash, with_for_update=True)


def discard_unused_codes(session: Session, *, user_id: uuid.UUID, partner_id: uuid.UUID) -> None:
    session.execute(
        delete(AuthorizationCode).where(
            AuthorizationCode.user_id == user_id,
            AuthorizationCode.partner_id == partner_id,
            AuthorizationCode.used_at.is_(None),
        )
    )


def delete_expired_codes(session: Session, *, expired_before: datetime) -> int:
    """For a periodic sweep. Keep used codes a while after they expire: a replay is recognised
    (and revokes its grant) only while the code is still stored."""
    return session.execute(
        delete(AuthorizationCode).where(AuthorizationCode.expires_at < expired_before)
    ).rowcount  # type: ignore[attr-defined]


# -- change feeds ----------------------------------------------------------------------------


def workout_changes(
    session: Session,
    *,
    user_id: uuid.UUID,
    since: datetime | None,
    after_version: int | None,
    limit: int,
) -> Sequence[Row[tuple[Workout, datetime, int]]]:
    """Workouts (deleted ones too) in the order they or one of their sets last changed, with that
    time and sync version: a set logged into an old workout makes the workout show up again.

    Ordered and resumed by the user's sync version, not by time: versions commit in order under
    the user's lock, so a change committed after a partner read a page is never behind its
    cursor (a timestamp taken before a slow commit, or on a pod whose clock lags, could be).
    """
    sets_changed = (
        select(
            WorkoutSet.workout_id,
            func.max(WorkoutSet.server_updated_at).label("changed_at"),
            func.max(WorkoutSet.version).label("version"),
        )
        .where(WorkoutSet.user_id == user_id)
        .group_by(WorkoutSet.workout_id)
        .subquery()
    )
    changed_at = case(
        (sets_changed.c.changed_at > Workout.server_updated_at, sets_changed.c.changed_at),
        else_=Workout.server_updated_at,
    )
    version = case((sets_changed.c.version > Workout.version, sets_changed.c.version), else_=Workout.version)
    stmt = (
        select(Workout, changed_at.label("changed_at"), version.label("change_version"))
        .outerjoin(sets_changed, sets_changed.c.workout_id == Workout.id)
        .where(Workout.user_id == user_id)
        .order_by(version)
        .limit(limit)
    )
    if since is not None:
        stmt = stmt.where(changed_at >= since)
    if after_version is not None:
        stmt = stmt.where(version > after_version)
    return session.execute(stmt).all()


def insight_changes(
    session: Session,
    *,
    user_id: uuid.UUID,
    since: datetime | None,
    after_version: int | None,
    limit: int,
) -> Sequence[Insight]:
    """Insights (deleted ones too) in the order the server last wrote them, by sync version (see
    workout_changes)."""
    stmt = select(Insight).where(Insight.user_id == user_id).order_by(Insight.version).limit(limit)
    if since is not None:
        stmt = stmt.where(Insight.server_updated_at >= since)
    if after_version is not None:
        stmt = stmt.where(Insight.version > after_version)
    return session.scalars(stmt).all()


# -- idempotency -----------------------------------------------------------------------------


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
    return session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.expires_at <= now)).rowcount  # type: ignore[attr-defined]
