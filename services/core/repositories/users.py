import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import ColumnElement, Exists, and_, bindparam, exists, or_, select, update
from sqlalchemy.orm import Session

from services.core.errors import NotFound
from services.core.models import (
    BodyWeight,
    CustomExercise,
    EquipmentProfile,
    Grant,
    PainReport,
    RefreshToken,
    User,
    Workout,
)


def get(session: Session, user_id: uuid.UUID) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("user", user_id)
    return user


def find_signed_in(session: Session, *, user_id: uuid.UUID, session_id: uuid.UUID) -> User | None:
    """The user, unless the account is gone or the login session was ended (logout, or a reused
    refresh token). One statement: it runs for every request with an access token."""
    return session.scalar(_FIND_SIGNED_IN, {"user_id": user_id, "session_id": session_id})


def signed_in() -> ColumnElement[bool]:
    """The condition on `users` of `find_signed_in`, on the parameters `user_id` and `session_id`,
    for reads that check it in their own statement. Statements built on it are built once, at
    import: building one and its cache key costs more than a request's whole read."""
    ended = exists().where(
        RefreshToken.user_id == bindparam("user_id"),
        RefreshToken.family_id == bindparam("session_id"),
        RefreshToken.revoked_at.is_not(None),
    )
    return and_(User.id == bindparam("user_id"), ~ended)


_FIND_SIGNED_IN = select(User).where(signed_in())


def find_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == email.lower()))


def lock_for_sync(session: Session, user_id: uuid.UUID) -> User:
    """Takes the user's write lock and returns the user as locked (current sync version).

    Every write a device can pull holds this lock until commit, so versions are committed in
    order and a pull's snapshot never misses a lower version committed later.
    """
    # populate_existing: a User the session already holds (the caller's, from authentication)
    # is refreshed with the locked row instead of keeping what it read before the lock.
    stmt = select(User).where(User.id == user_id).with_for_update().execution_options(populate_existing=True)
    user = session.scalar(stmt)
    if user is None:
        raise NotFound("user", user_id)
    return user


def lock_for_push(session: Session, user_id: uuid.UUID) -> tuple[User, bool]:
    """`lock_for_sync`, and whether the user has a live grant, in the same round trip: without one
    no partner endpoint can listen to their pushes, so the push of the many users without partners
    skips the subscription query.

    A grant committed between this read and the push's commit is not seen: the push then records
    no `workout.synced` event, as if it had committed just before the grant.
    """
    user, (granted,) = _lock_with(session, user_id, _live_grant(user_id))
    return user, granted


class Has(NamedTuple):
    """Which of the rows a recompute reads the user has at all (tombstones count): a read of a kind
    they have none of is skipped. `HAS_ALL` reads everything."""

    grant: bool = True  # a live one: a partner may listen to new insights
    pain_reports: bool = True
    custom_exercises: bool = True
    equipment_profile: bool = True
    body_weights: bool = True


HAS_ALL = Has()


def lock_for_recompute(session: Session, user_id: uuid.UUID) -> tuple[User, Has]:
    """`lock_for_sync`, and `Has`, in the same round trip (as `lock_for_push`): most users have no
    partner, pain report, own exercise, gym or weigh-in, and each of those reads is a round trip."""
    owned = [exists().where(model.user_id == user_id) for model in _OPTIONAL_INPUTS]
    user, flags = _lock_with(session, user_id, _live_grant(user_id), *owned)
    return user, Has(*flags)


_OPTIONAL_INPUTS = (PainReport, CustomExercise, EquipmentProfile, BodyWeight)


def _live_grant(user_id: uuid.UUID) -> Exists:
    return exists().where(Grant.user_id == user_id, Grant.revoked_at.is_(None))


def _lock_with(session: Session, user_id: uuid.UUID, *conditions: Exists) -> tuple[User, tuple[bool, ...]]:
    stmt = (
        select(User, *conditions)
        .where(User.id == user_id)
        .with_for_update(of=User)  # the user's row only, as lock_for_sync
        .execution_options(populate_existing=True)
    )
    row = session.execute(stmt).first()
    if row is None:
        raise NotFound("user", user_id)
    return row[0], tuple(bool(flag) for flag in row[1:])


class SyncVersions:
    """Hands out a locked user's next sync versions: one per changed row, so a pull can page
    through the rows in version order and resume after any of them (sync-protocol.md, "Paging").

    Only valid under the user's sync lock (`lock_for_sync`), which also orders the commits;
    `save()` stores the last version given, in one write however many rows changed.
    """

    def __init__(self, user: User) -> None:
        self._user = user
        self.last = user.sync_version

    def next(self) -> int:
        self.last += 1
        return self.last

    def take(self, count: int) -> list[int]:
        first = self.last + 1
        self.last += count
        return list(range(first, self.last + 1))

    def save(self) -> None:
        self._user.sync_version = self.last


def find_refresh_token(session: Session, token_hash: str) -> RefreshToken | None:
    return session.scalar(select(RefreshToken).where(RefreshToken.token_hash == token_hash).with_for_update())


def revoke_family(session: Session, *, user_id: uuid.UUID, family_id: uuid.UUID, now: datetime) -> None:
    session.execute(
        update(RefreshToken)
        .where(
            RefreshToken.user_id == user_id,
            RefreshToken.family_id == family_id,
            RefreshToken.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )


def lock_weekly_candidates(
    session: Session, *, active_since_ms: int, marked_before: date, after: uuid.UUID | None, limit: int
) -> Sequence[User]:
    """For the weekly fan-out: up to `limit` users after `after` (ordered by id) with a workout
    since `active_since_ms` and no end-of-week mark since `marked_before`, locked (SKIP LOCKED)."""
    active = exists().where(
        Workout.user_id == User.id, Workout.deleted.is_(False), Workout.started_at >= active_since_ms
    )
    stmt = (
        select(User)
        .where(
            active,
            or_(User.weekly_recompute_week.is_(None), User.weekly_recompute_week < marked_before),
        )
        .order_by(User.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    if after is not None:
        stmt = stmt.where(User.id > after)
    return session.scalars(stmt).all()


def revoke_sessions(
    session: Session, *, user_id: uuid.UUID, now: datetime, keep: uuid.UUID | None = None
) -> None:
    """Ends every login session of the user (each family of refresh tokens, and with it the
    access tokens naming it), except `keep`."""
    stmt = update(RefreshToken).where(RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None))
    if keep is not None:
        stmt = stmt.where(RefreshToken.family_id != keep)
    session.execute(stmt.values(revoked_at=now))
