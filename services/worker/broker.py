"""A Redis client on the broker, for what Celery has no API for: debounce keys and queue lengths."""

from functools import lru_cache

import redis

from services.core.settings import get_settings


@lru_cache
def broker_client() -> redis.Redis:
    return redis.Redis.from_url(get_settings().redis_url or "", socket_timeout=5, socket_connect_timeout=5)
