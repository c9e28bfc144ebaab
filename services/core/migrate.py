"""`python -m services.core.migrate`: upgrade the schema to head, then seed the reference data.

The one command that prepares a database, used by `make run`, the `migrate` entry point of the
image and the Kubernetes migration Job. Both steps are idempotent. It logs what it did (the
revision it started from and reached, what the seed added or changed), so the Job's log tells
whether a deployment changed the database.
"""

from dataclasses import asdict, dataclass
from pathlib import Path

import structlog
from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy.orm import Session

from services.core.db import create_db_engine
from services.core.logs import configure_logging
from services.core.seeding import SeedReport, seed_reference_data
from services.core.settings import Settings, get_settings

SOURCE_ROOT = Path(__file__).resolve().parents[2]

log = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True)
class MigrationReport:
    revision_from: str | None  # None: the database had no schema yet
    revision: str | None
    seeded: SeedReport


def alembic_config() -> Config:
    # From a checkout the migrations sit beside `services/`; in the image (the package installed
    # into a venv) they sit in the working directory.
    root = Path.cwd() if (Path.cwd() / "alembic.ini").is_file() else SOURCE_ROOT
    config = Config(str(root / "alembic.ini"))
    config.set_main_option("script_location", str(root / "alembic"))
    return config


def migrate(settings: Settings) -> MigrationReport:
    engine = create_db_engine(settings)
    with engine.begin() as connection:
        versions = MigrationContext.configure(connection)  # reads alembic_version on every call
        revision_from = versions.get_current_revision()
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        revision = versions.get_current_revision()
        seeded = seed_reference_data(Session(bind=connection))
    engine.dispose()
    report = MigrationReport(revision_from, revision, seeded)
    log.info("database migrated", revision_from=revision_from, revision=revision, **asdict(seeded))
    return report


if __name__ == "__main__":
    settings = get_settings()
    configure_logging(settings.log_level, settings.environment)
    migrate(settings)
