"""Proposed optimisations, measured before they are applied (`python -m bench --experiment NAME`).

Each experiment is the exact code proposed for a function under `services/` (bench/README.md,
"Findings"), installed by replacing that function at runtime in the process under test: the API
workers (through `bench.experiments:create_app`, the same factory call as the entry point's with
the patches applied first) or the batch process. Nothing under `services/` is edited; a run
without `--experiment` measures the code as it is. The experiments that met their targets are now
in `services/` (push-unnest, pull-core, recompute-core, programs-cache, then reads-autocommit and
pool-idle-ping); the one left, generic-plans, was not proven (docs/operations.md, "Partitioning's
cost").
"""

import os
from collections.abc import Callable, Iterable
from typing import Any

ENV = "BENCH_EXPERIMENTS"


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

    return create()


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
