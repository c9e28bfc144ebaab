"""The Celery application (`celery -A services.worker.app`): Redis broker, beat schedule, and the
settings that make tasks safe to run twice and safe to lose a worker in the middle of."""

import kombu.transport.redis
from celery import Celery
from celery.signals import worker_process_init, worker_ready
from kombu import Queue

from services.core.logs import configure_logging
from services.core.settings import Settings, get_settings
from services.worker import metrics, queues

TASK_MODULES = [
    "services.worker.tasks.recompute",
    "services.worker.tasks.outbox",
    "services.worker.tasks.webhooks",
    "services.worker.tasks.maintenance",
    "services.worker.tasks.mail",
]


def create_celery(settings: Settings) -> Celery:
    # kombu 5.7's Redis transport kills the worker ("Unrecoverable error: AttributeError: 'NoneType'
    # object has no attribute 'hostname'") when the broker connection drops while it holds
    # unacknowledged messages (a recompute waiting out its debounce, say): closing the dead channel
    # tries to requeue them through a connection already released. They are in Redis' unacked set
    # anyway and come back after the visibility timeout (the outbox sweep re-drives them too), so
    # the worker leaves them there and lives. Found by tests/faults/test_redis_outage.py.
    kombu.transport.redis.QoS.restore_at_shutdown = False
    celery = Celery("posterior", broker=settings.redis_url or "memory://", include=TASK_MODULES)
    celery.conf.update(
        task_acks_late=True,  # a task is acknowledged after it ran, so a lost worker's task is redelivered
        task_reject_on_worker_lost=True,
        # A task running when the broker connection drops can no longer be acknowledged: acking it
        # later, on the dead channel, kills the worker (kombu 5.7). Cancelled instead, it is
        # redelivered once its visibility timeout is over; every task is idempotent.
        worker_cancel_long_running_tasks_on_connection_loss=True,
        worker_prefetch_multiplier=1,
        task_ignore_result=True,  # results live in PostgreSQL, not in the broker
        task_default_queue=queues.INTERACTIVE,
        task_queues=[Queue(name) for name in queues.ALL],  # consumed by a worker given no --queues
        task_routes={
            "insights.weekly_fanout": {"queue": queues.BULK},
            "maintenance.purge": {"queue": queues.BULK},
        },
        task_time_limit=settings.task_time_limit_s,
        task_soft_time_limit=settings.task_soft_time_limit_s,
        broker_transport_options={
            # Above the longest task plus countdown (Settings validates it), or Redis hands a
            # running task to a second worker (Celery docs, "Redis: visibility timeout").
            "visibility_timeout": settings.broker_visibility_timeout_s,
            # Every worker looks for messages of lost workers this often (kombu's default: every
            # 10th call of a 10 s timer), so one is running again within timeout + interval.
            "unacked_restore_interval": settings.broker_restore_interval_s,
            "unacked_restore_throttle": 1,
        },
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
        timezone="UTC",
        beat_schedule={
            "relay-outbox": {"task": "outbox.relay", "schedule": settings.outbox_relay_interval_s},
            "sweep-outbox": {"task": "outbox.sweep", "schedule": settings.outbox_sweep_interval_s},
            "weekly-fanout": {"task": "insights.weekly_fanout", "schedule": 15 * 60.0},
            "queue-metrics": {"task": "outbox.measure", "schedule": 15.0},
            "webhook-retries": {
                "task": "webhooks.retry_due",
                "schedule": settings.webhook_retry_scan_interval_s,
            },
            "purge-expired": {"task": "maintenance.purge", "schedule": 3600.0},
        },
    )
    return celery


@worker_process_init.connect
def _configure_child(**_kwargs: object) -> None:
    configure_logging(get_settings().log_level)


@worker_ready.connect
def _serve_metrics(**_kwargs: object) -> None:
    metrics.serve(get_settings().worker_metrics_port)


configure_logging(get_settings().log_level)
app = create_celery(get_settings())
