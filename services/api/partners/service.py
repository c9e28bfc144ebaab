"""A partner acting for a user: object-level authorization, workouts written through the sync
push, and the change feeds. Plain reads call the user-facing services with the granted user."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from services.api.history import service as history
from services.api.history.schemas import WorkoutRead
from services.api.insights.schemas import InsightRead
from services.api.pagination import bigint_key, decode_cursor, encode_cursor
from services.api.partners.schemas import (
    DeletedItem,
    InsightChange,
    InsightChangesPage,
    PartnerWorkoutIn,
    WorkoutChange,
    WorkoutChangesPage,
)
from services.api.sync import push
from services.api.sync.tables import WORKOUT_SETS
from services.core.errors import FieldError, InsufficientScope, InvalidInput, NotFound
from services.core.models import ApiKey, OAuthToken, User
from services.core.repositories import change_feeds, grants, users


@dataclass(frozen=True, slots=True)
class PartnerGrant:
    """The caller of a partner endpoint: which partner, through which grant, for which user."""

    partner_id: uuid.UUID
    grant_id: uuid.UUID
    user: User
    scopes: frozenset[str]


def authorize(
    session: Session, credential: ApiKey | OAuthToken, user_id: uuid.UUID, scope: str
) -> PartnerGrant:
    """Lets a partner reach a user's data only through an active grant covering `scope`, with an
    API key or with an access token for that user."""
    if isinstance(credential, OAuthToken):
        return _authorize_token(session, credential, user_id, scope)
    return _authorize_key(session, credential, user_id, scope)


def _authorize_key(session: Session, key: ApiKey, user_id: uuid.UUID, scope: str) -> PartnerGrant:
    """The key's own scopes are checked first: that answer is the same for every user, so it tells
    nothing about them. Without an active grant the user's data does not exist for the partner (404,
    like an unknown user); a grant that lacks the scope is a 403 the partner can act on.
    """
    if scope not in key.scopes:
        raise InsufficientScope(scope)
    grant = grants.find_active_grant(session, user_id=user_id, partner_id=key.partner_id)
    if grant is None:
        raise NotFound("user", user_id)
    if scope not in grant.scopes:
        raise InsufficientScope(scope)
    return _granted(
        session, key.partner_id, grant.id, user_id, frozenset(grant.scopes) & frozenset(key.scopes)
    )


def _authorize_token(session: Session, token: OAuthToken, user_id: uuid.UUID, scope: str) -> PartnerGrant:
    """A token reaches its own user only: any other user is as unknown to it as one who never
    granted the partner (404). Its scopes are what the user approved for it, narrowed by a later
    consent that gave fewer (the grant's current scopes)."""
    grant = None
    if token.user_id == user_id:
        grant = grants.find_active_grant(session, user_id=user_id, partner_id=token.partner_id)
    if grant is None or grant.id != token.grant_id:
        raise NotFound("user", user_id)
    scopes = frozenset(token.scopes) & frozenset(grant.scopes)
    if scope not in scopes:
        raise InsufficientScope(scope)
    return _granted(session, token.partner_id, grant.id, user_id, scopes)


def _granted(
    session: Session, partner_id: uuid.UUID, grant_id: uuid.UUID, user_id: uuid.UUID, scopes: frozenset[str]
) -> PartnerGrant:
    user = users.get(session, user_id)
    # End the authorization read, as `current_user` does (SQLite holds its lock per transaction).
    session.commit()
    return PartnerGrant(partner_id, grant_id, user, scopes)


def create_workout(
    session: Session,
    user: User,
    body: PartnerWorkoutIn,
    on_change: Callable[[uuid.UUID], None],
) -> WorkoutRead:
    """Stores a workout and its sets as a one-workout push: the same checks, the same writes,
    the same outbox row for the recompute."""
    workout_id = uuid.uuid4().hex
    # As plain data: the model is built from the sync schema's fields (create_model), which a
    # type checker cannot see as attributes.
    data = body.model_dump()
    workout = {k: v for k, v in data.items() if k != "sets"} | {
        "id": workout_id,
        "started_at": _ms(data["started_at"]),
        "ended_at": _ms(data["ended_at"]),
    }
    sets = [
        s | {"id": f"{workout_id}-{index}", "workout_id": workout_id, "performed_at": _ms(s["performed_at"])}
        for index, s in enumerate(data["sets"])
    ]
    try:
        push.apply_push(
            session,
            user,
            {"workouts": {"created": [workout]}, "workout_sets": {"created": sets}},
            None,
            on_change=on_change,
        )
    except InvalidInput as exc:
        raise _in_request_terms(exc) from exc
    return history.get_workout(session, user, workout_id)


def workout_changes(
    session: Session, user: User, *, since: datetime | None, limit: int, cursor: str | None
) -> WorkoutChangesPage:
    rows = change_feeds.workout_changes(
        session, user_id=user.id, since=since, after_version=feed_position(cursor), limit=limit + 1
    )
    page = rows[:limit]
    live = {w.id: w for w in history.with_sets(session, user, [w for w, _, _ in page if not w.deleted])}
    items: list[WorkoutChange | DeletedItem] = [
        DeletedItem(id=w.id, changed_at=changed_at)
        if w.deleted
        else WorkoutChange(**live[w.id].model_dump(), changed_at=changed_at)
        for w, changed_at, _ in page
    ]
    last = page[-1][2] if page else feed_position(cursor)
    return WorkoutChangesPage(
        items=items,
        next_cursor=next_page_cursor(last if len(rows) > limit else None),
        poll_cursor=poll_cursor_at(last),
    )


def insight_changes(
    session: Session, user: User, *, since: datetime | None, limit: int, cursor: str | None
) -> InsightChangesPage:
    rows = change_feeds.insight_changes(
        session, user_id=user.id, since=since, after_version=feed_position(cursor), limit=limit + 1
    )
    items: list[InsightChange | DeletedItem] = [
        DeletedItem(id=i.id, changed_at=i.server_updated_at)
        if i.deleted
        else InsightChange(**InsightRead.model_validate(i).model_dump(), changed_at=i.server_updated_at)
        for i in rows[:limit]
    ]
    last = rows[:limit][-1].version if rows else feed_position(cursor)
    return InsightChangesPage(
        items=items,
        next_cursor=next_page_cursor(last if len(rows) > limit else None),
        poll_cursor=poll_cursor_at(last),
    )


def feed_position(cursor: str | None) -> int | None:
    """A change feed's cursor holds the sync version of the last change it listed."""
    key = decode_cursor(cursor, bigint_key)
    return None if key is None else key[0]


def next_page_cursor(version: int | None) -> str | None:
    return None if version is None else encode_cursor([version])


def poll_cursor_at(version: int | None) -> str:
    return encode_cursor([0 if version is None else version])


def _ms(moment: datetime | None) -> int | None:
    return None if moment is None else int(moment.timestamp() * 1000)


def _in_request_terms(exc: InvalidInput) -> InvalidInput:
    """Push errors name tables and generated ids; a partner sent `started_at` and `sets[2]`."""
    errors = []
    for error in exc.extra.get("errors", []):
        field = error.get("field")
        if error.get("table") == WORKOUT_SETS.name and error.get("id"):
            index = error["id"].rsplit("-", 1)[-1]
            field = f"sets.{index}" + (f".{field}" if field else "")
        errors.append(FieldError(field=field or "body", message=error["message"]))
    return InvalidInput(f"{len(errors)} problem(s) in the workout; nothing was stored.", errors)
