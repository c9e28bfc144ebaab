"""Dependency checks for /readyz, each bounded by a short timeout so a dead peer can't hang a probe."""

import redis
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

CHECK_TIMEOUT_S = 2


def check_dependencies(engine: Engine, redis_url: str | None) -> list[str]:
    failing = []
    if not _database_answers(engine):
        failing.append("database")
    if redis_url is not None and not _redis_answers(redis_url):
        failing.append("broker")
    return failing


def _database_answers(engine: Engine) -> bool:
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return False
    return True


def _redis_answers(redis_url: str) -> bool:
    client = redis.Redis.from_url(
        redis_url, socket_timeout=CHECK_TIMEOUT_S, socket_connect_timeout=CHECK_TIMEOUT_S
    )
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()
