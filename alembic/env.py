"""Alembic environment. The URL comes from the application settings (DATABASE_URL); tests pass
an open connection through `config.attributes["connection"]`."""

from alembic import context
from sqlalchemy import Connection

from services.core.db import create_db_engine
from services.core.models import Base
from services.core.partitioning import include_object
from services.core.settings import get_settings

config = context.config


def run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
        compare_type=True,
        include_object=include_object(Base.metadata),  # the partitions are not models
    )
    with context.begin_transaction():
        context.run_migrations()


def main() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run_migrations(connection)
        return
    engine = create_db_engine(get_settings())
    with engine.connect() as connection:
        run_migrations(connection)
    engine.dispose()


main()
