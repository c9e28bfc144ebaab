"""A real SMTP server in the test process (aiosmtpd) and the account mail the app asked for,
sent to it exactly as the worker sends it (services/core/usecases/account_mail.py)."""

import email
import email.policy
import re
import socket
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope
from pydantic import SecretStr
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from services.core.models import OutboxEvent
from services.core.settings import Settings
from services.core.usecases import account_mail

LINK_TOKEN = re.compile(r"[?&]token=([A-Za-z0-9_\-]+)")


class Mailbox:
    """What the SMTP server received, by recipient."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Envelope) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address.lower()]


class MailServer:
    def __init__(self, engine: Engine, settings: Settings) -> None:
        self.mailbox = Mailbox()
        self._controller = Controller(self.mailbox, hostname="127.0.0.1", port=free_port())
        self._engine = engine
        self._settings = settings

    def start(self) -> None:
        self._controller.start()
        self.settings = self._settings.model_copy(
            update={"smtp_url": SecretStr(f"smtp://127.0.0.1:{self._controller.port}")}
        )

    def stop(self) -> None:
        self._controller.stop()

    def deliver(self, address: str, **settings: Any) -> list[EmailMessage]:
        """Sends the pending mail to `address` as the worker would; returns what arrived for it."""
        factory = sessionmaker(self._engine)
        with Session(self._engine) as session:
            rows = session.scalars(
                select(OutboxEvent).where(
                    OutboxEvent.topic == account_mail.ACCOUNT_MAIL, OutboxEvent.processed_at.is_(None)
                )
            ).all()
            row_ids = [row.id for row in rows if row.payload["email"] == address.lower()]
        for row_id in row_ids:
            account_mail.send(factory, row_id, self.settings.model_copy(update=settings))
        return self.mailbox.to(address)


def free_port() -> int:
    # aiosmtpd checks its server by connecting to the port it was given, so it needs a real one.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def token_in(message: EmailMessage) -> str:
    body = message.get_content()
    found = LINK_TOKEN.search(body)
    assert found is not None, body
    return found.group(1)
