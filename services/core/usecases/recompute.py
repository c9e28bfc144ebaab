"""Recomputing one user's insights and prescriptions: load the logs, run the pure training
engine, write what changed. Shared by the Celery task and the embedded in-process runner.

Idempotent: the same logs at the same `now` give the same rows, and a row whose content did not
change is not rewritten (so phones do not pull it again).
"""

import dataclasses
import hashlib
import itertools
import operator
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from services import training
from services.core.models import Insight, Prescription, User, WorkoutSet
from services.core.models.base import utcnow
from services.core.models.insights import INSIGHT_CONTENT_COLUMNS, PRESCRIPTION_COLUMNS
from services.core.repositories import (
    aggregates,
    equipment,
    insights,
    outbox,
    programs,
    sync,
    users,
    workouts,
)
from services.core.repositories import custom_exercises as custom_exercise_rows
from services.core.repositories import webhooks as webhook_events
from services.core.usecases import plans, read_models

# The engine's set fields that workout_sets stores, performed_at last: the logs query selects the
# columns of the same names in this order, so a row maps onto a WorkoutSet positionally (a field
# without a column keeps the engine's default).
SET_FIELDS = (
    *(
        field.name
        for field in dataclasses.fields(training.WorkoutSet)
        if field.name != "performed_at" and field.name in WorkoutSet.__table__.c
    ),
    "performed_at",
)


@dataclass(frozen=True)
class RecomputeResult:
    insights_written: int
    prescriptions_written: int
    prescriptions_removed: int
    new_insights: tuple[str, ...]  # ids of insights created by this run (for webhooks)

    @property
    def changed(self) -> bool:
        return bool(self.insights_written or self.prescriptions_written or self.prescriptions_removed)


def recompute_user(session: Session, user_id: uuid.UUID, *, now: datetime | None = None) -> RecomputeResult:
    """Runs in the caller's transaction under the user's sync lock; the caller commits."""
    now = now or datetime.now(UTC)
    # What the user has at all rides with the lock: the reads of what they have none of (a
    # partner's grant, pain reports, own exercises, a gym, weigh-ins) are skipped.
    user, has = users.lock_for_recompute(session, user_id)
    output = training.evaluate(engine_input(session, user, now, has=has))
    # One version per changed row; a recompute that changes nothing keeps the cursor.
    versions = users.SyncVersions(user)
    written, created = _write_insights(session, user_id, output.insights, now, versions)
    if has.grant:  # in this transaction: partners hear of exactly the insights that were committed
        webhook_events.record_insight_events(session, user_id=user_id, created=created)
    rx_written, rx_removed = _write_prescriptions(session, user_id, output.prescriptions, versions)
    # Insights and prescriptions are all a recompute writes: of the read models, the next session
    # (it shows the prescriptions) and the insight lists can move; the user's programs cannot.
    read_models.refresh(session, user_id, versions, programs=False, insight_lists=bool(written))
    versions.save()
    # Under the user's lock no push is in flight, so every logged change is in this run's output.
    outbox.mark_processed(session, user_id=user_id, now=utcnow())
    return RecomputeResult(written, rx_written, rx_removed, tuple(row.id for row in created))


def engine_input(
    session: Session, user: User, now: datetime, *, summarised: bool = True, has: users.Has = users.HAS_ALL
) -> training.EngineInput:
    """The engine's input: sets one by one from `training.set_by_set_since` (and the Nordic and GHR
    sets of the whole history), the older weeks as their weekly aggregates (training-rules.md
    §1.8). `summarised=False` reads every week set by set (the same output: a test holds them to
    it), as embedded SQLite always does. `has` skips the reads of what the user has none of."""
    person = profile(user)
    existing = [_existing(i) for i in insights.all_insights(session, user_id=user.id)]
    since = training.history_since(person, now)
    set_by_set = since
    if summarised and aggregates.kept(session):
        set_by_set = training.set_by_set_since(person, now, existing)
        if not aggregates.current(user):  # never built, or built before a change of calendar
            aggregates.rebuild(session, user)
    pain = (
        workouts.recent_pain_reports(
            session, user_id=user.id, since_ms=_ms(now - timedelta(weeks=training.HISTORY_WEEKS))
        )
        if has.pain_reports
        else []
    )
    return training.EngineInput(
        user=person,
        now=now,
        workouts=logged_workouts(session, user.id, _local_start(since, user), _local_start(set_by_set, user)),
        pain_reports=[
            training.PainReport(
                id=p.id,
                body_part=p.body_part,
                side=p.side,
                severity=p.severity,
                reported_at=_at(p.reported_at),
            )
            for p in pain
        ],
        insights=existing,
        program=_plan(session, user.id),
        custom_exercises=custom_exercises(session, user.id) if has.custom_exercises else [],
        equipment=equipment_profile(session, user.id) if has.equipment_profile else None,
        body_weights=body_weights(session, user) if has.body_weights else [],
        weekly=weekly_aggregates(session, user.id, since, set_by_set),
    )


def weekly_aggregates(
    session: Session, user_id: uuid.UUID, since: date, until: date
) -> list[training.WeeklyAggregate]:
    """The stored aggregates of the weeks in [since, until), but the exercises read set by set."""
    if until <= since:
        return []
    rows = aggregates.before(
        session, user_id=user_id, since=since, until=until, without=training.WHOLE_HISTORY_EXERCISES
    )
    return [
        training.WeeklyAggregate(
            week_start=week,
            exercise_id=exercise_id,
            hard_sets=hard_sets,
            first_hard_at=None if first_hard_at is None else _at(first_hard_at),
        )
        for week, exercise_id, hard_sets, first_hard_at in rows
    ]


def equipment_profile(session: Session, user_id: uuid.UUID) -> training.EquipmentProfile | None:
    """The user's gym as the engine reads it; None: the default gym of the user's unit (§2.8)."""
    row = equipment.find_profile(session, user_id=user_id)
    return None if row is None else training.profile_from_json(row.profile)


def body_weights(session: Session, user: User) -> list[training.BodyWeight]:
    """The user's weigh-ins (§1.7), each on the local day it was measured."""
    zone = ZoneInfo(user.timezone)
    return [
        training.BodyWeight(
            on=datetime.fromtimestamp(row.measured_on / 1000, zone).date(),
            value=row.weight,
            unit="lb" if row.unit == "lb" else "kg",
        )
        for row in workouts.body_weights(session, user_id=user.id)
    ]


def custom_exercises(session: Session, user_id: uuid.UUID) -> list[training.CustomExercise]:
    """The user's own exercises as the engine reads them (§0.3), archived ones included: the sets
    logged with an exercise keep its credit after the user removes it from the picker."""
    return [
        training.CustomExercise(**row.declared())
        for row in custom_exercise_rows.all_of(session, user_id=user_id).values()
    ]


def profile(user: User) -> training.UserProfile:
    return training.UserProfile(
        timezone=user.timezone,
        week_start=user.week_start,
        goal=user.goal,
        hamstrings_weak_point=user.hamstrings_weak_point,
        unit="lb" if user.unit == "lb" else "kg",
    )


def logged_workouts(
    session: Session, user_id: uuid.UUID, since: datetime, set_by_set_since: datetime | None = None
) -> list[training.Workout]:
    """The sets placed since `since`, grouped by workout; with `set_by_set_since`, only those
    placed since then and the whole-history exercises' (§1.8)."""
    rows = workouts.sets_placed_since(
        session,
        user_id=user_id,
        since_ms=_ms(since),
        set_by_set_since_ms=_ms(set_by_set_since or since),
        whole_history=training.WHOLE_HISTORY_EXERCISES,
        set_columns=SET_FIELDS,
    )
    return [
        training.Workout(id=workout_id, started_at=_at(started_at), sets=_sets(group))
        for (workout_id, started_at), group in itertools.groupby(rows, key=operator.itemgetter(0, 1))
    ]


def _sets(rows: Iterable[Sequence[Any]]) -> list[training.WorkoutSet]:
    """Rows of (workout id, started_at, *SET_FIELDS)."""
    return [
        training.WorkoutSet(
            **dict(zip(SET_FIELDS[:-1], row[2:-1], strict=True)),
            performed_at=None if row[-1] is None else _at(row[-1]),
        )
        for row in rows
    ]


def _local_start(day: date, user: User) -> datetime:
    """The first instant of a local day of the user (§1.2)."""
    return datetime.combine(day, time(), ZoneInfo(user.timezone))


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def _at(epoch_ms: int) -> datetime:
    return datetime.fromtimestamp(epoch_ms / 1000, UTC)


def _existing(row: Insight) -> training.ExistingInsight:
    return training.ExistingInsight(
        id=row.id,
        kind=row.kind,
        subject=row.subject,
        status=row.status,
        severity=row.severity,
        evidence=row.evidence,
        created_at=row.created_at,
        updated_at=row.updated_at,
        status_changed_at=row.status_changed_at,
        rule_id=row.rule_id,
        week_start=row.week_start,
        title=row.title,
        explanation=row.explanation,
        recommendation=row.recommendation,
    )


def _plan(session: Session, user_id: uuid.UUID) -> training.ProgramPlan | None:
    found = programs.find_enrollment_and_revision(session, user_id=user_id)
    if found is None:
        return None
    enrollment, revision = found
    # The plan shared with the next-session reads (services.core.usecases.plans): cached per process, so
    # no program query per user; re-shaped for the engine, which costs microseconds.
    return plans.engine_plan(plans.program_plan(session, enrollment.program_id, revision))


def _write_insights(
    session: Session,
    user_id: uuid.UUID,
    found: Sequence[training.InsightOut],
    now: datetime,
    versions: users.SyncVersions,
) -> tuple[int, list[Insight]]:
    stored = insights.insights_by_id(
        session, user_id=user_id, ids=[f.existing_id for f in found if f.existing_id]
    )
    written, created = 0, []
    # Expirations first: the one-open-per-(kind, subject) index must never see two open rows.
    for item in sorted(found, key=lambda f: f.status == "open"):
        values = {c: getattr(item, c) for c in INSIGHT_CONTENT_COLUMNS}
        row = stored.get(item.existing_id or "")
        if row is not None and all(getattr(row, c) == v for c, v in values.items()):
            continue
        stamp = {"updated_at": now, "version": versions.next()}
        if row is None:
            row = Insight(user_id=user_id, id=uuid.uuid4().hex, created_at=now, **values, **stamp)
            session.add(row)
            created.append(row)
        else:
            for column, value in (values | stamp).items():
                setattr(row, column, value)
        written += 1
        session.flush()
    return written, created


def prescription_id(item: training.PrescriptionOut) -> str:
    key = f"{item.program_day_id or '-'}|{item.slot_index}|{item.side}|{item.exercise_id}"
    return "rx" + hashlib.sha256(key.encode()).hexdigest()[:30]


def prescription_values(item: training.PrescriptionOut) -> dict[str, Any]:
    """The stored columns of a prescription, as JSON-ready values (a stored row compares equal)."""
    values = {c: getattr(item, c) for c in PRESCRIPTION_COLUMNS}
    plates = item.plates_per_side
    return values | {
        "plates_per_side": None if plates is None else list(plates),
        "stack": None if item.stack is None else {"pin": item.stack.pin, "add_on": item.stack.add_on},
    }


def _write_prescriptions(
    session: Session,
    user_id: uuid.UUID,
    found: Sequence[training.PrescriptionOut],
    versions: users.SyncVersions,
) -> tuple[int, int]:
    stored = insights.prescriptions_by_id(session, user_id=user_id)
    written = 0
    wanted = set()
    for item in found:
        row_id = prescription_id(item)
        wanted.add(row_id)
        values = prescription_values(item)
        row = stored.get(row_id)
        if row is None:
            session.add(Prescription(user_id=user_id, id=row_id, version=versions.next(), **values))
        elif not row.deleted and all(getattr(row, c) == v for c, v in values.items()):
            continue
        else:
            for column, value in values.items():
                setattr(row, column, value)
            row.deleted, row.version = False, versions.next()
        written += 1
    removed = sorted({row_id for row_id, row in stored.items() if not row.deleted} - wanted)
    if removed:
        sync.tombstone(
            session, Prescription, user_id=user_id, ids=removed, versions=versions.take(len(removed))
        )
    return written, len(removed)
