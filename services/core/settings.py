"""Runtime configuration, read from the environment (and `.env`) through pydantic-settings."""

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from limits import parse
from pydantic import SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

VAR_DIR = Path("var")
# The longest countdown before a task's automatic retry (retry_backoff_max of the worker's tasks).
RETRY_BACKOFF_MAX_S = 8
EMBEDDED_SECRET_FILE = VAR_DIR / "jwt-secret"
MAIL_DIR = VAR_DIR / "mail"  # account mail in the embedded default (no SMTP_URL)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    environment: Literal["embedded", "production"] = "embedded"
    database_url: str = f"sqlite:///{VAR_DIR}/posterior.db"
    redis_url: str | None = None  # None → tasks run in process after commit
    jwt_secret: SecretStr | None = None
    access_token_ttl_s: int = 15 * 60
    refresh_token_ttl_s: int = 30 * 24 * 3600
    log_level: str = "INFO"
    cors_origins: list[str] = []
    max_body_bytes: int = 4 * 1024 * 1024
    db_pool_size: int = 10
    api_host: str = "127.0.0.1"
    api_port: int = 8000
    api_workers: int = 1
    # Recovery from a lost worker (docs/operations.md, "Queues and recovery bounds"): Redis hands
    # an unacknowledged message to another worker once it is older than the visibility timeout,
    # and every worker looks for such messages every `broker_restore_interval_s`. Every task is
    # killed at its hard time limit, below the timeout, so no running task is handed out twice.
    task_time_limit_s: int = 20
    broker_visibility_timeout_s: int = 30
    broker_restore_interval_s: float = 5.0
    # How long a committed change may wait for the relay: on average half of it is in the time from
    # a push to its insights (bench/README.md, finding 4). An empty run is one SELECT … SKIP LOCKED
    # on the pending rows' partial index (~0.9 ms of CPU for its transaction) plus its message.
    outbox_relay_interval_s: float = 0.2
    # A dispatched outbox row not processed after this long had its message lost (with Redis, say)
    # and goes back to pending; the sweep that checks runs every `outbox_sweep_interval_s`.
    outbox_stale_after_s: float = 30.0
    outbox_sweep_interval_s: float = 5.0
    recompute_debounce_s: float = 0.3
    worker_metrics_port: int = 9808
    # uvicorn trusts X-Forwarded-For only from these addresses (the ingress), so anonymous rate
    # limits count the real client rather than the proxy.
    forwarded_allow_ips: str = "127.0.0.1"
    # Rate limits (services/api/ratelimit.py), in the `limits` syntax: "<count>/<period>" or
    # "<count> per <n> <period>s".
    rate_limit_partner: str = "1200/minute"  # per API key
    rate_limit_user: str = "600/minute"  # per user access token
    rate_limit_anonymous: str = "120/minute"  # per client address, without credentials (logins too)
    rate_limit_signup: str = "10/minute"  # per client address, every registration
    rate_limit_login_failures: str = "5 per 15 minutes"  # per account; then logins wait
    # Per client address, failed passwords to any account; then logins from there wait. Ten times
    # the account's: many people share a carrier NAT or a gym's Wi-Fi (docs/security.md, API2).
    rate_limit_login_failures_per_address: str = "50 per 15 minutes"
    # Per client address: the forms that take a mailed token or send a mail (password reset,
    # its confirmation, email verification). Per address too, whoever it names: mail to one
    # address (a reset asked for again and again would flood a mailbox).
    rate_limit_account_forms: str = "10/minute"
    rate_limit_mail_per_address: str = "3 per 15 minutes"
    # Account mail (services/core/mail.py): smtp://[user:password@]host:port (STARTTLS when the
    # server offers it) or smtps://… (TLS from the start). None in the embedded default: the
    # messages are written as .eml files under var/mail/ instead.
    smtp_url: SecretStr | None = None
    mail_from: str = "Posterior <no-reply@posterior.invalid>"
    # Where the links in account mail point: the app's own link (it reads `token` and calls the API).
    app_link_url: str = "posterior://account"
    password_reset_ttl_s: int = 30 * 60
    email_verification_ttl_s: int = 48 * 3600
    # Webhooks (services/core/webhooks/). Private, loopback, link-local… targets are refused
    # unless this is set — only for local development and tests, whose receivers are on 127.0.0.1.
    webhook_allow_private_targets: bool = False
    webhook_timeout_s: float = 10.0
    webhook_retry_base_s: float = 30.0  # the first retry's delay, doubled for every further one
    webhook_retry_cap_s: float = 6 * 3600.0
    webhook_retry_window_s: float = 24 * 3600.0  # the last retry is this long after the first attempt
    webhook_retry_scan_interval_s: float = 5.0  # beat's `webhooks.retry_due`
    # An endpoint is disabled after this many failed attempts in a row spanning at least this long.
    webhook_disable_after_failures: int = 15
    webhook_disable_after_s: float = 24 * 3600.0
    webhook_secret_overlap_s: float = 24 * 3600.0  # the previous secret still signs after a rotation

    @field_validator("redis_url", "jwt_secret", "smtp_url", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        # `REDIS_URL=` in an env file or a manifest means "not configured", not "the empty URL".
        return None if value == "" else value

    @field_validator(
        "rate_limit_partner",
        "rate_limit_user",
        "rate_limit_anonymous",
        "rate_limit_signup",
        "rate_limit_login_failures",
        "rate_limit_login_failures_per_address",
        "rate_limit_account_forms",
        "rate_limit_mail_per_address",
    )
    @classmethod
    def _parsable_rate_limit(cls, value: str) -> str:
        parse(value)  # a typo fails at start-up, not on the first request
        return value

    @model_validator(mode="after")
    def _tasks_end_before_redis_hands_them_out_again(self) -> "Settings":
        # A task waits out its retry countdown unacknowledged in a worker, then runs up to its hard
        # limit: all of it must fit in the visibility timeout, or a slow task runs twice at once
        # (Celery docs, "Redis: visibility timeout"). A webhook attempt must end before its task's
        # soft limit interrupts it half-recorded.
        if self.task_time_limit_s + RETRY_BACKOFF_MAX_S >= self.broker_visibility_timeout_s:
            raise ValueError(
                f"TASK_TIME_LIMIT_S ({self.task_time_limit_s}) plus the longest retry countdown "
                f"({RETRY_BACKOFF_MAX_S} s) must stay below BROKER_VISIBILITY_TIMEOUT_S "
                f"({self.broker_visibility_timeout_s})."
            )
        if self.webhook_timeout_s >= self.task_soft_time_limit_s:
            raise ValueError(
                f"WEBHOOK_TIMEOUT_S ({self.webhook_timeout_s:g}) must stay below the tasks' soft time "
                f"limit ({self.task_soft_time_limit_s} s, three quarters of TASK_TIME_LIMIT_S)."
            )
        return self

    @model_validator(mode="after")
    def _require_secret_in_production(self) -> "Settings":
        # A generated secret would change on every pod and invalidate every token, so production
        # must be given one; embedded mode keeps a generated one under var/.
        if self.jwt_secret is None and self.environment == "production":
            raise ValueError(
                "JWT_SECRET is not set. Production mode needs a stable secret shared by every API "
                "process: set JWT_SECRET (at least 32 random bytes), or ENVIRONMENT=embedded for local use."
            )
        return self

    @property
    def task_soft_time_limit_s(self) -> int:
        """Raises SoftTimeLimitExceeded in the task, which rolls its transaction back, before the
        hard limit kills the process."""
        return max(1, self.task_time_limit_s * 3 // 4)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def signing_secret(self) -> str:
        if self.jwt_secret is not None:
            return self.jwt_secret.get_secret_value()
        return _embedded_secret()


def _embedded_secret() -> str:
    if EMBEDDED_SECRET_FILE.exists():
        return EMBEDDED_SECRET_FILE.read_text().strip()
    VAR_DIR.mkdir(exist_ok=True)
    secret = secrets.token_urlsafe(48)
    EMBEDDED_SECRET_FILE.write_text(secret)
    EMBEDDED_SECRET_FILE.chmod(0o600)
    return secret


@lru_cache
def get_settings() -> Settings:
    return Settings()
