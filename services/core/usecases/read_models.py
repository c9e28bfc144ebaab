"""Read models kept at write time (ARCHITECTURE.md, "Read models"): a user's own programs as
phones pull them (`program_records`), their next session, rendered (`planned_sessions`), and the
first page of their insights, rendered (`insight_lists`).

Every write that can change them calls `refresh` in its own transaction, under the user's sync
lock, before it commits: the push (pushed insight statuses too), the recompute, enrolling and
leaving, a program's creation, edit, substitution and deletion, accepted or dismissed advice, a
coach's assignment, a settings change, and the seed when a starter or the catalog changes. A read
model that comes out the same is not rewritten, so it keeps its sync version and nothing is pulled
again.
"""

import json
import uuid
from collections.abc import Sequence
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import RowMapping
from sqlalchemy.orm import Session

from services.core.cursors import PAGE_SIZE, encode_cursor, time_key
from services.core.models import InsightList, PlannedSession, ProgramRecord
from services.core.repositories import insights, partners, read_models, users
from services.core.usecases import plans, sessions

NEXT = "next"  # the id of the one planned_sessions row a user has
# The insight lists kept, by view: the status filter of GET /v1/me/insights each one answers.
INSIGHT_VIEWS: dict[str, str | None] = {"all": None, "open": "open"}
# Serialises like the API's response models: pydantic's JSON of datetimes, dates and JSON columns.
_PAGE_JSON = TypeAdapter(dict[str, Any])


def refresh(
    session: Session,
    user_id: uuid.UUID,
    versions: users.SyncVersions | None = None,
    *,
    programs: bool = True,
    insight_lists: bool = True,
) -> None:
    """Brings the user's read models up to date with what this transaction wrote. A caller that
    already hands out sync versions (a push, a recompute) passes its `versions` and saves them;
    otherwise the user's sync lock is taken here, and should have been taken before the caller's
    first write (a lock taken late can deadlock against a push that locks the user first). A
    caller that changed no program of the user passes `programs=False`, one that changed no insight
    `insight_lists=False`: those read models are left as they are."""
    session.flush()
    if versions is None:
        own = users.SyncVersions(users.lock_for_sync(session, user_id))
        _refresh(session, user_id, own, programs, insight_lists)
        own.save()
    else:
        _refresh(session, user_id, versions, programs, insight_lists)


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


def insight_page_json(rows: Sequence[RowMapping], limit: int = PAGE_SIZE) -> str:
    """A first page of insights as GET /v1/me/insights serves it (`Page[InsightRead]`, serialised
    by pydantic like every answer), from `limit + 1` rows of `insights.first_served_insights`."""
    shown = rows[:limit]
    more = len(rows) > limit
    page = {
        "items": [dict(row) for row in shown],
        "next_cursor": encode_cursor(time_key(shown[-1]["updated_at"], shown[-1]["id"])) if more else None,
    }
    return _PAGE_JSON.dump_json(page).decode()


def _refresh(
    session: Session, user_id: uuid.UUID, versions: users.SyncVersions, programs: bool, insight_lists: bool
) -> None:
    if programs:
        _refresh_programs(session, user_id, versions)
    _refresh_next_session(session, user_id, versions)
    if insight_lists:
        _refresh_insight_lists(session, user_id)


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


def _refresh_insight_lists(session: Session, user_id: uuid.UUID) -> None:
    # Every insight write takes a new sync version, so when the newest one is the one the lists
    # were rendered from, no insight changed: one index probe, and a push without insight
    # changes renders nothing.
    newest = read_models.newest_insight_version(session, user_id=user_id)
    stored = read_models.insight_lists(session, user_id=user_id)
    if newest is None and not stored:
        return
    newest = newest or 0
    if all(view in stored and stored[view].insights_version == newest for view in INSIGHT_VIEWS):
        return
    for view, status in INSIGHT_VIEWS.items():
        rows = insights.first_served_insights(session, user_id=user_id, status=status, limit=PAGE_SIZE + 1)
        page = insight_page_json(rows)
        row = stored.get(view) or InsightList(user_id=user_id, view=view)
        if row.page_json != page:
            # The version of the write that changed it: newer than any earlier page's, so the ETag moves.
            row.page_json, row.version = page, newest
        row.insights_version = newest
        session.add(row)
