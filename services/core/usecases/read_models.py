"""Read models kept at write time (ARCHITECTURE.md, "Read models"): a user's own programs as
phones pull them (`program_records`) and their next session, rendered (`planned_sessions`).

Every write that can change them calls `refresh` in its own transaction, under the user's sync
lock, before it commits: the push, the recompute, enrolling and leaving, a program's creation,
edit, substitution and deletion, accepted advice, a coach's assignment, a settings change, and the
seed when a starter or the catalog changes. A read model that comes out the same is not rewritten,
so it keeps its sync version and nothing is pulled again.
"""

import json
import uuid
from typing import Any

from sqlalchemy.orm import Session

from services.core.models import PlannedSession, ProgramRecord
from services.core.repositories import partners, read_models, users
from services.core.usecases import plans, sessions

NEXT = "next"  # the id of the one planned_sessions row a user has


def refresh(
    session: Session, user_id: uuid.UUID, versions: users.SyncVersions | None = None, *, programs: bool = True
) -> None:
    """Brings the user's read models up to date with what this transaction wrote. A caller that
    already hands out sync versions (a push, a recompute) passes its `versions` and saves them;
    otherwise the user's sync lock is taken here, and should have been taken before the caller's
    first write (a lock taken late can deadlock against a push that locks the user first). A
    caller that changed no program of the user passes `programs=False`: only the next session is
    brought up to date."""
    session.flush()
    if versions is None:
        own = users.SyncVersions(users.lock_for_sync(session, user_id))
        _refresh(session, user_id, own, programs)
        own.save()
    else:
        _refresh(session, user_id, versions, programs)


def refresh_next_session(session: Session, user_id: uuid.UUID, versions: users.SyncVersions) -> None:
    """`refresh` for a writer that can move only the next session (the recompute: prescriptions and
    insights), under the sync lock and with the versions it holds."""
    session.flush()
    _refresh_next_session(session, user_id, versions)


def refresh_followers(session: Session) -> int:
    """After the seed changed a starter or the catalog: every user who follows a program gets their
    next session rendered again (names, cues and slots may have changed). Returns how many users."""
    followers = read_models.users_following_a_program(session)
    for user_id in followers:
        refresh(session, user_id)
    return len(followers)


def backfill(session: Session) -> int:
    """Read models for users who have none yet (the accounts made before they existed); one query
    when every user has them. Returns how many users were filled."""
    missing = read_models.users_without_read_models(session)
    for user_id in missing:
        refresh(session, user_id)
    return len(missing)


def _refresh(session: Session, user_id: uuid.UUID, versions: users.SyncVersions, programs: bool) -> None:
    if programs:
        _refresh_programs(session, user_id, versions)
    _refresh_next_session(session, user_id, versions)


def _refresh_programs(session: Session, user_id: uuid.UUID, versions: users.SyncVersions) -> None:
    owned = read_models.owned_program_revisions(session, owner_id=user_id)
    stored = read_models.program_records(session, user_id=user_id)
    for program_id, revision in owned.items():
        record = stored.get(str(program_id))
        if record is None or record.deleted or record.revision != revision:
            _write_program(session, user_id, program_id, record, versions)
    for record in stored.values():
        if not record.deleted and uuid.UUID(record.id) not in owned:
            record.deleted, record.version = True, versions.next()


def _write_program(
    session: Session,
    user_id: uuid.UUID,
    program_id: uuid.UUID,
    record: ProgramRecord | None,
    versions: users.SyncVersions,
) -> None:
    plan = plans.program_plan(session, program_id)
    coach = partners.get_partner(session, plan.assigned_by) if plan.assigned_by else None
    if record is None:
        record = ProgramRecord(user_id=user_id, id=str(program_id))
    record.revision, record.name, record.summary = plan.revision, plan.name, plan.summary
    record.days_per_week = plan.days_per_week
    record.source_program_id = _text(plan.source_program_id)
    record.assigned_by, record.assigned_by_name = _text(plan.assigned_by), coach.name if coach else None
    record.days_json = json.dumps([_day(day) for day in plan.days], sort_keys=True)
    record.deleted, record.version = False, versions.next()
    session.add(record)


def _day(day: plans.DayPlan) -> dict[str, Any]:
    # Exercises by id only: the phone names them from its exercises and custom_exercises, so a
    # renamed own exercise does not make every program that uses it change.
    return {
        "id": str(day.id),
        "key": day.key,
        "name": day.name,
        "slots": [
            {"slot_id": f"{day.key}{slot.slot_index + 1}", "slot_index": slot.slot_index}
            | {column: getattr(slot, column) for column in plans.SLOT_COLUMNS}
            for slot in day.slots
        ],
    }


def _text(value: uuid.UUID | None) -> str | None:
    return str(value) if value is not None else None


def _refresh_next_session(session: Session, user_id: uuid.UUID, versions: users.SyncVersions) -> None:
    body = sessions.next_session(session, users.get(session, user_id))
    stored = read_models.find_planned_session(session, user_id=user_id)
    if body is None:
        if stored is not None and not stored.deleted:
            stored.deleted, stored.version = True, versions.next()
        return
    rendered = json.dumps(body, sort_keys=True)
    if stored is not None and not stored.deleted and stored.session_json == rendered:
        return
    if stored is None:
        stored = PlannedSession(user_id=user_id, id=NEXT)
    stored.program_id, stored.program_day_id = body["program_id"], body["day"]["id"]
    stored.day_name, stored.session_json = body["day"]["name"], rendered
    stored.deleted, stored.version = False, versions.next()
    session.add(stored)
