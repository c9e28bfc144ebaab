"""Engine and session factories for PostgreSQL (production) and SQLite (embedded)."""

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, exc
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from services.core.settings import Settings


def normalize_url(url: str) -> str:
    """Maps plain `postgresql://` URLs to the psycopg 3 driver we ship."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


# A pooled connection idle for longer than this is pinged before it is handed out again.
IDLE_PING_S = 30.0


def create_db_engine(settings: Settings) -> Engine:
    url = normalize_url(settings.database_url)
    if settings.is_sqlite:
        return _sqlite_engine(url)
    engine = create_engine(
        url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_pool_size,
        pool_timeout=5,
        connect_args={"connect_timeout": 5},
    )
    _ping_when_idle(engine)
    return engine


def _ping_when_idle(engine: Engine) -> None:
    """Instead of `pool_pre_ping` (a `SELECT 1` round trip at every checkout, so on every request):
    a connection is pinged only after it sat idle in the pool for more than IDLE_PING_S, which is
    when a restarted server, a failover or an idle timeout may have closed it; a failed ping
    discards it and the pool hands out another (SQLAlchemy, "Disconnect Handling — Pessimistic",
    custom checkout event). A connection that breaks while in use fails that request, as it
    would with pre-ping, and the pool drops it."""

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


def _sqlite_engine(url: str) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        # Take transaction control away from pysqlite so that BEGIN is ours (SQLAlchemy docs,
        # "Serializable isolation / Savepoints / Transactional DDL").
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # IMMEDIATE takes the write lock up front: SQLite's stand-in for PostgreSQL's per-user row
        # lock, so two pushes never interleave and a reader never has to upgrade to a writer.
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def create_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def read_in_autocommit(session: Session) -> None:
    """On PostgreSQL, the session's next transaction runs in AUTOCOMMIT: its statements send no
    BEGIN, and its commit or rollback no COMMIT or ROLLBACK, two round trips fewer. For reads of one
    statement (authentication's session check, a read model by its key), which READ COMMITTED
    would not isolate any further; never before a write, which would commit at once. A session
    already in a transaction keeps it."""
    if session.get_bind().dialect.name == "postgresql" and not session.in_transaction():
        session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


@contextmanager
def snapshot(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A read transaction that sees one consistent snapshot (REPEATABLE READ on PostgreSQL)."""
    with factory() as session:
        if session.get_bind().dialect.name == "postgresql":
            session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        yield session
