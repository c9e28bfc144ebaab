"""Sending a task by name to the broker the worker under test consumes, as beat or the outbox
relay would, without importing the worker's code into the test process."""

from collections.abc import Sequence

from celery import Celery

from services.worker import queues


def send_task(
    broker_url: str, name: str, args: Sequence[object] = (), *, queue: str = queues.INTERACTIVE
) -> None:
    client = Celery("posterior-tests", broker=broker_url)
    try:
        client.send_task(name, args=list(args), queue=queue)
    finally:
        client.close()
