"""A webhook receiver on 127.0.0.1 for tests: an HTTP server thread that verifies every request's
Standard Webhooks signature with the `standardwebhooks` package, as a partner's receiver would, and
answers with a status chosen per path."""

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from standardwebhooks import Webhook, WebhookVerificationError

from tests.e2e.servers import serving_in_thread


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    verified: bool
    status: int
    at: float  # time.monotonic()

    @property
    def event_id(self) -> str:
        return self.headers.get("webhook-id", "")


@dataclass
class Receiver:
    port: int = 0
    requests: list[Received] = field(default_factory=list)
    secrets: dict[str, list[str]] = field(default_factory=dict)
    # path → answer(request, earlier attempts of its event) → HTTP status
    answers: dict[str, Callable[[Received, int], int]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def expect(
        self, path: str, *, secrets: list[str], answer: Callable[[Received, int], int] = lambda _r, _n: 200
    ) -> str:
        """Verifies requests to `path` with any of `secrets`; answers `answer(request, earlier)`."""
        with self.lock:
            self.secrets[path] = list(secrets)
            self.answers[path] = answer
        return self.url(path)

    def received(self, path: str) -> list[Received]:
        with self.lock:
            return [r for r in self.requests if r.path == path]

    def handle(self, path: str, headers: dict[str, str], body: bytes) -> int:
        with self.lock:
            secrets = list(self.secrets.get(path, []))
            answer = self.answers.get(path, lambda _r, _n: 404)
            earlier = sum(
                1 for r in self.requests if r.path == path and r.event_id == headers.get("webhook-id")
            )
        verified = any(_verifies(secret, headers, body) for secret in secrets)
        request = Received(path, headers, body, verified, 0, time.monotonic())
        status = answer(request, earlier)
        with self.lock:
            self.requests.append(Received(path, headers, body, verified, status, request.at))
        return status


def _verifies(secret: str, headers: dict[str, str], body: bytes) -> bool:
    try:
        Webhook(secret).verify(body, headers)
    except (WebhookVerificationError, ValueError):
        return False
    return True


@contextmanager
def running_receiver(receiver: Receiver | None = None, *, port: int = 0) -> Iterator[Receiver]:
    """Serves `receiver` (a new one by default) on 127.0.0.1:`port` (any free port by default)."""
    receiver = receiver or Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            headers = {k.lower(): v for k, v in self.headers.items()}
            status = receiver.handle(self.path, headers, body)
            self.send_response(status)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *_args: Any) -> None:
            return None

    with serving_in_thread(Handler, "webhook-receiver", port) as receiver.port:
        yield receiver
