"""Proposed optimisations, measured before they are applied (`python -m bench --experiment NAME`).

Each experiment is the exact code proposed for a function under `services/` (bench/README.md,
"Findings"), installed by replacing that function at runtime in the process under test: the API
workers (through `bench.experiments:create_app`, the same factory call as the entry point's with
the patches applied first) or the batch process. Nothing under `services/` is edited; a run
without `--experiment` measures the code as it is.
"""

import os
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.requests import Request

from services import training

ENV = "BENCH_EXPERIMENTS"


# -- recompute: fewer ORM objects, fewer round trips (services/core/recompute.py) -----------------


def logged_workouts(session: Session, user_id: uuid.UUID, since: datetime) -> list[training.Workout]:
    """One Core SELECT of workouts joined to their sets (tuples, no ORM identity map), mapped
    straight to the engine's dataclasses; epoch-ms → datetime converted once per distinct value."""
    from services.core.models import Workout, WorkoutSet

    set_columns = (
        WorkoutSet.id, WorkoutSet.exercise_id, WorkoutSet.set_index, WorkoutSet.side, WorkoutSet.load_kg,
        WorkoutSet.reps, WorkoutSet.rir, WorkoutSet.rpe, WorkoutSet.eccentric_s, WorkoutSet.assistance_kg,
        WorkoutSet.to_failure, WorkoutSet.is_warmup, WorkoutSet.performed_at,
    )  # fmt: skip
    stmt = (
        select(Workout.id, Workout.started_at, *set_columns)
        .outerjoin(
            WorkoutSet,
            (WorkoutSet.user_id == Workout.user_id)
            & (WorkoutSet.workout_id == Workout.id)
            & WorkoutSet.deleted.is_(False),
        )
        .where(
            Workout.user_id == user_id,
            Workout.deleted.is_(False),
            Workout.started_at >= int(since.timestamp() * 1000),
        )
        .order_by(
            Workout.started_at, Workout.id, WorkoutSet.set_index, WorkoutSet.performed_at, WorkoutSet.id
        )
    )
    moments: dict[int, datetime] = {}

    def at(epoch_ms: int) -> datetime:
        moment = moments.get(epoch_ms)
        if moment is None:
            moment = moments[epoch_ms] = datetime.fromtimestamp(epoch_ms / 1000, UTC)
        return moment

    logged: list[training.Workout] = []
    current, started, sets = None, 0, []
    for row in session.execute(stmt):
        if row[0] != current:
            if current is not None:
                logged.append(training.Workout(id=current, started_at=at(started), sets=sets))
            current, started, sets = row[0], row[1], []
        if row[2] is not None:  # a workout without live sets still counts (outer join)
            performed_at = row[14]
            sets.append(training.WorkoutSet(*row[2:14], None if performed_at is None else at(performed_at)))
    if current is not None:
        logged.append(training.Workout(id=current, started_at=at(started), sets=sets))
    return logged


PLAN_TTL_S = 300.0
_plans: dict[uuid.UUID, tuple[float, training.ProgramPlan]] = {}


def cached_plan(session: Session, user_id: uuid.UUID) -> training.ProgramPlan | None:
    """Programs are reference data (changed only by the seed after a migration): one load of
    program + days + slots per process and TTL instead of three queries per user."""
    from services.core import recompute
    from services.core.repositories import programs

    enrollment = programs.find_enrollment(session, user_id=user_id)
    if enrollment is None:
        return None
    hit = _plans.get(enrollment.program_id)
    if hit is None or time.monotonic() - hit[0] > PLAN_TTL_S:
        hit = (time.monotonic(), recompute.ORIGINAL_PLAN(session, user_id))
        _plans[enrollment.program_id] = hit
    return hit[1]


def lock_for_sync(session: Session, user_id: uuid.UUID) -> int:
    """Locks and loads the whole user row in one statement (the recompute's `users.get` that
    follows is then an identity-map hit, not a second SELECT)."""
    from services.core.errors import NotFound
    from services.core.models import User

    stmt = select(User).where(User.id == user_id).with_for_update().execution_options(populate_existing=True)
    user = session.scalar(stmt)
    if user is None:
        raise NotFound("user", user_id)
    return user.sync_version


def write_prescriptions(
    session: Session, user_id: uuid.UUID, found: Sequence[training.PrescriptionOut], next_version: Any
) -> tuple[int, int]:
    """The user's prescriptions, live and tombstoned, read in one query (was: the live ones, then
    one `session.get` per prescription not among them)."""
    from services.core.models import Prescription
    from services.core.models.insights import PRESCRIPTION_COLUMNS
    from services.core.recompute import prescription_id
    from services.core.repositories import sync

    every = {p.id: p for p in session.scalars(select(Prescription).where(Prescription.user_id == user_id))}
    live = {row_id for row_id, row in every.items() if not row.deleted}
    written, wanted = 0, set()
    for item in found:
        row_id = prescription_id(item)
        wanted.add(row_id)
        values = {c: getattr(item, c) for c in PRESCRIPTION_COLUMNS}
        row = every.get(row_id)
        if row is None:
            session.add(Prescription(user_id=user_id, id=row_id, version=next_version(), **values))
        elif not row.deleted and all(getattr(row, c) == v for c, v in values.items()):
            continue
        else:
            for column, value in values.items():
                setattr(row, column, value)
            row.deleted, row.version = False, next_version()
        written += 1
    removed = sorted(live - wanted)
    if removed:
        sync.tombstone(session, Prescription, user_id=user_id, ids=removed, version=next_version())
    return written, len(removed)


def _patch_recompute() -> None:
    from services.core import recompute
    from services.core.repositories import users

    recompute.ORIGINAL_PLAN = recompute._plan
    recompute.logged_workouts = logged_workouts
    recompute._plan = cached_plan
    recompute._write_prescriptions = write_prescriptions
    users.lock_for_sync = lock_for_sync


# -- reads: no transaction round trips for GETs (services/api/deps.py) ------------------------------


def autocommit_session(request: Request) -> Iterator[Session]:
    """GET/HEAD requests read in autocommit mode: no BEGIN, COMMIT (the auth dependency's) or
    ROLLBACK (on close) round trips around their one or few SELECTs. Writes keep transactions."""
    state = request.app.state
    if request.method in ("GET", "HEAD"):
        engine = getattr(state, "autocommit_engine", None)
        if engine is None:
            engine = state.autocommit_engine = state.engine.execution_options(isolation_level="AUTOCOMMIT")
        with state.sessionmaker(bind=engine) as session:
            yield session
    else:
        with state.sessionmaker() as session:
            yield session


APP_PATCHES: list[Callable[[Any], None]] = []

IDLE_PING_S = 30.0


def create_db_engine(settings: Any) -> Any:
    """`services.core.db.create_db_engine` without `pool_pre_ping` (a `SELECT 1` round trip at every
    checkout, i.e. every request): a connection is pinged only when it sat idle in the pool for
    more than IDLE_PING_S; a failed ping discards it and the pool hands out another
    (SQLAlchemy, "Disconnect Handling — Pessimistic", custom checkout event)."""
    from sqlalchemy import create_engine, event, exc

    from services.core import db

    if settings.is_sqlite:
        return db.ORIGINAL_CREATE_DB_ENGINE(settings)
    engine = create_engine(
        db.normalize_url(settings.database_url),
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_pool_size,
        pool_pre_ping=False,
        pool_timeout=5,
        connect_args={"connect_timeout": 5},
    )

    @event.listens_for(engine, "checkin")
    def _idle_since(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        if time.monotonic() - record.info.get("idle_since", time.monotonic()) > IDLE_PING_S:
            try:
                dbapi_connection.execute("SELECT 1")
                dbapi_connection.rollback()
            except Exception as error:
                raise exc.DisconnectionError() from error

    return engine


def _patch_reads() -> None:
    def override(app: Any) -> None:
        from services.api import deps

        app.dependency_overrides[deps.get_session] = autocommit_session

    APP_PATCHES.append(override)


PROGRAMS_TTL_S = 60.0
_programs_pages: dict[tuple[int, str | None], tuple[float, bytes]] = {}


def cached_list_programs(request: Request, limit: int = 50, cursor: str | None = None) -> Any:
    """GET /v1/programs from a per-process cache of the rendered page (TTL PROGRAMS_TTL_S): the
    starter programs are reference data, changed only by the seed after a migration. A plain
    sync endpoint, so a hit costs what GET /healthz costs."""
    from starlette.responses import Response

    from services.api.programs import router as programs_router

    key = (limit, cursor)
    hit = _programs_pages.get(key)
    if hit is None or time.monotonic() - hit[0] > PROGRAMS_TTL_S:
        with request.app.state.sessionmaker() as session:
            page = programs_router.list_programs(session, limit=limit, cursor=cursor)
        hit = _programs_pages[key] = (time.monotonic(), page.model_dump_json().encode())
    return Response(hit[1], media_type="application/json")


def _patch_programs_cache() -> None:
    def shadow(app: Any) -> None:
        from fastapi.routing import APIRoute

        # Matched before the real route (same path, same method), through the same middleware.
        route = APIRoute("/v1/programs", cached_list_programs, methods=["GET"], include_in_schema=False)
        app.router.routes.insert(0, route)

    APP_PATCHES.append(shadow)


def _patch_pool() -> None:
    from services.api import app
    from services.core import db

    db.ORIGINAL_CREATE_DB_ENGINE = db.create_db_engine
    db.create_db_engine = app.create_db_engine = create_db_engine


EXPERIMENTS: dict[str, Callable[[], None]] = {
    "recompute-core": _patch_recompute,
    "reads-autocommit": _patch_reads,
    "pool-idle-ping": _patch_pool,
    "programs-cache": _patch_programs_cache,
}


def apply(names: Iterable[str]) -> list[str]:
    applied = []
    for name in names:
        if name:
            EXPERIMENTS[name]()
            applied.append(name)
    return applied


def apply_from_env() -> list[str]:
    return apply(os.environ.get(ENV, "").split(","))


def create_app() -> Any:
    """The API factory with the experiments of $BENCH_EXPERIMENTS applied (uvicorn --factory)."""
    apply_from_env()
    from services.api.app import create_app as create

    app = create()
    for patch in APP_PATCHES:
        patch(app)
    return app


def main(argv: list[str]) -> None:
    """`python -m bench.experiments {api|worker|beat}`: `services.entrypoint` itself, with the API
    factory and the Celery app swapped for ones that apply $BENCH_EXPERIMENTS first."""
    import uvicorn

    from services import entrypoint

    run, command = uvicorn.run, entrypoint.celery_command

    def patched_run(app: Any, **kwargs: Any) -> None:
        run("bench.experiments:create_app" if app == "services.api.app:create_app" else app, **kwargs)

    def patched_command(name: str, log_level: str) -> list[str]:
        argv = command(name, log_level)
        return [("bench.worker_app" if arg == "services.worker.app" else arg) for arg in argv]

    uvicorn.run, entrypoint.celery_command = patched_run, patched_command
    entrypoint.main(argv)


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
