"""Single-use tokens of account mail (models.users.AccountToken), found by their hash only."""

import uuid
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from services.core.models.users import AccountToken, AccountTokenPurpose
from services.core.tokens import hash_token, new_token

PREFIXES: dict[AccountTokenPurpose, str] = {"verify-email": "ve_", "password-reset": "pr_"}


def issue(
    session: Session, *, user_id: uuid.UUID, purpose: AccountTokenPurpose, now: datetime, ttl: timedelta
) -> str:
    """A new token for the mail; only its hash is stored."""
    token = new_token(PREFIXES[purpose])
    session.add(
        AccountToken(
            user_id=user_id,
            purpose=purpose,
            token_hash=hash_token(token),
            created_at=now,
            expires_at=now + ttl,
        )
    )
    return token


def redeem(
    session: Session, token: str, *, purpose: AccountTokenPurpose, now: datetime
) -> AccountToken | None:
    """Uses the token up, if it is one of `purpose`, unused and unexpired; None otherwise. Locked,
    so two requests with one token cannot both use it."""
    stored = session.scalar(
        select(AccountToken)
        .where(AccountToken.token_hash == hash_token(token), AccountToken.purpose == purpose)
        .with_for_update()
    )
    if stored is None or stored.used_at is not None or stored.expires_at <= now:
        return None
    stored.used_at = now
    return stored


def use_all(session: Session, *, user_id: uuid.UUID, purpose: AccountTokenPurpose, now: datetime) -> None:
    """Ends the user's other outstanding tokens of `purpose` (a reset link mailed earlier, say)."""
    session.execute(
        update(AccountToken)
        .where(
            AccountToken.user_id == user_id, AccountToken.purpose == purpose, AccountToken.used_at.is_(None)
        )
        .values(used_at=now)
    )
