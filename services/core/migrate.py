"""`python -m services.core.migrate`: upgrade the schema to head, then seed the reference data.

The one command that prepares a database, used by `make run`, the `migrate` entry point of the
image and the Kubernetes migration Job. Both steps are idempotent.
"""

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.orm import Session

from services.core.db import create_db_engine
from services.core.seeding import seed_reference_data
from services.core.settings import Settings, get_settings

SOURCE_ROOT = Path(__file__).resolve().parents[2]


def alembic_config() -> Config:
    # From a checkout the migrations sit beside `services/`; in the image (the package installed
    # into a venv) they sit in the working directory.
    root = Path.cwd() if (Path.cwd() / "alembic.ini").is_file() else SOURCE_ROOT
    config = Config(str(root / "alembic.ini"))
    config.set_main_option("script_location", str(root / "alembic"))
    return config


def migrate(settings: Settings) -> None:
    engine = create_db_engine(settings)
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        seed_reference_data(Session(bind=connection))
    engine.dispose()


if __name__ == "__main__":
    migrate(get_settings())
