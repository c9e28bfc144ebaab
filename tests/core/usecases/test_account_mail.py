"""Sending account mail (services/core/usecases/account_mail.send): the token a mail names is
committed before the mail leaves, and a mail that could not be sent is sent again later."""

import uuid

import pytest
from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from services.core.models import OutboxEvent
from services.core.usecases import account_mail
from tests.factories.mailbox import free_port, run_smtp, token_in


def queued_verification(client, engine) -> tuple[str, int]:
    address = f"user-{uuid.uuid4().hex[:12]}@example.com"
    assert (
        client.post("/v1/auth/register", json={"email": address, "password": "hinge-and-curl-42"}).status_code
        == 202
    )
    with Session(engine) as session:
        row_id = session.scalar(
            select(OutboxEvent.id).where(
                OutboxEvent.topic == account_mail.ACCOUNT_MAIL,
                OutboxEvent.payload["email"].as_string() == address,
            )
        )
    assert row_id is not None
    return address, row_id


def processed(engine, row_id: int) -> bool:
    with Session(engine) as session:
        return session.get_one(OutboxEvent, row_id).processed_at is not None


def test_a_mail_that_cannot_be_sent_stays_queued_for_a_later_try(client, engine):
    _, row_id = queued_verification(client, engine)
    nowhere = client.app.state.settings.model_copy(
        update={"smtp_url": SecretStr(f"smtp://127.0.0.1:{free_port()}")}
    )

    with pytest.raises(ConnectionRefusedError):
        account_mail.send(sessionmaker(engine), row_id, nowhere)

    assert not processed(engine, row_id)


def test_the_link_works_the_moment_the_mail_arrives(client, engine):
    address, row_id = queued_verification(client, engine)
    smtp = run_smtp()
    settings = client.app.state.settings.model_copy(update={"smtp_url": SecretStr(smtp.url)})

    account_mail.send(sessionmaker(engine), row_id, settings)

    [message] = smtp.mailbox.to(address)
    assert processed(engine, row_id)
    assert client.post("/v1/auth/verify-email", json={"token": token_in(message)}).status_code == 200
