"""One engine per worker process, created on first use (after the prefork fork, never before)."""

from functools import lru_cache

from sqlalchemy.orm import Session, sessionmaker

from services.core.db import create_db_engine, create_session_factory
from services.core.settings import get_settings


@lru_cache
def session_factory() -> sessionmaker[Session]:
    return create_session_factory(create_db_engine(get_settings()))
