"""Retries back off exponentially for about a day; persistent failure disables an endpoint."""

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from services.core.settings import Settings
from services.core.webhooks import schedule

DEFAULTS = Settings(jwt_secret="x" * 32, _env_file=None)


def test_by_default_retries_double_from_30_s_capped_at_6_h_and_span_24_h():
    delays = schedule.retry_schedule(DEFAULTS)
    assert delays[:4] == (30, 60, 120, 240)
    assert max(delays) == 6 * 3600
    assert sum(delays) == 24 * 3600
    assert all(later >= earlier for earlier, later in itertools.pairwise(delays[:-1]))
    assert len(delays) == 13  # 14 attempts in all


def test_the_last_wait_is_shortened_to_end_the_window():
    assert schedule.retry_delays(base_s=1, cap_s=4, window_s=10) == (1, 2, 4, 3)


def test_a_delivery_gives_up_once_the_schedule_is_used_up():
    settings = DEFAULTS.model_copy(
        update={"webhook_retry_base_s": 1, "webhook_retry_cap_s": 4, "webhook_retry_window_s": 10}
    )
    assert schedule.next_retry_delay(1, settings) == timedelta(seconds=1)
    assert schedule.next_retry_delay(4, settings) == timedelta(seconds=3)
    assert schedule.next_retry_delay(5, settings) is None


def test_delays_must_be_positive():
    with pytest.raises(ValueError, match="positive"):
        schedule.retry_delays(base_s=0, cap_s=1, window_s=10)


NOW = datetime(2026, 3, 2, 12, tzinfo=UTC)


def test_many_failures_over_a_day_disable_an_endpoint():
    assert schedule.should_disable(
        consecutive_failures=15, failing_since=NOW - timedelta(hours=24), now=NOW, settings=DEFAULTS
    )


def test_a_burst_of_failures_within_minutes_does_not_disable_it():
    assert not schedule.should_disable(
        consecutive_failures=200, failing_since=NOW - timedelta(minutes=10), now=NOW, settings=DEFAULTS
    )


def test_a_day_of_few_failures_does_not_disable_it():
    assert not schedule.should_disable(
        consecutive_failures=3, failing_since=NOW - timedelta(days=2), now=NOW, settings=DEFAULTS
    )
