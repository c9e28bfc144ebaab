"""The per-user tables, hash-partitioned by `user_id` on PostgreSQL (ARCHITECTURE.md, "Partitioning").

A model opts in with `partitioned_by_user()` in its `__table_args__`: `create_all` then builds the
parent `PARTITION BY HASH (user_id)` and its `PARTS` partitions `<table>_p0` … `<table>_p15`. A
database built by the migrations gets the same shape from `partition_by_user`, which converts a
table that already holds rows; `unpartition` undoes it. SQLite (the embedded mode) has no
partitioning: there every function here leaves the table as it is.

Every statement on these tables filters by `user_id`, so the planner prunes to the one partition
holding the user; that is also why the primary key and every unique index must include `user_id`
(PostgreSQL enforces uniqueness per partition only).
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, MetaData, Table, text

PARTS = 16
PARTITION_KEY = "user_id"
_PARTITION_BY = f"HASH ({PARTITION_KEY})"


def partitioned_by_user() -> dict[str, Any]:
    """The table keyword arguments of a partitioned per-user model (the last item of its `__table_args__`)."""
    return {"postgresql_partition_by": _PARTITION_BY}


def partition_names(table: str) -> list[str]:
    return [f"{table}_p{index}" for index in range(PARTS)]


def partitioned_tables(metadata: MetaData) -> set[str]:
    return {name for name, table in metadata.tables.items() if _is_partitioned(table)}


def include_object(metadata: MetaData) -> Callable[[Any, str | None, str, bool, Any], bool]:
    """Alembic's `include_object` hook: the partitions of the models' partitioned tables, and the
    foreign keys PostgreSQL keeps from a referencing table to each partition of the one it references,
    are the database's business, not the models' (autogenerate and the drift test skip them)."""
    partitions = {name for parent in partitioned_tables(metadata) for name in partition_names(parent)}

    def include(item: Any, name: str | None, type_: str, _reflected: bool, _compare_to: Any) -> bool:
        if type_ == "table":
            return name not in partitions
        if type_ == "foreign_key_constraint":
            return item.referred_table.name not in partitions
        return True

    return include


def partition_by_user(conn: Connection, table: str, parts: int = PARTS) -> None:
    """Turn `table` (with its rows) into a hash-partitioned parent with `parts` partitions, keeping the
    names of its primary key, indexes and constraints and the foreign keys pointing at it."""
    if conn.dialect.name != "postgresql":
        return
    _rebuild(conn, table, f"PARTITION BY {_PARTITION_BY}", parts)


def unpartition(conn: Connection, table: str) -> None:
    """The reverse of `partition_by_user`: one plain table with the same rows, names and keys."""
    if conn.dialect.name != "postgresql":
        return
    _rebuild(conn, table, "", 0)


@dataclass(frozen=True, slots=True)
class _Constraint:
    table: str  # the table that holds it: `table` itself or, for a foreign key into it, the referencing one
    name: str
    definition: str


@dataclass(frozen=True, slots=True)
class _Shape:
    """What a rebuild recreates, read from the catalog before the old table goes."""

    constraints: list[_Constraint]  # primary key, unique and foreign keys of the table, in that order
    incoming: list[_Constraint]  # foreign keys of other tables referencing it
    indexes: list[str]  # CREATE INDEX statements of the indexes that back no constraint


def _rebuild(conn: Connection, table: str, partition_clause: str, parts: int) -> None:
    shape = _read_shape(conn, table)
    if partition_clause:
        _check_keys_include_user(conn, table, shape)
    for constraint in shape.incoming:
        conn.execute(text(f'ALTER TABLE "{constraint.table}" DROP CONSTRAINT "{constraint.name}"'))
    old = f"{table}_unpartitioned" if partition_clause else f"{table}_partitioned"
    conn.execute(text(f'ALTER TABLE "{table}" RENAME TO "{old}"'))
    # LIKE copies columns, NOT NULL, defaults and checks; keys and indexes are added after the rows
    # (faster than maintaining them row by row, and they must keep their names, which the old table
    # holds until it is dropped).
    conn.execute(
        text(
            f'CREATE TABLE "{table}" (LIKE "{old}" INCLUDING DEFAULTS INCLUDING CONSTRAINTS '
            f"INCLUDING STORAGE INCLUDING COMMENTS) {partition_clause}"
        )
    )
    _create_partitions(conn, table, parts)
    conn.execute(text(f'INSERT INTO "{table}" SELECT * FROM "{old}"'))
    conn.execute(text(f'DROP TABLE "{old}"'))
    for constraint in shape.constraints:
        conn.execute(
            text(f'ALTER TABLE "{table}" ADD CONSTRAINT "{constraint.name}" {constraint.definition}')
        )
    for statement in shape.indexes:
        conn.execute(text(statement))
    for constraint in shape.incoming:
        conn.execute(
            text(
                f'ALTER TABLE "{constraint.table}" ADD CONSTRAINT "{constraint.name}" {constraint.definition}'
            )
        )
    conn.execute(text(f'ANALYZE "{table}"'))


def _read_shape(conn: Connection, table: str) -> _Shape:
    own = conn.execute(
        text(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = CAST(:table AS regclass) AND contype IN ('p', 'u', 'f') AND conparentid = 0 "
            "ORDER BY CASE contype WHEN 'p' THEN 0 WHEN 'u' THEN 1 ELSE 2 END, conname"
        ),
        {"table": table},
    ).all()
    incoming = conn.execute(
        text(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE confrelid = CAST(:table AS regclass) AND contype = 'f' AND conrelid <> confrelid "
            "AND conparentid = 0 ORDER BY conname"
        ),
        {"table": table},
    ).all()
    # Indexes of the table that back no constraint; on a partitioned parent they read
    # `ON ONLY <table>`, which would build no index on the partitions.
    indexes = conn.execute(
        text(
            "SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "WHERE i.indrelid = CAST(:table AS regclass) "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid "
            "AND k.conrelid = i.indrelid) ORDER BY c.relname"
        ),
        {"table": table},
    ).scalars()
    return _Shape(
        constraints=[_Constraint(table, name, definition) for name, definition in own],
        incoming=[_Constraint(source, name, definition) for source, name, definition in incoming],
        indexes=[statement.replace(" ON ONLY ", " ON ", 1) for statement in indexes],
    )


def _check_keys_include_user(conn: Connection, table: str, shape: _Shape) -> None:
    """PostgreSQL enforces a unique key on a partitioned table per partition, so it only accepts
    keys that include the partition key; say which one does not, before anything changed."""
    unique = conn.execute(
        text(
            "SELECT c.relname, ARRAY(SELECT a.attname FROM unnest(i.indkey) AS k(attnum) "
            "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum) "
            "FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "WHERE i.indrelid = CAST(:table AS regclass) AND i.indisunique"
        ),
        {"table": table},
    ).all()
    missing = sorted(name for name, columns in unique if PARTITION_KEY not in columns)
    if missing:
        raise ValueError(f"{table}: unique keys without {PARTITION_KEY} cannot be partitioned: {missing}")
    for constraint in shape.incoming:
        referenced = re.search(r"REFERENCES [^(]+\((?P<columns>[^)]*)\)", constraint.definition)
        if referenced is None or PARTITION_KEY not in _columns(referenced["columns"]):
            raise ValueError(
                f"{constraint.table}.{constraint.name} references {table} without {PARTITION_KEY}"
            )


def _columns(listing: str) -> Iterable[str]:
    return (column.strip().strip('"') for column in listing.split(","))


def _is_partitioned(table: Table) -> bool:
    partition_by: str | None = table.dialect_options["postgresql"]["partition_by"]
    return partition_by == _PARTITION_BY


def create_partitions(
    _metadata: MetaData, connection: Connection, tables: Iterable[Table] = (), **_kw: Any
) -> None:
    """After `create_all` (models/base.py listens with it): the partitions of the partitioned parents
    it built, so they can take rows."""
    if connection.dialect.name != "postgresql":
        return
    for table in tables:
        if not _is_partitioned(table):
            continue
        _create_partitions(connection, table.name, PARTS)


def _create_partitions(conn: Connection, table: str, parts: int) -> None:
    for index in range(parts):
        conn.execute(
            text(
                f'CREATE TABLE "{table}_p{index}" PARTITION OF "{table}" '
                f"FOR VALUES WITH (MODULUS {parts}, REMAINDER {index})"
            )
        )
