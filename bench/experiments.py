"""Proposed optimisations, measured before they are applied (`python -m bench --experiment NAME`).

Each experiment is the exact code proposed for a function under `services/` (bench/README.md,
"Findings"), installed by replacing that function at runtime in the process under test: the API
workers (through `bench.experiments:create_app`, the same factory call as the entry point's with
the patches applied first) or the batch process. Nothing under `services/` is edited; a run
without `--experiment` measures the code as it is. The experiments that met their targets
(push-unnest, pull-core, recompute-core, programs-cache) are now in `services/`; the three left
were not proven (generic-plans: docs/operations.md, "Partitioning's cost").
"""

import os
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from sqlalchemy.orm import Session
from starlette.requests import Request

ENV = "BENCH_EXPERIMENTS"


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


def _patch_pool() -> None:
    from services.api import app
    from services.core import db

    db.ORIGINAL_CREATE_DB_ENGINE = db.create_db_engine
    db.create_db_engine = app.create_db_engine = create_db_engine


def _generic_plans() -> None:
    """Every PostgreSQL connection of the process plans prepared statements once: on the partitioned
    per-user tables PostgreSQL's plan cache keeps re-planning them, since the generic plan's cost
    counts all 16 partitions (docs/operations.md, "Partitioning's cost")."""
    from sqlalchemy import event
    from sqlalchemy.pool import Pool

    def generic(dbapi_connection: Any, _record: Any) -> None:
        if not type(dbapi_connection).__module__.startswith("psycopg"):
            return
        autocommit = dbapi_connection.autocommit
        dbapi_connection.autocommit = True
        dbapi_connection.execute("SET plan_cache_mode = force_generic_plan")
        dbapi_connection.autocommit = autocommit

    event.listen(Pool, "connect", generic)


EXPERIMENTS: dict[str, Callable[[], None]] = {
    "reads-autocommit": _patch_reads,
    "pool-idle-ping": _patch_pool,
    "generic-plans": _generic_plans,
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
