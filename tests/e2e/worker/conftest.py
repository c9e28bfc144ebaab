"""The production stack the worker stories run on: the API, a Celery worker and beat, against the
run's PostgreSQL database and a Redis database of its own; one stack per test module."""

from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass

import pytest

from tests.e2e.processes import Process, Worker, start_beat, start_worker
from tests.e2e.servers import Server, start_api


@dataclass
class Stack:
    api: Server
    worker: Worker
    beat: Process


@pytest.fixture(scope="module")
def stack(worker_env, redis_db_url, tmp_path_factory) -> Iterator[Stack]:
    workdir = tmp_path_factory.mktemp("stack")
    env = worker_env | {"REDIS_URL": redis_db_url}
    with ExitStack() as cleanup:
        api = start_api(env, workdir, migrate=False)
        cleanup.callback(api.stop)
        worker = start_worker(env, workdir)
        cleanup.callback(worker.stop)
        beat = start_beat(env, workdir)
        cleanup.callback(beat.stop)
        yield Stack(api, worker, beat)
