"""Catching a request or a task in the middle, deterministically: every push and every recompute
takes the user's sync lock first (`SELECT … FROM users … FOR UPDATE`), so while a test holds that
lock the work has started and waits until the test lets go."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, text


@contextmanager
def holding_sync_lock(engine: Engine, user_id: uuid.UUID) -> Iterator[None]:
    with engine.connect() as connection, connection.begin():
        connection.execute(text("SELECT 1 FROM users WHERE id = :id FOR UPDATE"), {"id": user_id})
        yield


def lock_waiters(engine: Engine) -> set[int]:
    """Backends of this database waiting for a user's sync lock."""
    query = text(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
        "AND wait_event_type = 'Lock' AND query ILIKE '%FROM users%FOR UPDATE%'"
    )
    with engine.connect() as connection:
        return set(connection.scalars(query))
