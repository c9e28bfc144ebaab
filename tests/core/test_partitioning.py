"""The per-user tables are hash-partitioned by user_id (ARCHITECTURE.md, "Partitioning"): 16
partitions each, a user's rows in the partition of their user_id, and every statement of the hot
per-user paths (push, pull, recompute, next session, insights, partner feeds) planned on exactly one
partition of each table it reads. The statements explained are the ones the code runs, recorded as
it runs them."""

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session

from services.api.sync.tables import USER_TABLES
from services.core.models import Base, User
from services.core.partitioning import PARTS, partition_by_user, partitioned_tables
from services.core.repositories import sync
from services.core.usecases.recompute import recompute_user
from tests.api.programs.test_programs import program_by_slug
from tests.conftest import create_throwaway_database, drop_database
from tests.core.test_migrations import drift, run_alembic
from tests.factories.partners import an_insight, grant_directly, make_partner
from tests.factories.sync import (
    STARTED_AT,
    a_body_weight,
    a_pain_report,
    a_set,
    a_workout,
    changes,
    pull,
    push,
)
from tests.factories.users import register
from tests.factories.workouts import log_workout

PARTITIONED = partitioned_tables(Base.metadata)
# The tables that existed before partitioning, converted with their rows by its migration; the
# later per-user tables are created partitioned.
PARTITIONED_BY_9C3F5A7E2D61 = {
    "workouts",
    "workout_sets",
    "pain_reports",
    "body_weights",
    "custom_exercises",
    "equipment_profiles",
    "insights",
    "prescriptions",
    "program_records",
    "planned_sessions",
}
BEFORE_PARTITIONING = "5b8e1d4c7a20"
PARTITION = re.compile(r"^(?P<parent>\w+)_p(?P<index>\d+)$")


# -- what the explains read ------------------------------------------------------------------


@contextmanager
def statements_run_on(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    """Every statement (and its parameters) the code runs on `engine` inside the block."""
    seen: list[tuple[str, Any]] = []

    def record(_conn, _cursor, statement, parameters, _context, executemany) -> None:
        if not executemany and re.match(r"\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b", statement, re.I):
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def partitions_planned(engine: Engine, statement: str, parameters: Any) -> dict[str, set[str]]:
    """The partitions the plan of a statement reads, by partitioned table."""
    with engine.connect() as connection:
        plan = connection.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {statement}", parameters).scalar_one()
    planned: dict[str, set[str]] = {}
    for relation in relations(plan[0]["Plan"]):
        match = PARTITION.match(relation)
        if match and match["parent"] in PARTITIONED:
            planned.setdefault(match["parent"], set()).add(relation)
    return planned


def relations(node: dict[str, Any]) -> Iterator[str]:
    if "Relation Name" in node:
        yield node["Relation Name"]
    for child in node.get("Plans", ()):
        yield from relations(child)


def assert_each_reads_one_partition(engine: Engine, statements: list[tuple[str, Any]]) -> set[str]:
    """Every statement reads one partition of each partitioned table it reads; returns those tables."""
    read: set[str] = set()
    for statement, parameters in statements:
        for table, partitions in partitions_planned(engine, statement, parameters).items():
            assert len(partitions) == 1, f"{table}: {sorted(partitions)} in\n{statement}"
            read.add(table)
    return read


# -- the user whose paths are explained ------------------------------------------------------


@pytest.fixture
def account(client):
    account = register(client)
    enrolled = {
        "program_id": program_by_slug(client, "posterior-chain-builder")["id"],
        "start_date": "2026-01-05",
    }
    assert client.put("/v1/me/enrollment", json=enrolled, headers=account.headers).status_code == 200
    return account


def a_leg_day() -> dict[str, Any]:
    workout = a_workout()
    sets = [a_set(workout["id"], set_index=i, performed_at=STARTED_AT + i * 60_000) for i in range(3)]
    return changes(
        workouts=[workout], sets=sets, pain_reports=[a_pain_report()], body_weights=[a_body_weight()]
    )


# -- the shape ---------------------------------------------------------------------------------


def partitioning_of(engine: Engine) -> dict[str, str]:
    """Each partitioned table's partition key and its number of partitions."""
    with engine.connect() as connection:
        return dict(
            connection.execute(
                text(
                    "SELECT p.partrelid::regclass::text, pg_get_partkeydef(p.partrelid) || ' / ' || "
                    "(SELECT count(*) FROM pg_inherits i WHERE i.inhparent = p.partrelid) "
                    "FROM pg_partitioned_table p"
                )
            ).all()
        )


EXPECTED = dict.fromkeys(PARTITIONED, f"HASH (user_id) / {PARTS}")


def test_every_per_user_table_is_hash_partitioned_by_user_id_in_16_partitions(engine):
    assert partitioning_of(engine) == EXPECTED
    assert PARTITIONED_BY_9C3F5A7E2D61 | {"weekly_exercise_aggregates", "insight_lists"} == PARTITIONED


def test_a_users_rows_land_in_the_partition_their_user_id_hashes_to(client, engine, account):
    assert push(client, account, a_leg_day()).status_code == 200
    with engine.connect() as connection:
        for table in ("workouts", "workout_sets", "pain_reports", "body_weights", "planned_sessions"):
            (partition,) = connection.execute(
                text(f"SELECT DISTINCT tableoid::regclass::text FROM {table} WHERE user_id = :user"),
                {"user": account.id},
            ).scalars()
            index = int(PARTITION.match(partition)["index"])
            assert connection.scalar(
                text(
                    f"SELECT satisfies_hash_partition('{table}'::regclass, {PARTS}, {index}, CAST(:user AS uuid))"
                ),
                {"user": account.id},
            ), f"{table}: {partition}"


# -- partition pruning of the hot paths --------------------------------------------------------


def test_every_statement_of_a_push_reads_one_partition_of_each_table(client, account):
    with statements_run_on(client.app.state.engine) as statements:
        assert push(client, account, a_leg_day()).status_code == 200
    read = assert_each_reads_one_partition(client.app.state.engine, statements)
    assert {"workouts", "workout_sets", "planned_sessions"} <= read  # the stored rows, the read model


@pytest.mark.parametrize("table", sorted(USER_TABLES))
@pytest.mark.parametrize("deleted", [False, True], ids=["rows", "tombstones"])
def test_the_pulls_changed_rows_of_a_table_read_one_partition(engine, account, table, deleted):
    synced = USER_TABLES[table]
    stmt = sync.changed_rows(
        synced.rows, synced.columns, user_id=account.id, after_version=0, up_to_version=10**9, deleted=deleted
    )
    with engine.connect() as connection:
        compiled = stmt.compile(dialect=connection.dialect)  # as the pull streams it (sync._streamed)
    planned = partitions_planned(engine, compiled.string, compiled.params)
    assert {name: len(partitions) for name, partitions in planned.items()} == {synced.rows.__tablename__: 1}


def test_every_statement_of_a_pull_that_sqlalchemy_runs_reads_one_partition(client, account):
    push(client, account, a_leg_day())
    with statements_run_on(client.app.state.engine) as statements:
        pull(client, account)
    assert_each_reads_one_partition(client.app.state.engine, statements)


def test_every_statement_of_a_recompute_reads_one_partition_of_each_table(client, engine, account):
    push(client, account, a_leg_day())
    log_workout(engine, account.id, started_at=datetime.now(UTC), sets=[{"reps": 10}, {"reps": 9}])
    with statements_run_on(engine) as statements, Session(engine) as session:
        recompute_user(session, account.id)
        session.commit()
    read = assert_each_reads_one_partition(engine, statements)
    assert {"workouts", "workout_sets", "pain_reports", "insights", "prescriptions"} <= read


@pytest.mark.parametrize("path", ["/v1/me/next-session", "/v1/me/insights", "/v1/me/workouts"])
def test_the_users_reads_read_one_partition(client, engine, account, path):
    an_insight(engine, account.id)
    with statements_run_on(client.app.state.engine) as statements:
        assert client.get(path, headers=account.headers).status_code == 200
    assert assert_each_reads_one_partition(client.app.state.engine, statements)


@pytest.mark.parametrize("feed", ["workouts", "insights"])
def test_a_partners_change_feed_reads_one_partition(client, engine, account, feed):
    partner = make_partner(engine)
    grant_directly(engine, partner, account.id)
    push(client, account, a_leg_day())
    an_insight(engine, account.id)
    with statements_run_on(client.app.state.engine) as statements:
        response = client.get(f"/v1/users/{account.id}/changes/{feed}", headers=partner.headers)
        assert response.status_code == 200, response.text
    assert feed in assert_each_reads_one_partition(client.app.state.engine, statements)


# -- converting, both ways ---------------------------------------------------------------------


@pytest.fixture
def scratch_url() -> Iterator[str]:
    name = f"posterior_partitioning_{uuid.uuid4().hex[:8]}"
    yield create_throwaway_database(name).render_as_string(hide_password=False)
    drop_database(name)


def contents(engine: Engine) -> dict[str, list[Any]]:
    with engine.connect() as connection:
        return {
            table: connection.execute(text(f"SELECT * FROM {table} ORDER BY user_id, id")).all()
            for table in sorted(PARTITIONED_BY_9C3F5A7E2D61)
        }


def test_downgrade_and_upgrade_keep_every_row_and_the_models_shape(scratch_url):
    run_alembic(scratch_url, "upgrade", "head")
    engine = create_engine(scratch_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with Session(engine) as session:
        user = User(email="round-trip@example.com", password_hash="x")
        session.add(user)
        session.commit()
        user_id = user.id
    log_workout(engine, user_id, started_at=datetime(2026, 3, 2, 17, tzinfo=UTC), sets=[{}, {"reps": 6}])
    an_insight(engine, user_id)
    before = contents(engine)
    assert before["workout_sets"]
    assert before["insights"]

    run_alembic(scratch_url, "downgrade", BEFORE_PARTITIONING)
    assert partitioning_of(engine) == {}
    assert contents(engine) == before
    run_alembic(scratch_url, "upgrade", "head")
    assert partitioning_of(engine) == EXPECTED
    assert contents(engine) == before
    engine.dispose()
    assert drift(scratch_url) == []


def test_create_all_builds_the_same_partitioned_shape_as_the_migrations(scratch_url):
    engine = create_engine(scratch_url.replace("postgresql://", "postgresql+psycopg://", 1))
    Base.metadata.create_all(engine)
    assert partitioning_of(engine) == EXPECTED
    engine.dispose()
    assert drift(scratch_url) == []


def test_a_table_with_a_unique_key_without_user_id_is_refused_untouched(engine):
    with engine.connect() as connection:
        connection.execute(
            text("CREATE TABLE codes (user_id uuid, id text, code text UNIQUE, PRIMARY KEY (user_id, id))")
        )
        with pytest.raises(ValueError, match="codes_code_key"):
            partition_by_user(connection, "codes")
        assert connection.scalar(text("SELECT count(*) FROM pg_partitioned_table")) == len(PARTITIONED)
        connection.rollback()
