"""A partner's web site on 127.0.0.1 for browser tests: its OAuth redirect URI records the query
string the user's browser brings back and shows a page, as a real partner's callback would."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.e2e.servers import serving_in_thread

CALLBACK_PATH = "/callback"
# No favicon (data:,), so the browser asks this site for nothing but the callback.
LANDING_PAGE = (
    b'<!doctype html><title>Partner</title><link rel="icon" href="data:,"><h1>Connected to Posterior</h1>'
)


@dataclass
class PartnerSite:
    port: int = 0
    callbacks: list[dict[str, str]] = field(default_factory=list)  # one query per visit
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def redirect_uri(self) -> str:
        return f"http://127.0.0.1:{self.port}{CALLBACK_PATH}"

    def received(self) -> list[dict[str, str]]:
        with self.lock:
            return list(self.callbacks)

    def record(self, query: str) -> None:
        with self.lock:
            self.callbacks.append({name: values[0] for name, values in parse_qs(query).items()})


@contextmanager
def running_partner_site() -> Iterator[PartnerSite]:
    """Serves a new PartnerSite on a free port of 127.0.0.1 until the block ends."""
    site = PartnerSite()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            url = urlsplit(self.path)
            if url.path != CALLBACK_PATH:
                self.send_error(404)
                return
            site.record(url.query)
            self.send_response(200)
            self.send_header("content-type", "text/html; charset=utf-8")
            self.send_header("content-length", str(len(LANDING_PAGE)))
            self.end_headers()
            self.wfile.write(LANDING_PAGE)

        def log_message(self, *_args: Any) -> None:
            return None

    with serving_in_thread(Handler, "partner-site") as site.port:
        yield site
