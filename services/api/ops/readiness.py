"""Readiness: whether this pod can serve, dependency by dependency (docs/operations.md, "Readiness").

- PostgreSQL is **required**: it is the only state, and every operation but `/healthz` reads it
  (accounts, tokens, logs). A pod that cannot reach it answers nothing but 503, so it leaves the
  Service and the pods that can reach it take the traffic.
- Redis is **optional** for the API: it holds rate-limit counters, which fail open, and nothing
  else the API waits for (a push writes its outbox row to PostgreSQL; the relay, not the request,
  talks to the broker). Without it pushes and pulls are answered as usual, so it never fails the
  probe: Redis is shared by every pod, and failing readiness on it would take them all out of the
  Service at once — turning a degraded API into no API.

Every check is bounded by a short timeout so a dead peer cannot hang a probe, and its result is
exported as `posterior_dependency_up{dependency}` for the alert on optional dependencies.
"""

from collections.abc import Callable
from dataclasses import dataclass

import redis
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from services.api import metrics

CHECK_TIMEOUT_S = 2


@dataclass(frozen=True, slots=True)
class Dependency:
    name: str
    required: bool  # the pod cannot serve without it
    answers: Callable[[], bool]


@dataclass(frozen=True, slots=True)
class Readiness:
    unreachable: list[str]  # required dependencies that did not answer: the pod is not ready
    degraded: list[str]  # optional ones that did not answer: the pod serves without them

    @property
    def ready(self) -> bool:
        return not self.unreachable


def dependencies(engine: Engine, redis_url: str | None) -> list[Dependency]:
    found = [Dependency("database", required=True, answers=lambda: _database_answers(engine))]
    if redis_url is not None:
        found.append(Dependency("redis", required=False, answers=lambda: _redis_answers(redis_url)))
    return found


def check(engine: Engine, redis_url: str | None) -> Readiness:
    unreachable: list[str] = []
    degraded: list[str] = []
    for dependency in dependencies(engine, redis_url):
        up = dependency.answers()
        metrics.DEPENDENCY_UP.labels(dependency.name).set(1 if up else 0)
        if not up:
            (unreachable if dependency.required else degraded).append(dependency.name)
    return Readiness(unreachable=unreachable, degraded=degraded)


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
