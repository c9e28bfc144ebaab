"""The contract tests run in the webhook tests' world: a database and a Redis server of each
module's own (no other test's worker relays or delivers their outbox rows), and production
settings with short webhook retries."""

from tests.e2e.webhooks.conftest import hooks_database, hooks_env, hooks_redis

__all__ = ["hooks_database", "hooks_env", "hooks_redis"]
