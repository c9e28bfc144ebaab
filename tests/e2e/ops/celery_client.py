"""Sending tasks by name to the broker the worker under test consumes, as beat or the outbox
relay would, without importing the worker's code into the test process."""

from collections.abc import Sequence

from celery import Celery

from services.worker import queues


def send_task(
    broker_url: str, name: str, args: Sequence[object] = (), *, queue: str = queues.INTERACTIVE
) -> None:
    send_tasks(broker_url, name, [args], queue=queue)


def send_tasks(
    broker_url: str, name: str, args: Sequence[Sequence[object]], *, queue: str = queues.INTERACTIVE
) -> None:
    """One message per item of `args`, over one connection."""
    client = Celery("posterior-tests", broker=broker_url)
    try:
        with client.producer_or_acquire() as producer:
            for task_args in args:
                client.send_task(name, args=list(task_args), queue=queue, producer=producer)
    finally:
        client.close()
