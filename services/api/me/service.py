"""The caller's own settings, enrollment and next session, and the deletion of the account."""

import uuid

from fastapi import Response
from sqlalchemy.orm import Session, sessionmaker

from services.api.auth.callers import session_ended
from services.api.auth.service import confirm_password, validate_timezone
from services.api.auth.tokens import AccessClaims
from services.api.me.schemas import AccountDeletion, EnrollmentIn, EnrollmentRead, MePatch
from services.api.ratelimit import LoginLimits
from services.api.stored import stored_answer
from services.core.db import read_in_autocommit
from services.core.errors import NotFound
from services.core.models import Enrollment, Program, User
from services.core.models.base import utcnow
from services.core.repositories import aggregates, programs, users, webhooks
from services.core.repositories.read_models import find_planned_session, signed_in_planned_session
from services.core.usecases import erasure, read_models, recompute


def update_me(session: Session, user: User, patch: MePatch) -> User:
    changes = patch.model_dump(exclude_unset=True, exclude_none=True)
    if "timezone" in changes:
        validate_timezone(changes["timezone"])
    user = users.lock_for_sync(session, user.id)
    new_unit = changes.get("unit", user.unit) != user.unit
    for key, value in changes.items():
        setattr(user, key, value)
    if aggregates.kept(session) and not aggregates.current(user):  # weeks are local (§1.2)
        aggregates.rebuild(session, user)
    if new_unit:  # the unit is the grid every load is computed on (§2.8): the loads move at once
        recompute.recompute_user(session, user.id)
    else:
        read_models.refresh(session, user.id)  # the weak point shows in the next session
    session.commit()
    return user


def delete_me(session: Session, user: User, body: AccountDeletion, limits: LoginLimits) -> None:
    confirm_password(user, body.password, limits)
    erasure.delete_account(session, user.id, utcnow())
    session.commit()


def enroll(session: Session, user: User, body: EnrollmentIn) -> EnrollmentRead:
    program = programs.get_visible(session, user_id=user.id, program_id=body.program_id)
    return enroll_in(session, user, program, body)


def enroll_in(
    session: Session, user: User, program: Program, body: EnrollmentIn, *, by_partner: uuid.UUID | None = None
) -> EnrollmentRead:
    """Enrolls `user` in `program`, which the caller checked they may follow, and commits. A coach
    whose program the enrollment leaves hears of it, unless it moved the user itself."""
    users.lock_for_sync(session, user.id)
    enrollment = programs.find_enrollment(session, user_id=user.id)
    if enrollment is None:
        enrollment = Enrollment(user_id=user.id)
        session.add(enrollment)
    elif enrollment.program_id != program.id:
        left = programs.get_program(session, enrollment.program_id)
        webhooks.record_program_changed(session, left, "left", by_partner=by_partner)
    enrollment.program_id, enrollment.start_date = program.id, body.start_date
    read_models.refresh(session, user.id)
    session.commit()
    return EnrollmentRead(program_id=program.id, program_name=program.name, start_date=body.start_date)


def leave(session: Session, user: User) -> None:
    """Ends the enrollment: no program is followed, so there is no next session until the user
    enrolls again. The program stays the user's."""
    users.lock_for_sync(session, user.id)
    enrollment = programs.get_enrollment(session, user_id=user.id)
    webhooks.record_program_changed(session, programs.get_program(session, enrollment.program_id), "left")
    session.delete(enrollment)
    read_models.refresh(session, user.id)
    session.commit()


def get_enrollment(session: Session, user: User) -> EnrollmentRead:
    enrollment = programs.get_enrollment(session, user_id=user.id)
    program = programs.get_program(session, enrollment.program_id)
    return EnrollmentRead(program_id=program.id, program_name=program.name, start_date=enrollment.start_date)


def next_session(session: Session, user: User, if_none_match: str | None = None) -> Response:
    """The stored next session (a read model kept by every write that changes it): one indexed
    read. `ETag` is its sync version, so a phone polling with `If-None-Match` gets a 304."""
    read_in_autocommit(session)
    stored = find_planned_session(session, user_id=user.id)
    if stored is None:
        raise NotFound("enrollment", user.id)
    return _stored_next_session(user.id, stored.session_json, stored.version, stored.deleted, if_none_match)


def my_next_session(
    factory: sessionmaker[Session], claims: AccessClaims, if_none_match: str | None = None
) -> Response:
    """`next_session` of the caller, with authentication's session check in the same statement,
    in one session opened and closed here: the route's one thread-pool hop."""
    with factory() as session:
        read_in_autocommit(session)
        found = signed_in_planned_session(session, user_id=claims.user_id, session_id=claims.session_id)
    if found is None:
        raise session_ended()
    return _stored_next_session(claims.user_id, *found, if_none_match)


def _stored_next_session(
    user_id: uuid.UUID, body: str | None, version: int | None, deleted: bool | None, if_none_match: str | None
) -> Response:
    if body is None or version is None or deleted:  # no next session while no program is followed
        raise NotFound("enrollment", user_id)
    return stored_answer(body, version, if_none_match)
