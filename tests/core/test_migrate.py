"""`migrate` says what it did, so the Kubernetes migration Job's log tells whether a deployment
changed the database: the revision it started from and reached, what the seed added or changed."""

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text

from services.core.db import normalize_url
from services.core.migrate import alembic_config, migrate
from services.core.seed.exercises import EXERCISES
from services.core.seed.programs import PROGRAMS
from services.core.seeding import SeedReport
from services.core.settings import Settings
from tests.conftest import TEST_JWT_SECRET, create_throwaway_database, drop_database

ROOT = Path(__file__).resolve().parents[2]
NOTHING_SEEDED = SeedReport(
    exercises_added=0, exercises_changed=0, programs_added=0, programs_changed=0, next_sessions_refreshed=0
)


@pytest.fixture
def empty_database() -> Iterator[str]:
    name = f"posterior_migrate_{uuid.uuid4().hex[:8]}"
    yield create_throwaway_database(name).render_as_string(hide_password=False)
    drop_database(name)


def head() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def settings(url: str) -> Settings:
    return Settings(database_url=url, jwt_secret=TEST_JWT_SECRET, _env_file=None)


def test_the_migrate_command_logs_the_revision_it_reached_and_what_it_seeded(empty_database, tmp_path):
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": empty_database,
        "ENVIRONMENT": "production",
        "JWT_SECRET": TEST_JWT_SECRET,
        "REDIS_URL": "",
        "LOG_LEVEL": "INFO",
    }
    done = subprocess.run(
        [sys.executable, "-m", "services.entrypoint", "migrate"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    entries = [json.loads(line) for line in done.stderr.splitlines()]
    [summary] = [entry for entry in entries if entry["event"] == "database migrated"]
    assert summary | {"timestamp": None} == {
        "event": "database migrated",
        "level": "info",
        "logger": "services.core.migrate",
        "timestamp": None,
        "revision_from": None,
        "revision": head(),
        "exercises_added": len(EXERCISES),
        "exercises_changed": 0,
        "programs_added": len(PROGRAMS),
        "programs_changed": 0,
        "next_sessions_refreshed": 0,
    }
    assert any(entry["event"].startswith("Running upgrade") for entry in entries)


def test_a_second_run_reports_the_same_revision_and_nothing_seeded(empty_database):
    migrate(settings(empty_database))
    report = migrate(settings(empty_database))
    assert (report.revision_from, report.revision, report.seeded) == (head(), head(), NOTHING_SEEDED)


def test_an_edited_exercise_and_program_are_reported_as_changed(empty_database):
    migrate(settings(empty_database))
    engine = create_engine(normalize_url(empty_database))
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE exercises SET name = 'edited' WHERE id = :id"), {"id": EXERCISES[0].id}
        )
        connection.execute(
            text("UPDATE program_slots SET sets = sets + 1 WHERE program_day_id = :id AND slot_index = 0"),
            {"id": PROGRAMS[0].days[0].id},
        )
    engine.dispose()
    report = migrate(settings(empty_database))
    assert report.seeded == SeedReport(
        exercises_added=0,
        exercises_changed=1,
        programs_added=0,
        programs_changed=1,
        next_sessions_refreshed=0,
    )
