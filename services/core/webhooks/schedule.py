"""When deliveries are retried, when an endpoint is disabled, and how long an attempt holds its
delivery (the lease)."""

from datetime import datetime, timedelta

from services.core.settings import Settings


def retry_delays(*, base_s: float, cap_s: float, window_s: float) -> tuple[float, ...]:
    """The wait after the 1st, 2nd, … failed attempt: base × 2ⁿ, at most cap_s, until the retries
    span window_s (the last wait is shortened to end exactly there)."""
    if base_s <= 0 or cap_s <= 0:
        raise ValueError("retry delays must be positive")
    delays: list[float] = []
    total = 0.0
    while total < window_s:
        delay = min(base_s * 2 ** len(delays), cap_s, window_s - total)
        delays.append(delay)
        total += delay
    return tuple(delays)


def retry_schedule(settings: Settings) -> tuple[float, ...]:
    return retry_delays(
        base_s=settings.webhook_retry_base_s,
        cap_s=settings.webhook_retry_cap_s,
        window_s=settings.webhook_retry_window_s,
    )


def next_retry_delay(attempts: int, settings: Settings) -> timedelta | None:
    """After `attempts` failed attempts: how long until the next one, or None to give up."""
    schedule = retry_schedule(settings)
    return timedelta(seconds=schedule[attempts - 1]) if 1 <= attempts <= len(schedule) else None


def should_disable(
    *, consecutive_failures: int, failing_since: datetime | None, now: datetime, settings: Settings
) -> bool:
    """Persistent failure: many failed attempts in a row, over a long time. A burst of failures
    while a receiver restarts (many events, a few minutes) does not disable it."""
    return (
        consecutive_failures >= settings.webhook_disable_after_failures
        and failing_since is not None
        and (now - failing_since).total_seconds() >= settings.webhook_disable_after_s
    )


def attempt_lease(settings: Settings) -> timedelta:
    """How long a queued or running attempt keeps its delivery from being handed out again.

    No attempt outlives its task's hard time limit (a worker kills it there; in process, the
    request's own timeout, below that limit, ends it), so once the limit and a margin for the
    recording transaction have passed, the attempt is over or lost with its worker, and handing
    the delivery out again cannot make two attempts overlap.
    """
    return timedelta(seconds=settings.task_time_limit_s + 5)
