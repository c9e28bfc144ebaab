"""Account mail in tests, read where a real person would find it.

One real SMTP server (aiosmtpd) runs in each test process, started on first use: every server,
worker and beat process the tests start sends to it (`SMTP_URL`, set by tests/e2e), and the suite's
in-process apps, which only queue mail (production mode), have it sent there exactly as the worker
sends it (services/core/usecases/account_mail.py). A server started like `make run` without an
SMTP_URL writes .eml files under its var/mail/ instead, and those are read.

`mailed_token(http, address)` finds the link of a mail sent to `address` by the API `http` talks
to, waiting for it to arrive; the factories verify new accounts with it.
"""

import email
import email.policy
import re
import socket
import threading
import time
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope
from pydantic import SecretStr
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from services.core.db import create_db_engine
from services.core.models import OutboxEvent
from services.core.settings import Settings
from services.core.usecases import account_mail

LINK = re.compile(r"/(verify-email|password-reset)\?token=([A-Za-z0-9_\-]+)")
MAIL_WAIT_S = 30.0


class Mailbox:
    """What the SMTP server received, by recipient."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Envelope) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        with self._lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        with self._lock:
            return [m for m in self.messages if m["To"] == address.lower()]


class SmtpServer:
    def __init__(self) -> None:
        self.mailbox = Mailbox()
        self._controller = Controller(self.mailbox, hostname="127.0.0.1", port=free_port())
        self._controller.start()  # a daemon thread: it ends with the test process
        self.url = f"smtp://127.0.0.1:{self._controller.port}"


_run_smtp: SmtpServer | None = None
_run_smtp_lock = threading.Lock()


def run_smtp() -> SmtpServer:
    """The test process's SMTP server, started on first use."""
    global _run_smtp
    with _run_smtp_lock:
        if _run_smtp is None:
            _run_smtp = SmtpServer()
        return _run_smtp


@dataclass(frozen=True)
class ServerMail:
    """Where the account mail of a server process the tests started goes."""

    # var/mail/ of a server without SMTP_URL (the embedded default); None: the run's SMTP server.
    directory: Path | None
    # The database of a server whose mail a worker sends (REDIS_URL set). A test may run it without
    # a worker, so the pending mail of an address is sent from here as the worker would send it.
    queued_in: str | None


_servers: dict[str, ServerMail] = {}


def serve_mail_of(base_url: str, mail: ServerMail) -> None:
    """Tells `mailed_token` where the mail of the server at `base_url` arrives."""
    _servers[base_url.rstrip("/")] = mail


class MailServer:
    """The `mail_server` fixture: the run's SMTP server and the suite's app's queued mail."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self._engine = engine
        self.settings = settings.model_copy(update={"smtp_url": SecretStr(run_smtp().url)})
        self.mailbox = run_smtp().mailbox

    def deliver(self, address: str, **settings: Any) -> list[EmailMessage]:
        """Sends the pending mail to `address` as the worker would; returns what arrived for it."""
        send_pending(self._engine, self.settings.model_copy(update=settings), address)
        return self.mailbox.to(address)


def send_pending(engine: Engine, settings: Settings, address: str) -> None:
    """Sends the account mail queued for `address` through `settings`' SMTP_URL, as the worker does."""
    with Session(engine) as session:
        rows = session.scalars(
            select(OutboxEvent).where(
                OutboxEvent.topic == account_mail.ACCOUNT_MAIL, OutboxEvent.processed_at.is_(None)
            )
        ).all()
        row_ids = [row.id for row in rows if row.payload["email"] == address.lower()]
    factory = sessionmaker(engine)
    for row_id in row_ids:
        account_mail.send(factory, row_id, settings)


def mailed_token(http: httpx.Client, address: str, *, purpose: str = "verify-email") -> str:
    """The token of the newest `purpose` link mailed to `address` by the API behind `http` (an
    in-process TestClient or a client of a server the tests started)."""
    deadline = time.monotonic() + MAIL_WAIT_S
    while True:
        tokens = [found for message in _received(http, address) if (found := link_token(message, purpose))]
        if tokens:
            return tokens[-1]
        assert time.monotonic() < deadline, f"no {purpose} mail reached {address} in {MAIL_WAIT_S:g} s"
        time.sleep(0.05)


def _received(http: httpx.Client, address: str) -> list[EmailMessage]:
    app = getattr(http, "app", None)
    if app is not None:  # a TestClient: its app only queued the mail
        settings = app.state.settings.model_copy(update={"smtp_url": SecretStr(run_smtp().url)})
        send_pending(app.state.engine, settings, address)
        return run_smtp().mailbox.to(address)
    base_url = str(http.base_url).rstrip("/")
    mail = _servers.get(base_url)
    assert mail is not None, f"{base_url} was not started by tests/e2e/servers.py: where does its mail go?"
    if mail.directory is not None:
        return read_mail_directory(mail.directory, address)
    if mail.queued_in is not None:
        settings = Settings(database_url=mail.queued_in, smtp_url=run_smtp().url, _env_file=None)
        engine = create_db_engine(settings)
        try:
            send_pending(engine, settings, address)
        finally:
            engine.dispose()
    return run_smtp().mailbox.to(address)


def read_mail_directory(directory: Path, address: str) -> list[EmailMessage]:
    """The .eml files under `directory` sent to `address`, oldest first (services/core/mail.py
    renames each into place whole, so a file seen is complete)."""
    messages = []
    for path in sorted(directory.glob("*.eml"), key=lambda path: path.stat().st_mtime_ns):
        raw = path.read_bytes()
        if address.lower().encode() not in raw:
            continue
        message = email.message_from_bytes(raw, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        if message["To"] == address.lower():
            messages.append(message)
    return messages


def link_token(message: EmailMessage, purpose: str) -> str | None:
    found = LINK.search(message.get_content())
    return found.group(2) if found and found.group(1) == purpose else None


def token_in(message: EmailMessage) -> str:
    body = message.get_content()
    found = LINK.search(body)
    assert found is not None, body
    return found.group(2)


def free_port() -> int:
    # aiosmtpd checks its server by connecting to the port it was given, so it needs a real one.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
