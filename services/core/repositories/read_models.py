"""The read models kept at write time (services/core/usecases/read_models.py). Scoped to the owner."""

import uuid
from collections.abc import Sequence

from sqlalchemy import bindparam, exists, func, select, union
from sqlalchemy.orm import Session

from services.core.models import (
    Enrollment,
    Insight,
    InsightList,
    PlannedSession,
    Program,
    ProgramRecord,
    User,
)
from services.core.repositories.users import signed_in


def owned_program_revisions(session: Session, *, owner_id: uuid.UUID) -> dict[uuid.UUID, int]:
    rows = session.execute(select(Program.id, Program.revision).where(Program.owner_id == owner_id))
    return {program_id: revision for program_id, revision in rows.all()}  # noqa: C416 (Row pairs)


def program_records(session: Session, *, user_id: uuid.UUID) -> dict[str, ProgramRecord]:
    """Every program record of the user, tombstones included."""
    return {r.id: r for r in session.scalars(select(ProgramRecord).where(ProgramRecord.user_id == user_id))}


def find_planned_session(session: Session, *, user_id: uuid.UUID) -> PlannedSession | None:
    return session.scalar(select(PlannedSession).where(PlannedSession.user_id == user_id))


def signed_in_planned_session(
    session: Session, *, user_id: uuid.UUID, session_id: uuid.UUID
) -> tuple[str | None, int | None, bool | None] | None:
    """(session_json, version, deleted) of the user's stored next session, all None without one;
    None when the account or the login session is gone. Authentication's check and the read in
    one statement."""
    row = session.execute(_SIGNED_IN_PLANNED_SESSION, {"user_id": user_id, "session_id": session_id}).first()
    if row is None:
        return None
    body, version, deleted = row
    return body, version, deleted


def signed_in_insight_list(
    session: Session, *, user_id: uuid.UUID, session_id: uuid.UUID, view: str
) -> tuple[str | None, int | None] | None:
    """(page_json, version) of one of the user's insight lists, both None without it; None when the
    account or the login session is gone. Authentication's check and the read in one statement."""
    params = {"user_id": user_id, "session_id": session_id, "view": view}
    row = session.execute(_SIGNED_IN_INSIGHT_LIST, params).first()
    if row is None:
        return None
    page_json, version = row
    return page_json, version


# Built once (users.signed_in says why).
_SIGNED_IN_PLANNED_SESSION = (
    select(PlannedSession.session_json, PlannedSession.version, PlannedSession.deleted)
    .select_from(User)
    .outerjoin(PlannedSession, PlannedSession.user_id == User.id)
    .where(signed_in())
)
_SIGNED_IN_INSIGHT_LIST = (
    select(InsightList.page_json, InsightList.version)
    .select_from(User)
    .outerjoin(InsightList, (InsightList.user_id == User.id) & (InsightList.view == bindparam("view")))
    .where(signed_in())
)


def find_insight_list(session: Session, *, user_id: uuid.UUID, view: str) -> InsightList | None:
    return session.get(InsightList, (user_id, view))


def insight_lists(session: Session, *, user_id: uuid.UUID) -> dict[str, InsightList]:
    return {r.view: r for r in session.scalars(select(InsightList).where(InsightList.user_id == user_id))}


def newest_insight_version(session: Session, *, user_id: uuid.UUID) -> int | None:
    """The version of the user's most recently written insight (ix_insights_user_version: one index
    probe); None without any."""
    return session.scalar(select(func.max(Insight.version)).where(Insight.user_id == user_id))


def users_following_a_program(session: Session) -> Sequence[uuid.UUID]:
    return session.scalars(select(Enrollment.user_id).order_by(Enrollment.user_id)).all()


def users_without_read_models(session: Session) -> Sequence[uuid.UUID]:
    """Users who follow a program but have no planned session, own programs but no record of any,
    or have insights but no insight lists: the accounts made before the read models existed."""
    no_session = select(Enrollment.user_id).where(
        ~exists().where(PlannedSession.user_id == Enrollment.user_id)
    )
    no_record = select(Program.owner_id).where(
        Program.owner_id.is_not(None),
        ~exists().where(ProgramRecord.user_id == Program.owner_id),
    )
    no_lists = select(Insight.user_id).where(~exists().where(InsightList.user_id == Insight.user_id))
    found = session.scalars(union(no_session, no_record, no_lists))
    return [user_id for user_id in found if user_id is not None]
