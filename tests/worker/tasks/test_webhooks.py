"""One attempt of a delivery, run in process against a receiver on 127.0.0.1: signed, recorded,
retried on the backoff schedule, given up, and an endpoint disabled after persistent failure."""

import socket
import socketserver
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from services.core.models import WebhookDelivery
from services.core.models.base import utcnow
from services.core.webhooks import events, schedule
from services.worker import metrics
from services.worker.tasks import webhooks as tasks
from tests.e2e.webhooks.receiver import Receiver, running_receiver
from tests.factories.webhooks import DEAD_URL, ENDPOINTS, create_endpoint, delivery_row, endpoint_row, ping


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    with running_receiver() as receiver:
        yield receiver


@pytest.fixture
def worker_settings(hooks_settings, monkeypatch):
    """Runs `webhooks.deliver` in this process, on the test database, with settings a test may change."""
    current = {"settings": hooks_settings}
    factory = sessionmaker(expire_on_commit=False)
    monkeypatch.setattr(tasks, "get_settings", lambda: current["settings"])
    monkeypatch.setattr(tasks, "session_factory", lambda: factory)
    return current, factory


@pytest.fixture
def deliver(worker_settings, engine):
    current, factory = worker_settings
    factory.configure(bind=engine)

    def run(delivery: dict, *, attempts: int | None = None, **settings) -> str:
        current["settings"] = current["settings"].model_copy(update=settings)
        made = delivery_row(engine, delivery["id"]).attempts if attempts is None else attempts
        return tasks.deliver(delivery["id"], made)

    return run


def receiving(hooks_client, partner, receiver, answer=lambda _r, _n: 200, events=("deload.suggested",)):
    path = f"/{uuid.uuid4().hex}"
    endpoint = create_endpoint(hooks_client, partner, url=receiver.url(path), events=events)
    receiver.expect(path, secrets=[endpoint["secret"]], answer=answer)
    return endpoint, path


def test_a_delivery_reaches_the_receiver_signed_and_succeeds(
    hooks_client, partner, receiver, deliver, engine
):
    endpoint, path = receiving(hooks_client, partner, receiver)
    delivery = ping(hooks_client, partner, endpoint["id"])
    successes = metrics.WEBHOOK_DELIVERIES.labels("success")._value.get()
    assert deliver(delivery) == "success"
    [received] = receiver.received(path)
    assert received.verified
    assert received.event_id == delivery["event_id"]
    assert received.headers["host"] == f"127.0.0.1:{receiver.port}"
    assert received.headers["user-agent"].startswith("Posterior-Webhooks/")
    assert received.body == events.encode_body(delivery["payload"])
    row = delivery_row(engine, delivery["id"])
    assert (row.status, row.attempts, row.last_status_code, row.next_attempt_at) == (
        "succeeded",
        1,
        200,
        None,
    )
    assert metrics.WEBHOOK_DELIVERIES.labels("success")._value.get() == successes + 1


def test_a_failed_attempt_is_retried_after_the_first_backoff_delay(
    hooks_client, partner, receiver, deliver, engine
):
    endpoint, _ = receiving(hooks_client, partner, receiver, answer=lambda _r, _n: 503)
    delivery = ping(hooks_client, partner, endpoint["id"])
    before = utcnow()
    assert deliver(delivery, webhook_retry_base_s=10.0) == "failure"
    row = delivery_row(engine, delivery["id"])
    assert (row.status, row.attempts, row.last_status_code, row.last_error) == ("failed", 1, 503, "HTTP 503")
    assert before + timedelta(seconds=10) <= row.next_attempt_at <= utcnow() + timedelta(seconds=10)
    assert (
        endpoint_row(engine, endpoint["id"]).consecutive_failures,
        endpoint_row(engine, endpoint["id"]).enabled,
    ) == (1, True)


def test_a_duplicate_message_for_an_attempt_already_made_does_nothing(
    hooks_client, partner, receiver, deliver
):
    endpoint, path = receiving(hooks_client, partner, receiver)
    delivery = ping(hooks_client, partner, endpoint["id"])
    assert deliver(delivery, attempts=0) == "success"
    assert deliver(delivery, attempts=0) == "skipped"
    assert len(receiver.received(path)) == 1


def test_after_the_last_retry_a_delivery_gives_up(hooks_client, partner, receiver, deliver, engine):
    endpoint, _ = receiving(hooks_client, partner, receiver, answer=lambda _r, _n: 500)
    delivery = ping(hooks_client, partner, endpoint["id"])
    delays = schedule.retry_delays(base_s=10, cap_s=40, window_s=100)  # as hooks_settings
    with Session(engine) as session:
        session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.id == uuid.UUID(delivery["id"]))
            .values(attempts=len(delays), status="failed")
        )
        session.commit()
    assert deliver(delivery) == "failure"
    row = delivery_row(engine, delivery["id"])
    assert (row.status, row.attempts, row.next_attempt_at) == ("dead", len(delays) + 1, None)


def test_persistent_failure_disables_the_endpoint_and_gives_up_its_deliveries(
    hooks_client, partner, receiver, deliver, engine
):
    endpoint, path = receiving(hooks_client, partner, receiver, answer=lambda _r, _n: 500)
    first, second, waiting = (ping(hooks_client, partner, endpoint["id"]) for _ in range(3))
    limits = {"webhook_disable_after_failures": 2, "webhook_disable_after_s": 0.0}
    disabled_before = metrics.WEBHOOK_DELIVERIES.labels("disabled")._value.get()
    assert deliver(first, **limits) == "failure"
    assert deliver(second, **limits) == "disabled"
    row = endpoint_row(engine, endpoint["id"])
    assert not row.enabled
    assert "2 failed attempts in a row" in row.disabled_reason
    assert "HTTP 500" in row.disabled_reason
    assert [delivery_row(engine, d["id"]).status for d in (first, second, waiting)] == ["dead"] * 3
    assert delivery_row(engine, second["id"]).last_error == "HTTP 500"
    assert delivery_row(engine, waiting["id"]).last_error == "endpoint disabled"
    assert deliver(waiting) == "skipped"
    assert len(receiver.received(path)) == 2
    assert metrics.WEBHOOK_DELIVERIES.labels("disabled")._value.get() == disabled_before + 1
    shown = hooks_client.get(f"{ENDPOINTS}/{endpoint['id']}", headers=partner.headers).json()
    assert (shown["enabled"], shown["disabled_reason"]) == (False, row.disabled_reason)


def test_a_success_ends_the_failure_streak(hooks_client, partner, receiver, deliver, engine):
    endpoint, _ = receiving(
        hooks_client, partner, receiver, answer=lambda _r, earlier: 500 if earlier == 0 else 200
    )
    delivery = ping(hooks_client, partner, endpoint["id"])
    assert deliver(delivery) == "failure"
    assert deliver(delivery) == "success"
    row = endpoint_row(engine, endpoint["id"])
    assert (row.consecutive_failures, row.failing_since) == (0, None)


def test_a_redirect_is_a_failure_and_is_not_followed(hooks_client, partner, receiver, deliver, engine):
    endpoint, path = receiving(hooks_client, partner, receiver, answer=lambda _r, _n: 307)
    delivery = ping(hooks_client, partner, endpoint["id"])
    assert deliver(delivery) == "failure"
    assert delivery_row(engine, delivery["id"]).last_error == "HTTP 307"
    assert len(receiver.received(path)) == 1


def test_a_receiver_that_does_not_answer_in_time_is_a_failure(
    hooks_client, partner, receiver, deliver, engine
):
    endpoint, _ = receiving(hooks_client, partner, receiver, answer=lambda _r, _n: time.sleep(1.5) or 200)
    delivery = ping(hooks_client, partner, endpoint["id"])
    assert deliver(delivery, webhook_timeout_s=0.5) == "failure"
    row = delivery_row(engine, delivery["id"])
    assert (row.last_status_code, row.last_error) == (None, "timed out after 0.5 s")


def test_a_refused_connection_is_a_failure(hooks_client, partner, deliver, engine):
    endpoint = create_endpoint(hooks_client, partner, url=DEAD_URL)
    delivery = ping(hooks_client, partner, endpoint["id"])
    assert deliver(delivery) == "failure"
    assert delivery_row(engine, delivery["id"]).last_error.startswith("ConnectError")


def test_without_the_setting_a_loopback_receiver_is_never_contacted(
    hooks_client, partner, receiver, deliver, engine
):
    endpoint, path = receiving(hooks_client, partner, receiver)
    delivery = ping(hooks_client, partner, endpoint["id"])
    assert deliver(delivery, webhook_allow_private_targets=False) == "failure"
    assert delivery_row(engine, delivery["id"]).last_error.startswith("refused:")
    assert receiver.received(path) == []


def test_after_a_rotation_both_the_new_and_the_previous_secret_verify(
    hooks_client, partner, receiver, deliver
):
    endpoint, path = receiving(hooks_client, partner, receiver)
    rotated = hooks_client.post(f"{ENDPOINTS}/{endpoint['id']}/rotate-secret", headers=partner.headers).json()
    for secrets in ([endpoint["secret"]], [rotated["secret"]]):
        receiver.expect(path, secrets=secrets)
        assert deliver(ping(hooks_client, partner, endpoint["id"])) == "success"
    assert [r.verified for r in receiver.received(path)] == [True, True]
    assert all(len(r.headers["webhook-signature"].split(" ")) == 2 for r in receiver.received(path))


@contextmanager
def raw_receiver(answer: Callable[[socket.socket, threading.Event], None]) -> Iterator[str]:
    """A receiver on a bare socket: `answer(connection, done)` writes whatever bytes it likes after
    the request came in; `done` is set when the test is over."""
    done = threading.Event()

    class Handler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            self.request.recv(65536)
            answer(self.request, done)

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    finally:
        done.set()
        server.shutdown()
        server.server_close()


def endless_body(connection: socket.socket, done: threading.Event) -> None:
    """200, announcing a 1 GB body, 1 KiB of it, then nothing."""
    connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000000000\r\n\r\n" + b"x" * 1024)
    done.wait(timeout=10)


def trickled_status_line(connection: socket.socket, done: threading.Event) -> None:
    """The status line and headers one byte every 0.1 s: each read is quick, the whole is not."""
    for byte in b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n":
        if done.wait(timeout=0.1):
            return
        connection.sendall(bytes([byte]))


def test_a_receivers_answer_is_judged_by_its_status_line_and_its_body_never_read(
    hooks_client, partner, deliver, engine
):
    # Reading the body would wait for the missing bytes until the timeout and fail the attempt.
    with raw_receiver(endless_body) as url:
        endpoint = create_endpoint(hooks_client, partner, url=url)
        delivery = ping(hooks_client, partner, endpoint["id"])
        assert deliver(delivery, webhook_timeout_s=0.5) == "success"
    assert delivery_row(engine, delivery["id"]).last_status_code == 200


def test_an_attempt_has_one_deadline_however_the_receiver_paces_its_answer(
    hooks_client, partner, deliver, engine
):
    with raw_receiver(trickled_status_line) as url:
        endpoint = create_endpoint(hooks_client, partner, url=url)
        delivery = ping(hooks_client, partner, endpoint["id"])
        # Each byte comes well within 0.5 s; a 200 would mean only single reads were timed.
        assert deliver(delivery, webhook_timeout_s=0.5) == "failure"
    assert delivery_row(engine, delivery["id"]).last_error == "timed out after 0.5 s"
