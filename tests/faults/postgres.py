"""Killing PostgreSQL connections the way an operator, a failover or a crashed backend does:
`pg_terminate_backend` on the fault suite's own database only, never on another test's."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, text


@contextmanager
def holding_sync_lock(engine: Engine, user_id: object) -> Iterator[None]:
    """Every push (and every recompute) takes its user's row lock first: while the test holds it,
    that work has started and waits inside its transaction."""
    with engine.connect() as connection, connection.begin():
        connection.execute(text("SELECT 1 FROM users WHERE id = :id FOR UPDATE"), {"id": user_id})
        yield


@contextmanager
def holding_table(engine: Engine, table: str) -> Iterator[None]:
    """No one reads `table` until the block ends: a pull reading it waits inside its transaction."""
    with engine.connect() as connection, connection.begin():
        connection.execute(text(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE"))
        yield


def waiting_backends(engine: Engine) -> set[int]:
    """Backends of this database waiting for a lock: requests or tasks caught in the middle."""
    query = text(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
        "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
    )
    with engine.connect() as connection:
        return set(connection.scalars(query))


def terminate(engine: Engine, pids: set[int]) -> int:
    with engine.connect() as connection:
        killed = connection.scalars(
            text("SELECT pg_terminate_backend(pid) FROM unnest(CAST(:pids AS int[])) AS pid"),
            {"pids": sorted(pids)},
        )
        return sum(killed)


def terminate_every_other_connection(engine: Engine) -> int:
    """Every connection to this database but the one asking: all of the API's pool at once."""
    # MATERIALIZED: the planner may not evaluate pg_terminate_backend before the filters.
    query = text(
        "WITH others AS MATERIALIZED (SELECT pid FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()) "
        "SELECT pg_terminate_backend(pid) FROM others"
    )
    with engine.connect() as connection:
        return sum(connection.scalars(query))
