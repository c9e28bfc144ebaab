"""The schema changes only through Alembic: migrations build exactly the models, both ways,
on PostgreSQL and on the embedded SQLite."""

import uuid
from collections.abc import Iterator

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect
from sqlalchemy.orm import Session

from services.core.db import create_db_engine
from services.core.migrate import alembic_config
from services.core.models import Base, Exercise, Program
from services.core.partitioning import include_object
from services.core.seeding import seed_reference_data
from services.core.settings import Settings
from tests.conftest import create_throwaway_database, drop_database


@pytest.fixture
def postgres_url() -> Iterator[str]:
    name = f"posterior_migrations_{uuid.uuid4().hex[:8]}"
    yield create_throwaway_database(name).render_as_string(hide_password=False)
    drop_database(name)


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path}/posterior.db"


def run_alembic(url: str, action: str, target: str) -> None:
    engine = create_db_engine(Settings(database_url=url, jwt_secret="x" * 32))
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        getattr(command, action)(config, target)
    engine.dispose()


def drift(url: str) -> list:
    engine = create_db_engine(Settings(database_url=url, jwt_secret="x" * 32))
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": include_object(Base.metadata)}
        )
        differences = compare_metadata(context, Base.metadata)
    engine.dispose()
    return differences


def table_names(url: str) -> set[str]:
    engine = create_db_engine(Settings(database_url=url, jwt_secret="x" * 32))
    names = set(inspect(engine).get_table_names())
    engine.dispose()
    return names


@pytest.mark.parametrize("backend", ["postgres_url", "sqlite_url"])
def test_migrations_build_exactly_the_models(backend, request):
    url = request.getfixturevalue(backend)
    run_alembic(url, "upgrade", "head")
    assert drift(url) == []


@pytest.mark.parametrize("backend", ["postgres_url", "sqlite_url"])
def test_downgrade_to_base_removes_every_table_and_upgrade_works_again(backend, request):
    url = request.getfixturevalue(backend)
    run_alembic(url, "upgrade", "head")
    run_alembic(url, "downgrade", "base")
    assert table_names(url) <= {"alembic_version"}
    run_alembic(url, "upgrade", "head")
    assert set(Base.metadata.tables) <= table_names(url)


def test_seeding_twice_changes_nothing(postgres_url):
    run_alembic(postgres_url, "upgrade", "head")
    engine = create_engine(postgres_url.replace("postgresql://", "postgresql+psycopg://", 1))
    revisions = []
    for _ in range(2):
        with Session(engine) as session:
            seed_reference_data(session)
            session.commit()
            revisions.append({e.id: e.revision for e in session.query(Exercise)})
            assert session.query(Program).count() >= 4
    engine.dispose()
    assert len(revisions[0]) >= 13
    assert revisions[1] == revisions[0]


def test_every_exercise_has_a_catalog_revision_of_its_own(postgres_url):
    # A paged pull stops between any two exercises and resumes after the revision it sent last.
    run_alembic(postgres_url, "upgrade", "head")
    engine = create_engine(postgres_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with Session(engine) as session:
        seed_reference_data(session)
        session.commit()
        revisions = [e.revision for e in session.query(Exercise)]
    engine.dispose()
    assert len(set(revisions)) == len(revisions)
