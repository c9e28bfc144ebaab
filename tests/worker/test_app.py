"""The Celery application's task options: what makes every task safe to run twice, safe to lose a
worker in the middle of, and the queue each one waits in (services/worker/app.py, queues.py)."""

import pytest
from celery import Celery

from services.core.settings import Settings
from services.worker import queues
from services.worker.app import create_celery


@pytest.fixture(scope="module")
def celery(settings: Settings) -> Celery:
    app = create_celery(settings)
    app.loader.import_default_modules()  # registers the tasks of TASK_MODULES
    return app


def posterior_tasks(celery: Celery) -> list[str]:
    return sorted(name for name in celery.tasks if not name.startswith("celery."))


def test_a_task_is_acknowledged_after_it_ran_so_a_lost_worker_s_task_is_redelivered(celery):
    assert celery.conf.task_acks_late is True
    assert celery.conf.task_reject_on_worker_lost is True


def test_a_worker_holds_one_message_per_process_so_no_task_waits_behind_a_busy_one(celery):
    assert celery.conf.worker_prefetch_multiplier == 1


def test_the_weekly_fan_out_and_maintenance_wait_in_the_bulk_queue(celery):
    routes = celery.conf.task_routes
    assert routes["insights.weekly_fanout"] == {"queue": queues.BULK}
    assert routes["maintenance.purge"] == {"queue": queues.BULK}


def test_every_other_task_waits_in_the_interactive_queue(celery):
    routed = set(celery.conf.task_routes)
    assert celery.conf.task_default_queue == queues.INTERACTIVE
    assert [name for name in posterior_tasks(celery) if name not in routed] == [
        "insights.recompute_user",
        "mail.send_account_mail",
        "outbox.measure",
        "outbox.relay",
        "outbox.sweep",
        "webhooks.deliver",
        "webhooks.fan_out",
        "webhooks.retry_due",
    ]


def test_a_task_is_stopped_before_redis_would_hand_it_to_a_second_worker(celery, settings):
    visibility = celery.conf.broker_transport_options["visibility_timeout"]
    assert celery.conf.task_soft_time_limit < celery.conf.task_time_limit < visibility
    assert visibility == settings.broker_visibility_timeout_s


def test_every_scheduled_task_is_a_registered_task(celery):
    scheduled = {entry["task"] for entry in celery.conf.beat_schedule.values()}
    assert scheduled <= set(posterior_tasks(celery))


def test_results_are_not_kept_in_the_broker(celery):
    assert celery.conf.task_ignore_result is True
