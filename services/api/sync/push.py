"""Applying a push (sync-protocol.md, "Push"): validate everything, then write everything, in
one transaction under the user's lock — or nothing at all."""

import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import TypeAdapter, ValidationError
from sqlalchemy.orm import Session

from services import training
from services.api import metrics
from services.api.sync import cursor, insight_status
from services.api.sync.schemas import CLIENT_ID_PATTERN, PushResult, RecordIn, WorkoutSetIn
from services.api.sync.tables import (
    ALL_TABLES,
    CUSTOM_EXERCISES,
    DEVICE_TABLES,
    INSIGHTS,
    SCHEMA_VERSION,
    TABLES,
    WORKOUT_SETS,
    WORKOUTS,
    SyncedTable,
)
from services.core.errors import FieldError, InvalidInput, PayloadTooLarge, SyncConflict
from services.core.models import User
from services.core.models.base import utcnow
from services.core.repositories import (
    aggregates,
    catalog,
    custom_exercises,
    insights,
    outbox,
    programs,
    sync,
    users,
)
from services.core.repositories import webhooks as webhook_events
from services.core.usecases import advice, read_models

MAX_RECORDS = 5000
OPERATIONS = ("created", "updated", "deleted")
VALID_ID = re.compile(CLIENT_ID_PATTERN)
# One validation call per table rather than one per record: a 1,000-set push crosses into
# pydantic-core once.
RECORD_LISTS: dict[str, TypeAdapter[list[Any]]] = {
    name: TypeAdapter(list[table.record])  # type: ignore[name-defined]  # a type held in a variable
    for name, table in DEVICE_TABLES.items()
}


@dataclass
class TablePush:
    upserts: list[Any] = field(default_factory=list)  # validated RecordIn subclasses
    deletes: list[str] = field(default_factory=list)
    # The columns the pushing app has (its schema version's): an older app's upserts leave the
    # newer columns of a stored row as they are (sync-protocol.md, "Schema versions").
    columns: tuple[str, ...] = ()


@dataclass
class TableWrites:
    inserts: list[dict[str, Any]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    tombstones: list[str] = field(default_factory=list)


def apply_push(
    session: Session,
    user: User,
    payload: Any,
    last_pulled_at: int | None,
    on_change: Callable[[uuid.UUID], None] = lambda _user_id: None,
    schema_version: int = SCHEMA_VERSION,
) -> PushResult:
    """`on_change` runs after the commit of a push that changed something (the embedded runner)."""
    pushed, status_records = parse_changes(payload, schema_version)
    base = cursor.decode(last_pulled_at)
    # Reference data, read before the lock (and from the process' memory once seen).
    in_catalog = catalog.existing_ids(session, {s.exercise_id for s in pushed[WORKOUT_SETS.name].upserts})
    user, partnered = users.lock_for_push(session, user.id)
    stored = _stored_rows(session, user.id, pushed, in_catalog)
    _check_custom_exercises(pushed, stored)
    _check_references(pushed, stored, in_catalog)
    statuses = insight_status.plan(
        session, user.id, ZoneInfo(user.timezone), status_records, base.user_version
    )
    if statuses.errors:
        raise InvalidInput(
            f"{len(statuses.errors)} problem(s) in the pushed records; nothing was stored.", statuses.errors
        )
    _check_conflicts(pushed, stored, base.user_version, also=statuses.conflicts)
    writes = _plan_writes(pushed, stored)
    applied = {
        name: {"upserted": len(w.inserts) + len(w.updates), "deleted": len(w.tombstones)}
        for name, w in writes.items()
    } | {INSIGHTS.name: {"upserted": len(statuses.changes), "deleted": 0}}
    if any(sum(counts.values()) for counts in applied.values()):
        versions = users.SyncVersions(user)
        moved = _moved_aggregate_keys(session, user, writes)
        applied[WORKOUT_SETS.name]["deleted"] += _execute(session, user.id, writes, versions)
        _keep_aggregates(session, user, writes, moved)
        renamed = _renamed_own_exercises(writes, stored)
        _expire_rewritten_own_exercises(session, writes, stored)
        programs.renew_revisions_using(session, owner_id=user.id, exercise_ids=renamed)
        accepted = False
        for insight, status in statuses.changes:
            insights.change_status(insight, status=status, version=versions.next(), now=utcnow())
            if status == "accepted":  # as through the REST accept: the advice lands in the program
                advice.land_accepted(session, user.id, insight)
                accepted = True
        # The next day, loads and names may move; programs only change with landed advice or a
        # renamed own exercise (they name exercises by id) and the insight lists with a pushed
        # status, so most pushes skip their reads.
        read_models.refresh(
            session,
            user.id,
            versions,
            programs=accepted or bool(renamed),
            insight_lists=bool(statuses.changes),
        )
        versions.save()
        outbox.record_user_change(session, user.id, versions.last)
        if partnered:  # without a live grant no endpoint can listen: no subscription query
            webhook_events.record_workouts_synced(
                session, user_id=user.id, sync_version=versions.last, **_workout_changes(writes, stored)
            )
        session.commit()
        on_change(user.id)
    _record_metrics(pushed, applied)
    return PushResult(changed=any(sum(counts.values()) for counts in applied.values()), applied=applied)


# -- parsing ---------------------------------------------------------------------------------


def parse_changes(
    payload: Any, schema_version: int = SCHEMA_VERSION
) -> tuple[dict[str, TablePush], list[dict[str, Any]]]:
    """Checks the shape and every column of every record; raises with all the errors found."""
    changes = payload.get("changes", payload) if isinstance(payload, dict) else None
    if not isinstance(changes, dict):
        raise InvalidInput(
            "The body must be a JSON object of changes per table.",
            [FieldError(field="changes", message="expected an object")],
        )
    errors: list[FieldError] = []
    pushed = {name: TablePush(columns=t.columns_at(schema_version)) for name, t in DEVICE_TABLES.items()}
    status_records: list[dict[str, Any]] = []
    total = 0
    for name, table_changes in changes.items():
        if name not in ALL_TABLES:
            errors.append(FieldError(table=str(name)[:64], message="unknown table"))
            continue
        lists = _operation_lists(name, table_changes, errors)
        if TABLES[name].since > schema_version and any(lists.values()):
            errors.append(FieldError(table=name, message=f"not a table of schema version {schema_version}"))
            continue
        total += sum(len(records) for records in lists.values())
        if total > MAX_RECORDS:
            raise PayloadTooLarge(f"A push may carry at most {MAX_RECORDS} records; split it into several.")
        if name in DEVICE_TABLES:
            _parse_device_table(DEVICE_TABLES[name], lists, pushed[name], errors, schema_version)
        elif name == INSIGHTS.name:
            status_records = insight_status.parse(lists, VALID_ID, errors)
        elif any(lists.values()):
            errors.append(FieldError(table=name, message="this table is written by the server only"))
    if errors:
        raise InvalidInput(f"{len(errors)} problem(s) in the pushed records; nothing was stored.", errors)
    return pushed, status_records


def _operation_lists(name: str, table_changes: Any, errors: list[FieldError]) -> dict[str, list[Any]]:
    if not isinstance(table_changes, dict):
        errors.append(FieldError(table=name, message="expected an object with created, updated and deleted"))
        return {}
    lists = {}
    for operation in OPERATIONS:
        records = table_changes.get(operation, [])
        if isinstance(records, list):
            lists[operation] = records
        else:
            errors.append(FieldError(table=name, field=operation, message="expected a list"))
    return lists


def _parse_device_table(
    table: SyncedTable,
    lists: Mapping[str, list[Any]],
    into: TablePush,
    errors: list[FieldError],
    schema_version: int,
) -> None:
    # Columns newer than the app's schema are unknown to it, so ignored like any unknown column.
    newer = set(table.record_columns) - set(table.columns_at(schema_version))
    # `created` and `updated` are both upserts: a client whose push response was lost resends
    # its records under `created`, and an `updated` record the server lacks is simply created.
    raws = [
        {k: v for k, v in raw.items() if k not in newer}
        if isinstance(raw, dict) and not newer.isdisjoint(raw)
        else raw
        for raw in [*lists.get("created", []), *lists.get("updated", [])]
    ]
    try:
        into.upserts = RECORD_LISTS[table.name].validate_python(raws)
    except ValidationError as exc:
        for err in exc.errors():
            index, *location = err["loc"]  # the record's position in `raws`, then its field
            raw = raws[int(index)]
            errors.append(
                FieldError(
                    table=table.name,
                    id=str(raw.get("id"))[:64] if isinstance(raw, dict) else None,
                    message=err["msg"],
                    field=".".join(str(p) for p in location) or None,
                )
            )
    for raw_id in lists.get("deleted", []):
        if isinstance(raw_id, str) and VALID_ID.match(raw_id):
            into.deletes.append(raw_id)
        else:
            errors.append(
                FieldError(table=table.name, id=str(raw_id)[:64], field="id", message="not a valid id")
            )
    ids = [r.id for r in into.upserts]
    if len(ids) != len(set(ids)):
        errors.append(FieldError(table=table.name, message="the same id is pushed twice"))


# -- checks against the stored rows -----------------------------------------------------------


def _stored_rows(
    session: Session, user_id: uuid.UUID, pushed: Mapping[str, TablePush], in_catalog: set[str]
) -> dict[str, dict]:
    stored = {}
    for name, table in DEVICE_TABLES.items():
        ids = {r.id for r in pushed[name].upserts} | set(pushed[name].deletes)
        if table is WORKOUTS:  # the parents of pushed sets too
            ids |= {s.workout_id for s in pushed[WORKOUT_SETS.name].upserts}
        if table is CUSTOM_EXERCISES:
            # All of them when the push names any (names must stay unique, and sets name them);
            # none for a push of sets of catalog exercises only, most pushes.
            named = ids or {s.exercise_id for s in pushed[WORKOUT_SETS.name].upserts} - in_catalog
            stored[name] = custom_exercises.all_of(session, user_id=user_id) if named else {}
        else:
            stored[name] = sync.rows_by_id(session, table.rows, user_id=user_id, ids=ids)
    return stored


def _check_custom_exercises(pushed: Mapping[str, TablePush], stored: Mapping[str, dict]) -> None:
    """A custom exercise may not take a catalog id, nor a name the user already gives another of
    their exercises (ignoring case): the picker would show two, and a set could not say which."""
    upserts = pushed[CUSTOM_EXERCISES.name].upserts
    gone = set(pushed[CUSTOM_EXERCISES.name].deletes)
    # The names after the push: stored live ones the push leaves alone, and the pushed ones.
    named: dict[str, list[str]] = {}
    untouched = stored[CUSTOM_EXERCISES.name].keys() - {e.id for e in upserts} - gone
    for exercise_id in untouched:
        row = stored[CUSTOM_EXERCISES.name][exercise_id]
        if not row.deleted:
            named.setdefault(_name_key(row.name), []).append(exercise_id)
    for exercise in upserts:
        if exercise.id not in gone:
            named.setdefault(_name_key(exercise.name), []).append(exercise.id)
    errors = [
        FieldError(table=CUSTOM_EXERCISES.name, id=e.id, field="id", message="a catalog exercise has this id")
        for e in upserts
        if e.id in training.CATALOG
    ]
    errors += [
        FieldError(
            table=CUSTOM_EXERCISES.name,
            id=e.id,
            field="name",
            message=f"you already have an exercise named {e.name!r}",
        )
        for e in upserts
        if e.id not in gone and len(named[_name_key(e.name)]) > 1
    ]
    if errors:
        raise InvalidInput(f"{len(errors)} problem(s) in the pushed records; nothing was stored.", errors)


def _name_key(name: str) -> str:
    return " ".join(name.casefold().split())


def _check_references(
    pushed: Mapping[str, TablePush], stored: Mapping[str, dict], in_catalog: set[str]
) -> None:
    """A set must belong to a workout of the same user and name a catalog exercise or one of the
    user's own (pushed now or before; an archived one too: a phone offline since may still log it)."""
    sets = pushed[WORKOUT_SETS.name].upserts
    known_workouts = {w.id for w in pushed[WORKOUTS.name].upserts} | set(stored[WORKOUTS.name])
    own = {e.id for e in pushed[CUSTOM_EXERCISES.name].upserts} | set(stored[CUSTOM_EXERCISES.name])
    known_exercises = own | in_catalog
    errors = [
        FieldError(table=WORKOUT_SETS.name, id=s.id, field="workout_id", message="no such workout")
        for s in sets
        if s.workout_id not in known_workouts
    ]
    errors += [
        FieldError(
            table=WORKOUT_SETS.name,
            id=s.id,
            field="exercise_id",
            message="not in the catalog nor one of yours",
        )
        for s in sets
        if s.exercise_id not in known_exercises
    ]
    if errors:
        raise InvalidInput(f"{len(errors)} problem(s) in the pushed records; nothing was stored.", errors)


def _check_conflicts(
    pushed: Mapping[str, TablePush], stored: Mapping[str, dict], base_version: int, also: list[dict[str, str]]
) -> None:
    """409 only for a record the server changed after the client's pull AND that the push changes."""
    conflicts = list(also)
    for name in DEVICE_TABLES:
        for record in pushed[name].upserts:
            row = stored[name].get(record.id)
            if row is not None and row.version > base_version and _differs(pushed[name], record, row):
                conflicts.append({"table": name, "id": record.id})
        for record_id in pushed[name].deletes:
            row = stored[name].get(record_id)
            if row is not None and row.version > base_version and not row.deleted:
                conflicts.append({"table": name, "id": record_id})
    if conflicts:
        metrics.SYNC_CONFLICTS.inc()
        raise SyncConflict(conflicts)


def _differs(push: TablePush, record: RecordIn, row: Any) -> bool:
    return row.deleted or any(getattr(record, c) != getattr(row, c) for c in push.columns)


def _newer_columns(table: SyncedTable, push: TablePush, record: RecordIn, row: Any) -> dict[str, Any]:
    """What an older app's upsert of a stored row leaves in the columns it does not have: their
    stored values, except a set's entered load once the app changed its kilograms (it would no
    longer be the same load; the kilograms are then read in the user's unit, §2.8)."""
    kept = {c: getattr(row, c) for c in table.columns if c not in push.columns}
    if isinstance(record, WorkoutSetIn) and "entered_load" in kept and record.load_kg != row.load_kg:
        kept |= {"entered_load": None, "entered_unit": None}
    return kept


# -- writing ---------------------------------------------------------------------------------


def _plan_writes(pushed: Mapping[str, TablePush], stored: Mapping[str, dict]) -> dict[str, TableWrites]:
    revived = {w.id for w in pushed[WORKOUTS.name].upserts}
    dead_workouts = {wid for wid, row in stored[WORKOUTS.name].items() if row.deleted and wid not in revived}
    writes = {}
    for name, table in DEVICE_TABLES.items():
        plan = TableWrites()
        for record in pushed[name].upserts:
            row = stored[name].get(record.id)
            # A set logged offline for a workout another device deleted stays deleted with it.
            orphan = table is WORKOUT_SETS and record.workout_id in dead_workouts
            # The same keys in every row of a table: sync.write_rows sends them column by column.
            values = {"id": record.id, "deleted": orphan, **{c: getattr(record, c) for c in table.columns}}
            if row is None:
                plan.inserts.append(values)
            elif _differs(pushed[name], record, row) or row.deleted != orphan:
                plan.updates.append(values | _newer_columns(table, pushed[name], record, row))
        plan.tombstones = [
            i for i in pushed[name].deletes if i in stored[name] and not stored[name][i].deleted
        ]
        writes[name] = plan
    return writes


def _execute(
    session: Session, user_id: uuid.UUID, writes: Mapping[str, TableWrites], versions: users.SyncVersions
) -> int:
    """Writes the plan, each row under a version of its own (so a paged pull can stop between any
    two of them); returns how many sets deleted workouts took along."""
    for name, table in DEVICE_TABLES.items():  # workouts before the sets that reference them
        plan = writes[name]
        rows = [*plan.inserts, *plan.updates]
        for row, version in zip(rows, versions.take(len(rows)), strict=True):
            row["version"] = version
        sync.write_rows(session, table.rows, user_id=user_id, inserts=plan.inserts, updates=plan.updates)
    # Deletes after upserts: a push may update a set and delete its workout; the set stays deleted.
    for name, table in DEVICE_TABLES.items():
        ids = writes[name].tombstones
        sync.tombstone(session, table.rows, user_id=user_id, ids=ids, versions=versions.take(len(ids)))
    orphaned = sync.live_sets_of_workouts(
        session, user_id=user_id, workout_ids=writes[WORKOUTS.name].tombstones
    )
    sync.tombstone(
        session, WORKOUT_SETS.rows, user_id=user_id, ids=orphaned, versions=versions.take(len(orphaned))
    )
    return len(orphaned)


def _expire_rewritten_own_exercises(
    session: Session, writes: Mapping[str, TableWrites], stored: Mapping[str, dict]
) -> None:
    """The own exercises the push rewrote were written past the ORM, which would hand the read
    models' later reads of them (plans, the gym's loading) their loaded, older values."""
    own, rows = writes[CUSTOM_EXERCISES.name], stored[CUSTOM_EXERCISES.name]
    for exercise_id in [*(row["id"] for row in own.updates), *own.tombstones]:
        session.expire(rows[exercise_id])


def _renamed_own_exercises(writes: Mapping[str, TableWrites], stored: Mapping[str, dict]) -> list[str]:
    """Own exercises this push renamed or deleted: the cached plans of programs using them name them."""
    own, rows = writes[CUSTOM_EXERCISES.name], stored[CUSTOM_EXERCISES.name]
    return [row["id"] for row in own.updates if row["name"] != rows[row["id"]].name] + own.tombstones


def _moved_aggregate_keys(
    session: Session, user: User, writes: Mapping[str, TableWrites]
) -> list[aggregates.Key]:
    """The weekly aggregates the stored sets this push changes or deletes count in before it (an
    edited set may move to another week or exercise; a workout's new start moves its sets)."""
    if not aggregates.kept(session) or not aggregates.current(user):
        return []  # nothing to move: `_keep_aggregates` rebuilds them whole
    sets, workouts = writes[WORKOUT_SETS.name], writes[WORKOUTS.name]
    return aggregates.keys_of(
        session,
        user,
        set_ids=[s["id"] for s in sets.updates] + sets.tombstones,
        workout_ids=[w["id"] for w in workouts.updates] + workouts.tombstones,
    )


def _keep_aggregates(
    session: Session, user: User, writes: Mapping[str, TableWrites], moved: list[aggregates.Key]
) -> None:
    """In the push's transaction, one statement: the keys of the written sets, before and after."""
    if not aggregates.kept(session):
        return
    sets, workouts = writes[WORKOUT_SETS.name], writes[WORKOUTS.name]
    # A new workout's sets are all in this push: naming the workout names them all.
    new_workouts = {w["id"] for w in workouts.inserts}
    aggregates.refresh(
        session,
        user,
        set_ids=[s["id"] for s in [*sets.inserts, *sets.updates] if s["workout_id"] not in new_workouts],
        workout_ids=[*new_workouts, *(w["id"] for w in workouts.updates)],
        old_keys=moved,
    )


def _workout_changes(writes: Mapping[str, TableWrites], stored: Mapping[str, dict]) -> dict[str, set[str]]:
    """The workouts a push created, changed (a set of theirs included) or deleted: `workout.synced`."""
    workouts, sets = writes[WORKOUTS.name], writes[WORKOUT_SETS.name]
    created, deleted = {w["id"] for w in workouts.inserts}, set(workouts.tombstones)
    changed = {w["id"] for w in workouts.updates} | {s["workout_id"] for s in [*sets.inserts, *sets.updates]}
    changed |= {stored[WORKOUT_SETS.name][set_id].workout_id for set_id in sets.tombstones}
    return {"created": created, "updated": changed - created - deleted, "deleted": deleted}


def _record_metrics(pushed: Mapping[str, TablePush], applied: Mapping[str, Mapping[str, int]]) -> None:
    metrics.SYNC_PUSH_RECORDS.observe(sum(len(p.upserts) + len(p.deletes) for p in pushed.values()))
    for name, counts in applied.items():
        metrics.SYNC_PUSHED.labels(name).inc(sum(counts.values()))
