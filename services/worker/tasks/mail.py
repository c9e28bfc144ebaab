"""Account mail on Celery: `mail.send_account_mail` sends the mail of one outbox row over SMTP_URL
(services/core/usecases/account_mail.py, which the embedded runner shares)."""

import smtplib

from celery import shared_task
from sqlalchemy.exc import DBAPIError, OperationalError

from services.core.settings import RETRY_BACKOFF_MAX_S, get_settings
from services.core.usecases import account_mail
from services.worker.db import session_factory


# A relay or database that is briefly away is retried here; a message lost for good is handed out
# again by the outbox sweep, since its row stays unprocessed.
@shared_task(
    name="mail.send_account_mail",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OSError, smtplib.SMTPException, OperationalError, DBAPIError),
    retry_backoff=True,
    retry_backoff_max=RETRY_BACKOFF_MAX_S,
    retry_jitter=True,
    max_retries=8,
)
def send_account_mail(outbox_id: int) -> None:
    account_mail.send(session_factory(), outbox_id, get_settings())
