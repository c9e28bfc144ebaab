"""Insights (read, accept, dismiss), weekly volume and e1RM progress of the caller."""

import uuid
from datetime import timedelta

from fastapi import Response
from sqlalchemy.orm import Session, sessionmaker

from services import training
from services.api.auth.callers import session_ended
from services.api.auth.tokens import AccessClaims
from services.api.insights.schemas import (
    InsightAnswer,
    InsightRead,
    ProgramChangeRead,
    ProgressRead,
    VolumeRead,
    WeekE1rmRead,
    WeekVolumeRead,
)
from services.api.pagination import PAGE_SIZE, Page, each, page_of, text_key, time_cursor, time_key
from services.api.stored import stored_answer
from services.core.db import read_in_autocommit
from services.core.errors import Conflict
from services.core.models import User
from services.core.models.base import utcnow
from services.core.repositories import catalog, insights, outbox, users
from services.core.repositories.read_models import find_insight_list, signed_in_insight_list
from services.core.usecases import advice, read_models
from services.core.usecases.recompute import body_weights, custom_exercises, logged_workouts, profile
from services.training.types import InsightStatus
from services.training.units import lb_for

# The status filter → the stored insight list that answers its first page.
STORED_VIEWS = {status: view for view, status in read_models.INSIGHT_VIEWS.items()}


def list_insights(
    session: Session,
    user: User,
    *,
    status: str | None,
    kind: str | None,
    limit: int,
    cursor: str | None,
    if_none_match: str | None = None,
) -> Page[InsightRead] | Response:
    """The first page of all or of the open insights is a read model (`insight_lists`), served as
    stored with its ETag; other filters and pages, and a user whose lists the seed has not
    rendered yet, read live."""
    view = _stored_view(status, kind, limit, cursor)
    if view is not None:
        read_in_autocommit(session)
        stored = find_insight_list(session, user_id=user.id, view=view)
        if stored is not None:
            return stored_answer(stored.page_json, stored.version, if_none_match)
    return _live_page(session, user.id, status=status, kind=kind, limit=limit, cursor=cursor)


def list_my_insights(
    factory: sessionmaker[Session],
    claims: AccessClaims,
    *,
    status: str | None,
    kind: str | None,
    limit: int,
    cursor: str | None,
    if_none_match: str | None = None,
) -> Page[InsightRead] | Response:
    """`list_insights` of the caller in one session opened and closed here (the route's one
    thread-pool hop), a stored page read in the statement of authentication's session check."""
    view = _stored_view(status, kind, limit, cursor)
    with factory() as session:
        read_in_autocommit(session)
        if view is None:
            if users.find_signed_in(session, user_id=claims.user_id, session_id=claims.session_id) is None:
                raise session_ended()
        else:
            found = signed_in_insight_list(
                session, user_id=claims.user_id, session_id=claims.session_id, view=view
            )
            if found is None:
                raise session_ended()
            page_json, version = found
            if page_json is not None and version is not None:
                return stored_answer(page_json, version, if_none_match)
        return _live_page(session, claims.user_id, status=status, kind=kind, limit=limit, cursor=cursor)


def _stored_view(status: str | None, kind: str | None, limit: int, cursor: str | None) -> str | None:
    """The stored list that answers this page, if one does."""
    return STORED_VIEWS.get(status) if cursor is None and kind is None and limit == PAGE_SIZE else None


def _live_page(
    session: Session,
    user_id: uuid.UUID,
    *,
    status: str | None,
    kind: str | None,
    limit: int,
    cursor: str | None,
) -> Page[InsightRead]:
    before = time_cursor(cursor, text_key)
    rows = insights.list_insights(
        session,
        user_id=user_id,
        status=status,
        kind=kind,
        before=before,
        limit=limit + 1,
    )
    return page_of(rows, limit, each(InsightRead.model_validate), lambda i: time_key(i.updated_at, i.id))


def set_status(session: Session, user: User, insight_id: str, status: InsightStatus) -> InsightAnswer:
    """Accepting a deload changes next week's prescriptions, and accepting an alert that adds
    exercises puts them in the followed program; dismissing starts the rule's cooldown."""
    user = users.lock_for_sync(session, user.id)
    insight = insights.get_insight(session, user_id=user.id, insight_id=insight_id)
    if insight.status == status:
        return InsightAnswer.model_validate(insight)  # answering twice is harmless
    if insight.status != "open":
        raise Conflict(f"This insight is {insight.status}; only open insights can be accepted or dismissed.")
    versions = users.SyncVersions(user)
    insights.change_status(insight, status=status, version=versions.next(), now=utcnow())
    change = advice.land_accepted(session, user.id, insight) if status == "accepted" else None
    read_models.refresh(session, user.id, versions)
    versions.save()
    outbox.record_user_change(session, user.id, versions.last)
    session.commit()
    answer = InsightAnswer.model_validate(insight)
    if change is not None:
        answer.program_change = ProgramChangeRead.model_validate(change, from_attributes=True)
    return answer


def volume(session: Session, user: User, weeks: int) -> VolumeRead:
    now = utcnow()
    history = logged_workouts(session, user.id, now - timedelta(weeks=weeks + 1))
    own = custom_exercises(session, user.id)
    return VolumeRead(
        weeks=[
            WeekVolumeRead(
                week_start=w.week_start,
                hard_sets=dict(w.muscles),
                patterns=dict(w.patterns),
                total_hard_sets=w.hard_sets,
                hamstring_quad_ratio=w.hamstring_quad_ratio,
            )
            for w in training.weekly_volume(history, profile(user), now, weeks, custom_exercises=own)
        ]
    )


def progress(session: Session, user: User, exercise_id: str, weeks: int) -> ProgressRead:
    own = custom_exercises(session, user.id)
    if exercise_id not in {exercise.id for exercise in own}:
        catalog.get_exercise(session, exercise_id)  # neither the user's nor the catalog's: 404
    now = utcnow()
    history = logged_workouts(session, user.id, now - timedelta(weeks=weeks + 1))
    user_profile = profile(user)
    rows = training.weekly_best_e1rm(
        history,
        user_profile,
        now,
        exercise_id,
        weeks,
        custom_exercises=own,
        body_weights=body_weights(session, user),  # body-weight exercises get an e1RM (§1.7)
    )
    unit = user_profile.unit
    return ProgressRead(
        exercise_id=exercise_id,
        unit=unit,
        weeks=[
            WeekE1rmRead(
                week_start=r.week_start,
                e1rm=None if r.e1rm_kg is None else round(training.from_kg(r.e1rm_kg, unit), 1),
                e1rm_kg=r.e1rm_kg,
                brzycki_kg=r.brzycki_kg,
                e1rm_lb=lb_for(r.e1rm_kg, unit),
            )
            for r in rows
        ],
    )
