"""Account mail: email verification, password reset, and the notice to an address someone tried
to register again. Shared by the worker (`mail.send_account_mail`) and the embedded runner.

A request only writes an outbox row naming the kind and the address, the same row whether the
address has an account or not: the answer then takes the same time either way, and the token is
created here, by the sender, so it never exists outside its hash and the mail (no raw token in the
outbox or the broker). Sent at least once: a crash after sending and before the commit sends the
mail again, with a new token (the first one was never stored).
"""

from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Literal, get_args
from urllib.parse import urlencode

from sqlalchemy.orm import Session, sessionmaker

from services.core import mail
from services.core.models import OutboxEvent
from services.core.models.base import utcnow
from services.core.models.users import AccountTokenPurpose
from services.core.repositories import account_tokens, outbox, users
from services.core.settings import Settings

# The outbox topic of account mail; the relay hands its rows to the mail task.
ACCOUNT_MAIL = "account.mail"
MailKind = Literal["verify-email", "password-reset", "registration-attempt"]
KINDS: frozenset[str] = frozenset(get_args(MailKind))


def request(session: Session, *, kind: MailKind, email: str) -> None:
    """Asks for a mail to `email`, in the caller's transaction."""
    session.add(OutboxEvent(topic=ACCOUNT_MAIL, user_id=None, payload={"kind": kind, "email": email}))


def send_pending(factory: sessionmaker[Session], settings: Settings) -> None:
    """The embedded runner: every mail asked for and not sent yet."""
    with factory() as session:
        row_ids = outbox.pending_ids(session, topic=ACCOUNT_MAIL)
    for row_id in row_ids:
        send(factory, row_id, settings)


def send(factory: sessionmaker[Session], row_id: int, settings: Settings) -> None:
    """Sends the mail of one outbox row and marks it processed.

    The token is committed, and the row claimed, before the mail leaves: a link opened the moment
    the mail arrives must find its token (a sender that committed after sending lost that race),
    and no second runner sends the row meanwhile. If sending fails the claim is released, so the
    row is sent again later with a new token; the unused one expires.
    """
    with factory.begin() as session:
        row = outbox.lock_unprocessed(session, row_id)
        if row is None:
            return
        row.processed_at = now = utcnow()
        message = compose(session, row.payload, settings, now)
    if message is None:
        return
    try:
        mail.send(message, settings)
    except Exception:
        with factory.begin() as session:
            outbox.release(session, row_id)
        raise


def compose(
    session: Session, payload: dict[str, str], settings: Settings, now: datetime
) -> EmailMessage | None:
    """The message a row asks for; None when there is nobody to write to (a reset for an address
    without an account, a verification of an address already verified)."""
    kind, email = payload["kind"], payload["email"]
    user = users.find_by_email(session, email)
    if user is None or kind not in KINDS:
        return None
    if kind == "registration-attempt":
        return _message(settings, email, "Someone tried to register with your address", REGISTRATION_ATTEMPT)
    if kind == "verify-email" and user.email_verified_at is not None:
        return None
    purpose: AccountTokenPurpose = "verify-email" if kind == "verify-email" else "password-reset"
    ttl_s = settings.email_verification_ttl_s if purpose == "verify-email" else settings.password_reset_ttl_s
    token = account_tokens.issue(
        session, user_id=user.id, purpose=purpose, now=now, ttl=timedelta(seconds=ttl_s)
    )
    link = f"{settings.app_link_url}/{purpose}?{urlencode({'token': token})}"
    subject, text = TEXTS[purpose]
    return _message(
        settings, email, subject, text.format(link=link, minutes=ttl_s // 60, hours=ttl_s // 3600)
    )


def _message(settings: Settings, to: str, subject: str, text: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = subject
    message.set_content(text)
    return message


REGISTRATION_ATTEMPT = """\
Someone asked to create a Posterior account with this address, which already has one.

If it was you: sign in with your password, or use "Forgot password" in the app to choose a new one
(which also confirms this address, if you never opened the first mail we sent).
If it was not you, ignore this mail: nothing was changed and your account is safe.
"""

TEXTS: dict[AccountTokenPurpose, tuple[str, str]] = {
    "verify-email": (
        "Confirm your email address",
        """\
Welcome to Posterior. Open this link on your phone to confirm that this address is yours
and sign in:

{link}

The link works once, for {hours} hours. If you did not create an account, ignore this mail.
""",
    ),
    "password-reset": (
        "Choose a new password",
        """\
Someone (hopefully you) asked to reset the password of your Posterior account.
Open this link on your phone to choose a new one; it signs you out everywhere:

{link}

The link works once, for {minutes} minutes. If you did not ask, ignore this mail: your password stays.
""",
    ),
}
