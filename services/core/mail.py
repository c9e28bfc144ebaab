"""Sending mail: over SMTP when SMTP_URL is set (any relay), else as .eml files under var/mail/,
where a developer running the embedded default reads them."""

import smtplib
import ssl
import uuid
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from services.core.models.base import utcnow
from services.core.settings import MAIL_DIR, Settings

SMTP_TIMEOUT_S = 10.0


def send(message: EmailMessage, settings: Settings) -> None:
    if settings.smtp_url is None:
        _write(message)
        return
    url = urlsplit(settings.smtp_url.get_secret_value())
    if url.scheme not in ("smtp", "smtps") or not url.hostname:
        raise ValueError("SMTP_URL must be smtp://[user:password@]host:port or smtps://…")
    context = ssl.create_default_context()
    smtp = (
        smtplib.SMTP_SSL(url.hostname, url.port or 465, timeout=SMTP_TIMEOUT_S, context=context)
        if url.scheme == "smtps"
        else smtplib.SMTP(url.hostname, url.port or 25, timeout=SMTP_TIMEOUT_S)
    )
    with smtp:
        if url.scheme == "smtp":
            smtp.ehlo()
            # Encrypted when the relay offers it; a relay inside the cluster may not.
            if smtp.has_extn("starttls"):
                smtp.starttls(context=context)
        if url.username:
            smtp.login(unquote(url.username), unquote(url.password or ""))
        smtp.send_message(message)


def _write(message: EmailMessage) -> None:
    MAIL_DIR.mkdir(parents=True, exist_ok=True)
    name = f"{utcnow():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}.eml"
    # Written aside and renamed, so whoever watches the directory never reads half a message.
    partial = MAIL_DIR / f".{name}.partial"
    partial.write_bytes(message.as_bytes())
    partial.replace(MAIL_DIR / name)
